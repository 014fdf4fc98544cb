// Grades course1_nn/tensor_basics: the course's expected values, a seeded
// comparison with the reference solution on several shapes, softmax on large
// logits, and a finite-difference check of sigmoid_derivative.

#include "course1_nn/tensor_basics/tensor_basics.h"

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "course1_nn/tensor_basics/graded.h"  // see tools/unit.bzl
#include "gtest/gtest.h"

namespace reference = tensor_basics::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
using dl::Matrix;
using dl::matrix;
using dl::RandomState;

// The course's L1 / L2 fixture.
const Matrix kYhat = matrix({{.9, .2, .1, .4, .9}});
const Matrix kY = matrix({{1, 0, 0, 1, 1}});

std::string at(const Matrix& x) { return " for x " + dl::shape_string(x); }

// ---------------------------------------------------------- basic_sigmoid
TEST(BasicSigmoid, CourseValues) {
  auto got = Call("basic_sigmoid", [] { return graded::basic_sigmoid(1.0); });
  if (!got) return;
  EXPECT_TRUE(Near("basic_sigmoid", "basic_sigmoid(1)", *got,
                   0.7310585786300049, kCourseValues,
                   "1 / (1 + exp(-x)): mind the minus sign"));
}

TEST(BasicSigmoid, MatchesReferenceOnRandomInputs) {
  RandomState rng(1);
  const Matrix xs = rng.randn(1, 10) * 5;
  for (Eigen::Index i = 0; i < xs.size(); ++i) {
    const double x = xs(0, i);
    auto got = Call("basic_sigmoid", [&] { return graded::basic_sigmoid(x); });
    if (!got) return;
    EXPECT_TRUE(Near("basic_sigmoid",
                     "basic_sigmoid(" + std::to_string(x) + ")", *got,
                     reference::basic_sigmoid(x)));
  }
}

// ---------------------------------------------------------------- sigmoid
TEST(Sigmoid, CourseValues) {
  auto got = Call("sigmoid", [] {
    return graded::sigmoid(matrix({{1, 2, 3}}));
  });
  if (!got) return;
  EXPECT_TRUE(Near("sigmoid", "sigmoid([[1, 2, 3]])", *got,
                   matrix({{0.73105858, 0.88079708, 0.95257413}}),
                   kCourseValues,
                   "entry by entry: 1.0 / (1.0 + (-x.array()).exp())"));
}

TEST(Sigmoid, MatchesReferenceOnRandomInputs) {
  RandomState rng(2);
  for (auto [rows, cols] : kMatrixShapes) {
    const Matrix x = rng.randn(rows, cols) * 5;
    auto got = Call("sigmoid", [&] { return graded::sigmoid(x); });
    if (!got) return;
    EXPECT_TRUE(
        Near("sigmoid", "sigmoid(x)" + at(x), *got, reference::sigmoid(x)));
  }
}

// ----------------------------------------------------- sigmoid_derivative
TEST(SigmoidDerivative, CourseValues) {
  auto got = Call("sigmoid_derivative", [] {
    return graded::sigmoid_derivative(matrix({{1, 2, 3}}));
  });
  if (!got) return;
  EXPECT_TRUE(Near("sigmoid_derivative", "sigmoid_derivative([[1, 2, 3]])",
                   *got, matrix({{0.19661193, 0.10499359, 0.04517666}}),
                   kCourseValues,
                   "s = sigmoid(x), then s * (1 - s) entry by entry "
                   "(s.array() * (1.0 - s.array()))"));
}

TEST(SigmoidDerivative, MatchesReferenceOnRandomInputs) {
  RandomState rng(3);
  for (auto [rows, cols] : kMatrixShapes) {
    const Matrix x = rng.randn(rows, cols) * 3;
    auto got = Call("sigmoid_derivative",
                    [&] { return graded::sigmoid_derivative(x); });
    if (!got) return;
    EXPECT_TRUE(Near("sigmoid_derivative", "sigmoid_derivative(x)" + at(x),
                     *got, reference::sigmoid_derivative(x)));
  }
}

