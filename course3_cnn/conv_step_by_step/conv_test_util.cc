#include "course3_cnn/conv_step_by_step/conv_test_util.h"

#include <cstdint>

namespace conv_test {

std::string Str(const Dims4& dims) {
  return dl::shape_string(std::vector<int64_t>(dims.begin(), dims.end()));
}

double Sum(const dl::Tensor<4>& t) {
  const dl::Tensor<0> sum = t.sum();
  return sum();
}

std::vector<dl::grading::BlockCheck> CheckTensorGradients(
    const std::function<double()>& cost,
    const std::vector<TensorGradient>& blocks) {
  std::vector<dl::grading::BlockCheck> checks;
  for (const TensorGradient& block : blocks) {
    checks.push_back(dl::grading::CheckTensorGradient(
        cost, block.name, *block.parameter, *block.analytic));
  }
  return checks;
}

}  // namespace conv_test
