// File: common/nn/depthwise_conv_layers.cc
//
// DepthwiseConv2D of layers.h (MobileNet's depthwise convolution): every
// input channel convolved with its own depth_multiplier filters, in float
// and double. Direct loops over the output positions and the window, each
// step one short vector operation along the channels (the channels are the
// last, contiguous axis): a depthwise convolution has f_H f_W multiply-adds
// per output entry, too few for im2col and a matrix product to pay.
// The batch is cut in two halves of images (InHalves, layer_kernels.h);
// the kernel's gradient is summed per half then added, so its bits depend
// on the batch size alone, not on the number of threads.
// The course's loops are in course3_cnn/transfer_learning
// (depthwise_conv_forward / depthwise_conv_backward).

#include <algorithm>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
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

template <typename T>
using Vec = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>>;
template <typename T>
using ConstVec = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>>;
template <typename T>
using Block = Eigen::Map<
    Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;
template <typename T>
using ConstBlock = Eigen::Map<
    const Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;

template <typename T>
class DepthwiseConv2DLayer : public Layer<T> {
 public:
  explicit DepthwiseConv2DLayer(const DepthwiseConv2D& spec) : spec_(spec) {
    this->set_name(spec.name);
  }
  std::string type() const override { return "DepthwiseConv2D"; }
  std::string default_name() const override { return "depthwise_conv2d"; }

 protected:
  Shape DoBuild(const std::vector<Shape>& in, RandomState& rng) override {
    CheckImageShape(this->Describe(), in[0]);
    if (spec_.depth_multiplier <= 0) {
      throw std::invalid_argument(this->Describe() +
                                  ": depth_multiplier must be > 0");
    }
    try {
      gh_ = ConvWindow(in[0][0], spec_.kernel_size.h, spec_.strides.h,
                       spec_.padding);
      gw_ = ConvWindow(in[0][1], spec_.kernel_size.w, spec_.strides.w,
                       spec_.padding);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(this->Describe() + ": " + e.what());
    }
    C_ = in[0][2];
    dm_ = spec_.depth_multiplier;
    const double receptive = double(gh_.k) * gw_.k;
    this->AddParameter("depthwise_kernel", {gh_.k, gw_.k, C_, dm_},
                       spec_.depthwise_initializer, receptive * C_,
                       receptive * dm_, true, rng);
    if (spec_.use_bias) {
      this->AddParameter("bias", {C_ * dm_}, spec_.bias_initializer, 0, 0, true,
                         rng);
    }
    return {gh_.out, gw_.out, C_ * dm_};
  }

  void DoForward(const std::vector<const Array<T>*>& inputs, Array<T>* output,
                 bool) override {
    const Array<T>& x = *inputs[0];
    const Index m = x.dim(0);
    output->Resize({m, gh_.out, gw_.out, C_ * dm_});
    InHalves(m, CostPerImage(), 1, [&](Index i0, Index i1) {
      for (Index i = i0; i < i1; ++i) ForwardImage(x.data(), i, output->data());
    });
  }

  void DoBackward(const std::vector<const Array<T>*>& inputs, const Array<T>&,
                  const Array<T>& doutput,
                  const std::vector<Array<T>*>& dinputs) override {
    const Array<T>& x = *inputs[0];
    const Index m = x.dim(0);
    Parameter<T>& kernel = this->params_[0];
    Array<T>* dx = dinputs[0];
    if (dx != nullptr) {
      dx->Resize(x.shape());
      dx->SetZero();
    }
    // dK per half of the batch (the second half's in dkernel_half_).
    kernel.grad.SetZero();
    dkernel_half_.Resize(kernel.value.shape());
    dkernel_half_.SetZero();
    InHalves(m, CostPerImage(), 1, [&](Index i0, Index i1) {
      T* dK = i0 == 0 ? kernel.grad.data() : dkernel_half_.data();
      for (Index i = i0; i < i1; ++i) {
        BackwardImage(x.data(), doutput.data(), i, dK,
                      dx != nullptr ? dx->data() : nullptr);
      }
    });
    kernel.grad.vec() += dkernel_half_.vec();
    if (spec_.use_bias) {
      ColumnSums<T>(doutput.rows_by_last(), &this->params_[1].grad);
    }
  }

 private:
  double CostPerImage() const {
    return double(gh_.out) * gw_.out * gh_.k * gw_.k * C_ * dm_;
  }

  // Calls f(output offset, input offset, kernel offset) for every output
  // position of image i and every window entry inside the input, in
  // row-major order of both; the offsets are those of the channel rows.
  template <typename F>
  void ForEachTap(Index i, F f) const {
    const Index out_c = C_ * dm_;
    for (Index oh = 0; oh < gh_.out; ++oh) {
      for (Index ow = 0; ow < gw_.out; ++ow) {
        const Index y = ((i * gh_.out + oh) * gw_.out + ow) * out_c;
        for (Index r = 0; r < gh_.k; ++r) {
          const Index hi = oh * gh_.stride - gh_.before + r;
          if (hi < 0 || hi >= gh_.in) continue;
          for (Index s = 0; s < gw_.k; ++s) {
            const Index wi = ow * gw_.stride - gw_.before + s;
            if (wi < 0 || wi >= gw_.in) continue;
            f(y, ((i * gh_.in + hi) * gw_.in + wi) * C_,
              (r * gw_.k + s) * out_c);
          }
        }
      }
    }
  }

