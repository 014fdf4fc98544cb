// File: common/nn/pooling_layers.cc
//
// The pooling layers of layers.h: MaxPool2D, AveragePool2D and
// GlobalAveragePooling2D (the course's loops: conv_step_by_step).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/core/random.h"
#include "common/core/tensor.h"
#include "common/nn/layer_kernels.h"
#include "common/nn/layers.h"

namespace dl {
namespace nn {
namespace {

using namespace internal;  // NOLINT: the shared kernels of layer_kernels.h

// ---------------------------------------------------------------- pooling

template <typename T>
class PoolLayer : public Layer<T> {
 public:
  PoolLayer(bool max, Size2 pool, Size2 strides, Padding padding,
            const std::string& name)
      : max_(max), pool_(pool), strides_(strides), padding_(padding) {
    if (strides_.h == 0) strides_.h = pool_.h;
    if (strides_.w == 0) strides_.w = pool_.w;
    this->set_name(name);
  }
  std::string type() const override {
    return max_ ? "MaxPooling2D" : "AveragePooling2D";
  }
  std::string default_name() const override {
    return max_ ? "max_pooling2d" : "average_pooling2d";
  }

 protected:
  Shape DoBuild(const std::vector<Shape>& in, RandomState&) override {
    CheckImageShape(this->Describe(), in[0]);
    try {
      gh_ = ConvWindow(in[0][0], pool_.h, strides_.h, padding_);
      gw_ = ConvWindow(in[0][1], pool_.w, strides_.w, padding_);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(this->Describe() + ": " + e.what());
    }
    C_ = in[0][2];
    return {gh_.out, gw_.out, C_};
  }

  // The input rows (or columns) [lo, hi) of output row (or column) `out`:
  // its window, clipped to the input (padding has no cells).
  struct Span {
    Index lo, hi;
  };
  static Span Cells(const Window1D& g, Index out) {
    const Index start = out * g.stride - g.before;
    return {std::max<Index>(start, 0), std::min<Index>(start + g.k, g.in)};
  }

  // Calls f(output offset, input offsets of the window's real cells in
  // (row, column) order) for every output position of the images
  // [first, last); offsets are of the first channel.
  template <typename F>
  void ForEachWindow(Index first, Index last, F f) const {
    std::vector<Index> cells;
    cells.reserve(gh_.k * gw_.k);
    Index out = first * gh_.out * gw_.out * C_;
    for (Index i = first; i < last; ++i) {
      for (Index oh = 0; oh < gh_.out; ++oh) {
        const Span rows = Cells(gh_, oh);
        for (Index ow = 0; ow < gw_.out; ++ow, out += C_) {
          const Span cols = Cells(gw_, ow);
          cells.clear();
          for (Index hi = rows.lo; hi < rows.hi; ++hi) {
            for (Index wi = cols.lo; wi < cols.hi; ++wi) {
              cells.push_back(((i * gh_.in + hi) * gw_.in + wi) * C_);
            }
          }
          f(out, cells);
        }
      }
    }
  }

  void DoForward(const std::vector<const Array<T>*>& inputs, Array<T>* output,
                 bool) override {
    const Array<T>& x = *inputs[0];
    const Index m = x.dim(0), C = C_;
    output->Resize({m, gh_.out, gw_.out, C});
    const bool apart = gh_.stride >= gh_.k && gw_.stride >= gw_.k;
    // Image by image, the batch in two halves (each image's windows alone).
    InHalves(m, ImageWork(), 1, [&](Index i0, Index i1) {
      if (max_ && apart) {
        MaxForwardApart(i0, i1, x.data(), output->data());
        return;
      }
      ForEachWindow(i0, i1, [&](Index o, const std::vector<Index>& cells) {
        ArrayMap<T> out(output->data() + o, C);
        if (cells.empty()) {  // a window of padding only
          out.setZero();
          return;
        }
        out = ConstArrayMap<T>(x.data() + cells[0], C);
        for (size_t k = 1; k < cells.size(); ++k) {
          const ConstArrayMap<T> p(x.data() + cells[k], C);
          if (max_) {
            out = out.max(p);
          } else {
            out += p;
          }
        }
        if (!max_) out *= T(1) / T(cells.size());
      });
    });
  }

