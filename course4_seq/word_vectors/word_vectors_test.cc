// Grades course4_seq/word_vectors: the course's public tests (its literal
// word_to_vec_map fixtures for complete_analogy, sentence_to_avg and model),
// small examples worked by hand, seeded comparisons with the reference
// solution, finite-difference checks of the two backward functions, and
// word vectors trained on a small generated corpus (w2v_utils.h) that must
// solve analogies.

#include "course4_seq/word_vectors/word_vectors.h"

#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "course4_seq/word_vectors/graded.h"  // see tools/unit.bzl
#include "course4_seq/word_vectors/w2v_utils.h"
#include "gtest/gtest.h"

namespace reference = word_vectors::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
using dl::Matrix;
using dl::matrix;
using dl::RandomState;
using dl::Vector;
using word_vectors::WordToVecMap;

// ---------------------------------------------------------------- helpers

Vector vec(std::initializer_list<double> values) {
  Vector v(static_cast<Eigen::Index>(values.size()));
  Eigen::Index i = 0;
  for (double x : values) v(i++) = x;
  return v;
}

Vector random_vector(RandomState& rng, int n, double scale = 1) {
  return rng.randn(n, 1).col(0) * scale;
}

std::string join(const std::vector<int>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) {
    s += (i ? ", " : "") + std::to_string(v[i]);
  }
  return s + "]";
}

// Two lists of integers (labels, word indices), with the first difference.
testing::AssertionResult SameInts(const std::string& function,
                                  const std::string& what,
                                  const std::vector<int>& got,
                                  const std::vector<int>& want,
                                  const std::string& hint = "") {
  if (got == want) return testing::AssertionSuccess();
  auto failure = testing::AssertionFailure();
  failure << function << ": " << what << " differs: ";
  if (got.size() != want.size()) {
    failure << "got " << got.size() << " entries, expected " << want.size();
    if (want.size() <= 12) failure << " " << join(want);
    failure << ".";
  } else {
    size_t i = 0;
    while (got[i] == want[i]) ++i;
    failure << "first at [" << i << "]: got " << got[i] << ", expected "
            << want[i] << ".";
  }
  if (!hint.empty()) failure << " " << hint;
  return failure;
}

// A list of lists of integers, compared list by list.
testing::AssertionResult SameIntLists(const std::string& function,
                                      const std::string& what,
                                      const std::vector<std::vector<int>>& got,
                                      const std::vector<std::vector<int>>& want,
                                      const std::string& hint = "") {
  if (got.size() != want.size()) {
    return testing::AssertionFailure()
           << function << ": " << what << " has " << got.size()
           << " lists, expected " << want.size() << ". " << hint;
  }
  for (size_t i = 0; i < got.size(); ++i) {
    auto r = SameInts(function, what + "[" + std::to_string(i) + "]", got[i],
                      want[i], hint);
    if (!r) return r;
  }
  return testing::AssertionSuccess();
}

// A word returned by complete_analogy and the expected one.
testing::AssertionResult SameWord(const std::string& call,
                                  const std::string& got,
                                  const std::string& want,
                                  const std::string& hint) {
  if (got == want) return testing::AssertionSuccess();
  return testing::AssertionFailure()
         << "complete_analogy: " << call << " gave \"" << got
         << "\", expected \"" << want << "\". " << hint;
}

// The course's controlled word_to_vec_map (public_tests.py of both
// assignments); `with_a_n` adds 'a_n': [3, 4] (the model test's map).
WordToVecMap course_map(bool with_a_n = false) {
  WordToVecMap map = {
      {"a", vec({3, 3})},     {"synonym_of_a", vec({3, 3})},
      {"a_nw", vec({2, 4})},  {"a_s", vec({3, 2})},
      {"c", vec({-2, 1})},    {"c_n", vec({-2, 2})},
      {"c_ne", vec({-1, 2})}, {"c_e", vec({-1, 1})},
      {"c_se", vec({-1, 0})}, {"c_s", vec({-2, 0})},
      {"c_sw", vec({-3, 0})}, {"c_w", vec({-3, 1})},
      {"c_nw", vec({-3, 2})},
  };
  if (with_a_n) map["a_n"] = vec({3, 4});
  return map;
}

// A map of `size` words "w0", "w1", ... with random vectors.
WordToVecMap random_map(RandomState& rng, int size, int n) {
  WordToVecMap map;
  for (int i = 0; i < size; ++i) {
    map["w" + std::to_string(i)] = random_vector(rng, n);
  }
  return map;
}

// Random sentences of word indices (lengths 0 .. 8).
std::vector<std::vector<int>> random_corpus(RandomState& rng, int sentences,
                                            int vocab) {
  std::vector<std::vector<int>> corpus(sentences);
  for (auto& s : corpus) {
    const int64_t n = rng.randint(0, 9);
    for (int64_t i = 0; i < n; ++i) {
      s.push_back(static_cast<int>(rng.randint(0, vocab)));
    }
  }
  return corpus;
}

// Word vectors trained on a small generated corpus (about 0.7 s): 6000
// sentences, n_e = 20, window 2, K = 5, 5 epochs from learning rate 0.1.
struct Trained {
  word_vectors::Corpus corpus;
  WordToVecMap map;
};

word_vectors::SkipGramSteps reference_steps() {
  return word_vectors::SkipGramSteps{
      &reference::get_centers_and_contexts, &reference::noise_distribution,
      &reference::get_negatives, &reference::negative_sampling_loss,
      &reference::negative_sampling_gradients};
}

Trained train_small(const word_vectors::SkipGramSteps& steps) {
  Trained t;
  RandomState corpus_rng(0);
  t.corpus = word_vectors::generate_corpus(6000, corpus_rng);
  word_vectors::SkipGramConfig config;
  config.embed_size = 20;
  config.window_size = 2;
  config.num_negatives = 5;
  config.num_epochs = 5;
  config.learning_rate = 0.1;
  RandomState rng(1);
  const word_vectors::SkipGramResult result =
      word_vectors::train_skip_gram(t.corpus, config, steps, rng);
  t.map = word_vectors::to_word_to_vec_map(result.E, t.corpus.idx_to_token);
  return t;
}

// The fraction of the held-out analogy questions `answer` gets right.
template <typename F>
double held_out_accuracy(F&& answer) {
  int right = 0, total = 0;
  for (const auto& q : word_vectors::analogy_questions()) {
    if (!q.held_out) continue;
    right += answer(q.a, q.b, q.c) == q.d;
    ++total;
  }
  return static_cast<double>(right) / total;
}

