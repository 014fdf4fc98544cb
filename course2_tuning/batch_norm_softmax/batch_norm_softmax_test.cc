// Grades course2_tuning/batch_norm_softmax: the course's expected values
// where it printed some (softmax, one_hot_matrix), small examples worked out
// by hand, a seeded comparison with the reference solution on several shapes,
// numerical stability for large logits, batch norm with m = 1, and
// finite-difference checks of the two backward functions.

#include "course2_tuning/batch_norm_softmax/batch_norm_softmax.h"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "course2_tuning/batch_norm_softmax/graded.h"  // see tools/unit.bzl
#include "gtest/gtest.h"

namespace reference = batch_norm_softmax::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
using batch_norm_softmax::BatchNormCache;
using batch_norm_softmax::BatchNormForward;
using batch_norm_softmax::BatchNormState;
using batch_norm_softmax::initialize_batchnorm_state;
using dl::Matrix;
using dl::matrix;
using dl::RandomState;

// Shapes (n or C, m) where the two differ, plus m = 1 and a single row.
const std::vector<std::pair<int, int>> kShapes = {{3, 5}, {5, 3}, {6, 8},
                                                  {4, 1}, {1, 4}, {12, 7}};

std::string With(int rows, int m) {
  return " for shape (" + std::to_string(rows) + ", " + std::to_string(m) + ")";
}

// m labels in 0..C-1, as a (1, m) row.
Matrix RandomLabels(RandomState& rng, int C, int m) {
  Matrix labels(1, m);
  for (int i = 0; i < m; ++i)
    labels(0, i) = static_cast<double>(rng.randint(0, C));
  return labels;
}

Matrix OneHot(const Matrix& labels, int C) {
  return reference::one_hot(labels, C);
}

// A state with running averages away from the fresh 0 and 1.
BatchNormState RandomBatchNormState(RandomState& rng, int n) {
  BatchNormState state;
  state.running_mean = rng.randn(n, 1);
  state.running_var = rng.rand(n, 1) + Matrix::Constant(n, 1, 0.5);
  return state;
}

// ----------------------------------------------------------- normalize_inputs
TEST(NormalizeInputs, HandComputedExample) {
  // Row 0: mu 3, sigma2 3.5. Row 1 is constant: sigma2 0, X_norm 0 (epsilon).
  // Row 2: mu 0, sigma2 2.
  const Matrix X = matrix({{1, 2, 3, 6}, {5, 5, 5, 5}, {-2, 0, 2, 0}});
  auto got =
      Call("normalize_inputs", [&] { return graded::normalize_inputs(X); });
  if (!got) return;
  const std::string f = "normalize_inputs";
  EXPECT_TRUE(Near(f, "mu", got->mu, matrix({{3}, {5}, {0}}), kCourseValues,
                   "one mean per feature (row): X.rowwise().mean(), (n, 1)"));
  EXPECT_TRUE(Near(f, "sigma2", got->sigma2, matrix({{3.5}, {0}, {2}}),
                   kCourseValues,
                   "sigma2 = (1/m) Σ (x - mu)² per row, with 1/m (not "
                   "1/(m-1)), before the square root"));
  EXPECT_TRUE(Near(f, "X_norm", got->X_norm,
                   matrix({{-1.069044966, -0.5345224831, 0.0, 1.603567449},
                           {0, 0, 0, 0},
                           {-1.414213559, 0.0, 1.414213559, 0.0}}),
                   kCourseValues,
                   "X_norm = (X - mu) / sqrt(sigma2 + epsilon): divide by the "
                   "standard deviation, and the constant row must give 0, not "
                   "NaN"));
}

