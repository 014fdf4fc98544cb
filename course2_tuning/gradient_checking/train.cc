// bazel run //course2_tuning/gradient_checking:train [-- --epsilon=1e-7]
//
// The course's gradient checks, with YOUR functions from exercise.cc (with
// --config=reference, the reference solution's):
//   1. the 1-D check of J(θ) = θx for the course's x = 2 and x = 3, θ = 4;
//   2. gradient_check_n on the course's seed-1 fixture (a 4-5-3-1 network,
//      3 examples) with the given backward_propagation_n, which has two
//      planted bugs, and with the fixed one;
//   3. which parameter blocks are wrong: the same relative difference, block
//      by block (W1, b1, ..., b3), so the bugs can be found (dW2 and db1).
//      Blocks use --block_epsilon = 1e-5: one-number blocks are too noisy
//      at 1e-7.

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "common/core/random.h"
#include "common/grading/not_implemented.h"
#include "common/viz/app.h"
#include "course2_tuning/gradient_checking/gc_utils.h"
#include "course2_tuning/gradient_checking/graded.h"  // see tools/unit.bzl
#include "course2_tuning/gradient_checking/gradient_checking.h"
#include "tools/solution.h"

ABSL_FLAG(double, epsilon, 1e-7,
          "The step of the centered differences (0 < epsilon <= 0.1)");
ABSL_FLAG(double, block_epsilon, 1e-5,
          "The step of the block-by-block differences (0 < epsilon <= 0.1)");

namespace {

using dl::Matrix;
using gradient_checking::Grads;
using gradient_checking::Parameters;

constexpr double kThreshold = 2e-7;

// ‖g - g̃‖ / (‖g‖ + ‖g̃‖) for one parameter block, g̃ by centered
// differences of forward_propagation_n's cost in that block only.
double block_difference(const Parameters& parameters, const Grads& gradients,
                        const std::string& key, const Matrix& X,
                        const Matrix& Y, double epsilon) {
  Parameters p = parameters;
  Matrix& W = p.at(key);
  Matrix approx(W.rows(), W.cols());
  for (Eigen::Index i = 0; i < W.size(); ++i) {
    const double saved = W.data()[i];
    W.data()[i] = saved + epsilon;
    const double J_plus =
        gradient_checking::forward_propagation_n(X, Y, p).cost;
    W.data()[i] = saved - epsilon;
    const double J_minus =
        gradient_checking::forward_propagation_n(X, Y, p).cost;
    W.data()[i] = saved;
    approx.data()[i] = (J_plus - J_minus) / (2 * epsilon);
  }
  const Matrix& grad = gradients.at("d" + key);
  return (grad - approx).norm() / (grad.norm() + approx.norm());
}

// Prints the per-block table; returns the wrong blocks, e.g. "dW2, db1".
std::string report_blocks(const Parameters& parameters, const Grads& gradients,
                          const Matrix& X, const Matrix& Y, double epsilon) {
  std::string wrong;
  for (const std::string& key : gradient_checking::kParameterKeys) {
    const double d =
        block_difference(parameters, gradients, key, X, Y, epsilon);
    const bool bad = !(d < kThreshold);
    std::printf("    d%-3s %s  relative difference %.3g%s\n", key.c_str(),
                dl::shape_string(parameters.at(key)).c_str(), d,
                bad ? "   <- wrong" : "");
    if (bad) wrong += (wrong.empty() ? "d" : ", d") + key;
  }
  return wrong.empty() ? "none" : wrong;
}

}  // namespace

constexpr char kUsage[] =
    "Runs the course's gradient checks with your gradient_check and "
    "gradient_check_n.";

