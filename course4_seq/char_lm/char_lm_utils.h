// File: course4_seq/char_lm/char_lm_utils.h
//
// Given code (not graded): the course's utils.py for "Dinosaurus Island"
// (softmax, smooth, print_sample, get_initial_loss, initialize_parameters,
// rnn_step_forward / rnn_step_backward, rnn_forward / rnn_backward,
// update_parameters) and the notebook's first cells (read the names, build the
// vocabulary).
//
// Everything works on ONE name at a time (m = 1): a character is a one-hot
// column of shape (vocab_size, 1), and a name is a list of character indices.
//
//   Python                             C++
//   X = [None] + [char_to_ix[c] ...]   std::vector<int> X = {kNone, ...}
//   x[t] = np.zeros((vocab_size, 1))   Matrix::Zero(vocab_size, 1)
//   parameters['Wax']                  parameters.Wax
//   gradients['dWax']                  gradients.dWax
//   cache = (y_hat, a, x)              RnnCache {y_hat, a, x, a_prev}
//
// Sizes: n_x = n_y = vocab_size (27: '\n' and 'a'..'z'), n_a hidden units.

#ifndef DLCOURSE_COURSE4_SEQ_CHAR_LM_CHAR_LM_UTILS_H_
#define DLCOURSE_COURSE4_SEQ_CHAR_LM_CHAR_LM_UTILS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/core/tensor.h"

