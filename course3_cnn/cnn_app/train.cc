// bazel run //course3_cnn/cnn_app:train [-- --model=both --happy_epochs=7
//     --signs_epochs=60 --signs_learning_rate=0.003 --signs_batch_size=64]
//
// The course's application (C4W1 A2, "Convolution Model - Application"),
// with YOUR two models from exercise.cc (with --config=reference: the
// reference solution's):
//
//   1. happyModel() on the happy / not happy faces (data/happy, generated on
//      first use: 600 train / 150 test, 64x64), binary cross-entropy, Adam
//      (learning rate 0.001), mini-batches of 16, as the course.
//   2. convolutional_model((64, 64, 3)) on the SIGNS stand-in (data/signs,
//      generated on first use: 1080 train / 120 test hand signs 0..5),
//      softmax cross-entropy, Adam (0.003), mini-batches of 64.
//
// The two models train at the same time, one on each core (each model is
// independent: its own parameters, data and random stream; the results are
// the same as one after the other). The program prints each model's
// summary, the loss and accuracy of the epochs (train, and test after each
// epoch), and writes to output/cnn_app/: the cost and accuracy curves
// (happy_cost.svg, happy_accuracy.svg, signs_cost.svg, signs_accuracy.svg)
// and test pictures with their predicted labels (happy_predictions.png,
// signs_predictions.png; a red frame marks a mistake).

#include <algorithm>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/core/random.h"
#include "common/core/tensor.h"
#include "common/data/image.h"
#include "common/data/signs_images.h"
#include "common/grading/not_implemented.h"
#include "common/nn/model.h"
#include "common/training/fit.h"
#include "common/viz/app.h"
#include "common/viz/image_grid.h"
#include "common/viz/plot.h"
#include "course3_cnn/cnn_app/cnn_app.h"
#include "course3_cnn/cnn_app/graded.h"  // see tools/unit.bzl
#include "course3_cnn/cnn_app/happy_faces.h"
#include "tools/solution.h"

ABSL_FLAG(std::string, model, "both", "Which model: happy, signs or both");
ABSL_FLAG(int, happy_epochs, 7, "Epochs of happyModel (> 0; the course: 10)");
ABSL_FLAG(int, signs_epochs, 60,
          "Epochs of convolutional_model (> 0; the course: 100)");
ABSL_FLAG(double, signs_learning_rate, 0.003,
          "Adam's learning rate for convolutional_model (> 0)");
ABSL_FLAG(int, signs_batch_size, 64,
          "Mini-batch size for convolutional_model (> 0)");
ABSL_FLAG(int, seed, 0, "Seed of the mini-batch shuffles");

