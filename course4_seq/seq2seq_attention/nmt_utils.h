// File: course4_seq/seq2seq_attention/nmt_utils.h
//
// Given code (not graded): the course's nmt_utils.py (the dates data set,
// the vocabularies, string_to_int, preprocess_data) plus the pieces Keras
// gave the course for free: the model's parameters (its layers' weights), an
// LSTM step, and the loss.
//
//   Python (nmt_utils.py, Keras)            C++
//   load_date()                             load_date(rng)
//   load_dataset(m)                         load_dataset(m, rng)
//   string_to_int(string, length, vocab)    string_to_int(string, length,
//   vocab) int_to_string(ints, inv_vocab)          int_to_string(ints,
//   inv_vocab) preprocess_data(dataset, human_vocab,   preprocess_data(dataset,
//   human_vocab,
//                   machine_vocab, Tx, Ty)                  machine_vocab, Tx,
//                   Ty)
//   Xoh (m, Tx, 37)                         Xoh (37, m, Tx)   (C5W1's layout)
//   the layers' weights                     NmtParameters
//   (initialize_parameters) LSTM(n)(x, initial_state=[s, c])
//   lstm_cell_forward(x, s, c, weights) loss='categorical_crossentropy'
//   model_loss(outputs, Y)
//
// The dates: the course drew them with Faker and printed them with Babel's
// en_US formats; we draw them with dl::RandomState (the same formats, the
// same English month and day names) so that the data set is the same on
// every machine and needs no download.

#ifndef DLCOURSE_COURSE4_SEQ_SEQ2SEQ_ATTENTION_NMT_UTILS_H_
#define DLCOURSE_COURSE4_SEQ_SEQ2SEQ_ATTENTION_NMT_UTILS_H_

#include <map>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/core/tensor.h"
#include "common/nn/autograd.h"
#include "common/nn/autograd_lstm.h"
#include "course4_seq/rnn_step_by_step/rnn_utils.h"

