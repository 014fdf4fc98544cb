// File: course4_seq/gru_and_deep_rnn/gru_and_deep_rnn.h
//
// Course 5, week 1, the lectures after the LSTM: the gated recurrent unit
// (GRU, "the full GRU" of the lecture), bidirectional RNNs and deep RNNs.
// The course has no notebook for them; this unit builds them the way
// rnn_step_by_step built the RNN and the LSTM: one cell, then a sequence,
// forward and backward.
//
// Shapes (the course's layout: one example per COLUMN, time last):
//   x: (n_x, m, T_x)   xt = x[:, :, t]: (n_x, m)
//   a: (n_a, m, T_x)   a_prev, a_next: (n_a, m)
//   y: (n_y, m, T_x)   yt_pred: (n_y, m)
// The helpers of rnn_step_by_step/rnn_utils.h are available here without
// a prefix: softmax, sigmoid, time_step(x, t) (x[:, :, t]),
// set_time_step(a, t, a_next) (a[:, :, t] = a_next), zeros(n, m, T_x).
//
// THE GRU CONVENTION (the lecture's; c = a for the GRU). With
// concat = [a_prev; xt] ((n_a + n_x, m), a_prev FIRST, as for the LSTM):
//   Γr = σ(Wr concat + br)                    relevance gate
//   Γu = σ(Wu concat + bu)                    update gate
//   c̃  = tanh(Wc [Γr * a_prev; xt] + bc)      candidate
//   a_next = Γu * c̃ + (1 - Γu) * a_prev
// Γu = 1 writes the candidate, Γu = 0 keeps the old state. PyTorch's
// nn.GRU differs twice: its update gate z multiplies the OLD state,
// h = (1 - z) * n + z * h_prev (so z plays 1 - Γu), and its reset gate r
// multiplies (W_hn h_prev + b_hn), AFTER the matrix product, where the
// lecture multiplies a_prev before it. (Keras's GRU, with its default
// reset_after=True, does the same as PyTorch.) Same family, other numbers.
//
// Eigen reminder: `*` between two Matrix objects is the MATRIX product;
// the entry-by-entry product is a.cwiseProduct(b) or a.array() * b.array().
// Eigen never broadcasts: W a + b is `(W * a).colwise() + b.col(0)`.
//
// Exercises, in order (write them in exercise.cc):
//   1. gru_cell_forward    2. gru_forward
//   3. gru_cell_backward   4. gru_backward
//   5. brnn_forward        6. deep_rnn_forward

#ifndef DLCOURSE_COURSE4_SEQ_GRU_AND_DEEP_RNN_GRU_AND_DEEP_RNN_H_
#define DLCOURSE_COURSE4_SEQ_GRU_AND_DEEP_RNN_GRU_AND_DEEP_RNN_H_

#include <vector>

#include "common/core/tensor.h"
#include "course4_seq/rnn_step_by_step/rnn_utils.h"

