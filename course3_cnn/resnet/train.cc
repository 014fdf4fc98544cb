// bazel run //course3_cnn/resnet:train [-- --num_epochs=24
//     --learning_rate=0.002 --drop_after=16 --batch_size=32 --augment
//     --data_dir=DIR]
//
// The application: the course trains ResNet50 (23.6 million parameters)
// on SIGNS for 10 epochs on a GPU and then loads pretrained weights. Here a
// small ResNet made of YOUR identity_block and convolutional_block trains on
// the SIGNS stand-in (data/signs, written on first use: 1080 train / 120
// test hand signs 0..5, 64x64) in about a minute of CPU time (Adam,
// the learning rate divided by 10 after 16 of the 24 epochs, the training
// pictures mirrored and shifted at random every epoch):
//
//   input (64, 64, 3)
//   ZeroPadding2D(3) → Conv2D(16, 7x7, stride 2) → BN → ReLU   (32, 32, 16)
//   MaxPool2D(3x3, stride 2)                                   (15, 15, 16)
//   convolutional_block(f 3, [16, 16, 64], s 1)                (15, 15, 64)
//   convolutional_block(f 3, [32, 32, 128], s 2)               (8, 8, 128)
//   identity_block(f 3, [32, 32, 128])                         (8, 8, 128)
//   convolutional_block(f 3, [64, 64, 256], s 2)               (4, 4, 256)
//   identity_block(f 3, [64, 64, 256])                         (4, 4, 256)
//   AveragePooling2D(4x4) → Flatten → Dense(6)                 (6)
//
// (ResNet50's stem and stages with a quarter of its filters and 5 blocks
// instead of 16.) It also builds YOUR ResNet50 and prints its totals
// (without training it). --data_dir=DIR trains on your own
// DIR/train/<class>/ and DIR/test/<class>/ pictures (resized to 64x64).
//
// Writes output/resnet/cost.svg, accuracy.svg and predictions.png (test
// pictures with the predicted class; red = wrong).
//
// It runs YOUR functions from exercise.cc; with --config=reference it runs
// the reference solution.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <exception>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/core/memory.h"
#include "common/core/random.h"
#include "common/data/image.h"
#include "common/data/signs_images.h"
#include "common/grading/not_implemented.h"
#include "common/nn/model.h"
#include "common/training/fit.h"
#include "common/viz/app.h"
#include "common/viz/image_grid.h"
#include "common/viz/plot.h"
#include "course3_cnn/resnet/graded.h"  // see tools/unit.bzl
#include "course3_cnn/resnet/resnet.h"
#include "tools/solution.h"

ABSL_FLAG(std::string, data_dir, "",
          "Folder with train/<class>/ and test/<class>/ images (default: the "
          "generated SIGNS set in data/signs, written on first use)");
ABSL_FLAG(int, num_epochs, 24, "Epochs (passes over the training set), > 0");
ABSL_FLAG(double, learning_rate, 0.002, "Adam's learning rate (> 0)");
ABSL_FLAG(int, drop_after, 16,
          "Divide the learning rate by 10 after this many epochs (0: never)");
ABSL_FLAG(bool, augment, true,
          "Mirror the training pictures at random and shift them by up to 4 "
          "pixels, anew every epoch");
ABSL_FLAG(int, batch_size, 32, "Examples per mini-batch (> 0)");
ABSL_FLAG(int, seed, 0, "Seed of the initialization and the mini-batches");

