// Grades course4_seq/rnn_step_by_step: the course's expected values (its
// notebook and its public tests, same seeds), diagnostic cases that isolate
// one term, a seeded comparison with the reference solution on several
// shapes, and finite-difference checks of every backward function (for the
// sequences: accumulation of dW over time and the da_prev / dc_prev chains,
// each in its own test).

#include "course4_seq/rnn_step_by_step/rnn_step_by_step.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "course4_seq/rnn_step_by_step/graded.h"  // see tools/unit.bzl
#include "course4_seq/rnn_step_by_step/rnn_test_util.h"
#include "gtest/gtest.h"

namespace reference = rnn_step_by_step::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
using namespace rnn_test;     // NOLINT: the RNN fixtures (rnn_test_util.h)
using dl::Matrix;
using dl::matrix;
using dl::RandomState;
using rnn_step_by_step::LstmCaches;
using rnn_step_by_step::LstmCellCache;
using rnn_step_by_step::LstmParameters;
using rnn_step_by_step::RnnCaches;
using rnn_step_by_step::RnnCellCache;
using rnn_step_by_step::RnnParameters;
using rnn_step_by_step::time_step;

// The course's public tests print some values with 5 or 6 digits and compare
// them with np.allclose (or atol 1e-4): we use the same tolerances there.
constexpr Tolerance kSixDigits{1e-6, 1e-5};
constexpr Tolerance kPublicTestAtol{1e-4, 0};

// --------------------------------------------------------------- fixtures

// The course's test_cases.py, same draw order:
// Waa, Wax, Wya, ba, by.
RnnParameters course_rnn_parameters(RandomState& rng, int n_x, int n_a,
                                    int n_y) {
  RnnParameters p;
  p.Waa = rng.randn(n_a, n_a);
  p.Wax = rng.randn(n_a, n_x);
  p.Wya = rng.randn(n_y, n_a);
  p.ba = rng.randn(n_a, 1);
  p.by = rng.randn(n_y, 1);
  return p;
}

// Wf, bf, Wi, bi, Wo, bo, Wc, bc, Wy, by (the course's order).
LstmParameters course_lstm_parameters(RandomState& rng, int n_x, int n_a,
                                      int n_y) {
  LstmParameters p;
  p.Wf = rng.randn(n_a, n_a + n_x);
  p.bf = rng.randn(n_a, 1);
  p.Wi = rng.randn(n_a, n_a + n_x);
  p.bi = rng.randn(n_a, 1);
  p.Wo = rng.randn(n_a, n_a + n_x);
  p.bo = rng.randn(n_a, 1);
  p.Wc = rng.randn(n_a, n_a + n_x);
  p.bc = rng.randn(n_a, 1);
  p.Wy = rng.randn(n_y, n_a);
  p.by = rng.randn(n_y, 1);
  return p;
}

// Random RNN / LSTM parameters at a scale that keeps tanh and σ away from
// saturation, so that every gradient is well above rounding noise.
RnnParameters random_rnn_parameters(RandomState& rng, const Shape& s,
                                    double scale = 0.6) {
  RnnParameters p = course_rnn_parameters(rng, s.n_x, s.n_a, s.n_y);
  for (Matrix* w : {&p.Waa, &p.Wax, &p.Wya, &p.ba, &p.by}) *w *= scale;
  return p;
}
LstmParameters random_lstm_parameters(RandomState& rng, const Shape& s,
                                      double scale = 0.6) {
  LstmParameters p = course_lstm_parameters(rng, s.n_x, s.n_a, s.n_y);
  for (Matrix* w :
       {&p.Wf, &p.bf, &p.Wi, &p.bi, &p.Wo, &p.bo, &p.Wc, &p.bc, &p.Wy, &p.by}) {
    *w *= scale;
  }
  return p;
}

// The shapes of rnn_forward's a and y_pred, or lstm_forward's a, c and y,
// as the reference's: false, and the first wrong one reported, when one is
// wrong.
bool HasForwardShapes(const std::string& f,
                      const rnn_step_by_step::RnnForwardOutput& got,
                      const rnn_step_by_step::RnnForwardOutput& want) {
  return Reported(TensorHasShape(f, "a", got.a, dl::shape_of(want.a),
                                 "a is (n_a, m, T_x)")) &&
         Reported(TensorHasShape(f, "y_pred", got.y_pred,
                                 dl::shape_of(want.y_pred),
                                 "y_pred is (n_y, m, T_x)"));
}
bool HasForwardShapes(const std::string& f,
                      const rnn_step_by_step::LstmForwardOutput& got,
                      const rnn_step_by_step::LstmForwardOutput& want) {
  return Reported(TensorHasShape(f, "a", got.a, dl::shape_of(want.a),
                                 "a is (n_a, m, T_x)")) &&
         Reported(TensorHasShape(f, "c", got.c, dl::shape_of(want.c),
                                 "c is (n_a, m, T_x)")) &&
         Reported(TensorHasShape(f, "y", got.y, dl::shape_of(want.y),
                                 "y is (n_y, m, T_x)"));
}

// The eight weight gradients of lstm_cell_backward and lstm_backward (the
// same fields in LstmCellGradients and LstmGradients).

// Their shapes: false, and the first wrong one reported, when one is wrong.
template <typename Gradients>
bool HasLstmWeightGradientShapes(const std::string& f, const Gradients& got,
                                 int n_a, int n_x) {
  const std::string W = "is (n_a, n_a + n_x)", b = "is (n_a, 1)";
  return Reported(HasShape(f, "dWf", got.dWf, n_a, n_a + n_x, "dWf " + W)) &&
         Reported(HasShape(f, "dWi", got.dWi, n_a, n_a + n_x, "dWi " + W)) &&
         Reported(HasShape(f, "dWc", got.dWc, n_a, n_a + n_x, "dWc " + W)) &&
         Reported(HasShape(f, "dWo", got.dWo, n_a, n_a + n_x, "dWo " + W)) &&
         Reported(HasShape(f, "dbf", got.dbf, n_a, 1, "dbf " + b)) &&
         Reported(HasShape(f, "dbi", got.dbi, n_a, 1, "dbi " + b)) &&
         Reported(HasShape(f, "dbc", got.dbc, n_a, 1, "dbc " + b)) &&
         Reported(HasShape(f, "dbo", got.dbo, n_a, 1, "dbo " + b));
}

// Against the reference's, on the seeded shape s.
template <typename Gradients>
void ExpectLstmWeightGradientsNear(const std::string& f, const Shape& s,
                                   const Gradients& got,
                                   const Gradients& want) {
  EXPECT_TRUE(Near(f, "dWf" + s.str(), got.dWf, want.dWf));
  EXPECT_TRUE(Near(f, "dWi" + s.str(), got.dWi, want.dWi));
  EXPECT_TRUE(Near(f, "dWc" + s.str(), got.dWc, want.dWc));
  EXPECT_TRUE(Near(f, "dWo" + s.str(), got.dWo, want.dWo));
  EXPECT_TRUE(Near(f, "dbf" + s.str(), got.dbf, want.dbf));
  EXPECT_TRUE(Near(f, "dbi" + s.str(), got.dbi, want.dbi));
  EXPECT_TRUE(Near(f, "dbc" + s.str(), got.dbc, want.dbc));
  EXPECT_TRUE(Near(f, "dbo" + s.str(), got.dbo, want.dbo));
}

// The blocks of a finite-difference check: each parameter of p (perturbed)
// with the learner's gradient for it.
template <typename Gradients>
std::vector<GradientBlock> lstm_weight_blocks(LstmParameters& p,
                                              const Gradients& got) {
  return {{"dWf", &p.Wf, got.dWf}, {"dWi", &p.Wi, got.dWi},
          {"dWc", &p.Wc, got.dWc}, {"dWo", &p.Wo, got.dWo},
          {"dbf", &p.bf, got.dbf}, {"dbi", &p.bi, got.dbi},
          {"dbc", &p.bc, got.dbc}, {"dbo", &p.bo, got.dbo}};
}

