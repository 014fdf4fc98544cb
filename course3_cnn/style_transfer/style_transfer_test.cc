// Grades course3_cnn/style_transfer: each step of the course's train_step
// against the reference on a small network with seeded weights and the
// generated pictures, the gradients by finite differences, and the
// course's rules where they are literal (noise within 0.25, values in
// [0, 1], J = alpha J_content + beta J_style).

#include "course3_cnn/style_transfer/style_transfer.h"

#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "common/grading/grading.h"
#include "course3_cnn/style_transfer/feature_net.h"
#include "course3_cnn/style_transfer/graded.h"  // see tools/unit.bzl
#include "gtest/gtest.h"

namespace reference = style_transfer::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
using dl::RandomState;
using style_transfer::Model;
using style_transfer::Targets;
using style_transfer::Tensor;

// A network for 16 x 16 pictures with seeded weights (no training needed),
// the two pictures, and the targets computed by the reference.
struct Fixture {
  Model vgg = style_transfer::make_vgg(16, 3);
  Tensor<4> C = style_transfer::content_picture(16);
  Tensor<4> S = style_transfer::style_picture(16, 2);
  Targets targets{
      style_transfer::kStyleLayers, style_transfer::kContentLayer, {}, {}};
  std::vector<std::string> names;
  Fixture() {
    names = style_transfer::layer_names(targets);
    const std::vector<Tensor<4>> a_S =
        reference::get_layer_outputs(vgg, S, names);
    targets.a_S.assign(a_S.begin(), a_S.end() - 1);
    targets.a_C = reference::get_layer_outputs(vgg, C, names).back();
  }
  // A picture near C, as the course's first generated image.
  Tensor<4> Generated(uint32_t seed) {
    RandomState rng(seed);
    return reference::generate_noise_image(C, rng);
  }
};

double MaxAbs(const Tensor<4>& t) {
  Tensor<0> m = t.abs().maximum();
  return m();
}

// ===================================================== generate_noise_image
TEST(GenerateNoiseImage, MatchesReferenceWithinTheCoursesNoise) {
  Fixture s;
  for (uint32_t seed : {1u, 7u}) {
    RandomState rng(seed), rng_ref(seed);
    auto got = Call("generate_noise_image",
                    [&] { return graded::generate_noise_image(s.C, rng); });
    if (!got) return;
    ASSERT_TRUE(HasShape("generate_noise_image", "G", *got,
                         std::array<Eigen::Index, 4>{1, 16, 16, 3},
                         "the content picture's shape"));
    const Tensor<4> diff = *got - s.C;
    EXPECT_LE(MaxAbs(diff), 0.25 + 1e-12)
        << "generate_noise_image: the noise is uniform in [-0.25, 0.25]";
    Tensor<0> low = got->minimum(), high = got->maximum();
    EXPECT_TRUE(low() >= 0 && high() <= 1)
        << "generate_noise_image: clip the result to [0, 1] (clip_0_1)";
    EXPECT_TRUE(Near("generate_noise_image", "G", *got,
                     reference::generate_noise_image(s.C, rng_ref), kReference,
                     "one rng.uniform(-0.25, 0.25) per entry, in row-major "
                     "order (G.data()[i]), then clip_0_1"));
  }
}

// ================================================================ clip_0_1
TEST(Clip01, FixedValues) {
  Tensor<4> x(1, 1, 2, 3);
  x.setValues({{{{-0.5, 0.0, 0.3}, {1.0, 1.7, 0.999}}}});
  Tensor<4> want(1, 1, 2, 3);
  want.setValues({{{{0.0, 0.0, 0.3}, {1.0, 1.0, 0.999}}}});
  auto got = Call("clip_0_1", [&] { return graded::clip_0_1(x); });
  if (!got) return;
  EXPECT_TRUE(Near("clip_0_1", "the clipped picture", *got, want, kReference,
                   "below 0 -> 0, above 1 -> 1, the rest unchanged"));
}