  // The output columns ow whose window column s falls inside the input:
  // [first, last] (empty when first > last).
  void InsideColumns(Index s, Index* first, Index* last) const {
    // wi = ow stride - before + s must be in [0, in).
    const Index lo = gw_.before - s, hi = gw_.in - 1 + gw_.before - s;
    *first = lo <= 0 ? 0 : (lo + gw_.stride - 1) / gw_.stride;
    *last = hi < 0 ? -1 : std::min(gw_.out - 1, hi / gw_.stride);
  }

  // Calls f(output offset, input offset, kernel offset, n) for every output
  // row (i, oh) and window entry (r, s) inside the input: the n output
  // positions of the row that see it, one after the other, and their
  // input positions, `stride` apart (depth multiplier 1: one vector
  // operation per row and window entry instead of one per position).
  template <typename F>
  void ForEachRowTap(Index i, F f) const {
    for (Index oh = 0; oh < gh_.out; ++oh) {
      for (Index r = 0; r < gh_.k; ++r) {
        const Index hi = oh * gh_.stride - gh_.before + r;
        if (hi < 0 || hi >= gh_.in) continue;
        for (Index s = 0; s < gw_.k; ++s) {
          Index first, last;
          InsideColumns(s, &first, &last);
          if (first > last) continue;
          const Index wi = first * gw_.stride - gw_.before + s;
          f(((i * gh_.out + oh) * gw_.out + first) * C_,
            ((i * gh_.in + hi) * gw_.in + wi) * C_, (r * gw_.k + s) * C_,
            last - first + 1);
        }
      }
    }
  }

  // y[i] = b + sum over the window of x ⊙ K (each channel its own filters).
  void ForwardImage(const T* x, Index i, T* out) const {
    const Index out_c = C_ * dm_;
    const T* K = this->params_[0].value.data();
    const Index first = i * gh_.out * gw_.out * out_c;
    Vec<T> image(out + first, gh_.out * gw_.out * out_c);
    if (spec_.use_bias) {
      const ConstVec<T> b(this->params_[1].value.data(), out_c);
      for (Index p = 0; p < gh_.out * gw_.out; ++p) {
        image.segment(p * out_c, out_c) = b;
      }
    } else {
      image.setZero();
    }
    if (dm_ == 1) {
      const Index step = gw_.stride * C_;
      ForEachRowTap(i, [&](Index y, Index xo, Index ko, Index n) {
        const ConstVec<T> k(K + ko, C_);
        for (Index p = 0; p < n; ++p) {
          Vec<T>(out + y + p * C_, C_) +=
              ConstVec<T>(x + xo + p * step, C_) * k;
        }
      });
      return;
    }
    ForEachTap(i, [&](Index y, Index xo, Index ko) {
      Block<T>(out + y, C_, dm_) +=
          ConstBlock<T>(K + ko, C_, dm_).colwise() * ConstVec<T>(x + xo, C_);
    });
  }

  // dK += x ⊙ dy over the window; dx += dy ⊙ K (summed over the filters
  // of each channel).
  void BackwardImage(const T* x, const T* dy, Index i, T* dK, T* dx) const {
    const T* K = this->params_[0].value.data();
    if (dm_ == 1) {
      const Index step = gw_.stride * C_;
      ForEachRowTap(i, [&](Index y, Index xo, Index ko, Index n) {
        const ConstVec<T> k(K + ko, C_);
        Vec<T> dk(dK + ko, C_);
        for (Index p = 0; p < n; ++p) {
          const ConstVec<T> d(dy + y + p * C_, C_);
          dk += ConstVec<T>(x + xo + p * step, C_) * d;
          if (dx != nullptr) Vec<T>(dx + xo + p * step, C_) += d * k;
        }
      });
      return;
    }
    ForEachTap(i, [&](Index y, Index xo, Index ko) {
      const ConstBlock<T> dY(dy + y, C_, dm_);
      Block<T>(dK + ko, C_, dm_) += dY.colwise() * ConstVec<T>(x + xo, C_);
      if (dx != nullptr) {
        Vec<T>(dx + xo, C_) +=
            (dY * ConstBlock<T>(K + ko, C_, dm_)).rowwise().sum();
      }
    });
  }

  DepthwiseConv2D spec_;
  Window1D gh_, gw_;
  Index C_ = 0, dm_ = 1;
  Array<T> dkernel_half_;  // the second half's dK (see DoBackward)
};

}  // namespace

template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const DepthwiseConv2D& spec) {
  return std::make_unique<DepthwiseConv2DLayer<T>>(spec);
}

template std::unique_ptr<Layer<float>> MakeLayer<float>(const DepthwiseConv2D&);
template std::unique_ptr<Layer<double>> MakeLayer<double>(
    const DepthwiseConv2D&);

}  // namespace nn
}  // namespace dl
