// File: common/core/blas_test.cc

#include "common/core/blas.h"

#include <cstring>
#include <string>

#include "common/core/eigen.h"
#include "gtest/gtest.h"

extern "C" int dgemm_(const char* transa, const char* transb, const int* m,
                      const int* n, const int* k, const double* alpha,
                      const double* a, const int* lda, const double* b,
                      const int* ldb, const double* beta, double* c,
                      const int* ldc);  // OpenBLAS's own, not through Eigen

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
// Small (one piece), split by rows (m >= 32) and by columns (m < 32), and
// in double, A * Bt.transpose() computed as its transpose (m < 32, a
// transposed B of 16 MB or more), but not when n < 32 (its transpose would
// be transposed back, and so on).
const Case kCases[] = {{7, 5, 3},
                       {300, 200, 180},
                       {20, 12288, 60},
                       {20, 209, 12288},
                       {16, 150000, 16}};

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

// A product computed as its transpose (dW = dZ Xᵀ with X 12288 x 209) gives
// the bits of OpenBLAS's product computed directly, on 1 and 2 threads,
// into zeros (as Eigen's `=` calls it) and with alpha = -2 into ones.
TEST(Blas, ProductComputedAsItsTransposeHasTheDirectBits) {
  for (const int m : {2, 7, 20}) {  // one row would be a gemv
    SCOPED_TRACE("m = " + std::to_string(m));
    const int n = 12288, k = 209;
    srand(2);
    const Eigen::MatrixXd dZ = Eigen::MatrixXd::Random(m, k);
    const Eigen::MatrixXd X = Eigen::MatrixXd::Random(n, k);
    Eigen::MatrixXd direct = Eigen::MatrixXd::Zero(m, n);
    Eigen::MatrixXd direct_minus = Eigen::MatrixXd::Ones(m, n);
    const double one = 1, minus_two = -2;
    dgemm_("N", "T", &m, &n, &k, &one, dZ.data(), &m, X.data(), &n, &one,
           direct.data(), &m);
    dgemm_("N", "T", &m, &n, &k, &minus_two, dZ.data(), &m, X.data(), &n, &one,
           direct_minus.data(), &m);
    for (int threads : {1, 2}) {
      SetMatrixProductThreads(threads);
      Eigen::MatrixXd ours = dZ * X.transpose();
      Eigen::MatrixXd ours_minus = Eigen::MatrixXd::Ones(m, n);
      ours_minus.noalias() -= 2 * dZ * X.transpose();
      EXPECT_TRUE(SameBits<double>(ours, direct)) << threads << " threads";
      EXPECT_TRUE(SameBits<double>(ours_minus, direct_minus))
          << threads << " threads";
    }
  }
  SetMatrixProductThreads(2);
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
