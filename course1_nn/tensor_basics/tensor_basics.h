// File: course1_nn/tensor_basics/tensor_basics.h
//
// Course 1, week 2: "Python Basics with Numpy", here "tensor basics with
// Eigen". Warm-up functions the rest of the course keeps using: the sigmoid
// and its derivative, reshaping an image into a vector, normalizing rows,
// softmax, and the L1 / L2 losses.
//
// Eigen reminders (numpy -> Eigen):
//   np.dot(a, b)            a * b          `*` is the MATRIX product
//   a * b (elementwise)     a.cwiseProduct(b), or a.array() * b.array()
//   np.exp(x)               x.array().exp()       (.matrix() to get back)
//   x / row_sums  (broadcast)  Eigen never broadcasts implicitly: say
//                           x.array().colwise() / row_sums.array()  (n, 1)
//                           x.array().rowwise() / col_sums.array()  (1, n)
//
// Exercises, in order (write them in exercise.cc):
//   1. basic_sigmoid  2. sigmoid  3. sigmoid_derivative  4. image2vector
//   5. normalize_rows  6. softmax  7. L1  8. L2

#ifndef DLCOURSE_COURSE1_NN_TENSOR_BASICS_TENSOR_BASICS_H_
#define DLCOURSE_COURSE1_NN_TENSOR_BASICS_TENSOR_BASICS_H_

#include "common/core/tensor.h"

namespace tensor_basics {

using dl::Matrix;

// basic_sigmoid(x) = 1 / (1 + e^(-x)) for ONE number (std::exp).
double basic_sigmoid(double x);

// sigmoid(x) = 1 / (1 + e^(-x)), entry by entry.
//   x: any shape -> same shape.
Matrix sigmoid(const Matrix& x);

// The derivative of the sigmoid, entry by entry:
//   σ'(x) = s (1 - s)  with  s = σ(x).
//   x: any shape -> same shape.
Matrix sigmoid_derivative(const Matrix& x);

// Unrolls an image into one column, in numpy's C order
// (image.reshape(length * height * depth, 1)):
//   image: (length, height, depth) -> (length * height * depth, 1),
//   image(i, j, k) goes to row (i * height + j) * depth + k.
// dl::Tensor<3> is row-major, so image.data() is already in that order.
Matrix image2vector(const dl::Tensor<3>& image);

// Each row divided by its own L2 norm ‖x_i‖ = sqrt(Σ_j x_ij²):
//   x: (n, m) -> (n, m), every row of the result has norm 1.
Matrix normalize_rows(const Matrix& x);

// Softmax of each ROW (the course's layout here: one example per row):
//   softmax(x)_ij = e^(x_ij) / Σ_k e^(x_ik)
//   x: (m, n) -> (m, n), every row of the result sums to 1.
Matrix softmax(const Matrix& x);

// The L1 loss: L1(ŷ, y) = Σ_i |y_i - ŷ_i|.
//   yhat, y: the same shape (the course uses (1, m) rows) -> a number.
double L1(const Matrix& yhat, const Matrix& y);

// The L2 loss: L2(ŷ, y) = Σ_i (y_i - ŷ_i)².
//   yhat, y: the same shape -> a number.
double L2(const Matrix& yhat, const Matrix& y);

// The reference solution (reference.cc) has the same functions, in
// tensor_basics::reference. The grader compares yours with it.
namespace reference {
decltype(tensor_basics::basic_sigmoid) basic_sigmoid;
decltype(tensor_basics::sigmoid) sigmoid;
decltype(tensor_basics::sigmoid_derivative) sigmoid_derivative;
decltype(tensor_basics::image2vector) image2vector;
decltype(tensor_basics::normalize_rows) normalize_rows;
decltype(tensor_basics::softmax) softmax;
decltype(tensor_basics::L1) L1;
decltype(tensor_basics::L2) L2;
}  // namespace reference

}  // namespace tensor_basics

#endif  // DLCOURSE_COURSE1_NN_TENSOR_BASICS_TENSOR_BASICS_H_