TEST(NormalizeInputs, MatchesReferenceOnRandomInputs) {
  RandomState rng(1);
  for (auto [n, m] : kShapes) {
    const Matrix X = rng.randn(n, m) * 3 + Matrix::Constant(n, m, 2);
    auto got =
        Call("normalize_inputs", [&] { return graded::normalize_inputs(X); });
    if (!got) return;
    const auto want = reference::normalize_inputs(X);
    EXPECT_TRUE(Near("normalize_inputs", "mu" + With(n, m), got->mu, want.mu));
    EXPECT_TRUE(Near("normalize_inputs", "sigma2" + With(n, m), got->sigma2,
                     want.sigma2));
    EXPECT_TRUE(Near("normalize_inputs", "X_norm" + With(n, m), got->X_norm,
                     want.X_norm));
  }
}

TEST(NormalizeInputs, UsesEpsilon) {
  const Matrix X = matrix({{1, 2, 4}});  // mu 7/3, sigma2 14/9
  auto got = Call("normalize_inputs",
                  [&] { return graded::normalize_inputs(X, 0.5); });
  if (!got) return;
  EXPECT_TRUE(Near("normalize_inputs", "X_norm with epsilon = 0.5", got->X_norm,
                   reference::normalize_inputs(X, 0.5).X_norm, kReference,
                   "divide by sqrt(sigma2 + epsilon), with the epsilon "
                   "argument"));
}

// -------------------------------------------------------------------- one_hot
TEST(OneHot, CourseValues) {
  // The course's one_hot_matrix tests: label 1 and label 2 with depth 4.
  auto got = Call("one_hot", [] {
    return graded::one_hot(matrix({{1, 2}}), 4);
  });
  if (!got) return;
  EXPECT_TRUE(Near("one_hot", "one_hot([[1, 2]], 4)", *got,
                   matrix({{0, 0}, {1, 0}, {0, 1}, {0, 0}}), kCourseValues,
                   "shape (C, m): one COLUMN per example, the 1 in row "
                   "labels(0, i)"));
}

TEST(OneHot, MatchesReferenceOnRandomLabels) {
  RandomState rng(2);
  for (auto [C, m] : kShapes) {
    const Matrix labels = RandomLabels(rng, C, m);
    auto got = Call("one_hot", [&] { return graded::one_hot(labels, C); });
    if (!got) return;
    EXPECT_TRUE(Near("one_hot",
                     "one_hot(labels, " + std::to_string(C) + ")" + With(C, m),
                     *got, reference::one_hot(labels, C)));
  }
}

// -------------------------------------------------------------------- softmax
TEST(Softmax, CourseValues) {
  // The course's softmax example (C1W2), one example per column here.
  const Matrix Z = matrix({{9, 7}, {2, 5}, {5, 0}, {0, 0}, {0, 0}});
  auto got = Call("softmax", [&] { return graded::softmax(Z); });
  if (!got) return;
  EXPECT_TRUE(Near("softmax", "softmax(Z) for the course's example", *got,
                   matrix({{9.80897665e-01, 8.78679856e-01},
                           {8.94462891e-04, 1.18916387e-01},
                           {1.79657674e-02, 8.01252314e-04},
                           {1.21052389e-04, 8.01252314e-04},
                           {1.21052389e-04, 8.01252314e-04}}),
                   kCourseValues,
                   "column by column: each COLUMN (one example) sums to 1"));
}

TEST(Softmax, MatchesReferenceOnRandomInputs) {
  RandomState rng(3);
  for (auto [C, m] : kShapes) {
    const Matrix Z = rng.randn(C, m) * 4;
    auto got = Call("softmax", [&] { return graded::softmax(Z); });
    if (!got) return;
    EXPECT_TRUE(Near("softmax", "softmax(Z)" + With(C, m), *got,
                     reference::softmax(Z)));
  }
}

TEST(Softmax, LargeLogitsStayFinite) {
  // exp(1000) overflows; shifted by the column's max it is exp(0) = 1.
  const Matrix Z =
      matrix({{1000, -1000, 800}, {0, -1001, 801}, {1000, -999, 0}});
  auto got = Call("softmax", [&] { return graded::softmax(Z); });
  if (!got) return;
  EXPECT_TRUE(Near("softmax", "softmax(Z) for logits near ±1000", *got,
                   reference::softmax(Z), kReference,
                   "subtract each column's max before exp(): "
                   "Z.rowwise() - Z.colwise().maxCoeff()"));
}

