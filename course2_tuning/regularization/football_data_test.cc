// Tests of the generated football data: shapes, determinism, both classes,
// positions on the field, and some overlap (labels that a clean boundary
// would get wrong).

#include "course2_tuning/regularization/football_data.h"

#include <cmath>

#include "gtest/gtest.h"

namespace regularization {
namespace {

TEST(LoadFootballDataset, ShapesAndLabels) {
  const FootballData d = load_football_dataset();
  EXPECT_EQ(d.train_X.rows(), 2);
  EXPECT_EQ(d.train_X.cols(), 211);
  EXPECT_EQ(d.train_Y.rows(), 1);
  EXPECT_EQ(d.train_Y.cols(), 211);
  EXPECT_EQ(d.test_X.rows(), 2);
  EXPECT_EQ(d.test_X.cols(), 200);
  EXPECT_EQ(d.test_Y.cols(), 200);
  for (const dl::Matrix* Y : {&d.train_Y, &d.test_Y}) {
    for (Eigen::Index i = 0; i < Y->size(); ++i) {
      EXPECT_TRUE((*Y)(0, i) == 0 || (*Y)(0, i) == 1);
    }
    EXPECT_GT(Y->mean(), 0.2);  // both classes, neither tiny
    EXPECT_LT(Y->mean(), 0.8);
  }
  EXPECT_LE(d.train_X.cwiseAbs().maxCoeff(), 0.75);
  EXPECT_LE(d.test_X.cwiseAbs().maxCoeff(), 0.75);
}

TEST(LoadFootballDataset, Deterministic) {
  const FootballData a = load_football_dataset();
  const FootballData b = load_football_dataset();
  EXPECT_EQ(a.train_X, b.train_X);
  EXPECT_EQ(a.train_Y, b.train_Y);
  EXPECT_EQ(a.test_X, b.test_X);
  EXPECT_EQ(a.test_Y, b.test_Y);
}

// The noiseless boundary gets between 2 % and 20 % of the points wrong: the
// classes overlap (and there are outliers), but not too much.
TEST(LoadFootballDataset, OverlapAndOutliers) {
  const FootballData d = load_football_dataset();
  int wrong = 0;
  for (Eigen::Index i = 0; i < d.train_X.cols(); ++i) {
    const double x1 = d.train_X(0, i), x2 = d.train_X(1, i);
    const double clean = x2 > 0.2 * std::sin(2.5 * x1 + 0.5) + 0.05 ? 1 : 0;
    wrong += clean != d.train_Y(0, i);
  }
  EXPECT_GT(wrong, 211 * 0.02);
  EXPECT_LT(wrong, 211 * 0.20);
}

}  // namespace
}  // namespace regularization
