// File: course2_tuning/initialization/initialization.h
//
// Course 2, week 1, assignment 1: "Initialization". Three ways to start a
// network's weights, compared on the circles data set with the course's
// 3-layer model LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID:
//   zeros:  every unit of a layer learns the same thing (symmetry);
//   random: randn * 10, far too large (the sigmoid saturates);
//   He:     randn * sqrt(2 / n[l-1]), made for ReLU layers.
// Plus Xavier (randn * sqrt(1 / n[l-1]), not in the course; d2l's choice for
// tanh/sigmoid layers), to compare.
//
// layers_dims = {n[0] = n_x, n[1], ..., n[L]}; for l = 1..L:
//   W[l]: (n[l], n[l-1])   b[l]: (n[l], 1) zeros
// The parameters map has the course's keys "W1", "b1", ..., "WL", "bL"
// (deep_nn::Parameters, from course1_nn/deep_nn).
//
// Exercises, in order (write them in exercise.cc):
//   1. initialize_parameters_zeros    2. initialize_parameters_random
//   3. initialize_parameters_he       4. initialize_parameters_xavier

#ifndef DLCOURSE_COURSE2_TUNING_INITIALIZATION_INITIALIZATION_H_
#define DLCOURSE_COURSE2_TUNING_INITIALIZATION_INITIALIZATION_H_

#include <vector>

#include "common/core/tensor.h"
#include "course1_nn/deep_nn/deep_nn.h"

namespace initialization {

using deep_nn::Parameters;
using dl::Matrix;

// W[l] = zeros (n[l], n[l-1]), b[l] = zeros (n[l], 1), l = 1..L.
Parameters initialize_parameters_zeros(const std::vector<int>& layers_dims);

// Seeds the generator inside (np.random.seed(3)), then for l = 1..L in
// order: W[l] = randn(n[l], n[l-1]) * 10, b[l] = zeros (n[l], 1).
Parameters initialize_parameters_random(const std::vector<int>& layers_dims);

// He initialization. np.random.seed(3), then for l = 1..L:
//   W[l] = randn(n[l], n[l-1]) * sqrt(2 / n[l-1]), b[l] = zeros (n[l], 1).
Parameters initialize_parameters_he(const std::vector<int>& layers_dims);

// Xavier (Glorot) initialization, in the course's style (ours).
// np.random.seed(3), then for l = 1..L:
//   W[l] = randn(n[l], n[l-1]) * sqrt(1 / n[l-1]), b[l] = zeros (n[l], 1).
Parameters initialize_parameters_xavier(const std::vector<int>& layers_dims);

// The reference solution (reference.cc), in initialization::reference.
// clang-format off
namespace reference {
decltype(initialization::initialize_parameters_zeros) initialize_parameters_zeros;
decltype(initialization::initialize_parameters_random) initialize_parameters_random;
decltype(initialization::initialize_parameters_he) initialize_parameters_he;
decltype(initialization::initialize_parameters_xavier) initialize_parameters_xavier;
}  // namespace reference
// clang-format on

}  // namespace initialization

#endif  // DLCOURSE_COURSE2_TUNING_INITIALIZATION_INITIALIZATION_H_
