// Your solutions to course4_seq/gru_and_deep_rnn. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course4_seq/gru_and_deep_rnn/...
// The formulas and shapes are in gru_and_deep_rnn.h and README.md; the given
// helpers (softmax, sigmoid, time_step, set_time_step, zeros) come from
// rnn_step_by_step/rnn_utils.h.

#include <vector>

#include "common/grading/not_implemented.h"
#include "course4_seq/gru_and_deep_rnn/gru_and_deep_rnn.h"

namespace gru_and_deep_rnn {

GruCellOutput gru_cell_forward(const Matrix& xt, const Matrix& a_prev,
                               const GruParameters& parameters) {
  // TODO: concat = [a_prev; xt] (a_prev on top);
  //       Γr = σ(Wr concat + br), Γu = σ(Wu concat + bu),
  //       c̃ = tanh(Wc [Γr * a_prev; xt] + bc),
  //       a_next = Γu * c̃ + (1 - Γu) * a_prev,
  //       yt_pred = softmax(Wy a_next + by);
  //       cache = {a_next, a_prev, Γr, Γu, c̃, xt, parameters}. (≈10 lines)
  //   Hint: `Matrix concat(n_a + n_x, m); concat << a_prev, xt;` stacks the
  //   two. The candidate needs a SECOND concatenation, with Γr * a_prev
  //   (entry by entry) on top.
  return dl::not_implemented<GruCellOutput>("gru_cell_forward");
}

GruForwardOutput gru_forward(const Tensor3& x, const Matrix& a0,
                             const GruParameters& parameters) {
  // TODO: a = zeros(n_a, m, T_x), y = zeros(n_y, m, T_x), a_next = a0;
  //       for t in 0 .. T_x-1: gru_cell_forward(time_step(x, t), a_next),
  //       store a_next and yt_pred at t, push the cache into
  //       caches.caches; finally caches.x = x. (≈10 lines)
  //   Hint: Wy is (n_y, n_a).
  return dl::not_implemented<GruForwardOutput>("gru_forward");
}

GruCellGradients gru_cell_backward(const Matrix& da_next,
                                   const GruCellCache& cache) {
  // TODO: dcct = da_next * Γu * (1 - c̃²);
  //       dut = da_next * (c̃ - a_prev) * Γu * (1 - Γu);
  //       dra = Wc[:, :n_a]ᵀ dcct;  drt = dra * a_prev * Γr * (1 - Γr);
  //       dWc = dcct [Γr * a_prev; xt]ᵀ, dWu = dut concatᵀ,
  //       dWr = drt concatᵀ, db* = Σ over the batch of d*;
  //       da_prev = da_next * (1 - Γu) + dra * Γr + Wu[:, :n_a]ᵀ dut
  //                 + Wr[:, :n_a]ᵀ drt;
  //       dxt = Wc[:, n_a:]ᵀ dcct + Wu[:, n_a:]ᵀ dut + Wr[:, n_a:]ᵀ drt.
  //       (≈20 lines)
  //   Hint: work with .array() for the entry-by-entry products;
  //   W.leftCols(n_a) is W[:, :n_a], W.rightCols(n_x) is W[:, n_a:].
  return dl::not_implemented<GruCellGradients>("gru_cell_backward");
}

GruGradients gru_backward(const Tensor3& da, const GruCaches& caches) {
  // TODO: zeros for dx (n_x, m, T_x), every dW (n_a, n_a + n_x), every db
  //       (n_a, 1) and da_prevt (n_a, m); for t = T_x-1 down to 0:
  //         grads = gru_cell_backward(da[:, :, t] + da_prevt, caches[t])
  //         da_prevt = grads.da_prev; dx[:, :, t] = grads.dxt;
  //         every dW, db += the step's
  //       da0 = da_prevt. (≈20 lines)
  //   Hint: n_x = caches.caches[0].xt.rows(); count down with a signed
  //   index: `for (Eigen::Index t = T_x - 1; t >= 0; --t)`.
  return dl::not_implemented<GruGradients>("gru_backward");
}

BrnnForwardOutput brnn_forward(const Tensor3& x, const Matrix& a0_f,
                               const Matrix& a0_b,
                               const BrnnParameters& parameters) {
  // TODO: a_f = a0_f; for t = 0 .. T_x-1:
  //         a_f = tanh(Waa_f a_f + Wax_f x[:, :, t] + ba_f); store at t;
  //       a_b = a0_b; for t = T_x-1 down to 0:
  //         a_b = tanh(Waa_b a_b + Wax_b x[:, :, t] + ba_b); store at t;
  //       for every t: y[:, :, t] = softmax(Wy [a_f<t>; a_b<t>] + by).
  //       (≈20 lines)
  //   Hint: Waa_f.rows() is n_a, Wy.rows() is n_y.
  return dl::not_implemented<BrnnForwardOutput>("brnn_forward");
}

DeepRnnForwardOutput deep_rnn_forward(const Tensor3& x,
                                      const std::vector<Matrix>& a0,
                                      const DeepRnnParameters& parameters) {
  // TODO: input = x; for each layer l (parameters.layers[l]):
  //         a_next = a0[l]; for t = 0 .. T_x-1:
  //           a_next = tanh(Waa a_next + Wax input[:, :, t] + ba); store at t
  //         push the layer's (n[l+1], m, T_x) activations into a;
  //         the next layer's input is this layer's activations;
  //       y[:, :, t] = softmax(Wy a_top[:, :, t] + by). (≈20 lines)
  //   Hint: keep the input as a Tensor3 copy (`Tensor3 input = x;` and
  //   later `input = a.back();`) rather than a pointer into the vector.
  return dl::not_implemented<DeepRnnForwardOutput>("deep_rnn_forward");
}

}  // namespace gru_and_deep_rnn
