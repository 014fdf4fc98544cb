// File: common/nn/conv_layers.cc
//
// The convolution layers of layers.h: Conv2D (float32 on oneDNN,
// onednn_conv.h; float64 im2col in cache-sized blocks of rows, one matrix
// product per block) and Conv2DTranspose. The course's
// loops are in course3_cnn/conv_step_by_step; these are the fast versions.

#include <algorithm>
#include <cmath>
#include <cstdint>
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
#include "common/nn/onednn_conv.h"

namespace dl {
namespace nn {
namespace {

using namespace internal;  // NOLINT: the shared kernels of layer_kernels.h

// ---------------------------------------------------------------- Conv2D

template <typename T>
class Conv2DLayer : public Layer<T> {
 public:
  explicit Conv2DLayer(const Conv2D& spec) : spec_(spec) {
    this->set_name(spec.name);
    if (spec.activation != "linear" && spec.activation != "relu") {
      throw std::invalid_argument("Conv2D: activation \"" + spec.activation +
                                  "\": only \"linear\" and \"relu\"");
    }
  }
  std::string type() const override { return "Conv2D"; }
  std::string default_name() const override { return "conv2d"; }

 protected:
  Shape DoBuild(const std::vector<Shape>& in, RandomState& rng) override {
    CheckImageShape(this->Describe(), in[0]);
    if (spec_.filters <= 0) {
      throw std::invalid_argument(this->Describe() + ": filters must be > 0");
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
    if constexpr (std::is_same_v<T, float>) {
      if (!IsPointwise(gh_, gw_) && OneDnnConv2D::Supports(gh_, gw_)) {
        onednn_ = std::make_unique<OneDnnConv2D>(gh_, gw_, C_, spec_.filters,
                                                 spec_.use_bias);
      }
    }
    const double receptive = double(gh_.k) * gw_.k;
    this->AddParameter("kernel", {gh_.k, gw_.k, C_, spec_.filters},
                       spec_.kernel_initializer, receptive * C_,
                       receptive * spec_.filters, true, rng);
    if (spec_.use_bias) {
      this->AddParameter("bias", {spec_.filters}, spec_.bias_initializer, 0, 0,
                         true, rng);
    }
    return {gh_.out, gw_.out, spec_.filters};
  }

  // The im2col matrix is made and multiplied in blocks of rows (see
  // ChunkRows), never as a whole.
  void DoForward(const std::vector<const Array<T>*>& inputs, Array<T>* output,
                 bool) override {
    const Array<T>& x = *inputs[0];
    const Index m = x.dim(0), F = spec_.filters;
    const Index M = m * gh_.out * gw_.out, K = gh_.k * gw_.k * C_;
    output->Resize({m, gh_.out, gw_.out, F});
    if constexpr (std::is_same_v<T, float>) {
      if (onednn_) {
        onednn_->Forward(
            m, x.data(), this->params_[0].value.data(),
            spec_.use_bias ? this->params_[1].value.data() : nullptr,
            output->data());
        ApplyActivation(output);
        return;
      }
    }
    auto Y = output->matrix(M, F);
    const auto W = std::as_const(this->params_[0].value).matrix(K, F);
    if (IsPointwise(gh_, gw_)) {
      Y.noalias() = x.matrix(M, C_) * W;
    } else {
      const Index chunk = std::min(M, ChunkRows(K));
      T* cols = Scratch<T>(chunk * K);
      for (Index r0 = 0; r0 < M; r0 += chunk) {
        const Index n = std::min(chunk, M - r0);
        Im2ColRows(x.data(), gh_, gw_, C_, r0, r0 + n, cols);
        Y.middleRows(r0, n).noalias() =
            Eigen::Map<const RowMatrix<T>>(cols, n, K) * W;
      }
    }
    if (spec_.use_bias) AddBias(this->params_[1].value.data(), output);
    ApplyActivation(output);
  }

  // Per block of rows: the block's im2col matrix again, dW += colsᵀ dY,
  // and dcols = dY Wᵀ added back into dx.
  void DoBackward(const std::vector<const Array<T>*>& inputs,
                  const Array<T>& output, const Array<T>& doutput_given,
                  const std::vector<Array<T>*>& dinputs) override {
    // Through the ReLU first: dY = doutput where the output is > 0.
    const Array<T>& doutput = spec_.activation == "relu"
                                  ? MaskedByOutput(output, doutput_given)
                                  : doutput_given;
    const Array<T>& x = *inputs[0];
    const Index m = x.dim(0), F = spec_.filters;
    const Index M = m * gh_.out * gw_.out, K = gh_.k * gw_.k * C_;
    const auto dY = doutput.matrix(M, F);
    Parameter<T>& kernel = this->params_[0];
    Array<T>* dx = dinputs[0];
    // A frozen layer (its parameters not trainable, e.g. a pretrained base)
    // computes no gradient for them.
    const bool weights =
        kernel.trainable || (spec_.use_bias && this->params_[1].trainable);
    if (!weights && dx == nullptr) return;
    if constexpr (std::is_same_v<T, float>) {
      if (onednn_) {
        if (dx != nullptr) dx->Resize(x.shape());
        onednn_->Backward(
            m, x.data(), std::as_const(kernel.value).data(), doutput.data(),
            weights ? kernel.grad.data() : nullptr,
            weights && spec_.use_bias ? this->params_[1].grad.data() : nullptr,
            dx != nullptr ? dx->data() : nullptr);
        return;
      }
    }
    const auto W = std::as_const(kernel.value).matrix(K, F);
    Eigen::Map<RowMatrix<T>> dW(weights ? kernel.grad.data() : nullptr,
                                weights ? K : 0, weights ? F : 0);
    if (weights && spec_.use_bias) ColumnSums<T>(dY, &this->params_[1].grad);
    if (IsPointwise(gh_, gw_)) {
      if (weights) dW.noalias() = x.matrix(M, C_).transpose() * dY;
      if (dx != nullptr) {
        dx->Resize(x.shape());
        dx->matrix(M, C_).noalias() = dY * W.transpose();
      }
      return;
    }
    if (dx != nullptr) {
      dx->Resize(x.shape());
      dx->SetZero();
    }
    if (weights) dW.setZero();
    const Index chunk = std::min(M, ChunkRows(K));
    T* cols = Scratch<T>(2 * chunk * K);
    T* dcols = cols + chunk * K;
    for (Index r0 = 0; r0 < M; r0 += chunk) {
      const Index n = std::min(chunk, M - r0);
      const auto dYn = dY.middleRows(r0, n);
      if (weights) {
        Im2ColRows(x.data(), gh_, gw_, C_, r0, r0 + n, cols);
        dW.noalias() +=
            Eigen::Map<const RowMatrix<T>>(cols, n, K).transpose() * dYn;
      }
      if (dx == nullptr) continue;
      Eigen::Map<RowMatrix<T>>(dcols, n, K).noalias() = dYn * W.transpose();
      Col2ImRows(dcols, gh_, gw_, C_, r0, r0 + n, dx->data());
    }
  }

 private:
  void ApplyActivation(Array<T>* output) const {
    if (spec_.activation != "relu") return;
    InHalves(output->size(), 1, 64, [&](Index begin, Index end) {
      auto y = output->vec().segment(begin, end - begin);
      y = y.cwiseMax(T(0));
    });
  }
  // doutput where output > 0, else 0 (kept in a buffer of the layer).
  const Array<T>& MaskedByOutput(const Array<T>& output,
                                 const Array<T>& doutput) {
    relu_grad_.Resize(doutput.shape());
    InHalves(doutput.size(), 1, 64, [&](Index begin, Index end) {
      ReluGradient(output.data() + begin, doutput.data() + begin, end - begin,
                   relu_grad_.data() + begin);
    });
    return relu_grad_;
  }

  Conv2D spec_;
  Window1D gh_, gw_;
  Index C_ = 0;
  // float32, not pointwise: the convolution runs on oneDNN.
  std::unique_ptr<OneDnnConv2D> onednn_;
  Array<T> relu_grad_;  // dY through the ReLU (activation "relu")
};

// ------------------------------------------------------- Conv2DTranspose

template <typename T>
class Conv2DTransposeLayer : public Layer<T> {
 public:
  explicit Conv2DTransposeLayer(const Conv2DTranspose& spec) : spec_(spec) {
    this->set_name(spec.name);
  }
  std::string type() const override { return "Conv2DTranspose"; }
  std::string default_name() const override { return "conv2d_transpose"; }