// ======================================================= get_layer_outputs
TEST(GetLayerOutputs, MatchesReferenceInTheOrderOfTheNames) {
  Fixture s;
  const Tensor<4> G = s.Generated(3);
  // The course's list, then another order and a single layer.
  const std::vector<std::vector<std::string>> lists = {
      s.names, {"block3_conv1", "block1_conv2"}, {"block5_conv2"}};
  for (const auto& names : lists) {
    auto got = Call("get_layer_outputs",
                    [&] { return graded::get_layer_outputs(s.vgg, G, names); });
    if (!got) return;
    const auto want = reference::get_layer_outputs(s.vgg, G, names);
    ASSERT_EQ(got->size(), want.size())
        << "get_layer_outputs: one output per name, in the names' order";
    for (size_t l = 0; l < want.size(); ++l) {
      EXPECT_TRUE(Near("get_layer_outputs", "the output of " + names[l],
                       (*got)[l], want[l], {1e-6, 1e-6},
                       "vgg.Forward(x) on the picture as a batch of one, "
                       "then vgg.value(vgg.GetNode(name))"));
    }
  }
}

// ============================================================ compute_cost
TEST(ComputeCost, MatchesReferenceAndTheCoursesTotal) {
  Fixture s;
  for (uint32_t seed : {3u, 4u}) {
    const auto a_G =
        reference::get_layer_outputs(s.vgg, s.Generated(seed), s.names);
    auto got = Call("compute_cost",
                    [&] { return graded::compute_cost(s.targets, a_G); });
    if (!got) return;
    const style_transfer::Costs want = reference::compute_cost(s.targets, a_G);
    EXPECT_TRUE(Near("compute_cost", "J_content", got->J_content,
                     want.J_content, kReference,
                     "compute_content_cost(a_C, a_G.back()): the content "
                     "layer is the LAST output"));
    EXPECT_TRUE(Near("compute_cost", "J_style", got->J_style, want.J_style,
                     kReference,
                     "compute_style_cost(a_S, a_G without its last entry, "
                     "STYLE_LAYERS)"));
    EXPECT_TRUE(Near("compute_cost", "J", got->J,
                     10 * got->J_content + 40 * got->J_style, kReference,
                     "J = total_cost(J_content, J_style, alpha = 10, "
                     "beta = 40)"));
  }
  // The content picture itself: no content cost.
  const auto a_C = reference::get_layer_outputs(s.vgg, s.C, s.names);
  auto got = Call("compute_cost",
                  [&] { return graded::compute_cost(s.targets, a_C); });
  if (!got) return;
  EXPECT_TRUE(Near("compute_cost", "J_content of the content picture",
                   got->J_content, 0.0, kReference));
}

// ================================================= compute_cost_gradients
TEST(ComputeCostGradients, MatchFiniteDifferences) {
  // Small activations of three layers (two style layers, then the content
  // layer), so that every entry can be checked.
  RandomState rng(9);
  Targets targets{{{"s1", 0.3}, {"s2", 0.7}}, "c", {}, {}};
  const std::vector<std::array<Eigen::Index, 4>> shapes = {
      {1, 4, 4, 3}, {1, 2, 3, 5}, {1, 2, 2, 4}};
  std::vector<Tensor<4>> a_G;
  for (size_t l = 0; l < shapes.size(); ++l) {
    if (l + 1 < shapes.size()) {
      targets.a_S.push_back(rng.rand_tensor<4>(shapes[l]));
    } else {
      targets.a_C = rng.rand_tensor<4>(shapes[l]);
    }
    a_G.push_back(rng.rand_tensor<4>(shapes[l]));
  }
  const std::vector<std::string> names = {"s1", "s2", "c"};
  auto got = Call("compute_cost_gradients",
                  [&] { return graded::compute_cost_gradients(targets, a_G); });
  if (!got) return;
  ASSERT_EQ(got->size(), a_G.size())
      << "compute_cost_gradients: one gradient per output of a_G (the style "
         "layers, then the content layer)";
  const auto want = reference::compute_cost_gradients(targets, a_G);
  std::vector<BlockCheck> checks;
  for (size_t l = 0; l < a_G.size(); ++l) {
    const std::string what =
        "dJ/da_G[" + std::to_string(l) + "] (" + names[l] + ")";
    EXPECT_TRUE(Near(
        "compute_cost_gradients", what, (*got)[l], want[l], kReference,
        l + 1 < a_G.size() ? "beta * STYLE_LAYERS[l].weight * "
                             "compute_layer_style_cost_backward(a_S[l], a_G[l])"
                           : "alpha * compute_content_cost_backward(a_C, "
                             "a_G.back())"));
    const auto J = [&] { return reference::compute_cost(targets, a_G).J; };
    checks.push_back(CheckTensorGradient(J, what, a_G[l], (*got)[l], 1e-5));
  }
  EXPECT_TRUE(GradientsMatch("compute_cost_gradients", checks));
}

