// Grades course3_cnn/transfer_learning: the depthwise and pointwise
// convolutions on values worked out by hand, against the reference on
// seeded inputs of several shapes (stride 1 to 3, pad 0 to 2, depth
// multiplier 1 to 3, m = 1), against finite differences, and against the
// fast layers (nn::DepthwiseConv2D, a 1x1 nn::Conv2D); the inverted
// residual block's summary (Keras's MobileNetV2 rows at the course's
// 160 x 160) and outputs against the reference's with the same seed; the
// data augmenter against the reference with the same seed and on
// properties (a constant picture stays constant, the centre pixel stays,
// values stay in range, two draws per picture); the alpaca model's summary
// (trainable and non-trainable counts) and outputs; and which parameters
// unfreeze_top_layers makes trainable, and its learning rate.

#include "course3_cnn/transfer_learning/transfer_learning.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "common/nn/layers.h"
#include "common/nn/test_util.h"
#include "course3_cnn/conv_step_by_step/conv_test_util.h"
#include "course3_cnn/transfer_learning/graded.h"  // see tools/unit.bzl
#include "gtest/gtest.h"

namespace reference = transfer_learning::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
using namespace conv_test;    // NOLINT: shared with conv_step_by_step's test
namespace nn = dl::nn;
namespace tl = transfer_learning;
using dl::Matrix;
using dl::RandomState;
using dl::nn::test::ForwardOn;
using dl::nn::test::SummaryLines;
using dl::nn::test::Uniform;
using tl::ConvGradients;
using tl::ConvHparameters;
using tl::Index;
using tl::Model;
template <int N>
using Tensor = dl::Tensor<N>;

// ---------------------------------------------------------------- helpers

Tensor<4> Filled(const Dims4& dims, const std::function<double(Index)>& f) {
  Tensor<4> t(dims);
  for (Index k = 0; k < t.size(); ++k) t.data()[k] = f(k);
  return t;
}

// A depthwise layer's shapes.
struct DwCase {
  Index m, n_H_prev, n_W_prev, n_C_prev, f, dm;
  int stride, pad;
  Dims4 a_prev() const { return {m, n_H_prev, n_W_prev, n_C_prev}; }
  Dims4 w() const { return {f, f, n_C_prev, dm}; }
  Dims4 b() const { return {1, 1, 1, n_C_prev * dm}; }
  Dims4 z() const {
    return {m, (n_H_prev + 2 * pad - f) / stride + 1,
            (n_W_prev + 2 * pad - f) / stride + 1, n_C_prev * dm};
  }
  ConvHparameters hparameters() const { return {stride, pad}; }
  std::string str() const {
    return " for A_prev " + Str(a_prev()) + ", W " + Str(w()) + ", stride " +
           std::to_string(stride) + ", pad " + std::to_string(pad);
  }
};

const std::vector<DwCase> kDwCases = {
    {2, 5, 7, 3, 3, 1, 1, 1},  // MobileNet's 3x3 "same", stride 1
    {2, 8, 6, 4, 3, 1, 2, 1},  // stride 2
    {1, 6, 5, 2, 3, 2, 1, 0},  // depth multiplier 2, no padding, m = 1
    {3, 7, 7, 2, 2, 3, 3, 2},  // depth multiplier 3, stride 3, pad 2
    {2, 4, 5, 1, 3, 1, 1, 1},  // one channel
    {2, 5, 4, 3, 1, 1, 1, 0},  // 1x1: a scale per channel
};

// A pointwise layer's shapes.
struct PwCase {
  Index m, n_H, n_W, n_C_prev, n_C;
  Dims4 a_prev() const { return {m, n_H, n_W, n_C_prev}; }
  Dims4 w() const { return {1, 1, n_C_prev, n_C}; }
  Dims4 b() const { return {1, 1, 1, n_C}; }
  Dims4 z() const { return {m, n_H, n_W, n_C}; }
  std::string str() const {
    return " for A_prev " + Str(a_prev()) + ", W " + Str(w());
  }
};

const std::vector<PwCase> kPwCases = {
    {2, 3, 4, 5, 2},  // fewer outputs than inputs (a projection)
    {1, 4, 3, 2, 6},  // more (an expansion), m = 1
    {3, 2, 2, 1, 1},  // one channel in and out
    {2, 5, 5, 4, 4},
};

nn::Shape ShapeOf(const Dims4& dims) {
  return nn::Shape(dims.begin(), dims.end());
}

nn::Array<double> ToArray(const Tensor<4>& t) { return nn::FromTensor(t); }

// The bias (1, 1, 1, n) as an nn bias (n).
nn::Array<double> BiasVector(const Tensor<4>& b) {
  nn::Array<double> v({b.dimension(3)});
  for (Index k = 0; k < b.dimension(3); ++k) v[k] = b(0, 0, 0, k);
  return v;
}

Tensor<4> BiasTensor(const nn::Array<double>& v) {
  Tensor<4> b(1, 1, 1, v.size());
  for (Index k = 0; k < v.size(); ++k) b(0, 0, 0, k) = v[k];
  return b;
}

// A layer's random inputs, drawn in this order.
struct Inputs {
  Tensor<4> A_prev, W, b;
};
template <typename Case>
Inputs RandomInputs(RandomState& rng, const Case& s) {
  Inputs in;
  in.A_prev = rng.randn_tensor<4>(s.a_prev());
  in.W = rng.randn_tensor<4>(s.w());
  in.b = rng.randn_tensor<4>(s.b());
  return in;
}

