// File: course1_nn/logistic_regression/logistic_regression.h
//
// Course 1, week 2: "Logistic Regression with a Neural Network mindset".
// A cat / non-cat classifier as a single neuron: z = wᵀx + b, a = σ(z).
//
// Shapes (the course's layout: one example per COLUMN):
//   n_x = number of features (64 * 64 * 3 = 12288 for the images), m = examples
//   X: (n_x, m)   Y: (1, m) of 0/1   w: (n_x, 1)   b: a number
//   A = σ(wᵀX + b): (1, m)
//
// Eigen reminder: `*` between two Matrix objects is the MATRIX product
// (numpy's np.dot). Elementwise: a.cwiseProduct(b), or a.array() * b.array().
//
// Exercises, in order (write them in exercise.cc):
//   1. sigmoid  2. initialize_with_zeros  3. propagate  4. optimize
//   5. predict  6. model

#ifndef DLCOURSE_COURSE1_NN_LOGISTIC_REGRESSION_LOGISTIC_REGRESSION_H_
#define DLCOURSE_COURSE1_NN_LOGISTIC_REGRESSION_LOGISTIC_REGRESSION_H_

#include <vector>

#include "common/core/tensor.h"

namespace logistic_regression {

using dl::Matrix;

// sigmoid(z) = 1 / (1 + exp(-z)), entry by entry.
//   z: any shape -> same shape.
Matrix sigmoid(const Matrix& z);

// The parameters of the neuron.
struct Parameters {
  Matrix w;      // (n_x, 1)
  double b = 0;  // the bias
};

// w = zeros of shape (dim, 1), b = 0.
Parameters initialize_with_zeros(int dim);

// The gradients of the cost with respect to the parameters.
struct Gradients {
  Matrix dw;      // (n_x, 1), same shape as w
  double db = 0;  // same "shape" as b
};

struct PropagateResult {
  Gradients grads;
  double cost = 0;  // the cross-entropy cost J
};

// One forward and one backward pass.
//   w: (n_x, 1)  b: number  X: (n_x, m)  Y: (1, m)
// Forward:  A = σ(wᵀX + b)                               (1, m)
//           J = -(1/m) Σ [ Y log(A) + (1 - Y) log(1 - A) ]
// Backward: dw = (1/m) X (A - Y)ᵀ                         (n_x, 1)
//           db = (1/m) Σ (A - Y)
PropagateResult propagate(const Matrix& w, double b, const Matrix& X,
                          const Matrix& Y);

struct OptimizeResult {
  Parameters params;          // w and b after the last step
  Gradients grads;            // the gradients of the last step
  std::vector<double> costs;  // the cost at iterations 0, 100, 200, ...
};

// Gradient descent: num_iterations times, propagate, then
//   w = w - learning_rate * dw,   b = b - learning_rate * db.
// Records the cost every 100 iterations (i % 100 == 0) and, if print_cost,
// prints "Cost after iteration i: cost".
OptimizeResult optimize(const Matrix& w, double b, const Matrix& X,
                        const Matrix& Y, int num_iterations = 100,
                        double learning_rate = 0.009, bool print_cost = false);

// Labels 0/1 for every column of X: 1 where σ(wᵀX + b) > 0.5.
//   w: (n_x, 1)  X: (n_x, m)  ->  (1, m)
Matrix predict(const Matrix& w, double b, const Matrix& X);

struct ModelResult {
  std::vector<double> costs;  // from optimize
  Matrix Y_prediction_test;   // (1, m_test)
  Matrix Y_prediction_train;  // (1, m_train)
  Matrix w;                   // (n_x, 1)
  double b = 0;
  double learning_rate = 0;
  int num_iterations = 0;
};

// Puts it together: initialize_with_zeros(n_x), optimize, predict on both
// sets. If print_cost, also prints the train and test accuracy.
//   X_train: (n_x, m_train)  Y_train: (1, m_train)
//   X_test: (n_x, m_test)    Y_test: (1, m_test)
ModelResult model(const Matrix& X_train, const Matrix& Y_train,
                  const Matrix& X_test, const Matrix& Y_test,
                  int num_iterations = 2000, double learning_rate = 0.5,
                  bool print_cost = false);

// Given (not graded): the course's accuracy in percent,
// 100 - mean(|Y_prediction - Y|) * 100.
inline double accuracy(const Matrix& Y_prediction, const Matrix& Y) {
  return 100.0 - (Y_prediction - Y).cwiseAbs().mean() * 100.0;
}

// The reference solution (reference.cc) has the same functions, in
// logistic_regression::reference. The grader compares yours with it.
namespace reference {
decltype(logistic_regression::sigmoid) sigmoid;
decltype(logistic_regression::initialize_with_zeros) initialize_with_zeros;
decltype(logistic_regression::propagate) propagate;
decltype(logistic_regression::optimize) optimize;
decltype(logistic_regression::predict) predict;
decltype(logistic_regression::model) model;
}  // namespace reference

}  // namespace logistic_regression

#endif  // DLCOURSE_COURSE1_NN_LOGISTIC_REGRESSION_LOGISTIC_REGRESSION_H_
