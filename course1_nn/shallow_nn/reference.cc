// The reference solution of course1_nn/shallow_nn.

#include <cstdio>
#include <vector>

#include "common/core/random.h"
#include "common/nn/activations.h"
#include "course1_nn/shallow_nn/shallow_nn.h"

namespace shallow_nn {
namespace reference {

LayerSizes layer_sizes(const Matrix& X, const Matrix& Y) {
  LayerSizes sizes;
  sizes.n_x = static_cast<int>(X.rows());  // the size of the input layer
  sizes.n_h = 4;
  sizes.n_y = static_cast<int>(Y.rows());  // the size of the output layer
  return sizes;
}

Parameters initialize_parameters(int n_x, int n_h, int n_y,
                                 dl::RandomState& rng) {
  Parameters p;
  p.W1 = rng.randn(n_h, n_x) * 0.01;
  p.b1 = Matrix::Zero(n_h, 1);
  p.W2 = rng.randn(n_y, n_h) * 0.01;
  p.b2 = Matrix::Zero(n_y, 1);
  return p;
}

ForwardResult forward_propagation(const Matrix& X,
                                  const Parameters& parameters) {
  const Parameters& p = parameters;
  ForwardResult result;
  Cache& c = result.cache;
  c.Z1 = (p.W1 * X).colwise() + p.b1.col(0);     // (n_h, m)
  c.A1 = dl::tanh(c.Z1);                         // (n_h, m)
  c.Z2 = (p.W2 * c.A1).colwise() + p.b2.col(0);  // (n_y, m)
  c.A2 = dl::sigmoid(c.Z2);                      // (n_y, m)
  result.A2 = c.A2;
  return result;
}

double compute_cost(const Matrix& A2, const Matrix& Y) {
  const double m = static_cast<double>(Y.cols());
  const Eigen::ArrayXXd logprobs = A2.array().log() * Y.array() +
                                   (1.0 - A2.array()).log() * (1.0 - Y.array());
  return -logprobs.sum() / m;
}

Grads backward_propagation(const Parameters& parameters, const Cache& cache,
                           const Matrix& X, const Matrix& Y) {
  const double m = static_cast<double>(X.cols());
  const Matrix& W2 = parameters.W2;
  const Matrix& A1 = cache.A1;
  const Matrix& A2 = cache.A2;
  Grads g;
  const Matrix dZ2 = A2 - Y;  // (n_y, m)
  g.dW2 = dZ2 * A1.transpose() / m;
  g.db2 = dZ2.rowwise().sum() / m;
  // tanh'(Z1) = 1 - tanh(Z1)² = 1 - A1².
  const Matrix dZ1 =
      ((W2.transpose() * dZ2).array() * (1.0 - A1.array().square()))
          .matrix();  // (n_h, m)
  g.dW1 = dZ1 * X.transpose() / m;
  g.db1 = dZ1.rowwise().sum() / m;
  return g;
}

Parameters update_parameters(const Parameters& parameters, const Grads& grads,
                             double learning_rate) {
  Parameters p = parameters;
  p.W1 -= learning_rate * grads.dW1;
  p.b1 -= learning_rate * grads.db1;
  p.W2 -= learning_rate * grads.dW2;
  p.b2 -= learning_rate * grads.db2;
  return p;
}

// The calls here and in predict say reference:: because the arguments' types
// live in namespace shallow_nn, so C++ would also find the learner's functions
// there (argument-dependent lookup).
NnModelResult nn_model(const Matrix& X, const Matrix& Y, int n_h,
                       int num_iterations, bool print_cost) {
  dl::RandomState rng(3);  // np.random.seed(3)
  const LayerSizes sizes = reference::layer_sizes(X, Y);
  NnModelResult result;
  result.parameters =
      reference::initialize_parameters(sizes.n_x, n_h, sizes.n_y, rng);
  for (int i = 0; i < num_iterations; ++i) {
    const ForwardResult forward =
        reference::forward_propagation(X, result.parameters);
    const double cost = reference::compute_cost(forward.A2, Y);
    const Grads grads =
        reference::backward_propagation(result.parameters, forward.cache, X, Y);
    result.parameters =
        reference::update_parameters(result.parameters, grads, 1.2);
    if (i % 1000 == 0) {
      result.costs.push_back(cost);
      if (print_cost) std::printf("Cost after iteration %d: %f\n", i, cost);
    }
  }
  return result;
}

Matrix predict(const Parameters& parameters, const Matrix& X) {
  const Matrix A2 = reference::forward_propagation(X, parameters).A2;
  return (A2.array() > 0.5).cast<double>().matrix();
}

}  // namespace reference
}  // namespace shallow_nn
