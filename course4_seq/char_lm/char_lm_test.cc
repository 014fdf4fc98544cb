// Grades course4_seq/char_lm: the course's expected values (its notebook's
// tests, same seeds: clip with maxValue 10 and 5, sample with
// np.random.seed(24), optimize with np.random.seed(1)), clip's entry-by-entry
// behaviour, sample's stopping rules and its seeding scheme, a
// finite-difference check of optimize's gradients, and seeded comparisons with
// the reference solution on several sizes (n_a = 1, a vocabulary of 5, names
// of one character, more iterations than names).

#include "course4_seq/char_lm/char_lm.h"

#include <cmath>
#include <cstdint>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "course4_seq/char_lm/char_lm_test_util.h"
#include "course4_seq/char_lm/graded.h"  // see tools/unit.bzl
#include "gtest/gtest.h"

namespace reference = char_lm::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
using char_lm::Gradients;
using char_lm::kNone;
using char_lm::ModelResult;
using char_lm::OptimizeResult;
using char_lm::Parameters;
using char_lm::random_gradients;
using char_lm::random_parameters;
using char_lm::Vocabulary;
using dl::Matrix;
using dl::RandomState;

// --------------------------------------------------------------- fixtures

// The course's vocabulary: '\n' = 0, 'a' = 1, ..., 'z' = 26.
const Vocabulary& course_vocabulary() {
  static const Vocabulary v =
      char_lm::build_vocabulary("\nabcdefghijklmnopqrstuvwxyz");
  return v;
}

// A smaller one: '\n' = 0, 'a' .. 'd' = 1 .. 4.
const Vocabulary& small_vocabulary() {
  static const Vocabulary v = char_lm::build_vocabulary("\nabcd");
  return v;
}

// The gradient fields clip must treat, by name.
struct Field {
  const char* name;
  Matrix Gradients::*member;
};
const std::vector<Field> kFields = {{"dWax", &Gradients::dWax},
                                    {"dWaa", &Gradients::dWaa},
                                    {"dWya", &Gradients::dWya},
                                    {"db", &Gradients::db},
                                    {"dby", &Gradients::dby}};

struct ParameterField {
  const char* name;
  Matrix Parameters::*member;
};
const std::vector<ParameterField> kParameterFields = {{"Wax", &Parameters::Wax},
                                                      {"Waa", &Parameters::Waa},
                                                      {"Wya", &Parameters::Wya},
                                                      {"b", &Parameters::b},
                                                      {"by", &Parameters::by}};

// The course's clip_test: np.random.seed(3), then dWax (5, 3), dWaa (5, 5),
// dWya (2, 5), db (5, 1), dby (2, 1), each randn * 10.
Gradients course_clip_gradients() {
  RandomState rng(3);
  Gradients g;
  g.dWax = rng.randn(5, 3) * 10;
  g.dWaa = rng.randn(5, 5) * 10;
  g.dWya = rng.randn(2, 5) * 10;
  g.db = rng.randn(5, 1) * 10;
  g.dby = rng.randn(2, 1) * 10;
  return g;
}

std::string list_string(const std::vector<int>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) {
    s += (i ? ", " : "") +
         (v[i] == kNone ? std::string("kNone") : std::to_string(v[i]));
  }
  return s + "]";
}

// np.clip of one entry.
double clipped(double g, double maxValue) {
  return g > maxValue ? maxValue : (g < -maxValue ? -maxValue : g);
}

