#include "course4_seq/char_lm/char_lm_utils.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/core/random.h"

namespace char_lm {

absl::StatusOr<std::string> read_data(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError("cannot open the names file " + path);
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string data = text.str();
  // One byte is one character for the model: plain ASCII text only.
  int line = 1;
  for (char& c : data) {
    const unsigned char byte = static_cast<unsigned char>(c);
    if (byte == '\n') {
      ++line;
    } else if (byte != '\r' && (byte < 0x20 || byte > 0x7e)) {
      char hex[8];
      std::snprintf(hex, sizeof(hex), "0x%02X", byte);
      return absl::InvalidArgumentError(
          path + ", line " + std::to_string(line) + ": byte " + hex +
          " is not plain ASCII; the names file must be ASCII text, one name "
          "per line (the model treats every byte as one character)");
    }
    c = static_cast<char>(std::tolower(byte));
  }
  return data;
}

std::vector<std::string> split_names(const std::string& data) {
  std::vector<std::string> names;
  std::string line;
  std::istringstream in(data);
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) names.push_back(line);
  }
  return names;
}

Vocabulary build_vocabulary(const std::string& data) {
  const std::set<char> unique(data.begin(), data.end());
  Vocabulary v;
  v.chars.assign(unique.begin(), unique.end());
  for (size_t i = 0; i < v.chars.size(); ++i) {
    v.char_to_ix[v.chars[i]] = static_cast<int>(i);
    v.ix_to_char[static_cast<int>(i)] = v.chars[i];
  }
  return v;
}

Matrix softmax(const Matrix& x) {
  const Eigen::ArrayXXd e_x = (x.array() - x.maxCoeff()).exp();
  return (e_x.rowwise() / e_x.colwise().sum()).matrix();
}

double smooth(double loss, double cur_loss) {
  return loss * 0.999 + cur_loss * 0.001;
}

double get_initial_loss(int vocab_size, int seq_length) {
  return -std::log(1.0 / vocab_size) * seq_length;
}

std::string get_sample(const std::vector<int>& sample_ix,
                       const std::map<int, char>& ix_to_char) {
  std::string txt;
  for (int ix : sample_ix) txt += ix_to_char.at(ix);
  if (!txt.empty()) {
    txt[0] =
        static_cast<char>(std::toupper(static_cast<unsigned char>(txt[0])));
  }
  return txt;
}

void print_sample(const std::vector<int>& sample_ix,
                  const std::map<int, char>& ix_to_char) {
  std::printf("%s", get_sample(sample_ix, ix_to_char).c_str());
}

Parameters initialize_parameters(int n_a, int n_x, int n_y) {
  dl::RandomState rng(1);
  Parameters p;
  p.Wax = rng.randn(n_a, n_x) * 0.01;  // input to hidden
  p.Waa = rng.randn(n_a, n_a) * 0.01;  // hidden to hidden
  p.Wya = rng.randn(n_y, n_a) * 0.01;  // hidden to output
  p.b = Matrix::Zero(n_a, 1);          // hidden bias
  p.by = Matrix::Zero(n_y, 1);         // output bias
  return p;
}

StepForward rnn_step_forward(const Parameters& parameters, const Matrix& a_prev,
                             const Matrix& x) {
  const Parameters& p = parameters;
  StepForward out;
  out.a_next = (p.Wax * x + p.Waa * a_prev + p.b).array().tanh().matrix();
  out.p_t = softmax(p.Wya * out.a_next + p.by);
  return out;
}

void rnn_step_backward(const Matrix& dy, Gradients& gradients,
                       const Parameters& parameters, const Matrix& x,
                       const Matrix& a, const Matrix& a_prev) {
  gradients.dWya += dy * a.transpose();
  gradients.dby += dy;
  // Backprop into a: from this step's output and from step t+1.
  const Matrix da = parameters.Wya.transpose() * dy + gradients.da_next;
  // Backprop through the tanh.
  const Matrix daraw = ((1.0 - a.array() * a.array()) * da.array()).matrix();
  gradients.db += daraw;
  gradients.dWax += daraw * x.transpose();
  gradients.dWaa += daraw * a_prev.transpose();
  gradients.da_next = parameters.Waa.transpose() * daraw;
}

namespace {

void check_index(int ix, Eigen::Index size, const char* what, size_t t,
                 bool none_allowed) {
  if ((none_allowed && ix == kNone) || (ix >= 0 && ix < size)) return;
  throw std::invalid_argument(
      std::string("rnn_forward: ") + what + "[" + std::to_string(t) +
      "] = " + std::to_string(ix) + " is not a character index (0 .. " +
      std::to_string(size - 1) + (none_allowed ? ", or kNone" : "") + ")");
}

}  // namespace

RnnForwardOutput rnn_forward(const std::vector<int>& X,
                             const std::vector<int>& Y, const Matrix& a0,
                             const Parameters& parameters) {
  if (X.size() != Y.size()) {
    throw std::invalid_argument(
        "rnn_forward: X has " + std::to_string(X.size()) + " entries, Y " +
        std::to_string(Y.size()) + "; they must have the same length");
  }
  const Eigen::Index vocab_size = parameters.Wax.cols();
  const Eigen::Index n_y = parameters.Wya.rows();
  RnnForwardOutput out;
  RnnCache& cache = out.cache;
  cache.a_prev = a0;
  for (size_t t = 0; t < X.size(); ++t) {
    check_index(X[t], vocab_size, "X", t, /*none_allowed=*/true);
    check_index(Y[t], n_y, "Y", t, /*none_allowed=*/false);
    Matrix x = Matrix::Zero(vocab_size, 1);
    if (X[t] != kNone) x(X[t], 0) = 1;
    const Matrix& a_prev = t == 0 ? cache.a_prev : cache.a[t - 1];
    StepForward step = rnn_step_forward(parameters, a_prev, x);
    out.loss -= std::log(step.p_t(Y[t], 0));
    cache.x.push_back(std::move(x));
    cache.a.push_back(std::move(step.a_next));
    cache.y_hat.push_back(std::move(step.p_t));
  }
  return out;
}

RnnBackwardOutput rnn_backward(const std::vector<int>& X,
                               const std::vector<int>& Y,
                               const Parameters& parameters,
                               const RnnCache& cache) {
  const Parameters& p = parameters;
  RnnBackwardOutput out;
  Gradients& g = out.gradients;
  g.dWax = Matrix::Zero(p.Wax.rows(), p.Wax.cols());
  g.dWaa = Matrix::Zero(p.Waa.rows(), p.Waa.cols());
  g.dWya = Matrix::Zero(p.Wya.rows(), p.Wya.cols());
  g.db = Matrix::Zero(p.b.rows(), p.b.cols());
  g.dby = Matrix::Zero(p.by.rows(), p.by.cols());
  g.da_next = Matrix::Zero(cache.a_prev.rows(), cache.a_prev.cols());
  for (size_t k = X.size(); k-- > 0;) {
    Matrix dy = cache.y_hat[k];
    dy(Y[k], 0) -= 1;
    const Matrix& a_prev = k == 0 ? cache.a_prev : cache.a[k - 1];
    rnn_step_backward(dy, g, p, cache.x[k], cache.a[k], a_prev);
  }
  out.a = cache.a;
  return out;
}

void update_parameters(Parameters& parameters, const Gradients& gradients,
                       double lr) {
  parameters.Wax += -lr * gradients.dWax;
  parameters.Waa += -lr * gradients.dWaa;
  parameters.Wya += -lr * gradients.dWya;
  parameters.b += -lr * gradients.db;
  parameters.by += -lr * gradients.dby;
}

}  // namespace char_lm
