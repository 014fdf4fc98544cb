// The reference solution of course2_tuning/initialization.

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "course2_tuning/initialization/initialization.h"

namespace initialization {
namespace reference {
namespace {

// np.random.seed(3); W[l] = np.random.randn(n[l], n[l-1]) * scale(n[l-1]),
// b[l] = zeros: the random, He and Xavier initializations.
Parameters seeded_randn(const std::vector<int>& layers_dims,
                        const std::function<double(int)>& scale) {
  dl::RandomState rng(3);  // np.random.seed(3)
  Parameters parameters;
  const size_t L = layers_dims.size();
  for (size_t l = 1; l < L; ++l) {
    const std::string n = std::to_string(l);
    parameters["W" + n] = rng.randn(layers_dims[l], layers_dims[l - 1]) *
                          scale(layers_dims[l - 1]);
    parameters["b" + n] = Matrix::Zero(layers_dims[l], 1);
  }
  return parameters;
}

}  // namespace

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
  return seeded_randn(layers_dims, [](int) { return 10.0; });
}

Parameters initialize_parameters_he(const std::vector<int>& layers_dims) {
  return seeded_randn(layers_dims,
                      [](int fan_in) { return std::sqrt(2.0 / fan_in); });
}

Parameters initialize_parameters_xavier(const std::vector<int>& layers_dims) {
  return seeded_randn(layers_dims,
                      [](int fan_in) { return std::sqrt(1.0 / fan_in); });
}

}  // namespace reference
}  // namespace initialization
