// Grades course1_nn/shallow_nn: the course's expected values (its notebook
// and public tests, with the same np.random seeds and draw orders), a seeded
// comparison with the reference solution on several shapes, and a
// finite-difference check of backward_propagation.

#include "course1_nn/shallow_nn/shallow_nn.h"

#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "course1_nn/shallow_nn/graded.h"  // see tools/unit.bzl
#include "gtest/gtest.h"

namespace reference = shallow_nn::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
using dl::Matrix;
using dl::matrix;
using dl::RandomState;
using shallow_nn::Cache;
using shallow_nn::Grads;
using shallow_nn::Parameters;

// Network sizes where n_x, n_h, n_y and m all differ, plus m = 1, n_x = 1
// and n_h = 1.
struct Dims {
  int n_x, n_h, n_y, m;
};
const std::vector<Dims> kDims = {{2, 4, 1, 3}, {3, 5, 2, 7}, {5, 3, 1, 4},
                                 {4, 6, 1, 1}, {1, 3, 1, 5}, {3, 1, 2, 6}};

// nn_model's sizes. Learning rate 1.2 on labels a small network cannot fit
// makes gradient descent oscillate, and then rounding differences between
// two correct solutions grow; on these sizes, with teacher_labels, a
// relative change of 1e-12 in the initial weights stays below 1e-10 after
// 1000 iterations.
const std::vector<Dims> kModelDims = {{2, 4, 1, 3}, {3, 5, 2, 7}, {5, 3, 1, 4},
                                      {4, 6, 1, 1}, {1, 3, 1, 5}, {3, 1, 1, 6}};

std::string describe(const Dims& d) {
  return " with n_x = " + std::to_string(d.n_x) +
         ", n_h = " + std::to_string(d.n_h) +
         ", n_y = " + std::to_string(d.n_y) + ", m = " + std::to_string(d.m);
}

// Labels 0/1 of shape (rows, m) drawn like the course: randn(rows, m) > 0.
Matrix random_labels(RandomState& rng, int rows, int m) {
  return (rng.randn(rows, m).array() > 0).cast<double>().matrix();
}

// Labels a network can learn: Y = (T X > 0) for a random "teacher" T
// (n_y, n_x).
Matrix teacher_labels(RandomState& rng, const Matrix& X, int n_y) {
  const Matrix T = rng.randn(n_y, X.rows());
  return ((T * X).array() > 0).cast<double>().matrix();
}

// Parameters of the given sizes, large enough that tanh is not linear.
Parameters random_parameters(RandomState& rng, const Dims& d) {
  Parameters p;
  p.W1 = rng.randn(d.n_h, d.n_x) * 0.8;
  p.b1 = rng.randn(d.n_h, 1) * 0.5;
  p.W2 = rng.randn(d.n_y, d.n_h) * 0.8;
  p.b2 = rng.randn(d.n_y, 1) * 0.5;
  return p;
}

// The course's W1, W2 (its initialize_parameters(2, 4, 1) after seed 2).
const Matrix kCourseW1 = matrix({{-0.00416758, -0.00056267},
                                 {-0.02136196, 0.01640271},
                                 {-0.01793436, -0.00841747},
                                 {0.00502881, -0.01245288}});
const Matrix kCourseW2 =
    matrix({{-0.01057952, -0.00909008, 0.00551454, 0.02292208}});

// The course's update_parameters_test_case parameters (also predict's).
Parameters course_trained_parameters() {
  Parameters p;
  p.W1 = matrix({{-0.00615039, 0.0169021},
                 {-0.02311792, 0.03137121},
                 {-0.0169217, -0.01752545},
                 {0.00935436, -0.05018221}});
  p.b1 = matrix({{-8.97523455e-07},
                 {8.15562092e-06},
                 {6.04810633e-07},
                 {-2.54560700e-06}});
  p.W2 = matrix({{-0.0104319, -0.04019007, 0.01607211, 0.04440255}});
  p.b2 = matrix({{9.14954378e-05}});
  return p;
}