// One clipped gradient against np.clip of the original, entry by entry and
// exactly: clipping copies values, it computes nothing.
testing::AssertionResult ClippedExactly(const std::string& name,
                                        const Matrix& got,
                                        const Matrix& original, double maxValue,
                                        const std::string& context = "") {
  if (got.rows() != original.rows() || got.cols() != original.cols()) {
    return testing::AssertionFailure()
           << "clip: " << name << context << " has shape "
           << dl::shape_string(got) << ", expected "
           << dl::shape_string(original) << " (clipping keeps every shape)";
  }
  for (Eigen::Index i = 0; i < got.rows(); ++i) {
    for (Eigen::Index j = 0; j < got.cols(); ++j) {
      const double g = original(i, j), want = clipped(g, maxValue);
      if (got(i, j) == want) continue;
      std::ostringstream hint;
      if (got(i, j) == g) {
        hint << "it was not clipped: an entry outside [-maxValue, maxValue] "
                "must become the nearest bound. Did you assign the clipped "
                "matrix back (numpy's out=)?";
      } else if (g >= -maxValue && g <= maxValue) {
        hint << "it is inside [-maxValue, maxValue], so it must keep its "
                "value";
      } else if (g < -maxValue) {
        hint << "entries below -maxValue become -maxValue";
      } else {
        hint << "entries above maxValue become maxValue";
      }
      return testing::AssertionFailure()
             << "clip: " << name << context << "[" << i << "][" << j << "] is "
             << dl::repr(got(i, j)) << ", expected " << dl::repr(want)
             << " (the original value " << dl::repr(g) << ", maxValue "
             << dl::repr(maxValue) << "): " << hint.str();
    }
  }
  return testing::AssertionSuccess();
}

// The first position where two index lists differ, with both lists.
testing::AssertionResult SameIndices(const std::vector<int>& got,
                                     const std::vector<int>& want,
                                     const std::string& context,
                                     const std::string& hint) {
  if (got == want) return testing::AssertionSuccess();
  size_t k = 0;
  while (k < got.size() && k < want.size() && got[k] == want[k]) ++k;
  testing::AssertionResult r = testing::AssertionFailure();
  r << "sample" << context << ": the indices differ";
  if (k < got.size() && k < want.size()) {
    r << " first at position " << k << " (got " << got[k] << ", expected "
      << want[k] << ")";
  } else {
    r << " in length (got " << got.size() << ", expected " << want.size()
      << ")";
  }
  r << "\n    got      " << list_string(got) << "\n    expected "
    << list_string(want);
  if (!hint.empty()) r << "\n    " << hint;
  return r;
}

const char kSeedHint[] =
    "Seed before EVERY draw with rng.seed(counter + seed), and add 1 to both "
    "seed and counter after each character (so the seeds are seed, seed + 2, "
    "seed + 4, ...). Each step feeds the one-hot of the sampled index and "
    "the new a as a_prev into the next.";

// ===================================================================== clip

void ExpectCourseClip(double maxValue, double dWaa12, double dWax31,
                      double dWya12, double db4, double dby1) {
  const Gradients gradients = course_clip_gradients();
  auto got = Call("clip", [&] { return graded::clip(gradients, maxValue); });
  if (!got) return;
  const std::string m = " (maxValue " + dl::repr(maxValue) + ")";
  for (const Field& f : kFields) {
    ASSERT_TRUE(HasShape("clip", std::string(f.name) + m, (*got).*f.member,
                         (gradients.*f.member).rows(),
                         (gradients.*f.member).cols()));
  }
  EXPECT_TRUE(Near("clip", "gradients[\"dWaa\"][1][2]" + m, got->dWaa(1, 2),
                   dWaa12, kCourseValues));
  EXPECT_TRUE(Near("clip", "gradients[\"dWax\"][3][1]" + m, got->dWax(3, 1),
                   dWax31, kCourseValues));
  EXPECT_TRUE(Near("clip", "gradients[\"dWya\"][1][2]" + m, got->dWya(1, 2),
                   dWya12, kCourseValues));
  EXPECT_TRUE(Near("clip", "gradients[\"db\"][4]" + m, got->db(4, 0), db4,
                   kCourseValues));
  EXPECT_TRUE(Near("clip", "gradients[\"dby\"][1]" + m, got->dby(1, 0), dby1,
                   kCourseValues));
  // The course's asserts: every value inside the bounds, and the values
  // that were inside unchanged.
  for (const Field& f : kFields) {
    EXPECT_TRUE(ClippedExactly(f.name, (*got).*f.member, gradients.*f.member,
                               maxValue, m));
  }
}

