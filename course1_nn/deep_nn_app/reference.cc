// The reference solution of course1_nn/deep_nn_app.

#include <cstdio>
#include <vector>

#include "course1_nn/deep_nn/deep_nn.h"
#include "course1_nn/deep_nn_app/deep_nn_app.h"

namespace deep_nn_app {
namespace reference {

namespace given = deep_nn::reference;
using deep_nn::Activation;
using deep_nn::Grads;

namespace {

void report(int i, int num_iterations, double cost, bool print_cost,
            std::vector<double>& costs) {
  if (print_cost && (i % 100 == 0 || i == num_iterations - 1)) {
    std::printf("Cost after iteration %d: %.16g\n", i, cost);
  }
  if (i % 100 == 0) costs.push_back(cost);
}

}  // namespace

TrainResult two_layer_model(const Matrix& X, const Matrix& Y,
                            const std::vector<int>& layers_dims,
                            double learning_rate, int num_iterations,
                            bool print_cost) {
  TrainResult result;
  Parameters& parameters = result.parameters;
  parameters = given::initialize_parameters(layers_dims[0], layers_dims[1],
                                            layers_dims[2]);
  for (int i = 0; i < num_iterations; ++i) {
    // Forward: LINEAR -> RELU -> LINEAR -> SIGMOID.
    const auto layer1 = given::linear_activation_forward(
        X, parameters["W1"], parameters["b1"], Activation::kRelu);
    const auto layer2 = given::linear_activation_forward(
        layer1.A, parameters["W2"], parameters["b2"], Activation::kSigmoid);
    const Matrix& A2 = layer2.A;
    const double cost = given::compute_cost(A2, Y);
    // Backward.
    const Matrix dA2 =
        -(Y.array() / A2.array() - (1.0 - Y.array()) / (1.0 - A2.array()))
             .matrix();
    const auto back2 = given::linear_activation_backward(dA2, layer2.cache,
                                                         Activation::kSigmoid);
    const auto back1 = given::linear_activation_backward(
        back2.dA_prev, layer1.cache, Activation::kRelu);
    const Grads grads = {{"dW1", back1.dW},
                         {"db1", back1.db},
                         {"dW2", back2.dW},
                         {"db2", back2.db}};
    parameters = given::update_parameters(parameters, grads, learning_rate);
    report(i, num_iterations, cost, print_cost, result.costs);
  }
  return result;
}

TrainResult L_layer_model(const Matrix& X, const Matrix& Y,
                          const std::vector<int>& layers_dims,
                          double learning_rate, int num_iterations,
                          bool print_cost) {
  TrainResult result;
  Parameters& parameters = result.parameters;
  parameters = initialize_parameters_deep(layers_dims);
  for (int i = 0; i < num_iterations; ++i) {
    const auto forward = given::L_model_forward(X, parameters);
    const double cost = given::compute_cost(forward.AL, Y);
    const Grads grads = given::L_model_backward(forward.AL, Y, forward.caches);
    parameters = given::update_parameters(parameters, grads, learning_rate);
    report(i, num_iterations, cost, print_cost, result.costs);
  }
  return result;
}

}  // namespace reference
}  // namespace deep_nn_app
