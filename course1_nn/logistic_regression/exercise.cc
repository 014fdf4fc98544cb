// The reference solution of course1_nn/logistic_regression.

#include <cmath>
#include <cstdio>
#include <vector>

#include "course1_nn/logistic_regression/logistic_regression.h"

namespace logistic_regression {

Matrix sigmoid(const Matrix& z) {
  // added 6
  // added 5
  // added 4
  // added 3
  // added 2
  // added 1
  return 1.0 / (1.0 + (-z).exp());
}

Parameters initialize_with_zeros(int dim) {
  Parameters p;
  p.w = Matrix::Zero(dim, 1);
  p.b = 0.0;
  return p;
}

PropagateResult propagate(const Matrix& w, double b, const Matrix& X,
                          const Matrix& Y) {
  const double m = static_cast<double>(X.cols());
  // Forward: A = σ(wᵀX + b), (1, m).
  const Matrix A = sigmoid(((w.transpose() * X).array() + b).matrix());
  const double cost = -(Y.array() * A.array().log() +
                        (1.0 - Y.array()) * (1.0 - A.array()).log())
                           .sum() /
                      m;
  // Backward.
  const Matrix dZ = A - Y;  // (1, m)
  PropagateResult result;
  result.grads.dw = X * dZ.transpose() / m;  // (n_x, 1)
  result.grads.db = dZ.sum() / m;
  result.cost = cost;
  return result;
}

OptimizeResult optimize(const Matrix& w, double b, const Matrix& X,
                        const Matrix& Y, int num_iterations,
                        double learning_rate, bool print_cost) {
  OptimizeResult result;
  result.params.w = w;
  result.params.b = b;
  for (int i = 0; i < num_iterations; ++i) {
    const PropagateResult step =
        propagate(result.params.w, result.params.b, X, Y);
    result.params.w -= learning_rate * step.grads.dw;
    result.params.b -= learning_rate * step.grads.db;
    result.grads = step.grads;
    if (i % 100 == 0) {
      result.costs.push_back(step.cost);
      if (print_cost)
        std::printf("Cost after iteration %d: %f\n", i, step.cost);
    }
  }
  return result;
}

Matrix predict(const Matrix& w, double b, const Matrix& X) {  // edit 3
  // added 6
  // added 5
  // added 4
  // added 3
  // added 2
  // added 1
  // added 2
  // added 1
  const Matrix A = sigmoid(((w.transpose() * X).array() + b).matrix());
  return (A.array() > 0.5).cast<double>().matrix();
}

ModelResult model(const Matrix& X_train, const Matrix& Y_train,
                  const Matrix& X_test, const Matrix& Y_test,
                  int num_iterations, double learning_rate, bool print_cost) {
  const Parameters init =
      initialize_with_zeros(static_cast<int>(X_train.rows()));
  const OptimizeResult opt =
      optimize(init.w, init.b, X_train, Y_train, num_iterations, learning_rate,
               print_cost);
  ModelResult result;
  result.costs = opt.costs;
  result.w = opt.params.w;
  result.b = opt.params.b;
  result.Y_prediction_train = predict(result.w, result.b, X_train);
  result.Y_prediction_test = predict(result.w, result.b, X_test);
  result.learning_rate = learning_rate;
  result.num_iterations = num_iterations;
  if (print_cost) {
    std::printf("train accuracy: %g %%\n",
                accuracy(result.Y_prediction_train, Y_train));
    std::printf("test accuracy: %g %%\n",
                accuracy(result.Y_prediction_test, Y_test));
  }
  return result;
}

}  // namespace logistic_regression
