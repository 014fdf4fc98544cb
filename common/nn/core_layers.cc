// File: common/nn/core_layers.cc
//
// The core layers of layers.h: Dense, the activations, Dropout, Flatten,
// ZeroPadding2D, Add and Concatenate; the softmax and sigmoid of arrays.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
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

// ------------------------------------------------------------------ dense

template <typename T>
class DenseLayer : public Layer<T> {
 public:
  explicit DenseLayer(const Dense& spec) : spec_(spec) {
    this->set_name(spec.name);
  }
  std::string type() const override { return "Dense"; }
  std::string default_name() const override { return "dense"; }

 protected:
  Shape DoBuild(const std::vector<Shape>& in, RandomState& rng) override {
    if (in[0].empty()) {
      throw std::invalid_argument(this->Describe() +
                                  " needs inputs (m, n_in), got (None,)");
    }
    if (spec_.units <= 0) {
      throw std::invalid_argument(this->Describe() + ": units must be > 0");
    }
    n_in_ = in[0].back();
    this->AddParameter("kernel", {n_in_, spec_.units}, spec_.kernel_initializer,
                       double(n_in_), double(spec_.units), true, rng);
    if (spec_.use_bias) {
      this->AddParameter("bias", {spec_.units}, spec_.bias_initializer, 0, 0,
                         true, rng);
    }
    Shape out = in[0];
    out.back() = spec_.units;
    return out;
  }
  void DoForward(const std::vector<const Array<T>*>& inputs, Array<T>* output,
                 bool) override {
    const Array<T>& x = *inputs[0];
    Shape shape = x.shape();
    shape.back() = spec_.units;
    output->Resize(shape);
    auto Y = output->rows_by_last();
    Y.noalias() =
        x.rows_by_last() *
        std::as_const(this->params_[0].value).matrix(n_in_, spec_.units);
    if (spec_.use_bias) AddBias(this->params_[1].value.data(), output);
  }
  void DoBackward(const std::vector<const Array<T>*>& inputs, const Array<T>&,
                  const Array<T>& doutput,
                  const std::vector<Array<T>*>& dinputs) override {
    const Array<T>& x = *inputs[0];
    const auto dY = doutput.rows_by_last();
    const auto X = x.rows_by_last();
    this->params_[0].grad.matrix(n_in_, spec_.units).noalias() =
        X.transpose() * dY;
    if (spec_.use_bias) ColumnSums<T>(dY, &this->params_[1].grad);
    if (Array<T>* dx = dinputs[0]) {
      dx->Resize(x.shape());
      dx->rows_by_last().noalias() = dY * std::as_const(this->params_[0].value)
                                              .matrix(n_in_, spec_.units)
                                              .transpose();
    }
  }

 private:
  Dense spec_;
  Index n_in_ = 0;
};

// ------------------------------------------------------------ activations

enum class Fn { kLinear, kRelu, kSigmoid, kTanh, kSoftmax };

Fn ParseFn(const std::string& name) {
  if (name == "linear") return Fn::kLinear;
  if (name == "relu" || name == "relu6") return Fn::kRelu;
  if (name == "sigmoid") return Fn::kSigmoid;
  if (name == "tanh") return Fn::kTanh;
  if (name == "softmax") return Fn::kSoftmax;
  throw std::invalid_argument(
      "Activation(\"" + name +
      "\"): expected relu, relu6, sigmoid, tanh, softmax or linear");
}

template <typename T>
void SoftmaxRows(const Eigen::Map<const RowMatrix<T>>& z,
                 Eigen::Map<RowMatrix<T>> y) {
  for (Index r = 0; r < z.rows(); ++r) {
    const T mx = z.row(r).maxCoeff();
    y.row(r) = (z.row(r).array() - mx).exp().matrix();
    y.row(r) /= y.row(r).sum();
  }
}

// d = dy where 0 < y < cap, else 0 (ReLU(max_value)'s gradient), as a
// branchless loop (Eigen's && of two comparisons is evaluated entry by
// entry through bools and branches, which mispredict half the time).
template <typename T>
void CappedReluGradient(const T* __restrict y, const T* __restrict dy, Index n,
                        T cap, T* __restrict d) {
  for (Index k = 0; k < n; ++k) {
    const bool inside = (y[k] > T(0)) & (y[k] < cap);
    d[k] = dy[k] * static_cast<T>(inside);
  }
}

