// The reference solution of course2_tuning/optimization.

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "course2_tuning/optimization/optimization.h"

namespace optimization {
namespace reference {
namespace {

// "dW1", "db1", ..., "dWL", "dbL": zeros of the parameters' shapes (the
// course's v, s).
Moments zeros_like_grads(const Parameters& parameters) {
  Moments zeros;
  const int L = static_cast<int>(parameters.size() / 2);
  for (int l = 1; l <= L; ++l) {
    const std::string n = std::to_string(l);
    const Matrix& W = parameters.at("W" + n);
    const Matrix& b = parameters.at("b" + n);
    zeros["dW" + n] = Matrix::Zero(W.rows(), W.cols());
    zeros["db" + n] = Matrix::Zero(b.rows(), b.cols());
  }
  return zeros;
}

}  // namespace

Parameters update_parameters_with_gd(const Parameters& parameters,
                                     const Grads& grads, double learning_rate) {
  Parameters out = parameters;
  const int L = static_cast<int>(parameters.size() / 2);
  for (int l = 1; l <= L; ++l) {
    const std::string n = std::to_string(l);
    out["W" + n] = parameters.at("W" + n) - learning_rate * grads.at("dW" + n);
    out["b" + n] = parameters.at("b" + n) - learning_rate * grads.at("db" + n);
  }
  return out;
}

std::vector<MiniBatch> random_mini_batches(const Matrix& X, const Matrix& Y,
                                           int mini_batch_size, int seed) {
  dl::RandomState rng(static_cast<uint32_t>(seed));  // np.random.seed(seed)
  const int64_t m = X.cols();
  std::vector<MiniBatch> mini_batches;
  // Step 1: shuffle the columns of X and Y the same way.
  const std::vector<int64_t> permutation = rng.permutation(m);
  Matrix shuffled_X(X.rows(), m), shuffled_Y(Y.rows(), m);
  for (int64_t j = 0; j < m; ++j) {
    shuffled_X.col(j) = X.col(permutation[j]);
    shuffled_Y.col(j) = Y.col(permutation[j]);
  }
  // Step 2: cut them into batches of mini_batch_size columns.
  const int64_t inc = mini_batch_size;
  const int64_t num_complete_minibatches = m / inc;
  for (int64_t k = 0; k < num_complete_minibatches; ++k) {
    mini_batches.push_back({shuffled_X.middleCols(k * inc, inc),
                            shuffled_Y.middleCols(k * inc, inc)});
  }
  // The last, smaller batch.
  if (m % inc != 0) {
    const int64_t start = num_complete_minibatches * inc;
    mini_batches.push_back({shuffled_X.middleCols(start, m - start),
                            shuffled_Y.middleCols(start, m - start)});
  }
  return mini_batches;
}

Moments initialize_velocity(const Parameters& parameters) {
  return zeros_like_grads(parameters);
}

MomentumUpdate update_parameters_with_momentum(const Parameters& parameters,
                                               const Grads& grads,
                                               const Moments& v, double beta,
                                               double learning_rate) {
  MomentumUpdate out{parameters, v};
  const int L = static_cast<int>(parameters.size() / 2);
  for (int l = 1; l <= L; ++l) {
    const std::string n = std::to_string(l);
    for (const char* p : {"W", "b"}) {
      const std::string key = p + n, d = "d" + key;
      out.v[d] = beta * v.at(d) + (1 - beta) * grads.at(d);
      out.parameters[key] = parameters.at(key) - learning_rate * out.v[d];
    }
  }
  return out;
}

AdamState initialize_adam(const Parameters& parameters) {
  AdamState state;
  state.v = zeros_like_grads(parameters);
  state.s = zeros_like_grads(parameters);
  return state;
}

AdamUpdate update_parameters_with_adam(const Parameters& parameters,
                                       const Grads& grads, const Moments& v,
                                       const Moments& s, int t,
                                       double learning_rate, double beta1,
                                       double beta2, double epsilon) {
  AdamUpdate out;
  out.parameters = parameters;
  out.v = v;
  out.s = s;
  const int L = static_cast<int>(parameters.size() / 2);
  for (int l = 1; l <= L; ++l) {
    const std::string n = std::to_string(l);
    for (const char* p : {"W", "b"}) {
      const std::string key = p + n, d = "d" + key;
      const Matrix& g = grads.at(d);
      // Moving average of the gradients, and its bias correction.
      out.v[d] = beta1 * v.at(d) + (1 - beta1) * g;
      out.v_corrected[d] = out.v[d] / (1 - std::pow(beta1, t));
      // Moving average of the squared gradients, and its bias correction.
      out.s[d] =
          beta2 * s.at(d) + (1 - beta2) * Matrix(g.array().square().matrix());
      out.s_corrected[d] = out.s[d] / (1 - std::pow(beta2, t));
      out.parameters[key] =
          parameters.at(key) -
          Matrix(learning_rate * out.v_corrected[d].array() /
                 (out.s_corrected[d].array().sqrt() + epsilon));
    }
  }
  return out;
}

double update_lr(double learning_rate0, int epoch_num, double decay_rate) {
  return learning_rate0 / (1 + decay_rate * epoch_num);
}

double schedule_lr_decay(double learning_rate0, int epoch_num,
                         double decay_rate, int time_interval) {
  return learning_rate0 /
         (1 + decay_rate *
                  std::floor(static_cast<double>(epoch_num) / time_interval));
}

Moments initialize_rmsprop(const Parameters& parameters) {
  return zeros_like_grads(parameters);
}

RmspropUpdate update_parameters_with_rmsprop(const Parameters& parameters,
                                             const Grads& grads,
                                             const Moments& s, double beta,
                                             double learning_rate,
                                             double epsilon) {
  RmspropUpdate out{parameters, s};
  const int L = static_cast<int>(parameters.size() / 2);
  for (int l = 1; l <= L; ++l) {
    const std::string n = std::to_string(l);
    for (const char* p : {"W", "b"}) {
      const std::string key = p + n, d = "d" + key;
      const Matrix& g = grads.at(d);
      out.s[d] =
          beta * s.at(d) + (1 - beta) * Matrix(g.array().square().matrix());
      out.parameters[key] =
          parameters.at(key) - Matrix(learning_rate * g.array() /
                                      (out.s[d].array().sqrt() + epsilon));
    }
  }
  return out;
}

}  // namespace reference
}  // namespace optimization
