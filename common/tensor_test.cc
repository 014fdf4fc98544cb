#include "common/tensor.h"

#include <cmath>
#include <stdexcept>

#include "gtest/gtest.h"

namespace dl {
namespace {

TEST(Tensor, MatrixFromRows) {
  const Matrix x = matrix({{1, 2, 3}, {4, 5, 6}});
  EXPECT_EQ(x.rows(), 2);
  EXPECT_EQ(x.cols(), 3);
  EXPECT_EQ(x(1, 0), 4);
  EXPECT_THROW(matrix({{1, 2}, {3}}), std::invalid_argument);
}

TEST(Tensor, ShapeStrings) {
  EXPECT_EQ(shape_string(Matrix(2, 3)), "(2, 3)");
  EXPECT_EQ(shape_string(Tensor4(10, 4, 4, 3)), "(10, 4, 4, 3)");
  EXPECT_EQ(shape_string(std::vector<int64_t>{7}), "(7,)");
  EXPECT_EQ(index_string({2, 3}, 4, /*row_major=*/true), "(1, 1)");
  EXPECT_EQ(index_string({2, 3}, 4, /*row_major=*/false), "(0, 2)");
}

TEST(Tensor, AllcloseFollowsNumpy) {
  const Matrix a = matrix({{1.0, 100.0}});
  EXPECT_TRUE(allclose(a, matrix({{1.0 + 1e-8, 100.0 + 9e-4}})));
  EXPECT_FALSE(allclose(a, matrix({{1.0, 100.0 + 2e-3}})));
  EXPECT_FALSE(allclose(a, Matrix(2, 1)));
  EXPECT_FALSE(allclose(matrix({{NAN}}), matrix({{1.0}})));
}

TEST(Tensor, CompareFindsWorstEntry) {
  const double got[] = {1, 2, 30, NAN};
  const double want[] = {1, 2.5, 3, 4};
  const Difference d = compare_flat(got, want, 4, 1e-8, 1e-5);
  EXPECT_EQ(d.off, 3);
  EXPECT_EQ(d.nonfinite, 1);
  EXPECT_EQ(d.worst, 3);  // NaN is the worst
}

TEST(Tensor, EigenChecksThrowInsteadOfAborting) {
  const Matrix a(2, 3), b(2, 3);
  try {
    Matrix c = a * b;
    FAIL() << "expected an exception";
  } catch (const EigenAssertionError& e) {
    EXPECT_NE(std::string(e.what()).find("matrix product"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(Matrix(a + Matrix(3, 2)), EigenAssertionError);
  EXPECT_THROW(a(5, 0), EigenAssertionError);
}

}  // namespace
}  // namespace dl
