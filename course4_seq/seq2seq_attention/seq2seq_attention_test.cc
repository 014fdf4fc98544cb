// Grades course4_seq/seq2seq_attention: the course's own checks of
// one_step_attention (shape, values in (0, 1)) and modelf (10 outputs, the
// layers' shapes), a seeded comparison with the reference solution on
// several shapes, finite-difference checks of the gradients that flow
// through your forward passes (one_step_attention, and the loss of a 3-step
// model), and the decoders against a worked example and an exhaustive
// search on a tiny vocabulary.

#include "course4_seq/seq2seq_attention/seq2seq_attention.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "common/nn/autograd.h"
#include "common/nn/test_util.h"
#include "course4_seq/seq2seq_attention/graded.h"  // see tools/unit.bzl
#include "course4_seq/seq2seq_attention/nmt_utils.h"
#include "gtest/gtest.h"

namespace reference = seq2seq_attention::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
namespace ag = dl::ag;
using dl::Matrix;
using dl::RandomState;
using dl::nn::test::Defined;
using seq2seq_attention::Attention;
using seq2seq_attention::AttentionParameters;
using seq2seq_attention::Hypothesis;
using seq2seq_attention::LstmWeights;
using seq2seq_attention::ModelOutput;
using seq2seq_attention::NextLogProbs;
using seq2seq_attention::NmtParameters;
using seq2seq_attention::Tensor3;
using seq2seq_attention::Var;

// --------------------------------------------------------------- helpers

// Small random attention layers (10 hidden units as the course's densor1).
// b2 is large enough that the relu of the energies is active everywhere
// (no kink near the inputs of the finite differences).
AttentionParameters RandomAttention(RandomState& rng, int n_a, int n_s,
                                    double b2 = 3) {
  AttentionParameters p;
  p.W1 = ag::Param(rng.randn(10, 2 * n_a + n_s) * 0.5);
  p.b1 = ag::Param(rng.randn(10, 1) * 0.5);
  p.W2 = ag::Param(rng.randn(1, 10) * 0.2);
  p.b2 = ag::Param(Matrix::Constant(1, 1, b2));
  return p;
}

// A one-hot input batch (n_x, m, Tx) of random characters.
Tensor3 RandomOneHot(RandomState& rng, int n_x, int m, int Tx) {
  std::vector<std::vector<int>> X(m, std::vector<int>(Tx));
  for (auto& row : X) {
    for (int& k : row) k = static_cast<int>(rng.randint(0, n_x));
  }
  return seq2seq_attention::one_hot(X, n_x);
}

std::vector<std::vector<int>> RandomLabels(RandomState& rng, int m, int Ty,
                                           int n_y) {
  std::vector<std::vector<int>> Y(m, std::vector<int>(Ty));
  for (auto& row : Y) {
    for (int& k : row) k = static_cast<int>(rng.randint(0, n_y));
  }
  return Y;
}

// A toy next-token model on a tiny vocabulary: the log-probabilities depend
// on the position and on the last token (a Markov chain), from randn logits.
struct ToyModel {
  int vocab = 0;
  // logits[t][last + 1]: last = -1 for the empty prefix.
  std::vector<std::vector<dl::Vector>> log_probs;

  NextLogProbs next() const {
    return [this](const std::vector<int>& prefix) {
      const size_t t = prefix.size();
      const int last = prefix.empty() ? -1 : prefix.back();
      return log_probs.at(t).at(static_cast<size_t>(last + 1));
    };
  }
};

ToyModel RandomToyModel(RandomState& rng, int vocab, int length) {
  ToyModel model;
  model.vocab = vocab;
  for (int t = 0; t < length; ++t) {
    std::vector<dl::Vector> rows;
    for (int last = -1; last < vocab; ++last) {
      const Matrix z = rng.randn(vocab, 1) * 2;
      const double lse = std::log(z.array().exp().sum());
      rows.push_back((z.array() - lse).matrix());
    }
    model.log_probs.push_back(std::move(rows));
  }
  return model;
}