// ========================================================== image_gradient
TEST(ImageGradient, MatchesReferenceAndFiniteDifferences) {
  Fixture s;
  Tensor<4> G = s.Generated(6);
  const auto a_G = reference::get_layer_outputs(s.vgg, G, s.names);
  const auto da_G = reference::compute_cost_gradients(s.targets, a_G);
  auto got = Call("image_gradient", [&] {
    return graded::image_gradient(s.vgg, G, s.names, da_G);
  });
  if (!got) return;
  ASSERT_TRUE(HasShape("image_gradient", "dJ/dG", *got,
                       std::array<Eigen::Index, 4>{1, 16, 16, 3},
                       "the picture's shape: vgg.InputGradient()"));
  EXPECT_TRUE(Near("image_gradient", "dJ/dG", *got,
                   reference::image_gradient(s.vgg, G, s.names, da_G),
                   {1e-5, 1e-6},
                   "vgg.Backward with the gradient of EVERY named layer "
                   "at once, input_gradients = true"));
  // The whole chain, in float: differences with a larger step.
  const auto J = [&] {
    return reference::compute_cost(
               s.targets, reference::get_layer_outputs(s.vgg, G, s.names))
        .J;
  };
  EXPECT_TRUE(GradientsMatch("image_gradient",
                             {CheckTensorGradient(J, "dJ/dG", G, *got, 1e-3)},
                             2e-2));
}

// ============================================================== train_step
TEST(TrainStep, MatchesReferenceAndLowersTheCost) {
  Fixture s;
  Tensor<4> G = s.Generated(8), G_ref = G;
  style_transfer::ImageAdam adam(0.01), adam_ref(0.01);
  std::vector<double> costs;
  for (int step = 0; step < 3; ++step) {
    auto got = Call("train_step", [&] {
      return graded::train_step(s.vgg, s.targets, G, adam);
    });
    if (!got) return;
    const double want =
        reference::train_step(s.vgg, s.targets, G_ref, adam_ref);
    EXPECT_TRUE(Near("train_step", "J (step " + std::to_string(step) + ")",
                     *got, want, {1e-6, 1e-9},
                     "J of the picture BEFORE the step"));
    if (!Reported(Near("train_step",
                       "the picture after step " + std::to_string(step), G,
                       G_ref, {1e-6, 1e-6},
                       "optimizer.apply_gradients(grad, generated_image), "
                       "then generated_image = clip_0_1(generated_image)"))) {
      return;
    }
    costs.push_back(*got);
  }
  EXPECT_EQ(adam.iterations(), 3)
      << "train_step: one optimizer.apply_gradients per step";
  for (int step = 3; step < 20; ++step) {
    auto got = Call("train_step", [&] {
      return graded::train_step(s.vgg, s.targets, G, adam);
    });
    if (!got) return;
    costs.push_back(*got);
  }
  EXPECT_LT(costs.back(), costs.front())
      << "train_step: 20 steps of Adam should lower J";
  Tensor<0> low = G.minimum(), high = G.maximum();
  EXPECT_TRUE(low() >= 0 && high() <= 1)
      << "train_step: the picture stays in [0, 1] (clip_0_1)";
}

// The same with the total variation of TensorFlow's tutorial in J.
TEST(TrainStep, AddsTheTotalVariation) {
  Fixture s;
  s.targets.total_variation_weight = 0.01;
  Tensor<4> G = s.Generated(9), G_ref = G;
  style_transfer::ImageAdam adam(0.01), adam_ref(0.01);
  for (int step = 0; step < 2; ++step) {
    auto got = Call("train_step", [&] {
      return graded::train_step(s.vgg, s.targets, G, adam);
    });
    if (!got) return;
    const double want =
        reference::train_step(s.vgg, s.targets, G_ref, adam_ref);
    const std::string hint =
        "with w = targets.total_variation_weight: J += w * "
        "total_variation(G) and grad += w * total_variation_backward(G), "
        "both before the optimizer's step";
    EXPECT_TRUE(Near("train_step", "J with the total variation", *got, want,
                     {1e-6, 1e-9}, hint));
    if (!Reported(Near("train_step",
                       "the picture after step " + std::to_string(step), G,
                       G_ref, {1e-6, 1e-6}, hint))) {
      return;
    }
  }
}

}  // namespace
