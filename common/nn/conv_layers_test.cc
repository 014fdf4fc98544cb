// Tests of the windowed layers of common/nn (conv_layers.cc,
// pooling_layers.cc): Conv2D, Conv2DTranspose, MaxPool2D, AveragePool2D and
// GlobalAveragePooling2D in double against a naive loop and against
// course3_cnn/conv_step_by_step's reference (written with the course's
// loops), on several shapes (stride 1 to 3, pad 0 to 3, "same" and "valid",
// non-square inputs and kernels, m = 1); every backward against centered
// finite differences (input and parameter gradients).

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/core/blas.h"
#include "common/core/random.h"
#include "common/core/tensor.h"
#include "common/nn/layers.h"
#include "common/nn/test_util.h"
#include "course3_cnn/conv_step_by_step/conv_step_by_step.h"
#include "gtest/gtest.h"

namespace dl {
namespace nn {
namespace {

using ArrayD = Array<double>;
using test::Axis;
using test::Built;
using test::Close;
using test::Distinct;
using test::ExpectGradientsMatch;
using test::ExpectSameBitsOnOneOrTwoThreads;
using test::KerasAxis;
using test::Randn;
using test::Randomize;

// ---------------------------------------------------- naive references

// Z[i, oh, ow, f] = b[f] + sum_{r, c, ch} x[i, oh s - top + r,
// ow s - left + c, ch] W[r, c, ch, f], zero outside x.
ArrayD NaiveConv(const ArrayD& x, const ArrayD& W, const ArrayD* b, Axis ah,
                 Axis aw, int sh, int sw) {
  const Index m = x.dim(0), H = x.dim(1), Wd = x.dim(2), C = x.dim(3);
  const Index kh = W.dim(0), kw = W.dim(1), F = W.dim(3);
  ArrayD Z({m, ah.out, aw.out, F});
  for (Index i = 0; i < m; ++i)
    for (Index oh = 0; oh < ah.out; ++oh)
      for (Index ow = 0; ow < aw.out; ++ow)
        for (Index f = 0; f < F; ++f) {
          double z = b ? (*b)(f) : 0.0;
          for (Index r = 0; r < kh; ++r)
            for (Index c = 0; c < kw; ++c)
              for (Index ch = 0; ch < C; ++ch) {
                const Index hi = oh * sh - ah.before + r;
                const Index wi = ow * sw - aw.before + c;
                if (hi < 0 || hi >= H || wi < 0 || wi >= Wd) continue;
                z += x(i, hi, wi, ch) * W(r, c, ch, f);
              }
          Z(i, oh, ow, f) = z;
        }
  return Z;
}

// Max or mean over the real (unpadded) entries of each window.
ArrayD NaivePool(const ArrayD& x, bool max, int kh, int kw, Axis ah, Axis aw,
                 int sh, int sw) {
  const Index m = x.dim(0), H = x.dim(1), Wd = x.dim(2), C = x.dim(3);
  ArrayD A({m, ah.out, aw.out, C});
  for (Index i = 0; i < m; ++i)
    for (Index oh = 0; oh < ah.out; ++oh)
      for (Index ow = 0; ow < aw.out; ++ow)
        for (Index c = 0; c < C; ++c) {
          double acc = max ? -std::numeric_limits<double>::infinity() : 0;
          int count = 0;
          for (Index r = 0; r < kh; ++r)
            for (Index s = 0; s < kw; ++s) {
              const Index hi = oh * sh - ah.before + r;
              const Index wi = ow * sw - aw.before + s;
              if (hi < 0 || hi >= H || wi < 0 || wi >= Wd) continue;
              acc =
                  max ? std::max(acc, x(i, hi, wi, c)) : acc + x(i, hi, wi, c);
              ++count;
            }
          A(i, oh, ow, c) = max ? acc : acc / count;
        }
  return A;
}

// The conv_step_by_step tensors.
Tensor<4> ToT4(const ArrayD& a) { return ToTensor<4>(a); }
ArrayD FromT4(const Tensor<4>& t) { return FromTensor(t); }

// ------------------------------------------------------------- padding

TEST(ConvWindow, KerasRules) {
  // "same": out = ceil(in / s); the odd pad goes to the bottom/right.
  Window1D w = ConvWindow(64, 4, 1, "same");  // F.pad(1, 2) in PyTorch
  EXPECT_EQ(w.out, 64);
  EXPECT_EQ(w.before, 1);
  EXPECT_EQ(w.after, 2);
  w = ConvWindow(5, 2, 2, "same");
  EXPECT_EQ(w.out, 3);
  EXPECT_EQ(w.before, 0);
  EXPECT_EQ(w.after, 1);
  w = ConvWindow(64, 8, 8, "same");  // the course's MAXPOOL 8x8 stride 8
  EXPECT_EQ(w.out, 8);
  EXPECT_EQ(w.before, 0);
  w = ConvWindow(8, 2, 1, "SAME");
  EXPECT_EQ(w.out, 8);
  EXPECT_EQ(w.before, 0);
  EXPECT_EQ(w.after, 1);
  w = ConvWindow(7, 3, 2, "valid");
  EXPECT_EQ(w.out, 3);
  w = ConvWindow(5, 3, 2, 2);  // the course's pad = 2
  EXPECT_EQ(w.out, 4);
  EXPECT_EQ(w.before, 2);
  EXPECT_THROW(ConvWindow(3, 4, 1, "valid"), std::invalid_argument);
  EXPECT_THROW(Padding("full"), std::invalid_argument);
  EXPECT_EQ(Padding("Same").ToString(), "same");
  EXPECT_EQ(Padding(3).ToString(), "3");
}

// ----------------------------------------------------------------- Conv2D

struct ConvCase {
  Shape x;  // (m, H, W, C)
  int filters;
  Size2 kernel, strides;
  Padding padding;
};

std::vector<ConvCase> ConvCases() {
  return {
      {{2, 5, 7, 3}, 4, 3, 1, "valid"},
      {{1, 5, 7, 3}, 4, 3, 1, "same"},
      {{2, 6, 6, 2}, 3, 4, 1, "same"},  // even kernel: asymmetric pad
      {{2, 7, 5, 2}, 3, 2, 2, "same"},
      {{3, 9, 8, 2}, 2, 3, 2, "same"},
      {{2, 9, 8, 2}, 2, 3, 2, "valid"},
      {{1, 4, 6, 3}, 5, 3, 1, 1},
      {{2, 5, 5, 2}, 3, 2, 3, 2},
      {{2, 6, 7, 1}, 2, 3, 2, 3},
      {{2, 4, 5, 2}, 3, 1, 1, "valid"},           // pointwise: no im2col
      {{2, 6, 7, 2}, 3, {2, 3}, {1, 2}, "same"},  // non-square
      {{2, 8, 8, 3}, 2, 4, 1, 0},
      // K = 3 3 32 = 288: im2col in two blocks (ChunkRows), split inside
      // an image row of the second example.
      {{2, 13, 11, 32}, 2, 3, 1, "same"},
  };
}

std::string Describe(const ConvCase& c) {
  return "x " + ShapeString(c.x) + ", " + std::to_string(c.filters) +
         " filters " + std::to_string(c.kernel.h) + "x" +
         std::to_string(c.kernel.w) + ", stride " +
         std::to_string(c.strides.h) + "x" + std::to_string(c.strides.w) +
         ", padding " + c.padding.ToString();
}

TEST(Conv2D, ForwardMatchesNaiveLoops) {
  RandomState rng(1);
  for (const ConvCase& c : ConvCases()) {
    auto layer =
        Built<double>(Conv2D(c.filters, c.kernel, c.strides, c.padding), {c.x});
    Randomize(*layer, rng);
    const ArrayD x = Randn(rng, c.x);
    const ArrayD Z = layer->Forward(x, true);
    const Axis ah = KerasAxis(c.x[1], c.kernel.h, c.strides.h, c.padding);
    const Axis aw = KerasAxis(c.x[2], c.kernel.w, c.strides.w, c.padding);
    EXPECT_EQ(layer->output_shape(), (Shape{ah.out, aw.out, c.filters}))
        << Describe(c);
    EXPECT_TRUE(Close(Z, NaiveConv(x, layer->parameter("kernel")->value,
                                   &layer->parameter("bias")->value, ah, aw,
                                   c.strides.h, c.strides.w)))
        << Describe(c);
  }
}

// The course's conv_forward / conv_backward (symmetric pad, square kernel).
TEST(Conv2D, MatchesCourseReference) {
  namespace cs = conv_step_by_step;
  RandomState rng(2);
  struct Case {
    Shape x;
    int filters, f, stride, pad;
  };
  for (const Case& c :
       {Case{{2, 5, 7, 4}, 8, 3, 2, 2}, Case{{1, 4, 4, 3}, 2, 2, 1, 0},
        Case{{3, 6, 5, 2}, 3, 3, 1, 1}, Case{{2, 7, 7, 3}, 4, 3, 3, 3},
        Case{{2, 13, 11, 32}, 2, 3, 1, 1}}) {  // two im2col blocks
    auto layer = Built<double>(Conv2D(c.filters, c.f, c.stride, c.pad), {c.x});
    Randomize(*layer, rng);
    const ArrayD x = Randn(rng, c.x);
    const ArrayD& W = layer->parameter("kernel")->value;
    Tensor<4> b(1, 1, 1, c.filters);
    for (int f = 0; f < c.filters; ++f) {
      b(0, 0, 0, f) = layer->parameter("bias")->value(f);
    }
    const cs::ConvForward want = cs::reference::conv_forward(
        ToT4(x), ToT4(W), b, cs::ConvHparameters{c.stride, c.pad});
    const ArrayD Z = layer->Forward(x, true);
    EXPECT_TRUE(Close(Z, FromT4(want.Z))) << "x " << ShapeString(c.x);
    const ArrayD dZ = Randn(rng, Z.shape());
    const ArrayD dx = layer->Backward(x, Z, dZ);
    const cs::ConvBackward grads =
        cs::reference::conv_backward(ToT4(dZ), want.cache);
    EXPECT_TRUE(Close(dx, FromT4(grads.dA_prev))) << "dA_prev";
    EXPECT_TRUE(Close(layer->parameter("kernel")->grad, FromT4(grads.dW)))
        << "dW";
    ArrayD db({c.filters});
    for (int f = 0; f < c.filters; ++f) db(f) = grads.db(0, 0, 0, f);
    EXPECT_TRUE(Close(layer->parameter("bias")->grad, db)) << "db";
  }
}

TEST(Conv2D, BackwardMatchesFiniteDifferences) {
  RandomState rng(3);
  for (const ConvCase& c : ConvCases()) {
    if (NumElements(c.x) > 200) continue;  // keep it fast
    auto layer =
        Built<double>(Conv2D(c.filters, c.kernel, c.strides, c.padding), {c.x});
    Randomize(*layer, rng);
    ExpectGradientsMatch(*layer, {Randn(rng, c.x)}, true, Describe(c));
  }
}

TEST(Conv2D, NoInputGradientWhenNotAsked) {
  RandomState rng(4);
  auto layer = Built<double>(Conv2D(2, 3, 1, "same"), {{2, 4, 4, 1}});
  const ArrayD x = Randn(rng, {2, 4, 4, 1});
  ArrayD y;
  layer->Forward({&x}, &y, true);
  const ArrayD dy = Randn(rng, y.shape());
  layer->Backward({&x}, y, dy, {nullptr});
  const ArrayD dW = layer->parameter("kernel")->grad;
  layer->Backward(x, y, dy);
  EXPECT_TRUE(Close(layer->parameter("kernel")->grad, dW));
}

// A frozen convolution (its parameters not trainable, as a pretrained base
// or style transfer's network): the same dx, and no gradient for the
// parameters (their grad left as it was), in double (im2col, and 1x1) and in
// float (oneDNN, the batch in one piece and in two halves).
template <typename T>
void ExpectFrozenGivesSameDx(const Conv2D& spec, const Shape& shape) {
  RandomState rng(12);
  auto layer = Built<T>(spec, {shape});
  const Array<T> x = Cast<T>(Randn(rng, shape));
  Array<T> y, dx, dx_frozen;
  layer->Forward({&x}, &y, true);
  const Array<T> dy = Cast<T>(Randn(rng, y.shape()));
  layer->Backward({&x}, y, dy, {&dx});
  for (Parameter<T>& p : layer->parameters()) {
    p.trainable = false;
    p.grad.SetZero();
  }
  layer->Backward({&x}, y, dy, {&dx_frozen});
  EXPECT_TRUE(std::equal(dx.data(), dx.data() + dx.size(), dx_frozen.data()))
      << "a frozen layer's dx differs";
  for (const Parameter<T>& p : layer->parameters()) {
    EXPECT_EQ(p.grad.vec().norm(), 0) << p.name << " was computed";
  }
}

TEST(Conv2D, FrozenComputesDxOnly) {
  ExpectFrozenGivesSameDx<double>(Conv2D(3, 3, 2, "same"), {2, 7, 6, 2});
  ExpectFrozenGivesSameDx<double>(Conv2D(3, 1), {2, 4, 4, 2});
  ExpectFrozenGivesSameDx<float>(Conv2D(4, 3, 1, "same"), {2, 6, 6, 3});
  ExpectFrozenGivesSameDx<float>(Conv2D(16, 3, 1, "same"), {8, 32, 32, 8});
}

// float32 (oneDNN, cut into two halves of the batch by the shapes): the same
// bits on 1 thread as on 2, forward and backward.
TEST(Conv2D, FloatSameBitsOnOneOrTwoThreads) {
  RandomState rng(9);
  const Shape shape{8, 32, 32, 8};  // 9.4M multiply-adds: cut in two
  auto layer = Built<float>(Conv2D(16, 3, 1, "same"), {shape});
  const Array<float> x = Cast<float>(Randn(rng, shape));
  const Array<float> dy = Cast<float>(Randn(rng, {8, 32, 32, 16}));
  ExpectSameBitsOnOneOrTwoThreads(*layer, x, dy);
}

TEST(Conv2D, RejectsWrongShapes) {
  EXPECT_THROW(Built<double>(Conv2D(2, 5), {{1, 4, 4, 1}}),
               std::invalid_argument);
  EXPECT_THROW(Built<double>(Conv2D(2, 3), {{1, 16}}), std::invalid_argument);
  auto layer = Built<double>(Conv2D(2, 3), {{1, 4, 4, 1}});
  const ArrayD x({1, 5, 4, 1});
  EXPECT_THROW(layer->Forward(x), std::invalid_argument);
}

// Keras's initializer: U(-l, l), l = sqrt(6 / (fan_in + fan_out)), drawn from
// the RandomState in row-major order; zero biases.
TEST(Conv2D, GlorotUniformFromRandomState) {
  auto layer = Built<double>(Conv2D(8, 4), {{1, 64, 64, 3}});
  const ArrayD& W = layer->parameter("kernel")->value;
  RandomState rng(0);
  const double limit = std::sqrt(6.0 / (4 * 4 * 3 + 4 * 4 * 8));
  for (Index i = 0; i < W.size(); ++i) {
    ASSERT_EQ(W[i], rng.uniform(-limit, limit)) << i;
  }
  EXPECT_EQ(layer->parameter("bias")->value.vec().norm(), 0.0);
  EXPECT_EQ(layer->CountParameters(true), 4 * 4 * 3 * 8 + 8);
}

// --------------------------------------------------------- Conv2DTranspose

// y[i, oh s - before + r, ow s - before + c, f] += x[i, oh, ow, ch]
// K[r, c, f, ch], for an output of (out_h, out_w).
ArrayD NaiveTranspose(const ArrayD& x, const ArrayD& K, const ArrayD& b,
                      Index out_h, Index out_w, int s, Index bh, Index bw) {
  const Index m = x.dim(0), H = x.dim(1), W = x.dim(2), C = x.dim(3);
  const Index kh = K.dim(0), kw = K.dim(1), F = K.dim(2);
  ArrayD Y({m, out_h, out_w, F});
  for (Index i = 0; i < m; ++i)
    for (Index oh = 0; oh < out_h; ++oh)
      for (Index ow = 0; ow < out_w; ++ow)
        for (Index f = 0; f < F; ++f) Y(i, oh, ow, f) = b(f);
  for (Index i = 0; i < m; ++i)
    for (Index h = 0; h < H; ++h)
      for (Index w = 0; w < W; ++w)
        for (Index ch = 0; ch < C; ++ch)
          for (Index r = 0; r < kh; ++r)
            for (Index c = 0; c < kw; ++c)
              for (Index f = 0; f < F; ++f) {
                const Index yh = h * s - bh + r, yw = w * s - bw + c;
                if (yh < 0 || yh >= out_h || yw < 0 || yw >= out_w) continue;
                Y(i, yh, yw, f) += x(i, h, w, ch) * K(r, c, f, ch);
              }
  return Y;
}

TEST(Conv2DTranspose, ForwardMatchesNaiveLoops) {
  RandomState rng(5);
  struct Case {
    Shape x;
    int filters, k, s;
    Padding padding;
    Index out_h, out_w;  // Keras's output size
  };
  for (const Case& c : {Case{{2, 3, 4, 2}, 3, 3, 2, "same", 6, 8},
                        Case{{1, 3, 4, 2}, 3, 3, 2, "valid", 7, 9},
                        Case{{2, 4, 3, 3}, 2, 2, 2, "same", 8, 6},
                        Case{{2, 3, 3, 2}, 2, 4, 2, "same", 6, 6},
                        Case{{2, 3, 5, 2}, 2, 3, 1, "same", 3, 5},
                        Case{{2, 3, 3, 1}, 2, 2, 3, "valid", 9, 9},
                        Case{{2, 4, 3, 2}, 2, 3, 2, 1, 7, 5},
                        Case{{2, 3, 4, 2}, 3, 1, 1, "valid", 3, 4}}) {
    auto layer =
        Built<double>(Conv2DTranspose(c.filters, c.k, c.s, c.padding), {c.x});
    Randomize(*layer, rng);
    EXPECT_EQ(layer->output_shape(), (Shape{c.out_h, c.out_w, c.filters}));
    const ArrayD x = Randn(rng, c.x);
    // The forward conv from the output back: Keras's padding for it.
    const Axis ah = KerasAxis(c.out_h, c.k, c.s, c.padding);
    const Axis aw = KerasAxis(c.out_w, c.k, c.s, c.padding);
    EXPECT_TRUE(Close(layer->Forward(x, true),
                      NaiveTranspose(x, layer->parameter("kernel")->value,
                                     layer->parameter("bias")->value, c.out_h,
                                     c.out_w, c.s, ah.before, aw.before)))
        << "x " << ShapeString(c.x) << " k " << c.k << " s " << c.s << " "
        << c.padding.ToString();
    ExpectGradientsMatch(*layer, {x}, true, "Conv2DTranspose");
  }
  EXPECT_EQ(Built<double>(Conv2DTranspose(4, 3), {{1, 5, 5, 2}})
                ->CountParameters(true),
            3 * 3 * 4 * 2 + 4);
}

// ---------------------------------------------------------------- pooling

struct PoolCase {
  Shape x;
  Size2 pool, strides;
  Padding padding;
};

std::vector<PoolCase> PoolCases() {
  return {
      {{2, 4, 6, 3}, 2, 0, "valid"},  // strides = pool size
      {{1, 5, 7, 2}, 3, 1, "valid"},
      {{2, 5, 7, 2}, 3, 2, "same"},
      {{2, 8, 8, 3}, 8, 8, "same"},  // the course's MAXPOOL 8x8
      {{2, 7, 6, 2}, 4, 4, "same"},
      {{2, 6, 5, 2}, 2, 1, "same"},
      {{2, 5, 6, 2}, {2, 3}, {1, 2}, "valid"},
      {{1, 5, 5, 2}, 3, 2, 1},
  };
}

std::string Describe(const PoolCase& c) {
  return "x " + ShapeString(c.x) + ", pool " + std::to_string(c.pool.h) + "x" +
         std::to_string(c.pool.w) + ", strides " + std::to_string(c.strides.h) +
         "x" + std::to_string(c.strides.w) + ", padding " +
         c.padding.ToString();
}

TEST(Pool2D, ForwardMatchesNaiveLoops) {
  RandomState rng(6);
  for (const PoolCase& c : PoolCases()) {
    const int sh = c.strides.h == 0 ? c.pool.h : c.strides.h;
    const int sw = c.strides.w == 0 ? c.pool.w : c.strides.w;
    const Axis ah = KerasAxis(c.x[1], c.pool.h, sh, c.padding);
    const Axis aw = KerasAxis(c.x[2], c.pool.w, sw, c.padding);
    const ArrayD x = Randn(rng, c.x);
    auto mx = Built<double>(MaxPool2D(c.pool, c.strides, c.padding), {c.x});
    EXPECT_EQ(mx->type(), "MaxPooling2D");
    EXPECT_TRUE(Close(mx->Forward(x),
                      NaivePool(x, true, c.pool.h, c.pool.w, ah, aw, sh, sw)))
        << "max, " << Describe(c);
    auto avg =
        Built<double>(AveragePool2D(c.pool, c.strides, c.padding), {c.x});
    EXPECT_TRUE(Close(avg->Forward(x),
                      NaivePool(x, false, c.pool.h, c.pool.w, ah, aw, sh, sw)))
        << "average, " << Describe(c);
  }
}

TEST(Pool2D, MatchesCourseReference) {
  namespace cs = conv_step_by_step;
  RandomState rng(7);
  struct Case {
    Shape x;
    int f, stride;
  };
  for (const Case& c : {Case{{2, 5, 5, 3}, 3, 1}, Case{{2, 5, 7, 3}, 3, 2},
                        Case{{1, 4, 4, 2}, 2, 2}}) {
    const ArrayD x = Distinct(rng, c.x);
    const ArrayD dA = Randn(rng, {c.x[0], (c.x[1] - c.f) / c.stride + 1,
                                  (c.x[2] - c.f) / c.stride + 1, c.x[3]});
    for (bool max : {true, false}) {
      auto layer = max ? Built<double>(MaxPool2D(c.f, c.stride), {c.x})
                       : Built<double>(AveragePool2D(c.f, c.stride), {c.x});
      const cs::PoolMode mode =
          max ? cs::PoolMode::kMax : cs::PoolMode::kAverage;
      const cs::PoolForward want = cs::reference::pool_forward(
          ToT4(x), cs::PoolHparameters{c.stride, c.f}, mode);
      const ArrayD A = layer->Forward(x, true);
      EXPECT_TRUE(Close(A, FromT4(want.A))) << (max ? "max" : "average");
      const Tensor<4> dA_prev =
          cs::reference::pool_backward(ToT4(dA), want.cache, mode);
      EXPECT_TRUE(Close(layer->Backward(x, A, dA), FromT4(dA_prev)))
          << (max ? "max" : "average") << " backward";
    }
  }
}

TEST(Pool2D, BackwardMatchesFiniteDifferences) {
  RandomState rng(8);
  for (const PoolCase& c : PoolCases()) {
    if (NumElements(c.x) > 200) continue;
    auto mx = Built<double>(MaxPool2D(c.pool, c.strides, c.padding), {c.x});
    ExpectGradientsMatch(*mx, {Distinct(rng, c.x)}, true,
                         "max, " + Describe(c));
    auto avg =
        Built<double>(AveragePool2D(c.pool, c.strides, c.padding), {c.x});
    ExpectGradientsMatch(*avg, {Randn(rng, c.x)}, true,
                         "average, " + Describe(c));
  }
}

// A tie sends the whole gradient to the first max (row, then column), not
// to every max.
// Max pooling's backward, the rule by hand: dy goes to the first cell of
// the window (row, then column) equal to the max, or to the window's first
// cell when none is (NaN). Inputs full of ties and a NaN, windows apart
// (stride = pool size, with and without padding) and overlapping, in
// double and float: the same bits. The forward pass's maxima too.
template <typename T>
void ExpectMaxBackwardByTheRule(const PoolCase& c) {
  RandomState rng(21);
  auto layer = Built<T>(MaxPool2D(c.pool, c.strides, c.padding), {c.x});
  Array<T> x(c.x);
  for (Index i = 0; i < x.size(); ++i) x[i] = T(rng.randint(0, 3));
  x[x.size() / 2] = std::numeric_limits<T>::quiet_NaN();
  const Array<T> y = layer->Forward(x, true);
  Array<T> dy(y.shape());
  for (Index i = 0; i < dy.size(); ++i) dy[i] = T(rng.standard_normal());
  const Array<T> dx = layer->Backward(x, y, dy);
  const Window1D gh = ConvWindow(c.x[1], c.pool.h, c.strides.h, c.padding);
  const Window1D gw = ConvWindow(c.x[2], c.pool.w, c.strides.w, c.padding);
  Array<T> want(c.x, T(0));
  const Index C = c.x[3];
  for (Index i = 0; i < c.x[0]; ++i) {
    for (Index oh = 0; oh < gh.out; ++oh) {
      for (Index ow = 0; ow < gw.out; ++ow) {
        for (Index ch = 0; ch < C; ++ch) {
          const Index h_lo = std::max<Index>(oh * gh.stride - gh.before, 0);
          const Index h_hi =
              std::min<Index>(oh * gh.stride - gh.before + gh.k, gh.in);
          const Index w_lo = std::max<Index>(ow * gw.stride - gw.before, 0);
          const Index w_hi =
              std::min<Index>(ow * gw.stride - gw.before + gw.k, gw.in);
          // The forward pass: the window's max in row, column order, a NaN
          // kept once it is the running max (Eigen's max keeps its first
          // operand when either is NaN).
          T max = x(i, h_lo, w_lo, ch);
          for (Index h = h_lo; h < h_hi; ++h) {
            for (Index w = w_lo; w < w_hi; ++w) {
              max = max < x(i, h, w, ch) ? x(i, h, w, ch) : max;
            }
          }
          const T got = y(i, oh, ow, ch);
          EXPECT_TRUE(got == max || (got != got && max != max))
              << Describe(c) << ": y at " << i << ", " << oh << ", " << ow
              << ", " << ch << " is " << got << ", expected " << max;
          Index hit_h = h_lo, hit_w = w_lo;
          bool found = false;
          for (Index h = h_lo; h < h_hi && !found; ++h) {
            for (Index w = w_lo; w < w_hi && !found; ++w) {
              if (x(i, h, w, ch) == y(i, oh, ow, ch)) {
                hit_h = h, hit_w = w, found = true;
              }
            }
          }
          want(i, hit_h, hit_w, ch) += dy(i, oh, ow, ch);
        }
      }
    }
  }
  EXPECT_TRUE(std::equal(dx.data(), dx.data() + dx.size(), want.data(),
                         [](T a, T b) { return a == b || (a != a && b != b); }))
      << Describe(c);
}

TEST(Pool2D, MaxBackwardFollowsTheRuleWithTiesAndNaN) {
  const std::vector<PoolCase> cases = {
      {{2, 4, 6, 3}, 2, 2, "valid"},  // apart, every cell in a window
      {{2, 5, 7, 4}, 2, 2, "valid"},  // apart, the last row and column out
      {{1, 7, 6, 2}, 3, 3, "same"},   // apart, padded
      // apart, the channels in packets of 4 floats or 2 doubles and a rest
      {{2, 4, 6, 6}, 2, 2, "valid"},
      {{1, 7, 6, 5}, 3, 3, "same"},
      {{2, 5, 7, 2}, 3, 2, "same"},   // overlapping
      {{1, 5, 7, 2}, 3, 1, "valid"},  // overlapping
      // overlapping, the channels in packets and a rest
      {{2, 5, 7, 6}, 3, 2, "same"},
      {{1, 6, 5, 5}, 3, 1, "valid"},
  };
  for (const PoolCase& c : cases) {
    ExpectMaxBackwardByTheRule<double>(c);
    ExpectMaxBackwardByTheRule<float>(c);
  }
}

TEST(Pool2D, MaxTieGoesToFirstEntry) {
  auto layer = Built<double>(MaxPool2D(2), {{1, 2, 2, 1}});
  ArrayD x({1, 2, 2, 1}, 0.0);
  const ArrayD y = layer->Forward(x, true);
  const ArrayD dx = layer->Backward(x, y, ArrayD({1, 1, 1, 1}, 1.0));
  EXPECT_EQ(dx(0, 0, 0, 0), 1.0);
  EXPECT_EQ(dx.vec().sum(), 1.0);
}

// A batch large enough to be cut in two halves (InHalves) gives, image by
// image, what each image gives alone (too small to be cut), forward and
// backward; with ties (zeros, as after a ReLU) and on 1 thread or 2.
template <typename S>
void ExpectBatchInHalvesEqualsImagesAlone(const S& spec,
                                          const std::string& what) {
  RandomState rng(11);
  const Shape shape{6, 32, 32, 8};  // 6 x 8192 x 4 window entries: cut
  auto batch = Built<double>(spec, {shape});
  auto one = Built<double>(spec, {{1, 32, 32, 8}});
  ArrayD x = Randn(rng, shape);
  for (Index k = 0; k < x.size(); ++k) x[k] = std::max(x[k], 0.0);
  for (int threads : {1, 2}) {
    SetMatrixProductThreads(threads);
    const ArrayD y = batch->Forward(x, true);
    const ArrayD dy = Randn(rng, y.shape());
    const ArrayD dx = batch->Backward(x, y, dy);
    const Index in = 32 * 32 * 8, out = y.size() / 6;
    for (Index i = 0; i < 6; ++i) {
      ArrayD xi({1, 32, 32, 8});
      std::copy_n(x.data() + i * in, in, xi.data());
      const ArrayD yi = one->Forward(xi, true);
      ArrayD dyi(yi.shape());
      std::copy_n(dy.data() + i * out, out, dyi.data());
      const ArrayD dxi = one->Backward(xi, yi, dyi);
      EXPECT_TRUE(std::equal(yi.data(), yi.data() + out, y.data() + i * out))
          << what << " image " << i;
      EXPECT_TRUE(std::equal(dxi.data(), dxi.data() + in, dx.data() + i * in))
          << what << " image " << i << " dx";
    }
  }
  SetMatrixProductThreads(2);
}

TEST(Pool2D, BatchInHalvesEqualsImagesAlone) {
  ExpectBatchInHalvesEqualsImagesAlone(MaxPool2D(4), "MaxPool2D");
  ExpectBatchInHalvesEqualsImagesAlone(AveragePool2D(4), "AveragePool2D");
  ExpectBatchInHalvesEqualsImagesAlone(ReLU(), "ReLU");
}

TEST(GlobalAveragePooling2D, ValuesAndGradients) {
  RandomState rng(9);
  auto layer = Built<double>(GlobalAveragePooling2D(), {{2, 3, 4, 5}});
  const ArrayD x = Randn(rng, {2, 3, 4, 5});
  const ArrayD y = layer->Forward(x);
  ASSERT_EQ(y.shape(), (Shape{2, 5}));
  double mean = 0;
  for (int h = 0; h < 3; ++h)
    for (int w = 0; w < 4; ++w) mean += x(1, h, w, 2) / 12.0;
  EXPECT_NEAR(y(1, 2), mean, 1e-14);
  ExpectGradientsMatch(*layer, {x}, true, "GlobalAveragePooling2D");
}

// Conv2D(..., activation="relu"): the convolution, then max(0, .); its
// gradient passes where the output is positive.
TEST(Conv2D, ReluActivation) {
  RandomState rng(34);
  Conv2D spec(3, 3, 1, "same");
  spec.activation = "relu";
  auto relu = test::Built<double>(spec, {{2, 5, 6, 2}});
  auto linear = test::Built<double>(Conv2D(3, 3, 1, "same"), {{2, 5, 6, 2}});
  test::Randomize(*relu, rng);
  for (int k = 0; k < 2; ++k) {
    linear->parameters()[k].value = relu->parameters()[k].value;
  }
  const ArrayD x = Distinct(rng, {2, 5, 6, 2});
  const ArrayD y = relu->Forward(x);
  const ArrayD z = linear->Forward(x);
  for (Index k = 0; k < y.size(); ++k) EXPECT_EQ(y[k], std::max(0.0, z[k]));
  test::ExpectGradientsMatch(*relu, {x}, true, "Conv2D relu");
  spec.activation = "tanh";
  EXPECT_THROW(test::Built<double>(spec, {{1, 4, 4, 1}}),
               std::invalid_argument);
}

// Conv1D: a 1-D convolution over time, as its formula says.
TEST(Conv1D, ForwardIsTheSumOverTheWindow) {
  RandomState rng(31);
  auto layer = test::Built<double>(Conv1D(3, 4, 2), {{2, 11, 5}});
  test::Randomize(*layer, rng);
  EXPECT_EQ(layer->output_shape(), (Shape{4, 3}));  // (11 - 4) / 2 + 1
  EXPECT_EQ(layer->CountParameters(true), 4 * 5 * 3 + 3);
  const ArrayD x = Randn(rng, {2, 11, 5});
  const ArrayD y = layer->Forward(x);
  const ArrayD& W = layer->parameters()[0].value;  // (1, 4, 5, 3)
  const ArrayD& b = layer->parameters()[1].value;
  for (Index i = 0; i < 2; ++i) {
    for (Index t = 0; t < 4; ++t) {
      for (Index f = 0; f < 3; ++f) {
        double want = b[f];
        for (Index k = 0; k < 4; ++k) {
          for (Index c = 0; c < 5; ++c)
            want += x(i, 2 * t + k, c) * W(0, k, c, f);
        }
        EXPECT_NEAR(y(i, t, f), want, 1e-12);
      }
    }
  }
}

TEST(Conv1D, BackwardMatchesFiniteDifferences) {
  RandomState rng(32);
  for (const char* padding : {"valid", "same"}) {
    auto layer = test::Built<double>(Conv1D(2, 3, 2, padding), {{2, 9, 3}});
    test::Randomize(*layer, rng);
    test::ExpectGradientsMatch(*layer, {Randn(rng, {2, 9, 3})}, true,
                               std::string("Conv1D ") + padding);
  }
}

TEST(Conv1D, CourseTriggerWordShapesAndFloat) {
  // The course's Conv1D(196, 15, strides=4) on the 5511 x 101 spectrogram.
  auto course = test::Built<float>(Conv1D(196, 15, 4), {{1, 5511, 101}});
  EXPECT_EQ(course->output_shape(), (Shape{1375, 196}));
  EXPECT_EQ(course->CountParameters(true), 297136);
  RandomState rng(33);
  auto d = test::Built<double>(Conv1D(4, 5, 3), {{2, 20, 6}});
  auto f = test::Built<float>(Conv1D(4, 5, 3), {{2, 20, 6}});
  test::Randomize(*d, rng);
  for (int k = 0; k < 2; ++k) {
    f->parameters()[k].value = Cast<float>(d->parameters()[k].value);
  }
  const ArrayD x = Randn(rng, {2, 20, 6});
  const Array<float> xf = Cast<float>(x);
  EXPECT_TRUE(Close(Cast<double>(f->Forward(xf)), d->Forward(x), 1e-5, 1e-4));
  EXPECT_THROW(test::Built<double>(Conv1D(2, 3), {{1, 4, 4, 2}}),
               std::invalid_argument);
}

}  // namespace
}  // namespace nn
}  // namespace dl
namespace dl {
namespace nn {
namespace {

// The float32 convolution's gradients are the same bits whichever thread
// first plans it: oneDNN plans its primitives for the threads it may use,
// so each thread's OpenMP team is set to one before the first plan (a new
// thread starts with the machine's count).
TEST(Conv2D, FloatSameBitsOnAFreshThread) {
  const auto train_step = [] {
    Conv2D spec(16, 3, 1, "same");
    spec.activation = "relu";
    auto layer = test::Built<float>(spec, {{96, 32, 32, 3}});
    RandomState r(5);
    Array<float> x({96, 32, 32, 3});
    for (Index k = 0; k < x.size(); ++k) x[k] = float(r.random_sample());
    const Array<float> y = layer->Forward(x, true);
    Array<float> g(y.shape());
    for (Index k = 0; k < g.size(); ++k) g[k] = float(r.standard_normal());
    layer->Backward(x, y, g);
    return layer->parameters()[0].grad;
  };
  const Array<float> here = train_step();
  Array<float> fresh;
  std::thread([&] { fresh = train_step(); }).join();
  EXPECT_TRUE(here.vec() == fresh.vec())
      << "dW differs on a thread whose first oneDNN plan this was";
}

}  // namespace
}  // namespace nn
}  // namespace dl
