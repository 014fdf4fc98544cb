// File: course2_tuning/regularization/regularization.h
//
// Course 2, week 1, assignment 2: "Regularization". A 3-layer network
//
//   X -> LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID -> A3
//
// overfits a small noisy 2-D data set; you add the two classic cures:
// L2 regularization (a penalty on the weights in the cost and its gradient)
// and inverted dropout (random masks on the hidden layers while training).
//
// Shapes (one example per COLUMN; the application uses [2, 20, 3, 1]):
//   X: (n_x, m)  Y: (1, m) of 0/1
//   W1: (n1, n_x)  b1: (n1, 1)  Z1, A1, D1: (n1, m)
//   W2: (n2, n1)   b2: (n2, 1)  Z2, A2, D2: (n2, m)
//   W3: (1, n2)    b3: (1, 1)   Z3, A3:     (1, m)
//
// Eigen reminder: `*` between two Matrix objects is the MATRIX product
// (np.dot); entry by entry is a.cwiseProduct(b) or a.array() * b.array().
// Eigen never broadcasts: W A + b is `(W * A).colwise() + b.col(0)`.
//
// Exercises, in order (write them in exercise.cc):
//   1. compute_cost_with_regularization
//   2. backward_propagation_with_regularization
//   3. forward_propagation_with_dropout
//   4. backward_propagation_with_dropout
// Given (reg_utils.cc, the course's reg_utils.py): initialize_parameters,
// forward_propagation, backward_propagation, compute_cost,
// update_parameters, predict, accuracy.

#ifndef DLCOURSE_COURSE2_TUNING_REGULARIZATION_REGULARIZATION_H_
#define DLCOURSE_COURSE2_TUNING_REGULARIZATION_REGULARIZATION_H_

#include <vector>

#include "common/core/random.h"
#include "common/core/tensor.h"

