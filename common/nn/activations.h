// File: common/nn/activations.h
//
// The course's given helpers (dnn_utils): activations and their backward
// passes, entry by entry. Shapes: any; the output has the input's shape.
//
//   A = sigmoid(Z) = 1 / (1 + e^-Z)      dZ = sigmoid_backward(dA, Z) = dA s (1
//   - s) A = relu(Z) = max(0, Z)              dZ = relu_backward(dA, Z) = dA
//   where Z > 0, else 0 A = tanh(Z)                          dZ =
//   tanh_backward(dA, Z) = dA (1 - tanh(Z)²)
//
// In the course, sigmoid/relu return (A, cache = Z); here the cache is Z
// itself, which the caller keeps.

#ifndef DLCOURSE_COMMON_NN_ACTIVATIONS_H_
#define DLCOURSE_COMMON_NN_ACTIVATIONS_H_

#include "common/core/tensor.h"

namespace dl {

Matrix sigmoid(const Matrix& Z);
Matrix relu(const Matrix& Z);
Matrix tanh(const Matrix& Z);

// dA and Z have the same shape; the result is dL/dZ.
Matrix sigmoid_backward(const Matrix& dA, const Matrix& Z);
Matrix relu_backward(const Matrix& dA, const Matrix& Z);
Matrix tanh_backward(const Matrix& dA, const Matrix& Z);

}  // namespace dl

#endif  // DLCOURSE_COMMON_NN_ACTIVATIONS_H_