// The fast layers with the test's W and b: nn::DepthwiseConv2D(f, stride,
// pad, dm), and the 1x1 nn::Conv2D(n_C, 1) of a pointwise convolution.
std::unique_ptr<nn::Layer<double>> DepthwiseLayer(const DwCase& s,
                                                  const Inputs& in) {
  auto layer = nn::test::Built<double>(
      nn::DepthwiseConv2D(int(s.f), s.stride, s.pad, int(s.dm)),
      {ShapeOf(s.a_prev())});
  layer->parameter("depthwise_kernel")->value = ToArray(in.W);
  layer->parameter("bias")->value = BiasVector(in.b);
  return layer;
}
std::unique_ptr<nn::Layer<double>> PointwiseLayer(const PwCase& s,
                                                  const Inputs& in) {
  auto layer =
      nn::test::Built<double>(nn::Conv2D(int(s.n_C), 1), {ShapeOf(s.a_prev())});
  layer->parameter("kernel")->value = ToArray(in.W);
  layer->parameter("bias")->value = BiasVector(in.b);
  return layer;
}

// A layer's dx for the upstream gradient dZ (its parameters' gradients in
// their .grad), after a forward pass in training mode.
Tensor<4> LayerBackward(nn::Layer<double>& layer, const Tensor<4>& A_prev,
                        const Tensor<4>& dZ) {
  const nn::Array<double> x = ToArray(A_prev);
  const nn::Array<double> y = layer.Forward(x, true);
  return nn::ToTensor<4>(layer.Backward(x, y, ToArray(dZ)));
}

// ================================================= depthwise_conv_forward

// One 3x3 picture of 1 .. 9 in channel 0 and its negative in channel 1;
// channel 0's filter all ones, channel 1's all twos; pad 1: each output is
// the sum of the 3x3 neighbourhood (times the filter's value) plus b.
TEST(DepthwiseConvForward, ValuesByHand) {
  const Tensor<4> A_prev = Filled({1, 3, 3, 2}, [](Index k) {
    return (k % 2 == 0 ? 1.0 : -1.0) * double(k / 2 + 1);
  });
  const Tensor<4> W =
      Filled({3, 3, 2, 1}, [](Index k) { return k % 2 == 0 ? 1.0 : 2.0; });
  Tensor<4> b(1, 1, 1, 2);
  b(0, 0, 0, 0) = 0.5;
  b(0, 0, 0, 1) = -1.0;
  auto got = Call("depthwise_conv_forward", [&] {
    return graded::depthwise_conv_forward(A_prev, W, b, {1, 1});
  });
  if (!got) return;
  const std::string f = "depthwise_conv_forward";
  ASSERT_TRUE(HasShape(f, "Z", got->Z, Dims4{1, 3, 3, 2},
                       "one output channel per input channel (depth "
                       "multiplier 1): n_C = n_C_prev dm"));
  const double sums[9] = {12, 21, 16, 27, 45, 33, 24, 39, 28};
  Tensor<4> want(1, 3, 3, 2);
  for (Index k = 0; k < 9; ++k) {
    want(0, k / 3, k % 3, 0) = sums[k] + 0.5;
    want(0, k / 3, k % 3, 1) = -2 * sums[k] - 1.0;
  }
  EXPECT_TRUE(Near(f, "Z", got->Z, want, kCourseValues,
                   "each channel alone: Z[i, h, w, c] sums A_prev_pad[i, "
                   "window, c] W[r, s, c, 0] over r, s only (NOT over the "
                   "channels), plus b[0, 0, 0, c]"));
}

TEST(DepthwiseConvForward, MatchesReferenceOnOtherShapes) {
  RandomState rng(2);
  const std::string f = "depthwise_conv_forward";
  for (const DwCase& s : kDwCases) {
    const Inputs in = RandomInputs(rng, s);
    auto got = Call(f.c_str(), [&] {
      return graded::depthwise_conv_forward(in.A_prev, in.W, in.b,
                                            s.hparameters());
    });
    if (!got) return;
    const tl::DepthwiseForward want = reference::depthwise_conv_forward(
        in.A_prev, in.W, in.b, s.hparameters());
    ASSERT_TRUE(HasShape(f, "Z" + s.str(), got->Z, s.z(),
                         "n_H = (n_H_prev + 2 pad - f) / stride + 1, n_W "
                         "likewise, n_C = n_C_prev depth_multiplier"));
    EXPECT_TRUE(Near(f, "Z" + s.str(), got->Z, want.Z, kReference,
                     "output channel k = c dm + q is input channel c with "
                     "filter W[:, :, c, q]; windows start at stride h"));
    EXPECT_TRUE(Near(f, "cache.A_prev", got->cache.A_prev, in.A_prev,
                     kReference, "the cache keeps the UNPADDED A_prev"));
    EXPECT_EQ(got->cache.hparameters.stride, s.stride)
        << f << ": the cache keeps the hparameters";
  }
}

// The fast layer nn::DepthwiseConv2D(f, stride, pad) computes the same.
TEST(DepthwiseConvForward, AgreesWithDepthwiseConv2DLayer) {
  RandomState rng(3);
  const std::string f = "depthwise_conv_forward";
  for (const DwCase& s : kDwCases) {
    const Inputs in = RandomInputs(rng, s);
    auto got = Call(f.c_str(), [&] {
      return graded::depthwise_conv_forward(in.A_prev, in.W, in.b,
                                            s.hparameters());
    });
    if (!got) return;
    const Tensor<4> want = nn::ToTensor<4>(
        DepthwiseLayer(s, in)->Forward(ToArray(in.A_prev), false));
    EXPECT_TRUE(Near(f, "Z against nn::DepthwiseConv2D" + s.str(), got->Z, want,
                     kReference,
                     "the same convolution as the layer Keras calls "
                     "DepthwiseConv2D"));
  }
}