// ========================================================= rnn_cell_forward

TEST(RnnCellForward, CourseValues) {
  RandomState rng(1);
  const Matrix xt = rng.randn(3, 10);
  const Matrix a_prev = rng.randn(5, 10);
  const RnnParameters p = course_rnn_parameters(rng, 3, 5, 2);
  auto got = Call("rnn_cell_forward",
                  [&] { return graded::rnn_cell_forward(xt, a_prev, p); });
  if (!got) return;
  const std::string f = "rnn_cell_forward";
  if (!Reported(
          HasShape(f, "a_next", got->a_next, 5, 10, "a_next is (n_a, m)")) ||
      !Reported(
          HasShape(f, "yt_pred", got->yt_pred, 2, 10, "yt_pred is (n_y, m)"))) {
    return;
  }
  EXPECT_TRUE(Near(
      f, "a_next[4]", got->a_next.row(4),
      matrix({{0.59584544, 0.18141802, 0.61311866, 0.99808218, 0.85016201,
               0.99980978, -0.18887155, 0.99815551, 0.6531151, 0.82872037}}),
      kCourseValues, "a_next = tanh(Waa a_prev + Wax xt + ba)"));
  EXPECT_TRUE(
      Near(f, "yt_pred[1]", got->yt_pred.row(1),
           matrix({{0.9888161, 0.01682021, 0.21140899, 0.36817467, 0.98988387,
                    0.88945212, 0.36920224, 0.9966312, 0.9982559, 0.17746526}}),
           kCourseValues,
           "yt_pred = softmax(Wya a_next + by), with the given softmax"));
}

TEST(RnnCellForward, CacheHoldsTheInputs) {
  RandomState rng(1);
  const Matrix xt = rng.randn(3, 10);
  const Matrix a_prev = rng.randn(5, 10);
  const RnnParameters p = course_rnn_parameters(rng, 3, 5, 2);
  auto got = Call("rnn_cell_forward",
                  [&] { return graded::rnn_cell_forward(xt, a_prev, p); });
  if (!got) return;
  const auto want = reference::rnn_cell_forward(xt, a_prev, p);
  const std::string f = "rnn_cell_forward";
  const std::string hint = "cache = (a_next, a_prev, xt, parameters)";
  EXPECT_TRUE(Near(f, "cache.a_next", got->cache.a_next, want.a_next,
                   kReference, hint));
  EXPECT_TRUE(
      Near(f, "cache.a_prev", got->cache.a_prev, a_prev, kReference, hint));
  EXPECT_TRUE(Near(f, "cache.xt", got->cache.xt, xt, kReference, hint));
  EXPECT_TRUE(Near(f, "cache.parameters.Wax", got->cache.parameters.Wax, p.Wax,
                   kReference, hint));
  EXPECT_TRUE(Near(f, "cache.parameters.Waa", got->cache.parameters.Waa, p.Waa,
                   kReference, hint));
}

// The course's public test: only one term of a_next non-zero at a time.
TEST(RnnCellForward, OneTermAtATime) {
  const int m = 10, n_x = 3, n_a = 5, n_y = 2;
  RandomState rng(1);
  rng.randn(n_x, m);
  rng.randn(n_a, m);
  RnnParameters p = course_rnn_parameters(rng, n_x, n_a, n_y);
  const std::string f = "rnn_cell_forward";

  // Only ba (and by); Wya = 0 catches a yt_pred computed from a_prev.
  {
    p.Wya = Matrix::Zero(n_y, n_a);
    const Matrix xt = Matrix::Zero(n_x, m), a_prev = Matrix::Zero(n_a, m);
    auto got = Call(f.c_str(),
                    [&] { return graded::rnn_cell_forward(xt, a_prev, p); });
    if (!got) return;
    const Matrix ba_cols = p.ba.replicate(1, m);
    const Matrix by_cols = p.by.replicate(1, m);
    EXPECT_TRUE(Near(f, "a_next when xt = 0 and a_prev = 0", got->a_next,
                     ba_cols.array().tanh().matrix(), kReference,
                     "only ba is left: a_next = tanh(ba) in every column. "
                     "Related to ba?"));
    EXPECT_TRUE(Near(f, "yt_pred when Wya = 0", got->yt_pred,
                     rnn_step_by_step::softmax(by_cols), kReference,
                     "only by is left: yt_pred = softmax(by). Related to by?"));
  }
  // Only xt.
  {
    const Matrix a_prev = Matrix::Zero(n_a, m);
    const Matrix xt = rng.randn(n_x, m);
    p.Wax = rng.randn(n_a, n_x);
    p.Wya = rng.randn(n_y, n_a);
    p.ba = Matrix::Zero(n_a, 1);
    p.by = Matrix::Zero(n_y, 1);
    auto got = Call(f.c_str(),
                    [&] { return graded::rnn_cell_forward(xt, a_prev, p); });
    if (!got) return;
    const Matrix want_a = (p.Wax * xt).array().tanh().matrix();
    EXPECT_TRUE(Near(f, "a_next when only xt is non-zero", got->a_next, want_a,
                     kReference, "check the Wax xt term"));
    EXPECT_TRUE(Near(f, "yt_pred when only xt is non-zero", got->yt_pred,
                     rnn_step_by_step::softmax(p.Wya * want_a), kReference,
                     "yt_pred uses the NEW hidden state: softmax(Wya a_next)"));
  }
  // Only a_prev.
  {
    const Matrix a_prev = rng.randn(n_a, m);
    const Matrix xt = Matrix::Zero(n_x, m);
    p.Waa = rng.randn(n_a, n_a);
    auto got = Call(f.c_str(),
                    [&] { return graded::rnn_cell_forward(xt, a_prev, p); });
    if (!got) return;
    const Matrix want_a = (p.Waa * a_prev).array().tanh().matrix();
    EXPECT_TRUE(Near(f, "a_next when only a_prev is non-zero", got->a_next,
                     want_a, kReference, "check the Waa a_prev term"));
    EXPECT_TRUE(Near(f, "yt_pred when only a_prev is non-zero", got->yt_pred,
                     rnn_step_by_step::softmax(p.Wya * want_a), kReference,
                     "yt_pred = softmax(Wya a_next + by)"));
  }
}

TEST(RnnCellForward, MatchesReferenceOnOtherShapes) {
  RandomState rng(101);
  for (const Shape& s : kShapes) {
    const Matrix xt = rng.randn(s.n_x, s.m);
    const Matrix a_prev = rng.randn(s.n_a, s.m);
    const RnnParameters p = course_rnn_parameters(rng, s.n_x, s.n_a, s.n_y);
    auto got = Call("rnn_cell_forward",
                    [&] { return graded::rnn_cell_forward(xt, a_prev, p); });
    if (!got) return;
    const auto want = reference::rnn_cell_forward(xt, a_prev, p);
    EXPECT_TRUE(
        Near("rnn_cell_forward", "a_next" + s.str(), got->a_next, want.a_next));
    EXPECT_TRUE(Near("rnn_cell_forward", "yt_pred" + s.str(), got->yt_pred,
                     want.yt_pred));
    EXPECT_TRUE(Near("rnn_cell_forward", "cache.a_prev" + s.str(),
                     got->cache.a_prev, a_prev));
  }
}

// ============================================================== rnn_forward