void ExpectParametersNear(const std::string& function, const std::string& at,
                          const Parameters& got, const Parameters& want,
                          dl::grading::Tolerance tol = dl::grading::kReference,
                          const std::string& hint = "") {
  EXPECT_TRUE(Near(function, "W1" + at, got.W1, want.W1, tol, hint));
  EXPECT_TRUE(Near(function, "b1" + at, got.b1, want.b1, tol, hint));
  EXPECT_TRUE(Near(function, "W2" + at, got.W2, want.W2, tol, hint));
  EXPECT_TRUE(Near(function, "b2" + at, got.b2, want.b2, tol, hint));
}

void ExpectGradsNear(const std::string& function, const std::string& at,
                     const Grads& got, const Grads& want,
                     dl::grading::Tolerance tol = dl::grading::kReference,
                     const std::string& layer1_hint = "") {
  EXPECT_TRUE(
      Near(function, "dW1" + at, got.dW1, want.dW1, tol,
           "dW1 = (1/m) dZ1 Xᵀ, with dZ1 = W2ᵀ dZ2 ⊙ (1 - A1²)" + layer1_hint));
  EXPECT_TRUE(Near(function, "db1" + at, got.db1, want.db1, tol,
                   "db1 = (1/m) Σ dZ1 over the examples (each row's sum), "
                   "shape (n_h, 1)" +
                       layer1_hint));
  EXPECT_TRUE(Near(function, "dW2" + at, got.dW2, want.dW2, tol,
                   "dW2 = (1/m) dZ2 A1ᵀ, with dZ2 = A2 - Y"));
  EXPECT_TRUE(Near(function, "db2" + at, got.db2, want.db2, tol,
                   "db2 = (1/m) Σ dZ2 over the examples, shape (n_y, 1)"));
}

// ------------------------------------------------------------ layer_sizes
TEST(LayerSizes, CourseValues) {
  // The course's public test: seed 1, X (5, 3), Y (2, 3), then X (7, 5),
  // Y (5, 5) from the same stream.
  RandomState rng(1);
  const Matrix X1 = rng.randn(5, 3), Y1 = rng.randn(2, 3);
  const Matrix X2 = rng.randn(7, 5), Y2 = rng.randn(5, 5);
  const std::vector<std::pair<Matrix, Matrix>> cases = {{X1, Y1}, {X2, Y2}};
  for (const auto& [X, Y] : cases) {
    auto got = Call("layer_sizes", [&] { return graded::layer_sizes(X, Y); });
    if (!got) return;
    const std::string at =
        " for X " + dl::shape_string(X) + ", Y " + dl::shape_string(Y);
    EXPECT_TRUE(Near("layer_sizes", "n_x" + at, got->n_x, X.rows(),
                     kCourseValues, "n_x is the number of ROWS of X"));
    EXPECT_TRUE(Near("layer_sizes", "n_h" + at, got->n_h, 4, kCourseValues,
                     "the hidden layer has 4 units here"));
    EXPECT_TRUE(Near("layer_sizes", "n_y" + at, got->n_y, Y.rows(),
                     kCourseValues, "n_y is the number of ROWS of Y"));
  }
}

TEST(LayerSizes, MatchesReferenceOnShapes) {
  RandomState rng(11);
  for (const Dims& d : kDims) {
    const Matrix X = rng.randn(d.n_x, d.m);
    const Matrix Y = random_labels(rng, d.n_y, d.m);
    auto got = Call("layer_sizes", [&] { return graded::layer_sizes(X, Y); });
    if (!got) return;
    const auto want = reference::layer_sizes(X, Y);
    EXPECT_TRUE(Near("layer_sizes", "n_x" + describe(d), got->n_x, want.n_x));
    EXPECT_TRUE(Near("layer_sizes", "n_h" + describe(d), got->n_h, want.n_h));
    EXPECT_TRUE(Near("layer_sizes", "n_y" + describe(d), got->n_y, want.n_y));
  }
}

