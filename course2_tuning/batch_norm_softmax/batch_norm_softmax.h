// File: course2_tuning/batch_norm_softmax/batch_norm_softmax.h
//
// Course 2, week 3 (and week 1's "normalizing inputs"): softmax regression
// and batch normalization. This unit replaces the course's "Introduction to
// TensorFlow": the pieces TensorFlow gave you there, you write here, and the
// application trains the course's 3-layer SIGNS classifier with them:
//
//   X ─ LINEAR ─ BATCHNORM ─ RELU ─ LINEAR ─ BATCHNORM ─ RELU ─ LINEAR ─
//   SOFTMAX
//     12288       25                 12                          6 classes
//
// Shapes (the course's layout: one example per COLUMN):
//   n = features (or units of a layer), m = examples, C = classes
//   X: (n, m)   labels: (1, m) of 0..C-1   Y (one-hot): (C, m)
//   Z (logits): (C, m)   gamma, beta, mu, var: (n, 1)
//
// Gradients here are the exact derivatives of the MEAN cost J: the 1/m is in
// dZ = (softmax(Z) - Y) / m once, so layers below use plain sums
// (dW = dZ A_prevᵀ, db = Σ dZ, dbeta = Σ dZ_tilde).
//
// Eigen reminder: `*` between two Matrix objects is the MATRIX product. Eigen
// never broadcasts: Z.colwise() - mu.col(0) subtracts a column from every
// column; Z.rowwise().sum() / Z.rowwise().mean() are (n, 1);
// Z.colwise().maxCoeff() and .colwise().sum() are (1, m).
//
// Exercises, in order (write them in exercise.cc):
//   1. normalize_inputs   2. one_hot   3. softmax   4. softmax_cross_entropy
//   5. compute_total_loss   6. softmax_cross_entropy_backward
//   7. batchnorm_forward    8. batchnorm_backward

#ifndef DLCOURSE_COURSE2_TUNING_BATCH_NORM_SOFTMAX_BATCH_NORM_SOFTMAX_H_
#define DLCOURSE_COURSE2_TUNING_BATCH_NORM_SOFTMAX_BATCH_NORM_SOFTMAX_H_

#include "common/core/tensor.h"

