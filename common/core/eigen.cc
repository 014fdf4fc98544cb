#include "common/core/eigen.h"

#include <dlfcn.h>
#include <elf.h>
#include <execinfo.h>
#include <link.h>

#include <cstdio>
#include <string>

#include "common/core/source_lines.h"

namespace dl {
namespace {

struct Explanation {
  std::string what;    // what went wrong, e.g. "a matrix product A * B ..."
  std::string advice;  // what to check
};

Explanation explain(const std::string& condition) {
  auto has = [&](const char* s) {
    return condition.find(s) != std::string::npos;
  };
  if (has("invalid matrix product")) {
    return {"a matrix product A * B with A.cols() != B.rows()",
            "Check the shapes and the transposes. For an elementwise product "
            "use A.cwiseProduct(B) or A.array() * B.array()."};
  }
  if (has("aLhs.rows() == aRhs.rows() && aLhs.cols() == aRhs.cols()") ||
      has("rows() == other.rows() && cols() == other.cols()")) {
    return {
        "an elementwise operation (+, -, cwiseProduct, .array() * ...) on "
        "two matrices of different shapes",
        "Eigen does not broadcast: .colwise() / .rowwise() apply a column "
        "or a row to every column or row. For a matrix product, use * on "
        "matrices, not on arrays."};
  }
  if (has("index >= 0 && index < size()") ||
      (has("row >= 0 && row < rows()") && has("col >= 0 && col < cols()"))) {
    return {"an index out of range",
            "Reading or writing outside a matrix: check the loop bounds."};
  }
  if (has("startRow >= 0 && blockRows >= 0") || has("a_startRow >= 0") ||
      has("startRow <= xpr.rows() - blockRows")) {
    return {"a block or slice that reaches outside the matrix",
            "Check the start and the size of .block(), .col(), .row(), "
            ".segment()."};
  }
  if (has("rows == this->rows() && cols == this->cols()") ||
      has("dst.rows() == src.rows()") || has("resize")) {
    return {"an assignment between matrices of different shapes",
            "Check the shape of the result you assign to."};
  }
  return {"an Eigen check failed", ""};
}

}  // namespace

std::string ExplainEigenCondition(const std::string& condition) {
  const Explanation e = explain(condition);
  return e.what + (e.advice.empty() ? "" : ". " + e.advice);
}

EigenAssertionError::EigenAssertionError(const char* condition,
                                         const char* file, int line,
                                         const std::string& operands)
    : std::logic_error([&] {
        const Explanation e = explain(condition);
        std::string message = e.what;
        if (!operands.empty()) message += ": " + operands;
        message += ".";
        if (!e.advice.empty()) message += "\n" + e.advice;
        return message + "\n[Eigen's check `" + condition + "` failed in " +
               file + ":" + std::to_string(line) + "]";
      }()),
      condition_(condition) {
  void* frames[32];
  const int n = backtrace(frames, 32);
  stack_.assign(frames, frames + n);
}

namespace {

// The file:line lines addr2line prints for `address` in `object` (-i: the
// inlined calls too, innermost first); empty when addr2line is missing or
// fails.
std::vector<std::string> Addr2Line(const std::string& object,
                                   uintptr_t address) {
  char hex[32];
  std::snprintf(hex, sizeof hex, "%#zx", static_cast<size_t>(address));
  const std::string command =
      "addr2line -i -e '" + object + "' " + hex + " 2>/dev/null";
  std::vector<std::string> lines;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return lines;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
    std::string line(buffer);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
      line.pop_back();
    }
    lines.push_back(line);
  }
  pclose(pipe);
  return lines;
}

}  // namespace

namespace eigen_internal {

std::string SourceLineOf(const std::vector<void*>& stack) {
  // The innermost line of the project's code. When that is not the
  // learner's (an exercise.cc is compiled function by function, so its
  // lines read "FILE@KEY:N" before they are resolved), e.g. a given
  // function the learner called with a wrong shape, the learner's line
  // that made the call comes first: "course1_nn/x/exercise.cc:47, in a call
  // that failed at course1_nn/y/reference.cc:88".
  std::string innermost;
  // Frame 0 is where the stack was taken (e.g. EigenAssertionError's
  // constructor); the others are return addresses, so look up address - 1
  // (the call instruction).
  for (size_t k = 1; k < stack.size(); ++k) {
    Dl_info info;
    if (dladdr(stack[k], &info) == 0 || info.dli_fname == nullptr) continue;
    uintptr_t address = reinterpret_cast<uintptr_t>(stack[k]) - 1;
    // Position-independent code (shared libraries, PIE programs): addr2line
    // wants the offset from where the object was loaded.
    const auto* header = static_cast<const ElfW(Ehdr)*>(info.dli_fbase);
    if (header != nullptr && header->e_type == ET_DYN) {
      address -= reinterpret_cast<uintptr_t>(info.dli_fbase);
    }
    for (const std::string& line : Addr2Line(info.dli_fname, address)) {
      const std::string location = eigen_internal::ProjectLocation(line);
      if (location.empty()) continue;
      const bool learners = line.find(".cc@") != std::string::npos;
      if (learners) {
        return innermost.empty()
                   ? location
                   : location + ", in a call that failed at " + innermost;
      }
      if (innermost.empty()) innermost = location;
    }
  }
  return innermost;
}

std::string ProjectLocation(const std::string& addr2line_line) {
  std::string location = addr2line_line;
  const size_t note = location.find(" (");  // " (discriminator 2)"
  if (note != std::string::npos) location.resize(note);
  const size_t colon = location.rfind(':');
  if (colon == std::string::npos || colon + 1 >= location.size() ||
      location[colon + 1] < '1' || location[colon + 1] > '9') {
    return "";  // "??:0", "??:?", no line
  }
  const std::string file = location.substr(0, colon);
  // "dir/exercise.cc@sigmoid": one function of an exercise.cc, compiled on
  // its own and numbered from its first line (common/core/source_lines.h).
  const bool part = file.find(".cc@") != std::string::npos;
  const bool project_cc =
      (part ||
       (file.size() > 3 && file.compare(file.size() - 3, 3, ".cc") == 0)) &&
      file.find("eigen3/") == std::string::npos &&
      file.find("common/core/eigen.cc") == std::string::npos;
  if (!project_cc) return "";
  // Bazel's paths are relative to the workspace, written as
  // "/proc/self/cwd/dir/file.cc" (its -fdebug-prefix-map) or "./dir/file.cc".
  for (const std::string prefix : {"/proc/self/cwd/", "./"}) {
    if (location.rfind(prefix, 0) == 0) {
      location = location.substr(prefix.size());
      break;
    }
  }
  return part ? ResolveSourceLines(location) : location;
}

}  // namespace eigen_internal

const std::string& EigenAssertionError::SourceLine() const {
  if (!resolved_) {
    resolved_ = true;
    source_line_ = eigen_internal::SourceLineOf(stack_);
  }
  return source_line_;
}

const char* EigenAssertionError::what() const noexcept {
  try {
    if (what_.empty()) {
      const std::string& where = SourceLine();
      what_ = where.empty() ? std::string(message())
                            : "at " + where + ": " + message();
    }
    return what_.c_str();
  } catch (...) {  // out of memory: the message without the line
    return message();
  }
}

}  // namespace dl