  // Max: the gradient goes to the first entry of the window (in row, column
  // order) equal to the max, found again here branch-free; average: spread
  // evenly over the window's real entries.
  void DoBackward(const std::vector<const Array<T>*>& inputs,
                  const Array<T>& output, const Array<T>& doutput,
                  const std::vector<Array<T>*>& dinputs) override {
    Array<T>* dx = dinputs[0];
    if (dx == nullptr) return;
    const Array<T>& x = *inputs[0];
    const Index C = C_;
    dx->Resize(x.shape());
    dx->SetZero();
    // Each image's windows write only into that image of dx: the halves of
    // the batch do not meet.
    const bool apart = gh_.stride >= gh_.k && gw_.stride >= gw_.k;
    namespace ei = Eigen::internal;
    using Packet = typename ei::packet_traits<T>::type;
    constexpr Index kWidth = ei::packet_traits<T>::size;
    InHalves(x.dim(0), ImageWork(), 1, [&](Index i0, Index i1) {
      if (max_ && apart) {
        MaxBackwardApart(i0, i1, x.data(), output.data(), doutput.data(),
                         dx->data());
        return;
      }
      ForEachWindow(i0, i1, [&](Index o, const std::vector<Index>& cells) {
        const T* dy = doutput.data() + o;
        if (!max_) {
          const T inv = T(1) / T(std::max<size_t>(cells.size(), 1));
          for (Index cell : cells) {
            ArrayMap<T>(dx->data() + cell, C) += ConstArrayMap<T>(dy, C) * inv;
          }
          return;
        }
        const T* y = output.data() + o;
        if (cells.empty()) return;
        const Index n = static_cast<Index>(cells.size());
        const T* xd = x.data();
        T* dxd = dx->data();
        // The channels a packet at a time: every cell of the window, in
        // order, gets dy where it is the first to hold the max, +0 elsewhere
        // (dx is never -0, so adding +0 changes nothing); cells[0] gets it
        // when none does (NaN).
        const Index packed = C / kWidth * kWidth;
        for (Index c = 0; c < packed; c += kWidth) {
          const Packet yc = ei::ploadu<Packet>(y + c);
          const Packet dyc = ei::ploadu<Packet>(dy + c);
          Packet still = ei::ptrue(yc);
          for (Index k = 0; k < n; ++k) {
            T* dxc = dxd + cells[k] + c;
            const Packet hit = ei::pand(
                ei::pcmp_eq(ei::ploadu<Packet>(xd + cells[k] + c), yc), still);
            ei::pstoreu(dxc,
                        ei::padd(ei::ploadu<Packet>(dxc), ei::pand(hit, dyc)));
            still = ei::pandnot(still, hit);
          }
          T* dx0 = dxd + cells[0] + c;
          ei::pstoreu(dx0,
                      ei::padd(ei::ploadu<Packet>(dx0), ei::pand(still, dyc)));
        }
        // The other channels: for every channel, the first cell holding the
        // max (cells[0] when none does, e.g. NaN): the cells from last to
        // first, each channel's choice replaced where the cell holds its
        // max, without branches (a search that stops at the max mispredicts
        // on every window). In the thread's scratch buffer.
        Index* first = Scratch<Index>(C);
        std::fill(first + packed, first + C, cells[0]);
        for (Index k = n - 1; k >= 0; --k) {
          const T* cell = xd + cells[k];
          for (Index c = packed; c < C; ++c) {
            first[c] = cell[c] == y[c] ? cells[k] : first[c];
          }
        }
        for (Index c = packed; c < C; ++c) dxd[first[c] + c] += dy[c];
      });
    });
  }