// An embedding built for the generated emoji sentences: a word that occurs
// mostly (>= 75 %) in the sentences of one class gets that class's random
// direction (times 2) plus noise, every other word only noise (0.3).
WordToVecMap emoji_embedding(const word_vectors::EmojiSet& set,
                             RandomState& rng, int n_h) {
  std::map<std::string, std::vector<int>> counts;
  const auto count = [&](const std::vector<std::string>& X,
                         const std::vector<int>& Y) {
    for (size_t i = 0; i < X.size(); ++i) {
      std::istringstream in(X[i]);
      for (std::string w; in >> w;) {
        auto& c = counts[w];
        c.resize(word_vectors::kNumEmoji);
        ++c[Y[i]];
      }
    }
  };
  count(set.X_train, set.Y_train);
  count(set.X_test, set.Y_test);
  const Matrix directions = rng.randn(n_h, word_vectors::kNumEmoji);
  WordToVecMap map;
  for (const auto& [w, c] : counts) {
    int total = 0, best = 0;
    for (int k = 0; k < word_vectors::kNumEmoji; ++k) {
      total += c[k];
      if (c[k] > c[best]) best = k;
    }
    Vector e = random_vector(rng, n_h, 0.3);
    if (c[best] >= 0.75 * total) e += 2 * directions.col(best);
    map[w] = e;
  }
  return map;
}

// =============================================================== one_hot

TEST(OneHot, SmallExample) {
  auto got = Call("one_hot", [] { return graded::one_hot({1, 0, 3}, 4); });
  if (!got) return;
  EXPECT_TRUE(Near("one_hot", "one_hot({1, 0, 3}, 4)", *got,
                   matrix({{0, 1, 0}, {1, 0, 0}, {0, 0, 0}, {0, 0, 1}}),
                   kCourseValues,
                   "O is (vocab_size, m): column j has its 1 in row words[j]"));
}

TEST(OneHot, MatchesReference) {
  RandomState rng(1);
  for (auto [vocab, m] : std::vector<std::pair<int, int>>{
           {10, 4}, {3, 7}, {5, 1}, {1, 3}, {20, 20}}) {
    std::vector<int> words(m);
    for (int& w : words) w = static_cast<int>(rng.randint(0, vocab));
    auto got = Call("one_hot", [&] { return graded::one_hot(words, vocab); });
    if (!got) return;
    EXPECT_TRUE(
        Near("one_hot",
             "one_hot(" + join(words) + ", " + std::to_string(vocab) + ")",
             *got, reference::one_hot(words, vocab)));
  }
}

// ========================================================= embed_one_hot

TEST(EmbedOneHot, SmallExample) {
  const Matrix E = matrix({{1, 2, 3}, {4, 5, 6}});
  const Matrix O = matrix({{0, 1}, {0, 0}, {1, 0}});
  auto got = Call("embed_one_hot", [&] { return graded::embed_one_hot(E, O); });
  if (!got) return;
  EXPECT_TRUE(Near("embed_one_hot", "E O", *got, matrix({{3, 1}, {6, 4}}),
                   kCourseValues,
                   "E (n_e, vocab) times O (vocab, m): column j is e_w"));
}

TEST(EmbedOneHot, MatchesReference) {
  RandomState rng(2);
  for (auto [n_e, vocab, m] : std::vector<std::tuple<int, int, int>>{
           {4, 9, 3}, {1, 5, 2}, {6, 3, 1}, {50, 30, 7}}) {
    const Matrix E = rng.randn(n_e, vocab);
    std::vector<int> words(m);
    for (int& w : words) w = static_cast<int>(rng.randint(0, vocab));
    const Matrix O = reference::one_hot(words, vocab);
    auto got =
        Call("embed_one_hot", [&] { return graded::embed_one_hot(E, O); });
    if (!got) return;
    EXPECT_TRUE(Near("embed_one_hot", "E O with E " + dl::shape_string(E), *got,
                     reference::embed_one_hot(E, O)));
  }
}

// ====================================================== embedding_lookup

TEST(EmbeddingLookup, SmallExample) {
  const Matrix E = matrix({{1, 2, 3}, {4, 5, 6}});
  auto got = Call("embedding_lookup", [&] {
    return graded::embedding_lookup(E, {2, 0, 2});
  });
  if (!got) return;
  EXPECT_TRUE(Near("embedding_lookup", "embedding_lookup(E, {2, 0, 2})", *got,
                   matrix({{3, 1, 3}, {6, 4, 6}}), kCourseValues,
                   "column j is E.col(words[j]); a word may repeat"));
}

// The lookup and the lecture's product E o_w give the same vectors.
TEST(EmbeddingLookup, SameAsTheOneHotProduct) {
  RandomState rng(3);
  for (auto [n_e, vocab, m] : std::vector<std::tuple<int, int, int>>{
           {4, 9, 3}, {1, 5, 2}, {6, 3, 1}, {50, 30, 12}}) {
    const Matrix E = rng.randn(n_e, vocab);
    std::vector<int> words(m);
    for (int& w : words) w = static_cast<int>(rng.randint(0, vocab));
    auto got = Call("embedding_lookup",
                    [&] { return graded::embedding_lookup(E, words); });
    if (!got) return;
    EXPECT_TRUE(Near("embedding_lookup",
                     "embedding_lookup(E, " + join(words) + ") with E " +
                         dl::shape_string(E),
                     *got, E * reference::one_hot(words, vocab)));
  }
}

// ============================================== get_centers_and_contexts

