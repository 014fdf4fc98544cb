// The reference solution of course2_tuning/model_selection.

#include <cmath>
#include <vector>

#include "course2_tuning/model_selection/model_selection.h"

namespace model_selection {
namespace reference {

Split train_dev_test_split(int m, double train_fraction, double dev_fraction,
                           dl::RandomState& rng) {
  const std::vector<int64_t> p = rng.permutation(m);  // the only draw
  const int end_train = static_cast<int>(std::round(train_fraction * m));
  const int end_dev =
      static_cast<int>(std::round((train_fraction + dev_fraction) * m));
  Split split;
  split.train.assign(p.begin(), p.begin() + end_train);
  split.dev.assign(p.begin() + end_train, p.begin() + end_dev);
  split.test.assign(p.begin() + end_dev, p.end());
  return split;
}

std::vector<Fold> kfold_indices(int m, int k) {
  std::vector<Fold> folds;
  int start = 0;
  for (int f = 0; f < k; ++f) {
    const int size = m / k + (f < m % k ? 1 : 0);
    Fold fold;
    for (int i = 0; i < m; ++i) {
      if (i >= start && i < start + size) {
        fold.validation.push_back(i);
      } else {
        fold.train.push_back(i);
      }
    }
    folds.push_back(fold);
    start += size;
  }
  return folds;
}

double cross_validation_score(const Matrix& X, const Matrix& y, int k,
                              const FitFunction& fit,
                              const EvaluateFunction& evaluate) {
  const int m = static_cast<int>(X.cols());
  double total = 0;
  for (const Fold& fold : reference::kfold_indices(m, k)) {
    const Parameters params =
        fit(X(Eigen::all, fold.train), y(Eigen::all, fold.train));
    total += evaluate(params, X(Eigen::all, fold.validation),
                      y(Eigen::all, fold.validation));
  }
  return total / k;
}

Matrix polynomial_features(const Matrix& x, int degree) {
  Matrix features(degree + 1, x.cols());
  for (int i = 0; i <= degree; ++i) {
    // xⁱ / Γ(i + 1), with Γ(i + 1) = i!
    features.row(i) =
        x.array().pow(static_cast<double>(i)).matrix() / std::tgamma(i + 1.0);
  }
  return features;
}

Matrix fit_least_squares(const Matrix& X, const Matrix& y, double lambd) {
  const double m = static_cast<double>(X.cols());
  if (lambd == 0) {
    // λ = 0 is plain least squares, Xᵀ w ≈ yᵀ. A QR of Xᵀ solves it without
    // forming X Xᵀ, whose condition number is the square of X's (high
    // polynomial degrees make X Xᵀ nearly singular). On well-conditioned
    // data it gives the same w as the normal equations below.
    return X.transpose().completeOrthogonalDecomposition().solve(y.transpose());
  }
  // (X Xᵀ / m + λ I) w = X yᵀ / m: symmetric positive definite when λ > 0.
  const Matrix A =
      X * X.transpose() / m + lambd * Matrix::Identity(X.rows(), X.rows());
  return A.ldlt().solve(X * y.transpose() / m);  // (n_x, 1)
}

double l2_penalty(const Matrix& w) { return w.squaredNorm() / 2.0; }

Gradients weight_decay_gradients(const Matrix& X, const Matrix& y,
                                 const Matrix& w, double b, double lambd) {
  const double m = static_cast<double>(X.cols());
  const Matrix dy = linreg(X, w, b) - y;  // ŷ - y, (1, m)
  Gradients grads;
  grads.dw = X * dy.transpose() / m + lambd * w;  // (n_x, 1)
  grads.db = dy.sum() / m;
  return grads;
}

TrainResult train_weight_decay(const Matrix& X, const Matrix& y, double lambd,
                               double lr, int num_epochs, int batch_size,
                               dl::RandomState& rng) {
  const int m = static_cast<int>(X.cols());
  TrainResult result;
  result.params.w = rng.randn(X.rows(), 1);  // d2l: N(0, 1), drawn first
  result.params.b = 0.0;
  for (int epoch = 0; epoch < num_epochs; ++epoch) {
    for (const std::vector<int>& batch : data_iter(batch_size, m, rng)) {
      const Gradients grads = reference::weight_decay_gradients(
          X(Eigen::all, batch), y(Eigen::all, batch), result.params.w,
          result.params.b, lambd);
      result.params.w -= lr * grads.dw;
      result.params.b -= lr * grads.db;
    }
    result.epoch_losses.push_back(
        squared_loss(linreg(X, result.params.w, result.params.b), y));
  }
  return result;
}

Diagnosis diagnose(double train_error, double dev_error, double bayes_error,
                   double tolerance) {
  const bool high_bias = train_error - bayes_error > tolerance;  // avoidable
  const bool high_variance = dev_error - train_error > tolerance;
  if (high_bias && high_variance) return Diagnosis::kBoth;
  if (high_bias) return Diagnosis::kHighBias;
  if (high_variance) return Diagnosis::kHighVariance;
  return Diagnosis::kNeither;
}

}  // namespace reference
}  // namespace model_selection
