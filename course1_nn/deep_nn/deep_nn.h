// File: course1_nn/deep_nn/deep_nn.h
//
// Course 1, week 4, assignment 1: "Building your Deep Neural Network: Step by
// Step". The building blocks of an L-layer network, used by the next unit
// (course1_nn/deep_nn_app) to classify cat pictures:
//
//   X -> [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID -> AL
//
// Shapes for layer l = 1..L (n[0] = n_x, one example per COLUMN):
//   W[l]: (n[l], n[l-1])   b[l]: (n[l], 1)   Z[l], A[l]: (n[l], m)
//   A[0] = X: (n_x, m)      AL = A[L]: (n[L], m), usually (1, m)
//
// Eigen reminder: `*` between two Matrix objects is the MATRIX product
// (np.dot). Eigen never broadcasts: W A + b is
// `(W * A).colwise() + b.col(0)`.
//
// Exercises, in order (write them in exercise.cc):
//   1. initialize_parameters      2. initialize_parameters_deep
//   3. linear_forward             4. linear_activation_forward
//   5. L_model_forward            6. compute_cost
//   7. linear_backward            8. linear_activation_backward
//   9. L_model_backward          10. update_parameters

#ifndef DLCOURSE_COURSE1_NN_DEEP_NN_DEEP_NN_H_
#define DLCOURSE_COURSE1_NN_DEEP_NN_DEEP_NN_H_

#include <map>
#include <string>
#include <vector>

#include "common/core/tensor.h"

