// File: common/nn/layer_kernels.h  (internal to common/nn)
//
// What the layer families share: row-major maps, the per-thread scratch
// buffer, im2col / col2im in blocks of rows, column sums.

#ifndef DLCOURSE_COMMON_NN_LAYER_KERNELS_H_
#define DLCOURSE_COMMON_NN_LAYER_KERNELS_H_

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "common/core/blas.h"
#include "common/core/tensor.h"
#include "common/nn/channel_kernels.h"
#include "common/nn/layers.h"

namespace dl {
namespace nn {
namespace internal {

template <typename T>
using RowMatrix =
    Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <typename T>
using RowVector = Eigen::Matrix<T, 1, Eigen::Dynamic>;

// The thread's im2col buffer, at least n entries; shared by every layer
// (each uses it only inside one Forward or Backward call).
template <typename T>
T* Scratch(Index n) {
  thread_local Eigen::Matrix<T, Eigen::Dynamic, 1> buffer;
  if (buffer.size() < n) {
    buffer.resize(0);  // free first: no old and new buffer at once
    buffer.resize(n);
  }
  return buffer.data();
}

// Runs work(begin, end) over [0, n) in two halves, the second on the
// products' helper thread (dl::RunInTwo), when n * cost (the work's size)
// is at least kMinSplitWork; else in one piece here. The cut is at a
// multiple of `align` and depends on n alone, so work whose results do not
// depend on where it is cut (element-wise, or per image) gives the same
// bits either way.
inline constexpr double kMinSplitWork = 1 << 18;
template <typename F>
void InHalves(Index n, double cost, Index align, F work) {
  const Index half = n / 2 / align * align;
  if (double(n) * cost < kMinSplitWork || half == 0) {
    work(Index{0}, n);
    return;
  }
  RunInTwo([&] { work(Index{0}, half); }, [&] { work(half, n); });
}

// y(r, c) += bias[c] over the rows of y (channels last): a Dense or Conv2D
// layer's bias, in two halves.
template <typename T>
void AddBias(const T* bias, Array<T>* y) {
  auto Y = y->rows_by_last();
  const Index C = Y.cols();
  InHalves(Y.rows(), double(C), 1, [&](Index r0, Index r1) {
    AddToRows(bias, r1 - r0, C, Y.data() + r0 * C);
  });
}

// d = dy where y > 0, else 0: the ReLU's gradient from its output y (0
// where y is NaN). Eigen's select() and a plain loop both compile to a
// branch per entry, which a ReLU's signs mispredict half the time; this
// compares and masks a packet (4 floats or 2 doubles on SSE2) at a time.
template <typename T>
void ReluGradient(const T* __restrict y, const T* __restrict dy, Index n,
                  T* __restrict d) {
  namespace ei = Eigen::internal;
  using Packet = typename ei::packet_traits<T>::type;
  constexpr Index kWidth = ei::packet_traits<T>::size;
  const Packet zero = ei::pset1<Packet>(T(0));
  Index k = 0;
  for (; k + kWidth <= n; k += kWidth) {
    const Packet positive = ei::pcmp_lt(zero, ei::ploadu<Packet>(y + k));
    ei::pstoreu(d + k, ei::pand(positive, ei::ploadu<Packet>(dy + k)));
  }
  for (; k < n; ++k) d[k] = y[k] > T(0) ? dy[k] : T(0);
}

// The image (h, w) at rank-4 input shape (H, W, C): checks rank 3 without
// the batch.
inline void CheckImageShape(const std::string& who, const Shape& s) {
  if (s.size() != 3) {
    throw std::invalid_argument(who + " needs images (m, n_H, n_W, n_C), got " +
                                KerasShapeString(s));
  }
}

template <typename T>
using ArrayMap = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>>;
template <typename T>
using ConstArrayMap = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>>;

// dst[0, n) = src[0, n) and dst[0, n) += src[0, n) for the short rows of a
// window (3 to a few hundred entries), inlined: blocks of 4 through
// fixed-size maps (unrolled, vectorized), then the rest one by one. (A
// library memmove call, or Eigen's dynamic-size loop, which the compiler
// does not inline, costs more than such a copy.)
template <typename T>
inline void CopyShort(const T* src, Index n, T* dst) {
  using Block4 = Eigen::Array<T, 4, 1>;
  Index k = 0;
  for (; k + 4 <= n; k += 4) {
    Eigen::Map<Block4>(dst + k) = Eigen::Map<const Block4>(src + k);
  }
  if (k < n) dst[k] = src[k];
  if (k + 1 < n) dst[k + 1] = src[k + 1];
  if (k + 2 < n) dst[k + 2] = src[k + 2];
}
template <typename T>
inline void AddShort(const T* src, Index n, T* dst) {
  using Block4 = Eigen::Array<T, 4, 1>;
  Index k = 0;
  for (; k + 4 <= n; k += 4) {
    Eigen::Map<Block4>(dst + k) += Eigen::Map<const Block4>(src + k);
  }
  if (k < n) dst[k] += src[k];
  if (k + 1 < n) dst[k + 1] += src[k + 1];
  if (k + 2 < n) dst[k + 2] += src[k + 2];
}

// cols (m n_H n_W, f_H f_W C): row (i, h, w) is the window of output
// position (h, w) of example i, in (f_H, f_W, C) order, zeros in the
// padding.
// Rows r0 .. r1-1 of the im2col matrix (row r = output position (i, oh, ow)
// in row-major order) into cols (r1 - r0, f_H f_W C): the window of that
// output position in (f_H, f_W, C) order, zeros in the padding.
template <typename T>
void Im2ColRows(const T* x, const Window1D& gh, const Window1D& gw, Index C,
                Index r0, Index r1, T* cols) {
  const Index K = gh.k * gw.k * C;
  const Index span = gw.k * C;
  Index ow = r0 % gw.out, oh = (r0 / gw.out) % gh.out;
  Index i = r0 / (gw.out * gh.out);
  T* out = cols;
  for (Index r = r0; r < r1; ++r, out += K) {
    const T* xi = x + i * gh.in * gw.in * C;
    const Index h0 = oh * gh.stride - gh.before;
    const Index w0 = ow * gw.stride - gw.before;
    const bool inside_w = w0 >= 0 && w0 + gw.k <= gw.in;
    for (Index q = 0; q < gh.k; ++q) {
      T* dst = out + q * span;
      const Index hi = h0 + q;
      if (hi < 0 || hi >= gh.in) {
        ArrayMap<T>(dst, span).setZero();
        continue;
      }
      const T* row = xi + hi * gw.in * C;
      if (inside_w) {
        CopyShort(row + w0 * C, span, dst);
        continue;
      }
      for (Index s = 0; s < gw.k; ++s) {
        const Index wi = w0 + s;
        if (wi < 0 || wi >= gw.in) {
          ArrayMap<T>(dst + s * C, C).setZero();
        } else {
          CopyShort(row + wi * C, C, dst + s * C);
        }
      }
    }
    if (++ow == gw.out) {
      ow = 0;
      if (++oh == gh.out) {
        oh = 0;
        ++i;
      }
    }
  }
}

// The whole im2col matrix (m n_H n_W, f_H f_W C).
template <typename T>
void Im2Col(const T* x, Index m, const Window1D& gh, const Window1D& gw,
            Index C, T* cols) {
  Im2ColRows(x, gh, gw, C, 0, m * gh.out * gw.out, cols);
}

// The adjoint of Im2ColRows: adds the window rows r0 .. r1-1 of dcols back
// into dx (which the caller zeroes).
template <typename T>
void Col2ImRows(const T* dcols, const Window1D& gh, const Window1D& gw, Index C,
                Index r0, Index r1, T* dx) {
  const Index K = gh.k * gw.k * C;
  const Index span = gw.k * C;
  Index ow = r0 % gw.out, oh = (r0 / gw.out) % gh.out;
  Index i = r0 / (gw.out * gh.out);
  const T* in = dcols;
  for (Index r = r0; r < r1; ++r, in += K) {
    T* xi = dx + i * gh.in * gw.in * C;
    const Index h0 = oh * gh.stride - gh.before;
    const Index w0 = ow * gw.stride - gw.before;
    const bool inside_w = w0 >= 0 && w0 + gw.k <= gw.in;
    for (Index q = 0; q < gh.k; ++q) {
      const Index hi = h0 + q;
      if (hi < 0 || hi >= gh.in) continue;
      const T* src = in + q * span;
      T* row = xi + hi * gw.in * C;
      if (inside_w) {
        AddShort(src, span, row + w0 * C);
        continue;
      }
      for (Index s = 0; s < gw.k; ++s) {
        const Index wi = w0 + s;
        if (wi < 0 || wi >= gw.in) continue;
        AddShort(src + s * C, C, row + wi * C);
      }
    }
    if (++ow == gw.out) {
      ow = 0;
      if (++oh == gh.out) {
        oh = 0;
        ++i;
      }
    }
  }
}

// The whole adjoint (Conv2DTranspose's forward pass).
template <typename T>
void Col2Im(const T* dcols, Index m, const Window1D& gh, const Window1D& gw,
            Index C, T* dx) {
  Col2ImRows(dcols, gh, gw, C, 0, m * gh.out * gw.out, dx);
}

// How many im2col rows of K entries a convolution handles at once: blocks
// of about 64K entries (256 KB in float), which stay in the L2 cache from
// im2col to the matrix products (the whole matrix would go to memory and
// back: a 64x64x3 batch of 64 with a 4x4 kernel is 12.6M entries).
inline Index ChunkRows(Index K) {
  return std::max<Index>(64, (Index(1) << 16) / std::max<Index>(K, 1));
}

// True when the im2col matrix of this window is the input itself
// (1x1 kernel, stride 1, no padding).
inline bool IsPointwise(const Window1D& gh, const Window1D& gw) {
  return gh.k == 1 && gw.k == 1 && gh.stride == 1 && gw.stride == 1 &&
         gh.before == 0 && gw.before == 0 && gh.out == gh.in && gw.out == gw.in;
}

// Sum over all rows of a (rows, C) matrix, into a parameter's gradient:
// row by row (vectorized along the row; Eigen's colwise().sum() of a
// row-major matrix is not), in blocks summed in T then added in double.
template <typename T>
void ColumnSums(const Eigen::Map<const RowMatrix<T>>& m, Array<T>* out) {
  constexpr Index kBlock = 256;
  const Index N = m.rows();
  Eigen::Matrix<double, 1, Eigen::Dynamic> total =
      Eigen::Matrix<double, 1, Eigen::Dynamic>::Zero(m.cols());
  RowVector<T> block(m.cols());
  for (Index r0 = 0; r0 < N; r0 += kBlock) {
    block.setZero();
    const Index r1 = std::min(N, r0 + kBlock);
    for (Index r = r0; r < r1; ++r) block += m.row(r);
    total += block.template cast<double>();
  }
  out->vec() = total.transpose().template cast<T>();
}

}  // namespace internal
}  // namespace nn
}  // namespace dl

#endif  // DLCOURSE_COMMON_NN_LAYER_KERNELS_H_
