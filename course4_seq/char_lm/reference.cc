// The reference solution of course4_seq/char_lm.

#include <cctype>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "common/core/random.h"
#include "course4_seq/char_lm/char_lm.h"

namespace char_lm {
namespace reference {

Gradients clip(const Gradients& gradients, double maxValue) {
  Gradients clipped = gradients;  // the course's copy.deepcopy
  for (Matrix* gradient : {&clipped.dWax, &clipped.dWaa, &clipped.dWya,
                           &clipped.db, &clipped.dby}) {
    *gradient = gradient->cwiseMax(-maxValue).cwiseMin(maxValue);
  }
  return clipped;
}

std::vector<int> sample(const Parameters& parameters,
                        const std::map<char, int>& char_to_ix, int seed) {
  const Parameters& p = parameters;
  const Eigen::Index vocab_size = p.by.rows();
  const Eigen::Index n_a = p.Waa.cols();
  Matrix x = Matrix::Zero(vocab_size, 1);
  Matrix a_prev = Matrix::Zero(n_a, 1);
  std::vector<int> indices;
  int idx = -1;
  int counter = 0;
  const int newline_character = char_to_ix.at('\n');
  dl::RandomState rng;
  while (idx != newline_character && counter != 50) {
    const Matrix a = (p.Wax * x + p.Waa * a_prev + p.b).array().tanh().matrix();
    const Matrix z = p.Wya * a + p.by;
    const Matrix y = softmax(z);
    rng.seed(counter + seed);  // for grading purposes
    const std::vector<double> probabilities(y.data(), y.data() + y.size());
    idx = static_cast<int>(rng.choice(probabilities));
    indices.push_back(idx);
    x = Matrix::Zero(vocab_size, 1);
    x(idx, 0) = 1;
    a_prev = a;
    seed += 1;
    counter += 1;
  }
  if (counter == 50) indices.push_back(char_to_ix.at('\n'));
  return indices;
}

OptimizeResult optimize(const std::vector<int>& X, const std::vector<int>& Y,
                        const Matrix& a_prev, Parameters& parameters,
                        double learning_rate) {
  const RnnForwardOutput forward = rnn_forward(X, Y, a_prev, parameters);
  RnnBackwardOutput backward = rnn_backward(X, Y, parameters, forward.cache);
  OptimizeResult result;
  result.loss = forward.loss;
  result.gradients = reference::clip(backward.gradients, 5);
  update_parameters(parameters, result.gradients, learning_rate);
  result.a_last = backward.a.empty() ? a_prev : backward.a[X.size() - 1];
  return result;
}

namespace {

// Python's str.strip(): no blanks at either end.
std::string strip(const std::string& s) {
  size_t begin = 0, end = s.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(s[begin]))) {
    ++begin;
  }
  while (end > begin && std::isspace(static_cast<unsigned char>(s[end - 1]))) {
    --end;
  }
  return s.substr(begin, end - begin);
}

// Python's print of a list of indices, None for kNone.
std::string list_string(const std::vector<int>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) {
    s += (i ? ", " : "") +
         (v[i] == kNone ? std::string("None") : std::to_string(v[i]));
  }
  return s + "]";
}

}  // namespace

ModelResult model(const std::vector<std::string>& data_x,
                  const std::map<int, char>& ix_to_char,
                  const std::map<char, int>& char_to_ix, int num_iterations,
                  int n_a, int dino_names, int vocab_size, bool verbose) {
  const int n_x = vocab_size, n_y = vocab_size;
  ModelResult result;
  Parameters& parameters = result.parameters;
  parameters = initialize_parameters(n_a, n_x, n_y);
  double loss = get_initial_loss(vocab_size, dino_names);

  std::vector<std::string> examples;
  for (const std::string& x : data_x) examples.push_back(strip(x));
  if (examples.empty()) throw std::invalid_argument("model: data_x is empty");
  dl::RandomState rng(0);
  rng.shuffle(examples);

  Matrix a_prev = Matrix::Zero(n_a, 1);
  result.last_dino_name = "abc";
  const int n_examples = static_cast<int>(examples.size());

  for (int j = 0; j < num_iterations; ++j) {
    const int idx = j % n_examples;
    const std::string& single_example = examples[idx];
    std::vector<int> single_example_ix;
    for (char ch : single_example)
      single_example_ix.push_back(char_to_ix.at(ch));
    std::vector<int> X = {kNone};
    X.insert(X.end(), single_example_ix.begin(), single_example_ix.end());
    const int ix_newline = char_to_ix.at('\n');
    std::vector<int> Y(X.begin() + 1, X.end());
    Y.push_back(ix_newline);

    OptimizeResult step =
        reference::optimize(X, Y, a_prev, parameters, /*learning_rate=*/0.01);
    a_prev = std::move(step.a_last);

    if (verbose && (j == 0 || j == n_examples - 1 || j == n_examples)) {
      std::printf("j =  %d idx =  %d\n", j, idx);
    }
    if (verbose && j == 0) {
      std::printf("single_example = %s\n", single_example.c_str());
      std::string chars;
      for (char ch : single_example) {
        chars += (chars.empty() ? "'" : ", '") + std::string(1, ch) + "'";
      }
      std::printf("single_example_chars [%s]\n", chars.c_str());
      std::printf("single_example_ix %s\n",
                  list_string(single_example_ix).c_str());
      std::printf(" X =  %s \n Y =        %s \n\n", list_string(X).c_str(),
                  list_string(Y).c_str());
    }

    loss = smooth(loss, step.loss);
    result.losses.push_back(loss);

    if (j % 2000 == 0) {
      std::printf("Iteration: %d, Loss: %f\n\n", j, loss);
      int seed = 0;
      for (int name = 0; name < dino_names; ++name) {
        const std::vector<int> sampled_indices =
            reference::sample(parameters, char_to_ix, seed);
        result.last_dino_name = get_sample(sampled_indices, ix_to_char);
        std::string shown = result.last_dino_name;
        if (!shown.empty() && shown.back() == '\n') shown.pop_back();
        std::printf("%s\n", shown.c_str());
        seed += 1;  // the same names every run, for grading
      }
      std::printf("\n\n");
      std::fflush(stdout);
    }
  }
  return result;
}

}  // namespace reference
}  // namespace char_lm
