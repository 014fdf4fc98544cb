// bazel run //course2_tuning/regularization:train [-- --num_iterations=30000]
//
// The course's application: the [2, 20, 3, 1] network (learning rate 0.3,
// 30000 iterations, He-like init with seed 3) on the football data, three
// times:
//   1. no regularization: it fits the outliers and overfits;
//   2. L2 regularization, lambd = 0.7;
//   3. dropout, keep_prob = 0.86.
// It prints train / test accuracy next to the course's (which were on the
// course's data.mat; ours is a generated stand-in, see football_data.h),
// and writes the cost curves and three decision boundaries to
// output/regularization/.
//
// It runs YOUR functions from exercise.cc; with --config=reference it runs
// the reference solution.

#include <cmath>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/grading/not_implemented.h"
#include "common/viz/app.h"
#include "common/viz/plot.h"
#include "common/viz/progress.h"
#include "course2_tuning/regularization/football_data.h"
#include "course2_tuning/regularization/graded.h"  // see tools/unit.bzl
#include "course2_tuning/regularization/regularization.h"
#include "tools/solution.h"

ABSL_FLAG(int, num_iterations, 30000, "Gradient-descent iterations (> 0)");
ABSL_FLAG(double, learning_rate, 0.3, "Learning rate (> 0)");
ABSL_FLAG(double, lambd, 0.7, "L2 strength of the second model (> 0)");
ABSL_FLAG(double, keep_prob, 0.86,
          "Dropout keep probability of the third model (0 < p < 1)");

namespace {

using dl::Matrix;
using regularization::Gradients;
using regularization::Parameters;

struct Trained {
  Parameters parameters;
  std::vector<double> costs;  // every 1000 iterations
};

// The course's model(X, Y, learning_rate, num_iterations, print_cost,
// lambd, keep_prob): lambd = 0 and keep_prob = 1 is the plain network;
// the course uses one of L2 and dropout at a time.
Trained model(const Matrix& X, const Matrix& Y, double learning_rate,
              int num_iterations, double lambd, double keep_prob,
              const std::string& label) {
  Trained t;
  t.parameters = regularization::initialize_parameters({2, 20, 3, 1});
  dl::Progress progress(label, num_iterations);
  for (int i = 0; i < num_iterations; ++i) {
    Matrix a3;
    Gradients grads;
    double cost = 0;
    if (keep_prob == 1) {
      const auto forward = regularization::forward_propagation(X, t.parameters);
      a3 = forward.A3;
      if (lambd == 0) {
        cost = regularization::compute_cost(a3, Y);
        grads = regularization::backward_propagation(X, Y, forward.cache);
      } else {
        cost = graded::compute_cost_with_regularization(a3, Y, t.parameters,
                                                        lambd);
        grads = graded::backward_propagation_with_regularization(
            X, Y, forward.cache, lambd);
      }
    } else {
      const auto forward =
          graded::forward_propagation_with_dropout(X, t.parameters, keep_prob);
      cost = regularization::compute_cost(forward.A3, Y);
      grads = graded::backward_propagation_with_dropout(X, Y, forward.cache,
                                                        keep_prob);
    }
    if (!dl::StubsCalled().empty()) return t;  // the caller reports it
    t.parameters =
        regularization::update_parameters(t.parameters, grads, learning_rate);
    if (i % 1000 == 0) t.costs.push_back(cost);
    if (i % 500 == 0 || i + 1 == num_iterations) {
      progress.Update(i + 1, absl::StrCat("cost ", cost));
    }
  }
  progress.Finish();
  return t;
}

}  // namespace

constexpr char kUsage[] =
    "Trains the course's [2, 20, 3, 1] network on the football data without "
    "regularization, with L2 and with dropout.";

