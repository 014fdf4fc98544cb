// Grades course2_tuning/model_selection: values that follow from the maths
// and the lectures (numpy's permutation for seed 0, the course's 60/20/20 and
// 98/1/1 splits, KFold's fold sizes, the lecture's bias/variance cases),
// seeded comparisons with the reference solution on several shapes, a
// finite-difference check of weight_decay_gradients, and d2l's experiments:
// the cubic fit recovers w = [5, 1.2, -3.4, 5.6], cross-validation picks
// degree 3, weight decay (λ = 3) beats λ = 0 on the 200-feature problem.

#include "course2_tuning/model_selection/model_selection.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "course2_tuning/model_selection/graded.h"  // see tools/unit.bzl
#include "gtest/gtest.h"

namespace reference = model_selection::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
using dl::Matrix;
using dl::matrix;
using dl::RandomState;
using model_selection::Data;
using model_selection::Diagnosis;
using model_selection::Fold;
using model_selection::Gradients;
using model_selection::Parameters;
using model_selection::PolynomialData;
using model_selection::Split;
using model_selection::TrainResult;

// Index lists and numbers as (1, k) rows, for Near.
Matrix row(const std::vector<int>& v) {
  Matrix out(1, static_cast<Eigen::Index>(v.size()));
  for (size_t i = 0; i < v.size(); ++i) out(0, i) = v[i];
  return out;
}
Matrix row(const std::vector<double>& v) {
  Matrix out(1, static_cast<Eigen::Index>(v.size()));
  for (size_t i = 0; i < v.size(); ++i) out(0, i) = v[i];
  return out;
}
Matrix range_row(int begin, int end) {
  std::vector<int> v;
  for (int i = begin; i < end; ++i) v.push_back(i);
  return row(v);
}
Matrix sorted(const Matrix& r) {
  Matrix s = r;
  std::sort(s.data(), s.data() + s.size());
  return s;
}
Matrix concat(const std::vector<Matrix>& rows) {
  std::vector<double> v;
  for (const Matrix& r : rows) v.insert(v.end(), r.data(), r.data() + r.size());
  return row(v);
}

std::string at(int n_x, int m) {
  return " with n_x = " + std::to_string(n_x) + ", m = " + std::to_string(m);
}

// The least-squares fit (no bias) and the squared loss, for
// cross_validation_score; from the reference, so only the graded function
// is tested.
Parameters fit_ridge(const Matrix& X, const Matrix& y, double lambd) {
  Parameters p;
  p.w = reference::fit_least_squares(X, y, lambd);
  return p;
}
double evaluate_squared_loss(const Parameters& p, const Matrix& X,
                             const Matrix& y) {
  return model_selection::squared_loss(model_selection::linreg(X, p.w, p.b), y);
}

// d2l's cubic (100 train + 100 test examples) from RandomState(seed).
PolynomialData d2l_cubic(uint32_t seed) {
  RandomState rng(seed);
  return model_selection::make_polynomial_data(100, 100, rng);
}

// ---------------------------------------------------- train_dev_test_split
TEST(TrainDevTestSplit, SeedZeroTenExamples) {
  RandomState rng(0);
  auto got = Call("train_dev_test_split", [&] {
    return graded::train_dev_test_split(10, 0.6, 0.2, rng);
  });
  if (!got) return;
  // numpy: np.random.seed(0); np.random.permutation(10)
  //   -> [2 8 4 9 1 6 7 3 0 5]
  const std::string hint =
      "p = rng.permutation(m), one call; train = the first 60 % of p, dev "
      "the next 20 %, test the rest";
  EXPECT_TRUE(Near("train_dev_test_split", "train (seed 0, m = 10, 0.6, 0.2)",
                   row(got->train), matrix({{2, 8, 4, 9, 1, 6}}), kCourseValues,
                   hint));
  EXPECT_TRUE(Near("train_dev_test_split", "dev", row(got->dev),
                   matrix({{7, 3}}), kCourseValues, hint));
  EXPECT_TRUE(Near("train_dev_test_split", "test", row(got->test),
                   matrix({{0, 5}}), kCourseValues, hint));
}

// The lecture: 60/20/20 in the era of small data; with 1,000,000 examples,
// 98/1/1 (10,000 dev and 10,000 test examples are plenty).
TEST(TrainDevTestSplit, CourseSizes) {
  struct Case {
    int m;
    double train, dev;
    double want_train, want_dev, want_test;
  };
  const std::vector<Case> cases = {{100, 0.6, 0.2, 60, 20, 20},
                                   {1000000, 0.98, 0.01, 980000, 10000, 10000}};
  for (const Case& c : cases) {
    RandomState rng(1);
    auto got = Call("train_dev_test_split", [&] {
      return graded::train_dev_test_split(c.m, c.train, c.dev, rng);
    });
    if (!got) return;
    const Matrix sizes = matrix({{static_cast<double>(got->train.size()),
                                  static_cast<double>(got->dev.size()),
                                  static_cast<double>(got->test.size())}});
    EXPECT_TRUE(Near(
        "train_dev_test_split",
        "the sizes of train, dev, test for m = " + std::to_string(c.m), sizes,
        matrix({{c.want_train, c.want_dev, c.want_test}}), kCourseValues,
        "end_train = round(train_fraction · m), end_dev = "
        "round((train_fraction + dev_fraction) · m); test keeps "
        "the rest"));
  }
}

