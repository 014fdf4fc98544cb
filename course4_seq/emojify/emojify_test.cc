// Grades course4_seq/emojify: the course's public tests (its literal
// sentences_to_indices example and its controlled word_to_vec_map for
// pretrained_embedding_layer and the summary of Emojify_V2), and the
// learner's model against the reference's on seeded sentences, in inference
// and in training (dropout) mode, forward and backward.

#include "course4_seq/emojify/emojify.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "common/nn/layers.h"
#include "common/nn/test_util.h"
#include "course4_seq/emojify/graded.h"  // see tools/unit.bzl
#include "gtest/gtest.h"

namespace reference = emojify::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
namespace nn = dl::nn;
using dl::Matrix;
using dl::matrix;
using dl::RandomState;
using dl::Vector;
using dl::nn::test::SummaryLines;
using emojify::Model;
using emojify::WordToIndex;
using emojify::WordToVecMap;

Vector vec(double a, double b) {
  Vector v(2);
  v << a, b;
  return v;
}

// The course's controlled word_to_vec_map (public_tests.py), with its
// word_to_index: the words in the course's order, from index 0.
std::pair<WordToVecMap, WordToIndex> CourseMap() {
  const std::vector<std::pair<std::string, Vector>> words = {
      {"a", vec(3, 3)},     {"synonym_of_a", vec(3, 3)}, {"a_nw", vec(2, 4)},
      {"a_s", vec(3, 2)},   {"a_n", vec(3, 4)},          {"c", vec(-2, 1)},
      {"c_n", vec(-2, 2)},  {"c_ne", vec(-1, 2)},        {"c_e", vec(-1, 1)},
      {"c_se", vec(-1, 0)}, {"c_s", vec(-2, 0)},         {"c_sw", vec(-3, 0)},
      {"c_w", vec(-3, 1)},  {"c_nw", vec(-3, 2)}};
  WordToVecMap map;
  WordToIndex index;
  for (size_t i = 0; i < words.size(); ++i) {
    map[words[i].first] = words[i].second;
    index[words[i].first] = static_cast<int>(i);
  }
  return {map, index};
}

// ================================================== sentences_to_indices

TEST(SentencesToIndices, CoursePublicTest) {
  WordToIndex word_to_index;
  const std::vector<std::string> vocab = {
      "i", "like", "learning", "deep", "machine", "love", "smile", "´0.="};
  for (size_t i = 0; i < vocab.size(); ++i) {
    word_to_index[vocab[i]] = static_cast<int>(i) + 1;
  }
  const std::vector<std::string> sentences = {"I like deep learning",
                                              "deep ´0.= love machine",
                                              "machine learning smile", "$"};
  auto got = Call("sentences_to_indices", [&] {
    return graded::sentences_to_indices(sentences, word_to_index, 4);
  });
  if (!got) return;
  EXPECT_TRUE(
      Near("sentences_to_indices", "X_indices", *got,
           matrix({{1, 2, 4, 3}, {4, 8, 6, 5}, {5, 3, 7, 0}, {0, 0, 0, 0}}),
           kCourseValues,
           "one row per sentence, lower-cased, padded with 0; a word "
           "not in word_to_index (\"$\") is skipped"));
}

TEST(SentencesToIndices, SkipsUnknownWordsAndStopsAtMaxLen) {
  const WordToIndex word_to_index = {{"not", 1}, {"happy", 2}, {"today", 3}};
  const std::vector<std::string> sentences = {
      "NOT   feeling happy", "happy happy happy today today", ""};
  auto got = Call("sentences_to_indices", [&] {
    return graded::sentences_to_indices(sentences, word_to_index, 3);
  });
  if (!got) return;
  EXPECT_TRUE(Near("sentences_to_indices", "X_indices", *got,
                   matrix({{1, 2, 0}, {2, 2, 2}, {0, 0, 0}}), kCourseValues,
                   "an unknown word (\"feeling\") takes no column: the next "
                   "known word goes where it would have been; any whitespace "
                   "separates words; stop at max_len"));
}

