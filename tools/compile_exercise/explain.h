// File: tools/compile_exercise/explain.h
//
// A compiler error in the words of a learner who has never read a C++
// template error: Eigen's types shortened to what the learner wrote
// (Matrix, Array, Tensor<3>, "Matrix expression"), and for the common
// mistakes (numpy habits in Eigen, a missing ";", a read-only argument, ...)
// what went wrong and the fix in the course's terms.

#ifndef DLCOURSE_TOOLS_COMPILE_EXERCISE_EXPLAIN_H_
#define DLCOURSE_TOOLS_COMPILE_EXERCISE_EXPLAIN_H_

#include <functional>
#include <string>
#include <vector>

#include "tools/compile_exercise/diagnostics.h"

namespace compile_exercise {

// "‘const dl::Matrix’ {aka ‘const class Eigen::Matrix<double, -1, -1>’}" ->
// "‘const Matrix’"; "Eigen::CwiseBinaryOp<..., const Eigen::ArrayWrapper<..>>"
// -> "Array expression"; "Eigen::Tensor<double, 3, 1, long int>" ->
// "Tensor<3>".
std::string ShortenTypes(const std::string& message);

// The explanation and the fix, one to three lines; "" when the error is of
// no family we know (the shortened message is then all the learner gets).
// `source_line` is the learner's line the error is on.
std::string Explain(const Diagnostic& d, const std::string& source_line);

// Where a missing ";" belongs: for "expected ';' before ..." the compiler
// points at the next token, often on the next line. Returns the line to
// name (1-based).
int SemicolonLine(const Diagnostic& d, const std::vector<std::string>& lines);

// The whole message for one error, at most about eight lines:
//   invalid use of incomplete type ‘const MatrixExponential’   (shortened)
//      19 |   return 1.0 / (1.0 + (-z).exp());
//         |                               ^
//   <explanation>
// `d.user_line` indexes `lines`; `label(n)` is what the picture shows for
// line n ("   19", or a placeholder the runtime resolves, source_lines.h).
std::string Describe(const Diagnostic& d, const std::vector<std::string>& lines,
                     const std::function<std::string(int)>& label);

}  // namespace compile_exercise

#endif  // DLCOURSE_TOOLS_COMPILE_EXERCISE_EXPLAIN_H_
