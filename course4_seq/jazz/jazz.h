// File: course4_seq/jazz/jazz.h
//
// Course 5, week 1, assignment 3: "Improvise a Jazz Solo with an LSTM
// Network". An LSTM learns which musical value (a note and its length)
// follows which in jazz-like phrases, then improvises: it picks a value,
// feeds it back in, and picks the next.
//
// The course's two models share ONE LSTM cell and ONE output layer:
//   LSTM_cell = LSTM(n_a, return_state=True)   (n_a = 64)
//   densor    = Dense(n_values, activation='softmax')   (n_values = 90)
// Here they are the Vars of JazzWeights, used with the LSTM step on Vars
// (dl::ag::lstm_cell_forward, common/nn/autograd_lstm.h) and the autograd
// ops (common/nn/autograd.h): every step of the loop calls the same cell
// with the same weights, which is what Keras's "shared layer" means.
//
// Shapes (one example per COLUMN, as in course 5's other units):
//   X: (n_values, m, T_x) one-hot values; x<t> = X[:, :, t] is
//      (n_values, m) (the course's X is (m, T_x, n_values))
//   a, c: (n_a, m)        outputs: logits (n_values, m), one per step
//
// Exercises, in order (write them in exercise.cc):
//   1. djmodel   2. music_inference_model   3. predict_and_sample

#ifndef DLCOURSE_COURSE4_SEQ_JAZZ_JAZZ_H_
#define DLCOURSE_COURSE4_SEQ_JAZZ_JAZZ_H_

#include <vector>

#include "common/core/random.h"
#include "common/core/tensor.h"
#include "common/nn/autograd.h"
#include "common/nn/autograd_lstm.h"
#include "course4_seq/rnn_step_by_step/rnn_utils.h"

namespace jazz {

namespace ag = dl::ag;
using ag::Var;
using dl::Matrix;
using Tensor3 = dl::Tensor<3>;
// time_step(X, t): X[:, :, t] as a Matrix (n_values, m) (rnn_utils.h).
using rnn_step_by_step::time_step;

// The shared layers: the course's LSTM_cell and densor. The softmax of
// densor is applied where it is needed (in the loss, and in
// music_inference_model), so Wy a + by are logits.
struct JazzWeights {
  ag::LstmWeights lstm;  // LSTM(n_a) on inputs of n_values
  Var Wy, by;            // Dense(n_values): (n_values, n_a), (n_values, 1)

  std::vector<Var> all() const;  // every Param, for the optimizer
};

// Given: Keras's initialization of both layers (the LSTM's glorot-uniform
// kernels and forget bias 1, the dense layer's glorot-uniform W and zero b).
JazzWeights initialize_weights(int n_a, int n_values, dl::RandomState& rng);

// Given: the course's loss, Keras's sum over the T_x outputs of the
// categorical cross-entropy, each averaged over the m examples:
//   J = Σ_t mean_i -log softmax(outputs[t])[Y[i][t], i]
//   outputs: T_x logits (n_values, m)  Y: m lists of T_x labels
Var music_loss(const std::vector<Var>& outputs,
               const std::vector<std::vector<int>>& Y);

// Exercise 1. The course's djmodel(Tx, LSTM_cell, densor, reshaper): the
// training model, the shared cell unrolled over the T_x steps of X:
//   a = a0, c = c0
//   for t = 0 .. T_x-1:
//     x = time_step(X, t)   (X[:, :, t], the course's Lambda; its reshaper
//                            is not needed: x<t> is already (n_values, m))
//     {a, c} = ag::lstm_cell_forward(ag::Constant(x), a, c, weights.lstm)
//     out = Wy a + by   (densor, logits)
//     outputs.push_back(out)
//   X: (n_values, m, T_x)  a0, c0: (n_a, m)  ->  T_x logits (n_values, m)
std::vector<Var> djmodel(const Tensor3& X, const Var& a0, const Var& c0,
                         const JazzWeights& weights);

// Exercise 2. The course's music_inference_model(LSTM_cell, densor, Ty):
// the same shared layers generating Ty values, each step's choice fed back
// as the next input:
//   x = x_initializer, a = a_initializer, c = c_initializer
//   for t = 0 .. Ty-1:
//     {a, c} = ag::lstm_cell_forward(x, a, c, weights.lstm)
//     out = softmax(Wy a + by)         (n_values, m): column j sums to 1
//     outputs.push_back(out)
//     x = the one-hot of argmax(out), column by column (the first index on
//         a tie, as np.argmax)
// No gradient is needed: run it under `ag::NoGrad no_grad;`.
//   x_initializer: (n_values, m)  a_initializer, c_initializer: (n_a, m)
//   -> Ty probability matrices (n_values, m)
std::vector<Matrix> music_inference_model(const JazzWeights& weights,
                                          const Matrix& x_initializer,
                                          const Matrix& a_initializer,
                                          const Matrix& c_initializer, int Ty);

// What predict_and_sample returns: the course's (results, indices).
struct Sample {
  std::vector<int> indices;  // Ty values: indices[t] = argmax of pred[t]
  Matrix results;            // (Ty, n_values): row t the one-hot of it
};

// Exercise 3. The course's predict_and_sample(inference_model,
// x_initializer, a_initializer, c_initializer), for ONE example (m = 1):
//   pred = music_inference_model(weights, x_initializer, a_initializer,
//                                c_initializer, Ty)
//   indices[t] = argmax of pred[t] (its one column; the first on a tie)
//   results = to_categorical(indices, n_values): (Ty, n_values)
//   x_initializer: (n_values, 1)  a_initializer, c_initializer: (n_a, 1)
Sample predict_and_sample(const JazzWeights& weights,
                          const Matrix& x_initializer,
                          const Matrix& a_initializer,
                          const Matrix& c_initializer, int Ty);

// The reference solution (reference.cc) has the same functions, in
// jazz::reference. The grader compares yours with it.
namespace reference {
decltype(jazz::djmodel) djmodel;
decltype(jazz::music_inference_model) music_inference_model;
decltype(jazz::predict_and_sample) predict_and_sample;
}  // namespace reference

}  // namespace jazz

#endif  // DLCOURSE_COURSE4_SEQ_JAZZ_JAZZ_H_
