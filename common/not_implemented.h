// File: common/not_implemented.h
//
// What an exercise stub returns until the learner writes the function:
//
//   Matrix sigmoid(const Matrix& z) {
//     // TODO: s = 1 / (1 + exp(-z))   (≈1 line)
//     return dl::not_implemented<Matrix>("sigmoid");
//   }
//
// It records the function's name and returns an empty value (a 0x0 matrix,
// a zero number, an empty struct). The grader sees the record and reports
// "sigmoid: not implemented yet" as one failed check. Nothing crashes.

#ifndef DLCOURSE_COMMON_NOT_IMPLEMENTED_H_
#define DLCOURSE_COMMON_NOT_IMPLEMENTED_H_

#include <string>
#include <vector>

namespace dl {

// Records that `function` is still a stub (see the grader).
void record_not_implemented(const char* function);

template <typename T>
T not_implemented(const char* function) {
  record_not_implemented(function);
  return T{};
}

// The stubs called since the last clear_not_implemented(), in call order,
// each name once.
const std::vector<std::string>& not_implemented_calls();
void clear_not_implemented();

}  // namespace dl

#endif  // DLCOURSE_COMMON_NOT_IMPLEMENTED_H_
