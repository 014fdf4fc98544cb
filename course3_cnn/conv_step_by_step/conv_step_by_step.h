// File: course3_cnn/conv_step_by_step/conv_step_by_step.h
//
// Course 4 (our course 3), week 1, assignment 1: "Convolutional Model, Step
// by Step". The convolution and pooling layers, forward and backward, written
// with explicit loops over the output so that every index is visible.
//
// Tensors are channels-last, in numpy's index order (dl::Tensor<N> is
// row-major: A(i, h, w, c) is numpy's A[i, h, w, c]):
//   A_prev: (m, n_H_prev, n_W_prev, n_C_prev)   the layer's input
//   W:      (f, f, n_C_prev, n_C)               n_C filters of f x f
//   b:      (1, 1, 1, n_C)                      one bias per filter
//   Z, A:   (m, n_H, n_W, n_C)                  the layer's output
// with
//   n_H = floor((n_H_prev + 2 pad - f) / stride) + 1
//   n_W = floor((n_W_prev + 2 pad - f) / stride) + 1
// (for pooling, pad = 0 and n_C = n_C_prev).
//
// Output entry (h, w) sees the window of the (padded) input
//   rows    vert_start  = stride * h,  vert_end  = vert_start + f
//   columns horiz_start = stride * w,  horiz_end = horiz_start + f
//
// Eigen Tensor reminders (numpy -> Eigen):
//   A.shape[1]                  A.dimension(1)
//   A[i]                        A.chip(i, 0)            (drops dimension 0)
//   W[:, :, :, c]               W.chip(c, 3)
//   a[vs:ve, hs:he, :]          a.slice(Idx3{vs, hs, 0}, Idx3{f, f, n_C_prev})
//                               (offsets and SIZES, not ends)
//   np.sum(x), np.max, np.mean  x.sum(), x.maximum(), x.mean(): a Tensor<0>,
//                               read its value with ()
//   np.zeros((m, n_H, n_W, n_C))  Tensor<4> Z(m, n_H, n_W, n_C); Z.setZero();
//                               (a new Tensor is NOT zeroed)
//
// Exercises, in order (write them in exercise.cc):
//   1. zero_pad  2. conv_single_step  3. conv_forward  4. pool_forward
//   5. conv_backward  6. create_mask_from_window  7. distribute_value
//   8. pool_backward

#ifndef DLCOURSE_COURSE3_CNN_CONV_STEP_BY_STEP_CONV_STEP_BY_STEP_H_
#define DLCOURSE_COURSE3_CNN_CONV_STEP_BY_STEP_CONV_STEP_BY_STEP_H_

#include <array>

#include "common/core/tensor.h"

