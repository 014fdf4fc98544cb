#include "course2_tuning/initialization/init_utils.h"

#include <cmath>
#include <string>

#include "common/nn/activations.h"

namespace init_utils {
namespace {

// numpy's pairwise summation (np.sum / np.add.reduce on contiguous data):
// 8 accumulators over blocks of up to 128 entries, halves above that. It
// gives the course's sums to the last bit where a plain loop may not.
double pairwise_sum(const double* a, Eigen::Index n) {
  if (n < 8) {
    double res = 0.;
    for (Eigen::Index i = 0; i < n; ++i) res += a[i];
    return res;
  }
  if (n <= 128) {
    double r[8];
    for (int j = 0; j < 8; ++j) r[j] = a[j];
    Eigen::Index i;
    for (i = 8; i < n - (n % 8); i += 8) {
      for (int j = 0; j < 8; ++j) r[j] += a[i + j];
    }
    double res =
        ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  Eigen::Index n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise_sum(a, n2) + pairwise_sum(a + n2, n - n2);
}

}  // namespace

double numpy_sum(const Eigen::ArrayXXd& a) {
  return pairwise_sum(a.data(), a.size());
}

Forward forward_propagation(const Matrix& X, const Parameters& parameters) {
  Forward out;
  Cache& c = out.cache;
  c.W1 = parameters.at("W1");
  c.b1 = parameters.at("b1");
  c.W2 = parameters.at("W2");
  c.b2 = parameters.at("b2");
  c.W3 = parameters.at("W3");
  c.b3 = parameters.at("b3");
  c.z1 = (c.W1 * X).colwise() + c.b1.col(0);
  c.a1 = dl::relu(c.z1);
  c.z2 = (c.W2 * c.a1).colwise() + c.b2.col(0);
  c.a2 = dl::relu(c.z2);
  c.z3 = (c.W3 * c.a2).colwise() + c.b3.col(0);
  c.a3 = dl::sigmoid(c.z3);
  out.a3 = c.a3;
  return out;
}

double compute_loss(const Matrix& a3, const Matrix& Y) {
  const double m = static_cast<double>(Y.cols());
  Eigen::ArrayXXd logprobs =
      -a3.array().log() * Y.array() - (1 - a3.array()).log() * (1 - Y.array());
  // np.nansum: NaN entries (0 * log 0) count as 0, then np.sum.
  logprobs = logprobs.isNaN().select(0.0, logprobs);
  return 1. / m * numpy_sum(logprobs);
}

Grads backward_propagation(const Matrix& X, const Matrix& Y,
                           const Cache& cache) {
  const double m = static_cast<double>(X.cols());
  const Cache& c = cache;
  Grads g;
  g["dz3"] = 1. / m * (c.a3 - Y);
  g["dW3"] = g["dz3"] * c.a2.transpose();
  g["db3"] = g["dz3"].rowwise().sum();
  g["da2"] = c.W3.transpose() * g["dz3"];
  g["dz2"] = g["da2"].array() * (c.a2.array() > 0).cast<double>();
  g["dW2"] = g["dz2"] * c.a1.transpose();
  g["db2"] = g["dz2"].rowwise().sum();
  g["da1"] = c.W2.transpose() * g["dz2"];
  g["dz1"] = g["da1"].array() * (c.a1.array() > 0).cast<double>();
  g["dW1"] = g["dz1"] * X.transpose();
  g["db1"] = g["dz1"].rowwise().sum();
  return g;
}

Parameters update_parameters(const Parameters& parameters, const Grads& grads,
                             double learning_rate) {
  return deep_nn::reference::update_parameters(parameters, grads,
                                               learning_rate);
}

Matrix predict(const Matrix& X, const Parameters& parameters) {
  const Matrix a3 = forward_propagation(X, parameters).a3;
  return (a3.array() > 0.5).cast<double>();
}

double accuracy(const Matrix& predictions, const Matrix& Y) {
  return (predictions.array() == Y.array()).cast<double>().mean();
}

ModelResult model(
    const Matrix& X, const Matrix& Y,
    const std::function<Parameters(const std::vector<int>&)>& initialize,
    double learning_rate, int num_iterations,
    const std::function<void(int)>& on_iteration) {
  ModelResult result;
  const std::vector<int> layers_dims = {static_cast<int>(X.rows()), 10, 5, 1};
  result.parameters = initialize(layers_dims);
  for (int i = 0; i < num_iterations; ++i) {
    const Forward forward = forward_propagation(X, result.parameters);
    const double cost = compute_loss(forward.a3, Y);
    const Grads grads = backward_propagation(X, Y, forward.cache);
    result.parameters =
        update_parameters(result.parameters, grads, learning_rate);
    if (i % 1000 == 0) result.costs.push_back(cost);
    if (on_iteration) on_iteration(i);
  }
  return result;
}

}  // namespace init_utils