namespace {

namespace nn = dl::nn;
using resnet::Graph;

constexpr char kUnit[] = "course3_cnn/resnet";

// The small ResNet above, from your blocks.
Graph SmallResNet(const nn::Shape& input_shape, int classes) {
  Graph model;
  const nn::Node X_input = model.Input(input_shape);
  nn::Node X = model.Add(nn::ZeroPadding2D(3), X_input);
  X = model.Add(nn::Conv2D(16, 7, 2), X);
  X = model.Add(nn::BatchNormalization(3), X);
  X = model.Add(nn::Activation("relu"), X);
  X = model.Add(nn::MaxPool2D(3, 2), X);
  X = graded::convolutional_block(model, X, 3, {16, 16, 64}, 1,
                                  nn::Initializer::GlorotUniform());
  X = graded::convolutional_block(model, X, 3, {32, 32, 128}, 2,
                                  nn::Initializer::GlorotUniform());
  X = graded::identity_block(model, X, 3, {32, 32, 128},
                             nn::Initializer::GlorotUniform());
  X = graded::convolutional_block(model, X, 3, {64, 64, 256}, 2,
                                  nn::Initializer::GlorotUniform());
  X = graded::identity_block(model, X, 3, {64, 64, 256},
                             nn::Initializer::GlorotUniform());
  X = model.Add(nn::AveragePool2D(4), X);
  X = model.Add(nn::Flatten(), X);
  X = model.Add(nn::Dense(classes), X);
  model.Output(X);
  return model;
}

// Data augmentation: every picture of X mirrored left-right with
// probability 1/2 and shifted by up to `shift` pixels in each direction
// (the border pixels repeated), into *out.
void Augment(const nn::Array<float>& X, int shift, dl::RandomState& rng,
             nn::Array<float>* out) {
  out->Resize(X.shape());
  const nn::Index m = X.dim(0), H = X.dim(1), W = X.dim(2), C = X.dim(3);
  for (nn::Index i = 0; i < m; ++i) {
    const bool mirror = rng.random_sample() < 0.5;
    const nn::Index dy = rng.randint(-shift, shift + 1);
    const nn::Index dx = rng.randint(-shift, shift + 1);
    for (nn::Index h = 0; h < H; ++h) {
      const nn::Index sh = std::clamp<nn::Index>(h + dy, 0, H - 1);
      for (nn::Index w = 0; w < W; ++w) {
        nn::Index sw = std::clamp<nn::Index>(w + dx, 0, W - 1);
        if (mirror) sw = W - 1 - sw;
        const float* from = X.data() + ((i * H + sh) * W + sw) * C;
        float* to = out->data() + ((i * H + h) * W + w) * C;
        std::copy(from, from + C, to);
      }
    }
  }
}

// The pictures / 255 as (m, 64, 64, 3) floats (no double copy of the set:
// 106 MB of peak memory).
nn::Array<float> Pictures(const dl::ImageDataset& d) {
  nn::Array<float> X({d.size(), d.height, d.width, d.channels});
  dl::ImagesToFloats(d, X.data());
  return X;
}

// Picture i of a dataset as an image for the contact sheet.
dl::Image Picture(const dl::ImageDataset& d, int i) {
  dl::Image image;
  image.height = d.height;
  image.width = d.width;
  image.channels = d.channels;
  const size_t n = size_t(d.height) * d.width * d.channels;
  image.pixels.assign(d.pixels.begin() + i * n, d.pixels.begin() + (i + 1) * n);
  return image;
}

}  // namespace

constexpr char kUsage[] =
    "Trains a small ResNet made of your blocks on the SIGNS stand-in.";

