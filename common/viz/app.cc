#include "common/viz/app.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <string>
#include <vector>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "common/core/memory.h"
#include "common/core/tensor.h"
#include "common/grading/not_implemented.h"

namespace dl {

int Fail(const std::string& message) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  return 2;
}

int Fail(const absl::Status& status) {
  return Fail(std::string(status.message()));
}

namespace {

// "--num_epochs"
std::string FlagName(const absl::CommandLineFlag& flag) {
  return "--" + std::string(flag.Name());
}

}  // namespace

int PositiveFlag(const absl::Flag<int>& flag) {
  const int value = absl::GetFlag(flag);
  if (value <= 0) {
    std::exit(
        Fail(FlagName(absl::GetFlagReflectionHandle(flag)) + " must be > 0"));
  }
  return value;
}

double PositiveFlag(const absl::Flag<double>& flag) {
  const double value = absl::GetFlag(flag);
  if (!(value > 0) || !std::isfinite(value)) {
    std::exit(Fail(FlagName(absl::GetFlagReflectionHandle(flag)) +
                   " must be a positive number"));
  }
  return value;
}

int FlagInRange(const absl::Flag<int>& flag, int low, int high) {
  const int value = absl::GetFlag(flag);
  if (value < low || value > high) {
    std::exit(Fail(absl::StrCat(FlagName(absl::GetFlagReflectionHandle(flag)),
                                " must be in ", low, "..", high)));
  }
  return value;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

double CpuSeconds() {
  return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

void ReportWritten(const absl::Status& written, const std::string& path,
                   const std::string& before, const std::string& after) {
  if (written.ok()) {
    std::printf("%swrote %s%s", before.c_str(), path.c_str(), after.c_str());
  } else {
    std::fprintf(stderr, "warning: %s\n",
                 std::string(written.message()).c_str());
  }
}

bool ExerciseDoesNotCompile() {
  const std::vector<CompileError>& errors = compile_errors();
  if (errors.empty()) return false;
  // "course1_nn/x/exercise.cc@sigmoid:3" -> "course1_nn/x"
  std::string unit = errors.front().where;
  unit = unit.substr(0, unit.rfind('/'));
  std::fprintf(stderr, "%s", CompileErrorsReport().c_str());
  std::fprintf(stderr,
               "error: %s/exercise.cc does not compile. Make it compile "
               "(bazel test //%s/... grades it),\nor train with the reference "
               "solution: bazel run --config=reference //%s:train\n",
               unit.c_str(), unit.c_str(), unit.c_str());
  return true;
}

namespace {

// When StartProgram was called.
std::chrono::steady_clock::time_point& ProgramStart() {
  static std::chrono::steady_clock::time_point start =
      std::chrono::steady_clock::now();
  return start;
}

// Whether a flag declared in `flag_file` (as absl normalizes it) is declared
// in `file` (__builtin_FILE() of the caller): the same path, or one a suffix
// of the other at a "/".
bool SameFile(const std::string& flag_file, const std::string& file) {
  if (flag_file == file) return true;
  const bool flag_longer = flag_file.size() > file.size();
  return absl::EndsWith(flag_longer ? flag_file : file,
                        "/" + (flag_longer ? file : flag_file));
}

// A flag's default as a learner would type it: 1e-7 (absl writes 1e-07).
std::string AsTyped(std::string value) {
  const size_t e = value.find_first_of("eE");
  if (e == std::string::npos || e + 1 >= value.size()) return value;
  size_t digits = e + 1;
  if (value[digits] == '-' || value[digits] == '+') ++digits;
  while (digits + 1 < value.size() && value[digits] == '0') {
    value.erase(digits, 1);
  }
  return value;
}

// "[--name=default]"; a string flag without a default shows what it takes:
// DIR for a folder (a name ending in "dir"), else PATH.
std::string FlagUsage(const absl::CommandLineFlag& flag) {
  std::string value = AsTyped(flag.DefaultValue());
  if (value.empty() && flag.IsOfType<std::string>()) {
    value = absl::EndsWith(flag.Name(), "dir") ? "DIR" : "PATH";
  }
  return absl::StrCat("[--", flag.Name(), "=", value, "]");
}

// `words` after `text`, a space apart, in lines of at most kWidth columns;
// a new line starts with `indent`.
constexpr size_t kWidth = 80;
void AppendWrapped(std::string& text, const std::vector<std::string>& words,
                   const std::string& indent) {
  size_t line_start = text.rfind('\n') + 1;  // npos + 1 == 0
  for (const std::string& word : words) {
    if (text.size() > line_start &&
        text.size() - line_start + 1 + word.size() > kWidth) {
      absl::StrAppend(&text, "\n");
      line_start = text.size();
      absl::StrAppend(&text, indent, word);
    } else {
      const bool space = text.size() > line_start && text.back() != ' ';
      absl::StrAppend(&text, space ? " " : "", word);
    }
  }
}

// The Bazel package of a source file: "course1_nn/x" for
// "course1_nn/x/train.cc" (the file itself when it has no folder).
std::string PackageOf(const std::string& file) {
  const size_t slash = file.rfind('/');
  return slash == std::string::npos ? file : file.substr(0, slash);
}

}  // namespace

std::string CommandLineUsage(const std::string& file) {
  const std::string package = PackageOf(file);
  std::string program = file.substr(file.rfind('/') + 1);  // npos + 1 == 0
  if (absl::EndsWith(program, ".cc")) program.resize(program.size() - 3);

  std::vector<const absl::CommandLineFlag*> flags;
  for (const auto& entry : absl::GetAllFlags()) {
    if (SameFile(entry.second->Filename(), file)) flags.push_back(entry.second);
  }
  std::sort(flags.begin(), flags.end(),
            [](const auto* a, const auto* b) { return a->Name() < b->Name(); });
  std::vector<std::string> words = {"bazel", "run",
                                    absl::StrCat("//", package, ":", program)};
  if (!flags.empty()) words.push_back("--");
  for (const absl::CommandLineFlag* flag : flags) {
    words.push_back(FlagUsage(*flag));
  }
  std::string text = "  ";
  AppendWrapped(text, words, "      ");
  return text;
}

namespace {

// The unit of the running program, "course1_nn/deep_nn_app" (set by
// StartProgram).
std::string& ProgramUnit() {
  static std::string unit;
  return unit;
}

// std::terminate's handler in a training program. An exception that no one
// caught, e.g. a shape error in the learner's code, is printed as the
// program's other errors are, "error: ...", and the program exits with
// code 2; instead of C++'s "terminate called after throwing an instance of
// 'dl::EigenAssertionError'" and an abort (exit code 134, a core dump).
[[noreturn]] void ReportUncaughtException() {
  std::fflush(stdout);
  if (const std::exception_ptr thrown = std::current_exception()) {
    try {
      std::rethrow_exception(thrown);
    } catch (const EigenAssertionError& e) {
      const std::string& where = e.SourceLine();
      Fail("shape error" + (where.empty() ? "" : " at " + where) + ": " +
           e.message());
      if (!ProgramUnit().empty()) {
        std::fprintf(stderr,
                     "bazel test //%s/... grades each of your functions "
                     "alone and names the one that fails.\n",
                     ProgramUnit().c_str());
      }
    } catch (const std::exception& e) {
      Fail(e.what());
    } catch (...) {
      Fail("an exception that is not a std::exception");
    }
    std::_Exit(2);
  }
  std::abort();  // std::terminate called for another reason
}

}  // namespace

bool StartProgram(int argc, char** argv, const char* usage, const char* file) {
  if (ExerciseDoesNotCompile()) return false;
  ProgramUnit() = PackageOf(file);
  std::set_terminate(ReportUncaughtException);
  // --help prints "<program>: " and the text: the description is wrapped
  // as it will stand.
  std::string program = argc > 0 ? argv[0] : "";
  program.erase(0, program.rfind('/') + 1);  // npos + 1 == 0
  std::string text = program + ": ";
  bool first = true;
  for (const absl::string_view line : absl::StrSplit(usage, '\n')) {
    if (!first) text += "\n";
    first = false;
    // A line keeps its indent, and so do its continuations.
    const std::string indent(
        line.size() - absl::StripLeadingAsciiWhitespace(line).size(), ' ');
    text += indent;
    AppendWrapped(text, absl::StrSplit(line, ' ', absl::SkipEmpty()), indent);
  }
  text.erase(0, program.size() + 2);
  absl::SetProgramUsageMessage(
      absl::StrCat(text, "\n", CommandLineUsage(file)));
  absl::ParseCommandLine(argc, argv);
  ProgramStart() = std::chrono::steady_clock::now();
  keep_large_allocations();
  return true;
}

double SecondsSinceStart() { return SecondsSince(ProgramStart()); }

std::string StubsCalled() {
  std::string names;
  for (const std::string& n : not_implemented_calls()) {
    names += (names.empty() ? "" : ", ") + n;
  }
  return names;
}

std::string NotImplementedMessage(const std::string& unit) {
  return "not implemented yet in " + unit + "/exercise.cc: " + StubsCalled() +
         ". Finish the exercise (bazel test //" + unit +
         "/...), or run the reference solution: bazel run --config=reference "
         "//" +
         unit + ":train";
}

std::string NonFiniteCostWarning(const std::vector<double>& costs, int every,
                                 const std::string& what) {
  for (size_t k = 0; k < costs.size(); ++k) {
    if (std::isfinite(costs[k])) continue;
    std::string warning = "the cost became " + repr(costs[k]) + " at " + what +
                          " " + std::to_string(k * every);
    if (k > 0) {
      warning += " (it was " + repr(costs[k - 1]) + " at " + what + " " +
                 std::to_string((k - 1) * every) + ")";
    }
    return warning +
           ": a log(0) in the cost, a division by zero, or a learning rate "
           "too large? Run the unit's tests to find the function.";
  }
  return "";
}

}  // namespace dl
