// File: common/grading/grading_throw.h  (internal to the grader)
//
// The call stack of the latest exception thrown in this thread (see
// grading_throw.cc), for eigen_internal::SourceLineOf.

#ifndef DLCOURSE_COMMON_GRADING_GRADING_THROW_H_
#define DLCOURSE_COMMON_GRADING_GRADING_THROW_H_

#include <vector>

namespace dl {
namespace grading {
namespace internal {

// Frame 0 is inside __cxa_throw; empty before the first throw.
const std::vector<void*>& LastThrowStack();

}  // namespace internal
}  // namespace grading
}  // namespace dl

#endif  // DLCOURSE_COMMON_GRADING_GRADING_THROW_H_