int main(int argc, char** argv) {
  if (!dl::StartProgram(argc, argv, kUsage)) return 2;
  const double epsilon = absl::GetFlag(FLAGS_epsilon);
  const double block_epsilon = absl::GetFlag(FLAGS_block_epsilon);
  if (!(epsilon > 0) || !(epsilon <= 0.1)) {
    return dl::Fail("--epsilon must be in (0, 0.1]");
  }
  if (!(block_epsilon > 0) || !(block_epsilon <= 0.1)) {
    return dl::Fail("--block_epsilon must be in (0, 0.1]");
  }
  const bool course_epsilon = epsilon == 1e-7;
  std::printf("Gradient checking with %s, epsilon = %g (threshold %g)\n",
              dl::SolutionFile(), epsilon, kThreshold);

  // 1. J(θ) = θx.
  dl::clear_not_implemented();
  std::printf("\n1. J(theta) = theta * x, theta = 4:\n");
  const double d2 = graded::gradient_check(2, 4, epsilon, false);
  const double d3 = graded::gradient_check(3, 4, epsilon, false);
  if (!dl::StubsCalled().empty()) {
    return dl::Fail(
        dl::NotImplementedMessage("course2_tuning/gradient_checking"));
  }
  std::printf("   x = 2: difference %s%s\n", dl::repr(d2).c_str(),
              course_epsilon ? "   (course 2021: 2.919335883291695e-10)" : "");
  std::printf("   x = 3: difference %s%s\n", dl::repr(d3).c_str(),
              course_epsilon ? "   (course 2023: 7.814075313343006e-11)" : "");

  // 2. The 3-layer network: the course's gradient_check_n_test_case.
  dl::RandomState rng(1);
  const Matrix X = rng.randn(4, 3);
  const Matrix Y = dl::matrix({{1, 1, 0}});
  Parameters parameters;
  parameters["W1"] = rng.randn(5, 4);
  parameters["b1"] = rng.randn(5, 1);
  parameters["W2"] = rng.randn(3, 5);
  parameters["b2"] = rng.randn(3, 1);
  parameters["W3"] = rng.randn(1, 3);
  parameters["b3"] = rng.randn(1, 1);
  const auto forward =
      gradient_checking::forward_propagation_n(X, Y, parameters);
  const Grads buggy =
      gradient_checking::backward_propagation_n(X, Y, forward.cache);
  const Grads fixed =
      gradient_checking::backward_propagation_n_fixed(X, Y, forward.cache);
  std::printf(
      "\n2. gradient_check_n, the course's fixture (seed 1: X (4, 3), layers "
      "5, 3, 1; theta (47, 1)):\n");
  dl::clear_not_implemented();
  const double d_buggy =
      graded::gradient_check_n(parameters, buggy, X, Y, epsilon, false);
  const double d_fixed =
      graded::gradient_check_n(parameters, fixed, X, Y, epsilon, false);
  if (!dl::StubsCalled().empty()) {
    return dl::Fail(
        dl::NotImplementedMessage("course2_tuning/gradient_checking"));
  }
  std::printf("   given backward_propagation_n: difference %s -> %s%s\n",
              dl::repr(d_buggy).c_str(),
              d_buggy > kThreshold ? "there is a mistake" : "looks right",
              course_epsilon ? "   (course: 0.2850931567761623)" : "");
  std::printf("   fixed backward_propagation_n: difference %s -> %s%s\n",
              dl::repr(d_fixed).c_str(),
              d_fixed > kThreshold ? "there is a mistake" : "works fine",
              course_epsilon ? "   (course: 1.1890913024229996e-07)" : "");

  // 3. Where: block by block.
  // A small block (db3 is one number) has no other entries to average its
  // rounding noise with: at epsilon = 1e-7 a correct one can reach 3e-7.
  // epsilon = 1e-5 keeps both rounding (1e-16 / epsilon) and truncation
  // (epsilon^2) errors far below the threshold.
  std::printf(
      "\n3. Block by block (epsilon = %g), given backward_propagation_n:\n",
      block_epsilon);
  const std::string wrong_buggy =
      report_blocks(parameters, buggy, X, Y, block_epsilon);
  std::printf(
      "   wrong blocks: %s   (the planted bugs: dW2 doubled, db1 "
      "with 4/m)\n",
      wrong_buggy.c_str());
  std::printf("   Block by block, fixed backward_propagation_n:\n");
  const std::string wrong_fixed =
      report_blocks(parameters, fixed, X, Y, block_epsilon);
  std::printf("   wrong blocks: %s\n", wrong_fixed.c_str());
  if (!course_epsilon) {
    std::printf(
        "\n(With epsilon far from 1e-7 the differences change: too large an "
        "epsilon adds\n truncation error O(epsilon^2), too small one adds "
        "rounding error ~1e-16/epsilon.)\n");
  }
  return 0;
}