// d/dx_ij of J(x) = Σ sigmoid(x) is sigmoid'(x_ij): the whole matrix of
// derivatives is exactly sigmoid_derivative(x).
TEST(SigmoidDerivative, IsTheDerivativeOfSigmoid) {
  RandomState rng(4);
  Matrix x = rng.randn(3, 4) * 2;
  auto got =
      Call("sigmoid_derivative", [&] { return graded::sigmoid_derivative(x); });
  if (!got) return;
  std::vector<dl::grading::GradientBlock> blocks = {
      {"sigmoid_derivative", &x, *got}};
  const auto checks = dl::grading::CheckGradients(
      [&] { return reference::sigmoid(x).sum(); }, blocks);
  EXPECT_TRUE(dl::grading::GradientsMatch("sigmoid_derivative", checks));
}

// ----------------------------------------------------------- image2vector
TEST(Image2vector, CourseValues) {
  dl::Tensor<3> image(3, 3, 2);
  image.setValues({{{0.67826139, 0.29380381},
                    {0.90714982, 0.52835647},
                    {0.4215251, 0.45017551}},
                   {{0.92814219, 0.96677647},
                    {0.85304703, 0.52351845},
                    {0.19981397, 0.27417313}},
                   {{0.60659855, 0.00533165},
                    {0.10820313, 0.49978937},
                    {0.34144279, 0.94630077}}});
  // image.reshape(18, 1): C order, the last index (depth) changes fastest.
  const Matrix want = matrix({{0.67826139},
                              {0.29380381},
                              {0.90714982},
                              {0.52835647},
                              {0.4215251},
                              {0.45017551},
                              {0.92814219},
                              {0.96677647},
                              {0.85304703},
                              {0.52351845},
                              {0.19981397},
                              {0.27417313},
                              {0.60659855},
                              {0.00533165},
                              {0.10820313},
                              {0.49978937},
                              {0.34144279},
                              {0.94630077}});
  auto got = Call("image2vector", [&] { return graded::image2vector(image); });
  if (!got) return;
  EXPECT_TRUE(Near("image2vector", "image2vector(course image (3, 3, 2))", *got,
                   want, kCourseValues,
                   "one column (length*height*depth, 1) in C order: "
                   "image(i, j, k) goes to row (i*height + j)*depth + k"));
}

TEST(Image2vector, MatchesReferenceOnRandomInputs) {
  RandomState rng(5);
  const std::vector<std::array<Eigen::Index, 3>> dims = {
      {3, 3, 2}, {4, 2, 3}, {2, 5, 1}, {1, 4, 3}, {6, 1, 2}, {1, 1, 1}};
  for (const auto& d : dims) {
    const dl::Tensor<3> image = rng.randn_tensor<3>(d);
    auto got =
        Call("image2vector", [&] { return graded::image2vector(image); });
    if (!got) return;
    EXPECT_TRUE(Near("image2vector",
                     "image2vector(image) for image " + dl::shape_string(image),
                     *got, reference::image2vector(image)));
  }
}

// --------------------------------------------------------- normalize_rows
TEST(NormalizeRows, CourseValues) {
  auto got = Call("normalize_rows", [] {
    return graded::normalize_rows(matrix({{0, 3, 4}, {1, 6, 4}}));
  });
  if (!got) return;
  EXPECT_TRUE(
      Near("normalize_rows", "normalize_rows([[0, 3, 4], [1, 6, 4]])", *got,
           matrix({{0, 0.6, 0.8}, {0.13736056, 0.82416338, 0.54944226}}),
           kCourseValues,
           "divide each row by its own norm: x.rowwise().norm() is "
           "(n, 1)"));
}

TEST(NormalizeRows, MatchesReferenceOnRandomInputs) {
  RandomState rng(6);
  for (auto [rows, cols] : kMatrixShapes) {
    const Matrix x = rng.randn(rows, cols) * 4;
    auto got =
        Call("normalize_rows", [&] { return graded::normalize_rows(x); });
    if (!got) return;
    EXPECT_TRUE(Near("normalize_rows", "normalize_rows(x)" + at(x), *got,
                     reference::normalize_rows(x), dl::grading::kReference,
                     "every ROW of the result has norm 1"));
  }
}

