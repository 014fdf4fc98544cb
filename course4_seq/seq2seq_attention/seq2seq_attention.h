// File: course4_seq/seq2seq_attention/seq2seq_attention.h
//
// Course 5, week 3, assignment 1: "Neural Machine Translation with
// Attention". A model that translates human-readable dates ("3 may 1979",
// "tuesday 09 oct 1993") into machine-readable ones ("1979-05-03"): a
// bidirectional LSTM reads the input, and at each output step an attention
// mechanism decides which input characters to look at.
//
// You write it on the automatic differentiation of common/nn/autograd.h
// (dl::ag): you compose the forward pass from ops (matmul, tanh, softmax,
// ...) on Vars, and ag::Backward computes every gradient, as Keras did for
// the course. The data, the weights and the LSTM step are given
// (nmt_utils.h).
//
// Layout (one example per COLUMN, as in the whole course):
//   the course's a (m, Tx, 2 n_a)  ->  a (2 n_a, m·Tx), "example-major":
//                                      column i·Tx + t' is a<t'> of example i
//                                      (the course's a[i, t', :]);
//   s_prev (m, n_s)                ->  s_prev (n_s, m)
//   alphas (m, Tx, 1)              ->  alphas (Tx, m): column i holds the Tx
//                                      attention weights of example i
//   context (m, 1, 2 n_a)          ->  context (2 n_a, m)
//   Xoh (m, Tx, human_vocab_size)  ->  Xoh (human_vocab_size, m, Tx)  (C5W1)
//   outputs: Ty x (m, n_y)         ->  Ty x (n_y, m), logits (see modelf)
//
// Exercises, in order (write them in exercise.cc):
//   1. one_step_attention   2. modelf   3. greedy_search   4. beam_search

#ifndef DLCOURSE_COURSE4_SEQ_SEQ2SEQ_ATTENTION_SEQ2SEQ_ATTENTION_H_
#define DLCOURSE_COURSE4_SEQ_SEQ2SEQ_ATTENTION_SEQ2SEQ_ATTENTION_H_

#include <functional>
#include <vector>

#include "common/core/tensor.h"
#include "common/nn/autograd.h"
#include "course4_seq/seq2seq_attention/nmt_utils.h"

namespace seq2seq_attention {

// ============================================================ attention

// What one_step_attention computes.
struct Attention {
  Var context;  // (2 n_a, m): context<t> = Σ_t' α<t, t'> a<t'>
  Var alphas;   // (Tx, m): α<t, t'> for t' = 0 .. Tx-1; each column sums to 1
};

// Exercise 1. One step of attention: how much the output step t should look
// at each input step t', from s<t-1> and every a<t'>. With m = s_prev.cols()
// and Tx = a.cols() / m, the course's layers become:
//   RepeatVector(Tx)(s_prev)   s_rep = repeat_columns(s_prev, Tx)  (n_s, m·Tx)
//   Concatenate(-1)([a, s_rep]) concat = concat_rows({a, s_rep})
//                                                     (2 n_a + n_s, m·Tx)
//   densor1 = Dense(10, tanh)  e = tanh(W1 concat + b1)            (10, m·Tx)
//   densor2 = Dense(1, relu)   energies = relu(W2 e + b2)           (1, m·Tx)
//   softmax over Tx (axis 1)   alphas = softmax(reshape(energies, Tx, m), 0)
//                                                                   (Tx, m)
//   Dot(axes=1)([alphas, a])   context = batch_matmul(a, alphas, m) (2 n_a, m)
//   a: (2 n_a, m·Tx)  s_prev: (n_s, m)
Attention one_step_attention(const Var& a, const Var& s_prev,
                             const AttentionParameters& parameters);

// ================================================================ model

// What modelf returns: the course's `outputs` list and the attention
// weights of every output step (for the attention map).
struct ModelOutput {
  // Ty logits (n_y, m): the output layer Dense(machine_vocab_size) BEFORE
  // its softmax (the loss applies it; ag::softmax(outputs[t]) is the
  // course's ŷ<t>).
  std::vector<Var> outputs;
  std::vector<Var> alphas;  // Ty attention weights (Tx, m)
};

// Exercise 2. The whole model, the course's modelf, for a batch Xoh
// (human_vocab_size, m, Tx) of one-hot inputs:
//   Step 1, the pre-attention Bidirectional(LSTM(n_a, return_sequences)):
//     forward:  a→<0..Tx-1> from lstm_cell_forward over t = 0 .. Tx-1
//     backward: a←<Tx-1..0> from another LSTM over t = Tx-1 .. 0
//     (both start from zeros (n_a, m); the input of step t is
//     Constant(time_step(Xoh, t)))
//     a<t> = [a→<t>; a←<t>] (2 n_a, m), stacked example-major into
//     a = interleave_columns({a<0>, ..., a<Tx-1>})           (2 n_a, m·Tx)
//   Step 2, for t = 0 .. Ty-1 (s and c start from zeros (n_s, m), the
//   course's s0 and c0):
//     A. context = one_step_attention(a, s).context
//     B. the post-attention LSTM: {s, c} = lstm_cell_forward(context, s, c,
//        post_attention_lstm)
//     C. the output layer: outputs[t] = Wy s + by   (n_y, m), logits
//     D. keep outputs[t] and the step's alphas
// Tx, m, n_a and n_s come from the shapes of Xoh and of the parameters.
ModelOutput modelf(const Tensor3& Xoh, int Ty, const NmtParameters& parameters);

// ============================================================= decoding

// A decoded sequence and its log-probability log P(y<0>, ..., y<T-1> | x).
struct Hypothesis {
  std::vector<int> tokens;
  double log_prob = 0;
};

// A model's next-token distribution: for a prefix y<0..t-1> (maybe empty),
// the log-probabilities log P(y<t> = k | prefix, x) of every token k (a
// vector of size vocab_size). The date model ignores the prefix (its
// decoder does not feed back its predictions); a language model would not.
using NextLogProbs = std::function<dl::Vector(const std::vector<int>&)>;

// Exercise 3. Greedy decoding: `length` times, append the most likely next
// token (the lowest index on a tie); log_prob is the sum of the chosen
// tokens' log-probabilities.
Hypothesis greedy_search(const NextLogProbs& next, int length);

// Exercise 4. Beam search of width B = beam_width: keep the B most likely
// prefixes; at each of the `length` steps extend every kept prefix by every
// token, score each candidate by log P(prefix) + log P(token | prefix), and
// keep the B best. Returns the final beam, best first (at most B
// hypotheses). On a tie the earlier candidate wins: candidates are made in
// beam order, then token order, and sorted with a stable sort. With B = 1
// this is greedy_search.
std::vector<Hypothesis> beam_search(const NextLogProbs& next, int length,
                                    int beam_width);

// The reference solution (reference.cc) has the same functions, in
// seq2seq_attention::reference. The grader compares yours with it.
namespace reference {
decltype(seq2seq_attention::one_step_attention) one_step_attention;
decltype(seq2seq_attention::modelf) modelf;
decltype(seq2seq_attention::greedy_search) greedy_search;
decltype(seq2seq_attention::beam_search) beam_search;
}  // namespace reference

}  // namespace seq2seq_attention

#endif  // DLCOURSE_COURSE4_SEQ_SEQ2SEQ_ATTENTION_SEQ2SEQ_ATTENTION_H_
