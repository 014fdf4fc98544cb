// bazel run //course4_seq/emojify:train
//
// Emojify V2 from start to end, as the course's notebook:
//   1. the word vectors: skip-gram on the generated corpus of
//      course4_seq/word_vectors (its reference solution and its program's
//      settings, so they are the vectors that program prints);
//   2. Emojify V1 (word_vectors' reference: the average of the vectors
//      through a softmax) on the generated emoji sentences, for comparison;
//   3. your Emojify_V2 (sentences_to_indices, pretrained_embedding_layer):
//      Adam, 50 epochs in mini-batches of 32 (the course's fit), then the
//      accuracies next to V1's, the confusion matrix, the test sentences it
//      gets wrong, and the course's "not feeling happy".
// Pictures in output/emojify/: cost.svg and accuracy.svg.

#include <algorithm>
#include <cstdio>
#include <exception>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/core/random.h"
#include "common/grading/not_implemented.h"
#include "common/training/fit.h"
#include "common/viz/app.h"
#include "common/viz/plot.h"
#include "course4_seq/emojify/emojify.h"
#include "course4_seq/emojify/graded.h"  // see tools/unit.bzl
#include "course4_seq/word_vectors/w2v_utils.h"
#include "course4_seq/word_vectors/word_vectors.h"
#include "tools/solution.h"

ABSL_FLAG(int, num_epochs, 50, "Epochs of Emojify V2 (the course's 50)");
ABSL_FLAG(int, batch_size, 32, "Mini-batch size (the course's 32)");
ABSL_FLAG(double, learning_rate, 0.001, "Adam's learning rate (Keras's)");
ABSL_FLAG(int, seed, 0, "Seed of the model's weights and of the shuffles");

namespace {

constexpr char kUnit[] = "course4_seq/emojify";
using emojify::Matrix;
using emojify::WordToIndex;
using emojify::WordToVecMap;

// 1. Word2Vec with word_vectors' reference, with its program's settings.
word_vectors::SkipGramResult TrainWordVectors(
    const word_vectors::Corpus& corpus) {
  namespace ref = word_vectors::reference;
  const word_vectors::SkipGramSteps steps{
      &ref::get_centers_and_contexts, &ref::noise_distribution,
      &ref::get_negatives, &ref::negative_sampling_loss,
      &ref::negative_sampling_gradients};
  dl::RandomState rng(1);
  return word_vectors::train_skip_gram(corpus, word_vectors::SkipGramConfig(),
                                       steps, rng);
}

// The number of words of the longest sentence (the course's maxLen).
int MaxLen(const std::vector<std::string>& X) {
  int longest = 0;
  for (const std::string& s : X) {
    std::istringstream words(s);
    std::string w;
    int n = 0;
    while (words >> w) ++n;
    longest = std::max(longest, n);
  }
  return longest;
}

// The 5x5 table of (true, predicted) counts, as the course's
// pd.crosstab(Y_test, pred).
void PrintConfusion(const std::vector<int>& Y, const std::vector<int>& pred) {
  const int C = word_vectors::kNumEmoji;
  std::vector<std::vector<int>> counts(C, std::vector<int>(C, 0));
  for (size_t i = 0; i < Y.size(); ++i) ++counts[Y[i]][pred[i]];
  std::printf("           predicted\n  actual ");
  for (int p = 0; p < C; ++p) {
    std::printf("  %s ", word_vectors::label_to_emoji(p).c_str());
  }
  std::printf("\n");
  for (int a = 0; a < C; ++a) {
    std::printf("     %s   ", word_vectors::label_to_emoji(a).c_str());
    for (int p = 0; p < C; ++p) std::printf("%4d ", counts[a][p]);
    std::printf("\n");
  }
}

}  // namespace

constexpr char kUsage[] =
    "Trains Emojify V2 (two LSTMs over the word vectors) on the generated "
    "emoji sentences, next to Emojify V1.";

