// Grades course3_cnn/resnet: the two blocks on the course's own check (the
// constant initializer, inference and training mode), their layers against
// the course's ResNet50 summary, their outputs against the reference (same
// seed: same weights; then the reference's perturbed weights in both
// models, inference and training mode, in double), a finite-difference
// gradient check through each block, and ResNet50's summary (layer types,
// output shapes, parameter counts: 23,600,006 in all).

#include "course3_cnn/resnet/resnet.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "common/nn/layers.h"
#include "common/nn/model.h"
#include "course3_cnn/resnet/graded.h"  // see tools/unit.bzl
#include "gtest/gtest.h"

namespace reference = resnet::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
namespace nn = dl::nn;
using dl::Matrix;
using dl::RandomState;
using resnet::Filters;
using resnet::Graph;

// The same layers with the same weights in double: the same operations in
// the same order, so only the summation order of matrix products differs.
constexpr Tolerance kSameModel{1e-9, 1e-7};
// The course's printed values: TensorFlow in float32, rounded to 5 decimals.
constexpr Tolerance kCoursePrinted{1e-4, 1e-6};

// ------------------------------------------------------------ helpers

// One row of Keras's summary.
struct Row {
  std::string type, shape;
  int64_t params;
};

std::string Str(const Row& r) {
  return r.type + " " + r.shape + " " + std::to_string(r.params);
}

template <typename T>
std::vector<Row> Rows(nn::Model<T>& model) {
  std::vector<Row> rows;
  for (int k = 0; k < model.num_layers(); ++k) {
    nn::Layer<T>& layer = model.layer(k);
    rows.push_back(
        {layer.type(), nn::KerasShapeString(layer.output_shape()),
         layer.CountParameters(true) + layer.CountParameters(false)});
  }
  return rows;
}

// The layer types, numbered from 1; for long models only those around
// layer `at` (0-based).
std::string Types(const std::vector<Row>& rows, size_t at = 0) {
  if (rows.empty()) return "none";
  const size_t first = rows.size() <= 14 || at < 6 ? 0 : at - 6;
  const size_t last =
      rows.size() <= 14 ? rows.size() : std::min(rows.size(), first + 12);
  std::string s = first > 0 ? "... " : "";
  for (size_t k = first; k < last; ++k) {
    s += (k == first ? "" : ", ") + std::to_string(k + 1) + " " + rows[k].type;
  }
  if (last < rows.size())
    s += ", ... (" + std::to_string(rows.size()) + " layers)";
  return s;
}

// nn::ReLU() and nn::Activation("relu") are the same layer (the outputs are
// compared elsewhere).
bool SameType(const std::string& got, const std::string& want) {
  return got == want || (got == "ReLU" && want == "Activation");
}

// The summary's rows, layer by layer.
testing::AssertionResult SameRows(const std::string& function,
                                  const std::vector<Row>& got,
                                  const std::vector<Row>& want) {
  for (size_t k = 0; k < got.size() && k < want.size(); ++k) {
    const Row& g = got[k];
    const Row& w = want[k];
    if (!SameType(g.type, w.type)) {
      return testing::AssertionFailure()
             << function << ": layer " << k + 1 << " is a " << g.type
             << ", expected a " << w.type
             << "\n    hint: add the layers in the course's order (see the "
                "README's pictures)\n    the layers: "
             << Types(got, k) << "\n    expected:   " << Types(want, k);
    }
    if (g.shape != w.shape) {
      return testing::AssertionFailure()
             << function << ": layer " << k + 1 << " (" << g.type
             << ") outputs " << g.shape << ", expected " << w.shape
             << "\n    hint: check its filters, kernel size, strides and "
                "padding (\"same\" keeps n_H, n_W at stride 1)";
    }
    if (g.params != w.params) {
      return testing::AssertionFailure()
             << function << ": layer " << k + 1 << " (" << Str(g) << ") has "
             << g.params << " parameters, expected " << w.params
             << "\n    hint: the number of filters, or the kernel size";
    }
  }
  if (got.size() != want.size()) {
    return testing::AssertionFailure()
           << function << ": the model has " << got.size() << " layers, "
           << "expected " << want.size() << "\n    the layers: "
           << Types(got, std::min(got.size(), want.size()))
           << "\n    expected:   "
           << Types(want, std::min(got.size(), want.size()));
  }
  return testing::AssertionSuccess();
}

