// Grades course3_cnn/unet: the course's public tests (the summaries of
// conv_block, upsampling_block and unet_model: layers, output shapes and
// parameter counts), and the learner's layers against the reference's on
// seeded pictures: the same weights (the same initializers drawn in the
// same order) must give the same outputs, in inference and in training.

#include "course3_cnn/unet/unet.h"

#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "common/nn/layers.h"
#include "common/nn/test_util.h"
#include "course3_cnn/unet/graded.h"  // see tools/unit.bzl
#include "gtest/gtest.h"

namespace reference = unet::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
namespace nn = dl::nn;
using dl::Matrix;
using dl::RandomState;
using dl::nn::test::ForwardOn;
using dl::nn::test::SummaryLines;
using dl::nn::test::Uniform;
using unet::Model;

// The summary against the course's, with the learner's whole list on a
// difference.
void ExpectSummary(const std::string& function, Model& model,
                   const std::vector<std::string>& want,
                   const std::string& hint) {
  const std::vector<std::string> lines = SummaryLines(model);
  std::string all;
  for (const std::string& l : lines) all += "\n      " + l;
  ASSERT_EQ(lines.size(), want.size())
      << function << ": " << lines.size() << " layers, expected " << want.size()
      << ". Yours:" << all << "\n    hint: " << hint;
  for (size_t k = 0; k < want.size(); ++k) {
    EXPECT_EQ(lines[k], want[k])
        << function << ": layer " << k + 1 << " differs. Yours:" << all
        << "\n    hint: " << hint;
  }
}

// ============================================================ conv_block

TEST(ConvBlock, CoursePublicTests) {
  {
    Model model;
    const nn::Node input = model.Input({96, 128, 3});
    auto got = Call("conv_block", [&] {
      return graded::conv_block(model, input, 32, 0, true);
    });
    if (!got) return;
    ExpectSummary(
        "conv_block(inputs (96, 128, 3), 32, 0, max_pooling)", model,
        {"Conv2D (None, 96, 128, 32) 896", "Conv2D (None, 96, 128, 32) 9248",
         "MaxPooling2D (None, 48, 64, 32) 0"},
        "two Conv2D(n_filters, 3, 1, \"same\"), then MaxPool2D(2)");
    EXPECT_EQ(model.shape(got->skip_connection), (nn::Shape{96, 128, 32}))
        << "conv_block: skip_connection is the output BEFORE the pooling";
  }
  Model model;
  const nn::Node input = model.Input({96, 128, 3});
  auto got = Call("conv_block", [&] {
    return graded::conv_block(model, input, 1024, 0.3, false);
  });
  if (!got) return;
  ExpectSummary("conv_block(inputs (96, 128, 3), 1024, 0.3, no max_pooling)",
                model,
                {"Conv2D (None, 96, 128, 1024) 28672",
                 "Conv2D (None, 96, 128, 1024) 9438208",
                 "Dropout (None, 96, 128, 1024) 0"},
                "a Dropout(dropout_prob) when dropout_prob > 0; no pooling "
                "when max_pooling is false");
  EXPECT_EQ(got->next_layer.id, got->skip_connection.id)
      << "conv_block: without max pooling, next_layer is skip_connection";
}

// The same layers with the same initializers give the same weights.
TEST(ConvBlock, MatchesReference) {
  for (bool pooling : {true, false}) {
    Model got_model, want_model;
    const nn::Node in = got_model.Input({8, 12, 3});
    auto got = Call("conv_block", [&] {
      return graded::conv_block(got_model, in, 4, pooling ? 0 : 0.5, pooling);
    });
    if (!got) return;
    got_model.Output(got->next_layer);
    const unet::ConvBlock want =
        reference::conv_block(want_model, want_model.Input({8, 12, 3}), 4,
                              pooling ? 0 : 0.5, pooling);
    want_model.Output(want.next_layer);
    ASSERT_EQ(SummaryLines(got_model), SummaryLines(want_model))
        << "conv_block: the layers differ (see ConvBlock.CoursePublicTests)";
    // Two seeded pictures, in inference and in training mode (dropout).
    RandomState rng(5);
    const nn::Array<float> x = Uniform(rng, {2, 8, 12, 3});
    EXPECT_TRUE(SameOutputs("conv_block", ForwardOn(got_model, x),
                            ForwardOn(want_model, x), kFloatModels,
                            "each Conv2D(n_filters, 3, 1, \"same\") with "
                            "activation \"relu\" and kernel_initializer "
                            "HeNormal()"));
  }
}

