// Grades course1_nn/linear_regression: values that follow from the maths
// (literal examples, numpy's permutation for seed 0), seeded comparisons with
// the reference solution on several shapes, a finite-difference check of
// squared_loss_gradients, and d2l's experiment: SGD and the normal equation
// both recover w = [2, -3.4], b = 4.2.

#include "course1_nn/linear_regression/linear_regression.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "course1_nn/linear_regression/graded.h"  // see tools/unit.bzl
#include "gtest/gtest.h"

namespace reference = linear_regression::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
using dl::Matrix;
using dl::matrix;
using dl::RandomState;
using linear_regression::Data;
using linear_regression::Gradients;
using linear_regression::Parameters;

// Shapes (n_x, m) with n_x ∈ {1, 2, 5}, m ∈ {1, 7, 100}: n_x ≠ m, plus
// m = 1 and n_x = 1.
const std::vector<std::pair<int, int>> kShapes = {{2, 7}, {5, 100}, {1, 7},
                                                  {5, 1}, {1, 1},   {2, 100}};

// d2l's true parameters.
const Matrix kTrueW = matrix({{2.0}, {-3.4}});
constexpr double kTrueB = 4.2;

std::string at(int n_x, int m) {
  return " with n_x = " + std::to_string(n_x) + ", m = " + std::to_string(m);
}

// Minibatches as (1, k) rows for Near: all indices in order, and the sizes.
Matrix flat_indices(const std::vector<std::vector<int>>& batches) {
  std::vector<double> v;
  for (const auto& batch : batches)
    v.insert(v.end(), batch.begin(), batch.end());
  Matrix out(1, static_cast<Eigen::Index>(v.size()));
  for (size_t i = 0; i < v.size(); ++i) out(0, i) = v[i];
  return out;
}
Matrix batch_sizes(const std::vector<std::vector<int>>& batches) {
  Matrix out(1, static_cast<Eigen::Index>(batches.size()));
  for (size_t i = 0; i < batches.size(); ++i) out(0, i) = batches[i].size();
  return out;
}
Matrix row(const std::vector<double>& v) {
  Matrix out(1, static_cast<Eigen::Index>(v.size()));
  for (size_t i = 0; i < v.size(); ++i) out(0, i) = v[i];
  return out;
}

// d2l's 1000 examples, drawn with the reference from RandomState(seed).
Data d2l_data(uint32_t seed) {
  RandomState rng(seed);
  return reference::synthetic_data(kTrueW, kTrueB, 1000, rng);
}

// ---------------------------------------------------------- synthetic_data
TEST(SyntheticData, NoiseIsSmallAndCentered) {
  RandomState rng(42);
  auto got = Call("synthetic_data", [&] {
    return graded::synthetic_data(kTrueW, kTrueB, 1000, rng);
  });
  if (!got) return;
  ASSERT_TRUE(HasShape("synthetic_data", "X", got->X, 2, 1000,
                       "X is (n_x, m): one example per column"));
  ASSERT_TRUE(HasShape("synthetic_data", "y", got->y, 1, 1000,
                       "y = wᵀX + b + noise is (1, m)"));
  // ε = y - (wᵀX + b) should look like 0.01 · N(0, 1).
  const Matrix eps =
      got->y - ((kTrueW.transpose() * got->X).array() + kTrueB).matrix();
  const double mean = eps.mean();
  const double sd = std::sqrt((eps.array() - mean).square().mean());
  EXPECT_TRUE(Near("synthetic_data", "the standard deviation of the noise", sd,
                   0.01, Tolerance{2e-3, 0},
                   "noise = rng.randn(1, m) * 0.01, added to wᵀX + b"));
  EXPECT_TRUE(Near("synthetic_data", "the mean of the noise", mean, 0.0,
                   Tolerance{2e-3, 0}, "y = wᵀX + b + noise"));
  EXPECT_TRUE(Near("synthetic_data", "the standard deviation of X",
                   std::sqrt(got->X.array().square().mean()), 1.0,
                   Tolerance{0.1, 0}, "X = rng.randn(n_x, m), N(0, 1)"));
}

