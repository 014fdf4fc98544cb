// Your solutions to course4_seq/rnn_step_by_step. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course4_seq/rnn_step_by_step/...
// The formulas and shapes are in rnn_step_by_step.h and README.md; the given
// helpers (softmax, sigmoid, time_step, set_time_step, zeros) in rnn_utils.h.

#include <vector>

#include "common/grading/not_implemented.h"
#include "course4_seq/rnn_step_by_step/rnn_step_by_step.h"

namespace rnn_step_by_step {

RnnCellOutput rnn_cell_forward(const Matrix& xt, const Matrix& a_prev,
                               const RnnParameters& parameters) {
  // TODO: a_next = tanh(Waa a_prev + Wax xt + ba);
  //       yt_pred = softmax(Wya a_next + by);
  //       cache = {a_next, a_prev, xt, parameters}. (≈3 lines)
  //   Hint: `(W * a).colwise() + b.col(0)` adds the bias to every column;
  //   `.array().tanh().matrix()` is np.tanh.
  return dl::not_implemented<RnnCellOutput>("rnn_cell_forward");
}

RnnForwardOutput rnn_forward(const Tensor3& x, const Matrix& a0,
                             const RnnParameters& parameters) {
  // TODO: a = zeros(n_a, m, T_x), y_pred = zeros(n_y, m, T_x), a_next = a0;
  //       for t in 0 .. T_x-1: run rnn_cell_forward on time_step(x, t) and
  //       a_next, store a_next and yt_pred at t (set_time_step), push the
  //       cache into caches.caches; finally caches.x = x. (≈10 lines)
  //   Hint: x.dimension(1) is m, x.dimension(2) is T_x; Wya is (n_y, n_a).
  return dl::not_implemented<RnnForwardOutput>("rnn_forward");
}

LstmCellOutput lstm_cell_forward(const Matrix& xt, const Matrix& a_prev,
                                 const Matrix& c_prev,
                                 const LstmParameters& parameters) {
  // TODO: concat = [a_prev; xt] (a_prev on top);
  //       Γf = σ(Wf concat + bf), Γu = σ(Wi concat + bi),
  //       c̃ = tanh(Wc concat + bc), Γo = σ(Wo concat + bo),
  //       c_next = Γf * c_prev + Γu * c̃, a_next = Γo * tanh(c_next),
  //       yt_pred = softmax(Wy a_next + by); fill the cache. (≈10 lines)
  //   Hint: `Matrix concat(n_a + n_x, m); concat << a_prev, xt;` stacks the
  //   two vertically. `*` in the formulas is entry by entry:
  //   a.cwiseProduct(b) or (a.array() * b.array()).matrix().
  return dl::not_implemented<LstmCellOutput>("lstm_cell_forward");
}

LstmForwardOutput lstm_forward(const Tensor3& x, const Matrix& a0,
                               const LstmParameters& parameters) {
  // TODO: a, c = zeros(n_a, m, T_x), y = zeros(n_y, m, T_x);
  //       a_next = a0, c_next = Matrix::Zero(n_a, m);
  //       for every t: lstm_cell_forward(time_step(x, t), a_next, c_next),
  //       store a_next, c_next, yt_pred at t and push the cache;
  //       caches.x = x. (≈12 lines)
  //   Hint: Wy is (n_y, n_a).
  return dl::not_implemented<LstmForwardOutput>("lstm_forward");
}

RnnCellGradients rnn_cell_backward(const Matrix& da_next,
                                   const RnnCellCache& cache) {
  // TODO: dtanh = da_next * (1 - a_next²)   (entry by entry; a_next is in
  //       the cache); dxt = Waxᵀ dtanh; dWax = dtanh xtᵀ;
  //       da_prev = Waaᵀ dtanh; dWaa = dtanh a_prevᵀ;
  //       dba = Σ over the batch of dtanh. (≈6 lines)
  //   Hint: M.transpose(); the sum over axis 1 with keepdims is
  //   M.rowwise().sum(), shape (n_a, 1).
  return dl::not_implemented<RnnCellGradients>("rnn_cell_backward");
}

RnnGradients rnn_backward(const Tensor3& da, const RnnCaches& caches) {
  // TODO: dx = zeros like x; dWax, dWaa, dba = zeros; da_prevt = zeros
  //       (n_a, m); for t = T_x-1 down to 0:
  //         grads = rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])
  //         da_prevt = grads.da_prev; dx[:, :, t] = grads.dxt;
  //         dWax += grads.dWax; dWaa += grads.dWaa; dba += grads.dba
  //       da0 = da_prevt. (≈15 lines)
  //   Hint: n_x = caches.caches[0].xt.rows(); time_step(da, t) is
  //   da[:, :, t]. Loop with a signed index: `for (Eigen::Index t = T_x - 1;
  //   t >= 0; --t)`.
  return dl::not_implemented<RnnGradients>("rnn_backward");
}

LstmCellGradients lstm_cell_backward(const Matrix& da_next,
                                     const Matrix& dc_next,
                                     const LstmCellCache& cache) {
  // TODO: dc = dc_next + da_next * Γo * (1 - tanh²(c_next));
  //       dot = da_next * tanh(c_next) * Γo * (1 - Γo);
  //       dcct = dc * Γu * (1 - c̃²); dit = dc * c̃ * Γu * (1 - Γu);
  //       dft = dc * c_prev * Γf * (1 - Γf);
  //       dW* = d* concatᵀ, db* = Σ over the batch of d*;
  //       da_prev = Σ W*[:, :n_a]ᵀ d*, dxt = Σ W*[:, n_a:]ᵀ d*,
  //       dc_prev = dc * Γf. (≈20 lines)
  //   Hint: work with .array() for the entry-by-entry products;
  //   W.leftCols(n_a) is W[:, :n_a], W.rightCols(n_x) is W[:, n_a:].
  return dl::not_implemented<LstmCellGradients>("lstm_cell_backward");
}

LstmGradients lstm_backward(const Tensor3& da, const LstmCaches& caches) {
  // TODO: zeros for dx, every dW (n_a, n_a + n_x) and db (n_a, 1), and for
  //       da_prevt, dc_prevt (n_a, m); for t = T_x-1 down to 0:
  //         grads = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt,
  //                                    caches[t])
  //         da_prevt = grads.da_prev; dc_prevt = grads.dc_prev;
  //         dx[:, :, t] = grads.dxt; every dW, db += the step's
  //       da0 = da_prevt. (≈25 lines)
  return dl::not_implemented<LstmGradients>("lstm_backward");
}

}  // namespace rnn_step_by_step