// ------------------------------------------------- initialize_parameters
TEST(InitializeParameters, CourseValues) {
  // The notebook: np.random.seed(2); initialize_parameters(2, 4, 1).
  RandomState rng(2);
  auto got = Call("initialize_parameters",
                  [&] { return graded::initialize_parameters(2, 4, 1, rng); });
  if (!got) return;
  const std::string hint =
      "W1 = rng.randn(n_h, n_x) * 0.01 first, then W2 = rng.randn(n_y, n_h) "
      "* 0.01, both from the rng you are given";
  EXPECT_TRUE(Near("initialize_parameters", "W1", got->W1, kCourseW1,
                   kCourseValues, hint));
  EXPECT_TRUE(Near("initialize_parameters", "b1", got->b1, Matrix::Zero(4, 1),
                   kCourseValues, "b1 is zeros of shape (n_h, 1)"));
  EXPECT_TRUE(Near("initialize_parameters", "W2", got->W2, kCourseW2,
                   kCourseValues, hint));
  EXPECT_TRUE(Near("initialize_parameters", "b2", got->b2, Matrix::Zero(1, 1),
                   kCourseValues, "b2 is zeros of shape (n_y, 1)"));
}

TEST(InitializeParameters, CoursePublicTest) {
  // The course's public test: np.random.seed(2); (n_x, n_h, n_y) = (3, 5, 2).
  RandomState rng(2);
  auto got = Call("initialize_parameters",
                  [&] { return graded::initialize_parameters(3, 5, 2, rng); });
  if (!got) return;
  const Matrix W1 = matrix({{-0.00416758, -0.00056267, -0.02136196},
                            {0.01640271, -0.01793436, -0.00841747},
                            {0.00502881, -0.01245288, -0.01057952},
                            {-0.00909008, 0.00551454, 0.02292208},
                            {0.00041539, -0.01117925, 0.00539058}});
  const Matrix W2 = matrix({{-5.96159700e-03, -1.91304965e-04, 1.17500122e-02,
                             -7.47870949e-03, 9.02525097e-05},
                            {-8.78107893e-03, -1.56434170e-03, 2.56570452e-03,
                             -9.88779049e-03, -3.38821966e-03}});
  EXPECT_TRUE(Near("initialize_parameters", "W1 for (3, 5, 2)", got->W1, W1,
                   kCourseValues, "W1 has shape (n_h, n_x)"));
  EXPECT_TRUE(Near("initialize_parameters", "b1 for (3, 5, 2)", got->b1,
                   Matrix::Zero(5, 1), kCourseValues));
  EXPECT_TRUE(Near("initialize_parameters", "W2 for (3, 5, 2)", got->W2, W2,
                   kCourseValues, "W2 has shape (n_y, n_h), drawn after W1"));
  EXPECT_TRUE(Near("initialize_parameters", "b2 for (3, 5, 2)", got->b2,
                   Matrix::Zero(2, 1), kCourseValues));
}

TEST(InitializeParameters, MatchesReferenceAndDrawsOnlyW1AndW2) {
  for (const Dims& d : kDims) {
    RandomState rng(12), want_rng(12);
    auto got = Call("initialize_parameters", [&] {
      return graded::initialize_parameters(d.n_x, d.n_h, d.n_y, rng);
    });
    if (!got) return;
    const Parameters want =
        reference::initialize_parameters(d.n_x, d.n_h, d.n_y, want_rng);
    ExpectParametersNear("initialize_parameters", describe(d), *got, want);
    // The stream must be where the course's would be: exactly n_h n_x +
    // n_y n_h normals drawn.
    EXPECT_TRUE(Near("initialize_parameters",
                     "the next number of the rng after the call" + describe(d),
                     rng.standard_normal(), want_rng.standard_normal(),
                     dl::grading::kReference,
                     "draw W1 and W2 with rng.randn(rows, cols), once each, "
                     "and nothing else"));
  }
}

