// bazel run //course2_tuning/model_selection:train [-- --seed=1 --few=20
//     --k=5 --lambd=3 --num_epochs=100]
//
// The course's bias/variance lessons (C2W1, "Setting up your Machine
// Learning Application") with d2l's experiments ("Model Selection,
// Underfitting, and Overfitting", "Weight Decay"):
//   1. train / dev / test splits of the course's sizes;
//   2. k-fold index splits;
//   3. polynomial regression on d2l's cubic with noise: train and test loss
//      (and the k-fold cross-validation score) for every degree 0..19, on
//      100 training examples and on a few (--few); degree 1 underfits,
//      degree 3 fits, degree 19 (d2l's 20 features) on few examples overfits;
//   4. weight decay on d2l's high-dimensional linear regression (200
//      features, 20 training and 100 test examples): λ = 0 against
//      λ = --lambd, train / test loss and ‖w‖;
//   5. diagnose() on the lecture's train / dev errors.
// Writes output/model_selection/polynomial.svg and weight_decay.svg.
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
#include "common/core/tensor.h"
#include "common/grading/not_implemented.h"
#include "common/viz/app.h"
#include "common/viz/plot.h"
#include "common/viz/progress.h"
#include "course2_tuning/model_selection/graded.h"  // see tools/unit.bzl
#include "course2_tuning/model_selection/model_selection.h"
#include "tools/solution.h"

ABSL_FLAG(int, seed, 1, "Seed of the data (training draws use seed + 1)");
ABSL_FLAG(int, few, 20,
          "Training examples of the small polynomial experiment (2..100)");
ABSL_FLAG(int, k, 5, "Folds of the cross-validation (2..50)");
ABSL_FLAG(double, lambd, 3.0, "Weight decay λ of the second run (> 0)");
ABSL_FLAG(int, num_epochs, 100, "Epochs of the weight-decay runs (1..1000)");

namespace {

using dl::Matrix;
using model_selection::Data;
using model_selection::Diagnosis;
using model_selection::Fold;
using model_selection::Parameters;
using model_selection::PolynomialData;
using model_selection::Split;
using model_selection::TrainResult;

constexpr char kUnit[] = "course2_tuning/model_selection";

// "{2, 8, 4}"; long lists end with "...".
std::string list(const std::vector<int>& v, size_t max_shown = 12) {
  std::string s = "{";
  for (size_t i = 0; i < v.size() && i < max_shown; ++i) {
    s += (i ? ", " : "") + std::to_string(v[i]);
  }
  if (v.size() > max_shown) s += ", ...";
  return s + "}";
}

std::string vec(const Matrix& v) {
  std::string s = "[";
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", v(i));
    s += (i ? ", " : "") + std::string(buf);
  }
  return s + "]";
}

// A loss in a fixed width, readable when it explodes.
std::string loss(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, std::abs(x) < 1e4 ? "%.6f" : "%.3e", x);
  return buf;
}

std::string percent(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g %%", 100 * x);
  return buf;
}

// Calls every graded function once on tiny inputs; returns the names of
// those that are still stubs, as dl::StubsCalled(). (A written function may
// throw here when it uses a stub: that is ignored.)
std::string probe_stubs() {
  dl::clear_not_implemented();
  dl::RandomState rng(0);
  const Matrix X = rng.randn(2, 4);
  const Matrix y = rng.randn(1, 4);
  const Matrix w = rng.randn(2, 1);
  const auto probe = [](const auto& call) {
    try {
      call();
    } catch (const std::exception&) {
    }
  };
  const auto fit = [](const Matrix& X_train, const Matrix&) {
    Parameters p;
    p.w = Matrix::Zero(X_train.rows(), 1);
    return p;
  };
  const auto evaluate = [](const Parameters&, const Matrix&, const Matrix&) {
    return 0.0;
  };
  probe([&] { graded::train_dev_test_split(4, 0.5, 0.25, rng); });
  probe([&] { graded::kfold_indices(4, 2); });
  probe([&] { graded::cross_validation_score(X, y, 2, fit, evaluate); });
  probe([&] { graded::polynomial_features(y, 2); });
  probe([&] { graded::fit_least_squares(X, y, 0.5); });
  probe([&] { graded::l2_penalty(w); });
  probe([&] { graded::weight_decay_gradients(X, y, w, 0.5, 0.5); });
  probe([&] { graded::train_weight_decay(X, y, 0.5, 0.01, 1, 2, rng); });
  probe([&] { graded::diagnose(0.1, 0.2, 0.0, 0.02); });
  return dl::StubsCalled();
}

