// Grades course2_tuning/gradient_checking: the course's expected values
// (the 1-D check for x = 2 and x = 3, and gradient_check_n on the course's
// seed-1 fixture with the buggy and the fixed backward pass), seeded
// comparisons with the reference solution, and a finite-difference check of
// backward_propagation.

#include "course2_tuning/gradient_checking/gradient_checking.h"

#include <array>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "course2_tuning/gradient_checking/graded.h"  // see tools/unit.bzl
#include "gtest/gtest.h"

namespace reference = gradient_checking::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
using dl::Matrix;
using dl::matrix;
using dl::RandomState;
using gradient_checking::Grads;
using gradient_checking::Parameters;

// For gradient_check_n's course values: relative only, since the "fixed"
// value 1.19e-7 is smaller than kCourseValues' atol.
constexpr Tolerance kRelative{0, 1e-6};

// A network of gc_utils.h and data, drawn like the course's
// gradient_check_n_test_case: np.random.seed(seed); x = randn(n_x, m);
// y = labels; W1 = randn(n1, n_x); b1; W2; b2; W3; b3.
struct Fixture {
  Matrix X, Y;
  Parameters parameters;
};

Fixture make_fixture(uint32_t seed, int n_x, int n1, int n2, int m,
                     const Matrix& Y = Matrix()) {
  RandomState rng(seed);
  Fixture f;
  f.X = rng.randn(n_x, m);
  f.Y = Y.size() ? Y : (rng.randn(1, m).array() > 0).cast<double>().matrix();
  f.parameters["W1"] = rng.randn(n1, n_x);
  f.parameters["b1"] = rng.randn(n1, 1);
  f.parameters["W2"] = rng.randn(n2, n1);
  f.parameters["b2"] = rng.randn(n2, 1);
  f.parameters["W3"] = rng.randn(1, n2);
  f.parameters["b3"] = rng.randn(1, 1);
  return f;
}

// The course's fixture: seed 1, x (4, 3), y = [1, 1, 0], layers 5, 3, 1.
Fixture course_fixture() {
  return make_fixture(1, 4, 5, 3, 3, matrix({{1, 1, 0}}));
}

Grads buggy_gradients(const Fixture& f) {
  const auto forward =
      gradient_checking::forward_propagation_n(f.X, f.Y, f.parameters);
  return gradient_checking::backward_propagation_n(f.X, f.Y, forward.cache);
}

Grads fixed_gradients(const Fixture& f) {
  const auto forward =
      gradient_checking::forward_propagation_n(f.X, f.Y, f.parameters);
  return gradient_checking::backward_propagation_n_fixed(f.X, f.Y,
                                                         forward.cache);
}

// ------------------------------------------------------ forward_propagation
TEST(ForwardPropagation, CourseValues) {
  for (auto [x, theta, J] :
       std::vector<std::array<double, 3>>{{2, 4, 8}, {3, 4, 12}}) {
    auto got = Call("forward_propagation",
                    [&] { return graded::forward_propagation(x, theta); });
    if (!got) return;
    EXPECT_TRUE(Near("forward_propagation",
                     "J for x = " + std::to_string(x) + ", theta = 4", *got, J,
                     kCourseValues, "J = theta * x"));
  }
}

TEST(ForwardPropagation, MatchesReferenceOnRandomInputs) {
  RandomState rng(2);
  for (int k = 0; k < 6; ++k) {
    const double x = rng.standard_normal() * 5;
    const double theta = rng.standard_normal() * 5;
    auto got = Call("forward_propagation",
                    [&] { return graded::forward_propagation(x, theta); });
    if (!got) return;
    EXPECT_TRUE(Near(
        "forward_propagation",
        "J for x = " + std::to_string(x) + ", theta = " + std::to_string(theta),
        *got, reference::forward_propagation(x, theta)));
  }
}

