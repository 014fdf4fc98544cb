// File: course2_tuning/model_selection/model_selection.h
//
// Course 2, week 1, "Setting up your Machine Learning Application" (train /
// dev / test sets, bias and variance, Bayes error), with Dive into Deep
// Learning's "Model Selection, Underfitting, and Overfitting" (polynomial
// regression) and "Weight Decay".
//
// Shapes (the course's layout: one example per COLUMN):
//   n_x = number of features, m = examples
//   X: (n_x, m)   y: (1, m)   w: (n_x, 1)   b: a number   ŷ = wᵀX + b: (1, m)
//   polynomial regression: x (1, m) -> X = polynomial_features(x, degree),
//   (degree + 1, m); there is no b (the row x⁰ = 1 plays its part).
//
// Randomness: functions that draw take a dl::RandomState (numpy's legacy
// generator, bit for bit) and draw in the order documented below.
//
// Exercises, in order (write them in exercise.cc):
//   1. train_dev_test_split  2. kfold_indices  3. cross_validation_score
//   4. polynomial_features  5. fit_least_squares  6. l2_penalty
//   7. weight_decay_gradients  8. train_weight_decay  9. diagnose

#ifndef DLCOURSE_COURSE2_TUNING_MODEL_SELECTION_MODEL_SELECTION_H_
#define DLCOURSE_COURSE2_TUNING_MODEL_SELECTION_MODEL_SELECTION_H_

#include <functional>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/core/tensor.h"