// --------------------------------------------------- forward_propagation
TEST(ForwardPropagation, CourseValues) {
  // forward_propagation_test_case: seed 1, X (2, 3), then b1 (4, 1).
  RandomState rng(1);
  const Matrix X = rng.randn(2, 3);
  Parameters p;
  p.b1 = rng.randn(4, 1);
  p.b2 = matrix({{-1.3}});
  p.W1 = kCourseW1;
  p.W2 = kCourseW2;
  auto got = Call("forward_propagation",
                  [&] { return graded::forward_propagation(X, p); });
  if (!got) return;
  EXPECT_TRUE(Near("forward_propagation", "cache.Z1", got->cache.Z1,
                   matrix({{1.7386459, 1.74687437, 1.74830797},
                           {-0.81350569, -0.73394355, -0.78767559},
                           {0.29893918, 0.32272601, 0.34788465},
                           {-0.2278403, -0.2632236, -0.22336567}}),
                   kCourseValues,
                   "Z1 = W1 X + b1: add b1 to every column "
                   "(.colwise() + b1.col(0))"));
  EXPECT_TRUE(Near("forward_propagation", "cache.A1", got->cache.A1,
                   matrix({{0.9400694, 0.94101876, 0.94118266},
                           {-0.67151964, -0.62547205, -0.65709025},
                           {0.29034152, 0.31196971, 0.33449821},
                           {-0.22397799, -0.25730819, -0.2197236}}),
                   kCourseValues, "A1 = tanh(Z1): the hidden layer is tanh"));
  EXPECT_TRUE(Near("forward_propagation", "cache.Z2", got->cache.Z2,
                   matrix({{-1.30737426, -1.30844761, -1.30717618}}),
                   kCourseValues, "Z2 = W2 A1 + b2"));
  EXPECT_TRUE(Near("forward_propagation", "A2", got->A2,
                   matrix({{0.21292656, 0.21274673, 0.21295976}}),
                   kCourseValues, "A2 = σ(W2 A1 + b2), shape (n_y, m)"));
  EXPECT_TRUE(Near("forward_propagation", "cache.A2", got->cache.A2, got->A2,
                   dl::grading::kReference,
                   "the cache keeps the same A2 as the one returned"));
}

TEST(ForwardPropagation, MatchesReferenceOnShapes) {
  RandomState rng(13);
  for (const Dims& d : kDims) {
    const Parameters p = random_parameters(rng, d);
    const Matrix X = rng.randn(d.n_x, d.m);
    auto got = Call("forward_propagation",
                    [&] { return graded::forward_propagation(X, p); });
    if (!got) return;
    const auto want = reference::forward_propagation(X, p);
    const std::string at = describe(d);
    EXPECT_TRUE(Near("forward_propagation", "cache.Z1" + at, got->cache.Z1,
                     want.cache.Z1));
    EXPECT_TRUE(Near("forward_propagation", "cache.A1" + at, got->cache.A1,
                     want.cache.A1));
    EXPECT_TRUE(Near("forward_propagation", "cache.Z2" + at, got->cache.Z2,
                     want.cache.Z2));
    EXPECT_TRUE(Near("forward_propagation", "cache.A2" + at, got->cache.A2,
                     want.cache.A2));
    EXPECT_TRUE(Near("forward_propagation", "A2" + at, got->A2, want.A2));
  }
}

// ----------------------------------------------------------- compute_cost
TEST(ComputeCost, CourseValues) {
  // compute_cost_test_case: seed 1, Y = randn(1, 3) > 0 = [[1, 0, 0]].
  RandomState rng(1);
  const Matrix Y = random_labels(rng, 1, 3);
  const Matrix A2 = matrix({{0.5002307, 0.49985831, 0.50023963}});
  auto got = Call("compute_cost", [&] { return graded::compute_cost(A2, Y); });
  if (!got) return;
  EXPECT_TRUE(Near("compute_cost", "cost", *got, 0.6930587610394646,
                   kCourseValues,
                   "J = -(1/m) Σ [Y log(A2) + (1 - Y) log(1 - A2)]"));
}