TEST(Clip, CourseExampleMaxValue10) {
  ExpectCourseClip(10, 10.0, -10.0, 0.2971381536101662, 10.0, 8.45833407);
}

TEST(Clip, CourseExampleMaxValue5) {
  ExpectCourseClip(5, 5.0, -5.0, 0.2971381536101662, 5.0, 5.0);
}

// One gradient at a time out of range (the others small): each of the five
// must be clipped, none forgotten.
TEST(Clip, ClipsEachOfTheFiveGradients) {
  for (size_t k = 0; k < kFields.size(); ++k) {
    RandomState rng(40 + static_cast<uint32_t>(k));
    Gradients g = random_gradients(rng, 4, 6);
    g.da_next = rng.randn(4, 1);
    Matrix& big = g.*kFields[k].member;
    big *= 100.0;  // mostly outside [-5, 5], of both signs
    auto got = Call("clip", [&] { return graded::clip(g, 5.0); });
    if (!got) return;
    const std::string context =
        " (only " + std::string(kFields[k].name) + " out of range)";
    for (const Field& f : kFields) {
      EXPECT_TRUE(
          ClippedExactly(f.name, (*got).*f.member, g.*f.member, 5.0, context));
    }
  }
}

// Entries exactly at ±maxValue, just inside, just outside, zero; several
// bounds; non-square shapes.
TEST(Clip, OnlyValuesOutsideTheRangeChange) {
  for (double maxValue : {0.5, 1.0, 3.0}) {
    RandomState rng(50);
    Gradients g = random_gradients(rng, 3, 7, 2.0);
    g.dWax(0, 0) = maxValue;
    g.dWax(1, 0) = -maxValue;
    g.dWax(2, 0) = 0.0;
    g.dWax(0, 1) = std::nextafter(maxValue, 0.0);
    g.dWax(1, 1) = std::nextafter(-maxValue, -10.0);
    g.dby(0, 0) = -1e6;
    g.dby(1, 0) = 1e6;
    auto got = Call("clip", [&] { return graded::clip(g, maxValue); });
    if (!got) return;
    for (const Field& f : kFields) {
      EXPECT_TRUE(
          ClippedExactly(f.name, (*got).*f.member, g.*f.member, maxValue));
    }
  }
}

// =================================================================== sample

TEST(Sample, CourseExample) {
  RandomState rng(24);
  const int n_a = 100, vocab_size = 27;
  const Parameters p = random_parameters(rng, n_a, vocab_size);
  const Vocabulary& v = course_vocabulary();
  auto got = Call("sample", [&] { return graded::sample(p, v.char_to_ix, 0); });
  if (!got) return;
  const std::vector<int> want = {23, 16, 26, 26, 24, 3,  21, 1,  7,  24, 15,
                                 3,  25, 20, 6,  13, 10, 8,  20, 12, 2,  0};
  std::string hint = kSeedHint;
  if (!got->empty() && (*got)[0] != want[0]) {
    hint =
        "The very first index differs: a = tanh(Wax x + Waa a_prev + b) with "
        "x and a_prev zeros, y = softmax(Wya a + by), rng.seed(0 + seed) "
        "right before rng.choice(p), p = the vocab_size entries of y.";
  }
  EXPECT_TRUE(
      SameIndices(*got, want, " (the course's np.random.seed(24) case)", hint));
  if (*got == want) {
    std::string chars;
    for (int i : *got) chars += v.ix_to_char.at(i);
    EXPECT_EQ(chars, "wpzzxcuagxocytfmjhtlb\n");
  }
}

