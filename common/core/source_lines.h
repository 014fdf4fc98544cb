// File: common/core/source_lines.h
//
// Line numbers of a learner's exercise.cc that do not depend on the other
// functions in it. tools/compile_exercise compiles each graded function on
// its own, numbered from its first line ("course1_nn/x/exercise.cc@sigmoid",
// line 3), so that adding a line to one function does not recompile the
// others. The split registers where each part starts, and this turns the
// part's lines back into the file's:
//
//   "course1_nn/x/exercise.cc@sigmoid:3:10"  ->
//   "course1_nn/x/exercise.cc:16:10"
//   "<<course1_nn/x/exercise.cc@sigmoid:3>>" ->  "   16" (for a source picture)

#ifndef DLCOURSE_COMMON_CORE_SOURCE_LINES_H_
#define DLCOURSE_COMMON_CORE_SOURCE_LINES_H_

#include <initializer_list>
#include <string>
#include <utility>

namespace dl {

// `file` ("course1_nn/x/exercise.cc") has the part `key` ("sigmoid") from
// line `first_line` on. Called from the code the split generates.
bool RegisterSourceParts(
    const char* file, std::initializer_list<std::pair<const char*, int>> parts);

// Rewrites every "FILE@KEY:N" in `text` as "FILE:M" and every
// "<<FILE@KEY:N>>" as M in five columns, M being line N of part KEY counted
// in the file. Unknown parts are left as they are.
std::string ResolveSourceLines(const std::string& text);

}  // namespace dl

#endif  // DLCOURSE_COMMON_CORE_SOURCE_LINES_H_
