// File: common/core/eigen.h
//
// The one way this project includes Eigen. Include this header, never
// <Eigen/...> directly (tests/repo_check enforces it).
//
// It turns Eigen's internal checks (a matrix product of incompatible shapes,
// an index out of range, adding matrices of different sizes) into a C++
// exception, dl::EigenAssertionError, instead of an abort. The grader catches
// it and reports a failed check that names your function and the line of
// your exercise.cc (SourceLine below); a training program prints it and
// exits with an error.
//
// Every translation unit must see the same eigen_assert, which is why it is
// defined here, before Eigen is included, and nowhere else.

#ifndef DLCOURSE_COMMON_CORE_EIGEN_H_
#define DLCOURSE_COMMON_CORE_EIGEN_H_

#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace dl {

// Thrown when one of Eigen's own checks fails.
class EigenAssertionError : public std::logic_error {
 public:
  // `operands`: the shapes of the two operands where Eigen names them,
  // e.g. "(2, 3) and (1, 3)"; empty otherwise.
  EigenAssertionError(const char* condition, const char* file, int line,
                      const std::string& operands);
  // The condition Eigen checked, e.g. "lhs.cols() == rhs.rows() && ...".
  const std::string& condition() const { return condition_; }

  // Where in the project's code the failed check was reached, e.g.
  // "course1_nn/deep_nn/exercise.cc:57", or "" when unknown; when the
  // learner's code called a function of the project's that failed,
  // "course1_nn/x/exercise.cc:47, in a call that failed at
  // course1_nn/y/reference.cc:88" (see SourceLineOf). Found from
  // the call stack at the throw and the line tables of the files compiled
  // with -g1 (every unit's exercise.cc and reference.cc, see
  // tools/unit.bzl) by Debian's addr2line (binutils, installed with g++).
  // Slow the first time (it runs addr2line): call it only to report the
  // error.
  const std::string& SourceLine() const;

  // The explanation without the source line.
  const char* message() const { return std::logic_error::what(); }

  // "at <SourceLine()>: <message()>", or message() when the line is
  // unknown: a training program that prints what() names the line of the
  // learner's code too.
  const char* what() const noexcept override;

 private:
  std::string condition_;
  std::vector<void*> stack_;  // return addresses, innermost first
  // Filled by the first call to SourceLine() / what().
  mutable bool resolved_ = false;
  mutable std::string source_line_, what_;
};

// Translates an Eigen condition into words a learner can act on,
// e.g. "a matrix product A * B needs A.cols() == B.rows()".
std::string ExplainEigenCondition(const std::string& condition);

namespace eigen_internal {

// One line of addr2line's output, e.g.
// "/proc/self/cwd/course1_nn/x/exercise.cc:57 (discriminator 2)", as
// "course1_nn/x/exercise.cc:57" when it is a line of the project's .cc
// files (not Eigen's headers, not common/core/eigen.cc); "" otherwise.
std::string ProjectLocation(const std::string& addr2line_line);

// The first line of the project's .cc files (an exercise.cc, a
// reference.cc) among the return addresses `stack` (from backtrace(), frame
// 0 being where it was taken), as "course1_nn/x/exercise.cc:57"; "" when
// none is found. When that line is not in the learner's exercise.cc but an
// outer one is (a given function called with a wrong shape), both:
// "course1_nn/x/exercise.cc:47, in a call that failed at
// course1_nn/y/reference.cc:88". Runs addr2line: slow, call it only to
// report an error.
std::string SourceLineOf(const std::vector<void*>& stack);

// What stands in for an operand where Eigen's check has none (see below).
struct NoOperand {};

template <typename T, typename = void>
struct HasShape : std::false_type {};
template <typename T>
struct HasShape<T, std::void_t<decltype(std::declval<const T&>().rows()),
                               decltype(std::declval<const T&>().cols())>>
    : std::true_type {};

// "(2, 3) and (1, 3)" for two matrix expressions, "" for anything else.
template <typename A, typename B>
std::string operand_shapes(const A& a, const B& b) {
  if constexpr (HasShape<A>::value && HasShape<B>::value) {
    return "(" + std::to_string(a.rows()) + ", " + std::to_string(a.cols()) +
           ") and (" + std::to_string(b.rows()) + ", " +
           std::to_string(b.cols()) + ")";
  } else {
    return "";
  }
}

}  // namespace eigen_internal
}  // namespace dl

// Eigen's elementwise operations (CwiseBinaryOp) check their operands, which
// they call aLhs and aRhs, so eigen_assert can report both shapes there.
// Everywhere else these two global stand-ins are found instead, and no
// shapes are reported.
inline const dl::eigen_internal::NoOperand aLhs{}, aRhs{};

#ifdef eigen_assert
#error \
    "eigen_assert is already defined: include common/core/eigen.h before anything else that includes Eigen."
#endif
#define eigen_assert(x)                   \
  ((x) ? static_cast<void>(0)             \
       : throw ::dl::EigenAssertionError( \
             #x, __FILE__, __LINE__,      \
             ::dl::eigen_internal::operand_shapes(aLhs, aRhs)))

// Eigen's matrix products (yours too: W * A) run on OpenBLAS, split over
// two threads when they are large (common/core/blas.h). Eigen calls BLAS's
// sgemm_ / dgemm_; the two names below make it call common/core/blas.cc's
// dl_sgemm / dl_dgemm instead, which cut the product and hand each half to
// OpenBLAS. Defined here, for every translation unit alike.
#define EIGEN_USE_BLAS
#define sgemm_ dl_sgemm
#define dgemm_ dl_dgemm

#include <Eigen/Dense>
#include <unsupported/Eigen/CXX11/Tensor>

#undef sgemm_
#undef dgemm_

#endif  // DLCOURSE_COMMON_CORE_EIGEN_H_