// With all parameters zero every character is equally likely, so each index
// depends on its seed only: this checks the seeding scheme alone.
TEST(Sample, SeedsEveryDrawWithCounterPlusSeed) {
  const int n_a = 4, vocab_size = 27;
  Parameters p;
  p.Wax = Matrix::Zero(n_a, vocab_size);
  p.Waa = Matrix::Zero(n_a, n_a);
  p.Wya = Matrix::Zero(vocab_size, n_a);
  p.b = Matrix::Zero(n_a, 1);
  p.by = Matrix::Zero(vocab_size, 1);
  for (int seed : {0, 5, 12}) {
    std::vector<int> want;
    RandomState rng;
    const std::vector<double> uniform(vocab_size, 1.0 / vocab_size);
    for (int counter = 0; counter < 50; ++counter) {
      rng.seed(static_cast<uint32_t>(counter + seed + counter));
      want.push_back(static_cast<int>(rng.choice(uniform)));
      if (want.back() == 0) break;
    }
    if (want.back() != 0) want.push_back(0);
    auto got = Call("sample", [&] {
      return graded::sample(p, course_vocabulary().char_to_ix, seed);
    });
    if (!got) return;
    EXPECT_TRUE(SameIndices(
        *got, want, " (all parameters zero, seed " + std::to_string(seed) + ")",
        kSeedHint));
  }
}

// by makes '\n' (index 0) certain: the name ends after one character.
TEST(Sample, StopsAtTheNewline) {
  RandomState rng(60);
  Parameters p = random_parameters(rng, 6, 27, 0.1);
  p.by(0, 0) = 60;
  auto got = Call("sample", [&] {
    return graded::sample(p, course_vocabulary().char_to_ix, 3);
  });
  if (!got) return;
  EXPECT_TRUE(SameIndices(*got, {0}, " ('\\n' almost certain)",
                          "Stop as soon as the newline index is drawn; it is "
                          "appended once, and nothing after it."));
}

// by makes '\n' impossible: 50 characters, then the newline is appended.
TEST(Sample, StopsAfter50Characters) {
  RandomState rng(61);
  Parameters p = random_parameters(rng, 6, 27, 0.1);
  p.by(0, 0) = -60;
  auto got = Call("sample", [&] {
    return graded::sample(p, course_vocabulary().char_to_ix, 1);
  });
  if (!got) return;
  const std::vector<int> want =
      reference::sample(p, course_vocabulary().char_to_ix, 1);
  ASSERT_EQ(want.size(), 51u);
  if (got->size() != 51 || got->back() != 0) {
    ADD_FAILURE() << "sample: with '\\n' impossible, stop after 50 characters "
                     "(counter == 50) and then append char_to_ix['\\n']: 51 "
                     "indices, the last one 0; got "
                  << got->size() << " indices: " << list_string(*got);
    return;
  }
  EXPECT_TRUE(SameIndices(*got, want, " ('\\n' impossible)", kSeedHint));
}

struct SampleCase {
  int n_a;
  bool small_vocabulary;
  double scale;
  int seed;
  uint32_t rng_seed;
};

TEST(Sample, MatchesReferenceOnSeveralSizes) {
  const std::vector<SampleCase> cases = {
      {5, false, 1.0, 0, 70},  {1, false, 1.0, 3, 71}, {50, false, 0.5, 7, 72},
      {8, true, 1.0, 2, 73},   {3, true, 2.0, 11, 74}, {100, false, 1.0, 6, 75},
      {20, false, 0.3, 4, 76},
  };
  for (const SampleCase& c : cases) {
    const Vocabulary& v =
        c.small_vocabulary ? small_vocabulary() : course_vocabulary();
    const int vocab_size = static_cast<int>(v.chars.size());
    RandomState rng(c.rng_seed);
    const Parameters p = random_parameters(rng, c.n_a, vocab_size, c.scale);
    auto got =
        Call("sample", [&] { return graded::sample(p, v.char_to_ix, c.seed); });
    if (!got) return;
    const std::string context = " (n_a = " + std::to_string(c.n_a) +
                                ", vocab_size = " + std::to_string(vocab_size) +
                                ", seed = " + std::to_string(c.seed) + ")";
    EXPECT_TRUE(SameIndices(
        *got, reference::sample(p, v.char_to_ix, c.seed), context,
        std::string(kSeedHint) +
            " vocab_size is by.rows() and n_a is Waa.cols(), not 27 and 100."));
  }
}

// ================================================================= optimize