  // Max pooling's forward for the images [first, last) when windows do not
  // overlap (the common 2x2 by 2): each window's cells in row then column
  // order, the channels a packet at a time (4 floats or 2 doubles), then
  // the rest one by one, without listing the cells. The same maxima as the
  // general path, NaN included: Eigen's max, packet and scalar, keeps the
  // first operand when either is NaN.
  void MaxForwardApart(Index first, Index last, const T* x, T* y) const {
    const Index C = C_;
    namespace ei = Eigen::internal;
    using Packet = typename ei::packet_traits<T>::type;
    constexpr Index kWidth = ei::packet_traits<T>::size;
    const Index packed = C / kWidth * kWidth;
    Index o = first * gh_.out * gw_.out * C;
    for (Index i = first; i < last; ++i) {
      for (Index oh = 0; oh < gh_.out; ++oh) {
        const Span rows = Cells(gh_, oh);
        for (Index ow = 0; ow < gw_.out; ++ow, o += C) {
          const Span cols = Cells(gw_, ow);
          T* yo = y + o;
          if (rows.lo >= rows.hi || cols.lo >= cols.hi) {  // padding only
            std::fill(yo, yo + C, T(0));
            continue;
          }
          const Index first_cell =
              ((i * gh_.in + rows.lo) * gw_.in + cols.lo) * C;
          std::copy(x + first_cell, x + first_cell + C, yo);
          for (Index hi = rows.lo; hi < rows.hi; ++hi) {
            for (Index wi = cols.lo; wi < cols.hi; ++wi) {
              const Index cell = ((i * gh_.in + hi) * gw_.in + wi) * C;
              if (cell == first_cell) continue;
              const T* xc = x + cell;
              for (Index c = 0; c < packed; c += kWidth) {
                ei::pstoreu(yo + c, ei::pmax(ei::ploadu<Packet>(yo + c),
                                             ei::ploadu<Packet>(xc + c)));
              }
              for (Index c = packed; c < C; ++c) {
                yo[c] = ei::pmax(yo[c], xc[c]);
              }
            }
          }
        }
      }
    }
  }

  // An unsigned integer of T's size, and v where mask is all ones, +0 where
  // it is all zeros, without a branch.
  using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  static T Masked(T v, Bits mask) {
    Bits u;
    std::memcpy(&u, &v, sizeof u);
    u &= mask;
    std::memcpy(&v, &u, sizeof u);
    return v;
  }

  // Max pooling's backward for the images [first, last) when windows do
  // not overlap (stride >= pool size, e.g. 2x2 by 2): every cell of dx
  // belongs to one window at most and is written once. For every output
  // (oh, ow, c), dy goes to the first cell of its window, in row then
  // column order, that holds the max y, and to the window's first cell
  // when none does (NaN): the same cells as the general path. The cells
  // are visited in that order with a "still open" flag per channel,
  // without branches and without listing the window's cells. (dy + 0:
  // the +0 that 0 + dy gives for a dy of -0.)
  void MaxBackwardApart(Index first, Index last, const T* x, const T* y,
                        const T* dy, T* dx) const {
    const Index C = C_;
    namespace ei = Eigen::internal;
    using Packet = typename ei::packet_traits<T>::type;
    constexpr Index kWidth = ei::packet_traits<T>::size;
    const Packet zero = ei::pset1<Packet>(T(0));
    std::vector<Bits> open(C);
    Index o = first * gh_.out * gw_.out * C;
    for (Index i = first; i < last; ++i) {
      for (Index oh = 0; oh < gh_.out; ++oh) {
        const Span rows = Cells(gh_, oh);
        for (Index ow = 0; ow < gw_.out; ++ow, o += C) {
          const Span cols = Cells(gw_, ow);
          if (rows.lo >= rows.hi || cols.lo >= cols.hi) continue;  // padding
          const T* yo = y + o;
          const T* dyo = dy + o;
          const Index first_cell =
              ((i * gh_.in + rows.lo) * gw_.in + cols.lo) * C;
          // The channels a packet at a time (4 floats or 2 doubles), then
          // the rest one by one: the same rule, the same bits.
          const Index packed = C / kWidth * kWidth;
          for (Index c = 0; c < packed; c += kWidth) {
            const Packet yc = ei::ploadu<Packet>(yo + c);
            const Packet dyc = ei::padd(ei::ploadu<Packet>(dyo + c), zero);
            Packet still = ei::ptrue(yc);
            for (Index hi = rows.lo; hi < rows.hi; ++hi) {
              for (Index wi = cols.lo; wi < cols.hi; ++wi) {
                const Index cell = ((i * gh_.in + hi) * gw_.in + wi) * C + c;
                const Packet hit = ei::pand(
                    ei::pcmp_eq(ei::ploadu<Packet>(x + cell), yc), still);
                ei::pstoreu(dx + cell, ei::pand(hit, dyc));
                still = ei::pandnot(still, hit);
              }
            }
            T* dx_first = dx + first_cell + c;
            ei::pstoreu(dx_first, ei::padd(ei::ploadu<Packet>(dx_first),
                                           ei::pand(still, dyc)));
          }
          std::fill(open.begin(), open.end(), Bits(1));
          Bits* still = open.data();
          for (Index hi = rows.lo; hi < rows.hi; ++hi) {
            for (Index wi = cols.lo; wi < cols.hi; ++wi) {
              const Index cell = ((i * gh_.in + hi) * gw_.in + wi) * C;
              const T* xc = x + cell;
              T* dxc = dx + cell;
              for (Index c = packed; c < C; ++c) {
                const Bits hit = Bits(xc[c] == yo[c]) & still[c];
                dxc[c] = Masked(dyo[c] + T(0), Bits(0) - hit);
                still[c] &= ~hit;
              }
            }
          }
          for (Index c = packed; c < C; ++c) {
            if (still[c]) dx[first_cell + c] += dyo[c];
          }
        }
      }
    }
  }

