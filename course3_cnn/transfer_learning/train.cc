// bazel run //course3_cnn/transfer_learning:train
//
// The course's notebook from start to end, with a small MobileNetV2
// pretrained here instead of ImageNet's:
//   1. your depthwise and pointwise convolutions on a picture, against the
//      fast layers, and what the separable convolution saves;
//   2. the base: pretrained on 3000 generated shapes of 10 classes the
//      first time (a few seconds), then read from data/transfer_learning/;
//   3. your alpaca_model (your data_augmenter inside) with the frozen base,
//      trained on generated alpacas and not-alpacas;
//   4. your unfreeze_top_layers: the top of the base fine-tuned with a 10
//      times smaller learning rate;
//   5. the validation accuracy before and after the fine-tuning, the
//      curves and the validation pictures with their predictions.
// Writes output/transfer_learning/accuracy.svg, loss.svg, augmented.png and
// predictions.png.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <limits>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/statusor.h"
#include "common/core/random.h"
#include "common/data/image.h"
#include "common/grading/not_implemented.h"
#include "common/nn/layers.h"
#include "common/training/fit.h"
#include "common/viz/app.h"
#include "common/viz/image_grid.h"
#include "common/viz/plot.h"
#include "course3_cnn/transfer_learning/graded.h"  // see tools/unit.bzl
#include "course3_cnn/transfer_learning/mobilenet.h"
#include "course3_cnn/transfer_learning/transfer_learning.h"
#include "tools/solution.h"

ABSL_FLAG(int, initial_epochs, 5, "Epochs with the frozen base (1..100)");
ABSL_FLAG(int, fine_tune_epochs, 5, "Epochs of fine-tuning (0..100)");
ABSL_FLAG(int, fine_tune_at, 25,
          "The first layer of the base to fine-tune (0..45)");

