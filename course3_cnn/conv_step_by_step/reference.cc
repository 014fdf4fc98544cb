// The reference solution of course3_cnn/conv_step_by_step, written with the
// course's loops (vert_start, horiz_start, ...). Clarity first; the one
// concession to speed is taking each filter W[:, :, :, c] out of W once
// instead of at every output position.

#include <utility>
#include <vector>

#include "course3_cnn/conv_step_by_step/conv_step_by_step.h"

namespace conv_step_by_step {
namespace reference {

Tensor<4> zero_pad(const Tensor<4>& X, int pad) {
  const std::array<std::pair<Index, Index>, 4> paddings = {
      {{0, 0}, {pad, pad}, {pad, pad}, {0, 0}}};
  return X.pad(paddings);
}

double conv_single_step(const Tensor<3>& a_slice_prev, const Tensor<3>& W,
                        double b) {
  // Σ (a_slice_prev ⊙ W): the two windows keep their entries in the same
  // (row-major) order, so this is the dot product of the two as vectors.
  const Eigen::Map<const Eigen::VectorXd> a(a_slice_prev.data(),
                                            a_slice_prev.size());
  const Eigen::Map<const Eigen::VectorXd> w(W.data(), W.size());
  return a.dot(w) + b;
}

ConvForward conv_forward(const Tensor<4>& A_prev, const Tensor<4>& W,
                         const Tensor<4>& b,
                         const ConvHparameters& hparameters) {
  const Index m = A_prev.dimension(0);
  const Index n_H_prev = A_prev.dimension(1);
  const Index n_W_prev = A_prev.dimension(2);
  const Index n_C_prev = A_prev.dimension(3);
  const Index f = W.dimension(0);
  const Index n_C = W.dimension(3);
  const int stride = hparameters.stride;
  const int pad = hparameters.pad;

  const Index n_H = (n_H_prev + 2 * pad - f) / stride + 1;
  const Index n_W = (n_W_prev + 2 * pad - f) / stride + 1;

  Tensor<4> Z(m, n_H, n_W, n_C);
  Z.setZero();
  const Tensor<4> A_prev_pad = reference::zero_pad(A_prev, pad);
  // W[:, :, :, c] for every filter c, taken out of W once.
  std::vector<Tensor<3>> filters(n_C);
  for (Index c = 0; c < n_C; ++c) filters[c] = W.chip(c, 3);

  for (Index i = 0; i < m; ++i) {
    const Tensor<3> a_prev_pad = A_prev_pad.chip(i, 0);
    for (Index h = 0; h < n_H; ++h) {
      const Index vert_start = stride * h;
      // vert_end = vert_start + f: the slice below takes f rows.
      for (Index w = 0; w < n_W; ++w) {
        const Index horiz_start = stride * w;
        // horiz_end = horiz_start + f.
        // a_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :]
        const Tensor<3> a_slice_prev = a_prev_pad.slice(
            Idx3{vert_start, horiz_start, 0}, Idx3{f, f, n_C_prev});
        for (Index c = 0; c < n_C; ++c) {
          Z(i, h, w, c) = reference::conv_single_step(a_slice_prev, filters[c],
                                                      b(0, 0, 0, c));
        }
      }
    }
  }
  return {Z, ConvCache{A_prev, W, b, hparameters}};
}

PoolForward pool_forward(const Tensor<4>& A_prev,
                         const PoolHparameters& hparameters, PoolMode mode) {
  const Index m = A_prev.dimension(0);
  const Index n_H_prev = A_prev.dimension(1);
  const Index n_W_prev = A_prev.dimension(2);
  const Index n_C_prev = A_prev.dimension(3);
  const int f = hparameters.f;
  const int stride = hparameters.stride;

  const Index n_H = (n_H_prev - f) / stride + 1;
  const Index n_W = (n_W_prev - f) / stride + 1;
  const Index n_C = n_C_prev;

  Tensor<4> A(m, n_H, n_W, n_C);
  A.setZero();
  for (Index i = 0; i < m; ++i) {
    for (Index h = 0; h < n_H; ++h) {
      const Index vert_start = stride * h;
      for (Index w = 0; w < n_W; ++w) {
        const Index horiz_start = stride * w;
        for (Index c = 0; c < n_C; ++c) {
          // A_prev[i, vert_start:vert_end, horiz_start:horiz_end, c]
          const Tensor<2> a_prev_slice = A_prev.chip(i, 0).chip(c, 2).slice(
              Idx2{vert_start, horiz_start}, Idx2{f, f});
          const Tensor<0> pooled = mode == PoolMode::kMax
                                       ? Tensor<0>(a_prev_slice.maximum())
                                       : Tensor<0>(a_prev_slice.mean());
          A(i, h, w, c) = pooled();
        }
      }
    }
  }
  return {A, PoolCache{A_prev, hparameters}};
}

ConvBackward conv_backward(const Tensor<4>& dZ, const ConvCache& cache) {
  const Tensor<4>& A_prev = cache.A_prev;
  const Tensor<4>& W = cache.W;
  const Index m = A_prev.dimension(0);
  const Index n_H_prev = A_prev.dimension(1);
  const Index n_W_prev = A_prev.dimension(2);
  const Index n_C_prev = A_prev.dimension(3);
  const Index f = W.dimension(0);
  const int stride = cache.hparameters.stride;
  const int pad = cache.hparameters.pad;
  const Index n_H = dZ.dimension(1);
  const Index n_W = dZ.dimension(2);
  const Index n_C = dZ.dimension(3);

  ConvBackward grads;
  grads.dA_prev = Tensor<4>(m, n_H_prev, n_W_prev, n_C_prev);
  grads.dA_prev.setZero();
  grads.dW = Tensor<4>(f, f, n_C_prev, n_C);
  grads.dW.setZero();
  grads.db = Tensor<4>(1, 1, 1, n_C);
  grads.db.setZero();

  // W[:, :, :, c] and dW[:, :, :, c] for every filter c, as separate
  // tensors; dW gets its filters' gradients back at the end.
  std::vector<Tensor<3>> filters(n_C), dfilters(n_C);
  for (Index c = 0; c < n_C; ++c) {
    filters[c] = W.chip(c, 3);
    dfilters[c] = Tensor<3>(f, f, n_C_prev);
    dfilters[c].setZero();
  }

  const Tensor<4> A_prev_pad = reference::zero_pad(A_prev, pad);
  for (Index i = 0; i < m; ++i) {
    const Tensor<3> a_prev_pad = A_prev_pad.chip(i, 0);
    Tensor<3> da_prev_pad(n_H_prev + 2 * pad, n_W_prev + 2 * pad, n_C_prev);
    da_prev_pad.setZero();
    for (Index h = 0; h < n_H; ++h) {
      const Index vert_start = stride * h;
      for (Index w = 0; w < n_W; ++w) {
        const Index horiz_start = stride * w;
        const Idx3 offsets{vert_start, horiz_start, 0};
        const Idx3 extents{f, f, n_C_prev};
        const Tensor<3> a_slice = a_prev_pad.slice(offsets, extents);
        for (Index c = 0; c < n_C; ++c) {
          // In the forward pass this was:
          //   Z[i, h, w, c] = Σ (a_slice ⊙ W[:, :, :, c]) + b[0, 0, 0, c]
          // so now we have:
          const double dz = dZ(i, h, w, c);
          da_prev_pad.slice(offsets, extents) += filters[c] * dz;
          dfilters[c] += a_slice * dz;  // dW[:, :, :, c]
          grads.db(0, 0, 0, c) += dz;
        }
      }
    }
    // Unpad: da_prev_pad[pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    // (the course's [pad:-pad] would be empty for pad = 0).
    grads.dA_prev.chip(i, 0) = da_prev_pad.slice(
        Idx3{pad, pad, 0}, Idx3{n_H_prev, n_W_prev, n_C_prev});
  }
  for (Index c = 0; c < n_C; ++c) grads.dW.chip(c, 3) = dfilters[c];
  return grads;
}

Matrix create_mask_from_window(const Matrix& x) {
  return (x.array() == x.maxCoeff()).cast<double>().matrix();
}

Matrix distribute_value(double dz, const WindowShape& shape) {
  const double average = dz / (shape.n_H * shape.n_W);
  return Matrix::Constant(shape.n_H, shape.n_W, average);
}

Tensor<4> pool_backward(const Tensor<4>& dA, const PoolCache& cache,
                        PoolMode mode) {
  const Tensor<4>& A_prev = cache.A_prev;
  const int stride = cache.hparameters.stride;
  const int f = cache.hparameters.f;
  const Index m = dA.dimension(0);
  const Index n_H = dA.dimension(1);
  const Index n_W = dA.dimension(2);
  const Index n_C = dA.dimension(3);

  Tensor<4> dA_prev(A_prev.dimensions());
  dA_prev.setZero();
  for (Index i = 0; i < m; ++i) {
    for (Index h = 0; h < n_H; ++h) {
      const Index vert_start = stride * h;
      for (Index w = 0; w < n_W; ++w) {
        const Index horiz_start = stride * w;
        for (Index c = 0; c < n_C; ++c) {
          // The gradient of this output entry, spread over its f x f window.
          Matrix da_window;
          if (mode == PoolMode::kMax) {
            // a_prev_slice = A_prev[i, vert_start:vert_end,
            //                       horiz_start:horiz_end, c]
            Matrix a_prev_slice(f, f);
            for (int r = 0; r < f; ++r) {
              for (int s = 0; s < f; ++s) {
                a_prev_slice(r, s) =
                    A_prev(i, vert_start + r, horiz_start + s, c);
              }
            }
            const Matrix mask =
                reference::create_mask_from_window(a_prev_slice);
            da_window = mask * dA(i, h, w, c);
          } else {
            da_window = reference::distribute_value(dA(i, h, w, c), {f, f});
          }
          // dA_prev[i, vert_start:vert_end, horiz_start:horiz_end, c]
          //     += da_window
          for (int r = 0; r < f; ++r) {
            for (int s = 0; s < f; ++s) {
              dA_prev(i, vert_start + r, horiz_start + s, c) += da_window(r, s);
            }
          }
        }
      }
    }
  }
  return dA_prev;
}

}  // namespace reference
}  // namespace conv_step_by_step
