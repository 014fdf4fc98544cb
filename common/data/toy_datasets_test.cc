#include "common/data/toy_datasets.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "common/core/random.h"
#include "gtest/gtest.h"

namespace dl {
namespace {

int Count(const Matrix& Y, double label) {
  return static_cast<int>((Y.array() == label).count());
}

TEST(MakeCircles, ShapesAndClassCounts) {
  RandomState rng(1);
  const ToyData train = make_circles(300, 0.05, rng);
  EXPECT_EQ(train.X.rows(), 2);
  EXPECT_EQ(train.X.cols(), 300);
  EXPECT_EQ(train.Y.rows(), 1);
  EXPECT_EQ(train.Y.cols(), 300);
  EXPECT_EQ(Count(train.Y, 0), 150);
  EXPECT_EQ(Count(train.Y, 1), 150);
  RandomState odd(2);
  const ToyData d = make_circles(101, 0.05, odd);
  EXPECT_EQ(Count(d.Y, 0), 50);  // n_out = n // 2
  EXPECT_EQ(Count(d.Y, 1), 51);
}

TEST(MakeMoons, ShapesAndClassCounts) {
  RandomState rng(3);
  const ToyData d = make_moons(300, 0.2, rng);
  EXPECT_EQ(d.X.rows(), 2);
  EXPECT_EQ(d.X.cols(), 300);
  EXPECT_EQ(d.Y.rows(), 1);
  EXPECT_EQ(d.Y.cols(), 300);
  EXPECT_EQ(Count(d.Y, 0), 150);
  EXPECT_EQ(Count(d.Y, 1), 150);
  RandomState odd(3);
  const ToyData o = make_moons(7, 0.2, odd);
  EXPECT_EQ(Count(o.Y, 0), 3);
  EXPECT_EQ(Count(o.Y, 1), 4);
}

TEST(MakeCircles, SameSeedSameData) {
  RandomState a(1), b(1), c(2);
  const ToyData x = make_circles(300, 0.05, a);
  const ToyData y = make_circles(300, 0.05, b);
  const ToyData z = make_circles(300, 0.05, c);
  EXPECT_EQ(x.X, y.X);
  EXPECT_EQ(x.Y, y.Y);
  EXPECT_NE(x.X, z.X);
}

TEST(MakeMoons, SameSeedSameData) {
  RandomState a(3), b(3);
  const ToyData x = make_moons(300, 0.2, a);
  const ToyData y = make_moons(300, 0.2, b);
  EXPECT_EQ(x.X, y.X);
  EXPECT_EQ(x.Y, y.Y);
}

TEST(MakeCircles, NoiseFreeGeometry) {
  RandomState rng(1);
  const ToyData d = make_circles(300, 0.0, rng, 0.8);
  std::vector<double> angles[2];
  for (int i = 0; i < d.X.cols(); ++i) {
    const double r = std::hypot(d.X(0, i), d.X(1, i));
    EXPECT_NEAR(r, d.Y(0, i) == 0 ? 1.0 : 0.8, 1e-12) << "point " << i;
    double a = std::atan2(d.X(1, i), d.X(0, i));
    if (a < -1e-9) a += 2 * M_PI;
    angles[static_cast<int>(d.Y(0, i))].push_back(a);
  }
  // Each circle: 150 angles k * 2π / 150, k = 0..149 (endpoint excluded).
  for (auto& a : angles) {
    ASSERT_EQ(a.size(), 150u);
    std::sort(a.begin(), a.end());
    for (size_t k = 0; k < a.size(); ++k) {
      EXPECT_NEAR(a[k], k * 2 * M_PI / 150, 1e-9);
    }
  }
}

TEST(MakeMoons, NoiseFreeGeometry) {
  RandomState rng(3);
  const ToyData d = make_moons(300, 0.0, rng);
  bool upper_has_left_end = false, lower_has_right_end = false;
  for (int i = 0; i < d.X.cols(); ++i) {
    const double x = d.X(0, i), y = d.X(1, i);
    if (d.Y(0, i) == 0) {  // (cos t, sin t), t in [0, π]
      EXPECT_NEAR(std::hypot(x, y), 1.0, 1e-12);
      EXPECT_GE(y, -1e-12);
      if (std::abs(x + 1) < 1e-12) upper_has_left_end = true;
    } else {  // (1 - cos t, 0.5 - sin t): centre (1, 0.5), below it
      EXPECT_NEAR(std::hypot(x - 1, y - 0.5), 1.0, 1e-12);
      EXPECT_LE(y, 0.5 + 1e-12);
      if (std::abs(x - 2) < 1e-12) lower_has_right_end = true;
    }
  }
  EXPECT_TRUE(upper_has_left_end);  // linspace includes the endpoint π
  EXPECT_TRUE(lower_has_right_end);
}

// The noise comes after the shuffle, from the same stream, filled row by row
// over sklearn's (n, 2): point 0's x, point 0's y, point 1's x, ...
TEST(MakeMoons, NoiseDrawnAfterShuffleRowMajor) {
  RandomState clean_rng(5), noisy_rng(5), draws(5);
  const ToyData clean = make_moons(40, 0.0, clean_rng);
  const ToyData noisy = make_moons(40, 0.3, noisy_rng);
  std::vector<int64_t> indices(40);
  for (int i = 0; i < 40; ++i) indices[i] = i;
  draws.shuffle(indices);
  const Matrix normal = draws.randn(40, 2);  // (n, 2), row-major like numpy
  for (int i = 0; i < 40; ++i) {
    EXPECT_DOUBLE_EQ(noisy.X(0, i), clean.X(0, i) + normal(i, 0) * 0.3);
    EXPECT_DOUBLE_EQ(noisy.X(1, i), clean.X(1, i) + normal(i, 1) * 0.3);
  }
  EXPECT_EQ(noisy.Y, clean.Y);
}

TEST(MakeCircles, RejectsBadArguments) {
  RandomState rng(0);
  EXPECT_THROW(make_circles(0, 0.1, rng), std::invalid_argument);
  EXPECT_THROW(make_circles(10, -1, rng), std::invalid_argument);
  EXPECT_THROW(make_circles(10, 0.1, rng, 1.5), std::invalid_argument);
  EXPECT_THROW(make_moons(0, 0.1, rng), std::invalid_argument);
}

}  // namespace
}  // namespace dl
