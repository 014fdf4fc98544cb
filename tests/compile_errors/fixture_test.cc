// Grades the compile-error fixture (fixture.h) against its reference.

#include "tests/compile_errors/fixture.h"

#include "common/grading/grading.h"
#include "gtest/gtest.h"

namespace {

using dl::Matrix;
using dl::matrix;
using dl::grading::Call;
using dl::grading::Near;

TEST(Sigmoid, Values) {
  auto got = Call("sigmoid", [] { return fixture::sigmoid(matrix({{0, 2}})); });
  if (!got) return;
  EXPECT_TRUE(Near("sigmoid", "sigmoid([[0, 2]])", *got,
                   fixture::reference::sigmoid(matrix({{0, 2}}))));
}

TEST(InitializeWithZeros, Values) {
  auto got = Call("initialize_with_zeros",
                  [] { return fixture::initialize_with_zeros(3); });
  if (!got) return;
  EXPECT_TRUE(Near("initialize_with_zeros", "w", got->w, Matrix::Zero(3, 1)));
  EXPECT_TRUE(Near("initialize_with_zeros", "b", got->b, 0.0));
}

TEST(Total, Values) {
  dl::Tensor<3> t(2, 3, 4);
  t.setConstant(0.5);
  auto got = Call("total", [&] { return fixture::total(t); });
  if (!got) return;
  EXPECT_TRUE(Near("total", "total", *got, 12.0));
}

TEST(Update, Values) {
  fixture::Parameters p;
  p.w = matrix({{1}, {2}});
  p.b = 3;
  auto got = Call("update", [&] {
    return fixture::update(p, matrix({{1}, {1}}), 0.5);
  });
  if (!got) return;
  EXPECT_TRUE(Near("update", "w", got->w, matrix({{0.5}, {1.5}})));
  // A plain Google Test check: the grader shows only its message.
  EXPECT_TRUE(got->b == 3) << "update: b must stay as it was (3), got "
                           << got->b;
}

TEST(Cost, Values) {
  const Matrix A = matrix({{0.5, 0.25}});
  const Matrix Y = matrix({{1, 1}});
  auto got = Call("cost", [&] { return fixture::cost(A, Y); });
  if (!got) return;
  EXPECT_TRUE(Near("cost", "cost", *got, fixture::reference::cost(A, Y)));
}

}  // namespace
