// Tests of DepthwiseConv2D (depthwise_conv_layers.cc) and of what
// MobileNetV2 needs besides (ReLU(6.0), a layer run in inference mode):
// the depthwise convolution in double against a naive loop on several
// shapes (stride 1 to 3, "same", "valid" and explicit padding, non-square
// inputs and kernels, depth_multiplier 1 to 3, m = 1), its backward against
// centered finite differences (input and parameters), float against
// double, the same bits on 1 or 2 threads, and Keras's parameter counts in
// a model's summary.

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/nn/layers.h"
#include "common/nn/model.h"
#include "common/nn/test_util.h"
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

// Z[i, oh, ow, c dm + q] = b[c dm + q] + sum_{r, s} x[i, oh sh - top + r,
// ow sw - left + s, c] K[r, s, c, q], zero outside x.
ArrayD NaiveDepthwise(const ArrayD& x, const ArrayD& K, const ArrayD* b,
                      Axis ah, Axis aw, int sh, int sw) {
  const Index m = x.dim(0), H = x.dim(1), W = x.dim(2), C = x.dim(3);
  const Index kh = K.dim(0), kw = K.dim(1), dm = K.dim(3);
  ArrayD Z({m, ah.out, aw.out, C * dm});
  for (Index i = 0; i < m; ++i)
    for (Index oh = 0; oh < ah.out; ++oh)
      for (Index ow = 0; ow < aw.out; ++ow)
        for (Index c = 0; c < C; ++c)
          for (Index q = 0; q < dm; ++q) {
            double z = b ? (*b)(c * dm + q) : 0.0;
            for (Index r = 0; r < kh; ++r)
              for (Index s = 0; s < kw; ++s) {
                const Index hi = oh * sh - ah.before + r;
                const Index wi = ow * sw - aw.before + s;
                if (hi < 0 || hi >= H || wi < 0 || wi >= W) continue;
                z += x(i, hi, wi, c) * K(r, s, c, q);
              }
            Z(i, oh, ow, c * dm + q) = z;
          }
  return Z;
}

struct Case {
  Shape x;  // (m, H, W, C)
  Size2 kernel, strides;
  Padding padding;
  int depth_multiplier;
};

std::vector<Case> Cases() {
  return {
      {{2, 5, 7, 3}, 3, 1, "same", 1},   // MobileNet's 3x3, stride 1
      {{2, 8, 8, 4}, 3, 2, "same", 1},   // stride 2: the pad at the bottom
      {{1, 7, 6, 2}, 3, 2, "valid", 1},  // m = 1
      {{2, 6, 5, 3}, 3, 1, "same", 2},   // depth_multiplier 2
      {{2, 5, 5, 2}, 2, 3, 1, 3},        // explicit pad, stride 3, dm 3
      {{2, 6, 7, 2}, {2, 3}, {1, 2}, "same", 1},  // non-square
      {{2, 4, 5, 5}, 1, 1, "valid", 1},           // 1x1: a scale per channel
      {{1, 9, 9, 1}, 5, 2, "same", 2},            // one channel
  };
}

std::string Describe(const Case& c) {
  return "x " + ShapeString(c.x) + ", kernel " + std::to_string(c.kernel.h) +
         "x" + std::to_string(c.kernel.w) + ", stride " +
         std::to_string(c.strides.h) + "x" + std::to_string(c.strides.w) +
         ", padding " + c.padding.ToString() + ", depth_multiplier " +
         std::to_string(c.depth_multiplier);
}

DepthwiseConv2D Spec(const Case& c) {
  return DepthwiseConv2D(c.kernel, c.strides, c.padding, c.depth_multiplier);
}