TEST(RnnForward, CourseValues) {
  RandomState rng(1);
  const Tensor3 x = rng.randn_tensor<3>({3, 10, 4});
  const Matrix a0 = rng.randn(5, 10);
  const RnnParameters p = course_rnn_parameters(rng, 3, 5, 2);
  auto got = Call("rnn_forward", [&] { return graded::rnn_forward(x, a0, p); });
  if (!got) return;
  const std::string f = "rnn_forward";
  const auto want = reference::rnn_forward(x, a0, p);
  if (!HasForwardShapes(f, *got, want)) return;
  EXPECT_TRUE(
      Near(f, "a[4][1]", over_time(got->a, 4, 1),
           matrix({{-0.99999375, 0.77911235, -0.99861469, -0.99833267}}),
           kCourseValues,
           "a[:, :, t] = a_next of step t; a_next starts at a0 and "
           "each step feeds the next"));
  EXPECT_TRUE(Near(f, "y_pred[1][3]", over_time(got->y_pred, 1, 3),
                   matrix({{0.79560373, 0.86224861, 0.11118257, 0.81515947}}),
                   kCourseValues, "y_pred[:, :, t] = yt_pred of step t"));
  ASSERT_EQ(got->caches.caches.size(), 4u)
      << f << ": caches.caches needs one cache per time step (T_x = 4)";
  EXPECT_TRUE(Near(f, "caches.x[1][3]", over_time(got->caches.x, 1, 3),
                   matrix({{-1.1425182, -0.34934272, -0.20889423, 0.58662319}}),
                   kCourseValues, "caches.x = x (the course's (caches, x))"));
}

// The course's public test (seed 17, T_x = 13, m = 8, n_x = 4, n_a = 7,
// n_y = 3).
TEST(RnnForward, CoursePublicTestValues) {
  RandomState rng(17);
  const Tensor3 x = rng.randn_tensor<3>({4, 8, 13});
  const Matrix a0 = rng.randn(7, 8);
  const RnnParameters p = course_rnn_parameters(rng, 4, 7, 3);
  auto got = Call("rnn_forward", [&] { return graded::rnn_forward(x, a0, p); });
  if (!got) return;
  const std::string f = "rnn_forward";
  const auto want = reference::rnn_forward(x, a0, p);
  if (!HasForwardShapes(f, *got, want)) return;
  EXPECT_TRUE(Near(f, "a[5, 2, 2:6]", over_time(got->a, 5, 2).middleCols(2, 4),
                   matrix({{0.99999291, 0.99332189, 0.9921928, 0.99503445}}),
                   kSixDigits));
  EXPECT_TRUE(Near(
      f, "y_pred[2, 1, 1:5]", over_time(got->y_pred, 2, 1).middleCols(1, 4),
      matrix({{0.19428, 0.14292, 0.24993, 0.00119}}), kPublicTestAtol));
}

TEST(RnnForward, MatchesReferenceOnOtherShapes) {
  RandomState rng(102);
  for (const Shape& s : kShapes) {
    const Tensor3 x = rng.randn_tensor<3>({s.n_x, s.m, s.T_x});
    const Matrix a0 = rng.randn(s.n_a, s.m);
    const RnnParameters p = course_rnn_parameters(rng, s.n_x, s.n_a, s.n_y);
    auto got =
        Call("rnn_forward", [&] { return graded::rnn_forward(x, a0, p); });
    if (!got) return;
    const auto want = reference::rnn_forward(x, a0, p);
    const std::string f = "rnn_forward";
    EXPECT_TRUE(Near(f, "a" + s.str(), got->a, want.a));
    EXPECT_TRUE(Near(f, "y_pred" + s.str(), got->y_pred, want.y_pred));
    ExpectStepCaches(f, s, got->caches, want.caches, x);
  }
}

// ======================================================== lstm_cell_forward

TEST(LstmCellForward, CourseValues) {
  RandomState rng(1);
  const Matrix xt = rng.randn(3, 10);
  const Matrix a_prev = rng.randn(5, 10);
  const Matrix c_prev = rng.randn(5, 10);
  const LstmParameters p = course_lstm_parameters(rng, 3, 5, 2);
  auto got = Call("lstm_cell_forward", [&] {
    return graded::lstm_cell_forward(xt, a_prev, c_prev, p);
  });
  if (!got) return;
  const std::string f = "lstm_cell_forward";
  if (!Reported(
          HasShape(f, "a_next", got->a_next, 5, 10, "a_next is (n_a, m)")) ||
      !Reported(
          HasShape(f, "c_next", got->c_next, 5, 10, "c_next is (n_a, m)")) ||
      !Reported(
          HasShape(f, "yt_pred", got->yt_pred, 2, 10, "yt_pred is (n_y, m)"))) {
    return;
  }
  EXPECT_TRUE(Near(
      f, "a_next[4]", got->a_next.row(4),
      matrix({{-0.66408471, 0.0036921, 0.02088357, 0.22834167, -0.85575339,
               0.00138482, 0.76566531, 0.34631421, -0.00215674, 0.43827275}}),
      kCourseValues, "a_next = Γo * tanh(c_next)"));
  EXPECT_TRUE(Near(
      f, "c_next[2]", got->c_next.row(2),
      matrix({{0.63267805, 1.00570849, 0.35504474, 0.20690913, -1.64566718,
               0.11832942, 0.76449811, -0.0981561, -0.74348425, -0.26810932}}),
      kCourseValues,
      "c_next = Γf * c_prev + Γu * c̃, with the gates computed "
      "on concat = [a_prev; xt] (a_prev first)"));
  EXPECT_TRUE(Near(
      f, "yt_pred[1]", got->yt_pred.row(1),
      matrix({{0.79913913, 0.15986619, 0.22412122, 0.15606108, 0.97057211,
               0.31146381, 0.00943007, 0.12666353, 0.39380172, 0.07828381}}),
      kCourseValues, "yt_pred = softmax(Wy a_next + by)"));
  EXPECT_TRUE(Near(
      f, "cache.c_next[3]", got->cache.c_next.row(3),
      matrix({{-0.16263996, 1.03729328, 0.72938082, -0.54101719, 0.02752074,
               -0.30821874, 0.07651101, -1.03752894, 1.41219977, -0.37647422}}),
      kCourseValues, "cache.c_next = c_next"));
}

// The course's public test (seed 212, m = 8, n_x = 4, n_a = 7, n_y = 3): the
// gates in the cache.
TEST(LstmCellForward, CoursePublicTestGates) {
  RandomState rng(212);
  const Matrix xt = rng.randn(4, 8);
  const Matrix a_prev = rng.randn(7, 8);
  const Matrix c_prev = rng.randn(7, 8);
  const LstmParameters p = course_lstm_parameters(rng, 4, 7, 3);
  auto got = Call("lstm_cell_forward", [&] {
    return graded::lstm_cell_forward(xt, a_prev, c_prev, p);
  });
  if (!got) return;
  const std::string f = "lstm_cell_forward";
  const LstmCellCache& c = got->cache;
  for (auto [name, m] : std::vector<std::pair<std::string, const Matrix*>>{
           {"ft", &c.ft},
           {"it", &c.it},
           {"cct", &c.cct},
           {"c_next", &c.c_next},
           {"ot", &c.ot},
           {"a_next", &c.a_next},
           {"a_prev", &c.a_prev},
           {"c_prev", &c.c_prev}}) {
    if (!Reported(HasShape(f, "cache." + name, *m, 7, 8, "(n_a, m)"))) return;
  }
  if (!Reported(HasShape(f, "cache.xt", c.xt, 4, 8, "(n_x, m)"))) return;
  EXPECT_TRUE(Near(f, "cache.ft[0, 0:2]", c.ft.block(0, 0, 1, 2),
                   matrix({{0.32969833, 0.0574555}}), kSixDigits,
                   "Γf = σ(Wf concat + bf)"));
  EXPECT_TRUE(Near(f, "cache.it[0, 0:2]", c.it.block(0, 0, 1, 2),
                   matrix({{0.0036446, 0.9806943}}), kSixDigits,
                   "Γu = σ(Wi concat + bi)"));
  EXPECT_TRUE(Near(f, "cache.cct[0, 0:2]", c.cct.block(0, 0, 1, 2),
                   matrix({{0.99903873, 0.57509956}}), kSixDigits,
                   "c̃ = tanh(Wc concat + bc)"));
  EXPECT_TRUE(Near(f, "cache.c_next[0, 0:2]", c.c_next.block(0, 0, 1, 2),
                   matrix({{0.1352798, 0.39884899}}), kSixDigits));
  EXPECT_TRUE(Near(f, "cache.ot[0, 0:2]", c.ot.block(0, 0, 1, 2),
                   matrix({{0.7477249, 0.71588751}}), kSixDigits,
                   "Γo = σ(Wo concat + bo)"));
  EXPECT_TRUE(Near(f, "cache.a_next[0, 0:2]", c.a_next.block(0, 0, 1, 2),
                   matrix({{0.10053951, 0.27129536}}), kSixDigits));
  EXPECT_TRUE(Near(f, "yt_pred[1]", got->yt_pred.row(1),
                   matrix({{0.417098, 0.449528, 0.223159, 0.278376, 0.68453,
                            0.419221, 0.564025, 0.538475}}),
                   kSixDigits));
}

