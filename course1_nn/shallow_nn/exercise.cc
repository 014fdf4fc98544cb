// Your solutions to course1_nn/shallow_nn. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course1_nn/shallow_nn/...
// The formulas and shapes are in shallow_nn.h and README.md.
//
// Given: dl::sigmoid(Z) and dl::tanh(Z) from common/nn/activations.h (the
// course's planar_utils.sigmoid and np.tanh), entry by entry.

#include <cmath>
#include <cstdio>
#include <vector>

#include "common/core/random.h"
#include "common/grading/not_implemented.h"
#include "common/nn/activations.h"
#include "course1_nn/shallow_nn/shallow_nn.h"

namespace shallow_nn {

LayerSizes layer_sizes(const Matrix& X, const Matrix& Y) {
  // TODO: n_x = the size of the input layer, n_h = 4, n_y = the size of the
  //       output layer. (≈3 lines)
  //   Hint: the sizes are the numbers of ROWS: X.rows(), Y.rows().
  return dl::not_implemented<LayerSizes>("layer_sizes");
}

Parameters initialize_parameters(int n_x, int n_h, int n_y,
                                 dl::RandomState& rng) {
  // TODO: W1 = randn(n_h, n_x) * 0.01, b1 = zeros (n_h, 1),
  //       W2 = randn(n_y, n_h) * 0.01, b2 = zeros (n_y, 1). (≈4 lines)
  //   Hint: rng.randn(rows, cols) is np.random.randn(rows, cols); draw W1
  //   first, then W2. Matrix::Zero(rows, cols) is np.zeros.
  return dl::not_implemented<Parameters>("initialize_parameters");
}

ForwardResult forward_propagation(const Matrix& X,
                                  const Parameters& parameters) {
  // TODO: Z1 = W1 X + b1, A1 = tanh(Z1), Z2 = W2 A1 + b2, A2 = σ(Z2);
  //       return A2 and the cache {Z1, A1, Z2, A2}. (≈5 lines)
  //   Hint: W1 * X is the matrix product; Eigen does not broadcast, so add
  //   the column b1 to every column with (W1 * X).colwise() + b1.col(0).
  return dl::not_implemented<ForwardResult>("forward_propagation");
}

double compute_cost(const Matrix& A2, const Matrix& Y) {
  // TODO: J = -(1/m) Σ [ Y log(A2) + (1 - Y) log(1 - A2) ]. (≈3 lines)
  //   Hint: A2.array().log() and (1.0 - A2.array()).log() are entry by
  //   entry; multiply by Y.array(), then .sum(). m = Y.cols(), as a double.
  return dl::not_implemented<double>("compute_cost");
}

Grads backward_propagation(const Parameters& parameters, const Cache& cache,
                           const Matrix& X, const Matrix& Y) {
  // TODO: dZ2 = A2 - Y,  dW2 = (1/m) dZ2 A1ᵀ,  db2 = (1/m) Σ_columns dZ2,
  //       dZ1 = W2ᵀ dZ2 ⊙ (1 - A1²),
  //       dW1 = (1/m) dZ1 Xᵀ,  db1 = (1/m) Σ_columns dZ1. (≈6 lines)
  //   Hint: A1 and A2 come from the cache, W2 from parameters.
  //   dZ2.rowwise().sum() sums each row (numpy's axis=1, keepdims=True).
  //   ⊙ is entry by entry: (...).array() * (1.0 - A1.array().square()).
  return dl::not_implemented<Grads>("backward_propagation");
}

Parameters update_parameters(const Parameters& parameters, const Grads& grads,
                             double learning_rate) {
  // TODO: W1 = W1 - learning_rate * dW1, and the same for b1, W2, b2.
  //       Return the new parameters. (≈5 lines)
  return dl::not_implemented<Parameters>("update_parameters");
}

NnModelResult nn_model(const Matrix& X, const Matrix& Y, int n_h,
                       int num_iterations, bool print_cost) {
  // TODO: dl::RandomState rng(3) (the course's np.random.seed(3)); n_x and
  //       n_y from layer_sizes; initialize_parameters(n_x, n_h, n_y, rng).
  //       Then num_iterations times: forward_propagation, compute_cost,
  //       backward_propagation, update_parameters (learning rate 1.2).
  //       When i % 1000 == 0, keep the cost in result.costs and, if
  //       print_cost, printf("Cost after iteration %d: %f\n", i, cost).
  //       (≈15 lines)
  return dl::not_implemented<NnModelResult>("nn_model");
}

Matrix predict(const Parameters& parameters, const Matrix& X) {
  // TODO: A2 from forward_propagation; 1 where A2 > 0.5, else 0. (≈2 lines)
  //   Hint: (A2.array() > 0.5).cast<double>() gives 1.0 / 0.0.
  return dl::not_implemented<Matrix>("predict");
}

}  // namespace shallow_nn
