// File: common/nn/optimizers.cc
//
// The updates of common/nn/optimizers.h, entry by entry over the
// parameter's memory. Explicit instantiations for float and double at the
// end.

#include "common/nn/optimizers.h"

#include <cmath>
#include <cstdint>

#include "common/nn/layers.h"

namespace dl {
namespace nn {

template <typename T>
void AdamUpdate(const Adam& adam, int64_t t, const Array<T>& grad,
                Array<T>& m_slot, Array<T>& v_slot, Array<T>& value) {
  const double step = static_cast<double>(t);
  const T lr_t =
      T(adam.learning_rate * std::sqrt(1 - std::pow(adam.beta_2, step)) /
        (1 - std::pow(adam.beta_1, step)));
  const T b1 = T(adam.beta_1), b2 = T(adam.beta_2), eps = T(adam.epsilon);
  auto g = grad.vec().array();
  auto m = m_slot.vec().array();
  auto v = v_slot.vec().array();
  m = b1 * m + (T(1) - b1) * g;
  v = b2 * v + (T(1) - b2) * g.square();
  value.vec().array() -= lr_t * m / (v.sqrt() + eps);
}

template <typename T>
void SgdUpdate(const SGD& sgd, const Array<T>& grad, Array<T>& velocity,
               Array<T>& value) {
  const T lr = T(sgd.learning_rate);
  auto g = grad.vec().array();
  if (sgd.momentum == 0) {
    value.vec().array() -= lr * g;
  } else {
    auto v = velocity.vec().array();
    v = T(sgd.momentum) * v - lr * g;
    value.vec().array() += v;
  }
}

#define DL_NN_INSTANTIATE(T)                                         \
  template void AdamUpdate<T>(const Adam&, int64_t, const Array<T>&, \
                              Array<T>&, Array<T>&, Array<T>&);      \
  template void SgdUpdate<T>(const SGD&, const Array<T>&, Array<T>&, Array<T>&);

DL_NN_INSTANTIATE(float)
DL_NN_INSTANTIATE(double)
#undef DL_NN_INSTANTIATE

}  // namespace nn
}  // namespace dl