namespace {

namespace tl = transfer_learning;
namespace nn = dl::nn;
constexpr char kUnit[] = "course3_cnn/transfer_learning";
constexpr double kBaseLearningRate = 0.01;
constexpr int kTrainSize = 480, kValidationSize = 160, kBatchSize = 32;

dl::Image ToImage(const nn::Array<float>& X, nn::Index i) {
  dl::Image image;
  image.height = image.width = tl::kImageSize;
  image.channels = 3;
  const nn::Index n = nn::Index(tl::kImageSize) * tl::kImageSize * 3;
  for (nn::Index k = 0; k < n; ++k) {
    const float v = std::clamp(X.data()[i * n + k], 0.0f, 255.0f);
    image.pixels.push_back(static_cast<uint8_t>(std::lround(v)));
  }
  return image;
}

// Your four convolution functions on one picture, against the fast layers
// (a depthwise 3x3 then a pointwise 1x1), and the counts of the lesson.
// Returns false when a stub was called.
bool CheckYourConvolutions() {
  dl::RandomState rng(1);
  const nn::Index H = 16, C = 32, F = 64;
  const dl::Tensor<4> A = rng.randn_tensor<4>({1, H, H, C});
  const dl::Tensor<4> Wd = rng.randn_tensor<4>({3, 3, C, 1});
  const dl::Tensor<4> bd = rng.randn_tensor<4>({1, 1, 1, C});
  const dl::Tensor<4> Wp = rng.randn_tensor<4>({1, 1, C, F});
  const dl::Tensor<4> bp = rng.randn_tensor<4>({1, 1, 1, F});
  dl::clear_not_implemented();
  const tl::DepthwiseForward dw =
      graded::depthwise_conv_forward(A, Wd, bd, {1, 1});
  const tl::PointwiseForward pw = graded::pointwise_conv_forward(dw.Z, Wp, bp);
  const dl::Tensor<4> dZ = rng.randn_tensor<4>({1, H, H, F});
  const tl::ConvGradients gp = graded::pointwise_conv_backward(dZ, pw.cache);
  const tl::ConvGradients gd =
      graded::depthwise_conv_backward(gp.dA_prev, dw.cache);
  if (!dl::StubsCalled().empty()) return false;  // named by main

  dl::RandomState init(0);
  auto depthwise = nn::MakeLayer<double>(nn::DepthwiseConv2D(3, 1, "same"));
  depthwise->Build({{H, H, C}}, init);
  auto pointwise = nn::MakeLayer<double>(nn::Conv2D(F, 1));
  pointwise->Build({{H, H, C}}, init);
  depthwise->parameter("depthwise_kernel")->value = nn::FromTensor(Wd);
  pointwise->parameter("kernel")->value = nn::FromTensor(Wp);
  for (nn::Index k = 0; k < C; ++k) {
    depthwise->parameter("bias")->value[k] = bd(0, 0, 0, k);
  }
  for (nn::Index k = 0; k < F; ++k) {
    pointwise->parameter("bias")->value[k] = bp(0, 0, 0, k);
  }
  const nn::Array<double> x = nn::FromTensor(A);
  const nn::Array<double> y1 = depthwise->Forward(x, true);
  const nn::Array<double> y2 = pointwise->Forward(y1, true);
  const nn::Array<double> dy1 = pointwise->Backward(y1, y2, nn::FromTensor(dZ));
  const nn::Array<double> dx = depthwise->Backward(x, y1, dy1);
  const auto max_diff = [](const dl::Tensor<4>& t,
                           const nn::Array<double>& a) -> double {
    if (t.size() != a.size()) return std::numeric_limits<double>::infinity();
    double worst = 0;
    for (nn::Index k = 0; k < a.size(); ++k) {
      worst = std::max(worst, std::abs(t.data()[k] - a[k]));
    }
    return worst;
  };
  const double forward = max_diff(pw.Z, y2);
  const double backward = max_diff(gd.dA_prev, dx);
  std::printf(
      "1. Your depthwise separable convolution on a %lldx%lldx%lld picture "
      "(3x3 depthwise, then 1x1 to %lld channels):\n"
      "   largest difference from nn::DepthwiseConv2D + nn::Conv2D: Z %s, "
      "dA_prev %s\n",
      static_cast<long long>(H), static_cast<long long>(H),
      static_cast<long long>(C), static_cast<long long>(F),
      forward < 1e-9 ? "below 1e-9" : std::to_string(forward).c_str(),
      backward < 1e-9 ? "below 1e-9" : std::to_string(backward).c_str());
  const long long standard = 3 * 3 * C * F, separable = 3 * 3 * C + C * F;
  std::printf(
      "   weights: %lld for a standard 3x3 convolution, %lld separable "
      "(%.1f times fewer), and as many times fewer multiply-adds\n\n",
      standard, separable, double(standard) / double(separable));
  return true;
}

// An alpaca model made without your alpaca_model, to try your
// unfreeze_top_layers on when alpaca_model is still a stub.
tl::Model ProbeModel(tl::Model& base) {
  tl::Model model("probe", 1);
  nn::Node x = model.Input(base.shape(base.inputs()[0]));
  const tl::Augmenter none = [](const nn::Array<float>& pictures,
                                dl::RandomState&) { return pictures; };
  x = model.AddLayer(tl::augmentation_layer(none, 1), {x});
  x = model.AddLayer(tl::preprocess_input(), {x});
  x = tl::add_base_model(model, x, base);
  x = model.Add(nn::GlobalAveragePooling2D(), x);
  x = model.Add(nn::Dropout(0.2), x);
  model.Add(nn::Dense(1), x);
  return model;
}

// The epochs' loss and accuracy curves, the frozen base's epochs then the
// fine-tuning's, one after the other.
absl::Status WriteCurves(const std::vector<nn::History>& runs,
                         const std::string& dir) {
  std::vector<double> epoch, loss, val_loss, accuracy, val_accuracy;
  for (const nn::History& h : runs) {
    for (int e = 0; e < h.epochs(); ++e) {
      epoch.push_back(static_cast<double>(epoch.size() + 1));
      loss.push_back(h.loss[e]);
      val_loss.push_back(h.val_loss[e]);
      accuracy.push_back(h.accuracy[e]);
      val_accuracy.push_back(h.val_accuracy[e]);
    }
  }
  const std::string note =
      " (fine-tuning from epoch " + std::to_string(runs[0].epochs() + 1) + ")";
  absl::Status s = dl::WriteLinePlotSvg(
      dir + "/accuracy.svg",
      {"Training and validation accuracy" + note,
       "epoch",
       "accuracy",
       {{"training", epoch, accuracy}, {"validation", epoch, val_accuracy}}});
  if (!s.ok()) return s;
  return dl::WriteLinePlotSvg(
      dir + "/loss.svg",
      {"Training and validation loss" + note,
       "epoch",
       "binary cross-entropy",
       {{"training", epoch, loss}, {"validation", epoch, val_loss}}});
}

}  // namespace