// Every sequence of `length` tokens with its log-probability, best first
// (lexicographic order among equals).
std::vector<Hypothesis> ExhaustiveSearch(const NextLogProbs& next, int vocab,
                                         int length) {
  std::vector<Hypothesis> all(1);
  for (int t = 0; t < length; ++t) {
    std::vector<Hypothesis> longer;
    for (const Hypothesis& h : all) {
      const dl::Vector lp = next(h.tokens);
      for (int k = 0; k < vocab; ++k) {
        Hypothesis c = h;
        c.tokens.push_back(k);
        c.log_prob += lp(k);
        longer.push_back(c);
      }
    }
    all = std::move(longer);
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const Hypothesis& a, const Hypothesis& b) {
                     return a.log_prob > b.log_prob;
                   });
  return all;
}

std::string TokensString(const std::vector<int>& tokens) {
  std::string s = "[";
  for (size_t i = 0; i < tokens.size(); ++i) {
    s += (i ? ", " : "") + std::to_string(tokens[i]);
  }
  return s + "]";
}

// The same hypotheses (tokens exactly, log_prob to 1e-9), in the same order.
testing::AssertionResult SameHypotheses(const std::string& function,
                                        const std::vector<Hypothesis>& got,
                                        const std::vector<Hypothesis>& want) {
  if (got.size() != want.size()) {
    return testing::AssertionFailure()
           << function << " returned " << got.size() << " hypotheses, expected "
           << want.size() << " (the beam width, or fewer if there are fewer "
           << "sequences)";
  }
  for (size_t i = 0; i < got.size(); ++i) {
    if (got[i].tokens != want[i].tokens) {
      return testing::AssertionFailure()
             << function << ": hypothesis " << i << " is "
             << TokensString(got[i].tokens) << " (log_prob "
             << dl::repr(got[i].log_prob) << "), expected "
             << TokensString(want[i].tokens) << " (log_prob "
             << dl::repr(want[i].log_prob)
             << "). The beam must be sorted best first and keep the "
                "beam_width best candidates of every step.";
    }
    if (std::abs(got[i].log_prob - want[i].log_prob) > 1e-9) {
      return testing::AssertionFailure()
             << function << ": hypothesis " << i << " "
             << TokensString(got[i].tokens) << " has log_prob "
             << dl::repr(got[i].log_prob) << ", expected "
             << dl::repr(want[i].log_prob)
             << " (the sum of the chosen tokens' log-probabilities)";
    }
  }
  return testing::AssertionSuccess();
}

// ==================================================== one_step_attention

// The course's one_step_attention_test: m = 10, Tx = 30, n_a = 32, n_s = 64,
// a and s_prev uniform on (0, 1); context has shape (m, 1, n_s) there,
// (2 n_a, m) = (64, 10) here, and all its values are in (0, 1) (a convex
// combination of the a<t'>).
TEST(OneStepAttention, CourseShapesAndRange) {
  const int m = 10, Tx = 30, n_a = 32, n_s = 64;
  RandomState rng(10);
  const Var a = ag::Constant(rng.uniform(0, 1, 2 * n_a, m * Tx));
  const Var s_prev = ag::Constant(rng.uniform(0, 1, n_s, m));
  const NmtParameters parameters =
      seq2seq_attention::initialize_parameters(n_a, n_s, 37, 11, rng);
  auto got = Call("one_step_attention", [&] {
    return graded::one_step_attention(a, s_prev, parameters.attention);
  });
  if (!got) return;
  ASSERT_TRUE(Defined("one_step_attention", "context", got->context));
  ASSERT_TRUE(Defined("one_step_attention", "alphas", got->alphas));
  ASSERT_TRUE(HasShape("one_step_attention", "context", got->context.value(),
                       2 * n_a, m,
                       "The course's context is (m, 1, 2 n_a) = (10, 1, 64); "
                       "ours is (2 n_a, m)."));
  ASSERT_TRUE(
      HasShape("one_step_attention", "alphas", got->alphas.value(), Tx, m));
  const Matrix& context = got->context.value();
  EXPECT_TRUE((context.array() > 0).all() && (context.array() < 1).all())
      << "one_step_attention: every context value must be in (0, 1) here "
         "(a weighted mean of values in (0, 1)); got min "
      << dl::repr(context.minCoeff()) << ", max "
      << dl::repr(context.maxCoeff());
  EXPECT_TRUE(Near("one_step_attention", "alphas.colwise().sum()",
                   got->alphas.value().colwise().sum(), Matrix::Ones(1, m),
                   dl::grading::kReference,
                   "Each example's Tx weights must sum to 1: a softmax over "
                   "the Tx input steps (over the rows of the (Tx, m) "
                   "energies: ag::softmax(x, 0))."));
}

