// File: common/viz/app.h
//
// Small pieces every training program (`bazel run //<unit>:train`) shares.
//
//   if (!dl::StartProgram(argc, argv, kUsage)) return 2;
//   if (iterations <= 0) return dl::Fail("--num_iterations must be > 0");
//   dl::clear_not_implemented();
//   auto result = graded::model(...);
//   if (!dl::StubsCalled().empty()) {
//     return
//     dl::Fail(dl::NotImplementedMessage("course1_nn/logistic_regression"));
//   }

#ifndef DLCOURSE_COMMON_VIZ_APP_H_
#define DLCOURSE_COMMON_VIZ_APP_H_

#include <chrono>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"

namespace dl {

// When the learner's exercise.cc does not compile (tools/compile_exercise
// compiled the rest of it): prints on stderr which functions do not compile,
// in the grader's words, and how to go on, and returns true.
bool ExerciseDoesNotCompile();

// The first thing every training program does: false (the program stops
// with exit code 2) when exercise.cc does not compile (ExerciseDoesNotCompile
// has said why); else makes an exception that no one catches (a shape
// error in the learner's code) print "error: ..." and end the program with
// exit code 2, sets the --help text, parses the flags, starts the
// clock of SecondsSinceStart, keeps large matrices in the heap
// (dl::keep_large_allocations) and returns true. (A program whose products
// are bound by memory calls dl::use_huge_pages(argv) before it.)
//   constexpr char kUsage[] = "Trains the course's ... on the ... data.";
//   if (!dl::StartProgram(argc, argv, kUsage)) return 2;
// The --help text is `usage`, what the program does in a sentence or two,
// followed by its command line with the flags of the program's source file
// (`file`, the caller's by default) and their defaults, from the flags
// themselves (CommandLineUsage):
//   train: Trains the course's ... on the ... data.
//     bazel run //course1_nn/shallow_nn:train -- [--n_h=4]
//         [--num_iterations=10000] [--sweep=true]
bool StartProgram(int argc, char** argv, const char* usage,
                  const char* file = __builtin_FILE());

// The command line of the program built from `file` (Bazel's path, e.g.
// "course1_nn/shallow_nn/train.cc", the target :train): "  bazel run
// //<package>:<program> -- [--flag=default] ...", with every flag declared
// (ABSL_FLAG) in that file, in alphabetical order, as --help lists them; a
// string flag without a default as [--data_dir=DIR] (a name ending in "dir")
// or [--image=PATH]. Lines longer than 80 columns go on, indented, on the
// next.
std::string CommandLineUsage(const std::string& file);

// Prints "error: <message>" on stderr and returns 2, the exit code of a
// program stopped by bad input (a flag, a file, a stub).
int Fail(const std::string& message);
int Fail(const absl::Status& status);

// A flag's value, checked, for a program's first lines. A bad value stops
// the program as dl::Fail would: the error on stderr, exit code 2.
//   const int epochs = dl::PositiveFlag(FLAGS_num_epochs);
//       error: --num_epochs must be > 0
//   const double lr = dl::PositiveFlag(FLAGS_learning_rate);
//       error: --learning_rate must be a positive number   (nan, inf too)
//   const int k = dl::FlagInRange(FLAGS_k, 2, 50);
//       error: --k must be in 2..50
int PositiveFlag(const absl::Flag<int>& flag);
double PositiveFlag(const absl::Flag<double>& flag);
int FlagInRange(const absl::Flag<int>& flag, int low, int high);

// The stubs (dl::not_implemented) called since dl::clear_not_implemented(),
// as "a, b"; empty when there were none.
std::string StubsCalled();

// What a training program says when the learner's functions are stubs:
// which ones, and the two ways on (finish them, or run the reference).
std::string NotImplementedMessage(const std::string& unit);

// Where a recorded cost first stops being a finite number, as a warning for
// the learner; "" when every cost is finite. costs[k] was recorded at
// iteration k * every:
//   "the cost became nan at iteration 300 (it was 0.52 at iteration 200): a
//    log(0) in the cost, a division by zero, or a learning rate too large?"
std::string NonFiniteCostWarning(const std::vector<double>& costs, int every,
                                 const std::string& what = "iteration");

// Seconds since `start`.
double SecondsSince(std::chrono::steady_clock::time_point start);

// Seconds since StartProgram, for a program's closing "Done in 3.2 s.".
double SecondsSinceStart();

// The process's CPU time in seconds (all threads).
double CpuSeconds();

// After writing a file: "<before>wrote <path><after>" on stdout, or, when
// `written` failed, "warning: <message>" on stderr (the program goes on).
void ReportWritten(const absl::Status& written, const std::string& path,
                   const std::string& before = "  ",
                   const std::string& after = "\n");

}  // namespace dl

#endif  // DLCOURSE_COMMON_VIZ_APP_H_
