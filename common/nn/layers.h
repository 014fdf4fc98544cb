// File: common/nn/layers.h
//
// Fast layers for the CNN applications (course 3 onwards), in Keras's
// conventions, so that a model reads like the course's Keras code:
//
//   Keras                                      dl::nn
//   tfl.Conv2D(8, 4, strides=1, padding='same') nn::Conv2D(8, 4, 1, "same")
//   tfl.MaxPool2D(8, strides=8, padding='same') nn::MaxPool2D(8, 8, "same")
//   tfl.BatchNormalization(axis=3)              nn::BatchNormalization(3)
//   tfl.ReLU(), tfl.Flatten(), tfl.Dense(6)     nn::ReLU(), nn::Flatten(),
//                                               nn::Dense(6)
//   tfl.DepthwiseConv2D(3, padding='same')      nn::DepthwiseConv2D(3, 1,
//                                                                   "same")
//   tfl.ReLU(6.)                                nn::ReLU(6.0)
//
// Layout: channels-last, like the course and Keras. Activations are
// (m, n_H, n_W, n_C) or (m, n) in numpy's row-major order; a conv kernel is
// (f_H, f_W, n_C_prev, n_C), a bias (n_C); a dense kernel is (n_in, n_out).
//
// The layers are templated on the scalar: float to train, double for
// gradient checks. A convolution is im2col plus ONE matrix product per batch:
// the rows of the im2col matrix are the windows of the input, in
// (f_H, f_W, n_C_prev) order, which is the row order of the kernel seen as a
// (f_H f_W n_C_prev, n_C) row-major matrix, and the product is the output
// (m n_H n_W, n_C) in its own memory:
//   Z = cols * W + b        cols: (m n_H n_W, f_H f_W n_C_prev)
//   dW = cols^T * dZ        dcols = dZ * W^T, added back into dA_prev
//
// A layer is built from a spec (nn::Conv2D, ...) by a Model (common/nn/model.h)
// or on its own:
//   dl::RandomState rng(0);
//   auto conv = nn::MakeLayer<double>(nn::Conv2D(8, 3, 1, "same"));
//   conv->Build({{32, 32, 3}}, rng);   // input shape without the batch
//   nn::Array<double> Z = conv->Forward(X, /*training=*/true);
//   nn::Array<double> dX = conv->Backward(X, Z, dZ);   // and dW, db:
//   conv->parameter("kernel")->grad;
// Forward and Backward of one layer go in pairs: Backward uses what the last
// Forward kept (pooling's argmax, batch norm's statistics, dropout's mask).

#ifndef DLCOURSE_COMMON_NN_LAYERS_H_
#define DLCOURSE_COMMON_NN_LAYERS_H_

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
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

using Index = Eigen::Index;
// A shape in numpy's order, e.g. {64, 64, 64, 3} = (m, n_H, n_W, n_C).
using Shape = std::vector<Index>;

// "(64, 64, 3)".
std::string ShapeString(const Shape& shape);
// Keras's output shape of a layer, batch first: "(None, 64, 64, 8)".
// `shape` is without the batch dimension.
std::string KerasShapeString(const Shape& shape);
// A parameter count as Keras's summary prints it: 37633 -> "37,633".
std::string WithThousands(int64_t n);
// The number of entries of a shape (1 for an empty shape).
Index NumElements(const Shape& shape);

// ---------------------------------------------------------------------------
// Array: an N-d array of T, row-major (numpy's memory order), contiguous.
// Copies are deep. Resize() keeps the memory when the size does not change,
// so buffers reused from step to step are not allocated again.
template <typename T>
class Array {
 public:
  using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;
  using RowMatrix =
      Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

  Array() = default;
  // Zeros of this shape.
  explicit Array(const Shape& shape) : shape_(shape) {
    data_.setZero(NumElements(shape));
  }
  Array(const Shape& shape, T value) : shape_(shape) {
    data_.setConstant(NumElements(shape), value);
  }

