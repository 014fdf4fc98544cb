// Your solutions to course1_nn/deep_nn_app. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course1_nn/deep_nn_app/...
// The building blocks are given: deep_nn::reference::linear_activation_forward,
// ...::L_model_forward, ...::compute_cost, ...::linear_activation_backward,
// ...::L_model_backward, ...::update_parameters and
// deep_nn::reference::initialize_parameters (see course1_nn/deep_nn/deep_nn.h).

#include <cstdio>
#include <vector>

#include "common/grading/not_implemented.h"
#include "course1_nn/deep_nn/deep_nn.h"
#include "course1_nn/deep_nn_app/deep_nn_app.h"

namespace deep_nn_app {

// The course's given functions, under the course's names.
namespace given = deep_nn::reference;

TrainResult two_layer_model(const Matrix& X, const Matrix& Y,
                            const std::vector<int>& layers_dims,
                            double learning_rate, int num_iterations,
                            bool print_cost) {
  // TODO: parameters = given::initialize_parameters(n_x, n_h, n_y); then
  //   num_iterations times: two given::linear_activation_forward (relu, then
  //   sigmoid), given::compute_cost, dA2 = -(Y/A2 - (1-Y)/(1-A2)), two
  //   given::linear_activation_backward (sigmoid, then relu), put dW1, db1,
  //   dW2, db2 in a Grads map, given::update_parameters. Record the cost when
  //   i % 100 == 0. (≈20 lines)
  return dl::not_implemented<TrainResult>("two_layer_model");
}

TrainResult L_layer_model(const Matrix& X, const Matrix& Y,
                          const std::vector<int>& layers_dims,
                          double learning_rate, int num_iterations,
                          bool print_cost) {
  // TODO: parameters = initialize_parameters_deep(layers_dims) (this unit's,
  //   not the step-by-step one); then num_iterations times:
  //   given::L_model_forward, given::compute_cost, given::L_model_backward,
  //   given::update_parameters. Record the cost when i % 100 == 0.
  //   (≈12 lines)
  return dl::not_implemented<TrainResult>("L_layer_model");
}

}  // namespace deep_nn_app
