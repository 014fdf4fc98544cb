// bazel run //course3_cnn/unet:train
//
// The course's notebook from start to end, on generated street scenes
// instead of the CARLA pictures:
//   1. 400 training and 100 test scenes of 48 x 64 pixels with their masks
//      (6 classes: sky, road, building, car, person, sign; unet_utils.h);
//   2. your unet_model, smaller than the course's (48 x 64 pictures, 8
//      filters at the top instead of 32: the course trains on a GPU),
//      trained with Adam on the per-pixel softmax cross-entropy (the
//      course's SparseCategoricalCrossentropy(from_logits=True));
//   3. the test scenes: pixel accuracy and the IoU of each class, and the
//      course's display of picture, true mask and predicted mask.
// Writes output/unet/: predictions.png and loss.svg.

#include <algorithm>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/core/memory.h"
#include "common/core/random.h"
#include "common/data/image.h"
#include "common/grading/not_implemented.h"
#include "common/viz/app.h"
#include "common/viz/plot.h"
#include "course3_cnn/unet/graded.h"  // see tools/unit.bzl
#include "course3_cnn/unet/unet.h"
#include "course3_cnn/unet/unet_utils.h"
#include "tools/solution.h"

ABSL_FLAG(int, train_size, 400, "Training scenes");
ABSL_FLAG(int, test_size, 100, "Test scenes");
ABSL_FLAG(int, num_epochs, 20, "Epochs");
ABSL_FLAG(int, batch_size, 16, "Scenes per mini-batch");
ABSL_FLAG(double, learning_rate, 0.002, "Adam's learning rate");
ABSL_FLAG(int, n_filters, 8, "unet_model's n_filters (the course's 32)");
ABSL_FLAG(int, seed, 0, "Seed of the weights and the mini-batches");

namespace {

namespace nn = dl::nn;
constexpr char kUnit[] = "course3_cnn/unet";
constexpr int kHeight = 48, kWidth = 64;

}  // namespace

constexpr char kUsage[] =
    "Trains the course's U-Net on generated street scenes and shows its masks.";