TEST(SyntheticData, MatchesReferenceOnSeeds) {
  RandomState params(1);
  for (auto [n_x, m] : kShapes) {
    const Matrix w = params.randn(n_x, 1);
    const double b = params.standard_normal();
    RandomState mine(7 + n_x * m), theirs(7 + n_x * m);
    auto got = Call("synthetic_data",
                    [&] { return graded::synthetic_data(w, b, m, mine); });
    if (!got) return;
    const Data want = reference::synthetic_data(w, b, m, theirs);
    const std::string hint =
        "draw X = rng.randn(n_x, m) first, then the noise "
        "rng.randn(1, m) * 0.01";
    EXPECT_TRUE(Near("synthetic_data", "X" + at(n_x, m), got->X, want.X,
                     kReference, hint));
    EXPECT_TRUE(Near("synthetic_data", "y" + at(n_x, m), got->y, want.y,
                     kReference, hint));
    EXPECT_TRUE(Near("synthetic_data",
                     "the generator's next draw after the call" + at(n_x, m),
                     mine.standard_normal(), theirs.standard_normal(),
                     kReference,
                     "draw exactly randn(n_x, m) and randn(1, m), nothing "
                     "else"));
  }
}

// ------------------------------------------------------------------ linreg
TEST(Linreg, LiteralExample) {
  const Matrix X = matrix({{1, 2, 3}, {4, 5, 6}});
  auto got = Call("linreg", [&] { return graded::linreg(X, kTrueW, kTrueB); });
  if (!got) return;
  // 2·1 - 3.4·4 + 4.2 = -7.4, and so on.
  EXPECT_TRUE(Near("linreg", "ŷ for X = [[1, 2, 3], [4, 5, 6]]", *got,
                   matrix({{-7.4, -8.8, -10.2}}), kCourseValues,
                   "ŷ = wᵀX + b is (1, m): w.transpose() * X, plus b"));
}

TEST(Linreg, MatchesReferenceOnRandomInputs) {
  RandomState rng(2);
  for (auto [n_x, m] : kShapes) {
    const Matrix X = rng.randn(n_x, m);
    const Matrix w = rng.randn(n_x, 1);
    const double b = rng.standard_normal();
    auto got = Call("linreg", [&] { return graded::linreg(X, w, b); });
    if (!got) return;
    EXPECT_TRUE(
        Near("linreg", "ŷ" + at(n_x, m), *got, reference::linreg(X, w, b)));
  }
}

// ------------------------------------------------------------ squared_loss
TEST(SquaredLoss, LiteralExample) {
  auto got = Call("squared_loss", [] {
    return graded::squared_loss(matrix({{1, 2, 3}}), matrix({{1, 1, 1}}));
  });
  if (!got) return;
  // (0² + 1² + 2²) / (2 · 3) = 5/6.
  EXPECT_TRUE(Near("squared_loss", "J(ŷ = [[1, 2, 3]], y = [[1, 1, 1]])", *got,
                   5.0 / 6.0, kCourseValues,
                   "J = (1/(2m)) Σ (ŷ - y)²: the MEAN of (ŷ - y)²/2"));
}

TEST(SquaredLoss, MatchesReferenceOnRandomInputs) {
  RandomState rng(3);
  for (int m : {7, 1, 100}) {
    const Matrix y_hat = rng.randn(1, m);
    const Matrix y = rng.randn(1, m);
    auto got =
        Call("squared_loss", [&] { return graded::squared_loss(y_hat, y); });
    if (!got) return;
    EXPECT_TRUE(Near("squared_loss", "J with m = " + std::to_string(m), *got,
                     reference::squared_loss(y_hat, y)));
  }
}

// -------------------------------------------------- squared_loss_gradients
TEST(SquaredLossGradients, LiteralExample) {
  const Matrix X = matrix({{1, 2}, {0, -1}});
  const Matrix y = matrix({{1, 0}});
  const Matrix w = matrix({{1}, {2}});
  // ŷ = [[1.5, 0.5]], ŷ - y = [[0.5, 0.5]].
  auto got = Call("squared_loss_gradients",
                  [&] { return graded::squared_loss_gradients(X, y, w, 0.5); });
  if (!got) return;
  EXPECT_TRUE(Near("squared_loss_gradients", "dw", got->dw,
                   matrix({{0.75}, {-0.25}}), kCourseValues,
                   "dw = (1/m) X (ŷ - y)ᵀ has the shape of w, (n_x, 1)"));
  EXPECT_TRUE(Near("squared_loss_gradients", "db", got->db, 0.5, kCourseValues,
                   "db = (1/m) Σ (ŷ - y)"));
}