namespace char_lm {

using dl::Matrix;

// The course's None in X: "no character", a one-hot vector of zeros. X[0] of
// every training example is kNone (the RNN starts from nothing).
inline constexpr int kNone = -1;

// The RNN's parameters (the course's dictionary keys).
struct Parameters {
  Matrix Wax;  // (n_a, n_x)  input (one-hot character) -> hidden
  Matrix Waa;  // (n_a, n_a)  hidden -> hidden
  Matrix Wya;  // (n_y, n_a)  hidden -> output
  Matrix b;    // (n_a, 1)    hidden bias
  Matrix by;   // (n_y, 1)    output bias
};

// Their gradients (the course's "dWax", ..., "dby"), plus "da_next": the
// gradient that rnn_step_backward sends to the step before (backpropagation
// through time). da_next is not a parameter's gradient; clip leaves it alone.
struct Gradients {
  Matrix dWax;     // (n_a, n_x)
  Matrix dWaa;     // (n_a, n_a)
  Matrix dWya;     // (n_y, n_a)
  Matrix db;       // (n_a, 1)
  Matrix dby;      // (n_y, 1)
  Matrix da_next;  // (n_a, 1)
};

// ------------------------------------------------------------- the corpus

// The notebook's `data = open('dinos.txt').read().lower()`: the file's text,
// lower-cased. NotFound names the path when the file is missing;
// InvalidArgument names the line when a byte is not printable ASCII (or a
// line end): the model counts every byte as one character.
absl::StatusOr<std::string> read_data(const std::string& path);

// `data.split("\n")`, without empty lines: one name per element.
std::vector<std::string> split_names(const std::string& data);

// The notebook's vocabulary: chars = sorted(set(data)),
// char_to_ix = {ch: i}, ix_to_char = {i: ch}. For the dinosaur names it is
// '\n' -> 0, 'a' -> 1, ..., 'z' -> 26.
struct Vocabulary {
  std::vector<char> chars;  // sorted
  std::map<char, int> char_to_ix;
  std::map<int, char> ix_to_char;
};
Vocabulary build_vocabulary(const std::string& data);

// --------------------------------------------------------- utils.py proper

// e^(x - max(x)) / Σ over axis 0: a softmax of every column.
//   x: (n, m) -> (n, m), every column sums to 1.
Matrix softmax(const Matrix& x);

// The smoothed loss: loss * 0.999 + cur_loss * 0.001.
double smooth(double loss, double cur_loss);

// The loss the smoothing starts from: -ln(1 / vocab_size) * seq_length, the
// loss of seq_length characters guessed uniformly at random.
double get_initial_loss(int vocab_size, int seq_length);

// The characters of sample_ix as one string, first letter capitalised:
// [20, 18, 15, 0] -> "Tro\n". (The course's get_sample.)
std::string get_sample(const std::vector<int>& sample_ix,
                       const std::map<int, char>& ix_to_char);

// Prints get_sample(sample_ix, ix_to_char) to stdout, as it is (the
// course's print_sample(..., end='')).
void print_sample(const std::vector<int>& sample_ix,
                  const std::map<int, char>& ix_to_char);

// np.random.seed(1); Wax = randn(n_a, n_x) * 0.01; Waa = randn(n_a, n_a) *
// 0.01; Wya = randn(n_y, n_a) * 0.01 (in that order); b, by zeros.
Parameters initialize_parameters(int n_a, int n_x, int n_y);

struct StepForward {
  Matrix a_next;  // (n_a, 1)
  Matrix p_t;     // (n_y, 1) probabilities of the next character
};

// One time step:
//   a_next = tanh(Wax x + Waa a_prev + b)
//   p_t    = softmax(Wya a_next + by)
//   a_prev: (n_a, 1)  x: (n_x, 1)
StepForward rnn_step_forward(const Parameters& parameters, const Matrix& a_prev,
                             const Matrix& x);

// Backward through one time step, ADDING into gradients (the course's
// dictionary is updated in place):
//   dWya += dy aᵀ;  dby += dy
//   da = Wyaᵀ dy + da_next                  (from the output and from t+1)
//   daraw = (1 - a²) * da                   (through the tanh)
//   db += daraw;  dWax += daraw xᵀ;  dWaa += daraw a_prevᵀ
//   da_next = Waaᵀ daraw                    (sent on to step t-1)
//   dy: (n_y, 1) = ŷ<t> - onehot(Y[t])   x: (n_x, 1)   a, a_prev: (n_a, 1)
void rnn_step_backward(const Matrix& dy, Gradients& gradients,
                       const Parameters& parameters, const Matrix& x,
                       const Matrix& a, const Matrix& a_prev);

// The course's cache = (y_hat, a, x), with its a[-1] as a_prev.
struct RnnCache {
  std::vector<Matrix> y_hat;  // y_hat[t]: (n_y, 1), t = 0 .. T_x-1
  std::vector<Matrix> a;      // a[t]: (n_a, 1), the hidden state after step t
  std::vector<Matrix> x;      // x[t]: (n_x, 1), one-hot X[t] (zeros if kNone)
  Matrix a_prev;              // (n_a, 1), the state before step 0 (a[-1])
};

struct RnnForwardOutput {
  double loss = 0;  // Σ_t -ln ŷ<t>[Y[t]]: the cross-entropy of the name
  RnnCache cache;
};

// The RNN over one name: a[-1] = a0; for t = 0 .. T_x-1, x[t] = one-hot of
// X[t] (size n_x = Wax.cols(); zeros when X[t] is kNone), a[t], ŷ[t] =
// rnn_step_forward(parameters, a[t-1], x[t]); loss -= ln ŷ[t][Y[t]].
//   X, Y: T_x indices each (Y[t] is the character that should follow X[t])
//   a0: (n_a, 1)
// Throws std::invalid_argument if X and Y differ in length or an index is out
// of the vocabulary.
RnnForwardOutput rnn_forward(const std::vector<int>& X,
                             const std::vector<int>& Y, const Matrix& a0,
                             const Parameters& parameters);

struct RnnBackwardOutput {
  Gradients gradients;    // of the loss with respect to each parameter
  std::vector<Matrix> a;  // the cache's hidden states: a[t] for t = 0 .. T_x-1
};

// Backpropagation through time: every gradient starts at zeros, da_next at
// zeros (n_a, 1); for t = T_x-1 down to 0, dy = ŷ[t] with 1 subtracted at
// Y[t], then rnn_step_backward(dy, gradients, parameters, x[t], a[t],
// a[t-1]). Returns the gradients and the hidden states.
RnnBackwardOutput rnn_backward(const std::vector<int>& X,
                               const std::vector<int>& Y,
                               const Parameters& parameters,
                               const RnnCache& cache);

// Gradient descent, in place (the course changes the dictionary it is given):
//   Wax -= lr dWax; Waa -= lr dWaa; Wya -= lr dWya; b -= lr db; by -= lr dby
void update_parameters(Parameters& parameters, const Gradients& gradients,
                       double lr);

}  // namespace char_lm

#endif  // DLCOURSE_COURSE4_SEQ_CHAR_LM_CHAR_LM_UTILS_H_
