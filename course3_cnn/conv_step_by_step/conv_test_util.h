// What the grading tests of the convolution units share (conv_step_by_step's
// conv_backward and transfer_learning's depthwise and pointwise
// convolutions): a shape as text, the gradients' shape checks, and the
// finite-difference check of (dA_prev, dW, db).

#ifndef DLCOURSE_COURSE3_CNN_CONV_STEP_BY_STEP_CONV_TEST_UTIL_H_
#define DLCOURSE_COURSE3_CNN_CONV_STEP_BY_STEP_CONV_TEST_UTIL_H_

#include <array>
#include <functional>
#include <string>
#include <vector>

#include "common/core/tensor.h"
#include "common/grading/grading.h"

namespace conv_test {

using Dims4 = std::array<Eigen::Index, 4>;

// "(2, 5, 7, 4)".
std::string Str(const Dims4& dims);

// Σ of every entry.
double Sum(const dl::Tensor<4>& t);

// CheckTensorGradient (grading.h) for several Tensor<4> parameters.
struct TensorGradient {
  std::string name;               // e.g. "dA_prev"
  dl::Tensor<4>* parameter;       // perturbed, restored afterwards
  const dl::Tensor<4>* analytic;  // the learner's gradient, the same shape
};

std::vector<dl::grading::BlockCheck> CheckTensorGradients(
    const std::function<double()>& cost,
    const std::vector<TensorGradient>& blocks);

// The shapes of a convolution's gradients, those of A_prev, W and b, before
// their values are used: false, and the first wrong one reported
// ("conv_backward: dW for A_prev (2, 5, 4, 3), ... has shape (3, 3, 3, 4),
// expected ... hint: the shape of W"), when one is wrong. `where` follows
// each name (e.g. " for A_prev (2, 5, 4, 3), W ...").
template <typename Gradients>
bool HasGradientShapes(const std::string& function, const Gradients& got,
                       const Dims4& a_prev, const Dims4& w, const Dims4& b,
                       const std::string& where = "",
                       const std::string& a_prev_hint = "the shape of A_prev") {
  using dl::grading::HasShape;
  using dl::grading::Reported;
  return Reported(HasShape(function, "dA_prev" + where, got.dA_prev, a_prev,
                           a_prev_hint)) &&
         Reported(
             HasShape(function, "dW" + where, got.dW, w, "the shape of W")) &&
         Reported(
             HasShape(function, "db" + where, got.db, b, "the shape of b"));
}

// The finite-difference check of the learner's dA_prev, dW and db against
// J(A_prev, W, b) (which reads the three tensors the check perturbs).
template <typename Gradients>
std::vector<dl::grading::BlockCheck> CheckConvGradients(
    const std::function<double()>& J, dl::Tensor<4>& A_prev, dl::Tensor<4>& W,
    dl::Tensor<4>& b, const Gradients& got) {
  return CheckTensorGradients(J, {{"dA_prev", &A_prev, &got.dA_prev},
                                  {"dW", &W, &got.dW},
                                  {"db", &b, &got.db}});
}

}  // namespace conv_test

#endif  // DLCOURSE_COURSE3_CNN_CONV_STEP_BY_STEP_CONV_TEST_UTIL_H_
