// File: common/nn/layers.cc
//
// The layers of common/nn/layers.h. Everything works on flat row-major buffers
// seen through Eigen maps; the convolutions copy windows into one im2col
// matrix and do ONE matrix product per batch. A Conv2D keeps its im2col
// matrix from a training Forward for its Backward (in its own buffer,
// reused from step to step); otherwise the matrix goes to a scratch buffer
// shared by all layers of the thread, grown only when a larger one is
// needed.
// Explicit instantiations for float and double at the end.

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
  DoForward(inputs, output, training);
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
  DoBackward(inputs, output, doutput, dinputs);
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
  if (trainable) p.grad = Array<T>(shape);
  p.trainable = trainable;
  params_.push_back(std::move(p));
  return params_.back();
}

namespace {

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

// The image (h, w) at rank-4 input shape (H, W, C): checks rank 3 without
// the batch.
void CheckImageShape(const std::string& who, const Shape& s) {
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
bool IsPointwise(const Window1D& gh, const Window1D& gw) {
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

// ---------------------------------------------------------------- Conv2D

template <typename T>
class Conv2DLayer : public Layer<T> {
 public:
  explicit Conv2DLayer(const Conv2D& spec) : spec_(spec) {
    this->set_name(spec.name);
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
    if (spec_.use_bias) Y.rowwise() += this->params_[1].value.vec().transpose();
  }

  // Per block of rows: the block's im2col matrix again, dW += colsᵀ dY,
  // and dcols = dY Wᵀ added back into dx.
  void DoBackward(const std::vector<const Array<T>*>& inputs, const Array<T>&,
                  const Array<T>& doutput,
                  const std::vector<Array<T>*>& dinputs) override {
    const Array<T>& x = *inputs[0];
    const Index m = x.dim(0), F = spec_.filters;
    const Index M = m * gh_.out * gw_.out, K = gh_.k * gw_.k * C_;
    const auto dY = doutput.matrix(M, F);
    Parameter<T>& kernel = this->params_[0];
    const auto W = std::as_const(kernel.value).matrix(K, F);
    auto dW = kernel.grad.matrix(K, F);
    if (spec_.use_bias) ColumnSums<T>(dY, &this->params_[1].grad);
    Array<T>* dx = dinputs[0];
    if (IsPointwise(gh_, gw_)) {
      dW.noalias() = x.matrix(M, C_).transpose() * dY;
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
    dW.setZero();
    const Index chunk = std::min(M, ChunkRows(K));
    T* cols = Scratch<T>(2 * chunk * K);
    T* dcols = cols + chunk * K;
    for (Index r0 = 0; r0 < M; r0 += chunk) {
      const Index n = std::min(chunk, M - r0);
      Im2ColRows(x.data(), gh_, gw_, C_, r0, r0 + n, cols);
      const auto dYn = dY.middleRows(r0, n);
      dW.noalias() +=
          Eigen::Map<const RowMatrix<T>>(cols, n, K).transpose() * dYn;
      if (dx == nullptr) continue;
      Eigen::Map<RowMatrix<T>>(dcols, n, K).noalias() = dYn * W.transpose();
      Col2ImRows(dcols, gh_, gw_, C_, r0, r0 + n, dx->data());
    }
  }

 private:
  Conv2D spec_;
  Window1D gh_, gw_;
  Index C_ = 0;
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
    if (IsPointwise(gh_, gw_)) {
      output->matrix(M, F).noalias() = x.matrix(M, C_) * Kmat.transpose();
    } else {
      T* dcols = Scratch<T>(M * K);
      Eigen::Map<RowMatrix<T>>(dcols, M, K).noalias() =
          x.matrix(M, C_) * Kmat.transpose();
      output->SetZero();
      Col2Im(dcols, m, gh_, gw_, F, output->data());
    }
    if (spec_.use_bias) {
      output->rows_by_last().rowwise() +=
          this->params_[1].value.vec().transpose();
    }
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
  Conv2DTranspose spec_;
  // The convolution from this layer's output (in) to its input (out).
  Window1D gh_, gw_;
  Index C_ = 0;
};

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

  // Calls f(output offset, input offsets of the window's real cells in
  // (row, column) order) for every output position; offsets are of the
  // first channel.
  template <typename F>
  void ForEachWindow(Index m, F f) const {
    std::vector<Index> cells;
    cells.reserve(gh_.k * gw_.k);
    Index out = 0;
    for (Index i = 0; i < m; ++i) {
      for (Index oh = 0; oh < gh_.out; ++oh) {
        const Index h0 = oh * gh_.stride - gh_.before;
        const Index h_lo = std::max<Index>(h0, 0);
        const Index h_hi = std::min<Index>(h0 + gh_.k, gh_.in);
        for (Index ow = 0; ow < gw_.out; ++ow, out += C_) {
          const Index w0 = ow * gw_.stride - gw_.before;
          const Index w_lo = std::max<Index>(w0, 0);
          const Index w_hi = std::min<Index>(w0 + gw_.k, gw_.in);
          cells.clear();
          for (Index hi = h_lo; hi < h_hi; ++hi) {
            for (Index wi = w_lo; wi < w_hi; ++wi) {
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
    ForEachWindow(m, [&](Index o, const std::vector<Index>& cells) {
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
    ForEachWindow(x.dim(0), [&](Index o, const std::vector<Index>& cells) {
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
      for (Index c = 0; c < C; ++c) {
        // The first cell holding the max, without branches (a search that
        // stops at the max mispredicts on every window).
        Index first = cells[0];
        for (Index k = n - 1; k > 0; --k) {
          first = xd[cells[k] + c] == y[c] ? cells[k] : first;
        }
        if (xd[cells[0] + c] == y[c]) first = cells[0];
        dxd[first + c] += dy[c];
      }
    });
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

// ------------------------------------------------------ batch normalization

template <typename T>
class BatchNormLayer : public Layer<T> {
 public:
  explicit BatchNormLayer(const BatchNormalization& spec) : spec_(spec) {
    this->set_name(spec.name);
  }
  std::string type() const override { return "BatchNormalization"; }
  std::string default_name() const override { return "batch_normalization"; }

 protected:
  Shape DoBuild(const std::vector<Shape>& in, RandomState& rng) override {
    const int rank = static_cast<int>(in[0].size()) + 1;  // with the batch
    if (in[0].empty() || (spec_.axis != -1 && spec_.axis != rank - 1)) {
      throw std::invalid_argument(this->Describe() + ": axis " +
                                  std::to_string(spec_.axis) + " for inputs " +
                                  KerasShapeString(in[0]) +
                                  "; only the last axis (-1 or " +
                                  std::to_string(rank - 1) + ") is supported");
    }
    C_ = in[0].back();
    this->AddParameter("gamma", {C_}, Initializer::Ones(), 0, 0, true, rng);
    this->AddParameter("beta", {C_}, Initializer::Zeros(), 0, 0, true, rng);
    this->AddParameter("moving_mean", {C_}, Initializer::Zeros(), 0, 0, false,
                       rng);
    this->AddParameter("moving_variance", {C_}, Initializer::Ones(), 0, 0,
                       false, rng);
    return in[0];
  }

  // sum over r of row(r) (a row vector of C entries), in double, from
  // blocks of rows summed in T (vectorized, and accurate over hundreds of
  // thousands of rows).
  template <typename F>
  Eigen::ArrayXd SumRows(Index N, F row) const {
    constexpr Index kBlock = 256;
    Eigen::ArrayXd sum = Eigen::ArrayXd::Zero(C_);
    RowVector<T> block(C_);
    for (Index r0 = 0; r0 < N; r0 += kBlock) {
      block.setZero();
      const Index r1 = std::min(N, r0 + kBlock);
      for (Index r = r0; r < r1; ++r) block += row(r);
      sum += block.transpose().template cast<double>().array();
    }
    return sum;
  }

  void DoForward(const std::vector<const Array<T>*>& inputs, Array<T>* output,
                 bool training) override {
    const Array<T>& x = *inputs[0];
    const auto X = x.rows_by_last();
    const Index N = X.rows();
    auto& p = this->params_;
    training_ = training;
    if (training) {
      if (N == 0) throw std::invalid_argument(this->Describe() + ": no rows");
      mean_ = SumRows(N, [&](Index r) { return X.row(r); }) / double(N);
      const RowVector<T> mean_t = mean_.template cast<T>().matrix().transpose();
      const Eigen::ArrayXd var =
          SumRows(N,
                  [&](Index r) {
                    return (X.row(r) - mean_t).array().square().matrix();
                  }) /
          double(N);
      inv_std_ = (var + spec_.epsilon).rsqrt();
      const double mo = spec_.momentum;
      p[2].value.vec() =
          (mo * p[2].value.vec().template cast<double>().array() +
           (1 - mo) * mean_)
              .template cast<T>()
              .matrix();
      p[3].value.vec() =
          (mo * p[3].value.vec().template cast<double>().array() +
           (1 - mo) * var)
              .template cast<T>()
              .matrix();
    } else {
      mean_ = p[2].value.vec().template cast<double>().array();
      inv_std_ =
          (p[3].value.vec().template cast<double>().array() + spec_.epsilon)
              .rsqrt();
    }
    // y = x * scale + shift, channel by channel.
    const Eigen::ArrayXd gamma =
        p[0].value.vec().template cast<double>().array();
    const Eigen::ArrayXd beta =
        p[1].value.vec().template cast<double>().array();
    const RowVector<T> scale =
        (gamma * inv_std_).template cast<T>().matrix().transpose();
    const RowVector<T> shift = (beta - mean_ * gamma * inv_std_)
                                   .template cast<T>()
                                   .matrix()
                                   .transpose();
    output->Resize(x.shape());
    auto Y = output->rows_by_last();
    Y.array() = (X.array().rowwise() * scale.array()).rowwise() + shift.array();
  }

  void DoBackward(const std::vector<const Array<T>*>& inputs, const Array<T>&,
                  const Array<T>& doutput,
                  const std::vector<Array<T>*>& dinputs) override {
    const Array<T>& x = *inputs[0];
    const auto X = x.rows_by_last();
    const auto dY = doutput.rows_by_last();
    const Index N = X.rows();
    auto& p = this->params_;
    // xhat = (x - mean) inv_std; dgamma = sum dy xhat; dbeta = sum dy.
    const RowVector<T> mean_t = mean_.template cast<T>().matrix().transpose();
    const Eigen::ArrayXd sum_dy =
        SumRows(N, [&](Index r) { return dY.row(r); });
    const Eigen::ArrayXd sum_dy_xhat =
        SumRows(N,
                [&](Index r) {
                  return dY.row(r).cwiseProduct(X.row(r) - mean_t);
                }) *
        inv_std_;
    p[0].grad.vec() = sum_dy_xhat.template cast<T>().matrix();
    p[1].grad.vec() = sum_dy.template cast<T>().matrix();
    Array<T>* dx = dinputs[0];
    if (dx == nullptr) return;
    const Eigen::ArrayXd gamma =
        p[0].value.vec().template cast<double>().array();
    dx->Resize(x.shape());
    auto dX = dx->rows_by_last();
    if (!training_) {
      // Inference: y = gamma (x - moving_mean) inv_std + beta, a constant
      // scale per channel.
      const RowVector<T> scale =
          (gamma * inv_std_).template cast<T>().matrix().transpose();
      dX.array() = dY.array().rowwise() * scale.array();
      return;
    }
    // Training: dx = gamma inv_std / N (N dy - sum dy - xhat sum dy xhat),
    // written as dx = a dy + b x + c per channel.
    const Eigen::ArrayXd a = gamma * inv_std_;
    const Eigen::ArrayXd bcoef = -a * inv_std_ * sum_dy_xhat / double(N);
    const Eigen::ArrayXd c = -a * sum_dy / double(N) - bcoef * mean_;
    const RowVector<T> ra = a.template cast<T>().matrix().transpose();
    const RowVector<T> rb = bcoef.template cast<T>().matrix().transpose();
    const RowVector<T> rc = c.template cast<T>().matrix().transpose();
    dX.array() = ((dY.array().rowwise() * ra.array()) +
                  (X.array().rowwise() * rb.array()))
                     .rowwise() +
                 rc.array();
  }

 private:
  BatchNormalization spec_;
  Index C_ = 0;
  bool training_ = false;
  Eigen::ArrayXd mean_, inv_std_;  // of the last Forward
};

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
    if (spec_.use_bias) Y.rowwise() += this->params_[1].value.vec().transpose();
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
  if (name == "relu") return Fn::kRelu;
  if (name == "sigmoid") return Fn::kSigmoid;
  if (name == "tanh") return Fn::kTanh;
  if (name == "softmax") return Fn::kSoftmax;
  throw std::invalid_argument(
      "Activation(\"" + name +
      "\"): expected relu, sigmoid, tanh, softmax or linear");
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

template <typename T>
class ActivationLayer : public Layer<T> {
 public:
  ActivationLayer(Fn fn, bool keras_relu, const std::string& name)
      : fn_(fn), keras_relu_(keras_relu) {
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
    auto X = x.vec().array();
    auto Y = output->vec().array();
    switch (fn_) {
      case Fn::kLinear:
        Y = X;
        break;
      case Fn::kRelu:
        Y = X.max(T(0));
        break;
      case Fn::kSigmoid:
        Y = T(1) / (T(1) + (-X).exp());
        break;
      case Fn::kTanh:
        Y = X.tanh();
        break;
      case Fn::kSoftmax:
        SoftmaxRows<T>(x.rows_by_last(), output->rows_by_last());
        break;
    }
  }
  void DoBackward(const std::vector<const Array<T>*>&, const Array<T>& output,
                  const Array<T>& doutput,
                  const std::vector<Array<T>*>& dinputs) override {
    Array<T>* dx = dinputs[0];
    if (dx == nullptr) return;
    dx->Resize(output.shape());
    auto y = output.vec().array();
    auto dy = doutput.vec().array();
    auto d = dx->vec().array();
    switch (fn_) {
      case Fn::kLinear:
        d = dy;
        break;
      case Fn::kRelu:
        d = dy * (y > T(0)).template cast<T>();
        break;
      case Fn::kSigmoid:
        d = dy * y * (T(1) - y);
        break;
      case Fn::kTanh:
        d = dy * (T(1) - y.square());
        break;
      case Fn::kSoftmax: {
        const auto Y = output.rows_by_last();
        const auto dY = doutput.rows_by_last();
        auto D = dx->rows_by_last();
        for (Index r = 0; r < Y.rows(); ++r) {
          const T dot = Y.row(r).dot(dY.row(r));
          D.row(r) = (Y.row(r).array() * (dY.row(r).array() - dot)).matrix();
        }
        break;
      }
    }
  }

 private:
  Fn fn_;
  bool keras_relu_;
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
    output->vec() = inputs[0]->vec();
    for (size_t k = 1; k < inputs.size(); ++k) {
      output->vec() += inputs[k]->vec();
    }
  }
  void DoBackward(const std::vector<const Array<T>*>&, const Array<T>&,
                  const Array<T>& doutput,
                  const std::vector<Array<T>*>& dinputs) override {
    for (Array<T>* dx : dinputs) {
      if (dx == nullptr) continue;
      dx->Resize(doutput.shape());
      dx->vec() = doutput.vec();
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
std::unique_ptr<Layer<T>> MakeLayer(const Conv2D& spec) {
  return std::make_unique<Conv2DLayer<T>>(spec);
}
template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const Conv2DTranspose& spec) {
  return std::make_unique<Conv2DTransposeLayer<T>>(spec);
}
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
template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const BatchNormalization& spec) {
  return std::make_unique<BatchNormLayer<T>>(spec);
}
template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const Dense& spec) {
  return std::make_unique<DenseLayer<T>>(spec);
}
template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const ReLU& spec) {
  return std::make_unique<ActivationLayer<T>>(Fn::kRelu, true, spec.name);
}
template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const Activation& spec) {
  return std::make_unique<ActivationLayer<T>>(ParseFn(spec.function), false,
                                              spec.name);
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

// ----------------------------------------------------------------- losses

namespace {

void CheckLabels(const char* who, Index m, size_t labels) {
  if (static_cast<Index>(labels) != m) {
    throw std::invalid_argument(std::string(who) + ": " +
                                std::to_string(labels) + " labels for " +
                                std::to_string(m) + " examples");
  }
}

}  // namespace

template <typename T>
double SoftmaxCrossEntropy(const Array<T>& logits,
                           const std::vector<int>& labels, Array<T>* dlogits) {
  if (logits.rank() != 2) {
    throw std::invalid_argument("SoftmaxCrossEntropy: logits " +
                                ShapeString(logits.shape()) +
                                ", expected (m, classes)");
  }
  const Index m = logits.dim(0), C = logits.dim(1);
  CheckLabels("SoftmaxCrossEntropy", m, labels.size());
  const auto Z = logits.matrix(m, C);
  if (dlogits != nullptr) dlogits->Resize(logits.shape());
  double total = 0;
  for (Index i = 0; i < m; ++i) {
    const int y = labels[i];
    if (y < 0 || y >= C) {
      throw std::invalid_argument(
          "SoftmaxCrossEntropy: label " + std::to_string(y) + " of example " +
          std::to_string(i) + " not in [0, " + std::to_string(C) + ")");
    }
    const double mx = Z.row(i).maxCoeff();
    double sum = 0;
    for (Index c = 0; c < C; ++c) sum += std::exp(double(Z(i, c)) - mx);
    const double log_sum = std::log(sum) + mx;
    total += log_sum - double(Z(i, y));
    if (dlogits != nullptr) {
      for (Index c = 0; c < C; ++c) {
        const double p = std::exp(double(Z(i, c)) - log_sum);
        (*dlogits)[i * C + c] = T((p - (c == y ? 1.0 : 0.0)) / double(m));
      }
    }
  }
  return m == 0 ? 0.0 : total / double(m);
}

template <typename T>
double BinaryCrossEntropy(const Array<T>& logits,
                          const std::vector<int>& labels, Array<T>* dlogits) {
  const bool ok =
      (logits.rank() == 2 && logits.dim(1) == 1) || logits.rank() == 1;
  if (!ok) {
    throw std::invalid_argument("BinaryCrossEntropy: logits " +
                                ShapeString(logits.shape()) +
                                ", expected (m, 1) or (m)");
  }
  const Index m = logits.dim(0);
  CheckLabels("BinaryCrossEntropy", m, labels.size());
  if (dlogits != nullptr) dlogits->Resize(logits.shape());
  double total = 0;
  for (Index i = 0; i < m; ++i) {
    const double z = logits[i];
    const double y = labels[i];
    if (labels[i] != 0 && labels[i] != 1) {
      throw std::invalid_argument("BinaryCrossEntropy: label " +
                                  std::to_string(labels[i]) + " of example " +
                                  std::to_string(i) + " is not 0 or 1");
    }
    total += std::max(z, 0.0) - z * y + std::log1p(std::exp(-std::abs(z)));
    if (dlogits != nullptr) {
      const double s = 1 / (1 + std::exp(-z));
      (*dlogits)[i] = T((s - y) / double(m));
    }
  }
  return m == 0 ? 0.0 : total / double(m);
}

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

#define DL_NN_INSTANTIATE(T)                                                  \
  template class Layer<T>;                                                    \
  template void GatherRows<T>(const Array<T>&, const std::vector<int64_t>&,   \
                              size_t, size_t, Array<T>*);                     \
  template void Initialize<T>(const Initializer&, double, double,             \
                              RandomState&, Array<T>*);                       \
  template std::unique_ptr<Layer<T>> MakeLayer<T>(const Conv2D&);             \
  template std::unique_ptr<Layer<T>> MakeLayer<T>(const Conv2DTranspose&);    \
  template std::unique_ptr<Layer<T>> MakeLayer<T>(const MaxPool2D&);          \
  template std::unique_ptr<Layer<T>> MakeLayer<T>(const AveragePool2D&);      \
  template std::unique_ptr<Layer<T>> MakeLayer<T>(                            \
      const GlobalAveragePooling2D&);                                         \
  template std::unique_ptr<Layer<T>> MakeLayer<T>(const BatchNormalization&); \
  template std::unique_ptr<Layer<T>> MakeLayer<T>(const Dense&);              \
  template std::unique_ptr<Layer<T>> MakeLayer<T>(const ReLU&);               \
  template std::unique_ptr<Layer<T>> MakeLayer<T>(const Activation&);         \
  template std::unique_ptr<Layer<T>> MakeLayer<T>(const Dropout&);            \
  template std::unique_ptr<Layer<T>> MakeLayer<T>(const Flatten&);            \
  template std::unique_ptr<Layer<T>> MakeLayer<T>(const ZeroPadding2D&);      \
  template std::unique_ptr<Layer<T>> MakeLayer<T>(const Add&);                \
  template std::unique_ptr<Layer<T>> MakeLayer<T>(const Concatenate&);        \
  template void SetDropoutSeed<T>(Layer<T>&, uint32_t);                       \
  template double SoftmaxCrossEntropy<T>(const Array<T>&,                     \
                                         const std::vector<int>&, Array<T>*); \
  template double BinaryCrossEntropy<T>(const Array<T>&,                      \
                                        const std::vector<int>&, Array<T>*);  \
  template Array<T> Softmax<T>(const Array<T>&);                              \
  template Array<T> SigmoidOf<T>(const Array<T>&);

DL_NN_INSTANTIATE(float)
DL_NN_INSTANTIATE(double)
#undef DL_NN_INSTANTIATE

}  // namespace nn
}  // namespace dl