  const Shape& shape() const { return shape_; }
  int rank() const { return static_cast<int>(shape_.size()); }
  // dim(-1) is the last dimension.
  Index dim(int axis) const {
    return shape_.at(axis < 0 ? shape_.size() + axis : axis);
  }
  Index size() const { return data_.size(); }
  bool empty() const { return data_.size() == 0; }
  T* data() { return data_.data(); }
  const T* data() const { return data_.data(); }
  T& operator[](Index i) { return data_[i]; }
  const T& operator[](Index i) const { return data_[i]; }

  // a(i, h, w, c): numpy's a[i, h, w, c].
  template <typename... I>
  T& operator()(I... index) {
    return data_[Offset({static_cast<Index>(index)...})];
  }
  template <typename... I>
  const T& operator()(I... index) const {
    return data_[Offset({static_cast<Index>(index)...})];
  }

  // New shape; the contents are kept only when the size does not change
  // (no allocation then), otherwise they are undefined.
  void Resize(const Shape& shape) {
    shape_ = shape;
    const Index n = NumElements(shape);
    if (data_.size() != n) data_.resize(n);
  }
  // The same entries under another shape of the same size.
  void Reshape(const Shape& shape) {
    if (NumElements(shape) != size()) {
      throw std::invalid_argument("Array::Reshape: cannot reshape " +
                                  ShapeString(shape_) + " to " +
                                  ShapeString(shape));
    }
    shape_ = shape;
  }
  void SetZero() { data_.setZero(); }
  void SetConstant(T value) { data_.setConstant(value); }

  // The entries as one vector, and as row-major matrices over the same
  // memory: matrix(rows, cols) with rows * cols == size(); rows_by_last() is
  // (size / dim(-1), dim(-1)), e.g. (m n_H n_W, n_C).
  Eigen::Map<Vector> vec() { return Eigen::Map<Vector>(data(), size()); }
  Eigen::Map<const Vector> vec() const {
    return Eigen::Map<const Vector>(data(), size());
  }
  Eigen::Map<RowMatrix> matrix(Index rows, Index cols) {
    CheckMatrix(rows, cols);
    return Eigen::Map<RowMatrix>(data(), rows, cols);
  }
  Eigen::Map<const RowMatrix> matrix(Index rows, Index cols) const {
    CheckMatrix(rows, cols);
    return Eigen::Map<const RowMatrix>(data(), rows, cols);
  }
  Eigen::Map<RowMatrix> rows_by_last() {
    const Index last = rank() == 0 ? 1 : dim(-1);
    return matrix(last == 0 ? 0 : size() / last, last);
  }
  Eigen::Map<const RowMatrix> rows_by_last() const {
    const Index last = rank() == 0 ? 1 : dim(-1);
    return matrix(last == 0 ? 0 : size() / last, last);
  }

 private:
  Index Offset(std::initializer_list<Index> index) const {
    if (static_cast<int>(index.size()) != rank()) {
      throw std::out_of_range("Array: " + std::to_string(index.size()) +
                              " indices for an array of shape " +
                              ShapeString(shape_));
    }
    Index offset = 0;
    int k = 0;
    for (Index i : index) {
      if (i < 0 || i >= shape_[k]) {
        throw std::out_of_range("Array: index " + std::to_string(i) +
                                " out of range in axis " + std::to_string(k) +
                                " of shape " + ShapeString(shape_));
      }
      offset = offset * shape_[k++] + i;
    }
    return offset;
  }
  void CheckMatrix(Index rows, Index cols) const {
    if (rows * cols != size()) {
      throw std::invalid_argument(
          "Array: a " + std::to_string(rows) + "x" + std::to_string(cols) +
          " view of an array of shape " + ShapeString(shape_));
    }
  }

  Shape shape_;
  Vector data_;
};

// The same array in another scalar type (double -> float, ...).
template <typename U, typename T>
Array<U> Cast(const Array<T>& a) {
  Array<U> out;
  out.Resize(a.shape());
  out.vec() = a.vec().template cast<U>();
  return out;
}