// ------------------------------------------------------------- 1. splits

int show_splits() {
  std::printf("1. Train / dev / test sets (train_dev_test_split)\n");
  dl::RandomState rng0(0);
  const Split s = graded::train_dev_test_split(10, 0.6, 0.2, rng0);
  std::printf(
      "  m = 10, 60/20/20, RandomState(0): train %s, dev %s, test %s\n"
      "    (numpy's permutation(10) for seed 0 is 2 8 4 9 1 6 7 3 0 5)\n",
      list(s.train).c_str(), list(s.dev).c_str(), list(s.test).c_str());
  struct Case {
    int m;
    double train, dev;
    const char* why;
  };
  const std::vector<Case> cases = {
      {10000, 0.6, 0.2, "small data: the classic 60/20/20"},
      {1000000, 0.98, 0.01, "big data: 10,000 dev and test examples suffice"},
  };
  for (const Case& c : cases) {
    dl::RandomState rng(1);
    const Split split = graded::train_dev_test_split(c.m, c.train, c.dev, rng);
    const size_t total =
        split.train.size() + split.dev.size() + split.test.size();
    std::printf("  m = %d, %g/%g/%g: train %zu, dev %zu, test %zu  (%s)\n", c.m,
                100 * c.train, 100 * c.dev, 100 * (1 - c.train - c.dev),
                split.train.size(), split.dev.size(), split.test.size(), c.why);
    if (total != static_cast<size_t>(c.m)) {
      std::printf("  warning: the three sets hold %zu indices, not m = %d\n",
                  total, c.m);
    }
  }
  return 0;
}

// ------------------------------------------------------------ 2. k folds

void show_folds(int k) {
  std::printf("\n2. k-fold cross-validation (kfold_indices)\n");
  for (auto [m, folds] : std::vector<std::pair<int, int>>{{10, 3}, {100, k}}) {
    std::printf("  m = %d, k = %d:\n", m, folds);
    const std::vector<Fold> f = graded::kfold_indices(m, folds);
    for (size_t i = 0; i < f.size(); ++i) {
      std::printf("    fold %zu: validation %s (%zu), train %zu examples\n",
                  i + 1, list(f[i].validation, 6).c_str(),
                  f[i].validation.size(), f[i].train.size());
    }
  }
}

// ---------------------------------------------- 3. polynomial regression

// The plain least-squares fit (λ = 0) and the squared loss, as
// cross_validation_score's fit and evaluate.
Parameters fit(const Matrix& X, const Matrix& y) {
  Parameters p;
  p.w = graded::fit_least_squares(X, y, 0.0);
  p.b = 0;
  return p;
}

double evaluate(const Parameters& p, const Matrix& X, const Matrix& y) {
  return model_selection::squared_loss(model_selection::linreg(X, p.w, p.b), y);
}

struct PolyRow {
  int degree;
  double train, test, cv;  // cv: NaN when not computed
};

