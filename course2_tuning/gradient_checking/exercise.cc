// Your solutions to course2_tuning/gradient_checking. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course2_tuning/gradient_checking/...
// The formulas are in gradient_checking.h and README.md; the given network
// (forward_propagation_n, dictionary_to_vector, ...) is in gc_utils.h.

#include <cmath>
#include <cstdio>

#include "common/grading/not_implemented.h"
#include "course2_tuning/gradient_checking/gradient_checking.h"

namespace gradient_checking {

double forward_propagation(double x, double theta) {
  // TODO: J = θ · x. (≈1 line)
  return dl::not_implemented<double>("forward_propagation");
}

double backward_propagation(double x, double theta) {
  // TODO: dtheta = ∂J/∂θ for J = θx. (≈1 line)
  return dl::not_implemented<double>("backward_propagation");
}

double gradient_check(double x, double theta, double epsilon, bool print_msg) {
  // TODO: thetaplus = θ + ε, thetaminus = θ - ε; J_plus, J_minus with
  //       forward_propagation; gradapprox = (J_plus - J_minus) / (2ε);
  //       grad = backward_propagation(x, θ);
  //       difference = |grad - gradapprox| / (|grad| + |gradapprox|).
  //       (≈9 lines)
  //   Hint: for numbers the 2-norm is std::abs.
  return dl::not_implemented<double>("gradient_check");
}

double gradient_check_n(const Parameters& parameters, const Grads& gradients,
                        const Matrix& X, const Matrix& Y, double epsilon,
                        bool print_msg) {
  // TODO: θ = dictionary_to_vector(parameters).theta, grad =
  //       gradients_to_vector(gradients); for every i, J_plus[i] and
  //       J_minus[i] = forward_propagation_n(X, Y, vector_to_dictionary(θ ± ε
  //       in entry i, parameters)).cost; gradapprox[i] = (J_plus[i] -
  //       J_minus[i]) / (2ε); difference = ‖grad - gradapprox‖ / (‖grad‖ +
  //       ‖gradapprox‖). (≈15 lines)
  //   Hint: Matrix theta_plus = theta; theta_plus(i, 0) += epsilon;
  //   the 2-norm of a column is v.norm().
  return dl::not_implemented<double>("gradient_check_n");
}

}  // namespace gradient_checking
