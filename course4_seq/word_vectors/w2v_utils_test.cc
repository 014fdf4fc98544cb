// Tests of the given code (w2v_utils.h, given.cc): the planted corpus, the
// analogy questions, the skip-gram trainer (with the reference's steps) and
// Emojify's sentences.

#include "course4_seq/word_vectors/w2v_utils.h"

#include <cmath>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "course4_seq/word_vectors/word_vectors.h"
#include "gtest/gtest.h"

namespace word_vectors {
namespace {

SkipGramSteps reference_steps() {
  return SkipGramSteps{
      &reference::get_centers_and_contexts, &reference::noise_distribution,
      &reference::get_negatives, &reference::negative_sampling_loss,
      &reference::negative_sampling_gradients};
}

TEST(GenerateCorpus, SameSeedSameCorpus) {
  dl::RandomState a(3), b(3);
  const Corpus x = generate_corpus(500, a);
  const Corpus y = generate_corpus(500, b);
  EXPECT_EQ(x.idx_to_token, y.idx_to_token);
  EXPECT_EQ(x.sentences, y.sentences);
  EXPECT_EQ(x.sentences.size(), 500u);
}

TEST(GenerateCorpus, VocabularyByCount) {
  dl::RandomState rng(0);
  const Corpus c = generate_corpus(3000, rng);
  ASSERT_EQ(c.counts.size(), c.idx_to_token.size());
  int64_t total = 0;
  for (size_t w = 0; w < c.counts.size(); ++w) {
    total += c.counts[w];
    EXPECT_EQ(c.token_to_idx.at(c.idx_to_token[w]), static_cast<int>(w));
    if (w > 0) {
      EXPECT_GE(c.counts[w - 1], c.counts[w]);
    }
  }
  EXPECT_EQ(total, c.num_tokens);
  int64_t in_sentences = 0;
  for (const auto& s : c.sentences) in_sentences += s.size();
  EXPECT_EQ(in_sentences, c.num_tokens);
  EXPECT_EQ(c.idx_to_token[0], "the");
}

TEST(GenerateCorpus, EveryPlantedWordOccurs) {
  dl::RandomState rng(0);
  const Corpus c = generate_corpus(6000, rng);
  for (const Relation& r : planted_relations()) {
    for (const auto& [a, b] : r.pairs) {
      EXPECT_TRUE(c.token_to_idx.count(a)) << r.name << ": " << a;
      EXPECT_TRUE(c.token_to_idx.count(b)) << r.name << ": " << b;
    }
  }
  for (const auto& [o, p] : planted_occupations()) {
    EXPECT_TRUE(c.token_to_idx.count(o)) << o;
  }
}

TEST(AnalogyQuestions, EveryOrderedPairOfPairs) {
  size_t expected = 0, held_out = 0;
  for (const Relation& r : planted_relations()) {
    const size_t n = r.pairs.size();
    expected += n * (n - 1);
    held_out += (n - r.tuning_pairs) * (n - r.tuning_pairs - 1);
  }
  const auto questions = analogy_questions();
  EXPECT_EQ(questions.size(), expected);
  size_t held = 0;
  for (const auto& q : questions) held += q.held_out;
  EXPECT_EQ(held, held_out);
  EXPECT_EQ(questions[0].a, "france");
  EXPECT_EQ(questions[0].b, "paris");
  EXPECT_EQ(questions[0].c, "italy");
  EXPECT_EQ(questions[0].d, "rome");
}

TEST(TrainSkipGram, LossDecreasesAndShapes) {
  dl::RandomState corpus_rng(0);
  const Corpus c = generate_corpus(1500, corpus_rng);
  SkipGramConfig config;
  config.embed_size = 8;
  config.num_epochs = 2;
  config.learning_rate = 0.05;
  dl::RandomState rng(1);
  int calls = 0;
  const SkipGramResult r = train_skip_gram(
      c, config, reference_steps(), rng, [&](int, double, double) { ++calls; });
  EXPECT_EQ(r.E.rows(), 8);
  EXPECT_EQ(r.E.cols(), c.vocab_size());
  EXPECT_EQ(r.Theta.rows(), 8);
  EXPECT_EQ(r.Theta.cols(), c.vocab_size());
  ASSERT_EQ(r.losses.size(), 20u);
  EXPECT_EQ(calls, 20);
  EXPECT_LT(r.losses.back(), 0.6 * r.losses.front());
  // K + 1 = 6 logistic regressions at σ(0) = 1/2 to start: 6 log 2.
  EXPECT_GT(r.losses.front(), 3.0);
}

// A stub's empty result stops training with an exception, not a crash.
CentersAndContexts no_pairs(const std::vector<std::vector<int>>&, int) {
  return {};
}
SkipGramGradients no_gradients(const Matrix&, const Matrix&) { return {}; }

TEST(TrainSkipGram, ThrowsOnEmptyResults) {
  dl::RandomState corpus_rng(0);
  const Corpus c = generate_corpus(200, corpus_rng);
  SkipGramConfig config;
  config.embed_size = 4;
  config.num_epochs = 1;
  SkipGramSteps steps = reference_steps();
  steps.get_centers_and_contexts = &no_pairs;
  dl::RandomState rng(1);
  EXPECT_THROW(train_skip_gram(c, config, steps, rng), std::runtime_error);
  steps = reference_steps();
  steps.negative_sampling_gradients = &no_gradients;
  EXPECT_THROW(train_skip_gram(c, config, steps, rng), std::runtime_error);
}

TEST(GenerateEmojiSet, CourseSizesAndHeldOutWords) {
  dl::RandomState rng(0);
  const EmojiSet set = generate_emoji_set(rng);
  ASSERT_EQ(set.X_train.size(), 132u);
  ASSERT_EQ(set.Y_train.size(), 132u);
  ASSERT_EQ(set.X_test.size(), 56u);
  ASSERT_EQ(set.Y_test.size(), 56u);
  std::set<int> labels(set.Y_train.begin(), set.Y_train.end());
  EXPECT_EQ(labels.size(), static_cast<size_t>(kNumEmoji));
  std::set<std::string> train_words;
  for (const std::string& s : set.X_train) {
    std::istringstream in(s);
    for (std::string w; in >> w;) train_words.insert(w);
  }
  // Held-out topic words never appear in a training sentence.
  for (const char* w :
       {"cherish", "basketball", "cheerful", "gloomy", "noodles"}) {
    EXPECT_FALSE(train_words.count(w)) << w;
  }
  // Every word of every sentence except "not", "me", "make" is in the
  // corpus vocabulary.
  dl::RandomState corpus_rng(0);
  const Corpus c = generate_corpus(6000, corpus_rng);
  for (const auto* X : {&set.X_train, &set.X_test}) {
    for (const std::string& s : *X) {
      std::istringstream in(s);
      for (std::string w; in >> w;) {
        if (w == "not" || w == "me" || w == "make" || w == "do") continue;
        EXPECT_TRUE(c.token_to_idx.count(w)) << w << " in \"" << s << "\"";
      }
    }
  }
}

TEST(Given, SoftmaxAndOneHot) {
  const Matrix a = softmax(dl::matrix({{1, 1000}, {2, 1000}, {3, 0}}));
  EXPECT_NEAR(a.col(0).sum(), 1, 1e-15);
  EXPECT_NEAR(a(0, 1), 0.5, 1e-15);
  EXPECT_NEAR(a(2, 0), std::exp(3) / (std::exp(1) + std::exp(2) + std::exp(3)),
              1e-15);
  const Matrix Y_oh = convert_to_one_hot({2, 0}, 3);
  EXPECT_EQ(Y_oh, dl::matrix({{0, 1}, {0, 0}, {1, 0}}));
  EXPECT_THROW(convert_to_one_hot({3}, 3), std::invalid_argument);
  EXPECT_EQ(label_to_name(4), ":fork_and_knife:");
  EXPECT_DOUBLE_EQ(accuracy({1, 2, 3, 4}, {1, 2, 0, 4}), 0.75);
}

}  // namespace
}  // namespace word_vectors
