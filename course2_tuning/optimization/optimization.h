// File: course2_tuning/optimization/optimization.h
//
// Course 2, week 2, assignment 1: "Optimization Methods". Ways to update the
// parameters faster than plain (batch) gradient descent:
//   mini-batch gradient descent, with random_mini_batches;
//   momentum:  v = β v + (1 - β) dW,                 W -= α v
//   RMSprop:   s = β s + (1 - β) dW²,                W -= α dW / (√s + ε)
//              (ours: not in the course's notebook, in its lectures)
//   Adam:      v = β1 v + (1 - β1) dW,  s = β2 s + (1 - β2) dW²,
//              v̂ = v / (1 - β1^t),      ŝ = s / (1 - β2^t),
//              W -= α v̂ / (√ŝ + ε)
//   learning-rate decay: α = α0 / (1 + decay_rate · epoch_num), and its
//              scheduled form with floor(epoch_num / time_interval).
// (the same for b with db).
//
// parameters: "W1", "b1", ..., "WL", "bL" (L = parameters.size() / 2);
//   W[l] (n[l], n[l-1]), b[l] (n[l], 1)   (deep_nn::Parameters)
// grads: "dW1", "db1", ..., "dWL", "dbL" of the same shapes (other keys,
//   such as "dA0" or "dz3", are ignored)
// v, s (Moments): "dW1", "db1", ..., "dWL", "dbL", the shapes of the grads.
//
// Exercises, in order (write them in exercise.cc):
//   1. update_parameters_with_gd        2. random_mini_batches
//   3. initialize_velocity              4. update_parameters_with_momentum
//   5. initialize_adam                  6. update_parameters_with_adam
//   7. update_lr                        8. schedule_lr_decay
//   9. initialize_rmsprop              10. update_parameters_with_rmsprop

#ifndef DLCOURSE_COURSE2_TUNING_OPTIMIZATION_OPTIMIZATION_H_
#define DLCOURSE_COURSE2_TUNING_OPTIMIZATION_OPTIMIZATION_H_

#include <map>
#include <string>
#include <vector>

#include "common/core/tensor.h"
#include "course1_nn/deep_nn/deep_nn.h"

namespace optimization {

using deep_nn::Grads;
using deep_nn::Parameters;
using dl::Matrix;

// Exponentially weighted averages of the gradients, by gradient name:
// "dW1", "db1", ..., "dWL", "dbL".
using Moments = std::map<std::string, Matrix>;

// One step of gradient descent, l = 1..L:
//   W[l] = W[l] - learning_rate dW[l]     b[l] = b[l] - learning_rate db[l]
Parameters update_parameters_with_gd(const Parameters& parameters,
                                     const Grads& grads, double learning_rate);

// One mini-batch: the course's (mini_batch_X, mini_batch_Y).
struct MiniBatch {
  Matrix X;  // (n_x, batch)
  Matrix Y;  // (1, batch)
};

// Seeds the generator inside (np.random.seed(seed)), shuffles the columns of
// X and Y with the same permutation (np.random.permutation(m)), then cuts
// them into floor(m / mini_batch_size) batches of mini_batch_size columns and,
// if m % mini_batch_size != 0, a last, smaller batch with the rest.
//   X: (n_x, m)  Y: (1, m)  ->  batches in order
std::vector<MiniBatch> random_mini_batches(const Matrix& X, const Matrix& Y,
                                           int mini_batch_size = 64,
                                           int seed = 0);

// v["dW{l}"] = zeros like W[l], v["db{l}"] = zeros like b[l], l = 1..L.
Moments initialize_velocity(const Parameters& parameters);

struct MomentumUpdate {
  Parameters parameters;
  Moments v;
};

// For l = 1..L:
//   v["dW{l}"] = beta v["dW{l}"] + (1 - beta) dW[l];  W[l] -= lr v["dW{l}"]
//   v["db{l}"] = beta v["db{l}"] + (1 - beta) db[l];  b[l] -= lr v["db{l}"]
MomentumUpdate update_parameters_with_momentum(const Parameters& parameters,
                                               const Grads& grads,
                                               const Moments& v, double beta,
                                               double learning_rate);

// The course's (v, s): both zeros like the gradients.
struct AdamState {
  Moments v;  // first moment (average of the gradients)
  Moments s;  // second moment (average of the squared gradients)
};

// v and s with keys "dW{l}", "db{l}", zeros of the shapes of W[l], b[l].
AdamState initialize_adam(const Parameters& parameters);

// The course's (parameters, v, s, v_corrected, s_corrected).
struct AdamUpdate {
  Parameters parameters;
  Moments v, s;                      // the updated moving averages
  Moments v_corrected, s_corrected;  // after bias correction
};

// For l = 1..L (and likewise for b with db), t = the number of Adam steps
// taken so far, counting this one (t >= 1):
//   v = beta1 v + (1 - beta1) dW          v_corrected = v / (1 - beta1^t)
//   s = beta2 s + (1 - beta2) dW²         s_corrected = s / (1 - beta2^t)
//   W = W - learning_rate v_corrected / (sqrt(s_corrected) + epsilon)
AdamUpdate update_parameters_with_adam(const Parameters& parameters,
                                       const Grads& grads, const Moments& v,
                                       const Moments& s, int t,
                                       double learning_rate = 0.01,
                                       double beta1 = 0.9, double beta2 = 0.999,
                                       double epsilon = 1e-8);

// learning_rate = learning_rate0 / (1 + decay_rate epoch_num)
double update_lr(double learning_rate0, int epoch_num, double decay_rate);

// learning_rate = learning_rate0 / (1 + decay_rate floor(epoch_num /
// time_interval)): the rate drops once every time_interval epochs.
double schedule_lr_decay(double learning_rate0, int epoch_num,
                         double decay_rate, int time_interval = 1000);

// RMSprop (ours): s["dW{l}"], s["db{l}"] zeros like W[l], b[l].
Moments initialize_rmsprop(const Parameters& parameters);

struct RmspropUpdate {
  Parameters parameters;
  Moments s;
};

// For l = 1..L (and likewise for b with db):
//   s = beta s + (1 - beta) dW²
//   W = W - learning_rate dW / (sqrt(s) + epsilon)
RmspropUpdate update_parameters_with_rmsprop(const Parameters& parameters,
                                             const Grads& grads,
                                             const Moments& s, double beta,
                                             double learning_rate,
                                             double epsilon = 1e-8);

// The reference solution (reference.cc), in optimization::reference.
// clang-format off
namespace reference {
decltype(optimization::update_parameters_with_gd) update_parameters_with_gd;
decltype(optimization::random_mini_batches) random_mini_batches;
decltype(optimization::initialize_velocity) initialize_velocity;
decltype(optimization::update_parameters_with_momentum) update_parameters_with_momentum;
decltype(optimization::initialize_adam) initialize_adam;
decltype(optimization::update_parameters_with_adam) update_parameters_with_adam;
decltype(optimization::update_lr) update_lr;
decltype(optimization::schedule_lr_decay) schedule_lr_decay;
decltype(optimization::initialize_rmsprop) initialize_rmsprop;
decltype(optimization::update_parameters_with_rmsprop) update_parameters_with_rmsprop;
}  // namespace reference
// clang-format on

}  // namespace optimization

#endif  // DLCOURSE_COURSE2_TUNING_OPTIMIZATION_OPTIMIZATION_H_