constexpr char kUsage[] =
    "Transfer learning with a small MobileNetV2: alpaca or not.";

int main(int argc, char** argv) {
  if (!dl::StartProgram(argc, argv, kUsage)) return 2;
  const int initial_epochs = dl::FlagInRange(FLAGS_initial_epochs, 1, 100);
  const int fine_tune_epochs = dl::FlagInRange(FLAGS_fine_tune_epochs, 0, 100);
  const int fine_tune_at = dl::FlagInRange(FLAGS_fine_tune_at, 0, 45);
  absl::StatusOr<std::string> out = dl::OutputDir("transfer_learning");
  if (!out.ok()) return dl::Fail(out.status());

  // ------------------------------ 1. your convolutions (stubs stop here)
  try {
    // Your convolutions, then the other functions on a tiny untrained base,
    // before the pretraining; every stub is named at once.
    const bool convolutions = CheckYourConvolutions();
    tl::Model probe_base = tl::mobilenet_v2({16, 16, 3}, false, 0, 1);
    tl::Model probe = graded::alpaca_model({16, 16, 3}, probe_base,
                                           graded::data_augmenter, 1);
    if (probe.num_layers() == 0) probe = ProbeModel(probe_base);  // a stub
    graded::unfreeze_top_layers(probe, 0, 0.001);
    dl::RandomState probe_rng(0);
    graded::data_augmenter(nn::Array<float>({1, 4, 4, 3}), probe_rng);
    tl::Model block;
    graded::inverted_residual_block(block, block.Input({4, 4, 2}), 2, 1, 2, 1);
    if (!convolutions || !dl::StubsCalled().empty()) {
      return dl::Fail(dl::NotImplementedMessage(kUnit));
    }
  } catch (const std::exception& e) {
    return dl::Fail(std::string("your functions failed: ") + e.what() +
                    "\n(bazel test //" + kUnit +
                    "/... points at the function)");
  }

  // ------------------------------------------------------ 2. the base
  tl::Pretraining pretraining;
  absl::StatusOr<tl::Model> loaded = tl::pretrained_base(&pretraining);
  if (!loaded.ok()) return dl::Fail(loaded.status());
  tl::Model& base = *loaded;
  std::printf(
      "2. The base: MobileNetV2 (5 inverted residual blocks, %d layers, %s "
      "parameters) pretrained on generated shapes%s.\n\n",
      base.num_layers(), nn::WithThousands(base.CountParameters()).c_str(),
      pretraining.trained ? "" : " (read from the cache)");

  // ---------------------------------- 3. the alpaca model, base frozen
  const tl::Pictures train = tl::generate_alpacas(kTrainSize, 11);
  const tl::Pictures validation = tl::generate_alpacas(kValidationSize, 12);
  tl::Model model = graded::alpaca_model({tl::kImageSize, tl::kImageSize, 3},
                                         base, graded::data_augmenter, 3);
  model.Compile(nn::Adam(kBaseLearningRate), nn::Loss::kBinaryCrossEntropy);
  std::printf(
      "3. %s's alpaca_model: %d layers, %s parameters, %s trainable, %s "
      "frozen.\n   Training on %d pictures (alpaca or not), validation on "
      "%d, Adam(%g), %d epochs:\n",
      dl::SolutionFile(), model.num_layers(),
      nn::WithThousands(model.CountParameters()).c_str(),
      nn::WithThousands(model.CountTrainableParameters()).c_str(),
      nn::WithThousands(model.CountNonTrainableParameters()).c_str(),
      kTrainSize, kValidationSize, kBaseLearningRate, initial_epochs);
  dl::RandomState rng(5);
  nn::FitOptions<float> options;
  options.epochs = initial_epochs;
  options.batch_size = kBatchSize;
  options.validation_X = &validation.X;
  options.validation_labels = &validation.labels;
  options.progress = "frozen base";
  std::vector<nn::History> runs;
  try {
    runs.push_back(nn::Fit(model, train.X, train.labels, rng, options));
  } catch (const std::exception& e) {
    return dl::Fail(std::string("training failed: ") + e.what());
  }
  std::printf("%s\n", nn::EpochTable(runs[0]).c_str());
  const double before = runs[0].val_accuracy.back();

  // ------------------------------------------------- 4. fine-tuning
  int64_t trainable = 0;
  try {
    dl::clear_not_implemented();
    trainable =
        graded::unfreeze_top_layers(model, fine_tune_at, kBaseLearningRate);
  } catch (const std::exception& e) {
    return dl::Fail(std::string("unfreeze_top_layers failed: ") + e.what());
  }
  double after = before;
  if (fine_tune_epochs > 0) {
    std::printf(
        "4. Fine-tuning: the base's layers %d and up trainable (%s "
        "trainable parameters), Adam(%g), %d more epochs:\n",
        fine_tune_at, nn::WithThousands(trainable).c_str(),
        0.1 * kBaseLearningRate, fine_tune_epochs);
    options.epochs = fine_tune_epochs;
    options.progress = "fine-tuning";
    try {
      runs.push_back(nn::Fit(model, train.X, train.labels, rng, options));
    } catch (const std::exception& e) {
      return dl::Fail(std::string("fine-tuning failed: ") + e.what());
    }
    std::printf("%s\n", nn::EpochTable(runs[1]).c_str());
    after = runs[1].val_accuracy.back();
  }
  std::printf(
      "5. Validation accuracy: %s with the frozen base, %s after "
      "fine-tuning.\n",
      nn::Percent(before).c_str(), nn::Percent(after).c_str());

  // ---------------------------------------------------------- pictures
  absl::Status s = WriteCurves(runs, *out);
  if (!s.ok()) return dl::Fail(s);
  const nn::Array<float> probabilities =
      model.PredictProbabilities(validation.X);
  std::vector<dl::GridTile> tiles;
  int shown = 0;
  for (int i = 0; i < kValidationSize && shown < 32; ++i, ++shown) {
    const double p = probabilities[i];
    const int predicted = p > 0.5 ? 1 : 0;
    char caption[32];
    std::snprintf(caption, sizeof caption, "%s %.2f",
                  predicted == 1 ? "alpaca" : "not", p);
    tiles.push_back(
        {ToImage(validation.X, i), caption,
         predicted == validation.labels[i] ? dl::kGridGreen : dl::kGridRed});
  }
  s = dl::SavePng(*out + "/predictions.png", dl::MakeImageGrid(tiles, 8, 4));
  if (!s.ok()) return dl::Fail(s);
  // What the augmentation does: 8 pictures, then your data_augmenter's.
  std::vector<int64_t> first8 = {0, 1, 2, 3, 4, 5, 6, 7};
  nn::Array<float> eight;
  nn::GatherRows(validation.X, first8, 0, 8, &eight);
  dl::RandomState augment_rng(7);
  const nn::Array<float> augmented = graded::data_augmenter(eight, augment_rng);
  std::vector<dl::GridTile> pairs;
  for (int i = 0; i < 8; ++i) pairs.push_back({ToImage(eight, i), "before"});
  for (int i = 0; i < 8; ++i) {
    pairs.push_back({ToImage(augmented, i), "after"});
  }
  s = dl::SavePng(*out + "/augmented.png", dl::MakeImageGrid(pairs, 8, 3));
  if (!s.ok()) return dl::Fail(s);
  std::printf(
      "\nWrote %s/accuracy.svg, loss.svg, predictions.png (green: right, red: "
      "wrong) and augmented.png.\nDone in %.1f s.\n",
      out->c_str(), dl::SecondsSinceStart());
  return 0;
}