struct CourseOptimize {
  Matrix a_prev;
  Parameters parameters;
  std::vector<int> X = {12, 3, 5, 11, 22, 3};
  std::vector<int> Y = {4, 14, 11, 22, 25, 26};
};

// The course's optimize_test: np.random.seed(1); a_prev (100, 1); Wax, Waa,
// Wya; b, by.
CourseOptimize course_optimize() {
  RandomState rng(1);
  CourseOptimize c;
  c.a_prev = rng.randn(100, 1);
  c.parameters = random_parameters(rng, 100, 27);
  return c;
}

// np.argmax: the flat index in numpy's row-major order of the first largest
// entry.
int64_t argmax(const Matrix& m) {
  int64_t best = 0;
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    for (Eigen::Index j = 0; j < m.cols(); ++j) {
      if (m(i, j) > m(best / m.cols(), best % m.cols()))
        best = i * m.cols() + j;
    }
  }
  return best;
}

TEST(Optimize, CourseExample) {
  CourseOptimize c = course_optimize();
  const Parameters old = c.parameters;
  auto got = Call("optimize", [&] {
    return graded::optimize(c.X, c.Y, c.a_prev, c.parameters, 0.01);
  });
  if (!got) return;
  const std::string f = "optimize";
  EXPECT_TRUE(Near(f, "loss", got->loss, 126.50397572165389, kCourseValues,
                   "loss is rnn_forward's loss (before the update)"));
  const Gradients& g = got->gradients;
  ASSERT_TRUE(HasShape(f, "gradients.dWaa", g.dWaa, 100, 100));
  ASSERT_TRUE(HasShape(f, "gradients.dWax", g.dWax, 100, 27));
  ASSERT_TRUE(HasShape(f, "gradients.dWya", g.dWya, 27, 100));
  ASSERT_TRUE(HasShape(f, "gradients.db", g.db, 100, 1));
  ASSERT_TRUE(HasShape(f, "gradients.dby", g.dby, 27, 1));
  ASSERT_TRUE(HasShape(f, "a_last", got->a_last, 100, 1));
  EXPECT_TRUE(Near(f, "gradients[\"dWaa\"][1][2]", g.dWaa(1, 2),
                   0.19470931534713587, kCourseValues));
  EXPECT_EQ(argmax(g.dWax), 93)
      << "optimize: np.argmax(gradients[\"dWax\"]) should be 93 (row 3, "
         "column 12): the first entry clipped to exactly 5.0. Clip with "
         "clip(gradients, 5).";
  EXPECT_TRUE(Near(f, "gradients[\"dWya\"][1][2]", g.dWya(1, 2),
                   -0.007773876032002162, kCourseValues));
  EXPECT_TRUE(
      Near(f, "gradients[\"db\"][4]", g.db(4, 0), -0.06809825, kCourseValues));
  EXPECT_TRUE(
      Near(f, "gradients[\"dby\"][1]", g.dby(1, 0), 0.01538192, kCourseValues));
  EXPECT_TRUE(Near(f, "a_last[4]", got->a_last(4, 0), -1.0, kCourseValues,
                   "a_last is the hidden state of the last step, a[len(X)-1]"));
  for (const Field& fd : kFields) {
    const Matrix& m = g.*fd.member;
    EXPECT_TRUE(m.size() > 0 && m.maxCoeff() <= 5 && m.minCoeff() >= -5)
        << "optimize: gradients." << fd.name
        << " must be clipped to [-5, 5] (clip(gradients, 5))";
  }
  EXPECT_FALSE(c.parameters.Wya == old.Wya)
      << "optimize: parameters were not updated: call update_parameters("
         "parameters, gradients, learning_rate) on the parameters you were "
         "given (a reference, changed in place)";
}

struct OptimizeCase {
  int n_a;
  bool small_vocabulary;
  double scale;
  double learning_rate;
  std::vector<int> X, Y;
  uint32_t rng_seed;
};