// ------------------------------------------------------ softmax_cross_entropy
// The course's softmax example with labels 0 and 1.
struct CrossEntropyExample {
  Matrix Z = matrix({{9, 7}, {2, 5}, {5, 0}, {0, 0}, {0, 0}});
  Matrix Y = matrix({{1, 0}, {0, 1}, {0, 0}, {0, 0}, {0, 0}});
};

TEST(SoftmaxCrossEntropy, HandComputedExample) {
  const CrossEntropyExample e;
  auto got = Call("softmax_cross_entropy",
                  [&] { return graded::softmax_cross_entropy(e.Z, e.Y); });
  if (!got) return;
  // -(log 0.98089766 + log 0.11891639) / 2
  EXPECT_TRUE(Near("softmax_cross_entropy", "J", *got, 1.0743109018078143,
                   kCourseValues,
                   "J = -(1/m) Σ Y log softmax(Z): the MEAN over the m "
                   "examples (compute_total_loss is the sum)"));
}

TEST(SoftmaxCrossEntropy, MatchesReferenceOnRandomInputs) {
  RandomState rng(4);
  for (auto [C, m] : kShapes) {
    const Matrix Z = rng.randn(C, m) * 3;
    const Matrix Y = OneHot(RandomLabels(rng, C, m), C);
    auto got = Call("softmax_cross_entropy",
                    [&] { return graded::softmax_cross_entropy(Z, Y); });
    if (!got) return;
    EXPECT_TRUE(Near("softmax_cross_entropy", "J" + With(C, m), *got,
                     reference::softmax_cross_entropy(Z, Y)));
  }
}

TEST(SoftmaxCrossEntropy, LargeLogitsStayFinite) {
  // The true class has probability e^-1000: log(softmax) would be log(0).
  const Matrix Z = matrix({{1000, 3}, {0, 1}, {1000, 2}});
  const Matrix Y = matrix({{0, 0}, {1, 0}, {0, 1}});
  auto got = Call("softmax_cross_entropy",
                  [&] { return graded::softmax_cross_entropy(Z, Y); });
  if (!got) return;
  EXPECT_TRUE(Near("softmax_cross_entropy", "J for logits near 1000", *got,
                   reference::softmax_cross_entropy(Z, Y), kReference,
                   "log softmax(z) = z - max(z) - log Σ exp(z - max(z)): "
                   "never take the log of a probability that rounded to 0"));
}

// --------------------------------------------------------- compute_total_loss
TEST(ComputeTotalLoss, HandComputedExample) {
  const CrossEntropyExample e;
  auto got = Call("compute_total_loss",
                  [&] { return graded::compute_total_loss(e.Z, e.Y); });
  if (!got) return;
  EXPECT_TRUE(Near("compute_total_loss", "total", *got, 2.1486218036156286,
                   kCourseValues,
                   "the course's total loss is the SUM over the examples, "
                   "no 1/m"));
}

TEST(ComputeTotalLoss, MatchesReferenceOnRandomInputs) {
  RandomState rng(5);
  for (auto [C, m] : kShapes) {
    const Matrix Z = rng.randn(C, m) * 3;
    const Matrix Y = OneHot(RandomLabels(rng, C, m), C);
    auto got = Call("compute_total_loss",
                    [&] { return graded::compute_total_loss(Z, Y); });
    if (!got) return;
    EXPECT_TRUE(Near("compute_total_loss", "total" + With(C, m), *got,
                     reference::compute_total_loss(Z, Y)));
  }
}

