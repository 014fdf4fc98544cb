// d2l's data and helpers for course2_tuning/model_selection: given, not
// graded.

#include <cmath>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "course1_nn/linear_regression/linear_regression.h"
#include "course2_tuning/model_selection/model_selection.h"

namespace model_selection {

std::string diagnosis_name(Diagnosis d) {
  switch (d) {
    case Diagnosis::kNeither:
      return "kNeither";
    case Diagnosis::kHighBias:
      return "kHighBias";
    case Diagnosis::kHighVariance:
      return "kHighVariance";
    case Diagnosis::kBoth:
      return "kBoth";
  }
  return "Diagnosis(" + std::to_string(static_cast<int>(d)) + ")";
}

std::string diagnosis_words(Diagnosis d) {
  switch (d) {
    case Diagnosis::kNeither:
      return "neither";
    case Diagnosis::kHighBias:
      return "high bias";
    case Diagnosis::kHighVariance:
      return "high variance";
    case Diagnosis::kBoth:
      return "high bias and high variance";
  }
  return "?";
}

// linreg, squared_loss and data_iter: course1_nn/linear_regression's, as
// d2l reuses them.
Matrix linreg(const Matrix& X, const Matrix& w, double b) {
  return linear_regression::reference::linreg(X, w, b);
}

double squared_loss(const Matrix& y_hat, const Matrix& y) {
  return linear_regression::reference::squared_loss(y_hat, y);
}

std::vector<std::vector<int>> data_iter(int batch_size, int num_examples,
                                        dl::RandomState& rng) {
  return linear_regression::reference::data_iter(batch_size, num_examples, rng);
}

PolynomialData make_polynomial_data(int n_train, int n_test,
                                    dl::RandomState& rng) {
  const int n = n_train + n_test;
  // features = np.random.normal(size=(n, 1)); np.random.shuffle(features)
  const Matrix drawn = rng.randn(1, n);
  std::vector<double> x(drawn.data(), drawn.data() + n);
  rng.shuffle(x);
  // labels = poly_features @ true_w + np.random.normal(scale=0.1, size=n)
  const Matrix noise = rng.randn(1, n) * 0.1;
  Matrix all_x(1, n), all_y(1, n);
  for (int j = 0; j < n; ++j) {
    double y = 0, power = 1, factorial = 1;
    for (int i = 0; i < 4; ++i) {
      if (i > 0) {
        power *= x[j];
        factorial *= i;
      }
      y += kTrueCubicW[i] * power / factorial;
    }
    all_x(0, j) = x[j];
    all_y(0, j) = y + noise(0, j);
  }
  PolynomialData data;
  data.x_train = all_x.leftCols(n_train);
  data.y_train = all_y.leftCols(n_train);
  data.x_test = all_x.rightCols(n_test);
  data.y_test = all_y.rightCols(n_test);
  return data;
}

Data make_weight_decay_data(int n_x, int m, dl::RandomState& rng) {
  Data data;
  data.X = rng.randn(n_x, m);                   // drawn first
  const Matrix noise = rng.randn(1, m) * 0.01;  // (1, m)
  data.y = (0.01 * data.X.colwise().sum().array() + 0.05).matrix() + noise;
  return data;
}

}  // namespace model_selection
