// File: common/grading/grading.h
//
// The grader's helpers for a unit's <unit>_test.cc. A grading test looks like:
//
//   TEST(Propagate, CourseExample) {
//     auto got = dl::grading::Call("propagate", [&] {
//       return graded::propagate(w, b, X, Y);
//     });
//     if (!got) return;  // not implemented yet, or it threw: already reported
//     EXPECT_TRUE(dl::grading::Near("propagate", "grads.dw", got->grads.dw,
//     dw));
//   }
//
// `graded` is the namespace being graded: the learner's functions (from
// exercise.cc) by default, the reference solution's with --config=reference.
// A grading test names the grader's helpers unqualified (Call, Near, HasShape,
// kCourseValues, ...), with one `using namespace dl::grading;` in its
// anonymous namespace.
//
// Tests run under common/grading/grading_main.cc: every test in its own
// process, so a crash or an endless loop in one function does not hide the
// others' grades; at the end a score table lists every graded function as PASS
// / FAIL / NOT IMPLEMENTED.

#ifndef DLCOURSE_COMMON_GRADING_GRADING_H_
#define DLCOURSE_COMMON_GRADING_GRADING_H_

#include <array>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/core/tensor.h"
#include "common/grading/not_implemented.h"
#include "gtest/gtest.h"

