// File: common/nn/autograd_internal.h  (internal to common/nn)
//
// What the two files of autograd (autograd.cc, autograd_layer_ops.cc) share:
// shapes in messages, the ops' errors, an argument's node.

#ifndef DLCOURSE_COMMON_NN_AUTOGRAD_INTERNAL_H_
#define DLCOURSE_COMMON_NN_AUTOGRAD_INTERNAL_H_

#include <stdexcept>
#include <string>

#include "common/nn/autograd.h"

namespace dl {
namespace ag {
namespace internal {

inline std::string ShapeOf(Index rows, Index cols) {
  return "(" + std::to_string(rows) + ", " + std::to_string(cols) + ")";
}
inline std::string ShapeOf(const Matrix& m) {
  return ShapeOf(m.rows(), m.cols());
}

[[noreturn]] inline void Fail(const char* op, const std::string& message) {
  throw std::invalid_argument(std::string("ag::") + op + ": " + message);
}

// The node of `v`, or an error naming the op when v is empty.
inline const Node& Get(const char* op, const Var& v,
                       const char* what = "argument") {
  if (!v.defined()) {
    Fail(op, std::string("the ") + what +
                 " is an empty Var (default-constructed: assign it from "
                 "Param, Constant or an op first)");
  }
  return *v.node();
}

inline bool HasShape(const Matrix& x, Index rows, Index cols) {
  return x.rows() == rows && x.cols() == cols;
}

}  // namespace internal
}  // namespace ag
}  // namespace dl

#endif  // DLCOURSE_COMMON_NN_AUTOGRAD_INTERNAL_H_
