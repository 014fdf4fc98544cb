#include "common/core/tensor.h"

#include <cmath>
#include <limits>
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

TEST(Tensor, ReprPrintsLikePython) {
  // Each expected string is what Python's repr() prints for the same double.
  EXPECT_EQ(dl::repr(0.83), "0.83");
  EXPECT_EQ(dl::repr(0.9433333333333334), "0.9433333333333334");
  EXPECT_EQ(dl::repr(1.0), "1.0");
  EXPECT_EQ(dl::repr(-2.5), "-2.5");
  EXPECT_EQ(dl::repr(0.0), "0.0");
  EXPECT_EQ(dl::repr(150.0), "150.0");
  EXPECT_EQ(dl::repr(1.1890913024229996e-07), "1.1890913024229996e-07");
  EXPECT_EQ(dl::repr(0.0001), "0.0001");
  EXPECT_EQ(dl::repr(0.00001), "1e-05");
  EXPECT_EQ(dl::repr(1e16), "1e+16");
  EXPECT_EQ(dl::repr(123456789012345.6), "123456789012345.6");
  EXPECT_EQ(dl::repr(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(dl::repr(std::nan("")), "nan");
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
