// File: course1_nn/deep_nn_app/deep_nn_app.h
//
// Course 1, week 4, assignment 2: "Deep Neural Network for Image
// Classification: Application". With the building blocks of
// course1_nn/deep_nn (given here: the reference solution, like the course's
// dnn_app_utils), you train two models on the cat / non-cat pictures:
//
//   two_layer_model:  LINEAR -> RELU -> LINEAR -> SIGMOID
//   L_layer_model:    [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID
//
// Shapes: X (n_x, m) = (12288, 209) for the pictures, Y (1, m) of 0/1.
// layers_dims: two_layer_model {n_x, n_h, n_y} = {12288, 7, 1};
//              L_layer_model   {12288, 20, 7, 5, 1}.
//
// Exercises, in order (write them in exercise.cc):
//   1. two_layer_model  2. L_layer_model

#ifndef DLCOURSE_COURSE1_NN_DEEP_NN_APP_DEEP_NN_APP_H_
#define DLCOURSE_COURSE1_NN_DEEP_NN_APP_DEEP_NN_APP_H_

#include <vector>

#include "common/core/tensor.h"
#include "course1_nn/deep_nn/deep_nn.h"

namespace deep_nn_app {

using deep_nn::Parameters;
using dl::Matrix;

struct TrainResult {
  Parameters parameters;      // "W1", "b1", ... after the last iteration
  std::vector<double> costs;  // the cost at iterations 0, 100, 200, ...
};

// Gradient descent on a 2-layer network, the course's way:
//   parameters = initialize_parameters(n_x, n_h, n_y)    (given; seed 1)
//   repeat num_iterations times:
//     A1 = relu(W1 X + b1), A2 = sigmoid(W2 A1 + b2)
//         (linear_activation_forward)
//     cost = compute_cost(A2, Y)
//     dA2 = -(Y / A2 - (1 - Y) / (1 - A2))
//     backward through both layers (linear_activation_backward)
//     parameters = update_parameters(parameters, grads, learning_rate)
//   Record the cost when i % 100 == 0; if print_cost, print
//   "Cost after iteration i: cost" then and at the last iteration.
//   X: (n_x, m)  Y: (1, m)  layers_dims: {n_x, n_h, n_y}
TrainResult two_layer_model(const Matrix& X, const Matrix& Y,
                            const std::vector<int>& layers_dims,
                            double learning_rate = 0.0075,
                            int num_iterations = 3000, bool print_cost = false);

// The same with L layers:
//   parameters = initialize_parameters_deep(layers_dims)   (given below!)
//   repeat: L_model_forward, compute_cost, L_model_backward,
//           update_parameters. Costs and printing as above.
//   layers_dims: {n_x, n_1, ..., n_L}
TrainResult L_layer_model(const Matrix& X, const Matrix& Y,
                          const std::vector<int>& layers_dims,
                          double learning_rate = 0.0075,
                          int num_iterations = 3000, bool print_cost = false);

// Given (the course's dnn_app_utils; not graded):
//
// The application's initialization, which differs from the step-by-step
// one: seed 1 and W[l] = randn(n[l], n[l-1]) / sqrt(n[l-1]), b[l] = 0.
Parameters initialize_parameters_deep(const std::vector<int>& layers_dims);
// Labels 0/1 (1, m): 1 where L_model_forward's AL > 0.5.
Matrix predict(const Matrix& X, const Parameters& parameters);

// The reference solution (reference.cc) has the same functions, in
// deep_nn_app::reference. The grader compares yours with it.
namespace reference {
decltype(deep_nn_app::two_layer_model) two_layer_model;
decltype(deep_nn_app::L_layer_model) L_layer_model;
}  // namespace reference

}  // namespace deep_nn_app

#endif  // DLCOURSE_COURSE1_NN_DEEP_NN_APP_DEEP_NN_APP_H_