// d2l's tiny_dataset, [[0, 1, ..., 6], [7, 8, 9]], with a fixed window of 2.
TEST(GetCentersAndContexts, TinyDataset) {
  const std::vector<std::vector<int>> tiny = {{0, 1, 2, 3, 4, 5, 6}, {7, 8, 9}};
  auto got = Call("get_centers_and_contexts",
                  [&] { return graded::get_centers_and_contexts(tiny, 2); });
  if (!got) return;
  const std::string f = "get_centers_and_contexts";
  EXPECT_TRUE(SameInts(f, "centers", got->centers,
                       {0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
                       "every position of every sentence is a center"));
  EXPECT_TRUE(SameIntLists(
      f, "contexts", got->contexts,
      {{1, 2},
       {0, 2, 3},
       {0, 1, 3, 4},
       {1, 2, 4, 5},
       {2, 3, 5, 6},
       {3, 4, 6},
       {4, 5},
       {8, 9},
       {7, 9},
       {7, 8}},
      "the words at most window_size positions away, in sentence order, "
      "never crossing into another sentence"));
}

TEST(GetCentersAndContexts, ShortSentencesAndWindowOne) {
  const std::vector<std::vector<int>> corpus = {{4}, {}, {5, 6}, {1, 2, 3}};
  auto got = Call("get_centers_and_contexts",
                  [&] { return graded::get_centers_and_contexts(corpus, 1); });
  if (!got) return;
  const std::string f = "get_centers_and_contexts";
  EXPECT_TRUE(SameInts(f, "centers", got->centers, {5, 6, 1, 2, 3},
                       "sentences with fewer than 2 words have no pairs"));
  EXPECT_TRUE(
      SameIntLists(f, "contexts", got->contexts, {{6}, {5}, {2}, {1, 3}, {2}}));
}

TEST(GetCentersAndContexts, MatchesReference) {
  RandomState rng(4);
  for (int window : {1, 2, 3, 5}) {
    const auto corpus = random_corpus(rng, 12, 15);
    auto got = Call("get_centers_and_contexts", [&] {
      return graded::get_centers_and_contexts(corpus, window);
    });
    if (!got) return;
    const auto want = reference::get_centers_and_contexts(corpus, window);
    const std::string w = " (window_size " + std::to_string(window) + ")";
    EXPECT_TRUE(SameInts("get_centers_and_contexts", "centers" + w,
                         got->centers, want.centers));
    EXPECT_TRUE(SameIntLists("get_centers_and_contexts", "contexts" + w,
                             got->contexts, want.contexts));
  }
}

// ==================================================== noise_distribution

TEST(NoiseDistribution, SmallCounts) {
  auto got = Call("noise_distribution", [] {
    return graded::noise_distribution({1, 16, 81, 0});
  });
  if (!got) return;
  // 1^0.75 = 1, 16^0.75 = 8, 81^0.75 = 27, 0: divided by 36.
  EXPECT_TRUE(Near("noise_distribution", "P for counts {1, 16, 81, 0}",
                   Matrix(Eigen::Map<const Matrix>(
                       got->data(), static_cast<Eigen::Index>(got->size()), 1)),
                   matrix({{1 / 36.}, {8 / 36.}, {27 / 36.}, {0}}),
                   kCourseValues, "P(w) = count(w)^0.75 / Σ_v count(v)^0.75"));
}

TEST(NoiseDistribution, MatchesReference) {
  RandomState rng(5);
  for (int vocab : {1, 7, 300}) {
    std::vector<int64_t> counts(vocab);
    for (auto& c : counts) c = rng.randint(1, 5000);
    auto got = Call("noise_distribution",
                    [&] { return graded::noise_distribution(counts); });
    if (!got) return;
    const std::vector<double> want = reference::noise_distribution(counts);
    if (got->size() != want.size()) {
      ADD_FAILURE() << "noise_distribution: " << got->size()
                    << " probabilities for " << vocab << " words: one per word";
      return;
    }
    EXPECT_TRUE(Near("noise_distribution",
                     "P for " + std::to_string(vocab) + " random counts",
                     Matrix(Eigen::Map<const Matrix>(got->data(), vocab, 1)),
                     Matrix(Eigen::Map<const Matrix>(want.data(), vocab, 1))));
  }
}

// ========================================================= get_negatives

TEST(GetNegatives, MatchesReferenceWithTheSameSeed) {
  RandomState data_rng(6);
  for (int K : {5, 1, 3}) {
    const auto pairs =
        reference::get_centers_and_contexts(random_corpus(data_rng, 10, 12), 2);
    std::vector<int64_t> counts(12);
    for (auto& c : counts) c = data_rng.randint(1, 100);
    const std::vector<double> P = reference::noise_distribution(counts);
    RandomState rng(7), rng_ref(7);
    auto got = Call("get_negatives", [&] {
      return graded::get_negatives(pairs.contexts, P, K, rng);
    });
    if (!got) return;
    EXPECT_TRUE(SameIntLists(
        "get_negatives", "negatives (K = " + std::to_string(K) + ")", *got,
        reference::get_negatives(pairs.contexts, P, K, rng_ref),
        "one rng.choice(P) (one random_sample) per draw, centers in order, "
        "a draw that is one of the center's contexts is dropped and drawn "
        "again"));
  }
}

TEST(GetNegatives, SizesAndNoContextWords) {
  RandomState rng(8);
  const std::vector<std::vector<int>> all_contexts = {
      {0, 1}, {2}, {0, 1, 2, 3}, {4, 4, 1}};
  const std::vector<double> P = {0.3, 0.3, 0.2, 0.1, 0.05, 0.05};
  const int K = 4;
  auto got = Call("get_negatives", [&] {
    return graded::get_negatives(all_contexts, P, K, rng);
  });
  if (!got) return;
  if (got->size() != all_contexts.size()) {
    ADD_FAILURE() << "get_negatives: " << got->size() << " lists for "
                  << all_contexts.size() << " centers: one list per center";
    return;
  }
  for (size_t i = 0; i < all_contexts.size(); ++i) {
    if ((*got)[i].size() != all_contexts[i].size() * K) {
      ADD_FAILURE() << "get_negatives: center " << i << " has "
                    << all_contexts[i].size() << " contexts, so K * "
                    << all_contexts[i].size() << " = "
                    << all_contexts[i].size() * K << " negatives, not "
                    << (*got)[i].size();
    }
    for (int neg : (*got)[i]) {
      if (neg < 0 || neg >= static_cast<int>(P.size())) {
        ADD_FAILURE() << "get_negatives: " << neg << " is not a word index";
        return;
      }
      for (int c : all_contexts[i]) {
        if (neg == c) {
          ADD_FAILURE() << "get_negatives: center " << i
                        << " got its own context word " << c
                        << " as a negative: draw again instead";
          return;
        }
      }
    }
  }
}

// The draws follow P, renormalized over the words that are not contexts.
TEST(GetNegatives, FollowsTheNoiseDistribution) {
  RandomState rng(9);
  const std::vector<double> P = {0.4, 0.3, 0.2, 0.1};
  const int K = 20000;
  const std::vector<std::vector<int>> one_center = {{0}};
  auto got = Call("get_negatives",
                  [&] { return graded::get_negatives(one_center, P, K, rng); });
  if (!got) return;
  if (got->size() != 1 || (*got)[0].size() != static_cast<size_t>(K)) {
    ADD_FAILURE() << "get_negatives: one center with one context: one list "
                     "of K = "
                  << K << " negatives expected";
    return;
  }
  std::vector<double> freq(P.size());
  for (int w : (*got)[0]) {
    if (w >= 0 && w < static_cast<int>(P.size())) freq[w] += 1.0 / K;
  }
  const std::vector<double> want = {0, 0.5, 1 / 3., 1 / 6.};
  for (size_t w = 0; w < P.size(); ++w) {
    EXPECT_TRUE(
        Near("get_negatives",
             "the frequency of word " + std::to_string(w) + " in 20000 draws",
             freq[w], want[w], Tolerance{0.015, 0},
             "P = {0.4, 0.3, 0.2, 0.1} and word 0 is the context: "
             "the draws follow P renormalized over words 1..3"));
  }
}

// ================================================ negative_sampling_loss

TEST(NegativeSamplingLoss, SmallExample) {
  // z = thetaᵀ e_c = (1, -1): J = -log σ(1) - log σ(1) = 2 log(1 + e^-1).
  const Matrix e_c = matrix({{1}, {0}});
  const Matrix theta = matrix({{1, -1}, {0, 0}});
  auto got = Call("negative_sampling_loss",
                  [&] { return graded::negative_sampling_loss(e_c, theta); });
  if (!got) return;
  EXPECT_TRUE(Near("negative_sampling_loss", "J", *got, 0.6265233750364457,
                   kCourseValues,
                   "J = -log σ(z_0) - Σ_k log σ(-z_k): the NEGATIVES enter "
                   "with -z"));
}

TEST(NegativeSamplingLoss, OnlyTheTarget) {
  const Matrix e_c = matrix({{0.5}, {-1}, {2}});
  const Matrix theta = matrix({{1}, {1}, {1}});  // K = 0: z_0 = 1.5
  auto got = Call("negative_sampling_loss",
                  [&] { return graded::negative_sampling_loss(e_c, theta); });
  if (!got) return;
  EXPECT_TRUE(Near("negative_sampling_loss", "J with K = 0", *got,
                   std::log1p(std::exp(-1.5)), kCourseValues,
                   "column 0 of theta is the true target: J = -log σ(z_0)"));
}

TEST(NegativeSamplingLoss, LargeScoresStayFinite) {
  // z_0 = -800: σ(z_0) is 0 in double, but -log σ(-800) = 800.
  const Matrix e_c = matrix({{20}, {0}});
  const Matrix theta = matrix({{-40, 40}, {0, 1}});
  auto got = Call("negative_sampling_loss",
                  [&] { return graded::negative_sampling_loss(e_c, theta); });
  if (!got) return;
  EXPECT_TRUE(Near("negative_sampling_loss", "J with z = (-800, 800)", *got,
                   1600.0, kCourseValues,
                   "-log σ(z) = log(1 + exp(-z)); for z < 0 write it as "
                   "-z + log(1 + exp(z)) (std::log1p) so that nothing "
                   "overflows"));
}

TEST(NegativeSamplingLoss, MatchesReference) {
  RandomState rng(10);
  for (auto [n_e, K] :
       std::vector<std::pair<int, int>>{{50, 5}, {3, 1}, {1, 4}, {8, 0}}) {
    const Matrix e_c = rng.randn(n_e, 1) * 0.5;
    const Matrix theta = rng.randn(n_e, K + 1) * 0.5;
    auto got = Call("negative_sampling_loss",
                    [&] { return graded::negative_sampling_loss(e_c, theta); });
    if (!got) return;
    EXPECT_TRUE(Near(
        "negative_sampling_loss",
        "J (n_e = " + std::to_string(n_e) + ", K = " + std::to_string(K) + ")",
        *got, reference::negative_sampling_loss(e_c, theta)));
  }
}

// =========================================== negative_sampling_gradients

TEST(NegativeSamplingGradients, SmallExample) {
  const Matrix e_c = matrix({{1}, {0}});
  const Matrix theta = matrix({{1, -1}, {0, 0}});
  auto got = Call("negative_sampling_gradients", [&] {
    return graded::negative_sampling_gradients(e_c, theta);
  });
  if (!got) return;
  // z = (1, -1); dz = σ(z) - (1, 0) = (-0.26894142, 0.26894142).
  const double s = 0.2689414213699951;
  EXPECT_TRUE(Near("negative_sampling_gradients", "de_c", got->de_c,
                   matrix({{-2 * s}, {0}}), kCourseValues,
                   "de_c = theta dz, (n_e, 1)"));
  EXPECT_TRUE(Near("negative_sampling_gradients", "dtheta", got->dtheta,
                   matrix({{-s, s}, {0, 0}}), kCourseValues,
                   "dtheta = e_c dzᵀ, (n_e, K + 1), with dz = σ(z) - y and "
                   "y = (1, 0, ..., 0)"));
}

TEST(NegativeSamplingGradients, GradientsMatchFiniteDifferences) {
  RandomState rng(11);
  for (auto [n_e, K] :
       std::vector<std::pair<int, int>>{{6, 5}, {3, 1}, {1, 3}, {4, 0}}) {
    Matrix e_c = rng.randn(n_e, 1) * 0.7;
    Matrix theta = rng.randn(n_e, K + 1) * 0.7;
    auto got = Call("negative_sampling_gradients", [&] {
      return graded::negative_sampling_gradients(e_c, theta);
    });
    if (!got) return;
    const std::string f = "negative_sampling_gradients";
    const auto shape_de_c =
        HasShape(f, "de_c", got->de_c, n_e, 1, "de_c has e_c's shape");
    const auto shape_dtheta = HasShape(f, "dtheta", got->dtheta, n_e, K + 1,
                                       "dtheta has theta's shape");
    EXPECT_TRUE(shape_de_c);
    EXPECT_TRUE(shape_dtheta);
    if (!shape_de_c || !shape_dtheta) return;
    std::vector<GradientBlock> blocks = {{"de_c", &e_c, got->de_c},
                                         {"dtheta", &theta, got->dtheta}};
    const auto J = [&] {
      return reference::negative_sampling_loss(e_c, theta);
    };
    EXPECT_TRUE(GradientsMatch(f, CheckGradients(J, blocks)))
        << f << " (n_e = " << n_e << ", K = " << K << ")";
  }
}

TEST(NegativeSamplingGradients, MatchesReference) {
  RandomState rng(12);
  for (auto [n_e, K] :
       std::vector<std::pair<int, int>>{{50, 5}, {2, 7}, {1, 1}}) {
    const Matrix e_c = rng.randn(n_e, 1);
    const Matrix theta = rng.randn(n_e, K + 1);
    auto got = Call("negative_sampling_gradients", [&] {
      return graded::negative_sampling_gradients(e_c, theta);
    });
    if (!got) return;
    const auto want = reference::negative_sampling_gradients(e_c, theta);
    const std::string at =
        " (n_e = " + std::to_string(n_e) + ", K = " + std::to_string(K) + ")";
    EXPECT_TRUE(
        Near("negative_sampling_gradients", "de_c" + at, got->de_c, want.de_c));
    EXPECT_TRUE(Near("negative_sampling_gradients", "dtheta" + at, got->dtheta,
                     want.dtheta));
  }
}

// Your gradients train word vectors (with the reference's other steps) that
// solve most held-out analogies of the generated corpus.
TEST(NegativeSamplingGradients, TrainedVectorsSolveAnalogies) {
  auto got = Call("negative_sampling_gradients", [&] {
    word_vectors::SkipGramSteps steps = reference_steps();
    steps.negative_sampling_gradients = &graded::negative_sampling_gradients;
    return train_small(steps).map;
  });
  if (!got) return;
  const double acc = held_out_accuracy([&](auto& a, auto& b, auto& c) {
    return reference::complete_analogy(a, b, c, *got);
  });
  if (acc < 0.6) {
    ADD_FAILURE() << "negative_sampling_gradients: vectors trained with "
                     "your gradients answer only "
                  << acc * 100
                  << " % of the held-out analogies (the reference's: about "
                     "80 %)";
  }
}

// ===================================================== cosine_similarity

// The course's cosine_similarity_test (its vectors unseeded; ours seed 1).
TEST(CosineSimilarity, CoursePublicTests) {
  RandomState rng(1);
  const Vector a = rng.uniform(-10, 10, 10, 1).col(0);
  const Vector b = rng.uniform(-10, 10, 10, 1).col(0);
  const Matrix c = rng.uniform(-1, 1, 23, 1);
  const Vector pos = (c.array() >= 0).cast<double>().matrix().col(0);
  const Vector neg = (c.array() < 0).cast<double>().matrix().col(0);
  auto got = Call("cosine_similarity", [&] {
    return std::vector<double>{
        graded::cosine_similarity(a, a), graded::cosine_similarity(pos, neg),
        graded::cosine_similarity(a, -a), graded::cosine_similarity(a, b),
        graded::cosine_similarity(a * 2, b * 4)};
  });
  if (!got) return;
  const std::string f = "cosine_similarity";
  EXPECT_TRUE(Near(f, "cosine_similarity(a, a)", (*got)[0], 1.0, kCourseValues,
                   "cosine_similarity(a, a) must be 1"));
  EXPECT_TRUE(Near(f, "cosine_similarity(a, not(a))", (*got)[1], 0.0,
                   kCourseValues, "cosine_similarity(a, not(a)) must be 0"));
  EXPECT_TRUE(Near(f, "cosine_similarity(a, -a)", (*got)[2], -1.0,
                   kCourseValues, "cosine_similarity(a, -a) must be -1"));
  EXPECT_TRUE(Near(f, "cosine_similarity(2a, 4b)", (*got)[4], (*got)[3],
                   kCourseValues,
                   "cosine_similarity must be scale-independent: divide by "
                   "the product of the norms of the two inputs"));
  EXPECT_TRUE(Near(f, "cosine_similarity(a, b)", (*got)[3],
                   a.dot(b) / (a.norm() * b.norm()), kCourseValues,
                   "u·v / (‖u‖₂ ‖v‖₂)"));
}

TEST(CosineSimilarity, SpecialCases) {
  const Vector zero = Vector::Zero(3);
  const Vector u = vec({1, 2, 2});
  auto got = Call("cosine_similarity", [&] {
    return std::make_pair(graded::cosine_similarity(zero, zero),
                          graded::cosine_similarity(u, zero));
  });
  if (!got) return;
  EXPECT_TRUE(Near("cosine_similarity", "cosine_similarity(0, 0)", got->first,
                   1.0, kCourseValues,
                   "the course's special case: equal vectors give 1, "
                   "even two zero vectors"));
  EXPECT_TRUE(Near("cosine_similarity", "cosine_similarity(u, 0)", got->second,
                   0.0, kCourseValues,
                   "when ‖u‖ ‖v‖ is 0, return 0 (no division by 0)"));
}

TEST(CosineSimilarity, MatchesReference) {
  RandomState rng(13);
  for (int n : {50, 1, 7}) {
    const Vector u = random_vector(rng, n), v = random_vector(rng, n);
    auto got = Call("cosine_similarity",
                    [&] { return graded::cosine_similarity(u, v); });
    if (!got) return;
    EXPECT_TRUE(Near("cosine_similarity",
                     "cosine_similarity(u, v), n = " + std::to_string(n), *got,
                     reference::cosine_similarity(u, v)));
  }
}

// ====================================================== complete_analogy

// The course's complete_analogy_test, its map and its four asserts.
TEST(CompleteAnalogy, CoursePublicTests) {
  const WordToVecMap map = course_map();
  auto got = Call("complete_analogy", [&] {
    return std::vector<std::string>{
        graded::complete_analogy("a", "a_nw", "c", map),
        graded::complete_analogy("a", "a_s", "c", map),
        graded::complete_analogy("a", "synonym_of_a", "c", map),
        graded::complete_analogy("a", "c", "a", map)};
  });
  if (!got) return;
  const std::string f = "complete_analogy";
  EXPECT_TRUE(SameWord("('a', 'a_nw', 'c')", (*got)[0], "c_nw",
                       "the word w with the largest cosine_similarity(e_b - "
                       "e_a, e_w - e_c)"));
  EXPECT_TRUE(SameWord("('a', 'a_s', 'c')", (*got)[1], "c_s", ""));
  if ((*got)[2] == "c") {
    ADD_FAILURE() << f << "('a', 'synonym_of_a', 'c') gave \"c\": the best "
                  << "word cannot be the input word_c: skip it in the loop";
  }
  EXPECT_TRUE(SameWord("('a', 'c', 'a')", (*got)[3], "c",
                       "skip ONLY word_c (here 'a'), not word_a or word_b "
                       "(the course's 2021 notebook)"));
}

TEST(CompleteAnalogy, LowerCasesTheWords) {
  const WordToVecMap map = course_map();
  auto got = Call("complete_analogy", [&] {
    return graded::complete_analogy("A", "A_NW", "C", map);
  });
  if (!got) return;
  EXPECT_TRUE(SameWord("('A', 'A_NW', 'C')", *got, "c_nw",
                       "lower-case the three words first, as the course "
                       "does"));
}

// Every candidate points away from e_b - e_a: the best similarity is
// negative, and still the answer (max_cosine_sim starts at -100, not 0).
// Two later words tie with it exactly: a later word wins only if strictly
// larger, so the first in the map's order stays.
TEST(CompleteAnalogy, AllSimilaritiesNegativeAndTies) {
  const WordToVecMap map = {
      {"a", vec({0, 0})},
      {"b", vec({1, 0})},
      {"c", vec({10, 0})},
      {"far_left", vec({5, 5})},
      {"near_below", vec({9, -20})},
      {"tie_1", vec({9, -20})},
      {"tie_2", vec({9, -20})},
  };
  auto got = Call("complete_analogy",
                  [&] { return graded::complete_analogy("a", "b", "c", map); });
  if (!got) return;
  EXPECT_TRUE(SameWord(
      "('a', 'b', 'c') where every similarity is negative", *got, "near_below",
      "start from max_cosine_sim = -100 (a start at 0 keeps no word when all "
      "similarities are negative), and replace the best only when strictly "
      "larger (near_below, tie_1 and tie_2 tie; the first in order stays)"));
}

TEST(CompleteAnalogy, MatchesReferenceOnRandomVectors) {
  RandomState rng(14);
  const WordToVecMap map = random_map(rng, 40, 6);
  for (int trial = 0; trial < 8; ++trial) {
    const std::string a = "w" + std::to_string(rng.randint(0, 40));
    const std::string b = "w" + std::to_string(rng.randint(0, 40));
    const std::string c = "w" + std::to_string(rng.randint(0, 40));
    auto got = Call("complete_analogy",
                    [&] { return graded::complete_analogy(a, b, c, map); });
    if (!got) return;
    EXPECT_TRUE(SameWord("(" + a + ", " + b + ", " + c + ") on random vectors",
                         *got, reference::complete_analogy(a, b, c, map),
                         "the word with the largest cosine_similarity(e_b - "
                         "e_a, e_w - e_c), w != word_c"));
  }
}

// On vectors trained by the reference: the same answers as the reference,
// and most held-out analogies right.
TEST(CompleteAnalogy, TrainedVectors) {
  const Trained t = train_small(reference_steps());
  std::vector<word_vectors::AnalogyQuestion> questions;
  for (const auto& q : word_vectors::analogy_questions()) {
    if (q.held_out) questions.push_back(q);
  }
  auto got = Call("complete_analogy", [&] {
    std::vector<std::string> answers;
    for (const auto& q : questions) {
      answers.push_back(graded::complete_analogy(q.a, q.b, q.c, t.map));
    }
    return answers;
  });
  if (!got) return;
  int right = 0, same = 0;
  std::string first_difference;
  for (size_t i = 0; i < questions.size(); ++i) {
    const auto& q = questions[i];
    right += (*got)[i] == q.d;
    const std::string want = reference::complete_analogy(q.a, q.b, q.c, t.map);
    if ((*got)[i] == want) {
      ++same;
    } else if (first_difference.empty()) {
      first_difference = q.a + " : " + q.b + " :: " + q.c + " : ? gave " +
                         (*got)[i] + ", expected " + want;
    }
  }
  if (same != static_cast<int>(questions.size())) {
    ADD_FAILURE() << "complete_analogy on trained vectors: " << same << " of "
                  << questions.size() << " answers as the reference; the "
                  << "first difference: " << first_difference;
  }
  if (right < 0.6 * questions.size()) {
    ADD_FAILURE() << "complete_analogy: only " << right << " of "
                  << questions.size() << " held-out analogies right";
  }
}

// ============================================================ neutralize

TEST(Neutralize, SmallExample) {
  const WordToVecMap map = {{"receptionist", vec({1, 2, 3})}};
  auto got = Call("neutralize", [&] {
    return graded::neutralize("receptionist", vec({0, 0, 2}), map);
  });
  if (!got) return;
  // e·g / ‖g‖² = 6 / 4, times g = (0, 0, 3).
  EXPECT_TRUE(Near("neutralize", "e_debiased", *got, vec({1, 2, 0}),
                   kCourseValues,
                   "e_biascomponent = (e·g / ‖g‖₂²) g (the SQUARED norm), "
                   "e_debiased = e - e_biascomponent"));
}

TEST(Neutralize, OrthogonalToTheBiasAxis) {
  RandomState rng(15);
  const WordToVecMap map = random_map(rng, 5, 8);
  const Vector g = random_vector(rng, 8, 0.3);
  for (const auto& [word, e] : map) {
    auto got =
        Call("neutralize", [&] { return graded::neutralize(word, g, map); });
    if (!got) return;
    if (got->size() != 8) {
      ADD_FAILURE() << "neutralize: e_debiased has " << got->size()
                    << " entries; it has e's shape (8,)";
      return;
    }
    EXPECT_TRUE(Near("neutralize", "e_debiased·g for " + word, got->dot(g), 0.0,
                     Tolerance{1e-12, 0}, "e_debiased is orthogonal to g"));
    EXPECT_TRUE(Near("neutralize", "e_debiased for " + word, *got,
                     reference::neutralize(word, g, map)));
  }
}

// ============================================================== equalize

TEST(Equalize, SmallExample) {
  const WordToVecMap map = {{"man", vec({0.8, 0.6})},
                            {"woman", vec({-0.6, 0.8})}};
  auto got = Call("equalize", [&] {
    return graded::equalize({"man", "woman"}, vec({1, 0}), map);
  });
  if (!got) return;
  // μ = (0.1, 0.7), μ_B = (0.1, 0), μ_⊥ = (0, 0.7); sqrt(1 - 0.49) = 0.714...
  const double s = std::sqrt(0.51);
  EXPECT_TRUE(Near("equalize", "e1", got->e1, vec({s, 0.7}), kCourseValues,
                   "e1 = sqrt(|1 - ‖μ_⊥‖²|) (e_w1B - μ_B) / ‖e_w1B - μ_B‖ + "
                   "μ_⊥"));
  EXPECT_TRUE(Near("equalize", "e2", got->e2, vec({-s, 0.7}), kCourseValues,
                   "e2: the same with e_w2B"));
}

// On unit vectors: equal norms 1, the same part orthogonal to B, opposite
// parts along B.
TEST(Equalize, PropertiesOnUnitVectors) {
  RandomState rng(16);
  for (int n : {5, 50}) {
    const WordToVecMap map = word_vectors::unit_vectors(random_map(rng, 2, n));
    const Vector B = random_vector(rng, n);
    auto got = Call("equalize", [&] {
      return graded::equalize({"w0", "w1"}, B, map);
    });
    if (!got) return;
    const std::string f = "equalize";
    if (got->e1.size() != n || got->e2.size() != n) {
      ADD_FAILURE() << f << ": e1 and e2 have " << got->e1.size() << " and "
                    << got->e2.size() << " entries, expected " << n
                    << " (the vectors' shape)";
      return;
    }
    const Tolerance tol{1e-9, 0};
    EXPECT_TRUE(Near(f, "‖e1‖", got->e1.norm(), 1.0, tol,
                     "on unit vectors, e1 and e2 are unit vectors"));
    EXPECT_TRUE(Near(f, "‖e2‖", got->e2.norm(), 1.0, tol));
    EXPECT_TRUE(Near(f, "e1·B + e2·B", got->e1.dot(B) + got->e2.dot(B), 0.0,
                     tol,
                     "e1 and e2 lie on either side of the bias axis, at the "
                     "same distance"));
    const auto want = reference::equalize({"w0", "w1"}, B, map);
    EXPECT_TRUE(
        Near(f, "e1 (n = " + std::to_string(n) + ")", got->e1, want.e1));
    EXPECT_TRUE(
        Near(f, "e2 (n = " + std::to_string(n) + ")", got->e2, want.e2));
  }
}

// ======================================================= sentence_to_avg

// The course's sentence_to_avg_test.
TEST(SentenceToAvg, CoursePublicTests) {
  const WordToVecMap map = course_map();
  auto got = Call("sentence_to_avg", [&] {
    return std::vector<Vector>{
        graded::sentence_to_avg("a a_nw c_w a_s", map),
        graded::sentence_to_avg("love a a_nw c_w a_s", map),
        graded::sentence_to_avg("love", map),
        graded::sentence_to_avg("c_se foo a a_nw c_w a_s deeplearning c_nw",
                                map)};
  });
  if (!got) return;
  const std::string f = "sentence_to_avg";
  EXPECT_TRUE(Near(f, "avg of \"a a_nw c_w a_s\"", (*got)[0], vec({1.25, 2.5}),
                   kCourseValues, "check that you are finding the 4 words"));
  EXPECT_TRUE(Near(f, "avg of \"love a a_nw c_w a_s\"", (*got)[1],
                   vec({1.25, 2.5}), kCourseValues,
                   "divide by count (the words found), not len(words)"));
  EXPECT_TRUE(Near(f, "avg of \"love\"", (*got)[2], vec({0, 0}), kCourseValues,
                   "the average of no words must be zeros, of the vectors' "
                   "shape"));
  EXPECT_TRUE(Near(f, "avg of \"c_se foo a a_nw c_w a_s deeplearning c_nw\"",
                   (*got)[3], vec({1 / 6., 2.0}), kCourseValues,
                   "debug the last example"));
}

TEST(SentenceToAvg, LowerCaseAndAnySpaces) {
  const WordToVecMap map = course_map();
  auto got = Call("sentence_to_avg", [&] {
    return graded::sentence_to_avg("  A  a_NW\tC_w   a_s ", map);
  });
  if (!got) return;
  EXPECT_TRUE(Near("sentence_to_avg", "avg of \"  A  a_NW\\tC_w   a_s \"", *got,
                   vec({1.25, 2.5}), kCourseValues,
                   "lower-case the sentence, then split on any whitespace "
                   "(Python's split())"));
}

TEST(SentenceToAvg, MatchesReference) {
  RandomState rng(17);
  const WordToVecMap map = random_map(rng, 20, 6);
  for (int trial = 0; trial < 5; ++trial) {
    std::string sentence;
    const int64_t n = rng.randint(1, 9);
    for (int64_t i = 0; i < n; ++i) {
      sentence += "w" + std::to_string(rng.randint(0, 30)) + " ";
    }
    auto got = Call("sentence_to_avg",
                    [&] { return graded::sentence_to_avg(sentence, map); });
    if (!got) return;
    EXPECT_TRUE(Near("sentence_to_avg", "avg of \"" + sentence + "\"", *got,
                     reference::sentence_to_avg(sentence, map)));
  }
}

// ======================================================= emojify_forward

TEST(EmojifyForward, SmallExample) {
  const Matrix avg = matrix({{1}, {2}});
  const Matrix W = matrix({{1, 0}, {0, 1}, {1, 1}});
  const Matrix b = matrix({{0}, {0}, {-3}});
  auto got = Call("emojify_forward",
                  [&] { return graded::emojify_forward(avg, W, b); });
  if (!got) return;
  // z = (1, 2, 0).
  const double s = std::exp(1) + std::exp(2) + 1;
  EXPECT_TRUE(Near("emojify_forward", "a", *got,
                   matrix({{std::exp(1) / s}, {std::exp(2) / s}, {1 / s}}),
                   kCourseValues, "a = softmax(W avg + b)"));
}

TEST(EmojifyForward, MatchesReference) {
  RandomState rng(18);
  for (auto [n_h, n_y, m] : std::vector<std::tuple<int, int, int>>{
           {50, 5, 1}, {4, 3, 6}, {2, 1, 3}, {1, 4, 2}}) {
    const Matrix avg = rng.randn(n_h, m);
    const Matrix W = rng.randn(n_y, n_h);
    const Matrix b = rng.randn(n_y, 1);
    auto got = Call("emojify_forward",
                    [&] { return graded::emojify_forward(avg, W, b); });
    if (!got) return;
    EXPECT_TRUE(Near(
        "emojify_forward",
        "a for avg " + dl::shape_string(avg) + ", W " + dl::shape_string(W),
        *got, reference::emojify_forward(avg, W, b), dl::grading::kReference,
        "b is added to EVERY column; softmax works column by "
        "column"));
  }
}

// ========================================================== emojify_cost

TEST(EmojifyCost, SmallExample) {
  const Matrix a = matrix({{0.7, 0.2}, {0.3, 0.8}});
  const Matrix Y_oh = matrix({{1, 0}, {0, 1}});
  auto got =
      Call("emojify_cost", [&] { return graded::emojify_cost(a, Y_oh); });
  if (!got) return;
  EXPECT_TRUE(Near("emojify_cost", "J", *got, -std::log(0.7) - std::log(0.8),
                   kCourseValues,
                   "J = -Σ Y_oh log(a), summed over the examples (no 1/m)"));
}

TEST(EmojifyCost, MatchesReference) {
  RandomState rng(19);
  for (auto [n_y, m] : std::vector<std::pair<int, int>>{{5, 1}, {3, 7}}) {
    const Matrix a = word_vectors::softmax(rng.randn(n_y, m));
    std::vector<int> Y(m);
    for (int& y : Y) y = static_cast<int>(rng.randint(0, n_y));
    const Matrix Y_oh = word_vectors::convert_to_one_hot(Y, n_y);
    auto got =
        Call("emojify_cost", [&] { return graded::emojify_cost(a, Y_oh); });
    if (!got) return;
    EXPECT_TRUE(Near("emojify_cost", "J (n_y, m) = " + dl::shape_string(a),
                     *got, reference::emojify_cost(a, Y_oh)));
  }
}

// ====================================================== emojify_backward

TEST(EmojifyBackward, GradientsMatchFiniteDifferences) {
  RandomState rng(20);
  for (auto [n_h, n_y, m] : std::vector<std::tuple<int, int, int>>{
           {4, 5, 1}, {3, 2, 6}, {1, 3, 2}}) {
    const Matrix avg = rng.randn(n_h, m);
    Matrix W = rng.randn(n_y, n_h) * 0.5;
    Matrix b = rng.randn(n_y, 1) * 0.5;
    std::vector<int> Y(m);
    for (int& y : Y) y = static_cast<int>(rng.randint(0, n_y));
    const Matrix Y_oh = word_vectors::convert_to_one_hot(Y, n_y);
    const Matrix a = reference::emojify_forward(avg, W, b);
    auto got = Call("emojify_backward",
                    [&] { return graded::emojify_backward(avg, a, Y_oh); });
    if (!got) return;
    const std::string f = "emojify_backward";
    const auto shape_dW =
        HasShape(f, "dW", got->dW, n_y, n_h, "dW has W's shape (n_y, n_h)");
    const auto shape_db =
        HasShape(f, "db", got->db, n_y, 1, "db has b's shape (n_y, 1)");
    EXPECT_TRUE(shape_dW);
    EXPECT_TRUE(shape_db);
    if (!shape_dW || !shape_db) return;
    std::vector<GradientBlock> blocks = {{"dW", &W, got->dW},
                                         {"db", &b, got->db}};
    const auto J = [&] {
      return reference::emojify_cost(reference::emojify_forward(avg, W, b),
                                     Y_oh);
    };
    EXPECT_TRUE(GradientsMatch(f, CheckGradients(J, blocks)))
        << f << ": the cost is SUMMED over the m examples, so are dW and db "
        << "(m = " << m << ")";
  }
}

TEST(EmojifyBackward, MatchesReference) {
  RandomState rng(21);
  const Matrix avg = rng.randn(50, 4);
  const Matrix a = word_vectors::softmax(rng.randn(5, 4));
  const Matrix Y_oh = word_vectors::convert_to_one_hot({0, 4, 2, 2}, 5);
  auto got = Call("emojify_backward",
                  [&] { return graded::emojify_backward(avg, a, Y_oh); });
  if (!got) return;
  const auto want = reference::emojify_backward(avg, a, Y_oh);
  EXPECT_TRUE(Near("emojify_backward", "dW", got->dW, want.dW));
  EXPECT_TRUE(Near("emojify_backward", "db", got->db, want.db));
}

// ================================================================= model

// The course's model_test: its map, sentences and labels, np.random.seed(10),
// learning rate 0.0025, 110 iterations.
TEST(Model, CoursePublicTest) {
  const WordToVecMap map = course_map(/*with_a_n=*/true);
  const std::vector<std::string> X = {
      "a a_s synonym_of_a a_n c_sw", "a a_s a_n c_sw",    "a_s  a a_n",
      "synonym_of_a a a_s a_n c_sw", " a_s a_n",          " a a_s a_n c ",
      " a_n  a c c c_e missing",     "c c_nw c_n c c_ne", "c_e c c_se c_s",
      "c_nw c a_s c_e c_e",          "c_e a_nw c_sw",     "c_sw c c_ne c_ne"};
  const std::vector<int> Y = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1};
  RandomState rng(10), rng_ref(10);
  auto got =
      Call("model", [&] { return graded::model(X, Y, map, 0.0025, 110, rng); });
  if (!got) return;
  const std::string f = "model";
  const auto shape_W =
      HasShape(f, "W", got->W, 2, 2, "W must be of shape 2 x 2 (n_y, n_h)");
  const auto shape_b = HasShape(f, "b", got->b, 2, 1, "b is (n_y, 1)");
  EXPECT_TRUE(shape_W);
  EXPECT_TRUE(shape_b);
  if (!shape_W || !shape_b) return;
  EXPECT_TRUE(SameInts(f, "pred", got->pred, Y,
                       "model must give a perfect "
                       "accuracy"));
  EXPECT_TRUE(Near(f, "b[0]", got->b(0, 0), -got->b(1, 0), kCourseValues,
                   "b should be symmetric in this example"));
  const auto want = reference::model(X, Y, map, 0.0025, 110, rng_ref);
  EXPECT_TRUE(Near(f, "W", got->W, want.W, dl::grading::kReference,
                   "W = rng.randn(n_y, n_h) / sqrt(n_h), then one SGD step "
                   "per sentence"));
  EXPECT_TRUE(Near(f, "b", got->b, want.b));
  if (got->costs.size() != 110u) {
    ADD_FAILURE() << f << ": " << got->costs.size()
                  << " costs for 110 iterations: one per iteration";
    return;
  }
  EXPECT_TRUE(Near(f, "costs[0]", got->costs[0], want.costs[0],
                   dl::grading::kReference,
                   "the SUM of the m sentences' losses of the iteration"));
  EXPECT_TRUE(Near(f, "costs[109]", got->costs[109], want.costs[109]));
}