TEST(OneStepAttention, MatchesReference) {
  struct Case {
    int m, Tx, n_a, n_s;
  };
  for (const Case& c : {Case{3, 5, 2, 4}, Case{1, 7, 3, 2}, Case{4, 1, 2, 3},
                        Case{2, 6, 4, 4}}) {
    SCOPED_TRACE("m = " + std::to_string(c.m) + ", Tx = " +
                 std::to_string(c.Tx) + ", n_a = " + std::to_string(c.n_a) +
                 ", n_s = " + std::to_string(c.n_s));
    RandomState rng(c.m * 100 + c.Tx);
    const Var a = ag::Constant(rng.randn(2 * c.n_a, c.m * c.Tx));
    const Var s_prev = ag::Constant(rng.randn(c.n_s, c.m));
    // b2 = 0: about half of the energies are cut by the relu.
    const AttentionParameters p = RandomAttention(rng, c.n_a, c.n_s, 0.0);
    auto got = Call("one_step_attention",
                    [&] { return graded::one_step_attention(a, s_prev, p); });
    if (!got) return;
    const Attention want = reference::one_step_attention(a, s_prev, p);
    ASSERT_TRUE(Defined("one_step_attention", "alphas", got->alphas));
    ASSERT_TRUE(Defined("one_step_attention", "context", got->context));
    EXPECT_TRUE(Near("one_step_attention", "alphas", got->alphas.value(),
                     want.alphas.value(), dl::grading::kReference,
                     "Check the order of the concatenation (a first, then "
                     "the repeated s_prev), the relu on the energies, and "
                     "that column i of alphas holds example i's Tx weights "
                     "(reshape(energies, Tx, m))."));
    EXPECT_TRUE(Near("one_step_attention", "context", got->context.value(),
                     want.context.value(), dl::grading::kReference,
                     "context_i = Σ_t' α<t'>_i a<t'>_i: "
                     "ag::batch_matmul(a, alphas, m)."));
  }
}

// The gradients that flow back through your forward pass (ag::Backward)
// must be those of the function it computes: finite differences of
// J = Σ context * R1 + Σ alphas * R2 with respect to a, s_prev and the
// four weights.
TEST(OneStepAttention, GradientsMatchFiniteDifferences) {
  const int m = 3, Tx = 4, n_a = 2, n_s = 3;
  RandomState rng(21);
  Var a = ag::Param(rng.randn(2 * n_a, m * Tx));
  Var s_prev = ag::Param(rng.randn(n_s, m));
  AttentionParameters p = RandomAttention(rng, n_a, n_s);
  const Matrix R1 = rng.randn(2 * n_a, m), R2 = rng.randn(Tx, m);
  auto got = Call("one_step_attention",
                  [&] { return graded::one_step_attention(a, s_prev, p); });
  if (!got) return;
  ASSERT_TRUE(Defined("one_step_attention", "context", got->context));
  ASSERT_TRUE(Defined("one_step_attention", "alphas", got->alphas));
  ASSERT_TRUE(HasShape("one_step_attention", "context", got->context.value(),
                       2 * n_a, m));
  ASSERT_TRUE(
      HasShape("one_step_attention", "alphas", got->alphas.value(), Tx, m));
  const Var J = ag::sum(ag::mul(got->context, ag::Constant(R1))) +
                ag::sum(ag::mul(got->alphas, ag::Constant(R2)));
  std::vector<Var> inputs = {a, s_prev, p.W1, p.b1, p.W2, p.b2};
  ag::ZeroGrad(inputs);
  ag::Backward(J);
  const std::vector<std::string> names = {"a",  "s_prev", "W1",
                                          "b1", "W2",     "b2"};
  std::vector<GradientBlock> blocks;
  for (size_t k = 0; k < inputs.size(); ++k) {
    blocks.push_back(
        {"d" + names[k], &inputs[k].mutable_value(), inputs[k].grad()});
  }
  const auto cost = [&] {
    const Attention out = graded::one_step_attention(a, s_prev, p);
    return (out.context.value().array() * R1.array()).sum() +
           (out.alphas.value().array() * R2.array()).sum();
  };
  EXPECT_TRUE(
      GradientsMatch("one_step_attention", CheckGradients(cost, blocks)))
      << "A zero gradient usually means a weight was copied into an "
         "ag::Constant (or its .value() used) instead of the Var itself.";
}