namespace conv_step_by_step {

using dl::Matrix;
template <int N>
using Tensor = dl::Tensor<N>;
using Index = Eigen::Index;
// Offsets and sizes for Tensor::slice: a.slice(Idx3{0, 1, 0}, Idx3{2, 2, 3}).
using Idx2 = std::array<Index, 2>;
using Idx3 = std::array<Index, 3>;
using Idx4 = std::array<Index, 4>;

// The course's hparameters dict {"stride": ..., "pad": ...} of a CONV layer.
struct ConvHparameters {
  int stride = 1;
  int pad = 0;
};

// The course's hparameters dict {"stride": ..., "f": ...} of a POOL layer.
struct PoolHparameters {
  int stride = 1;
  int f = 2;  // the window is f x f
};

// The course's mode = "max" / "average".
enum class PoolMode { kMax, kAverage };

// Pads the height and width of every image with `pad` zeros on each side
// (np.pad with ((0, 0), (pad, pad), (pad, pad), (0, 0))).
//   X: (m, n_H, n_W, n_C)  ->  (m, n_H + 2 pad, n_W + 2 pad, n_C)
Tensor<4> zero_pad(const Tensor<4>& X, int pad);

// One filter on one window: Z = Σ (a_slice_prev ⊙ W) + b.
//   a_slice_prev: (f, f, n_C_prev)  W: (f, f, n_C_prev)  b: a number
//   -> a number
double conv_single_step(const Tensor<3>& a_slice_prev, const Tensor<3>& W,
                        double b);

// What conv_forward keeps for conv_backward: the course's
// (A_prev, W, b, hparameters).
struct ConvCache {
  Tensor<4> A_prev;  // (m, n_H_prev, n_W_prev, n_C_prev), NOT padded
  Tensor<4> W;       // (f, f, n_C_prev, n_C)
  Tensor<4> b;       // (1, 1, 1, n_C)
  ConvHparameters hparameters;
};

struct ConvForward {
  Tensor<4> Z;      // (m, n_H, n_W, n_C), no activation
  ConvCache cache;  // A_prev, W, b, hparameters
};

// The forward pass of a CONV layer: pad A_prev, then for every example i,
// output position (h, w) and filter c:
//   Z[i, h, w, c] = conv_single_step(
//       A_prev_pad[i, vert_start:vert_end, horiz_start:horiz_end, :],
//       W[:, :, :, c], b[0, 0, 0, c])
//   A_prev: (m, n_H_prev, n_W_prev, n_C_prev)  W: (f, f, n_C_prev, n_C)
//   b: (1, 1, 1, n_C)  ->  Z: (m, n_H, n_W, n_C)
ConvForward conv_forward(const Tensor<4>& A_prev, const Tensor<4>& W,
                         const Tensor<4>& b,
                         const ConvHparameters& hparameters);

// What pool_forward keeps for pool_backward: the course's
// (A_prev, hparameters).
struct PoolCache {
  Tensor<4> A_prev;  // (m, n_H_prev, n_W_prev, n_C)
  PoolHparameters hparameters;
};

struct PoolForward {
  Tensor<4> A;      // (m, n_H, n_W, n_C)
  PoolCache cache;  // A_prev, hparameters
};

// The forward pass of a POOL layer (no padding, no parameters), channel by
// channel:
//   A[i, h, w, c] = max (or mean) of
//                   A_prev[i, vert_start:vert_end, horiz_start:horiz_end, c]
//   A_prev: (m, n_H_prev, n_W_prev, n_C)  ->  A: (m, n_H, n_W, n_C)
PoolForward pool_forward(const Tensor<4>& A_prev,
                         const PoolHparameters& hparameters,
                         PoolMode mode = PoolMode::kMax);

// The gradients of a CONV layer.
struct ConvBackward {
  Tensor<4> dA_prev;  // (m, n_H_prev, n_W_prev, n_C_prev), the shape of A_prev
  Tensor<4> dW;       // (f, f, n_C_prev, n_C), the shape of W
  Tensor<4> db;       // (1, 1, 1, n_C), the shape of b
};

// The backward pass of conv_forward, given dZ = ∂J/∂Z. For every i, h, w, c
// (the forward pass read a_slice = a_prev_pad[vert_start:vert_end,
// horiz_start:horiz_end, :]):
//   da_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :]
//                                       += W[:, :, :, c] * dZ[i, h, w, c]
//   dW[:, :, :, c] += a_slice * dZ[i, h, w, c]
//   db[:, :, :, c] += dZ[i, h, w, c]
// then dA_prev[i] = da_prev_pad without its padding. No 1/m: these are the
// gradients of J itself.
//   dZ: (m, n_H, n_W, n_C), cache from conv_forward.
ConvBackward conv_backward(const Tensor<4>& dZ, const ConvCache& cache);

// Where the max of a window is: 1 where x == max(x), 0 elsewhere.
//   x: (f, f) (any shape)  ->  the same shape, entries 0 or 1.
Matrix create_mask_from_window(const Matrix& x);

// The shape of a window, (n_H, n_W).
struct WindowShape {
  int n_H = 0;
  int n_W = 0;
};

// Spreads dz evenly over a window of the given shape: every entry is
// dz / (n_H n_W).
//   dz: a number, shape (n_H, n_W)  ->  (n_H, n_W)
Matrix distribute_value(double dz, const WindowShape& shape);

// The backward pass of pool_forward, given dA = ∂J/∂A. For every i, h, w, c:
//   max:     mask = create_mask_from_window(
//                A_prev[i, vert_start:vert_end, horiz_start:horiz_end, c])
//            dA_prev[i, vert_start:vert_end, horiz_start:horiz_end, c]
//                += mask * dA[i, h, w, c]
//   average: dA_prev[i, vert_start:vert_end, horiz_start:horiz_end, c]
//                += distribute_value(dA[i, h, w, c], (f, f))
//   dA: (m, n_H, n_W, n_C), cache from pool_forward
//   ->  dA_prev: (m, n_H_prev, n_W_prev, n_C)
Tensor<4> pool_backward(const Tensor<4>& dA, const PoolCache& cache,
                        PoolMode mode = PoolMode::kMax);

// The reference solution (reference.cc) has the same functions, in
// conv_step_by_step::reference. The grader compares yours with it.
namespace reference {
decltype(conv_step_by_step::zero_pad) zero_pad;
decltype(conv_step_by_step::conv_single_step) conv_single_step;
decltype(conv_step_by_step::conv_forward) conv_forward;
decltype(conv_step_by_step::pool_forward) pool_forward;
decltype(conv_step_by_step::conv_backward) conv_backward;
decltype(conv_step_by_step::create_mask_from_window) create_mask_from_window;
decltype(conv_step_by_step::distribute_value) distribute_value;
decltype(conv_step_by_step::pool_backward) pool_backward;
}  // namespace reference

}  // namespace conv_step_by_step

#endif  // DLCOURSE_COURSE3_CNN_CONV_STEP_BY_STEP_CONV_STEP_BY_STEP_H_