// From and to the project's tensors (dl::Tensor<N>, dl::TensorF<N>): the same
// numpy index order, so the memory is copied as is.
template <typename T, int N>
Array<T> FromTensor(const Eigen::Tensor<T, N, Eigen::RowMajor>& t) {
  Array<T> out;
  out.Resize(Shape(t.dimensions().begin(), t.dimensions().end()));
  std::copy(t.data(), t.data() + t.size(), out.data());
  return out;
}
template <int N, typename T>
Eigen::Tensor<T, N, Eigen::RowMajor> ToTensor(const Array<T>& a) {
  if (a.rank() != N) {
    throw std::invalid_argument("ToTensor<" + std::to_string(N) +
                                ">: array of shape " + ShapeString(a.shape()));
  }
  std::array<Index, N> dims;
  for (int k = 0; k < N; ++k) dims[k] = a.dim(k);
  Eigen::Tensor<T, N, Eigen::RowMajor> t(dims);
  std::copy(a.data(), a.data() + a.size(), t.data());
  return t;
}

// Rows begin..end-1 of `a` along its first axis, in the order of `rows`:
// out[k] = a[rows[begin + k]]. Writes into `out` (reusing its memory).
template <typename T>
void GatherRows(const Array<T>& a, const std::vector<int64_t>& rows,
                size_t begin, size_t end, Array<T>* out);

// ---------------------------------------------------------------------------
// Layer options, as Keras spells them.

// A kernel, stride or pool size: 3 means 3x3; {3, 5} means 3 rows, 5 columns.
struct Size2 {
  Size2(int both = 0) : h(both), w(both) {}  // NOLINT: 3 reads as 3x3
  Size2(int h_, int w_) : h(h_), w(w_) {}
  int h, w;
};

// Keras's padding: "valid" (none), "same" (the output has ceil(n / stride)
// rows and columns; the padding is split with the extra row/column at the
// bottom/right, as TensorFlow does), or an explicit number of zeros on every
// side (the course's `pad`).
class Padding {
 public:
  enum class Kind { kValid, kSame, kExplicit };
  Padding(const char* name) : Padding(std::string(name)) {}  // NOLINT
  Padding(const std::string& name);                          // NOLINT
  Padding(int pad) : kind_(Kind::kExplicit), pad_(pad) {}    // NOLINT
  static Padding Valid() { return Padding("valid"); }
  static Padding Same() { return Padding("same"); }

  Kind kind() const { return kind_; }
  int pad() const { return pad_; }
  std::string ToString() const;  // "valid", "same", "2"

 private:
  Kind kind_ = Kind::kValid;
  int pad_ = 0;
};

// One dimension of a sliding window: `in` positions, a window of `k`
// positions moved by `stride`, `before` / `after` padding positions; `out`
// windows. Window o covers input positions o * stride - before + [0, k).
struct Window1D {
  Index in = 0, out = 0, k = 0, stride = 1, before = 0, after = 0;
};
// The window of a convolution or pooling layer (Keras's rules, see Padding).
// Throws std::invalid_argument when there is no output position.
Window1D ConvWindow(Index in, int k, int stride, const Padding& padding);

// How a kernel's values are drawn (Keras's initializers). fan_in and fan_out
// are Keras's: for a conv kernel (f_H, f_W, in, out), f_H f_W in and
// f_H f_W out; for a dense kernel (in, out), in and out.
struct Initializer {
  enum class Kind {
    kGlorotUniform,  // U(-l, l), l = sqrt(6 / (fan_in + fan_out)) (Keras's
                     // default for kernels)
    kGlorotNormal,   // truncated normal, stddev sqrt(2 / (fan_in + fan_out))
    kHeNormal,       // truncated normal, stddev sqrt(2 / fan_in)
    kHeUniform,      // U(-l, l), l = sqrt(6 / fan_in)
    kRandomUniform,  // U(a, b), Keras's default a = -0.05, b = 0.05
    kRandomNormal,   // N(a, b^2), Keras's default a = 0, b = 0.05
    kConstant,       // every value a (zeros: a = 0, Keras's bias default)
  };
  Kind kind = Kind::kGlorotUniform;
  double a = 0, b = 0;