// The generated emoji sentences and an embedding built for them: 5 classes.
TEST(Model, MatchesReferenceOnFiveClasses) {
  RandomState data_rng(22);
  const word_vectors::EmojiSet set = word_vectors::generate_emoji_set(data_rng);
  const WordToVecMap map = emoji_embedding(set, data_rng, 8);
  RandomState rng(1), rng_ref(1);
  auto got = Call("model", [&] {
    return graded::model(set.X_train, set.Y_train, map, 0.01, 20, rng);
  });
  if (!got) return;
  const auto want =
      reference::model(set.X_train, set.Y_train, map, 0.01, 20, rng_ref);
  EXPECT_TRUE(Near("model", "W", got->W, want.W));
  EXPECT_TRUE(Near("model", "b", got->b, want.b));
  EXPECT_TRUE(SameInts("model", "pred", got->pred, want.pred,
                       "pred = predict(X, W, b, word_to_vec_map) with the "
                       "final W and b"));
}

// The course's run: learning rate 0.01, 400 iterations, np.random.seed(1).
TEST(Model, LearnsToEmojify) {
  RandomState data_rng(23);
  const word_vectors::EmojiSet set = word_vectors::generate_emoji_set(data_rng);
  const WordToVecMap map = emoji_embedding(set, data_rng, 10);
  RandomState rng(1);
  auto got = Call("model", [&] {
    return graded::model(set.X_train, set.Y_train, map, 0.01, 400, rng);
  });
  if (!got) return;
  const double train = word_vectors::accuracy(got->pred, set.Y_train);
  const double test = word_vectors::accuracy(
      reference::predict(set.X_test, got->W, got->b, map), set.Y_test);
  if (train < 0.95 || test < 0.85) {
    ADD_FAILURE() << "model: training accuracy " << train << " (>= 0.95 "
                  << "expected), test accuracy " << test << " (>= 0.85 "
                  << "expected)";
  }
}