namespace {

namespace nn = dl::nn;
using cnn_app::Model;

constexpr char kUnit[] = "course3_cnn/cnn_app";

// A data split as the models take it: pictures (m, 64, 64, 3) in [0, 1]
// (the course's X / 255) and one label per picture.
struct Split {
  nn::Array<float> X;
  std::vector<int> labels;
  std::vector<dl::Image> images;  // the pictures, for the prediction grid
};

// The folder's pictures; labels[i] = label_of(class name of picture i).
template <typename F>
absl::StatusOr<Split> LoadSplit(const std::string& folder, F label_of) {
  absl::StatusOr<dl::ImageDataset> d = dl::ReadImageFolder(folder);
  if (!d.ok()) return d.status();
  Split s;
  s.X = nn::Array<float>({d->size(), d->height, d->width, d->channels});
  for (size_t k = 0; k < d->pixels.size(); ++k) {
    s.X[static_cast<nn::Index>(k)] = d->pixels[k] / 255.0f;
  }
  const size_t bytes = static_cast<size_t>(d->height) * d->width * d->channels;
  for (int i = 0; i < d->size(); ++i) {
    s.labels.push_back(label_of(d->class_names[d->labels[i]]));
    dl::Image im;
    im.height = d->height;
    im.width = d->width;
    im.channels = d->channels;
    im.pixels.assign(d->pixels.begin() + i * bytes,
                     d->pixels.begin() + (i + 1) * bytes);
    s.images.push_back(std::move(im));
  }
  return s;
}

// One model to train: what model.compile and model.fit are given.
struct Job {
  std::string name;    // "happyModel"
  std::string file;    // "happy": output/cnn_app/happy_*.svg, *.png
  std::string title;   // of the plots
  std::string fit;     // the course's fit call, printed
  std::string course;  // the course's result, printed beside ours
  std::vector<std::string> class_names;
  Model model;
  Split train, test;
  int epochs = 0, batch_size = 0;
  uint32_t seed = 0;
  nn::History history;
  std::string error;  // what the training threw, if anything
};

// Keras's model.fit(X, Y, epochs, batch_size) with the test set evaluated
// after every epoch. With `progress`, a progress line on stderr.
void Fit(Job& job, bool progress) {
  try {
    dl::RandomState rng(job.seed);
    nn::FitOptions<float> options;
    options.epochs = job.epochs;
    options.batch_size = job.batch_size;
    options.validation_X = &job.test.X;
    options.validation_labels = &job.test.labels;
    options.progress = progress ? job.name : "";
    job.history =
        nn::Fit(job.model, job.train.X, job.train.labels, rng, options);
  } catch (const std::exception& e) {
    job.error = e.what();
  }
}

void Warn(const absl::Status& s) {
  if (!s.ok()) {
    std::fprintf(stderr, "warning: %s\n", std::string(s.message()).c_str());
  }
}

// The epochs (every 5th of a long run), the curves and the prediction grid.
void Report(Job& job, const std::string& dir) {
  std::printf("\n%s\n%s", job.fit.c_str(),
              nn::KerasEpochLog(job.history).c_str());
  Warn(nn::WriteCurves(job.history, job.title, dir + "/" + job.file + "_"));
  std::printf("  wrote %s/%s_cost.svg and %s_accuracy.svg\n", dir.c_str(),
              job.file.c_str(), job.file.c_str());

  // 24 test pictures spread over the set, captioned with the predicted label
  // (and the true one, in brackets, when it is wrong).
  const std::vector<int> predicted = job.model.PredictClasses(job.test.X);
  std::vector<dl::GridTile> tiles;
  const size_t m = job.test.images.size(), count = std::min<size_t>(24, m);
  for (size_t k = 0; k < count; ++k) {
    const size_t i = k * m / count;
    const bool right = predicted[i] == job.test.labels[i];
    std::string caption = job.class_names[predicted[i]];
    if (!right) caption += " (" + job.class_names[job.test.labels[i]] + ")";
    tiles.push_back(
        {job.test.images[i], caption, right ? dl::kGridGreen : dl::kGridRed});
  }
  const std::string path = dir + "/" + job.file + "_predictions.png";
  Warn(dl::SavePng(path, dl::MakeImageGrid(tiles, 6, 2)));
  std::printf("  wrote %s (a red frame: a mistake)\n", path.c_str());
}

// The learner's model must take `input` and give `output`; otherwise the
// application cannot train it.
absl::Status CheckModel(Model& model, const std::string& function,
                        const nn::Shape& input, const nn::Shape& output) {
  if (model.num_layers() == 0 || model.inputs().size() != 1) {
    return absl::InvalidArgumentError(
        function + " returned a model without layers or without one Input");
  }
  if (model.shape(model.inputs()[0]) != input ||
      model.shape(model.output()) != output) {
    return absl::InvalidArgumentError(
        function + " maps " +
        nn::KerasShapeString(model.shape(model.inputs()[0])) + " to " +
        nn::KerasShapeString(model.shape(model.output())) +
        "; the application needs " + nn::KerasShapeString(input) + " to " +
        nn::KerasShapeString(output));
  }
  return absl::OkStatus();
}

// Builds the learner's model with `build`; an error message when it is a
// stub, throws, or does not fit the data.
template <typename F>
std::string BuildModel(Job& job, F build, const nn::Shape& input,
                       const nn::Shape& output) {
  dl::clear_not_implemented();
  try {
    job.model = build();
  } catch (const std::exception& e) {
    return job.name + " threw: " + e.what();
  }
  if (!dl::StubsCalled().empty()) return dl::NotImplementedMessage(kUnit);
  const absl::Status ok = CheckModel(job.model, job.name, input, output);
  if (!ok.ok()) {
    return std::string(ok.message()) +
           "\n(bazel test //course3_cnn/cnn_app/... points at the mistake)";
  }
  return "";
}

}  // namespace

constexpr char kUsage[] =
    "Trains the course's happyModel and convolutional_model (yours, from "
    "exercise.cc).";

