// Your solutions to course1_nn/linear_regression. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course1_nn/linear_regression/...
// The formulas and shapes are in linear_regression.h and README.md.

#include <algorithm>
#include <vector>

#include "common/grading/not_implemented.h"
#include "course1_nn/linear_regression/linear_regression.h"

namespace linear_regression {

Data synthetic_data(const Matrix& w, double b, int num_examples,
                    dl::RandomState& rng) {
  // TODO: X = rng.randn(n_x, m) FIRST, then the noise rng.randn(1, m) * 0.01;
  //       y = wᵀX + b + noise. (≈4 lines)
  //   Hint: n_x is w.rows(); wᵀX is w.transpose() * data.X, and adding the
  //   number b needs .array() + b.
  return dl::not_implemented<Data>("synthetic_data");
}

Matrix linreg(const Matrix& X, const Matrix& w, double b) {
  // TODO: ŷ = wᵀX + b, shape (1, m). (≈1 line)
  //   Hint: w.transpose() * X is the matrix product; adding the number b
  //   needs .array() + b, then .matrix().
  return dl::not_implemented<Matrix>("linreg");
}

double squared_loss(const Matrix& y_hat, const Matrix& y) {
  // TODO: J = (1/(2m)) Σ (ŷ - y)². (≈2 lines)
  //   Hint: (y_hat - y).squaredNorm() is Σ of the squares; m = y.cols().
  return dl::not_implemented<double>("squared_loss");
}

Gradients squared_loss_gradients(const Matrix& X, const Matrix& y,
                                 const Matrix& w, double b) {
  // TODO: dy = ŷ - y (1, m); dw = (1/m) X dyᵀ (n_x, 1);
  //       db = (1/m) Σ dy. (≈5 lines)
  return dl::not_implemented<Gradients>("squared_loss_gradients");
}

NormalEquation normal_equation(const Matrix& X, const Matrix& y) {
  // TODO: X̃ = [X; 1ᵀ] (n_x + 1, m); solve (X̃ X̃ᵀ) θ = X̃ yᵀ for
  //       θ = [w; b] (n_x + 1, 1). (≈6 lines)
  //   Hint: Matrix X_tilde(n_x + 1, m); X_tilde << X, Matrix::Ones(1, m);
  //   then A.ldlt().solve(B), or a QR (see README). theta.topRows(n_x) is w.
  return dl::not_implemented<NormalEquation>("normal_equation");
}

std::vector<std::vector<int>> data_iter(int batch_size, int num_examples,
                                        dl::RandomState& rng) {
  // TODO: indices = rng.permutation(num_examples); cut them into consecutive
  //       slices of batch_size, the last one with what is left. (≈6 lines)
  return dl::not_implemented<std::vector<std::vector<int>>>("data_iter");
}

Parameters sgd(const Parameters& params, const Gradients& grads, double lr) {
  // TODO: w = w - lr · dw, b = b - lr · db, in a new Parameters. (≈3 lines)
  return dl::not_implemented<Parameters>("sgd");
}

TrainResult train(const Matrix& X, const Matrix& y, double lr, int num_epochs,
                  int batch_size, dl::RandomState& rng) {
  // TODO: w = rng.randn(n_x, 1) * 0.01, b = 0; then num_epochs times:
  //       for each minibatch of data_iter(batch_size, m, rng):
  //         squared_loss_gradients on its columns, then sgd;
  //       push squared_loss(linreg(X, w, b), y) on all of X. (≈12 lines)
  //   Hint: X(Eigen::all, batch) picks the columns listed in batch.
  return dl::not_implemented<TrainResult>("train");
}

}  // namespace linear_regression
