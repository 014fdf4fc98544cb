// bazel run //course1_nn/linear_regression:train [-- --lr=0.03 ...]
//
// d2l's experiment (chapter 3, "Linear Regression Implementation from
// Scratch"): 1000 examples of y = wᵀx + b + noise with w = [2, -3.4],
// b = 4.2, then minibatch SGD (lr 0.03, 3 epochs, minibatches of 10). It
// prints the loss after each epoch and the estimation errors like d2l,
// compares with the closed-form solution (normal_equation), checks that your
// train() reproduces the loop, and writes the loss curve as an SVG file.
//
// It runs YOUR functions from exercise.cc; with --config=reference it runs
// the reference solution.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/core/random.h"
#include "common/grading/not_implemented.h"
#include "common/viz/app.h"
#include "common/viz/plot.h"
#include "common/viz/progress.h"
#include "course1_nn/linear_regression/graded.h"  // see tools/unit.bzl
#include "course1_nn/linear_regression/linear_regression.h"
#include "tools/solution.h"

ABSL_FLAG(int, seed, 1, "Seed of the data, the initial w and the minibatches");
ABSL_FLAG(int, num_examples, 1000, "Number of synthetic examples (1..100000)");
ABSL_FLAG(double, lr, 0.03, "Learning rate (> 0)");
ABSL_FLAG(int, num_epochs, 3, "Passes over the data (1..1000)");
ABSL_FLAG(int, batch_size, 10, "Examples per minibatch (1..num_examples)");

namespace {

using dl::Matrix;
using linear_regression::Data;
using linear_regression::Gradients;
using linear_regression::Parameters;

// d2l's "%f", but readable when training diverges.
std::string num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, std::abs(x) < 1e4 ? "%f" : "%.4g", x);
  return buf;
}

std::string vec(const Matrix& v) {
  std::string s = "[";
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    s += (i ? ", " : "") + num(v(i));
  }
  return s + "]";
}

// Calls every graded function once on tiny inputs; returns the names of
// those that are still stubs, as dl::StubsCalled(). (A written function may
// throw here when it calls a stub, e.g. train() with a stub data_iter: that is
// ignored.)
std::string probe_stubs() {
  dl::clear_not_implemented();
  dl::RandomState rng(0);
  const Matrix w = dl::matrix({{1.0}, {-1.0}});
  const Matrix X = rng.randn(2, 4);
  const Matrix y = rng.randn(1, 4);
  Parameters params;
  params.w = w;
  Gradients grads;
  grads.dw = w;
  const auto probe = [](const auto& call) {
    try {
      call();
    } catch (const std::exception&) {
    }
  };
  probe([&] { graded::synthetic_data(w, 0.5, 4, rng); });
  probe([&] { graded::linreg(X, w, 0.5); });
  probe([&] { graded::squared_loss(y, y); });
  probe([&] { graded::squared_loss_gradients(X, y, w, 0.5); });
  probe([&] { graded::normal_equation(X, y); });
  probe([&] { graded::data_iter(2, 4, rng); });
  probe([&] { graded::sgd(params, grads, 0.1); });
  probe([&] { graded::train(X, y, 0.1, 1, 2, rng); });
  return dl::StubsCalled();
}

