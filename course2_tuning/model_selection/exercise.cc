// Your solutions to course2_tuning/model_selection. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course2_tuning/model_selection/...
// The formulas and shapes are in model_selection.h and README.md.

#include <cmath>
#include <vector>

#include "common/grading/not_implemented.h"
#include "course2_tuning/model_selection/model_selection.h"

namespace model_selection {

Split train_dev_test_split(int m, double train_fraction, double dev_fraction,
                           dl::RandomState& rng) {
  // TODO: p = rng.permutation(m) (the only draw);
  //       end_train = round(train_fraction · m),
  //       end_dev = round((train_fraction + dev_fraction) · m);
  //       train = p[0, end_train), dev = p[end_train, end_dev),
  //       test = p[end_dev, m). (≈8 lines)
  //   Hint: std::round; split.train.assign(p.begin(), p.begin() + end_train)
  //   copies a slice (and converts int64_t to int).
  return dl::not_implemented<Split>("train_dev_test_split");
}

std::vector<Fold> kfold_indices(int m, int k) {
  // TODO: fold f (f = 0..k-1) holds out the next m / k + (f < m % k ? 1 : 0)
  //       indices, in order; its train indices are all the others, in
  //       increasing order. (≈12 lines)
  return dl::not_implemented<std::vector<Fold>>("kfold_indices");
}

double cross_validation_score(const Matrix& X, const Matrix& y, int k,
                              const FitFunction& fit,
                              const EvaluateFunction& evaluate) {
  // TODO: for each fold of kfold_indices(m, k):
  //         params = fit(the fold's train columns of X and y);
  //         add evaluate(params, its validation columns of X and y);
  //       return the sum / k. (≈8 lines)
  //   Hint: X(Eigen::all, fold.train) picks the columns listed in fold.train.
  return dl::not_implemented<double>("cross_validation_score");
}

Matrix polynomial_features(const Matrix& x, int degree) {
  // TODO: a (degree + 1, m) matrix whose row i is xⁱ / i!. (≈5 lines)
  //   Hint: features.row(i) = ...; x.array().pow(double(i)) is entry by
  //   entry; i! = std::tgamma(i + 1.0), or multiply as you go.
  return dl::not_implemented<Matrix>("polynomial_features");
}

Matrix fit_least_squares(const Matrix& X, const Matrix& y, double lambd) {
  // TODO: solve (X Xᵀ / m + λ I) w = X yᵀ / m for w (n_x, 1). (≈4 lines)
  //   Hint: Matrix::Identity(n_x, n_x); A.ldlt().solve(B). For λ = 0 and
  //   high degrees, see the README (QR instead of the normal equations).
  return dl::not_implemented<Matrix>("fit_least_squares");
}

double l2_penalty(const Matrix& w) {
  // TODO: ‖w‖² / 2. (≈1 line)
  //   Hint: w.squaredNorm() is Σ w_j².
  return dl::not_implemented<double>("l2_penalty");
}

Gradients weight_decay_gradients(const Matrix& X, const Matrix& y,
                                 const Matrix& w, double b, double lambd) {
  // TODO: dy = ŷ - y with ŷ = wᵀX + b (1, m);
  //       dw = (1/m) X dyᵀ + λ w (n_x, 1); db = (1/m) Σ dy. (≈5 lines)
  //   Hint: linreg(X, w, b) (given) is ŷ.
  return dl::not_implemented<Gradients>("weight_decay_gradients");
}

TrainResult train_weight_decay(const Matrix& X, const Matrix& y, double lambd,
                               double lr, int num_epochs, int batch_size,
                               dl::RandomState& rng) {
  // TODO: w = rng.randn(n_x, 1) (drawn first), b = 0; then num_epochs times:
  //         for each minibatch of data_iter(batch_size, m, rng) (given):
  //           weight_decay_gradients on its columns;
  //           w -= lr · dw, b -= lr · db;
  //         push squared_loss(linreg(X, w, b), y) on all of X. (≈14 lines)
  return dl::not_implemented<TrainResult>("train_weight_decay");
}

Diagnosis diagnose(double train_error, double dev_error, double bayes_error,
                   double tolerance) {
  // TODO: high bias when train_error - bayes_error > tolerance (avoidable
  //       bias); high variance when dev_error - train_error > tolerance;
  //       return kBoth, kHighBias, kHighVariance or kNeither. (≈6 lines)
  return dl::not_implemented<Diagnosis>("diagnose");
}

}  // namespace model_selection
