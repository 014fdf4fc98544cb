// The reference solution of course2_tuning/gradient_checking, written like
// the course's notebook.

#include <cmath>
#include <cstdio>

#include "course2_tuning/gradient_checking/gradient_checking.h"

namespace gradient_checking {
namespace reference {
namespace {

// The course's message: in yellow when difference > 2e-7, else in green.
void print_verdict(double difference) {
  if (difference > 2e-7) {
    std::printf(
        "\033[93mThere is a mistake in the backward propagation! "
        "difference = %s\033[0m\n",
        dl::repr(difference).c_str());
  } else {
    std::printf(
        "\033[92mYour backward propagation works perfectly fine! "
        "difference = %s\033[0m\n",
        dl::repr(difference).c_str());
  }
}

}  // namespace

double forward_propagation(double x, double theta) {
  const double J = theta * x;
  return J;
}

double backward_propagation(double x, double theta) {
  const double dtheta = x;
  return dtheta;
}

double gradient_check(double x, double theta, double epsilon, bool print_msg) {
  // gradapprox with centered differences.
  const double thetaplus = theta + epsilon;
  const double thetaminus = theta - epsilon;
  const double J_plus = reference::forward_propagation(x, thetaplus);
  const double J_minus = reference::forward_propagation(x, thetaminus);
  const double gradapprox = (J_plus - J_minus) / (2 * epsilon);

  // The relative difference to backpropagation's gradient.
  const double grad = reference::backward_propagation(x, theta);
  const double numerator = std::abs(grad - gradapprox);
  const double denominator = std::abs(grad) + std::abs(gradapprox);
  const double difference = numerator / denominator;

  if (print_msg) print_verdict(difference);
  return difference;
}

double gradient_check_n(const Parameters& parameters, const Grads& gradients,
                        const Matrix& X, const Matrix& Y, double epsilon,
                        bool print_msg) {
  const Matrix parameters_values = dictionary_to_vector(parameters).theta;
  const Matrix grad = gradients_to_vector(gradients);
  const Eigen::Index num_parameters = parameters_values.rows();
  Matrix J_plus = Matrix::Zero(num_parameters, 1);
  Matrix J_minus = Matrix::Zero(num_parameters, 1);
  Matrix gradapprox = Matrix::Zero(num_parameters, 1);

  for (Eigen::Index i = 0; i < num_parameters; ++i) {
    Matrix theta_plus = parameters_values;
    theta_plus(i, 0) = theta_plus(i, 0) + epsilon;
    J_plus(i, 0) = forward_propagation_n(
                       X, Y, vector_to_dictionary(theta_plus, parameters))
                       .cost;
    Matrix theta_minus = parameters_values;
    theta_minus(i, 0) = theta_minus(i, 0) - epsilon;
    J_minus(i, 0) = forward_propagation_n(
                        X, Y, vector_to_dictionary(theta_minus, parameters))
                        .cost;
    gradapprox(i, 0) = (J_plus(i, 0) - J_minus(i, 0)) / (2 * epsilon);
  }

  const double numerator = (grad - gradapprox).norm();
  const double denominator = grad.norm() + gradapprox.norm();
  const double difference = numerator / denominator;

  if (print_msg) print_verdict(difference);
  return difference;
}

}  // namespace reference
}  // namespace gradient_checking
