// bazel run //course3_cnn/classic_nets:train [-- --num_epochs=10
//     --learning_rate=0.002 --batch_size=32 --train_size=6000
//     --test_size=1000]
//
// The application: YOUR summaries of LeNet-5, AlexNet and VGG-16 (the
// lecture's tables: activation shapes, sizes, parameters), then YOUR
// LeNet-5 trained on generated 32x32 digits (digits.h: strokes with random
// size, slant, rotation, position, pen width and noise; 6000 to train, 1000
// to test, other seeds), with Adam and the softmax cross-entropy.
//
// Writes output/classic_nets/cost.svg, accuracy.svg and predictions.png
// (test digits with the predicted digit; red = wrong).
//
// It runs YOUR functions from exercise.cc; with --config=reference it runs
// the reference solution.

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/core/random.h"
#include "common/data/image.h"
#include "common/grading/not_implemented.h"
#include "common/nn/model.h"
#include "common/training/fit.h"
#include "common/viz/app.h"
#include "common/viz/image_grid.h"
#include "common/viz/plot.h"
#include "course3_cnn/classic_nets/classic_nets.h"
#include "course3_cnn/classic_nets/digits.h"
#include "course3_cnn/classic_nets/graded.h"  // see tools/unit.bzl
#include "tools/solution.h"

ABSL_FLAG(int, num_epochs, 10, "Epochs (passes over the training set), > 0");
ABSL_FLAG(double, learning_rate, 0.002, "Adam's learning rate (> 0)");
ABSL_FLAG(int, batch_size, 32, "Examples per mini-batch (> 0)");
ABSL_FLAG(int, train_size, 6000, "Generated training digits (10 .. 100000)");
ABSL_FLAG(int, test_size, 1000, "Generated test digits (10 .. 100000)");
ABSL_FLAG(int, seed, 0, "Seed of the initialization and the mini-batches");

namespace {

namespace nn = dl::nn;
using classic_nets::Network;
using classic_nets::Summary;

constexpr char kUnit[] = "course3_cnn/classic_nets";

}  // namespace

constexpr char kUsage[] =
    "Prints the classic networks' tables and trains LeNet-5 on generated "
    "digits.";

