// bazel run //course1_nn/logistic_regression:train [-- --data_dir=DIR ...]
//
// The course's application: logistic regression on 64x64 RGB pictures,
// cat (y = 1) against non-cat (y = 0), 2000 iterations at learning rate
// 0.005. By default it trains on the project's generated stand-in for the
// course's set (209 train / 50 test pictures), written as PNG files to
// data/catvnoncat/ on first use. --data_dir=DIR trains on your own pictures:
// DIR/train/<class>/*.png|jpg and DIR/test/<class>/*.png|jpg, two classes.
//
// It runs YOUR functions from exercise.cc; with --config=reference it runs
// the reference solution.

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/data/image.h"
#include "common/data/synthetic_images.h"
#include "common/grading/not_implemented.h"
#include "common/viz/app.h"
#include "common/viz/plot.h"
#include "course1_nn/logistic_regression/graded.h"  // see tools/unit.bzl
#include "course1_nn/logistic_regression/logistic_regression.h"
#include "tools/solution.h"

ABSL_FLAG(std::string, data_dir, "",
          "Folder with train/<class>/ and test/<class>/ images (default: the "
          "generated set in data/catvnoncat, written on first use)");
ABSL_FLAG(std::string, positive_class, "cat",
          "The class folder whose pictures get label y = 1");
ABSL_FLAG(int, num_iterations, 2000, "Gradient-descent iterations (> 0)");
ABSL_FLAG(double, learning_rate, 0.005, "Learning rate (> 0)");
ABSL_FLAG(int, image_size, 64,
          "Pictures are resized to image_size x image_size (1..512)");

namespace {

using dl::Matrix;

}  // namespace

constexpr char kUsage[] =
    "Trains the course's logistic-regression cat classifier.";

int main(int argc, char** argv) {
  if (!dl::StartProgram(argc, argv, kUsage)) return 2;
  const int iterations = dl::PositiveFlag(FLAGS_num_iterations);
  const double learning_rate = dl::PositiveFlag(FLAGS_learning_rate);
  const int size = dl::FlagInRange(FLAGS_image_size, 1, 512);

  const std::string positive = absl::GetFlag(FLAGS_positive_class);
  absl::StatusOr<dl::BinaryImageSplits> data =
      dl::ReadBinaryImageSplits(absl::GetFlag(FLAGS_data_dir), positive, size);
  if (!data.ok()) return dl::Fail(data.status());
  const std::string& data_dir = data->dir;
  const dl::BinaryImageSplit& train = data->train;
  const dl::BinaryImageSplit& test = data->test;
  std::printf("Data: %s\n  train X %s, test X %s (n_x, m)\n", data_dir.c_str(),
              dl::shape_string(train.X).c_str(),
              dl::shape_string(test.X).c_str());
  std::printf("Training with %s: %d iterations, learning rate %g\n",
              dl::SolutionFile(), iterations, learning_rate);

  dl::clear_not_implemented();
  const logistic_regression::ModelResult result =
      graded::model(train.X, train.Y, test.X, test.Y, iterations, learning_rate,
                    /*print_cost=*/true);
  if (!dl::StubsCalled().empty()) {
    return dl::Fail(
        dl::NotImplementedMessage("course1_nn/logistic_regression"));
  }
  if (const std::string w = dl::NonFiniteCostWarning(result.costs, 100);
      !w.empty()) {
    std::printf("warning: %s\n", w.c_str());
  }
  if (result.Y_prediction_train.cols() != train.Y.cols() ||
      result.Y_prediction_test.cols() != test.Y.cols()) {
    return dl::Fail("model returned predictions of shape " +
                    dl::shape_string(result.Y_prediction_train) + " / " +
                    dl::shape_string(result.Y_prediction_test) +
                    ", expected (1, m_train) / (1, m_test)");
  }
  absl::StatusOr<std::string> out = dl::OutputDir("logistic_regression");
  if (!out.ok()) return dl::Fail(out.status());
  const std::string plot = *out + "/cost.svg";
  absl::Status written = dl::WriteCostPlotSvg(
      plot, "Logistic regression, learning rate " + absl::StrCat(learning_rate),
      result.costs, 100);
  if (!written.ok()) return dl::Fail(written);
  std::printf("Cost curve: %s\n", plot.c_str());
  std::printf("Result (%s): train accuracy %.2f %%, test accuracy %.2f %%\n",
              dl::SolutionFile(),
              logistic_regression::accuracy(result.Y_prediction_train, train.Y),
              logistic_regression::accuracy(result.Y_prediction_test, test.Y));
  return 0;
}