TEST(ComputeTotalLoss, LargeLogitsStayFinite) {
  const Matrix Z = matrix({{1000, 3}, {0, 1}, {1000, 2}});
  const Matrix Y = matrix({{0, 0}, {1, 0}, {0, 1}});
  auto got = Call("compute_total_loss",
                  [&] { return graded::compute_total_loss(Z, Y); });
  if (!got) return;
  EXPECT_TRUE(Near("compute_total_loss", "total for logits near 1000", *got,
                   reference::compute_total_loss(Z, Y), kReference,
                   "use the stable log softmax, as in softmax_cross_entropy"));
}

// --------------------------------------------- softmax_cross_entropy_backward
TEST(SoftmaxCrossEntropyBackward, HandComputedExample) {
  const CrossEntropyExample e;
  auto got = Call("softmax_cross_entropy_backward", [&] {
    return graded::softmax_cross_entropy_backward(e.Z, e.Y);
  });
  if (!got) return;
  EXPECT_TRUE(Near("softmax_cross_entropy_backward", "dZ", *got,
                   matrix({{-0.009551167543, 0.4393399279},
                           {0.0004472314453, -0.4405418064},
                           {0.008982883709, 0.000400626157},
                           {6.052619433e-05, 0.000400626157},
                           {6.052619433e-05, 0.000400626157}}),
                   kCourseValues,
                   "dZ = (softmax(Z) - Y) / m, with m = Z.cols()"));
}

TEST(SoftmaxCrossEntropyBackward, MatchesReferenceOnRandomInputs) {
  RandomState rng(6);
  for (auto [C, m] : kShapes) {
    const Matrix Z = rng.randn(C, m) * 3;
    const Matrix Y = OneHot(RandomLabels(rng, C, m), C);
    auto got = Call("softmax_cross_entropy_backward", [&] {
      return graded::softmax_cross_entropy_backward(Z, Y);
    });
    if (!got) return;
    EXPECT_TRUE(Near("softmax_cross_entropy_backward", "dZ" + With(C, m), *got,
                     reference::softmax_cross_entropy_backward(Z, Y)));
  }
}

// dZ against centred differences of J = softmax_cross_entropy(Z, Y).
TEST(SoftmaxCrossEntropyBackward, GradientsMatchFiniteDifferences) {
  RandomState rng(7);
  for (auto [C, m] : std::vector<std::pair<int, int>>{{6, 5}, {3, 1}, {2, 7}}) {
    Matrix Z = rng.randn(C, m) * 2;
    const Matrix Y = OneHot(RandomLabels(rng, C, m), C);
    auto got = Call("softmax_cross_entropy_backward", [&] {
      return graded::softmax_cross_entropy_backward(Z, Y);
    });
    if (!got) return;
    std::vector<GradientBlock> blocks = {{"dZ", &Z, *got}};
    const auto checks = CheckGradients(
        [&] { return reference::softmax_cross_entropy(Z, Y); }, blocks);
    EXPECT_TRUE(
        GradientsMatch("softmax_cross_entropy_backward" + With(C, m), checks));
  }
}

// ---------------------------------------------------------- batchnorm_forward
// What a call returns, and the state after it.
struct ForwardAndState {
  BatchNormForward forward;
  BatchNormState state;
};

// The hand-computed example: row 0 has mu 3, var 3.5; row 1 mu 0, var 0.5.
struct BatchNormExample {
  Matrix Z = matrix({{1, 2, 3, 6}, {-1, 0, 1, 0}});
  Matrix gamma = matrix({{2}, {0.5}});
  Matrix beta = matrix({{0.5}, {-1}});
};