// A model of one block: Input(input_shape) -> block -> output.
using Block = std::function<nn::Node(Graph&, nn::Node)>;

template <typename T>
nn::Model<T> BlockModel(const Block& block, const nn::Shape& input_shape,
                        uint32_t seed) {
  Graph model;
  const nn::Node X = model.Input(input_shape);
  const nn::Node out = block(model, X);
  model.Output(out);
  return model.Build<T>(seed);
}

// Seeded inputs (m, input shape), uniform in [-1, 2).
nn::Array<double> Inputs(int m, const nn::Shape& input_shape, uint32_t seed) {
  nn::Shape shape = input_shape;
  shape.insert(shape.begin(), m);
  nn::Array<double> x(shape);
  RandomState rng(seed);
  for (nn::Index i = 0; i < x.size(); ++i) x[i] = 3 * rng.random_sample() - 1;
  return x;
}

dl::Tensor<4> AsTensor(const nn::Array<double>& a) {
  return nn::ToTensor<4>(a);
}

// Gives every parameter of `model` new seeded values: kernels and biases
// around their values, gamma around 1, beta and the moving mean around 0,
// the moving variance in [0.5, 1.5] (so that inference mode is not
// trivial).
void Perturb(nn::Model<double>& model, uint32_t seed) {
  RandomState rng(seed);
  for (auto& named : model.Parameters()) {
    nn::Parameter<double>& p = *named.parameter;
    for (nn::Index i = 0; i < p.value.size(); ++i) {
      if (p.name == "moving_variance") {
        p.value[i] = 0.5 + rng.random_sample();
      } else {
        p.value[i] += 0.3 * rng.standard_normal();
      }
    }
  }
}

// Same parameter arrays (names, shapes) in the same order.
testing::AssertionResult SameParameterShapes(const std::string& function,
                                             nn::Model<double>& got,
                                             nn::Model<double>& want) {
  auto pg = got.Parameters();
  auto pw = want.Parameters();
  if (pg.size() != pw.size()) {
    return testing::AssertionFailure()
           << function << ": the block has " << pg.size()
           << " parameter arrays, the reference " << pw.size();
  }
  for (size_t k = 0; k < pg.size(); ++k) {
    if (pg[k].parameter->value.shape() != pw[k].parameter->value.shape()) {
      return testing::AssertionFailure()
             << function << ": parameter " << pg[k].name << " has shape "
             << nn::ShapeString(pg[k].parameter->value.shape())
             << ", the reference's " << pw[k].name << " "
             << nn::ShapeString(pw[k].parameter->value.shape())
             << "\n    hint: add the layers in the course's order";
    }
  }
  return testing::AssertionSuccess();
}