// ================================================= depthwise_conv_backward

TEST(DepthwiseConvBackward, ValuesByHand) {
  // One 2x2 picture, one channel, a 2x2 filter, no padding: one output z =
  // Σ a w + b. With dZ = 1: dW = A_prev, dA_prev = W, db = 1.
  const Tensor<4> A_prev =
      Filled({1, 2, 2, 1}, [](Index k) { return k + 1.0; });
  const Tensor<4> W = Filled({2, 2, 1, 1}, [](Index k) { return 0.5 - k; });
  const Tensor<4> b = Filled({1, 1, 1, 1}, [](Index) { return 0.25; });
  const tl::DepthwiseForward forward =
      reference::depthwise_conv_forward(A_prev, W, b, {1, 0});
  const Tensor<4> dZ = Filled({1, 1, 1, 1}, [](Index) { return 1.0; });
  auto got = Call("depthwise_conv_backward", [&] {
    return graded::depthwise_conv_backward(dZ, forward.cache);
  });
  if (!got) return;
  const std::string f = "depthwise_conv_backward";
  if (!HasGradientShapes(f, *got, {1, 2, 2, 1}, {2, 2, 1, 1}, {1, 1, 1, 1}, "",
                         "the shape of A_prev (unpadded)")) {
    return;
  }
  EXPECT_TRUE(Near(f, "dA_prev", got->dA_prev,
                   Filled({1, 2, 2, 1}, [](Index k) { return 0.5 - k; }),
                   kCourseValues, "dA_prev_pad[window] += W dZ"));
  EXPECT_TRUE(Near(f, "dW", got->dW,
                   Filled({2, 2, 1, 1}, [](Index k) { return k + 1.0; }),
                   kCourseValues, "dW += the window of A_prev_pad times dZ"));
  EXPECT_TRUE(Near(f, "db", got->db,
                   Filled({1, 1, 1, 1}, [](Index) { return 1.0; }),
                   kCourseValues, "db[0, 0, 0, k] = Σ dZ[:, :, :, k]"));
}

TEST(DepthwiseConvBackward, MatchesReferenceOnOtherShapes) {
  RandomState rng(4);
  const std::string f = "depthwise_conv_backward";
  for (const DwCase& s : kDwCases) {
    const Inputs in = RandomInputs(rng, s);
    const tl::DepthwiseCache cache = reference::depthwise_conv_forward(
                                         in.A_prev, in.W, in.b, s.hparameters())
                                         .cache;
    const Tensor<4> dZ = rng.randn_tensor<4>(s.z());
    auto got = Call(f.c_str(),
                    [&] { return graded::depthwise_conv_backward(dZ, cache); });
    if (!got) return;
    const ConvGradients want = reference::depthwise_conv_backward(dZ, cache);
    const std::string unpad =
        s.pad == 0 ? "with pad = 0 there is nothing to unpad"
                   : "dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, "
                     "pad:pad + n_W_prev, :]";
    EXPECT_TRUE(Near(f, "dA_prev" + s.str(), got->dA_prev, want.dA_prev,
                     kReference, unpad));
    EXPECT_TRUE(Near(f, "dW" + s.str(), got->dW, want.dW, kReference,
                     "dW[r, s, c, q] += A_prev_pad[i, vert_start + r, "
                     "horiz_start + s, c] dZ[i, h, w, c dm + q]"));
    EXPECT_TRUE(Near(f, "db" + s.str(), got->db, want.db, kReference,
                     "db[0, 0, 0, k] = Σ over i, h, w of dZ[i, h, w, k]"));
  }
}

// J = Σ (Z ⊙ G) for a fixed G: dA_prev = ∂J/∂A_prev, dW = ∂J/∂W,
// db = ∂J/∂b.
TEST(DepthwiseConvBackward, GradientsMatchFiniteDifferences) {
  RandomState rng(5);
  for (const DwCase& s : {kDwCases[1], kDwCases[2], kDwCases[3]}) {
    Inputs in = RandomInputs(rng, s);
    const ConvHparameters hp = s.hparameters();
    const tl::DepthwiseCache cache =
        reference::depthwise_conv_forward(in.A_prev, in.W, in.b, hp).cache;
    const Tensor<4> G = rng.randn_tensor<4>(s.z());
    auto got = Call("depthwise_conv_backward",
                    [&] { return graded::depthwise_conv_backward(G, cache); });
    if (!got) return;
    const std::string f = "depthwise_conv_backward";
    if (!HasGradientShapes(f, *got, s.a_prev(), s.w(), s.b(), s.str())) return;
    auto J = [&] {
      return Sum(
          reference::depthwise_conv_forward(in.A_prev, in.W, in.b, hp).Z * G);
    };
    EXPECT_TRUE(GradientsMatch(
        f + s.str(), CheckConvGradients(J, in.A_prev, in.W, in.b, *got)));
  }
}

