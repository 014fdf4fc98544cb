// File: tests/compile_errors/fixture.h
//
// A small unit for the compile-error tests (compile_errors_test.sh): five
// graded functions of the kinds the course has (entry-by-entry maths, a
// parameter struct, a Tensor reduction, an update of const& arguments, a
// cost). Each file in mistakes/ is this unit's exercise.cc with ONE typical
// mistake in it; the test grades it and reads what a learner would see.

#ifndef DLCOURSE_TESTS_COMPILE_ERRORS_FIXTURE_H_
#define DLCOURSE_TESTS_COMPILE_ERRORS_FIXTURE_H_

#include "common/core/tensor.h"

namespace fixture {

using dl::Matrix;
using dl::Tensor;

// 1 / (1 + exp(-z)), entry by entry.
Matrix sigmoid(const Matrix& z);

struct Parameters {
  Matrix w;  // (dim, 1)
  double b = 0;
};

// w = zeros (dim, 1), b = 0.
Parameters initialize_with_zeros(int dim);

// The sum of all entries of t.
double total(const Tensor<3>& t);

// w - learning_rate * dw, b unchanged.
Parameters update(const Parameters& parameters, const Matrix& dw,
                  double learning_rate);

// -(1/m) Σ Y log(A), A and Y of shape (1, m).
double cost(const Matrix& A, const Matrix& Y);

namespace reference {
decltype(fixture::sigmoid) sigmoid;
decltype(fixture::initialize_with_zeros) initialize_with_zeros;
decltype(fixture::total) total;
decltype(fixture::update) update;
decltype(fixture::cost) cost;
}  // namespace reference

}  // namespace fixture

#endif  // DLCOURSE_TESTS_COMPILE_ERRORS_FIXTURE_H_