TEST(SquaredLossGradients, MatchesReferenceOnRandomInputs) {
  RandomState rng(4);
  for (auto [n_x, m] : kShapes) {
    const Matrix X = rng.randn(n_x, m);
    const Matrix y = rng.randn(1, m);
    const Matrix w = rng.randn(n_x, 1);
    const double b = rng.standard_normal();
    auto got = Call("squared_loss_gradients",
                    [&] { return graded::squared_loss_gradients(X, y, w, b); });
    if (!got) return;
    const Gradients want = reference::squared_loss_gradients(X, y, w, b);
    EXPECT_TRUE(
        Near("squared_loss_gradients", "dw" + at(n_x, m), got->dw, want.dw));
    EXPECT_TRUE(
        Near("squared_loss_gradients", "db" + at(n_x, m), got->db, want.db));
  }
}

// dw and db against centered finite differences of the reference's
// J(w, b) = squared_loss(linreg(X, w, b), y).
TEST(SquaredLossGradients, GradientsMatchFiniteDifferences) {
  RandomState rng(5);
  for (auto [n_x, m] : std::vector<std::pair<int, int>>{{3, 8}, {1, 1}}) {
    const Matrix X = rng.randn(n_x, m);
    const Matrix y = rng.randn(1, m);
    Matrix w = rng.randn(n_x, 1);
    Matrix b = rng.randn(1, 1);
    auto got = Call("squared_loss_gradients", [&] {
      return graded::squared_loss_gradients(X, y, w, b(0, 0));
    });
    if (!got) return;
    std::vector<dl::grading::GradientBlock> blocks = {
        {"dw", &w, got->dw}, {"db", &b, Matrix::Constant(1, 1, got->db)}};
    const auto checks = dl::grading::CheckGradients(
        [&] {
          return reference::squared_loss(reference::linreg(X, w, b(0, 0)), y);
        },
        blocks);
    EXPECT_TRUE(dl::grading::GradientsMatch(
        "squared_loss_gradients" + at(n_x, m), checks));
  }
}

// --------------------------------------------------------- normal_equation
TEST(NormalEquation, ExactLine) {
  // The points of y = 2x + 1: the solution is exact.
  auto got = Call("normal_equation", [] {
    return graded::normal_equation(matrix({{1, 2, 3, 4}}),
                                   matrix({{3, 5, 7, 9}}));
  });
  if (!got) return;
  EXPECT_TRUE(Near("normal_equation", "w for the points of y = 2x + 1", got->w,
                   matrix({{2}}), kCourseValues,
                   "θ = [w; b] solves (X̃ X̃ᵀ) θ = X̃ yᵀ; w = the first n_x "
                   "entries of θ"));
  EXPECT_TRUE(Near("normal_equation", "b for the points of y = 2x + 1", got->b,
                   1.0, kCourseValues,
                   "X̃ = [X; 1ᵀ]: the row of ones goes LAST, so b is the "
                   "last entry of θ"));
}

TEST(NormalEquation, RecoversD2lParameters) {
  const Data data = d2l_data(1);
  auto got = Call("normal_equation",
                  [&] { return graded::normal_equation(data.X, data.y); });
  if (!got) return;
  EXPECT_TRUE(Near("normal_equation", "w on d2l's 1000 examples", got->w,
                   kTrueW, Tolerance{1e-3, 0},
                   "the data were made with w = [2, -3.4], b = 4.2"));
  EXPECT_TRUE(Near("normal_equation", "b on d2l's 1000 examples", got->b,
                   kTrueB, Tolerance{1e-3, 0}));
}

// Least squares has a unique solution only when m >= n_x + 1, so these
// shapes (unlike the other functions') never have m = 1.
TEST(NormalEquation, MatchesReferenceOnRandomInputs) {
  RandomState rng(6);
  const std::vector<std::pair<int, int>> shapes = {{2, 7}, {5, 100}, {1, 7},
                                                   {1, 2}, {5, 6},   {2, 100}};
  for (auto [n_x, m] : shapes) {
    const Matrix X = rng.randn(n_x, m);
    const Matrix y = rng.randn(1, m);
    auto got =
        Call("normal_equation", [&] { return graded::normal_equation(X, y); });
    if (!got) return;
    const auto want = reference::normal_equation(X, y);
    EXPECT_TRUE(Near("normal_equation", "w" + at(n_x, m), got->w, want.w));
    EXPECT_TRUE(Near("normal_equation", "b" + at(n_x, m), got->b, want.b));
  }
}