TEST(DepthwiseConvBackward, AgreesWithDepthwiseConv2DLayer) {
  RandomState rng(6);
  const std::string f = "depthwise_conv_backward";
  for (const DwCase& s : kDwCases) {
    const Inputs in = RandomInputs(rng, s);
    const tl::DepthwiseForward forward = reference::depthwise_conv_forward(
        in.A_prev, in.W, in.b, s.hparameters());
    const Tensor<4> dZ = rng.randn_tensor<4>(s.z());
    auto got = Call(f.c_str(), [&] {
      return graded::depthwise_conv_backward(dZ, forward.cache);
    });
    if (!got) return;
    auto layer = DepthwiseLayer(s, in);
    const Tensor<4> dx = LayerBackward(*layer, in.A_prev, dZ);
    EXPECT_TRUE(Near(f, "dA_prev against nn::DepthwiseConv2D" + s.str(),
                     got->dA_prev, dx, kReference));
    EXPECT_TRUE(
        Near(f, "dW against nn::DepthwiseConv2D" + s.str(), got->dW,
             nn::ToTensor<4>(layer->parameter("depthwise_kernel")->grad),
             kReference));
    EXPECT_TRUE(Near(f, "db against nn::DepthwiseConv2D" + s.str(), got->db,
                     BiasTensor(layer->parameter("bias")->grad), kReference));
  }
}

// ================================================== pointwise_conv_forward

TEST(PointwiseConvForward, ValuesByHand) {
  // Two positions (1, 2) and (3, 4); W = [[1, 0, -1], [2, 1, 0]].
  const Tensor<4> A_prev =
      Filled({1, 1, 2, 2}, [](Index k) { return k + 1.0; });
  const double w[6] = {1, 0, -1, 2, 1, 0};
  const Tensor<4> W = Filled({1, 1, 2, 3}, [&](Index k) { return w[k]; });
  const Tensor<4> b =
      Filled({1, 1, 1, 3}, [](Index k) { return 0.1 * (k + 1); });
  auto got = Call("pointwise_conv_forward",
                  [&] { return graded::pointwise_conv_forward(A_prev, W, b); });
  if (!got) return;
  const std::string f = "pointwise_conv_forward";
  ASSERT_TRUE(HasShape(f, "Z", got->Z, Dims4{1, 1, 2, 3},
                       "(m, n_H, n_W, n_C) with n_C = W.dimension(3)"));
  const double z[6] = {5.1, 2.2, -0.7, 11.1, 4.2, -2.7};
  EXPECT_TRUE(Near(f, "Z", got->Z,
                   Filled({1, 1, 2, 3}, [&](Index k) { return z[k]; }),
                   kCourseValues,
                   "Z[i, h, w, k] = Σ_c A_prev[i, h, w, c] W[0, 0, c, k] + "
                   "b[0, 0, 0, k]"));
}

TEST(PointwiseConvForward, MatchesReferenceAndConv2DLayer) {
  RandomState rng(7);
  const std::string f = "pointwise_conv_forward";
  for (const PwCase& s : kPwCases) {
    const Inputs in = RandomInputs(rng, s);
    auto got = Call(f.c_str(), [&] {
      return graded::pointwise_conv_forward(in.A_prev, in.W, in.b);
    });
    if (!got) return;
    ASSERT_TRUE(HasShape(f, "Z" + s.str(), got->Z, s.z(),
                         "the input's n_H and n_W, n_C = W.dimension(3)"));
    EXPECT_TRUE(Near(f, "Z" + s.str(), got->Z,
                     reference::pointwise_conv_forward(in.A_prev, in.W, in.b).Z,
                     kReference, "a sum over the input channels c"));
    EXPECT_TRUE(Near(f, "Z against nn::Conv2D(n_C, 1)" + s.str(), got->Z,
                     nn::ToTensor<4>(PointwiseLayer(s, in)->Forward(
                         ToArray(in.A_prev), false)),
                     kReference, "the same as a 1x1 Conv2D"));
  }
}

// ================================================= pointwise_conv_backward

// The two positions of PointwiseConvForward.ValuesByHand with dZ = 1:
// dA_prev[., c] = Σ_k W[0, 0, c, k] = (0, 3), dW[0, 0, c, k] = Σ A[., c] =
// (4, 6) in every column, db = 2 (two positions).
TEST(PointwiseConvBackward, ValuesByHand) {
  const Tensor<4> A_prev =
      Filled({1, 1, 2, 2}, [](Index k) { return k + 1.0; });
  const double w[6] = {1, 0, -1, 2, 1, 0};
  const Tensor<4> W = Filled({1, 1, 2, 3}, [&](Index k) { return w[k]; });
  const Tensor<4> b = Filled({1, 1, 1, 3}, [](Index) { return 0.5; });
  const tl::PointwiseCache cache =
      reference::pointwise_conv_forward(A_prev, W, b).cache;
  const Tensor<4> dZ = Filled({1, 1, 2, 3}, [](Index) { return 1.0; });
  auto got = Call("pointwise_conv_backward",
                  [&] { return graded::pointwise_conv_backward(dZ, cache); });
  if (!got) return;
  const std::string f = "pointwise_conv_backward";
  if (!HasGradientShapes(f, *got, {1, 1, 2, 2}, {1, 1, 2, 3}, {1, 1, 1, 3})) {
    return;
  }
  EXPECT_TRUE(
      Near(f, "dA_prev", got->dA_prev,
           Filled({1, 1, 2, 2}, [](Index k) { return k % 2 ? 3.0 : 0.0; }),
           kCourseValues, "dA_prev[i, h, w, c] = Σ_k W[0, 0, c, k] dZ"));
  EXPECT_TRUE(
      Near(f, "dW", got->dW,
           Filled({1, 1, 2, 3}, [](Index k) { return k < 3 ? 4.0 : 6.0; }),
           kCourseValues,
           "dW[0, 0, c, k] = Σ over i, h, w of A_prev[i, h, w, c] dZ"));
  EXPECT_TRUE(Near(f, "db", got->db,
                   Filled({1, 1, 1, 3}, [](Index) { return 2.0; }),
                   kCourseValues, "db[0, 0, 0, k] = Σ over i, h, w of dZ"));
}

