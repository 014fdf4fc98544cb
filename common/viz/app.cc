#include "common/viz/app.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
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

}  // namespace

bool StartProgram(int argc, char** argv, const char* usage) {
  if (ExerciseDoesNotCompile()) return false;
  absl::SetProgramUsageMessage(usage);
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
