// Your solutions to course2_tuning/optimization. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course2_tuning/optimization/...
// The formulas and shapes are in optimization.h and README.md.

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/grading/not_implemented.h"
#include "course2_tuning/optimization/optimization.h"

namespace optimization {

Parameters update_parameters_with_gd(const Parameters& parameters,
                                     const Grads& grads, double learning_rate) {
  // TODO: L = parameters.size() / 2; copy parameters, then for l = 1..L:
  //       W[l] = W[l] - learning_rate dW[l], b[l] = b[l] - learning_rate
  //       db[l]. (≈5 lines)
  //   Hint: keys "W" + std::to_string(l) and "dW" + std::to_string(l);
  //   read with .at(key) (grads is const).
  return dl::not_implemented<Parameters>("update_parameters_with_gd");
}

std::vector<MiniBatch> random_mini_batches(const Matrix& X, const Matrix& Y,
                                           int mini_batch_size, int seed) {
  // TODO: dl::RandomState rng(seed); permutation = rng.permutation(m);
  //       shuffled_X.col(j) = X.col(permutation[j]) (same for Y);
  //       then batches k = 0 .. floor(m / mini_batch_size) - 1 of columns
  //       k*size .. (k+1)*size - 1, and, if m % size != 0, the rest.
  //       (≈15 lines)
  //   Hint: shuffled_X.middleCols(start, count) is the course's
  //   shuffled_X[:, start : start + count].
  return dl::not_implemented<std::vector<MiniBatch>>("random_mini_batches");
}

Moments initialize_velocity(const Parameters& parameters) {
  // TODO: for l = 1..L: v["dW{l}"] = zeros like W[l], v["db{l}"] = zeros
  //       like b[l]. (≈5 lines)
  //   Hint: Matrix::Zero(W.rows(), W.cols()).
  return dl::not_implemented<Moments>("initialize_velocity");
}

MomentumUpdate update_parameters_with_momentum(const Parameters& parameters,
                                               const Grads& grads,
                                               const Moments& v, double beta,
                                               double learning_rate) {
  // TODO: for l = 1..L:
  //       v["dW{l}"] = beta v["dW{l}"] + (1 - beta) dW[l]
  //       W[l] = W[l] - learning_rate v["dW{l}"]   (and the same for b)
  //       return {parameters, v}. (≈8 lines)
  //   Hint: update the velocity FIRST, then use the new one.
  return dl::not_implemented<MomentumUpdate>("update_parameters_with_momentum");
}

AdamState initialize_adam(const Parameters& parameters) {
  // TODO: for l = 1..L: v["dW{l}"], v["db{l}"], s["dW{l}"], s["db{l}"] =
  //       zeros like W[l], b[l]. (≈7 lines)
  //   Hint: as initialize_velocity, twice.
  return dl::not_implemented<AdamState>("initialize_adam");
}

AdamUpdate update_parameters_with_adam(const Parameters& parameters,
                                       const Grads& grads, const Moments& v,
                                       const Moments& s, int t,
                                       double learning_rate, double beta1,
                                       double beta2, double epsilon) {
  // TODO: for l = 1..L, for W (and likewise for b):
  //       v = beta1 v + (1 - beta1) dW;   v_corrected = v / (1 - beta1^t)
  //       s = beta2 s + (1 - beta2) dW²;  s_corrected = s / (1 - beta2^t)
  //       W = W - learning_rate v_corrected / (sqrt(s_corrected) + epsilon)
  //       (≈16 lines)
  //   Hint: std::pow(beta1, t); entry by entry with .array():
  //   g.array().square(), s.array().sqrt(); wrap in Matrix(...).
  return dl::not_implemented<AdamUpdate>("update_parameters_with_adam");
}

double update_lr(double learning_rate0, int epoch_num, double decay_rate) {
  // TODO: learning_rate = learning_rate0 / (1 + decay_rate epoch_num).
  //       (≈1 line)
  return dl::not_implemented<double>("update_lr");
}

double schedule_lr_decay(double learning_rate0, int epoch_num,
                         double decay_rate, int time_interval) {
  // TODO: learning_rate = learning_rate0 / (1 + decay_rate
  //       floor(epoch_num / time_interval)). (≈1 line)
  //   Hint: with ints, epoch_num / time_interval already rounds down.
  return dl::not_implemented<double>("schedule_lr_decay");
}

Moments initialize_rmsprop(const Parameters& parameters) {
  // TODO: for l = 1..L: s["dW{l}"] = zeros like W[l], s["db{l}"] = zeros
  //       like b[l]. (≈5 lines)
  return dl::not_implemented<Moments>("initialize_rmsprop");
}

RmspropUpdate update_parameters_with_rmsprop(const Parameters& parameters,
                                             const Grads& grads,
                                             const Moments& s, double beta,
                                             double learning_rate,
                                             double epsilon) {
  // TODO: for l = 1..L, for W (and likewise for b):
  //       s = beta s + (1 - beta) dW²
  //       W = W - learning_rate dW / (sqrt(s) + epsilon). (≈8 lines)
  //   Hint: no bias correction here; epsilon is added after the sqrt.
  return dl::not_implemented<RmspropUpdate>("update_parameters_with_rmsprop");
}

}  // namespace optimization
