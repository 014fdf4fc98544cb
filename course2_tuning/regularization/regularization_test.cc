// Grades course2_tuning/regularization: the course's expected values (its
// seed-1 fixtures and the literal dropout cache), seeded comparisons with
// the reference solution on several shapes, and finite-difference checks of
// both backward passes (against the regularized cost, and against a forward
// pass with the dropout masks held fixed).

#include "course2_tuning/regularization/regularization.h"

#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "common/nn/activations.h"
#include "course2_tuning/regularization/graded.h"  // see tools/unit.bzl
#include "gtest/gtest.h"

namespace reference = regularization::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
using dl::Matrix;
using dl::matrix;
using dl::RandomState;
using regularization::DropoutCache;
using regularization::Gradients;
using regularization::Parameters;

Parameters draw_parameters(RandomState& rng, int n_x, int n1, int n2) {
  Parameters p;
  p.W1 = rng.randn(n1, n_x);
  p.b1 = rng.randn(n1, 1);
  p.W2 = rng.randn(n2, n1);
  p.b2 = rng.randn(n2, 1);
  p.W3 = rng.randn(1, n2);
  p.b3 = rng.randn(1, 1);
  return p;
}

// The course's fixtures: np.random.seed(1); X = randn(3, 5); W1 (2, 3),
// b1 (2, 1), W2 (3, 2), b2 (3, 1), W3 (1, 3), b3 (1, 1); Y = [[1,1,0,1,0]].
struct CourseFixture {
  Matrix X, Y = matrix({{1, 1, 0, 1, 0}});
  Parameters parameters;
  CourseFixture() {
    RandomState rng(1);
    X = rng.randn(3, 5);
    parameters = draw_parameters(rng, 3, 2, 3);
  }
};

Matrix labels(RandomState& rng, int m) {
  return (rng.randn(1, m).array() > 0).cast<double>().matrix();
}

struct Shape {
  int n_x, n1, n2, m;
};
// All dimensions different, m = 1, and a 1-unit hidden layer.
const std::vector<Shape> kShapes = {
    {3, 5, 4, 7}, {4, 2, 3, 1}, {2, 6, 1, 5}, {1, 1, 2, 3}};

std::string at(const Shape& s) {
  return " (n_x = " + std::to_string(s.n_x) + ", layers " +
         std::to_string(s.n1) + ", " + std::to_string(s.n2) +
         ", 1, m = " + std::to_string(s.m) + ")";
}

// The weight/bias gradients of two Gradients, compared field by field.
void ExpectGradientsNear(const std::string& f, const Gradients& got,
                         const Gradients& want, const std::string& where) {
  const std::vector<std::pair<std::string, std::pair<Matrix, Matrix>>> fields =
      {{"dZ3", {got.dZ3, want.dZ3}}, {"dW3", {got.dW3, want.dW3}},
       {"db3", {got.db3, want.db3}}, {"dA2", {got.dA2, want.dA2}},
       {"dZ2", {got.dZ2, want.dZ2}}, {"dW2", {got.dW2, want.dW2}},
       {"db2", {got.db2, want.db2}}, {"dA1", {got.dA1, want.dA1}},
       {"dZ1", {got.dZ1, want.dZ1}}, {"dW1", {got.dW1, want.dW1}},
       {"db1", {got.db1, want.db1}}};
  for (const auto& [name, pair] : fields) {
    EXPECT_TRUE(Near(f, "grads." + name + where, pair.first, pair.second));
  }
}

// ---------------------------------------- compute_cost_with_regularization
TEST(ComputeCostWithRegularization, CourseValues) {
  RandomState rng(1);  // the parameters are drawn WITHOUT X first
  const Parameters parameters = draw_parameters(rng, 3, 2, 3);
  const Matrix A3 =
      matrix({{0.40682402, 0.01629284, 0.16722898, 0.10118111, 0.40682402}});
  const Matrix Y = matrix({{1, 1, 0, 1, 0}});
  auto got = Call("compute_cost_with_regularization", [&] {
    return graded::compute_cost_with_regularization(A3, Y, parameters, 0.1);
  });
  if (!got) return;
  EXPECT_TRUE(Near("compute_cost_with_regularization", "cost (lambd = 0.1)",
                   *got, 1.7864859451590758, kCourseValues,
                   "cross-entropy (compute_cost) + lambd / (2 m) * (sum of "
                   "the squares of every entry of W1, W2 and W3); no b"));
}

