#include "common/nn/activations.h"

#include "common/core/random.h"
#include "gtest/gtest.h"

namespace dl {
namespace {

// Each backward against centered differences of sum(f(Z) ⊙ dA).
TEST(Activations, BackwardMatchesFiniteDifferences) {
  RandomState rng(1);
  Matrix Z = rng.randn(3, 4);
  Z = (Z.array().abs() < 0.05).select(0.5, Z);  // away from relu's kink
  const Matrix dA = rng.randn(3, 4);
  struct Case {
    const char* name;
    Matrix (*forward)(const Matrix&);
    Matrix (*backward)(const Matrix&, const Matrix&);
  };
  for (const Case& c :
       {Case{"sigmoid", sigmoid, sigmoid_backward},
        Case{"relu", relu, relu_backward}, Case{"tanh", tanh, tanh_backward}}) {
    const Matrix analytic = c.backward(dA, Z);
    const double eps = 1e-6;
    for (Eigen::Index i = 0; i < Z.size(); ++i) {
      Matrix plus = Z, minus = Z;
      plus.data()[i] += eps;
      minus.data()[i] -= eps;
      const double numeric =
          ((c.forward(plus) - c.forward(minus)).cwiseProduct(dA)).sum() /
          (2 * eps);
      EXPECT_NEAR(analytic.data()[i], numeric, 1e-7) << c.name << " at " << i;
    }
  }
}

TEST(Activations, Values) {
  const Matrix z = matrix({{-1, 0, 2}});
  EXPECT_TRUE(allclose(sigmoid(z), matrix({{0.26894142, 0.5, 0.88079708}})));
  EXPECT_TRUE(allclose(relu(z), matrix({{0, 0, 2}})));
  EXPECT_TRUE(allclose(relu_backward(matrix({{5, 5, 5}}), z),
                       matrix({{0, 0, 5}})));  // 0 where Z <= 0, as the course
}

}  // namespace
}  // namespace dl