// ============================================================== predict

TEST(Predict, SmallExample) {
  const WordToVecMap map = course_map();
  // Class 0 likes the first coordinate, class 1 the second.
  const Matrix W = matrix({{1, 0}, {0, 1}});
  const Matrix b = matrix({{0}, {0}});
  auto got = Call("predict", [&] {
    return graded::predict({"a_s", "a_nw c", "unknown", "C_NE"}, W, b, map);
  });
  if (!got) return;
  // a_s = (3, 2) -> 0; avg(a_nw, c) = (0, 2.5) -> 1; no word: z = (0, 0), a
  // tie -> 0; c_ne = (-1, 2) -> 1.
  EXPECT_TRUE(SameInts("predict", "pred", *got, {0, 1, 0, 1},
                       "the index of the largest probability, the first on "
                       "a tie; sentences lower-cased as in sentence_to_avg"));
}

TEST(Predict, MatchesReference) {
  RandomState rng(24);
  const WordToVecMap map = random_map(rng, 15, 4);
  std::vector<std::string> X;
  for (int i = 0; i < 10; ++i) {
    X.push_back("w" + std::to_string(rng.randint(0, 15)) + " w" +
                std::to_string(rng.randint(0, 15)));
  }
  const Matrix W = rng.randn(5, 4);
  const Matrix b = rng.randn(5, 1);
  auto got = Call("predict", [&] { return graded::predict(X, W, b, map); });
  if (!got) return;
  EXPECT_TRUE(
      SameInts("predict", "pred", *got, reference::predict(X, W, b, map)));
}

}  // namespace