// ================================================================ modelf

// The course's modelf_test: Tx = 30, Ty = 10, n_a = 32, n_s = 64,
// human_vocab 37, machine_vocab 11: 10 outputs of (m, 11) there, (11, m)
// here, and the attention weights (Tx, m) of each step.
TEST(Modelf, CourseShapes) {
  const int m = 10, Tx = 30, Ty = 10, n_a = 32, n_s = 64;
  RandomState rng(1);
  const NmtParameters parameters =
      seq2seq_attention::initialize_parameters(n_a, n_s, 37, 11, rng);
  const Tensor3 Xoh = RandomOneHot(rng, 37, m, Tx);
  auto got =
      Call("modelf", [&] { return graded::modelf(Xoh, Ty, parameters); });
  if (!got) return;
  ASSERT_EQ(got->outputs.size(), static_cast<size_t>(Ty))
      << "modelf: Wrong output shape. Expected 10 outputs (one per output "
         "step), got "
      << got->outputs.size();
  ASSERT_EQ(got->alphas.size(), static_cast<size_t>(Ty))
      << "modelf: expected the alphas of each of the 10 steps, got "
      << got->alphas.size();
  for (int t = 0; t < Ty; ++t) {
    ASSERT_TRUE(Defined("modelf", "outputs[" + std::to_string(t) + "]",
                        got->outputs[t]));
    ASSERT_TRUE(
        Defined("modelf", "alphas[" + std::to_string(t) + "]", got->alphas[t]));
    EXPECT_TRUE(HasShape("modelf", "outputs[" + std::to_string(t) + "]",
                         got->outputs[t].value(), 11, m,
                         "The course's output is (m, 11); ours (11, m)."));
    EXPECT_TRUE(HasShape("modelf", "alphas[" + std::to_string(t) + "]",
                         got->alphas[t].value(), Tx, m));
  }
}

TEST(Modelf, MatchesReference) {
  struct Case {
    int m, Tx, Ty, n_a, n_s, n_x, n_y;
  };
  for (const Case& c : {Case{3, 6, 4, 3, 5, 7, 4}, Case{1, 5, 3, 2, 4, 6, 3},
                        Case{2, 1, 2, 2, 3, 4, 5}}) {
    SCOPED_TRACE("m = " + std::to_string(c.m) + ", Tx = " +
                 std::to_string(c.Tx) + ", Ty = " + std::to_string(c.Ty));
    RandomState rng(c.m * 10 + c.Tx);
    NmtParameters p = seq2seq_attention::initialize_parameters(
        c.n_a, c.n_s, c.n_x, c.n_y, rng);
    // Random biases, so that every bias matters.
    for (Var& v : p.all()) {
      if (v.cols() == 1) v.mutable_value() = rng.randn(v.rows(), 1) * 0.5;
    }
    const Tensor3 Xoh = RandomOneHot(rng, c.n_x, c.m, c.Tx);
    auto got = Call("modelf", [&] { return graded::modelf(Xoh, c.Ty, p); });
    if (!got) return;
    const ModelOutput want = reference::modelf(Xoh, c.Ty, p);
    ASSERT_EQ(got->outputs.size(), want.outputs.size());
    ASSERT_EQ(got->alphas.size(), want.alphas.size());
    for (int t = 0; t < c.Ty; ++t) {
      const std::string step = "[" + std::to_string(t) + "]";
      ASSERT_TRUE(Defined("modelf", "alphas" + step, got->alphas[t]));
      ASSERT_TRUE(Defined("modelf", "outputs" + step, got->outputs[t]));
      EXPECT_TRUE(Near(
          "modelf", "alphas" + step, got->alphas[t].value(),
          want.alphas[t].value(), dl::grading::kReference,
          "Wrong from step 0: check the encoder. a<t> = [a→<t>; a←<t>] "
          "(forward on top), the backward LSTM runs from t = Tx-1 down to "
          "0 and stores its state of step t at a←<t>, and a = "
          "interleave_columns(...) of the Tx steps. Wrong from step 1 only: "
          "one_step_attention must get the post-attention LSTM's s<t-1>."));
      EXPECT_TRUE(Near("modelf", "outputs" + step, got->outputs[t].value(),
                       want.outputs[t].value(), dl::grading::kReference,
                       "outputs[t] = Wy s<t> + by, the logits (no softmax) "
                       "of the post-attention LSTM's new state s<t>."));
    }
  }
}

