// File: common/nn/autograd_lstm.cc
//
// The LSTM cell on autograd Vars and Keras's initialization (see
// autograd_lstm.h).

#include "common/nn/autograd_lstm.h"

#include <cmath>
#include <vector>

#include "common/core/random.h"
#include "common/core/tensor.h"
#include "common/nn/autograd.h"

namespace dl {
namespace ag {

std::vector<Var> LstmWeights::all() const {
  return {Wf, bf, Wi, bi, Wc, bc, Wo, bo};
}

LstmState lstm_cell_forward(const Var& xt, const Var& a_prev, const Var& c_prev,
                            const LstmWeights& w) {
  const Var concat = concat_rows({a_prev, xt});
  const Var ft = sigmoid(matmul(w.Wf, concat) + w.bf);
  const Var it = sigmoid(matmul(w.Wi, concat) + w.bi);
  const Var cct = tanh(matmul(w.Wc, concat) + w.bc);
  const Var ot = sigmoid(matmul(w.Wo, concat) + w.bo);
  LstmState next;
  next.c = mul(ft, c_prev) + mul(it, cct);
  next.a = mul(ot, tanh(next.c));
  return next;
}

Var glorot_uniform(RandomState& rng, int rows, int cols, int fan_in,
                   int fan_out) {
  const double limit = std::sqrt(6.0 / (fan_in + fan_out));
  return Param(rng.uniform(-limit, limit, rows, cols));
}

LstmWeights keras_lstm_weights(RandomState& rng, int n, int n_x) {
  LstmWeights w;
  w.Wf = glorot_uniform(rng, n, n + n_x, n + n_x, 4 * n);
  w.Wi = glorot_uniform(rng, n, n + n_x, n + n_x, 4 * n);
  w.Wc = glorot_uniform(rng, n, n + n_x, n + n_x, 4 * n);
  w.Wo = glorot_uniform(rng, n, n + n_x, n + n_x, 4 * n);
  w.bf = Param(Matrix::Ones(n, 1));  // Keras's unit_forget_bias
  w.bi = Param(Matrix::Zero(n, 1));
  w.bc = Param(Matrix::Zero(n, 1));
  w.bo = Param(Matrix::Zero(n, 1));
  return w;
}

}  // namespace ag
}  // namespace dl
