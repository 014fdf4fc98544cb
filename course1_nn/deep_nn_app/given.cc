// The course's dnn_app_utils for this unit: given, not graded.

#include <cmath>
#include <vector>

#include "common/core/random.h"
#include "course1_nn/deep_nn_app/deep_nn_app.h"

namespace deep_nn_app {

Parameters initialize_parameters_deep(const std::vector<int>& layers_dims) {
  dl::RandomState rng(1);  // np.random.seed(1)
  Parameters parameters;
  for (size_t l = 1; l < layers_dims.size(); ++l) {
    const std::string n = std::to_string(l);
    parameters["W" + n] = rng.randn(layers_dims[l], layers_dims[l - 1]) /
                          std::sqrt(static_cast<double>(layers_dims[l - 1]));
    parameters["b" + n] = Matrix::Zero(layers_dims[l], 1);
  }
  return parameters;
}

Matrix predict(const Matrix& X, const Parameters& parameters) {
  const Matrix AL = deep_nn::reference::L_model_forward(X, parameters).AL;
  return (AL.array() > 0.5).cast<double>().matrix();
}

}  // namespace deep_nn_app