template <typename T>
class ActivationLayer : public Layer<T> {
 public:
  // max_value: the ReLU's cap (Keras's ReLU(max_value)), infinity for
  // none.
  ActivationLayer(Fn fn, bool keras_relu, const std::string& name,
                  double max_value = std::numeric_limits<double>::infinity())
      : fn_(fn), keras_relu_(keras_relu), max_value_(max_value) {
    if (!(max_value > 0)) {
      throw std::invalid_argument("ReLU: max_value must be > 0");
    }
    this->set_name(name);
  }
  std::string type() const override {
    return keras_relu_ ? "ReLU" : "Activation";
  }
  std::string default_name() const override {
    return keras_relu_ ? "re_lu" : "activation";
  }

 protected:
  Shape DoBuild(const std::vector<Shape>& in, RandomState&) override {
    if (fn_ == Fn::kSoftmax && in[0].empty()) {
      throw std::invalid_argument(this->Describe() + ": softmax needs an axis");
    }
    return in[0];
  }
  void DoForward(const std::vector<const Array<T>*>& inputs, Array<T>* output,
                 bool) override {
    const Array<T>& x = *inputs[0];
    output->Resize(x.shape());
    if (fn_ == Fn::kSoftmax) {
      SoftmaxRows<T>(x.rows_by_last(), output->rows_by_last());
      return;
    }
    // Element by element, in two halves cut at a multiple of 64 entries (so
    // that Eigen's vector packets fall where they would in one piece).
    InHalves(x.size(), 1, 64, [&](Index begin, Index end) {
      auto X = x.vec().segment(begin, end - begin).array();
      auto Y = output->vec().segment(begin, end - begin).array();
      switch (fn_) {
        case Fn::kLinear:
          Y = X;
          break;
        case Fn::kRelu:
          if (std::isinf(max_value_)) {
            Y = X.max(T(0));
          } else {
            Y = X.max(T(0)).min(T(max_value_));
          }
          break;
        case Fn::kSigmoid:
          Y = T(1) / (T(1) + (-X).exp());
          break;
        case Fn::kTanh:
          Y = X.tanh();
          break;
        case Fn::kSoftmax:
          break;
      }
    });
  }
  void DoBackward(const std::vector<const Array<T>*>&, const Array<T>& output,
                  const Array<T>& doutput,
                  const std::vector<Array<T>*>& dinputs) override {
    Array<T>* dx = dinputs[0];
    if (dx == nullptr) return;
    dx->Resize(output.shape());
    if (fn_ != Fn::kSoftmax) {
      InHalves(output.size(), 1, 64, [&](Index begin, Index end) {
        auto y = output.vec().segment(begin, end - begin).array();
        auto dy = doutput.vec().segment(begin, end - begin).array();
        auto d = dx->vec().segment(begin, end - begin).array();
        switch (fn_) {
          case Fn::kLinear:
            d = dy;
            break;
          case Fn::kRelu:
            if (std::isinf(max_value_)) {
              ReluGradient(output.data() + begin, doutput.data() + begin,
                           end - begin, dx->data() + begin);
            } else {
              CappedReluGradient(output.data() + begin, doutput.data() + begin,
                                 end - begin, T(max_value_),
                                 dx->data() + begin);
            }
            break;
          case Fn::kSigmoid:
            d = dy * y * (T(1) - y);
            break;
          case Fn::kTanh:
            d = dy * (T(1) - y.square());
            break;
          case Fn::kSoftmax:
            break;
        }
      });
      return;
    }
    // Softmax: dx = y ⊙ (dy - Σ y ⊙ dy), row by row.
    const auto Y = output.rows_by_last();
    const auto dY = doutput.rows_by_last();
    auto D = dx->rows_by_last();
    for (Index r = 0; r < Y.rows(); ++r) {
      const T dot = Y.row(r).dot(dY.row(r));
      D.row(r) = (Y.row(r).array() * (dY.row(r).array() - dot)).matrix();
    }
  }

