// The reference solution of course2_tuning/initialization.

#include <cmath>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "course2_tuning/initialization/initialization.h"

namespace initialization {
namespace reference {

Parameters initialize_parameters_zeros(const std::vector<int>& layers_dims) {
  Parameters parameters;
  const size_t L = layers_dims.size();  // number of layers, plus one
  for (size_t l = 1; l < L; ++l) {
    const std::string n = std::to_string(l);
    parameters["W" + n] = Matrix::Zero(layers_dims[l], layers_dims[l - 1]);
    parameters["b" + n] = Matrix::Zero(layers_dims[l], 1);
  }
  return parameters;
}

Parameters initialize_parameters_random(const std::vector<int>& layers_dims) {
  dl::RandomState rng(3);  // np.random.seed(3)
  Parameters parameters;
  const size_t L = layers_dims.size();
  for (size_t l = 1; l < L; ++l) {
    const std::string n = std::to_string(l);
    parameters["W" + n] = rng.randn(layers_dims[l], layers_dims[l - 1]) * 10;
    parameters["b" + n] = Matrix::Zero(layers_dims[l], 1);
  }
  return parameters;
}

Parameters initialize_parameters_he(const std::vector<int>& layers_dims) {
  dl::RandomState rng(3);
  Parameters parameters;
  const size_t L = layers_dims.size();
  for (size_t l = 1; l < L; ++l) {
    const std::string n = std::to_string(l);
    parameters["W" + n] = rng.randn(layers_dims[l], layers_dims[l - 1]) *
                          std::sqrt(2.0 / layers_dims[l - 1]);
    parameters["b" + n] = Matrix::Zero(layers_dims[l], 1);
  }
  return parameters;
}

Parameters initialize_parameters_xavier(const std::vector<int>& layers_dims) {
  dl::RandomState rng(3);
  Parameters parameters;
  const size_t L = layers_dims.size();
  for (size_t l = 1; l < L; ++l) {
    const std::string n = std::to_string(l);
    parameters["W" + n] = rng.randn(layers_dims[l], layers_dims[l - 1]) *
                          std::sqrt(1.0 / layers_dims[l - 1]);
    parameters["b" + n] = Matrix::Zero(layers_dims[l], 1);
  }
  return parameters;
}

}  // namespace reference
}  // namespace initialization