// --------------------------------------------------------------- data_iter
TEST(DataIter, SeedZeroTenExamplesBatchThree) {
  RandomState rng(0);
  auto got = Call("data_iter", [&] { return graded::data_iter(3, 10, rng); });
  if (!got) return;
  // numpy: np.random.seed(0); np.random.permutation(10)
  //   -> [2 8 4 9 1 6 7 3 0 5]
  EXPECT_TRUE(Near("data_iter", "the minibatch sizes", batch_sizes(*got),
                   matrix({{3, 3, 3, 1}}), kCourseValues,
                   "consecutive slices of batch_size; the last one keeps "
                   "what is left (10 = 3 + 3 + 3 + 1)"));
  EXPECT_TRUE(Near("data_iter", "the indices, minibatch after minibatch",
                   flat_indices(*got), matrix({{2, 8, 4, 9, 1, 6, 7, 3, 0, 5}}),
                   kCourseValues,
                   "indices = rng.permutation(num_examples), one call, then "
                   "sliced in order"));
}

TEST(DataIter, CoversEveryIndexOnce) {
  const std::vector<std::pair<int, int>> cases = {{100, 10}, {100, 7}, {7, 10},
                                                  {1, 1},    {64, 64}, {13, 1}};
  RandomState rng(8);
  for (auto [num_examples, batch_size] : cases) {
    auto got = Call("data_iter", [&] {
      return graded::data_iter(batch_size, num_examples, rng);
    });
    if (!got) return;
    const std::string what =
        " for num_examples = " + std::to_string(num_examples) +
        ", batch_size = " + std::to_string(batch_size);
    const int full = num_examples / batch_size;
    const int rest = num_examples % batch_size;
    Matrix sizes = Matrix::Constant(1, full + (rest ? 1 : 0), batch_size);
    if (rest) sizes(0, full) = rest;
    EXPECT_TRUE(Near("data_iter", "the minibatch sizes" + what,
                     batch_sizes(*got), sizes, kCourseValues,
                     "every minibatch has batch_size indices except the "
                     "last, which keeps the rest (none is dropped)"));
    Matrix sorted = flat_indices(*got);
    std::sort(sorted.data(), sorted.data() + sorted.size());
    Matrix all(1, num_examples);
    for (int i = 0; i < num_examples; ++i) all(0, i) = i;
    EXPECT_TRUE(Near("data_iter", "the sorted indices" + what, sorted, all,
                     kCourseValues,
                     "each index 0..num_examples-1 exactly once"));
  }
}

TEST(DataIter, MatchesReferenceOnSeeds) {
  const std::vector<std::pair<int, int>> cases = {{1000, 10}, {7, 3}, {1, 5}};
  for (uint32_t seed : {1u, 2u, 3u}) {
    for (auto [num_examples, batch_size] : cases) {
      RandomState mine(seed), theirs(seed);
      auto got = Call("data_iter", [&] {
        return graded::data_iter(batch_size, num_examples, mine);
      });
      if (!got) return;
      const auto want = reference::data_iter(batch_size, num_examples, theirs);
      const std::string what =
          " (seed " + std::to_string(seed) +
          ", num_examples = " + std::to_string(num_examples) + ")";
      EXPECT_TRUE(Near("data_iter", "the indices" + what, flat_indices(*got),
                       flat_indices(want), kReference,
                       "indices = rng.permutation(num_examples)"));
      EXPECT_TRUE(Near("data_iter", "the generator's next draw" + what,
                       mine.standard_normal(), theirs.standard_normal(),
                       kReference,
                       "draw only one rng.permutation(num_examples)"));
    }
  }
}

// --------------------------------------------------------------------- sgd
TEST(Sgd, LiteralExample) {
  Parameters params;
  params.w = matrix({{1}, {2}});
  params.b = 0.5;
  Gradients grads;
  grads.dw = matrix({{0.5}, {-1}});
  grads.db = 2;
  auto got = Call("sgd", [&] { return graded::sgd(params, grads, 0.1); });
  if (!got) return;
  EXPECT_TRUE(Near("sgd", "w", got->w, matrix({{0.95}, {2.1}}), kCourseValues,
                   "w = w - lr · dw (a step AGAINST the gradient)"));
  EXPECT_TRUE(Near("sgd", "b", got->b, 0.3, kCourseValues, "b = b - lr · db"));
}