 private:
  Fn fn_;
  bool keras_relu_;
  double max_value_;
};

// ---------------------------------------------------------------- dropout

template <typename T>
class DropoutLayer : public Layer<T> {
 public:
  explicit DropoutLayer(const Dropout& spec) : spec_(spec) {
    if (!(spec.rate >= 0 && spec.rate < 1)) {
      throw std::invalid_argument("Dropout: rate must be in [0, 1)");
    }
    rng_.seed(static_cast<uint32_t>(spec.seed < 0 ? 0 : spec.seed));
    this->set_name(spec.name);
  }
  std::string type() const override { return "Dropout"; }
  std::string default_name() const override { return "dropout"; }
  void Seed(uint32_t seed) { rng_.seed(seed); }

 protected:
  Shape DoBuild(const std::vector<Shape>& in, RandomState&) override {
    return in[0];
  }
  void DoForward(const std::vector<const Array<T>*>& inputs, Array<T>* output,
                 bool training) override {
    const Array<T>& x = *inputs[0];
    training_ = training && spec_.rate > 0;
    output->Resize(x.shape());
    if (!training_) {
      output->vec() = x.vec();
      return;
    }
    const double keep = 1 - spec_.rate;
    const T scale = T(1 / keep);
    mask_.Resize(x.shape());
    T* mask = mask_.data();
    for (Index k = 0; k < x.size(); ++k) {
      mask[k] = rng_.random_sample() < keep ? scale : T(0);
    }
    output->vec().array() = x.vec().array() * mask_.vec().array();
  }
  void DoBackward(const std::vector<const Array<T>*>&, const Array<T>& output,
                  const Array<T>& doutput,
                  const std::vector<Array<T>*>& dinputs) override {
    Array<T>* dx = dinputs[0];
    if (dx == nullptr) return;
    dx->Resize(output.shape());
    if (training_) {
      dx->vec().array() = doutput.vec().array() * mask_.vec().array();
    } else {
      dx->vec() = doutput.vec();
    }
  }

 private:
  Dropout spec_;
  RandomState rng_;
  bool training_ = false;
  Array<T> mask_;  // 0 or 1 / (1 - rate), of the last training Forward
};

// ------------------------------------------------------- reshaping layers

template <typename T>
class FlattenLayer : public Layer<T> {
 public:
  explicit FlattenLayer(const Flatten& spec) { this->set_name(spec.name); }
  std::string type() const override { return "Flatten"; }
  std::string default_name() const override { return "flatten"; }

 protected:
  Shape DoBuild(const std::vector<Shape>& in, RandomState&) override {
    return {NumElements(in[0])};
  }
  void DoForward(const std::vector<const Array<T>*>& inputs, Array<T>* output,
                 bool) override {
    const Array<T>& x = *inputs[0];
    output->Resize({x.dim(0), this->output_shape()[0]});
    output->vec() = x.vec();
  }
  void DoBackward(const std::vector<const Array<T>*>& inputs, const Array<T>&,
                  const Array<T>& doutput,
                  const std::vector<Array<T>*>& dinputs) override {
    if (Array<T>* dx = dinputs[0]) {
      dx->Resize(inputs[0]->shape());
      dx->vec() = doutput.vec();
    }
  }
};

template <typename T>
class ZeroPaddingLayer : public Layer<T> {
 public:
  explicit ZeroPaddingLayer(const ZeroPadding2D& spec) : spec_(spec) {
    if (spec.top < 0 || spec.bottom < 0 || spec.left < 0 || spec.right < 0) {
      throw std::invalid_argument("ZeroPadding2D: negative padding");
    }
    this->set_name(spec.name);
  }
  std::string type() const override { return "ZeroPadding2D"; }
  std::string default_name() const override { return "zero_padding2d"; }

