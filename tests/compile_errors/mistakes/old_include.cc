// The compile-error fixture written before common/ was split by concern: an
// #include of the old path.

#include "common/not_implemented.h"
#include "tests/compile_errors/fixture.h"

namespace fixture {

Matrix sigmoid(const Matrix& z) {
  return (1.0 / (1.0 + (-z.array()).exp())).matrix();
}

Parameters initialize_with_zeros(int dim) {
  Parameters p;
  p.w = Matrix::Zero(dim, 1);
  p.b = 0;
  return p;
}

double total(const Tensor<3>& t) {
  const Tensor<0> s = t.sum();
  return s();
}

Parameters update(const Parameters& parameters, const Matrix& dw,
                  double learning_rate) {
  Parameters p = parameters;
  p.w -= learning_rate * dw;
  return p;
}

double cost(const Matrix& A, const Matrix& Y) {
  const double m = static_cast<double>(Y.cols());
  return -(Y.array() * A.array().log()).sum() / m;
}

}  // namespace fixture