  // The entries one image's windows read, as InHalves's cost of an image.
  double ImageWork() const {
    return double(gh_.out) * gw_.out * gh_.k * gw_.k * C_;
  }

 private:
  bool max_;
  Size2 pool_, strides_;
  Padding padding_;
  Window1D gh_, gw_;
  Index C_ = 0;
};

template <typename T>
class GlobalAveragePoolingLayer : public Layer<T> {
 public:
  explicit GlobalAveragePoolingLayer(const GlobalAveragePooling2D& spec) {
    this->set_name(spec.name);
  }
  std::string type() const override { return "GlobalAveragePooling2D"; }
  std::string default_name() const override {
    return "global_average_pooling2d";
  }

 protected:
  Shape DoBuild(const std::vector<Shape>& in, RandomState&) override {
    CheckImageShape(this->Describe(), in[0]);
    hw_ = in[0][0] * in[0][1];
    return {in[0][2]};
  }
  void DoForward(const std::vector<const Array<T>*>& inputs, Array<T>* output,
                 bool) override {
    const Array<T>& x = *inputs[0];
    const Index m = x.dim(0), C = x.dim(3);
    output->Resize({m, C});
    for (Index i = 0; i < m; ++i) {
      output->matrix(m, C).row(i) =
          x.matrix(m * hw_, C).middleRows(i * hw_, hw_).colwise().sum() /
          T(hw_);
    }
  }
  void DoBackward(const std::vector<const Array<T>*>& inputs, const Array<T>&,
                  const Array<T>& doutput,
                  const std::vector<Array<T>*>& dinputs) override {
    Array<T>* dx = dinputs[0];
    if (dx == nullptr) return;
    const Array<T>& x = *inputs[0];
    const Index m = x.dim(0), C = x.dim(3);
    dx->Resize(x.shape());
    auto D = dx->matrix(m * hw_, C);
    const auto dY = doutput.matrix(m, C);
    for (Index i = 0; i < m; ++i) {
      D.middleRows(i * hw_, hw_).rowwise() = dY.row(i) / T(hw_);
    }
  }

 private:
  Index hw_ = 0;
};

}  // namespace

// ------------------------------------------------------------ factories

template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const MaxPool2D& spec) {
  return std::make_unique<PoolLayer<T>>(true, spec.pool_size, spec.strides,
                                        spec.padding, spec.name);
}

template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const AveragePool2D& spec) {
  return std::make_unique<PoolLayer<T>>(false, spec.pool_size, spec.strides,
                                        spec.padding, spec.name);
}

template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const GlobalAveragePooling2D& spec) {
  return std::make_unique<GlobalAveragePoolingLayer<T>>(spec);
}

// --------------------------------------------------------- instantiations

#define DL_NN_INSTANTIATE(T)                                             \
  template std::unique_ptr<Layer<T>> MakeLayer<T>(const MaxPool2D&);     \
  template std::unique_ptr<Layer<T>> MakeLayer<T>(const AveragePool2D&); \
  template std::unique_ptr<Layer<T>> MakeLayer<T>(                       \
      const GlobalAveragePooling2D&);

DL_NN_INSTANTIATE(float)
DL_NN_INSTANTIATE(double)
#undef DL_NN_INSTANTIATE

}  // namespace nn
}  // namespace dl