TEST(DepthwiseConv2D, ForwardMatchesNaiveLoops) {
  RandomState rng(1);
  for (const Case& c : Cases()) {
    auto layer = Built<double>(Spec(c), {c.x});
    Randomize(*layer, rng);
    const ArrayD x = Randn(rng, c.x);
    const Axis ah = KerasAxis(c.x[1], c.kernel.h, c.strides.h, c.padding);
    const Axis aw = KerasAxis(c.x[2], c.kernel.w, c.strides.w, c.padding);
    EXPECT_EQ(layer->output_shape(),
              (Shape{ah.out, aw.out, c.x[3] * c.depth_multiplier}))
        << Describe(c);
    EXPECT_TRUE(
        Close(layer->Forward(x, true),
              NaiveDepthwise(x, layer->parameter("depthwise_kernel")->value,
                             &layer->parameter("bias")->value, ah, aw,
                             c.strides.h, c.strides.w)))
        << Describe(c);
  }
}

TEST(DepthwiseConv2D, WithoutBias) {
  RandomState rng(2);
  DepthwiseConv2D spec(3, 1, "same");
  spec.use_bias = false;
  auto layer = Built<double>(spec, {{2, 4, 5, 3}});
  ASSERT_EQ(layer->parameters().size(), 1u);
  Randomize(*layer, rng);
  const ArrayD x = Randn(rng, {2, 4, 5, 3});
  EXPECT_TRUE(
      Close(layer->Forward(x),
            NaiveDepthwise(x, layer->parameter("depthwise_kernel")->value,
                           nullptr, {4, 1}, {5, 1}, 1, 1)));
  ExpectGradientsMatch(*layer, {x}, true, "no bias");
}

TEST(DepthwiseConv2D, BackwardMatchesFiniteDifferences) {
  RandomState rng(3);
  for (const Case& c : Cases()) {
    auto layer = Built<double>(Spec(c), {c.x});
    Randomize(*layer, rng);
    ExpectGradientsMatch(*layer, {Randn(rng, c.x)}, true, Describe(c));
  }
}

// Each channel alone: channel c of the output is a one-channel Conv2D of
// channel c of the input with the filter K[:, :, c, 0].
TEST(DepthwiseConv2D, IsAConv2DPerChannel) {
  RandomState rng(4);
  const Shape shape{2, 6, 6, 3};
  auto dw = Built<double>(DepthwiseConv2D(3, 2, "same"), {shape});
  Randomize(*dw, rng);
  const ArrayD x = Randn(rng, shape);
  const ArrayD y = dw->Forward(x);
  for (Index c = 0; c < 3; ++c) {
    auto conv = Built<double>(Conv2D(1, 3, 2, "same"), {{2, 6, 6, 1}});
    ArrayD xc({2, 6, 6, 1});
    for (Index k = 0; k < xc.size(); ++k) xc[k] = x[k * 3 + c];
    for (Index k = 0; k < 9; ++k) {
      conv->parameter("kernel")->value[k] =
          dw->parameter("depthwise_kernel")->value[k * 3 + c];
    }
    conv->parameter("bias")->value[0] = dw->parameter("bias")->value[c];
    const ArrayD yc = conv->Forward(xc);
    ArrayD want({2, 3, 3, 1});
    for (Index k = 0; k < want.size(); ++k) want[k] = y[k * 3 + c];
    EXPECT_TRUE(Close(yc, want)) << "channel " << c;
  }
}

TEST(DepthwiseConv2D, FloatMatchesDouble) {
  RandomState rng(5);
  for (const Case& c : Cases()) {
    auto d = Built<double>(Spec(c), {c.x});
    auto f = Built<float>(Spec(c), {c.x});
    Randomize(*d, rng);
    for (size_t k = 0; k < d->parameters().size(); ++k) {
      f->parameters()[k].value = Cast<float>(d->parameters()[k].value);
    }
    const ArrayD x = Randn(rng, c.x);
    const Array<float> xf = Cast<float>(x);
    const ArrayD y = d->Forward(x, true);
    const Array<float> yf = f->Forward(xf, true);
    EXPECT_TRUE(Close(Cast<double>(yf), y, 1e-5, 1e-4)) << Describe(c);
    const ArrayD dy = Randn(rng, y.shape());
    const ArrayD dx = d->Backward(x, y, dy);
    const Array<float> dxf = f->Backward(xf, yf, Cast<float>(dy));
    EXPECT_TRUE(Close(Cast<double>(dxf), dx, 1e-5, 1e-4)) << Describe(c);
    for (size_t k = 0; k < d->parameters().size(); ++k) {
      EXPECT_TRUE(Close(Cast<double>(f->parameters()[k].grad),
                        d->parameters()[k].grad, 1e-4, 1e-4))
          << Describe(c) << " d" << d->parameters()[k].name;
    }
  }
}

