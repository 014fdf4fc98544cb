// The reference solution of course4_seq/seq2seq_attention. The grader
// compares your exercise.cc with it.

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/nn/autograd.h"
#include "course4_seq/seq2seq_attention/seq2seq_attention.h"

namespace seq2seq_attention {
namespace reference {

namespace ag = dl::ag;

Attention one_step_attention(const Var& a, const Var& s_prev,
                             const AttentionParameters& parameters) {
  const Eigen::Index m = s_prev.cols();
  const Eigen::Index Tx = a.cols() / m;
  // RepeatVector(Tx): s_prev next to every a<t'> of its example.
  const Var s_rep = ag::repeat_columns(s_prev, Tx);  // (n_s, m·Tx)
  // Concatenate on the features: a first, then s_prev.
  const Var concat = ag::concat_rows({a, s_rep});  // (2 n_a + n_s, m·Tx)
  // densor1, densor2: the "intermediate energies" and the energies.
  const Var e = ag::tanh(ag::matmul(parameters.W1, concat) +
                         parameters.b1);  // (10, m·Tx)
  const Var energies =
      ag::relu(ag::matmul(parameters.W2, e) + parameters.b2);  // (1, m·Tx)
  // The softmax over the Tx input steps of each example.
  Attention out;
  out.alphas = ag::softmax(ag::reshape(energies, Tx, m), 0);  // (Tx, m)
  // Dot(axes=1): context_i = Σ_t' α<t'>_i a<t'>_i = A_i α_i.
  out.context = ag::batch_matmul(a, out.alphas, m);  // (2 n_a, m)
  return out;
}

ModelOutput modelf(const Tensor3& Xoh, int Ty,
                   const NmtParameters& parameters) {
  const Eigen::Index m = Xoh.dimension(1), Tx = Xoh.dimension(2);
  const Eigen::Index n_a = parameters.encoder_forward.Wf.rows();
  const Eigen::Index n_s = parameters.post_attention_lstm.Wf.rows();

  // Step 1: the pre-attention bidirectional LSTM.
  std::vector<Var> x(Tx);
  for (Eigen::Index t = 0; t < Tx; ++t) x[t] = ag::Constant(time_step(Xoh, t));
  const Var zeros_a = ag::Constant(Matrix::Zero(n_a, m));
  std::vector<Var> a_forward(Tx), a_backward(Tx);
  LstmState state{zeros_a, zeros_a};
  for (Eigen::Index t = 0; t < Tx; ++t) {
    state =
        lstm_cell_forward(x[t], state.a, state.c, parameters.encoder_forward);
    a_forward[t] = state.a;
  }
  state = {zeros_a, zeros_a};
  for (Eigen::Index t = Tx - 1; t >= 0; --t) {
    state =
        lstm_cell_forward(x[t], state.a, state.c, parameters.encoder_backward);
    a_backward[t] = state.a;
  }
  std::vector<Var> a_steps(Tx);
  for (Eigen::Index t = 0; t < Tx; ++t) {
    a_steps[t] = ag::concat_rows({a_forward[t], a_backward[t]});  // (2 n_a, m)
  }
  const Var a = ag::interleave_columns(a_steps);  // (2 n_a, m·Tx)

  // Step 2: Ty steps of attention, post-attention LSTM and output layer.
  ModelOutput out;
  const Var zeros_s = ag::Constant(Matrix::Zero(n_s, m));
  LstmState s{zeros_s, zeros_s};
  for (int t = 0; t < Ty; ++t) {
    const Attention attention =
        reference::one_step_attention(a, s.a, parameters.attention);
    s = lstm_cell_forward(attention.context, s.a, s.c,
                          parameters.post_attention_lstm);
    out.outputs.push_back(ag::matmul(parameters.Wy, s.a) + parameters.by);
    out.alphas.push_back(attention.alphas);
  }
  return out;
}

Hypothesis greedy_search(const NextLogProbs& next, int length) {
  Hypothesis h;
  for (int t = 0; t < length; ++t) {
    const dl::Vector log_probs = next(h.tokens);
    Eigen::Index best = 0;
    log_probs.maxCoeff(&best);  // the first maximum
    h.tokens.push_back(static_cast<int>(best));
    h.log_prob += log_probs(best);
  }
  return h;
}

std::vector<Hypothesis> beam_search(const NextLogProbs& next, int length,
                                    int beam_width) {
  if (beam_width < 1) {
    throw std::invalid_argument("beam_search: beam_width must be >= 1, got " +
                                std::to_string(beam_width));
  }
  std::vector<Hypothesis> beam(1);  // the empty prefix, log P = 0
  for (int t = 0; t < length; ++t) {
    std::vector<Hypothesis> candidates;
    for (const Hypothesis& h : beam) {
      const dl::Vector log_probs = next(h.tokens);
      for (Eigen::Index k = 0; k < log_probs.size(); ++k) {
        Hypothesis c = h;
        c.tokens.push_back(static_cast<int>(k));
        c.log_prob += log_probs(k);
        candidates.push_back(std::move(c));
      }
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Hypothesis& x, const Hypothesis& y) {
                       return x.log_prob > y.log_prob;
                     });
    if (static_cast<int>(candidates.size()) > beam_width) {
      candidates.resize(beam_width);
    }
    beam = std::move(candidates);
  }
  return beam;
}

}  // namespace reference
}  // namespace seq2seq_attention