namespace seq2seq_attention {

using dl::Matrix;
using dl::ag::Var;
using Tensor3 = dl::Tensor<3>;
// x[:, :, t] of a (n, m, T) tensor, as a Matrix (n, m) (rnn_utils.h).
using rnn_step_by_step::time_step;

// ============================================================== the data

// The course's FORMATS: 24 Babel patterns, 'full' ten times among them, so
// that 10 in 24 dates come with the day of the week.
extern const std::vector<std::string> kFormats;

// A date printed with one of kFormats, as the course's load_date does with
// babel.dates.format_date(dt, format, locale='en_US'), then lower-cased and
// without commas. Patterns: d / dd (day, 1 or 2 digits), M / MM (month
// number), MMM / MMMM (month name, short / long), EEEE (day of the week),
// y / YYY (year, 4 digits), yy / YY (the last 2 digits); 'short' is
// "M/d/yy", 'medium' "MMM d, y", 'long' "MMMM d, y", 'full'
// "EEEE, MMMM d, y". YYY is Babel's week-numbering year; we print the
// calendar year (so no date near New Year gets a wrong year, as a few did in
// the course's data). Example: format_date(2018, 5, 9, "full") is
// "wednesday may 9 2018".
std::string format_date(int year, int month, int day,
                        const std::string& format);

// One human-readable date and its machine-readable form, e.g.
// {"9 may 2018", "2018-05-09"}.
struct DatePair {
  std::string human;
  std::string machine;
};

// The course's load_date(): a uniform random day from 1970-01-01 to
// 2020-12-31 (Faker's date_object draws from 1970 to "today"), printed with a
// uniform random choice of kFormats.
DatePair load_date(dl::RandomState& rng);

// What load_dataset returns, with the course's names.
struct Dataset {
  std::vector<DatePair> dataset;
  // Every character of the human dates, sorted, then '<unk>' and '<pad>':
  // {" ": 0, ".": 1, "/": 2, "0": 3, ..., "y": 34, "<unk>": 35, "<pad>": 36}.
  std::map<std::string, int> human_vocab;
  // Every character of the machine dates, sorted: {"-": 0, "0": 1, ...}.
  std::map<std::string, int> machine_vocab;
  std::map<int, std::string> inv_machine_vocab;  // {0: "-", 1: "0", ...}
};

// The course's load_dataset(m): m dates and the vocabularies.
// The course seeds Faker and random with 12345; use dl::RandomState(12345).
Dataset load_dataset(int m, dl::RandomState& rng);

// The course's string_to_int: lower-cases `string`, removes the commas, cuts
// it to `length` characters, maps every character to its index in `vocab`
// ('<unk>' for a character not in it) and pads with '<pad>' to `length`.
//   string_to_int("3 May 1979", 30, human_vocab)
//     = {6, 0, 24, 13, 34, 0, 4, 12, 10, 12, 36, 36, ..., 36}
// (The course's version puts the STRING '<unk>' in the list for an unknown
// character, a bug no date triggers; we put vocab["<unk>"].)
std::vector<int> string_to_int(const std::string& string, int length,
                               const std::map<std::string, int>& vocab);

// The course's int_to_string: the characters of the indices.
std::vector<std::string> int_to_string(
    const std::vector<int>& ints, const std::map<int, std::string>& inv_vocab);

// One-hot sequences in C5W1's layout: X is m sequences of T indices; the
// result is (vocab_size, m, T) with x(X[i][t], i, t) = 1. The course's
// to_categorical gives (m, T, vocab_size): ours(k, i, t) = course[i, t, k].
Tensor3 one_hot(const std::vector<std::vector<int>>& X, int vocab_size);

// What preprocess_data returns. The course's shapes are (m, Tx), (m, Ty),
// (m, Tx, 37), (m, Ty, 11); X and Y keep them (X[i] is example i), the
// one-hot tensors are in C5W1's (n, m, T) layout.
struct Preprocessed {
  std::vector<std::vector<int>> X;  // m x Tx indices in human_vocab
  std::vector<std::vector<int>> Y;  // m x Ty indices in machine_vocab
  Tensor3 Xoh;                      // (human_vocab_size, m, Tx)
  Tensor3 Yoh;                      // (machine_vocab_size, m, Ty)
};

Preprocessed preprocess_data(const std::vector<DatePair>& dataset,
                             const std::map<std::string, int>& human_vocab,
                             const std::map<std::string, int>& machine_vocab,
                             int Tx, int Ty);

// ============================================================ the model

// The weights of one LSTM layer (Keras's LSTM(n)) and one step of it, on
// Vars: common/nn/autograd_lstm.h.
using dl::ag::lstm_cell_forward;
using dl::ag::LstmState;
using dl::ag::LstmWeights;

// The attention's two Dense layers (the course's densor1 and densor2),
// weights as (units, inputs) like every W of the course:
struct AttentionParameters {
  Var W1, b1;  // densor1 = Dense(10, "tanh"): (10, 2 n_a + n_s), (10, 1)
  Var W2, b2;  // densor2 = Dense(1, "relu"): (1, 10), (1, 1)
};

// Every weight of the course's model.
struct NmtParameters {
  LstmWeights encoder_forward;   // Bidirectional(LSTM(n_a)): forward LSTM,
  LstmWeights encoder_backward;  // backward LSTM; n_x = human_vocab_size
  AttentionParameters attention;
  LstmWeights post_attention_lstm;  // post_activation_LSTM_cell = LSTM(n_s),
                                    // its input is the context (2 n_a)
  Var Wy, by;  // output_layer = Dense(machine_vocab_size): (n_y, n_s), (n_y, 1)

  // Every Param, for the optimizer.
  std::vector<Var> all() const;
};

// Keras's initializers: every W Glorot-uniform (limit sqrt(6 / (fan_in +
// fan_out)); for an LSTM gate fan_in = n + n_x and fan_out = 4n, Keras's
// whole kernel), biases zero except the forget gate's (1, Keras's
// unit_forget_bias). Hidden sizes: n_a (each encoder direction), n_s (the
// post-attention LSTM), and `dense1_units` (10, the course's densor1).
NmtParameters initialize_parameters(int n_a, int n_s, int human_vocab_size,
                                    int machine_vocab_size,
                                    dl::RandomState& rng,
                                    int dense1_units = 10);

// The course's loss: Keras sums the categorical cross-entropy of the Ty
// outputs, each averaged over the batch:
//   J = Σ_t mean_i -log softmax(outputs[t])[Y[i][t], i]
// outputs: Ty logits (n_y, m) (the output layer BEFORE its softmax, which
// is done here, in a numerically stable way); Y: m x Ty indices.
Var model_loss(const std::vector<Var>& outputs,
               const std::vector<std::vector<int>>& Y);

}  // namespace seq2seq_attention

#endif  // DLCOURSE_COURSE4_SEQ_SEQ2SEQ_ATTENTION_NMT_UTILS_H_