// ====================================================== upsampling_block

TEST(UpsamplingBlock, CoursePublicTest) {
  Model model;
  const nn::Node expansive = model.Input({12, 16, 256});
  const nn::Node contractive = model.Input({24, 32, 128});
  auto got = Call("upsampling_block", [&] {
    return graded::upsampling_block(model, expansive, contractive, 32);
  });
  if (!got) return;
  ExpectSummary(
      "upsampling_block", model,
      {"Conv2DTranspose (None, 24, 32, 32) 73760",
       "Concatenate (None, 24, 32, 160) 0", "Conv2D (None, 24, 32, 32) 46112",
       "Conv2D (None, 24, 32, 32) 9248"},
      "Conv2DTranspose(n_filters, 3, 2, \"same\") on the expansive "
      "input, Concatenate with the contractive input (up first), "
      "two Conv2D");
}

TEST(UpsamplingBlock, MatchesReference) {
  Model got_model, want_model;
  const nn::Node e = got_model.Input({4, 6, 5});
  const nn::Node c = got_model.Input({8, 12, 3});
  auto got = Call("upsampling_block",
                  [&] { return graded::upsampling_block(got_model, e, c, 4); });
  if (!got) return;
  got_model.Output(*got);
  const nn::Node we = want_model.Input({4, 6, 5});
  const nn::Node wc = want_model.Input({8, 12, 3});
  want_model.Output(reference::upsampling_block(want_model, we, wc, 4));
  ASSERT_EQ(SummaryLines(got_model), SummaryLines(want_model))
      << "upsampling_block: the layers differ (see "
         "UpsamplingBlock.CoursePublicTest)";
  RandomState rng(6);
  const nn::Array<float> xe = Uniform(rng, {2, 4, 6, 5});
  const nn::Array<float> xc = Uniform(rng, {2, 8, 12, 3});
  const nn::Array<float> y = got_model.Forward({&xe, &xc}, false);
  const nn::Array<float> y_want = want_model.Forward({&xe, &xc}, false);
  EXPECT_TRUE(Near("upsampling_block", "the output",
                   Matrix(y.vec().cast<double>()),
                   Matrix(y_want.vec().cast<double>()), kFloatModels,
                   "Concatenate(up, contractive_input), up first; the two "
                   "Conv2D with relu and HeNormal"));
}

// ============================================================ unet_model

TEST(UnetModel, CourseSummary) {
  auto got = Call("unet_model", [&] {
    return graded::unet_model({96, 128, 3}, 32, 23);
  });
  if (!got) return;
  int64_t total = 0;
  for (int k = 0; k < got->num_layers(); ++k) {
    total += got->layer(k).CountParameters(true) +
             got->layer(k).CountParameters(false);
  }
  EXPECT_EQ(total, 8640471)
      << "unet_model: the course's U-Net has 8,640,471 parameters";
  EXPECT_EQ(got->shape(got->output()), (nn::Shape{96, 128, 23}))
      << "unet_model: the output is a logit per class and pixel";
  Model want = reference::unet_model({96, 128, 3}, 32, 23);
  EXPECT_EQ(SummaryLines(*got), SummaryLines(want))
      << "unet_model: the layers differ from the course's (4 blocks down, a "
         "5th without pooling, 4 up, a Conv2D and the 1x1 Conv2D)";
}

// The same layers with the same initializers give the same weights: the
// outputs agree, in inference and in training (dropout).
TEST(UnetModel, MatchesReference) {
  auto got = Call("unet_model", [&] {
    return graded::unet_model({16, 32, 3}, 2, 4);
  });
  if (!got) return;
  Model want = reference::unet_model({16, 32, 3}, 2, 4);
  ASSERT_EQ(SummaryLines(*got), SummaryLines(want))
      << "unet_model: the layers differ from the reference's (see "
         "UnetModel.CourseSummary)";
  RandomState rng(5);
  const nn::Array<float> x = Uniform(rng, {2, 16, 32, 3});
  EXPECT_TRUE(SameOutputs("unet_model", ForwardOn(*got, x), ForwardOn(want, x),
                          kFloatModels,
                          "every 3x3 Conv2D has activation \"relu\" and "
                          "kernel_initializer HeNormal(); the last 1x1 Conv2D "
                          "neither"));
}

}  // namespace
