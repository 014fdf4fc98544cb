// Tests of the other layers of common/layers (batch norm, dense, the
// activations, dropout, reshaping and merging layers) in double against a
// naive loop; every backward against centered finite differences (input and
// parameter gradients); every layer in float against double; Array. The
// windowed layers are tested in conv_layers_test.cc, the losses in
// losses_test.cc.

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
#include "gtest/gtest.h"

namespace dl {
namespace nn {
namespace {

using ArrayD = Array<double>;
using ArrayF = Array<float>;
using test::Built;
using test::Close;
using test::Distinct;
using test::ExpectGradientsMatch;
using test::ExpectSameBitsOnOneOrTwoThreads;
using test::Ptrs;
using test::Randn;
using test::Randomize;

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

// Many rows (the statistics summed in blocks of 256 rows, the blocks and
// the entries cut between two threads): the same bits on 1 thread as on 2,
// forward and backward, and the statistics right (against double).
TEST(BatchNormalization, FloatSameBitsOnOneOrTwoThreads) {
  RandomState rng(13);
  const Shape shape{16, 32, 33, 16};  // 16,896 rows: 66 blocks
  auto layer_d = Built<double>(BatchNormalization(), {shape});
  Randomize(*layer_d, rng);
  auto layer = Built<float>(BatchNormalization(), {shape});
  for (const char* name : {"gamma", "beta"}) {
    layer->parameter(name)->value =
        Cast<float>(layer_d->parameter(name)->value);
  }
  const ArrayF x = Cast<float>(Randn(rng, shape, 3.0));
  const ArrayF dy = Cast<float>(Randn(rng, shape));
  ExpectSameBitsOnOneOrTwoThreads(*layer, x, dy);
  const ArrayF y = layer->Forward(x, /*training=*/true);
  for (const char* name : {"gamma", "beta"}) {
    layer_d->parameter(name)->value =
        Cast<double>(layer->parameter(name)->value);
  }
  const ArrayD y_d = layer_d->Forward(Cast<double>(x), /*training=*/true);
  for (Index k = 0; k < y_d.size(); k += 97) {
    EXPECT_NEAR(y[k], y_d[k], 1e-4) << k;
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

// ReLU's gradient: dy where the output is > 0, else 0, entry by entry (in
// packets of 4 floats or 2 doubles, then the tail): zeros, negatives and a
// NaN input (its output NaN) pass nothing back.
template <typename T>
void ExpectReluGradientRule() {
  RandomState rng(15);
  const Shape shape{1, 11};
  Array<T> x = Cast<T>(Randn(rng, shape));
  x[0] = 0;
  x[1] = -0.0;
  x[4] = std::numeric_limits<T>::quiet_NaN();
  x[10] = -x[10] * x[10];  // the tail: 11 = 2 packets of 4 + 3, or 5 x 2 + 1
  x[9] = 1 + x[9] * x[9];
  const Array<T> dy = Cast<T>(Randn(rng, shape));
  auto layer = Built<T>(ReLU(), {shape});
  const Array<T> y = layer->Forward(x, true);
  const Array<T> dx = layer->Backward(x, y, dy);
  for (Index k = 0; k < 11; ++k) {
    EXPECT_EQ(dx[k], y[k] > 0 ? dy[k] : T(0))
        << "entry " << k << ", x " << x[k];
  }
  EXPECT_EQ(dx[0], T(0));
  EXPECT_EQ(dx[9], dy[9]);
  EXPECT_EQ(dx[10], T(0));
}

TEST(Activations, ReluGradientRule) {
  ExpectReluGradientRule<float>();
  ExpectReluGradientRule<double>();
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

// Conv2D in float32 runs on oneDNN (onednn_conv.h), in float64 on im2col:
// the two agree on every kind of window (a "valid" window that leaves the
// last row unused: negative padding for oneDNN) and on a batch large enough
// to be cut in two halves.
TEST(FloatVsDouble, Conv2DOnOneDnnAgrees) {
  ExpectFloatMatchesDouble(Conv2D(4, 4, 1, "same"), {{2, 6, 6, 3}},
                           "Conv2D even kernel, same");
  ExpectFloatMatchesDouble(Conv2D(3, {2, 3}, {1, 2}, "same"), {{2, 6, 7, 2}},
                           "Conv2D non-square");
  ExpectFloatMatchesDouble(Conv2D(3, 3, 1, 2), {{2, 5, 5, 2}},
                           "Conv2D explicit padding");
  ExpectFloatMatchesDouble(Conv2D(3, 3, 2, "valid"), {{2, 8, 9, 2}},
                           "Conv2D valid, last row unused");
  ExpectFloatMatchesDouble(Conv2D(4, 1, 2, "valid"), {{2, 8, 8, 3}},
                           "Conv2D 1x1, stride 2");
  ExpectFloatMatchesDouble(Conv2D(16, 3, 1, "same"), {{8, 32, 32, 8}},
                           "Conv2D, batch cut in two");
}

// Conv2DTranspose in float32 runs on oneDNN too, as the convolution from
// its output back to its input (its forward pass is that convolution's
// backward-data pass): it agrees with float64's im2col on every padding,
// with strides 1 and 2, and on a batch cut in two (the same bits on 1
// thread or 2).
TEST(FloatVsDouble, Conv2DTransposeOnOneDnnAgrees) {
  ExpectFloatMatchesDouble(Conv2DTranspose(3, 3, 2, "valid"), {{2, 5, 4, 3}},
                           "Conv2DTranspose valid, stride 2");
  ExpectFloatMatchesDouble(Conv2DTranspose(4, 3, 1, "same"), {{2, 5, 6, 3}},
                           "Conv2DTranspose same, stride 1");
  ExpectFloatMatchesDouble(Conv2DTranspose(2, {2, 3}, {2, 1}, "same"),
                           {{2, 4, 5, 3}}, "Conv2DTranspose non-square");
  ExpectFloatMatchesDouble(Conv2DTranspose(8, 3, 2, "same"), {{8, 24, 32, 16}},
                           "Conv2DTranspose, batch cut in two");
  RandomState rng(22);
  auto layer =
      Built<float>(Conv2DTranspose(8, 3, 2, "same"), {{8, 24, 32, 16}});
  ExpectSameBitsOnOneOrTwoThreads(*layer,
                                  Cast<float>(Randn(rng, {8, 24, 32, 16})),
                                  Cast<float>(Randn(rng, {8, 48, 64, 8})));
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

// A built layer holds no gradients (a model built only to be looked at, as
// resnet's ResNet50, costs its weights alone); the first Backward gives
// each trainable parameter one of its shape, frozen ones none.
TEST(Layer, GradientsComeWithTheFirstBackward) {
  RandomState rng(5);
  auto layer = Built<double>(BatchNormalization(), {{2, 3, 4}});
  for (const Parameter<double>& p : layer->parameters()) {
    EXPECT_EQ(p.grad.size(), 0) << p.name;
  }
  const ArrayD x = Randn(rng, {4, 3, 4});
  const ArrayD y = layer->Forward(x, /*training=*/true);
  layer->Backward(x, y, Randn(rng, y.shape()));
  for (const Parameter<double>& p : layer->parameters()) {
    if (p.trainable) {
      EXPECT_EQ(p.grad.shape(), p.value.shape()) << p.name;
      EXPECT_GT(p.grad.vec().norm(), 0) << p.name;
    } else {
      EXPECT_EQ(p.grad.size(), 0) << p.name;
    }
  }
}

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
