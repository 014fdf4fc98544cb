#include "course2_tuning/optimization/opt_utils.h"

#include <cmath>
#include <string>

#include "common/core/random.h"

namespace opt_utils {

Parameters initialize_parameters(const std::vector<int>& layers_dims) {
  dl::RandomState rng(3);  // np.random.seed(3)
  Parameters parameters;
  for (size_t l = 1; l < layers_dims.size(); ++l) {
    const std::string n = std::to_string(l);
    parameters["W" + n] = rng.randn(layers_dims[l], layers_dims[l - 1]) *
                          std::sqrt(2. / layers_dims[l - 1]);
    parameters["b" + n] = Matrix::Zero(layers_dims[l], 1);
  }
  return parameters;
}

double compute_cost(const Matrix& a3, const Matrix& Y) {
  const Eigen::ArrayXXd logprobs =
      -a3.array().log() * Y.array() - (1 - a3.array()).log() * (1 - Y.array());
  return init_utils::numpy_sum(logprobs);
}

double accuracy(const Matrix& predictions, const Matrix& Y) {
  return init_utils::accuracy(predictions, Y);
}

}  // namespace opt_utils
