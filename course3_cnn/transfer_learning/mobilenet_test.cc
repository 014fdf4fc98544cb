// Tests of the given code of course3_cnn/transfer_learning: the small
// MobileNetV2 (given.cc) and its helpers, and the generated pictures
// (mobilenet.cc).

#include "course3_cnn/transfer_learning/mobilenet.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/nn/layers.h"
#include "course3_cnn/transfer_learning/transfer_learning.h"
#include "gtest/gtest.h"

namespace transfer_learning {
namespace {

TEST(MobileNetV2, LayersAndParameters) {
  Model base = mobilenet_v2({32, 32, 3}, false, 0, 1);
  EXPECT_EQ(base.num_layers(), 45);
  EXPECT_EQ(base.CountParameters(), 15040);
  EXPECT_EQ(base.CountNonTrainableParameters(), 1472);  // moving statistics
  EXPECT_EQ(base.shape(base.output()), (nn::Shape{4, 4, 64}));
  EXPECT_EQ(base.layer(0).name(), "Conv1");
  EXPECT_EQ(base.layer(3).name(), "expanded_conv_depthwise");
  EXPECT_EQ(base.layer(25).name(), "block_3_expand");  // --fine_tune_at=25
  EXPECT_EQ(base.layer(44).name(), "out_relu");
  EXPECT_NE(base.GetLayer("block_2_add"), nullptr);
  EXPECT_NE(base.GetLayer("block_4_add"), nullptr);
  EXPECT_EQ(base.GetLayer("block_3_add"), nullptr);  // stride 2: no shortcut
  Model top = mobilenet_v2({32, 32, 3}, true, 10, 1);
  EXPECT_EQ(top.num_layers(), 47);
  EXPECT_EQ(top.shape(top.output()), (nn::Shape{10}));
}

TEST(AddBaseModel, CopiesTheWeightsAndRunsInInference) {
  Model base = mobilenet_v2({16, 16, 3}, false, 0, 1);
  Model model("m", 5);  // other initial weights
  nn::Node x = model.Input({16, 16, 3});
  x = add_base_model(model, x, base);
  ASSERT_EQ(model.num_layers(), base.num_layers());
  dl::RandomState rng(3);
  nn::Array<float> pictures({2, 16, 16, 3});
  for (nn::Index k = 0; k < pictures.size(); ++k) {
    pictures[k] = static_cast<float>(rng.standard_normal());
  }
  for (int k = 0; k < model.num_layers(); ++k) {
    EXPECT_TRUE(model.layer(k).inference_only()) << model.layer(k).name();
  }
  // In a training pass, the same as the base in inference.
  const nn::Array<float> got = model.Forward(pictures, true);
  const nn::Array<float> want = base.Forward(pictures, false);
  EXPECT_TRUE(got.vec() == want.vec());
  // A base that is not a mobilenet_v2 is refused.
  Model not_a_base("n", 0);
  not_a_base.Input({16, 16, 3});
  not_a_base.Add(nn::Conv2D(2, 3));
  Model other("other", 0);
  const nn::Node in = other.Input({16, 16, 3});
  EXPECT_THROW(add_base_model(other, in, not_a_base), std::invalid_argument);
}

TEST(SetTrainable, NeverTheMovingStatistics) {
  Model base = mobilenet_v2({16, 16, 3}, false, 0, 1);
  nn::Layer<float>& bn = *base.GetLayer("bn_Conv1");
  set_trainable(bn, false);
  for (const auto& p : bn.parameters()) EXPECT_FALSE(p.trainable) << p.name;
  set_trainable(bn, true);
  EXPECT_TRUE(bn.parameter("gamma")->trainable);
  EXPECT_TRUE(bn.parameter("beta")->trainable);
  EXPECT_FALSE(bn.parameter("moving_mean")->trainable);
  EXPECT_FALSE(bn.parameter("moving_variance")->trainable);
}

TEST(Layers, AugmentationOnlyInTrainingAndPreprocessing) {
  Model model("m", 0);
  nn::Node x = model.Input({4, 4, 3});
  const Augmenter plus_one = [](const nn::Array<float>& p, dl::RandomState&) {
    nn::Array<float> out = p;
    out.vec().array() += 1.0f;
    return out;
  };
  x = model.AddLayer(augmentation_layer(plus_one, 1), {x});
  model.AddLayer(preprocess_input(), {x});
  EXPECT_EQ(model.layer(0).type(), "Sequential");
  EXPECT_EQ(model.layer(1).type(), "Rescaling");
  nn::Array<float> pictures({1, 4, 4, 3}, 127.5f);
  EXPECT_FLOAT_EQ(model.Forward(pictures, false)[0], 0.0f);
  EXPECT_FLOAT_EQ(model.Forward(pictures, true)[0], 1.0f / 127.5f);
}

TEST(CopyWeights, ByLayerName) {
  Model a = mobilenet_v2({16, 16, 3}, true, 4, 1);
  Model b = mobilenet_v2({16, 16, 3}, false, 0, 2);
  EXPECT_EQ(copy_weights(a, b), 45);
  EXPECT_TRUE(b.GetLayer("Conv1")->parameter("kernel")->value.vec() ==
              a.GetLayer("Conv1")->parameter("kernel")->value.vec());
  Model c = mobilenet_v2({16, 16, 3}, true, 5, 1);  // predictions: 5 classes
  EXPECT_THROW(copy_weights(a, c), std::invalid_argument);
}

TEST(GeneratedPictures, ShapesAndAlpacas) {
  const Pictures shapes = generate_shapes(40, 1);
  ASSERT_EQ(shapes.X.shape(), (nn::Shape{40, 32, 32, 3}));
  ASSERT_EQ(shapes.class_names.size(), 10u);
  for (int i = 0; i < 40; ++i) EXPECT_EQ(shapes.labels[i], i % 10);
  EXPECT_GE(shapes.X.vec().minCoeff(), 0.0f);
  EXPECT_LE(shapes.X.vec().maxCoeff(), 255.0f);
  EXPECT_TRUE(generate_shapes(40, 1).X.vec() == shapes.X.vec());
  EXPECT_FALSE(generate_shapes(40, 2).X.vec() == shapes.X.vec());

  const Pictures alpacas = generate_alpacas(20, 3);
  ASSERT_EQ(alpacas.X.shape(), (nn::Shape{20, 32, 32, 3}));
  EXPECT_EQ(alpacas.class_names,
            (std::vector<std::string>{"not alpaca", "alpaca"}));
  EXPECT_EQ(std::count(alpacas.labels.begin(), alpacas.labels.end(), 1), 10);
  EXPECT_EQ(alpacas.labels[0], 1);
  EXPECT_TRUE(generate_alpacas(20, 3).X.vec() == alpacas.X.vec());
  // Every picture is a picture (not a flat colour).
  const nn::Index n = 32 * 32 * 3;
  for (int i = 0; i < 20; ++i) {
    const auto p = alpacas.X.vec().segment(i * n, n);
    EXPECT_GT(p.maxCoeff() - p.minCoeff(), 50.0f) << i;
  }
}

}  // namespace
}  // namespace transfer_learning
