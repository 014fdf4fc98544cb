// File: tools/compile_exercise/diagnostics.h
//
// GCC's (and clang's) text diagnostics, read into records. Each error is
// placed in the learner's file: at its own location when it is there, else
// at the "required from here" line of the template instantiation that led to
// it (an error inside Eigen's headers caused by a line of exercise.cc).

#ifndef DLCOURSE_TOOLS_COMPILE_EXERCISE_DIAGNOSTICS_H_
#define DLCOURSE_TOOLS_COMPILE_EXERCISE_DIAGNOSTICS_H_

#include <string>
#include <vector>

namespace compile_exercise {

struct Diagnostic {
  std::string severity;  // "error" or "fatal error"
  std::string file;      // as the compiler printed it
  int line = 0, column = 0;
  std::string message;
  // In the learner's file; 0 when no line of it led to the error.
  // `user_file` is the name the compiler printed: the source's, or
  // "<source>@<part>" for a part numbered from its own first line.
  std::string user_file;
  int user_line = 0, user_column = 0;
  std::vector<std::string> notes;  // the notes that follow it
};

// `source` is the learner's file as the compiler names it
// ("course1_nn/logistic_regression/exercise.cc").
std::vector<Diagnostic> ParseDiagnostics(const std::string& output,
                                         const std::string& source);

}  // namespace compile_exercise

#endif  // DLCOURSE_TOOLS_COMPILE_EXERCISE_DIAGNOSTICS_H_
