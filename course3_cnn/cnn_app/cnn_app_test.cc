// Grades course3_cnn/cnn_app: each model's summary against the course's
// (layer types in order, output shapes, parameter counts: 37,633 with 64
// non-trainable, and 1,310), convolutional_model on other input shapes
// against the reference, the outputs of each model with the reference's
// parameters against the reference's outputs (padding, strides and layer
// order that keep the shapes are caught there), and a short training run.

#include "course3_cnn/cnn_app/cnn_app.h"

#include <cstdint>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "common/nn/layers.h"
#include "common/nn/model.h"
#include "common/nn/test_util.h"
#include "course3_cnn/cnn_app/graded.h"  // see tools/unit.bzl
#include "gtest/gtest.h"

namespace reference = cnn_app::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
namespace nn = dl::nn;
using cnn_app::Model;
using dl::RandomState;
using dl::nn::test::ForwardOn;
using dl::nn::test::Uniform;

// One row of Keras's summary.
struct Row {
  std::string type, shape;
  int64_t params;
};

std::string Str(const Row& r) {
  return r.type + " " + r.shape + " " + std::to_string(r.params);
}

std::vector<Row> Rows(Model& model) {
  std::vector<Row> rows;
  for (int k = 0; k < model.num_layers(); ++k) {
    nn::Layer<float>& layer = model.layer(k);
    rows.push_back(
        {layer.type(), nn::KerasShapeString(layer.output_shape()),
         layer.CountParameters(true) + layer.CountParameters(false)});
  }
  return rows;
}

std::string Types(const std::vector<Row>& rows) {
  std::string s;
  for (const Row& r : rows) s += (s.empty() ? "" : ", ") + r.type;
  return s.empty() ? "none" : s;
}

// The summary's rows, layer by layer.
testing::AssertionResult SameRows(const std::string& function,
                                  const std::vector<Row>& got,
                                  const std::vector<Row>& want) {
  if (got.size() != want.size()) {
    return testing::AssertionFailure()
           << function << ": the model has " << got.size() << " layers ("
           << Types(got) << "), expected " << want.size() << " (" << Types(want)
           << ")";
  }
  for (size_t k = 0; k < got.size(); ++k) {
    const Row& g = got[k];
    const Row& w = want[k];
    if (g.type != w.type) {
      return testing::AssertionFailure()
             << function << ": layer " << k + 1 << " is a " << g.type
             << ", expected a " << w.type << " (the layers: " << Types(got)
             << "; expected " << Types(want) << ")";
    }
    if (g.shape != w.shape) {
      return testing::AssertionFailure()
             << function << ": layer " << k + 1 << " (" << g.type
             << ") outputs " << g.shape << ", expected " << w.shape
             << "\n    hint: check its kernel or pool size, strides and "
                "padding (\"same\" keeps n_H, n_W at stride 1)";
    }
    if (g.params != w.params) {
      return testing::AssertionFailure()
             << function << ": layer " << k + 1 << " (" << Str(g) << ") has "
             << g.params << " parameters, expected " << w.params
             << "\n    hint: the number of filters or units";
    }
  }
  return testing::AssertionSuccess();
}

// Gives the learner's model the reference's parameters (same shapes, same
// order), then compares the outputs on seeded inputs, in inference and in
// training mode.
void ExpectSameOutputs(const std::string& function, Model& got, Model& want,
                       const nn::Shape& input_shape) {
  auto pg = got.Parameters();
  auto pw = want.Parameters();
  ASSERT_EQ(pg.size(), pw.size())
      << function << ": the model has " << pg.size()
      << " parameter arrays, the reference " << pw.size();
  for (size_t k = 0; k < pg.size(); ++k) {
    ASSERT_EQ(pg[k].parameter->value.shape(), pw[k].parameter->value.shape())
        << function << ": parameter " << pg[k].name << " has shape "
        << nn::ShapeString(pg[k].parameter->value.shape()) << ", the "
        << "reference's " << pw[k].name << " "
        << nn::ShapeString(pw[k].parameter->value.shape());
  }
  RandomState rng(3);
  for (size_t k = 0; k < pg.size(); ++k) {
    nn::Array<float>& v = pw[k].parameter->value;
    for (nn::Index i = 0; i < v.size(); ++i) {
      v[i] += static_cast<float>(0.1 * rng.standard_normal());
    }
    pg[k].parameter->value = v;
  }
  nn::Shape batch = input_shape;
  batch.insert(batch.begin(), 3);
  const nn::Array<float> x = Uniform(rng, batch);
  EXPECT_TRUE(SameOutputs(function, ForwardOn(got, x), ForwardOn(want, x),
                          kFloatModels,
                          "the shapes match the reference's, the numbers do "
                          "not: check the padding (\"same\" / \"valid\"), "
                          "the strides, and the order of the layers"));
}

// `steps` full-batch Adam steps on 8 random pictures with fixed labels: the
// loss must at least halve.
void ExpectLearns(const std::string& function, Model& model,
                  const nn::Shape& input_shape, nn::Loss loss, int classes,
                  int steps) {
  nn::Shape batch = input_shape;
  batch.insert(batch.begin(), 8);
  RandomState rng(5);
  const nn::Array<float> x = Uniform(rng, batch);
  std::vector<int> labels(8);
  for (int i = 0; i < 8; ++i) labels[i] = i % classes;
  model.Compile(nn::Adam(0.01), loss);
  const double first = model.TrainStep(x, labels);
  for (int step = 1; step < steps; ++step) model.TrainStep(x, labels);
  const double last = model.ComputeGradients(x, labels);
  EXPECT_LT(last, 0.5 * first)
      << function << ": the loss went from " << first << " to " << last
      << " in " << steps << " Adam steps (learning rate 0.01) on 8 pictures";
}

