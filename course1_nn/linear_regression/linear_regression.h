// File: course1_nn/linear_regression/linear_regression.h
//
// Dive into Deep Learning (d2l), chapter 3 "Linear Neural Networks":
// linear regression from scratch, in the course's notation. A single linear
// neuron without an activation, trained by minibatch stochastic gradient
// descent on synthetic data, and checked against the closed-form
// least-squares solution (the normal equation).
//
// Shapes (the course's layout: one example per COLUMN; d2l puts examples in
// rows, X here is d2l's X transposed):
//   n_x = number of features (2 in d2l's example), m = examples
//   X: (n_x, m)   y: (1, m)   w: (n_x, 1)   b: a number
//   ŷ = wᵀX + b: (1, m)
//
// Randomness: every function that draws takes a dl::RandomState (numpy's
// legacy generator, bit for bit) and draws in the order documented below, so
// the grader can replay your draws.
//
// Exercises, in order (write them in exercise.cc):
//   1. synthetic_data  2. linreg  3. squared_loss  4. squared_loss_gradients
//   5. normal_equation  6. data_iter  7. sgd  8. train

#ifndef DLCOURSE_COURSE1_NN_LINEAR_REGRESSION_LINEAR_REGRESSION_H_
#define DLCOURSE_COURSE1_NN_LINEAR_REGRESSION_LINEAR_REGRESSION_H_

#include <vector>

#include "common/core/random.h"
#include "common/core/tensor.h"

namespace linear_regression {

using dl::Matrix;

// A data set: features and targets.
struct Data {
  Matrix X;  // (n_x, m), one example per column
  Matrix y;  // (1, m)
};

// d2l's synthetic data: y = wᵀX + b + ε, X ~ N(0, 1), ε ~ N(0, 0.01²).
//   w: (n_x, 1)  b: number  num_examples: m  ->  X (n_x, m), y (1, m)
// Draw order (numpy: X = np.random.randn(n_x, m);
//                    y = w.T @ X + b + 0.01 * np.random.randn(1, m)):
//   first X = rng.randn(n_x, m), then the noise rng.randn(1, m) * 0.01.
// d2l's defaults: w = [2, -3.4]ᵀ, b = 4.2, 1000 examples.
Data synthetic_data(const Matrix& w, double b, int num_examples,
                    dl::RandomState& rng);

// The model: ŷ = wᵀX + b, the number b added to every entry.
//   X: (n_x, m)  w: (n_x, 1)  ->  (1, m)
Matrix linreg(const Matrix& X, const Matrix& w, double b);

// The cost: the mean of d2l's per-example loss (ŷ - y)² / 2,
//   J = (1/(2m)) Σᵢ (ŷ⁽ⁱ⁾ - y⁽ⁱ⁾)².
//   y_hat, y: (1, m)  ->  a number
double squared_loss(const Matrix& y_hat, const Matrix& y);

// The gradients of J with respect to the parameters.
struct Gradients {
  Matrix dw;      // (n_x, 1), the shape of w
  double db = 0;  // the "shape" of b
};

// Backward: with ŷ = wᵀX + b,
//   dw = ∂J/∂w = (1/m) X (ŷ - y)ᵀ      (n_x, 1)
//   db = ∂J/∂b = (1/m) Σᵢ (ŷ⁽ⁱ⁾ - y⁽ⁱ⁾)
//   X: (n_x, m)  y: (1, m)  w: (n_x, 1)  b: number
Gradients squared_loss_gradients(const Matrix& X, const Matrix& y,
                                 const Matrix& w, double b);

// The closed-form least-squares solution.
struct NormalEquation {
  Matrix w;      // (n_x, 1)
  double b = 0;  // the bias
};

// Appends a row of ones to X, X̃ = [X; 1ᵀ] (n_x + 1, m), so that
// ŷ = θᵀX̃ with θ = [w; b] (n_x + 1, 1), and solves the normal equations
//   (X̃ X̃ᵀ) θ = X̃ yᵀ.
//   X: (n_x, m) with m >= n_x + 1 (otherwise θ is not unique)  y: (1, m)
NormalEquation normal_equation(const Matrix& X, const Matrix& y);

// d2l's data_iter, as column indices: indices = rng.permutation(num_examples)
// (one draw of numpy's permutation), then consecutive slices of batch_size;
// the last minibatch holds what is left (it is smaller when batch_size does
// not divide num_examples). Like the course's random_mini_batches.
//   RandomState(0), num_examples 10, batch_size 3
//     -> {2, 8, 4}, {9, 1, 6}, {7, 3, 0}, {5}
std::vector<std::vector<int>> data_iter(int batch_size, int num_examples,
                                        dl::RandomState& rng);

// The parameters of the model.
struct Parameters {
  Matrix w;      // (n_x, 1)
  double b = 0;  // the bias
};

// One step of (minibatch stochastic) gradient descent:
//   w = w - lr · dw,   b = b - lr · db.
// (d2l divides by batch_size here because its loss is a SUM over the
// minibatch; our dw, db are already means.)
Parameters sgd(const Parameters& params, const Gradients& grads, double lr);

struct TrainResult {
  Parameters params;                 // after the last epoch
  std::vector<double> epoch_losses;  // squared_loss on ALL of X after each
                                     // epoch: num_epochs values
};

// d2l's training loop:
//   w = rng.randn(n_x, 1) * 0.01 (drawn first), b = 0;
//   for each of num_epochs epochs:
//     for each minibatch of data_iter(batch_size, m, rng):
//       the minibatch's columns of X and y -> squared_loss_gradients -> sgd
//     record squared_loss(linreg(X, w, b), y) on the full data.
//   X: (n_x, m)  y: (1, m)
TrainResult train(const Matrix& X, const Matrix& y, double lr, int num_epochs,
                  int batch_size, dl::RandomState& rng);

// The reference solution (reference.cc) has the same functions, in
// linear_regression::reference. The grader compares yours with it.
namespace reference {
decltype(linear_regression::synthetic_data) synthetic_data;
decltype(linear_regression::linreg) linreg;
decltype(linear_regression::squared_loss) squared_loss;
decltype(linear_regression::squared_loss_gradients) squared_loss_gradients;
decltype(linear_regression::normal_equation) normal_equation;
decltype(linear_regression::data_iter) data_iter;
decltype(linear_regression::sgd) sgd;
decltype(linear_regression::train) train;
}  // namespace reference

}  // namespace linear_regression

#endif  // DLCOURSE_COURSE1_NN_LINEAR_REGRESSION_LINEAR_REGRESSION_H_
