// File: tools/compile_exercise/source_map.h
//
// The parts of a learner's exercise.cc, found without a compiler: its
// #include lines, the namespace lines, and every function or other
// declaration at namespace level, each with its lines. The compile driver
// maps each compiler error to the part it is in, and replaces a part that
// does not compile.
//
// Two ways to split the file:
//  - by braces, when they balance (any formatting);
//  - by lines that start in column 0 (how the stubs and clang-format lay
//    out a function), when they do not: then the part whose own braces do
//    not balance is the one with the missing or extra brace.

#ifndef DLCOURSE_TOOLS_COMPILE_EXERCISE_SOURCE_MAP_H_
#define DLCOURSE_TOOLS_COMPILE_EXERCISE_SOURCE_MAP_H_

#include <string>
#include <vector>

namespace compile_exercise {

enum class PartKind {
  kPreprocessor,  // #include, #define, ...
  kNamespace,     // "namespace x {" or its closing brace
  kFunction,      // a function definition
  kDeclaration,   // anything else: a struct, a using, a variable, ...
};

struct Part {
  PartKind kind = PartKind::kDeclaration;
  std::string name;    // the function's name (kFunction), else ""
  int first_line = 0;  // 1-based, inclusive
  int last_line = 0;
  int body_line = 0;      // the line of the body's "{" (kFunction)
  int brace_balance = 0;  // "{" minus "}" in the part's code
};

struct SourceMap {
  std::vector<std::string> lines;  // the file, line by line (no '\n')
  std::vector<Part> parts;         // in file order
  bool braces_balance = true;      // false: split by column-0 lines
  // The part holding `line`, or -1.
  int PartAt(int line) const;
};

// The text with comments, string and character literals replaced by spaces
// (newlines kept), so that braces and names can be counted.
std::string CodeOnly(const std::string& text);

SourceMap MapSource(const std::string& text);

// A graded function as the unit's header declares it.
struct Declaration {
  std::string name;
  std::string text;  // "Matrix sigmoid(const Matrix& z)": no default
                     // arguments, no ";", on one line
};

// The graded functions of a unit: the names listed in the header's
// `namespace reference { decltype(<ns>::f) f; }` block, each with its
// declaration in the header. Names without a declaration are left out.
std::vector<Declaration> GradedDeclarations(const std::string& header,
                                            const std::string& ns);

}  // namespace compile_exercise

#endif  // DLCOURSE_TOOLS_COMPILE_EXERCISE_SOURCE_MAP_H_
