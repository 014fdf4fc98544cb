#include "common/core/random.h"

#include <vector>

#include "gtest/gtest.h"

namespace dl {
namespace {

// Values printed by numpy 1.24 (np.random.seed(s); ...).
TEST(RandomState, RandnMatchesNumpySeed1) {
  RandomState rng(1);
  const std::vector<double> want = {1.62434536,  -0.61175641, -0.52817175,
                                    -1.07296862, 0.86540763,  -2.3015387};
  for (double w : want) EXPECT_NEAR(rng.standard_normal(), w, 1e-8);
}

TEST(RandomState, RandMatchesNumpySeed1) {
  RandomState rng(1);
  EXPECT_NEAR(rng.random_sample(), 0.417022005, 1e-9);
  EXPECT_NEAR(rng.random_sample(), 0.720324493, 1e-9);
  EXPECT_NEAR(rng.random_sample(), 0.000114374817, 1e-12);
}

TEST(RandomState, PermutationMatchesNumpySeed0) {
  RandomState rng(0);
  const std::vector<int64_t> want = {2, 8, 4, 9, 1, 6, 7, 3, 0, 5};
  EXPECT_EQ(rng.permutation(10), want);
}

TEST(RandomState, RandnMatrixIsFilledRowMajorSeed3) {
  RandomState rng(3);
  const Matrix x = rng.randn(2, 3);
  EXPECT_NEAR(x(0, 0), 1.78862847, 1e-8);
  EXPECT_NEAR(x(0, 1), 0.43650985, 1e-8);
  EXPECT_NEAR(x(0, 2), 0.09649747, 1e-8);
  EXPECT_NEAR(x(1, 0), -1.8634927, 1e-7);
}

TEST(RandomState, SeedForgetsTheCachedNormal) {
  RandomState rng(1);
  rng.standard_normal();  // leaves a second value cached
  rng.seed(1);
  EXPECT_NEAR(rng.standard_normal(), 1.62434536, 1e-8);
}

// The course's own fixture: np.random.seed(1); W1 = randn(2, 3) * ...; the
// C1W4 initialize_parameters(3, 2, 1) values (seed 1, randn * 0.01).
TEST(RandomState, CourseInitializeParametersValues) {
  RandomState rng(1);
  const Matrix W1 = rng.randn(2, 3) * 0.01;
  const Matrix W2 = rng.randn(1, 2) * 0.01;
  EXPECT_NEAR(W1(0, 0), 0.01624345, 1e-8);
  EXPECT_NEAR(W1(1, 2), -0.02301539, 1e-8);
  EXPECT_NEAR(W2(0, 0), 0.01744812, 1e-8);
  EXPECT_NEAR(W2(0, 1), -0.00761207, 1e-8);
}

// C2W2 random_mini_batches: np.random.seed(0); permutation(148) starts 24,
// 7, 37.
TEST(RandomState, PermutationOf148Seed0) {
  RandomState rng(0);
  const std::vector<int64_t> p = rng.permutation(148);
  EXPECT_EQ(p[0], 24);
  EXPECT_EQ(p[1], 7);
  EXPECT_EQ(p[2], 37);
}

TEST(RandomState, RandintStaysInRangeAndCoversIt) {
  RandomState rng(5);
  std::vector<int> seen(7, 0);
  for (int i = 0; i < 700; ++i) {
    const int64_t v = rng.randint(-3, 4);
    ASSERT_GE(v, -3);
    ASSERT_LT(v, 4);
    ++seen[v + 3];
  }
  for (int count : seen) EXPECT_GT(count, 50);
  EXPECT_THROW(rng.randint(2, 2), std::invalid_argument);
}

TEST(RandomState, ChoiceFollowsProbabilities) {
  RandomState rng(2);
  std::vector<int> seen(3, 0);
  for (int i = 0; i < 10000; ++i) ++seen[rng.choice({0.2, 0.0, 0.8})];
  EXPECT_EQ(seen[1], 0);
  EXPECT_NEAR(seen[0] / 10000.0, 0.2, 0.02);
}

TEST(RandomState, ChoiceIsSearchsortedOfOneSample) {
  // choice(p) draws exactly one random_sample and returns the first index
  // whose cumulative probability exceeds it.
  RandomState a(1), b(1);
  const double u = a.random_sample();  // 0.417022005
  EXPECT_EQ(b.choice({0.25, 0.25, 0.5}), u < 0.25 ? 0 : (u < 0.5 ? 1 : 2));
}

TEST(RandomState, TensorFillsInNumpyOrder) {
  RandomState a(1), b(1);
  const Tensor<3> t = a.randn_tensor<3>({2, 3, 4});
  const Matrix m = b.randn(1, 24);
  EXPECT_EQ(t(0, 0, 1), m(0, 1));
  EXPECT_EQ(t(1, 2, 3), m(0, 23));
}

}  // namespace
}  // namespace dl
