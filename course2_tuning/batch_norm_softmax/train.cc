// bazel run //course2_tuning/batch_norm_softmax:train [-- --num_epochs=40
//     --learning_rate=0.001 --minibatch_size=32 --model=both]
//
// The course's application (C2W3, "Introduction to TensorFlow"), without
// TensorFlow: the 3-layer SIGNS classifier
//
//   X (12288) ─ LINEAR ─ [BATCHNORM] ─ RELU ─ LINEAR ─ [BATCHNORM] ─ RELU
//             ─ LINEAR ─ SOFTMAX (6 classes)       sizes 25, 12, 6
//
// trained with Adam on minibatches, once without batch norm (the course's
// model) and once with batch norm before each hidden ReLU (then the hidden
// layers have no bias b: beta replaces it). The data is the generated SIGNS
// stand-in (data/signs, written on first use: 1080 train / 120 test hand
// signs 0..5); --data_dir=DIR trains on your own DIR/train/<class>/ and
// DIR/test/<class>/ pictures (resized to 64x64; the classes are the folder
// names, sorted).
//
// Given code (not graded): the network, the backward pass through the
// linear layers, minibatches and Adam below. YOUR functions do the rest:
// normalize_inputs, one_hot, softmax_cross_entropy_backward,
// compute_total_loss, batchnorm_forward, batchnorm_backward (and softmax for
// the predictions). With --config=reference it runs the reference solution.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/core/random.h"
#include "common/data/image.h"
#include "common/data/signs_images.h"
#include "common/grading/not_implemented.h"
#include "common/nn/activations.h"
#include "common/viz/app.h"
#include "common/viz/plot.h"
#include "common/viz/progress.h"
#include "course2_tuning/batch_norm_softmax/batch_norm_softmax.h"
#include "course2_tuning/batch_norm_softmax/graded.h"  // see tools/unit.bzl
#include "tools/solution.h"

ABSL_FLAG(std::string, data_dir, "",
          "Folder with train/<class>/ and test/<class>/ images (default: the "
          "generated SIGNS set in data/signs, written on first use)");
ABSL_FLAG(int, num_epochs, 40, "Epochs (passes over the training set), > 0");
ABSL_FLAG(double, learning_rate, 0.001, "Adam's learning rate (> 0)");
ABSL_FLAG(int, minibatch_size, 32, "Examples per minibatch (> 0)");
ABSL_FLAG(std::string, model, "both",
          "Which model: plain (no batch norm), batch_norm, or both");
ABSL_FLAG(int, print_every, 5, "Print the cost every N epochs (> 0)");
ABSL_FLAG(int, seed, 1, "Seed of the initialization and the minibatches");