namespace deep_nn {

using dl::Matrix;

// The network's parameters, by the course's names:
//   "W1", "b1", ..., "WL", "bL"; W[l] (n[l], n[l-1]), b[l] (n[l], 1).
// The number of layers is L = parameters.size() / 2.
using Parameters = std::map<std::string, Matrix>;

// The gradients L_model_backward returns, by the course's names:
//   "dA0", ..., "dA{L-1}"  (the shape of A[l])
//   "dW1", ..., "dWL"      (the shape of W[l])
//   "db1", ..., "dbL"      (the shape of b[l])
using Grads = std::map<std::string, Matrix>;

// What linear_forward keeps for linear_backward: the course's (A, W, b).
struct LinearCache {
  Matrix A_prev;  // (n[l-1], m), the layer's input
  Matrix W;       // (n[l], n[l-1])
  Matrix b;       // (n[l], 1)
};

// What linear_activation_forward keeps for linear_activation_backward: the
// course's (linear_cache, activation_cache) = ((A_prev, W, b), Z).
struct ActivationCache {
  LinearCache linear;
  Matrix Z;  // (n[l], m), the activation's input
};

// The course's "sigmoid" / "relu" strings.
enum class Activation { kSigmoid, kRelu };

// A 2-layer network LINEAR -> RELU -> LINEAR -> SIGMOID.
// Seeds the generator inside (np.random.seed(1)), then
//   W1 = randn(n_h, n_x) * 0.01    b1 = zeros (n_h, 1)
//   W2 = randn(n_y, n_h) * 0.01    b2 = zeros (n_y, 1)
// in that order. Keys "W1", "b1", "W2", "b2".
Parameters initialize_parameters(int n_x, int n_h, int n_y);

// An L-layer network, layer_dims = {n[0] = n_x, n[1], ..., n[L]}.
// Seeds the generator inside (np.random.seed(3)), then for l = 1..L:
//   W[l] = randn(n[l], n[l-1]) * 0.01    b[l] = zeros (n[l], 1)
Parameters initialize_parameters_deep(const std::vector<int>& layer_dims);

struct LinearForward {
  Matrix Z;           // (n[l], m)
  LinearCache cache;  // A_prev = A, W, b
};

// The linear part of a layer: Z = W A + b (b added to every column).
//   A: (n[l-1], m)  W: (n[l], n[l-1])  b: (n[l], 1)  ->  Z: (n[l], m)
LinearForward linear_forward(const Matrix& A, const Matrix& W, const Matrix& b);

struct ActivationForward {
  Matrix A;               // (n[l], m), g(Z)
  ActivationCache cache;  // ((A_prev, W, b), Z)
};

// One whole layer: Z = W A_prev + b, then A = g(Z) with g = sigmoid or relu
// (dl::sigmoid, dl::relu from common/nn/activations.h).
//   A_prev: (n[l-1], m)  W: (n[l], n[l-1])  b: (n[l], 1)  ->  A: (n[l], m)
ActivationForward linear_activation_forward(const Matrix& A_prev,
                                            const Matrix& W, const Matrix& b,
                                            Activation activation);

struct ModelForward {
  Matrix AL;                            // (n[L], m), the sigmoid's output
  std::vector<ActivationCache> caches;  // L caches, caches[l - 1] for layer l
};

// The forward pass: [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID, with
// L = parameters.size() / 2.
//   X: (n_x, m)  ->  AL: (n[L], m), and one cache per layer, in order.
ModelForward L_model_forward(const Matrix& X, const Parameters& parameters);

// The cross-entropy cost:
//   J = -(1/m) Σ [ Y log(AL) + (1 - Y) log(1 - AL) ]
//   AL, Y: (1, m)  ->  a number.
double compute_cost(const Matrix& AL, const Matrix& Y);

// The gradients of a layer's linear part (and of an activation's layer).
struct LinearBackward {
  Matrix dA_prev;  // (n[l-1], m), the shape of A_prev
  Matrix dW;       // (n[l], n[l-1]), the shape of W
  Matrix db;       // (n[l], 1), the shape of b
};

// The backward pass of Z = W A_prev + b, given dZ = ∂L/∂Z:
//   dW = (1/m) dZ A_prevᵀ     db = (1/m) Σ_columns dZ     dA_prev = Wᵀ dZ
//   dZ: (n[l], m), cache from linear_forward.
LinearBackward linear_backward(const Matrix& dZ, const LinearCache& cache);

// The backward pass of a whole layer, given dA = ∂L/∂A:
//   dZ = g'(Z) ⊙ dA (dl::relu_backward / dl::sigmoid_backward), then
//   linear_backward(dZ, cache.linear).
//   dA: (n[l], m), cache from linear_activation_forward.
LinearBackward linear_activation_backward(const Matrix& dA,
                                          const ActivationCache& cache,
                                          Activation activation);

// The backward pass of the whole network:
//   dAL = -(Y / AL - (1 - Y) / (1 - AL))          entry by entry
//   layer L (SIGMOID), then layers L-1..1 (RELU), each with
//   linear_activation_backward; layer l stores
//     grads["dA{l-1}"], grads["dW{l}"], grads["db{l}"].
//   AL, Y: (n[L], m), caches from L_model_forward.
Grads L_model_backward(const Matrix& AL, const Matrix& Y,
                       const std::vector<ActivationCache>& caches);

// One step of gradient descent on every layer l = 1..L
// (L = parameters.size() / 2):
//   W[l] = W[l] - learning_rate * dW[l]
//   b[l] = b[l] - learning_rate * db[l]
// Returns the new parameters (same keys); grads needs "dW{l}" and "db{l}".
Parameters update_parameters(const Parameters& params, const Grads& grads,
                             double learning_rate);

// The reference solution (reference.cc) has the same functions, in
// deep_nn::reference. The grader compares yours with it, and
// course1_nn/deep_nn_app uses them as the course's given dnn_app_utils.
namespace reference {
decltype(deep_nn::initialize_parameters) initialize_parameters;
decltype(deep_nn::initialize_parameters_deep) initialize_parameters_deep;
decltype(deep_nn::linear_forward) linear_forward;
decltype(deep_nn::linear_activation_forward) linear_activation_forward;
decltype(deep_nn::L_model_forward) L_model_forward;
decltype(deep_nn::compute_cost) compute_cost;
decltype(deep_nn::linear_backward) linear_backward;
decltype(deep_nn::linear_activation_backward) linear_activation_backward;
decltype(deep_nn::L_model_backward) L_model_backward;
decltype(deep_nn::update_parameters) update_parameters;
}  // namespace reference

}  // namespace deep_nn

#endif  // DLCOURSE_COURSE1_NN_DEEP_NN_DEEP_NN_H_