  static Initializer GlorotUniform() { return {Kind::kGlorotUniform}; }
  static Initializer GlorotNormal() { return {Kind::kGlorotNormal}; }
  static Initializer HeNormal() { return {Kind::kHeNormal}; }
  static Initializer HeUniform() { return {Kind::kHeUniform}; }
  static Initializer RandomUniform(double minval = -0.05,
                                   double maxval = 0.05) {
    return {Kind::kRandomUniform, minval, maxval};
  }
  static Initializer RandomNormal(double mean = 0, double stddev = 0.05) {
    return {Kind::kRandomNormal, mean, stddev};
  }
  static Initializer Zeros() { return {Kind::kConstant, 0}; }
  static Initializer Ones() { return {Kind::kConstant, 1}; }
  static Initializer Constant(double value) { return {Kind::kConstant, value}; }
};

// Fills `values` (in row-major order) from `rng`. Truncated normals redraw
// values beyond 2 standard deviations and are scaled as Keras's
// (stddev / 0.87962566103423978). Uniforms use rng.uniform, normals
// rng.standard_normal.
template <typename T>
void Initialize(const Initializer& init, double fan_in, double fan_out,
                RandomState& rng, Array<T>* values);

// Every spec has a `name` (empty: the model names it Keras's way, "conv2d",
// "conv2d_1", ...) and .Named("...") to set it in the same expression.
template <typename Derived>
struct Spec {
  std::string name;
  Derived Named(std::string layer_name) const {
    Derived d = static_cast<const Derived&>(*this);
    d.name = std::move(layer_name);
    return d;
  }
};

// tfl.Conv2D(filters, kernel_size, strides, padding). Input
// (m, n_H_prev, n_W_prev, n_C_prev) -> (m, n_H, n_W, filters).
// Parameters: kernel (f_H, f_W, n_C_prev, filters), bias (filters).
struct Conv2D : Spec<Conv2D> {
  Conv2D(int filters_, Size2 kernel_size_, Size2 strides_ = 1,
         Padding padding_ = "valid")
      : filters(filters_),
        kernel_size(kernel_size_),
        strides(strides_),
        padding(padding_) {}
  int filters;
  Size2 kernel_size, strides;
  Padding padding;
  // Keras's activation=: "linear" (none) or "relu" (applied to the output,
  // as U-Net's Conv2D(n, 3, activation='relu')).
  std::string activation = "linear";
  bool use_bias = true;
  Initializer kernel_initializer = Initializer::GlorotUniform();
  Initializer bias_initializer = Initializer::Zeros();
};

// tfl.DepthwiseConv2D(kernel_size, strides, padding, depth_multiplier): each
// input channel convolved with its own depth_multiplier filters of
// f_H x f_W (MobileNet's depthwise convolution; no sum over channels).
// Input (m, n_H_prev, n_W_prev, n_C_prev) -> (m, n_H, n_W,
// n_C_prev depth_multiplier), n_H and n_W as Conv2D's; output channel
// c depth_multiplier + q is input channel c with filter q:
//   Z[i, h, w, c dm + q] = b[c dm + q] + sum_{r, s}
//       x[i, h s_H - top + r, w s_W - left + s, c] K[r, s, c, q]
// Parameters: depthwise_kernel (f_H, f_W, n_C_prev, depth_multiplier)
// (Keras's name and shape), bias (n_C_prev depth_multiplier). Keras's
// glorot fans: fan_in = f_H f_W n_C_prev, fan_out = f_H f_W depth_multiplier.
struct DepthwiseConv2D : Spec<DepthwiseConv2D> {
  DepthwiseConv2D(Size2 kernel_size_, Size2 strides_ = 1,
                  Padding padding_ = "valid", int depth_multiplier_ = 1)
      : kernel_size(kernel_size_),
        strides(strides_),
        padding(padding_),
        depth_multiplier(depth_multiplier_) {}
  Size2 kernel_size, strides;
  Padding padding;
  int depth_multiplier;
  bool use_bias = true;
  Initializer depthwise_initializer = Initializer::GlorotUniform();
  Initializer bias_initializer = Initializer::Zeros();
};

