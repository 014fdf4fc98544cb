// bazel run //course4_seq/char_lm:train [-- --num_iterations=22001]
//
// The course's application: trains the character-level RNN on dinosaur names
// (n_a = 50, learning rate 0.01, one name per step, 22001 steps) and every
// 2000 steps prints the smoothed loss and 7 made-up names, as the notebook
// does. Writes the loss curve to output/char_lm/loss.svg.
//
// The names come from course4_seq/char_lm/dinos.txt (1198 genus names written
// for this repository, not the course's file of 1536: the losses and names
// after the first step differ from the course's). --data=<file> trains on
// another list, one name per line.
//
// It runs YOUR functions from exercise.cc; with --config=reference it runs
// the reference solution.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/core/tensor.h"
#include "common/grading/not_implemented.h"
#include "common/viz/app.h"
#include "common/viz/plot.h"
#include "course4_seq/char_lm/char_lm.h"
#include "course4_seq/char_lm/char_lm_utils.h"
#include "course4_seq/char_lm/graded.h"  // see tools/unit.bzl
#include "tools/solution.h"

ABSL_FLAG(int, num_iterations, 22001, "Training steps, one name each (> 0)");
ABSL_FLAG(int, n_a, 50, "Hidden units of the RNN (> 0)");
ABSL_FLAG(int, dino_names, 7, "Names sampled every 2000 steps (>= 0)");
ABSL_FLAG(std::string, data, "",
          "The names file, one name per line (default: the shipped "
          "course4_seq/char_lm/dinos.txt)");
ABSL_FLAG(bool, verbose, false,
          "Print the course's debug lines (j, idx, the first X and Y)");

namespace {

namespace fs = std::filesystem;

constexpr char kShipped[] = "course4_seq/char_lm/dinos.txt";

// The names file. --data as given (relative to the folder `bazel run` was
// started in); else the shipped dinos.txt: in the runfiles tree (the working
// directory of `bazel run` and `bazel test`), next to the binary's runfiles,
// or in the workspace.
absl::StatusOr<std::string> FindNames(const std::string& flag,
                                      const std::string& argv0) {
  if (!flag.empty()) {
    fs::path path = flag;
    const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");
    if (path.is_relative() && cwd != nullptr) path = fs::path(cwd) / path;
    if (fs::is_regular_file(path)) return path.string();
    return absl::NotFoundError("--data=" + flag + ": no such file (" +
                               path.string() + ")");
  }
  std::vector<fs::path> candidates = {kShipped};
  if (const char* dir = std::getenv("RUNFILES_DIR")) {
    candidates.push_back(fs::path(dir) / "dlcourse" / kShipped);
  }
  candidates.push_back(fs::path(argv0 + ".runfiles") / "dlcourse" / kShipped);
  if (const char* ws = std::getenv("BUILD_WORKSPACE_DIRECTORY")) {
    candidates.push_back(fs::path(ws) / kShipped);
  }
  std::string tried;
  for (const fs::path& p : candidates) {
    if (fs::is_regular_file(p)) return p.string();
    tried += "\n  " + fs::absolute(p).string();
  }
  return absl::NotFoundError(
      "cannot find the dinosaur names (dinos.txt); looked in:" + tried +
      "\nRun the program with bazel run //course4_seq/char_lm:train, or pass "
      "--data=<file> with one name per line.");
}

}  // namespace

constexpr char kUsage[] =
    "Trains the character-level language model on dinosaur names and samples "
    "new ones.";

int main(int argc, char** argv) {
  if (!dl::StartProgram(argc, argv, kUsage)) return 2;
  const int num_iterations = dl::PositiveFlag(FLAGS_num_iterations);
  const int n_a = dl::PositiveFlag(FLAGS_n_a);
  const int dino_names = absl::GetFlag(FLAGS_dino_names);
  if (dino_names < 0) return dl::Fail("--dino_names must be >= 0");

  // The notebook's first cells: the text, lower-cased; its characters.
  absl::StatusOr<std::string> path =
      FindNames(absl::GetFlag(FLAGS_data), argv[0]);
  if (!path.ok()) return dl::Fail(path.status());
  absl::StatusOr<std::string> data = char_lm::read_data(*path);
  if (!data.ok()) return dl::Fail(data.status());
  // A file saved with Windows line ends.
  data->erase(std::remove(data->begin(), data->end(), '\r'), data->end());
  const std::vector<std::string> names = char_lm::split_names(*data);
  if (names.empty()) return dl::Fail(*path + " holds no names");
  const char_lm::Vocabulary vocabulary = char_lm::build_vocabulary(*data);
  if (!vocabulary.char_to_ix.count('\n')) {
    return dl::Fail(*path + " must hold one name per line");
  }
  const int vocab_size = static_cast<int>(vocabulary.chars.size());
  std::printf("Data: %s\n", path->c_str());
  std::printf(
      "There are %zu total characters and %d unique characters in your "
      "data.\n",
      data->size(), vocab_size);
  std::printf("%zu names; training with %s: n_a = %d, %d iterations\n\n",
              names.size(), dl::SolutionFile(), n_a, num_iterations);
  std::fflush(stdout);

  dl::clear_not_implemented();
  char_lm::ModelResult result;
  std::string error;
  try {
    result = graded::model(names, vocabulary.ix_to_char, vocabulary.char_to_ix,
                           num_iterations, n_a, dino_names, vocab_size,
                           absl::GetFlag(FLAGS_verbose));
  } catch (const std::exception& e) {
    error = e.what();
  }
  if (!dl::StubsCalled().empty()) {
    return dl::Fail(dl::NotImplementedMessage("course4_seq/char_lm"));
  }
  if (!error.empty() || result.losses.empty()) {
    return dl::Fail(
        "training failed: " +
        (error.empty() ? std::string("model returned no losses") : error) +
        "\n(bazel test //course4_seq/char_lm/... points at the "
        "function)");
  }

  const double last_loss = result.losses.back();
  std::printf("Loss after %zu iterations: %f; last name sampled: %s",
              result.losses.size(), last_loss, result.last_dino_name.c_str());
  if (result.last_dino_name.empty() || result.last_dino_name.back() != '\n') {
    std::printf("\n");
  }
  std::printf(
      "The course (its own 1536 names): Iteration: 22000, Loss: 22.728886, "
      "last name Trodonosaurus.\n"
      "Its first printout (Iteration: 0, Loss: 23.087336, Nkzxwtdmfqoeyhsq"
      "wasjkjvu, Kneb, ...) came from its first name, turiasaurus:\n"
      "bazel test //course4_seq/char_lm/... reproduces it.\n");

  absl::StatusOr<std::string> dir = dl::OutputDir("char_lm");
  if (!dir.ok()) return dl::Fail(dir.status());
  dl::LinePlot plot;
  plot.title = "Smoothed loss (" + std::to_string(names.size()) +
               " dinosaur names, n_a = " + std::to_string(n_a) + ")";
  plot.x_label = "iterations";
  plot.y_label = "smoothed loss";
  dl::Series series;
  series.label = "loss";
  const size_t every = result.losses.size() > 2000 ? 10 : 1;
  for (size_t j = 0; j < result.losses.size(); j += every) {
    series.x.push_back(static_cast<double>(j));
    series.y.push_back(result.losses[j]);
  }
  plot.series.push_back(std::move(series));
  const std::string svg = *dir + "/loss.svg";
  const absl::Status written = dl::WriteLinePlotSvg(svg, plot);
  dl::ReportWritten(written, svg, "\n  ", "\n");
  std::printf("\nDone in %.1f s.\n", dl::SecondsSinceStart());
  return 0;
}
