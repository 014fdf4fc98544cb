// Grades course4_seq/gru_and_deep_rnn. The course has no notebook (and so no
// printed values) for these lectures; the checks are: small cases worked out
// by hand (exact values such as tanh(2 ln 2) = 15/17, and scalar sequences
// recomputed with plain doubles), cases that isolate one term (the relevance
// gate inside the candidate, the update gate's convention, the order of the
// concatenation, the right-to-left direction), comparisons with
// rnn_step_by_step's basic RNN, a seeded comparison with the reference
// solution on several shapes, and finite-difference checks of both backward
// functions (for gru_backward: the accumulation of dW over time and the
// da_prev chain, each in its own test).

#include "course4_seq/gru_and_deep_rnn/gru_and_deep_rnn.h"

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "course4_seq/gru_and_deep_rnn/graded.h"  // see tools/unit.bzl
#include "course4_seq/rnn_step_by_step/rnn_step_by_step.h"
#include "course4_seq/rnn_step_by_step/rnn_test_util.h"
#include "gtest/gtest.h"

namespace reference = gru_and_deep_rnn::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
using namespace rnn_test;     // NOLINT: the RNN fixtures (rnn_test_util.h)
using dl::Matrix;
using dl::matrix;
using dl::RandomState;
using gru_and_deep_rnn::BrnnParameters;
using gru_and_deep_rnn::DeepRnnParameters;
using gru_and_deep_rnn::GruCaches;
using gru_and_deep_rnn::GruCellCache;
using gru_and_deep_rnn::GruParameters;
using gru_and_deep_rnn::RnnLayerParameters;
using gru_and_deep_rnn::time_step;

// ------------------------------------------------------------- fixtures

// Our draw order (the course has no GRU fixture): Wr, br, Wu, bu, Wc, bc,
// Wy, by.
GruParameters gru_parameters(RandomState& rng, int n_x, int n_a, int n_y,
                             double scale = 1.0) {
  GruParameters p;
  p.Wr = rng.randn(n_a, n_a + n_x) * scale;
  p.br = rng.randn(n_a, 1) * scale;
  p.Wu = rng.randn(n_a, n_a + n_x) * scale;
  p.bu = rng.randn(n_a, 1) * scale;
  p.Wc = rng.randn(n_a, n_a + n_x) * scale;
  p.bc = rng.randn(n_a, 1) * scale;
  p.Wy = rng.randn(n_y, n_a) * scale;
  p.by = rng.randn(n_y, 1) * scale;
  return p;
}

// Wax_f, Waa_f, ba_f, Wax_b, Waa_b, ba_b, Wy, by.
BrnnParameters brnn_parameters(RandomState& rng, int n_x, int n_a, int n_y) {
  BrnnParameters p;
  p.Wax_f = rng.randn(n_a, n_x);
  p.Waa_f = rng.randn(n_a, n_a);
  p.ba_f = rng.randn(n_a, 1);
  p.Wax_b = rng.randn(n_a, n_x);
  p.Waa_b = rng.randn(n_a, n_a);
  p.ba_b = rng.randn(n_a, 1);
  p.Wy = rng.randn(n_y, 2 * n_a);
  p.by = rng.randn(n_y, 1);
  return p;
}

// Layer by layer Wax, Waa, ba, then Wy, by. sizes = n[1] .. n[L].
DeepRnnParameters deep_parameters(RandomState& rng, int n_x,
                                  const std::vector<int>& sizes, int n_y) {
  DeepRnnParameters p;
  int n_prev = n_x;
  for (int n : sizes) {
    RnnLayerParameters layer;
    layer.Wax = rng.randn(n, n_prev);
    layer.Waa = rng.randn(n, n);
    layer.ba = rng.randn(n, 1);
    p.layers.push_back(layer);
    n_prev = n;
  }
  p.Wy = rng.randn(n_y, n_prev);
  p.by = rng.randn(n_y, 1);
  return p;
}

std::vector<Matrix> deep_a0(RandomState& rng, const std::vector<int>& sizes,
                            int m) {
  std::vector<Matrix> a0;
  for (int n : sizes) a0.push_back(rng.randn(n, m));
  return a0;
}

// A gate bias that saturates σ: σ(40) = 1 - 4e-18, σ(-40) = 4e-18.
constexpr double kOpen = 40.0;

// numpy's x[:, :, ::-1].
Tensor3 reverse_time(const Tensor3& x) {
  const Eigen::Index T_x = x.dimension(2);
  Tensor3 r(x.dimension(0), x.dimension(1), T_x);
  for (Eigen::Index t = 0; t < T_x; ++t) {
    gru_and_deep_rnn::set_time_step(r, t, time_step(x, T_x - 1 - t));
  }
  return r;
}

// rnn_step_by_step's RNN with the given weights (its prediction is Wya,
// by; zeros of one class where only the activations matter).
rnn_step_by_step::RnnParameters basic_rnn(const Matrix& Wax, const Matrix& Waa,
                                          const Matrix& ba, Matrix Wya = {},
                                          Matrix by = {}) {
  if (Wya.size() == 0) Wya = Matrix::Zero(1, Waa.rows());
  if (by.size() == 0) by = Matrix::Zero(Wya.rows(), 1);
  return rnn_step_by_step::RnnParameters{Wax, Waa, Wya, ba, by};
}

