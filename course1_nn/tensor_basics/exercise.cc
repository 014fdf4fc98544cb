// Your solutions to course1_nn/tensor_basics. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course1_nn/tensor_basics/...
// The formulas and shapes are in tensor_basics.h and README.md.

#include <cmath>

#include "common/grading/not_implemented.h"
#include "course1_nn/tensor_basics/tensor_basics.h"

namespace tensor_basics {

double basic_sigmoid(double x) {
  // TODO: s = 1 / (1 + exp(-x)) for one number. (≈1 line)
  //   Hint: std::exp from <cmath>.
  return dl::not_implemented<double>("basic_sigmoid");
}

Matrix sigmoid(const Matrix& x) {
  // TODO: s = 1 / (1 + exp(-x)), entry by entry. (≈1 line)
  //   Hint: x.array() gives entry-by-entry operations (x.array().exp(),
  //   1.0 / a, 1.0 + a); .matrix() turns the result back into a Matrix.
  return dl::not_implemented<Matrix>("sigmoid");
}

Matrix sigmoid_derivative(const Matrix& x) {
  // TODO: s = sigmoid(x); ds = s * (1 - s), entry by entry. (≈2 lines)
  //   Hint: s.array() * (1.0 - s.array()); `s * s` would be a matrix product.
  return dl::not_implemented<Matrix>("sigmoid_derivative");
}

Matrix image2vector(const dl::Tensor<3>& image) {
  // TODO: v = image.reshape(length * height * depth, 1), in C order.
  //   (≈2 lines)
  //   Hint: image.size() is length * height * depth and image.data() is
  //   already in C order: Eigen::Map<const Matrix>(image.data(), n, 1).
  return dl::not_implemented<Matrix>("image2vector");
}

Matrix normalize_rows(const Matrix& x) {
  // TODO: x_norm = np.linalg.norm(x, axis=1, keepdims=True); x / x_norm.
  //   (≈2 lines)
  //   Hint: x.rowwise().norm() is (n, 1), one norm per row; divide with
  //   x.array().colwise() / x_norm.array().
  return dl::not_implemented<Matrix>("normalize_rows");
}

Matrix softmax(const Matrix& x) {
  // TODO: x_exp = exp(x); x_sum = sum of x_exp over each row (keepdims);
  //       s = x_exp / x_sum. (≈3 lines)
  //   Hint: x.array().exp(); .rowwise().sum() is (m, 1); broadcast with
  //   x_exp.colwise() / x_sum. The grader also tries logits near 1000, where
  //   exp overflows: subtracting each row's max first (x.rowwise().maxCoeff())
  //   gives the same softmax.
  return dl::not_implemented<Matrix>("softmax");
}

double L1(const Matrix& yhat, const Matrix& y) {
  // TODO: loss = Σ |y - yhat|. (≈1 line)
  //   Hint: (y - yhat).cwiseAbs().sum().
  return dl::not_implemented<double>("L1");
}

double L2(const Matrix& yhat, const Matrix& y) {
  // TODO: loss = Σ (y - yhat)². (≈1 line)
  //   Hint: (y - yhat).squaredNorm(), or .array().square().sum().
  return dl::not_implemented<double>("L2");
}

}  // namespace tensor_basics
