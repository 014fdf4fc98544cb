// Grades course1_nn/logistic_regression: the course's expected values, a
// seeded comparison with the reference solution on several shapes, and a
// finite-difference check of propagate's gradients.

#include "course1_nn/logistic_regression/logistic_regression.h"

#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "course1_nn/logistic_regression/graded.h"  // see tools/unit.bzl
#include "gtest/gtest.h"

namespace reference = logistic_regression::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
using dl::Matrix;
using dl::matrix;
using dl::RandomState;

// Labels 0/1 of shape (1, m) drawn like the course: randn(1, m) > 0.
Matrix random_labels(RandomState& rng, int m) {
  return (rng.randn(1, m).array() > 0).cast<double>().matrix();
}

// The course's propagate / optimize fixture.
struct CourseFixture {
  Matrix w = matrix({{1.}, {2.}});
  double b = 1.5;
  Matrix X = matrix({{1., -2., -1.}, {3., 0.5, -3.2}});
  Matrix Y = matrix({{1, 1, 0}});
};

// ---------------------------------------------------------------- sigmoid
TEST(Sigmoid, CourseValues) {
  auto got = Call("sigmoid", [] { return graded::sigmoid(matrix({{0, 2}})); });
  if (!got) return;
  EXPECT_TRUE(Near("sigmoid", "sigmoid([[0, 2]])", *got,
                   matrix({{0.5, 0.88079708}}), kCourseValues));
}

TEST(Sigmoid, MatchesReferenceOnRandomInputs) {
  RandomState rng(1);
  for (auto [rows, cols] : kMatrixShapes) {
    const Matrix z = rng.randn(rows, cols) * 10;
    auto got = Call("sigmoid", [&] { return graded::sigmoid(z); });
    if (!got) return;
    EXPECT_TRUE(Near("sigmoid", "sigmoid(z) for z " + dl::shape_string(z), *got,
                     reference::sigmoid(z)));
  }
}

// -------------------------------------------------- initialize_with_zeros
TEST(InitializeWithZeros, ShapesAndValues) {
  for (int dim : {2, 1, 7}) {
    auto got = Call("initialize_with_zeros",
                    [&] { return graded::initialize_with_zeros(dim); });
    if (!got) return;
    const std::string call =
        "initialize_with_zeros(" + std::to_string(dim) + ")";
    EXPECT_TRUE(Near("initialize_with_zeros", call + ".w", got->w,
                     Matrix::Zero(dim, 1), kCourseValues,
                     "w is a column: shape (dim, 1)"));
    EXPECT_TRUE(Near("initialize_with_zeros", call + ".b", got->b, 0.0));
  }
}

// ---------------------------------------------------------------- propagate
TEST(Propagate, CourseExample) {
  const CourseFixture f;
  auto got =
      Call("propagate", [&] { return graded::propagate(f.w, f.b, f.X, f.Y); });
  if (!got) return;
  EXPECT_TRUE(Near("propagate", "grads.dw", got->grads.dw,
                   matrix({{0.25071532}, {-0.06604096}}), kCourseValues,
                   "dw = (1/m) X (A - Y)ᵀ has the shape of w, (n_x, 1)"));
  EXPECT_TRUE(Near("propagate", "grads.db", got->grads.db, -0.1250040450043965,
                   kCourseValues, "db = (1/m) Σ (A - Y)"));
  EXPECT_TRUE(Near("propagate", "cost", got->cost, 0.15900537707692405,
                   kCourseValues,
                   "J = -(1/m) Σ [Y log(A) + (1 - Y) log(1 - A)]"));
}

TEST(Propagate, MatchesReferenceOnRandomInputs) {
  RandomState rng(2);
  for (auto [n_x, m] : kMatrixShapes) {
    const Matrix w = rng.randn(n_x, 1) * 0.5;
    const double b = rng.standard_normal();
    const Matrix X = rng.randn(n_x, m);
    const Matrix Y = random_labels(rng, m);
    auto got = Call("propagate", [&] { return graded::propagate(w, b, X, Y); });
    if (!got) return;
    const auto want = reference::propagate(w, b, X, Y);
    const std::string at =
        " with n_x = " + std::to_string(n_x) + ", m = " + std::to_string(m);
    EXPECT_TRUE(
        Near("propagate", "grads.dw" + at, got->grads.dw, want.grads.dw));
    EXPECT_TRUE(
        Near("propagate", "grads.db" + at, got->grads.db, want.grads.db));
    EXPECT_TRUE(Near("propagate", "cost" + at, got->cost, want.cost));
  }
}

// dw and db against centered finite differences of the cost J(w, b).
TEST(Propagate, GradientsMatchFiniteDifferences) {
  RandomState rng(3);
  Matrix w = rng.randn(4, 1) * 0.5;
  Matrix b = rng.randn(1, 1);
  const Matrix X = rng.randn(4, 6);
  const Matrix Y = random_labels(rng, 6);
  auto got =
      Call("propagate", [&] { return graded::propagate(w, b(0, 0), X, Y); });
  if (!got) return;
  std::vector<dl::grading::GradientBlock> blocks = {
      {"dw", &w, got->grads.dw},
      {"db", &b, Matrix::Constant(1, 1, got->grads.db)}};
  const auto checks = dl::grading::CheckGradients(
      [&] { return reference::propagate(w, b(0, 0), X, Y).cost; }, blocks);
  EXPECT_TRUE(dl::grading::GradientsMatch("propagate", checks));
}

