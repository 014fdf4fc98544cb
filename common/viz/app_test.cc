#include "common/viz/app.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_split.h"
#include "common/core/tensor.h"
#include "gtest/gtest.h"

// Flags of this file, for CommandLineUsage.
ABSL_FLAG(int, app_test_epochs, 7, "Epochs");
ABSL_FLAG(double, app_test_rate, 0.005, "Learning rate");
ABSL_FLAG(double, app_test_epsilon, 1e-7, "Step (absl writes 1e-07)");
ABSL_FLAG(bool, app_test_sweep, true, "Also sweep");
ABSL_FLAG(std::string, app_test_model, "both", "plain, batch_norm or both");
ABSL_FLAG(std::string, app_test_data_dir, "", "A folder (default: generated)");
ABSL_FLAG(std::string, app_test_image, "", "A picture of yours");

namespace dl {
namespace {

TEST(App, CommandLineUsageListsTheFlagsOfTheFileWithTheirDefaults) {
  const std::string usage = CommandLineUsage(__FILE__);
  EXPECT_EQ(usage.rfind("  bazel run //common/viz:app_test -- ", 0), 0u)
      << usage;
  for (const char* flag :
       {"[--app_test_epochs=7]", "[--app_test_rate=0.005]",
        "[--app_test_sweep=true]", "[--app_test_model=both]",
        "[--app_test_data_dir=DIR]", "[--app_test_image=PATH]",
        "[--app_test_epsilon=1e-7]"}) {
    EXPECT_NE(usage.find(flag), std::string::npos) << flag << " in " << usage;
  }
  // In alphabetical order, as --help lists them.
  EXPECT_LT(usage.find("app_test_data_dir"), usage.find("app_test_epochs"))
      << usage;
  EXPECT_LT(usage.find("app_test_rate"), usage.find("app_test_sweep")) << usage;
  // Only this file's flags: not absl's own (--flagfile, --help).
  EXPECT_EQ(usage.find("flagfile"), std::string::npos) << usage;
  EXPECT_EQ(usage.find("--help"), std::string::npos) << usage;
  // 80 columns at most, the lines after the first indented.
  const std::vector<std::string> lines = absl::StrSplit(usage, '\n');
  EXPECT_GT(lines.size(), 1u) << usage;
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_LE(lines[i].size(), 80u) << lines[i];
    if (i > 0) {
      EXPECT_EQ(lines[i].rfind("      [--", 0), 0u) << lines[i];
    }
  }
}

TEST(App, CommandLineUsageOfAProgramWithoutFlags) {
  EXPECT_EQ(CommandLineUsage("course9/unit/train.cc"),
            "  bazel run //course9/unit:train");
}

TEST(App, FailReturnsTwo) { EXPECT_EQ(Fail("a bad flag"), 2); }

// What a training program's code throws and no one catches: a shape error
// (in the learner's code), or another exception. Thrown out of a noexcept
// function, since Google Test catches what its statement throws.
[[gnu::noinline]] dl::Matrix BadSum() {
  const dl::Matrix a = dl::Matrix::Ones(2, 3);
  return a + a.transpose();
}
[[gnu::noinline]] int NotANumber() { return std::stoi("not a number"); }
void StartThenThrow(bool shape_error) noexcept {
  char name[] = "train";
  char* argv[] = {name, nullptr};
  StartProgram(1, argv, "A test.", "course9/unit/train.cc");
  if (shape_error) {
    BadSum();
  } else {
    NotANumber();
  }
}

TEST(AppDeathTest, AnUncaughtShapeErrorIsAnErrorWithExitCodeTwo) {
  EXPECT_EXIT(StartThenThrow(true), testing::ExitedWithCode(2),
              "^error: shape error: an elementwise operation .* different "
              "shapes: \\(2, 3\\) and \\(3, 2\\)\\..*\n"
              "bazel test //course9/unit/\\.\\.\\. grades each of your "
              "functions alone and names the one that fails\\.\n$");
}

TEST(AppDeathTest, AnUncaughtExceptionIsAnErrorWithExitCodeTwo) {
  EXPECT_EXIT(StartThenThrow(false), testing::ExitedWithCode(2),
              "^error: stoi\n$");
}

TEST(App, FiniteCostsGiveNoWarning) {
  EXPECT_EQ(NonFiniteCostWarning({0.7, 0.5, 0.3}, 100), "");
  EXPECT_EQ(NonFiniteCostWarning({}, 100), "");
}

TEST(App, NonFiniteCostWarningNamesTheFirstIteration) {
  const double nan = std::nan("");
  const double inf = std::numeric_limits<double>::infinity();
  const std::string w = NonFiniteCostWarning({0.7, 0.52, nan, inf}, 100);
  EXPECT_NE(w.find("became nan at iteration 200"), std::string::npos) << w;
  EXPECT_NE(w.find("it was 0.52 at iteration 100"), std::string::npos) << w;
  const std::string first = NonFiniteCostWarning({inf}, 1, "epoch");
  EXPECT_NE(first.find("became inf at epoch 0"), std::string::npos) << first;
  EXPECT_EQ(first.find("it was"), std::string::npos) << first;
}

}  // namespace
}  // namespace dl