// tfl.Conv1D(filters, kernel_size, strides, padding): a convolution over the
// time axis, input (m, T, n_C_prev) -> (m, T', filters), T' as Conv2D's
// n_W for a picture one row high (which is how it is computed).
// Parameters: kernel (1, kernel_size, n_C_prev, filters) (Keras's
// (kernel_size, n_C_prev, filters) with a first axis of 1: the same
// numbers), bias (filters).
struct Conv1D : Spec<Conv1D> {
  Conv1D(int filters_, int kernel_size_, int strides_ = 1,
         Padding padding_ = "valid")
      : filters(filters_),
        kernel_size(kernel_size_),
        strides(strides_),
        padding(padding_) {}
  int filters, kernel_size, strides;
  Padding padding;
};

// tfl.Conv2DTranspose(filters, kernel_size, strides, padding): the backward
// pass of a Conv2D (with this geometry) as a layer. Output n_H = n_H_prev *
// stride ("same"), n_H_prev * stride + max(f - stride, 0) ("valid"), or
// (n_H_prev - 1) * stride + f - 2 pad (explicit pad). Parameters: kernel
// (f_H, f_W, filters, n_C_prev) (Keras's order: output channels first),
// bias (filters).
struct Conv2DTranspose : Spec<Conv2DTranspose> {
  Conv2DTranspose(int filters_, Size2 kernel_size_, Size2 strides_ = 1,
                  Padding padding_ = "valid")
      : filters(filters_),
        kernel_size(kernel_size_),
        strides(strides_),
        padding(padding_) {}
  int filters;
  Size2 kernel_size, strides;
  Padding padding;
  bool use_bias = true;
  Initializer kernel_initializer = Initializer::GlorotUniform();
  Initializer bias_initializer = Initializer::Zeros();
};

// tfl.MaxPool2D / tfl.AveragePooling2D(pool_size, strides, padding).
// strides 0 (the default) means strides = pool_size, as in Keras. Padded
// positions never count: max ignores them, average divides by the number of
// real entries in the window (TensorFlow's rule for "same").
struct MaxPool2D : Spec<MaxPool2D> {
  MaxPool2D(Size2 pool_size_ = 2, Size2 strides_ = 0,
            Padding padding_ = "valid")
      : pool_size(pool_size_), strides(strides_), padding(padding_) {}
  Size2 pool_size, strides;
  Padding padding;
};
struct AveragePool2D : Spec<AveragePool2D> {
  AveragePool2D(Size2 pool_size_ = 2, Size2 strides_ = 0,
                Padding padding_ = "valid")
      : pool_size(pool_size_), strides(strides_), padding(padding_) {}
  Size2 pool_size, strides;
  Padding padding;
};

// tfl.GlobalAveragePooling2D(): (m, n_H, n_W, n_C) -> (m, n_C).
struct GlobalAveragePooling2D : Spec<GlobalAveragePooling2D> {};

// tfl.BatchNormalization(axis, momentum, epsilon) over the LAST axis (the
// channels of (m, n_H, n_W, n_C), the features of (m, n)); `axis` must name
// it (3 for images, 1 for (m, n), or -1).
//   training:  y = gamma (x - mu_B) / sqrt(var_B + epsilon) + beta with the
//              batch's mean and (biased) variance per channel, and
//              moving_mean = momentum moving_mean + (1 - momentum) mu_B
//              (moving_variance likewise with var_B);
//   inference: the same with moving_mean and moving_variance.
// Parameters: gamma, beta (trainable), moving_mean, moving_variance (not
// trainable), each (n_C).
struct BatchNormalization : Spec<BatchNormalization> {
  explicit BatchNormalization(int axis_ = -1, double momentum_ = 0.99,
                              double epsilon_ = 0.001)
      : axis(axis_), momentum(momentum_), epsilon(epsilon_) {}
  int axis;
  double momentum, epsilon;
};

// tfl.Dense(units): y = x W + b over the last axis. Input (m, n_in) (or
// (..., n_in)). Parameters: kernel (n_in, units), bias (units).
struct Dense : Spec<Dense> {
  explicit Dense(int units_) : units(units_) {}
  int units;
  bool use_bias = true;
  Initializer kernel_initializer = Initializer::GlorotUniform();
  Initializer bias_initializer = Initializer::Zeros();
};

