// File: course2_tuning/gradient_checking/gc_utils.h
//
// Given (not graded): the course's gc_utils and the notebook's given 3-layer
// network, LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID, with its
// cost, its backward pass (with the course's two planted bugs, and fixed),
// and the conversions between the parameter dictionary and one long column
// vector θ that gradient_check_n perturbs entry by entry.
//
// Shapes (one example per column):
//   X: (n_x, m)   Y: (1, m)   W1: (n1, n_x)  b1: (n1, 1)  W2: (n2, n1)
//   b2: (n2, 1)   W3: (1, n2)  b3: (1, 1)
//   The course's fixture: n_x = 4, n1 = 5, n2 = 3, m = 3, so θ is (47, 1).

#ifndef DLCOURSE_COURSE2_TUNING_GRADIENT_CHECKING_GC_UTILS_H_
#define DLCOURSE_COURSE2_TUNING_GRADIENT_CHECKING_GC_UTILS_H_

#include <string>
#include <vector>

#include "common/core/tensor.h"
#include "course1_nn/deep_nn/deep_nn.h"

namespace gradient_checking {

using dl::Matrix;
// "W1", "b1", ..., "W3", "b3" (course 1's deep_nn::Parameters).
using Parameters = deep_nn::Parameters;
// "dW1", "db1", ..., "dW3", "db3" (and the intermediate "dZ3", "dA2", ...).
using Grads = deep_nn::Grads;

// The order in which dictionary_to_vector stacks the parameters.
inline const std::vector<std::string> kParameterKeys = {"W1", "b1", "W2",
                                                        "b2", "W3", "b3"};

struct ParameterVector {
  Matrix theta;                   // (n, 1): every parameter, stacked
  std::vector<std::string> keys;  // keys[i]: the parameter theta(i) comes from
};

// The course's dictionary_to_vector: W1, b1, W2, b2, W3, b3, each flattened
// in numpy's C order (row by row, W.reshape(-1, 1)), stacked into a column.
// Throws std::invalid_argument if a key is missing.
ParameterVector dictionary_to_vector(const Parameters& parameters);

// The inverse: cuts θ back into W1 ... b3. The course hard-codes the
// fixture's shapes; here they come from `shapes` (any Parameters with the
// right shapes; only the shapes are read). θ must have exactly as many rows
// as there are parameters (std::invalid_argument otherwise).
Parameters vector_to_dictionary(const Matrix& theta, const Parameters& shapes);

// The course's gradients_to_vector: dW1, db1, dW2, db2, dW3, db3, each row
// by row, stacked into a column (the same order as dictionary_to_vector).
Matrix gradients_to_vector(const Grads& gradients);

// What forward_propagation_n keeps for backward_propagation_n: the course's
// (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3).
struct Cache {
  Matrix Z1, A1, W1, b1;  // layer 1: (n1, m), (n1, m), (n1, n_x), (n1, 1)
  Matrix Z2, A2, W2, b2;  // layer 2
  Matrix Z3, A3, W3, b3;  // layer 3: A3 (1, m), the predicted probabilities
};

struct ForwardResult {
  double cost = 0;  // the cross-entropy cost
  Cache cache;
};

// The course's forward_propagation_n:
//   Z1 = W1 X + b1, A1 = relu(Z1), Z2 = W2 A1 + b2, A2 = relu(Z2),
//   Z3 = W3 A2 + b3, A3 = σ(Z3),
//   cost = 1/m Σ [ -log(A3) ⊙ Y - log(1 - A3) ⊙ (1 - Y) ].
ForwardResult forward_propagation_n(const Matrix& X, const Matrix& Y,
                                    const Parameters& parameters);

// The course's backward_propagation_n, AS GIVEN, with its two planted bugs:
//   dW2 = 1/m dZ2 A1ᵀ · 2   (should be 1/m dZ2 A1ᵀ)
//   db1 = 4/m Σ dZ1          (should be 1/m Σ dZ1)
// gradient_check_n must catch them. Returns "dZ3", "dW3", "db3", "dA2",
// "dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1".
Grads backward_propagation_n(const Matrix& X, const Matrix& Y,
                             const Cache& cache);

// The same with both bugs fixed: the correct gradients.
Grads backward_propagation_n_fixed(const Matrix& X, const Matrix& Y,
                                   const Cache& cache);

}  // namespace gradient_checking

#endif  // DLCOURSE_COURSE2_TUNING_GRADIENT_CHECKING_GC_UTILS_H_