 protected:
  Shape DoBuild(const std::vector<Shape>& in, RandomState&) override {
    CheckImageShape(this->Describe(), in[0]);
    return {in[0][0] + spec_.top + spec_.bottom,
            in[0][1] + spec_.left + spec_.right, in[0][2]};
  }
  // Calls f(padded row pointer, input row pointer, row length) for every
  // input row (i, h).
  template <typename F>
  void ForEachRow(const Shape& xs, F f) const {
    const Index m = xs[0], H = xs[1], W = xs[2], C = xs[3];
    const Index Hp = H + spec_.top + spec_.bottom;
    const Index Wp = W + spec_.left + spec_.right;
    for (Index i = 0; i < m; ++i) {
      for (Index h = 0; h < H; ++h) {
        f(((i * Hp + h + spec_.top) * Wp + spec_.left) * C, (i * H + h) * W * C,
          W * C);
      }
    }
  }
  void DoForward(const std::vector<const Array<T>*>& inputs, Array<T>* output,
                 bool) override {
    const Array<T>& x = *inputs[0];
    const Shape& o = this->output_shape();
    output->Resize({x.dim(0), o[0], o[1], o[2]});
    output->SetZero();
    ForEachRow(x.shape(), [&](Index po, Index xo, Index n) {
      std::copy(x.data() + xo, x.data() + xo + n, output->data() + po);
    });
  }
  void DoBackward(const std::vector<const Array<T>*>& inputs, const Array<T>&,
                  const Array<T>& doutput,
                  const std::vector<Array<T>*>& dinputs) override {
    Array<T>* dx = dinputs[0];
    if (dx == nullptr) return;
    dx->Resize(inputs[0]->shape());
    ForEachRow(inputs[0]->shape(), [&](Index po, Index xo, Index n) {
      std::copy(doutput.data() + po, doutput.data() + po + n, dx->data() + xo);
    });
  }

 private:
  ZeroPadding2D spec_;
};

// ------------------------------------------------------- merging layers

template <typename T>
class AddLayer : public Layer<T> {
 public:
  explicit AddLayer(const Add& spec) { this->set_name(spec.name); }
  std::string type() const override { return "Add"; }
  std::string default_name() const override { return "add"; }
  int min_inputs() const override { return 2; }
  int max_inputs() const override { return 1 << 20; }

 protected:
  Shape DoBuild(const std::vector<Shape>& in, RandomState&) override {
    for (const Shape& s : in) {
      if (s != in[0]) {
        throw std::invalid_argument(
            this->Describe() + ": inputs of different shapes " +
            KerasShapeString(in[0]) + " and " + KerasShapeString(s));
      }
    }
    return in[0];
  }
  void DoForward(const std::vector<const Array<T>*>& inputs, Array<T>* output,
                 bool) override {
    output->Resize(inputs[0]->shape());
    output->vec() = inputs[0]->vec() + inputs[1]->vec();
    for (size_t k = 2; k < inputs.size(); ++k) {
      output->vec() += inputs[k]->vec();
    }
  }
  void DoBackward(const std::vector<const Array<T>*>&, const Array<T>&,
                  const Array<T>& doutput,
                  const std::vector<Array<T>*>& dinputs) override {
    for (Array<T>* dx : dinputs) {
      if (dx == nullptr) continue;
      dx->Resize(doutput.shape());
      std::copy(doutput.data(), doutput.data() + doutput.size(), dx->data());
    }
  }
};

template <typename T>
class ConcatenateLayer : public Layer<T> {
 public:
  explicit ConcatenateLayer(const Concatenate& spec) {
    this->set_name(spec.name);
  }
  std::string type() const override { return "Concatenate"; }
  std::string default_name() const override { return "concatenate"; }
  int min_inputs() const override { return 2; }
  int max_inputs() const override { return 1 << 20; }