// ---------------------------------------------------------------- happyModel

// The course's summary of happyModel (its test's `output` list).
std::vector<Row> HappyRows() {
  return {{"ZeroPadding2D", "(None, 70, 70, 3)", 0},
          {"Conv2D", "(None, 64, 64, 32)", 4736},
          {"BatchNormalization", "(None, 64, 64, 32)", 128},
          {"ReLU", "(None, 64, 64, 32)", 0},
          {"MaxPooling2D", "(None, 32, 32, 32)", 0},
          {"Flatten", "(None, 32768)", 0},
          {"Dense", "(None, 1)", 32769}};
}

TEST(HappyModel, CourseSummary) {
  auto got = Call("happyModel", [&] { return graded::happyModel(); });
  if (!got) return;
  EXPECT_TRUE(SameRows("happyModel", Rows(*got), HappyRows()));
  EXPECT_EQ(got->CountParameters(), 37633)
      << "happyModel: Total params " << got->CountParameters()
      << ", the course's 37,633";
  EXPECT_EQ(got->CountNonTrainableParameters(), 64)
      << "happyModel: Non-trainable params "
      << got->CountNonTrainableParameters()
      << ", the course's 64 (batch norm's moving mean and variance)";
  ASSERT_EQ(got->inputs().size(), 1u) << "happyModel: one Input";
  EXPECT_EQ(got->shape(got->inputs()[0]), (nn::Shape{64, 64, 3}))
      << "happyModel: the input is (64, 64, 3)";
}

TEST(HappyModel, SameOutputsAsReference) {
  auto got = Call("happyModel", [&] { return graded::happyModel(); });
  if (!got) return;
  Model want = reference::happyModel();
  ExpectSameOutputs("happyModel", *got, want, {64, 64, 3});
}

TEST(HappyModel, Learns) {
  auto got = Call("happyModel", [&] { return graded::happyModel(); });
  if (!got) return;
  ASSERT_EQ(got->shape(got->output()), (nn::Shape{1}))
      << "happyModel: the output is (None, 1)";
  ExpectLearns("happyModel", *got, {64, 64, 3}, nn::Loss::kBinaryCrossEntropy,
               2, /*steps=*/15);
}

// ------------------------------------------------------- convolutional_model

// The course's summary of convolutional_model((64, 64, 3)).
std::vector<Row> ConvolutionalRows() {
  return {{"Conv2D", "(None, 64, 64, 8)", 392},
          {"ReLU", "(None, 64, 64, 8)", 0},
          {"MaxPooling2D", "(None, 8, 8, 8)", 0},
          {"Conv2D", "(None, 8, 8, 16)", 528},
          {"ReLU", "(None, 8, 8, 16)", 0},
          {"MaxPooling2D", "(None, 2, 2, 16)", 0},
          {"Flatten", "(None, 64)", 0},
          {"Dense", "(None, 6)", 390}};
}

TEST(ConvolutionalModel, CourseSummary) {
  auto got = Call("convolutional_model", [&] {
    return graded::convolutional_model({64, 64, 3});
  });
  if (!got) return;
  EXPECT_TRUE(SameRows("convolutional_model", Rows(*got), ConvolutionalRows()));
  EXPECT_EQ(got->CountParameters(), 1310)
      << "convolutional_model: Total params " << got->CountParameters()
      << ", the course's 1,310";
  ASSERT_EQ(got->inputs().size(), 1u) << "convolutional_model: one Input";
  EXPECT_EQ(got->shape(got->inputs()[0]), (nn::Shape{64, 64, 3}))
      << "convolutional_model: the input is input_shape";
  EXPECT_EQ(got->shape(got->output()), (nn::Shape{6}))
      << "convolutional_model: the output is (None, 6); is model.Output(...) "
         "the Dense layer?";
}

// Other input shapes: nothing may be written for 64 x 64 x 3 only.
TEST(ConvolutionalModel, OtherInputShapes) {
  for (const nn::Shape& shape :
       {nn::Shape{32, 32, 3}, nn::Shape{48, 40, 1}, nn::Shape{17, 9, 2}}) {
    auto got = Call("convolutional_model",
                    [&] { return graded::convolutional_model(shape); });
    if (!got) return;
    Model want = reference::convolutional_model(shape);
    EXPECT_TRUE(SameRows("convolutional_model(" + nn::ShapeString(shape) + ")",
                         Rows(*got), Rows(want)));
    EXPECT_EQ(got->CountParameters(), want.CountParameters())
        << "convolutional_model(" << nn::ShapeString(shape) << ")";
  }
}

TEST(ConvolutionalModel, SameOutputsAsReference) {
  for (const nn::Shape& shape : {nn::Shape{64, 64, 3}, nn::Shape{20, 28, 2}}) {
    auto got = Call("convolutional_model",
                    [&] { return graded::convolutional_model(shape); });
    if (!got) return;
    Model want = reference::convolutional_model(shape);
    ExpectSameOutputs("convolutional_model(" + nn::ShapeString(shape) + ")",
                      *got, want, shape);
  }
}

TEST(ConvolutionalModel, Learns) {
  auto got = Call("convolutional_model", [&] {
    return graded::convolutional_model({64, 64, 3});
  });
  if (!got) return;
  ASSERT_EQ(got->shape(got->output()), (nn::Shape{6}))
      << "convolutional_model: the output is (None, 6)";
  ExpectLearns("convolutional_model", *got, {64, 64, 3},
               nn::Loss::kSoftmaxCrossEntropy, 6, /*steps=*/40);
}

}  // namespace