int main(int argc, char** argv) {
  if (!dl::StartProgram(argc, argv, kUsage)) return 2;
  const std::string which = absl::GetFlag(FLAGS_model);
  const int happy_epochs = absl::GetFlag(FLAGS_happy_epochs);
  const int signs_epochs = absl::GetFlag(FLAGS_signs_epochs);
  const double signs_lr = dl::PositiveFlag(FLAGS_signs_learning_rate);
  const int signs_batch = dl::PositiveFlag(FLAGS_signs_batch_size);
  const uint32_t seed = static_cast<uint32_t>(absl::GetFlag(FLAGS_seed));
  if (which != "both" && which != "happy" && which != "signs") {
    return dl::Fail("--model must be happy, signs or both");
  }
  if (happy_epochs <= 0 || signs_epochs <= 0) {
    return dl::Fail("--happy_epochs and --signs_epochs must be > 0");
  }
  absl::StatusOr<std::string> out = dl::OutputDir("cnn_app");
  if (!out.ok()) return dl::Fail(out.status());
  std::printf("Training with %s.\n", dl::SolutionFile());
  std::vector<Job> jobs;

  if (which != "signs") {
    // The Happy House: label 1 = happy.
    absl::StatusOr<std::string> dir = cnn_app::DefaultHappyDatasetDir();
    if (!dir.ok()) return dl::Fail(dir.status());
    const auto happy_label = [](const std::string& name) {
      return name == "happy" ? 1 : 0;
    };
    absl::StatusOr<Split> train = LoadSplit(*dir + "/train", happy_label);
    if (!train.ok()) return dl::Fail(train.status());
    absl::StatusOr<Split> test = LoadSplit(*dir + "/test", happy_label);
    if (!test.ok()) return dl::Fail(test.status());
    std::printf(
        "\nThe happy / not happy faces (%s): X_train %s, X_test %s, label 1 "
        "= happy\n",
        dir->c_str(), nn::ShapeString(train->X.shape()).c_str(),
        nn::ShapeString(test->X.shape()).c_str());
    Job job;
    job.name = "happyModel";
    job.file = "happy";
    job.title = "happyModel";
    job.course = "test ~0.94 (real photos, 10 epochs)";
    job.class_names = {"not happy", "happy"};
    const std::string error =
        BuildModel(job, [] { return graded::happyModel(); }, {64, 64, 3}, {1});
    if (!error.empty()) return dl::Fail(error);
    std::printf("\nhappy_model.summary()\n%s", job.model.Summary().c_str());
    job.model.Compile(nn::Adam(0.001), nn::Loss::kBinaryCrossEntropy);
    job.train = std::move(*train);
    job.test = std::move(*test);
    job.epochs = happy_epochs;
    job.batch_size = 16;
    job.seed = seed;
    job.fit = "happy_model.fit(X_train, Y_train, epochs=" +
              std::to_string(happy_epochs) +
              ", batch_size=16): Adam(0.001), binary cross-entropy";
    jobs.push_back(std::move(job));
  }

  if (which != "happy") {
    // SIGNS: labels 0..5, the digit shown.
    absl::StatusOr<std::string> dir = dl::DefaultSignsDatasetDir();
    if (!dir.ok()) return dl::Fail(dir.status());
    const auto digit = [](const std::string& name) { return std::stoi(name); };
    absl::StatusOr<Split> train = LoadSplit(*dir + "/train", digit);
    if (!train.ok()) return dl::Fail(train.status());
    absl::StatusOr<Split> test = LoadSplit(*dir + "/test", digit);
    if (!test.ok()) return dl::Fail(test.status());
    std::printf("\nSIGNS (%s): X_train %s, X_test %s, labels 0..5\n",
                dir->c_str(), nn::ShapeString(train->X.shape()).c_str(),
                nn::ShapeString(test->X.shape()).c_str());
    Job job;
    job.name = "convolutional_model";
    job.file = "signs";
    job.title = "convolutional_model (SIGNS)";
    job.course = "train ~0.89, test ~0.82 (real SIGNS, 100 epochs)";
    job.class_names = {"0", "1", "2", "3", "4", "5"};
    const std::string error =
        BuildModel(job,
                   [] {
                     return graded::convolutional_model({64, 64, 3});
                   },
                   {64, 64, 3}, {6});
    if (!error.empty()) return dl::Fail(error);
    std::printf("\nconv_model.summary()\n%s", job.model.Summary().c_str());
    job.model.Compile(nn::Adam(signs_lr), nn::Loss::kSoftmaxCrossEntropy);
    job.train = std::move(*train);
    job.test = std::move(*test);
    job.epochs = signs_epochs;
    job.batch_size = signs_batch;
    job.seed = seed;
    char lr[32];
    std::snprintf(lr, sizeof lr, "%g", signs_lr);
    job.fit =
        "conv_model.fit(train_dataset, epochs=" + std::to_string(signs_epochs) +
        ", validation_data=test_dataset), batches of " +
        std::to_string(signs_batch) + ": Adam(" + lr +
        "), softmax cross-entropy";
    jobs.push_back(std::move(job));
  }

  // Training: with two models, the first on a second thread (no progress
  // line of its own) and the last, with the progress line, on this one.
  std::printf("\nTraining %s...\n", jobs.size() == 2
                                        ? "both models, one on each core"
                                        : jobs[0].name.c_str());
  std::thread worker;
  if (jobs.size() == 2) worker = std::thread(Fit, std::ref(jobs[0]), false);
  Fit(jobs.back(), /*progress=*/true);
  if (worker.joinable()) worker.join();
  for (const Job& job : jobs) {
    if (!job.error.empty()) {
      return dl::Fail("training " + job.name + " failed: " + job.error +
                      "\n(bazel test //course3_cnn/cnn_app/... points at the "
                      "function)");
    }
  }

  for (Job& job : jobs) Report(job, *out);
  std::printf("\n  %-20s  %6s  %8s  %8s  %s\n", "model", "epochs", "train",
              "test", "the course (Keras, its data)");
  for (const Job& job : jobs) {
    std::printf("  %-20s  %6d  %8.4f  %8.4f  %s\n", job.name.c_str(),
                job.epochs, job.history.accuracy.back(),
                job.history.val_accuracy.back(), job.course.c_str());
  }
  std::printf("\nDone in %.1f s.\n", dl::SecondsSinceStart());
  return 0;
}
