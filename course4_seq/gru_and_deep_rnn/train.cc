// bazel run //course4_seq/gru_and_deep_rnn:train [-- --T_x=20]
//
// A task that needs memory: "remember the marked symbol". At every step the
// input is one of 4 symbols (A, B, C, D, at random), and at exactly one step
// in the first half of the sequence a marker flag is on too. At the LAST step
// the network must say which symbol was marked: it has to store it when the
// marker comes, then keep it for at least T_x / 2 steps while new symbols
// keep arriving. Chance is 25 %.
//
// Two models with the same size and the same training, both backpropagated
// by hand through time (the loss is the cross-entropy of the last step's
// prediction):
//   - a GRU: YOUR gru_forward / gru_backward (exercise.cc; with
//     --config=reference, the reference solution);
//   - the basic RNN of rnn_step_by_step (its reference solution).
// Adam, fresh mini-batches of 64 every iteration, gradients clipped to
// [-5, 5] as in the course's clip(). Prints the loss and the accuracy on
// 500 held-out sequences every few hundred iterations, what the GRU's update
// gate Γu does at the marked step and elsewhere, and writes the curves to
// output/gru_and_deep_rnn/.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <utility>
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
#include "course4_seq/gru_and_deep_rnn/graded.h"  // see tools/unit.bzl
#include "course4_seq/gru_and_deep_rnn/gru_and_deep_rnn.h"
#include "course4_seq/rnn_step_by_step/rnn_step_by_step.h"
#include "tools/solution.h"

ABSL_FLAG(int, T_x, 20,
          "Sequence length (>= 2); the marker is in the first T_x / 2 steps");
ABSL_FLAG(int, num_iterations, 1500, "Training iterations per model (> 0)");
ABSL_FLAG(int, n_a, 16, "Hidden units of both models (>= 1)");
ABSL_FLAG(double, learning_rate, 0.01, "Adam's learning rate (> 0)");
ABSL_FLAG(double, update_bias, -2.0,
          "The GRU's initial bu: negative starts with Γu small, i.e. keeping "
          "a_prev");
ABSL_FLAG(bool, rnn, true, "Also train the basic RNN, for comparison");
ABSL_FLAG(int, seed, 1, "Seed of the data and of the initial weights");

namespace {

using dl::Matrix;
using gru_and_deep_rnn::GruParameters;
using gru_and_deep_rnn::Tensor3;
using rnn_step_by_step::RnnParameters;

constexpr int kSymbols = 4;        // A B C D, one of them at every step
constexpr int kMarker = kSymbols;  // the input row of the marker flag
constexpr int kNx = kSymbols + 1;
constexpr int kBatch = 64;
constexpr int kTestSize = 500;
constexpr int kEvalEvery = 25;    // test loss and accuracy for the curves
constexpr int kPrintEvery = 300;  // ... and on the screen
constexpr double kClip = 5.0;

// A batch of the task: x (kNx, m, T_x), one-hot symbols plus the marker
// row, and what to answer.
struct Batch {
  Tensor3 x;
  std::vector<int> marked;  // the marked step of each column
  std::vector<int> label;   // the marked symbol, 0 .. kSymbols-1
};

Batch make_batch(dl::RandomState& rng, int m, int T_x) {
  Batch b;
  b.x = rnn_step_by_step::zeros(kNx, m, T_x);
  for (int j = 0; j < m; ++j) {
    const int marked = static_cast<int>(rng.randint(0, T_x / 2));
    b.marked.push_back(marked);
    b.label.push_back(0);
    for (int t = 0; t < T_x; ++t) {
      const int s = static_cast<int>(rng.randint(0, kSymbols));
      b.x(s, j, t) = 1;
      if (t == marked) {
        b.x(kMarker, j, t) = 1;
        b.label.back() = s;
      }
    }
  }
  return b;
}

// The loss and accuracy of the last step's predictions y_last (kSymbols, m),
// and dz = ∂J/∂(Wy a + by) for J = the mean cross-entropy.
struct Head {
  double loss = 0;
  double accuracy = 0;
  Matrix dz;  // (kSymbols, m)
};

Head last_step_head(const Matrix& y_last, const std::vector<int>& label) {
  const int m = static_cast<int>(label.size());
  Head h;
  h.dz = y_last;
  int correct = 0;
  for (int j = 0; j < m; ++j) {
    h.loss -= std::log(std::max(y_last(label[j], j), 1e-300));
    h.dz(label[j], j) -= 1;
    Eigen::Index best = 0;
    y_last.col(j).maxCoeff(&best);
    correct += best == label[j];
  }
  h.loss /= m;
  h.accuracy = static_cast<double>(correct) / m;
  h.dz /= m;
  return h;
}

// Adam over a fixed list of parameter matrices.
class Adam {
 public:
  Adam(std::vector<Matrix*> parameters, double learning_rate)
      : parameters_(std::move(parameters)), learning_rate_(learning_rate) {
    for (Matrix* p : parameters_) {
      v_.push_back(Matrix::Zero(p->rows(), p->cols()));
      s_.push_back(Matrix::Zero(p->rows(), p->cols()));
    }
  }
  // grads[k] is the gradient of *parameters[k]; clipped to [-kClip, kClip].
  void step(const std::vector<Matrix>& grads) {
    const double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
    ++t_;
    for (size_t k = 0; k < parameters_.size(); ++k) {
      const Matrix g = grads[k].cwiseMax(-kClip).cwiseMin(kClip);
      v_[k] = beta1 * v_[k] + (1 - beta1) * g;
      s_[k] = beta2 * s_[k] + (1 - beta2) * g.cwiseProduct(g);
      const Matrix v_hat = v_[k] / (1 - std::pow(beta1, t_));
      const Matrix s_hat = s_[k] / (1 - std::pow(beta2, t_));
      parameters_[k]->array() -=
          learning_rate_ * v_hat.array() / (s_hat.array().sqrt() + epsilon);
    }
  }

