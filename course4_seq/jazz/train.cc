// bazel run //course4_seq/jazz:train
//
// The course's notebook from start to end:
//   1. the training set: 60 windows of 30 values of a generated melody
//      (jazz_utils.h: C minor's blues scale, motifs, sequences, answers,
//      cadences);
//   2. your djmodel, trained as the course does: Adam (learning rate 0.01,
//      Keras's decay 0.01), 100 epochs in mini-batches of 32;
//   3. your music_inference_model and predict_and_sample improvise a solo
//      of 8 segments of 50 values, each begun from a value of the training
//      melody.
// Writes output/jazz/: training.mid and solo.mid (MIDI), solo.wav (a
// simple synthesis), piano_roll.png (the training melody above the solo)
// and loss.svg.

#include <algorithm>
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
#include "common/nn/autograd.h"
#include "common/viz/app.h"
#include "common/viz/plot.h"
#include "course4_seq/jazz/graded.h"  // see tools/unit.bzl
#include "course4_seq/jazz/jazz.h"
#include "course4_seq/jazz/jazz_utils.h"
#include "tools/solution.h"

ABSL_FLAG(int, num_epochs, 100, "Epochs of djmodel (the course's 100)");
ABSL_FLAG(double, learning_rate, 0.01, "Adam's learning rate (the course's)");
ABSL_FLAG(int, segments, 8, "Segments of the solo");
ABSL_FLAG(int, Ty, 50, "Values per segment (the course's Ty = 50)");
ABSL_FLAG(int, seed, 0, "Seed of the melody, the weights and the batches");

namespace {

namespace ag = dl::ag;
constexpr char kUnit[] = "course4_seq/jazz";
constexpr int kM = 60, kTx = 30, kNa = 64, kBatch = 32;
using jazz::Matrix;
using jazz::Var;

// The columns `index[begin, end)` of X (n_values, m, T_x) and their labels.
void Slice(const jazz::MusicData& data, const std::vector<int64_t>& index,
           int begin, int end, jazz::Tensor3* X,
           std::vector<std::vector<int>>* Y) {
  *X = jazz::Tensor3(data.X.dimension(0), end - begin, data.X.dimension(2));
  Y->clear();
  for (int k = begin; k < end; ++k) {
    X->chip(k - begin, 1) = data.X.chip(index[k], 1);
    Y->push_back(data.Y[index[k]]);
  }
}

void Report(const absl::Status& written, const std::string& path) {
  dl::ReportWritten(written, path);
}

}  // namespace

constexpr char kUsage[] =
    "Trains the course's jazz LSTM on generated phrases and improvises a solo "
    "(MIDI, WAV, piano roll).";