// The learner's block against the reference's on one configuration:
//   1. the same layers (types, shapes, parameter counts);
//   2. the same seed draws the same weights (every Conv2D uses
//      `initializer`, in the course's order);
//   3. with the reference's weights perturbed (and copied into the
//      learner's model), the same outputs in inference and training mode.
void ExpectSameBlock(const std::string& function, const Block& got_block,
                     const Block& want_block, const nn::Shape& input_shape,
                     int m, uint32_t seed) {
  const std::string what = function + " on input " +
                           nn::KerasShapeString(input_shape) +
                           " (m = " + std::to_string(m) + ")";
  auto got = Call(function.c_str(), [&] {
    return BlockModel<double>(got_block, input_shape, seed);
  });
  if (!got) return;
  nn::Model<double> want = BlockModel<double>(want_block, input_shape, seed);
  ASSERT_TRUE(SameRows(what, Rows(*got), Rows(want)));
  ASSERT_TRUE(SameParameterShapes(what, *got, want));
  auto pg = got->Parameters();
  auto pw = want.Parameters();
  for (size_t k = 0; k < pg.size(); ++k) {
    const nn::Array<double>& g = pg[k].parameter->value;
    const nn::Array<double>& w = pw[k].parameter->value;
    EXPECT_TRUE(Near(function, what + ": initial " + pg[k].name,
                     Matrix(g.matrix(1, g.size())),
                     Matrix(w.matrix(1, w.size())), kSameModel,
                     "the same seed draws other weights than the "
                     "reference's: give every Conv2D "
                     "kernel_initializer = initializer, and add the layers "
                     "in the course's order"));
  }
  Perturb(want, seed + 1000);
  for (size_t k = 0; k < pg.size(); ++k) {
    pg[k].parameter->value = pw[k].parameter->value;
  }
  const nn::Array<double> x = Inputs(m, input_shape, seed + 2000);
  for (bool training : {false, true}) {
    const nn::Array<double> yg = got->Forward(x, training);
    const nn::Array<double> yw = want.Forward(x, training);
    EXPECT_TRUE(Near(function,
                     what + (training ? ": output (training mode)"
                                      : ": output (inference mode)"),
                     AsTensor(yg), AsTensor(yw), kSameModel,
                     "the layers match the reference's, the numbers do not: "
                     "check which node each layer is applied to (the "
                     "shortcut is the block's input X), the padding and the "
                     "strides"));
  }
}

// Finite differences through the learner's block (double), J = Σ output ⊙ G:
// every trainable parameter and the input X, in inference mode (with the
// moving statistics perturbed) and in training mode (batch statistics;
// there a conv bias before batch norm has gradient 0, so the parameters
// are one block).
void ExpectGradientsMatch(const std::string& function, const Block& block,
                          const nn::Shape& input_shape, int m) {
  auto got = Call(function.c_str(),
                  [&] { return BlockModel<double>(block, input_shape, 7); });
  if (!got) return;
  nn::Model<double>& model = *got;
  Perturb(model, 8);
  nn::Array<double> x = Inputs(m, input_shape, 9);
  const nn::Shape out_shape = [&] {
    nn::Shape s = model.shape(model.output());
    s.insert(s.begin(), m);
    return s;
  }();
  nn::Array<double> G(out_shape);
  RandomState rng(10);
  for (nn::Index i = 0; i < G.size(); ++i) G[i] = rng.standard_normal();

  auto params = model.Parameters(/*trainable_only=*/true);
  for (bool training : {false, true}) {
    // Analytic gradients.
    model.Forward(x, training);
    model.Backward(G, /*input_gradients=*/true);
    std::vector<Matrix> values;
    std::vector<dl::grading::GradientBlock> blocks;
    const auto column = [](const nn::Array<double>& a) {
      return Matrix(a.matrix(a.size(), 1));
    };
    if (training) {
      Matrix value(0, 1), grad(0, 1);
      for (auto& p : params) {
        const Matrix v = column(p.parameter->value);
        const Matrix g = column(p.parameter->grad);
        Matrix v2(value.rows() + v.rows(), 1), g2(grad.rows() + g.rows(), 1);
        v2 << value, v;
        g2 << grad, g;
        value = v2;
        grad = g2;
      }
      values.push_back(value);
      blocks.push_back({"every parameter", nullptr, grad});
    } else {
      for (auto& p : params) {
        values.push_back(column(p.parameter->value));
        blocks.push_back({p.name, nullptr, column(p.parameter->grad)});
      }
    }
    values.push_back(column(x));
    blocks.push_back({"X", nullptr, column(model.InputGradient(0))});
    for (size_t k = 0; k < blocks.size(); ++k) {
      blocks[k].parameter = &values[k];
    }
    // The cost reads the (perturbed) matrices back into the model.
    const auto cost = [&]() {
      size_t b = 0;
      if (training) {
        nn::Index offset = 0;
        for (auto& p : params) {
          nn::Array<double>& a = p.parameter->value;
          a.vec() = values[0].col(0).segment(offset, a.size());
          offset += a.size();
        }
        b = 1;
      } else {
        for (; b < params.size(); ++b) {
          params[b].parameter->value.vec() = values[b].col(0);
        }
      }
      x.vec() = values[b].col(0);
      const nn::Array<double>& y = model.Forward(x, training);
      return y.vec().dot(G.vec());
    };
    const std::vector<dl::grading::BlockCheck> checks =
        dl::grading::CheckGradients(cost, blocks);
    EXPECT_TRUE(dl::grading::GradientsMatch(
        function + (training ? " (training mode)" : " (inference mode)"),
        checks));
  }
}