// With the xt columns of every W zero, only a_prev drives the gates: a
// concatenation [xt; a_prev] in the wrong order shows up here.
TEST(LstmCellForward, ConcatPutsAPrevFirst) {
  RandomState rng(103);
  const Shape s{3, 5, 2, 4, 1};
  const Matrix xt = rng.randn(s.n_x, s.m);
  const Matrix a_prev = rng.randn(s.n_a, s.m);
  const Matrix c_prev = rng.randn(s.n_a, s.m);
  LstmParameters p = course_lstm_parameters(rng, s.n_x, s.n_a, s.n_y);
  for (Matrix* W : {&p.Wf, &p.Wi, &p.Wc, &p.Wo}) {
    W->rightCols(s.n_x).setZero();
  }
  auto got = Call("lstm_cell_forward", [&] {
    return graded::lstm_cell_forward(xt, a_prev, c_prev, p);
  });
  if (!got) return;
  const auto want = reference::lstm_cell_forward(xt, a_prev, c_prev, p);
  const std::string hint =
      "concat = [a_prev; xt]: a_prev on TOP (rows 0 .. n_a-1), so the first "
      "n_a columns of each W multiply a_prev";
  EXPECT_TRUE(Near("lstm_cell_forward", "cache.ft when only a_prev counts",
                   got->cache.ft, want.cache.ft, kReference, hint));
  EXPECT_TRUE(Near("lstm_cell_forward", "c_next when only a_prev counts",
                   got->c_next, want.c_next, kReference, hint));
}

TEST(LstmCellForward, MatchesReferenceOnOtherShapes) {
  RandomState rng(104);
  for (const Shape& s : kShapes) {
    const Matrix xt = rng.randn(s.n_x, s.m);
    const Matrix a_prev = rng.randn(s.n_a, s.m);
    const Matrix c_prev = rng.randn(s.n_a, s.m);
    const LstmParameters p = course_lstm_parameters(rng, s.n_x, s.n_a, s.n_y);
    auto got = Call("lstm_cell_forward", [&] {
      return graded::lstm_cell_forward(xt, a_prev, c_prev, p);
    });
    if (!got) return;
    const auto want = reference::lstm_cell_forward(xt, a_prev, c_prev, p);
    const std::string f = "lstm_cell_forward";
    EXPECT_TRUE(Near(f, "a_next" + s.str(), got->a_next, want.a_next));
    EXPECT_TRUE(Near(f, "c_next" + s.str(), got->c_next, want.c_next));
    EXPECT_TRUE(Near(f, "yt_pred" + s.str(), got->yt_pred, want.yt_pred));
    const LstmCellCache& g = got->cache;
    const LstmCellCache& w = want.cache;
    EXPECT_TRUE(Near(f, "cache.ft" + s.str(), g.ft, w.ft));
    EXPECT_TRUE(Near(f, "cache.it" + s.str(), g.it, w.it));
    EXPECT_TRUE(Near(f, "cache.cct" + s.str(), g.cct, w.cct));
    EXPECT_TRUE(Near(f, "cache.ot" + s.str(), g.ot, w.ot));
    EXPECT_TRUE(Near(f, "cache.a_prev" + s.str(), g.a_prev, a_prev));
    EXPECT_TRUE(Near(f, "cache.c_prev" + s.str(), g.c_prev, c_prev));
    EXPECT_TRUE(Near(f, "cache.xt" + s.str(), g.xt, xt));
  }
}

// ============================================================= lstm_forward

TEST(LstmForward, CourseValues) {
  RandomState rng(1);
  const Tensor3 x = rng.randn_tensor<3>({3, 10, 7});
  const Matrix a0 = rng.randn(5, 10);
  const LstmParameters p = course_lstm_parameters(rng, 3, 5, 2);
  auto got =
      Call("lstm_forward", [&] { return graded::lstm_forward(x, a0, p); });
  if (!got) return;
  const std::string f = "lstm_forward";
  const auto want = reference::lstm_forward(x, a0, p);
  if (!HasForwardShapes(f, *got, want)) return;
  EXPECT_TRUE(Near(f, "a[4][3][6]", got->a(4, 3, 6), 0.17211776753291663,
                   kCourseValues,
                   "a_next starts at a0 and c_next at zeros (n_a, m)"));
  EXPECT_TRUE(Near(f, "y[1][4][3]", got->y(1, 4, 3), 0.9508734618501101,
                   kCourseValues));
  EXPECT_TRUE(Near(f, "c[1][2][1]", got->c(1, 2, 1), -0.8555449167181983,
                   kCourseValues, "c[:, :, t] = c_next of step t"));
  ASSERT_EQ(got->caches.caches.size(), 7u)
      << f << ": caches.caches needs one cache per time step (T_x = 7)";
  EXPECT_TRUE(Near(f, "caches.x[1][1]", over_time(got->caches.x, 1, 1),
                   matrix({{0.82797464, 0.23009474, 0.76201118, -0.22232814,
                            -0.20075807, 0.18656139, 0.41005165}}),
                   kCourseValues, "caches.x = x"));
}

// The course's public test (seed 45, T_x = 16, m = 13, n_x = 4, n_a = 3,
// n_y = 2).
TEST(LstmForward, CoursePublicTestValues) {
  RandomState rng(45);
  const Tensor3 x = rng.randn_tensor<3>({4, 13, 16});
  const Matrix a0 = rng.randn(3, 13);
  const LstmParameters p = course_lstm_parameters(rng, 4, 3, 2);
  auto got =
      Call("lstm_forward", [&] { return graded::lstm_forward(x, a0, p); });
  if (!got) return;
  const std::string f = "lstm_forward";
  const auto want = reference::lstm_forward(x, a0, p);
  if (!HasForwardShapes(f, *got, want)) return;
  EXPECT_TRUE(Near(f, "a[2, 1, 4:6]", over_time(got->a, 2, 1).middleCols(4, 2),
                   matrix({{-0.01606022, 0.0243569}}), kSixDigits));
  EXPECT_TRUE(Near(f, "c[2, 1, 4:6]", over_time(got->c, 2, 1).middleCols(4, 2),
                   matrix({{-0.02753855, 0.05668358}}), kSixDigits));
  EXPECT_TRUE(Near(f, "y[1, 1, 4:6]", over_time(got->y, 1, 1).middleCols(4, 2),
                   matrix({{0.70444592, 0.70648935}}), kSixDigits));
}

TEST(LstmForward, MatchesReferenceOnOtherShapes) {
  RandomState rng(105);
  for (const Shape& s : kShapes) {
    const Tensor3 x = rng.randn_tensor<3>({s.n_x, s.m, s.T_x});
    const Matrix a0 = rng.randn(s.n_a, s.m);
    const LstmParameters p = course_lstm_parameters(rng, s.n_x, s.n_a, s.n_y);
    auto got =
        Call("lstm_forward", [&] { return graded::lstm_forward(x, a0, p); });
    if (!got) return;
    const auto want = reference::lstm_forward(x, a0, p);
    const std::string f = "lstm_forward";
    EXPECT_TRUE(Near(f, "a" + s.str(), got->a, want.a));
    EXPECT_TRUE(Near(f, "c" + s.str(), got->c, want.c, kReference,
                     "c_next starts at zeros and is carried from step to "
                     "step"));
    EXPECT_TRUE(Near(f, "y" + s.str(), got->y, want.y));
    ASSERT_EQ(got->caches.caches.size(), want.caches.caches.size())
        << f << ": one cache per time step" << s.str();
    for (int t = 0; t < s.T_x; ++t) {
      const std::string at = "caches.caches[" + std::to_string(t) + "]";
      EXPECT_TRUE(Near(f, at + ".c_prev" + s.str(),
                       got->caches.caches[t].c_prev,
                       want.caches.caches[t].c_prev, kReference,
                       "step t starts from the c_next of step t-1 (zeros for "
                       "t = 0)"));
    }
    EXPECT_TRUE(Near(f, "caches.x" + s.str(), got->caches.x, x));
  }
}

