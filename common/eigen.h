// File: common/eigen.h
//
// The one way this project includes Eigen. Include this header, never
// <Eigen/...> directly (tests/repo_check enforces it).
//
// It turns Eigen's internal checks (a matrix product of incompatible shapes,
// an index out of range, adding matrices of different sizes) into a C++
// exception, dl::EigenAssertionError, instead of an abort. The grader catches
// it and reports a failed check that names your function; a training program
// prints it and exits with an error.
//
// Every translation unit must see the same eigen_assert, which is why it is
// defined here, before Eigen is included, and nowhere else.

#ifndef DLCOURSE_COMMON_EIGEN_H_
#define DLCOURSE_COMMON_EIGEN_H_

#include <stdexcept>
#include <string>

namespace dl {

// Thrown when one of Eigen's own checks fails.
class EigenAssertionError : public std::logic_error {
 public:
  EigenAssertionError(const char* condition, const char* file, int line);
  // The condition Eigen checked, e.g. "lhs.cols() == rhs.rows() && ...".
  const std::string& condition() const { return condition_; }

 private:
  std::string condition_;
};

// Translates an Eigen condition into words a learner can act on,
// e.g. "a matrix product A * B needs A.cols() == B.rows()".
std::string ExplainEigenCondition(const std::string& condition);

}  // namespace dl

#ifdef eigen_assert
#error \
    "eigen_assert is already defined: include common/eigen.h before anything else that includes Eigen."
#endif
#define eigen_assert(x)       \
  ((x) ? static_cast<void>(0) \
       : throw ::dl::EigenAssertionError(#x, __FILE__, __LINE__))

#include <Eigen/Dense>
#include <unsupported/Eigen/CXX11/Tensor>

#endif  // DLCOURSE_COMMON_EIGEN_H_
