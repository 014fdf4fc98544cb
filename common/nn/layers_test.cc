// Tests of common/layers: every layer in double against a naive loop (and
// the convolution and pooling against course3_cnn/conv_step_by_step's
// reference, which is written with the course's loops), on several shapes
// (stride 1 to 3, pad 0 to 3, "same" and "valid", non-square inputs and
// kernels, m = 1); every backward against centered finite differences
// (input and parameter gradients); float against double. The losses are
// tested in losses_test.cc.

#include "common/nn/layers.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/core/tensor.h"
#include "common/nn/test_util.h"
#include "course3_cnn/conv_step_by_step/conv_step_by_step.h"
#include "gtest/gtest.h"

namespace dl {
namespace nn {
namespace {

using ArrayD = Array<double>;
using test::Close;
using test::Randn;
using test::RelativeDifference;
using ArrayF = Array<float>;

// ---------------------------------------------------------------- helpers

// Values that are all different, at least 0.05 apart: a max stays where it
// is under a perturbation of 1e-6, and none is near relu's kink.
ArrayD Distinct(RandomState& rng, const Shape& shape) {
  ArrayD a(shape);
  const std::vector<int64_t> order = rng.permutation(a.size());
  for (Index i = 0; i < a.size(); ++i) {
    a[i] = 0.05 * (static_cast<double>(order[i]) - a.size() / 2.0 + 0.5);
  }
  return a;
}

// A layer built for inputs of these shapes (with the batch), from seed 0.
template <typename T, typename S>
std::unique_ptr<Layer<T>> Built(const S& spec,
                                const std::vector<Shape>& shapes) {
  std::unique_ptr<Layer<T>> layer = MakeLayer<T>(spec);
  layer->set_name("layer");
  std::vector<Shape> without_batch;
  for (const Shape& s : shapes)
    without_batch.emplace_back(s.begin() + 1, s.end());
  RandomState rng(0);
  layer->Build(without_batch, rng);
  return layer;
}

// Gives every parameter random values (a zero bias or unit gamma would hide
// mistakes).
void Randomize(Layer<double>& layer, RandomState& rng) {
  for (Parameter<double>& p : layer.parameters()) {
    for (Index i = 0; i < p.value.size(); ++i) {
      p.value[i] = p.name == "moving_variance" ? 0.5 + rng.random_sample()
                                               : 0.5 * rng.standard_normal();
    }
  }
}

std::vector<const ArrayD*> Ptrs(const std::vector<ArrayD>& v) {
  std::vector<const ArrayD*> p;
  for (const ArrayD& a : v) p.push_back(&a);
  return p;
}

// Centered differences of J = sum(forward(inputs) * G) for every entry of
// every input and every trainable parameter, against the layer's Backward.
// `before_forward` runs before every forward pass (e.g. to replay a dropout
// mask).
void ExpectGradientsMatch(Layer<double>& layer, std::vector<ArrayD> inputs,
                          bool training, const std::string& what,
                          const std::function<void()>& before_forward = {},
                          double threshold = 1e-7) {
  RandomState rng(99);
  const auto forward = [&]() {
    if (before_forward) before_forward();
    ArrayD y;
    layer.Forward(Ptrs(inputs), &y, training);
    return y;
  };
  const ArrayD y = forward();
  const ArrayD G = Randn(rng, y.shape());
  std::vector<ArrayD> dinputs(inputs.size());
  std::vector<ArrayD*> dptrs;
  for (ArrayD& d : dinputs) dptrs.push_back(&d);
  layer.Backward(Ptrs(inputs), y, G, dptrs);
  const auto J = [&]() { return forward().vec().dot(G.vec()); };
  const double eps = 1e-6;
  const auto numeric = [&](ArrayD& x) {
    ArrayD g(x.shape());
    for (Index i = 0; i < x.size(); ++i) {
      const double keep = x[i];
      x[i] = keep + eps;
      const double plus = J();
      x[i] = keep - eps;
      const double minus = J();
      x[i] = keep;
      g[i] = (plus - minus) / (2 * eps);
    }
    return g;
  };
  for (size_t k = 0; k < inputs.size(); ++k) {
    const ArrayD n = numeric(inputs[k]);
    EXPECT_EQ(dinputs[k].shape(), inputs[k].shape()) << what;
    if (dinputs[k].shape() != inputs[k].shape()) continue;
    EXPECT_LT(RelativeDifference(dinputs[k], n), threshold)
        << what << ": dinput " << k;
  }
  for (Parameter<double>& p : layer.parameters()) {
    if (!p.trainable) continue;
    const ArrayD analytic = p.grad;
    const ArrayD n = numeric(p.value);
    EXPECT_LT(RelativeDifference(analytic, n), threshold)
        << what << ": d" << p.name;
  }
}

// ---------------------------------------------------- naive references

// Keras's output size and leading pad along one axis, written out here
// independently of ConvWindow.
struct Axis {
  Index out, before;
};
Axis KerasAxis(Index in, int k, int s, const Padding& p) {
  switch (p.kind()) {
    case Padding::Kind::kValid:
      return {(in - k) / s + 1, 0};
    case Padding::Kind::kSame: {
      const Index out = (in + s - 1) / s;
      return {out, std::max<Index>((out - 1) * s + k - in, 0) / 2};
    }
    case Padding::Kind::kExplicit:
      return {(in + 2 * p.pad() - k) / s + 1, p.pad()};
  }
  return {0, 0};
}

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
TEST(Pool2D, MaxTieGoesToFirstEntry) {
  auto layer = Built<double>(MaxPool2D(2), {{1, 2, 2, 1}});
  ArrayD x({1, 2, 2, 1}, 0.0);
  const ArrayD y = layer->Forward(x, true);
  const ArrayD dx = layer->Backward(x, y, ArrayD({1, 1, 1, 1}, 1.0));
  EXPECT_EQ(dx(0, 0, 0, 0), 1.0);
  EXPECT_EQ(dx.vec().sum(), 1.0);
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

// ------------------------------------------------------------- batch norm

TEST(BatchNormalization, TrainingUsesBatchStatistics) {
  RandomState rng(10);
  for (const Shape& shape :
       {Shape{4, 3, 2, 5}, Shape{6, 3}, Shape{1, 2, 3, 2}}) {
    auto layer = Built<double>(BatchNormalization(), {shape});
    Randomize(*layer, rng);
    const ArrayD mm0 = layer->parameter("moving_mean")->value;
    const ArrayD mv0 = layer->parameter("moving_variance")->value;
    const ArrayD x = Randn(rng, shape, 2.0);
    const ArrayD y = layer->Forward(x, /*training=*/true);
    const Index C = shape.back(), N = x.size() / C;
    const ArrayD& gamma = layer->parameter("gamma")->value;
    const ArrayD& beta = layer->parameter("beta")->value;
    for (Index c = 0; c < C; ++c) {
      double mu = 0, var = 0;
      for (Index r = 0; r < N; ++r) mu += x[r * C + c] / N;
      for (Index r = 0; r < N; ++r) {
        var += (x[r * C + c] - mu) * (x[r * C + c] - mu) / N;
      }
      for (Index r = 0; r < N; ++r) {
        const double want =
            gamma(c) * (x[r * C + c] - mu) / std::sqrt(var + 0.001) + beta(c);
        EXPECT_NEAR(y[r * C + c], want, 1e-12) << ShapeString(shape);
      }
      // Keras: moving = 0.99 moving + 0.01 batch.
      EXPECT_NEAR(layer->parameter("moving_mean")->value(c),
                  0.99 * mm0(c) + 0.01 * mu, 1e-14);
      EXPECT_NEAR(layer->parameter("moving_variance")->value(c),
                  0.99 * mv0(c) + 0.01 * var, 1e-14);
    }
  }
}

TEST(BatchNormalization, InferenceUsesMovingAverages) {
  RandomState rng(11);
  auto layer = Built<double>(BatchNormalization(3), {{2, 3, 3, 4}});
  Randomize(*layer, rng);
  const ArrayD x = Randn(rng, {2, 3, 3, 4});
  const ArrayD y = layer->Forward(x, /*training=*/false);
  const ArrayD& mm = layer->parameter("moving_mean")->value;
  const ArrayD& mv = layer->parameter("moving_variance")->value;
  const ArrayD& gamma = layer->parameter("gamma")->value;
  const ArrayD& beta = layer->parameter("beta")->value;
  for (Index k = 0; k < x.size(); ++k) {
    const Index c = k % 4;
    EXPECT_NEAR(y[k],
                gamma(c) * (x[k] - mm(c)) / std::sqrt(mv(c) + 0.001) + beta(c),
                1e-12);
  }
  ExpectGradientsMatch(*layer, {x}, false, "BatchNormalization inference");
}

TEST(BatchNormalization, BackwardMatchesFiniteDifferences) {
  RandomState rng(12);
  for (const Shape& shape :
       {Shape{3, 2, 3, 4}, Shape{5, 3}, Shape{1, 3, 2, 2}}) {
    auto layer = Built<double>(BatchNormalization(), {shape});
    Randomize(*layer, rng);
    ExpectGradientsMatch(*layer, {Randn(rng, shape)}, true,
                         "BatchNormalization " + ShapeString(shape));
  }
}

TEST(BatchNormalization, ParametersAndAxis) {
  auto layer = Built<double>(BatchNormalization(3), {{1, 64, 64, 32}});
  EXPECT_EQ(layer->CountParameters(true), 64);
  EXPECT_EQ(layer->CountParameters(false), 64);
  EXPECT_THROW(Built<double>(BatchNormalization(1), {{1, 4, 4, 2}}),
               std::invalid_argument);
}

// ------------------------------------------------------------------ dense

TEST(Dense, ForwardAndGradients) {
  RandomState rng(13);
  for (const Shape& shape : {Shape{4, 5}, Shape{1, 3}, Shape{2, 3, 4}}) {
    auto layer = Built<double>(Dense(3), {shape});
    Randomize(*layer, rng);
    const ArrayD x = Randn(rng, shape);
    const ArrayD y = layer->Forward(x);
    const ArrayD& W = layer->parameter("kernel")->value;
    const ArrayD& b = layer->parameter("bias")->value;
    const Index n = shape.back(), N = x.size() / n;
    for (Index r = 0; r < N; ++r)
      for (Index j = 0; j < 3; ++j) {
        double z = b(j);
        for (Index k = 0; k < n; ++k) z += x[r * n + k] * W(k, j);
        EXPECT_NEAR(y[r * 3 + j], z, 1e-12);
      }
    ExpectGradientsMatch(*layer, {x}, true, "Dense " + ShapeString(shape));
  }
}

// ------------------------------------------------------------ activations

TEST(Activations, ValuesAndGradients) {
  RandomState rng(14);
  const Shape shape{2, 3, 4};
  const ArrayD x = Distinct(rng, shape);
  struct Case {
    std::unique_ptr<Layer<double>> layer;
    std::function<double(double)> f;
  };
  std::vector<Case> cases;
  cases.push_back({Built<double>(ReLU(), {shape}),
                   [](double v) { return std::max(v, 0.0); }});
  cases.push_back({Built<double>(Sigmoid(), {shape}),
                   [](double v) { return 1 / (1 + std::exp(-v)); }});
  cases.push_back(
      {Built<double>(Tanh(), {shape}), [](double v) { return std::tanh(v); }});
  cases.push_back({Built<double>(Activation("linear"), {shape}),
                   [](double v) { return v; }});
  for (Case& c : cases) {
    const ArrayD y = c.layer->Forward(x);
    for (Index k = 0; k < x.size(); ++k) EXPECT_NEAR(y[k], c.f(x[k]), 1e-14);
    ExpectGradientsMatch(*c.layer, {x}, true, c.layer->type());
  }
  auto softmax = Built<double>(Activation("softmax"), {shape});
  const ArrayD y = softmax->Forward(x);
  for (Index r = 0; r < 6; ++r) {
    double sum = 0;
    for (Index c = 0; c < 4; ++c) sum += std::exp(x[r * 4 + c]);
    for (Index c = 0; c < 4; ++c) {
      EXPECT_NEAR(y[r * 4 + c], std::exp(x[r * 4 + c]) / sum, 1e-14);
    }
  }
  ExpectGradientsMatch(*softmax, {x}, true, "softmax");
  // Large logits (exp(1000) overflows, exp(-1000) underflows): each row is
  // shifted by its max, so the result is finite and right, in float too.
  ArrayD big = x;
  for (Index k = 0; k < 12; ++k) big[k] += 1000;
  for (Index k = 12; k < 24; ++k) big[k] -= 1000;
  const ArrayD y_big = softmax->Forward(big);
  for (Index k = 0; k < y.size(); ++k) EXPECT_NEAR(y_big[k], y[k], 1e-12);
  ArrayF big_f({6, 4});
  for (Index k = 0; k < 24; ++k) big_f[k] = static_cast<float>(big[k]);
  const ArrayF p_f = Softmax(big_f);
  for (Index k = 0; k < 24; ++k) EXPECT_NEAR(p_f[k], y[k], 1e-3) << k;
  const ArrayF s_f = SigmoidOf(big_f);
  for (Index k = 0; k < 24; ++k) {
    EXPECT_TRUE(std::isfinite(s_f[k])) << k;
    EXPECT_NEAR(s_f[k], k < 12 ? 1.0 : 0.0, 1e-6) << k;
  }
  EXPECT_EQ(Built<double>(ReLU(), {shape})->type(), "ReLU");
  EXPECT_THROW(MakeLayer<double>(Activation("gelu")), std::invalid_argument);
}

// ---------------------------------------------------------------- dropout

TEST(Dropout, MaskFromRandomState) {
  auto layer = Built<double>(Dropout(0.25, 7), {{40, 50}});
  const ArrayD x({40, 50}, 2.0);
  const ArrayD y = layer->Forward(x, /*training=*/true);
  // Kept where u < 0.75 (one draw per entry, row-major), scaled by 1 / 0.75.
  RandomState rng(7);
  int kept = 0;
  for (Index k = 0; k < x.size(); ++k) {
    const bool keep = rng.random_sample() < 0.75;
    kept += keep;
    ASSERT_NEAR(y[k], keep ? 2.0 / 0.75 : 0.0, 1e-14) << k;
  }
  EXPECT_NEAR(kept / 2000.0, 0.75, 0.03);
  // Backward: the same mask.
  const ArrayD dy = x;
  const ArrayD dx = layer->Backward(x, y, dy);
  EXPECT_TRUE(Close(dx, y));
  // Inference: identity.
  EXPECT_TRUE(Close(layer->Forward(x, false), x));
  // Finite differences with the mask replayed.
  RandomState r2(1);
  auto small = Built<double>(Dropout(0.5, 3), {{2, 6}});
  ExpectGradientsMatch(*small, {Randn(r2, {2, 6})}, true, "Dropout",
                       [&] { SetDropoutSeed(*small, 3); });
  EXPECT_THROW(MakeLayer<double>(Dropout(1.0)), std::invalid_argument);
}

// ------------------------------------------------------ reshaping layers

TEST(Flatten, RowMajorOrder) {
  RandomState rng(15);
  auto layer = Built<double>(Flatten(), {{2, 3, 4, 5}});
  const ArrayD x = Randn(rng, {2, 3, 4, 5});
  const ArrayD y = layer->Forward(x);
  ASSERT_EQ(y.shape(), (Shape{2, 60}));
  EXPECT_EQ(y(1, (2 * 4 + 3) * 5 + 4), x(1, 2, 3, 4));  // Keras's order
  ExpectGradientsMatch(*layer, {x}, true, "Flatten");
}

TEST(ZeroPadding2D, ValuesAndGradients) {
  RandomState rng(16);
  auto layer = Built<double>(ZeroPadding2D(1, 2, 3, 0), {{2, 3, 2, 2}});
  const ArrayD x = Randn(rng, {2, 3, 2, 2});
  const ArrayD y = layer->Forward(x);
  ASSERT_EQ(y.shape(), (Shape{2, 6, 5, 2}));
  EXPECT_EQ(y(1, 1 + 2, 3 + 1, 1), x(1, 2, 1, 1));
  EXPECT_EQ(y(1, 0, 0, 0), 0.0);
  EXPECT_EQ(y.vec().sum(), x.vec().sum());
  ExpectGradientsMatch(*layer, {x}, true, "ZeroPadding2D");
  EXPECT_EQ(Built<double>(ZeroPadding2D(3), {{1, 64, 64, 3}})->output_shape(),
            (Shape{70, 70, 3}));
}

// ------------------------------------------------------- merging layers

TEST(Add, SumAndGradients) {
  RandomState rng(17);
  const Shape shape{2, 3, 3, 2};
  auto layer = Built<double>(Add(), {shape, shape});
  const ArrayD a = Randn(rng, shape), b = Randn(rng, shape);
  ArrayD y;
  layer->Forward({&a, &b}, &y, true);
  ArrayD sum = a;
  sum.vec() += b.vec();
  EXPECT_TRUE(Close(y, sum));
  ExpectGradientsMatch(*layer, {a, b}, true, "Add");
  EXPECT_THROW(Built<double>(Add(), {shape, {2, 3, 3, 3}}),
               std::invalid_argument);
  EXPECT_THROW(Built<double>(Add(), {shape}), std::invalid_argument);
}

TEST(Concatenate, LastAxisAndGradients) {
  RandomState rng(18);
  auto layer = Built<double>(Concatenate(), {{2, 2, 2, 3}, {2, 2, 2, 1}});
  const ArrayD a = Randn(rng, {2, 2, 2, 3}), b = Randn(rng, {2, 2, 2, 1});
  ArrayD y;
  layer->Forward({&a, &b}, &y, true);
  ASSERT_EQ(y.shape(), (Shape{2, 2, 2, 4}));
  EXPECT_EQ(y(1, 0, 1, 2), a(1, 0, 1, 2));
  EXPECT_EQ(y(1, 0, 1, 3), b(1, 0, 1, 0));
  ExpectGradientsMatch(*layer, {a, b}, true, "Concatenate");
}

// ---------------------------------------------------------- float vs double

// The same layer, inputs and parameters in float and double: outputs and
// gradients agree to float precision.
template <typename S>
void ExpectFloatMatchesDouble(const S& spec, const std::vector<Shape>& shapes,
                              const std::string& what) {
  RandomState rng(21);
  auto d = Built<double>(spec, shapes);
  auto f = Built<float>(spec, shapes);
  Randomize(*d, rng);
  for (size_t k = 0; k < d->parameters().size(); ++k) {
    f->parameters()[k].value = Cast<float>(d->parameters()[k].value);
  }
  std::vector<ArrayD> xd;
  std::vector<ArrayF> xf;
  for (const Shape& s : shapes) {
    xd.push_back(Distinct(rng, s));
    xf.push_back(Cast<float>(xd.back()));
  }
  std::vector<const ArrayF*> pf;
  for (const ArrayF& a : xf) pf.push_back(&a);
  ArrayD yd;
  ArrayF yf;
  d->Forward(Ptrs(xd), &yd, true);
  f->Forward(pf, &yf, true);
  const double scale = yd.vec().cwiseAbs().maxCoeff() + 1;
  EXPECT_TRUE(Close(Cast<double>(yf), yd, 1e-5 * scale, 1e-4)) << what;
  const ArrayD gd = Randn(rng, yd.shape());
  const ArrayF gf = Cast<float>(gd);
  std::vector<ArrayD> dxd(shapes.size());
  std::vector<ArrayF> dxf(shapes.size());
  std::vector<ArrayD*> pdd;
  std::vector<ArrayF*> pdf;
  for (size_t k = 0; k < shapes.size(); ++k) {
    pdd.push_back(&dxd[k]);
    pdf.push_back(&dxf[k]);
  }
  d->Backward(Ptrs(xd), yd, gd, pdd);
  f->Backward(pf, yf, gf, pdf);
  for (size_t k = 0; k < shapes.size(); ++k) {
    const double s = dxd[k].vec().cwiseAbs().maxCoeff() + 1;
    EXPECT_TRUE(Close(Cast<double>(dxf[k]), dxd[k], 1e-5 * s, 1e-4))
        << what << " dinput " << k;
  }
  for (size_t k = 0; k < d->parameters().size(); ++k) {
    if (!d->parameters()[k].trainable) continue;
    const ArrayD& g = d->parameters()[k].grad;
    const double s = g.vec().cwiseAbs().maxCoeff() + 1;
    EXPECT_TRUE(Close(Cast<double>(f->parameters()[k].grad), g, 1e-5 * s, 1e-4))
        << what << " d" << d->parameters()[k].name;
  }
}

TEST(FloatVsDouble, EveryLayerAgrees) {
  const Shape img{3, 9, 8, 4};
  ExpectFloatMatchesDouble(Conv2D(5, 3, 2, "same"), {img}, "Conv2D");
  ExpectFloatMatchesDouble(Conv2D(5, 1), {img}, "Conv2D 1x1");
  ExpectFloatMatchesDouble(Conv2DTranspose(3, 3, 2, "same"), {img},
                           "Conv2DTranspose");
  ExpectFloatMatchesDouble(MaxPool2D(3, 2, "same"), {img}, "MaxPool2D");
  ExpectFloatMatchesDouble(AveragePool2D(2), {img}, "AveragePool2D");
  ExpectFloatMatchesDouble(GlobalAveragePooling2D(), {img},
                           "GlobalAveragePooling2D");
  ExpectFloatMatchesDouble(BatchNormalization(3), {img}, "BatchNormalization");
  ExpectFloatMatchesDouble(Dense(4), {Shape{5, 7}}, "Dense");
  ExpectFloatMatchesDouble(ReLU(), {img}, "ReLU");
  ExpectFloatMatchesDouble(Sigmoid(), {img}, "sigmoid");
  ExpectFloatMatchesDouble(Activation("softmax"), {img}, "softmax");
  ExpectFloatMatchesDouble(Flatten(), {img}, "Flatten");
  ExpectFloatMatchesDouble(ZeroPadding2D(2), {img}, "ZeroPadding2D");
  ExpectFloatMatchesDouble(Add(), {img, img}, "Add");
  ExpectFloatMatchesDouble(Concatenate(), {img, img}, "Concatenate");
}

// ------------------------------------------------------------------ arrays

TEST(Array, LayoutAndConversions) {
  ArrayD a({2, 3, 4});
  a(1, 2, 3) = 5;
  EXPECT_EQ(a[(1 * 3 + 2) * 4 + 3], 5);
  EXPECT_THROW(a(2, 0, 0), std::out_of_range);
  EXPECT_THROW(a(0, 0), std::out_of_range);
  EXPECT_EQ(a.rows_by_last().rows(), 6);
  const Tensor<3> t = ToTensor<3>(a);
  EXPECT_EQ(t(1, 2, 3), 5);
  EXPECT_TRUE(Close(FromTensor(t), a));
  EXPECT_THROW(ToTensor<2>(a), std::invalid_argument);
  EXPECT_EQ(KerasShapeString({64, 64, 3}), "(None, 64, 64, 3)");
  ArrayD rows;
  GatherRows(a, {1, 0}, 0, 2, &rows);
  EXPECT_EQ(rows(0, 2, 3), 5);
  EXPECT_THROW(a.Reshape({5, 5}), std::invalid_argument);
}

}  // namespace
}  // namespace nn
}  // namespace dl