// ----------------------------------------------------- backward_propagation
TEST(BackwardPropagation, CourseValues) {
  for (double x : {2.0, 3.0}) {
    auto got = Call("backward_propagation",
                    [&] { return graded::backward_propagation(x, 4); });
    if (!got) return;
    EXPECT_TRUE(Near("backward_propagation",
                     "dtheta for x = " + std::to_string(x) + ", theta = 4",
                     *got, x, kCourseValues,
                     "J = theta * x, so dJ/dtheta = x (not theta)"));
  }
}

TEST(BackwardPropagation, MatchesReferenceOnRandomInputs) {
  RandomState rng(3);
  for (int k = 0; k < 6; ++k) {
    const double x = rng.standard_normal() * 5;
    const double theta = rng.standard_normal() * 5;
    auto got = Call("backward_propagation",
                    [&] { return graded::backward_propagation(x, theta); });
    if (!got) return;
    EXPECT_TRUE(Near("backward_propagation",
                     "dtheta for x = " + std::to_string(x) +
                         ", theta = " + std::to_string(theta),
                     *got, reference::backward_propagation(x, theta)));
  }
}

// dtheta against centered differences of the reference J(θ) = θx.
TEST(BackwardPropagation, GradientMatchesFiniteDifferences) {
  RandomState rng(4);
  for (int k = 0; k < 3; ++k) {
    const double x = rng.standard_normal() * 3;
    Matrix theta = rng.randn(1, 1);
    auto got = Call("backward_propagation", [&] {
      return graded::backward_propagation(x, theta(0, 0));
    });
    if (!got) return;
    std::vector<dl::grading::GradientBlock> blocks = {
        {"dtheta", &theta, Matrix::Constant(1, 1, *got)}};
    const auto checks = dl::grading::CheckGradients(
        [&] { return reference::forward_propagation(x, theta(0, 0)); }, blocks);
    EXPECT_TRUE(dl::grading::GradientsMatch("backward_propagation", checks));
  }
}

// ----------------------------------------------------------- gradient_check
TEST(GradientCheck, CourseValues) {
  // 2021 notebook: x = 2; 2023 notebook: x = 3; theta = 4 in both.
  for (auto [x, want] : std::vector<std::pair<double, double>>{
           {2, 2.919335883291695e-10}, {3, 7.814075313343006e-11}}) {
    auto got = Call("gradient_check",
                    [&] { return graded::gradient_check(x, 4, 1e-7, false); });
    if (!got) return;
    EXPECT_TRUE(Near(
        "gradient_check",
        "difference for x = " + std::to_string(x) + ", theta = 4", *got, want,
        kRelative,
        "use the course's exact steps: thetaplus = theta + epsilon, J_plus = "
        "forward_propagation(x, thetaplus), ..., gradapprox = (J_plus - "
        "J_minus) / (2 * epsilon), then |grad - gradapprox| / (|grad| + "
        "|gradapprox|)"));
  }
}

TEST(GradientCheck, MatchesReferenceOnRandomInputs) {
  RandomState rng(5);
  for (double epsilon : {1e-7, 1e-4, 1e-2}) {
    const double x = rng.standard_normal() * 5;
    const double theta = rng.standard_normal() * 5;
    auto got = Call("gradient_check", [&] {
      return graded::gradient_check(x, theta, epsilon, false);
    });
    if (!got) return;
    EXPECT_TRUE(Near("gradient_check",
                     "difference for x = " + std::to_string(x) +
                         ", theta = " + std::to_string(theta) +
                         ", epsilon = " + std::to_string(epsilon),
                     *got, reference::gradient_check(x, theta, epsilon, false),
                     Tolerance{1e-12, 1e-6},
                     "use epsilon as passed (theta ± epsilon, divide by 2 * "
                     "epsilon)"));
  }
}