TEST(PointwiseConvBackward, MatchesReferenceAndConv2DLayer) {
  RandomState rng(8);
  const std::string f = "pointwise_conv_backward";
  for (const PwCase& s : kPwCases) {
    const Inputs in = RandomInputs(rng, s);
    const tl::PointwiseCache cache =
        reference::pointwise_conv_forward(in.A_prev, in.W, in.b).cache;
    const Tensor<4> dZ = rng.randn_tensor<4>(s.z());
    auto got = Call(f.c_str(),
                    [&] { return graded::pointwise_conv_backward(dZ, cache); });
    if (!got) return;
    const ConvGradients want = reference::pointwise_conv_backward(dZ, cache);
    EXPECT_TRUE(Near(f, "dA_prev" + s.str(), got->dA_prev, want.dA_prev,
                     kReference, "dA_prev[i, h, w, c] = Σ_k W[0, 0, c, k] dZ"));
    EXPECT_TRUE(Near(f, "dW" + s.str(), got->dW, want.dW, kReference,
                     "dW[0, 0, c, k] = Σ over i, h, w of A_prev[..., c] "
                     "dZ[..., k] (no 1/m)"));
    EXPECT_TRUE(Near(f, "db" + s.str(), got->db, want.db, kReference,
                     "db[0, 0, 0, k] = Σ over i, h, w of dZ[..., k]"));
    auto layer = PointwiseLayer(s, in);
    const Tensor<4> dx = LayerBackward(*layer, in.A_prev, dZ);
    EXPECT_TRUE(Near(f, "dA_prev against nn::Conv2D(n_C, 1)" + s.str(),
                     got->dA_prev, dx, kReference));
    EXPECT_TRUE(Near(f, "dW against nn::Conv2D(n_C, 1)" + s.str(), got->dW,
                     nn::ToTensor<4>(layer->parameter("kernel")->grad),
                     kReference));
  }
}

TEST(PointwiseConvBackward, GradientsMatchFiniteDifferences) {
  RandomState rng(9);
  for (const PwCase& s : {kPwCases[0], kPwCases[1]}) {
    Inputs in = RandomInputs(rng, s);
    const tl::PointwiseCache cache =
        reference::pointwise_conv_forward(in.A_prev, in.W, in.b).cache;
    const Tensor<4> G = rng.randn_tensor<4>(s.z());
    auto got = Call("pointwise_conv_backward",
                    [&] { return graded::pointwise_conv_backward(G, cache); });
    if (!got) return;
    const std::string f = "pointwise_conv_backward";
    if (!HasGradientShapes(f, *got, s.a_prev(), s.w(), s.b(), s.str())) return;
    auto J = [&] {
      return Sum(reference::pointwise_conv_forward(in.A_prev, in.W, in.b).Z *
                 G);
    };
    EXPECT_TRUE(GradientsMatch(
        f + s.str(), CheckConvGradients(J, in.A_prev, in.W, in.b, *got)));
  }
}

// ================================================= inverted_residual_block

// The summary against the expected rows, with the learner's whole list on a
// difference.
void ExpectRows(const std::string& function,
                const std::vector<std::string>& got,
                const std::vector<std::string>& want, const std::string& hint) {
  std::string all;
  for (const std::string& l : got) all += "\n      " + l;
  ASSERT_EQ(got.size(), want.size())
      << function << ": " << got.size() << " layers, expected " << want.size()
      << ". Yours:" << all << "\n    hint: " << hint;
  for (size_t k = 0; k < want.size(); ++k) {
    EXPECT_EQ(got[k], want[k])
        << function << ": layer " << k + 1 << " differs. Yours:" << all
        << "\n    hint: " << hint;
  }
}

std::vector<std::string> LayerNames(Model& model) {
  std::vector<std::string> names;
  for (int k = 0; k < model.num_layers(); ++k) {
    names.push_back(model.layer(k).name());
  }
  return names;
}