 private:
  std::vector<Matrix*> parameters_;
  double learning_rate_;
  std::vector<Matrix> v_, s_;
  int t_ = 0;
};

// One model behind a common face: the last step's prediction, and one
// training step.
class Model {
 public:
  virtual ~Model() = default;
  // The predictions at the last step, (kSymbols, m).
  virtual Matrix predict_last(const Tensor3& x) = 0;
  // Forward, backward through time, Adam; returns the batch's head.
  virtual Head train_step(const Batch& batch) = 0;
};

Matrix glorot(dl::RandomState& rng, int rows, int cols) {
  return rng.randn(rows, cols) / std::sqrt(static_cast<double>(cols));
}

class GruModel : public Model {
 public:
  GruModel(dl::RandomState& rng, int n_a, double learning_rate,
           double update_bias)
      : n_a_(n_a),
        p_{glorot(rng, n_a, n_a + kNx), Matrix::Zero(n_a, 1),
           glorot(rng, n_a, n_a + kNx), Matrix::Constant(n_a, 1, update_bias),
           glorot(rng, n_a, n_a + kNx), Matrix::Zero(n_a, 1),
           glorot(rng, kSymbols, n_a),  Matrix::Zero(kSymbols, 1)},
        adam_({&p_.Wr, &p_.br, &p_.Wu, &p_.bu, &p_.Wc, &p_.bc, &p_.Wy, &p_.by},
              learning_rate) {}

  gru_and_deep_rnn::GruForwardOutput forward(const Tensor3& x) {
    return graded::gru_forward(x, Matrix::Zero(n_a_, x.dimension(1)), p_);
  }

  Matrix predict_last(const Tensor3& x) override {
    const auto out = forward(x);
    if (out.y.size() == 0) return Matrix();  // a stub
    return gru_and_deep_rnn::time_step(out.y, x.dimension(2) - 1);
  }

  Head train_step(const Batch& batch) override {
    const Eigen::Index m = batch.x.dimension(1), T_x = batch.x.dimension(2);
    const auto out = forward(batch.x);
    if (!dl::not_implemented_calls().empty()) return Head();
    Head h = last_step_head(gru_and_deep_rnn::time_step(out.y, T_x - 1),
                            batch.label);
    // The prediction reads a<T_x-1> only: da is zero except at the end.
    const Matrix a_last = gru_and_deep_rnn::time_step(out.a, T_x - 1);
    Tensor3 da = gru_and_deep_rnn::zeros(n_a_, m, T_x);
    gru_and_deep_rnn::set_time_step(da, T_x - 1, p_.Wy.transpose() * h.dz);
    const auto g = graded::gru_backward(da, out.caches);
    if (!dl::not_implemented_calls().empty()) return Head();
    adam_.step({g.dWr, g.dbr, g.dWu, g.dbu, g.dWc, g.dbc,
                h.dz * a_last.transpose(), h.dz.rowwise().sum()});
    return h;
  }

 private:
  int n_a_;
  GruParameters p_;
  Adam adam_;
};

class RnnModel : public Model {
 public:
  RnnModel(dl::RandomState& rng, int n_a, double learning_rate)
      : n_a_(n_a),
        p_{glorot(rng, n_a, kNx), glorot(rng, n_a, n_a),
           glorot(rng, kSymbols, n_a), Matrix::Zero(n_a, 1),
           Matrix::Zero(kSymbols, 1)},
        adam_({&p_.Wax, &p_.Waa, &p_.Wya, &p_.ba, &p_.by}, learning_rate) {}