// Fits every degree 0..kMaxDegree-1 on the first n_train training examples.
std::vector<PolyRow> sweep_degrees(const PolynomialData& data, int n_train,
                                   int k, bool with_cv) {
  const Matrix x = data.x_train.leftCols(n_train);
  const Matrix y = data.y_train.leftCols(n_train);
  std::vector<PolyRow> rows;
  for (int degree = 0; degree < model_selection::kMaxDegree; ++degree) {
    const Matrix X = graded::polynomial_features(x, degree);
    const Matrix X_test = graded::polynomial_features(data.x_test, degree);
    const Parameters p = fit(X, y);
    PolyRow row{degree, evaluate(p, X, y), evaluate(p, X_test, data.y_test),
                NAN};
    if (with_cv)
      row.cv = graded::cross_validation_score(X, y, k, fit, evaluate);
    rows.push_back(row);
  }
  return rows;
}

const char* verdict(int degree) {
  if (degree < 3) return "underfits";
  if (degree == 3) return "the true degree";
  return "";
}

int show_polynomials(int seed, int few, int k, const std::string& out_dir) {
  std::printf(
      "\n3. Polynomial regression on d2l's cubic\n"
      "   y = 5 + 1.2 x - 3.4 x²/2! + 5.6 x³/3! + ε, ε ~ N(0, 0.1²): "
      "100 train, 100 test examples (seed %d)\n"
      "   features x⁰/0! .. x^d/d! (polynomial_features), fit by "
      "fit_least_squares(λ = 0); the noise alone costs 0.1²/2 = 0.005\n",
      seed);
  dl::RandomState rng(static_cast<uint32_t>(seed));
  const PolynomialData data =
      model_selection::make_polynomial_data(100, 100, rng);
  const std::vector<PolyRow> many = sweep_degrees(data, 100, k, true);
  const std::vector<PolyRow> small = sweep_degrees(data, few, k, false);

  std::printf("\n  %6s  %-38s   %s\n", "",
              "    fit on the 100 training examples",
              ("    fit on the first " + std::to_string(few)).c_str());
  std::printf("  %6s  %12s %12s %12s   %12s %12s\n", "degree", "train loss",
              "test loss", std::to_string(k).append("-fold CV").c_str(),
              "train loss", "test loss");
  for (size_t i = 0; i < many.size(); ++i) {
    std::printf("  %6d  %12s %12s %12s   %12s %12s  %s\n", many[i].degree,
                loss(many[i].train).c_str(), loss(many[i].test).c_str(),
                loss(many[i].cv).c_str(), loss(small[i].train).c_str(),
                loss(small[i].test).c_str(), verdict(many[i].degree));
  }

  // Model selection: the degree with the lowest cross-validation score,
  // chosen without looking at the test set.
  const auto best = std::min_element(
      many.begin(), many.end(),
      [](const PolyRow& a, const PolyRow& b) { return a.cv < b.cv; });
  std::printf(
      "\n  %d-fold cross-validation on the 100 training examples picks "
      "degree %d (CV %s, test %s)\n",
      k, best->degree, loss(best->cv).c_str(), loss(best->test).c_str());
  const Matrix w3 = graded::fit_least_squares(
      graded::polynomial_features(data.x_train, 3), data.y_train, 0.0);
  std::printf("  degree 3: w = %s, true w = [5, 1.2, -3.4, 5.6]\n",
              vec(w3).c_str());

  // d2l's three cases side by side (d2l: "normal", "underfitting",
  // "overfitting"), and the 20 features on all 100 examples.
  struct Case {
    std::string name;
    const PolyRow& row;
    const char* d2l;
  };
  const std::vector<Case> cases = {
      {"degree 1, 100 examples", many[1], "underfits: both far above 0.005"},
      {"degree 3, 100 examples", many[3], "fits: both near the noise's 0.005"},
      {"degree 19, " + std::to_string(few) + " examples", small[19],
       "overfits: train below 0.005, test far above"},
      {"degree 19, 100 examples", many[19],
       "overfits too: wild at test x outside the training range"},
  };
  std::printf("\n  d2l's cases, train and test loss side by side:\n");
  std::printf("  %-24s %12s %12s\n", "", "train loss", "test loss");
  for (const Case& c : cases) {
    std::printf("  %-24s %12s %12s   %s\n", c.name.c_str(),
                loss(c.row.train).c_str(), loss(c.row.test).c_str(), c.d2l);
  }

  // The same 20 features on the few examples, with a little ridge (the
  // closed form of weight decay): λ reins the high powers in.
  const Matrix x_few = data.x_train.leftCols(few);
  const Matrix y_few = data.y_train.leftCols(few);
  const Matrix X19 = graded::polynomial_features(x_few, 19);
  const Matrix X19_test = graded::polynomial_features(data.x_test, 19);
  std::printf("\n  degree 19 on %d examples, fit_least_squares with λ > 0:\n",
              few);
  std::printf("         λ   train loss    test loss          ‖w‖\n");
  for (double lambd : {0.0, 1e-4, 1e-2, 1.0}) {
    Parameters p;
    p.w = graded::fit_least_squares(X19, y_few, lambd);
    std::printf("  %8g %12s %12s %12s\n", lambd,
                loss(evaluate(p, X19, y_few)).c_str(),
                loss(evaluate(p, X19_test, data.y_test)).c_str(),
                loss(p.w.norm()).c_str());
  }

  dl::LinePlot plot;
  plot.title =
      "d2l's cubic: squared loss against the degree (m = training examples)";
  plot.x_label = "degree";
  plot.y_label = "loss (log scale)";
  plot.log_y = true;
  const auto series = [](const std::string& label,
                         const std::vector<PolyRow>& rows,
                         double PolyRow::*field) {
    dl::Series s;
    s.label = label;
    for (const PolyRow& r : rows) {
      if (r.*field > 0) {
        s.x.push_back(r.degree);
        s.y.push_back(r.*field);
      }
    }
    return s;
  };
  const std::string f = std::to_string(few);
  plot.series = {
      series("train (m = 100)", many, &PolyRow::train),
      series("test (m = 100)", many, &PolyRow::test),
      series(std::to_string(k) + "-fold CV (m = 100)", many, &PolyRow::cv),
      series("train (m = " + f + ")", small, &PolyRow::train),
      series("test (m = " + f + ")", small, &PolyRow::test)};
  const std::string path = out_dir + "/polynomial.svg";
  const absl::Status written = dl::WriteLinePlotSvg(path, plot);
  if (!written.ok()) return dl::Fail(written);
  std::printf("\n  wrote %s\n", path.c_str());
  return 0;
}

