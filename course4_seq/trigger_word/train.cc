// bazel run //course4_seq/trigger_word:train
//
// The course's notebook from start to end, with the model trained here
// instead of loaded:
//   1. the raw audio: "activate" and ten other words spoken by espeak-ng
//      in 8 voices (a 9th, held out, for the dev set), and generated
//      backgrounds (trigger_data.h);
//   2. your create_training_example makes the training clips and the dev
//      clips (10 s each, with their labels);
//   3. your modelf, smaller than the course's (Conv1D 32 filters, GRU 32,
//      dropout 0.2: the course loads a model trained for hours), trained
//      with Adam on the training clips;
//   4. on the dev clips: the accuracy per output step, and the detections
//      (the course's chime_on_activate rule) against the true "activate"s:
//      precision and recall;
//   5. one dev clip with chimes where the model hears "activate".
// Writes output/trigger_word/: train_example.wav, chime_output.wav,
// detection.png (the dev clip's spectrogram, the predicted probability
// under it, the true labels shaded) and loss.svg.

#include <algorithm>
#include <cmath>
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
#include "common/nn/layers.h"
#include "common/viz/app.h"
#include "common/viz/plot.h"
#include "course4_seq/trigger_word/audio.h"
#include "course4_seq/trigger_word/graded.h"  // see tools/unit.bzl
#include "course4_seq/trigger_word/trigger_data.h"
#include "course4_seq/trigger_word/trigger_word.h"
#include "tools/solution.h"

ABSL_FLAG(int, train_clips, 96, "Training clips of 10 s");
ABSL_FLAG(int, dev_clips, 24, "Dev clips of 10 s (the held-out voice)");
ABSL_FLAG(int, num_epochs, 12, "Epochs");
ABSL_FLAG(int, batch_size, 8, "Clips per mini-batch");
ABSL_FLAG(double, learning_rate, 0.005, "Adam's learning rate");
ABSL_FLAG(int, conv_filters, 32, "modelf's Conv1D filters (the course's 196)");
ABSL_FLAG(int, gru_units, 32, "modelf's GRU units (the course's 128)");
ABSL_FLAG(double, dropout_rate, 0.2, "modelf's dropout (the course's 0.8)");
ABSL_FLAG(double, threshold, 0.5, "Probability above which it chimes");
ABSL_FLAG(int, seed, 0, "Seed of the clips, the weights and the batches");