// ======================================================== rnn_cell_backward

TEST(RnnCellBackward, CourseValues) {
  RandomState rng(1);
  const Matrix xt = rng.randn(3, 10);
  const Matrix a_prev = rng.randn(5, 10);
  const RnnParameters p = course_rnn_parameters(rng, 3, 5, 2);
  const RnnCellCache cache = reference::rnn_cell_forward(xt, a_prev, p).cache;
  const Matrix da_next = rng.randn(5, 10);
  auto got = Call("rnn_cell_backward",
                  [&] { return graded::rnn_cell_backward(da_next, cache); });
  if (!got) return;
  const std::string f = "rnn_cell_backward";
  if (!Reported(HasShape(f, "dxt", got->dxt, 3, 10, "dxt is (n_x, m)")) ||
      !Reported(
          HasShape(f, "da_prev", got->da_prev, 5, 10, "da_prev is (n_a, m)")) ||
      !Reported(HasShape(f, "dWax", got->dWax, 5, 3, "dWax has Wax's shape")) ||
      !Reported(HasShape(f, "dWaa", got->dWaa, 5, 5, "dWaa has Waa's shape")) ||
      !Reported(HasShape(f, "dba", got->dba, 5, 1,
                         "dba has ba's shape: sum over the batch, axis 1"))) {
    return;
  }
  EXPECT_TRUE(Near(f, "dxt[1][2]", got->dxt(1, 2), 1.3653821219712918,
                   kCourseValues, "dxt = Waxᵀ dtanh"));
  EXPECT_TRUE(Near(f, "da_prev[2][3]", got->da_prev(2, 3), -0.04357779106461626,
                   kCourseValues, "da_prev = Waaᵀ dtanh"));
  EXPECT_TRUE(Near(f, "dWax[3][1]", got->dWax(3, 1), -1.5012584841864742,
                   kCourseValues, "dWax = dtanh xtᵀ"));
  EXPECT_TRUE(Near(f, "dWaa[1][2]", got->dWaa(1, 2), 1.1441951795389382,
                   kCourseValues, "dWaa = dtanh a_prevᵀ"));
  EXPECT_TRUE(Near(f, "dba[4]", got->dba(4, 0), 1.42397243, kCourseValues,
                   "dba = Σ over the batch of dtanh"));
}

TEST(RnnCellBackward, MatchesReferenceOnOtherShapes) {
  RandomState rng(106);
  for (const Shape& s : kShapes) {
    const Matrix xt = rng.randn(s.n_x, s.m);
    const Matrix a_prev = rng.randn(s.n_a, s.m);
    const RnnParameters p = course_rnn_parameters(rng, s.n_x, s.n_a, s.n_y);
    const RnnCellCache cache = reference::rnn_cell_forward(xt, a_prev, p).cache;
    const Matrix da_next = rng.randn(s.n_a, s.m);
    auto got = Call("rnn_cell_backward",
                    [&] { return graded::rnn_cell_backward(da_next, cache); });
    if (!got) return;
    const auto want = reference::rnn_cell_backward(da_next, cache);
    const std::string f = "rnn_cell_backward";
    EXPECT_TRUE(Near(f, "dxt" + s.str(), got->dxt, want.dxt));
    EXPECT_TRUE(Near(f, "da_prev" + s.str(), got->da_prev, want.da_prev));
    EXPECT_TRUE(Near(f, "dWax" + s.str(), got->dWax, want.dWax));
    EXPECT_TRUE(Near(f, "dWaa" + s.str(), got->dWaa, want.dWaa));
    EXPECT_TRUE(Near(f, "dba" + s.str(), got->dba, want.dba));
  }
}

// J = Σ a_next ⊙ da_next with a fixed da_next: ∂J/∂(everything) is what
// rnn_cell_backward returns.
TEST(RnnCellBackward, GradientsMatchFiniteDifferences) {
  RandomState rng(107);
  const Shape s = kCheckShape;
  Matrix xt = rng.randn(s.n_x, s.m);
  Matrix a_prev = rng.randn(s.n_a, s.m);
  RnnParameters p = random_rnn_parameters(rng, s);
  const Matrix da_next = rng.randn(s.n_a, s.m);
  const RnnCellCache cache = reference::rnn_cell_forward(xt, a_prev, p).cache;
  auto got = Call("rnn_cell_backward",
                  [&] { return graded::rnn_cell_backward(da_next, cache); });
  if (!got) return;
  auto J = [&] {
    return reference::rnn_cell_forward(xt, a_prev, p)
        .a_next.cwiseProduct(da_next)
        .sum();
  };
  std::vector<GradientBlock> blocks = {{"dxt", &xt, got->dxt},
                                       {"da_prev", &a_prev, got->da_prev},
                                       {"dWax", &p.Wax, got->dWax},
                                       {"dWaa", &p.Waa, got->dWaa},
                                       {"dba", &p.ba, got->dba}};
  EXPECT_TRUE(GradientsMatch("rnn_cell_backward", CheckGradients(J, blocks)));
}

// ============================================================ rnn_backward

TEST(RnnBackward, CourseValues) {
  RandomState rng(1);
  const Tensor3 x = rng.randn_tensor<3>({3, 10, 4});
  const Matrix a0 = rng.randn(5, 10);
  const RnnParameters p = course_rnn_parameters(rng, 3, 5, 2);
  const auto caches = reference::rnn_forward(x, a0, p).caches;
  const Tensor3 da = rng.randn_tensor<3>({5, 10, 4});
  auto got =
      Call("rnn_backward", [&] { return graded::rnn_backward(da, caches); });
  if (!got) return;
  const std::string f = "rnn_backward";
  if (!Reported(TensorHasShape(f, "dx", got->dx, dl::shape_of(x),
                               "dx has x's shape (n_x, m, T_x)")) ||
      !Reported(HasShape(f, "da0", got->da0, 5, 10, "da0 is (n_a, m)")) ||
      !Reported(HasShape(f, "dWax", got->dWax, 5, 3, "dWax has Wax's shape")) ||
      !Reported(HasShape(f, "dWaa", got->dWaa, 5, 5, "dWaa has Waa's shape")) ||
      !Reported(HasShape(f, "dba", got->dba, 5, 1, "dba has ba's shape"))) {
    return;
  }
  EXPECT_TRUE(
      Near(f, "dx[1][2]", over_time(got->dx, 1, 2),
           matrix({{-0.86050481, -0.14439617, -0.02986862, 0.10659932}}),
           kCourseValues, "dx[:, :, t] = dxt of step t"));
  EXPECT_TRUE(Near(f, "da0[2][3]", got->da0(2, 3), 0.005796914346531524,
                   kCourseValues,
                   "da0 is the da_prev of the last step you run, t = 0"));
  EXPECT_TRUE(Near(f, "dWax[3][1]", got->dWax(3, 1), 0.4429639879903799,
                   kCourseValues, "dWax += the dWax of every time step"));
  EXPECT_TRUE(Near(f, "dWaa[1][2]", got->dWaa(1, 2), 0.4418386736206452,
                   kCourseValues));
  EXPECT_TRUE(Near(f, "dba[4]", got->dba(4, 0), -3.51296232, kCourseValues));
}