TEST(TrainDevTestSplit, RoundsTheCutPoints) {
  // m = 7, 0.5 / 0.25: end_train = round(3.5) = 4, end_dev = round(5.25) = 5.
  RandomState rng(2);
  auto got = Call("train_dev_test_split", [&] {
    return graded::train_dev_test_split(7, 0.5, 0.25, rng);
  });
  if (!got) return;
  const Matrix sizes = matrix({{static_cast<double>(got->train.size()),
                                static_cast<double>(got->dev.size()),
                                static_cast<double>(got->test.size())}});
  EXPECT_TRUE(Near("train_dev_test_split",
                   "the sizes for m = 7, train 0.5, dev 0.25", sizes,
                   matrix({{4, 1, 2}}), kCourseValues,
                   "round the cut points, not the sizes, and not down: "
                   "end_train = round(0.5 · 7) = 4 (std::round rounds "
                   "halves away from 0), end_dev = round(0.75 · 7) = 5"));
}

TEST(TrainDevTestSplit, CoversEveryIndexOnce) {
  const std::vector<std::tuple<int, double, double>> cases = {{1, 0.6, 0.2},
                                                              {7, 0.7, 0.15},
                                                              {100, 0.8, 0.1},
                                                              {50, 1.0, 0.0},
                                                              {13, 0.0, 0.5}};
  RandomState rng(3);
  for (auto [m, train, dev] : cases) {
    auto got = Call("train_dev_test_split", [&] {
      return graded::train_dev_test_split(m, train, dev, rng);
    });
    if (!got) return;
    EXPECT_TRUE(Near(
        "train_dev_test_split",
        "train, dev and test together, sorted, for m = " + std::to_string(m),
        sorted(concat({row(got->train), row(got->dev), row(got->test)})),
        range_row(0, m), kCourseValues,
        "every index 0..m-1 in exactly one of the three sets"));
  }
}

TEST(TrainDevTestSplit, MatchesReferenceOnSeeds) {
  const std::vector<std::tuple<int, double, double>> cases = {
      {1, 0.6, 0.2}, {7, 0.7, 0.15}, {100, 0.8, 0.1}, {33, 0.5, 0.3}};
  for (uint32_t seed : {1u, 2u}) {
    for (auto [m, train, dev] : cases) {
      RandomState mine(seed), theirs(seed);
      auto got = Call("train_dev_test_split", [&] {
        return graded::train_dev_test_split(m, train, dev, mine);
      });
      if (!got) return;
      const Split want = reference::train_dev_test_split(m, train, dev, theirs);
      const std::string what =
          " (seed " + std::to_string(seed) + ", m = " + std::to_string(m) + ")";
      EXPECT_TRUE(Near("train_dev_test_split", "train" + what, row(got->train),
                       row(want.train), kReference));
      EXPECT_TRUE(Near("train_dev_test_split", "dev" + what, row(got->dev),
                       row(want.dev), kReference));
      EXPECT_TRUE(Near("train_dev_test_split", "test" + what, row(got->test),
                       row(want.test), kReference));
      EXPECT_TRUE(Near("train_dev_test_split",
                       "the generator's next draw after the call" + what,
                       mine.standard_normal(), theirs.standard_normal(),
                       kReference,
                       "draw only one rng.permutation(m), nothing else"));
    }
  }
}

// ----------------------------------------------------------- kfold_indices
TEST(KfoldIndices, TenExamplesThreeFolds) {
  auto got = Call("kfold_indices", [] { return graded::kfold_indices(10, 3); });
  if (!got) return;
  ASSERT_EQ(got->size(), 3u)
      << "kfold_indices(10, 3): k = 3 folds, got " << got->size();
  std::vector<double> sizes;
  for (const Fold& f : *got) sizes.push_back(f.validation.size());
  EXPECT_TRUE(Near("kfold_indices", "the validation sizes for m = 10, k = 3",
                   row(sizes), matrix({{4, 3, 3}}), kCourseValues,
                   "the first m % k folds get m / k + 1 examples, the others "
                   "m / k"));
  const std::vector<Matrix> want_validation = {
      matrix({{0, 1, 2, 3}}), matrix({{4, 5, 6}}), matrix({{7, 8, 9}})};
  const std::vector<Matrix> want_train = {matrix({{4, 5, 6, 7, 8, 9}}),
                                          matrix({{0, 1, 2, 3, 7, 8, 9}}),
                                          matrix({{0, 1, 2, 3, 4, 5, 6}})};
  for (int f = 0; f < 3; ++f) {
    const std::string fold = "fold " + std::to_string(f);
    EXPECT_TRUE(Near("kfold_indices", fold + ".validation",
                     row((*got)[f].validation), want_validation[f],
                     kCourseValues,
                     "contiguous blocks in order, no shuffling"));
    EXPECT_TRUE(Near("kfold_indices", fold + ".train", row((*got)[f].train),
                     want_train[f], kCourseValues,
                     "train = every index not in the fold's validation "
                     "block, in increasing order"));
  }
}