namespace {

namespace nn = dl::nn;
using trigger_word::AudioSegment;
using trigger_word::kNFreq;
using trigger_word::kTx;
using trigger_word::kTy;
using trigger_word::Matrix;

constexpr char kUnit[] = "course4_seq/trigger_word";

// The clips as the model's input (m, Tx, n_freq) and the labels, a 0/1 per
// output step, example after example.
struct Clips {
  nn::Array<float> X;
  std::vector<int> labels;
  std::vector<AudioSegment> audio;  // of every clip, or only the first
};

// The steps where the course's chime_on_activate chimes: walking through the
// steps, a probability above the threshold more than 75 steps after the
// last chime; the next one can only come in a later block of 75.
std::vector<int> ChimeSteps(const float* probabilities, double threshold) {
  std::vector<int> steps;
  int consecutive_timesteps = 0;
  int i = 0;
  while (i < kTy) {
    ++consecutive_timesteps;
    if (probabilities[i] > threshold && consecutive_timesteps > 75) {
      steps.push_back(i);
      consecutive_timesteps = 0;
      i = 75 * (i / 75 + 1);
      continue;
    }
    ++i;
  }
  return steps;
}

// The course's detect_triggerword: the model's probability that "activate"
// has just ended, at each of the Ty output steps of one clip.
//   x: (1, Tx, n_freq), a clip as the model reads it  ->  Ty probabilities
std::vector<float> detect_triggerword(trigger_word::Model& model,
                                      const nn::Array<float>& x) {
  const nn::Array<float> p = nn::SigmoidOf(model.Predict(x, 1));
  return std::vector<float>(p.data(), p.data() + p.size());
}

// The course's chime_on_activate: the clip with a chime at every step of
// ChimeSteps (its time in ms: step / Ty * 10,000).
AudioSegment chime_on_activate(const AudioSegment& audio,
                               const std::vector<float>& predictions,
                               double threshold) {
  AudioSegment out = audio;
  for (int step : ChimeSteps(predictions.data(), threshold)) {
    out =
        out.overlay(trigger_word::chime(), step * trigger_word::kClipMs / kTy);
  }
  return out;
}

// The true "activate"s of a clip: the first step of each run of ones.
std::vector<int> TrueEvents(const int* labels) {
  std::vector<int> starts;
  for (int t = 0; t < kTy; ++t) {
    if (labels[t] == 1 && (t == 0 || labels[t - 1] == 0)) starts.push_back(t);
  }
  return starts;
}

// A heat colour for v in [0, 1] (dark blue to yellow).
void Heat(double v, uint8_t* p) {
  v = std::clamp(v, 0.0, 1.0);
  p[0] = static_cast<uint8_t>(255 * std::min(1.0, 2 * v));
  p[1] = static_cast<uint8_t>(255 * std::max(0.0, 2 * v - 1) * 0.9 + 30 * v);
  p[2] = static_cast<uint8_t>(120 * (1 - v) + 20);
}

// The spectrogram (columns averaged by 4), and under it the probability of
// each output step (a line), the threshold (grey) and the true labels
// (shaded).
dl::Image DetectionPicture(const Matrix& spectrogram, const float* probability,
                           const int* labels, double threshold) {
  constexpr int kSpecRows = 2 * kNFreq, kPlotRows = 100;
  dl::Image image;
  image.channels = 3;
  image.width = kTy;
  image.height = kSpecRows + 6 + kPlotRows;
  image.pixels.assign(size_t(image.width) * image.height * 3, 255);
  const double lo = spectrogram.minCoeff(), hi = spectrogram.maxCoeff();
  for (int c = 0; c < kTy; ++c) {
    for (int r = 0; r < kSpecRows; ++r) {
      const int f = kNFreq - 1 - r / 2;  // high frequencies on top
      double v = 0;
      int n = 0;
      for (int k = 4 * c; k < std::min<int>(4 * c + 4, spectrogram.cols());
           ++k) {
        v += spectrogram(f, k);
        ++n;
      }
      Heat(n ? (v / n - lo) / (hi - lo + 1e-12) : 0,
           &image.pixels[(size_t(r) * image.width + c) * 3]);
    }
    const int top = kSpecRows + 6;
    for (int r = 0; r < kPlotRows; ++r) {
      uint8_t* p = &image.pixels[(size_t(top + r) * image.width + c) * 3];
      if (labels[c]) p[0] = p[1] = 200, p[2] = 255;  // true: light blue
      if (r == static_cast<int>((1 - threshold) * (kPlotRows - 1))) {
        p[0] = p[1] = p[2] = 150;
      }
    }
    const int y =
        top + static_cast<int>((1 - probability[c]) * (kPlotRows - 1));
    uint8_t* p = &image.pixels[(size_t(y) * image.width + c) * 3];
    p[0] = 200, p[1] = 30, p[2] = 30;
  }
  return image;
}

}  // namespace

constexpr char kUsage[] =
    "Makes 10-second clips from words spoken by espeak-ng, trains the "
    "trigger-word model on them and chimes where it hears \"activate\".";

