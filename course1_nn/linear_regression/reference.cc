// The reference solution of course1_nn/linear_regression.

#include <algorithm>
#include <vector>

#include "course1_nn/linear_regression/linear_regression.h"

namespace linear_regression {
namespace reference {

Data synthetic_data(const Matrix& w, double b, int num_examples,
                    dl::RandomState& rng) {
  Data data;
  data.X = rng.randn(w.rows(), num_examples);  // (n_x, m), drawn first
  const Matrix noise = rng.randn(1, num_examples) * 0.01;  // (1, m)
  data.y = ((w.transpose() * data.X).array() + b).matrix() + noise;
  return data;
}

Matrix linreg(const Matrix& X, const Matrix& w, double b) {
  return ((w.transpose() * X).array() + b).matrix();  // (1, m)
}

double squared_loss(const Matrix& y_hat, const Matrix& y) {
  const double m = static_cast<double>(y.cols());
  return (y_hat - y).squaredNorm() / (2.0 * m);
}

Gradients squared_loss_gradients(const Matrix& X, const Matrix& y,
                                 const Matrix& w, double b) {
  const double m = static_cast<double>(X.cols());
  const Matrix dy = linreg(X, w, b) - y;  // ŷ - y, (1, m)
  Gradients grads;
  grads.dw = X * dy.transpose() / m;  // (n_x, 1)
  grads.db = dy.sum() / m;
  return grads;
}

NormalEquation normal_equation(const Matrix& X, const Matrix& y) {
  const Eigen::Index n_x = X.rows();
  Matrix X_tilde(n_x + 1, X.cols());  // [X; 1ᵀ]
  X_tilde << X, Matrix::Ones(1, X.cols());
  // θ solves (X̃ X̃ᵀ) θ = X̃ yᵀ, which is the least-squares problem
  // X̃ᵀ θ ≈ yᵀ. Solving that one with a QR of X̃ᵀ avoids forming X̃ X̃ᵀ,
  // whose condition number is the square of X̃'s:
  //   (X_tilde * X_tilde.transpose()).ldlt().solve(X_tilde * y.transpose())
  // gives the same θ on well-conditioned data.
  const Matrix theta =
      X_tilde.transpose().colPivHouseholderQr().solve(y.transpose());
  NormalEquation result;
  result.w = theta.topRows(n_x);  // (n_x, 1)
  result.b = theta(n_x, 0);
  return result;
}

std::vector<std::vector<int>> data_iter(int batch_size, int num_examples,
                                        dl::RandomState& rng) {
  const std::vector<int64_t> indices = rng.permutation(num_examples);
  std::vector<std::vector<int>> batches;
  for (int start = 0; start < num_examples; start += batch_size) {
    const int end = std::min(start + batch_size, num_examples);
    batches.emplace_back(indices.begin() + start, indices.begin() + end);
  }
  return batches;
}

Parameters sgd(const Parameters& params, const Gradients& grads, double lr) {
  Parameters updated;
  updated.w = params.w - lr * grads.dw;
  updated.b = params.b - lr * grads.db;
  return updated;
}

TrainResult train(const Matrix& X, const Matrix& y, double lr, int num_epochs,
                  int batch_size, dl::RandomState& rng) {
  const int m = static_cast<int>(X.cols());
  TrainResult result;
  result.params.w = rng.randn(X.rows(), 1) * 0.01;
  result.params.b = 0.0;
  for (int epoch = 0; epoch < num_epochs; ++epoch) {
    for (const std::vector<int>& batch : data_iter(batch_size, m, rng)) {
      const Matrix X_batch = X(Eigen::all, batch);  // (n_x, batch)
      const Matrix y_batch = y(Eigen::all, batch);  // (1, batch)
      const Gradients grads = squared_loss_gradients(
          X_batch, y_batch, result.params.w, result.params.b);
      // reference::sgd: the arguments' types would also find
      // linear_regression::sgd (argument-dependent lookup).
      result.params = reference::sgd(result.params, grads, lr);
    }
    result.epoch_losses.push_back(
        squared_loss(linreg(X, result.params.w, result.params.b), y));
  }
  return result;
}

}  // namespace reference
}  // namespace linear_regression