TEST(KfoldIndices, EveryIndexValidatedOnce) {
  const std::vector<std::pair<int, int>> cases = {{7, 7}, {5, 2},  {100, 5},
                                                  {2, 2}, {13, 4}, {11, 10}};
  for (auto [m, k] : cases) {
    auto got =
        Call("kfold_indices", [&] { return graded::kfold_indices(m, k); });
    if (!got) return;
    const std::string what =
        " for m = " + std::to_string(m) + ", k = " + std::to_string(k);
    ASSERT_EQ(got->size(), static_cast<size_t>(k))
        << "kfold_indices: expected k folds" << what << ", got " << got->size();
    std::vector<Matrix> blocks;
    for (int f = 0; f < k; ++f) {
      const Fold& fold = (*got)[f];
      blocks.push_back(row(fold.validation));
      EXPECT_TRUE(Near("kfold_indices",
                       "fold " + std::to_string(f) +
                           ": train and validation together, sorted" + what,
                       sorted(concat({row(fold.train), row(fold.validation)})),
                       range_row(0, m), kCourseValues,
                       "each fold splits ALL m indices: validation and "
                       "train never overlap"));
    }
    EXPECT_TRUE(Near("kfold_indices", "all validation blocks in order" + what,
                     concat(blocks), range_row(0, m), kCourseValues,
                     "the validation blocks are consecutive: 0.., then the "
                     "next block, ..., up to m-1"));
  }
}

TEST(KfoldIndices, MatchesReference) {
  const std::vector<std::pair<int, int>> cases = {{9, 2}, {6, 4}, {20, 3}};
  for (auto [m, k] : cases) {
    auto got =
        Call("kfold_indices", [&] { return graded::kfold_indices(m, k); });
    if (!got) return;
    const std::vector<Fold> want = reference::kfold_indices(m, k);
    ASSERT_EQ(got->size(), want.size()) << "kfold_indices: k folds";
    for (size_t f = 0; f < want.size(); ++f) {
      const std::string what = "fold " + std::to_string(f) +
                               " for m = " + std::to_string(m) +
                               ", k = " + std::to_string(k);
      EXPECT_TRUE(Near("kfold_indices", what + ": train", row((*got)[f].train),
                       row(want[f].train), kReference));
      EXPECT_TRUE(Near("kfold_indices", what + ": validation",
                       row((*got)[f].validation), row(want[f].validation),
                       kReference));
    }
  }
}

// -------------------------------------------------- cross_validation_score
TEST(CrossValidationScore, LiteralExample) {
  // The model predicts the mean of its training y (b), the error is the
  // mean squared difference. y = [1, 2, 3, 7], k = 2:
  //   fold 0: train on {3, 7} -> b = 5,   errors 4², 3²     -> 12.5
  //   fold 1: train on {1, 2} -> b = 1.5, errors 1.5², 5.5² -> 16.25
  //   score = (12.5 + 16.25) / 2 = 14.375
  const Matrix X = matrix({{0, 0, 0, 0}});
  const Matrix y = matrix({{1, 2, 3, 7}});
  const auto fit = [](const Matrix& X_train, const Matrix& y_train) {
    Parameters p;
    p.w = Matrix::Zero(X_train.rows(), 1);
    p.b = y_train.mean();
    return p;
  };
  const auto evaluate = [](const Parameters& p, const Matrix&,
                           const Matrix& y_val) {
    return (y_val.array() - p.b).square().mean();
  };
  auto got = Call("cross_validation_score", [&] {
    return graded::cross_validation_score(X, y, 2, fit, evaluate);
  });
  if (!got) return;
  EXPECT_TRUE(Near("cross_validation_score",
                   "the mean-predictor's score on y = [1, 2, 3, 7], k = 2",
                   *got, 14.375, kCourseValues,
                   "fit on each fold's TRAIN columns, evaluate on its "
                   "VALIDATION columns, average the k errors"));
}