namespace model_selection {

using dl::Matrix;

// ---------------------------------------------------------------------------
// 1. Train / dev / test sets

// Column indices of the three sets.
struct Split {
  std::vector<int> train, dev, test;
};

// Shuffles the m example indices with ONE rng.permutation(m), then cuts
// consecutive slices: train, then dev, then test (the rest). The two cut
// points are rounded to the nearest integer (std::round, halves away from 0):
//   end_train = round(train_fraction · m)
//   end_dev   = round((train_fraction + dev_fraction) · m)
//   train = p[0, end_train)   dev = p[end_train, end_dev)   test = p[end_dev,
//   m)
// The course: 60/20/20 for small data; 98/1/1 for m = 1,000,000 (10,000 dev
// and 10,000 test examples are enough).
//   RandomState(0), m = 10, 0.6, 0.2 -> train {2, 8, 4, 9, 1, 6},
//   dev {7, 3}, test {0, 5}   (numpy's permutation(10): 2 8 4 9 1 6 7 3 0 5)
// Needs fractions >= 0 with train_fraction + dev_fraction <= 1.
Split train_dev_test_split(int m, double train_fraction, double dev_fraction,
                           dl::RandomState& rng);

// ---------------------------------------------------------------------------
// 2. k-fold cross-validation

// One fold: the examples it holds out, and the ones the model trains on.
struct Fold {
  std::vector<int> train;       // every index not in validation, increasing
  std::vector<int> validation;  // a contiguous block, increasing
};

// k contiguous folds over 0..m-1, without shuffling (scikit-learn's KFold):
// the first m % k folds hold m / k + 1 examples, the others m / k.
//   m = 10, k = 3 -> validation {0, 1, 2, 3}, {4, 5, 6}, {7, 8, 9}.
// Needs 2 <= k <= m.
std::vector<Fold> kfold_indices(int m, int k);

// The parameters of a linear model ŷ = wᵀX + b.
struct Parameters {
  Matrix w;      // (n_x, 1)
  double b = 0;  // 0 for polynomial regression
};

// fit: (X_train, y_train) -> parameters trained on them.
using FitFunction =
    std::function<Parameters(const Matrix& X_train, const Matrix& y_train)>;
// evaluate: (parameters, X_val, y_val) -> an error (lower is better).
using EvaluateFunction = std::function<double(
    const Parameters& params, const Matrix& X_val, const Matrix& y_val)>;

// k-fold cross-validation: for every fold of kfold_indices(m, k), fit on the
// fold's training columns of X and y, evaluate on its validation columns;
// returns the mean of the k validation errors (each fold counts the same).
//   X: (n_x, m)  y: (1, m)  2 <= k <= m
double cross_validation_score(const Matrix& X, const Matrix& y, int k,
                              const FitFunction& fit,
                              const EvaluateFunction& evaluate);

// ---------------------------------------------------------------------------
// 3. Polynomial regression (d2l)

// Row i of the result is xⁱ / i! for i = 0..degree (d2l's scaling by
// Γ(i + 1) = i! keeps the high powers from exploding). Row 0 is all ones.
//   x: (1, m)  degree >= 0  ->  (degree + 1, m)
Matrix polynomial_features(const Matrix& x, int degree);

// The w that minimizes J(w) = (1/(2m)) ‖wᵀX - y‖² + (λ/2) ‖w‖², in closed
// form: setting ∂J/∂w = (1/m) X (wᵀX - y)ᵀ + λ w to 0 gives
//   (X Xᵀ / m + λ I) w = X yᵀ / m.
//   X: (n_x, m)  y: (1, m)  lambd >= 0  ->  w: (n_x, 1)
// (No bias: add a row of ones to X if you want one.) With λ = 0 it needs
// m >= n_x and independent rows; λ > 0 always has one solution.
Matrix fit_least_squares(const Matrix& X, const Matrix& y, double lambd);

// ---------------------------------------------------------------------------
// 4. Weight decay (d2l): minibatch SGD on
//      J = (1/(2m)) Σᵢ (ŷ⁽ⁱ⁾ - y⁽ⁱ⁾)² + λ · l2_penalty(w)

// l2_penalty(w) = ‖w‖² / 2 = (1/2) Σ w_j².   w: (n_x, 1) -> a number
double l2_penalty(const Matrix& w);

// The gradients of J with respect to w and b.
struct Gradients {
  Matrix dw;      // (n_x, 1), the shape of w
  double db = 0;  // the "shape" of b
};

// Backward, with ŷ = wᵀX + b:
//   dw = (1/m) X (ŷ - y)ᵀ + λ w      (n_x, 1)
//   db = (1/m) Σᵢ (ŷ⁽ⁱ⁾ - y⁽ⁱ⁾)       (b is not decayed)
//   X: (n_x, m)  y: (1, m)  w: (n_x, 1)  b: number
Gradients weight_decay_gradients(const Matrix& X, const Matrix& y,
                                 const Matrix& w, double b, double lambd);

struct TrainResult {
  Parameters params;                 // after the last epoch
  std::vector<double> epoch_losses;  // squared_loss(linreg(X, w, b), y) on
                                     // ALL of X after each epoch, WITHOUT the
                                     // penalty (d2l plots that): num_epochs
                                     // values
};

// d2l's train(lambd):
//   w = rng.randn(n_x, 1) (N(0, 1), drawn first), b = 0;
//   for each of num_epochs epochs:
//     for each minibatch of data_iter(batch_size, m, rng) (given below):
//       weight_decay_gradients on its columns, then
//       w = w - lr · dw,  b = b - lr · db;
//     record squared_loss(linreg(X, w, b), y) on all of X.
//   d2l: lr 0.003, 100 epochs, batch_size 5 on 20 examples of 200 features.
TrainResult train_weight_decay(const Matrix& X, const Matrix& y, double lambd,
                               double lr, int num_epochs, int batch_size,
                               dl::RandomState& rng);

// ---------------------------------------------------------------------------
// 5. Bias and variance (the course, C2W1)

enum class Diagnosis {
  kNeither = 0,
  kHighBias = 1,
  kHighVariance = 2,
  kBoth = 3
};

// Errors are fractions (0.01 = 1 %). With Bayes (optimal) error as the
// floor:
//   avoidable bias = train_error - bayes_error   high bias     if > tolerance
//   variance       = dev_error - train_error     high variance if > tolerance
// The lecture's cases (tolerance 0.02), Bayes error ≈ 0:
//   train 1 %,   dev 11 %  -> kHighVariance
//   train 15 %,  dev 16 %  -> kHighBias
//   train 15 %,  dev 30 %  -> kBoth
//   train 0.5 %, dev 1 %   -> kNeither
// and with Bayes error 15 % (blurry pictures): train 15 %, dev 16 % ->
// kNeither.
Diagnosis diagnose(double train_error, double dev_error, double bayes_error,
                   double tolerance);

// ---------------------------------------------------------------------------
// Given (given.cc; not graded): d2l's data and helpers.

// "kNeither", "kHighBias", ... and the plain words "neither", "high bias",
// "high variance", "high bias and high variance".
std::string diagnosis_name(Diagnosis d);
std::string diagnosis_words(Diagnosis d);

// d2l's linreg and squared_loss (course1_nn/linear_regression):
//   linreg(X, w, b) = wᵀX + b (1, m);
//   squared_loss(ŷ, y) = (1/(2m)) Σ (ŷ - y)², the mean of d2l's (ŷ - y)²/2.
Matrix linreg(const Matrix& X, const Matrix& w, double b);
double squared_loss(const Matrix& y_hat, const Matrix& y);

// d2l's data_iter as column indices: one rng.permutation(num_examples), cut
// into consecutive minibatches of batch_size (the last one keeps the rest).
std::vector<std::vector<int>> data_iter(int batch_size, int num_examples,
                                        dl::RandomState& rng);

// d2l's cubic: y = 5 + 1.2 x - 3.4 x²/2! + 5.6 x³/3! + ε, ε ~ N(0, 0.1²).
inline constexpr int kMaxDegree = 20;  // d2l's max_degree: 20 features,
                                       // x⁰ .. x¹⁹
inline const double kTrueCubicW[4] = {5.0, 1.2, -3.4, 5.6};

struct PolynomialData {
  Matrix x_train, y_train;  // (1, n_train)
  Matrix x_test, y_test;    // (1, n_test)
};

// d2l's draws, in numpy's order:
//   x = rng.randn(n_train + n_test) (np.random.normal(size=(n, 1))),
//   rng.shuffle(x), then the noise rng.randn(1, n) * 0.1;
//   the first n_train examples train, the others test.
// d2l: n_train = n_test = 100.
PolynomialData make_polynomial_data(int n_train, int n_test,
                                    dl::RandomState& rng);

// A data set of features and targets.
struct Data {
  Matrix X;  // (n_x, m)
  Matrix y;  // (1, m)
};

// d2l's weight-decay data, its synthetic_data(true_w, true_b, m) with
// true_w = 0.01 · 1 (n_x, 1) and true_b = 0.05:
//   X = rng.randn(n_x, m) first, then y = 0.01 Σ_j X_j + 0.05 +
//   rng.randn(1, m) * 0.01.
// d2l: n_x = 200, 20 training examples, then 100 test examples.
Data make_weight_decay_data(int n_x, int m, dl::RandomState& rng);

// The reference solution (reference.cc) has the same functions, in
// model_selection::reference. The grader compares yours with it.
namespace reference {
decltype(model_selection::train_dev_test_split) train_dev_test_split;
decltype(model_selection::kfold_indices) kfold_indices;
decltype(model_selection::cross_validation_score) cross_validation_score;
decltype(model_selection::polynomial_features) polynomial_features;
decltype(model_selection::fit_least_squares) fit_least_squares;
decltype(model_selection::l2_penalty) l2_penalty;
decltype(model_selection::weight_decay_gradients) weight_decay_gradients;
decltype(model_selection::train_weight_decay) train_weight_decay;
decltype(model_selection::diagnose) diagnose;
}  // namespace reference

}  // namespace model_selection

#endif  // DLCOURSE_COURSE2_TUNING_MODEL_SELECTION_MODEL_SELECTION_H_
