// Your solutions to course1_nn/logistic_regression. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course1_nn/logistic_regression/...
// The formulas and shapes are in logistic_regression.h and README.md.

#include <cmath>
#include <cstdio>
#include <vector>

#include "common/grading/not_implemented.h"
#include "course1_nn/logistic_regression/logistic_regression.h"

namespace logistic_regression {

Matrix sigmoid(const Matrix& z) {
  // TODO: s = 1 / (1 + exp(-z)), entry by entry. (≈1 line)
  //   Hint: z.array() gives entry-by-entry operations; .matrix() turns the
  //   result back into a Matrix.
  return dl::not_implemented<Matrix>("sigmoid");
}

Parameters initialize_with_zeros(int dim) {
  // TODO: w = zeros of shape (dim, 1), b = 0. (≈2 lines)
  return dl::not_implemented<Parameters>("initialize_with_zeros");
}

PropagateResult propagate(const Matrix& w, double b, const Matrix& X,
                          const Matrix& Y) {
  // TODO: forward: A = σ(wᵀX + b) and the cost J;
  //       backward: dw = (1/m) X (A - Y)ᵀ, db = (1/m) Σ (A - Y). (≈6 lines)
  return dl::not_implemented<PropagateResult>("propagate");
}

OptimizeResult optimize(const Matrix& w, double b, const Matrix& X,
                        const Matrix& Y, int num_iterations,
                        double learning_rate, bool print_cost) {
  // TODO: num_iterations steps of gradient descent with propagate; keep the
  //       cost of every 100th iteration (i % 100 == 0). (≈10 lines)
  return dl::not_implemented<OptimizeResult>("optimize");
}

Matrix predict(const Matrix& w, double b, const Matrix& X) {
  // TODO: A = σ(wᵀX + b); 1 where A > 0.5, else 0. Shape (1, m). (≈2 lines)
  return dl::not_implemented<Matrix>("predict");
}

ModelResult model(const Matrix& X_train, const Matrix& Y_train,
                  const Matrix& X_test, const Matrix& Y_test,
                  int num_iterations, double learning_rate, bool print_cost) {
  // TODO: initialize_with_zeros, optimize, predict on train and test, and
  //       fill in every field of the result. (≈10 lines)
  return dl::not_implemented<ModelResult>("model");
}

}  // namespace logistic_regression
