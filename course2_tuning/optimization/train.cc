// bazel run //course2_tuning/optimization:train [-- --num_epochs=5000]
//
// The course's application: the moons data set (sklearn make_moons,
// np.random.seed(3), 300 points, noise 0.2) and the 3-layer model
// [2, 5, 2, 1] trained with mini-batches of 64 for 5000 epochs by
//   1. gradient descent, momentum and Adam (learning rate 0.0007);
//   2. the same with learning-rate decay: update_lr on GD (lr0 0.1), and
//      schedule_lr_decay (time_interval 1000) on GD, momentum (lr0 0.1) and
//      Adam (lr0 0.01);
//   3. RMSprop (ours, learning rate 0.0007, beta 0.9).
// Prints each run's cost every 1000 epochs and the accuracies next to the
// course's; writes the cost curves to output/optimization/.
//
// It runs YOUR functions from exercise.cc; with --config=reference it runs
// the reference solution.

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
#include "course2_tuning/optimization/graded.h"  // see tools/unit.bzl
#include "course2_tuning/optimization/opt_utils.h"
#include "course2_tuning/optimization/optimization.h"
#include "tools/solution.h"

ABSL_FLAG(int, num_epochs, 5000, "Epochs per run (> 0)");
ABSL_FLAG(int, mini_batch_size, 64, "Mini-batch size (>= 1)");

namespace {

using deep_nn::Grads;
using deep_nn::Parameters;
using dl::Matrix;
using optimization::MiniBatch;
using optimization::Moments;

enum class Optimizer { kGd, kMomentum, kAdam, kRmsprop };
enum class Decay { kNone, kUpdateLr, kSchedule };

struct Run {
  std::string label;
  Optimizer optimizer;
  double learning_rate;
  Decay decay;
  bool in_course;
  double course_accuracy;
};

struct ModelResult {
  Parameters parameters;
  std::vector<double> costs;  // every 100 epochs
  double final_learning_rate = 0;
};

// The course's model(X, Y, layers_dims, optimizer, learning_rate = 0.0007,
// mini_batch_size = 64, beta = 0.9, beta1 = 0.9, beta2 = 0.999,
// epsilon = 1e-8, num_epochs = 5000, print_cost = True, decay = None,
// decay_rate = 1).
ModelResult model(const Matrix& X, const Matrix& Y,
                  const std::vector<int>& layers_dims, Optimizer optimizer,
                  double learning_rate, int mini_batch_size, int num_epochs,
                  Decay decay, dl::Progress& progress) {
  const double beta = 0.9, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
  const double decay_rate = 1;
  ModelResult result;
  int t = 0;      // Adam's step counter
  int seed = 10;  // reshuffle differently each epoch
  const double m = static_cast<double>(X.cols());
  const double learning_rate0 = learning_rate;
  Parameters parameters = opt_utils::initialize_parameters(layers_dims);
  Moments v, s;
  if (optimizer == Optimizer::kMomentum) {
    v = graded::initialize_velocity(parameters);
  } else if (optimizer == Optimizer::kAdam) {
    optimization::AdamState state = graded::initialize_adam(parameters);
    v = state.v;
    s = state.s;
  } else if (optimizer == Optimizer::kRmsprop) {
    s = graded::initialize_rmsprop(parameters);
  }
  for (int i = 0; i < num_epochs; ++i) {
    seed = seed + 1;
    const std::vector<MiniBatch> minibatches =
        graded::random_mini_batches(X, Y, mini_batch_size, seed);
    if (!dl::not_implemented_calls().empty()) return result;  // a stub
    double cost_total = 0;
    for (const MiniBatch& minibatch : minibatches) {
      const init_utils::Forward forward =
          opt_utils::forward_propagation(minibatch.X, parameters);
      cost_total += opt_utils::compute_cost(forward.a3, minibatch.Y);
      const Grads grads = opt_utils::backward_propagation(
          minibatch.X, minibatch.Y, forward.cache);
      switch (optimizer) {
        case Optimizer::kGd:
          parameters = graded::update_parameters_with_gd(parameters, grads,
                                                         learning_rate);
          break;
        case Optimizer::kMomentum: {
          optimization::MomentumUpdate u =
              graded::update_parameters_with_momentum(parameters, grads, v,
                                                      beta, learning_rate);
          parameters = std::move(u.parameters);
          v = std::move(u.v);
          break;
        }
        case Optimizer::kAdam: {
          t = t + 1;  // Adam counter
          optimization::AdamUpdate u = graded::update_parameters_with_adam(
              parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon);
          parameters = std::move(u.parameters);
          v = std::move(u.v);
          s = std::move(u.s);
          break;
        }
        case Optimizer::kRmsprop: {
          optimization::RmspropUpdate u =
              graded::update_parameters_with_rmsprop(parameters, grads, s, beta,
                                                     learning_rate, epsilon);
          parameters = std::move(u.parameters);
          s = std::move(u.s);
          break;
        }
      }
      if (!dl::not_implemented_calls().empty()) return result;  // a stub
    }
    const double cost_avg = cost_total / m;
    if (decay == Decay::kUpdateLr) {
      learning_rate = graded::update_lr(learning_rate0, i, decay_rate);
    } else if (decay == Decay::kSchedule) {
      learning_rate =
          graded::schedule_lr_decay(learning_rate0, i, decay_rate, 1000);
    }
    if (i % 100 == 0) result.costs.push_back(cost_avg);
    if ((i + 1) % 250 == 0) progress.Update(i + 1);
  }
  result.parameters = parameters;
  result.final_learning_rate = learning_rate;
  return result;
}

const char* OptimizerName(Optimizer o) {
  switch (o) {
    case Optimizer::kGd:
      return "gd";
    case Optimizer::kMomentum:
      return "momentum";
    case Optimizer::kAdam:
      return "adam";
    case Optimizer::kRmsprop:
      return "rmsprop";
  }
  return "";
}

}  // namespace