// A batch cut in two halves (InHalves): the same bits on 1 thread as on 2.
TEST(DepthwiseConv2D, FloatSameBitsOnOneOrTwoThreads) {
  RandomState rng(6);
  const Shape shape{16, 32, 32, 32};  // 16 x 295K taps: cut in two
  auto layer = Built<float>(DepthwiseConv2D(3, 1, "same"), {shape});
  const Array<float> x = Cast<float>(Randn(rng, shape));
  const Array<float> dy = Cast<float>(Randn(rng, shape));
  ExpectSameBitsOnOneOrTwoThreads(*layer, x, dy);
}

TEST(DepthwiseConv2D, GlorotUniformWithKerasFans) {
  auto layer = Built<double>(DepthwiseConv2D(3, 1, "same", 2), {{1, 8, 8, 5}});
  const ArrayD& K = layer->parameter("depthwise_kernel")->value;
  ASSERT_EQ(K.shape(), (Shape{3, 3, 5, 2}));
  RandomState rng(0);
  const double limit = std::sqrt(6.0 / (9 * 5 + 9 * 2));
  for (Index i = 0; i < K.size(); ++i) {
    ASSERT_EQ(K[i], rng.uniform(-limit, limit)) << i;
  }
  EXPECT_EQ(layer->parameter("bias")->value.shape(), (Shape{10}));
}

TEST(DepthwiseConv2D, RejectsWrongShapes) {
  EXPECT_THROW(Built<double>(DepthwiseConv2D(5), {{1, 4, 4, 1}}),
               std::invalid_argument);
  EXPECT_THROW(Built<double>(DepthwiseConv2D(3), {{1, 16}}),
               std::invalid_argument);
  EXPECT_THROW(Built<double>(DepthwiseConv2D(3, 1, "same", 0), {{1, 4, 4, 1}}),
               std::invalid_argument);
}

// Keras's summary of MobileNetV2's first inverted residual block at
// 96 x 96: expanded_conv_depthwise (DepthwiseConv2D) (None, 48, 48, 32) 288
// (no bias) and its BatchNormalization 128 (64 of them not trainable).
TEST(DepthwiseConv2D, KerasParameterCountsInSummary) {
  Model<float> model;
  model.Input({48, 48, 32});
  DepthwiseConv2D spec(3, 1, "same");
  spec.use_bias = false;
  model.Add(spec.Named("expanded_conv_depthwise"));
  model.Add(BatchNormalization(3).Named("expanded_conv_depthwise_BN"));
  model.Add(ReLU(6.0).Named("expanded_conv_depthwise_relu"));
  model.Add(DepthwiseConv2D(3, 2, "same", 2));
  EXPECT_EQ(test::SummaryLines(model),
            (std::vector<std::string>{
                "DepthwiseConv2D (None, 48, 48, 32) 288",
                "BatchNormalization (None, 48, 48, 32) 128",
                "ReLU (None, 48, 48, 32) 0",
                "DepthwiseConv2D (None, 24, 24, 64) 640",  // 3 3 32 2 + 64
            }));
  const std::string summary = model.Summary();
  EXPECT_NE(summary.find("expanded_conv_depthwise (DepthwiseConv2D)"),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find("depthwise_conv2d (DepthwiseConv2D)"),
            std::string::npos)
      << summary;
  EXPECT_EQ(model.CountTrainableParameters(), 288 + 64 + 640);
  EXPECT_EQ(model.CountNonTrainableParameters(), 64);
}