 protected:
  Shape DoBuild(const std::vector<Shape>& in, RandomState&) override {
    Shape out = in[0];
    if (out.empty()) {
      throw std::invalid_argument(this->Describe() + ": inputs need an axis");
    }
    out.back() = 0;
    for (const Shape& s : in) {
      const bool same_lead = s.size() == in[0].size() &&
                             std::equal(s.begin(), s.end() - 1, in[0].begin());
      if (!same_lead) {
        throw std::invalid_argument(
            this->Describe() + ": inputs " + KerasShapeString(in[0]) + " and " +
            KerasShapeString(s) + " differ before the last axis");
      }
      out.back() += s.back();
    }
    return out;
  }
  void DoForward(const std::vector<const Array<T>*>& inputs, Array<T>* output,
                 bool) override {
    Shape shape = inputs[0]->shape();
    shape.back() = this->output_shape().back();
    output->Resize(shape);
    auto Y = output->rows_by_last();
    Index col = 0;
    for (const Array<T>* x : inputs) {
      const auto X = x->rows_by_last();
      Y.middleCols(col, X.cols()) = X;
      col += X.cols();
    }
  }
  void DoBackward(const std::vector<const Array<T>*>& inputs, const Array<T>&,
                  const Array<T>& doutput,
                  const std::vector<Array<T>*>& dinputs) override {
    const auto dY = doutput.rows_by_last();
    Index col = 0;
    for (size_t k = 0; k < inputs.size(); ++k) {
      const Index n = inputs[k]->dim(-1);
      if (Array<T>* dx = dinputs[k]) {
        dx->Resize(inputs[k]->shape());
        dx->rows_by_last() = dY.middleCols(col, n);
      }
      col += n;
    }
  }
};

}  // namespace

// ------------------------------------------------------------ factories

template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const Dense& spec) {
  return std::make_unique<DenseLayer<T>>(spec);
}

template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const ReLU& spec) {
  return std::make_unique<ActivationLayer<T>>(Fn::kRelu, true, spec.name,
                                              spec.max_value);
}

template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const Activation& spec) {
  return std::make_unique<ActivationLayer<T>>(
      ParseFn(spec.function), false, spec.name,
      spec.function == "relu6" ? 6.0 : std::numeric_limits<double>::infinity());
}

template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const Dropout& spec) {
  return std::make_unique<DropoutLayer<T>>(spec);
}

template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const Flatten& spec) {
  return std::make_unique<FlattenLayer<T>>(spec);
}

template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const ZeroPadding2D& spec) {
  return std::make_unique<ZeroPaddingLayer<T>>(spec);
}

template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const Add& spec) {
  return std::make_unique<AddLayer<T>>(spec);
}

template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const Concatenate& spec) {
  return std::make_unique<ConcatenateLayer<T>>(spec);
}

template <typename T>
void SetDropoutSeed(Layer<T>& layer, uint32_t seed) {
  auto* dropout = dynamic_cast<DropoutLayer<T>*>(&layer);
  if (dropout == nullptr) {
    throw std::invalid_argument("SetDropoutSeed: " + layer.name() + " is a " +
                                layer.type() + ", not a Dropout");
  }
  dropout->Seed(seed);
}

// ----------------------------------------------- softmax, sigmoid of arrays

template <typename T>
Array<T> Softmax(const Array<T>& logits) {
  Array<T> out;
  out.Resize(logits.shape());
  SoftmaxRows<T>(logits.rows_by_last(), out.rows_by_last());
  return out;
}

template <typename T>
Array<T> SigmoidOf(const Array<T>& logits) {
  Array<T> out;
  out.Resize(logits.shape());
  out.vec().array() = T(1) / (T(1) + (-logits.vec().array()).exp());
  return out;
}

// --------------------------------------------------------- instantiations

#define DL_NN_INSTANTIATE(T)                                             \
  template std::unique_ptr<Layer<T>> MakeLayer<T>(const Dense&);         \
  template std::unique_ptr<Layer<T>> MakeLayer<T>(const ReLU&);          \
  template std::unique_ptr<Layer<T>> MakeLayer<T>(const Activation&);    \
  template std::unique_ptr<Layer<T>> MakeLayer<T>(const Dropout&);       \
  template std::unique_ptr<Layer<T>> MakeLayer<T>(const Flatten&);       \
  template std::unique_ptr<Layer<T>> MakeLayer<T>(const ZeroPadding2D&); \
  template std::unique_ptr<Layer<T>> MakeLayer<T>(const Add&);           \
  template std::unique_ptr<Layer<T>> MakeLayer<T>(const Concatenate&);   \
  template void SetDropoutSeed<T>(Layer<T>&, uint32_t);                  \
  template Array<T> Softmax<T>(const Array<T>&);                         \
  template Array<T> SigmoidOf<T>(const Array<T>&);

DL_NN_INSTANTIATE(float)
DL_NN_INSTANTIATE(double)
#undef DL_NN_INSTANTIATE

}  // namespace nn
}  // namespace dl