TEST(ComputeCostWithRegularization, MatchesReferenceOnRandomInputs) {
  RandomState rng(2);
  for (const Shape& s : kShapes) {
    const Parameters p = draw_parameters(rng, s.n_x, s.n1, s.n2);
    const Matrix A3 = dl::sigmoid(rng.randn(1, s.m));
    const Matrix Y = labels(rng, s.m);
    for (double lambd : {0.0, 0.7, 3.0}) {
      auto got = Call("compute_cost_with_regularization", [&] {
        return graded::compute_cost_with_regularization(A3, Y, p, lambd);
      });
      if (!got) return;
      EXPECT_TRUE(
          Near("compute_cost_with_regularization",
               "cost (lambd = " + std::to_string(lambd) + ")" + at(s), *got,
               reference::compute_cost_with_regularization(A3, Y, p, lambd)));
    }
  }
}

// -------------------------------- backward_propagation_with_regularization
TEST(BackwardPropagationWithRegularization, CourseValues) {
  const CourseFixture f;
  const auto forward = regularization::forward_propagation(f.X, f.parameters);
  auto got = Call("backward_propagation_with_regularization", [&] {
    return graded::backward_propagation_with_regularization(f.X, f.Y,
                                                            forward.cache, 0.7);
  });
  if (!got) return;
  const std::string f_name = "backward_propagation_with_regularization";
  const std::string hint = "dW = (1/m) dZ A_prevᵀ + (lambd / m) W";
  EXPECT_TRUE(Near(f_name, "grads.dW1", got->dW1,
                   matrix({{-0.25604646, 0.12298827, -0.28297129},
                           {-0.17706303, 0.34536094, -0.4410571}}),
                   kCourseValues, hint));
  EXPECT_TRUE(Near(f_name, "grads.dW2", got->dW2,
                   matrix({{0.79276486, 0.85133918},
                           {-0.0957219, -0.01720463},
                           {-0.13100772, -0.03750433}}),
                   kCourseValues, hint));
  EXPECT_TRUE(Near(f_name, "grads.dW3", got->dW3,
                   matrix({{-1.77691347, -0.11832879, -0.09397446}}),
                   kCourseValues, hint));
}

TEST(BackwardPropagationWithRegularization, MatchesReferenceOnRandomInputs) {
  RandomState rng(3);
  for (const Shape& s : kShapes) {
    const Matrix X = rng.randn(s.n_x, s.m);
    const Matrix Y = labels(rng, s.m);
    const Parameters p = draw_parameters(rng, s.n_x, s.n1, s.n2);
    const auto cache = regularization::forward_propagation(X, p).cache;
    for (double lambd : {0.0, 0.7}) {
      auto got = Call("backward_propagation_with_regularization", [&] {
        return graded::backward_propagation_with_regularization(X, Y, cache,
                                                                lambd);
      });
      if (!got) return;
      ExpectGradientsNear("backward_propagation_with_regularization", *got,
                          reference::backward_propagation_with_regularization(
                              X, Y, cache, lambd),
                          " (lambd = " + std::to_string(lambd) + ")" + at(s));
    }
  }
}

// dW1..db3 against centered differences of the reference regularized cost.
TEST(BackwardPropagationWithRegularization, GradientsMatchFiniteDifferences) {
  RandomState rng(4);
  const Matrix X = rng.randn(3, 6);
  const Matrix Y = labels(rng, 6);
  Parameters p = draw_parameters(rng, 3, 4, 2);
  const double lambd = 0.7;
  const auto cache = regularization::forward_propagation(X, p).cache;
  auto got = Call("backward_propagation_with_regularization", [&] {
    return graded::backward_propagation_with_regularization(X, Y, cache, lambd);
  });
  if (!got) return;
  std::vector<GradientBlock> blocks = {
      {"dW1", &p.W1, got->dW1}, {"db1", &p.b1, got->db1},
      {"dW2", &p.W2, got->dW2}, {"db2", &p.b2, got->db2},
      {"dW3", &p.W3, got->dW3}, {"db3", &p.b3, got->db3}};
  const auto checks = dl::grading::CheckGradients(
      [&] {
        const Matrix A3 = regularization::forward_propagation(X, p).A3;
        return reference::compute_cost_with_regularization(A3, Y, p, lambd);
      },
      blocks, /*epsilon=*/1e-6);
  EXPECT_TRUE(dl::grading::GradientsMatch(
      "backward_propagation_with_regularization", checks));
}