// The gradients of the loss of a 3-step model, through everything (the
// two encoder LSTMs, the attention, the post-attention LSTM and the output
// layer), against finite differences.
TEST(Modelf, GradientsOfAThreeStepLossMatchFiniteDifferences) {
  const int m = 2, Tx = 4, Ty = 3, n_a = 2, n_s = 3, n_x = 5, n_y = 4;
  RandomState rng(33);
  NmtParameters p =
      seq2seq_attention::initialize_parameters(n_a, n_s, n_x, n_y, rng);
  // Sharper attention than at initialization, so that its weights'
  // gradients stand out of the rounding errors; b2 = 5 keeps the relu of
  // the energies active (no kink near the finite differences). (b2's
  // gradient is 0: adding the same number to every energy does not change
  // their softmax.)
  p.attention.W1.mutable_value() *= 3;
  p.attention.W2.mutable_value() = rng.randn(1, 10) * 0.5;
  p.attention.b2.mutable_value()(0, 0) = 5;
  const Tensor3 Xoh = RandomOneHot(rng, n_x, m, Tx);
  const std::vector<std::vector<int>> Y = RandomLabels(rng, m, Ty, n_y);
  auto got = Call("modelf", [&] { return graded::modelf(Xoh, Ty, p); });
  if (!got) return;
  ASSERT_EQ(got->outputs.size(), static_cast<size_t>(Ty));
  for (const Var& o : got->outputs) {
    ASSERT_TRUE(Defined("modelf", "an output", o));
    ASSERT_TRUE(HasShape("modelf", "an output", o.value(), n_y, m));
  }
  std::vector<Var> params = p.all();
  ag::ZeroGrad(params);
  ag::Backward(seq2seq_attention::model_loss(got->outputs, Y));
  const std::vector<std::string> lstm = {"Wf", "bf", "Wi", "bi",
                                         "Wc", "bc", "Wo", "bo"};
  std::vector<std::string> names;
  for (const std::string layer :
       {"encoder_forward.", "encoder_backward.", "post_attention_lstm."}) {
    for (const std::string& w : lstm) names.push_back("d" + layer + w);
  }
  for (const std::string w : {"attention.W1", "attention.b1", "attention.W2",
                              "attention.b2", "Wy", "by"}) {
    names.push_back("d" + w);
  }
  std::vector<GradientBlock> blocks;
  for (size_t k = 0; k < params.size(); ++k) {
    blocks.push_back({names[k], &params[k].mutable_value(), params[k].grad()});
  }
  const auto cost = [&] {
    return seq2seq_attention::model_loss(graded::modelf(Xoh, Ty, p).outputs, Y)
        .item();
  };
  // Centered differences with epsilon 1e-5 and a threshold of 1e-6: with
  // the course's 1e-7, the rounding errors of the deep chain reach 5e-6 on
  // the small gradients of the attention's weights (with 1e-5: below 1e-7
  // for every block; a wrong gradient gives 1e-2 or more).
  EXPECT_TRUE(
      GradientsMatch("modelf", CheckGradients(cost, blocks, 1e-5), 1e-6))
      << "A block with a zero gradient was used through a copy "
         "(ag::Constant(W.value())) instead of the Var itself, or not at "
         "all.";
}

// ============================================================== decoding

// The lecture's example of greedy search going wrong, on 3 tokens: the most
// likely first token (0, P = 0.5) has weak continuations; token 1 (P = 0.4)
// is followed by token 1 with P = 0.9.
//   greedy: [0, 0], P = 0.5 · 0.4 = 0.2;  best: [1, 1], P = 0.36.
ToyModel LectureModel() {
  ToyModel model;
  model.vocab = 3;
  auto logs = [](double a, double b, double c) {
    dl::Vector v(3);
    v << std::log(a), std::log(b), std::log(c);
    return v;
  };
  model.log_probs = {
      {logs(0.5, 0.4, 0.1), logs(1, 1, 1), logs(1, 1, 1), logs(1, 1, 1)},
      {logs(1, 1, 1), logs(0.4, 0.3, 0.3), logs(0.05, 0.9, 0.05),
       logs(0.2, 0.2, 0.6)}};
  return model;
}

