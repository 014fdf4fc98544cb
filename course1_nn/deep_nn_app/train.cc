// bazel run //course1_nn/deep_nn_app:train [-- --image=my_cat.jpg]
//
// The course's application (C1W4 A2): a 2-layer network (12288, 7, 1) and
// an L-layer network (12288, 20, 7, 5, 1), 2500 iterations at learning rate
// 0.0075, on the generated cat / non-cat pictures (data/catvnoncat, written
// on first use; --data_dir for your own: DIR/train/<class>/,
// DIR/test/<class>/). Prints the cost every 100 iterations and the train / test
// accuracy, writes the cost curves, and with --image=PATH says whether your
// picture is a cat (resized to 64x64).
//
// It runs YOUR two_layer_model and L_layer_model from exercise.cc; with
// --config=reference it runs the reference solution.

#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/core/memory.h"
#include "common/data/image.h"
#include "common/data/synthetic_images.h"
#include "common/grading/not_implemented.h"
#include "common/viz/app.h"
#include "common/viz/plot.h"
#include "course1_nn/deep_nn_app/deep_nn_app.h"
#include "course1_nn/deep_nn_app/graded.h"  // see tools/unit.bzl
#include "tools/solution.h"

ABSL_FLAG(std::string, data_dir, "",
          "Folder with train/<class>/ and test/<class>/ images (default: the "
          "generated set in data/catvnoncat, written on first use)");
ABSL_FLAG(std::string, positive_class, "cat",
          "The class folder whose pictures get label y = 1");
ABSL_FLAG(std::string, model, "both", "Which model: two_layer, L_layer, both");
ABSL_FLAG(int, num_iterations, 2500, "Gradient-descent iterations (> 0)");
ABSL_FLAG(double, learning_rate, 0.0075, "Learning rate (> 0)");
ABSL_FLAG(std::string, image, "",
          "A picture of yours to classify after training (PNG, JPEG, ...)");

namespace {

using deep_nn_app::Parameters;
using deep_nn_app::TrainResult;
using dl::Matrix;

double accuracy(const Matrix& X, const Matrix& Y, const Parameters& p) {
  return 1.0 - (deep_nn_app::predict(X, p) - Y).cwiseAbs().mean();
}

}  // namespace

constexpr char kUsage[] =
    "Trains the course's 2-layer and L-layer cat classifiers.";

int main(int argc, char** argv) {
  dl::use_huge_pages(
      argv);  // 17 % faster: its products read 12288 x 209 pictures (memory.h)
  if (!dl::StartProgram(argc, argv, kUsage)) return 2;
  const int iterations = dl::PositiveFlag(FLAGS_num_iterations);
  const double learning_rate = dl::PositiveFlag(FLAGS_learning_rate);
  const std::string model = absl::GetFlag(FLAGS_model);
  if (model != "two_layer" && model != "L_layer" && model != "both") {
    return dl::Fail("--model must be two_layer, L_layer or both, not '" +
                    model + "'");
  }
  // Read the picture first: a typo should not cost a training run.
  Matrix own_picture;
  const std::string image_path = absl::GetFlag(FLAGS_image);
  if (!image_path.empty()) {
    absl::StatusOr<dl::Image> img = dl::LoadImage(image_path, 3);
    if (!img.ok()) return dl::Fail(img.status());
    dl::ImageDataset one;
    const dl::Image small = dl::Resize(*img, 64, 64);
    one.height = one.width = 64;
    one.channels = 3;
    one.pixels = small.pixels;
    one.labels = {0};
    one.paths = {image_path};
    own_picture = dl::ImagesToColumns(one);
  }

  const std::string positive = absl::GetFlag(FLAGS_positive_class);
  absl::StatusOr<dl::BinaryImageSplits> data =
      dl::ReadBinaryImageSplits(absl::GetFlag(FLAGS_data_dir), positive, 64);
  if (!data.ok()) return dl::Fail(data.status());
  const std::string& data_dir = data->dir;
  const dl::BinaryImageSplit& train = data->train;
  const dl::BinaryImageSplit& test = data->test;
  std::printf("Data: %s\n  train X %s, test X %s\n", data_dir.c_str(),
              dl::shape_string(train.X).c_str(),
              dl::shape_string(test.X).c_str());

  absl::StatusOr<std::string> out = dl::OutputDir("deep_nn_app");
  if (!out.ok()) return dl::Fail(out.status());
  dl::LinePlot plot{"Cost (learning rate " + absl::StrCat(learning_rate) + ")",
                    "iteration",
                    "cost",
                    {}};
  Parameters last;
  struct Run {
    const char* name;
    std::vector<int> dims;
  };
  std::vector<Run> runs;
  const int n_x = static_cast<int>(train.X.rows());
  if (model != "L_layer") runs.push_back({"two_layer", {n_x, 7, 1}});
  if (model != "two_layer") runs.push_back({"L_layer", {n_x, 20, 7, 5, 1}});
  for (const Run& run : runs) {
    std::printf("\n%s_model with %s: %d iterations, learning rate %g\n",
                run.name, dl::SolutionFile(), iterations, learning_rate);
    dl::clear_not_implemented();
    const auto start = std::chrono::steady_clock::now();
    const TrainResult result =
        std::string(run.name) == "two_layer"
            ? graded::two_layer_model(train.X, train.Y, run.dims, learning_rate,
                                      iterations, true)
            : graded::L_layer_model(train.X, train.Y, run.dims, learning_rate,
                                    iterations, true);
    const double seconds = dl::SecondsSince(start);
    if (!dl::StubsCalled().empty()) {
      return dl::Fail(dl::NotImplementedMessage("course1_nn/deep_nn_app"));
    }
    if (const std::string w = dl::NonFiniteCostWarning(result.costs, 100);
        !w.empty()) {
      std::printf("warning: %s\n", w.c_str());
    }
    std::printf("%s: train accuracy %.4f, test accuracy %.4f (%.1f s)\n",
                run.name, accuracy(train.X, train.Y, result.parameters),
                accuracy(test.X, test.Y, result.parameters), seconds);
    dl::Series s{run.name, {}, result.costs};
    for (size_t i = 0; i < result.costs.size(); ++i) s.x.push_back(100.0 * i);
    plot.series.push_back(s);
    last = result.parameters;
  }
  const std::string plot_path = *out + "/cost.svg";
  absl::Status written = dl::WriteLinePlotSvg(plot_path, plot);
  if (!written.ok()) return dl::Fail(written);
  std::printf("\nCost curves: %s\n", plot_path.c_str());

  if (own_picture.size() > 0) {
    const Matrix p = deep_nn_app::predict(own_picture, last);
    std::printf("%s: the %s model says y = %d, a \"%s\" picture.\n",
                image_path.c_str(), runs.back().name, static_cast<int>(p(0, 0)),
                p(0, 0) > 0.5 ? positive.c_str() : ("non-" + positive).c_str());
  }
  return 0;
}