int run() {
  const int seed = absl::GetFlag(FLAGS_seed);
  const int m = absl::GetFlag(FLAGS_num_examples);
  const double lr = dl::PositiveFlag(FLAGS_lr);
  const int num_epochs = dl::FlagInRange(FLAGS_num_epochs, 1, 1000);
  const int batch_size = absl::GetFlag(FLAGS_batch_size);
  if (seed < 0) return dl::Fail("--seed must be >= 0");
  if (m < 1 || m > 100000)
    return dl::Fail("--num_examples must be in 1..100000");
  if (batch_size < 1 || batch_size > m) {
    return dl::Fail("--batch_size must be in 1..num_examples (" +
                    std::to_string(m) + ")");
  }

  // The output folder first: a folder that cannot be written is reported
  // before any training.
  absl::StatusOr<std::string> dir = dl::OutputDir("linear_regression");
  if (!dir.ok()) return dl::Fail(dir.status());

  if (!probe_stubs().empty()) {
    return dl::Fail(dl::NotImplementedMessage("course1_nn/linear_regression"));
  }

  // The data: d2l's true parameters.
  const Matrix true_w = dl::matrix({{2.0}, {-3.4}});
  const double true_b = 4.2;
  dl::RandomState rng(static_cast<uint32_t>(seed));
  const Data data = graded::synthetic_data(true_w, true_b, m, rng);
  if (data.X.rows() != 2 || data.X.cols() != m || data.y.rows() != 1 ||
      data.y.cols() != m) {
    return dl::Fail("synthetic_data returned X " + dl::shape_string(data.X) +
                    " and y " + dl::shape_string(data.y) + ", expected (2, " +
                    std::to_string(m) + ") and (1, " + std::to_string(m) + ")");
  }
  std::printf(
      "Data: X %s, y %s (one example per column), true w = %s, "
      "b = %g, seed %d\n",
      dl::shape_string(data.X).c_str(), dl::shape_string(data.y).c_str(),
      vec(true_w).c_str(), true_b, seed);
  std::printf(
      "Training with %s: minibatch SGD, lr %g, %d epochs, batch "
      "size %d\n",
      dl::SolutionFile(), lr, num_epochs, batch_size);

  // d2l's training loop, with your building blocks. train() gets a copy of
  // the generator, so it must make the very same draws.
  dl::RandomState train_rng = rng;
  Parameters params;
  params.w = rng.randn(2, 1) * 0.01;
  params.b = 0.0;
  std::vector<double> step_losses = {
      graded::squared_loss(graded::linreg(data.X, params.w, params.b), data.y)};
  std::vector<double> epoch_losses;
  const int steps_per_epoch = (m + batch_size - 1) / batch_size;
  dl::Progress progress("training", int64_t{num_epochs} * steps_per_epoch);
  int64_t step = 0;
  for (int epoch = 0; epoch < num_epochs; ++epoch) {
    for (const std::vector<int>& batch :
         graded::data_iter(batch_size, m, rng)) {
      for (int i : batch) {
        if (i < 0 || i >= m) {
          return dl::Fail("data_iter returned the index " + std::to_string(i) +
                          ", outside 0.." + std::to_string(m - 1));
        }
      }
      const Matrix X_batch = data.X(Eigen::all, batch);  // (n_x, batch)
      const Matrix y_batch = data.y(Eigen::all, batch);  // (1, batch)
      const Gradients grads =
          graded::squared_loss_gradients(X_batch, y_batch, params.w, params.b);
      params = graded::sgd(params, grads, lr);
      step_losses.push_back(graded::squared_loss(
          graded::linreg(data.X, params.w, params.b), data.y));
      char status[64];
      std::snprintf(status, sizeof status, "epoch %d/%d, loss %f", epoch + 1,
                    num_epochs, step_losses.back());
      progress.Update(++step, status);
    }
    epoch_losses.push_back(step_losses.back());
  }
  progress.Finish();
  for (int epoch = 0; epoch < num_epochs; ++epoch) {
    std::printf("epoch %d, loss %s\n", epoch + 1,
                num(epoch_losses[epoch]).c_str());
  }
  if (!(epoch_losses.back() < step_losses.front())) {
    std::printf("warning: the loss did not go down: is --lr too large?\n");
  }
  std::printf("error in estimating w: %s\n", vec(true_w - params.w).c_str());
  std::printf("error in estimating b: %s\n", num(true_b - params.b).c_str());

  // The closed form.
  const linear_regression::NormalEquation exact =
      graded::normal_equation(data.X, data.y);
  if (exact.w.rows() != 2 || exact.w.cols() != 1) {
    return dl::Fail("normal_equation returned w " + dl::shape_string(exact.w) +
                    ", expected (2, 1)");
  }
  std::printf("normal equation: w = %s, b = %s\n", vec(exact.w).c_str(),
              num(exact.b).c_str());
  std::printf("  its error in estimating w: %s, b: %s\n",
              vec(true_w - exact.w).c_str(), num(true_b - exact.b).c_str());
  std::printf("  SGD - normal equation: w %s, b %s\n",
              vec(params.w - exact.w).c_str(), num(params.b - exact.b).c_str());

  // Your train() must reproduce the loop above.
  const linear_regression::TrainResult trained =
      graded::train(data.X, data.y, lr, num_epochs, batch_size, train_rng);
  double gap = 0;
  bool same_shape = trained.params.w.rows() == 2 &&
                    trained.params.w.cols() == 1 &&
                    trained.epoch_losses.size() == epoch_losses.size();
  if (same_shape) {
    gap = std::max((trained.params.w - params.w).cwiseAbs().maxCoeff(),
                   std::abs(trained.params.b - params.b));
    for (size_t e = 0; e < epoch_losses.size(); ++e) {
      gap = std::max(gap, std::abs(trained.epoch_losses[e] - epoch_losses[e]));
    }
  }
  if (same_shape && gap <= 1e-9) {
    std::printf("train(): same parameters and losses as the loop above\n");
  } else {
    const std::string how =
        same_shape
            ? "max difference " + std::to_string(gap)
            : "w of shape " + dl::shape_string(trained.params.w) + ", " +
                  std::to_string(trained.epoch_losses.size()) + " epoch losses";
    std::printf(
        "warning: train() differs from the loop above (%s). It should draw "
        "w = rng.randn(n_x, 1) * 0.01, then one data_iter per epoch, and "
        "record one loss per epoch.\n",
        how.c_str());
  }

  // The loss curve.
  const std::string path = *dir + "/loss.svg";
  const absl::Status written = dl::WriteCostPlotSvg(
      path,
      "Squared loss on all " + std::to_string(m) +
          " examples after each SGD step (" + std::to_string(steps_per_epoch) +
          " steps per epoch)",
      step_losses, 1);
  if (!written.ok()) return dl::Fail(written);
  std::printf("loss curve: %s\n", path.c_str());
  return 0;
}

}  // namespace

constexpr char kUsage[] =
    "d2l's linear regression from scratch: minibatch SGD against the normal "
    "equation.";

int main(int argc, char** argv) {
  if (!dl::StartProgram(argc, argv, kUsage)) return 2;
  try {
    return run();
  } catch (const std::exception& e) {
    return dl::Fail(std::string("a function threw: ") + e.what() +
                    "\n  Run the grader to find which: bazel test "
                    "//course1_nn/linear_regression/...");
  }
}