  rnn_step_by_step::RnnForwardOutput forward(const Tensor3& x) {
    return rnn_step_by_step::reference::rnn_forward(
        x, Matrix::Zero(n_a_, x.dimension(1)), p_);
  }

  Matrix predict_last(const Tensor3& x) override {
    return rnn_step_by_step::time_step(forward(x).y_pred, x.dimension(2) - 1);
  }

  Head train_step(const Batch& batch) override {
    const Eigen::Index m = batch.x.dimension(1), T_x = batch.x.dimension(2);
    const auto out = forward(batch.x);
    Head h = last_step_head(rnn_step_by_step::time_step(out.y_pred, T_x - 1),
                            batch.label);
    const Matrix a_last = rnn_step_by_step::time_step(out.a, T_x - 1);
    Tensor3 da = rnn_step_by_step::zeros(n_a_, m, T_x);
    rnn_step_by_step::set_time_step(da, T_x - 1, p_.Wya.transpose() * h.dz);
    const auto g = rnn_step_by_step::reference::rnn_backward(da, out.caches);
    adam_.step({g.dWax, g.dWaa, h.dz * a_last.transpose(), g.dba,
                h.dz.rowwise().sum()});
    return h;
  }

 private:
  int n_a_;
  RnnParameters p_;
  Adam adam_;
};

struct Curve {
  std::vector<double> iterations, loss, accuracy;  // on the test set
};

// Trains `model`; records the test loss and accuracy every kEvalEvery
// iterations (and after the last). Empty when a stub was hit.
Curve train(Model& model, const std::string& label, const Batch& test,
            int num_iterations, int T_x, uint32_t seed) {
  Curve curve;
  dl::RandomState rng(seed);
  dl::Progress progress(label, num_iterations);
  for (int i = 0; i <= num_iterations; ++i) {
    if (i % kEvalEvery == 0 || i == num_iterations) {
      const Matrix y_last = model.predict_last(test.x);
      if (!dl::not_implemented_calls().empty()) return Curve();
      const Head h = last_step_head(y_last, test.label);
      curve.iterations.push_back(i);
      curve.loss.push_back(h.loss);
      curve.accuracy.push_back(h.accuracy);
    }
    if (i == num_iterations) break;
    model.train_step(make_batch(rng, kBatch, T_x));
    if (!dl::not_implemented_calls().empty()) return Curve();
    if ((i + 1) % 50 == 0) progress.Update(i + 1);
  }
  progress.Finish();
  return curve;
}

void print_curve(const std::string& label, const Curve& c) {
  std::printf("%s\n", label.c_str());
  for (size_t k = 0; k < c.iterations.size(); ++k) {
    const int i = static_cast<int>(c.iterations[k]);
    if (i % kPrintEvery != 0 && k + 1 != c.iterations.size()) continue;
    std::printf("  iteration %5d   test loss %.4f   test accuracy %5.1f %%\n",
                i, c.loss[k], 100 * c.accuracy[k]);
  }
}

// The GRU's update gate: the mean of Γu over the units, at the marked step
// and at the other steps of the test sequences.
void print_update_gate(GruModel& gru, const Batch& test) {
  const auto out = gru.forward(test.x);
  double at_marker = 0, elsewhere = 0;
  int n_marker = 0, n_elsewhere = 0;
  for (size_t t = 0; t < out.caches.caches.size(); ++t) {
    const Matrix& ut = out.caches.caches[t].ut;
    for (Eigen::Index j = 0; j < ut.cols(); ++j) {
      if (test.marked[j] == static_cast<int>(t)) {
        at_marker += ut.col(j).mean();
        ++n_marker;
      } else {
        elsewhere += ut.col(j).mean();
        ++n_elsewhere;
      }
    }
  }
  std::printf(
      "\nInside the trained GRU, the update gate Γu (mean over the units):\n"
      "  at the marked step %.2f, at the other steps %.2f\n"
      "  (Γu = 1 writes the candidate, Γu = 0 keeps a_prev.)\n",
      at_marker / std::max(n_marker, 1), elsewhere / std::max(n_elsewhere, 1));
}

absl::Status write_plot(const std::string& path, const std::string& title,
                        const std::string& y_label,
                        const std::vector<std::pair<std::string, Curve>>& runs,
                        bool accuracy) {
  dl::LinePlot plot;
  plot.title = title;
  plot.x_label = "iterations";
  plot.y_label = y_label;
  plot.log_y = !accuracy;  // the GRU's loss falls by orders of magnitude
  for (const auto& [label, c] : runs) {
    dl::Series s;
    s.label = label;
    s.x = c.iterations;
    s.y = accuracy ? c.accuracy : c.loss;
    plot.series.push_back(std::move(s));
  }
  return dl::WriteLinePlotSvg(path, plot);
}

}  // namespace