int main(int argc, char** argv) {
  if (!dl::StartProgram(argc, argv, kUsage)) return 2;
  const int iterations = dl::PositiveFlag(FLAGS_num_iterations);
  const double learning_rate = dl::PositiveFlag(FLAGS_learning_rate);
  const double lambd = dl::PositiveFlag(FLAGS_lambd);
  const double keep_prob = absl::GetFlag(FLAGS_keep_prob);
  if (!(keep_prob > 0) || !(keep_prob < 1)) {
    return dl::Fail("--keep_prob must be in (0, 1)");
  }
  const bool course_settings = iterations == 30000 && learning_rate == 0.3 &&
                               lambd == 0.7 && keep_prob == 0.86;

  const regularization::FootballData data =
      regularization::load_football_dataset();
  std::printf(
      "Data: generated football positions (stand-in for the course's "
      "data.mat),\n  train X %s, test X %s\n",
      dl::shape_string(data.train_X).c_str(),
      dl::shape_string(data.test_X).c_str());
  std::printf(
      "Training [2, 20, 3, 1] with %s: %d iterations, learning rate %g\n",
      dl::SolutionFile(), iterations, learning_rate);
  absl::StatusOr<std::string> dir = dl::OutputDir("regularization");
  if (!dir.ok()) return dl::Fail(dir.status());

  struct Run {
    std::string name, file;
    double lambd, keep_prob;
    double course_train, course_test;
    Trained trained;
    double train = 0, test = 0;
  };
  std::vector<Run> runs = {
      {"no regularization", "none", 0, 1, 0.9478672985781991, 0.915, {}},
      {absl::StrCat("L2, lambd = ", lambd),
       "l2",
       lambd,
       1,
       0.9383886255924171,
       0.93,
       {}},
      {absl::StrCat("dropout, keep_prob = ", keep_prob),
       "dropout",
       0,
       keep_prob,
       0.9289099526066351,
       0.95,
       {}}};

  // Stubs first, before any long training: one call of each function.
  dl::clear_not_implemented();
  try {
    const Parameters p0 = regularization::initialize_parameters({2, 20, 3, 1});
    const auto f0 = regularization::forward_propagation(data.train_X, p0);
    graded::compute_cost_with_regularization(f0.A3, data.train_Y, p0, lambd);
    graded::backward_propagation_with_regularization(data.train_X, data.train_Y,
                                                     f0.cache, lambd);
    const auto d0 =
        graded::forward_propagation_with_dropout(data.train_X, p0, keep_prob);
    graded::backward_propagation_with_dropout(data.train_X, data.train_Y,
                                              d0.cache, keep_prob);
  } catch (const std::exception&) {
    // Reported below, with the model that fails.
  }
  if (!dl::StubsCalled().empty()) {
    return dl::Fail(dl::NotImplementedMessage("course2_tuning/regularization"));
  }

  std::vector<dl::Series> curves;
  for (Run& run : runs) {
    dl::clear_not_implemented();
    try {
      run.trained = model(data.train_X, data.train_Y, learning_rate, iterations,
                          run.lambd, run.keep_prob, run.file);
    } catch (const std::exception& e) {
      if (dl::StubsCalled().empty()) {
        return dl::Fail(std::string("training (") + run.name +
                        ") failed: " + e.what() +
                        "\n(bazel test //course2_tuning/regularization/... "
                        "points at the function)");
      }
    }
    if (!dl::StubsCalled().empty()) {
      return dl::Fail(
          dl::NotImplementedMessage("course2_tuning/regularization"));
    }
    const Parameters& p = run.trained.parameters;
    run.train = regularization::accuracy(
        regularization::predict(data.train_X, p), data.train_Y);
    run.test = regularization::accuracy(regularization::predict(data.test_X, p),
                                        data.test_Y);
    for (double c : run.trained.costs) {
      if (!std::isfinite(c)) {
        std::printf("warning: the cost of \"%s\" became %f\n", run.name.c_str(),
                    c);
        break;
      }
    }
    dl::Series s{run.name, {}, run.trained.costs};
    for (size_t k = 0; k < s.y.size(); ++k) s.x.push_back(1000.0 * k);
    curves.push_back(s);
  }

  std::printf(
      "\n  model                       train     test    | course "
      "(on its data.mat) train  test\n");
  for (const Run& run : runs) {
    std::printf(
        "  %-26s  %.3f    %.3f   |                          %.3f  "
        "%.3f\n",
        run.name.c_str(), run.train, run.test, run.course_train,
        run.course_test);
  }
  std::printf(
      "  The course's numbers were measured on its football data, which is "
      "not\n  available here; ours come from a generated stand-in with "
      "overlap and outliers.\n  What carries over: without regularization "
      "the network fits the outliers\n  (train accuracy above test); L2 "
      "and dropout give up some train accuracy and\n  the gap between train "
      "and test closes.\n");
  if (!course_settings) {
    std::printf("  (Your flags differ from the course's settings.)\n");
  }

  std::printf("\nPictures:\n");
  const std::string cost_path = *dir + "/cost.svg";
  dl::ReportWritten(
      dl::WriteLinePlotSvg(
          cost_path, {"Cost, learning rate " + absl::StrCat(learning_rate),
                      "iterations", "cost", curves}),
      cost_path);
  for (const Run& run : runs) {
    const std::string path = *dir + "/decision_boundary_" + run.file + ".png";
    const Parameters& p = run.trained.parameters;
    dl::ReportWritten(dl::WriteDecisionBoundaryPng(
                          path, data.train_X, data.train_Y,
                          [&](const Matrix& points) {
                            return regularization::predict(points, p);
                          }),
                      path);
  }
  std::printf("\nDone in %.1f s.\n", dl::SecondsSinceStart());
  return 0;
}
