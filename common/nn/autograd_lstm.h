// File: common/nn/autograd_lstm.h
//
// The course's LSTM cell on autograd Vars (dl::ag, autograd.h), for the
// units that write their model's loop over time themselves (the jazz
// soloist's shared LSTM_cell, the date translator's encoder and decoder):
//
//   ag::LstmWeights w = ag::keras_lstm_weights(rng, /*n=*/64, /*n_x=*/90);
//   ag::LstmState s{a0, c0};
//   for (t ...) s = ag::lstm_cell_forward(x[t], s.a, s.c, w);
//
// The same weights used at every step are Keras's one LSTM layer called
// again and again; Backward adds up their gradients over the steps.

#ifndef DLCOURSE_COMMON_NN_AUTOGRAD_LSTM_H_
#define DLCOURSE_COMMON_NN_AUTOGRAD_LSTM_H_

#include <vector>

#include "common/core/random.h"
#include "common/nn/autograd.h"

namespace dl {
namespace ag {

// The weights of one LSTM layer (Keras's LSTM(n)), in C5W1's names: the four
// gates act on concat = [a_prev; x] (a_prev on top):
//   Wf, Wi, Wc, Wo: (n, n + n_x)     bf, bi, bc, bo: (n, 1)
// Keras keeps the same numbers as kernel (n_x, 4n), recurrent_kernel
// (n, 4n) and bias (4n): 4 (n (n + n_x) + n) parameters.
struct LstmWeights {
  Var Wf, bf;  // forget gate
  Var Wi, bi;  // update gate
  Var Wc, bc;  // candidate
  Var Wo, bo;  // output gate

  // The eight Params, in the order above (for an optimizer).
  std::vector<Var> all() const;
};

// One LSTM step (C5W1's lstm_cell_forward, without the prediction):
//   concat = [a_prev; xt]
//   Γf = σ(Wf concat + bf)   Γu = σ(Wi concat + bi)
//   c̃ = tanh(Wc concat + bc)  Γo = σ(Wo concat + bo)
//   c_next = Γf * c_prev + Γu * c̃      a_next = Γo * tanh(c_next)
//   xt: (n_x, m)  a_prev, c_prev: (n, m)  ->  a_next, c_next: (n, m)
struct LstmState {
  Var a;  // the hidden state (Keras's h, the course's a or s)
  Var c;  // the cell state
};
LstmState lstm_cell_forward(const Var& xt, const Var& a_prev, const Var& c_prev,
                            const LstmWeights& weights);

// A Param (rows, cols) uniform on [-l, l], l = sqrt(6 / (fan_in + fan_out)):
// Keras's glorot_uniform, drawn with rng.uniform (numpy's order).
Var glorot_uniform(RandomState& rng, int rows, int cols, int fan_in,
                   int fan_out);

// Keras's LSTM(n) initialization for inputs of size n_x: every W
// glorot-uniform with Keras's fan_in = n + n_x and fan_out = 4n (its whole
// kernel), drawn in the order Wf, Wi, Wc, Wo; biases zero except the forget
// gate's 1 (unit_forget_bias).
LstmWeights keras_lstm_weights(RandomState& rng, int n, int n_x);

}  // namespace ag
}  // namespace dl

#endif  // DLCOURSE_COMMON_NN_AUTOGRAD_LSTM_H_