int main(int argc, char** argv) {
  if (!dl::StartProgram(argc, argv, kUsage)) return 2;
  const int train_clips = dl::FlagInRange(FLAGS_train_clips, 1, 2000);
  const int dev_clips = dl::FlagInRange(FLAGS_dev_clips, 1, 1000);
  const int num_epochs = dl::PositiveFlag(FLAGS_num_epochs);
  const int batch_size = dl::PositiveFlag(FLAGS_batch_size);
  const double lr = dl::PositiveFlag(FLAGS_learning_rate);
  const int conv_filters = dl::FlagInRange(FLAGS_conv_filters, 1, 512);
  const int gru_units = dl::FlagInRange(FLAGS_gru_units, 1, 512);
  const double dropout_rate = absl::GetFlag(FLAGS_dropout_rate);
  if (!(dropout_rate >= 0 && dropout_rate < 1)) {
    return dl::Fail("--dropout_rate must be in [0, 1)");
  }
  const double threshold = absl::GetFlag(FLAGS_threshold);
  if (!(threshold > 0 && threshold < 1)) {
    return dl::Fail("--threshold must be in (0, 1)");
  }
  const int seed = absl::GetFlag(FLAGS_seed);
  if (seed < 0) return dl::Fail("--seed must be >= 0");
  absl::StatusOr<std::string> out = dl::OutputDir("trigger_word");
  if (!out.ok()) return dl::Fail(out.status());

  // ---------------------------------------------------- 1. raw audio
  absl::StatusOr<trigger_word::RawAudio> raw = trigger_word::load_raw_audio();
  if (!raw.ok()) return dl::Fail(raw.status());
  std::printf(
      "activates: %zu (dev: %zu), negatives: %zu (dev: %zu), "
      "backgrounds: %zu of 10 s\n",
      raw->activates.size(), raw->dev_activates.size(), raw->negatives.size(),
      raw->dev_negatives.size(), raw->backgrounds.size());
  std::printf("activate[0]: %d ms, activate[1]: %d ms\n\n",
              raw->activates[0].length_ms(), raw->activates[1].length_ms());

  // --------------------------------------------------- 2. the clips
  dl::RandomState rng(static_cast<uint32_t>(seed));
  const auto make = [&](int m, const std::vector<AudioSegment>& activates,
                        const std::vector<AudioSegment>& negatives,
                        bool keep_all_audio, Clips* clips) -> absl::Status {
    clips->X = nn::Array<float>({m, kTx, kNFreq});
    clips->labels.clear();
    for (int i = 0; i < m; ++i) {
      const AudioSegment& background =
          raw->backgrounds[rng.randint(0, raw->backgrounds.size())];
      dl::clear_not_implemented();
      const trigger_word::TrainingExample e = graded::create_training_example(
          background, activates, negatives, kTy, rng);
      if (!dl::StubsCalled().empty()) {
        return absl::FailedPreconditionError(dl::NotImplementedMessage(kUnit));
      }
      if (e.x.rows() != kNFreq || e.x.cols() != kTx || e.y.rows() != 1 ||
          e.y.cols() != kTy) {
        return absl::InvalidArgumentError(
            "your create_training_example gave x " + dl::shape_string(e.x) +
            " and y " + dl::shape_string(e.y) +
            "; expected (101, 5511) and (1, 1375)");
      }
      for (int t = 0; t < kTx; ++t) {
        for (int f = 0; f < kNFreq; ++f) {
          clips->X(i, t, f) = static_cast<float>(e.x(f, t));
        }
      }
      for (int t = 0; t < kTy; ++t) clips->labels.push_back(e.y(0, t) > 0.5);
      if (keep_all_audio || i == 0) clips->audio.push_back(e.audio);
    }
    return absl::OkStatus();
  };
  Clips train, dev;
  try {
    absl::Status s =
        make(train_clips, raw->activates, raw->negatives, false, &train);
    if (s.ok())
      s = make(dev_clips, raw->dev_activates, raw->dev_negatives, true, &dev);
    if (!s.ok()) return dl::Fail(s);
  } catch (const std::exception& e) {
    return dl::Fail(std::string("create_training_example failed: ") + e.what() +
                    "\n(bazel test //" + kUnit +
                    "/... points at the function)");
  }
  // The spectrograms in decibels, standardized with the training clips'
  // mean and standard deviation.
  double sum = 0, sum2 = 0;
  for (nn::Index k = 0; k < train.X.size(); ++k) {
    sum += train.X[k];
    sum2 += double(train.X[k]) * train.X[k];
  }
  const double mean = sum / train.X.size();
  const double stddev =
      std::sqrt(std::max(1e-12, sum2 / train.X.size() - mean * mean));
  for (Clips* c : {&train, &dev}) {
    for (nn::Index k = 0; k < c->X.size(); ++k) {
      c->X[k] = static_cast<float>((c->X[k] - mean) / stddev);
    }
  }
  int train_events = 0, dev_events = 0;
  for (int i = 0; i < train_clips; ++i) {
    train_events += TrueEvents(&train.labels[size_t(i) * kTy]).size();
  }
  for (int i = 0; i < dev_clips; ++i) {
    dev_events += TrueEvents(&dev.labels[size_t(i) * kTy]).size();
  }
  std::printf(
      "%d training clips (%d activates in them), %d dev clips (%d); "
      "X (%d, %d, %d), spectrograms in dB standardized (mean %.1f, std "
      "%.1f)\n",
      train_clips, train_events, dev_clips, dev_events, train_clips, kTx,
      kNFreq, mean, stddev);
  dl::ReportWritten(
      trigger_word::save_wav(train.audio[0], *out + "/train_example.wav"),
      *out + "/train_example.wav");

  // --------------------------------------------------- 3. the model
  trigger_word::Model model;
  try {
    dl::clear_not_implemented();
    model =
        graded::modelf({kTx, kNFreq}, conv_filters, gru_units, dropout_rate);
    if (!dl::StubsCalled().empty()) {
      return dl::Fail(dl::NotImplementedMessage(kUnit));
    }
    if (model.num_layers() == 0 ||
        model.shape(model.output()) != nn::Shape{kTy, 1}) {
      return dl::Fail(
          "your modelf does not output (None, 1375, 1); bazel "
          "test //" +
          std::string(kUnit) + "/... says why");
    }
  } catch (const std::exception& e) {
    return dl::Fail(std::string("your modelf failed: ") + e.what());
  }
  std::printf("\n%s", model.Summary().c_str());
  model.Compile(nn::Adam(lr), nn::Loss::kBinaryCrossEntropy);
  std::printf(
      "Training %s's modelf: Adam (learning rate %g), %d epochs in "
      "mini-batches of %d\n",
      dl::SolutionFile(), lr, num_epochs, batch_size);
  std::vector<double> losses;
  const nn::Index row = nn::Index(kTx) * kNFreq;
  nn::Array<float> batch;
  std::vector<int> batch_labels;
  for (int epoch = 0; epoch < num_epochs; ++epoch) {
    const std::vector<int64_t> order = rng.permutation(train_clips);
    double loss_sum = 0;
    for (int begin = 0; begin < train_clips; begin += batch_size) {
      const int end = std::min(train_clips, begin + batch_size);
      batch.Resize({end - begin, kTx, kNFreq});
      batch_labels.clear();
      for (int k = begin; k < end; ++k) {
        std::copy(train.X.data() + order[k] * row,
                  train.X.data() + (order[k] + 1) * row,
                  batch.data() + (k - begin) * row);
        batch_labels.insert(batch_labels.end(),
                            train.labels.begin() + order[k] * kTy,
                            train.labels.begin() + (order[k] + 1) * kTy);
      }
      loss_sum += model.TrainStep(batch, batch_labels) * (end - begin);
    }
    losses.push_back(loss_sum / train_clips);
    std::printf("  epoch %2d  loss %.4f\n", epoch + 1, losses.back());
  }

  // ------------------------------------------------ 4. the dev clips
  const nn::Array<float> probabilities = nn::SigmoidOf(model.Predict(dev.X, 8));
  int correct_steps = 0, found = 0, detections = 0, right_detections = 0;
  for (int i = 0; i < dev_clips; ++i) {
    const float* p = probabilities.data() + size_t(i) * kTy;
    const int* y = &dev.labels[size_t(i) * kTy];
    for (int t = 0; t < kTy; ++t) correct_steps += (p[t] > 0.5) == (y[t] == 1);
    const std::vector<int> chimes = ChimeSteps(p, threshold);
    const std::vector<int> truth = TrueEvents(y);
    detections += chimes.size();
    // A detection is right when it falls on the 50 steps of an activate
    // (or up to 25 steps before them); an activate is found when one does.
    for (int c : chimes) {
      bool right = false;
      for (int s : truth) right = right || (c >= s - 25 && c < s + 50);
      right_detections += right;
    }
    for (int s : truth) {
      bool hit = false;
      for (int c : chimes) hit = hit || (c >= s - 25 && c < s + 50);
      found += hit;
    }
  }
  std::printf(
      "\nDev clips (a voice the model never heard): accuracy per step "
      "%.1f %%\n",
      100.0 * correct_steps / (double(dev_clips) * kTy));
  std::printf("  detections: %d, of which right: %d  -> precision %.1f %%\n",
              detections, right_detections,
              detections ? 100.0 * right_detections / detections : 0.0);
  std::printf("  activates:  %d, found: %d           -> recall %.1f %%\n",
              dev_events, found, dev_events ? 100.0 * found / dev_events : 0.0);

  // -------------------------------------- 5. chime on one dev clip
  int shown = 0;
  for (int i = 0; i < dev_clips; ++i) {
    if (TrueEvents(&dev.labels[size_t(i) * kTy]).size() >= 2) {
      shown = i;
      break;
    }
  }
  nn::Array<float> x({1, kTx, kNFreq});
  std::copy(dev.X.data() + shown * row, dev.X.data() + (shown + 1) * row,
            x.data());
  const std::vector<float> predictions = detect_triggerword(model, x);
  const float* p = predictions.data();
  const AudioSegment chimed =
      chime_on_activate(dev.audio[shown], predictions, threshold);
  const std::vector<int> chimes = ChimeSteps(p, threshold);
  std::printf("\nDev clip %d: %zu activates, %zu chimes\n", shown,
              TrueEvents(&dev.labels[size_t(shown) * kTy]).size(),
              chimes.size());
  dl::ReportWritten(trigger_word::save_wav(chimed, *out + "/chime_output.wav"),
                    *out + "/chime_output.wav");
  const Matrix spectrogram = trigger_word::graph_spectrogram(dev.audio[shown]);
  dl::ReportWritten(
      dl::SavePng(
          *out + "/detection.png",
          DetectionPicture(spectrogram, p, &dev.labels[size_t(shown) * kTy],
                           threshold)),
      *out + "/detection.png");
  dl::ReportWritten(
      dl::WriteCostPlotSvg(*out + "/loss.svg", "modelf: mean loss per epoch",
                           losses, 1),
      *out + "/loss.svg");
  return 0;
}