TEST(SentencesToIndices, MatchesReference) {
  RandomState rng(1);
  const std::vector<std::string> vocab = {"love", "you", "ball", "food",
                                          "sad",  "i",   "am",   "so"};
  WordToIndex word_to_index;
  for (size_t i = 0; i < vocab.size(); ++i) {
    word_to_index[vocab[i]] = static_cast<int>(i) + 1;
  }
  std::vector<std::string> sentences;
  for (int s = 0; s < 12; ++s) {
    std::string sentence;
    const int n = static_cast<int>(rng.randint(0, 9));
    for (int w = 0; w < n; ++w) {
      const int64_t k = rng.randint(0, 10);  // 8, 9: unknown words
      sentence += (w ? " " : "") +
                  (k < 8 ? vocab[k] : std::string(k == 8 ? "zzz" : "Love"));
    }
    sentences.push_back(sentence);
  }
  for (int max_len : {1, 5, 10}) {
    auto got = Call("sentences_to_indices", [&] {
      return graded::sentences_to_indices(sentences, word_to_index, max_len);
    });
    if (!got) return;
    EXPECT_TRUE(Near(
        "sentences_to_indices",
        "X_indices with max_len " + std::to_string(max_len), *got,
        reference::sentences_to_indices(sentences, word_to_index, max_len),
        kCourseValues, "shape (m, max_len); lower-case before looking up"));
  }
}

// ============================================ pretrained_embedding_layer

TEST(PretrainedEmbeddingLayer, CoursePublicTest) {
  const auto [map, index] = CourseMap();
  auto got = Call("pretrained_embedding_layer", [&] {
    return graded::pretrained_embedding_layer(map, index);
  });
  if (!got) return;
  const std::string f = "pretrained_embedding_layer";
  EXPECT_EQ(got->input_dim, 15)
      << f << ": input_dim is len(word_to_index) + 1 (row 0 ... pads)";
  EXPECT_EQ(got->output_dim, 2)
      << f << ": output_dim is the size of a word vector";
  EXPECT_FALSE(got->trainable)
      << f << ": the pretrained vectors are frozen (trainable = false)";
  EXPECT_TRUE(Near(f, "weights", got->weights,
                   matrix({{3, 3},
                           {3, 3},
                           {2, 4},
                           {3, 2},
                           {3, 4},
                           {-2, 1},
                           {-2, 2},
                           {-1, 2},
                           {-1, 1},
                           {-1, 0},
                           {-2, 0},
                           {-3, 0},
                           {-3, 1},
                           {-3, 2},
                           {0, 0}}),
                   kCourseValues,
                   "row word_to_index[w] holds w's vector; the row no word "
                   "has stays zero"));
}

TEST(PretrainedEmbeddingLayer, MatchesReference) {
  RandomState rng(2);
  WordToVecMap map;
  WordToIndex index;
  for (int w = 0; w < 9; ++w) {
    const std::string word = "w" + std::to_string(w);
    map[word] = rng.randn(5, 1).col(0);
    index[word] = w + 1;
  }
  map["unused"] = rng.randn(5, 1).col(0);  // in the map, not in the index
  auto got = Call("pretrained_embedding_layer", [&] {
    return graded::pretrained_embedding_layer(map, index);
  });
  if (!got) return;
  const nn::Embedding want = reference::pretrained_embedding_layer(map, index);
  EXPECT_EQ(got->input_dim, want.input_dim);
  EXPECT_EQ(got->output_dim, want.output_dim);
  EXPECT_TRUE(Near("pretrained_embedding_layer", "weights", got->weights,
                   want.weights, kReference,
                   "vocab_size = len(word_to_index) + 1; only the words of "
                   "word_to_index get a row"));
}

// ============================================================ Emojify_V2