TEST(BatchnormForward, TrainingHandComputedExample) {
  const BatchNormExample e;
  auto got = Call("batchnorm_forward", [&] {
    ForwardAndState r{{}, initialize_batchnorm_state(2)};
    r.forward = graded::batchnorm_forward(e.Z, e.gamma, e.beta, r.state,
                                          /*training=*/true);
    return r;
  });
  if (!got) return;
  const std::string f = "batchnorm_forward";
  EXPECT_TRUE(Near(f, "Z_tilde (training)", got->forward.Z_tilde,
                   matrix({{-1.638086881, -0.5690434404, 0.5, 3.707130321},
                           {-1.70709971, -1.0, -0.2929002898, -1.0}}),
                   kCourseValues,
                   "Z_norm = (Z - mu) / sqrt(var + eps) with the BATCH's mean "
                   "and variance (1/m) per row; Z_tilde = gamma ⊙ Z_norm + "
                   "beta"));
  EXPECT_TRUE(Near(f, "cache.mu", got->forward.cache.mu, matrix({{3}, {0}}),
                   kCourseValues, "the batch mean, one per row (n, 1)"));
  EXPECT_TRUE(Near(f, "cache.var", got->forward.cache.var,
                   matrix({{3.5}, {0.5}}), kCourseValues,
                   "the batch variance with 1/m, one per row (n, 1)"));
  EXPECT_TRUE(Near(f, "state.running_mean after one training step",
                   got->state.running_mean, matrix({{0.3}, {0}}), kCourseValues,
                   "running_mean = momentum * running_mean + (1 - momentum) * "
                   "mu, from 0"));
  EXPECT_TRUE(Near(f, "state.running_var after one training step",
                   got->state.running_var, matrix({{1.25}, {0.95}}),
                   kCourseValues,
                   "running_var = momentum * running_var + (1 - momentum) * "
                   "var, from 1"));
}

TEST(BatchnormForward, InferenceUsesRunningAverages) {
  const BatchNormExample e;
  BatchNormState state = initialize_batchnorm_state(2);
  state.running_mean = matrix({{0.3}, {0}});
  state.running_var = matrix({{1.25}, {0.95}});
  auto got = Call("batchnorm_forward", [&] {
    ForwardAndState r{{}, state};
    r.forward = graded::batchnorm_forward(e.Z, e.gamma, e.beta, r.state,
                                          /*training=*/false);
    return r;
  });
  if (!got) return;
  const std::string f = "batchnorm_forward";
  EXPECT_TRUE(Near(f, "Z_tilde (inference)", got->forward.Z_tilde,
                   matrix({{1.752193059, 3.541040285, 5.329887512, 10.69642919},
                           {-1.512986476, -1.0, -0.4870135239, -1.0}}),
                   kCourseValues,
                   "at inference (training = false) use state.running_mean "
                   "and state.running_var, not the batch's statistics"));
  EXPECT_TRUE(Near(f, "state.running_mean after inference",
                   got->state.running_mean, state.running_mean, kReference,
                   "inference must not change the running averages"));
  EXPECT_TRUE(Near(f, "state.running_var after inference",
                   got->state.running_var, state.running_var, kReference,
                   "inference must not change the running averages"));
}

TEST(BatchnormForward, MatchesReferenceOnRandomInputs) {
  RandomState rng(8);
  for (auto [n, m] : kShapes) {
    const Matrix Z = rng.randn(n, m) * 2 + Matrix::Constant(n, m, 1);
    const Matrix gamma = rng.randn(n, 1);
    const Matrix beta = rng.randn(n, 1);
    BatchNormState start = RandomBatchNormState(rng, n);
    start.momentum = 0.8;
    start.eps = 1e-3;
    for (bool training : {true, false}) {
      auto got = Call("batchnorm_forward", [&] {
        ForwardAndState r{{}, start};
        r.forward =
            graded::batchnorm_forward(Z, gamma, beta, r.state, training);
        return r;
      });
      if (!got) return;
      BatchNormState want_state = start;
      const BatchNormForward want =
          reference::batchnorm_forward(Z, gamma, beta, want_state, training);
      const std::string at =
          std::string(training ? " (training)" : " (inference)") + With(n, m) +
          ", momentum 0.8, eps 1e-3";
      const std::string f = "batchnorm_forward";
      EXPECT_TRUE(Near(f, "Z_tilde" + at, got->forward.Z_tilde, want.Z_tilde,
                       kReference, "use state.eps and state.momentum"));
      EXPECT_TRUE(Near(f, "cache.Z" + at, got->forward.cache.Z, want.cache.Z));
      EXPECT_TRUE(Near(f, "cache.Z_norm" + at, got->forward.cache.Z_norm,
                       want.cache.Z_norm));
      EXPECT_TRUE(
          Near(f, "cache.mu" + at, got->forward.cache.mu, want.cache.mu));
      EXPECT_TRUE(
          Near(f, "cache.var" + at, got->forward.cache.var, want.cache.var));
      EXPECT_TRUE(Near(f, "cache.gamma" + at, got->forward.cache.gamma,
                       want.cache.gamma));
      EXPECT_TRUE(Near(f, "cache.eps" + at, got->forward.cache.eps,
                       want.cache.eps, kReference, "cache.eps = state.eps"));
      EXPECT_TRUE(Near(f, "state.running_mean" + at, got->state.running_mean,
                       want_state.running_mean));
      EXPECT_TRUE(Near(f, "state.running_var" + at, got->state.running_var,
                       want_state.running_var));
    }
  }
}

