// The reference solution of course1_nn/tensor_basics.

#include <cmath>

#include "course1_nn/tensor_basics/tensor_basics.h"

namespace tensor_basics {
namespace reference {

double basic_sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

Matrix sigmoid(const Matrix& x) {
  return (1.0 / (1.0 + (-x.array()).exp())).matrix();
}

Matrix sigmoid_derivative(const Matrix& x) {
  const Matrix s = sigmoid(x);
  return (s.array() * (1.0 - s.array())).matrix();
}

Matrix image2vector(const dl::Tensor<3>& image) {
  // The tensor is row-major: its memory is numpy's C order already.
  return Eigen::Map<const Matrix>(image.data(), image.size(), 1);
}

Matrix normalize_rows(const Matrix& x) {
  const Matrix x_norm = x.rowwise().norm();  // (n, 1)
  return (x.array().colwise() / x_norm.col(0).array()).matrix();
}

Matrix softmax(const Matrix& x) {
  // The course computes exp(x) / row sums. Subtracting each row's max first
  // gives the same values (the factor e^(-max) cancels) and cannot overflow.
  const Matrix x_max = x.rowwise().maxCoeff();  // (m, 1)
  const Eigen::ArrayXXd x_exp =
      (x.array().colwise() - x_max.col(0).array()).exp();
  const Eigen::ArrayXd x_sum = x_exp.rowwise().sum();  // (m, 1)
  return (x_exp.colwise() / x_sum).matrix();
}

double L1(const Matrix& yhat, const Matrix& y) {
  return (y - yhat).cwiseAbs().sum();
}

double L2(const Matrix& yhat, const Matrix& y) {
  return (y - yhat).array().square().sum();
}

}  // namespace reference
}  // namespace tensor_basics