TEST(Optimize, MatchesReferenceOnSeveralSizes) {
  const std::vector<OptimizeCase> cases = {
      {100,
       false,
       1.0,
       0.01,
       {12, 3, 5, 11, 22, 3},
       {4, 14, 11, 22, 25, 26},
       1},
      {7, false, 0.3, 0.05, {kNone, 20, 18, 15}, {20, 18, 15, 0}, 80},
      {1, false, 1.0, 0.01, {kNone, 1, 2}, {1, 2, 0}, 81},
      {6, true, 2.0, 0.1, {kNone, 4, 4, 1, 3, 2}, {4, 4, 1, 3, 2, 0}, 82},
      {5, false, 1.0, 0.01, {kNone}, {0}, 83},
  };
  for (const OptimizeCase& c : cases) {
    const int vocab_size = c.small_vocabulary ? 5 : 27;
    RandomState rng(c.rng_seed);
    const Matrix a_prev = rng.randn(c.n_a, 1);
    const Parameters start = random_parameters(rng, c.n_a, vocab_size, c.scale);
    Parameters p = start;
    auto got = Call("optimize", [&] {
      return graded::optimize(c.X, c.Y, a_prev, p, c.learning_rate);
    });
    if (!got) return;
    Parameters want_p = start;
    const OptimizeResult want =
        reference::optimize(c.X, c.Y, a_prev, want_p, c.learning_rate);
    const std::string s = " (n_a = " + std::to_string(c.n_a) +
                          ", vocab_size = " + std::to_string(vocab_size) +
                          ", X = " + list_string(c.X) +
                          ", learning_rate = " + dl::repr(c.learning_rate) +
                          ")";
    const std::string f = "optimize";
    EXPECT_TRUE(Near(f, "loss" + s, got->loss, want.loss, kReference,
                     "the loss of rnn_forward(X, Y, a_prev, parameters)"));
    const Gradients raw =
        char_lm::rnn_backward(
            c.X, c.Y, start,
            char_lm::rnn_forward(c.X, c.Y, a_prev, start).cache)
            .gradients;
    for (const Field& fd : kFields) {
      std::string hint = "clip(rnn_backward's gradients, 5)";
      const Matrix& g = got->gradients.*fd.member;
      if (g.rows() == (raw.*fd.member).rows() &&
          g.cols() == (raw.*fd.member).cols() && g == raw.*fd.member &&
          !(g == want.gradients.*fd.member)) {
        hint =
            "these are the gradients BEFORE clipping: clip them to "
            "[-5, 5] with clip(gradients, 5)";
      }
      EXPECT_TRUE(Near(f, std::string("gradients.") + fd.name + s, g,
                       want.gradients.*fd.member, kReference, hint));
    }
    EXPECT_TRUE(Near(f, "a_last" + s, got->a_last, want.a_last, kReference,
                     "a_last = backward.a[X.size() - 1], the last hidden "
                     "state"));
    for (const ParameterField& pf : kParameterFields) {
      EXPECT_TRUE(Near(
          f, std::string("parameters.") + pf.name + " after the update" + s,
          p.*pf.member, want_p.*pf.member, kReference,
          "update_parameters(parameters, clipped gradients, "
          "learning_rate), in place"));
    }
  }
}

// Before clipping (all gradients here are well inside [-5, 5]) optimize's
// gradients are those of the loss: check them by finite differences on a
// short name.
TEST(Optimize, GradientsMatchFiniteDifferences) {
  RandomState rng(90);
  const int n_a = 6, vocab_size = 27;
  const Matrix a_prev = rng.randn(n_a, 1) * 0.5;
  Parameters p = random_parameters(rng, n_a, vocab_size, 0.3);
  const std::vector<int> X = {kNone, 1, 4, 1};  // "ada"
  const std::vector<int> Y = {1, 4, 1, 0};
  const Gradients raw =
      char_lm::rnn_backward(X, Y, p,
                            char_lm::rnn_forward(X, Y, a_prev, p).cache)
          .gradients;
  for (const Field& fd : kFields) {
    ASSERT_LT((raw.*fd.member).cwiseAbs().maxCoeff(), 5.0)
        << "test setup: clipping must not change these gradients";
  }
  Parameters copy = p;
  auto got = Call("optimize",
                  [&] { return graded::optimize(X, Y, a_prev, copy, 0.01); });
  if (!got) return;
  for (const Field& fd : kFields) {
    const Matrix& g = got->gradients.*fd.member;
    const Matrix& like = raw.*fd.member;
    ASSERT_TRUE(HasShape("optimize", std::string("gradients.") + fd.name, g,
                         like.rows(), like.cols()));
  }
  auto J = [&] { return char_lm::rnn_forward(X, Y, a_prev, p).loss; };
  std::vector<GradientBlock> blocks = {{"dWax", &p.Wax, got->gradients.dWax},
                                       {"dWaa", &p.Waa, got->gradients.dWaa},
                                       {"dWya", &p.Wya, got->gradients.dWya},
                                       {"db", &p.b, got->gradients.db},
                                       {"dby", &p.by, got->gradients.dby}};
  EXPECT_TRUE(GradientsMatch("optimize", CheckGradients(J, blocks)));
}

