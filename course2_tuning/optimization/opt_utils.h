// File: course2_tuning/optimization/opt_utils.h
//
// Given code (not graded): the course's opt_utils.py. The 3-layer model
//   X -> LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID -> a3
// with layers_dims = {n_x, 5, 2, 1} in the application; its forward and
// backward passes are the same as course2_tuning/initialization's
// init_utils (the course's two files share them).

#ifndef DLCOURSE_COURSE2_TUNING_OPTIMIZATION_OPT_UTILS_H_
#define DLCOURSE_COURSE2_TUNING_OPTIMIZATION_OPT_UTILS_H_

#include <vector>

#include "common/core/tensor.h"
#include "course1_nn/deep_nn/deep_nn.h"
#include "course2_tuning/initialization/init_utils.h"

namespace opt_utils {

using deep_nn::Grads;
using deep_nn::Parameters;
using dl::Matrix;
using init_utils::backward_propagation;
using init_utils::forward_propagation;
using init_utils::predict;

// He initialization as opt_utils has it: np.random.seed(3), then for
// l = 1..L: W[l] = randn(n[l], n[l-1]) * sqrt(2 / n[l-1]), b[l] = zeros.
Parameters initialize_parameters(const std::vector<int>& layers_dims);

// The SUM of the cross-entropy losses over the mini-batch (not the mean):
//   logprobs = -log(a3) * Y - log(1 - a3) * (1 - Y);  cost_total = Σ logprobs
// The model divides the epoch's total by m.
double compute_cost(const Matrix& a3, const Matrix& Y);

// np.mean(p == Y).
double accuracy(const Matrix& predictions, const Matrix& Y);

}  // namespace opt_utils

#endif  // DLCOURSE_COURSE2_TUNING_OPTIMIZATION_OPT_UTILS_H_