int main(int argc, char** argv) {
  dl::use_huge_pages(argv);  // 4 % faster (memory.h)
  if (!dl::StartProgram(argc, argv, kUsage)) return 2;
  const int train_size = dl::FlagInRange(FLAGS_train_size, 1, 20000);
  const int test_size = dl::FlagInRange(FLAGS_test_size, 1, 20000);
  const int num_epochs = dl::PositiveFlag(FLAGS_num_epochs);
  const int batch_size = dl::PositiveFlag(FLAGS_batch_size);
  const double lr = dl::PositiveFlag(FLAGS_learning_rate);
  const int n_filters = dl::FlagInRange(FLAGS_n_filters, 1, 64);
  const int seed = absl::GetFlag(FLAGS_seed);
  if (seed < 0) return dl::Fail("--seed must be >= 0");
  absl::StatusOr<std::string> out = dl::OutputDir("unet");
  if (!out.ok()) return dl::Fail(out.status());

  // ------------------------------------------------------- 1. the scenes
  dl::RandomState train_rng(1), test_rng(2);
  const unet::Scenes train =
      unet::generate_scenes(train_size, kHeight, kWidth, train_rng);
  const unet::Scenes test =
      unet::generate_scenes(test_size, kHeight, kWidth, test_rng);
  std::vector<double> share(unet::kNumClasses, 0);
  for (int c : train.masks) share[c] += 1.0 / train.masks.size();
  std::printf(
      "%d training and %d test scenes of %d x %d; the classes' "
      "shares of the training pixels:\n ",
      train_size, test_size, kHeight, kWidth);
  for (int c = 0; c < unet::kNumClasses; ++c) {
    std::printf(" %s %.1f %%", unet::class_name(c).c_str(), 100 * share[c]);
  }
  std::printf("\n\n");

  // ------------------------------------------------------ 2. the model
  unet::Model model;
  try {
    dl::clear_not_implemented();
    model =
        graded::unet_model({kHeight, kWidth, 3}, n_filters, unet::kNumClasses);
    if (!dl::StubsCalled().empty()) {
      return dl::Fail(dl::NotImplementedMessage(kUnit));
    }
  } catch (const std::exception& e) {
    return dl::Fail(std::string("your unet_model failed: ") + e.what() +
                    "\n(bazel test //" + kUnit +
                    "/... points at the function)");
  }
  if (model.num_layers() == 0 ||
      model.shape(model.output()) !=
          nn::Shape{kHeight, kWidth, unet::kNumClasses}) {
    return dl::Fail(
        "your unet_model does not output (None, 48, 64, 6); "
        "bazel test //" +
        std::string(kUnit) + "/... says why");
  }
  int64_t params = 0;
  for (int k = 0; k < model.num_layers(); ++k) {
    params += model.layer(k).CountParameters(true) +
              model.layer(k).CountParameters(false);
  }
  std::printf("%s's U-Net: %d layers, %lld parameters (n_filters %d)\n",
              dl::SolutionFile(), model.num_layers(),
              static_cast<long long>(params), n_filters);
  model.Compile(nn::Adam(lr), nn::Loss::kSoftmaxCrossEntropy);
  std::printf("Adam (learning rate %g), %d epochs in mini-batches of %d\n", lr,
              num_epochs, batch_size);

  dl::RandomState rng(static_cast<uint32_t>(seed));
  const nn::Index pixels = nn::Index(kHeight) * kWidth;
  nn::Array<float> batch;
  std::vector<int> labels;
  std::vector<double> losses;
  for (int epoch = 0; epoch < num_epochs; ++epoch) {
    const std::vector<int64_t> order = rng.permutation(train_size);
    double loss_sum = 0;
    for (int begin = 0; begin < train_size; begin += batch_size) {
      const int end = std::min(train_size, begin + batch_size);
      batch.Resize({end - begin, kHeight, kWidth, 3});
      labels.clear();
      for (int k = begin; k < end; ++k) {
        std::copy(train.X.data() + order[k] * pixels * 3,
                  train.X.data() + (order[k] + 1) * pixels * 3,
                  batch.data() + (k - begin) * pixels * 3);
        labels.insert(labels.end(), train.masks.begin() + order[k] * pixels,
                      train.masks.begin() + (order[k] + 1) * pixels);
      }
      loss_sum += model.TrainStep(batch, labels) * (end - begin);
    }
    losses.push_back(loss_sum / train_size);
    if (epoch == 0 || (epoch + 1) % 5 == 0 || epoch + 1 == num_epochs) {
      const unet::SegmentationScores s =
          unet::score(unet::create_mask(model.Predict(test.X, 25)), test.masks);
      std::printf(
          "  epoch %3d  loss %.4f  test pixel accuracy %.1f %%  "
          "mean IoU %.3f\n",
          epoch + 1, losses.back(), 100 * s.pixel_accuracy, s.mean_iou);
    }
  }

  // ------------------------------------------------- 3. the test scenes
  const std::vector<int> predicted =
      unet::create_mask(model.Predict(test.X, 25));
  const unet::SegmentationScores s = unet::score(predicted, test.masks);
  std::printf("\nTest scenes: pixel accuracy %.1f %%, mean IoU %.3f\n",
              100 * s.pixel_accuracy, s.mean_iou);
  for (int c = 0; c < unet::kNumClasses; ++c) {
    std::printf("  %-9s IoU %.3f\n", unet::class_name(c).c_str(), s.iou[c]);
  }
  std::printf("\n");
  dl::ReportWritten(
      dl::SavePng(*out + "/predictions.png", unet::display(test, predicted, 6)),
      *out + "/predictions.png");
  dl::ReportWritten(
      dl::WriteCostPlotSvg(*out + "/loss.svg", "U-Net: mean loss per epoch",
                           losses, 1),
      *out + "/loss.svg");
  return 0;
}