TEST(EmojifyV2, CourseSummary) {
  const auto [map, index] = CourseMap();
  auto got =
      Call("Emojify_V2", [&] { return graded::Emojify_V2({4}, map, index); });
  if (!got) return;
  // The course's expected summary (its Activation('softmax') is in the
  // loss here).
  const std::vector<std::string> want = {
      "Embedding (None, 4, 2) 30", "LSTM (None, 4, 128) 67072",
      "Dropout (None, 4, 128) 0",  "LSTM (None, 128) 131584",
      "Dropout (None, 128) 0",     "Dense (None, 5) 645"};
  const std::vector<std::string> lines = SummaryLines(*got);
  std::string all;
  for (const std::string& l : lines) all += "\n      " + l;
  ASSERT_EQ(lines.size(), want.size())
      << "Emojify_V2: the model has " << lines.size() << " layers, expected "
      << want.size() << " (Embedding, LSTM, Dropout, LSTM, Dropout, Dense). "
      << "Yours:" << all;
  for (size_t k = 0; k < want.size(); ++k) {
    EXPECT_EQ(lines[k], want[k])
        << "Emojify_V2: layer " << k + 1 << " differs. Yours:" << all
        << "\n    hint: LSTM(128, true) returns the whole sequence, "
           "LSTM(128, false) only its last output; Dropout(0.5)";
  }
  if (lines.size() == want.size()) {
    EXPECT_EQ(got->layer(0).CountParameters(true), 0)
        << "Emojify_V2: the embedding must be frozen (trainable = false)";
  }
}

// An array's values as one column.
Matrix AsMatrix(const nn::Array<float>& a) { return a.vec().cast<double>(); }

// Seeded sentences of word indices (m, max_len), padded with zeros.
Matrix RandomIndices(RandomState& rng, int m, int max_len, int vocab) {
  Matrix X = Matrix::Zero(m, max_len);
  for (int i = 0; i < m; ++i) {
    const int n = static_cast<int>(rng.randint(1, max_len + 1));
    for (int j = 0; j < n; ++j) X(i, j) = double(rng.randint(1, vocab));
  }
  return X;
}

// The same seeds give both models the same weights and the same dropout
// masks: their outputs (inference and training) and their gradients agree.
TEST(EmojifyV2, MatchesReference) {
  RandomState rng(3);
  WordToVecMap map;
  WordToIndex index;
  for (int w = 0; w < 20; ++w) {
    const std::string word = "w" + std::to_string(w);
    map[word] = rng.randn(6, 1).col(0);
    index[word] = w + 1;
  }
  auto got =
      Call("Emojify_V2", [&] { return graded::Emojify_V2({7}, map, index); });
  if (!got) return;
  Model want = reference::Emojify_V2({7}, map, index);
  const std::vector<std::string> got_lines = SummaryLines(*got);
  ASSERT_EQ(got_lines, SummaryLines(want))
      << "Emojify_V2: the layers differ from the reference's (see "
         "EmojifyV2.CourseSummary)";
  const nn::Array<float> x =
      emojify::to_model_input(RandomIndices(rng, 8, 7, 21));
  const Tolerance kFloat{1e-5, 1e-4};
  for (bool training : {false, true}) {
    const std::string mode = training ? "training" : "inference";
    const nn::Array<float> y = got->Forward(x, training);
    const nn::Array<float> y_want = want.Forward(x, training);
    ASSERT_TRUE(Near("Emojify_V2", "the logits in " + mode + " mode",
                     AsMatrix(y), AsMatrix(y_want), kFloat,
                     "Embedding -> LSTM(128, true) -> Dropout(0.5) -> "
                     "LSTM(128, false) -> Dropout(0.5) -> Dense(5)"));
  }
  // Backward of the training pass above: the same gradients.
  const nn::Array<float> dy({8, 5}, 0.1f);
  got->Backward(dy);
  want.Backward(dy);
  auto got_params = got->Parameters(true);
  auto want_params = want.Parameters(true);
  ASSERT_EQ(got_params.size(), want_params.size());
  for (size_t k = 0; k < got_params.size(); ++k) {
    EXPECT_TRUE(Near("Emojify_V2", "the gradient of " + want_params[k].name,
                     AsMatrix(got_params[k].parameter->grad),
                     AsMatrix(want_params[k].parameter->grad), kFloat,
                     "the same layers in the same order"));
  }
}

}  // namespace
