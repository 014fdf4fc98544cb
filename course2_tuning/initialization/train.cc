// bazel run //course2_tuning/initialization:train [-- --num_iterations=15000]
//
// The course's application: the circles data set (sklearn make_circles,
// np.random.seed(1) for 300 training points, seed 2 for 100 test points),
// the 3-layer model [2, 10, 5, 1] relu/relu/sigmoid trained 15000
// iterations at learning rate 0.01 with each initialization: zeros, random
// (x10), He, and Xavier (ours). Prints the costs every 1000 iterations and
// the accuracies next to the course's; writes one cost plot with all the
// curves and one decision-boundary picture per initialization to
// output/initialization/.
//
// It runs YOUR initialize_parameters_* from exercise.cc; with
// --config=reference it runs the reference solution.

#include <cmath>
#include <cstdio>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/core/random.h"
#include "common/core/tensor.h"
#include "common/data/toy_datasets.h"
#include "common/grading/not_implemented.h"
#include "common/viz/app.h"
#include "common/viz/plot.h"
#include "common/viz/progress.h"
#include "course2_tuning/initialization/graded.h"  // see tools/unit.bzl
#include "course2_tuning/initialization/init_utils.h"
#include "course2_tuning/initialization/initialization.h"
#include "tools/solution.h"

ABSL_FLAG(int, num_iterations, 15000, "Gradient-descent iterations (> 0)");
ABSL_FLAG(double, learning_rate, 0.01, "Learning rate (> 0)");

namespace {

using deep_nn::Parameters;
using dl::Matrix;
using Init = std::function<Parameters(const std::vector<int>&)>;

struct Method {
  std::string name;  // the course's initialization="..." string
  Init init;
  bool in_course;
  double course_train, course_test;  // the course's accuracies
};

struct Outcome {
  init_utils::ModelResult model;
  double train = 0, test = 0;
};

}  // namespace

constexpr char kUsage[] =
    "Compares the course's weight initializations on the circles data.";

