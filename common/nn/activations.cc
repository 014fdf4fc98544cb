#include "common/nn/activations.h"

namespace dl {

Matrix sigmoid(const Matrix& Z) {
  return (1.0 / (1.0 + (-Z.array()).exp())).matrix();
}

Matrix relu(const Matrix& Z) { return Z.cwiseMax(0.0); }

Matrix tanh(const Matrix& Z) { return Z.array().tanh().matrix(); }

Matrix sigmoid_backward(const Matrix& dA, const Matrix& Z) {
  const Eigen::ArrayXXd s = 1.0 / (1.0 + (-Z.array()).exp());
  return (dA.array() * s * (1.0 - s)).matrix();
}

Matrix relu_backward(const Matrix& dA, const Matrix& Z) {
  return (Z.array() > 0.0).select(dA, 0.0);
}

Matrix tanh_backward(const Matrix& dA, const Matrix& Z) {
  return (dA.array() * (1.0 - Z.array().tanh().square())).matrix();
}

}  // namespace dl