TEST(ComputeCost, CoursePublicTest) {
  // The public test: seed 1, Y = randn(1, 5) > 0, then a literal case.
  RandomState rng(1);
  const Matrix Y = random_labels(rng, 1, 5);
  const Matrix A2 = matrix({{0.5002307, 0.49985831, 0.50023963, 0.25, 0.7}});
  auto got = Call("compute_cost", [&] { return graded::compute_cost(A2, Y); });
  if (!got) return;
  EXPECT_TRUE(Near("compute_cost", "cost for m = 5", *got, 0.5447066599017815,
                   kCourseValues, "divide by m = Y.cols(), as a double"));
  const Matrix A3 = matrix({{0.7, 0.3, 0.8, 0.9, 0.9}});
  const Matrix Y3 = matrix({{1, 0, 1, 1, 1}});
  got = Call("compute_cost", [&] { return graded::compute_cost(A3, Y3); });
  if (!got) return;
  EXPECT_TRUE(Near("compute_cost", "cost for A = [[0.7, 0.3, 0.8, 0.9, 0.9]]",
                   *got, 0.22944289410146546, kCourseValues));
}

TEST(ComputeCost, MatchesReferenceOnShapes) {
  RandomState rng(14);
  for (const Dims& d : kDims) {
    const Matrix A2 =
        rng.rand(d.n_y, d.m) * 0.98 + Matrix::Constant(d.n_y, d.m, 0.01);
    const Matrix Y = random_labels(rng, d.n_y, d.m);
    auto got =
        Call("compute_cost", [&] { return graded::compute_cost(A2, Y); });
    if (!got) return;
    EXPECT_TRUE(Near("compute_cost", "cost for A2 " + dl::shape_string(A2),
                     *got, reference::compute_cost(A2, Y)));
  }
}

// --------------------------------------------------- backward_propagation
TEST(BackwardPropagation, CourseValues) {
  // backward_propagation_test_case: seed 1, X (2, 3), Y = randn(1, 3) > 0.
  RandomState rng(1);
  const Matrix X = rng.randn(2, 3);
  const Matrix Y = random_labels(rng, 1, 3);
  Parameters p;
  p.W1 = kCourseW1;
  p.b1 = Matrix::Zero(4, 1);
  p.W2 = kCourseW2;
  p.b2 = Matrix::Zero(1, 1);
  Cache cache;
  cache.A1 = matrix({{-0.00616578, 0.0020626, 0.00349619},
                     {-0.05225116, 0.02725659, -0.02646251},
                     {-0.02009721, 0.0036869, 0.02883756},
                     {0.02152675, -0.01385234, 0.02599885}});
  cache.A2 = matrix({{0.5002307, 0.49985831, 0.50023963}});
  cache.Z1 = matrix({{-0.00616586, 0.0020626, 0.0034962},
                     {-0.05229879, 0.02726335, -0.02646869},
                     {-0.02009991, 0.00368692, 0.02884556},
                     {0.02153007, -0.01385322, 0.02600471}});
  cache.Z2 = matrix({{0.00092281, -0.00056678, 0.00095853}});
  auto got = Call("backward_propagation",
                  [&] { return graded::backward_propagation(p, cache, X, Y); });
  if (!got) return;
  Grads want;
  want.dW1 = matrix({{0.00301023, -0.00747267},
                     {0.00257968, -0.00641288},
                     {-0.00156892, 0.003893},
                     {-0.00652037, 0.01618243}});
  want.db1 = matrix({{0.00176201}, {0.00150995}, {-0.00091736}, {-0.00381422}});
  want.dW2 = matrix({{0.00078841, 0.01765429, -0.00084166, -0.01022527}});
  want.db2 = matrix({{-0.16655712}});
  ExpectGradsNear("backward_propagation", "", *got, want, kCourseValues);
}