constexpr char kUsage[] =
    "Compares gradient descent, momentum, Adam (and RMSprop), with and without "
    "learning-rate decay, on the moons data.";

int main(int argc, char** argv) {
  if (!dl::StartProgram(argc, argv, kUsage)) return 2;
  const int num_epochs = dl::PositiveFlag(FLAGS_num_epochs);
  const int mini_batch_size = dl::PositiveFlag(FLAGS_mini_batch_size);
  const bool headline = num_epochs == 5000 && mini_batch_size == 64;

  // The course's load_dataset(): np.random.seed(3); make_moons(300, .2).
  dl::RandomState rng(3);
  const dl::ToyData train = dl::make_moons(300, 0.2, rng);
  std::printf("Data: moons, train X %s, Y %s (n_x, m)\n",
              dl::shape_string(train.X).c_str(),
              dl::shape_string(train.Y).c_str());
  const std::vector<int> layers_dims = {2, 5, 2, 1};
  std::printf("Training with %s: [2, 5, 2, 1], mini-batches of %d, %d epochs\n",
              dl::SolutionFile(), mini_batch_size, num_epochs);

  const std::vector<Run> runs = {
      {"gd", Optimizer::kGd, 0.0007, Decay::kNone, true, 0.7166666666666667},
      {"momentum", Optimizer::kMomentum, 0.0007, Decay::kNone, true,
       0.7166666666666667},
      {"adam", Optimizer::kAdam, 0.0007, Decay::kNone, true,
       0.9433333333333334},
      {"gd + update_lr", Optimizer::kGd, 0.1, Decay::kUpdateLr, true,
       0.6533333333333333},
      {"gd + schedule", Optimizer::kGd, 0.1, Decay::kSchedule, true,
       0.9433333333333334},
      {"momentum + schedule", Optimizer::kMomentum, 0.1, Decay::kSchedule, true,
       0.9533333333333334},
      {"adam + schedule", Optimizer::kAdam, 0.01, Decay::kSchedule, true, 0.94},
      {"rmsprop", Optimizer::kRmsprop, 0.0007, Decay::kNone, false, 0},
  };

  std::vector<ModelResult> results;
  std::vector<double> accuracies;
  for (const Run& run : runs) {
    dl::clear_not_implemented();
    ModelResult r;
    std::string error;
    {
      dl::Progress progress(run.label, num_epochs);
      try {
        r = model(train.X, train.Y, layers_dims, run.optimizer,
                  run.learning_rate, mini_batch_size, num_epochs, run.decay,
                  progress);
      } catch (const std::exception& e) {
        error = e.what();
      }
    }
    if (!dl::StubsCalled().empty()) {
      return dl::Fail(dl::NotImplementedMessage("course2_tuning/optimization"));
    }
    if (!error.empty() || r.parameters.empty()) {
      return dl::Fail("training \"" + run.label + "\" failed: " +
                      (error.empty() ? "no parameters" : error) +
                      "\n(bazel test //course2_tuning/optimization/... "
                      "points at the function)");
    }
    std::printf("%s (%s, learning rate %g):\n", run.label.c_str(),
                OptimizerName(run.optimizer), run.learning_rate);
    for (size_t k = 0; k < r.costs.size(); k += 10) {
      std::printf("  Cost after epoch %zu: %f\n", k * 100, r.costs[k]);
    }
    if (run.decay != Decay::kNone) {
      std::printf("  learning rate after the last epoch: %g\n",
                  r.final_learning_rate);
    }
    const Matrix p = opt_utils::predict(train.X, r.parameters);
    accuracies.push_back(opt_utils::accuracy(p, train.Y));
    results.push_back(std::move(r));
  }

  std::printf("\n  %-20s  %-20s  %s\n", "run", "train accuracy", "course");
  int same = 0, compared = 0;
  for (size_t k = 0; k < runs.size(); ++k) {
    std::printf("  %-20s  %-20s", runs[k].label.c_str(),
                dl::repr(accuracies[k]).c_str());
    if (runs[k].in_course && headline) {
      const bool eq = accuracies[k] == runs[k].course_accuracy;
      same += eq;
      ++compared;
      std::printf("  %s%s\n", dl::repr(runs[k].course_accuracy).c_str(),
                  eq ? "   (same)" : "   <- differs");
    } else {
      std::printf("  %s\n", runs[k].in_course ? "(other settings)"
                                              : "(not in the course)");
    }
  }
  if (compared > 0) {
    std::printf("  %d of %d of the course's accuracies reproduced.\n", same,
                compared);
  }
  if (headline) {
    std::printf(
        "  Course Adam cost: 0.702166 at epoch 0 -> 0.136066 at 4000 "
        "(ours: %f -> %f)\n",
        results[2].costs.front(),
        results[2].costs.size() > 40 ? results[2].costs[40] : NAN);
  }

  absl::StatusOr<std::string> dir = dl::OutputDir("optimization");
  if (!dir.ok()) return dl::Fail(dir.status());
  dl::LinePlot plot;
  plot.title = "Cost per epoch (moons, mini-batches of " +
               std::to_string(mini_batch_size) + ")";
  plot.x_label = "epochs";
  plot.y_label = "cost";
  for (size_t k = 0; k < runs.size(); ++k) {
    dl::Series series;
    series.label = runs[k].label;
    for (size_t i = 0; i < results[k].costs.size(); ++i) {
      series.x.push_back(static_cast<double>(i * 100));
      series.y.push_back(results[k].costs[i]);
    }
    plot.series.push_back(std::move(series));
  }
  const std::string path = *dir + "/cost.svg";
  const absl::Status written = dl::WriteLinePlotSvg(path, plot);
  dl::ReportWritten(written, path, "\n  ", "\n");
  std::printf("\nDone in %.1f s.\n", dl::SecondsSinceStart());
  return 0;
}