// Keras's MobileNetV2 at the course's 160 x 160: block_1 on (80, 80, 16) and
// block_2 on (40, 40, 24), the rows of base_model.summary().
TEST(InvertedResidualBlock, CourseSummaryRows) {
  const std::string f = "inverted_residual_block";
  {
    Model model;
    const nn::Node in = model.Input({80, 80, 16});
    auto got = Call(f.c_str(), [&] {
      return graded::inverted_residual_block(model, in, 6, 2, 24, 1);
    });
    if (!got) return;
    ExpectRows(
        f + "(inputs (80, 80, 16), expansion 6, stride 2, 24, block 1)",
        SummaryLines(model),
        {"Conv2D (None, 80, 80, 96) 1536",
         "BatchNormalization (None, 80, 80, 96) 384",
         "ReLU (None, 80, 80, 96) 0", "DepthwiseConv2D (None, 40, 40, 96) 864",
         "BatchNormalization (None, 40, 40, 96) 384",
         "ReLU (None, 40, 40, 96) 0", "Conv2D (None, 40, 40, 24) 2304",
         "BatchNormalization (None, 40, 40, 24) 96"},
        "expand to expansion n_C channels with a 1x1 Conv2D without "
        "bias, a 3x3 DepthwiseConv2D (stride, \"same\", no bias), a "
        "1x1 Conv2D to `filters` without bias, each followed by "
        "BatchNormalization, the first two by ReLU(6.0); no Add "
        "when the stride is 2");
    EXPECT_EQ(
        LayerNames(model),
        (std::vector<std::string>{
            "block_1_expand", "block_1_expand_BN", "block_1_expand_relu",
            "block_1_depthwise", "block_1_depthwise_BN",
            "block_1_depthwise_relu", "block_1_project", "block_1_project_BN"}))
        << f << ": Keras's layer names, prefix \"block_<block_id>_\"";
    EXPECT_EQ(model.shape(*got), (nn::Shape{40, 40, 24}))
        << f << ": return the last node (the projection's batch norm)";
  }
  Model model;
  const nn::Node in = model.Input({40, 40, 24});
  auto got = Call(f.c_str(), [&] {
    return graded::inverted_residual_block(model, in, 6, 1, 24, 2);
  });
  if (!got) return;
  ExpectRows(
      f + "(inputs (40, 40, 24), expansion 6, stride 1, 24, block 2)",
      SummaryLines(model),
      {"Conv2D (None, 40, 40, 144) 3456",
       "BatchNormalization (None, 40, 40, 144) 576",
       "ReLU (None, 40, 40, 144) 0", "DepthwiseConv2D (None, 40, 40, 144) 1296",
       "BatchNormalization (None, 40, 40, 144) 576",
       "ReLU (None, 40, 40, 144) 0", "Conv2D (None, 40, 40, 24) 3456",
       "BatchNormalization (None, 40, 40, 24) 96", "Add (None, 40, 40, 24) 0"},
      "stride 1 and as many filters as input channels: Add the "
      "block's input to the projection's output (no ReLU after)");
  EXPECT_EQ(model.layer(model.num_layers() - 1).name(), "block_2_add")
      << f << ": the Add is called \"block_2_add\"";
  EXPECT_EQ(model.shape(*got), (nn::Shape{40, 40, 24}));
}

TEST(InvertedResidualBlock, BlockZeroHasNoExpansion) {
  Model model;
  const nn::Node in = model.Input({80, 80, 32});
  auto got = Call("inverted_residual_block", [&] {
    return graded::inverted_residual_block(model, in, 1, 1, 16, 0);
  });
  if (!got) return;
  ExpectRows("inverted_residual_block(inputs (80, 80, 32), 1, 1, 16, block 0)",
             SummaryLines(model),
             {"DepthwiseConv2D (None, 80, 80, 32) 288",
              "BatchNormalization (None, 80, 80, 32) 128",
              "ReLU (None, 80, 80, 32) 0", "Conv2D (None, 80, 80, 16) 512",
              "BatchNormalization (None, 80, 80, 16) 64"},
             "block 0 has no expansion layers (Keras's `if block_id:`), "
             "and no Add: 32 channels in, 16 out");
  EXPECT_EQ(model.layer(0).name(), "expanded_conv_depthwise")
      << "inverted_residual_block: block 0's prefix is \"expanded_conv_\"";
}

TEST(InvertedResidualBlock, MatchesReference) {
  struct Case {
    nn::Shape input;
    int expansion, stride, filters, block_id;
  };
  for (const Case& c :
       {Case{{8, 8, 4}, 6, 1, 4, 3}, Case{{8, 6, 4}, 3, 2, 5, 1},
        Case{{6, 6, 3}, 1, 1, 3, 0}}) {
    Model got_model("block", 3), want_model("block", 3);
    const nn::Node in = got_model.Input(c.input);
    auto got = Call("inverted_residual_block", [&] {
      return graded::inverted_residual_block(got_model, in, c.expansion,
                                             c.stride, c.filters, c.block_id);
    });
    if (!got) return;
    got_model.Output(*got);
    want_model.Output(reference::inverted_residual_block(
        want_model, want_model.Input(c.input), c.expansion, c.stride, c.filters,
        c.block_id));
    ASSERT_EQ(SummaryLines(got_model), SummaryLines(want_model))
        << "inverted_residual_block: the layers differ (see "
           "InvertedResidualBlock.CourseSummaryRows)";
    // Three pictures up to 20 (the ReLU6 caps many values at 6), in
    // inference and in training mode.
    RandomState rng(5);
    const nn::Array<float> x =
        Uniform(rng, {3, c.input[0], c.input[1], c.input[2]}, 20.0);
    EXPECT_TRUE(SameOutputs("inverted_residual_block", ForwardOn(got_model, x),
                            ForwardOn(want_model, x), kFloatModels,
                            "BatchNormalization(3, 0.999, 0.001), ReLU(6.0) "
                            "(not a plain ReLU), Add(inputs, x) with the "
                            "block's INPUT"));
  }
}

// ========================================================== data_augmenter

// Pictures with values in [0, 255).
nn::Array<float> Pictures(RandomState& rng, const nn::Shape& shape) {
  return Uniform(rng, shape, 255.0);
}

Matrix AsMatrix(const nn::Array<float>& a) {
  return Matrix(a.vec().cast<double>());
}