TEST(CrossValidationScore, FitAndEvaluateSeeTheFoldsColumns) {
  // Row 0 of X is the column index, row 1 is 100 + the index; y = 10 + the
  // index: every column that fit and evaluate receive says where it came
  // from.
  const int m = 5;
  Matrix X(2, m), y(1, m);
  for (int i = 0; i < m; ++i) {
    X(0, i) = i;
    X(1, i) = 100 + i;
    y(0, i) = 10 + i;
  }
  std::vector<Matrix> fit_X, fit_y, eval_X, eval_y;
  const auto fit = [&](const Matrix& X_train, const Matrix& y_train) {
    fit_X.push_back(X_train);
    fit_y.push_back(y_train);
    Parameters p;
    p.w = Matrix::Zero(2, 1);
    return p;
  };
  const auto evaluate = [&](const Parameters&, const Matrix& X_val,
                            const Matrix& y_val) {
    eval_X.push_back(X_val);
    eval_y.push_back(y_val);
    return 0.0;
  };
  auto got = Call("cross_validation_score", [&] {
    return graded::cross_validation_score(X, y, 2, fit, evaluate);
  });
  if (!got) return;
  ASSERT_EQ(fit_X.size(), 2u) << "cross_validation_score: k = 2 folds should "
                                 "call fit twice, called "
                              << fit_X.size() << " times";
  ASSERT_EQ(eval_X.size(), 2u)
      << "cross_validation_score: k = 2 folds should call evaluate twice, "
         "called "
      << eval_X.size() << " times";
  // kfold_indices(5, 2): validation {0, 1, 2}, then {3, 4}.
  const std::vector<Matrix> train = {matrix({{3, 4}}), matrix({{0, 1, 2}})};
  const std::vector<Matrix> validation = {matrix({{0, 1, 2}}),
                                          matrix({{3, 4}})};
  for (int f = 0; f < 2; ++f) {
    const std::string fold = "fold " + std::to_string(f);
    Matrix want_X(2, train[f].cols());
    want_X << train[f], (train[f].array() + 100).matrix();
    EXPECT_TRUE(Near("cross_validation_score", fold + ": X_train given to fit",
                     fit_X[f], want_X, kCourseValues,
                     "X(Eigen::all, fold.train): all rows, the fold's train "
                     "columns"));
    EXPECT_TRUE(Near("cross_validation_score", fold + ": y_train given to fit",
                     fit_y[f], (train[f].array() + 10).matrix(), kCourseValues,
                     "y(Eigen::all, fold.train): the same columns as X"));
    Matrix want_X_val(2, validation[f].cols());
    want_X_val << validation[f], (validation[f].array() + 100).matrix();
    EXPECT_TRUE(Near("cross_validation_score",
                     fold + ": X_val given to evaluate", eval_X[f], want_X_val,
                     kCourseValues, "evaluate gets the VALIDATION columns"));
    EXPECT_TRUE(Near("cross_validation_score",
                     fold + ": y_val given to evaluate", eval_y[f],
                     (validation[f].array() + 10).matrix(), kCourseValues));
  }
}

TEST(CrossValidationScore, EveryFoldCountsTheSame) {
  // evaluate returns the fold's size: folds of 3 and 2 -> (3 + 2) / 2 = 2.5
  // (an average weighted by fold size would give 2.6).
  const Matrix X = matrix({{1, 2, 3, 4, 5}});
  const Matrix y = matrix({{1, 2, 3, 4, 5}});
  const auto fit = [](const Matrix& X_train, const Matrix&) {
    Parameters p;
    p.w = Matrix::Zero(X_train.rows(), 1);
    return p;
  };
  const auto evaluate = [](const Parameters&, const Matrix&,
                           const Matrix& y_val) {
    return static_cast<double>(y_val.cols());
  };
  auto got = Call("cross_validation_score", [&] {
    return graded::cross_validation_score(X, y, 2, fit, evaluate);
  });
  if (!got) return;
  EXPECT_TRUE(Near("cross_validation_score",
                   "the mean of the fold sizes 3 and 2 as errors", *got, 2.5,
                   kCourseValues, "the plain mean of the k errors: sum / k"));
}

TEST(CrossValidationScore, MatchesReferenceOnRandomInputs) {
  RandomState rng(4);
  const std::vector<std::tuple<int, int, int>> cases = {
      {3, 10, 3}, {1, 7, 7}, {5, 40, 4}, {2, 2, 2}, {4, 9, 5}};
  const auto fit = [](const Matrix& X, const Matrix& y) {
    return fit_ridge(X, y, 0.1);
  };
  for (auto [n_x, m, k] : cases) {
    const Matrix X = rng.randn(n_x, m);
    const Matrix y = rng.randn(1, m);
    auto got = Call("cross_validation_score", [&] {
      return graded::cross_validation_score(X, y, k, fit,
                                            evaluate_squared_loss);
    });
    if (!got) return;
    EXPECT_TRUE(Near(
        "cross_validation_score",
        "ridge's score" + at(n_x, m) + ", k = " + std::to_string(k), *got,
        reference::cross_validation_score(X, y, k, fit, evaluate_squared_loss),
        kReference));
  }
}

