// File: common/nn/sequence_layers.h
//
// Fast sequence layers for the sequence-model applications (course 5), in
// float (to train) and double (for gradient checks), next to the CNN layers
// of common/nn/layers.h (same nn::Array and nn::Parameter):
//
//   nn::Lstm<T>                     an LSTM over a whole sequence, forward
//                                   and backward through time, in the
//                                   course's convention (rnn_step_by_step)
//   nn::TransformerEncoderLayer<T>  torch.nn.TransformerEncoderLayer's
//                                   forward (post-norm, ReLU, no dropout)
// and two Keras layers for nn::Model (rnn_layers.cc), used as
// model.Add(nn::Embedding(vocab, 50)), model.Add(nn::LSTM(128, true)):
//   nn::Embedding                   tfl.Embedding: word indices -> vectors
//   nn::LSTM                        tfl.LSTM: nn::Lstm as a layer,
//                                   batch first
//   nn::GRU                         tfl.GRU (Keras 2's reset_after form)
//
// Both are written for speed: every matrix product of a sequence that does
// not depend on the previous time step is ONE product for all steps, the
// buffers live in the layer and are reused from call to call, and the
// weights are never copied (products use views of them).
//
// Layouts (row-major nn::Array, numpy's memory order):
//   Lstm: time first, as torch.nn.LSTM: x (T_x, m, n_x), a (T_x, m, n_a).
//     x[t] is one contiguous (m, n_x) block, which is the course's x<t> of
//     shape (n_x, m) in column-major memory (one example per column), so
//     a step's matrices are read in the course's orientation without a copy.
//     The course's x (n_x, m, T_x) is x.transpose(2, 1, 0) in numpy terms.
//   TransformerEncoderLayer: batch first (batch_first=True): x (B, S, d_model).

#ifndef DLCOURSE_COMMON_NN_SEQUENCE_LAYERS_H_
#define DLCOURSE_COMMON_NN_SEQUENCE_LAYERS_H_

#include <memory>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/nn/layers.h"

namespace dl {
namespace nn {

// ---------------------------------------------------------------------------
// LSTM over a sequence, the course's cell (course4_seq/rnn_step_by_step) at
// every step t = 0 .. T_x-1, with concat = [a<t-1>; x<t>] (a_prev FIRST):
//   Γf = σ(Wf concat + bf)      Γu = σ(Wi concat + bi)
//   c̃ = tanh(Wc concat + bc)    Γo = σ(Wo concat + bo)
//   c<t> = Γf * c<t-1> + Γu * c̃      a<t> = Γo * tanh(c<t>)
// (no output layer: a<t> is the output, as torch.nn.LSTM's).
//
// Parameters, the course's four gates stacked in the order f, i, c̃, o
// (numpy: np.concatenate([Wf, Wi, Wc, Wo], axis=0)):
//   "W" (4 n_a, n_a + n_x): rows g n_a .. (g+1) n_a - 1 are gate g's W;
//       the first n_a columns multiply a<t-1>, the last n_x columns x<t>.
//   "b" (4 n_a): [bf; bi; bc; bo].
//
// How it is computed (the speed):
//   forward   G = W[:, n_a:] X + b for ALL steps at once (one product,
//             X = every x<t> side by side, (n_x, m T_x)); then per step one
//             product for the four gates together, G<t> += W[:, :n_a] a<t-1>.
//   backward  per step one product da_prev = W[:, :n_a]ᵀ dG<t>; after the
//             loop one product each for dW[:, n_a:] = dG Xᵀ, dW[:, :n_a] =
//             dG [a0, a<0>, ..., a<T_x-2>]ᵀ and dX = W[:, n_a:]ᵀ dG.
//
// Use:
//   nn::Lstm<float> lstm(/*n_x=*/64, /*n_a=*/128);
//   dl::RandomState rng(0);
//   lstm.Initialize(rng);
//   const nn::Array<float>& a = lstm.Forward(x);   // x (T_x, m, n_x)
//   lstm.Backward(da, &dx);                        // da = dJ/da (T_x, m, n_a)
//   lstm.W().grad, lstm.b().grad                   // dJ/dW, dJ/db
template <typename T>
class Lstm {
 public:
  Lstm(Index n_x, Index n_a);

  Index n_x() const { return n_x_; }
  Index n_a() const { return n_a_; }