namespace {

using batch_norm_softmax::BatchNormCache;
using batch_norm_softmax::BatchNormState;
using dl::Matrix;
using Parameters = std::map<std::string, Matrix>;

constexpr char kUnit[] = "course2_tuning/batch_norm_softmax";

// ------------------------------------------------------------ the network

// Layer l = 1, 2 (hidden) and 3 (softmax). With batch norm, the hidden
// layers have gamma_l, beta_l instead of b_l.
struct Network {
  bool batch_norm = false;
  std::vector<int> dims;                 // {n_x, 25, 12, C}
  Parameters params;                     // "W1", "b1" or "gamma1", "beta1"...
  std::vector<BatchNormState> bn_state;  // one per hidden layer
};

std::string key(const char* name, int l) { return name + std::to_string(l); }

// The course's initialization: Glorot (Xavier) normal, here
// randn * sqrt(2 / (fan_in + fan_out)) from dl::RandomState(seed); biases
// and beta 0, gamma 1.
Network initialize_network(const std::vector<int>& dims, bool batch_norm,
                           uint32_t seed) {
  Network net;
  net.batch_norm = batch_norm;
  net.dims = dims;
  dl::RandomState rng(seed);
  for (int l = 1; l <= 3; ++l) {
    const int n = dims[l], n_prev = dims[l - 1];
    net.params[key("W", l)] =
        rng.randn(n, n_prev) * std::sqrt(2.0 / (n + n_prev));
    if (batch_norm && l < 3) {
      net.params[key("gamma", l)] = Matrix::Ones(n, 1);
      net.params[key("beta", l)] = Matrix::Zero(n, 1);
      net.bn_state.push_back(batch_norm_softmax::initialize_batchnorm_state(n));
    } else {
      net.params[key("b", l)] = Matrix::Zero(n, 1);
    }
  }
  return net;
}

struct ForwardPass {
  std::vector<Matrix> A;           // A[0] = X, A[1], A[2]: relu outputs
  std::vector<Matrix> relu_in;     // the hidden layers' relu inputs
  std::vector<BatchNormCache> bn;  // with batch norm
  Matrix Z3;                       // (C, m) logits
};

ForwardPass forward(Network& net, const Matrix& X, bool training) {
  ForwardPass pass;
  pass.A.push_back(X);
  for (int l = 1; l <= 2; ++l) {
    Matrix Z = net.params.at(key("W", l)) * pass.A.back();
    if (net.batch_norm) {
      batch_norm_softmax::BatchNormForward f = graded::batchnorm_forward(
          Z, net.params.at(key("gamma", l)), net.params.at(key("beta", l)),
          net.bn_state[l - 1], training);
      pass.bn.push_back(std::move(f.cache));
      Z = std::move(f.Z_tilde);
    } else {
      Z.colwise() += net.params.at(key("b", l)).col(0);
    }
    pass.A.push_back(dl::relu(Z));
    pass.relu_in.push_back(std::move(Z));
  }
  pass.Z3 = net.params.at("W3") * pass.A.back();
  pass.Z3.colwise() += net.params.at("b3").col(0);
  return pass;
}

// The gradients of the mean cost, by the parameters' keys with a "d".
Parameters backward(const Network& net, const ForwardPass& pass,
                    const Matrix& Y) {
  Parameters grads;
  // Your dZ3 = (softmax(Z3) - Y) / m: the 1/m is in it, so no 1/m below.
  Matrix dZ = graded::softmax_cross_entropy_backward(pass.Z3, Y);
  for (int l = 3; l >= 1; --l) {
    if (l < 3) {
      // dA came from the layer above; through the relu, then batch norm.
      Matrix d = dl::relu_backward(dZ, pass.relu_in[l - 1]);
      if (net.batch_norm) {
        batch_norm_softmax::BatchNormGrads g =
            graded::batchnorm_backward(d, pass.bn[l - 1]);
        grads[key("dgamma", l)] = std::move(g.dgamma);
        grads[key("dbeta", l)] = std::move(g.dbeta);
        d = std::move(g.dZ);
      } else {
        grads[key("db", l)] = d.rowwise().sum();
      }
      dZ = std::move(d);
    } else {
      grads["db3"] = dZ.rowwise().sum();
    }
    grads[key("dW", l)] = dZ * pass.A[l - 1].transpose();
    // dA[l-1] = W[l]ᵀ dZ[l] (not needed for the input layer).
    if (l > 1) dZ = net.params.at(key("W", l)).transpose() * dZ;
  }
  return grads;
}

// The class of each column: the row of its largest logit (softmax keeps the
// order, so the logits suffice).
std::vector<int> predict(Network& net, const Matrix& X) {
  const Matrix Z3 = forward(net, X, /*training=*/false).Z3;
  std::vector<int> classes(Z3.cols());
  for (Eigen::Index i = 0; i < Z3.cols(); ++i) {
    Z3.col(i).maxCoeff(&classes[i]);
  }
  return classes;
}

double accuracy(const std::vector<int>& predicted, const std::vector<int>& y) {
  int right = 0;
  for (size_t i = 0; i < y.size(); ++i) right += predicted[i] == y[i];
  return y.empty() ? 0.0 : static_cast<double>(right) / y.size();
}

// ------------------------------------------------------------------- Adam

// The course's Adam (C2W2): v, s start at 0; t counts the steps from 1.
struct Adam {
  double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
  Parameters v, s;
  int t = 0;