TEST(RnnBackward, MatchesReferenceOnOtherShapes) {
  RandomState rng(108);
  for (const Shape& s : kShapes) {
    const Tensor3 x = rng.randn_tensor<3>({s.n_x, s.m, s.T_x});
    const Matrix a0 = rng.randn(s.n_a, s.m);
    const RnnParameters p = course_rnn_parameters(rng, s.n_x, s.n_a, s.n_y);
    const auto caches = reference::rnn_forward(x, a0, p).caches;
    const Tensor3 da = rng.randn_tensor<3>({s.n_a, s.m, s.T_x});
    auto got =
        Call("rnn_backward", [&] { return graded::rnn_backward(da, caches); });
    if (!got) return;
    const auto want = reference::rnn_backward(da, caches);
    const std::string f = "rnn_backward";
    EXPECT_TRUE(Near(f, "dx" + s.str(), got->dx, want.dx));
    EXPECT_TRUE(Near(f, "da0" + s.str(), got->da0, want.da0));
    EXPECT_TRUE(Near(f, "dWax" + s.str(), got->dWax, want.dWax));
    EXPECT_TRUE(Near(f, "dWaa" + s.str(), got->dWaa, want.dWaa));
    EXPECT_TRUE(Near(f, "dba" + s.str(), got->dba, want.dba));
  }
}

// A sequence, a fixed da (n_a, m, T_x), and J = Σ_t Σ a<t> ⊙ da<t> computed
// with the reference rnn_forward.
struct RnnSequenceCheck : SequenceCheckData {
  RnnParameters p;
  RnnSequenceCheck(uint32_t seed, bool no_recurrence) {
    RandomState rng(seed);
    const Shape s = kCheckShape;
    x_steps = split_steps(rng.randn_tensor<3>({s.n_x, s.m, s.T_x}));
    a0 = rng.randn(s.n_a, s.m);
    p = random_rnn_parameters(rng, s);
    if (no_recurrence) p.Waa.setZero();
    da = rng.randn_tensor<3>({s.n_a, s.m, s.T_x});
  }
  RnnCaches caches() const { return reference::rnn_forward(x(), a0, p).caches; }
  double J() const {
    return sum_product(reference::rnn_forward(x(), a0, p).a, da);
  }
};

// With Waa = 0 the time steps do not talk to each other (da_prev = 0), so the
// chain cannot matter: dWax, dWaa and dba must be the SUM of the steps' own
// gradients.
TEST(RnnBackward, WeightGradientsAccumulateOverTime) {
  RnnSequenceCheck c(109, /*no_recurrence=*/true);
  const auto caches = c.caches();
  auto got =
      Call("rnn_backward", [&] { return graded::rnn_backward(c.da, caches); });
  if (!got) return;
  std::vector<GradientBlock> blocks = {{"dWax", &c.p.Wax, got->dWax},
                                       {"dWaa", &c.p.Waa, got->dWaa},
                                       {"dba", &c.p.ba, got->dba}};
  const auto checks = CheckGradients([&] { return c.J(); }, blocks);
  EXPECT_TRUE(GradientsMatch("rnn_backward", checks))
      << "rnn_backward: the weight gradients are the sum over ALL time steps "
         "(Waa = 0 here, so the da_prev chain plays no part): start dWax, "
         "dWaa, dba at zeros and add (+=) each step's gradient.";
}

// da0 and dx need the chain: the da_next of step t is da[:, :, t] PLUS the
// da_prev that step t+1 sent back. (These do not depend on the accumulation
// of dW.)
TEST(RnnBackward, DaPrevChainsBackThroughTime) {
  RnnSequenceCheck c(110, /*no_recurrence=*/false);
  const auto caches = c.caches();
  auto got =
      Call("rnn_backward", [&] { return graded::rnn_backward(c.da, caches); });
  if (!got) return;
  if (!c.HasGradientShapes("rnn_backward", got->dx, got->da0)) return;
  std::vector<GradientBlock> blocks = {{"da0", &c.a0, got->da0}};
  const std::vector<GradientBlock> dx = c.dx_blocks(got->dx);
  blocks.insert(blocks.end(), dx.begin(), dx.end());
  const auto checks = CheckGradients([&] { return c.J(); }, blocks);
  EXPECT_TRUE(GradientsMatch("rnn_backward", checks))
      << "rnn_backward: at step t call rnn_cell_backward(da[:, :, t] + "
         "da_prevt, caches[t]) and keep its da_prev for step t-1; da0 is the "
         "da_prev of step 0. (If only the early dx[:, :, t] are wrong, the "
         "chain is missing.)";
}

TEST(RnnBackward, AllGradientsMatchFiniteDifferences) {
  RnnSequenceCheck c(111, /*no_recurrence=*/false);
  const auto caches = c.caches();
  auto got =
      Call("rnn_backward", [&] { return graded::rnn_backward(c.da, caches); });
  if (!got) return;
  if (!c.HasGradientShapes("rnn_backward", got->dx)) return;
  std::vector<GradientBlock> blocks = {{"da0", &c.a0, got->da0},
                                       {"dWax", &c.p.Wax, got->dWax},
                                       {"dWaa", &c.p.Waa, got->dWaa},
                                       {"dba", &c.p.ba, got->dba}};
  const std::vector<GradientBlock> dx = c.dx_blocks(got->dx);
  blocks.insert(blocks.end(), dx.begin(), dx.end());
  const auto checks = CheckGradients([&] { return c.J(); }, blocks);
  EXPECT_TRUE(GradientsMatch("rnn_backward", checks))
      << "rnn_backward: fix WeightGradientsAccumulateOverTime and "
         "DaPrevChainsBackThroughTime first if they fail too.";
}

// ======================================================= lstm_cell_backward

TEST(LstmCellBackward, CourseValues) {
  RandomState rng(1);
  const Matrix xt = rng.randn(3, 10);
  const Matrix a_prev = rng.randn(5, 10);
  const Matrix c_prev = rng.randn(5, 10);
  const LstmParameters p = course_lstm_parameters(rng, 3, 5, 2);
  const LstmCellCache cache =
      reference::lstm_cell_forward(xt, a_prev, c_prev, p).cache;
  const Matrix da_next = rng.randn(5, 10);
  const Matrix dc_next = rng.randn(5, 10);
  auto got = Call("lstm_cell_backward", [&] {
    return graded::lstm_cell_backward(da_next, dc_next, cache);
  });
  if (!got) return;
  const std::string f = "lstm_cell_backward";
  if (!Reported(HasShape(f, "dxt", got->dxt, 3, 10, "dxt is (n_x, m)")) ||
      !Reported(
          HasShape(f, "da_prev", got->da_prev, 5, 10, "da_prev is (n_a, m)")) ||
      !Reported(
          HasShape(f, "dc_prev", got->dc_prev, 5, 10, "dc_prev is (n_a, m)")) ||
      !HasLstmWeightGradientShapes(f, *got, 5, 3)) {
    return;
  }
  EXPECT_TRUE(Near(f, "dxt[1][2]", got->dxt(1, 2), 3.230559115109188,
                   kCourseValues,
                   "dxt uses the LAST n_x columns of each W: W[:, n_a:]ᵀ"));
  EXPECT_TRUE(Near(f, "da_prev[2][3]", got->da_prev(2, 3), -0.06396214197109236,
                   kCourseValues,
                   "da_prev uses the FIRST n_a columns: W[:, :n_a]ᵀ"));
  EXPECT_TRUE(Near(f, "dc_prev[2][3]", got->dc_prev(2, 3), 0.7975220387970015,
                   kCourseValues,
                   "dc_prev = (dc_next + da_next * Γo * (1 - tanh²(c_next))) "
                   "* Γf"));
  EXPECT_TRUE(Near(f, "dWf[3][1]", got->dWf(3, 1), -0.1479548381644968,
                   kCourseValues, "dWf = dft concatᵀ"));
  EXPECT_TRUE(Near(f, "dWi[1][2]", got->dWi(1, 2), 1.0574980552259903,
                   kCourseValues, "dWi = dit concatᵀ"));
  EXPECT_TRUE(Near(f, "dWc[3][1]", got->dWc(3, 1), 2.304562163687667,
                   kCourseValues, "dWc = dcct concatᵀ"));
  EXPECT_TRUE(Near(f, "dWo[1][2]", got->dWo(1, 2), 0.33131159528921084,
                   kCourseValues, "dWo = dot concatᵀ"));
  EXPECT_TRUE(Near(f, "dbf[4]", got->dbf(4, 0), 0.18864637, kCourseValues));
  EXPECT_TRUE(Near(f, "dbi[4]", got->dbi(4, 0), -0.40142491, kCourseValues));
  EXPECT_TRUE(Near(f, "dbc[4]", got->dbc(4, 0), 0.25587763, kCourseValues));
  EXPECT_TRUE(Near(f, "dbo[4]", got->dbo(4, 0), 0.13893342, kCourseValues));
}