// ---------------------------------------------------------------- softmax
TEST(Softmax, CourseValues) {
  const Matrix x = matrix({{9, 2, 5, 0, 0}, {7, 5, 0, 0, 0}});
  auto got = Call("softmax", [&] { return graded::softmax(x); });
  if (!got) return;
  EXPECT_TRUE(Near("softmax", "softmax([[9, 2, 5, 0, 0], [7, 5, 0, 0, 0]])",
                   *got,
                   matrix({{9.80897665e-01, 8.94462891e-04, 1.79657674e-02,
                            1.21052389e-04, 1.21052389e-04},
                           {8.78679856e-01, 1.18916387e-01, 8.01252314e-04,
                            8.01252314e-04, 8.01252314e-04}}),
                   kCourseValues,
                   "each ROW sums to 1: divide exp(x) by its row sums, "
                   "x_exp.rowwise().sum() is (m, 1)"));
}

TEST(Softmax, MatchesReferenceOnRandomInputs) {
  RandomState rng(7);
  for (auto [rows, cols] : kMatrixShapes) {
    const Matrix x = rng.randn(rows, cols) * 3;
    auto got = Call("softmax", [&] { return graded::softmax(x); });
    if (!got) return;
    EXPECT_TRUE(Near("softmax", "softmax(x)" + at(x), *got,
                     reference::softmax(x), dl::grading::kReference,
                     "each ROW sums to 1"));
  }
}

// Logits near +1000 overflow exp; near -1000 every exp underflows to 0 and
// the row sum is 0. The softmax itself is perfectly finite.
TEST(Softmax, LargeLogitsStayFinite) {
  RandomState rng(8);
  Matrix x = rng.randn(3, 5) * 3;
  x.row(0).array() += 1000;
  x.row(1).array() -= 1000;
  const Matrix want = reference::softmax(x);
  ASSERT_TRUE(want.allFinite());
  auto got = Call("softmax", [&] { return graded::softmax(x); });
  if (!got) return;
  EXPECT_TRUE(Near("softmax", "softmax(x) with logits near ±1000", *got, want,
                   dl::grading::kReference,
                   "exp(1000) overflows to inf: subtract each row's max "
                   "(x.rowwise().maxCoeff()) before exp; the softmax does "
                   "not change"));
}

// ---------------------------------------------------------------- L1
TEST(L1, CourseValues) {
  auto got = Call("L1", [] { return graded::L1(kYhat, kY); });
  if (!got) return;
  EXPECT_TRUE(
      Near("L1", "L1(yhat, y)", *got, 1.1, kCourseValues,
           "Σ |y - yhat| over all entries: (y - yhat).cwiseAbs().sum()"));
}

TEST(L1, MatchesReferenceOnRandomInputs) {
  RandomState rng(9);
  for (auto [rows, cols] : kMatrixShapes) {
    const Matrix yhat = rng.rand(rows, cols);
    const Matrix y =
        (rng.rand(rows, cols).array() > 0.5).cast<double>().matrix();
    auto got = Call("L1", [&] { return graded::L1(yhat, y); });
    if (!got) return;
    EXPECT_TRUE(Near("L1", "L1(yhat, y) for y " + dl::shape_string(y), *got,
                     reference::L1(yhat, y)));
  }
}

// ---------------------------------------------------------------- L2
TEST(L2, CourseValues) {
  auto got = Call("L2", [] { return graded::L2(kYhat, kY); });
  if (!got) return;
  EXPECT_TRUE(Near("L2", "L2(yhat, y)", *got, 0.43, kCourseValues,
                   "Σ (y - yhat)²: square each difference, then sum"));
}

TEST(L2, MatchesReferenceOnRandomInputs) {
  RandomState rng(10);
  for (auto [rows, cols] : kMatrixShapes) {
    const Matrix yhat = rng.rand(rows, cols);
    const Matrix y =
        (rng.rand(rows, cols).array() > 0.5).cast<double>().matrix();
    auto got = Call("L2", [&] { return graded::L2(yhat, y); });
    if (!got) return;
    EXPECT_TRUE(Near("L2", "L2(yhat, y) for y " + dl::shape_string(y), *got,
                     reference::L2(yhat, y)));
  }
}

}  // namespace