// tfl.ReLU(max_value=None): max(0, x), or min(max(0, x), max_value).
// MobileNetV2's ReLU6 is nn::ReLU(6.0) (Keras's ReLU(6.)).
struct ReLU : Spec<ReLU> {
  ReLU() = default;
  explicit ReLU(double max_value_) : max_value(max_value_) {}
  double max_value = std::numeric_limits<double>::infinity();  // None
};

// tfl.Activation("relu" | "relu6" | "sigmoid" | "tanh" | "softmax" |
// "linear"); relu6 is min(max(0, x), 6); softmax is over the last axis.
struct Activation : Spec<Activation> {
  explicit Activation(std::string function_) : function(std::move(function_)) {}
  std::string function;
};
inline Activation Sigmoid() { return Activation("sigmoid"); }
inline Activation Tanh() { return Activation("tanh"); }

// tfl.Dropout(rate): in training, each entry is kept when u < 1 - rate
// (u uniform from the layer's dl::RandomState, one draw per entry in
// row-major order) and scaled by 1 / (1 - rate); in inference, identity.
// seed < 0: the model derives one from its own seed.
struct Dropout : Spec<Dropout> {
  explicit Dropout(double rate_, int64_t seed_ = -1)
      : rate(rate_), seed(seed_) {}
  double rate;
  int64_t seed;
};

// tfl.Flatten(): (m, n_H, n_W, n_C) -> (m, n_H n_W n_C), row-major (Keras's
// channels-last order).
struct Flatten : Spec<Flatten> {};

// tfl.ZeroPadding2D(padding): zeros around height and width.
// ZeroPadding2D(3): 3 on every side; ZeroPadding2D({1, 2}): 1 row on top and
// bottom, 2 columns left and right; ZeroPadding2D(top, bottom, left, right).
struct ZeroPadding2D : Spec<ZeroPadding2D> {
  ZeroPadding2D(Size2 pad = 1)  // NOLINT
      : top(pad.h), bottom(pad.h), left(pad.w), right(pad.w) {}
  ZeroPadding2D(int top_, int bottom_, int left_, int right_)
      : top(top_), bottom(bottom_), left(left_), right(right_) {}
  int top, bottom, left, right;
};

// tfl.Add(): the sum of two or more inputs of the same shape (ResNet's skip
// connection).
struct Add : Spec<Add> {};

// tfl.Concatenate(axis=-1): inputs joined along the last axis (U-Net).
struct Concatenate : Spec<Concatenate> {};

// ---------------------------------------------------------------------------
// A layer's parameter: its value and the gradient of the last Backward.
template <typename T>
struct Parameter {
  std::string name;  // "kernel", "bias", "gamma", "beta", "moving_mean", ...
  Array<T> value;
  // Same shape, only for trainable parameters, and empty until the layer's
  // first Backward (Layer::AllocateGradients): a model that is built only
  // to be looked at (resnet's ResNet50) holds no gradients.
  Array<T> grad;
  bool trainable = true;
};

template <typename T>
class Layer {
 public:
  virtual ~Layer() = default;

  // Keras's class name: "Conv2D", "MaxPooling2D", "BatchNormalization", ...
  virtual std::string type() const = 0;
  // Keras's default name: "conv2d", "max_pooling2d", "batch_normalization".
  virtual std::string default_name() const = 0;
  // How many inputs the layer takes (Add and Concatenate: 2 or more).
  virtual int min_inputs() const { return 1; }
  virtual int max_inputs() const { return 1; }

  const std::string& name() const { return name_; }
  void set_name(const std::string& name) { name_ = name; }

  // Keras's `base_model(x, training=False)`: the layer runs as in inference
  // even in a training pass (batch normalization with its moving mean and
  // variance, which it does not update; dropout off), whether its
  // parameters are trainable or not. Its Backward is that of inference.
  void set_inference_only(bool inference_only) {
    inference_only_ = inference_only;
  }
  bool inference_only() const { return inference_only_; }