int main(int argc, char** argv) {
  if (!dl::StartProgram(argc, argv, kUsage)) return 2;
  const int num_epochs = dl::PositiveFlag(FLAGS_num_epochs);
  const double lr = dl::PositiveFlag(FLAGS_learning_rate);
  const int batch_size = dl::PositiveFlag(FLAGS_batch_size);
  const int train_size = dl::FlagInRange(FLAGS_train_size, 10, 100000);
  const int test_size = dl::FlagInRange(FLAGS_test_size, 10, 100000);
  const int seed = absl::GetFlag(FLAGS_seed);
  if (seed < 0) return dl::Fail("--seed must be >= 0");

  // 1. The tables of the three networks (your summarize, your networks).
  std::vector<Network> networks;
  std::vector<Summary> summaries;
  try {
    dl::clear_not_implemented();
    networks = {graded::lenet5(), graded::alexnet(), graded::vgg16()};
    if (dl::StubsCalled().empty()) {
      for (const Network& net : networks) {
        summaries.push_back(graded::summarize(net));
      }
    }
  } catch (const std::exception& e) {
    return dl::Fail(std::string("your functions failed: ") + e.what() +
                    "\n(bazel test //" + kUnit +
                    "/... points at the function)");
  }
  if (!dl::StubsCalled().empty()) {
    return dl::Fail(dl::NotImplementedMessage(kUnit));
  }
  const char* known[3] = {"61,706", "62,378,344", "138,357,544"};
  const int64_t known_total[3] = {61706, 62378344, 138357544};
  for (size_t k = 0; k < networks.size(); ++k) {
    std::printf("%s",
                classic_nets::summary_table(networks[k], summaries[k]).c_str());
    std::printf("  (the lecture's network has %s parameters: %s)\n\n", known[k],
                summaries[k].total_params == known_total[k]
                    ? "yours too"
                    : "yours differ, see bazel test");
  }

  // 2. LeNet-5 on generated digits.
  std::printf("Generating %d + %d digits (32x32)...\n", train_size, test_size);
  const classic_nets::Digits train = classic_nets::MakeDigits(train_size, 1);
  const classic_nets::Digits test = classic_nets::MakeDigits(test_size, 2);
  nn::Model<float> model;
  try {
    model = classic_nets::make_model(networks[0], static_cast<uint32_t>(seed));
  } catch (const std::exception& e) {
    return dl::Fail(std::string("your lenet5() does not make a model: ") +
                    e.what());
  }
  if (model.shape(model.inputs()[0]) != nn::Shape{32, 32, 1} ||
      model.shape(model.output()) != nn::Shape{10}) {
    return dl::Fail("your lenet5() takes " +
                    nn::KerasShapeString(model.shape(model.inputs()[0])) +
                    " to " + nn::KerasShapeString(model.shape(model.output())) +
                    "; the digits need (None, 32, 32, 1) to (None, 10)");
  }
  std::printf("%s", model.Summary().c_str());
  model.Compile(nn::Adam(lr), nn::Loss::kSoftmaxCrossEntropy);
  std::printf(
      "Training %s's LeNet-5: Adam (learning rate %g), mini-batches of %d, "
      "%d epochs\n",
      dl::SolutionFile(), lr, batch_size, num_epochs);

  absl::StatusOr<std::string> out = dl::OutputDir("classic_nets");
  if (!out.ok()) return dl::Fail(out.status());
  dl::RandomState rng(static_cast<uint32_t>(seed));
  nn::FitOptions<float> options;
  options.epochs = num_epochs;
  options.batch_size = batch_size;
  options.validation_X = &test.X;
  options.validation_labels = &test.labels;
  options.validation_batch_size = 100;
  const nn::History h = nn::Fit(model, train.X, train.labels, rng, options);
  std::printf("%s", nn::EpochTable(h).c_str());
  std::printf("Test accuracy: %s (%d digits)\n",
              nn::Percent(h.val_accuracy.back()).c_str(), test_size);

  // 3. Pictures.
  const std::string cost_path = *out + "/cost.svg";
  const std::string acc_path = *out + "/accuracy.svg";
  const std::string grid_path = *out + "/predictions.png";
  absl::Status s = nn::WriteCurves(h, "LeNet-5", *out + "/");
  if (!s.ok()) return dl::Fail(s);
  const std::vector<int> predicted = model.PredictClasses(test.X, 100);
  std::vector<dl::GridTile> tiles;
  // The first 40 test digits, then up to 20 mistakes.
  for (int i = 0; i < test_size && tiles.size() < 40; ++i) {
    const bool right = predicted[i] == test.labels[i];
    tiles.push_back(
        {classic_nets::DigitImage(test.X, i),
         std::to_string(predicted[i]) +
             (right ? "" : " (" + std::to_string(test.labels[i]) + ")"),
         right ? dl::kGridGreen : dl::kGridRed});
  }
  int wrong = 0;
  for (int i = 40; i < test_size && wrong < 20; ++i) {
    if (predicted[i] == test.labels[i]) continue;
    ++wrong;
    tiles.push_back({classic_nets::DigitImage(test.X, i),
                     std::to_string(predicted[i]) + " (" +
                         std::to_string(test.labels[i]) + ")",
                     dl::kGridRed});
  }
  s = dl::SavePng(grid_path, dl::MakeImageGrid(tiles, 10, 2));
  if (!s.ok()) return dl::Fail(s);
  std::printf("\nCost: %s\nAccuracy: %s\nPredictions: %s\n", cost_path.c_str(),
              acc_path.c_str(), grid_path.c_str());
  std::printf("Done in %.1f s.\n", dl::SecondsSinceStart());
  return 0;
}