// The course's check of identity_block: X = 3 pictures (4, 4, 3) of -1, 1
// and 3, every kernel 1 (initializer = constant(1)), f = 2; it prints the
// channel mean of rows 0 and -1 of each output picture. The values are the
// notebook's printout; they follow by hand from the layers (batch norm at
// inference divides by sqrt(1 + 0.001)).
nn::Array<double> CourseX() {
  nn::Array<double> X({3, 4, 4, 3});
  const double v[3] = {-1, 1, 3};
  for (int i = 0; i < 3; ++i) {
    for (int k = 0; k < 48; ++k) X[i * 48 + k] = v[i];
  }
  return X;
}

// A3[:, (0, -1), :, :].mean(axis = 3) as (3, 8): rows 0 and -1, side by side.
Matrix RowMeans(const nn::Array<double>& A) {
  Matrix out(3, 8);
  for (int i = 0; i < 3; ++i) {
    for (int r = 0; r < 2; ++r) {
      for (int w = 0; w < 4; ++w) {
        double s = 0;
        for (int c = 0; c < A.dim(3); ++c) s += A(i, r == 0 ? 0 : 3, w, c);
        out(i, r * 4 + w) = s / static_cast<double>(A.dim(3));
      }
    }
  }
  return out;
}

Block Identity(decltype(graded::identity_block)* fn, int f, Filters filters,
               nn::Initializer init) {
  return [=](Graph& g, nn::Node X) { return fn(g, X, f, filters, init); };
}

Block Convolutional(decltype(graded::convolutional_block)* fn, int f,
                    Filters filters, int s, nn::Initializer init) {
  return [=](Graph& g, nn::Node X) { return fn(g, X, f, filters, s, init); };
}

// ------------------------------------------------------------ identity_block

// The course's test of identity_block: f = 2, `filters`, every kernel 1, on
// the course's X, in inference or training mode. Its output, or nullopt when
// identity_block is not implemented (reported by Call) or its output does
// not have the input's shape (reported: "identity_block: output (...),
// expected (3, 4, 4, 3)" and `shape_hint`).
std::optional<nn::Array<double>> CourseIdentityOutput(
    const Filters& filters, bool training, const std::string& shape_hint) {
  auto got = Call("identity_block", [&] {
    return BlockModel<double>(Identity(&graded::identity_block, 2, filters,
                                       nn::Initializer::Constant(1)),
                              {4, 4, 3}, 0);
  });
  if (!got) return std::nullopt;
  const nn::Array<double> X = CourseX();
  const nn::Array<double>& A = got->Forward(X, training);
  if (!(A.shape() == nn::Shape{3, 4, 4, 3})) {
    ADD_FAILURE() << "identity_block: output " << nn::ShapeString(A.shape())
                  << ", expected (3, 4, 4, 3)" << shape_hint;
    return std::nullopt;
  }
  return A;
}