// ==================================================================== model

// A few real genus names (not the corpus file: the test needs none).
const std::vector<std::string> kNames = {"aardonyx",
                                         "baryonyx",
                                         "coelophysis",
                                         "diplodocus",
                                         "edmontosaurus",
                                         "gallimimus",
                                         "herrerasaurus",
                                         "iguanodon",
                                         "kentrosaurus",
                                         "maiasaura",
                                         "oviraptor",
                                         "protoceratops",
                                         "spinosaurus",
                                         "troodon",
                                         "velociraptor",
                                         "zuul",
                                         "yi"};

// The first step alone: the loss is smooth(initial loss, the loss of the one
// name) with X = [None] + indices and Y = X[1:] + ['\n']. The course's first
// shuffled name was "turiasaurus", so one step on it alone reproduces the
// course's first printout: "Iteration: 0, Loss: 23.087336" and the names
// Nkzxwtdmfqoeyhsqwasjkjvu, Kneb, ..., Xwtdmfqoeyhsqwasjkjvu.
TEST(Model, CourseFirstIteration) {
  const Vocabulary& v = course_vocabulary();
  const std::vector<std::string> data = {"turiasaurus"};
  auto got = Call("model", [&] {
    return graded::model(data, v.ix_to_char, v.char_to_ix, 1, 50, 7, 27, false);
  });
  if (!got) return;
  std::vector<int> X = {kNone}, Y;
  for (char c : data[0]) {
    X.push_back(v.char_to_ix.at(c));
    Y.push_back(v.char_to_ix.at(c));
  }
  Y.push_back(0);
  const Parameters start = char_lm::initialize_parameters(50, 27, 27);
  const double curr =
      char_lm::rnn_forward(X, Y, Matrix::Zero(50, 1), start).loss;
  const double want = char_lm::smooth(char_lm::get_initial_loss(27, 7), curr);
  ASSERT_EQ(got->losses.size(), 1u)
      << "model: losses must hold the smoothed loss of every iteration "
         "(num_iterations = 1 here)";
  const std::string hint =
      "loss starts at get_initial_loss(vocab_size, dino_names); then loss = "
      "smooth(loss, curr_loss) with curr_loss from optimize on X = [kNone, "
      "t, u, r, ...], Y = [t, u, r, ..., '\\n'], a_prev = zeros (n_a, 1), "
      "parameters = initialize_parameters(n_a, vocab_size, vocab_size)";
  EXPECT_TRUE(Near("model", "losses[0] (the course printed 23.087336)",
                   got->losses[0], 23.087336, dl::grading::Tolerance{1e-6, 0},
                   hint));
  EXPECT_TRUE(Near("model", "losses[0] for the name \"turiasaurus\"",
                   got->losses[0], want, kReference, hint));
  EXPECT_EQ(got->last_dino_name, "Xwtdmfqoeyhsqwasjkjvu\n")
      << "model: after the first step the course samples Nkzxwtdmfqoeyhsqwasj"
         "kjvu, Kneb, Kzxwtdmfqoeyhsqwasjkjvu, Neb, Zxwtdmfqoeyhsqwasjkjvu, "
         "Eb, Xwtdmfqoeyhsqwasjkjvu (seeds 0 .. 6); last_dino_name is the "
         "last of them, get_sample(...) with its '\\n'. Sample AFTER the "
         "step of iteration 0 (j % 2000 == 0 includes j = 0).";
}

