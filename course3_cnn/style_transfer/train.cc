// bazel run //course3_cnn/style_transfer:train [-- --num_steps=300]
//
// The course's notebook from start to end, with our small VGG instead of
// VGG19:
//   1. the network: trained on generated texture patches the first time
//      (about 10 s), then read from data/style_transfer/;
//   2. the content picture C (a museum with a glass pyramid) and the style
//      picture S (swirling brush strokes), 64 x 64;
//   3. a_C and a_S: their outputs at the content and style layers (your
//      get_layer_outputs);
//   4. G: C with noise (your generate_noise_image), then your train_step
//      again and again, printing the costs every 50 steps (J with the
//      total variation of TensorFlow's tutorial, --total_variation_weight:
//      0 is the course's cost);
//   5. pictures in output/style_transfer/: content.png, style.png,
//      generated.png (the last G), progress.png (C, S and G every 50
//      steps) and cost.svg.

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/statusor.h"
#include "common/core/random.h"
#include "common/data/image.h"
#include "common/grading/not_implemented.h"
#include "common/viz/app.h"
#include "common/viz/image_grid.h"
#include "common/viz/plot.h"
#include "course3_cnn/style_transfer/feature_net.h"
#include "course3_cnn/style_transfer/graded.h"  // see tools/unit.bzl
#include "course3_cnn/style_transfer/style_transfer.h"
#include "tools/solution.h"

ABSL_FLAG(int, num_steps, 300, "Steps of train_step (1..5000)");
ABSL_FLAG(double, learning_rate, 0.01, "Adam's learning rate on the pixels");
ABSL_FLAG(int, size, 64, "The pictures' size: 32, 48, ..., 256");
ABSL_FLAG(double, alpha, 10, "The weight of the content cost");
ABSL_FLAG(double, beta, 40, "The weight of the style cost");
ABSL_FLAG(double, total_variation_weight, 0.001,
          "The weight of the total variation in J (0: the course's cost)");
ABSL_FLAG(uint32_t, seed, 1, "Seed of the noise and of the style picture");

namespace {

namespace st = style_transfer;
using st::Tensor;
constexpr char kUnit[] = "course3_cnn/style_transfer";
constexpr int kEvery = 50;  // print and keep a picture every 50 steps

// The outputs of the named layers, computed here (not with your
// get_layer_outputs), so that every function can be tried below.
std::vector<Tensor<4>> Outputs(st::Model& vgg, const Tensor<4>& image,
                               const std::vector<std::string>& names) {
  st::nn::Array<float> x({1, image.dimension(1), image.dimension(2), 3});
  for (st::Index i = 0; i < image.size(); ++i) x[i] = image.data()[i];
  vgg.Forward(x);
  std::vector<Tensor<4>> outputs;
  for (const std::string& name : names) {
    const st::nn::Array<float>& a = vgg.value(vgg.GetNode(name));
    Tensor<4> t(a.shape()[0], a.shape()[1], a.shape()[2], a.shape()[3]);
    for (st::Index i = 0; i < t.size(); ++i) t.data()[i] = a[i];
    outputs.push_back(t);
  }
  return outputs;
}

// True when some of your functions are still stubs: each is called once,
// on a tiny network, before the feature network's training.
bool StubsOpen() {
  dl::clear_not_implemented();
  st::Model vgg = st::make_vgg(16, 1);
  const Tensor<4> C = st::content_picture(16);
  st::Targets targets;
  targets.style_layers = st::kStyleLayers;
  targets.content_layer = st::kContentLayer;
  const std::vector<std::string> names = st::layer_names(targets);
  const std::vector<Tensor<4>> out = Outputs(vgg, C, names);
  targets.a_S.assign(out.begin(), out.end() - 1);
  targets.a_C = out.back();
  dl::RandomState rng(1);
  Tensor<4> G = st::content_picture(16);
  graded::generate_noise_image(C, rng);
  graded::clip_0_1(C);
  graded::get_layer_outputs(vgg, C, names);
  graded::compute_cost(targets, out);
  graded::compute_cost_gradients(targets, out);
  std::vector<Tensor<4>> zeros = out;
  for (Tensor<4>& z : zeros) z.setZero();
  graded::image_gradient(vgg, C, names, zeros);
  st::ImageAdam adam;
  graded::train_step(vgg, targets, G, adam);
  return !dl::StubsCalled().empty();
}

}  // namespace

constexpr char kUsage[] =
    "Neural style transfer with a small VGG trained on generated pictures.";