// --------------------------------------------------------- gradient_check_n
TEST(GradientCheckN, CourseFixtureBuggyBackward) {
  const Fixture f = course_fixture();
  const Grads gradients = buggy_gradients(f);
  auto got = Call("gradient_check_n", [&] {
    return graded::gradient_check_n(f.parameters, gradients, f.X, f.Y, 1e-7,
                                    false);
  });
  if (!got) return;
  EXPECT_TRUE(Near(
      "gradient_check_n",
      "difference with the given (buggy) backward_propagation_n", *got,
      0.2850931567761623, kRelative,
      "perturb one entry of theta at a time, both ways, and compare the "
      "whole vectors: ||grad - gradapprox|| / (||grad|| + ||gradapprox||)"));
}

TEST(GradientCheckN, CourseFixtureFixedBackward) {
  const Fixture f = course_fixture();
  const Grads gradients = fixed_gradients(f);
  auto got = Call("gradient_check_n", [&] {
    return graded::gradient_check_n(f.parameters, gradients, f.X, f.Y, 1e-7,
                                    false);
  });
  if (!got) return;
  EXPECT_TRUE(Near(
      "gradient_check_n", "difference with backward_propagation_n_fixed", *got,
      1.1890913024229996e-07, kRelative,
      "this value is mostly rounding noise of the cost: copy theta, change "
      "entry i by exactly +epsilon / -epsilon, call forward_propagation_n on "
      "vector_to_dictionary(...), and divide by (2 * epsilon)"));
}

// Several network sizes (all dimensions different, m = 1, a 1-unit layer),
// with the buggy, the fixed and a randomly wrong gradient.
TEST(GradientCheckN, MatchesReferenceOnOtherShapes) {
  struct Shape {
    int n_x, n1, n2, m;
  };
  const std::vector<Shape> shapes = {
      {3, 6, 4, 5}, {5, 2, 3, 1}, {2, 4, 1, 7}, {1, 1, 2, 3}};
  uint32_t seed = 10;
  for (const Shape& s : shapes) {
    const Fixture f = make_fixture(seed++, s.n_x, s.n1, s.n2, s.m);
    Grads noisy = fixed_gradients(f);
    RandomState rng(seed);
    noisy["dW2"] += rng.randn(s.n2, s.n1) * 1e-3;
    const std::vector<std::pair<std::string, Grads>> cases = {
        {"buggy", buggy_gradients(f)},
        {"fixed", fixed_gradients(f)},
        {"dW2 + noise", noisy}};
    for (const auto& [name, gradients] : cases) {
      auto got = Call("gradient_check_n", [&] {
        return graded::gradient_check_n(f.parameters, gradients, f.X, f.Y, 1e-7,
                                        false);
      });
      if (!got) return;
      const double want = reference::gradient_check_n(f.parameters, gradients,
                                                      f.X, f.Y, 1e-7, false);
      const std::string at =
          " (" + name + " gradients, n_x = " + std::to_string(s.n_x) +
          ", layers " + std::to_string(s.n1) + ", " + std::to_string(s.n2) +
          ", 1, m = " + std::to_string(s.m) + ")";
      EXPECT_TRUE(Near("gradient_check_n", "difference" + at, *got, want,
                       Tolerance{1e-12, 1e-4}));
    }
  }
}

TEST(GradientCheckN, UsesEpsilon) {
  const Fixture f = make_fixture(7, 3, 4, 2, 4);
  const Grads gradients = fixed_gradients(f);
  for (double epsilon : {1e-3, 1e-5}) {
    auto got = Call("gradient_check_n", [&] {
      return graded::gradient_check_n(f.parameters, gradients, f.X, f.Y,
                                      epsilon, false);
    });
    if (!got) return;
    EXPECT_TRUE(Near(
        "gradient_check_n",
        "difference with epsilon = " + std::to_string(epsilon), *got,
        reference::gradient_check_n(f.parameters, gradients, f.X, f.Y, epsilon,
                                    false),
        Tolerance{1e-12, 1e-4}, "use the epsilon argument, not a fixed 1e-7"));
  }
}

}  // namespace
