// File: course1_nn/shallow_nn/shallow_nn.h
//
// Course 1, week 3: "Planar data classification with one hidden layer".
// A 2-layer network: one hidden layer of n_h tanh units, one sigmoid output.
//
//   Z1 = W1 X + b1     A1 = tanh(Z1)
//   Z2 = W2 A1 + b2    A2 = σ(Z2)          ŷ = 1 where A2 > 0.5
//
// Shapes (the course's layout: one example per COLUMN):
//   n_x = input size (2 for the flower), n_h = hidden units, n_y = outputs (1)
//   X: (n_x, m)   Y: (n_y, m) of 0/1
//   W1: (n_h, n_x)  b1: (n_h, 1)  Z1, A1: (n_h, m)
//   W2: (n_y, n_h)  b2: (n_y, 1)  Z2, A2: (n_y, m)
//
// Eigen reminder: `*` between two Matrix objects is the MATRIX product
// (numpy's np.dot). Eigen never broadcasts: add a column b (n, 1) to every
// column of Z (n, m) with Z.colwise() + b.col(0).
//
// Exercises, in order (write them in exercise.cc):
//   1. layer_sizes  2. initialize_parameters  3. forward_propagation
//   4. compute_cost  5. backward_propagation  6. update_parameters
//   7. nn_model  8. predict

#ifndef DLCOURSE_COURSE1_NN_SHALLOW_NN_SHALLOW_NN_H_
#define DLCOURSE_COURSE1_NN_SHALLOW_NN_SHALLOW_NN_H_

#include <vector>

#include "common/core/random.h"
#include "common/core/tensor.h"

namespace shallow_nn {

using dl::Matrix;

// The course's (n_x, n_h, n_y).
struct LayerSizes {
  int n_x = 0;  // the size of the input layer: X.rows()
  int n_h = 4;  // the size of the hidden layer: 4, fixed here
  int n_y = 0;  // the size of the output layer: Y.rows()
};

// X: (n_x, m)  Y: (n_y, m)  ->  {n_x, 4, n_y}.
LayerSizes layer_sizes(const Matrix& X, const Matrix& Y);

// The network's parameters (the course's dictionary "W1", "b1", "W2", "b2").
struct Parameters {
  Matrix W1;  // (n_h, n_x)
  Matrix b1;  // (n_h, 1)
  Matrix W2;  // (n_y, n_h)
  Matrix b2;  // (n_y, 1)
};

// Small random weights, zero biases:
//   W1 = randn(n_h, n_x) * 0.01, b1 = zeros (n_h, 1),
//   W2 = randn(n_y, n_h) * 0.01, b2 = zeros (n_y, 1).
// `rng` is the course's np.random global stream: draw W1 first, then W2,
// with rng.randn(rows, cols). (The course seeds it before the call:
// np.random.seed(2); initialize_parameters(2, 4, 1).)
Parameters initialize_parameters(int n_x, int n_h, int n_y,
                                 dl::RandomState& rng);

// What forward_propagation keeps for backward_propagation.
struct Cache {
  Matrix Z1;  // (n_h, m)  W1 X + b1
  Matrix A1;  // (n_h, m)  tanh(Z1)
  Matrix Z2;  // (n_y, m)  W2 A1 + b2
  Matrix A2;  // (n_y, m)  σ(Z2)
};

struct ForwardResult {
  Matrix A2;  // (n_y, m): the output, the probability that y = 1
  Cache cache;
};

// Z1 = W1 X + b1, A1 = tanh(Z1), Z2 = W2 A1 + b2, A2 = σ(Z2).
//   X: (n_x, m) -> A2: (n_y, m), and the cache.
ForwardResult forward_propagation(const Matrix& X,
                                  const Parameters& parameters);

// The cross-entropy cost:
//   J = -(1/m) Σ [ Y log(A2) + (1 - Y) log(1 - A2) ]
//   A2, Y: (n_y, m) -> a number.
double compute_cost(const Matrix& A2, const Matrix& Y);

// The gradients of the cost (the course's "dW1", "db1", "dW2", "db2").
struct Grads {
  Matrix dW1;  // (n_h, n_x), the shape of W1
  Matrix db1;  // (n_h, 1)
  Matrix dW2;  // (n_y, n_h)
  Matrix db2;  // (n_y, 1)
};

// Backward through the two layers (uses W2 and the cache's A1, A2):
//   dZ2 = A2 - Y                         (n_y, m)
//   dW2 = (1/m) dZ2 A1ᵀ                  db2 = (1/m) Σ_columns dZ2
//   dZ1 = W2ᵀ dZ2 ⊙ (1 - A1²)            (n_h, m)   (tanh'(z) = 1 - a²)
//   dW1 = (1/m) dZ1 Xᵀ                   db1 = (1/m) Σ_columns dZ1
Grads backward_propagation(const Parameters& parameters, const Cache& cache,
                           const Matrix& X, const Matrix& Y);

// One step of gradient descent: θ = θ - learning_rate dθ for W1, b1, W2, b2.
Parameters update_parameters(const Parameters& parameters, const Grads& grads,
                             double learning_rate = 1.2);

struct NnModelResult {
  Parameters parameters;      // after the last iteration
  std::vector<double> costs;  // the cost at iterations 0, 1000, 2000, ...
};

// The whole model. Like the course: np.random.seed(3) (here a
// dl::RandomState rng(3) of its own), then initialize_parameters(n_x, n_h,
// n_y, rng) with n_x, n_y from layer_sizes; then num_iterations times:
// forward_propagation, compute_cost, backward_propagation,
// update_parameters (learning rate 1.2). Records the cost when
// i % 1000 == 0 and, if print_cost, prints "Cost after iteration i: cost".
//   X: (n_x, m)  Y: (n_y, m)
NnModelResult nn_model(const Matrix& X, const Matrix& Y, int n_h,
                       int num_iterations = 10000, bool print_cost = false);

// Labels 0/1 for every column of X: 1 where A2 > 0.5 (forward_propagation).
//   X: (n_x, m)  ->  (n_y, m)
Matrix predict(const Parameters& parameters, const Matrix& X);

// The reference solution (reference.cc) has the same functions, in
// shallow_nn::reference. The grader compares yours with it.
namespace reference {
decltype(shallow_nn::layer_sizes) layer_sizes;
decltype(shallow_nn::initialize_parameters) initialize_parameters;
decltype(shallow_nn::forward_propagation) forward_propagation;
decltype(shallow_nn::compute_cost) compute_cost;
decltype(shallow_nn::backward_propagation) backward_propagation;
decltype(shallow_nn::update_parameters) update_parameters;
decltype(shallow_nn::nn_model) nn_model;
decltype(shallow_nn::predict) predict;
}  // namespace reference

}  // namespace shallow_nn

#endif  // DLCOURSE_COURSE1_NN_SHALLOW_NN_SHALLOW_NN_H_