namespace batch_norm_softmax {

using dl::Matrix;

// ------------------------------------------------------- normalizing inputs

struct NormalizedInputs {
  Matrix X_norm;  // (n, m): every feature with mean 0 and variance ~1
  Matrix mu;      // (n, 1): the mean of each feature (row)
  Matrix sigma2;  // (n, 1): the variance of each feature, with 1/m
};

// The course's "normalizing inputs" (C2W1), feature by feature (row by row):
//   mu     = (1/m) Σᵢ x⁽ⁱ⁾
//   sigma2 = (1/m) Σᵢ (x⁽ⁱ⁾ - mu)²                 (1/m, not 1/(m-1))
//   X_norm = (X - mu) / sqrt(sigma2 + epsilon)
// epsilon keeps a constant feature (sigma2 = 0) at 0 instead of 0/0.
// Normalize a test set with the TRAINING set's mu and sigma2.
//   X: (n, m)  ->  X_norm (n, m), mu (n, 1), sigma2 (n, 1)
NormalizedInputs normalize_inputs(const Matrix& X, double epsilon = 1e-8);

// ---------------------------------------------------------------- softmax

// The course's one_hot_matrix, for m labels at once: column i is all zeros
// except a 1 in row labels(0, i).
//   labels: (1, m) of whole numbers 0..C-1  ->  (C, m)
Matrix one_hot(const Matrix& labels, int C);

// softmax, column by column (each column is one example's C logits):
//   softmax(Z)[k, i] = exp(Z[k, i] - max_k Z[k, i]) / Σ_k exp(Z[k, i] - max)
// Subtracting the column's max changes nothing mathematically and keeps
// exp() from overflowing for large logits.
//   Z: (C, m)  ->  (C, m), every column sums to 1
Matrix softmax(const Matrix& Z);

// The mean softmax cross-entropy, from the logits:
//   J = -(1/m) Σᵢ Σ_k Y[k, i] log softmax(Z)[k, i]
// with log softmax(z) = z - max(z) - log Σ_k exp(z_k - max(z)), so that a
// large logit gives no log(0). This is TensorFlow's
// reduce_mean(categorical_crossentropy(..., from_logits=True)).
//   Z, Y: (C, m)  ->  a number
double softmax_cross_entropy(const Matrix& Z, const Matrix& Y);

// The course's compute_total_loss: the same cross-entropy SUMMED over the
// examples (the course divides by m itself, once per epoch):
//   total = -Σᵢ Σ_k Y[k, i] log softmax(Z)[k, i] = m * softmax_cross_entropy
//   Z, Y: (C, m)  ->  a number
double compute_total_loss(const Matrix& Z, const Matrix& Y);

// The gradient of the MEAN cost J = softmax_cross_entropy(Z, Y):
//   dZ = (softmax(Z) - Y) / m
//   Z, Y: (C, m)  ->  dZ (C, m)
Matrix softmax_cross_entropy_backward(const Matrix& Z, const Matrix& Y);

// ------------------------------------------------------------- batch norm

// The running averages batch norm uses at inference (Keras' moving_mean and
// moving_variance), updated by every training step:
//   running_mean = momentum * running_mean + (1 - momentum) * mu
//   running_var  = momentum * running_var  + (1 - momentum) * var
struct BatchNormState {
  Matrix running_mean;  // (n, 1), starts at 0
  Matrix running_var;   // (n, 1), starts at 1
  double momentum = 0.9;
  double eps = 1e-5;  // the epsilon in sqrt(var + eps)
};

// Given: a fresh state for a layer of n units (mean 0, variance 1).
inline BatchNormState initialize_batchnorm_state(int n) {
  BatchNormState state;
  state.running_mean = Matrix::Zero(n, 1);
  state.running_var = Matrix::Ones(n, 1);
  return state;
}

// What batchnorm_forward keeps for batchnorm_backward.
struct BatchNormCache {
  Matrix Z;       // (n, m): the input
  Matrix Z_norm;  // (n, m): (Z - mu) / sqrt(var + eps)
  Matrix mu;      // (n, 1): the mean used (the batch's, or the running one)
  Matrix var;     // (n, 1): the variance used, with 1/m
  Matrix gamma;   // (n, 1)
  double eps = 0;
};

struct BatchNormForward {
  Matrix Z_tilde;  // (n, m)
  BatchNormCache cache;
};

// Batch normalization of a layer's Z, unit by unit (row by row):
//   training:  mu  = (1/m) Σᵢ z⁽ⁱ⁾          var = (1/m) Σᵢ (z⁽ⁱ⁾ - mu)²
//              then update state's running averages with mu and var (above)
//   inference: mu  = state.running_mean    var = state.running_var
//              (state unchanged)
//   both:      Z_norm  = (Z - mu) / sqrt(var + state.eps)
//              Z_tilde = gamma ⊙ Z_norm + beta
//   Z: (n, m)  gamma, beta: (n, 1)  ->  Z_tilde (n, m), cache
// With m = 1 in training, var = 0 and eps keeps Z_norm = 0: Z_tilde = beta.
BatchNormForward batchnorm_forward(const Matrix& Z, const Matrix& gamma,
                                   const Matrix& beta, BatchNormState& state,
                                   bool training);

struct BatchNormGrads {
  Matrix dZ;      // (n, m)
  Matrix dgamma;  // (n, 1)
  Matrix dbeta;   // (n, 1)
};

// The backward pass of batchnorm_forward in TRAINING mode, where mu and var
// depend on Z too. Given dZ_tilde = ∂J/∂Z_tilde (n, m):
//   dbeta   = Σᵢ dZ_tilde                          (sum over the columns)
//   dgamma  = Σᵢ dZ_tilde ⊙ Z_norm
//   dZ_norm = dZ_tilde ⊙ gamma
//   dZ      = 1 / (m sqrt(var + eps)) ⊙
//             (m dZ_norm - Σᵢ dZ_norm - Z_norm ⊙ Σᵢ (dZ_norm ⊙ Z_norm))
//   dZ_tilde: (n, m), cache from batchnorm_forward  ->  dZ (n, m),
//   dgamma (n, 1), dbeta (n, 1)
BatchNormGrads batchnorm_backward(const Matrix& dZ_tilde,
                                  const BatchNormCache& cache);

// The reference solution (reference.cc) has the same functions, in
// batch_norm_softmax::reference. The grader compares yours with it.
// clang-format off
namespace reference {
decltype(batch_norm_softmax::normalize_inputs) normalize_inputs;
decltype(batch_norm_softmax::one_hot) one_hot;
decltype(batch_norm_softmax::softmax) softmax;
decltype(batch_norm_softmax::softmax_cross_entropy) softmax_cross_entropy;
decltype(batch_norm_softmax::compute_total_loss) compute_total_loss;
decltype(batch_norm_softmax::softmax_cross_entropy_backward) softmax_cross_entropy_backward;
decltype(batch_norm_softmax::batchnorm_forward) batchnorm_forward;
decltype(batch_norm_softmax::batchnorm_backward) batchnorm_backward;
}  // namespace reference
// clang-format on

}  // namespace batch_norm_softmax

#endif  // DLCOURSE_COURSE2_TUNING_BATCH_NORM_SOFTMAX_BATCH_NORM_SOFTMAX_H_