int main(int argc, char** argv) {
  if (!dl::StartProgram(argc, argv, kUsage)) return 2;
  const int num_epochs = dl::PositiveFlag(FLAGS_num_epochs);
  const int batch_size = dl::PositiveFlag(FLAGS_batch_size);
  const double lr = dl::PositiveFlag(FLAGS_learning_rate);
  const int seed = absl::GetFlag(FLAGS_seed);
  if (seed < 0) return dl::Fail("--seed must be >= 0");

  // ----------------------------------------------------- 1. word vectors
  std::printf("== 1. Word vectors (skip-gram on the generated corpus)\n\n");
  dl::RandomState corpus_rng(0);
  const word_vectors::Corpus corpus =
      word_vectors::generate_corpus(40000, corpus_rng);
  const word_vectors::SkipGramResult trained = TrainWordVectors(corpus);
  const WordToVecMap word_to_vec_map =
      word_vectors::to_word_to_vec_map(trained.E, corpus.idx_to_token);
  WordToIndex word_to_index;
  for (int w = 0; w < corpus.vocab_size(); ++w) {
    word_to_index[corpus.idx_to_token[w]] = w + 1;  // 0: padding
  }
  std::printf("%d words, vectors of %d (as course4_seq/word_vectors:train)\n",
              corpus.vocab_size(), static_cast<int>(trained.E.rows()));

  dl::RandomState emoji_rng(0);
  const word_vectors::EmojiSet set =
      word_vectors::generate_emoji_set(emoji_rng);
  const int max_len = MaxLen(set.X_train);
  std::printf("%zu training and %zu test sentences, the longest %d words\n",
              set.X_train.size(), set.X_test.size(), max_len);

  // ------------------------------------------------- 2. Emojify V1
  dl::RandomState v1_rng(0);
  const word_vectors::EmojifyModel v1 = word_vectors::reference::model(
      set.X_train, set.Y_train, word_to_vec_map, 0.01, 400, v1_rng);
  const double v1_train =
      word_vectors::accuracy(word_vectors::reference::predict(
                                 set.X_train, v1.W, v1.b, word_to_vec_map),
                             set.Y_train);
  const double v1_test = word_vectors::accuracy(
      word_vectors::reference::predict(set.X_test, v1.W, v1.b, word_to_vec_map),
      set.Y_test);

  // ------------------------------------------------- 3. Emojify V2
  std::printf("\n== 2. Emojify V2 (%s)\n\n", dl::SolutionFile());
  dl::clear_not_implemented();
  Matrix X_train_indices, X_test_indices;
  emojify::Model model;
  try {
    X_train_indices =
        graded::sentences_to_indices(set.X_train, word_to_index, max_len);
    X_test_indices =
        graded::sentences_to_indices(set.X_test, word_to_index, max_len);
    model = graded::Emojify_V2({max_len}, word_to_vec_map, word_to_index);
  } catch (const std::exception& e) {
    return dl::Fail(std::string("your functions failed: ") + e.what() +
                    "\n(bazel test //" + kUnit +
                    "/... points at the function)");
  }
  if (!dl::StubsCalled().empty()) {
    return dl::Fail(dl::NotImplementedMessage(kUnit));
  }
  if (X_train_indices.rows() != static_cast<Eigen::Index>(set.X_train.size()) ||
      X_train_indices.cols() != max_len || model.num_layers() == 0 ||
      model.shape(model.output()) != emojify::nn::Shape{5}) {
    return dl::Fail(
        "your sentences_to_indices or Emojify_V2 gives the wrong shapes; "
        "bazel test //" +
        std::string(kUnit) + "/... says which");
  }
  std::printf("X_train_indices (%d, %d); the first sentence: \"%s\" -> [",
              static_cast<int>(X_train_indices.rows()), max_len,
              set.X_train[0].c_str());
  for (int j = 0; j < max_len; ++j) {
    std::printf("%s%g", j ? ", " : "", X_train_indices(0, j));
  }
  std::printf("]\n\n%s", model.Summary().c_str());

  const emojify::nn::Array<float> X_train =
      emojify::to_model_input(X_train_indices);
  const emojify::nn::Array<float> X_test =
      emojify::to_model_input(X_test_indices);
  model.Compile(emojify::nn::Adam(lr), emojify::nn::Loss::kSoftmaxCrossEntropy);
  absl::StatusOr<std::string> out = dl::OutputDir("emojify");
  if (!out.ok()) return dl::Fail(out.status());
  dl::RandomState rng(static_cast<uint32_t>(seed));
  emojify::nn::FitOptions<float> options;
  options.epochs = num_epochs;
  options.batch_size = batch_size;
  options.validation_X = &X_test;
  options.validation_labels = &set.Y_test;
  options.progress = "Emojify V2";
  emojify::nn::History h;
  try {
    h = emojify::nn::Fit(model, X_train, set.Y_train, rng, options);
  } catch (const std::exception& e) {
    return dl::Fail(std::string("training failed: ") + e.what());
  }
  std::printf("%s", emojify::nn::KerasEpochLog(h).c_str());

  const std::vector<int> pred_train = model.PredictClasses(X_train);
  const std::vector<int> pred_test = model.PredictClasses(X_test);
  const double v2_train = word_vectors::accuracy(pred_train, set.Y_train);
  const double v2_test = word_vectors::accuracy(pred_test, set.Y_test);
  std::printf("\n                 train      test\n");
  std::printf("  Emojify V1   %s   %s   (average of the word vectors)\n",
              emojify::nn::Percent(v1_train).c_str(),
              emojify::nn::Percent(v1_test).c_str());
  std::printf("  Emojify V2   %s   %s   (two LSTMs)\n\n",
              emojify::nn::Percent(v2_train).c_str(),
              emojify::nn::Percent(v2_test).c_str());

  std::printf("Test set, true against predicted:\n");
  PrintConfusion(set.Y_test, pred_test);
  std::printf("\nThe test sentences V2 gets wrong:\n");
  int wrong = 0;
  for (size_t i = 0; i < set.X_test.size(); ++i) {
    if (pred_test[i] == set.Y_test[i]) continue;
    ++wrong;
    std::printf("  %-32s %s (expected %s)\n", set.X_test[i].c_str(),
                word_vectors::label_to_emoji(pred_test[i]).c_str(),
                word_vectors::label_to_emoji(set.Y_test[i]).c_str());
  }
  if (wrong == 0) std::printf("  none\n");

  std::printf("\nThe course's own sentences:\n");
  const std::vector<std::string> own = {"not feeling happy", "i am happy",
                                        "let us play ball", "i love you"};
  const std::vector<int> own_pred =
      model.PredictClasses(emojify::to_model_input(
          graded::sentences_to_indices(own, word_to_index, max_len)));
  for (size_t i = 0; i < own.size(); ++i) {
    std::printf("  %-20s %s\n", own[i].c_str(),
                word_vectors::label_to_emoji(own_pred[i]).c_str());
  }

  std::printf("\n");
  const absl::Status s = emojify::nn::WriteCurves(h, "Emojify V2", *out + "/");
  dl::ReportWritten(s, *out + "/cost.svg and accuracy.svg");
  return 0;
}