// --------------------------------------------------------- 4. weight decay

struct DecayRun {
  TrainResult result;
  std::vector<int> test_epochs;     // 1..num_epochs, at most 100 of them
  std::vector<double> test_losses;  // after each of test_epochs
  bool consistent = true;           // the short runs agree with the long one
};

// train_weight_decay returns the final parameters only. Its draws are w
// first, then one permutation per epoch, so a run of e epochs from the same
// seed is the first e epochs of the long run: re-running it for e = 1, 2, ...
// gives the test loss after every epoch (every num_epochs / 100 epochs when
// there are more than 100).
DecayRun run_decay(const Data& train, const Data& test, double lambd,
                   int num_epochs, uint32_t seed, dl::Progress& progress) {
  const double lr = 0.003;  // d2l
  const int batch_size = 5;
  DecayRun run;
  dl::RandomState rng(seed);
  run.result = graded::train_weight_decay(train.X, train.y, lambd, lr,
                                          num_epochs, batch_size, rng);
  if (static_cast<int>(run.result.epoch_losses.size()) != num_epochs) {
    run.consistent = false;
    return run;
  }
  const int every = std::max(1, num_epochs / 100);
  for (int e = 1; e <= num_epochs; ++e) {
    if (e % every != 0 && e != num_epochs) continue;
    dl::RandomState short_rng(seed);
    const TrainResult r = graded::train_weight_decay(
        train.X, train.y, lambd, lr, e, batch_size, short_rng);
    run.test_epochs.push_back(e);
    run.test_losses.push_back(model_selection::squared_loss(
        model_selection::linreg(test.X, r.params.w, r.params.b), test.y));
    if (r.epoch_losses.empty() ||
        std::abs(r.epoch_losses.back() - run.result.epoch_losses[e - 1]) >
            1e-9 * (1 + std::abs(r.epoch_losses.back()))) {
      run.consistent = false;
    }
    progress.Update(e);
  }
  return run;
}