TEST(DataAugmenter, MatchesReferenceWithTheSameSeed) {
  RandomState rng(10);
  for (const nn::Shape& shape : std::vector<nn::Shape>{
           {4, 9, 9, 3}, {2, 8, 12, 1}, {1, 32, 32, 3}, {3, 7, 5, 2}}) {
    const nn::Array<float> x = Pictures(rng, shape);
    RandomState mine(21), theirs(21);
    auto got =
        Call("data_augmenter", [&] { return graded::data_augmenter(x, mine); });
    if (!got) return;
    ASSERT_EQ(got->shape(), shape)
        << "data_augmenter: the output has the pictures' shape "
        << nn::ShapeString(shape) << ", yours "
        << nn::ShapeString(got->shape());
    EXPECT_TRUE(Near("data_augmenter", "the pictures " + nn::ShapeString(shape),
                     AsMatrix(*got),
                     AsMatrix(reference::data_augmenter(x, theirs)),
                     {1e-3, 1e-5},
                     "per picture: flip = random_sample() < 0.5 FIRST, then "
                     "theta = uniform(-0.2, 0.2) 2π; flip, then rotate about "
                     "((n_H - 1) / 2, (n_W - 1) / 2) with bilinear "
                     "interpolation and reflected indices"));
  }
}

// Two draws per picture: the stream goes on where the reference's does.
TEST(DataAugmenter, TwoDrawsPerPicture) {
  RandomState rng(11);
  const nn::Array<float> x = Pictures(rng, {5, 6, 6, 3});
  RandomState mine(4), want(4);
  auto got =
      Call("data_augmenter", [&] { return graded::data_augmenter(x, mine); });
  if (!got) return;
  for (int k = 0; k < 2 * 5; ++k) want.random_sample();
  EXPECT_EQ(mine.random_sample(), want.random_sample())
      << "data_augmenter: draw exactly two numbers per picture from rng "
         "(random_sample() for the flip, uniform(...) for the angle), even "
         "when the picture is not flipped";
}

// Properties of any flip and rotation with bilinear interpolation: a
// constant picture stays constant, the centre pixel of an odd square
// picture stays where it is, and every value stays between the picture's
// smallest and largest.
TEST(DataAugmenter, Properties) {
  RandomState rng(12);
  nn::Array<float> constant({3, 9, 9, 3}, 100.0f);
  RandomState r1(1);
  auto same = Call("data_augmenter",
                   [&] { return graded::data_augmenter(constant, r1); });
  if (!same) return;
  EXPECT_TRUE(Near("data_augmenter", "a constant picture", AsMatrix(*same),
                   AsMatrix(constant), {1e-3, 1e-6},
                   "the four bilinear weights add up to 1, and a "
                   "neighbour outside the picture is read from its mirror "
                   "image (never zero)"));
  const nn::Array<float> x = Pictures(rng, {6, 11, 11, 3});
  RandomState r2(2);
  auto got =
      Call("data_augmenter", [&] { return graded::data_augmenter(x, r2); });
  if (!got) return;
  for (Index i = 0; i < 6; ++i) {
    for (Index c = 0; c < 3; ++c) {
      EXPECT_NEAR((*got)(i, 5, 5, c), x(i, 5, 5, c), 1e-3)
          << "data_augmenter: the centre pixel (5, 5) of an 11 x 11 "
             "picture stays (a flip and a rotation about the centre keep "
             "it); picture "
          << i;
    }
  }
  EXPECT_GE(got->vec().minCoeff(), x.vec().minCoeff() - 1e-3f)
      << "data_augmenter: a bilinear mix never goes below the smallest value";
  EXPECT_LE(got->vec().maxCoeff(), x.vec().maxCoeff() + 1e-3f)
      << "data_augmenter: a bilinear mix never goes above the largest value";
}

// ============================================================ alpaca_model

// The reference's augmenter (alpaca_model is graded on its own).
nn::Array<float> ReferenceAugmenter(const nn::Array<float>& x,
                                    RandomState& rng) {
  return reference::data_augmenter(x, rng);
}

TEST(AlpacaModel, SummaryAndFrozenBase) {
  Model base = tl::mobilenet_v2({32, 32, 3}, false, 0, 1);
  auto got = Call("alpaca_model", [&] {
    return graded::alpaca_model({32, 32, 3}, base, ReferenceAugmenter, 7);
  });
  if (!got) return;
  const std::string f = "alpaca_model";
  const std::vector<std::string> rows = SummaryLines(*got);
  const int n_base = base.num_layers();
  ASSERT_EQ(got->num_layers(), tl::kBaseFirstLayer + n_base + tl::kHeadLayers)
      << f << ": the augmentation, the preprocessing, the base's " << n_base
      << " layers and the head's 3 (pooling, dropout, dense)";
  EXPECT_EQ(rows[0], "Sequential (None, 32, 32, 3) 0")
      << f << ": first the data augmentation (augmentation_layer)";
  EXPECT_EQ(rows[1], "Rescaling (None, 32, 32, 3) 0")
      << f << ": then preprocess_input()";
  EXPECT_EQ(
      std::vector<std::string>(rows.end() - 3, rows.end()),
      (std::vector<std::string>{"GlobalAveragePooling2D (None, 64) 0",
                                "Dropout (None, 64) 0", "Dense (None, 1) 65"}))
      << f << ": the head: GlobalAveragePooling2D, Dropout(0.2), Dense(1)";
  EXPECT_EQ(got->CountNonTrainableParameters(), base.CountParameters())
      << f
      << ": every parameter of the base is frozen "
         "(set_trainable(layer, false) for each of its layers)";
  EXPECT_EQ(got->CountTrainableParameters(), 65)
      << f << ": only the Dense layer's 64 + 1 parameters are trainable";
  for (int k = 0; k < n_base; ++k) {
    nn::Layer<float>& layer = got->layer(tl::kBaseFirstLayer + k);
    EXPECT_EQ(layer.name(), base.layer(k).name())
        << f
        << ": the base's layers come right after the preprocessing "
           "(add_base_model)";
    EXPECT_TRUE(layer.inference_only())
        << f << ": " << layer.name()
        << " must run as base_model(x, training=False): add_base_model";
  }
}

