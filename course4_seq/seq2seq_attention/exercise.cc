// Your solutions to course4_seq/seq2seq_attention. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course4_seq/seq2seq_attention/...
// The formulas and shapes are in seq2seq_attention.h and README.md; the ops
// (matmul, tanh, softmax, repeat_columns, ...) in common/nn/autograd.h; the
// given LSTM step, data and weights in nmt_utils.h.

#include <vector>

#include "common/grading/not_implemented.h"
#include "common/nn/autograd.h"
#include "course4_seq/seq2seq_attention/seq2seq_attention.h"

namespace seq2seq_attention {

namespace ag = dl::ag;

Attention one_step_attention(const Var& a, const Var& s_prev,
                             const AttentionParameters& parameters) {
  // TODO: m = s_prev.cols(), Tx = a.cols() / m;
  //       s_rep = ag::repeat_columns(s_prev, Tx);        (RepeatVector)
  //       concat = ag::concat_rows({a, s_rep});          (Concatenate, a first)
  //       e = ag::tanh(ag::matmul(W1, concat) + b1);     (densor1)
  //       energies = ag::relu(ag::matmul(W2, e) + b2);   (densor2)
  //       alphas = ag::softmax(ag::reshape(energies, Tx, m), 0);
  //       context = ag::batch_matmul(a, alphas, m).      (Dot(axes=1)) (≈7
  //       lines)
  return dl::not_implemented<Attention>("one_step_attention");
}

ModelOutput modelf(const Tensor3& Xoh, int Ty,
                   const NmtParameters& parameters) {
  // TODO: Step 1, the bidirectional LSTM: x<t> = ag::Constant(time_step(Xoh,
  // t));
  //       a forward lstm_cell_forward loop over t = 0 .. Tx-1 with
  //       encoder_forward and a backward one over t = Tx-1 .. 0 with
  //       encoder_backward, both from zeros (n_a, m);
  //       a = ag::interleave_columns({[a→<t>; a←<t>] for each t}).
  //       Step 2, for t = 0 .. Ty-1 from s = c = zeros (n_s, m):
  //       attention = one_step_attention(a, s, parameters.attention);
  //       {s, c} = lstm_cell_forward(attention.context, s, c,
  //                                  parameters.post_attention_lstm);
  //       push Wy s + by into outputs and attention.alphas into alphas.
  //       (≈25 lines)
  //   Hint: Xoh.dimension(1) is m, Xoh.dimension(2) is Tx; n_a is
  //   parameters.encoder_forward.Wf.rows().
  return dl::not_implemented<ModelOutput>("modelf");
}

Hypothesis greedy_search(const NextLogProbs& next, int length) {
  // TODO: h = {}; `length` times: log_probs = next(h.tokens); take the
  //       index of the largest entry (log_probs.maxCoeff(&best)), push it
  //       into h.tokens and add log_probs(best) to h.log_prob. (≈7 lines)
  return dl::not_implemented<Hypothesis>("greedy_search");
}

std::vector<Hypothesis> beam_search(const NextLogProbs& next, int length,
                                    int beam_width) {
  // TODO: beam = {empty hypothesis}; `length` times: for every h in beam and
  //       every token k of next(h.tokens), a candidate h + k with log_prob
  //       h.log_prob + log_probs(k); std::stable_sort the candidates by
  //       log_prob, largest first; keep the first beam_width. Return the
  //       beam. (≈15 lines)
  return dl::not_implemented<std::vector<Hypothesis>>("beam_search");
}

}  // namespace seq2seq_attention
