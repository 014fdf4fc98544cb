// Your solutions to course2_tuning/batch_norm_softmax. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course2_tuning/batch_norm_softmax/...
// The formulas and shapes are in batch_norm_softmax.h and README.md.

#include <cmath>

#include "common/grading/not_implemented.h"
#include "course2_tuning/batch_norm_softmax/batch_norm_softmax.h"

namespace batch_norm_softmax {

NormalizedInputs normalize_inputs(const Matrix& X, double epsilon) {
  // TODO: mu = (1/m) Σ x (one mean per row), sigma2 = (1/m) Σ (x - mu)²,
  //       X_norm = (X - mu) / sqrt(sigma2 + epsilon). (≈4 lines)
  //   Hint: X.rowwise().mean() is (n, 1); X.colwise() - mu.col(0) centres
  //   every column; .array().square(), .rowwise().mean(), .rsqrt().
  return dl::not_implemented<NormalizedInputs>("normalize_inputs");
}

Matrix one_hot(const Matrix& labels, int C) {
  // TODO: Y = zeros (C, m); Y(labels(0, i), i) = 1 for every example i.
  //       (≈4 lines)
  //   Hint: Matrix::Zero(C, labels.cols()); the label is a double: cast it
  //   to an index with static_cast<Eigen::Index>(labels(0, i)).
  return dl::not_implemented<Matrix>("one_hot");
}

Matrix softmax(const Matrix& Z) {
  // TODO: per column: exp(z - max(z)) / Σ exp(z - max(z)). (≈3 lines)
  //   Hint: Z.colwise().maxCoeff() is (1, m): Z.rowwise() - it subtracts it
  //   from every row; .array().exp(); divide by e.colwise().sum() with
  //   e.array().rowwise() / sums.array().
  return dl::not_implemented<Matrix>("softmax");
}

double softmax_cross_entropy(const Matrix& Z, const Matrix& Y) {
  // TODO: J = -(1/m) Σ Y ⊙ log softmax(Z), with the stable
  //       log softmax(z) = z - max(z) - log Σ exp(z - max(z)). (≈4 lines)
  //   Hint: log(softmax(Z)) is -inf when a probability rounds to 0;
  //   compute the log softmax from the shifted logits instead.
  return dl::not_implemented<double>("softmax_cross_entropy");
}

double compute_total_loss(const Matrix& Z, const Matrix& Y) {
  // TODO: the course's total: -Σ Y ⊙ log softmax(Z), summed over the m
  //       examples (no 1/m). (≈1 line)
  return dl::not_implemented<double>("compute_total_loss");
}

Matrix softmax_cross_entropy_backward(const Matrix& Z, const Matrix& Y) {
  // TODO: dZ = (softmax(Z) - Y) / m. (≈2 lines)
  return dl::not_implemented<Matrix>("softmax_cross_entropy_backward");
}

BatchNormForward batchnorm_forward(const Matrix& Z, const Matrix& gamma,
                                   const Matrix& beta, BatchNormState& state,
                                   bool training) {
  // TODO: training:  mu = (1/m) Σ z, var = (1/m) Σ (z - mu)² (per row), then
  //                  running = momentum * running + (1 - momentum) * batch
  //                  for the mean and the variance;
  //       inference: mu = state.running_mean, var = state.running_var;
  //       Z_norm = (Z - mu) / sqrt(var + eps); Z_tilde = gamma ⊙ Z_norm + beta;
  //       fill every field of the cache. (≈14 lines)
  //   Hint: (var.array() + state.eps).rsqrt() is 1 / sqrt(var + eps);
  //   Z_norm.array().colwise() * gamma.col(0).array() scales each row.
  return dl::not_implemented<BatchNormForward>("batchnorm_forward");
}

BatchNormGrads batchnorm_backward(const Matrix& dZ_tilde,
                                  const BatchNormCache& cache) {
  // TODO: dbeta = Σ dZ_tilde, dgamma = Σ dZ_tilde ⊙ Z_norm (sums over the
  //       columns); dZ_norm = dZ_tilde ⊙ gamma;
  //       dZ = 1 / (m sqrt(var + eps)) ⊙
  //            (m dZ_norm - Σ dZ_norm - Z_norm ⊙ Σ (dZ_norm ⊙ Z_norm)).
  //       (≈8 lines)
  //   Hint: .rowwise().sum() gives the (n, 1) sums; subtract a column from
  //   every column with .colwise() - s.col(0).
  return dl::not_implemented<BatchNormGrads>("batchnorm_backward");
}

}  // namespace batch_norm_softmax