// d2l's cubic: cross-validation on the 100 training examples, degrees
// 1..10, picks the true degree.
TEST(CrossValidationScore, PicksDegreeThreeOnD2lCubic) {
  const PolynomialData data = d2l_cubic(1);
  const auto fit = [](const Matrix& X, const Matrix& y) {
    return fit_ridge(X, y, 0.0);
  };
  std::vector<double> scores;
  for (int degree = 1; degree <= 10; ++degree) {
    const Matrix X = reference::polynomial_features(data.x_train, degree);
    auto got = Call("cross_validation_score", [&] {
      return graded::cross_validation_score(X, data.y_train, 5, fit,
                                            evaluate_squared_loss);
    });
    if (!got) return;
    scores.push_back(*got);
  }
  const int best = static_cast<int>(
      std::min_element(scores.begin(), scores.end()) - scores.begin() + 1);
  EXPECT_TRUE(Near("cross_validation_score",
                   "the degree (1..10) with the lowest 5-fold score", best, 3,
                   kCourseValues,
                   "the data are a cubic plus noise: degrees 1 and 2 "
                   "underfit, degree 3 should score best here"));
  // The noise alone gives a loss of 0.1² / 2 = 0.005.
  EXPECT_TRUE(Near("cross_validation_score", "the degree-3 score", scores[2],
                   0.005, Tolerance{0.002, 0},
                   "the validation loss of the right model is the noise's, "
                   "0.1² / 2"));
}

// ----------------------------------------------------- polynomial_features
TEST(PolynomialFeatures, LiteralExample) {
  auto got = Call("polynomial_features", [] {
    return graded::polynomial_features(matrix({{2, -1, 0, 0.5}}), 3);
  });
  if (!got) return;
  // Row i: xⁱ / i!.
  const Matrix want = matrix({{1, 1, 1, 1},
                              {2, -1, 0, 0.5},
                              {2, 0.5, 0, 0.125},
                              {8.0 / 6, -1.0 / 6, 0, 0.125 / 6}});
  EXPECT_TRUE(Near("polynomial_features", "x = [[2, -1, 0, 0.5]], degree 3",
                   *got, want, kCourseValues,
                   "(degree + 1, m): row i is xⁱ / i! (d2l divides by "
                   "Γ(i + 1) = i!); row 0 is all ones"));
}

TEST(PolynomialFeatures, MatchesReferenceOnRandomInputs) {
  RandomState rng(5);
  const std::vector<std::pair<int, int>> cases = {
      {3, 7}, {0, 5}, {1, 1}, {19, 200}, {10, 1}};
  for (auto [degree, m] : cases) {
    const Matrix x = rng.randn(1, m) * 2;
    auto got = Call("polynomial_features",
                    [&] { return graded::polynomial_features(x, degree); });
    if (!got) return;
    EXPECT_TRUE(
        Near("polynomial_features",
             "degree " + std::to_string(degree) + ", m = " + std::to_string(m),
             *got, reference::polynomial_features(x, degree), kReference));
  }
}

// ------------------------------------------------------- fit_least_squares
TEST(FitLeastSquares, ExactLine) {
  // Features [1; x] of the points of y = 2x + 1.
  auto got = Call("fit_least_squares", [] {
    return graded::fit_least_squares(matrix({{1, 1, 1, 1}, {1, 2, 3, 4}}),
                                     matrix({{3, 5, 7, 9}}), 0.0);
  });
  if (!got) return;
  EXPECT_TRUE(Near("fit_least_squares", "w for y = 2x + 1, λ = 0", *got,
                   matrix({{1}, {2}}), kCourseValues,
                   "w solves (X Xᵀ / m + λ I) w = X yᵀ / m and has shape "
                   "(n_x, 1)"));
}

TEST(FitLeastSquares, RidgeLiteralExample) {
  // n_x = 1: X Xᵀ / m = 5/2, X yᵀ / m = 5/2, so w = 2.5 / (2.5 + 0.5) = 5/6.
  auto got = Call("fit_least_squares", [] {
    return graded::fit_least_squares(matrix({{1, 2}}), matrix({{1, 2}}), 0.5);
  });
  if (!got) return;
  EXPECT_TRUE(Near("fit_least_squares", "w for X = y = [[1, 2]], λ = 0.5", *got,
                   matrix({{5.0 / 6.0}}), kCourseValues,
                   "(X Xᵀ / m + λ I) w = X yᵀ / m: both X Xᵀ and X yᵀ are "
                   "divided by m, λ is not"));
}