TEST(LstmCellBackward, MatchesReferenceOnOtherShapes) {
  RandomState rng(112);
  for (const Shape& s : kShapes) {
    const Matrix xt = rng.randn(s.n_x, s.m);
    const Matrix a_prev = rng.randn(s.n_a, s.m);
    const Matrix c_prev = rng.randn(s.n_a, s.m);
    const LstmParameters p = course_lstm_parameters(rng, s.n_x, s.n_a, s.n_y);
    const LstmCellCache cache =
        reference::lstm_cell_forward(xt, a_prev, c_prev, p).cache;
    const Matrix da_next = rng.randn(s.n_a, s.m);
    const Matrix dc_next = rng.randn(s.n_a, s.m);
    auto got = Call("lstm_cell_backward", [&] {
      return graded::lstm_cell_backward(da_next, dc_next, cache);
    });
    if (!got) return;
    const auto want = reference::lstm_cell_backward(da_next, dc_next, cache);
    const std::string f = "lstm_cell_backward";
    EXPECT_TRUE(Near(f, "dxt" + s.str(), got->dxt, want.dxt));
    EXPECT_TRUE(Near(f, "da_prev" + s.str(), got->da_prev, want.da_prev));
    EXPECT_TRUE(Near(f, "dc_prev" + s.str(), got->dc_prev, want.dc_prev));
    ExpectLstmWeightGradientsNear(f, s, *got, want);
  }
}

// J = Σ a_next ⊙ da_next + Σ c_next ⊙ dc_next with fixed da_next, dc_next.
TEST(LstmCellBackward, GradientsMatchFiniteDifferences) {
  RandomState rng(113);
  const Shape s = kCheckShape;
  Matrix xt = rng.randn(s.n_x, s.m);
  Matrix a_prev = rng.randn(s.n_a, s.m);
  Matrix c_prev = rng.randn(s.n_a, s.m);
  LstmParameters p = random_lstm_parameters(rng, s);
  const Matrix da_next = rng.randn(s.n_a, s.m);
  const Matrix dc_next = rng.randn(s.n_a, s.m);
  const LstmCellCache cache =
      reference::lstm_cell_forward(xt, a_prev, c_prev, p).cache;
  auto got = Call("lstm_cell_backward", [&] {
    return graded::lstm_cell_backward(da_next, dc_next, cache);
  });
  if (!got) return;
  auto J = [&] {
    const auto out = reference::lstm_cell_forward(xt, a_prev, c_prev, p);
    return out.a_next.cwiseProduct(da_next).sum() +
           out.c_next.cwiseProduct(dc_next).sum();
  };
  std::vector<GradientBlock> blocks = {{"dxt", &xt, got->dxt},
                                       {"da_prev", &a_prev, got->da_prev},
                                       {"dc_prev", &c_prev, got->dc_prev}};
  for (const GradientBlock& b : lstm_weight_blocks(p, *got)) {
    blocks.push_back(b);
  }
  EXPECT_TRUE(GradientsMatch("lstm_cell_backward", CheckGradients(J, blocks)))
      << "lstm_cell_backward: c_next receives dc_next AND, through a_next = "
         "Γo * tanh(c_next), da_next * Γo * (1 - tanh²(c_next)); every gate "
         "except Γo needs that sum.";
}

// With da_next = 0, only the path through c_next is left: dot must be 0.
TEST(LstmCellBackward, CellStatePathAlone) {
  RandomState rng(114);
  const Shape s = kCheckShape;
  Matrix xt = rng.randn(s.n_x, s.m);
  Matrix a_prev = rng.randn(s.n_a, s.m);
  Matrix c_prev = rng.randn(s.n_a, s.m);
  LstmParameters p = random_lstm_parameters(rng, s);
  const Matrix da_next = Matrix::Zero(s.n_a, s.m);
  const Matrix dc_next = rng.randn(s.n_a, s.m);
  const LstmCellCache cache =
      reference::lstm_cell_forward(xt, a_prev, c_prev, p).cache;
  auto got = Call("lstm_cell_backward", [&] {
    return graded::lstm_cell_backward(da_next, dc_next, cache);
  });
  if (!got) return;
  auto J = [&] {
    return reference::lstm_cell_forward(xt, a_prev, c_prev, p)
        .c_next.cwiseProduct(dc_next)
        .sum();
  };
  std::vector<GradientBlock> blocks = {{"dxt", &xt, got->dxt},
                                       {"da_prev", &a_prev, got->da_prev},
                                       {"dc_prev", &c_prev, got->dc_prev},
                                       {"dWf", &p.Wf, got->dWf},
                                       {"dWi", &p.Wi, got->dWi},
                                       {"dWc", &p.Wc, got->dWc},
                                       {"dbf", &p.bf, got->dbf},
                                       {"dbi", &p.bi, got->dbi},
                                       {"dbc", &p.bc, got->dbc}};
  EXPECT_TRUE(GradientsMatch("lstm_cell_backward", CheckGradients(J, blocks)))
      << "lstm_cell_backward with da_next = 0: c_next = Γf * c_prev + Γu * c̃ "
         "alone; dcct = dc_next * Γu * (1 - c̃²), dit = dc_next * c̃ * Γu * "
         "(1 - Γu), dft = dc_next * c_prev * Γf * (1 - Γf), dc_prev = "
         "dc_next * Γf.";
  EXPECT_TRUE(Near("lstm_cell_backward", "dWo when da_next = 0", got->dWo,
                   Matrix::Zero(s.n_a, s.n_a + s.n_x), kReference,
                   "Γo only acts through a_next: dot = da_next * tanh(c_next) "
                   "* Γo * (1 - Γo)"));
}

// ============================================================ lstm_backward

TEST(LstmBackward, CourseValues) {
  RandomState rng(1);
  const Tensor3 x = rng.randn_tensor<3>({3, 10, 4});
  const Matrix a0 = rng.randn(5, 10);
  const LstmParameters p = course_lstm_parameters(rng, 3, 5, 2);
  const auto caches = reference::lstm_forward(x, a0, p).caches;
  const Tensor3 da = rng.randn_tensor<3>({5, 10, 4});
  auto got =
      Call("lstm_backward", [&] { return graded::lstm_backward(da, caches); });
  if (!got) return;
  const std::string f = "lstm_backward";
  if (!Reported(TensorHasShape(f, "dx", got->dx, dl::shape_of(x),
                               "dx has x's shape (n_x, m, T_x)")) ||
      !Reported(HasShape(f, "da0", got->da0, 5, 10, "da0 is (n_a, m)")) ||
      !HasLstmWeightGradientShapes(f, *got, 5, 3)) {
    return;
  }
  EXPECT_TRUE(Near(f, "dx[1][2]", over_time(got->dx, 1, 2),
                   matrix({{0.0921088, 0.08778989, 0.26882316, -0.13815048}}),
                   kCourseValues, "dx[:, :, t] = dxt of step t"));
  EXPECT_TRUE(Near(f, "da0[2][3]", got->da0(2, 3), 0.11016775923614325,
                   kCourseValues, "da0 = the da_prev of step 0"));
  EXPECT_TRUE(Near(f, "dWf[3][1]", got->dWf(3, 1), -0.007902791619559636,
                   kCourseValues));
  EXPECT_TRUE(Near(f, "dWi[1][2]", got->dWi(1, 2), -0.0070100575138466355,
                   kCourseValues));
  EXPECT_TRUE(
      Near(f, "dWc[3][1]", got->dWc(3, 1), -0.5988565152522395, kCourseValues));
  EXPECT_TRUE(
      Near(f, "dWo[1][2]", got->dWo(1, 2), 0.0838859100306788, kCourseValues));
  EXPECT_TRUE(Near(f, "dbf[4]", got->dbf(4, 0), -0.25476765, kCourseValues));
  EXPECT_TRUE(Near(f, "dbi[4]", got->dbi(4, 0), 0.22814707, kCourseValues));
  EXPECT_TRUE(Near(f, "dbc[4]", got->dbc(4, 0), -0.04286232, kCourseValues));
  EXPECT_TRUE(Near(f, "dbo[4]", got->dbo(4, 0), 0.05072136, kCourseValues));
}