namespace regularization {

using dl::Matrix;

// The network's parameters: the course's dictionary "W1", "b1", ..., "b3".
struct Parameters {
  Matrix W1, b1;  // (n1, n_x), (n1, 1)
  Matrix W2, b2;  // (n2, n1), (n2, 1)
  Matrix W3, b3;  // (1, n2), (1, 1)
};

// What forward_propagation keeps for the backward pass: the course's tuple
// (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3), by name.
struct Cache3 {
  Matrix Z1, A1, W1, b1;  // layer 1: Z1, A1 (n1, m)
  Matrix Z2, A2, W2, b2;  // layer 2: Z2, A2 (n2, m)
  Matrix Z3, A3, W3, b3;  // layer 3: Z3, A3 (1, m)
};

// The dropout forward pass's cache: the course's tuple
// (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3). D1, D2 are the
// masks (1.0 = kept, 0.0 = dropped); A1, A2 are AFTER masking and scaling.
struct DropoutCache {
  Matrix Z1, D1, A1, W1, b1;  // D1: (n1, m)
  Matrix Z2, D2, A2, W2, b2;  // D2: (n2, m)
  Matrix Z3, A3, W3, b3;
};

struct Forward {
  Matrix A3;  // (1, m), the sigmoid's output
  Cache3 cache;
};

struct DropoutForward {
  Matrix A3;  // (1, m)
  DropoutCache cache;
};

// The gradients, with the course's keys: every dX has the shape of X.
struct Gradients {
  Matrix dZ3, dW3, db3;
  Matrix dA2, dZ2, dW2, db2;
  Matrix dA1, dZ1, dW1, db1;
};

// ------------------------------------------------------------- graded

// The cross-entropy cost plus the L2 penalty on the weights:
//   J = compute_cost(A3, Y) + λ/(2m) (Σ W1² + Σ W2² + Σ W3²)
// (Σ W² adds the squares of all entries; the biases are not penalized.)
//   A3, Y: (1, m)  ->  a number.
double compute_cost_with_regularization(const Matrix& A3, const Matrix& Y,
                                        const Parameters& parameters,
                                        double lambd);

// backward_propagation (given below) for the regularized cost: the penalty
// adds (λ/m) W to each weight gradient,
//   dZ3 = A3 - Y
//   dW3 = (1/m) dZ3 A2ᵀ + (λ/m) W3            db3 = (1/m) Σ_columns dZ3
//   dA2 = W3ᵀ dZ3   dZ2 = dA2 ⊙ (A2 > 0)
//   dW2 = (1/m) dZ2 A1ᵀ + (λ/m) W2            db2 = (1/m) Σ_columns dZ2
//   dA1 = W2ᵀ dZ2   dZ1 = dA1 ⊙ (A1 > 0)
//   dW1 = (1/m) dZ1 Xᵀ  + (λ/m) W1            db1 = (1/m) Σ_columns dZ1
// Fills every field of Gradients.
//   X: (n_x, m)  Y: (1, m)  cache from forward_propagation.
Gradients backward_propagation_with_regularization(const Matrix& X,
                                                   const Matrix& Y,
                                                   const Cache3& cache,
                                                   double lambd);

// forward_propagation with inverted dropout on both hidden layers:
//   Z1 = W1 X + b1, A1 = relu(Z1)
//   D1 = (rand(n1, m) < keep_prob)      1.0 where kept, 0.0 where dropped
//   A1 = A1 ⊙ D1 / keep_prob
//   Z2 = W2 A1 + b2, A2 = relu(Z2), D2 = (rand(n2, m) < keep_prob),
//   A2 = A2 ⊙ D2 / keep_prob
//   Z3 = W3 A2 + b3, A3 = σ(Z3)
// The masks come from numpy's stream, re-seeded at the top of the function
// as the course did (np.random.seed(1), here dl::RandomState rng(1)), then
// drawn in the course's order: D1 = rng.rand(n1, m) first, then D2 =
// rng.rand(n2, m). (So every call draws the SAME masks, the course's quirk;
// its training results depend on it.)
//   X: (n_x, m), 0 < keep_prob <= 1.
DropoutForward forward_propagation_with_dropout(const Matrix& X,
                                                const Parameters& parameters,
                                                double keep_prob = 0.5);

// backward_propagation through the same masks: the units dropped in the
// forward pass get no gradient, and the kept ones are scaled the same way,
//   dZ3 = A3 - Y,  dW3 = (1/m) dZ3 A2ᵀ,  db3 = (1/m) Σ_columns dZ3
//   dA2 = W3ᵀ dZ3 ⊙ D2 / keep_prob,  dZ2 = dA2 ⊙ (A2 > 0)
//   dW2 = (1/m) dZ2 A1ᵀ,  db2 = (1/m) Σ_columns dZ2
//   dA1 = W2ᵀ dZ2 ⊙ D1 / keep_prob,  dZ1 = dA1 ⊙ (A1 > 0)
//   dW1 = (1/m) dZ1 Xᵀ,   db1 = (1/m) Σ_columns dZ1
// Fills every field of Gradients (dA1, dA2 after masking and scaling).
Gradients backward_propagation_with_dropout(const Matrix& X, const Matrix& Y,
                                            const DropoutCache& cache,
                                            double keep_prob);

// ------------------------------------------------------------- given
// The course's reg_utils (reg_utils.cc); not graded.

// layer_dims = {n_x, n1, n2, 1}. Seeds the generator (np.random.seed(3)),
// then for l = 1..3: W[l] = randn(n[l], n[l-1]) / sqrt(n[l-1]),
// b[l] = zeros (n[l], 1). std::invalid_argument unless 4 sizes.
Parameters initialize_parameters(const std::vector<int>& layer_dims);

// LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID, no dropout.
Forward forward_propagation(const Matrix& X, const Parameters& parameters);

// The unregularized gradients (the formulas above without the λ terms).
Gradients backward_propagation(const Matrix& X, const Matrix& Y,
                               const Cache3& cache);

// The cross-entropy cost, the course's way:
//   (1/m) nansum(-log(a3) Y - log(1 - a3) (1 - Y))   (NaN terms count 0)
double compute_cost(const Matrix& a3, const Matrix& Y);

// W[l] -= learning_rate dW[l], b[l] -= learning_rate db[l].
Parameters update_parameters(const Parameters& parameters,
                             const Gradients& grads, double learning_rate);

// Labels 0/1 (1, m): 1 where forward_propagation's A3 > 0.5.
Matrix predict(const Matrix& X, const Parameters& parameters);

// The course's accuracy, np.mean(p == y): the fraction of labels predicted
// right, in [0, 1] (the course prints 0.948 for 94.8 %).
double accuracy(const Matrix& predictions, const Matrix& Y);

// The reference solution (reference.cc) has the same functions, in
// regularization::reference. The grader compares yours with it.
namespace reference {
// clang-format off
decltype(regularization::compute_cost_with_regularization) compute_cost_with_regularization;
decltype(regularization::backward_propagation_with_regularization) backward_propagation_with_regularization;
decltype(regularization::forward_propagation_with_dropout) forward_propagation_with_dropout;
decltype(regularization::backward_propagation_with_dropout) backward_propagation_with_dropout;
// clang-format on
}  // namespace reference

}  // namespace regularization

#endif  // DLCOURSE_COURSE2_TUNING_REGULARIZATION_REGULARIZATION_H_