// --------------------------------------- forward_propagation_with_dropout
TEST(ForwardPropagationWithDropout, CourseValues) {
  const CourseFixture f;
  auto got = Call("forward_propagation_with_dropout", [&] {
    return graded::forward_propagation_with_dropout(f.X, f.parameters, 0.7);
  });
  if (!got) return;
  EXPECT_TRUE(Near(
      "forward_propagation_with_dropout", "A3 (keep_prob = 0.7)", got->A3,
      matrix({{0.36974721, 0.00305176, 0.04565099, 0.49683389, 0.36974721}}),
      kCourseValues,
      "seed the generator with 1 at the top (dl::RandomState rng(1)), draw "
      "D1 = rng.rand(n1, m) < keep_prob BEFORE computing layer 2, then D2; "
      "A = A * D / keep_prob"));
}

TEST(ForwardPropagationWithDropout, MatchesReferenceOnRandomInputs) {
  RandomState rng(5);
  for (const Shape& s : kShapes) {
    const Matrix X = rng.randn(s.n_x, s.m);
    const Parameters p = draw_parameters(rng, s.n_x, s.n1, s.n2);
    for (double keep_prob : {0.5, 0.86, 1.0}) {
      auto got = Call("forward_propagation_with_dropout", [&] {
        return graded::forward_propagation_with_dropout(X, p, keep_prob);
      });
      if (!got) return;
      const auto want =
          reference::forward_propagation_with_dropout(X, p, keep_prob);
      const std::string where =
          " (keep_prob = " + std::to_string(keep_prob) + ")" + at(s);
      const std::string f = "forward_propagation_with_dropout";
      EXPECT_TRUE(Near(f, "A3" + where, got->A3, want.A3));
      EXPECT_TRUE(Near(f, "cache.D1" + where, got->cache.D1, want.cache.D1,
                       kReference, "D1 = (rand(n1, m) < keep_prob), 1 or 0"));
      EXPECT_TRUE(Near(f, "cache.A1" + where, got->cache.A1, want.cache.A1,
                       kReference, "A1 = relu(Z1) * D1 / keep_prob"));
      EXPECT_TRUE(Near(f, "cache.D2" + where, got->cache.D2, want.cache.D2));
      EXPECT_TRUE(Near(f, "cache.A2" + where, got->cache.A2, want.cache.A2));
      EXPECT_TRUE(Near(f, "cache.Z3" + where, got->cache.Z3, want.cache.Z3));
      EXPECT_TRUE(Near(f, "cache.W2" + where, got->cache.W2, p.W2));
    }
  }
}

// -------------------------------------- backward_propagation_with_dropout
TEST(BackwardPropagationWithDropout, CourseValues) {
  // The course's literal cache (test_cases.py), keep_prob = 0.8.
  const CourseFixture f;
  const auto forward = regularization::forward_propagation(f.X, f.parameters);
  DropoutCache c;
  c.Z1 = forward.cache.Z1;
  c.D1 = matrix({{1, 0, 1, 1, 1}, {1, 1, 1, 1, 0}});
  c.A1 = matrix({{0, 0, 4.27989081, 5.21401307, 0},
                 {0, 8.32019881, 1.58102041, 2.92987024, 0}});
  c.W1 = f.parameters.W1;
  c.b1 = f.parameters.b1;
  c.Z2 = forward.cache.Z2;
  c.D2 = matrix({{1, 0, 1, 0, 1}, {0, 1, 0, 1, 1}, {0, 0, 1, 0, 0}});
  c.A2 = matrix({{1.06071093, 0, 8.21049603, 0, 1.06071093},
                 {0, 0, 0, 0, 0},
                 {0, 0, 0, 0, 0}});
  c.W2 = f.parameters.W2;
  c.b2 = f.parameters.b2;
  c.Z3 = forward.cache.Z3;
  c.A3 = matrix({{0.32266394, 0.49683389, 0.00348883, 0.49683389, 0.32266394}});
  c.W3 = f.parameters.W3;
  c.b3 = f.parameters.b3;
  auto got = Call("backward_propagation_with_dropout", [&] {
    return graded::backward_propagation_with_dropout(f.X, f.Y, c, 0.8);
  });
  if (!got) return;
  const std::string hint =
      "dA = (Wᵀ dZ) * D / keep_prob: the same mask and scale as the forward "
      "pass";
  EXPECT_TRUE(Near("backward_propagation_with_dropout", "grads.dA1", got->dA1,
                   matrix({{0.36544439, 0., -0.00188233, 0., -0.17408748},
                           {0.65515713, 0., -0.00337459, 0., -0.}}),
                   kCourseValues, hint));
  ASSERT_TRUE(dl::grading::HasShape("backward_propagation_with_dropout",
                                    "grads.dA2", got->dA2, 3, 5));
  EXPECT_TRUE(Near("backward_propagation_with_dropout", "grads.dA2 row 0",
                   Matrix(got->dA2.row(0)),
                   matrix({{0.58180856, 0., -0.00299679, 0., -0.27715731}}),
                   kCourseValues, hint));
}

