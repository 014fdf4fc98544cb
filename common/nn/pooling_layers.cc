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

  // One output position's window: its real cells, as offsets of their
  // first channel, in (row, column) order.
  struct Window {
    Index image;
    Span rows, cols;
    const PoolLayer* layer;
    Index size() const { return (rows.hi - rows.lo) * (cols.hi - cols.lo); }
    Index Offset(Index h, Index w) const {
      return ((image * layer->gh_.in + h) * layer->gw_.in + w) * layer->C_;
    }
    Index first() const { return Offset(rows.lo, cols.lo); }
    template <typename F>
    void ForEachCell(F f) const {
      for (Index h = rows.lo; h < rows.hi; ++h) {
        for (Index w = cols.lo; w < cols.hi; ++w) f(Offset(h, w));
      }
    }
  };

  // Calls f(output offset of the first channel, window) for every output
  // position of the images [first, last).
  template <typename F>
  void ForEachWindow(Index first, Index last, F f) const {
    Index out = first * gh_.out * gw_.out * C_;
    for (Index i = first; i < last; ++i) {
      for (Index oh = 0; oh < gh_.out; ++oh) {
        for (Index ow = 0; ow < gw_.out; ++ow, out += C_) {
          f(out, Window{i, Cells(gh_, oh), Cells(gw_, ow), this});
        }
      }
    }
  }

  void DoForward(const std::vector<const Array<T>*>& inputs, Array<T>* output,
                 bool) override {
    const Array<T>& x = *inputs[0];
    const Index m = x.dim(0), C = C_;
    output->Resize({m, gh_.out, gw_.out, C});
    // Image by image, the batch in two halves (each image's windows alone).
    InHalves(m, ImageWork(), 1, [&](Index i0, Index i1) {
      ForEachWindow(i0, i1, [&](Index o, const Window& window) {
        T* y = output->data() + o;
        if (window.size() == 0) {  // a window of padding only
          std::fill(y, y + C, T(0));
        } else if (max_) {
          MaxOfWindow(x.data(), window, y);
        } else {
          const Index first = window.first();
          ArrayMap<T> out(y, C);
          out = ConstArrayMap<T>(x.data() + first, C);
          window.ForEachCell([&](Index cell) {
            if (cell != first) out += ConstArrayMap<T>(x.data() + cell, C);
          });
          out *= T(1) / T(window.size());
        }
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
    InHalves(x.dim(0), ImageWork(), 1, [&](Index i0, Index i1) {
      ForEachWindow(i0, i1, [&](Index o, const Window& window) {
        if (window.size() == 0) return;
        const T* dy = doutput.data() + o;
        if (max_) {
          MaxBackwardOfWindow(x.data(), output.data() + o, dy, window,
                              dx->data());
          return;
        }
        const T inv = T(1) / T(window.size());
        window.ForEachCell([&](Index cell) {
          ArrayMap<T>(dx->data() + cell, C) += ConstArrayMap<T>(dy, C) * inv;
        });
      });
    });
  }

  using Packet = typename Eigen::internal::packet_traits<T>::type;
  static constexpr Index kWidth = Eigen::internal::packet_traits<T>::size;

  // y (C channels) = the max of the window's cells, in (row, column) order,
  // the channels a packet at a time (4 floats or 2 doubles), then the rest
  // one by one. Eigen's max, packet and scalar, keeps its first operand
  // when either is NaN: the same rule on every channel.
  void MaxOfWindow(const T* x, const Window& window, T* y) const {
    namespace ei = Eigen::internal;
    const Index C = C_, packed = C / kWidth * kWidth, first = window.first();
    std::copy(x + first, x + first + C, y);
    window.ForEachCell([&](Index cell) {
      if (cell == first) return;
      const T* xc = x + cell;
      for (Index c = 0; c < packed; c += kWidth) {
        ei::pstoreu(y + c, ei::pmax(ei::ploadu<Packet>(y + c),
                                    ei::ploadu<Packet>(xc + c)));
      }
      for (Index c = packed; c < C; ++c) y[c] = ei::pmax(y[c], xc[c]);
    });
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

  // dx += dy (C channels) at the first cell of the window, in (row, column)
  // order, that holds the max y, and at the window's first cell when none
  // does (NaN). Without branches: the cells in order with a "still open"
  // mask per channel, each cell given dy where it is hit and +0 elsewhere
  // (dx starts at +0 and is never -0, so adding +0 changes nothing); the
  // channels a packet at a time, then the rest one by one.
  void MaxBackwardOfWindow(const T* x, const T* y, const T* dy,
                           const Window& window, T* dx) const {
    namespace ei = Eigen::internal;
    const Index C = C_, packed = C / kWidth * kWidth, first = window.first();
    for (Index c = 0; c < packed; c += kWidth) {
      const Packet yc = ei::ploadu<Packet>(y + c);
      const Packet dyc = ei::ploadu<Packet>(dy + c);
      Packet still = ei::ptrue(yc);
      const auto add = [&](Index cell, const Packet& mask) {
        T* d = dx + cell + c;
        ei::pstoreu(d, ei::padd(ei::ploadu<Packet>(d), ei::pand(mask, dyc)));
      };
      window.ForEachCell([&](Index cell) {
        const Packet hit =
            ei::pand(ei::pcmp_eq(ei::ploadu<Packet>(x + cell + c), yc), still);
        add(cell, hit);
        still = ei::pandnot(still, hit);
      });
      add(first, still);
    }
    if (packed == C) return;
    Bits* still = Scratch<Bits>(C);
    std::fill(still + packed, still + C, ~Bits(0));
    window.ForEachCell([&](Index cell) {
      for (Index c = packed; c < C; ++c) {
        const Bits hit = (Bits(0) - Bits(x[cell + c] == y[c])) & still[c];
        dx[cell + c] += Masked(dy[c], hit);
        still[c] &= ~hit;
      }
    });
    for (Index c = packed; c < C; ++c) dx[first + c] += Masked(dy[c], still[c]);
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
