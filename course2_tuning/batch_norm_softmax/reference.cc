// The reference solution of course2_tuning/batch_norm_softmax.

#include <cmath>
#include <stdexcept>
#include <string>

#include "course2_tuning/batch_norm_softmax/batch_norm_softmax.h"

namespace batch_norm_softmax {
namespace reference {

NormalizedInputs normalize_inputs(const Matrix& X, double epsilon) {
  NormalizedInputs out;
  out.mu = X.rowwise().mean();                          // (n, 1)
  const Matrix centered = X.colwise() - out.mu.col(0);  // (n, m)
  out.sigma2 = centered.array().square().rowwise().mean().matrix();
  const Eigen::ArrayXd inv_std = (out.sigma2.array() + epsilon).rsqrt();
  out.X_norm = (centered.array().colwise() * inv_std).matrix();
  return out;
}

Matrix one_hot(const Matrix& labels, int C) {
  Matrix Y = Matrix::Zero(C, labels.cols());
  for (Eigen::Index i = 0; i < labels.cols(); ++i) {
    const double label = labels(0, i);
    if (!(label >= 0 && label < C) || label != std::floor(label)) {
      throw std::invalid_argument("one_hot: label " + std::to_string(label) +
                                  " of example " + std::to_string(i) +
                                  " is not a whole number in 0.." +
                                  std::to_string(C - 1));
    }
    Y(static_cast<Eigen::Index>(label), i) = 1.0;
  }
  return Y;
}

Matrix softmax(const Matrix& Z) {
  const Matrix shifted = Z.rowwise() - Z.colwise().maxCoeff();  // (C, m)
  const Matrix e = shifted.array().exp().matrix();
  return (e.array().rowwise() / e.colwise().sum().array()).matrix();
}

// log softmax(Z), column by column, without computing log(0).
static Matrix log_softmax(const Matrix& Z) {
  const Matrix shifted = Z.rowwise() - Z.colwise().maxCoeff();  // (C, m)
  const Eigen::RowVectorXd log_sum =
      shifted.array().exp().colwise().sum().log().matrix();  // (1, m)
  return shifted.rowwise() - log_sum;
}

double softmax_cross_entropy(const Matrix& Z, const Matrix& Y) {
  const double m = static_cast<double>(Z.cols());
  return -Y.cwiseProduct(log_softmax(Z)).sum() / m;
}

double compute_total_loss(const Matrix& Z, const Matrix& Y) {
  return -Y.cwiseProduct(log_softmax(Z)).sum();
}

Matrix softmax_cross_entropy_backward(const Matrix& Z, const Matrix& Y) {
  const double m = static_cast<double>(Z.cols());
  return (reference::softmax(Z) - Y) / m;
}

BatchNormForward batchnorm_forward(const Matrix& Z, const Matrix& gamma,
                                   const Matrix& beta, BatchNormState& state,
                                   bool training) {
  BatchNormForward out;
  BatchNormCache& cache = out.cache;
  if (training) {
    cache.mu = Z.rowwise().mean();  // (n, 1)
    cache.var = (Z.colwise() - cache.mu.col(0))
                    .array()
                    .square()
                    .rowwise()
                    .mean()
                    .matrix();
    state.running_mean =
        state.momentum * state.running_mean + (1 - state.momentum) * cache.mu;
    state.running_var =
        state.momentum * state.running_var + (1 - state.momentum) * cache.var;
  } else {
    cache.mu = state.running_mean;
    cache.var = state.running_var;
  }
  cache.Z = Z;
  cache.gamma = gamma;
  cache.eps = state.eps;
  const Eigen::ArrayXd inv_std = (cache.var.array() + state.eps).rsqrt();
  cache.Z_norm =
      ((Z.colwise() - cache.mu.col(0)).array().colwise() * inv_std).matrix();
  out.Z_tilde =
      ((cache.Z_norm.array().colwise() * gamma.col(0).array()).colwise() +
       beta.col(0).array())
          .matrix();
  return out;
}

BatchNormGrads batchnorm_backward(const Matrix& dZ_tilde,
                                  const BatchNormCache& cache) {
  const double m = static_cast<double>(dZ_tilde.cols());
  BatchNormGrads grads;
  // Forward: Z_tilde = gamma ⊙ Z_norm + beta.
  grads.dbeta = dZ_tilde.rowwise().sum();
  grads.dgamma = dZ_tilde.cwiseProduct(cache.Z_norm).rowwise().sum();
  const Matrix dZ_norm =
      (dZ_tilde.array().colwise() * cache.gamma.col(0).array()).matrix();
  // Forward: Z_norm = (Z - mu) / sqrt(var + eps), with mu and var the batch's
  // mean and variance: Z reaches Z_norm directly and through mu and var.
  const Eigen::ArrayXd inv_std = (cache.var.array() + cache.eps).rsqrt();
  const Eigen::ArrayXd sum_dZ_norm = dZ_norm.rowwise().sum().array();
  const Eigen::ArrayXd sum_dZ_norm_Z_norm =
      dZ_norm.cwiseProduct(cache.Z_norm).rowwise().sum().array();
  const Eigen::ArrayXXd inner =
      (m * dZ_norm.array()).colwise() - sum_dZ_norm -
      cache.Z_norm.array().colwise() * sum_dZ_norm_Z_norm;
  grads.dZ = (inner.colwise() * (inv_std / m)).matrix();
  return grads;
}

}  // namespace reference
}  // namespace batch_norm_softmax
