// Your solutions to course2_tuning/initialization. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course2_tuning/initialization/...
// The formulas and shapes are in initialization.h and README.md.

#include <cmath>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/grading/not_implemented.h"
#include "course2_tuning/initialization/initialization.h"

namespace initialization {

Parameters initialize_parameters_zeros(const std::vector<int>& layers_dims) {
  // TODO: L = layers_dims.size() (the number of layers, plus one);
  //       for l = 1 .. L-1: W[l] = zeros (n[l], n[l-1]), b[l] = zeros
  //       (n[l], 1). (≈4 lines)
  //   Hint: Matrix::Zero(rows, cols); the key of layer l is
  //   "W" + std::to_string(l).
  return dl::not_implemented<Parameters>("initialize_parameters_zeros");
}

Parameters initialize_parameters_random(const std::vector<int>& layers_dims) {
  // TODO: dl::RandomState rng(3);  (np.random.seed(3)), then for l = 1 ..
  //       L-1, in order: W[l] = randn(n[l], n[l-1]) * 10, b[l] = zeros
  //       (n[l], 1). (≈5 lines)
  //   Hint: rng.randn(rows, cols) is np.random.randn(rows, cols).
  return dl::not_implemented<Parameters>("initialize_parameters_random");
}

Parameters initialize_parameters_he(const std::vector<int>& layers_dims) {
  // TODO: dl::RandomState rng(3);  then for l = 1 .. L-1:
  //       W[l] = randn(n[l], n[l-1]) * sqrt(2 / n[l-1]), b[l] = zeros.
  //       (≈5 lines)
  //   Hint: std::sqrt(2.0 / layers_dims[l - 1]): 2 / n with two ints is 0.
  return dl::not_implemented<Parameters>("initialize_parameters_he");
}

Parameters initialize_parameters_xavier(const std::vector<int>& layers_dims) {
  // TODO: dl::RandomState rng(3);  then for l = 1 .. L-1:
  //       W[l] = randn(n[l], n[l-1]) * sqrt(1 / n[l-1]), b[l] = zeros.
  //       (≈5 lines)
  //   Hint: as He, with 1 instead of 2.
  return dl::not_implemented<Parameters>("initialize_parameters_xavier");
}

}  // namespace initialization