TEST(Sgd, MatchesReferenceOnRandomInputs) {
  RandomState rng(9);
  for (int n_x : {1, 2, 5}) {
    Parameters params;
    params.w = rng.randn(n_x, 1);
    params.b = rng.standard_normal();
    Gradients grads;
    grads.dw = rng.randn(n_x, 1);
    grads.db = rng.standard_normal();
    const double lr = 0.03 * (1 + n_x);
    auto got = Call("sgd", [&] { return graded::sgd(params, grads, lr); });
    if (!got) return;
    const Parameters want = reference::sgd(params, grads, lr);
    const std::string what = " with n_x = " + std::to_string(n_x);
    EXPECT_TRUE(Near("sgd", "w" + what, got->w, want.w));
    EXPECT_TRUE(Near("sgd", "b" + what, got->b, want.b));
  }
}

// ------------------------------------------------------------------- train
TEST(Train, MatchesReferenceOnSmallProblems) {
  RandomState params(10);
  const std::vector<int> batch_sizes_to_try = {3, 10};
  for (auto [n_x, m] : kShapes) {
    for (int batch_size : batch_sizes_to_try) {
      const Matrix w = params.randn(n_x, 1);
      const double b = params.standard_normal();
      RandomState data_rng(11 + n_x + m);
      const Data data = reference::synthetic_data(w, b, m, data_rng);
      RandomState mine(12 + batch_size), theirs(12 + batch_size);
      auto got = Call("train", [&] {
        return graded::train(data.X, data.y, 0.05, 4, batch_size, mine);
      });
      if (!got) return;
      const auto want =
          reference::train(data.X, data.y, 0.05, 4, batch_size, theirs);
      const std::string what =
          at(n_x, m) + ", batch_size = " + std::to_string(batch_size);
      const std::string hint =
          "draw w = rng.randn(n_x, 1) * 0.01 first, then one data_iter per "
          "epoch; one sgd step per minibatch";
      EXPECT_TRUE(Near("train", "params.w" + what, got->params.w, want.params.w,
                       kReference, hint));
      EXPECT_TRUE(Near("train", "params.b" + what, got->params.b, want.params.b,
                       kReference, hint));
      EXPECT_TRUE(Near("train", "epoch_losses" + what, row(got->epoch_losses),
                       row(want.epoch_losses), kReference,
                       "one loss per epoch, after the epoch, on ALL of X: "
                       "squared_loss(linreg(X, w, b), y)"));
    }
  }
}

// d2l's run: lr 0.03, 3 epochs, minibatches of 10, 1000 examples.
TEST(Train, RecoversD2lParameters) {
  const Data data = d2l_data(2);
  RandomState rng(3);
  auto got = Call(
      "train", [&] { return graded::train(data.X, data.y, 0.03, 3, 10, rng); });
  if (!got) return;
  EXPECT_TRUE(HasShape("train", "epoch_losses as a row", row(got->epoch_losses),
                       1, 3, "one loss per epoch: 3 epochs -> 3 values"));
  EXPECT_TRUE(Near("train", "params.w after d2l's 3 epochs", got->params.w,
                   kTrueW, Tolerance{1e-2, 0},
                   "the data were made with w = [2, -3.4]"));
  EXPECT_TRUE(Near("train", "params.b after d2l's 3 epochs", got->params.b,
                   kTrueB, Tolerance{1e-2, 0},
                   "the data were made with b = 4.2"));
  if (!got->epoch_losses.empty()) {
    // The noise alone gives J ≈ 0.01² / 2 = 5e-5.
    EXPECT_TRUE(Near("train", "the last epoch's loss", got->epoch_losses.back(),
                     5e-5, Tolerance{1e-4, 0},
                     "after 3 epochs only the noise should be left"));
  }
}

TEST(Train, AgreesWithNormalEquation) {
  const Data data = d2l_data(4);
  RandomState rng(5);
  auto got = Call(
      "train", [&] { return graded::train(data.X, data.y, 0.03, 3, 10, rng); });
  if (!got) return;
  const auto exact = reference::normal_equation(data.X, data.y);
  EXPECT_TRUE(Near("train", "params.w against the normal equation's w",
                   got->params.w, exact.w, Tolerance{1e-2, 0}));
  EXPECT_TRUE(Near("train", "params.b against the normal equation's b",
                   got->params.b, exact.b, Tolerance{1e-2, 0}));
}

}  // namespace