int show_weight_decay(int seed, double lambd, int num_epochs,
                      const std::string& out_dir) {
  std::printf(
      "\n4. Weight decay on d2l's high-dimensional linear regression\n"
      "   y = 0.01 Σ x_j + 0.05 + ε, ε ~ N(0, 0.01²); 200 features, 20 "
      "training and 100 test examples (seed %d)\n"
      "   train_weight_decay: minibatch SGD, lr 0.003, batches of 5, %d "
      "epochs, w from randn(200, 1) (training seed %d)\n",
      seed, num_epochs, seed + 1);
  dl::RandomState data_rng(static_cast<uint32_t>(seed));
  const Data train = model_selection::make_weight_decay_data(200, 20, data_rng);
  const Data test = model_selection::make_weight_decay_data(200, 100, data_rng);

  std::vector<double> lambdas = {0.0, lambd};
  std::vector<DecayRun> runs;
  for (double l : lambdas) {
    dl::Progress progress("λ = " + dl::repr(l), num_epochs);
    runs.push_back(run_decay(train, test, l, num_epochs,
                             static_cast<uint32_t>(seed + 1), progress));
    if (!dl::StubsCalled().empty()) {
      return dl::Fail(dl::NotImplementedMessage(kUnit));
    }
    if (!runs.back().consistent) {
      return dl::Fail(
          "train_weight_decay(λ = " + dl::repr(l) + ") returned " +
          std::to_string(runs.back().result.epoch_losses.size()) +
          " epoch losses for " + std::to_string(num_epochs) +
          " epochs, or a shorter run from the same seed did not repeat its "
          "first epochs. Draw w = rng.randn(n_x, 1) first, then one "
          "data_iter per epoch, and record one loss per epoch.\n(bazel test "
          "//" +
          std::string(kUnit) + "/... points at the function)");
    }
  }
  std::printf(
      "\n         λ   train loss    test loss                  ‖w‖  "
      "λ·l2_penalty(w)\n");
  for (size_t i = 0; i < runs.size(); ++i) {
    const Parameters& p = runs[i].result.params;
    std::printf("  %8s %12s %12s %20s %16s\n", dl::repr(lambdas[i]).c_str(),
                loss(runs[i].result.epoch_losses.back()).c_str(),
                loss(runs[i].test_losses.back()).c_str(),
                dl::repr(p.w.norm()).c_str(),
                loss(lambdas[i] * graded::l2_penalty(p.w)).c_str());
  }
  if (lambd == 3 && num_epochs == 100) {
    std::printf(
        "  (d2l, with its own random draws, prints an L2 norm of w of about "
        "13-14 without decay and about 0.37 with λ = 3)\n");
  }
  const double ratio = runs[0].test_losses.back() / runs[1].test_losses.back();
  std::printf("  λ = %s divides the test loss by %.3g", dl::repr(lambd).c_str(),
              ratio);
  if (ratio > 10) {
    std::printf(
        ": without decay the 200 weights fit the 20 examples' noise, with it "
        "they stay small");
  }
  std::printf(".\n");

  dl::LinePlot plot;
  plot.title = "Weight decay: 200 features, 20 training examples";
  plot.x_label = "epochs";
  plot.y_label = "squared loss (log scale)";
  plot.log_y = true;
  for (size_t i = 0; i < runs.size(); ++i) {
    dl::Series tr, te;
    tr.label = "train, λ = " + dl::repr(lambdas[i]);
    te.label = "test, λ = " + dl::repr(lambdas[i]);
    for (int e = 0; e < num_epochs; ++e) {
      tr.x.push_back(e + 1);
      tr.y.push_back(runs[i].result.epoch_losses[e]);
    }
    for (size_t j = 0; j < runs[i].test_epochs.size(); ++j) {
      te.x.push_back(runs[i].test_epochs[j]);
      te.y.push_back(runs[i].test_losses[j]);
    }
    plot.series.push_back(std::move(tr));
    plot.series.push_back(std::move(te));
  }
  const std::string path = out_dir + "/weight_decay.svg";
  const absl::Status written = dl::WriteLinePlotSvg(path, plot);
  if (!written.ok()) return dl::Fail(written);
  std::printf("\n  wrote %s\n", path.c_str());
  return 0;
}

