// File: common/nn/optimizers.h
//
// The optimizers a Model is compiled with (common/nn/model.h), as
// tf.keras.optimizers: their settings, with Keras's defaults, and the update
// of ONE parameter given its gradient and its slots (Adam's m and v, SGD's
// velocity), in float and double. The model keeps the step count and the
// slots, and calls the update for each trainable parameter:
//   nn::Adam adam(0.01);
//   nn::Array<float> m(shape), v(shape);        // zeros, as Keras's slots
//   nn::AdamUpdate(adam, /*t=*/1, grad, m, v, value);

#ifndef DLCOURSE_COMMON_NN_OPTIMIZERS_H_
#define DLCOURSE_COMMON_NN_OPTIMIZERS_H_

#include <cstdint>

#include "common/nn/layers.h"

namespace dl {
namespace nn {

// tf.keras.optimizers.Adam, with Keras's defaults and update:
//   t += 1; lr_t = lr sqrt(1 - beta_2^t) / (1 - beta_1^t)
//   m = beta_1 m + (1 - beta_1) g;  v = beta_2 v + (1 - beta_2) g^2
//   p -= lr_t m / (sqrt(v) + epsilon)
struct Adam {
  explicit Adam(double learning_rate_ = 0.001, double beta_1_ = 0.9,
                double beta_2_ = 0.999, double epsilon_ = 1e-7)
      : learning_rate(learning_rate_),
        beta_1(beta_1_),
        beta_2(beta_2_),
        epsilon(epsilon_) {}
  double learning_rate, beta_1, beta_2, epsilon;
};

// tf.keras.optimizers.SGD: p -= lr g; with momentum (Keras's form)
// v = momentum v - lr g; p += v.
struct SGD {
  explicit SGD(double learning_rate_ = 0.01, double momentum_ = 0)
      : learning_rate(learning_rate_), momentum(momentum_) {}
  double learning_rate, momentum;
};

// Adam's update of one parameter `value` at step t (1, 2, ...) with its
// gradient `grad` and its slots m and v (zeros before the first step, all
// of the parameter's shape).
template <typename T>
void AdamUpdate(const Adam& adam, int64_t t, const Array<T>& grad, Array<T>& m,
                Array<T>& v, Array<T>& value);

// SGD's update of one parameter `value` with its gradient `grad`;
// `velocity` (zeros before the first step, the parameter's shape) is used
// only with momentum.
template <typename T>
void SgdUpdate(const SGD& sgd, const Array<T>& grad, Array<T>& velocity,
               Array<T>& value);

}  // namespace nn
}  // namespace dl

#endif  // DLCOURSE_COMMON_NN_OPTIMIZERS_H_