// ---------------------------------------------------------------- optimize
TEST(Optimize, CourseExample) {
  const CourseFixture f;
  auto got = Call("optimize", [&] {
    return graded::optimize(f.w, f.b, f.X, f.Y, /*num_iterations=*/100,
                            /*learning_rate=*/0.009, /*print_cost=*/false);
  });
  if (!got) return;
  EXPECT_TRUE(Near("optimize", "params.w", got->params.w,
                   matrix({{0.80956046}, {2.0508202}}), kCourseValues,
                   "w = w - learning_rate * dw, every iteration"));
  EXPECT_TRUE(Near("optimize", "params.b", got->params.b, 1.5948713189708588,
                   kCourseValues));
  EXPECT_TRUE(Near("optimize", "grads.dw", got->grads.dw,
                   matrix({{0.17860505}, {-0.04840656}}), kCourseValues,
                   "the gradients of the LAST iteration"));
  EXPECT_TRUE(Near("optimize", "grads.db", got->grads.db, -0.08888460336847771,
                   kCourseValues));
  ASSERT_EQ(got->costs.size(), 1u)
      << "optimize: 100 iterations record one cost (iteration 0), got "
      << got->costs.size();
  EXPECT_TRUE(
      Near("optimize", "costs[0]", got->costs[0], 0.15900538, kCourseValues));
}

TEST(Optimize, MatchesReferenceOnRandomInputs) {
  RandomState rng(4);
  for (auto [n_x, m] : kMatrixShapes) {
    const Matrix w = rng.randn(n_x, 1) * 0.1;
    const double b = 0.1;
    const Matrix X = rng.randn(n_x, m);
    const Matrix Y = random_labels(rng, m);
    auto got = Call("optimize", [&] {
      return graded::optimize(w, b, X, Y, 250, 0.05, false);
    });
    if (!got) return;
    const auto want = reference::optimize(w, b, X, Y, 250, 0.05, false);
    EXPECT_TRUE(Near("optimize", "params.w", got->params.w, want.params.w));
    EXPECT_TRUE(Near("optimize", "params.b", got->params.b, want.params.b));
    ASSERT_EQ(got->costs.size(), want.costs.size())
        << "optimize: 250 iterations record the costs of iterations 0, 100 "
           "and 200";
    for (size_t i = 0; i < want.costs.size(); ++i) {
      EXPECT_TRUE(Near("optimize", "costs[" + std::to_string(i) + "]",
                       got->costs[i], want.costs[i]));
    }
  }
}

// ---------------------------------------------------------------- predict
TEST(Predict, CourseExample) {
  const Matrix w = matrix({{0.1124579}, {0.23106775}});
  const Matrix X = matrix({{1., -1.1, -3.2}, {1.2, 2., 0.1}});
  auto got = Call("predict", [&] { return graded::predict(w, -0.3, X); });
  if (!got) return;
  EXPECT_TRUE(Near("predict", "Y_prediction", *got, matrix({{1, 1, 0}}),
                   kCourseValues, "1 where σ(wᵀX + b) > 0.5, else 0"));
}

TEST(Predict, ExactlyOneHalfIsZero) {
  // σ(0) = 0.5 is not > 0.5.
  auto got = Call("predict", [] {
    return graded::predict(Matrix::Zero(2, 1), 0.0, Matrix::Ones(2, 3));
  });
  if (!got) return;
  EXPECT_TRUE(Near("predict", "Y_prediction when A = 0.5", *got,
                   Matrix::Zero(1, 3), kCourseValues, "use A > 0.5, not >="));
}

TEST(Predict, MatchesReferenceOnRandomInputs) {
  RandomState rng(5);
  for (auto [n_x, m] : kMatrixShapes) {
    const Matrix w = rng.randn(n_x, 1);
    const double b = rng.standard_normal();
    const Matrix X = rng.randn(n_x, m);
    auto got = Call("predict", [&] { return graded::predict(w, b, X); });
    if (!got) return;
    EXPECT_TRUE(Near("predict", "Y_prediction for X " + dl::shape_string(X),
                     *got, reference::predict(w, b, X)));
  }
}

// ---------------------------------------------------------------- model
TEST(Model, MatchesReferenceOnASmallProblem) {
  RandomState rng(6);
  const int n_x = 5, m_train = 40, m_test = 15;
  const Matrix true_w = rng.randn(n_x, 1);
  const Matrix X_train = rng.randn(n_x, m_train);
  const Matrix X_test = rng.randn(n_x, m_test);
  const Matrix Y_train =
      ((true_w.transpose() * X_train).array() > 0).cast<double>().matrix();
  const Matrix Y_test =
      ((true_w.transpose() * X_test).array() > 0).cast<double>().matrix();
  auto got = Call("model", [&] {
    return graded::model(X_train, Y_train, X_test, Y_test, 300, 0.1, false);
  });
  if (!got) return;
  const auto want =
      reference::model(X_train, Y_train, X_test, Y_test, 300, 0.1, false);
  EXPECT_TRUE(Near("model", "w", got->w, want.w));
  EXPECT_TRUE(Near("model", "b", got->b, want.b));
  EXPECT_TRUE(Near("model", "Y_prediction_train", got->Y_prediction_train,
                   want.Y_prediction_train));
  EXPECT_TRUE(Near("model", "Y_prediction_test", got->Y_prediction_test,
                   want.Y_prediction_test));
  ASSERT_EQ(got->costs.size(), want.costs.size())
      << "model: costs should come from optimize (one per 100 iterations)";
  EXPECT_TRUE(Near("model", "learning_rate", got->learning_rate, 0.1));
  EXPECT_TRUE(Near("model", "num_iterations", got->num_iterations, 300));
}

}  // namespace