int main(int argc, char** argv) {
  if (!dl::StartProgram(argc, argv, kUsage)) return 2;
  const int num_epochs = dl::PositiveFlag(FLAGS_num_epochs);
  const double lr = dl::PositiveFlag(FLAGS_learning_rate);
  const int segments = dl::FlagInRange(FLAGS_segments, 1, 100);
  const int Ty = dl::FlagInRange(FLAGS_Ty, 1, 1000);
  const int seed = absl::GetFlag(FLAGS_seed);
  if (seed < 0) return dl::Fail("--seed must be >= 0");
  absl::StatusOr<std::string> out = dl::OutputDir("jazz");
  if (!out.ok()) return dl::Fail(out.status());

  // ------------------------------------------------------ 1. the data
  dl::RandomState rng(static_cast<uint32_t>(seed));
  const jazz::MusicData data = jazz::load_music(kM, kTx, rng);
  std::printf("number of training examples: %d\n", kM);
  std::printf("Tx (length of sequence): %d\n", kTx);
  std::printf("total # of unique values: %d\n", jazz::kNumValues);
  std::printf("shape of X: (%d, %d, %d)  (n_values, m, Tx)\n", jazz::kNumValues,
              kM, kTx);
  std::printf("Y: %d lists of %d labels (Y[i][t] = the value after step t)\n",
              kM, kTx);
  std::printf("The training melody begins:");
  for (int k = 0; k < 12; ++k) {
    std::printf(" %s%s", jazz::value_name(data.melody[k]).c_str(),
                k < 11 ? "," : "\n\n");
  }

  // -------------------------------------------------- 2. train djmodel
  std::printf(
      "Training %s's djmodel: Adam (learning rate %g, decay 0.01), "
      "%d epochs in mini-batches of %d\n",
      dl::SolutionFile(), lr, num_epochs, kBatch);
  jazz::JazzWeights weights =
      jazz::initialize_weights(kNa, jazz::kNumValues, rng);
  ag::AdamOptions options;
  options.learning_rate = lr;
  ag::Adam adam(weights.all(), options);
  std::vector<double> losses;
  dl::clear_not_implemented();
  try {
    int64_t step = 0;
    for (int epoch = 0; epoch < num_epochs; ++epoch) {
      const std::vector<int64_t> order = rng.permutation(kM);
      double epoch_loss = 0;
      int batches = 0;
      for (int begin = 0; begin < kM; begin += kBatch) {
        const int end = std::min(kM, begin + kBatch);
        jazz::Tensor3 X;
        std::vector<std::vector<int>> Y;
        Slice(data, order, begin, end, &X, &Y);
        const Var zeros = ag::Constant(Matrix::Zero(kNa, end - begin));
        const std::vector<Var> outputs =
            graded::djmodel(X, zeros, zeros, weights);
        if (!dl::StubsCalled().empty()) {
          return dl::Fail(dl::NotImplementedMessage(kUnit));
        }
        const Var loss = jazz::music_loss(outputs, Y);
        adam.ZeroGrad();
        ag::Backward(loss);
        adam.set_learning_rate(lr / (1 + 0.01 * step));  // Keras's decay
        adam.Step();
        ++step;
        epoch_loss += loss.value()(0, 0);
        ++batches;
      }
      losses.push_back(epoch_loss / batches);
      if (epoch == 0 || (epoch + 1) % 10 == 0) {
        std::printf("  epoch %3d  loss %.4f (the sum of the %d outputs')\n",
                    epoch + 1, losses.back(), kTx);
      }
    }
  } catch (const std::exception& e) {
    return dl::Fail(std::string("djmodel failed: ") + e.what() +
                    "\n(bazel test //" + kUnit +
                    "/... points at the function)");
  }

  // ------------------------------------------------------ 3. improvise
  std::vector<int> solo;
  dl::clear_not_implemented();
  try {
    for (int s = 0; s < segments; ++s) {
      Matrix x0 = Matrix::Zero(jazz::kNumValues, 1);
      x0(data.melody[rng.randint(0, data.melody.size())], 0) = 1;
      const jazz::Sample sample = graded::predict_and_sample(
          weights, x0, Matrix::Zero(kNa, 1), Matrix::Zero(kNa, 1), Ty);
      if (!dl::StubsCalled().empty()) {
        return dl::Fail(dl::NotImplementedMessage(kUnit));
      }
      if (sample.indices.size() != static_cast<size_t>(Ty)) {
        return dl::Fail("your predict_and_sample gave " +
                        std::to_string(sample.indices.size()) +
                        " indices, expected Ty = " + std::to_string(Ty));
      }
      for (int v : sample.indices) {
        if (v < 0 || v >= jazz::kNumValues) {
          return dl::Fail("your predict_and_sample gave the index " +
                          std::to_string(v) + ", not a value 0 .. 89");
        }
        solo.push_back(v);
      }
    }
  } catch (const std::exception& e) {
    return dl::Fail(std::string("the improvisation failed: ") + e.what() +
                    "\n(bazel test //" + kUnit +
                    "/... points at the function)");
  }
  double beats = 0;
  for (int v : solo) beats += jazz::beats_of(v);
  std::printf(
      "\nThe solo: %d segments of %d values, %.0f beats (%.0f s at "
      "120 beats a minute). It begins:",
      segments, Ty, beats, beats / 2);
  for (int k = 0; k < 12 && k < static_cast<int>(solo.size()); ++k) {
    std::printf(" %s%s", jazz::value_name(solo[k]).c_str(), k < 11 ? "," : "");
  }
  const jazz::Resemblance r = jazz::resemblance(solo, data.melody);
  std::printf(
      "\n%.1f %% of its consecutive pairs of values occur in the "
      "training melody; it uses %d different values.\n\n",
      100 * r.known_pairs, r.distinct_values);

  // ---------------------------------------------------------- output
  const std::vector<int> training(data.melody.begin(),
                                  data.melody.begin() + 4 * kTx);
  Report(jazz::write_midi(training, *out + "/training.mid"),
         *out + "/training.mid");
  Report(jazz::write_midi(solo, *out + "/solo.mid"), *out + "/solo.mid");
  Report(jazz::write_wav(solo, *out + "/solo.wav"), *out + "/solo.wav");
  const std::vector<int> first(
      solo.begin(), solo.begin() + std::min<size_t>(solo.size(), 4 * kTx));
  Report(dl::SavePng(*out + "/piano_roll.png",
                     jazz::piano_roll({training, first})),
         *out + "/piano_roll.png");
  Report(dl::WriteCostPlotSvg(*out + "/loss.svg",
                              "djmodel: mean loss per epoch", losses, 1),
         *out + "/loss.svg");
  return 0;
}