TEST(FitLeastSquares, RecoversD2lCubic) {
  const PolynomialData data = d2l_cubic(1);
  const Matrix X = reference::polynomial_features(data.x_train, 3);
  auto got = Call("fit_least_squares", [&] {
    return graded::fit_least_squares(X, data.y_train, 0.0);
  });
  if (!got) return;
  EXPECT_TRUE(Near("fit_least_squares",
                   "w of the degree-3 fit on d2l's 100 training examples", *got,
                   matrix({{5.0}, {1.2}, {-3.4}, {5.6}}), Tolerance{0.1, 0},
                   "the data are y = 5 + 1.2x - 3.4x²/2! + 5.6x³/3! + noise"));
}

TEST(FitLeastSquares, MatchesReferenceOnRandomInputs) {
  RandomState rng(6);
  const std::vector<std::tuple<int, int, double>> cases = {
      {3, 10, 0.0}, {5, 40, 0.1}, {200, 20, 3.0}, {1, 1, 0.5},
      {1, 7, 0.0},  {4, 1, 2.0},  {2, 100, 10.0}};
  for (auto [n_x, m, lambd] : cases) {
    const Matrix X = rng.randn(n_x, m);
    const Matrix y = rng.randn(1, m);
    auto got = Call("fit_least_squares", [&, lambd = lambd] {
      return graded::fit_least_squares(X, y, lambd);
    });
    if (!got) return;
    EXPECT_TRUE(Near("fit_least_squares",
                     "w" + at(n_x, m) + ", λ = " + std::to_string(lambd), *got,
                     reference::fit_least_squares(X, y, lambd), kReference));
  }
}

// -------------------------------------------------------------- l2_penalty
TEST(L2Penalty, LiteralExample) {
  auto got = Call("l2_penalty", [] {
    return graded::l2_penalty(matrix({{3}, {4}}));
  });
  if (!got) return;
  EXPECT_TRUE(Near("l2_penalty", "l2_penalty([[3], [4]])", *got, 12.5,
                   kCourseValues, "‖w‖² / 2 = (9 + 16) / 2: squares, no root"));
}

TEST(L2Penalty, MatchesReferenceOnRandomInputs) {
  RandomState rng(7);
  for (int n_x : {5, 1, 200}) {
    const Matrix w = rng.randn(n_x, 1);
    auto got = Call("l2_penalty", [&] { return graded::l2_penalty(w); });
    if (!got) return;
    EXPECT_TRUE(Near("l2_penalty", "n_x = " + std::to_string(n_x), *got,
                     reference::l2_penalty(w), kReference));
  }
}

// -------------------------------------------------- weight_decay_gradients
TEST(WeightDecayGradients, LiteralExample) {
  const Matrix X = matrix({{1, 2}, {0, -1}});
  const Matrix y = matrix({{1, 0}});
  const Matrix w = matrix({{1}, {2}});
  // ŷ = [[1.5, 0.5]], ŷ - y = [[0.5, 0.5]], (1/m) X (ŷ - y)ᵀ = [0.75, -0.25].
  auto got = Call("weight_decay_gradients", [&] {
    return graded::weight_decay_gradients(X, y, w, 0.5, 0.1);
  });
  if (!got) return;
  EXPECT_TRUE(Near("weight_decay_gradients", "dw (λ = 0.1)", got->dw,
                   matrix({{0.85}, {-0.05}}), kCourseValues,
                   "dw = (1/m) X (ŷ - y)ᵀ + λ w: the penalty λ‖w‖²/2 adds "
                   "λ w"));
  EXPECT_TRUE(Near("weight_decay_gradients", "db (λ = 0.1)", got->db, 0.5,
                   kCourseValues,
                   "db = (1/m) Σ (ŷ - y): the bias is not decayed"));
}

TEST(WeightDecayGradients, MatchesReferenceOnRandomInputs) {
  RandomState rng(8);
  const std::vector<std::tuple<int, int, double>> cases = {
      {2, 7, 0.5}, {200, 20, 3.0}, {1, 7, 0.0}, {5, 1, 1.0}, {1, 1, 10.0}};
  for (auto [n_x, m, lambd] : cases) {
    const Matrix X = rng.randn(n_x, m);
    const Matrix y = rng.randn(1, m);
    const Matrix w = rng.randn(n_x, 1);
    const double b = rng.standard_normal();
    auto got = Call("weight_decay_gradients", [&, lambd = lambd] {
      return graded::weight_decay_gradients(X, y, w, b, lambd);
    });
    if (!got) return;
    const Gradients want = reference::weight_decay_gradients(X, y, w, b, lambd);
    const std::string what = at(n_x, m) + ", λ = " + std::to_string(lambd);
    EXPECT_TRUE(Near("weight_decay_gradients", "dw" + what, got->dw, want.dw));
    EXPECT_TRUE(Near("weight_decay_gradients", "db" + what, got->db, want.db));
  }
}

