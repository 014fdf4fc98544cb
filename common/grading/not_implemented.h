// File: common/grading/not_implemented.h
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
//
// And what stands in for a function that does not compile. When exercise.cc
// does not compile, tools/compile_exercise compiles a copy of it (never the
// learner's file) in which each broken function's body is
//
//   return dl::does_not_compile("sigmoid");
//
// and registers what the compiler said, in plain words
// (dl::RegisterCompileErrors). The grader then grades every other function
// and reports the broken ones as DOES NOT COMPILE; a training program
// prints the same words and stops (dl::ExerciseDoesNotCompile in app.h).

#ifndef DLCOURSE_COMMON_GRADING_NOT_IMPLEMENTED_H_
#define DLCOURSE_COMMON_GRADING_NOT_IMPLEMENTED_H_

#include <initializer_list>
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
// Forgets the stubs and the functions that do not compile called so far.
void clear_not_implemented();

// ---------------------------------------------------------------------------
// Functions that do not compile.

// Records that `function` was called although it does not compile.
void record_does_not_compile(const char* function);

// An empty value of whatever type the function returns: converts to any
// default-constructible type (Matrix, double, a struct of results).
struct EmptyValue {
  template <typename T>
  operator T() const {  // NOLINT: converts implicitly on purpose
    return T{};
  }
};

inline EmptyValue does_not_compile(const char* function) {
  record_does_not_compile(function);
  return EmptyValue{};
}

// The functions that do not compile called since clear_not_implemented().
const std::vector<std::string>& does_not_compile_calls();

// One thing the compiler found, as tools/compile_exercise explains it.
struct CompileError {
  // The graded function it is in; "" when it is outside every graded
  // function (a helper, an #include, a brace).
  std::string function;
  // "error": the function's own code does not compile.
  // "blocked": the function compiles, but uses something that does not
  //            (a helper, an #include); it is not graded until that is fixed.
  // "outside": an error outside the graded functions.
  std::string kind;
  std::string where;    // "course1_nn/logistic_regression/exercise.cc:19:31"
  std::string message;  // a few lines: the source line, a marker, the fix
};

// Called once, from the copy of exercise.cc that compiled.
bool RegisterCompileErrors(std::initializer_list<CompileError> errors,
                           const char* compiler_output);

// What was registered: empty when exercise.cc compiled as it is.
const std::vector<CompileError>& compile_errors();
// Where the compiler's whole text is ("bazel-bin/.../exercise.compiler.txt").
const std::string& compiler_output_path();

// "course1_nn/x/exercise.cc@sigmoid:3:31" -> "exercise.cc:16": the file and
// the line, as the score table shows them.
std::string ShortWhere(const std::string& where);

// The compile errors as the learner reads them: each function's message,
// then where the compiler's whole text is. "" when there are none.
std::string CompileErrorsReport();

}  // namespace dl

#endif  // DLCOURSE_COMMON_GRADING_NOT_IMPLEMENTED_H_
