// Your solutions to course3_cnn/conv_step_by_step. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course3_cnn/conv_step_by_step/...
// The formulas, shapes and the numpy -> Eigen table are in
// conv_step_by_step.h and README.md.

#include <utility>

#include "common/grading/not_implemented.h"
#include "course3_cnn/conv_step_by_step/conv_step_by_step.h"

namespace conv_step_by_step {

Tensor<4> zero_pad(const Tensor<4>& X, int pad) {
  // TODO: X_pad = np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)),
  //       mode='constant', constant_values=(0, 0)). (≈2 lines)
  //   Hint: X.pad(paddings) with
  //   std::array<std::pair<Index, Index>, 4> paddings =
  //       {{{0, 0}, {pad, pad}, {pad, pad}, {0, 0}}};
  //   pads with zeros; assigning the result to a Tensor<4> evaluates it.
  return dl::not_implemented<Tensor<4>>("zero_pad");
}

double conv_single_step(const Tensor<3>& a_slice_prev, const Tensor<3>& W,
                        double b) {
  // TODO: s = a_slice_prev * W (entry by entry); Z = np.sum(s); Z = Z + b.
  //   (≈3 lines)
  //   Hint: `*` between two Tensors IS entry by entry. (a * W).sum() is a
  //   Tensor<0>: store it in a `Tensor<0> s` and read the number as s().
  return dl::not_implemented<double>("conv_single_step");
}

ConvForward conv_forward(const Tensor<4>& A_prev, const Tensor<4>& W,
                         const Tensor<4>& b,
                         const ConvHparameters& hparameters) {
  // TODO: (≈20 lines)
  //   (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape; (f, f, n_C_prev, n_C)
  //   = W.shape; stride, pad from hparameters;
  //   n_H = int((n_H_prev + 2 * pad - f) / stride) + 1, n_W likewise;
  //   Z = zeros (m, n_H, n_W, n_C); A_prev_pad = zero_pad(A_prev, pad);
  //   for i in range(m):
  //     a_prev_pad = A_prev_pad[i]
  //     for h in range(n_H):
  //       vert_start = stride * h; vert_end = vert_start + f
  //       for w in range(n_W):
  //         horiz_start = stride * w; horiz_end = horiz_start + f
  //         for c in range(n_C):
  //           a_slice_prev = a_prev_pad[vert_start:vert_end,
  //                                     horiz_start:horiz_end, :]
  //           Z[i, h, w, c] = conv_single_step(a_slice_prev, W[:, :, :, c],
  //                                            b[0, 0, 0, c])
  //   cache = (A_prev, W, b, hparameters)
  //   Hint: A_prev.dimension(1) is n_H_prev. A_prev_pad.chip(i, 0) is
  //   A_prev_pad[i]; a_prev_pad.slice(Idx3{vert_start, horiz_start, 0},
  //   Idx3{f, f, n_C_prev}) takes SIZES, not ends; W.chip(c, 3) is
  //   W[:, :, :, c]. Store each in a Tensor<3>. Z(i, h, w, c) = ...;
  //   return {Z, ConvCache{A_prev, W, b, hparameters}}.
  return dl::not_implemented<ConvForward>("conv_forward");
}

PoolForward pool_forward(const Tensor<4>& A_prev,
                         const PoolHparameters& hparameters, PoolMode mode) {
  // TODO: (≈20 lines)
  //   f, stride from hparameters; n_H = int(1 + (n_H_prev - f) / stride),
  //   n_W likewise, n_C = n_C_prev; A = zeros (m, n_H, n_W, n_C);
  //   for i, h, w, c (vert_start = stride * h, horiz_start = stride * w):
  //     a_prev_slice = A_prev[i, vert_start:vert_end, horiz_start:horiz_end, c]
  //     A[i, h, w, c] = np.max(a_prev_slice)   if mode == PoolMode::kMax
  //                     np.mean(a_prev_slice)  if mode == PoolMode::kAverage
  //   cache = (A_prev, hparameters)
  //   Hint: A_prev.chip(i, 0).chip(c, 2) is A_prev[i, :, :, c], a
  //   (n_H_prev, n_W_prev) Tensor; .slice(Idx2{vert_start, horiz_start},
  //   Idx2{f, f}) is the window. Tensor<0> mx = window.maximum(); then mx().
  //   No padding here.
  return dl::not_implemented<PoolForward>("pool_forward");
}

ConvBackward conv_backward(const Tensor<4>& dZ, const ConvCache& cache) {
  // TODO: (≈25 lines)
  //   (A_prev, W, b, hparameters) = cache; shapes from A_prev, W and dZ;
  //   dA_prev, dW, db = zeros of the shapes of A_prev, W, b;
  //   A_prev_pad = zero_pad(A_prev, pad)
  //   for i in range(m):
  //     a_prev_pad = A_prev_pad[i]; da_prev_pad = zeros (the shape of
  //     a_prev_pad)
  //     for h, w, c (vert_start = stride * h, horiz_start = stride * w):
  //       a_slice = a_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :]
  //       da_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :]
  //           += W[:, :, :, c] * dZ[i, h, w, c]
  //       dW[:, :, :, c] += a_slice * dZ[i, h, w, c]
  //       db[:, :, :, c] += dZ[i, h, w, c]
  //     dA_prev[i, :, :, :] = da_prev_pad without the padding
  //   Hint: a slice or a chip can be assigned to and added to:
  //   da_prev_pad.slice(offsets, extents) += W.chip(c, 3) * dz;
  //   dW.chip(c, 3) += a_slice * dz. Unpad with
  //   da_prev_pad.slice(Idx3{pad, pad, 0}, Idx3{n_H_prev, n_W_prev, n_C_prev})
  //   (numpy's [pad:-pad] is empty when pad = 0).
  return dl::not_implemented<ConvBackward>("conv_backward");
}

Matrix create_mask_from_window(const Matrix& x) {
  // TODO: mask = (x == np.max(x)), as 1.0 / 0.0. (≈1 line)
  //   Hint: x.maxCoeff() is np.max(x); (x.array() == ...).cast<double>(),
  //   then .matrix().
  return dl::not_implemented<Matrix>("create_mask_from_window");
}

Matrix distribute_value(double dz, const WindowShape& shape) {
  // TODO: (n_H, n_W) = shape; average = dz / (n_H * n_W);
  //       a = np.ones(shape) * average. (≈3 lines)
  //   Hint: Matrix::Constant(rows, cols, value).
  return dl::not_implemented<Matrix>("distribute_value");
}

Tensor<4> pool_backward(const Tensor<4>& dA, const PoolCache& cache,
                        PoolMode mode) {
  // TODO: (≈25 lines)
  //   (A_prev, hparameters) = cache; stride, f from hparameters;
  //   dA_prev = zeros (the shape of A_prev)
  //   for i, h, w, c over dA (vert_start = stride * h, ...):
  //     if mode == PoolMode::kMax:
  //       a_prev_slice = A_prev[i, vert_start:vert_end, horiz_start:horiz_end,
  //                             c]
  //       mask = create_mask_from_window(a_prev_slice)
  //       dA_prev[i, vert_start:vert_end, horiz_start:horiz_end, c]
  //           += mask * dA[i, h, w, c]
  //     else:  (PoolMode::kAverage)
  //       dA_prev[i, vert_start:vert_end, horiz_start:horiz_end, c]
  //           += distribute_value(dA[i, h, w, c], (f, f))
  //   Hint: copy the window into a `Matrix a_prev_slice(f, f)` with two
  //   loops, a_prev_slice(r, s) = A_prev(i, vert_start + r, horiz_start + s,
  //   c), and add the (f, f) result back the same way. Windows overlap when
  //   stride < f: add (+=), never overwrite.
  return dl::not_implemented<Tensor<4>>("pool_backward");
}

}  // namespace conv_step_by_step