TEST(LstmBackward, MatchesReferenceOnOtherShapes) {
  RandomState rng(115);
  for (const Shape& s : kShapes) {
    const Tensor3 x = rng.randn_tensor<3>({s.n_x, s.m, s.T_x});
    const Matrix a0 = rng.randn(s.n_a, s.m);
    const LstmParameters p = course_lstm_parameters(rng, s.n_x, s.n_a, s.n_y);
    const auto caches = reference::lstm_forward(x, a0, p).caches;
    const Tensor3 da = rng.randn_tensor<3>({s.n_a, s.m, s.T_x});
    auto got = Call("lstm_backward",
                    [&] { return graded::lstm_backward(da, caches); });
    if (!got) return;
    const auto want = reference::lstm_backward(da, caches);
    const std::string f = "lstm_backward";
    EXPECT_TRUE(Near(f, "dx" + s.str(), got->dx, want.dx));
    EXPECT_TRUE(Near(f, "da0" + s.str(), got->da0, want.da0));
    ExpectLstmWeightGradientsNear(f, s, *got, want);
  }
}

// A sequence, a fixed da, and J = Σ_t Σ a<t> ⊙ da<t> computed with the
// reference lstm_forward. Two switches cut the links between time steps:
//   no_recurrence: the a_prev columns of every W are 0, so a<t-1> does not
//     reach step t (da_prev = 0 exactly);
//   forget_shut: bf = -40, so Γf ≈ 4e-18 and c<t-1> does not reach c<t>
//     (dc_prev ≈ 0).
struct LstmSequenceCheck : SequenceCheckData {
  LstmParameters p;
  LstmSequenceCheck(uint32_t seed, bool no_recurrence, bool forget_shut) {
    RandomState rng(seed);
    const Shape s = kCheckShape;
    x_steps = split_steps(rng.randn_tensor<3>({s.n_x, s.m, s.T_x}));
    a0 = rng.randn(s.n_a, s.m);
    p = random_lstm_parameters(rng, s);
    if (no_recurrence) {
      for (Matrix* W : {&p.Wf, &p.Wi, &p.Wc, &p.Wo}) {
        W->leftCols(s.n_a).setZero();
      }
    }
    if (forget_shut) p.bf.setConstant(-40.0);
    da = rng.randn_tensor<3>({s.n_a, s.m, s.T_x});
  }
  LstmCaches caches() const {
    return reference::lstm_forward(x(), a0, p).caches;
  }
  double J() const {
    return sum_product(reference::lstm_forward(x(), a0, p).a, da);
  }
};

// No link between the time steps (see LstmSequenceCheck): every weight
// gradient must be the SUM of the steps' own gradients. (With the forget gate
// shut, dWf and dbf are ~0 here; AllGradientsMatchFiniteDifferences checks
// them.)
TEST(LstmBackward, WeightGradientsAccumulateOverTime) {
  LstmSequenceCheck c(116, /*no_recurrence=*/true, /*forget_shut=*/true);
  const auto caches = c.caches();
  auto got = Call("lstm_backward",
                  [&] { return graded::lstm_backward(c.da, caches); });
  if (!got) return;
  std::vector<GradientBlock> blocks = {
      {"dWi", &c.p.Wi, got->dWi}, {"dWc", &c.p.Wc, got->dWc},
      {"dWo", &c.p.Wo, got->dWo}, {"dbi", &c.p.bi, got->dbi},
      {"dbc", &c.p.bc, got->dbc}, {"dbo", &c.p.bo, got->dbo}};
  const auto checks = CheckGradients([&] { return c.J(); }, blocks);
  EXPECT_TRUE(GradientsMatch("lstm_backward", checks))
      << "lstm_backward: the weight gradients are the sum over ALL time steps "
         "(the steps are independent here, so the chains play no part): start "
         "every dW and db at zeros and add (+=) each step's gradient.";
}

// The da_prev chain alone (forget gate shut, so no dc chain): da0 and dx.
TEST(LstmBackward, DaPrevChainsBackThroughTime) {
  LstmSequenceCheck c(117, /*no_recurrence=*/false, /*forget_shut=*/true);
  const auto caches = c.caches();
  auto got = Call("lstm_backward",
                  [&] { return graded::lstm_backward(c.da, caches); });
  if (!got) return;
  if (!c.HasGradientShapes("lstm_backward", got->dx, got->da0)) return;
  std::vector<GradientBlock> blocks = c.dx_blocks(got->dx);
  blocks.push_back({"da0", &c.a0, got->da0});
  const auto checks = CheckGradients([&] { return c.J(); }, blocks);
  EXPECT_TRUE(GradientsMatch("lstm_backward", checks))
      << "lstm_backward: the da_next of step t is da[:, :, t] PLUS the "
         "da_prev of step t+1; da0 is the da_prev of step 0.";
}

// The dc_prev chain alone (the a_prev columns of every W are 0, so no
// da_prev chain): dx of the early steps depends on it.
TEST(LstmBackward, DcPrevChainsBackThroughTime) {
  LstmSequenceCheck c(118, /*no_recurrence=*/true, /*forget_shut=*/false);
  const auto caches = c.caches();
  auto got = Call("lstm_backward",
                  [&] { return graded::lstm_backward(c.da, caches); });
  if (!got) return;
  if (!c.HasGradientShapes("lstm_backward", got->dx)) return;
  std::vector<GradientBlock> blocks = c.dx_blocks(got->dx);
  const auto checks = CheckGradients([&] { return c.J(); }, blocks);
  EXPECT_TRUE(GradientsMatch("lstm_backward", checks))
      << "lstm_backward: pass the dc_prev of step t+1 as the dc_next of step "
         "t (zeros for the last step). Here only that chain links the steps.";
}

TEST(LstmBackward, AllGradientsMatchFiniteDifferences) {
  LstmSequenceCheck c(119, /*no_recurrence=*/false, /*forget_shut=*/false);
  const auto caches = c.caches();
  auto got = Call("lstm_backward",
                  [&] { return graded::lstm_backward(c.da, caches); });
  if (!got) return;
  if (!c.HasGradientShapes("lstm_backward", got->dx)) return;
  std::vector<GradientBlock> blocks = c.dx_blocks(got->dx);
  blocks.push_back({"da0", &c.a0, got->da0});
  for (const GradientBlock& b : lstm_weight_blocks(c.p, *got)) {
    blocks.push_back(b);
  }
  const auto checks = CheckGradients([&] { return c.J(); }, blocks);
  EXPECT_TRUE(GradientsMatch("lstm_backward", checks))
      << "lstm_backward: fix WeightGradientsAccumulateOverTime, "
         "DaPrevChainsBackThroughTime and DcPrevChainsBackThroughTime first "
         "if they fail too.";
}

}  // namespace
