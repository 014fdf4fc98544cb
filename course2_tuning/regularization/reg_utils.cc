// The course's reg_utils for this unit: given, not graded.

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/nn/activations.h"
#include "course2_tuning/regularization/regularization.h"

namespace regularization {

Parameters initialize_parameters(const std::vector<int>& layer_dims) {
  if (layer_dims.size() != 4) {
    throw std::invalid_argument(
        "initialize_parameters: layer_dims must have 4 sizes {n_x, n1, n2, "
        "1}, got " +
        std::to_string(layer_dims.size()));
  }
  dl::RandomState rng(3);  // np.random.seed(3)
  auto weights = [&](int l) {
    return Matrix(rng.randn(layer_dims[l], layer_dims[l - 1]) /
                  std::sqrt(static_cast<double>(layer_dims[l - 1])));
  };
  Parameters p;
  p.W1 = weights(1);
  p.b1 = Matrix::Zero(layer_dims[1], 1);
  p.W2 = weights(2);
  p.b2 = Matrix::Zero(layer_dims[2], 1);
  p.W3 = weights(3);
  p.b3 = Matrix::Zero(layer_dims[3], 1);
  return p;
}

Forward forward_propagation(const Matrix& X, const Parameters& parameters) {
  const Parameters& p = parameters;
  Forward f;
  Cache3& c = f.cache;
  c.Z1 = (p.W1 * X).colwise() + p.b1.col(0);
  c.A1 = dl::relu(c.Z1);
  c.Z2 = (p.W2 * c.A1).colwise() + p.b2.col(0);
  c.A2 = dl::relu(c.Z2);
  c.Z3 = (p.W3 * c.A2).colwise() + p.b3.col(0);
  c.A3 = dl::sigmoid(c.Z3);
  c.W1 = p.W1, c.b1 = p.b1, c.W2 = p.W2, c.b2 = p.b2, c.W3 = p.W3, c.b3 = p.b3;
  f.A3 = c.A3;
  return f;
}

Gradients backward_propagation(const Matrix& X, const Matrix& Y,
                               const Cache3& cache) {
  const double m = static_cast<double>(X.cols());
  const Cache3& c = cache;
  Gradients g;
  g.dZ3 = c.A3 - Y;
  g.dW3 = g.dZ3 * c.A2.transpose() / m;
  g.db3 = g.dZ3.rowwise().sum() / m;
  g.dA2 = c.W3.transpose() * g.dZ3;
  g.dZ2 = g.dA2.cwiseProduct((c.A2.array() > 0).cast<double>().matrix());
  g.dW2 = g.dZ2 * c.A1.transpose() / m;
  g.db2 = g.dZ2.rowwise().sum() / m;
  g.dA1 = c.W2.transpose() * g.dZ2;
  g.dZ1 = g.dA1.cwiseProduct((c.A1.array() > 0).cast<double>().matrix());
  g.dW1 = g.dZ1 * X.transpose() / m;
  g.db1 = g.dZ1.rowwise().sum() / m;
  return g;
}

double compute_cost(const Matrix& a3, const Matrix& Y) {
  const double m = static_cast<double>(Y.cols());
  const Matrix logprobs = ((-a3.array().log()) * Y.array() +
                           (-(1.0 - a3.array()).log()) * (1.0 - Y.array()))
                              .matrix();
  double sum = 0;  // np.nansum: NaN terms (0 * log 0) count as 0
  for (Eigen::Index i = 0; i < logprobs.size(); ++i) {
    if (!std::isnan(logprobs.data()[i])) sum += logprobs.data()[i];
  }
  return 1.0 / m * sum;
}

Parameters update_parameters(const Parameters& parameters,
                             const Gradients& grads, double learning_rate) {
  Parameters p = parameters;
  p.W1 -= learning_rate * grads.dW1;
  p.b1 -= learning_rate * grads.db1;
  p.W2 -= learning_rate * grads.dW2;
  p.b2 -= learning_rate * grads.db2;
  p.W3 -= learning_rate * grads.dW3;
  p.b3 -= learning_rate * grads.db3;
  return p;
}

Matrix predict(const Matrix& X, const Parameters& parameters) {
  const Matrix A3 = forward_propagation(X, parameters).A3;
  return (A3.array() > 0.5).cast<double>().matrix();
}

double accuracy(const Matrix& predictions, const Matrix& Y) {
  if (predictions.rows() != Y.rows() || predictions.cols() != Y.cols() ||
      Y.size() == 0) {
    throw std::invalid_argument(
        "accuracy: predictions " + dl::shape_string(predictions) + " and Y " +
        dl::shape_string(Y) + " must have the same shape (1, m), m > 0");
  }
  return ((predictions.array() > 0.5) == (Y.array() > 0.5))
      .cast<double>()
      .mean();
}

}  // namespace regularization
