// File: common/nn/layers.cc
//
// The layers of common/nn/layers.h. Everything works on flat row-major buffers
// seen through Eigen maps; the convolutions copy windows into one im2col
// matrix and do ONE matrix product per batch. A Conv2D keeps its im2col
// matrix from a training Forward for its Backward (in its own buffer,
// reused from step to step); otherwise the matrix goes to a scratch buffer
// shared by all layers of the thread, grown only when a larger one is
// needed.
// This file: shapes, padding, initializers and the Layer base class; the
// layers are in conv_layers.cc, pooling_layers.cc, normalization_layers.cc
// and core_layers.cc (with the losses); their shared kernels in
// layer_kernels.h. Explicit instantiations for float and double at the end.

#include "common/nn/layers.h"

#include <algorithm>
#include <cctype>
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

namespace dl {
namespace nn {

std::string ShapeString(const Shape& shape) {
  return dl::shape_string(std::vector<int64_t>(shape.begin(), shape.end()));
}

std::string KerasShapeString(const Shape& shape) {
  std::string s = "(None";
  for (Index d : shape) s += ", " + std::to_string(d);
  return s + ")";
}

std::string WithThousands(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  const int len = static_cast<int>(digits.size());
  for (int i = 0; i < len; ++i) {
    if (i > 0 && (len - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

Index NumElements(const Shape& shape) {
  Index n = 1;
  for (Index d : shape) n *= d;
  return n;
}

template <typename T>
void GatherRows(const Array<T>& a, const std::vector<int64_t>& rows,
                size_t begin, size_t end, Array<T>* out) {
  if (a.rank() == 0 || end < begin || end > rows.size()) {
    throw std::invalid_argument("GatherRows: bad range or a scalar array");
  }
  const Index n = a.dim(0);
  const Index row = n == 0 ? 0 : a.size() / n;
  Shape shape = a.shape();
  shape[0] = static_cast<Index>(end - begin);
  out->Resize(shape);
  for (size_t k = begin; k < end; ++k) {
    const int64_t r = rows[k];
    if (r < 0 || r >= n) throw std::out_of_range("GatherRows: row index");
    std::copy(a.data() + r * row, a.data() + (r + 1) * row,
              out->data() + static_cast<Index>(k - begin) * row);
  }
}

// ------------------------------------------------------------------ padding

Padding::Padding(const std::string& name) {
  std::string lower;
  for (char c : name) {
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (lower == "valid") {
    kind_ = Kind::kValid;
  } else if (lower == "same") {
    kind_ = Kind::kSame;
  } else {
    throw std::invalid_argument("padding \"" + name +
                                "\": expected \"valid\", \"same\" or a number");
  }
}

std::string Padding::ToString() const {
  switch (kind_) {
    case Kind::kValid:
      return "valid";
    case Kind::kSame:
      return "same";
    case Kind::kExplicit:
      return std::to_string(pad_);
  }
  return "";
}

Window1D ConvWindow(Index in, int k, int stride, const Padding& padding) {
  if (k <= 0 || stride <= 0) {
    throw std::invalid_argument("window size " + std::to_string(k) +
                                " and stride " + std::to_string(stride) +
                                " must be positive");
  }
  Window1D w;
  w.in = in;
  w.k = k;
  w.stride = stride;
  switch (padding.kind()) {
    case Padding::Kind::kValid:
      if (in < k) {
        throw std::invalid_argument(
            "an input of " + std::to_string(in) +
            " positions is smaller than the window of " + std::to_string(k) +
            " with padding \"valid\"");
      }
      w.out = (in - k) / stride + 1;
      break;
    case Padding::Kind::kSame: {
      if (in <= 0) throw std::invalid_argument("empty input");
      w.out = (in + stride - 1) / stride;
      const Index total = std::max<Index>((w.out - 1) * stride + k - in, 0);
      w.before = total / 2;
      w.after = total - w.before;
      break;
    }
    case Padding::Kind::kExplicit:
      if (padding.pad() < 0) {
        throw std::invalid_argument("negative padding " +
                                    std::to_string(padding.pad()));
      }
      w.before = w.after = padding.pad();
      if (in + 2 * padding.pad() < k) {
        throw std::invalid_argument(
            "an input of " + std::to_string(in) + " positions padded by " +
            std::to_string(padding.pad()) + " is smaller than the window of " +
            std::to_string(k));
      }
      w.out = (in + 2 * padding.pad() - k) / stride + 1;
      break;
  }
  return w;
}

// ------------------------------------------------------------- initializers

template <typename T>
void Initialize(const Initializer& init, double fan_in, double fan_out,
                RandomState& rng, Array<T>* values) {
  // Keras's truncated normal: |z| <= 2, rescaled to keep the stddev.
  const auto truncated = [&rng](double stddev) {
    double z;
    do {
      z = rng.standard_normal();
    } while (std::abs(z) > 2.0);
    return z * stddev / 0.87962566103423978;
  };
  T* v = values->data();
  const Index n = values->size();
  switch (init.kind) {
    case Initializer::Kind::kGlorotUniform: {
      const double limit = std::sqrt(6.0 / (fan_in + fan_out));
      for (Index i = 0; i < n; ++i) v[i] = T(rng.uniform(-limit, limit));
      break;
    }
    case Initializer::Kind::kGlorotNormal: {
      const double stddev = std::sqrt(2.0 / (fan_in + fan_out));
      for (Index i = 0; i < n; ++i) v[i] = T(truncated(stddev));
      break;
    }
    case Initializer::Kind::kHeNormal: {
      const double stddev = std::sqrt(2.0 / fan_in);
      for (Index i = 0; i < n; ++i) v[i] = T(truncated(stddev));
      break;
    }
    case Initializer::Kind::kHeUniform: {
      const double limit = std::sqrt(6.0 / fan_in);
      for (Index i = 0; i < n; ++i) v[i] = T(rng.uniform(-limit, limit));
      break;
    }
    case Initializer::Kind::kRandomUniform:
      for (Index i = 0; i < n; ++i) v[i] = T(rng.uniform(init.a, init.b));
      break;
    case Initializer::Kind::kRandomNormal:
      for (Index i = 0; i < n; ++i) {
        v[i] = T(init.a + init.b * rng.standard_normal());
      }
      break;
    case Initializer::Kind::kConstant:
      values->SetConstant(T(init.a));
      break;
  }
}

// -------------------------------------------------------------- layer base

template <typename T>
Shape Layer<T>::Build(const std::vector<Shape>& input_shapes,
                      RandomState& rng) {
  const int n = static_cast<int>(input_shapes.size());
  if (n < min_inputs() || n > max_inputs()) {
    throw std::invalid_argument(
        Describe() + " takes " +
        (min_inputs() == max_inputs()
             ? std::to_string(min_inputs())
             : std::to_string(min_inputs()) + " or more") +
        " input(s), got " + std::to_string(n));
  }
  params_.clear();
  output_shape_ = DoBuild(input_shapes, rng);
  input_shapes_ = input_shapes;
  built_ = true;
  return output_shape_;
}

template <typename T>
std::string Layer<T>::Describe() const {
  return (name_.empty() ? default_name() : name_) + " (" + type() + ")";
}

template <typename T>
void Layer<T>::CheckInputs(const std::vector<const Array<T>*>& inputs) const {
  if (!built_) throw std::logic_error(Describe() + ": Build() it first");
  if (inputs.size() != input_shapes_.size()) {
    throw std::invalid_argument(
        Describe() + ": expected " + std::to_string(input_shapes_.size()) +
        " input(s), got " + std::to_string(inputs.size()));
  }
  for (size_t k = 0; k < inputs.size(); ++k) {
    const Shape& got = inputs[k]->shape();
    const Shape& want = input_shapes_[k];
    const bool ok = got.size() == want.size() + 1 &&
                    std::equal(want.begin(), want.end(), got.begin() + 1) &&
                    got[0] == inputs[0]->shape()[0];
    if (!ok) {
      throw std::invalid_argument(Describe() + ": input " + std::to_string(k) +
                                  " has shape " + ShapeString(got) +
                                  ", expected " + KerasShapeString(want));
    }
  }
}

template <typename T>
void Layer<T>::Forward(const std::vector<const Array<T>*>& inputs,
                       Array<T>* output, bool training) {
  CheckInputs(inputs);
  DoForward(inputs, output, training && !inference_only_);
}

template <typename T>
void Layer<T>::Backward(const std::vector<const Array<T>*>& inputs,
                        const Array<T>& output, const Array<T>& doutput,
                        const std::vector<Array<T>*>& dinputs) {
  CheckInputs(inputs);
  if (doutput.shape() != output.shape()) {
    throw std::invalid_argument(Describe() +
                                ": the output's gradient has shape " +
                                ShapeString(doutput.shape()) + ", the output " +
                                ShapeString(output.shape()));
  }
  if (dinputs.size() != inputs.size()) {
    throw std::invalid_argument(Describe() +
                                ": one input gradient per input (or null)");
  }
  AllocateGradients();
  DoBackward(inputs, output, doutput, dinputs);
}

template <typename T>
void Layer<T>::AllocateGradients() {
  for (Parameter<T>& p : params_) {
    if (p.trainable && (p.grad.shape() != p.value.shape() ||
                        p.grad.size() != p.value.size())) {
      p.grad = Array<T>(p.value.shape());
    }
  }
}

template <typename T>
Array<T> Layer<T>::Forward(const Array<T>& input, bool training) {
  Array<T> output;
  Forward(std::vector<const Array<T>*>{&input}, &output, training);
  return output;
}

template <typename T>
Array<T> Layer<T>::Backward(const Array<T>& input, const Array<T>& output,
                            const Array<T>& doutput) {
  Array<T> dinput;
  Backward(std::vector<const Array<T>*>{&input}, output, doutput,
           std::vector<Array<T>*>{&dinput});
  return dinput;
}

template <typename T>
Parameter<T>* Layer<T>::parameter(const std::string& name) {
  for (Parameter<T>& p : params_) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

template <typename T>
int64_t Layer<T>::CountParameters(bool trainable) const {
  int64_t n = 0;
  for (const Parameter<T>& p : params_) {
    if (p.trainable == trainable) n += p.value.size();
  }
  return n;
}

template <typename T>
Parameter<T>& Layer<T>::AddParameter(const std::string& name,
                                     const Shape& shape,
                                     const Initializer& init, double fan_in,
                                     double fan_out, bool trainable,
                                     RandomState& rng) {
  Parameter<T> p;
  p.name = name;
  p.value = Array<T>(shape);
  Initialize(init, fan_in, fan_out, rng, &p.value);
  p.trainable = trainable;
  params_.push_back(std::move(p));
  return params_.back();
}

// --------------------------------------------------------- instantiations

#define DL_NN_INSTANTIATE(T)                                                \
  template class Layer<T>;                                                  \
  template void GatherRows<T>(const Array<T>&, const std::vector<int64_t>&, \
                              size_t, size_t, Array<T>*);                   \
  template void Initialize<T>(const Initializer&, double, double,           \
                              RandomState&, Array<T>*);

DL_NN_INSTANTIATE(float)
DL_NN_INSTANTIATE(double)
#undef DL_NN_INSTANTIATE

}  // namespace nn
}  // namespace dl