// dw and db against centered finite differences of the reference's
// J(w, b) = squared_loss(linreg(X, w, b), y) + λ · l2_penalty(w).
TEST(WeightDecayGradients, GradientsMatchFiniteDifferences) {
  RandomState rng(9);
  const std::vector<std::tuple<int, int, double>> cases = {
      {3, 8, 0.7}, {1, 1, 3.0}, {5, 4, 0.0}};
  for (auto [n_x, m, lambd] : cases) {
    const Matrix X = rng.randn(n_x, m);
    const Matrix y = rng.randn(1, m);
    Matrix w = rng.randn(n_x, 1);
    Matrix b = rng.randn(1, 1);
    auto got = Call("weight_decay_gradients", [&, lambd = lambd] {
      return graded::weight_decay_gradients(X, y, w, b(0, 0), lambd);
    });
    if (!got) return;
    std::vector<dl::grading::GradientBlock> blocks = {
        {"dw", &w, got->dw}, {"db", &b, Matrix::Constant(1, 1, got->db)}};
    const auto checks = dl::grading::CheckGradients(
        [&, lambd = lambd] {
          return model_selection::squared_loss(
                     model_selection::linreg(X, w, b(0, 0)), y) +
                 lambd * reference::l2_penalty(w);
        },
        blocks);
    EXPECT_TRUE(
        dl::grading::GradientsMatch("weight_decay_gradients" + at(n_x, m) +
                                        ", λ = " + std::to_string(lambd),
                                    checks));
  }
}

// ------------------------------------------------------ train_weight_decay
TEST(TrainWeightDecay, MatchesReferenceOnSmallProblems) {
  const std::vector<std::tuple<int, int, double, int>> cases = {
      {2, 7, 0.0, 3}, {5, 12, 0.5, 5}, {1, 7, 1.0, 10},
      {4, 1, 0.3, 1}, {1, 1, 0.0, 1},  {20, 6, 3.0, 4}};
  for (auto [n_x, m, lambd, batch_size] : cases) {
    RandomState data_rng(10 + n_x + m);
    const Data data = model_selection::make_weight_decay_data(n_x, m, data_rng);
    RandomState mine(11 + batch_size), theirs(11 + batch_size);
    auto got =
        Call("train_weight_decay", [&, lambd = lambd, batch_size = batch_size] {
          return graded::train_weight_decay(data.X, data.y, lambd, 0.05, 4,
                                            batch_size, mine);
        });
    if (!got) return;
    const TrainResult want = reference::train_weight_decay(
        data.X, data.y, lambd, 0.05, 4, batch_size, theirs);
    const std::string what = at(n_x, m) + ", λ = " + std::to_string(lambd) +
                             ", batch_size = " + std::to_string(batch_size);
    const std::string hint =
        "draw w = rng.randn(n_x, 1) first (no 0.01 factor: d2l's N(0, 1)), "
        "then one data_iter per epoch; one step per minibatch with "
        "weight_decay_gradients";
    EXPECT_TRUE(Near("train_weight_decay", "params.w" + what, got->params.w,
                     want.params.w, kReference, hint));
    EXPECT_TRUE(Near("train_weight_decay", "params.b" + what, got->params.b,
                     want.params.b, kReference, hint));
    EXPECT_TRUE(Near("train_weight_decay", "epoch_losses" + what,
                     row(got->epoch_losses), row(want.epoch_losses), kReference,
                     "one loss per epoch, after the epoch, on ALL of X, "
                     "without the penalty: squared_loss(linreg(X, w, b), y)"));
    EXPECT_TRUE(Near("train_weight_decay", "the generator's next draw" + what,
                     mine.standard_normal(), theirs.standard_normal(),
                     kReference,
                     "draw only randn(n_x, 1) and one permutation per "
                     "epoch (data_iter)"));
  }
}

// d2l's experiment: 200 features, 20 training and 100 test examples, lr
// 0.003, 100 epochs, minibatches of 5. Without weight decay the model fits
// the 20 examples exactly and fails on the test set; λ = 3 generalizes.
TEST(TrainWeightDecay, D2lWeightDecayBeatsNoDecay) {
  RandomState data_rng(1);
  const Data train = model_selection::make_weight_decay_data(200, 20, data_rng);
  const Data test = model_selection::make_weight_decay_data(200, 100, data_rng);
  RandomState rng0(2), rng3(2);
  auto none = Call("train_weight_decay", [&] {
    return graded::train_weight_decay(train.X, train.y, 0.0, 0.003, 100, 5,
                                      rng0);
  });
  if (!none) return;
  auto decayed = Call("train_weight_decay", [&] {
    return graded::train_weight_decay(train.X, train.y, 3.0, 0.003, 100, 5,
                                      rng3);
  });
  if (!decayed) return;
  const auto test_loss = [&](const Parameters& p) {
    return model_selection::squared_loss(
        model_selection::linreg(test.X, p.w, p.b), test.y);
  };
  const double ratio = test_loss(decayed->params) / test_loss(none->params);
  EXPECT_TRUE(Near("train_weight_decay",
                   "test loss with λ = 3 divided by the test loss with λ = 0",
                   ratio, 0.0, Tolerance{0.1, 0},
                   "weight decay should cut the test loss by far more than "
                   "10x on d2l's 20-example problem"));
  // d2l prints an L2 norm of w around 13-14 for λ = 0, around 0.37 for λ = 3.
  EXPECT_TRUE(Near("train_weight_decay", "‖w‖ with λ = 0",
                   none->params.w.norm(), 13.5, Tolerance{1.5, 0},
                   "w starts from randn(200, 1) (‖w‖ ≈ 14) and barely "
                   "shrinks without decay"));
  EXPECT_TRUE(Near("train_weight_decay", "‖w‖ with λ = 3",
                   decayed->params.w.norm(), 0.37, Tolerance{0.1, 0},
                   "each step multiplies w by (1 - lr·λ) before the data "
                   "gradient: dw includes + λ w"));
}

