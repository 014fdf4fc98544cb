#include "common/grading/not_implemented.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "common/core/source_lines.h"

namespace dl {
namespace {

std::vector<std::string>& calls() {
  static std::vector<std::string> calls;
  return calls;
}

std::vector<std::string>& broken_calls() {
  static std::vector<std::string> calls;
  return calls;
}

std::vector<CompileError>& errors() {
  static std::vector<CompileError> errors;
  return errors;
}

std::string& output_path() {
  static std::string path;
  return path;
}

// 19 for "course1_nn/x/exercise.cc:19:31"; 0 when there is no line.
int LineOf(const std::string& where) {
  const size_t cc = where.find(".cc:");
  return cc == std::string::npos ? 0 : std::atoi(where.c_str() + cc + 4);
}

void add_once(std::vector<std::string>& names, const char* name) {
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    names.push_back(name);
  }
}

}  // namespace

void record_not_implemented(const char* function) {
  add_once(calls(), function);
}

const std::vector<std::string>& not_implemented_calls() { return calls(); }

void clear_not_implemented() {
  calls().clear();
  broken_calls().clear();
}

void record_does_not_compile(const char* function) {
  add_once(broken_calls(), function);
}

const std::vector<std::string>& does_not_compile_calls() {
  return broken_calls();
}

bool RegisterCompileErrors(std::initializer_list<CompileError> list,
                           const char* compiler_output) {
  // Each part of exercise.cc registers its own; an error outside the graded
  // functions comes from every part, and is kept once.
  for (const CompileError& e : list) {
    bool seen = false;
    for (const CompileError& o : errors()) {
      seen = seen || (o.function == e.function && o.kind == e.kind &&
                      o.where == e.where && o.message == e.message);
    }
    if (!seen) errors().push_back(e);
  }
  output_path() = compiler_output;
  return true;
}

const std::vector<CompileError>& compile_errors() { return errors(); }

const std::string& compiler_output_path() { return output_path(); }

std::string ShortWhere(const std::string& where) {
  const std::string resolved = ResolveSourceLines(where);
  std::string w = resolved.substr(resolved.rfind('/') + 1);
  const size_t first = w.find(':');
  if (first != std::string::npos) w = w.substr(0, w.find(':', first + 1));
  return w;
}

std::string CompileErrorsReport() {
  // In the file's line order. Sorted here, not when registered: the parts'
  // first lines (source_lines.h) may register after the errors do.
  std::vector<CompileError> sorted = errors();
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const CompileError& a, const CompileError& b) {
                     return LineOf(ResolveSourceLines(a.where)) <
                            LineOf(ResolveSourceLines(b.where));
                   });
  std::string out;
  for (const CompileError& e : sorted) {
    if (e.kind == "error") {
      out += "[DOES NOT COMPILE] " + e.function + ", at " + e.where + "\n";
    } else if (e.kind == "blocked") {
      out += "[NOT GRADED] " + e.function + "\n";
    } else {
      out += "[DOES NOT COMPILE] " + e.where + "\n";
    }
    size_t start = 0;
    while (start < e.message.size()) {
      size_t end = e.message.find('\n', start);
      if (end == std::string::npos) end = e.message.size();
      out += "    " + e.message.substr(start, end - start) + "\n";
      start = end + 1;
    }
  }
  if (!out.empty() && !output_path().empty()) {
    out += "The compiler's whole message: " + output_path() + "\n";
  }
  return ResolveSourceLines(out);
}

}  // namespace dl