  void update(Parameters& params, const Parameters& grads, double lr) {
    ++t;
    const double c1 = 1 - std::pow(beta1, t), c2 = 1 - std::pow(beta2, t);
    for (auto& [name, p] : params) {
      const Matrix& g = grads.at("d" + name);
      Matrix& v_p = v[name];
      Matrix& s_p = s[name];
      if (v_p.size() == 0) {
        v_p = Matrix::Zero(p.rows(), p.cols());
        s_p = Matrix::Zero(p.rows(), p.cols());
      }
      v_p = beta1 * v_p + (1 - beta1) * g;
      s_p = beta2 * s_p + (1 - beta2) * g.cwiseProduct(g);
      p.array() -=
          lr * (v_p.array() / c1) / ((s_p.array() / c2).sqrt() + epsilon);
    }
  }
};

// ------------------------------------------------------------- training

struct Data {
  Matrix X;            // (n_x, m), normalized
  Matrix Y;            // (C, m), one-hot
  std::vector<int> y;  // the labels
};

struct RunResult {
  std::vector<double> costs;          // per epoch
  std::vector<double> test_accuracy;  // per epoch
  double train_accuracy = 0, final_test_accuracy = 0, seconds = 0;
};

RunResult train(Network& net, const Data& train_set, const Data& test_set,
                int num_epochs, double lr, int minibatch_size, uint32_t seed,
                const std::string& label) {
  RunResult result;
  const auto start = std::chrono::steady_clock::now();
  dl::RandomState rng(seed);
  Adam adam;
  const int m = static_cast<int>(train_set.X.cols());
  const int batches = (m + minibatch_size - 1) / minibatch_size;
  dl::Progress progress(label, int64_t{num_epochs} * batches);
  int64_t step = 0;
  for (int epoch = 0; epoch < num_epochs; ++epoch) {
    // The course's random_mini_batches: a permutation, then slices.
    const std::vector<int64_t> order = rng.permutation(m);
    double total = 0;
    for (int first = 0; first < m; first += minibatch_size) {
      const int size = std::min(minibatch_size, m - first);
      const std::vector<int64_t> idx(order.begin() + first,
                                     order.begin() + first + size);
      const Matrix X = train_set.X(Eigen::all, idx);
      const Matrix Y = train_set.Y(Eigen::all, idx);
      const ForwardPass pass = forward(net, X, /*training=*/true);
      total += graded::compute_total_loss(pass.Z3, Y);
      adam.update(net.params, backward(net, pass, Y), lr);
      char status[64];
      std::snprintf(status, sizeof status, "epoch %d/%d", epoch + 1,
                    num_epochs);
      progress.Update(++step, status);
    }
    result.costs.push_back(total / m);  // the course's epoch cost
    result.test_accuracy.push_back(
        accuracy(predict(net, test_set.X), test_set.y));
  }
  progress.Finish();
  result.train_accuracy = accuracy(predict(net, train_set.X), train_set.y);
  result.final_test_accuracy = result.test_accuracy.back();
  result.seconds = dl::SecondsSince(start);
  return result;
}

// Calls every graded function once on small inputs; returns the stubs.
std::string probe_stubs() {
  dl::clear_not_implemented();
  const Matrix Z = dl::matrix({{1, 2, 3}, {0, -1, 2}});
  const Matrix Y = dl::matrix({{1, 0, 1}, {0, 1, 0}});
  BatchNormState state = batch_norm_softmax::initialize_batchnorm_state(2);
  graded::normalize_inputs(Z);
  graded::one_hot(dl::matrix({{0, 1, 0}}), 2);
  graded::softmax(Z);
  graded::softmax_cross_entropy(Z, Y);
  graded::compute_total_loss(Z, Y);
  graded::softmax_cross_entropy_backward(Z, Y);
  const auto f = graded::batchnorm_forward(Z, Matrix::Ones(2, 1),
                                           Matrix::Zero(2, 1), state, true);
  graded::batchnorm_backward(Y, f.cache);
  return dl::StubsCalled();
}

std::vector<int> labels_of(const dl::ImageDataset& d) { return d.labels; }

std::string percent(double a) {
  char s[16];
  std::snprintf(s, sizeof s, "%.1f %%", 100 * a);
  return s;
}

}  // namespace