TEST(BackwardPropagation, CoursePublicTest) {
  // The public test: seed 1; X (3, 7), Y = randn(1, 7) > 0, W1 (9, 3),
  // W2 (1, 9), then the cache A1 (9, 7), A2 (1, 7), Z1 (9, 7), Z2 (1, 7),
  // all randn (the cache need not be a real forward pass).
  RandomState rng(1);
  const Matrix X = rng.randn(3, 7);
  const Matrix Y = random_labels(rng, 1, 7);
  Parameters p;
  p.W1 = rng.randn(9, 3);
  p.W2 = rng.randn(1, 9);
  p.b1 = Matrix::Zero(9, 1);
  p.b2 = Matrix::Zero(1, 1);
  Cache cache;
  cache.A1 = rng.randn(9, 7);
  cache.A2 = rng.randn(1, 7);
  cache.Z1 = rng.randn(9, 7);
  cache.Z2 = rng.randn(1, 7);
  auto got = Call("backward_propagation",
                  [&] { return graded::backward_propagation(p, cache, X, Y); });
  if (!got) return;
  Grads want;
  want.dW1 = matrix({{-0.24468458, -0.24371232, 0.15959609},
                     {0.7370069, -0.64785999, 0.23669823},
                     {0.47936123, -0.01516428, 0.01566728},
                     {0.03361075, -0.0930929, 0.05581073},
                     {0.52445178, -0.03895358, 0.09180612},
                     {-0.17043596, 0.13406378, -0.20952062},
                     {0.76144791, -0.41766018, 0.02544078},
                     {0.22164791, -0.33081645, 0.19526915},
                     {0.25619969, -0.09561825, 0.05679075}});
  want.db1 = matrix({{0.1463639},
                     {-0.33647992},
                     {-0.51738006},
                     {-0.07780329},
                     {-0.57889514},
                     {0.28357278},
                     {-0.39756864},
                     {-0.10510329},
                     {-0.13443244}});
  want.dW2 =
      matrix({{-0.35768529, 0.22046323, -0.29551566, -0.12202786, 0.18809552,
               0.13700323, 0.35892872, -0.02220353, -0.03976687}});
  want.db2 = matrix({{-0.78032466}});
  ExpectGradsNear("backward_propagation", " (public test)", *got, want,
                  kCourseValues,
                  ". This test's cache is random, not a real forward pass: "
                  "take tanh'(Z1) from the cache's A1, as 1 - A1²");
}

TEST(BackwardPropagation, MatchesReferenceOnShapes) {
  RandomState rng(15);
  for (const Dims& d : kDims) {
    const Parameters p = random_parameters(rng, d);
    const Matrix X = rng.randn(d.n_x, d.m);
    const Matrix Y = random_labels(rng, d.n_y, d.m);
    const Cache cache = reference::forward_propagation(X, p).cache;
    auto got = Call("backward_propagation", [&] {
      return graded::backward_propagation(p, cache, X, Y);
    });
    if (!got) return;
    ExpectGradsNear("backward_propagation", describe(d), *got,
                    reference::backward_propagation(p, cache, X, Y));
  }
}

// dW1, db1, dW2, db2 against centered finite differences of the cost
// J(W1, b1, W2, b2) = compute_cost(forward_propagation(X).A2, Y) (reference).
TEST(BackwardPropagation, GradientsMatchFiniteDifferences) {
  RandomState rng(16);
  for (const Dims& d : {Dims{3, 4, 1, 5}, Dims{2, 3, 2, 4}}) {
    Parameters p = random_parameters(rng, d);
    const Matrix X = rng.randn(d.n_x, d.m);
    const Matrix Y = random_labels(rng, d.n_y, d.m);
    const Cache cache = reference::forward_propagation(X, p).cache;
    auto got = Call("backward_propagation", [&] {
      return graded::backward_propagation(p, cache, X, Y);
    });
    if (!got) return;
    std::vector<dl::grading::GradientBlock> blocks = {{"dW1", &p.W1, got->dW1},
                                                      {"db1", &p.b1, got->db1},
                                                      {"dW2", &p.W2, got->dW2},
                                                      {"db2", &p.b2, got->db2}};
    const auto checks = dl::grading::CheckGradients(
        [&] {
          return reference::compute_cost(
              reference::forward_propagation(X, p).A2, Y);
        },
        blocks);
    EXPECT_TRUE(dl::grading::GradientsMatch("backward_propagation", checks))
        << "(network" << describe(d) << ")";
  }
}