// A dropout cache with random masks, and the forward pass it came from.
DropoutCache random_dropout_cache(RandomState& rng, const Matrix& X,
                                  const Parameters& p, double keep_prob) {
  DropoutCache c;
  c.W1 = p.W1, c.b1 = p.b1, c.W2 = p.W2, c.b2 = p.b2, c.W3 = p.W3, c.b3 = p.b3;
  c.Z1 = (p.W1 * X).colwise() + p.b1.col(0);
  c.D1 = (rng.rand(c.Z1.rows(), c.Z1.cols()).array() < keep_prob)
             .cast<double>()
             .matrix();
  c.A1 = dl::relu(c.Z1).cwiseProduct(c.D1) / keep_prob;
  c.Z2 = (p.W2 * c.A1).colwise() + p.b2.col(0);
  c.D2 = (rng.rand(c.Z2.rows(), c.Z2.cols()).array() < keep_prob)
             .cast<double>()
             .matrix();
  c.A2 = dl::relu(c.Z2).cwiseProduct(c.D2) / keep_prob;
  c.Z3 = (p.W3 * c.A2).colwise() + p.b3.col(0);
  c.A3 = dl::sigmoid(c.Z3);
  return c;
}

TEST(BackwardPropagationWithDropout, MatchesReferenceOnRandomInputs) {
  RandomState rng(6);
  for (const Shape& s : kShapes) {
    const Matrix X = rng.randn(s.n_x, s.m);
    const Matrix Y = labels(rng, s.m);
    const Parameters p = draw_parameters(rng, s.n_x, s.n1, s.n2);
    for (double keep_prob : {0.6, 1.0}) {
      const DropoutCache c = random_dropout_cache(rng, X, p, keep_prob);
      auto got = Call("backward_propagation_with_dropout", [&] {
        return graded::backward_propagation_with_dropout(X, Y, c, keep_prob);
      });
      if (!got) return;
      ExpectGradientsNear(
          "backward_propagation_with_dropout", *got,
          reference::backward_propagation_with_dropout(X, Y, c, keep_prob),
          " (keep_prob = " + std::to_string(keep_prob) + ")" + at(s));
    }
  }
}

// dW1..db3 against centered differences of the cost of a forward pass with
// the masks D1, D2 held fixed (the function dropout's backward pass
// differentiates).
TEST(BackwardPropagationWithDropout, GradientsMatchFiniteDifferences) {
  RandomState rng(7);
  const Matrix X = rng.randn(3, 8);
  const Matrix Y = labels(rng, 8);
  Parameters p = draw_parameters(rng, 3, 5, 4);
  const double keep_prob = 0.7;
  const DropoutCache c = random_dropout_cache(rng, X, p, keep_prob);
  auto got = Call("backward_propagation_with_dropout", [&] {
    return graded::backward_propagation_with_dropout(X, Y, c, keep_prob);
  });
  if (!got) return;
  auto cost_with_fixed_masks = [&] {
    const Matrix A1 =
        dl::relu((p.W1 * X).colwise() + p.b1.col(0)).cwiseProduct(c.D1) /
        keep_prob;
    const Matrix A2 =
        dl::relu((p.W2 * A1).colwise() + p.b2.col(0)).cwiseProduct(c.D2) /
        keep_prob;
    const Matrix A3 = dl::sigmoid((p.W3 * A2).colwise() + p.b3.col(0));
    return regularization::compute_cost(A3, Y);
  };
  std::vector<GradientBlock> blocks = {
      {"dW1", &p.W1, got->dW1}, {"db1", &p.b1, got->db1},
      {"dW2", &p.W2, got->dW2}, {"db2", &p.b2, got->db2},
      {"dW3", &p.W3, got->dW3}, {"db3", &p.b3, got->db3}};
  const auto checks = dl::grading::CheckGradients(cost_with_fixed_masks, blocks,
                                                  /*epsilon=*/1e-6);
  EXPECT_TRUE(
      dl::grading::GradientsMatch("backward_propagation_with_dropout", checks));
}

}  // namespace