constexpr char kUsage[] =
    "Trains the course's 3-layer SIGNS classifier with and without batch norm.";

int main(int argc, char** argv) {
  if (!dl::StartProgram(argc, argv, kUsage)) return 2;
  const int num_epochs = dl::PositiveFlag(FLAGS_num_epochs);
  const double lr = dl::PositiveFlag(FLAGS_learning_rate);
  const int minibatch_size = dl::PositiveFlag(FLAGS_minibatch_size);
  const std::string model = absl::GetFlag(FLAGS_model);
  const int print_every = dl::PositiveFlag(FLAGS_print_every);
  const int seed = absl::GetFlag(FLAGS_seed);
  if (seed < 0) return dl::Fail("--seed must be >= 0");
  if (model != "plain" && model != "batch_norm" && model != "both") {
    return dl::Fail("--model must be plain, batch_norm or both, not '" + model +
                    "'");
  }
  // A wrong --data_dir is reported before anything else.
  if (const std::string dir = absl::GetFlag(FLAGS_data_dir);
      !dir.empty() && !std::filesystem::is_directory(dir)) {
    return dl::Fail("--data_dir: " + dir + " is not a folder");
  }
  try {
    if (!probe_stubs().empty())
      return dl::Fail(dl::NotImplementedMessage(kUnit));
  } catch (const std::exception& e) {
    return dl::Fail(std::string("your functions failed on a small example: ") +
                    e.what() + "\n(bazel test //" + kUnit +
                    "/... points at the function)");
  }

  // The data: pixels / 255, then your normalize_inputs with the TRAINING
  // set's mu and sigma2 for both sets; labels one-hot.
  absl::StatusOr<dl::SignsSplits> signs =
      dl::ReadSignsSplits(absl::GetFlag(FLAGS_data_dir));
  if (!signs.ok()) return dl::Fail(signs.status());
  const dl::ImageDataset& train_images = signs->train;
  const int C = static_cast<int>(train_images.class_names.size());

  Data train_set, test_set;
  const batch_norm_softmax::NormalizedInputs norm =
      graded::normalize_inputs(dl::ImagesToColumns(train_images));
  train_set.X = norm.X_norm;
  const Eigen::ArrayXd inv_std = (norm.sigma2.array() + 1e-8).rsqrt();
  test_set.X = ((dl::ImagesToColumns(signs->test).colwise() - norm.mu.col(0))
                    .array()
                    .colwise() *
                inv_std)
                   .matrix();
  train_set.y = labels_of(train_images);
  test_set.y = labels_of(signs->test);
  train_set.Y = graded::one_hot(dl::LabelsToRow(train_images), C);
  test_set.Y = graded::one_hot(dl::LabelsToRow(signs->test), C);
  if (train_set.X.rows() != 64 * 64 * 3 ||
      train_set.X.cols() != train_images.size() || train_set.Y.rows() != C ||
      train_set.Y.cols() != train_images.size()) {
    return dl::Fail("normalize_inputs / one_hot returned X_norm " +
                    dl::shape_string(train_set.X) + " and Y " +
                    dl::shape_string(train_set.Y) +
                    ", expected (12288, m) "
                    "and (C, m)");
  }
  std::printf("Data: %s\n  train X %s, Y %s; test X %s, Y %s; %d classes\n",
              signs->dir.c_str(), dl::shape_string(train_set.X).c_str(),
              dl::shape_string(train_set.Y).c_str(),
              dl::shape_string(test_set.X).c_str(),
              dl::shape_string(test_set.Y).c_str(), C);
  std::printf(
      "Training with %s: layers (12288, 25, 12, %d), Adam, learning rate "
      "%g, %d epochs, minibatch %d\n",
      dl::SolutionFile(), C, lr, num_epochs, minibatch_size);

  absl::StatusOr<std::string> out = dl::OutputDir("batch_norm_softmax");
  if (!out.ok()) return dl::Fail(out.status());
  dl::LinePlot cost_plot{
      "Cost per epoch (learning rate " + std::to_string(lr).substr(0, 6) + ")",
      "epoch",
      "cost",
      {}};
  dl::LinePlot acc_plot{"Test accuracy per epoch", "epoch", "accuracy", {}};
  struct Row {
    std::string name;
    RunResult r;
  };
  std::vector<Row> rows;
  for (bool bn : {false, true}) {
    if ((bn && model == "plain") || (!bn && model == "batch_norm")) continue;
    const std::string name = bn ? "batch norm" : "plain";
    std::printf("\n%s model\n", bn ? "Batch-norm" : "Plain (no batch norm)");
    Network net = initialize_network({64 * 64 * 3, 25, 12, C}, bn,
                                     static_cast<uint32_t>(seed));
    RunResult r;
    try {
      r = train(net, train_set, test_set, num_epochs, lr, minibatch_size,
                static_cast<uint32_t>(seed), name);
    } catch (const std::exception& e) {
      return dl::Fail(
          "training failed inside your functions: " + std::string(e.what()) +
          "\n(bazel test //" + kUnit + "/... points at the function)");
    }
    for (int e = 0; e < num_epochs; ++e) {
      if (e % print_every == 0 || e == num_epochs - 1) {
        std::printf("  Cost after epoch %d: %f   test accuracy %s\n", e,
                    r.costs[e], percent(r.test_accuracy[e]).c_str());
      }
    }
    if (!std::isfinite(r.costs.back())) {
      std::printf(
          "warning: the cost is %f: is --learning_rate too large, or is "
          "log(0) in compute_total_loss?\n",
          r.costs.back());
    }
    dl::Series cost{name, {}, r.costs};
    dl::Series acc{name, {}, r.test_accuracy};
    for (int e = 0; e < num_epochs; ++e) {
      cost.x.push_back(e + 1);
      acc.x.push_back(e + 1);
    }
    cost_plot.series.push_back(cost);
    acc_plot.series.push_back(acc);
    rows.push_back({name, r});
  }

  std::printf("\n%-12s %10s %10s %10s %8s\n", "model", "last cost", "train acc",
              "test acc", "time");
  for (const Row& row : rows) {
    std::printf("%-12s %10.4f %10s %10s %6.1f s\n", row.name.c_str(),
                row.r.costs.back(), percent(row.r.train_accuracy).c_str(),
                percent(row.r.final_test_accuracy).c_str(), row.r.seconds);
  }
  std::printf(
      "(The course, TensorFlow on the real SIGNS pictures, plain model, "
      "learning rate 0.0001:\n after 100 epochs cost 0.744, train 75 %%, "
      "test 69 %%; it trains for 1500.)\n");

  const std::string cost_path = *out + "/cost.svg";
  const std::string acc_path = *out + "/test_accuracy.svg";
  absl::Status s = dl::WriteLinePlotSvg(cost_path, cost_plot);
  if (!s.ok()) return dl::Fail(s);
  s = dl::WriteLinePlotSvg(acc_path, acc_plot);
  if (!s.ok()) return dl::Fail(s);
  std::printf("\nCost curves: %s\nTest accuracy: %s\n", cost_path.c_str(),
              acc_path.c_str());
  std::printf("Done in %.1f s.\n", dl::SecondsSinceStart());
  return 0;
}