// ------------------------------------------------------ update_parameters
TEST(UpdateParameters, CourseValues) {
  // update_parameters_test_case, learning rate 1.2.
  const Parameters p = course_trained_parameters();
  Grads g;
  g.dW1 = matrix({{0.00023322, -0.00205423},
                  {0.00082222, -0.00700776},
                  {-0.00031831, 0.0028636},
                  {-0.00092857, 0.00809933}});
  g.dW2 = matrix(
      {{-1.75740039e-05, 3.70231337e-03, -1.25683095e-03, -2.55715317e-03}});
  g.db1 = matrix({{1.05570087e-07},
                  {-3.81814487e-06},
                  {-1.90155145e-07},
                  {5.46467802e-07}});
  g.db2 = matrix({{-1.08923140e-05}});
  auto got = Call("update_parameters",
                  [&] { return graded::update_parameters(p, g, 1.2); });
  if (!got) return;
  Parameters want;
  want.W1 = matrix({{-0.00643025, 0.01936718},
                    {-0.02410458, 0.03978052},
                    {-0.01653973, -0.02096177},
                    {0.01046864, -0.05990141}});
  want.b1 = matrix({{-1.02420756e-06},
                    {1.27373948e-05},
                    {8.32996807e-07},
                    {-3.20136836e-06}});
  want.W2 = matrix({{-0.01041081, -0.04463285, 0.01758031, 0.04747113}});
  want.b2 = matrix({{0.00010457}});
  ExpectParametersNear("update_parameters", "", *got, want, kCourseValues,
                       "θ = θ - learning_rate * dθ (minus, and the learning "
                       "rate you are given)");
}

TEST(UpdateParameters, MatchesReferenceOnShapes) {
  RandomState rng(17);
  for (const Dims& d : kDims) {
    const Parameters p = random_parameters(rng, d);
    const Parameters q = random_parameters(rng, d);
    const Grads g{q.W1, q.b1, q.W2, q.b2};
    const double learning_rate = 0.05 + rng.random_sample();
    auto got = Call("update_parameters", [&] {
      return graded::update_parameters(p, g, learning_rate);
    });
    if (!got) return;
    ExpectParametersNear(
        "update_parameters",
        describe(d) + ", learning rate " + std::to_string(learning_rate), *got,
        reference::update_parameters(p, g, learning_rate));
  }
}

// -------------------------------------------------------------- nn_model
TEST(NnModel, CourseValues) {
  // nn_model_test: seed 1, X (2, 4), Y = randn(1, 4) > 0; n_h = 4, 10000
  // iterations, learning rate 1.2, initialization after np.random.seed(3).
  RandomState rng(1);
  const Matrix X = rng.randn(2, 4);
  const Matrix Y = random_labels(rng, 1, 4);
  auto got =
      Call("nn_model", [&] { return graded::nn_model(X, Y, 4, 10000, false); });
  if (!got) return;
  Parameters want;
  want.W1 = matrix({{0.71392202, 1.31281102},
                    {-0.76411243, -1.41967065},
                    {-0.75040545, -1.38857337},
                    {0.56495575, 1.04857776}});
  want.b1 = matrix({{-0.0073536}, {0.01534663}, {0.01262938}, {0.00218135}});
  want.W2 = matrix({{2.82545815, -3.3063945, -3.16116615, 1.8549574}});
  want.b2 = matrix({{0.00393452}});
  ExpectParametersNear(
      "nn_model", " after 10000 iterations", got->parameters, want,
      kCourseValues,
      "initialize with a dl::RandomState rng(3) (the course's "
      "np.random.seed(3)); then forward, cost, backward, update with "
      "learning rate 1.2, num_iterations times");
  const auto reference_run = reference::nn_model(X, Y, 4, 10000, false);
  ASSERT_EQ(got->costs.size(), reference_run.costs.size())
      << "nn_model: 10000 iterations record 10 costs (iterations 0, 1000, "
         "..., 9000), got "
      << got->costs.size();
  for (size_t i = 0; i < reference_run.costs.size(); ++i) {
    EXPECT_TRUE(Near("nn_model", "costs[" + std::to_string(i) + "]",
                     got->costs[i], reference_run.costs[i],
                     dl::grading::kReference,
                     "record the cost computed in iteration i, before the "
                     "update, when i % 1000 == 0"));
  }
}

