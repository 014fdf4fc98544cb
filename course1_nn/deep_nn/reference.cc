// The reference solution of course1_nn/deep_nn. Also the course's given
// building blocks for course1_nn/deep_nn_app.

#include <string>
#include <utility>
#include <vector>

#include "common/core/random.h"
#include "common/nn/activations.h"
#include "course1_nn/deep_nn/deep_nn.h"

namespace deep_nn {
namespace reference {

// The calls below say `reference::` because an argument of a deep_nn type
// (Activation, ActivationCache) also brings deep_nn::'s functions (the
// exercise's) into the lookup.

Parameters initialize_parameters(int n_x, int n_h, int n_y) {
  dl::RandomState rng(1);  // np.random.seed(1)
  Parameters parameters;
  parameters["W1"] = rng.randn(n_h, n_x) * 0.01;
  parameters["b1"] = Matrix::Zero(n_h, 1);
  parameters["W2"] = rng.randn(n_y, n_h) * 0.01;
  parameters["b2"] = Matrix::Zero(n_y, 1);
  return parameters;
}

Parameters initialize_parameters_deep(const std::vector<int>& layer_dims) {
  dl::RandomState rng(3);  // np.random.seed(3)
  Parameters parameters;
  const size_t L = layer_dims.size();  // number of layers, plus one
  for (size_t l = 1; l < L; ++l) {
    const std::string n = std::to_string(l);
    parameters["W" + n] = rng.randn(layer_dims[l], layer_dims[l - 1]) * 0.01;
    parameters["b" + n] = Matrix::Zero(layer_dims[l], 1);
  }
  return parameters;
}

LinearForward linear_forward(const Matrix& A, const Matrix& W,
                             const Matrix& b) {
  LinearForward out;
  out.Z = (W * A).colwise() + b.col(0);
  out.cache = {A, W, b};
  return out;
}

ActivationForward linear_activation_forward(const Matrix& A_prev,
                                            const Matrix& W, const Matrix& b,
                                            Activation activation) {
  LinearForward linear = reference::linear_forward(A_prev, W, b);
  ActivationForward out;
  out.A = activation == Activation::kSigmoid ? dl::sigmoid(linear.Z)
                                             : dl::relu(linear.Z);
  // std::move hands the matrices over instead of copying them (the first
  // layer's cache holds all of X).
  out.cache = {std::move(linear.cache), std::move(linear.Z)};
  return out;
}

ModelForward L_model_forward(const Matrix& X, const Parameters& parameters) {
  ModelForward out;
  const int L = static_cast<int>(parameters.size() / 2);
  Matrix A;  // A[l-1]; for l = 1 that is X itself (not copied)
  // [LINEAR -> RELU] x (L-1).
  for (int l = 1; l < L; ++l) {
    const std::string n = std::to_string(l);
    ActivationForward layer = reference::linear_activation_forward(
        l == 1 ? X : A, parameters.at("W" + n), parameters.at("b" + n),
        Activation::kRelu);
    A = std::move(layer.A);
    out.caches.push_back(std::move(layer.cache));
  }
  // LINEAR -> SIGMOID.
  const std::string n = std::to_string(L);
  ActivationForward layer = reference::linear_activation_forward(
      L == 1 ? X : A, parameters.at("W" + n), parameters.at("b" + n),
      Activation::kSigmoid);
  out.AL = std::move(layer.A);
  out.caches.push_back(std::move(layer.cache));
  return out;
}

double compute_cost(const Matrix& AL, const Matrix& Y) {
  const double m = static_cast<double>(Y.cols());
  return -(Y.array() * AL.array().log() +
           (1.0 - Y.array()) * (1.0 - AL.array()).log())
              .sum() /
         m;
}

LinearBackward linear_backward(const Matrix& dZ, const LinearCache& cache) {
  const double m = static_cast<double>(cache.A_prev.cols());
  LinearBackward out;
  out.dW = dZ * cache.A_prev.transpose() / m;
  out.db = dZ.rowwise().sum() / m;
  out.dA_prev = cache.W.transpose() * dZ;
  return out;
}

LinearBackward linear_activation_backward(const Matrix& dA,
                                          const ActivationCache& cache,
                                          Activation activation) {
  const Matrix dZ = activation == Activation::kSigmoid
                        ? dl::sigmoid_backward(dA, cache.Z)
                        : dl::relu_backward(dA, cache.Z);
  return reference::linear_backward(dZ, cache.linear);
}

Grads L_model_backward(const Matrix& AL, const Matrix& Y,
                       const std::vector<ActivationCache>& caches) {
  Grads grads;
  const int L = static_cast<int>(caches.size());
  // The derivative of the cost with respect to AL.
  const Matrix dAL =
      -(Y.array() / AL.array() - (1.0 - Y.array()) / (1.0 - AL.array()))
           .matrix();
  // Layer L: SIGMOID -> LINEAR.
  LinearBackward back = reference::linear_activation_backward(
      dAL, caches[L - 1], Activation::kSigmoid);
  grads["dA" + std::to_string(L - 1)] = std::move(back.dA_prev);
  grads["dW" + std::to_string(L)] = std::move(back.dW);
  grads["db" + std::to_string(L)] = std::move(back.db);
  // Layers L-1 .. 1: RELU -> LINEAR.
  for (int l = L - 1; l >= 1; --l) {
    back = reference::linear_activation_backward(
        grads["dA" + std::to_string(l)], caches[l - 1], Activation::kRelu);
    grads["dA" + std::to_string(l - 1)] = std::move(back.dA_prev);
    grads["dW" + std::to_string(l)] = std::move(back.dW);
    grads["db" + std::to_string(l)] = std::move(back.db);
  }
  return grads;
}

Parameters update_parameters(const Parameters& params, const Grads& grads,
                             double learning_rate) {
  Parameters parameters = params;
  const int L = static_cast<int>(parameters.size() / 2);
  for (int l = 1; l <= L; ++l) {
    const std::string n = std::to_string(l);
    parameters["W" + n] -= learning_rate * grads.at("dW" + n);
    parameters["b" + n] -= learning_rate * grads.at("db" + n);
  }
  return parameters;
}

}  // namespace reference
}  // namespace deep_nn
