// File: course2_tuning/gradient_checking/gradient_checking.h
//
// Course 2, week 1, assignment 3: "Gradient Checking". Is backpropagation
// right? Compare its gradient with centered finite differences of the cost:
//
//   gradapprox = (J(θ + ε) - J(θ - ε)) / (2ε)
//   difference = ‖grad - gradapprox‖₂ / (‖grad‖₂ + ‖gradapprox‖₂)
//
// A difference below 2e-7 (with ε = 1e-7) means the gradient is right.
//
// Exercises, in order (write them in exercise.cc):
//   1. forward_propagation   2. backward_propagation   3. gradient_check
//   4. gradient_check_n
// Given (gc_utils.h): dictionary_to_vector, vector_to_dictionary,
// gradients_to_vector, forward_propagation_n, backward_propagation_n (with
// the course's two planted bugs) and backward_propagation_n_fixed.

#ifndef DLCOURSE_COURSE2_TUNING_GRADIENT_CHECKING_GRADIENT_CHECKING_H_
#define DLCOURSE_COURSE2_TUNING_GRADIENT_CHECKING_GRADIENT_CHECKING_H_

#include "common/core/tensor.h"
#include "course2_tuning/gradient_checking/gc_utils.h"

namespace gradient_checking {

// ---- 1-D: J(θ) = θx -------------------------------------------------------

// J = θ · x (the course's np.dot(theta, x) on two numbers).
double forward_propagation(double x, double theta);

// dtheta = ∂J/∂θ = x.
double backward_propagation(double x, double theta);

// The course's gradient_check(x, theta, epsilon = 1e-7, print_msg = False):
//   thetaplus = θ + ε, thetaminus = θ - ε,
//   J_plus = forward_propagation(x, thetaplus), J_minus likewise,
//   gradapprox = (J_plus - J_minus) / (2ε),
//   grad = backward_propagation(x, θ),
//   difference = |grad - gradapprox| / (|grad| + |gradapprox|).
// If print_msg, prints whether the gradient is correct (difference < 2e-7).
// Returns the difference.
double gradient_check(double x, double theta, double epsilon = 1e-7,
                      bool print_msg = false);

// ---- N-D: the 3-layer network of gc_utils.h --------------------------------

// The course's gradient_check_n(parameters, gradients, X, Y, epsilon = 1e-7,
// print_msg = False):
//   θ = dictionary_to_vector(parameters).theta          (n, 1)
//   grad = gradients_to_vector(gradients)               (n, 1)
//   for every i: θ⁺ = θ with θ⁺[i] += ε, J_plus[i] = forward_propagation_n(X,
//     Y, vector_to_dictionary(θ⁺, parameters)).cost; θ⁻, J_minus[i] likewise;
//     gradapprox[i] = (J_plus[i] - J_minus[i]) / (2ε)
//   difference = ‖grad - gradapprox‖ / (‖grad‖ + ‖gradapprox‖).
// If print_msg, prints "There is a mistake in the backward propagation!
// difference = ..." when difference > 2e-7, else "Your backward propagation
// works perfectly fine! difference = ...". Returns the difference.
//   parameters: "W1", "b1", ..., "b3"   gradients: "dW1", "db1", ..., "db3"
//   X: (n_x, m)   Y: (1, m)
double gradient_check_n(const Parameters& parameters, const Grads& gradients,
                        const Matrix& X, const Matrix& Y, double epsilon = 1e-7,
                        bool print_msg = false);

// The reference solution (reference.cc) has the same functions, in
// gradient_checking::reference. The grader compares yours with it.
namespace reference {
decltype(gradient_checking::forward_propagation) forward_propagation;
decltype(gradient_checking::backward_propagation) backward_propagation;
decltype(gradient_checking::gradient_check) gradient_check;
decltype(gradient_checking::gradient_check_n) gradient_check_n;
}  // namespace reference

}  // namespace gradient_checking

#endif  // DLCOURSE_COURSE2_TUNING_GRADIENT_CHECKING_GRADIENT_CHECKING_H_