TEST(AlpacaModel, MatchesReference) {
  Model base = tl::mobilenet_v2({16, 16, 3}, false, 0, 2);
  auto got = Call("alpaca_model", [&] {
    return graded::alpaca_model({16, 16, 3}, base, ReferenceAugmenter, 9);
  });
  if (!got) return;
  Model want =
      reference::alpaca_model({16, 16, 3}, base, ReferenceAugmenter, 9);
  ASSERT_EQ(SummaryLines(*got), SummaryLines(want))
      << "alpaca_model: the layers differ (see "
         "AlpacaModel.SummaryAndFrozenBase)";
  // Three pictures, in inference and in training mode.
  RandomState rng(5);
  const nn::Array<float> x = Uniform(rng, {3, 16, 16, 3}, 255.0);
  EXPECT_TRUE(SameOutputs("alpaca_model", ForwardOn(*got, x),
                          ForwardOn(want, x), kFloatModels,
                          "Model(\"alpaca_model\", seed), augmentation_layer("
                          "data_augmentation, seed) first, then "
                          "preprocess_input(), add_base_model, "
                          "GlobalAveragePooling2D, Dropout(0.2), Dense(1), in "
                          "this order"));
}

// ===================================================== unfreeze_top_layers

TEST(UnfreezeTopLayers, TrainableParameters) {
  Model base = tl::mobilenet_v2({32, 32, 3}, false, 0, 1);
  Model model =
      reference::alpaca_model({32, 32, 3}, base, ReferenceAugmenter, 3);
  const int fine_tune_at = 25;
  auto got = Call("unfreeze_top_layers", [&] {
    return graded::unfreeze_top_layers(model, fine_tune_at, 0.001);
  });
  if (!got) return;
  const std::string f = "unfreeze_top_layers";
  const int n_base = base.num_layers();
  int64_t want_trainable = 65;  // the Dense layer
  for (int k = 0; k < n_base; ++k) {
    nn::Layer<float>& layer = model.layer(tl::kBaseFirstLayer + k);
    for (const nn::Parameter<float>& p : layer.parameters()) {
      const bool moving =
          p.name == "moving_mean" || p.name == "moving_variance";
      const bool want = !moving && k >= fine_tune_at;
      if (want) want_trainable += p.value.size();
      EXPECT_EQ(p.trainable, want)
          << f << ": base layer " << k << " (" << layer.name() << "), "
          << p.name << " should be "
          << (want     ? "trainable (k >= fine_tune_at)"
              : moving ? "frozen: moving statistics are never trainable "
                         "(set_trainable skips them)"
                       : "frozen (layers[:fine_tune_at])");
    }
  }
  for (int k = model.num_layers() - tl::kHeadLayers; k < model.num_layers();
       ++k) {
    for (const nn::Parameter<float>& p : model.layer(k).parameters()) {
      EXPECT_TRUE(p.trainable) << f << ": the head (" << model.layer(k).name()
                               << ") stays trainable";
    }
  }
  EXPECT_EQ(model.CountTrainableParameters(), want_trainable)
      << f << ": trainable parameters after unfreezing from layer "
      << fine_tune_at;
  EXPECT_EQ(*got, want_trainable)
      << f << ": return model.CountTrainableParameters()";
}

// One training step after the call changes the same parameters by the same
// amounts as the reference's: Adam with 0.1 base_learning_rate, the binary
// cross-entropy from logits, the same parameters trainable.
TEST(UnfreezeTopLayers, RecompilesWithATenthOfTheLearningRate) {
  Model base = tl::mobilenet_v2({16, 16, 3}, false, 0, 4);
  Model got_model =
      reference::alpaca_model({16, 16, 3}, base, ReferenceAugmenter, 5);
  Model want_model =
      reference::alpaca_model({16, 16, 3}, base, ReferenceAugmenter, 5);
  auto got = Call("unfreeze_top_layers", [&] {
    return graded::unfreeze_top_layers(got_model, 30, 0.01);
  });
  if (!got) return;
  reference::unfreeze_top_layers(want_model, 30, 0.01);
  RandomState rng(6);
  const nn::Array<float> x = Pictures(rng, {4, 16, 16, 3});
  const std::vector<int> y = {1, 0, 0, 1};
  got_model.TrainStep(x, y);
  want_model.TrainStep(x, y);
  const auto got_params = got_model.Parameters();
  const auto want_params = want_model.Parameters();
  ASSERT_EQ(got_params.size(), want_params.size());
  for (size_t k = 0; k < got_params.size(); ++k) {
    ASSERT_TRUE(Near("unfreeze_top_layers",
                     got_params[k].name + " after one training step",
                     AsMatrix(got_params[k].parameter->value),
                     AsMatrix(want_params[k].parameter->value), {1e-6, 1e-5},
                     "model.Compile(nn::Adam(0.1 * base_learning_rate), "
                     "nn::Loss::kBinaryCrossEntropy) after changing which "
                     "layers are trainable (Compile collects them)"));
  }
}

}  // namespace