  // Checks the input shapes (without the batch dimension), creates the
  // parameters (drawn from `rng`) and returns the output shape (without the
  // batch dimension). Throws std::invalid_argument for shapes the layer
  // cannot take, naming the layer.
  Shape Build(const std::vector<Shape>& input_shapes, RandomState& rng);
  bool built() const { return built_; }
  const std::vector<Shape>& input_shapes() const { return input_shapes_; }
  const Shape& output_shape() const { return output_shape_; }

  // The forward pass over a batch: inputs of shape (m, input_shapes()...);
  // writes `output` (resized as needed, its memory reused).
  void Forward(const std::vector<const Array<T>*>& inputs, Array<T>* output,
               bool training);
  // The backward pass of the last Forward: `doutput` = dJ/doutput. Writes
  // dJ/dinput k into *dinputs[k] (skipped where dinputs[k] is null) and
  // dJ/dparameter into each trainable parameter's grad (overwritten).
  void Backward(const std::vector<const Array<T>*>& inputs,
                const Array<T>& output, const Array<T>& doutput,
                const std::vector<Array<T>*>& dinputs);

  // One-input conveniences.
  Array<T> Forward(const Array<T>& input, bool training = false);
  Array<T> Backward(const Array<T>& input, const Array<T>& output,
                    const Array<T>& doutput);

  std::vector<Parameter<T>>& parameters() { return params_; }
  const std::vector<Parameter<T>>& parameters() const { return params_; }
  // Gives each trainable parameter that has none a gradient of its shape,
  // zeros. Backward calls it first.
  void AllocateGradients();
  // The parameter called `name`, or nullptr.
  Parameter<T>* parameter(const std::string& name);
  // The number of (trainable / non-trainable) parameter values.
  int64_t CountParameters(bool trainable) const;

 protected:
  virtual Shape DoBuild(const std::vector<Shape>& input_shapes,
                        RandomState& rng) = 0;
  virtual void DoForward(const std::vector<const Array<T>*>& inputs,
                         Array<T>* output, bool training) = 0;
  virtual void DoBackward(const std::vector<const Array<T>*>& inputs,
                          const Array<T>& output, const Array<T>& doutput,
                          const std::vector<Array<T>*>& dinputs) = 0;
  // Adds a parameter of `shape` drawn with `init`.
  Parameter<T>& AddParameter(const std::string& name, const Shape& shape,
                             const Initializer& init, double fan_in,
                             double fan_out, bool trainable, RandomState& rng);
  // "conv2d (Conv2D)" for messages.
  std::string Describe() const;

  std::vector<Parameter<T>> params_;

 private:
  void CheckInputs(const std::vector<const Array<T>*>& inputs) const;

  std::string name_;
  bool inference_only_ = false;
  bool built_ = false;
  std::vector<Shape> input_shapes_;
  Shape output_shape_;
};

// The layer of a spec. MakeLayer<float>(nn::Conv2D(8, 4)) is not built yet
// (see Layer::Build). The layer's name is the spec's name (may be empty).
template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const Conv2D& spec);
template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const DepthwiseConv2D& spec);
template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const Conv1D& spec);
template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const Conv2DTranspose& spec);
template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const MaxPool2D& spec);
template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const AveragePool2D& spec);
template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const GlobalAveragePooling2D& spec);
template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const BatchNormalization& spec);
template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const Dense& spec);
template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const ReLU& spec);
template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const Activation& spec);
template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const Dropout& spec);
template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const Flatten& spec);
template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const ZeroPadding2D& spec);
template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const Add& spec);
template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const Concatenate& spec);

// Sets the random stream of a Dropout layer (e.g. to replay the same mask);
// throws std::invalid_argument for any other layer.
template <typename T>
void SetDropoutSeed(Layer<T>& layer, uint32_t seed);

// ---------------------------------------------------------------------------
// The probabilities of the losses (common/nn/losses.h) from the logits:
// softmax over the last axis, and the sigmoid, entry by entry.
template <typename T>
Array<T> Softmax(const Array<T>& logits);
template <typename T>
Array<T> SigmoidOf(const Array<T>& logits);

}  // namespace nn
}  // namespace dl

#endif  // DLCOURSE_COMMON_NN_LAYERS_H_