TEST(IdentityBlock, CourseValuesInference) {
  const auto A3 = CourseIdentityOutput({4, 4, 3}, /*training=*/false,
                                       ": the block keeps the input's shape");
  if (!A3) return;
  const Matrix want = dl::matrix({
      {0, 0, 0, 0, 0, 0, 0, 0},
      {192.71234, 192.71234, 192.71234, 96.85617, 96.85617, 96.85617, 96.85617,
       48.92808},
      {578.1371, 578.1371, 578.1371, 290.5685, 290.5685, 290.5685, 290.5685,
       146.78425},
  });
  EXPECT_TRUE(Near("identity_block",
                   "A3[:, (0, -1), :, :].mean(axis = 3) (training=False)",
                   RowMeans(*A3), want, kCoursePrinted,
                   "with every kernel 1 and batch norm's initial moving "
                   "statistics, the second picture's (X = 1) first output "
                   "is 1 + 3 * 16 * 4 / 1.001^1.5 = 192.71: three "
                   "convolutions, the shortcut added once, ReLU last; the "
                   "f x f convolution is \"same\""));
}

TEST(IdentityBlock, CourseValuesTraining) {
  const auto A4 = CourseIdentityOutput({3, 3, 3}, /*training=*/true, "");
  if (!A4) return;
  const Matrix want = dl::matrix({
      {0, 0, 0, 0, 0, 0, 0, 0},
      {0.40739, 0.40739, 0.40739, 0.40739, 0.40739, 0.40739, 0.40739, 0.40739},
      {4.99991, 4.99991, 4.99991, 3.25948, 3.25948, 3.25948, 3.25948, 2.40739},
  });
  EXPECT_TRUE(Near("identity_block",
                   "A4[:, (0, -1), :, :].mean(axis = 3) (training=True)",
                   RowMeans(*A4), want, kCoursePrinted,
                   "in training mode batch norm uses the batch's mean and "
                   "variance; the ReLU comes after the Add"));
}

// The course's ResNet50 summary, stage 2's second block.
TEST(IdentityBlock, CourseLayers) {
  auto got = Call("identity_block", [&] {
    return BlockModel<float>(Identity(&graded::identity_block, 3, {64, 64, 256},
                                      nn::Initializer::RandomUniform()),
                             {15, 15, 256}, 0);
  });
  if (!got) return;
  const std::vector<Row> want = {
      {"Conv2D", "(None, 15, 15, 64)", 16448},
      {"BatchNormalization", "(None, 15, 15, 64)", 256},
      {"Activation", "(None, 15, 15, 64)", 0},
      {"Conv2D", "(None, 15, 15, 64)", 36928},
      {"BatchNormalization", "(None, 15, 15, 64)", 256},
      {"Activation", "(None, 15, 15, 64)", 0},
      {"Conv2D", "(None, 15, 15, 256)", 16640},
      {"BatchNormalization", "(None, 15, 15, 256)", 1024},
      {"Add", "(None, 15, 15, 256)", 0},
      {"Activation", "(None, 15, 15, 256)", 0}};
  EXPECT_TRUE(
      SameRows("identity_block(f = 3, [64, 64, 256])", Rows(*got), want));
}

TEST(IdentityBlock, SameAsReference) {
  struct Case {
    nn::Shape input;
    int m, f;
    Filters filters;
    nn::Initializer init;
  };
  const std::vector<Case> cases = {
      {{4, 4, 3}, 3, 2, {4, 4, 3}, nn::Initializer::RandomUniform()},
      {{6, 5, 4}, 2, 3, {2, 3, 4}, nn::Initializer::GlorotUniform()},
      {{7, 3, 5}, 1, 3, {3, 2, 5}, nn::Initializer::RandomNormal(0, 0.3)},
      {{5, 8, 2}, 4, 1, {3, 4, 2}, nn::Initializer::HeUniform()},
      {{3, 3, 6}, 2, 5, {2, 2, 6}, nn::Initializer::RandomUniform(-1, 1)},
  };
  uint32_t seed = 1;
  for (const Case& c : cases) {
    ExpectSameBlock(
        "identity_block",
        Identity(&graded::identity_block, c.f, c.filters, c.init),
        Identity(&reference::identity_block, c.f, c.filters, c.init), c.input,
        c.m, seed++);
  }
}