TEST(NnModel, MatchesReferenceOnShapes) {
  RandomState rng(18);
  for (const Dims& d : kModelDims) {
    const Matrix X = rng.randn(d.n_x, d.m);
    const Matrix Y = teacher_labels(rng, X, d.n_y);
    for (int iterations : {1, 1000}) {
      auto got = Call("nn_model", [&] {
        return graded::nn_model(X, Y, d.n_h, iterations, false);
      });
      if (!got) return;
      const auto want = reference::nn_model(X, Y, d.n_h, iterations, false);
      const std::string at =
          describe(d) + ", " + std::to_string(iterations) + " iteration(s)";
      ExpectParametersNear("nn_model", at, got->parameters, want.parameters);
      ASSERT_EQ(got->costs.size(), want.costs.size())
          << "nn_model" << at << ": expected " << want.costs.size()
          << " recorded cost(s) (one when i % 1000 == 0), got "
          << got->costs.size();
      for (size_t i = 0; i < want.costs.size(); ++i) {
        EXPECT_TRUE(Near("nn_model", "costs[" + std::to_string(i) + "]" + at,
                         got->costs[i], want.costs[i]));
      }
    }
  }
}

TEST(NnModel, PrintsCostEveryThousandIterations) {
  RandomState rng(1);
  const Matrix X = rng.randn(2, 4);
  const Matrix Y = random_labels(rng, 1, 4);
  testing::internal::CaptureStdout();
  auto got =
      Call("nn_model", [&] { return graded::nn_model(X, Y, 4, 1000, true); });
  const std::string printed = testing::internal::GetCapturedStdout();
  if (!got) return;
  char want[64];
  std::snprintf(want, sizeof want, "Cost after iteration 0: %f\n",
                reference::nn_model(X, Y, 4, 1, false).costs.at(0));
  EXPECT_EQ(printed, want)
      << "nn_model(..., num_iterations = 1000, print_cost = true) should "
         "print exactly one line, like the course: printf(\"Cost after "
         "iteration %d: %f\\n\", i, cost)";
}

// --------------------------------------------------------------- predict
TEST(Predict, CourseValues) {
  // predict_test_case: seed 1, X (2, 3), the trained parameters above.
  RandomState rng(1);
  const Matrix X = rng.randn(2, 3);
  const Parameters p = course_trained_parameters();
  auto got = Call("predict", [&] { return graded::predict(p, X); });
  if (!got) return;
  EXPECT_TRUE(Near("predict", "predictions", *got, matrix({{1, 0, 1}}),
                   kCourseValues,
                   "1 where A2 > 0.5 (A2 from forward_propagation), else 0"));
}

TEST(Predict, ExactlyOneHalfIsZero) {
  // All-zero parameters give A2 = σ(0) = 0.5, which is not > 0.5.
  Parameters p;
  p.W1 = Matrix::Zero(3, 2);
  p.b1 = Matrix::Zero(3, 1);
  p.W2 = Matrix::Zero(1, 3);
  p.b2 = Matrix::Zero(1, 1);
  const Matrix X = matrix({{1, -2, 3, 0}, {0.5, 1, -1, 2}});
  auto got = Call("predict", [&] { return graded::predict(p, X); });
  if (!got) return;
  EXPECT_TRUE(Near("predict", "predictions when A2 = 0.5", *got,
                   Matrix::Zero(1, 4), kCourseValues, "use A2 > 0.5, not >="));
}

TEST(Predict, MatchesReferenceOnShapes) {
  RandomState rng(19);
  for (const Dims& d : kDims) {
    const Parameters p = random_parameters(rng, d);
    const Matrix X = rng.randn(d.n_x, d.m);
    auto got = Call("predict", [&] { return graded::predict(p, X); });
    if (!got) return;
    EXPECT_TRUE(Near("predict", "predictions" + describe(d), *got,
                     reference::predict(p, X)));
  }
}

}  // namespace
