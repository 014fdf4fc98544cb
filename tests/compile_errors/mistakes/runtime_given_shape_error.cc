// The compile-error fixture with a mistake that compiles: the given cost
// (here the reference's) called with Y transposed, (m, 1) against A's
// (1, m). The shape error happens inside the called function; the grade
// names the learner's line that made the call, then where it failed.

#include "common/grading/not_implemented.h"
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
  return reference::cost(A, Y.transpose());
}

}  // namespace fixture