 protected:
  // The output size along one axis (Keras's deconv_output_length), and the
  // window of the convolution from the output back to the input.
  Window1D Geometry(Index in, int k, int s) const {
    if (k <= 0 || s <= 0) {
      throw std::invalid_argument(this->Describe() +
                                  ": kernel and strides must be positive");
    }
    Index out = 0;
    switch (spec_.padding.kind()) {
      case Padding::Kind::kSame:
        out = in * s;
        break;
      case Padding::Kind::kValid:
        out = in * s + std::max(k - s, 0);
        break;
      case Padding::Kind::kExplicit:
        out = (in - 1) * s + k - 2 * spec_.padding.pad();
        break;
    }
    if (out <= 0) {
      throw std::invalid_argument(this->Describe() + ": no output positions");
    }
    Window1D g = ConvWindow(out, k, s, spec_.padding);
    if (g.out != in) {
      throw std::logic_error(this->Describe() + ": inconsistent geometry");
    }
    return g;
  }

  Shape DoBuild(const std::vector<Shape>& in, RandomState& rng) override {
    CheckImageShape(this->Describe(), in[0]);
    if (spec_.filters <= 0) {
      throw std::invalid_argument(this->Describe() + ": filters must be > 0");
    }
    gh_ = Geometry(in[0][0], spec_.kernel_size.h, spec_.strides.h);
    gw_ = Geometry(in[0][1], spec_.kernel_size.w, spec_.strides.w);
    C_ = in[0][2];
    if constexpr (std::is_same_v<T, float>) {
      // The convolution from the output (F channels) back to the input (C):
      // its kernel (k_H, k_W, F, C) is this layer's.
      if (!IsPointwise(gh_, gw_) && OneDnnConv2D::Supports(gh_, gw_)) {
        onednn_ = std::make_unique<OneDnnConv2D>(gh_, gw_, spec_.filters, C_,
                                                 /*bias=*/false);
      }
    }
    const double receptive = double(gh_.k) * gw_.k;
    this->AddParameter("kernel", {gh_.k, gw_.k, spec_.filters, C_},
                       spec_.kernel_initializer, receptive * spec_.filters,
                       receptive * C_, true, rng);
    if (spec_.use_bias) {
      this->AddParameter("bias", {spec_.filters}, spec_.bias_initializer, 0, 0,
                         true, rng);
    }
    return {gh_.in, gw_.in, spec_.filters};
  }