// Each step's curr_loss from the smoothed losses:
// losses[j] = 0.999 losses[j-1] + 0.001 curr_loss[j], losses[-1] = initial.
std::vector<double> step_losses(const std::vector<double>& smoothed,
                                double initial) {
  std::vector<double> steps;
  double previous = initial;
  for (double loss : smoothed) {
    steps.push_back((loss - 0.999 * previous) / 0.001);
    previous = loss;
  }
  return steps;
}

struct ModelCase {
  int num_iterations, n_a, dino_names;
};

TEST(Model, MatchesReferenceOnSmallCorpus) {
  const Vocabulary& v = course_vocabulary();
  // 40 > 17 names: the examples come round again (j % len(examples));
  // 2001: samples at j = 0 and j = 2000; n_a = 1.
  const std::vector<ModelCase> cases = {{40, 50, 7}, {2001, 6, 3}, {25, 1, 2}};
  for (const ModelCase& c : cases) {
    auto got = Call("model", [&] {
      return graded::model(kNames, v.ix_to_char, v.char_to_ix, c.num_iterations,
                           c.n_a, c.dino_names, 27, false);
    });
    if (!got) return;
    const ModelResult want =
        reference::model(kNames, v.ix_to_char, v.char_to_ix, c.num_iterations,
                         c.n_a, c.dino_names, 27, false);
    const std::string s =
        " (num_iterations = " + std::to_string(c.num_iterations) +
        ", n_a = " + std::to_string(c.n_a) +
        ", dino_names = " + std::to_string(c.dino_names) + ", 17 names)";
    ASSERT_EQ(got->losses.size(), want.losses.size())
        << "model: losses must hold one smoothed loss per iteration" << s;
    // Each step's own loss, recovered from the smoothing (which multiplies
    // it by 0.001 and would hide a small difference).
    const double initial = char_lm::get_initial_loss(27, c.dino_names);
    const std::vector<double> got_steps = step_losses(got->losses, initial);
    const std::vector<double> want_steps = step_losses(want.losses, initial);
    for (size_t j = 0; j < want.losses.size(); ++j) {
      const std::string what =
          "the loss of step " + std::to_string(j) +
          " (curr_loss, from losses[j] = 0.999 losses[j-1] + 0.001 "
          "curr_loss)" +
          s;
      if (!Near("model", what, got_steps[j], want_steps[j], kReference)) {
        const std::string hint =
            j == 0 ? "the first step: X, Y, the initial loss, "
                     "initialize_parameters, or the shuffle (np.random.seed(0) "
                     "then rng.shuffle(examples)) picked another first name"
                   : "the first steps agree: check the order of the names "
                     "(examples[j % examples.size()] after ONE shuffle), that "
                     "a_prev = the a_last of the step before (it is not reset "
                     "between names), and the learning rate 0.01";
        EXPECT_TRUE(
            Near("model", what, got_steps[j], want_steps[j], kReference, hint));
        break;
      }
    }
    EXPECT_TRUE(Near("model", "losses.back()" + s, got->losses.back(),
                     want.losses.back(), kReference,
                     "loss = smooth(loss, curr_loss) at every step"));
    for (const ParameterField& pf : kParameterFields) {
      EXPECT_TRUE(Near("model", std::string("parameters.") + pf.name + s,
                       got->parameters.*pf.member, want.parameters.*pf.member,
                       kReference));
    }
    EXPECT_EQ(got->last_dino_name, want.last_dino_name)
        << "model: last_dino_name" << s
        << " must be the last name sampled at the last j % 2000 == 0, with "
           "seeds 0 .. dino_names-1: get_sample(sample(parameters, "
           "char_to_ix, seed), ix_to_char)";
  }
}

}  // namespace
