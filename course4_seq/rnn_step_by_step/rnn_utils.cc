#include "course4_seq/rnn_step_by_step/rnn_utils.h"

#include <stdexcept>
#include <string>

namespace rnn_step_by_step {

Matrix softmax(const Matrix& x) {
  const Eigen::ArrayXXd e_x = (x.array() - x.maxCoeff()).exp();
  return (e_x.rowwise() / e_x.colwise().sum()).matrix();
}

Matrix sigmoid(const Matrix& x) {
  return (1.0 / (1.0 + (-x.array()).exp())).matrix();
}

namespace {

void check_step(const Tensor3& x, Eigen::Index t, const char* function) {
  if (t < 0 || t >= x.dimension(2)) {
    throw std::out_of_range(std::string(function) + ": time step " +
                            std::to_string(t) +
                            " is outside a tensor of shape " +
                            dl::shape_string(x) + " (0 <= t < T_x)");
  }
}

}  // namespace

Matrix time_step(const Tensor3& x, Eigen::Index t) {
  check_step(x, t, "time_step");
  Matrix out(x.dimension(0), x.dimension(1));
  for (Eigen::Index i = 0; i < x.dimension(0); ++i) {
    for (Eigen::Index j = 0; j < x.dimension(1); ++j) out(i, j) = x(i, j, t);
  }
  return out;
}

void set_time_step(Tensor3& x, Eigen::Index t, const Matrix& value) {
  check_step(x, t, "set_time_step");
  if (value.rows() != x.dimension(0) || value.cols() != x.dimension(1)) {
    throw std::invalid_argument(
        "set_time_step: cannot store a " + dl::shape_string(value) +
        " matrix as time step " + std::to_string(t) + " of a tensor of shape " +
        dl::shape_string(x) + " (it needs (" + std::to_string(x.dimension(0)) +
        ", " + std::to_string(x.dimension(1)) + "))");
  }
  for (Eigen::Index i = 0; i < x.dimension(0); ++i) {
    for (Eigen::Index j = 0; j < x.dimension(1); ++j) x(i, j, t) = value(i, j);
  }
}

Tensor3 zeros(Eigen::Index n, Eigen::Index m, Eigen::Index T_x) {
  Tensor3 z(n, m, T_x);
  z.setZero();
  return z;
}

}  // namespace rnn_step_by_step