int main(int argc, char** argv) {
  if (!dl::StartProgram(argc, argv, kUsage)) return 2;
  const int num_iterations = dl::PositiveFlag(FLAGS_num_iterations);
  const double learning_rate = dl::PositiveFlag(FLAGS_learning_rate);
  const bool headline = num_iterations == 15000 && learning_rate == 0.01;

  // The course's load_dataset(): np.random.seed(1); make_circles(300, .05)
  // for training; np.random.seed(2); make_circles(100, .05) for testing.
  dl::RandomState rng_train(1), rng_test(2);
  const dl::ToyData train = dl::make_circles(300, 0.05, rng_train);
  const dl::ToyData test = dl::make_circles(100, 0.05, rng_test);
  std::printf("Data: circles, train X %s, test X %s (n_x, m)\n",
              dl::shape_string(train.X).c_str(),
              dl::shape_string(test.X).c_str());

  const std::vector<Method> methods = {
      {"zeros", graded::initialize_parameters_zeros, true, 0.5, 0.5},
      {"random", graded::initialize_parameters_random, true, 0.83, 0.86},
      {"he", graded::initialize_parameters_he, true, 0.9933333333333333, 0.96},
      {"xavier", graded::initialize_parameters_xavier, false, 0, 0},
  };

  // The learner's functions first, on the model's layer sizes: a stub or a
  // wrong shape is reported before any training.
  for (const Method& method : methods) {
    dl::clear_not_implemented();
    Parameters p;
    try {
      p = method.init({2, 10, 5, 1});
    } catch (const std::exception& e) {
      return dl::Fail("initialize_parameters_" + method.name +
                      " failed: " + e.what());
    }
    if (!dl::StubsCalled().empty()) {
      return dl::Fail(
          dl::NotImplementedMessage("course2_tuning/initialization"));
    }
    const int dims[] = {2, 10, 5, 1};
    for (int l = 1; l <= 3; ++l) {
      const std::string n = std::to_string(l);
      if (!p.count("W" + n) || !p.count("b" + n) ||
          p["W" + n].rows() != dims[l] || p["W" + n].cols() != dims[l - 1] ||
          p["b" + n].rows() != dims[l] || p["b" + n].cols() != 1) {
        return dl::Fail("initialize_parameters_" + method.name +
                        "({2, 10, 5, 1}) must return W" + n + " (" +
                        std::to_string(dims[l]) + ", " +
                        std::to_string(dims[l - 1]) + ") and b" + n + " (" +
                        std::to_string(dims[l]) +
                        ", 1); run bazel test //course2_tuning/"
                        "initialization/...");
      }
    }
  }

  std::printf(
      "Training with %s: [2, 10, 5, 1], %d iterations, learning rate "
      "%g\n",
      dl::SolutionFile(), num_iterations, learning_rate);
  std::vector<Outcome> outcomes;
  for (const Method& method : methods) {
    dl::Progress progress(method.name, num_iterations);
    Outcome o;
    o.model = init_utils::model(train.X, train.Y, method.init, learning_rate,
                                num_iterations, [&](int i) {
                                  if ((i + 1) % 500 == 0)
                                    progress.Update(i + 1);
                                });
    progress.Finish();
    o.train = init_utils::accuracy(
        init_utils::predict(train.X, o.model.parameters), train.Y);
    o.test = init_utils::accuracy(
        init_utils::predict(test.X, o.model.parameters), test.Y);
    std::printf("initialization = \"%s\"\n", method.name.c_str());
    for (size_t k = 0; k < o.model.costs.size(); ++k) {
      std::printf("  Cost after iteration %zu: %s\n", k * 1000,
                  dl::repr(o.model.costs[k]).c_str());
    }
    if (const std::string w = dl::NonFiniteCostWarning(o.model.costs, 1000);
        !w.empty() && method.name != "random") {  // random: inf by design
      std::printf("  warning: %s\n", w.c_str());
    }
    outcomes.push_back(o);
  }

  std::printf(
      "\n  initialization   train acc            test acc   "
      "   course (train / test)\n");
  for (size_t k = 0; k < methods.size(); ++k) {
    const Method& m = methods[k];
    const Outcome& o = outcomes[k];
    std::printf("  %-14s   %-19s  %-10s", m.name.c_str(),
                dl::repr(o.train).c_str(), dl::repr(o.test).c_str());
    if (m.in_course && headline) {
      const bool same = o.train == m.course_train && o.test == m.course_test;
      std::printf("   %s / %s%s\n", dl::repr(m.course_train).c_str(),
                  dl::repr(m.course_test).c_str(),
                  same ? "   (same)" : "   <- differs");
    } else {
      std::printf("   %s\n",
                  m.in_course ? "(other settings)" : "(not in course)");
    }
  }
  if (headline) {
    const auto& zeros = outcomes[0].model.costs;
    const auto& he = outcomes[2].model.costs;
    std::printf(
        "\n  Course costs: zeros 0.6931471805599453 at every print (ours: "
        "%s .. %s);\n  He 0.8830537463419761 at 0 -> "
        "0.07357895962677362 at 14000 (ours: %s -> %s);\n  random: inf "
        "at 0 (ours: %s).\n",
        dl::repr(zeros.front()).c_str(), dl::repr(zeros.back()).c_str(),
        dl::repr(he.front()).c_str(), dl::repr(he.back()).c_str(),
        dl::repr(outcomes[1].model.costs.front()).c_str());
  }

  absl::StatusOr<std::string> dir = dl::OutputDir("initialization");
  if (!dir.ok()) return dl::Fail(dir.status());
  dl::LinePlot plot;
  plot.title = "Cost, learning rate " + std::to_string(learning_rate);
  plot.x_label = "iterations";
  plot.y_label = "cost";
  for (size_t k = 0; k < methods.size(); ++k) {
    dl::Series s;
    s.label = methods[k].name;
    for (size_t i = 0; i < outcomes[k].model.costs.size(); ++i) {
      s.x.push_back(static_cast<double>(i * 1000));
      s.y.push_back(outcomes[k].model.costs[i]);
    }
    plot.series.push_back(s);
  }
  std::printf("\n");
  const std::string cost_path = *dir + "/cost.svg";
  dl::ReportWritten(dl::WriteLinePlotSvg(cost_path, plot), cost_path);
  for (size_t k = 0; k < methods.size(); ++k) {
    const std::string path =
        *dir + "/decision_boundary_" + methods[k].name + ".png";
    const Parameters& p = outcomes[k].model.parameters;
    dl::ReportWritten(dl::WriteDecisionBoundaryPng(path, train.X, train.Y,
                                                   [&](const Matrix& points) {
                                                     return init_utils::predict(
                                                         points, p);
                                                   }),
                      path);
  }
  std::printf("\nDone in %.1f s.\n", dl::SecondsSinceStart());
  return 0;
}
