// File: course2_tuning/initialization/init_utils.h
//
// Given code (not graded): the course's init_utils.py for the 3-layer model
//   X -> LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID -> a3
// that the application trains with each initialization, and the course's
// model() itself.
//
// Shapes (layers_dims = {n_x, n1, n2, 1}, m examples, one per column):
//   X (n_x, m)  W1 (n1, n_x)  W2 (n2, n1)  W3 (1, n2)  a3, Y (1, m)

#ifndef DLCOURSE_COURSE2_TUNING_INITIALIZATION_INIT_UTILS_H_
#define DLCOURSE_COURSE2_TUNING_INITIALIZATION_INIT_UTILS_H_

#include <functional>
#include <vector>

#include "common/core/tensor.h"
#include "course1_nn/deep_nn/deep_nn.h"

namespace init_utils {

using deep_nn::Grads;
using deep_nn::Parameters;
using dl::Matrix;

// The course's cache tuple (z1, a1, W1, b1, z2, a2, W2, b2, z3, a3, W3, b3).
struct Cache {
  Matrix z1, a1, W1, b1, z2, a2, W2, b2, z3, a3, W3, b3;
};

struct Forward {
  Matrix a3;  // (1, m)
  Cache cache;
};

// z1 = W1 X + b1, a1 = relu(z1), z2 = W2 a1 + b2, a2 = relu(z2),
// z3 = W3 a2 + b3, a3 = sigmoid(z3).
Forward forward_propagation(const Matrix& X, const Parameters& parameters);

// np.sum(a) as numpy adds a contiguous array (pairwise, 8 accumulators),
// so sums agree with the course's to the last bit.
double numpy_sum(const Eigen::ArrayXXd& a);

// The course's loss, as written there:
//   logprobs = -log(a3) * Y - log(1 - a3) * (1 - Y)   entry by entry
//   loss = 1/m * nansum(logprobs)
// (nansum skips 0 * log(0) = NaN; a saturated wrong answer gives inf.)
double compute_loss(const Matrix& a3, const Matrix& Y);

// dz3 = 1/m (a3 - Y); dW3 = dz3 a2ᵀ; db3 = Σ_columns dz3;
// da2 = W3ᵀ dz3; dz2 = da2 ⊙ (a2 > 0); ... down to dW1, db1.
// Keys "dz3", "dW3", "db3", "da2", "dz2", "dW2", "db2", "da1", "dz1",
// "dW1", "db1".
Grads backward_propagation(const Matrix& X, const Matrix& Y,
                           const Cache& cache);

// W[l] -= learning_rate dW[l], b[l] -= learning_rate db[l].
Parameters update_parameters(const Parameters& parameters, const Grads& grads,
                             double learning_rate);

// 1 where a3 > 0.5, else 0 (0.5 itself is 0): (1, m).
Matrix predict(const Matrix& X, const Parameters& parameters);

// The fraction of predictions equal to Y: np.mean(p[0, :] == y[0, :]).
double accuracy(const Matrix& predictions, const Matrix& Y);

struct ModelResult {
  Parameters parameters;
  std::vector<double> costs;  // the loss at iterations 0, 1000, 2000, ...
};

// The course's model(X, Y, learning_rate = 0.01, num_iterations = 15000,
// initialization): layers_dims = {n_x, 10, 5, 1}, parameters =
// initialize(layers_dims), then num_iterations steps of forward, loss,
// backward, update; the loss of iteration i is kept when i % 1000 == 0.
// on_iteration(i), if given, is called after each step (for a progress bar).
ModelResult model(
    const Matrix& X, const Matrix& Y,
    const std::function<Parameters(const std::vector<int>&)>& initialize,
    double learning_rate = 0.01, int num_iterations = 15000,
    const std::function<void(int)>& on_iteration = nullptr);

}  // namespace init_utils

#endif  // DLCOURSE_COURSE2_TUNING_INITIALIZATION_INIT_UTILS_H_