TEST(IdentityBlock, GradientCheck) {
  ExpectGradientsMatch("identity_block",
                       Identity(&graded::identity_block, 3, {2, 3, 3},
                                nn::Initializer::GlorotUniform()),
                       {5, 4, 3}, 2);
}

// ------------------------------------------------------- convolutional_block

// The course's check: X as above, f = 2, filters [2, 4, 6], s = 2 give an
// output (3, 2, 2, 6) (its values come from TensorFlow's random
// glorot_uniform(seed=0), which we cannot draw).
TEST(ConvolutionalBlock, CourseShape) {
  auto got = Call("convolutional_block", [&] {
    return BlockModel<double>(
        Convolutional(&graded::convolutional_block, 2, {2, 4, 6}, 2,
                      nn::Initializer::GlorotUniform()),
        {4, 4, 3}, 0);
  });
  if (!got) return;
  const nn::Array<double> X = CourseX();
  for (bool training : {false, true}) {
    const nn::Array<double>& A = got->Forward(X, training);
    EXPECT_TRUE(A.shape() == (nn::Shape{3, 2, 2, 6}))
        << "convolutional_block(f = 2, [2, 4, 6], s = 2) on X (3, 4, 4, 3): "
        << "output " << nn::ShapeString(A.shape())
        << ", the course's (3, 2, 2, 6)";
    bool relu = true;
    for (nn::Index i = 0; i < A.size(); ++i) relu = relu && A[i] >= 0;
    EXPECT_TRUE(relu) << "convolutional_block: negative outputs; the block "
                         "ends with a ReLU after the Add";
  }
}

// The course's ResNet50 summary, stage 3's first block.
TEST(ConvolutionalBlock, CourseLayers) {
  auto got = Call("convolutional_block", [&] {
    return BlockModel<float>(
        Convolutional(&graded::convolutional_block, 3, {128, 128, 512}, 2,
                      nn::Initializer::GlorotUniform()),
        {15, 15, 256}, 0);
  });
  if (!got) return;
  const std::vector<Row> want = {
      {"Conv2D", "(None, 8, 8, 128)", 32896},
      {"BatchNormalization", "(None, 8, 8, 128)", 512},
      {"Activation", "(None, 8, 8, 128)", 0},
      {"Conv2D", "(None, 8, 8, 128)", 147584},
      {"BatchNormalization", "(None, 8, 8, 128)", 512},
      {"Activation", "(None, 8, 8, 128)", 0},
      {"Conv2D", "(None, 8, 8, 512)", 66048},
      {"BatchNormalization", "(None, 8, 8, 512)", 2048},
      {"Conv2D", "(None, 8, 8, 512)", 131584},
      {"BatchNormalization", "(None, 8, 8, 512)", 2048},
      {"Add", "(None, 8, 8, 512)", 0},
      {"Activation", "(None, 8, 8, 512)", 0}};
  EXPECT_TRUE(SameRows("convolutional_block(f = 3, [128, 128, 512], s = 2)",
                       Rows(*got), want));
}