double sigma(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// The six weight gradients of gru_cell_backward and gru_backward (the same
// fields in GruCellGradients and GruGradients), against the reference's on
// the seeded shape s.
template <typename Gradients>
void ExpectGruWeightGradientsNear(const std::string& f, const Shape& s,
                                  const Gradients& got, const Gradients& want) {
  EXPECT_TRUE(Near(f, "dWr" + s.str(), got.dWr, want.dWr));
  EXPECT_TRUE(Near(f, "dWu" + s.str(), got.dWu, want.dWu));
  EXPECT_TRUE(Near(f, "dWc" + s.str(), got.dWc, want.dWc));
  EXPECT_TRUE(Near(f, "dbr" + s.str(), got.dbr, want.dbr));
  EXPECT_TRUE(Near(f, "dbu" + s.str(), got.dbu, want.dbu));
  EXPECT_TRUE(Near(f, "dbc" + s.str(), got.dbc, want.dbc));
}

// The blocks of a finite-difference check: each parameter of p (perturbed)
// with the learner's gradient for it.
template <typename Gradients>
std::vector<GradientBlock> gru_weight_blocks(GruParameters& p,
                                             const Gradients& got) {
  return {{"dWr", &p.Wr, got.dWr}, {"dWu", &p.Wu, got.dWu},
          {"dWc", &p.Wc, got.dWc}, {"dbr", &p.br, got.dbr},
          {"dbu", &p.bu, got.dbu}, {"dbc", &p.bc, got.dbc}};
}

// ===================================================== gru_cell_forward

// n_x = n_a = 1, m = 2, worked out by hand. Column 0: xt = 1, a_prev = 2;
// column 1: xt = 0, a_prev = -1. Wr = 0, br = 0: Γr = 1/2. Wu = [0, -ln 3]:
// Γu = σ(-ln 3) = 1/4 (column 0), σ(0) = 1/2 (column 1). Wc = [ln 2, ln 2]:
//   column 0: c̃ = tanh(ln 2 · (1/2 · 2) + ln 2 · 1) = tanh(2 ln 2) = 15/17,
//             a_next = 1/4 · 15/17 + 3/4 · 2 = 117/68;
//   column 1: c̃ = tanh(ln 2 · (1/2 · -1)) = -1/3,
//             a_next = 1/2 · -1/3 + 1/2 · -1 = -2/3.
// Without Γr, column 0 would give tanh(3 ln 2) = 63/65; with the update gate
// on the old state (PyTorch), 79/68; with [xt; a_prev], Γu = 1/10.
TEST(GruCellForward, HandComputedCase) {
  const double ln2 = std::log(2.0), ln3 = std::log(3.0);
  const Matrix xt = matrix({{1, 0}});
  const Matrix a_prev = matrix({{2, -1}});
  GruParameters p;
  p.Wr = matrix({{0, 0}});
  p.br = matrix({{0}});
  p.Wu = matrix({{0, -ln3}});
  p.bu = matrix({{0}});
  p.Wc = matrix({{ln2, ln2}});
  p.bc = matrix({{0}});
  p.Wy = matrix({{1}, {-1}});
  p.by = matrix({{0}, {0}});
  auto got = Call("gru_cell_forward",
                  [&] { return graded::gru_cell_forward(xt, a_prev, p); });
  if (!got) return;
  const std::string f = "gru_cell_forward";
  if (!Reported(
          HasShape(f, "a_next", got->a_next, 1, 2, "a_next is (n_a, m)")) ||
      !Reported(
          HasShape(f, "yt_pred", got->yt_pred, 2, 2, "yt_pred is (n_y, m)")) ||
      !Reported(
          HasShape(f, "cache.rt", got->cache.rt, 1, 2, "Γr is (n_a, m)")) ||
      !Reported(
          HasShape(f, "cache.ut", got->cache.ut, 1, 2, "Γu is (n_a, m)")) ||
      !Reported(
          HasShape(f, "cache.cct", got->cache.cct, 1, 2, "c̃ is (n_a, m)"))) {
    return;
  }
  EXPECT_TRUE(Near(f, "cache.rt", got->cache.rt, matrix({{0.5, 0.5}}),
                   kReference, "Γr = σ(Wr [a_prev; xt] + br) = σ(0)"));
  EXPECT_TRUE(Near(f, "cache.ut", got->cache.ut, matrix({{0.25, 0.5}}),
                   kReference,
                   "Γu = σ(Wu [a_prev; xt] + bu): Wu = [0, -ln 3] multiplies "
                   "xt, the SECOND block of [a_prev; xt]"));
  EXPECT_TRUE(Near(f, "cache.cct", got->cache.cct,
                   matrix({{15.0 / 17.0, -1.0 / 3.0}}), kReference,
                   "c̃ = tanh(Wc [Γr * a_prev; xt] + bc): 15/17 = tanh(2 ln 2) "
                   "in column 0; 63/65 = tanh(3 ln 2) means a_prev went in "
                   "without Γr"));
  EXPECT_TRUE(Near(f, "a_next", got->a_next,
                   matrix({{117.0 / 68.0, -2.0 / 3.0}}), kReference,
                   "a_next = Γu * c̃ + (1 - Γu) * a_prev (the lecture's "
                   "convention; 79/68 in column 0 is PyTorch's, with the "
                   "update gate on the old state)"));
  const double a0 = 117.0 / 68.0, a1 = -2.0 / 3.0;
  EXPECT_TRUE(Near(f, "yt_pred", got->yt_pred,
                   matrix({{sigma(2 * a0), sigma(2 * a1)},
                           {sigma(-2 * a0), sigma(-2 * a1)}}),
                   kReference,
                   "yt_pred = softmax(Wy a_next + by); with Wy = [1; -1] "
                   "that is σ(2 a_next), σ(-2 a_next)"));
}

// The update gate's convention: Γu = 0 keeps the old state, Γu = 1 writes
// the candidate.
TEST(GruCellForward, UpdateGateKeepsOrWrites) {
  RandomState rng(201);
  const Shape s{3, 4, 2, 5, 1};
  const Matrix xt = rng.randn(s.n_x, s.m);
  const Matrix a_prev = rng.randn(s.n_a, s.m);
  GruParameters p = gru_parameters(rng, s.n_x, s.n_a, s.n_y);
  const std::string f = "gru_cell_forward";
  {
    p.bu.setConstant(-kOpen);
    auto got = Call(f.c_str(),
                    [&] { return graded::gru_cell_forward(xt, a_prev, p); });
    if (!got) return;
    EXPECT_TRUE(Near(f, "a_next when Γu = 0", got->a_next, a_prev, kReference,
                     "with the update gate shut (Γu = 0) the GRU KEEPS its "
                     "memory: a_next = Γu * c̃ + (1 - Γu) * a_prev = a_prev. "
                     "(PyTorch's z is 1 - Γu: its z multiplies the old "
                     "state; here Γu multiplies the candidate.)"));
  }
  {
    p.bu.setConstant(kOpen);
    auto got = Call(f.c_str(),
                    [&] { return graded::gru_cell_forward(xt, a_prev, p); });
    if (!got) return;
    const auto want = reference::gru_cell_forward(xt, a_prev, p);
    EXPECT_TRUE(Near(f, "a_next when Γu = 1", got->a_next, want.cache.cct,
                     kReference,
                     "with the update gate open (Γu = 1) a_next is the "
                     "candidate c̃ = tanh(Wc [Γr * a_prev; xt] + bc)"));
  }
}

// With Γu = 1, a_next = c̃: the relevance gate must act on a_prev INSIDE the
// candidate, before Wc.
TEST(GruCellForward, RelevanceGateScalesAPrevInsideTheCandidate) {
  RandomState rng(202);
  const Shape s{3, 4, 2, 5, 1};
  const Matrix xt = rng.randn(s.n_x, s.m);
  const Matrix a_prev = rng.randn(s.n_a, s.m);
  GruParameters p = gru_parameters(rng, s.n_x, s.n_a, s.n_y);
  p.bu.setConstant(kOpen);
  const std::string f = "gru_cell_forward";
  const Matrix Wc_a = p.Wc.leftCols(s.n_a), Wc_x = p.Wc.rightCols(s.n_x);
  // Γr = 0: the candidate forgets a_prev.
  {
    p.br.setConstant(-kOpen);
    auto got = Call(f.c_str(),
                    [&] { return graded::gru_cell_forward(xt, a_prev, p); });
    if (!got) return;
    const Matrix want =
        ((Wc_x * xt).colwise() + p.bc.col(0)).array().tanh().matrix();
    EXPECT_TRUE(Near(f, "a_next when Γu = 1 and Γr = 0", got->a_next, want,
                     kReference,
                     "with Γr = 0 the candidate must not see a_prev: "
                     "c̃ = tanh(Wc [Γr * a_prev; xt] + bc) = tanh(Wc[:, n_a:] "
                     "xt + bc). Γr multiplies a_prev BEFORE Wc."));
  }
  // Γr = 1: all of a_prev.
  {
    p.br.setConstant(kOpen);
    auto got = Call(f.c_str(),
                    [&] { return graded::gru_cell_forward(xt, a_prev, p); });
    if (!got) return;
    const Matrix want = ((Wc_a * a_prev + Wc_x * xt).colwise() + p.bc.col(0))
                            .array()
                            .tanh()
                            .matrix();
    EXPECT_TRUE(Near(f, "a_next when Γu = 1 and Γr = 1", got->a_next, want,
                     kReference,
                     "with Γr = 1, c̃ = tanh(Wc [a_prev; xt] + bc): the first "
                     "n_a columns of Wc multiply a_prev"));
  }
  // Γr in between, entry by entry.
  {
    p.br = rng.randn(s.n_a, 1);
    auto got = Call(f.c_str(),
                    [&] { return graded::gru_cell_forward(xt, a_prev, p); });
    if (!got) return;
    const Matrix rt = got->cache.rt;
    if (!Reported(HasShape(f, "cache.rt", rt, s.n_a, s.m, "Γr is (n_a, m)")))
      return;
    const Matrix want =
        ((Wc_a * rt.cwiseProduct(a_prev) + Wc_x * xt).colwise() + p.bc.col(0))
            .array()
            .tanh()
            .matrix();
    EXPECT_TRUE(Near(f, "a_next when Γu = 1 (from your cache.rt)", got->a_next,
                     want, kReference,
                     "c̃ = tanh(Wc[:, :n_a] (Γr * a_prev) + Wc[:, n_a:] xt + "
                     "bc), with * entry by entry: not Γr * (Wc a_prev)"));
  }
}

// With the xt columns of every W zero, only a_prev drives the gates: a
// concatenation [xt; a_prev] in the wrong order shows up here.
TEST(GruCellForward, ConcatPutsAPrevFirst) {
  RandomState rng(203);
  const Shape s{3, 5, 2, 4, 1};
  const Matrix xt = rng.randn(s.n_x, s.m);
  const Matrix a_prev = rng.randn(s.n_a, s.m);
  GruParameters p = gru_parameters(rng, s.n_x, s.n_a, s.n_y);
  for (Matrix* W : {&p.Wr, &p.Wu, &p.Wc}) W->rightCols(s.n_x).setZero();
  auto got = Call("gru_cell_forward",
                  [&] { return graded::gru_cell_forward(xt, a_prev, p); });
  if (!got) return;
  const auto want = reference::gru_cell_forward(xt, a_prev, p);
  const std::string f = "gru_cell_forward";
  const std::string hint =
      "concat = [a_prev; xt]: a_prev on TOP (rows 0 .. n_a-1), so the first "
      "n_a columns of each W multiply a_prev";
  EXPECT_TRUE(Near(f, "cache.rt when only a_prev counts", got->cache.rt,
                   want.cache.rt, kReference, hint));
  EXPECT_TRUE(Near(f, "cache.ut when only a_prev counts", got->cache.ut,
                   want.cache.ut, kReference, hint));
  EXPECT_TRUE(Near(f, "a_next when only a_prev counts", got->a_next,
                   want.a_next, kReference, hint));
}

TEST(GruCellForward, MatchesReferenceOnOtherShapes) {
  RandomState rng(204);
  for (const Shape& s : kShapes) {
    const Matrix xt = rng.randn(s.n_x, s.m);
    const Matrix a_prev = rng.randn(s.n_a, s.m);
    const GruParameters p = gru_parameters(rng, s.n_x, s.n_a, s.n_y);
    auto got = Call("gru_cell_forward",
                    [&] { return graded::gru_cell_forward(xt, a_prev, p); });
    if (!got) return;
    const auto want = reference::gru_cell_forward(xt, a_prev, p);
    const std::string f = "gru_cell_forward";
    EXPECT_TRUE(Near(f, "a_next" + s.str(), got->a_next, want.a_next));
    EXPECT_TRUE(Near(f, "yt_pred" + s.str(), got->yt_pred, want.yt_pred));
    const GruCellCache& g = got->cache;
    const GruCellCache& w = want.cache;
    const std::string hint =
        "cache = (a_next, a_prev, Γr, Γu, c̃, xt, parameters)";
    EXPECT_TRUE(Near(f, "cache.a_next" + s.str(), g.a_next, w.a_next,
                     kReference, hint));
    EXPECT_TRUE(Near(f, "cache.rt" + s.str(), g.rt, w.rt, kReference, hint));
    EXPECT_TRUE(Near(f, "cache.ut" + s.str(), g.ut, w.ut, kReference, hint));
    EXPECT_TRUE(Near(f, "cache.cct" + s.str(), g.cct, w.cct, kReference, hint));
    EXPECT_TRUE(
        Near(f, "cache.a_prev" + s.str(), g.a_prev, a_prev, kReference, hint));
    EXPECT_TRUE(Near(f, "cache.xt" + s.str(), g.xt, xt, kReference, hint));
    EXPECT_TRUE(Near(f, "cache.parameters.Wc" + s.str(), g.parameters.Wc, p.Wc,
                     kReference, hint));
  }
}

// ========================================================== gru_forward

// The scalar GRU (n_x = n_a = 1, n_y = 2, m = 1) over 3 steps, recomputed
// with plain doubles.
TEST(GruForward, HandComputedScalarSequence) {
  const double wr_a = 0.5, wr_x = -1.0, br = 0.1;
  const double wu_a = -0.4, wu_x = 0.8, bu = -0.2;
  const double wc_a = 1.5, wc_x = 0.7, bc = 0.05;
  const double wy0 = 1.2, wy1 = -0.3, by0 = 0.1, by1 = 0.2;
  const std::vector<double> xs = {1.0, -0.5, 2.0};
  const double a_start = 0.3;
  GruParameters p;
  p.Wr = matrix({{wr_a, wr_x}});
  p.br = matrix({{br}});
  p.Wu = matrix({{wu_a, wu_x}});
  p.bu = matrix({{bu}});
  p.Wc = matrix({{wc_a, wc_x}});
  p.bc = matrix({{bc}});
  p.Wy = matrix({{wy0}, {wy1}});
  p.by = matrix({{by0}, {by1}});
  Tensor3 x(1, 1, 3);
  for (int t = 0; t < 3; ++t) x(0, 0, t) = xs[t];
  const Matrix a0 = matrix({{a_start}});

  Matrix want_a(1, 3), want_y0(1, 3), want_a_prev(1, 3);
  double a = a_start;
  for (int t = 0; t < 3; ++t) {
    want_a_prev(0, t) = a;
    const double r = sigma(wr_a * a + wr_x * xs[t] + br);
    const double u = sigma(wu_a * a + wu_x * xs[t] + bu);
    const double c = std::tanh(wc_a * r * a + wc_x * xs[t] + bc);
    a = u * c + (1 - u) * a;
    want_a(0, t) = a;
    want_y0(0, t) = sigma((wy0 * a + by0) - (wy1 * a + by1));
  }

  auto got = Call("gru_forward", [&] { return graded::gru_forward(x, a0, p); });
  if (!got) return;
  const std::string f = "gru_forward";
  if (!Reported(
          TensorHasShape(f, "a", got->a, {1, 1, 3}, "a is (n_a, m, T_x)")) ||
      !Reported(
          TensorHasShape(f, "y", got->y, {2, 1, 3}, "y is (n_y, m, T_x)"))) {
    return;
  }
  EXPECT_TRUE(Near(f, "a[0][0]", over_time(got->a, 0, 0), want_a, kReference,
                   "a[:, :, t] = a_next of step t; a_next starts at a0 and "
                   "each step feeds the next"));
  EXPECT_TRUE(Near(f, "y[0][0]", over_time(got->y, 0, 0), want_y0, kReference,
                   "y[:, :, t] = yt_pred of step t"));
  ASSERT_EQ(got->caches.caches.size(), 3u)
      << f << ": caches.caches needs one cache per time step (T_x = 3)";
  Matrix got_a_prev(1, 3);
  for (int t = 0; t < 3; ++t)
    got_a_prev(0, t) = got->caches.caches[t].a_prev(0, 0);
  EXPECT_TRUE(Near(f, "caches.caches[t].a_prev", got_a_prev, want_a_prev,
                   kReference,
                   "step t starts from the a_next of step t-1 (a0 for t = 0)"));
}

TEST(GruForward, MatchesReferenceOnOtherShapes) {
  RandomState rng(205);
  for (const Shape& s : kShapes) {
    const Tensor3 x = rng.randn_tensor<3>({s.n_x, s.m, s.T_x});
    const Matrix a0 = rng.randn(s.n_a, s.m);
    const GruParameters p = gru_parameters(rng, s.n_x, s.n_a, s.n_y);
    auto got =
        Call("gru_forward", [&] { return graded::gru_forward(x, a0, p); });
    if (!got) return;
    const auto want = reference::gru_forward(x, a0, p);
    const std::string f = "gru_forward";
    EXPECT_TRUE(Near(f, "a" + s.str(), got->a, want.a));
    EXPECT_TRUE(Near(f, "y" + s.str(), got->y, want.y));
    ExpectStepCaches(f, s, got->caches, want.caches, x);
  }
}

// ===================================================== gru_cell_backward

TEST(GruCellBackward, MatchesReferenceOnOtherShapes) {
  RandomState rng(206);
  for (const Shape& s : kShapes) {
    const Matrix xt = rng.randn(s.n_x, s.m);
    const Matrix a_prev = rng.randn(s.n_a, s.m);
    const GruParameters p = gru_parameters(rng, s.n_x, s.n_a, s.n_y);
    const GruCellCache cache = reference::gru_cell_forward(xt, a_prev, p).cache;
    const Matrix da_next = rng.randn(s.n_a, s.m);
    auto got = Call("gru_cell_backward",
                    [&] { return graded::gru_cell_backward(da_next, cache); });
    if (!got) return;
    const auto want = reference::gru_cell_backward(da_next, cache);
    const std::string f = "gru_cell_backward";
    if (!Reported(HasShape(f, "dxt" + s.str(), got->dxt, s.n_x, s.m,
                           "dxt is (n_x, m)")) ||
        !Reported(HasShape(f, "da_prev" + s.str(), got->da_prev, s.n_a, s.m,
                           "da_prev is (n_a, m)")) ||
        !Reported(HasShape(f, "dWr" + s.str(), got->dWr, s.n_a, s.n_a + s.n_x,
                           "dWr is (n_a, n_a + n_x)")) ||
        !Reported(
            HasShape(f, "dbr" + s.str(), got->dbr, s.n_a, 1,
                     "dbr is (n_a, 1): the sum over the batch, axis 1"))) {
      return;
    }
    EXPECT_TRUE(Near(f, "dxt" + s.str(), got->dxt, want.dxt));
    EXPECT_TRUE(Near(f, "da_prev" + s.str(), got->da_prev, want.da_prev));
    ExpectGruWeightGradientsNear(f, s, *got, want);
  }
}

// One cell, a fixed da_next, and J = Σ a_next ⊙ da_next computed with the
// reference gru_cell_forward: ∂J/∂(everything) is what gru_cell_backward
// returns.
struct GruCellCheck {
  Matrix xt, a_prev, da_next;
  GruParameters p;
  GruCellCheck(uint32_t seed, double bu) {
    RandomState rng(seed);
    const Shape s = kCheckShape;
    xt = rng.randn(s.n_x, s.m);
    a_prev = rng.randn(s.n_a, s.m);
    p = gru_parameters(rng, s.n_x, s.n_a, s.n_y, 0.6);
    if (bu != 0) p.bu.setConstant(bu);
    da_next = rng.randn(s.n_a, s.m);
  }
  GruCellCache cache() const {
    return reference::gru_cell_forward(xt, a_prev, p).cache;
  }
  double J() const {
    return reference::gru_cell_forward(xt, a_prev, p)
        .a_next.cwiseProduct(da_next)
        .sum();
  }
};

TEST(GruCellBackward, GradientsMatchFiniteDifferences) {
  GruCellCheck c(207, 0);
  const GruCellCache cache = c.cache();
  auto got = Call("gru_cell_backward",
                  [&] { return graded::gru_cell_backward(c.da_next, cache); });
  if (!got) return;
  std::vector<GradientBlock> blocks = {{"dxt", &c.xt, got->dxt},
                                       {"da_prev", &c.a_prev, got->da_prev}};
  for (const GradientBlock& b : gru_weight_blocks(c.p, *got)) {
    blocks.push_back(b);
  }
  EXPECT_TRUE(GradientsMatch("gru_cell_backward",
                             CheckGradients([&] { return c.J(); }, blocks)))
      << "gru_cell_backward: a_prev reaches a_next four ways: directly "
         "((1 - Γu) * a_prev), inside the candidate (Γr * a_prev), and "
         "through both gates; da_prev is the sum of the four. dWc uses "
         "[Γr * a_prev; xt], dWr and dWu use [a_prev; xt].";
}

// Γu = 0: a_next = a_prev. Only the direct path is left: da_prev = da_next,
// and the candidate and the update gate get (almost) nothing.
TEST(GruCellBackward, DirectPathWhenUpdateGateShut) {
  GruCellCheck c(208, -kOpen);
  const GruCellCache cache = c.cache();
  auto got = Call("gru_cell_backward",
                  [&] { return graded::gru_cell_backward(c.da_next, cache); });
  if (!got) return;
  const std::string f = "gru_cell_backward";
  std::vector<GradientBlock> blocks = {{"da_prev", &c.a_prev, got->da_prev}};
  EXPECT_TRUE(GradientsMatch(f, CheckGradients([&] { return c.J(); }, blocks)))
      << f << ": with Γu = 0, a_next = a_prev, so da_prev = da_next: the "
      << "direct term da_next * (1 - Γu) of da_prev.";
  const Shape s = kCheckShape;
  EXPECT_TRUE(Near(f, "dWc when Γu = 0", got->dWc,
                   Matrix::Zero(s.n_a, s.n_a + s.n_x), kReference,
                   "the candidate counts only through Γu * c̃: dcct = "
                   "da_next * Γu * (1 - c̃²)"));
  EXPECT_TRUE(Near(f, "dWu when Γu = 0", got->dWu,
                   Matrix::Zero(s.n_a, s.n_a + s.n_x), kReference,
                   "dut = da_next * (c̃ - a_prev) * Γu * (1 - Γu), which "
                   "vanishes when σ saturates"));
}

// Γu = 1: a_next = c̃. What is left is the candidate, with the relevance gate
// inside it: dWc, dbc, dWr, dbr, and da_prev, dxt through both.
TEST(GruCellBackward, CandidatePathWhenUpdateGateOpen) {
  GruCellCheck c(209, kOpen);
  const GruCellCache cache = c.cache();
  auto got = Call("gru_cell_backward",
                  [&] { return graded::gru_cell_backward(c.da_next, cache); });
  if (!got) return;
  std::vector<GradientBlock> blocks = {
      {"dxt", &c.xt, got->dxt},   {"da_prev", &c.a_prev, got->da_prev},
      {"dWr", &c.p.Wr, got->dWr}, {"dWc", &c.p.Wc, got->dWc},
      {"dbr", &c.p.br, got->dbr}, {"dbc", &c.p.bc, got->dbc}};
  EXPECT_TRUE(GradientsMatch("gru_cell_backward",
                             CheckGradients([&] { return c.J(); }, blocks)))
      << "gru_cell_backward with Γu = 1 (a_next = c̃): dcct = da_next * Γu * "
         "(1 - c̃²); dWc = dcct [Γr * a_prev; xt]ᵀ; dra = Wc[:, :n_a]ᵀ dcct "
         "reaches Γr * a_prev, so da_prev gets dra * Γr and drt = dra * "
         "a_prev * Γr * (1 - Γr).";
}

// ========================================================= gru_backward

TEST(GruBackward, MatchesReferenceOnOtherShapes) {
  RandomState rng(210);
  for (const Shape& s : kShapes) {
    const Tensor3 x = rng.randn_tensor<3>({s.n_x, s.m, s.T_x});
    const Matrix a0 = rng.randn(s.n_a, s.m);
    const GruParameters p = gru_parameters(rng, s.n_x, s.n_a, s.n_y);
    const auto caches = reference::gru_forward(x, a0, p).caches;
    const Tensor3 da = rng.randn_tensor<3>({s.n_a, s.m, s.T_x});
    auto got =
        Call("gru_backward", [&] { return graded::gru_backward(da, caches); });
    if (!got) return;
    const auto want = reference::gru_backward(da, caches);
    const std::string f = "gru_backward";
    if (!Reported(TensorHasShape(f, "dx" + s.str(), got->dx, dl::shape_of(x),
                                 "dx has x's shape (n_x, m, T_x)")) ||
        !Reported(HasShape(f, "da0" + s.str(), got->da0, s.n_a, s.m,
                           "da0 is (n_a, m)"))) {
      return;
    }
    EXPECT_TRUE(Near(f, "dx" + s.str(), got->dx, want.dx));
    EXPECT_TRUE(Near(f, "da0" + s.str(), got->da0, want.da0));
    ExpectGruWeightGradientsNear(f, s, *got, want);
  }
}

// A sequence, a fixed da, and J = Σ_t Σ a<t> ⊙ da<t> computed with the
// reference gru_forward. `no_links` cuts the links between the time steps:
// the a_prev columns of Wr, Wu and Wc are 0 and Γu = 1, so a<t> = c̃<t>
// depends on x<t> only (and da_prev = 0).
struct GruSequenceCheck : SequenceCheckData {
  GruParameters p;
  GruSequenceCheck(uint32_t seed, bool no_links) {
    RandomState rng(seed);
    const Shape s = kCheckShape;
    x_steps = split_steps(rng.randn_tensor<3>({s.n_x, s.m, s.T_x}));
    a0 = rng.randn(s.n_a, s.m);
    p = gru_parameters(rng, s.n_x, s.n_a, s.n_y, 0.6);
    if (no_links) {
      for (Matrix* W : {&p.Wr, &p.Wu, &p.Wc}) W->leftCols(s.n_a).setZero();
      p.bu.setConstant(kOpen);
    }
    da = rng.randn_tensor<3>({s.n_a, s.m, s.T_x});
  }
  GruCaches caches() const { return reference::gru_forward(x(), a0, p).caches; }
  double J() const {
    return sum_product(reference::gru_forward(x(), a0, p).a, da);
  }
};

// No link between the time steps (see GruSequenceCheck): dWc and dbc must be
// the SUM of the steps' own gradients. (With Γu = 1 and the a_prev columns
// 0, dWu, dWr and their biases are ~0 here;
// AllGradientsMatchFiniteDifferences checks them.)
TEST(GruBackward, WeightGradientsAccumulateOverTime) {
  GruSequenceCheck c(211, /*no_links=*/true);
  const auto caches = c.caches();
  auto got =
      Call("gru_backward", [&] { return graded::gru_backward(c.da, caches); });
  if (!got) return;
  std::vector<GradientBlock> blocks = {{"dWc", &c.p.Wc, got->dWc},
                                       {"dbc", &c.p.bc, got->dbc}};
  EXPECT_TRUE(GradientsMatch("gru_backward",
                             CheckGradients([&] { return c.J(); }, blocks)))
      << "gru_backward: the weight gradients are the sum over ALL time steps "
         "(the steps are independent here, so the chain plays no part): "
         "start every dW and db at zeros and add (+=) each step's gradient.";
}

// The da_prev chain: dx and da0 depend on it.
TEST(GruBackward, DaPrevChainsBackThroughTime) {
  GruSequenceCheck c(212, /*no_links=*/false);
  const auto caches = c.caches();
  auto got =
      Call("gru_backward", [&] { return graded::gru_backward(c.da, caches); });
  if (!got) return;
  if (!c.HasGradientShapes("gru_backward", got->dx, got->da0)) return;
  std::vector<GradientBlock> blocks = c.dx_blocks(got->dx);
  blocks.push_back({"da0", &c.a0, got->da0});
  EXPECT_TRUE(GradientsMatch("gru_backward",
                             CheckGradients([&] { return c.J(); }, blocks)))
      << "gru_backward: at step t call gru_cell_backward(da[:, :, t] + "
         "da_prevt, caches[t]) and keep its da_prev for step t-1; da0 is the "
         "da_prev of step 0. (If only the early dx[:, :, t] are wrong, the "
         "chain is missing.)";
}

TEST(GruBackward, AllGradientsMatchFiniteDifferences) {
  GruSequenceCheck c(213, /*no_links=*/false);
  const auto caches = c.caches();
  auto got =
      Call("gru_backward", [&] { return graded::gru_backward(c.da, caches); });
  if (!got) return;
  if (!c.HasGradientShapes("gru_backward", got->dx)) return;
  std::vector<GradientBlock> blocks = c.dx_blocks(got->dx);
  blocks.push_back({"da0", &c.a0, got->da0});
  for (const GradientBlock& b : gru_weight_blocks(c.p, *got)) {
    blocks.push_back(b);
  }
  EXPECT_TRUE(GradientsMatch("gru_backward",
                             CheckGradients([&] { return c.J(); }, blocks)))
      << "gru_backward: fix WeightGradientsAccumulateOverTime and "
         "DaPrevChainsBackThroughTime first if they fail too.";
}

// ========================================================= brnn_forward

// n_x = n_a = 1, n_y = 2, m = 1, T_x = 3, recomputed with plain doubles.
TEST(BrnnForward, HandComputedScalarSequence) {
  const double wax_f = 0.9, waa_f = 0.5, ba_f = -0.1;
  const double wax_b = -0.7, waa_b = 1.1, ba_b = 0.2;
  const double wy0_f = 0.8, wy0_b = -1.3, wy1_f = 0.4, wy1_b = 0.6;
  const double by0 = 0.05, by1 = -0.15;
  const std::vector<double> xs = {1.0, -2.0, 0.5};
  const double a0f = 0.25, a0b = -0.4;
  BrnnParameters p;
  p.Wax_f = matrix({{wax_f}});
  p.Waa_f = matrix({{waa_f}});
  p.ba_f = matrix({{ba_f}});
  p.Wax_b = matrix({{wax_b}});
  p.Waa_b = matrix({{waa_b}});
  p.ba_b = matrix({{ba_b}});
  p.Wy = matrix({{wy0_f, wy0_b}, {wy1_f, wy1_b}});
  p.by = matrix({{by0}, {by1}});
  Tensor3 x(1, 1, 3);
  for (int t = 0; t < 3; ++t) x(0, 0, t) = xs[t];

  Matrix want_f(1, 3), want_b(1, 3), want_y0(1, 3);
  double a = a0f;
  for (int t = 0; t < 3; ++t) {
    a = std::tanh(waa_f * a + wax_f * xs[t] + ba_f);
    want_f(0, t) = a;
  }
  a = a0b;
  for (int t = 2; t >= 0; --t) {
    a = std::tanh(waa_b * a + wax_b * xs[t] + ba_b);
    want_b(0, t) = a;
  }
  for (int t = 0; t < 3; ++t) {
    const double z0 = wy0_f * want_f(0, t) + wy0_b * want_b(0, t) + by0;
    const double z1 = wy1_f * want_f(0, t) + wy1_b * want_b(0, t) + by1;
    want_y0(0, t) = sigma(z0 - z1);
  }

  auto got = Call("brnn_forward", [&] {
    return graded::brnn_forward(x, matrix({{a0f}}), matrix({{a0b}}), p);
  });
  if (!got) return;
  const std::string f = "brnn_forward";
  if (!Reported(TensorHasShape(f, "a_f", got->a_f, {1, 1, 3},
                               "a_f is (n_a, m, T_x)")) ||
      !Reported(TensorHasShape(f, "a_b", got->a_b, {1, 1, 3},
                               "a_b is (n_a, m, T_x)")) ||
      !Reported(
          TensorHasShape(f, "y", got->y, {2, 1, 3}, "y is (n_y, m, T_x)"))) {
    return;
  }
  EXPECT_TRUE(Near(f, "a_f[0][0]", over_time(got->a_f, 0, 0), want_f,
                   kReference,
                   "a_f<t> = tanh(Waa_f a_f<t-1> + Wax_f x<t> + ba_f), from "
                   "a0_f, t = 0 .. T_x-1"));
  EXPECT_TRUE(Near(f, "a_b[0][0]", over_time(got->a_b, 0, 0), want_b,
                   kReference,
                   "a_b<t> = tanh(Waa_b a_b<t+1> + Wax_b x<t> + ba_b), from "
                   "a0_b, t = T_x-1 DOWN TO 0"));
  EXPECT_TRUE(Near(f, "y[0][0]", over_time(got->y, 0, 0), want_y0, kReference,
                   "y<t> = softmax(Wy [a_f<t>; a_b<t>] + by)"));
}

// The forward direction is rnn_step_by_step's basic RNN.
TEST(BrnnForward, ForwardDirectionIsTheBasicRnn) {
  RandomState rng(214);
  const Shape s{3, 4, 2, 5, 4};
  const Tensor3 x = rng.randn_tensor<3>({s.n_x, s.m, s.T_x});
  const Matrix a0_f = rng.randn(s.n_a, s.m), a0_b = rng.randn(s.n_a, s.m);
  const BrnnParameters p = brnn_parameters(rng, s.n_x, s.n_a, s.n_y);
  auto got = Call("brnn_forward",
                  [&] { return graded::brnn_forward(x, a0_f, a0_b, p); });
  if (!got) return;
  const Tensor3 want = rnn_step_by_step::reference::rnn_forward(
                           x, a0_f, basic_rnn(p.Wax_f, p.Waa_f, p.ba_f))
                           .a;
  EXPECT_TRUE(Near("brnn_forward", "a_f", got->a_f, want, kReference,
                   "the forward direction is rnn_forward of "
                   "rnn_step_by_step with (Wax_f, Waa_f, ba_f), from a0_f"));
}

// The backward direction is the basic RNN run on the REVERSED sequence, its
// activations reversed back.
TEST(BrnnForward, BackwardDirectionRunsRightToLeft) {
  RandomState rng(215);
  const Shape s{3, 4, 2, 5, 4};
  const Tensor3 x = rng.randn_tensor<3>({s.n_x, s.m, s.T_x});
  const Matrix a0_f = rng.randn(s.n_a, s.m), a0_b = rng.randn(s.n_a, s.m);
  const BrnnParameters p = brnn_parameters(rng, s.n_x, s.n_a, s.n_y);
  auto got = Call("brnn_forward",
                  [&] { return graded::brnn_forward(x, a0_f, a0_b, p); });
  if (!got) return;
  const Tensor3 want = reverse_time(
      rnn_step_by_step::reference::rnn_forward(
          reverse_time(x), a0_b, basic_rnn(p.Wax_b, p.Waa_b, p.ba_b))
          .a);
  EXPECT_TRUE(Near("brnn_forward", "a_b", got->a_b, want, kReference,
                   "the backward direction starts at the END: a_b<T_x-1> = "
                   "tanh(Waa_b a0_b + Wax_b x<T_x-1> + ba_b), then t = T_x-2 "
                   "down to 0, each from a_b<t+1>; a_b[:, :, t] is stored at "
                   "the step's own t (not reversed)"));
}

// The prediction reads both directions at the same t, a_f on top.
TEST(BrnnForward, PredictionReadsBothDirections) {
  RandomState rng(216);
  const Shape s{3, 4, 3, 5, 4};
  const Tensor3 x = rng.randn_tensor<3>({s.n_x, s.m, s.T_x});
  const Matrix a0_f = rng.randn(s.n_a, s.m), a0_b = rng.randn(s.n_a, s.m);
  BrnnParameters p = brnn_parameters(rng, s.n_x, s.n_a, s.n_y);
  const std::string f = "brnn_forward";
  for (int half = 0; half < 2; ++half) {
    // half 0: only the a_f columns of Wy; half 1: only the a_b columns.
    BrnnParameters q = p;
    (half == 0 ? q.Wy.rightCols(s.n_a) : q.Wy.leftCols(s.n_a)).setZero();
    auto got =
        Call(f.c_str(), [&] { return graded::brnn_forward(x, a0_f, a0_b, q); });
    if (!got) return;
    const Tensor3& a = half == 0 ? got->a_f : got->a_b;
    const std::vector<int64_t> a_shape = {s.n_a, s.m, s.T_x};
    if (!Reported(
            TensorHasShape(f, "a_f", got->a_f, a_shape, "(n_a, m, T_x)")) ||
        !Reported(
            TensorHasShape(f, "a_b", got->a_b, a_shape, "(n_a, m, T_x)"))) {
      return;
    }
    const Matrix W = half == 0 ? Matrix(q.Wy.leftCols(s.n_a))
                               : Matrix(q.Wy.rightCols(s.n_a));
    Tensor3 want(s.n_y, s.m, s.T_x);
    for (int t = 0; t < s.T_x; ++t) {
      gru_and_deep_rnn::set_time_step(
          want, t,
          gru_and_deep_rnn::softmax((W * time_step(a, t)).colwise() +
                                    q.by.col(0)));
    }
    EXPECT_TRUE(Near(
        f,
        half == 0 ? "y when only the a_f columns of Wy are non-zero (from "
                    "your a_f)"
                  : "y when only the a_b columns of Wy are non-zero (from "
                    "your a_b)",
        got->y, want, kReference,
        "y<t> = softmax(Wy [a_f<t>; a_b<t>] + by): a_f<t> on top (the first "
        "n_a columns of Wy), a_b<t> below, both at the SAME t"));
  }
}

TEST(BrnnForward, MatchesReferenceOnOtherShapes) {
  RandomState rng(217);
  for (const Shape& s : kShapes) {
    const Tensor3 x = rng.randn_tensor<3>({s.n_x, s.m, s.T_x});
    const Matrix a0_f = rng.randn(s.n_a, s.m), a0_b = rng.randn(s.n_a, s.m);
    const BrnnParameters p = brnn_parameters(rng, s.n_x, s.n_a, s.n_y);
    auto got = Call("brnn_forward",
                    [&] { return graded::brnn_forward(x, a0_f, a0_b, p); });
    if (!got) return;
    const auto want = reference::brnn_forward(x, a0_f, a0_b, p);
    const std::string f = "brnn_forward";
    EXPECT_TRUE(Near(f, "a_f" + s.str(), got->a_f, want.a_f));
    EXPECT_TRUE(Near(f, "a_b" + s.str(), got->a_b, want.a_b));
    EXPECT_TRUE(Near(f, "y" + s.str(), got->y, want.y));
  }
}

// ===================================================== deep_rnn_forward

// L = 2 layers of one unit, n_x = 1, n_y = 2, m = 1, T_x = 3, recomputed
// with plain doubles.
TEST(DeepRnnForward, HandComputedScalarSequence) {
  const double wax1 = 0.8, waa1 = -0.6, ba1 = 0.1;
  const double wax2 = 1.4, waa2 = 0.3, ba2 = -0.2;
  const double wy0 = 0.9, wy1 = -0.5, by0 = 0.0, by1 = 0.3;
  const std::vector<double> xs = {0.5, 1.5, -1.0};
  const double a01 = 0.2, a02 = -0.3;
  DeepRnnParameters p;
  p.layers = {{matrix({{wax1}}), matrix({{waa1}}), matrix({{ba1}})},
              {matrix({{wax2}}), matrix({{waa2}}), matrix({{ba2}})}};
  p.Wy = matrix({{wy0}, {wy1}});
  p.by = matrix({{by0}, {by1}});
  Tensor3 x(1, 1, 3);
  for (int t = 0; t < 3; ++t) x(0, 0, t) = xs[t];
  const std::vector<Matrix> a0 = {matrix({{a01}}), matrix({{a02}})};

  Matrix want1(1, 3), want2(1, 3), want_y0(1, 3);
  double a1 = a01, a2 = a02;
  for (int t = 0; t < 3; ++t) {
    a1 = std::tanh(waa1 * a1 + wax1 * xs[t] + ba1);
    a2 = std::tanh(waa2 * a2 + wax2 * a1 + ba2);  // a1 of the SAME step
    want1(0, t) = a1;
    want2(0, t) = a2;
    want_y0(0, t) = sigma((wy0 * a2 + by0) - (wy1 * a2 + by1));
  }

  auto got = Call("deep_rnn_forward",
                  [&] { return graded::deep_rnn_forward(x, a0, p); });
  if (!got) return;
  const std::string f = "deep_rnn_forward";
  ASSERT_EQ(got->a.size(), 2u)
      << f << ": a needs one tensor per layer (L = 2), got " << got->a.size();
  if (!Reported(TensorHasShape(f, "a[0]", got->a[0], {1, 1, 3},
                               "a[l] is (n[l+1], m, T_x)")) ||
      !Reported(TensorHasShape(f, "a[1]", got->a[1], {1, 1, 3},
                               "a[l] is (n[l+1], m, T_x)")) ||
      !Reported(
          TensorHasShape(f, "y", got->y, {2, 1, 3}, "y is (n_y, m, T_x)"))) {
    return;
  }
  EXPECT_TRUE(Near(f, "a[0][0][0]", over_time(got->a[0], 0, 0), want1,
                   kReference,
                   "layer 1 is a basic RNN on x, from a0[0]: a<t> = "
                   "tanh(Waa a<t-1> + Wax x<t> + ba)"));
  EXPECT_TRUE(Near(f, "a[1][0][0]", over_time(got->a[1], 0, 0), want2,
                   kReference,
                   "layer 2 reads layer 1's activation of the SAME step t "
                   "(a^[1]<t>), and its own a^[2]<t-1> (from a0[1])"));
  EXPECT_TRUE(Near(f, "y[0][0]", over_time(got->y, 0, 0), want_y0, kReference,
                   "y<t> = softmax(Wy a^[L]<t> + by): the TOP layer"));
}

// One layer is rnn_step_by_step's rnn_forward, prediction included.
TEST(DeepRnnForward, OneLayerIsTheBasicRnn) {
  RandomState rng(218);
  const Shape s{3, 5, 2, 4, 4};
  const Tensor3 x = rng.randn_tensor<3>({s.n_x, s.m, s.T_x});
  const std::vector<Matrix> a0 = deep_a0(rng, {s.n_a}, s.m);
  const DeepRnnParameters p = deep_parameters(rng, s.n_x, {s.n_a}, s.n_y);
  auto got = Call("deep_rnn_forward",
                  [&] { return graded::deep_rnn_forward(x, a0, p); });
  if (!got) return;
  const std::string f = "deep_rnn_forward";
  ASSERT_EQ(got->a.size(), 1u) << f << ": a needs one tensor per layer (L = 1)";
  const auto want = rnn_step_by_step::reference::rnn_forward(
      x, a0[0],
      basic_rnn(p.layers[0].Wax, p.layers[0].Waa, p.layers[0].ba, p.Wy, p.by));
  EXPECT_TRUE(Near(f, "a[0]", got->a[0], want.a, kReference,
                   "with one layer this is rnn_forward of rnn_step_by_step"));
  EXPECT_TRUE(Near(f, "y", got->y, want.y_pred, kReference,
                   "with one layer, y is rnn_forward's y_pred"));
}

// Three layers of different sizes are three rnn_forward calls in a row, each
// on the activations of the one below.
TEST(DeepRnnForward, LayersReadTheLayerBelowAtTheSameStep) {
  RandomState rng(219);
  const int n_x = 3, n_y = 4, m = 5, T_x = 4;
  const std::vector<int> sizes = {6, 2, 5};
  const Tensor3 x = rng.randn_tensor<3>({n_x, m, T_x});
  const std::vector<Matrix> a0 = deep_a0(rng, sizes, m);
  const DeepRnnParameters p = deep_parameters(rng, n_x, sizes, n_y);
  auto got = Call("deep_rnn_forward",
                  [&] { return graded::deep_rnn_forward(x, a0, p); });
  if (!got) return;
  const std::string f = "deep_rnn_forward";
  ASSERT_EQ(got->a.size(), sizes.size())
      << f << ": a needs one tensor per layer (L = 3)";
  Tensor3 input = x;
  rnn_step_by_step::RnnForwardOutput layer;
  for (size_t l = 0; l < sizes.size(); ++l) {
    const RnnLayerParameters& w = p.layers[l];
    const bool top = l + 1 == sizes.size();
    layer = rnn_step_by_step::reference::rnn_forward(
        input, a0[l],
        top ? basic_rnn(w.Wax, w.Waa, w.ba, p.Wy, p.by)
            : basic_rnn(w.Wax, w.Waa, w.ba));
    const std::string name = "a[" + std::to_string(l) + "]";
    if (!Reported(
            TensorHasShape(f, name, got->a[l], dl::shape_of(layer.a),
                           "a[l] is (n[l+1], m, T_x): layers[l].Waa.rows() "
                           "units"))) {
      return;
    }
    EXPECT_TRUE(Near(f, name, got->a[l], layer.a, kReference,
                     l == 0 ? "layer 1 is rnn_forward on x from a0[0]"
                            : "layer l+1 is rnn_forward on the activations "
                              "of layer l (all T_x steps), from a0[l]"));
    input = layer.a;
  }
  EXPECT_TRUE(Near(f, "y", got->y, layer.y_pred, kReference,
                   "y<t> = softmax(Wy a^[L]<t> + by): the top layer only"));
}

TEST(DeepRnnForward, MatchesReferenceOnOtherShapes) {
  struct DeepShape {
    int n_x;
    std::vector<int> sizes;
    int n_y, m, T_x;
  };
  const std::vector<DeepShape> shapes = {
      {4, {6, 3}, 3, 5, 3},     // all different
      {2, {3, 3, 2}, 5, 1, 4},  // m = 1
      {1, {4}, 2, 3, 5},        // n_x = 1, one layer
      {3, {1, 2}, 2, 4, 3},     // a layer of one unit
      {5, {3, 4}, 1, 2, 6},     // n_y = 1
      {3, {2, 5, 3}, 4, 6, 1},  // T_x = 1
  };
  RandomState rng(220);
  for (const DeepShape& s : shapes) {
    const Tensor3 x = rng.randn_tensor<3>({s.n_x, s.m, s.T_x});
    const std::vector<Matrix> a0 = deep_a0(rng, s.sizes, s.m);
    const DeepRnnParameters p = deep_parameters(rng, s.n_x, s.sizes, s.n_y);
    auto got = Call("deep_rnn_forward",
                    [&] { return graded::deep_rnn_forward(x, a0, p); });
    if (!got) return;
    const auto want = reference::deep_rnn_forward(x, a0, p);
    std::string shape = " (n_x = " + std::to_string(s.n_x) + ", layers [";
    for (size_t l = 0; l < s.sizes.size(); ++l) {
      shape += (l ? ", " : "") + std::to_string(s.sizes[l]);
    }
    shape += "], n_y = " + std::to_string(s.n_y) +
             ", m = " + std::to_string(s.m) +
             ", T_x = " + std::to_string(s.T_x) + ")";
    const std::string f = "deep_rnn_forward";
    ASSERT_EQ(got->a.size(), want.a.size())
        << f << ": a needs one tensor per layer" << shape;
    for (size_t l = 0; l < want.a.size(); ++l) {
      EXPECT_TRUE(Near(f, "a[" + std::to_string(l) + "]" + shape, got->a[l],
                       want.a[l]));
    }
    EXPECT_TRUE(Near(f, "y" + shape, got->y, want.y));
  }
}

}  // namespace