// ---------------------------------------------------------------- diagnose
// The two questions behind a Diagnosis, as 1 (yes) or 0 (no).
double high_bias(Diagnosis d) {
  return d == Diagnosis::kHighBias || d == Diagnosis::kBoth ? 1 : 0;
}
double high_variance(Diagnosis d) {
  return d == Diagnosis::kHighVariance || d == Diagnosis::kBoth ? 1 : 0;
}

TEST(Diagnose, LectureCases) {
  struct Case {
    double train, dev, bayes;
    Diagnosis want;
    const char* lecture;
  };
  const std::vector<Case> cases = {
      {0.01, 0.11, 0.0, Diagnosis::kHighVariance,
       "train 1 %, dev 11 %: it fits the training set, not the dev set"},
      {0.15, 0.16, 0.0, Diagnosis::kHighBias,
       "train 15 %, dev 16 %: far from the ~0 % Bayes error, even on the "
       "training set"},
      {0.15, 0.30, 0.0, Diagnosis::kBoth,
       "train 15 %, dev 30 %: bad on both, and worse on dev"},
      {0.005, 0.01, 0.0, Diagnosis::kNeither,
       "train 0.5 %, dev 1 %: low bias and low variance"},
      {0.15, 0.16, 0.15, Diagnosis::kNeither,
       "Bayes error 15 % (blurry pictures): train 15 %, dev 16 % is as good "
       "as it gets; avoidable bias = train - Bayes"},
  };
  for (const Case& c : cases) {
    auto got = Call("diagnose", [&] {
      return graded::diagnose(c.train, c.dev, c.bayes, 0.02);
    });
    if (!got) return;
    const std::string what = std::string(c.lecture) + " (tolerance 2 %): got " +
                             model_selection::diagnosis_name(*got) +
                             ", expected " +
                             model_selection::diagnosis_name(c.want);
    EXPECT_TRUE(Near("diagnose", what + "; high bias? (1 = yes)",
                     high_bias(*got), high_bias(c.want), kCourseValues,
                     "high bias when the avoidable bias train - Bayes > "
                     "tolerance"));
    EXPECT_TRUE(Near("diagnose", what + "; high variance? (1 = yes)",
                     high_variance(*got), high_variance(c.want), kCourseValues,
                     "high variance when dev - train > tolerance (compare "
                     "dev with TRAIN, not with Bayes)"));
  }
}

TEST(Diagnose, MatchesReferenceOnRandomErrors) {
  RandomState rng(12);
  for (int i = 0; i < 40; ++i) {
    const double bayes = rng.uniform(0, 0.1);
    const double train = bayes + rng.uniform(-0.02, 0.2);
    const double dev = train + rng.uniform(-0.05, 0.2);
    const double tolerance = rng.uniform(0.01, 0.1);
    auto got = Call("diagnose", [&] {
      return graded::diagnose(train, dev, bayes, tolerance);
    });
    if (!got) return;
    const Diagnosis want = reference::diagnose(train, dev, bayes, tolerance);
    char what[200];
    std::snprintf(what, sizeof what,
                  "diagnose(train %.4f, dev %.4f, Bayes %.4f, tolerance "
                  "%.4f): got %s, expected %s",
                  train, dev, bayes, tolerance,
                  model_selection::diagnosis_name(*got).c_str(),
                  model_selection::diagnosis_name(want).c_str());
    EXPECT_TRUE(Near("diagnose", std::string(what) + "; high bias? (1 = yes)",
                     high_bias(*got), high_bias(want), kCourseValues,
                     "train - Bayes > tolerance"));
    EXPECT_TRUE(Near("diagnose",
                     std::string(what) + "; high variance? (1 = yes)",
                     high_variance(*got), high_variance(want), kCourseValues,
                     "dev - train > tolerance"));
  }
}

}  // namespace