TEST(ConvolutionalBlock, SameAsReference) {
  struct Case {
    nn::Shape input;
    int m, f;
    Filters filters;
    int s;
    nn::Initializer init;
  };
  const std::vector<Case> cases = {
      {{4, 4, 3}, 3, 2, {2, 4, 6}, 2, nn::Initializer::GlorotUniform()},
      {{5, 5, 3}, 2, 3, {4, 3, 5}, 1, nn::Initializer::RandomUniform()},
      {{7, 6, 2}, 1, 3, {3, 2, 4}, 2, nn::Initializer::HeNormal()},
      {{9, 5, 4}, 2, 3, {2, 3, 3}, 3, nn::Initializer::GlorotNormal()},
      {{6, 8, 5}, 3, 2, {3, 3, 2}, 2, nn::Initializer::RandomUniform(-1, 1)},
  };
  uint32_t seed = 11;
  for (const Case& c : cases) {
    ExpectSameBlock("convolutional_block",
                    Convolutional(&graded::convolutional_block, c.f, c.filters,
                                  c.s, c.init),
                    Convolutional(&reference::convolutional_block, c.f,
                                  c.filters, c.s, c.init),
                    c.input, c.m, seed++);
  }
}

TEST(ConvolutionalBlock, GradientCheck) {
  ExpectGradientsMatch("convolutional_block",
                       Convolutional(&graded::convolutional_block, 3, {2, 3, 4},
                                     2, nn::Initializer::GlorotUniform()),
                       {5, 6, 3}, 2);
}

// ------------------------------------------------------------------ ResNet50

void AddConvolutionalRows(std::vector<Row>& rows, int n, int C, Filters F) {
  const auto s = [n](int c) {
    return "(None, " + std::to_string(n) + ", " + std::to_string(n) + ", " +
           std::to_string(c) + ")";
  };
  const int64_t F1 = F[0], F2 = F[1], F3 = F[2];
  rows.push_back({"Conv2D", s(F1), (C + 1) * F1});
  rows.push_back({"BatchNormalization", s(F1), 4 * F1});
  rows.push_back({"Activation", s(F1), 0});
  rows.push_back({"Conv2D", s(F2), (9 * F1 + 1) * F2});
  rows.push_back({"BatchNormalization", s(F2), 4 * F2});
  rows.push_back({"Activation", s(F2), 0});
  rows.push_back({"Conv2D", s(F3), (F2 + 1) * F3});
  rows.push_back({"BatchNormalization", s(F3), 4 * F3});
  rows.push_back({"Conv2D", s(F3), (C + 1) * F3});
  rows.push_back({"BatchNormalization", s(F3), 4 * F3});
  rows.push_back({"Add", s(F3), 0});
  rows.push_back({"Activation", s(F3), 0});
}

void AddIdentityRows(std::vector<Row>& rows, int n, Filters F) {
  const auto s = [n](int c) {
    return "(None, " + std::to_string(n) + ", " + std::to_string(n) + ", " +
           std::to_string(c) + ")";
  };
  const int64_t F1 = F[0], F2 = F[1], F3 = F[2];
  rows.push_back({"Conv2D", s(F1), (F3 + 1) * F1});
  rows.push_back({"BatchNormalization", s(F1), 4 * F1});
  rows.push_back({"Activation", s(F1), 0});
  rows.push_back({"Conv2D", s(F2), (9 * F1 + 1) * F2});
  rows.push_back({"BatchNormalization", s(F2), 4 * F2});
  rows.push_back({"Activation", s(F2), 0});
  rows.push_back({"Conv2D", s(F3), (F2 + 1) * F3});
  rows.push_back({"BatchNormalization", s(F3), 4 * F3});
  rows.push_back({"Add", s(F3), 0});
  rows.push_back({"Activation", s(F3), 0});
}