constexpr char kUsage[] =
    "Trains a GRU (your gru_forward / gru_backward) and a basic RNN to "
    "remember a marked symbol.";

int main(int argc, char** argv) {
  if (!dl::StartProgram(argc, argv, kUsage)) return 2;
  const int T_x = absl::GetFlag(FLAGS_T_x);
  const int num_iterations = dl::PositiveFlag(FLAGS_num_iterations);
  const int n_a = dl::PositiveFlag(FLAGS_n_a);
  const double learning_rate = dl::PositiveFlag(FLAGS_learning_rate);
  const double update_bias = absl::GetFlag(FLAGS_update_bias);
  const int seed = absl::GetFlag(FLAGS_seed);
  if (T_x < 2) return dl::Fail("--T_x must be >= 2");
  if (seed < 0) return dl::Fail("--seed must be >= 0");

  std::printf(
      "Task: remember the marked symbol. Every x<t> is one of A B C D; at one "
      "step\nt < %d a marker is on too; at t = %d say which symbol was marked "
      "(chance: 25 %%).\n",
      T_x / 2, T_x - 1);
  std::printf(
      "x (n_x, m, T_x) = (%d, %d, %d) per batch (4 one-hot rows + the "
      "marker);\nn_a = %d, Adam %g, %d iterations, GRU's initial bu = %g.\n\n",
      kNx, kBatch, T_x, n_a, learning_rate, num_iterations, update_bias);

  const uint32_t s = static_cast<uint32_t>(seed);
  dl::RandomState data_rng(s);
  const Batch test = make_batch(data_rng, kTestSize, T_x);

  std::vector<std::pair<std::string, Curve>> runs;
  dl::RandomState init_rng(s + 1);
  GruModel gru(init_rng, n_a, learning_rate, update_bias);
  {
    dl::clear_not_implemented();
    Curve c;
    std::string error;
    try {
      c = train(gru, "GRU", test, num_iterations, T_x, s + 2);
    } catch (const std::exception& e) {
      error = e.what();
    }
    if (!dl::StubsCalled().empty()) {
      return dl::Fail(
          dl::NotImplementedMessage("course4_seq/gru_and_deep_rnn"));
    }
    if (!error.empty()) {
      return dl::Fail("training the GRU failed: " + error +
                      "\n(bazel test //course4_seq/gru_and_deep_rnn/... "
                      "points at the function)");
    }
    print_curve(std::string("GRU (gru_forward / gru_backward from ") +
                    dl::SolutionFile() + "):",
                c);
    runs.emplace_back("GRU", std::move(c));
  }
  if (absl::GetFlag(FLAGS_rnn)) {
    dl::RandomState rnn_init_rng(s + 1);
    RnnModel rnn(rnn_init_rng, n_a, learning_rate);
    Curve c = train(rnn, "basic RNN", test, num_iterations, T_x, s + 2);
    print_curve("Basic RNN (rnn_step_by_step's reference), same settings:", c);
    runs.emplace_back("basic RNN", std::move(c));
  }

  std::printf("\nFinal test accuracy (%d sequences, T_x = %d):\n", kTestSize,
              T_x);
  for (const auto& [label, c] : runs) {
    std::printf("  %-10s %5.1f %%\n", label.c_str(), 100 * c.accuracy.back());
  }
  print_update_gate(gru, test);

  absl::StatusOr<std::string> dir = dl::OutputDir("gru_and_deep_rnn");
  if (!dir.ok()) return dl::Fail(dir.status());
  const std::string title =
      "Remember the marked symbol, T_x = " + std::to_string(T_x) +
      " (test set)";
  for (const auto& [file, accuracy] : std::vector<std::pair<std::string, bool>>{
           {"loss.svg", false}, {"accuracy.svg", true}}) {
    const std::string path = *dir + "/" + file;
    const absl::Status written =
        write_plot(path, title, accuracy ? "accuracy" : "cross-entropy loss",
                   runs, accuracy);
    dl::ReportWritten(written, path, "\n  ", "");
  }
  std::printf("\n\nDone in %.1f s.\n", dl::SecondsSinceStart());
  return 0;
}
