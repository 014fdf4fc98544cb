// Checks the given helpers of course1_nn/shallow_nn (not graded): the flower
// data set must be the course's, point for point.

#include "course1_nn/shallow_nn/planar_utils.h"

#include <cmath>

#include "common/core/random.h"
#include "gtest/gtest.h"

namespace shallow_nn {
namespace {

TEST(LoadPlanarDataset, ShapesAndLabels) {
  const PlanarData data = load_planar_dataset();
  ASSERT_EQ(data.X.rows(), 2);
  ASSERT_EQ(data.X.cols(), 400);
  ASSERT_EQ(data.Y.rows(), 1);
  ASSERT_EQ(data.Y.cols(), 400);
  // The first 200 points are red (0), the next 200 blue (1).
  EXPECT_EQ(data.Y.leftCols(200).sum(), 0);
  EXPECT_EQ(data.Y.rightCols(200).sum(), 200);
  EXPECT_LE(data.X.cwiseAbs().maxCoeff(), 5.0);  // a = 4, plus noise
}

TEST(LoadPlanarDataset, FirstPointFollowsTheDrawOrder) {
  // Point 0: t = 0 + 0.2 randn_0, r = 4 sin(4t) + 0.2 randn_200 (seed 1:
  // the 200 angle draws come first, then the 200 radius draws).
  dl::RandomState rng(1);
  const dl::Matrix noise = rng.randn(1, 400);
  const double t = 0.2 * noise(0, 0);
  const double r = 4 * std::sin(4 * t) + 0.2 * noise(0, 200);
  const PlanarData data = load_planar_dataset();
  EXPECT_DOUBLE_EQ(data.X(0, 0), r * std::sin(t));
  EXPECT_DOUBLE_EQ(data.X(1, 0), r * std::cos(t));
}

TEST(LoadPlanarDataset, PointsAreNumpys) {
  // X[:, i] as numpy prints them (repr) for the course's
  // load_planar_dataset(), from a public export of the data set.
  struct Point {
    int i;
    double x1, x2;
  };
  const Point points[] = {{0, 1.204442292254319, 3.5761141481288448},
                          {1, 0.15870990398255372, -1.4821709003683443},
                          {199, -0.5858464101358456, -3.091259938950624},
                          {200, -1.0704958072229525, 3.682524609580073},
                          {398, 0.3243868928570292, -2.116324663250665},
                          {399, 0.7307808250007513, 3.0683292081876545}};
  const PlanarData data = load_planar_dataset();
  for (const Point& p : points) {
    EXPECT_NEAR(data.X(0, p.i), p.x1, 1e-12) << "X[0, " << p.i << "]";
    EXPECT_NEAR(data.X(1, p.i), p.x2, 1e-12) << "X[1, " << p.i << "]";
  }
}

TEST(LoadPlanarDataset, LastPointUsesTheEndOfTheLinspace) {
  // Point 399: class 1, t = 6.24 (linspace's last value is `stop` exactly)
  // + 0.2 randn, from the second pair of 200-draw blocks.
  dl::RandomState rng(1);
  const dl::Matrix noise = rng.randn(1, 800);
  const double t = 2 * 3.12 + 0.2 * noise(0, 599);
  const double r = 4 * std::sin(4 * t) + 0.2 * noise(0, 799);
  const PlanarData data = load_planar_dataset();
  EXPECT_DOUBLE_EQ(data.X(0, 399), r * std::sin(t));
  EXPECT_DOUBLE_EQ(data.X(1, 399), r * std::cos(t));
}

TEST(Accuracy, CountsMatchesInPercent) {
  const dl::Matrix Y = dl::matrix({{1, 0, 1, 0}});
  EXPECT_DOUBLE_EQ(accuracy(dl::matrix({{1, 0, 1, 0}}), Y), 100.0);
  EXPECT_DOUBLE_EQ(accuracy(dl::matrix({{1, 1, 1, 0}}), Y), 75.0);
  EXPECT_DOUBLE_EQ(accuracy(dl::matrix({{0, 1, 0, 1}}), Y), 0.0);
}

}  // namespace
}  // namespace shallow_nn