// The course's ResNet50_summary (test outputs), in the order the course's
// code adds the layers. (Keras prints a functional model by graph depth, so
// its table shows each convolutional block's two last Conv2D layers next
// to each other; the layers and their numbers are the same.)
std::vector<Row> CourseResNet50Rows() {
  std::vector<Row> rows = {
      {"ZeroPadding2D", "(None, 70, 70, 3)", 0},
      {"Conv2D", "(None, 32, 32, 64)", 9472},
      {"BatchNormalization", "(None, 32, 32, 64)", 256},
      {"Activation", "(None, 32, 32, 64)", 0},
      {"MaxPooling2D", "(None, 15, 15, 64)", 0},
  };
  struct Stage {
    int n;
    Filters F;
    int identity_blocks;
  };
  int C = 64;
  for (const Stage& stage :
       {Stage{15, {64, 64, 256}, 2}, Stage{8, {128, 128, 512}, 3},
        Stage{4, {256, 256, 1024}, 5}, Stage{2, {512, 512, 2048}, 2}}) {
    AddConvolutionalRows(rows, stage.n, C, stage.F);
    for (int k = 0; k < stage.identity_blocks; ++k) {
      AddIdentityRows(rows, stage.n, stage.F);
    }
    C = stage.F[2];
  }
  rows.push_back({"AveragePooling2D", "(None, 1, 1, 2048)", 0});
  rows.push_back({"Flatten", "(None, 2048)", 0});
  rows.push_back({"Dense", "(None, 6)", 12294});
  return rows;
}

TEST(ResNet50, CourseSummary) {
  auto got = Call("ResNet50", [&] {
    return graded::ResNet50({64, 64, 3}, 6).BuildZeros<float>();
  });
  if (!got) return;
  EXPECT_TRUE(SameRows("ResNet50", Rows(*got), CourseResNet50Rows()));
  EXPECT_TRUE(got->CountParameters() == 23600006)
      << "ResNet50: Total params " << got->CountParameters()
      << ", the course's 23,600,006";
  EXPECT_TRUE(got->CountTrainableParameters() == 23546886)
      << "ResNet50: Trainable params " << got->CountTrainableParameters()
      << ", the course's 23,546,886";
  EXPECT_TRUE(got->CountNonTrainableParameters() == 53120)
      << "ResNet50: Non-trainable params " << got->CountNonTrainableParameters()
      << ", the course's 53,120 (batch norm's moving means and variances)";
  ASSERT_TRUE(got->inputs().size() == 1u)
      << "ResNet50: " << got->inputs().size() << " inputs, expected one";
  EXPECT_TRUE(got->shape(got->inputs()[0]) == (nn::Shape{64, 64, 3}))
      << "ResNet50: the input is "
      << nn::KerasShapeString(got->shape(got->inputs()[0]))
      << ", expected input_shape (None, 64, 64, 3)";
  EXPECT_TRUE(got->shape(got->output()) == (nn::Shape{6}))
      << "ResNet50: the output is "
      << nn::KerasShapeString(got->shape(got->output()))
      << ", expected (None, 6); is model.Output(...) the Dense layer?";
}

// Other inputs and classes: nothing may be written for (64, 64, 3) and 6
// classes only.
TEST(ResNet50, OtherInputShapes) {
  struct Case {
    nn::Shape input;
    int classes;
  };
  for (const Case& c : {Case{{96, 96, 3}, 10}, Case{{80, 72, 1}, 3}}) {
    const std::string what = "ResNet50(" + nn::ShapeString(c.input) + ", " +
                             std::to_string(c.classes) + ")";
    auto got = Call("ResNet50", [&] {
      return graded::ResNet50(c.input, c.classes).BuildZeros<float>();
    });
    if (!got) return;
    nn::Model<float> want =
        reference::ResNet50(c.input, c.classes).BuildZeros<float>();
    EXPECT_TRUE(SameRows(what, Rows(*got), Rows(want)));
    EXPECT_TRUE(got->CountParameters() == want.CountParameters())
        << what << ": " << got->CountParameters() << " parameters, expected "
        << want.CountParameters();
    EXPECT_TRUE(got->shape(got->output()) == (nn::Shape{c.classes}))
        << what << ": the output is "
        << nn::KerasShapeString(got->shape(got->output()))
        << ", expected (None, classes)";
  }
}

}  // namespace