// One example per batch: var = 0, and only eps keeps 0 / 0 away.
TEST(BatchnormForward, OneExampleGivesBeta) {
  const Matrix Z = matrix({{3.5}, {-2}, {0}});
  const Matrix gamma = matrix({{1.5}, {2}, {-1}});
  const Matrix beta = matrix({{0.25}, {-0.5}, {1}});
  auto got = Call("batchnorm_forward", [&] {
    ForwardAndState r{{}, initialize_batchnorm_state(3)};
    r.forward =
        graded::batchnorm_forward(Z, gamma, beta, r.state, /*training=*/true);
    return r;
  });
  if (!got) return;
  EXPECT_TRUE(Near("batchnorm_forward", "Z_tilde with m = 1 (training)",
                   got->forward.Z_tilde, beta, kCourseValues,
                   "with one example var = 0 and Z - mu = 0: Z_norm = 0 / "
                   "sqrt(0 + eps) = 0, so Z_tilde = beta (NaN means eps is "
                   "missing)"));
}

// --------------------------------------------------------- batchnorm_backward
TEST(BatchnormBackward, HandComputedExample) {
  BatchNormState state = initialize_batchnorm_state(1);
  const BatchNormCache cache =
      reference::batchnorm_forward(matrix({{1, 2, 3, 6}}), matrix({{2}}),
                                   matrix({{0.5}}), state, true)
          .cache;
  const Matrix dZ_tilde = matrix({{0.1, -0.2, 0.3, 0.05}});
  auto got = Call("batchnorm_backward",
                  [&] { return graded::batchnorm_backward(dZ_tilde, cache); });
  if (!got) return;
  const std::string f = "batchnorm_backward";
  EXPECT_TRUE(Near(f, "dbeta", got->dbeta, matrix({{0.25}}), kCourseValues,
                   "dbeta = Σ dZ_tilde over the columns (no 1/m: it is in "
                   "dZ_tilde already)"));
  EXPECT_TRUE(Near(f, "dgamma", got->dgamma, matrix({{0.08017825803}}),
                   kCourseValues, "dgamma = Σ dZ_tilde ⊙ Z_norm"));
  EXPECT_TRUE(Near(
      f, "dZ", got->dZ,
      matrix({{0.06299713729, -0.269169899, 0.2538978171, -0.04772505541}}),
      kCourseValues,
      "dZ = (1 / (m sqrt(var + eps))) (m dZ_norm - Σ dZ_norm - "
      "Z_norm Σ dZ_norm ⊙ Z_norm), dZ_norm = gamma ⊙ dZ_tilde: "
      "Z also moves mu and var"));
}