  void DoForward(const std::vector<const Array<T>*>& inputs, Array<T>* output,
                 bool) override {
    const Array<T>& x = *inputs[0];
    const Index m = x.dim(0), F = spec_.filters;
    const Index M = m * gh_.out * gw_.out, K = gh_.k * gw_.k * F;
    const auto Kmat = std::as_const(this->params_[0].value).matrix(K, C_);
    output->Resize({m, gh_.in, gw_.in, F});
    if (!ForwardOnOneDnn(x, output)) {
      if (IsPointwise(gh_, gw_)) {
        output->matrix(M, F).noalias() = x.matrix(M, C_) * Kmat.transpose();
      } else {
        T* dcols = Scratch<T>(M * K);
        Eigen::Map<RowMatrix<T>>(dcols, M, K).noalias() =
            x.matrix(M, C_) * Kmat.transpose();
        output->SetZero();
        Col2Im(dcols, m, gh_, gw_, F, output->data());
      }
    }
    if (spec_.use_bias) AddBias(this->params_[1].value.data(), output);
  }

  void DoBackward(const std::vector<const Array<T>*>& inputs, const Array<T>&,
                  const Array<T>& doutput,
                  const std::vector<Array<T>*>& dinputs) override {
    const Array<T>& x = *inputs[0];
    const Index m = x.dim(0), F = spec_.filters;
    const Index M = m * gh_.out * gw_.out, K = gh_.k * gw_.k * F;
    Parameter<T>& kernel = this->params_[0];
    const auto Kmat = std::as_const(kernel.value).matrix(K, C_);
    if (spec_.use_bias) {
      ColumnSums<T>(doutput.rows_by_last(), &this->params_[1].grad);
    }
    if (BackwardOnOneDnn(x, doutput, dinputs[0])) return;
    const T* cols = doutput.data();
    if (!IsPointwise(gh_, gw_)) {
      T* buffer = Scratch<T>(M * K);
      Im2Col(doutput.data(), m, gh_, gw_, F, buffer);
      cols = buffer;
    }
    const Eigen::Map<const RowMatrix<T>> colsm(cols, M, K);
    kernel.grad.matrix(K, C_).noalias() = colsm.transpose() * x.matrix(M, C_);
    if (Array<T>* dx = dinputs[0]) {
      dx->Resize(x.shape());
      dx->matrix(M, C_).noalias() = colsm * Kmat;
    }
  }

