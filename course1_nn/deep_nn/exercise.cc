// Your solutions to course1_nn/deep_nn. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course1_nn/deep_nn/...
// The formulas and shapes are in deep_nn.h and README.md.

#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/grading/not_implemented.h"
#include "common/nn/activations.h"
#include "course1_nn/deep_nn/deep_nn.h"

namespace deep_nn {

Parameters initialize_parameters(int n_x, int n_h, int n_y) {
  // TODO: dl::RandomState rng(1);  (np.random.seed(1)), then, in this order:
  //       W1 = randn(n_h, n_x) * 0.01, b1 = zeros (n_h, 1),
  //       W2 = randn(n_y, n_h) * 0.01, b2 = zeros (n_y, 1). (≈6 lines)
  //   Hint: rng.randn(rows, cols) is np.random.randn; Matrix::Zero(rows, 1).
  //   Store them as parameters["W1"] = ...
  return dl::not_implemented<Parameters>("initialize_parameters");
}

Parameters initialize_parameters_deep(const std::vector<int>& layer_dims) {
  // TODO: dl::RandomState rng(3);  then for l = 1 .. layer_dims.size() - 1:
  //       W[l] = randn(n[l], n[l-1]) * 0.01, b[l] = zeros (n[l], 1). (≈5 lines)
  //   Hint: the key of layer l is "W" + std::to_string(l).
  return dl::not_implemented<Parameters>("initialize_parameters_deep");
}

LinearForward linear_forward(const Matrix& A, const Matrix& W,
                             const Matrix& b) {
  // TODO: Z = W A + b; cache = (A, W, b). (≈2 lines)
  //   Hint: Eigen does not broadcast b: (W * A).colwise() + b.col(0).
  return dl::not_implemented<LinearForward>("linear_forward");
}

ActivationForward linear_activation_forward(const Matrix& A_prev,
                                            const Matrix& W, const Matrix& b,
                                            Activation activation) {
  // TODO: Z, linear_cache = linear_forward(A_prev, W, b);
  //       A = sigmoid(Z) or relu(Z); cache = (linear_cache, Z). (≈4 lines)
  //   Hint: dl::sigmoid and dl::relu are given (common/nn/activations.h).
  return dl::not_implemented<ActivationForward>("linear_activation_forward");
}

ModelForward L_model_forward(const Matrix& X, const Parameters& parameters) {
  // TODO: L = parameters.size() / 2; A = X;
  //       for l = 1 .. L-1: A = RELU layer with W[l], b[l]; keep its cache;
  //       AL = SIGMOID layer with W[L], b[L]; keep its cache. (≈10 lines)
  //   Hint: parameters.at("W" + std::to_string(l)); caches.push_back(...).
  return dl::not_implemented<ModelForward>("L_model_forward");
}

double compute_cost(const Matrix& AL, const Matrix& Y) {
  // TODO: J = -(1/m) Σ [ Y log(AL) + (1 - Y) log(1 - AL) ]. (≈2 lines)
  //   Hint: AL.array().log(), Y.array() * ..., then .sum(); m = Y.cols().
  return dl::not_implemented<double>("compute_cost");
}

LinearBackward linear_backward(const Matrix& dZ, const LinearCache& cache) {
  // TODO: m = A_prev.cols();
  //       dW = (1/m) dZ A_prevᵀ, db = (1/m) Σ_columns dZ, dA_prev = Wᵀ dZ.
  //       (≈4 lines)
  //   Hint: dZ.rowwise().sum() is (n[l], 1); divide by a double.
  return dl::not_implemented<LinearBackward>("linear_backward");
}

LinearBackward linear_activation_backward(const Matrix& dA,
                                          const ActivationCache& cache,
                                          Activation activation) {
  // TODO: dZ = relu_backward(dA, Z) or sigmoid_backward(dA, Z);
  //       return linear_backward(dZ, cache.linear). (≈4 lines)
  //   Hint: dl::relu_backward / dl::sigmoid_backward are given; Z is cache.Z.
  return dl::not_implemented<LinearBackward>("linear_activation_backward");
}

Grads L_model_backward(const Matrix& AL, const Matrix& Y,
                       const std::vector<ActivationCache>& caches) {
  // TODO: L = caches.size();
  //       dAL = -(Y / AL - (1 - Y) / (1 - AL));
  //       layer L (SIGMOID, caches[L-1]) -> grads "dA{L-1}", "dW{L}", "db{L}";
  //       for l = L-1 .. 1 (RELU, caches[l-1]), from grads "dA{l}":
  //         grads "dA{l-1}", "dW{l}", "db{l}". (≈12 lines)
  //   Hint: entry by entry: Y.array() / AL.array(); (1.0 - Y.array()).
  return dl::not_implemented<Grads>("L_model_backward");
}

Parameters update_parameters(const Parameters& params, const Grads& grads,
                             double learning_rate) {
  // TODO: parameters = params (a copy); L = parameters.size() / 2;
  //       for l = 1 .. L: W[l] -= learning_rate * dW[l];
  //                       b[l] -= learning_rate * db[l]. (≈6 lines)
  //   Hint: grads.at("dW" + std::to_string(l)).
  return dl::not_implemented<Parameters>("update_parameters");
}

}  // namespace deep_nn
