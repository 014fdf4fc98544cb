// File: course4_seq/char_lm/char_lm.h
//
// Course 5, week 1, assignment 2: "Dinosaurus Island - Character level
// language model". An RNN reads dinosaur names one character at a time and
// learns to predict the next character; sampling from it, character by
// character, makes up new names.
//
// One name is one training example (m = 1). Characters are indices into the
// vocabulary ('\n' = 0, 'a' = 1, ..., 'z' = 26; '\n' ends a name), fed to the
// RNN as one-hot columns (vocab_size, 1). For the name "rex":
//   X = [kNone, r, e, x]       (kNone: the zero vector, "nothing yet")
//   Y = [r, e, x, '\n']        (Y[t] = X[t+1]: the character to predict)
//
// The given code (char_lm_utils.h): Parameters {Wax, Waa, Wya, b, by},
// Gradients {dWax, dWaa, dWya, db, dby, da_next}, softmax, smooth,
// get_initial_loss, get_sample, initialize_parameters, rnn_forward,
// rnn_backward, update_parameters.
//   Wax (n_a, n_x)  Waa (n_a, n_a)  Wya (n_y, n_a)  b (n_a, 1)  by (n_y, 1)
//   n_x = n_y = vocab_size
//
// Exercises, in order (write them in exercise.cc):
//   1. clip   2. sample   3. optimize   4. model

#ifndef DLCOURSE_COURSE4_SEQ_CHAR_LM_CHAR_LM_H_
#define DLCOURSE_COURSE4_SEQ_CHAR_LM_CHAR_LM_H_

#include <map>
#include <string>
#include <vector>

#include "common/core/tensor.h"
#include "course4_seq/char_lm/char_lm_utils.h"

namespace char_lm {

// Exercise 1. Clips every entry of dWax, dWaa, dWya, db and dby into
// [-maxValue, maxValue]: entries above maxValue become maxValue, entries
// below -maxValue become -maxValue, the others keep their value (numpy's
// np.clip(gradient, -maxValue, maxValue, out=gradient) on each). Returns the
// clipped copy (the course deep-copies the dictionary first); da_next is
// copied as it is. Every shape stays the same.
Gradients clip(const Gradients& gradients, double maxValue);

// Exercise 2. Makes up one name with the RNN. x = zeros (vocab_size, 1),
// a_prev = zeros (n_a, 1), idx = -1, counter = 0; while idx is not
// char_to_ix['\n'] and counter != 50:
//   a = tanh(Wax x + Waa a_prev + b);  y = softmax(Wya a + by)
//   np.random.seed(counter + seed)                 (for grading)
//   idx = np.random.choice(range(vocab_size), p = y.ravel())
//   append idx; x = one-hot of idx; a_prev = a; seed += 1; counter += 1
// then, if counter reached 50, append char_to_ix['\n']. vocab_size is
// by.rows(), n_a is Waa.cols(). Returns the indices (at most 51; the last is
// always char_to_ix['\n']).
// C++: dl::RandomState rng; rng.seed(counter + seed); rng.choice(p) with p a
// std::vector<double> of the vocab_size probabilities.
std::vector<int> sample(const Parameters& parameters,
                        const std::map<char, int>& char_to_ix, int seed);

// What optimize returns: the course's (loss, gradients, a[len(X)-1]).
struct OptimizeResult {
  double loss = 0;      // the cross-entropy of this name, before the update
  Gradients gradients;  // clipped to [-5, 5]
  Matrix a_last;        // (n_a, 1): the hidden state after the last character
};

// Exercise 3. One step of stochastic gradient descent on one name:
//   rnn_forward -> rnn_backward -> clip(gradients, 5) -> update_parameters.
// `parameters` is updated IN PLACE (as the course's dictionary).
//   X, Y: the name's indices (see the top of this file)   a_prev: (n_a, 1)
OptimizeResult optimize(const std::vector<int>& X, const std::vector<int>& Y,
                        const Matrix& a_prev, Parameters& parameters,
                        double learning_rate = 0.01);

// What model returns: the course's (parameters, last_dino_name), and the
// smoothed loss of every iteration (for the loss curve).
struct ModelResult {
  Parameters parameters;
  std::string last_dino_name;  // the last name sampled, e.g. "Trodonosaurus\n"
  std::vector<double> losses;  // losses[j]: the smoothed loss after step j
};

// Exercise 4. Trains the RNN on the names in data_x, one name per step:
//   parameters = initialize_parameters(n_a, vocab_size, vocab_size)
//   loss = get_initial_loss(vocab_size, dino_names)
//   examples = data_x (each name stripped of blanks); np.random.seed(0);
//   np.random.shuffle(examples); a_prev = zeros (n_a, 1);
//   last_dino_name = "abc"
//   for j in 0 .. num_iterations-1:
//     idx = j % len(examples); X = [kNone] + indices of examples[idx];
//     Y = X[1:] + [char_to_ix['\n']]
//     curr_loss, gradients, a_prev = optimize(X, Y, a_prev, parameters, 0.01)
//     loss = smooth(loss, curr_loss)      (and store it in losses)
//     if j % 2000 == 0: print "Iteration: j, Loss: loss" and dino_names
//       samples (seed = 0, 1, ..., dino_names-1), each as
//       last_dino_name = get_sample(sample(parameters, char_to_ix, seed), ...)
// The hidden state a_prev is carried from one name to the next.
// verbose prints the course's debug lines (j, idx, the first X and Y).
ModelResult model(const std::vector<std::string>& data_x,
                  const std::map<int, char>& ix_to_char,
                  const std::map<char, int>& char_to_ix,
                  int num_iterations = 35000, int n_a = 50, int dino_names = 7,
                  int vocab_size = 27, bool verbose = false);

// The reference solution (reference.cc) has the same functions, in
// char_lm::reference. The grader compares yours with it.
namespace reference {
decltype(char_lm::clip) clip;
decltype(char_lm::sample) sample;
decltype(char_lm::optimize) optimize;
decltype(char_lm::model) model;
}  // namespace reference

}  // namespace char_lm

#endif  // DLCOURSE_COURSE4_SEQ_CHAR_LM_CHAR_LM_H_