namespace gru_and_deep_rnn {

using dl::Matrix;
using rnn_step_by_step::set_time_step;
using rnn_step_by_step::sigmoid;
using rnn_step_by_step::softmax;
using rnn_step_by_step::Tensor3;
using rnn_step_by_step::time_step;
using rnn_step_by_step::zeros;

// ===================================================================== GRU

// The GRU's parameters. The three gate weights act on a concatenation with
// a_prev FIRST, so they are (n_a, n_a + n_x): the first n_a columns multiply
// a_prev (for Wc: Γr * a_prev), the last n_x columns multiply xt.
struct GruParameters {
  Matrix Wr, br;  // relevance gate Γr   (n_a, n_a + n_x), (n_a, 1)
  Matrix Wu, bu;  // update gate Γu      (n_a, n_a + n_x), (n_a, 1)
  Matrix Wc, bc;  // candidate c̃         (n_a, n_a + n_x), (n_a, 1)
  Matrix Wy, by;  // prediction          (n_y, n_a), (n_y, 1)
};

// What gru_cell_forward keeps for gru_cell_backward. Every matrix is
// (n_a, m) except xt (n_x, m).
struct GruCellCache {
  Matrix a_next;  // a<t>
  Matrix a_prev;  // a<t-1>
  Matrix rt;      // Γr<t>, the relevance gate
  Matrix ut;      // Γu<t>, the update gate
  Matrix cct;     // c̃<t>, the candidate
  Matrix xt;      // x<t>
  GruParameters parameters;
};

struct GruCellOutput {
  Matrix a_next;   // (n_a, m)
  Matrix yt_pred;  // (n_y, m)
  GruCellCache cache;
};

// Exercise 1. One time step of the GRU, with concat = [a_prev; xt]:
//   Γr = σ(Wr concat + br)       Γu = σ(Wu concat + bu)
//   c̃  = tanh(Wc [Γr * a_prev; xt] + bc)     (* is entry by entry)
//   a_next = Γu * c̃ + (1 - Γu) * a_prev
//   yt_pred = softmax(Wy a_next + by)
//   xt: (n_x, m)  a_prev: (n_a, m)  ->  a_next (n_a, m), yt_pred (n_y, m),
//   cache = (a_next, a_prev, Γr, Γu, c̃, xt, parameters).
GruCellOutput gru_cell_forward(const Matrix& xt, const Matrix& a_prev,
                               const GruParameters& parameters);

// One cell cache per time step, and x (the course's `caches = (caches, x)`).
struct GruCaches {
  std::vector<GruCellCache> caches;  // caches[t] for t = 0 .. T_x-1
  Tensor3 x;                         // (n_x, m, T_x)
};

struct GruForwardOutput {
  Tensor3 a;  // (n_a, m, T_x) hidden states
  Tensor3 y;  // (n_y, m, T_x) predictions
  GruCaches caches;
};

// Exercise 2. The GRU over the whole sequence: a_next = a0, then for
// t = 0 .. T_x-1 one gru_cell_forward on x[:, :, t]; store a_next in
// a[:, :, t], yt_pred in y[:, :, t], and the cache in caches.
//   x: (n_x, m, T_x)  a0: (n_a, m)
GruForwardOutput gru_forward(const Tensor3& x, const Matrix& a0,
                             const GruParameters& parameters);

// ======================================================= GRU backward pass

// The gradients of one GRU cell.
struct GruCellGradients {
  Matrix dxt;            // (n_x, m)
  Matrix da_prev;        // (n_a, m)
  Matrix dWr, dWu, dWc;  // (n_a, n_a + n_x)
  Matrix dbr, dbu, dbc;  // (n_a, 1)
};

// Exercise 3. Backward through one GRU cell (not the softmax output: da_next
// = ∂J/∂a<t> arrives from outside). With concat = [a_prev; xt] and
// concat_r = [Γr * a_prev; xt], the gradients at the pre-activations:
//   dcct = da_next * Γu * (1 - c̃²)                   (c̃ = tanh(...))
//   dut  = da_next * (c̃ - a_prev) * Γu * (1 - Γu)    (a_next is linear in Γu)
//   dra  = Wc[:, :n_a]ᵀ dcct                          (∂J/∂(Γr * a_prev))
//   drt  = dra * a_prev * Γr * (1 - Γr)
// The parameters (db* = Σ over the batch, axis 1, of the same d*):
//   dWc = dcct concat_rᵀ     dWu = dut concatᵀ     dWr = drt concatᵀ
// The inputs: a_prev reaches a_next four ways (directly, inside the
// candidate through Γr * a_prev, and through each gate):
//   da_prev = da_next * (1 - Γu) + dra * Γr
//             + Wu[:, :n_a]ᵀ dut + Wr[:, :n_a]ᵀ drt
//   dxt     = Wc[:, n_a:]ᵀ dcct + Wu[:, n_a:]ᵀ dut + Wr[:, n_a:]ᵀ drt
//   da_next: (n_a, m)
GruCellGradients gru_cell_backward(const Matrix& da_next,
                                   const GruCellCache& cache);

// The gradients of the whole GRU sequence.
struct GruGradients {
  Tensor3 dx;            // (n_x, m, T_x)
  Matrix da0;            // (n_a, m)
  Matrix dWr, dWu, dWc;  // (n_a, n_a + n_x)
  Matrix dbr, dbu, dbc;  // (n_a, 1)
};

// Exercise 4. Backpropagation through time for the GRU. da[:, :, t] =
// ∂J/∂a<t> from the outputs of step t only. da_prevt starts at zeros
// (n_a, m); for t = T_x-1 down to 0:
//   grads = gru_cell_backward(da[:, :, t] + da_prevt, caches.caches[t])
//   da_prevt = grads.da_prev;  dx[:, :, t] = grads.dxt;
//   dW* += grads.dW*;  db* += grads.db*
// and finally da0 = da_prevt.
//   da: (n_a, m, T_x)
GruGradients gru_backward(const Tensor3& da, const GruCaches& caches);

// =========================================================== bidirectional

// A bidirectional RNN of basic RNN cells: one set of weights per direction,
// one prediction from both.
struct BrnnParameters {
  Matrix Wax_f, Waa_f, ba_f;  // forward direction:  (n_a, n_x), (n_a, n_a),
                              //                     (n_a, 1)
  Matrix Wax_b, Waa_b, ba_b;  // backward direction: the same shapes
  Matrix Wy;                  // (n_y, 2 n_a): acts on [a_f<t>; a_b<t>]
  Matrix by;                  // (n_y, 1)
};

struct BrnnForwardOutput {
  Tensor3 a_f;  // (n_a, m, T_x) forward activations, a_f[:, :, t] = a_f<t>
  Tensor3 a_b;  // (n_a, m, T_x) backward activations, a_b[:, :, t] = a_b<t>
  Tensor3 y;    // (n_y, m, T_x) predictions
};

// Exercise 5. The bidirectional RNN, basic RNN cells in both directions:
//   forward,  t = 0 .. T_x-1, from a_f<-1> = a0_f:
//     a_f<t> = tanh(Waa_f a_f<t-1> + Wax_f x<t> + ba_f)
//   backward, t = T_x-1 down to 0, from a_b<T_x> = a0_b:
//     a_b<t> = tanh(Waa_b a_b<t+1> + Wax_b x<t> + ba_b)
//   then for every t:  y<t> = softmax(Wy [a_f<t>; a_b<t>] + by)
// so y<t> sees the whole sequence: x<0..t> through a_f, x<t..T_x-1>
// through a_b.
//   x: (n_x, m, T_x)  a0_f, a0_b: (n_a, m)
BrnnForwardOutput brnn_forward(const Tensor3& x, const Matrix& a0_f,
                               const Matrix& a0_b,
                               const BrnnParameters& parameters);

// ===================================================================== deep

// The weights of one basic RNN layer. Layer l's input is layer l-1's
// activation (x for the first layer), so with n[0] = n_x and n[l] the size
// of layer l:
struct RnnLayerParameters {
  Matrix Wax;  // (n[l], n[l-1])  multiplies the layer's input at time t
  Matrix Waa;  // (n[l], n[l])    multiplies the layer's own a<t-1>
  Matrix ba;   // (n[l], 1)
};

struct DeepRnnParameters {
  // layers[0] is the lecture's layer 1 (it reads x), layers[L-1] its layer L.
  std::vector<RnnLayerParameters> layers;
  Matrix Wy;  // (n_y, n[L]): the prediction reads the TOP layer
  Matrix by;  // (n_y, 1)
};

struct DeepRnnForwardOutput {
  std::vector<Tensor3> a;  // a[l]: (n[l+1], m, T_x), the activations of
                           // layers[l] (the lecture's a^[l+1])
  Tensor3 y;               // (n_y, m, T_x)
};

// Exercise 6. L stacked basic RNN layers (the lecture's deep RNN):
//   a^[l]<t> = tanh(Waa^[l] a^[l]<t-1> + Wax^[l] a^[l-1]<t> + ba^[l])
// with a^[0]<t> = x<t> and a^[l]<-1> = a0[l-1]: layer l reads layer l-1 at
// the SAME time step t. Then y<t> = softmax(Wy a^[L]<t> + by).
//   x: (n_x, m, T_x)  a0: L matrices, a0[l] (n[l+1], m)
DeepRnnForwardOutput deep_rnn_forward(const Tensor3& x,
                                      const std::vector<Matrix>& a0,
                                      const DeepRnnParameters& parameters);

// The reference solution (reference.cc) has the same functions, in
// gru_and_deep_rnn::reference. The grader compares yours with it.
namespace reference {
decltype(gru_and_deep_rnn::gru_cell_forward) gru_cell_forward;
decltype(gru_and_deep_rnn::gru_forward) gru_forward;
decltype(gru_and_deep_rnn::gru_cell_backward) gru_cell_backward;
decltype(gru_and_deep_rnn::gru_backward) gru_backward;
decltype(gru_and_deep_rnn::brnn_forward) brnn_forward;
decltype(gru_and_deep_rnn::deep_rnn_forward) deep_rnn_forward;
}  // namespace reference

}  // namespace gru_and_deep_rnn

#endif  // DLCOURSE_COURSE4_SEQ_GRU_AND_DEEP_RNN_GRU_AND_DEEP_RNN_H_