  // The parameters "W" and "b" (value and grad), in that order.
  std::vector<Parameter<T>>& parameters() { return params_; }
  const std::vector<Parameter<T>>& parameters() const { return params_; }
  Parameter<T>& W() { return params_[0]; }
  Parameter<T>& b() { return params_[1]; }
  const Parameter<T>& W() const { return params_[0]; }
  const Parameter<T>& b() const { return params_[1]; }

  // torch.nn.LSTM's initialization: every W and b entry uniform on
  // [-1/sqrt(n_a), 1/sqrt(n_a)], drawn from rng in row-major order (W, then
  // b). The constructor leaves W and b at zero.
  void Initialize(RandomState& rng);

  // The forward pass over a whole sequence.
  //   x: (T_x, m, n_x); a0, c0: (m, n_a), or null for zeros.
  //   -> a: (T_x, m, n_a), a[t] = a<t>; kept (with the gates and the cell
  //   states) until the next Forward. x is NOT copied: keep it alive and
  //   unchanged until Backward.
  const Array<T>& Forward(const Array<T>& x, const Array<T>* a0 = nullptr,
                          const Array<T>* c0 = nullptr);
  // The outputs a<t> and the cell states c<t> of the last Forward, both
  // (T_x, m, n_a).
  const Array<T>& a() const { return a_; }
  const Array<T>& c() const { return c_; }

  // Backpropagation through time for the last Forward.
  //   da: (T_x, m, n_a), da[t] = ∂J/∂a<t> from what step t's output feeds
  //   (not through a<t+1>: that part is added here).
  // Writes W().grad and b().grad (overwritten), and when not null
  //   dx: (T_x, m, n_x) = ∂J/∂x, da0, dc0: (m, n_a) = ∂J/∂a0, ∂J/∂c0.
  void Backward(const Array<T>& da, Array<T>* dx, Array<T>* da0 = nullptr,
                Array<T>* dc0 = nullptr);

 private:
  Index n_x_, n_a_;
  std::vector<Parameter<T>> params_;
  // Of the last Forward.
  const Array<T>* x_ = nullptr;
  Index T_x_ = 0, m_ = 0;
  Array<T> gates_;    // (T_x, m, 4 n_a): Γf, Γu, c̃, Γo of every step
  Array<T> a_, c_;    // (T_x, m, n_a)
  Array<T> tanh_c_;   // (T_x, m, n_a): tanh(c<t>)
  Array<T> a0_, c0_;  // (m, n_a)
  // Backward's buffers.
  Array<T> dgates_;                       // (T_x, m, 4 n_a)
  Array<T> da_next_, da_prev_, dc_prev_;  // (m, n_a)
};

// ---------------------------------------------------------------------------
// torch.nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward,
// dropout=0.0, activation="relu", layer_norm_eps=1e-5, batch_first=True,
// norm_first=False): the forward pass (inference)
//   x1 = LayerNorm1(x + SelfAttention(x))
//   y  = LayerNorm2(x1 + linear2(relu(linear1(x1))))
// SelfAttention(x) = concat over heads h of
//   softmax(Q_h K_hᵀ / sqrt(d_head)) V_h,  then out_proj,
// with [Q | K | V] = x in_proj_weightᵀ + in_proj_bias (one product), Q_h
// the columns h d_head .. (h+1) d_head - 1 of Q, d_head = d_model / nhead.
// LayerNorm: (v - mean) / sqrt(var + eps) * weight + bias over d_model
// (biased variance).
//
// Parameters, with torch's names and shapes (weights (out, in)), so that a
// torch state_dict's values can be copied in as they are:
//   "self_attn.in_proj_weight" (3 d_model, d_model)
//   "self_attn.in_proj_bias" (3 d_model)
//   "self_attn.out_proj.weight" (d_model, d_model)
//   "self_attn.out_proj.bias" (d_model)
//   "linear1.weight" (dim_feedforward, d_model), "linear1.bias"
//   "linear2.weight" (d_model, dim_feedforward), "linear2.bias"
//   "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias" (d_model)
template <typename T>
class TransformerEncoderLayer {
 public:
  TransformerEncoderLayer(Index d_model, Index nhead, Index dim_feedforward,
                          double layer_norm_eps = 1e-5);

  Index d_model() const { return d_model_; }
  Index nhead() const { return nhead_; }
  Index dim_feedforward() const { return d_ff_; }

  std::vector<Parameter<T>>& parameters() { return params_; }
  const std::vector<Parameter<T>>& parameters() const { return params_; }
  // The parameter called `name` (see above); throws std::out_of_range.
  Parameter<T>& parameter(const std::string& name);