int main(int argc, char** argv) {
  if (!dl::StartProgram(argc, argv, kUsage)) return 2;
  const int num_steps = dl::FlagInRange(FLAGS_num_steps, 1, 5000);
  const double learning_rate = dl::PositiveFlag(FLAGS_learning_rate);
  const int size = dl::FlagInRange(FLAGS_size, 32, 256);
  if (size % 16 != 0) return dl::Fail("--size must be a multiple of 16");
  const double alpha = dl::PositiveFlag(FLAGS_alpha);
  const double beta = dl::PositiveFlag(FLAGS_beta);
  const double tv_weight = absl::GetFlag(FLAGS_total_variation_weight);
  if (!(tv_weight >= 0 && tv_weight < 1e6)) {
    return dl::Fail("--total_variation_weight must be a number >= 0");
  }
  const uint32_t seed = absl::GetFlag(FLAGS_seed);
  absl::StatusOr<std::string> out = dl::OutputDir("style_transfer");
  if (!out.ok()) return dl::Fail(out.status());

  try {
    if (StubsOpen()) return dl::Fail(dl::NotImplementedMessage(kUnit));
  } catch (const std::exception& e) {
    return dl::Fail(std::string("your functions failed: ") + e.what() +
                    "\n(bazel test //" + kUnit +
                    "/... points at the function)");
  }

  // ---------------------------------------------------- 1. the network
  absl::StatusOr<st::Model> loaded = st::pretrained_vgg(size);
  if (!loaded.ok()) return dl::Fail(loaded.status());
  st::Model& vgg = *loaded;

  // ------------------------------------------ 2. and 3. the two pictures
  const Tensor<4> C = st::content_picture(size);
  const Tensor<4> S = st::style_picture(size, seed);
  st::Targets targets;
  targets.style_layers = st::kStyleLayers;
  targets.content_layer = st::kContentLayer;
  targets.alpha = alpha;
  targets.beta = beta;
  targets.total_variation_weight = tv_weight;
  const std::vector<std::string> names = st::layer_names(targets);
  std::vector<Tensor<4>> a_S, a_C;
  std::vector<double> costs;
  std::vector<dl::GridTile> tiles = {{st::ToImage(C), "content", {}},
                                     {st::ToImage(S), "style", {}}};
  Tensor<4> G;
  try {
    dl::clear_not_implemented();
    a_S = graded::get_layer_outputs(vgg, S, names);
    a_C = graded::get_layer_outputs(vgg, C, names);
    targets.a_S.assign(a_S.begin(), a_S.end() - 1);
    targets.a_C = a_C.back();
    std::printf(
        "The content picture's output at %s and the style picture's at "
        "%zu layers (%s's get_layer_outputs):\n",
        st::kContentLayer, targets.a_S.size(), dl::SolutionFile());
    for (size_t l = 0; l < names.size(); ++l) {
      const Tensor<4>& a = l + 1 < names.size() ? targets.a_S[l] : targets.a_C;
      std::printf("  %-13s (1, %ld, %ld, %ld)%s\n", names[l].c_str(),
                  long(a.dimension(1)), long(a.dimension(2)),
                  long(a.dimension(3)),
                  l + 1 < names.size() ? "  style, weight 0.2" : "  content");
    }

    // --------------------------------------------- 4. the generated picture
    dl::RandomState rng(seed);
    G = graded::generate_noise_image(C, rng);
    st::ImageAdam optimizer(learning_rate);
    std::printf(
        "\nAdam on the pixels (learning rate %g), J = %g J_content + %g "
        "J_style + %g TV:\n",
        learning_rate, alpha, beta, tv_weight);
    for (int step = 0; step <= num_steps; ++step) {
      if (step % kEvery == 0 || step == num_steps) {
        const st::Costs c = graded::compute_cost(
            targets, graded::get_layer_outputs(vgg, G, names));
        const double tv = st::total_variation(G);
        std::printf(
            "  step %4d: J = %8.4f   J_content = %6.4f   J_style = %6.4f   "
            "TV = %6.1f\n",
            step, c.J + tv_weight * tv, c.J_content, c.J_style, tv);
        if (step > 0) {
          tiles.push_back({st::ToImage(G), "step " + std::to_string(step), {}});
        }
      }
      if (step == num_steps) break;
      costs.push_back(graded::train_step(vgg, targets, G, optimizer));
    }
  } catch (const std::exception& e) {
    return dl::Fail(std::string("your functions failed: ") + e.what() +
                    "\n(bazel test //" + kUnit +
                    "/... points at the function)");
  }
  const std::string warning = dl::NonFiniteCostWarning(costs, 1, "step");
  if (!warning.empty()) std::fprintf(stderr, "warning: %s\n", warning.c_str());

  // --------------------------------------------------------- 5. pictures
  std::printf("\n");
  dl::ReportWritten(dl::SavePng(*out + "/content.png", st::ToImage(C)),
                    *out + "/content.png");
  dl::ReportWritten(dl::SavePng(*out + "/style.png", st::ToImage(S)),
                    *out + "/style.png");
  dl::ReportWritten(dl::SavePng(*out + "/generated.png", st::ToImage(G)),
                    *out + "/generated.png");
  dl::ReportWritten(
      dl::SavePng(*out + "/progress.png", dl::MakeImageGrid(tiles, 4, 3)),
      *out + "/progress.png");
  dl::ReportWritten(
      dl::WriteCostPlotSvg(*out + "/cost.svg",
                           "Neural style transfer: J at each step", costs, 1),
      *out + "/cost.svg");
  return 0;
}
