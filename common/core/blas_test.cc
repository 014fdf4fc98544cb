// File: common/core/blas_test.cc

#include "common/core/blas.h"

#include <cstring>
#include <string>

#include "common/core/eigen.h"
#include "gtest/gtest.h"

namespace dl {
namespace {

template <typename T>
using M = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
template <typename T>
using RowM = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// The product by three nested loops, in double.
template <typename A, typename B>
Eigen::MatrixXd Naive(const A& a, const B& b) {
  Eigen::MatrixXd c = Eigen::MatrixXd::Zero(a.rows(), b.cols());
  for (Eigen::Index i = 0; i < a.rows(); ++i) {
    for (Eigen::Index j = 0; j < b.cols(); ++j) {
      for (Eigen::Index k = 0; k < a.cols(); ++k) {
        c(i, j) += double(a(i, k)) * double(b(k, j));
      }
    }
  }
  return c;
}

template <typename T>
bool SameBits(const M<T>& a, const M<T>& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::memcmp(a.data(), b.data(), sizeof(T) * a.size()) == 0;
}

struct Case {
  int m, k, n;
};
// Small (one piece), split by rows (m >= 32) and by columns (m < 32).
const Case kCases[] = {{7, 5, 3}, {300, 200, 180}, {20, 12288, 60}};

template <typename T>
void ProductsAreRightAndTheSameOnOneOrTwoThreads(double tolerance) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(std::to_string(c.m) + "x" + std::to_string(c.k) + "x" +
                 std::to_string(c.n));
    srand(1);
    const M<T> A = M<T>::Random(c.m, c.k), B = M<T>::Random(c.k, c.n);
    const M<T> At = A.transpose(), Bt = B.transpose();
    const RowM<T> A_rows = A;  // row-major: BLAS sees it transposed
    const Eigen::MatrixXd want = Naive(A, B);
    const double scale = std::sqrt(double(c.k));
    M<T> result[2][4];
    for (int threads : {1, 2}) {
      SetMatrixProductThreads(threads);
      ASSERT_EQ(MatrixProductThreads(), threads);
      M<T>* r = result[threads - 1];
      r[0].noalias() = A * B;
      r[1].noalias() = At.transpose() * B;
      r[2].noalias() = A * Bt.transpose();
      r[3] = M<T>::Ones(c.m, c.n);
      r[3].noalias() -= T(2) * A_rows * B;  // alpha = -2, beta = 1
      for (int v = 0; v < 3; ++v) {
        EXPECT_LT((r[v].template cast<double>() - want).cwiseAbs().maxCoeff(),
                  tolerance * scale)
            << "variant " << v;
      }
      const Eigen::MatrixXd want3 = Eigen::MatrixXd::Ones(c.m, c.n) - 2 * want;
      EXPECT_LT((r[3].template cast<double>() - want3).cwiseAbs().maxCoeff(),
                2 * tolerance * scale);
    }
    for (int v = 0; v < 4; ++v) {
      EXPECT_TRUE(SameBits<T>(result[0][v], result[1][v]))
          << "variant " << v << ": 1 and 2 threads give different bits";
    }
  }
  SetMatrixProductThreads(2);
}

TEST(Blas, DoubleProducts) {
  ProductsAreRightAndTheSameOnOneOrTwoThreads<double>(1e-12);
}

TEST(Blas, FloatProducts) {
  ProductsAreRightAndTheSameOnOneOrTwoThreads<float>(1e-4);
}

TEST(Blas, ThreadsAreOneOrTwo) {
  SetMatrixProductThreads(0);
  EXPECT_EQ(MatrixProductThreads(), 1);
  SetMatrixProductThreads(8);
  EXPECT_EQ(MatrixProductThreads(), 2);
  EXPECT_NE(BlasDescription().find("OpenBLAS"), std::string::npos)
      << BlasDescription();
  EXPECT_NE(BlasDescription().find("2 threads"), std::string::npos);
}

}  // namespace
}  // namespace dl
