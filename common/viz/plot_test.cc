#include "common/viz/plot.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "common/data/image.h"
#include "gtest/gtest.h"

namespace dl {
namespace {

std::string tmp(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/" + name;
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Plot, CostCurveIsAnSvgWithOnePolyline) {
  const std::string path = tmp("cost.svg");
  ASSERT_TRUE(
      WriteCostPlotSvg(path, "Cost", {0.69, 0.5, 0.3, NAN, 0.2}, 100).ok());
  const std::string svg = read(path);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("<polyline"), std::string::npos);
  EXPECT_EQ(svg.find("nan"), std::string::npos);  // NaN points are skipped
}

TEST(Plot, MismatchedSeriesIsAnError) {
  LinePlot plot{"t", "x", "y", {{"bad", {1, 2}, {1}}}};
  EXPECT_FALSE(WriteLinePlotSvg(tmp("bad.svg"), plot).ok());
}

TEST(Plot, UnwritablePathIsAnError) {
  EXPECT_FALSE(WriteCostPlotSvg("/proc/no/such/dir/c.svg", "t", {1}, 1).ok());
}

TEST(Plot, DecisionBoundaryPng) {
  const Matrix X = matrix({{-1, 1, -1, 1}, {-1, -1, 1, 1}});
  const Matrix Y = matrix({{0, 1, 0, 1}});
  const std::string path = tmp("boundary.png");
  ASSERT_TRUE(WriteDecisionBoundaryPng(
                  path, X, Y,
                  [](const Matrix& P) {
                    return Matrix((P.row(0).array() > 0).cast<double>());
                  },
                  64)
                  .ok());
  absl::StatusOr<Image> img = LoadImage(path);
  ASSERT_TRUE(img.ok()) << img.status();
  EXPECT_EQ(img->width, 64);
  // Left half light red (class 0), right half light blue (class 1).
  const uint8_t* left = &img->pixels[(32 * 64 + 2) * 3];
  const uint8_t* right = &img->pixels[(32 * 64 + 61) * 3];
  EXPECT_GT(left[0], left[2]);
  EXPECT_GT(right[2], right[0]);
}

TEST(Plot, DecisionBoundaryChecksShapes) {
  const auto predict = [](const Matrix& P) {
    return Matrix::Zero(1, P.cols());
  };
  EXPECT_FALSE(WriteDecisionBoundaryPng(tmp("b.png"), Matrix::Zero(3, 4),
                                        Matrix::Zero(1, 4), predict)
                   .ok());
  const auto wrong = [](const Matrix& P) { return Matrix::Zero(2, P.cols()); };
  EXPECT_FALSE(WriteDecisionBoundaryPng(tmp("b.png"), Matrix::Zero(2, 4),
                                        Matrix::Zero(1, 4), wrong)
                   .ok());
}

}  // namespace
}  // namespace dl
