// File: common/core/tensor.h
//
// The tensor types every unit uses, in the course's layouts.
//
//   Matrix  2-D, double, the course's (n_x, m) layout: one example per column.
//           Eigen's `*` on a Matrix is the MATRIX product (numpy's np.dot);
//           the elementwise product is A.cwiseProduct(B) or A.array() *
//           B.array().
//   Tensor<N>  N-d, double, numpy's row-major index order: A(i, h, w, c) is
//           numpy's A[i, h, w, c] and the flat memory is the same as numpy's.
//           Used by the CNN (m, n_H, n_W, n_C) and RNN (n_x, m, T_x) units.
//   MatrixF / TensorF<N>: the float32 versions, for training speed.
//
// Example:
//   dl::Matrix X = dl::matrix({{1., -2., -1.}, {3., 0.5, -3.2}});  // (2, 3)
//   std::cout << dl::shape_string(X);                             // "(2, 3)"

#ifndef DLCOURSE_COMMON_CORE_TENSOR_H_
#define DLCOURSE_COMMON_CORE_TENSOR_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "common/core/eigen.h"

namespace dl {

using Scalar = double;
using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic>;
using MatrixF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic>;
using Vector = Eigen::Matrix<double, Eigen::Dynamic, 1>;
template <int N>
using Tensor = Eigen::Tensor<double, N, Eigen::RowMajor>;
template <int N>
using TensorF = Eigen::Tensor<float, N, Eigen::RowMajor>;
using Tensor3 = Tensor<3>;
using Tensor4 = Tensor<4>;

// A matrix written row by row, as numpy prints it:
//   matrix({{1, 2, 3}, {4, 5, 6}}) has shape (2, 3).
// All rows must have the same length (std::invalid_argument otherwise).
Matrix matrix(std::initializer_list<std::initializer_list<double>> rows);

// The shape as numpy prints it: "(2, 3)", "(10, 4, 4, 3)".
std::string shape_string(const std::vector<int64_t>& dims);

// A number as Python prints it: the shortest text that reads back as the same
// double ("0.83", "1.0", "1.1890913024229996e-07", "inf", "nan"), so that a
// printed value can be set beside the course's notebook output digit by digit.
std::string repr(double x);

template <typename Derived>
std::string shape_string(const Eigen::DenseBase<Derived>& x) {
  return shape_string(
      {static_cast<int64_t>(x.rows()), static_cast<int64_t>(x.cols())});
}

template <typename T, int N, int Options>
std::string shape_string(const Eigen::Tensor<T, N, Options>& x) {
  std::vector<int64_t> dims(x.dimensions().begin(), x.dimensions().end());
  return shape_string(dims);
}

template <typename Derived>
std::vector<int64_t> shape_of(const Eigen::DenseBase<Derived>& x) {
  return {static_cast<int64_t>(x.rows()), static_cast<int64_t>(x.cols())};
}

template <typename T, int N, int Options>
std::vector<int64_t> shape_of(const Eigen::Tensor<T, N, Options>& x) {
  return std::vector<int64_t>(x.dimensions().begin(), x.dimensions().end());
}

// An index in a shape, as numpy prints it: "(1, 2)". `flat` counts in the
// tensor's own storage order: column-major for Matrix, row-major for Tensor.
std::string index_string(const std::vector<int64_t>& dims, int64_t flat,
                         bool row_major);

// How two arrays of the same shape differ, by numpy's allclose rule:
// entry i is "off" when |got - want| > atol + rtol * |want|, or when exactly
// one of them is NaN, or when they are infinities of different sign.
struct Difference {
  int64_t count = 0;        // number of entries compared
  int64_t off = 0;          // entries outside the tolerance
  int64_t nonfinite = 0;    // NaN or Inf entries in `got`
  int64_t worst = -1;       // flat index of the worst entry (-1: none off)
  double worst_got = 0;     // got[worst]
  double worst_want = 0;    // want[worst]
  double max_abs_diff = 0;  // max |got - want| over finite entries
};

Difference compare_flat(const double* got, const double* want, int64_t count,
                        double atol, double rtol);

// numpy.allclose(got, want, rtol, atol) for same-shaped matrices or tensors;
// false when the shapes differ.
bool allclose(const Matrix& got, const Matrix& want, double rtol = 1e-5,
              double atol = 1e-8);

template <int N>
bool allclose(const Tensor<N>& got, const Tensor<N>& want, double rtol = 1e-5,
              double atol = 1e-8) {
  if (shape_of(got) != shape_of(want)) return false;
  return compare_flat(got.data(), want.data(), got.size(), atol, rtol).off == 0;
}

}  // namespace dl

#endif  // DLCOURSE_COMMON_CORE_TENSOR_H_