TEST(BatchnormBackward, MatchesReferenceOnRandomInputs) {
  RandomState rng(9);
  for (auto [n, m] : kShapes) {
    BatchNormState state = RandomBatchNormState(rng, n);
    const BatchNormCache cache =
        reference::batchnorm_forward(rng.randn(n, m) * 2, rng.randn(n, 1),
                                     rng.randn(n, 1), state, true)
            .cache;
    const Matrix dZ_tilde = rng.randn(n, m);
    auto got = Call("batchnorm_backward", [&] {
      return graded::batchnorm_backward(dZ_tilde, cache);
    });
    if (!got) return;
    const auto want = reference::batchnorm_backward(dZ_tilde, cache);
    const std::string f = "batchnorm_backward";
    EXPECT_TRUE(Near(f, "dZ" + With(n, m), got->dZ, want.dZ, kReference,
                     "the terms - Σ dZ_norm - Z_norm Σ (dZ_norm ⊙ Z_norm) "
                     "come from mu and var depending on Z"));
    EXPECT_TRUE(Near(f, "dgamma" + With(n, m), got->dgamma, want.dgamma));
    EXPECT_TRUE(Near(f, "dbeta" + With(n, m), got->dbeta, want.dbeta));
  }
}

// With one example, Z_tilde = beta whatever Z is: dZ = 0, dgamma = 0.
TEST(BatchnormBackward, OneExample) {
  BatchNormState state = initialize_batchnorm_state(3);
  const BatchNormCache cache =
      reference::batchnorm_forward(matrix({{3.5}, {-2}, {0}}),
                                   matrix({{1.5}, {2}, {-1}}),
                                   matrix({{0.25}, {-0.5}, {1}}), state, true)
          .cache;
  const Matrix dZ_tilde = matrix({{0.5}, {-1}, {2}});
  auto got = Call("batchnorm_backward",
                  [&] { return graded::batchnorm_backward(dZ_tilde, cache); });
  if (!got) return;
  const std::string f = "batchnorm_backward";
  EXPECT_TRUE(Near(f, "dZ with m = 1", got->dZ, Matrix::Zero(3, 1),
                   kCourseValues,
                   "with one example Z_tilde = beta does not depend on Z"));
  EXPECT_TRUE(Near(f, "dgamma with m = 1", got->dgamma, Matrix::Zero(3, 1),
                   kCourseValues, "Z_norm = 0 with one example"));
  EXPECT_TRUE(Near(f, "dbeta with m = 1", got->dbeta, dZ_tilde, kCourseValues));
}

// J = Σ (Z_tilde ⊙ dout) with the reference's training-mode forward pass
// (fresh batch statistics at every evaluation): dZ, dgamma and dbeta against
// centred differences.
TEST(BatchnormBackward, GradientsMatchFiniteDifferences) {
  RandomState rng(10);
  for (auto [n, m] : std::vector<std::pair<int, int>>{{4, 6}, {1, 5}, {3, 3}}) {
    Matrix Z = rng.randn(n, m) * 1.5 + Matrix::Constant(n, m, 0.5);
    Matrix gamma = rng.randn(n, 1);
    Matrix beta = rng.randn(n, 1);
    const Matrix dout = rng.randn(n, m);
    const BatchNormState start = initialize_batchnorm_state(n);
    BatchNormState state = start;
    const BatchNormCache cache =
        reference::batchnorm_forward(Z, gamma, beta, state, true).cache;
    auto got = Call("batchnorm_backward",
                    [&] { return graded::batchnorm_backward(dout, cache); });
    if (!got) return;
    auto J = [&] {
      BatchNormState s = start;
      return reference::batchnorm_forward(Z, gamma, beta, s, true)
          .Z_tilde.cwiseProduct(dout)
          .sum();
    };
    std::vector<GradientBlock> blocks = {{"dZ", &Z, got->dZ},
                                         {"dgamma", &gamma, got->dgamma},
                                         {"dbeta", &beta, got->dbeta}};
    const std::vector<BlockCheck> checks = CheckGradients(J, blocks);
    EXPECT_TRUE(GradientsMatch("batchnorm_backward" + With(n, m), checks));
  }
}

}  // namespace