// ----------------------------------------------------- 5. bias / variance

void show_diagnoses() {
  std::printf(
      "\n5. Bias and variance (diagnose, tolerance 2 %%): the lecture's "
      "cases\n");
  struct Case {
    double train, dev, bayes;
    const char* lecture;
  };
  const std::vector<Case> cases = {
      {0.01, 0.11, 0.0, "high variance"},
      {0.15, 0.16, 0.0, "high bias"},
      {0.15, 0.30, 0.0, "high bias and high variance"},
      {0.005, 0.01, 0.0, "low bias and low variance"},
      {0.15, 0.16, 0.15, "fine: blurry pictures, Bayes error 15 %"},
  };
  std::printf("  %8s %8s %8s   %-28s %s\n", "train", "dev", "Bayes", "diagnose",
              "the lecture");
  for (const Case& c : cases) {
    const Diagnosis d = graded::diagnose(c.train, c.dev, c.bayes, 0.02);
    std::printf("  %8s %8s %8s   %-28s %s\n", percent(c.train).c_str(),
                percent(c.dev).c_str(), percent(c.bayes).c_str(),
                model_selection::diagnosis_words(d).c_str(), c.lecture);
  }
}

int run() {
  const int seed = absl::GetFlag(FLAGS_seed);
  const int few = dl::FlagInRange(FLAGS_few, 2, 100);
  const int k = dl::FlagInRange(FLAGS_k, 2, 50);
  const double lambd = dl::PositiveFlag(FLAGS_lambd);
  const int num_epochs = dl::FlagInRange(FLAGS_num_epochs, 1, 1000);
  if (seed < 0) return dl::Fail("--seed must be >= 0");
  if (!probe_stubs().empty()) return dl::Fail(dl::NotImplementedMessage(kUnit));
  absl::StatusOr<std::string> dir = dl::OutputDir("model_selection");
  if (!dir.ok()) return dl::Fail(dir.status());

  std::printf(
      "Model selection, underfitting, overfitting, weight decay (%s)\n\n",
      dl::SolutionFile());
  show_splits();
  show_folds(k);
  if (int rc = show_polynomials(seed, few, k, *dir); rc != 0) return rc;
  if (int rc = show_weight_decay(seed, lambd, num_epochs, *dir); rc != 0) {
    return rc;
  }
  show_diagnoses();
  return 0;
}

}  // namespace

constexpr char kUsage[] =
    "Train/dev/test splits, k-fold cross-validation, polynomial under- and "
    "overfitting, weight decay and the bias/variance diagnosis.";

int main(int argc, char** argv) {
  if (!dl::StartProgram(argc, argv, kUsage)) return 2;
  int rc;
  try {
    rc = run();
  } catch (const std::exception& e) {
    return dl::Fail(std::string("a function threw: ") + e.what() +
                    "\n  Run the grader to find which: bazel test //" + kUnit +
                    "/...");
  }
  if (rc == 0) {
    std::printf("\nDone in %.1f s.\n", dl::SecondsSinceStart());
  }
  return rc;
}