namespace dl {
namespace grading {

// |got - expected| <= atol + rtol * |expected|, entry by entry
// (numpy.allclose).
struct Tolerance {
  double atol;
  double rtol;
};
// The course's printed values (numpy float64, ~8 significant digits).
inline constexpr Tolerance kCourseValues{1e-7, 1e-6};
// Our reference solution, same inputs, double precision.
inline constexpr Tolerance kReference{1e-9, 1e-7};

// (rows, cols) to compare with the reference on: rows and cols that differ
// both ways (a transpose shows), one row, one column (a broadcast slip
// shows), one entry, and a larger matrix.
inline const std::vector<std::pair<int, int>> kMatrixShapes = {
    {3, 5}, {5, 3}, {4, 1}, {1, 4}, {1, 1}, {12, 7}};

// The course's gradient-check threshold on the relative difference
// ||grad - gradapprox|| / (||grad|| + ||gradapprox||), with epsilon = 1e-7.
inline constexpr double kGradCheckThreshold = 2e-7;
inline constexpr double kGradCheckEpsilon = 1e-7;

namespace internal {
void BeginCall(const char* function);
// True when `function` ran to the end and no stub was called.
bool EndCall(const char* function);
void ReportException(const char* function, const char* what, bool from_eigen);
// A standard exception: its type, what(), the line of the learner's code
// that threw it, and what it usually means.
void ReportStdException(const char* function, const std::exception& e);
void ReportEigenError(const char* function, const EigenAssertionError& e);
void ReportUnknownException(const char* function);
void RegisterGradedFile(const char* file);
}  // namespace internal

// Calls a graded function of the learner (through a lambda) and returns its
// result. Returns std::nullopt, after reporting one failed check, when the
// function is still a stub ("not implemented yet"), calls a stub, or throws
// (e.g. an Eigen shape check failed inside it).
template <typename F>
auto Call(const char* function, F&& f)
    -> std::optional<std::decay_t<std::invoke_result_t<F&>>> {
  internal::BeginCall(function);
  try {
    auto result = f();
    if (!internal::EndCall(function)) return std::nullopt;
    return result;
  } catch (const EigenAssertionError& e) {
    internal::ReportEigenError(function, e);
  } catch (const std::exception& e) {
    internal::ReportStdException(function, e);
  } catch (...) {
    internal::ReportUnknownException(function);
  }
  return std::nullopt;
}

// Compares a learner's matrix (or number) with the expected one: shape first,
// then NaN/Inf, then values. The message names the function and the tensor,
// both shapes, how many entries are off, the worst index with both values,
// the tolerance, and a guess at the mistake where one fits (a transpose, a
// missing 1/m, a sum over the wrong axis). `hint` is added to a failure.
testing::AssertionResult Near(const std::string& function,
                              const std::string& what, const Matrix& got,
                              const Matrix& want, Tolerance tol = kReference,
                              const std::string& hint = "");
testing::AssertionResult Near(const std::string& function,
                              const std::string& what, double got, double want,
                              Tolerance tol = kReference,
                              const std::string& hint = "");

template <int N>
testing::AssertionResult Near(const std::string& function,
                              const std::string& what, const Tensor<N>& got,
                              const Tensor<N>& want, Tolerance tol = kReference,
                              const std::string& hint = "");

// Reports a failed check's message (as EXPECT_TRUE would) and returns
// whether it passed, for a check that guards the rest of a test:
//   if (!Reported(HasShape(f, "a_next", got->a_next, 5, 10))) return;
bool Reported(const testing::AssertionResult& result);

// Only the shape; for outputs whose values are checked elsewhere.
testing::AssertionResult HasShape(const std::string& function,
                                  const std::string& what, const Matrix& got,
                                  int64_t rows, int64_t cols,
                                  const std::string& hint = "");
// The same for a tensor, e.g. want = {m, n_H, n_W, n_C}.
template <int N, size_t M>
testing::AssertionResult HasShape(const std::string& function,
                                  const std::string& what, const Tensor<N>& got,
                                  const std::array<Eigen::Index, M>& want,
                                  const std::string& hint = "");

// ---------------------------------------------------------------------------
// Finite-difference gradient checks.
//
// A named parameter block (e.g. "W1") the cost depends on, and the gradient
// the code under test computed for it (e.g. grads.dW1).
struct GradientBlock {
  std::string name;
  Matrix* parameter;  // perturbed in place, restored afterwards
  Matrix analytic;    // same shape as *parameter
};

struct BlockCheck {
  std::string name;
  double relative_difference = 0;  // ||g - g~|| / (||g|| + ||g~||)
  std::vector<int64_t> shape;      // the parameter's (rows, cols)
  double epsilon = 0;              // the step of the centered differences
  int64_t worst = -1;              // flat index of the largest |g - g~|
  double analytic = 0, numeric = 0;
};

// Centered differences (J(θ+ε) - J(θ-ε)) / 2ε for every entry of every block.
std::vector<BlockCheck> CheckGradients(const std::function<double()>& cost,
                                       std::vector<GradientBlock>& blocks,
                                       double epsilon = kGradCheckEpsilon);

// CheckGradients for a Tensor<4> parameter (theta, e.g. dA_prev's A_prev):
// its entries are copied into a column that CheckGradients perturbs, and
// back into theta before every evaluation of cost(); theta is restored at
// the end. The check's shape is theta's and its worst entry is theta's own
// row-major index, so GradientsMatch names it as (i, h, w, c).
BlockCheck CheckTensorGradient(const std::function<double()>& cost,
                               const std::string& name, Tensor<4>& theta,
                               const Tensor<4>& analytic,
                               double epsilon = kGradCheckEpsilon);

// Passes when every block's relative difference is below the threshold;
// otherwise names each wrong block ("db2 wrong (relative difference 0.8); dW2
// fine"), with its worst entry.
testing::AssertionResult GradientsMatch(const std::string& function,
                                        const std::vector<BlockCheck>& checks,
                                        double threshold = kGradCheckThreshold);

// ---------------------------------------------------------------------------
// A learner's model against the reference's: both run on the same input, in
// inference and then in training mode, and their outputs must agree. The
// grader knows no model type (common/README.md: grading depends on core
// only), so a test gives the two forward passes as functions; for a
// dl::nn::Model, nn::test::ForwardOn (common/nn/test_util.h) is one:
//
//   const nn::Array<float> x = nn::test::Uniform(rng, {2, 8, 12, 3});
//   EXPECT_TRUE(SameOutputs("conv_block", nn::test::ForwardOn(got_model, x),
//                           nn::test::ForwardOn(want_model, x),
//                           kFloatModels, hint));

// A float model against the reference's float model: the same operations in
// the same order give the same numbers, up to the summation order of a
// matrix product.
inline constexpr Tolerance kFloatModels{1e-5, 1e-4};

// A model's output: its shape, batch first (e.g. (m, n_H, n_W, n_C)), and
// its entries in row-major (numpy's) order, in double.
using Output = std::pair<std::vector<int64_t>, std::vector<double>>;

// A model's forward pass on the test's input, in inference (training =
// false) or training mode.
using ForwardPass = std::function<Output(bool training)>;

// Passes when `got` and `want` give the same output in inference mode, then
// in training mode; otherwise Near's message for the first mode that
// differs ("conv_block: the output in training mode has shape ...,
// expected ..." or "..., differs from the expected values: ...; worst at
// (1, 3, 0, 2): got ..., expected ..."), with `hint`.
testing::AssertionResult SameOutputs(const std::string& function,
                                     const ForwardPass& got,
                                     const ForwardPass& want, Tolerance tol,
                                     const std::string& hint);

// ---------------------------------------------------------------------------
// Implementation details of Near and HasShape for tensors.
namespace internal {
testing::AssertionResult NearFlat(const std::string& function,
                                  const std::string& what,
                                  const std::vector<int64_t>& got_shape,
                                  const double* got,
                                  const std::vector<int64_t>& want_shape,
                                  const double* want, bool row_major,
                                  Tolerance tol, const std::string& hint);
testing::AssertionResult HasShapeOf(const std::string& function,
                                    const std::string& what,
                                    const std::vector<int64_t>& got,
                                    const std::vector<int64_t>& want,
                                    const std::string& hint);
}  // namespace internal

template <int N, size_t M>
testing::AssertionResult HasShape(const std::string& function,
                                  const std::string& what, const Tensor<N>& got,
                                  const std::array<Eigen::Index, M>& want,
                                  const std::string& hint) {
  static_assert(M == N, "HasShape: want needs one size per dimension");
  return internal::HasShapeOf(function, what, shape_of(got),
                              std::vector<int64_t>(want.begin(), want.end()),
                              hint);
}

template <int N>
testing::AssertionResult Near(const std::string& function,
                              const std::string& what, const Tensor<N>& got,
                              const Tensor<N>& want, Tolerance tol,
                              const std::string& hint) {
  return internal::NearFlat(function, what, shape_of(got), got.data(),
                            shape_of(want), want.data(), /*row_major=*/true,
                            tol, hint);
}

}  // namespace grading
}  // namespace dl

// Which file is graded, for the report: "exercise.cc" unless the grading
// test's translation unit was compiled with DL_GRADE_REFERENCE (tools/unit.bzl
// does that under --config=reference). Only that translation unit defines it,
// so only it registers; the default needs no registration.
#ifdef DL_GRADE_REFERENCE
namespace {
[[maybe_unused]] const bool dl_grading_file_registered = [] {
  dl::grading::internal::RegisterGradedFile("reference.cc");
  return true;
}();
}  // namespace
#endif

#endif  // DLCOURSE_COMMON_GRADING_GRADING_H_