int main(int argc, char** argv) {
  dl::use_huge_pages(argv);  // 4 % faster (memory.h)
  if (!dl::StartProgram(argc, argv, kUsage)) return 2;
  const int num_epochs = dl::PositiveFlag(FLAGS_num_epochs);
  const double lr = dl::PositiveFlag(FLAGS_learning_rate);
  const int batch_size = dl::PositiveFlag(FLAGS_batch_size);
  const int drop_after = absl::GetFlag(FLAGS_drop_after);
  const bool augment = absl::GetFlag(FLAGS_augment);
  const int seed = absl::GetFlag(FLAGS_seed);
  if (drop_after < 0) return dl::Fail("--drop_after must be >= 0");
  if (seed < 0) return dl::Fail("--seed must be >= 0");
  // A wrong --data_dir is reported before anything else.
  if (const std::string dir = absl::GetFlag(FLAGS_data_dir);
      !dir.empty() && !std::filesystem::is_directory(dir)) {
    return dl::Fail("--data_dir: " + dir + " is not a folder");
  }

  // 1. Your ResNet50: built (its kernels left at zero: only the counts
  //    matter here), not trained. Skipped while it is a stub: the small
  //    ResNet below needs only your blocks.
  try {
    dl::clear_not_implemented();
    Graph resnet50 = graded::ResNet50({64, 64, 3}, 6);
    if (!dl::StubsCalled().empty()) {
      std::printf(
          "Your ResNet50: not implemented yet (%s); skipped, the "
          "small ResNet needs only your blocks.\n\n",
          dl::StubsCalled().c_str());
    } else {
      nn::Model<float> model = resnet50.BuildZeros<float>("ResNet50");
      std::printf(
          "Your ResNet50((64, 64, 3), 6): %d layers, output %s\n"
          "  Total params: %s (the course's 23,600,006)\n"
          "  Trainable params: %s (23,546,886)\n"
          "  Non-trainable params: %s (53,120)\n\n",
          model.num_layers(),
          nn::KerasShapeString(model.shape(model.output())).c_str(),
          nn::WithThousands(model.CountParameters()).c_str(),
          nn::WithThousands(model.CountTrainableParameters()).c_str(),
          nn::WithThousands(model.CountNonTrainableParameters()).c_str());
    }
  } catch (const std::exception& e) {
    std::printf(
        "Your ResNet50 failed: %s (skipped; bazel test //%s/... "
        "points at the function)\n\n",
        dl::StubsCalled().empty() ? e.what() : "a stub was called", kUnit);
  }

  // 2. The data.
  absl::StatusOr<dl::SignsSplits> signs =
      dl::ReadSignsSplits(absl::GetFlag(FLAGS_data_dir));
  if (!signs.ok()) return dl::Fail(signs.status());
  const dl::ImageDataset& train_images = signs->train;
  const int C = static_cast<int>(train_images.class_names.size());
  const nn::Array<float> X_train = Pictures(train_images);
  const nn::Array<float> X_test = Pictures(signs->test);
  std::printf("Data: %s\n  X_train %s, X_test %s, %d classes\n\n",
              signs->dir.c_str(), nn::ShapeString(X_train.shape()).c_str(),
              nn::ShapeString(X_test.shape()).c_str(), C);

  // 3. The small ResNet, from your blocks.
  nn::Model<float> model;
  try {
    dl::clear_not_implemented();
    Graph graph = SmallResNet({64, 64, 3}, C);
    if (!dl::StubsCalled().empty()) {
      return dl::Fail(dl::NotImplementedMessage(kUnit));
    }
    model = graph.Build<float>(static_cast<uint32_t>(seed), "small_resnet");
  } catch (const std::exception& e) {
    if (!dl::StubsCalled().empty()) {
      return dl::Fail(dl::NotImplementedMessage(kUnit));
    }
    return dl::Fail(std::string("your blocks failed: ") + e.what() +
                    "\n(bazel test //" + kUnit +
                    "/... points at the function)");
  }
  std::printf("%s\n", model.Summary().c_str());
  model.Compile(nn::Adam(lr), nn::Loss::kSoftmaxCrossEntropy);
  std::printf("Training %s's small ResNet: Adam (learning rate %g",
              dl::SolutionFile(), lr);
  if (drop_after > 0 && drop_after < num_epochs) {
    std::printf(", then %g after epoch %d", lr / 10, drop_after);
  }
  std::printf("), mini-batches of %d, %d epochs%s\n", batch_size, num_epochs,
              augment ? ", pictures mirrored and shifted" : "");

  absl::StatusOr<std::string> out = dl::OutputDir("resnet");
  if (!out.ok()) return dl::Fail(out.status());
  dl::RandomState rng(static_cast<uint32_t>(seed));
  nn::Array<float> X_epoch;  // the pictures mirrored and shifted anew
  nn::FitOptions<float> options;
  options.epochs = num_epochs;
  options.batch_size = batch_size;
  options.validation_X = &X_test;
  options.validation_labels = &signs->test.labels;
  options.on_epoch_begin = [&](int epoch) {
    if (epoch > 0 && epoch == drop_after) {
      // A new Adam with a tenth of the learning rate.
      model.Compile(nn::Adam(lr / 10), nn::Loss::kSoftmaxCrossEntropy);
    }
    if (augment) Augment(X_train, 4, rng, &X_epoch);
  };
  const nn::History h = nn::Fit(model, augment ? X_epoch : X_train,
                                train_images.labels, rng, options);
  std::printf("%s", nn::EpochTable(h).c_str());
  double final_accuracy = h.val_accuracy.back();
  if (augment) {
    // Batch norm's moving averages were collected on the mirrored and
    // shifted pictures. One pass over the plain training pictures in
    // training mode (the forward pass only: no weight changes) moves them
    // to the statistics of the pictures the model will see.
    const double cpu0 = dl::CpuSeconds();
    const std::vector<int64_t> order = rng.permutation(X_train.dim(0));
    nn::Array<float> batch;
    for (nn::Index begin = 0; begin < X_train.dim(0); begin += batch_size) {
      const nn::Index end =
          std::min<nn::Index>(begin + batch_size, X_train.dim(0));
      nn::GatherRows(X_train, order, begin, end, &batch);
      model.Forward(batch, /*training=*/true);
    }
    final_accuracy = model.Evaluate(X_test, signs->test.labels).accuracy;
    std::printf(
        "Batch norm's moving averages refreshed on the plain training "
        "pictures (%.1f s): test accuracy %s -> %s\n",
        dl::CpuSeconds() - cpu0, nn::Percent(h.val_accuracy.back()).c_str(),
        nn::Percent(final_accuracy).c_str());
  }
  std::printf(
      "Test accuracy: %s (%d pictures; the course's ResNet50: 0.95 with "
      "pretrained weights)\n",
      nn::Percent(final_accuracy).c_str(), signs->test.size());

  // 4. Pictures.
  const std::string cost_path = *out + "/cost.svg";
  const std::string acc_path = *out + "/accuracy.svg";
  const std::string grid_path = *out + "/predictions.png";
  absl::Status s = nn::WriteCurves(h, "Small ResNet", *out + "/");
  if (!s.ok()) return dl::Fail(s);
  const std::vector<int> predicted = model.PredictClasses(X_test);
  std::vector<dl::GridTile> tiles;
  const std::vector<std::string>& names = signs->test.class_names;
  // 36 test pictures from all the classes (the folder is sorted by class).
  const int m_test = signs->test.size();
  for (int k = 0; k < 36 && k < m_test; ++k) {
    const int i = m_test <= 36 ? k : k * m_test / 36;
    const int want = signs->test.labels[i];
    const bool right = predicted[i] == want;
    tiles.push_back(
        {Picture(signs->test, i),
         names[predicted[i]] + (right ? "" : " (" + names[want] + ")"),
         right ? dl::kGridGreen : dl::kGridRed});
  }
  s = dl::SavePng(grid_path, dl::MakeImageGrid(tiles, 9, 1));
  if (!s.ok()) return dl::Fail(s);
  std::printf("\nCost: %s\nAccuracy: %s\nPredictions: %s\n", cost_path.c_str(),
              acc_path.c_str(), grid_path.c_str());
  std::printf("Done in %.1f s.\n", dl::SecondsSinceStart());
  return 0;
}