// ------------------------------------------------------------------ ReLU6

TEST(ReLU6, CapsAtMaxValue) {
  RandomState rng(7);
  ArrayD x = Distinct(rng, {2, 3, 4, 5});
  x.vec() *= 4.0;  // values from about -12 to 12: both kinks are crossed
  std::vector<std::unique_ptr<Layer<double>>> layers;
  layers.push_back(Built<double>(ReLU(6.0), {x.shape()}));
  layers.push_back(Built<double>(Activation("relu6"), {x.shape()}));
  for (auto& layer : layers) {
    const ArrayD y = layer->Forward(x);
    for (Index k = 0; k < x.size(); ++k) {
      ASSERT_EQ(y[k], std::min(std::max(x[k], 0.0), 6.0)) << k;
    }
    ExpectGradientsMatch(*layer, {x}, true, layer->type());
  }
  EXPECT_EQ(Built<double>(ReLU(6.0), {x.shape()})->type(), "ReLU");
  EXPECT_EQ(Built<double>(Activation("relu6"), {x.shape()})->type(),
            "Activation");
  EXPECT_TRUE(std::isinf(ReLU().max_value));
  EXPECT_THROW(Built<double>(ReLU(0.0), {x.shape()}), std::invalid_argument);
}

TEST(ReLU6, FloatMatchesDouble) {
  RandomState rng(8);
  const ArrayD x = Randn(rng, {64, 32, 32, 4}, 5.0);  // cut in two halves
  auto d = Built<double>(ReLU(6.0), {x.shape()});
  auto f = Built<float>(ReLU(6.0), {x.shape()});
  const ArrayD y = d->Forward(x);
  const Array<float> yf = f->Forward(Cast<float>(x));
  EXPECT_TRUE(Close(Cast<double>(yf), y, 1e-5, 1e-6));
  const ArrayD dy = Randn(rng, x.shape());
  EXPECT_TRUE(
      Close(Cast<double>(f->Backward(Cast<float>(x), yf, Cast<float>(dy))),
            d->Backward(x, y, dy), 1e-6, 1e-6));
}

// ---------------------------------------------------- inference-only layers

// Keras's base_model(x, training=False): batch normalization with its
// moving statistics (not updated) in a training pass, and its gradient as
// in inference.
TEST(InferenceOnly, BatchNormalizationUsesMovingStatistics) {
  RandomState rng(9);
  const Shape shape{4, 3, 3, 2};
  auto layer = Built<double>(BatchNormalization(3), {shape});
  Randomize(*layer, rng);
  layer->parameter("moving_variance")->value.vec() =
      layer->parameter("moving_variance")->value.vec().cwiseAbs();
  const ArrayD x = Randn(rng, shape);
  const ArrayD inference = layer->Forward(x, false);
  const ArrayD mean = layer->parameter("moving_mean")->value;
  layer->set_inference_only(true);
  EXPECT_TRUE(Close(layer->Forward(x, true), inference));
  EXPECT_TRUE(Close(layer->parameter("moving_mean")->value, mean))
      << "the moving mean changed in an inference-only layer";
  ExpectGradientsMatch(*layer, {x}, true, "inference-only BatchNormalization");
  layer->set_inference_only(false);
  EXPECT_FALSE(Close(layer->Forward(x, true), inference));
}

TEST(InferenceOnly, DropoutIsOff) {
  auto layer = Built<double>(Dropout(0.5, 3), {{2, 50}});
  layer->set_inference_only(true);
  const ArrayD x({2, 50}, 1.0);
  EXPECT_TRUE(Close(layer->Forward(x, true), x));
}

}  // namespace
}  // namespace nn
}  // namespace dl