 private:
  // float32 on oneDNN (true), through the convolution from the output back
  // to the input: y is its dx for a dy of x (no weight gradient, so its
  // input, the first argument, is not read).
  bool ForwardOnOneDnn(const Array<T>& x, Array<T>* y) {
    if constexpr (std::is_same_v<T, float>) {
      if (!onednn_) return false;
      onednn_->Backward(x.dim(0), y->data(),
                        std::as_const(this->params_[0].value).data(), x.data(),
                        nullptr, nullptr, y->data());
      return true;
    }
    return false;
  }
  // Its weight gradient for its input dy and its dy x; dx is its forward
  // pass on dy.
  bool BackwardOnOneDnn(const Array<T>& x, const Array<T>& dy, Array<T>* dx) {
    if constexpr (std::is_same_v<T, float>) {
      if (!onednn_) return false;
      Parameter<T>& kernel = this->params_[0];
      onednn_->Backward(x.dim(0), dy.data(), std::as_const(kernel.value).data(),
                        x.data(), kernel.grad.data(), nullptr, nullptr);
      if (dx != nullptr) {
        dx->Resize(x.shape());
        onednn_->Forward(x.dim(0), dy.data(),
                         std::as_const(kernel.value).data(), nullptr,
                         dx->data());
      }
      return true;
    }
    return false;
  }

  Conv2DTranspose spec_;
  // The convolution from this layer's output (in) to its input (out).
  Window1D gh_, gw_;
  Index C_ = 0;
  // float32, not pointwise: that convolution runs on oneDNN.
  std::unique_ptr<OneDnnConv2D> onednn_;
};

// ------------------------------------------------------------------ conv1d

// A Conv2D on the input seen as pictures one row high: (m, T, C) and
// (m, 1, T, C) are the same numbers in the same order.
template <typename T>
class Conv1DLayer : public Layer<T> {
 public:
  explicit Conv1DLayer(const Conv1D& spec)
      : spec_(spec),
        conv_(MakeLayer<T>(Conv2D(spec.filters, Size2(1, spec.kernel_size),
                                  Size2(1, spec.strides), spec.padding))) {
    this->set_name(spec.name);
  }
  std::string type() const override { return "Conv1D"; }
  std::string default_name() const override { return "conv1d"; }

 protected:
  Shape DoBuild(const std::vector<Shape>& in, RandomState& rng) override {
    if (in[0].size() != 2) {
      throw std::invalid_argument(this->Describe() +
                                  " needs inputs (m, T, n_C), got " +
                                  KerasShapeString(in[0]));
    }
    conv_->set_name(this->name());
    const Shape out = conv_->Build({{1, in[0][0], in[0][1]}}, rng);
    this->params_ = conv_->parameters();
    return {out[1], out[2]};
  }
  void DoForward(const std::vector<const Array<T>*>& inputs, Array<T>* output,
                 bool training) override {
    const Array<T>& x = *inputs[0];
    x4_.Resize({x.dim(0), 1, x.dim(1), x.dim(2)});
    x4_.vec() = x.vec();
    for (size_t k = 0; k < this->params_.size(); ++k) {
      conv_->parameters()[k].value.vec() = this->params_[k].value.vec();
    }
    conv_->Forward({&x4_}, &y4_, training);
    output->Resize({y4_.dim(0), y4_.dim(2), y4_.dim(3)});
    output->vec() = y4_.vec();
  }
  void DoBackward(const std::vector<const Array<T>*>&, const Array<T>&,
                  const Array<T>& doutput,
                  const std::vector<Array<T>*>& dinputs) override {
    dy4_.Resize(y4_.shape());
    dy4_.vec() = doutput.vec();
    Array<T>* dx = dinputs[0];
    conv_->Backward({&x4_}, y4_, dy4_, {dx ? &dx4_ : nullptr});
    for (size_t k = 0; k < this->params_.size(); ++k) {
      this->params_[k].grad.vec() = conv_->parameters()[k].grad.vec();
    }
    if (dx) {
      dx->Resize({x4_.dim(0), x4_.dim(2), x4_.dim(3)});
      dx->vec() = dx4_.vec();
    }
  }

 private:
  Conv1D spec_;
  std::unique_ptr<Layer<T>> conv_;
  Array<T> x4_, y4_, dy4_, dx4_;  // (m, 1, T, C) and (m, 1, T', filters)
};

}  // namespace

// ------------------------------------------------------------ factories

template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const Conv1D& spec) {
  return std::make_unique<Conv1DLayer<T>>(spec);
}

template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const Conv2D& spec) {
  return std::make_unique<Conv2DLayer<T>>(spec);
}

template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const Conv2DTranspose& spec) {
  return std::make_unique<Conv2DTransposeLayer<T>>(spec);
}

// --------------------------------------------------------- instantiations

#define DL_NN_INSTANTIATE(T)                                      \
  template std::unique_ptr<Layer<T>> MakeLayer<T>(const Conv2D&); \
  template std::unique_ptr<Layer<T>> MakeLayer<T>(const Conv1D&); \
  template std::unique_ptr<Layer<T>> MakeLayer<T>(const Conv2DTranspose&);

DL_NN_INSTANTIATE(float)
DL_NN_INSTANTIATE(double)
#undef DL_NN_INSTANTIATE

}  // namespace nn
}  // namespace dl