  // torch's initialization, in distribution: in_proj_weight Glorot-uniform,
  // out_proj.weight and the linear weights uniform on [-1/sqrt(fan_in),
  // 1/sqrt(fan_in)], linear biases likewise, attention biases 0, norms 1 and
  // 0. Drawn from rng in parameter order. The constructor leaves every
  // weight at zero and the norms at 1 / 0.
  void Initialize(RandomState& rng);

  // x: (B, S, d_model) -> (B, S, d_model), kept until the next Forward.
  const Array<T>& Forward(const Array<T>& x);

 private:
  Index d_model_, nhead_, d_ff_;
  double eps_;
  std::vector<Parameter<T>> params_;
  // Buffers of Forward.
  Array<T> qkv_;     // (B S, 3 d_model)
  Array<T> scores_;  // (S, S), one head at a time
  Array<T> heads_;   // (B S, d_model): the heads' outputs side by side
  Array<T> x1_;      // (B S, d_model)
  Array<T> hidden_;  // (B S, dim_feedforward)
  Array<T> y_;       // (B, S, d_model)
};

// ---------------------------------------------------------------------------
// Keras's recurrent layers for nn::Model (model.h), in rnn_layers.cc.

// tfl.Embedding(input_dim, output_dim): index k -> row k of the weights.
// Input (m, T_x): word indices, whole numbers 0 .. input_dim-1 stored in the
// array's type -> (m, T_x, output_dim). Parameter "embeddings"
// (input_dim, output_dim): uniform on [-0.05, 0.05] (Keras's default), or
// `weights` when it is set (Keras's set_weights([emb_matrix])).
// trainable = false freezes them (the course's pretrained embedding layer);
// the indices have no gradient (Backward writes zeros for them).
struct Embedding : Spec<Embedding> {
  explicit Embedding(int input_dim_ = 0, int output_dim_ = 0)
      : input_dim(input_dim_), output_dim(output_dim_) {}
  int input_dim, output_dim;
  bool trainable = true;
  Matrix weights;  // (input_dim, output_dim), or empty for the initializer
};

// tfl.LSTM(units, return_sequences): nn::Lstm (above) over the time axis,
// batch first as Keras: input (m, T_x, n_x) -> (m, T_x, units) when
// return_sequences, else (m, units), the last step's a<T_x-1>. a0 = c0 = 0.
// Parameters: "W" (4 units, units + n_x) and "b" (4 units), nn::Lstm's
// layout (gates f, i, c~, o; W's first `units` columns multiply a<t-1>).
// Keras counts the same 4 units (units + n_x + 1) values. Initialized as
// Keras's LSTM apart from its orthogonal recurrent kernel: W glorot-uniform
// (fan_in units + n_x, fan_out 4 units), b zero but the forget gate's 1
// (unit_forget_bias).
struct LSTM : Spec<LSTM> {
  explicit LSTM(int units_, bool return_sequences_ = false)
      : units(units_), return_sequences(return_sequences_) {}
  int units;
  bool return_sequences;
};

// tfl.GRU(units, return_sequences) as Keras 2 makes it (reset_after=True),
// batch first: input (m, T_x, n_x) -> (m, T_x, units) or (m, units), h0 = 0.
// Per step, with [xz | xr | xh] = x<t> kernel + bias[0] and
// [hz | hr | hh] = h<t-1> recurrent_kernel + bias[1]:
//   z = σ(xz + hz)   r = σ(xr + hr)   h̃ = tanh(xh + r * hh)
//   h<t> = z * h<t-1> + (1 - z) * h̃
// The lecture's GRU (course4_seq/gru_and_deep_rnn) is the same cell with
// Γu = 1 - z and the reset gate applied before the recurrent product.
// Parameters: "kernel" (n_x, 3 units), "recurrent_kernel" (units, 3 units),
// "bias" (2, 3 units), the gates in the order z, r, h̃: Keras's
// 3 units (n_x + units + 2) values. Initialized as Keras's GRU apart from
// its orthogonal recurrent kernel: both kernels glorot-uniform, bias zero.
struct GRU : Spec<GRU> {
  explicit GRU(int units_, bool return_sequences_ = false)
      : units(units_), return_sequences(return_sequences_) {}
  int units;
  bool return_sequences;
};

template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const Embedding& spec);
template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const GRU& spec);
template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const LSTM& spec);

}  // namespace nn
}  // namespace dl

#endif  // DLCOURSE_COMMON_NN_SEQUENCE_LAYERS_H_
