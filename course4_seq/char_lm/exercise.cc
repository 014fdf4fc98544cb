// Your solutions to course4_seq/char_lm. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course4_seq/char_lm/...
// The formulas and shapes are in char_lm.h and README.md; the given helpers
// (softmax, smooth, get_initial_loss, get_sample, initialize_parameters,
// rnn_forward, rnn_backward, update_parameters) in char_lm_utils.h.

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/grading/not_implemented.h"
#include "course4_seq/char_lm/char_lm.h"

namespace char_lm {

Gradients clip(const Gradients& gradients, double maxValue) {
  // TODO: Gradients clipped = gradients; then for each of clipped.dWax,
  //       dWaa, dWya, db, dby: every entry into [-maxValue, maxValue];
  //       return clipped. (≈4 lines)
  //   Hint: g.cwiseMax(lo).cwiseMin(hi) is np.clip(g, lo, hi), but it
  //   returns a new matrix: assign it back (numpy's out=). A loop over
  //   `for (Matrix* g : {&clipped.dWax, ...})` changes the copy in place.
  return dl::not_implemented<Gradients>("clip");
}

std::vector<int> sample(const Parameters& parameters,
                        const std::map<char, int>& char_to_ix, int seed) {
  // TODO: x = zeros (vocab_size, 1), a_prev = zeros (n_a, 1), idx = -1,
  //       counter = 0, newline = char_to_ix.at('\n');
  //       while (idx != newline && counter != 50):
  //         a = tanh(Wax x + Waa a_prev + b); y = softmax(Wya a + by);
  //         rng.seed(counter + seed); idx = rng.choice(p), p = y's entries;
  //         append idx; x = one-hot of idx; a_prev = a;
  //         seed += 1; counter += 1;
  //       if counter == 50, append newline. (≈20 lines)
  //   Hint: vocab_size = by.rows(), n_a = Waa.cols(); dl::RandomState rng;
  //   std::vector<double> p(y.data(), y.data() + y.size()) for choice.
  return dl::not_implemented<std::vector<int>>("sample");
}

OptimizeResult optimize(const std::vector<int>& X, const std::vector<int>& Y,
                        const Matrix& a_prev, Parameters& parameters,
                        double learning_rate) {
  // TODO: forward = rnn_forward(X, Y, a_prev, parameters);
  //       backward = rnn_backward(X, Y, parameters, forward.cache);
  //       gradients = clip(backward.gradients, 5);
  //       update_parameters(parameters, gradients, learning_rate);
  //       return {forward.loss, gradients, backward.a[X.size() - 1]}.
  //       (≈5 lines)
  return dl::not_implemented<OptimizeResult>("optimize");
}

ModelResult model(const std::vector<std::string>& data_x,
                  const std::map<int, char>& ix_to_char,
                  const std::map<char, int>& char_to_ix, int num_iterations,
                  int n_a, int dino_names, int vocab_size, bool verbose) {
  // TODO: (≈35 lines; char_lm.h spells out every step)
  //   result.parameters = initialize_parameters(n_a, vocab_size, vocab_size);
  //   loss = get_initial_loss(vocab_size, dino_names);
  //   examples = the names of data_x; dl::RandomState rng(0);
  //   rng.shuffle(examples); a_prev = zeros (n_a, 1);
  //   result.last_dino_name = "abc";
  //   for j in 0 .. num_iterations-1:
  //     idx = j % examples.size(); X = {kNone} then char_to_ix.at(c) for
  //     every character c of examples[idx]; Y = X without its first entry,
  //     plus char_to_ix.at('\n');
  //     step = optimize(X, Y, a_prev, result.parameters, 0.01);
  //     a_prev = step.a_last; loss = smooth(loss, step.loss);
  //     result.losses.push_back(loss);
  //     if j % 2000 == 0:
  //       std::printf("Iteration: %d, Loss: %f\n\n", j, loss);
  //       for seed in 0 .. dino_names-1:
  //         result.last_dino_name =
  //             get_sample(sample(result.parameters, char_to_ix, seed),
  //                        ix_to_char);
  //         print it without its '\n', then a newline;
  //       std::printf("\n\n");
  //   (verbose: optionally print j, idx, X and Y as the course does.)
  return dl::not_implemented<ModelResult>("model");
}

}  // namespace char_lm
