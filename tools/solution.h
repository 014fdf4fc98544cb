// File: tools/solution.h
//
// Which solution a unit's programs run, for their messages:
//   std::printf("Training with %s\n", dl::SolutionFile());
// "reference.cc" under --config=reference, else "exercise.cc". Decided by
// the same select() as the solution the program links and its `graded`
// namespace (tools/unit.bzl), so the name and the code run agree.

#ifndef DLCOURSE_TOOLS_SOLUTION_H_
#define DLCOURSE_TOOLS_SOLUTION_H_

namespace dl {

const char* SolutionFile();

}  // namespace dl

#endif  // DLCOURSE_TOOLS_SOLUTION_H_