TEST(GreedySearch, LectureExample) {
  const ToyModel model = LectureModel();
  auto got = Call("greedy_search",
                  [&] { return graded::greedy_search(model.next(), 2); });
  if (!got) return;
  EXPECT_EQ(got->tokens, (std::vector<int>{0, 0}))
      << "greedy_search: got " << TokensString(got->tokens)
      << ", expected [0, 0]: the most likely token at each step";
  EXPECT_TRUE(
      Near("greedy_search", "log_prob", got->log_prob, std::log(0.5 * 0.4)));
}

TEST(GreedySearch, MatchesReference) {
  for (int seed = 0; seed < 5; ++seed) {
    RandomState rng(seed);
    const int vocab = 2 + seed, length = 6 - seed;
    const ToyModel model = RandomToyModel(rng, vocab, length);
    auto got = Call("greedy_search", [&] {
      return graded::greedy_search(model.next(), length);
    });
    if (!got) return;
    const Hypothesis want = reference::greedy_search(model.next(), length);
    EXPECT_TRUE(SameHypotheses("greedy_search", {*got}, {want}))
        << "vocabulary " << vocab << ", length " << length;
  }
}

TEST(BeamSearch, LectureExample) {
  const ToyModel model = LectureModel();
  auto got = Call("beam_search",
                  [&] { return graded::beam_search(model.next(), 2, 2); });
  if (!got) return;
  // Step 0 keeps [0] (0.5) and [1] (0.4); step 1 ranks [1, 1] (0.36) and
  // [0, 0] (0.2) first.
  Hypothesis best{{1, 1}, std::log(0.4 * 0.9)};
  Hypothesis second{{0, 0}, std::log(0.5 * 0.4)};
  EXPECT_TRUE(SameHypotheses("beam_search", *got, {best, second}));
}

// With B = V^(L-1) the beam keeps every prefix until the last step: beam
// search is then exact, and its beam is the B best sequences of an
// exhaustive search. With B = V^L it returns them all, best first.
TEST(BeamSearch, MatchesExhaustiveSearch) {
  const int vocab = 3, length = 4;
  RandomState rng(5);
  const ToyModel model = RandomToyModel(rng, vocab, length);
  const std::vector<Hypothesis> all =
      ExhaustiveSearch(model.next(), vocab, length);
  for (int width : {27, 81}) {
    auto got = Call("beam_search", [&] {
      return graded::beam_search(model.next(), length, width);
    });
    if (!got) return;
    const std::vector<Hypothesis> want(all.begin(), all.begin() + width);
    EXPECT_TRUE(SameHypotheses("beam_search", *got, want))
        << "beam width " << width << ", vocabulary 3, length 4";
  }
}

TEST(BeamSearch, WidthOneIsGreedy) {
  for (int seed = 10; seed < 15; ++seed) {
    RandomState rng(seed);
    const ToyModel model = RandomToyModel(rng, 4, 5);
    auto got = Call("beam_search",
                    [&] { return graded::beam_search(model.next(), 5, 1); });
    if (!got) return;
    const Hypothesis greedy = reference::greedy_search(model.next(), 5);
    EXPECT_TRUE(SameHypotheses("beam_search", *got, {greedy}))
        << "beam width 1 must give the greedy decoding";
  }
}

TEST(BeamSearch, MatchesReference) {
  for (int seed = 20; seed < 26; ++seed) {
    RandomState rng(seed);
    const int vocab = 3 + seed % 3, length = 3 + seed % 4, width = 2 + seed % 3;
    const ToyModel model = RandomToyModel(rng, vocab, length);
    auto got = Call("beam_search", [&] {
      return graded::beam_search(model.next(), length, width);
    });
    if (!got) return;
    EXPECT_TRUE(
        SameHypotheses("beam_search", *got,
                       reference::beam_search(model.next(), length, width)))
        << "vocabulary " << vocab << ", length " << length << ", width "
        << width;
  }
}

}  // namespace
