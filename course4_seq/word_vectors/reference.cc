// The reference solution of course4_seq/word_vectors.

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "course4_seq/word_vectors/word_vectors.h"

namespace word_vectors {
namespace reference {

namespace {

// Python's s.lower().split().
std::vector<std::string> lower_split(const std::string& s) {
  std::string lower = s;
  for (char& ch : lower) {
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  std::istringstream in(lower);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

std::string lower(std::string s) {
  for (char& ch : s) {
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return s;
}

// log σ(z) = -log(1 + exp(-z)), accurate for large |z|.
double log_sigmoid(double z) {
  return z >= 0 ? -std::log1p(std::exp(-z)) : z - std::log1p(std::exp(z));
}

double sigmoid(double z) { return 1 / (1 + std::exp(-z)); }

// The projection of e on the axis g: (e·g / ‖g‖²) g.
Vector project(const Vector& e, const Vector& g) {
  return (e.dot(g) / g.squaredNorm()) * g;
}

}  // namespace

// ----------------------------------------------------------- the embeddings

Matrix one_hot(const std::vector<int>& words, int vocab_size) {
  Matrix O = Matrix::Zero(vocab_size, static_cast<Eigen::Index>(words.size()));
  for (size_t j = 0; j < words.size(); ++j) {
    O(words[j], static_cast<Eigen::Index>(j)) = 1;
  }
  return O;
}

Matrix embed_one_hot(const Matrix& E, const Matrix& O) { return E * O; }

Matrix embedding_lookup(const Matrix& E, const std::vector<int>& words) {
  Matrix out(E.rows(), static_cast<Eigen::Index>(words.size()));
  for (size_t j = 0; j < words.size(); ++j) {
    out.col(static_cast<Eigen::Index>(j)) = E.col(words[j]);
  }
  return out;
}

// ------------------------------------------------- skip-gram pairs, noise

CentersAndContexts get_centers_and_contexts(
    const std::vector<std::vector<int>>& corpus, int window_size) {
  CentersAndContexts out;
  for (const std::vector<int>& line : corpus) {
    const int n = static_cast<int>(line.size());
    if (n < 2) continue;  // a center needs at least one context word
    for (int i = 0; i < n; ++i) {
      out.centers.push_back(line[i]);
      std::vector<int> contexts;
      const int lo = std::max(0, i - window_size);
      const int hi = std::min(n, i + 1 + window_size);
      for (int j = lo; j < hi; ++j) {
        if (j != i) contexts.push_back(line[j]);
      }
      out.contexts.push_back(std::move(contexts));
    }
  }
  return out;
}

std::vector<double> noise_distribution(const std::vector<int64_t>& counts) {
  std::vector<double> P(counts.size());
  double sum = 0;
  for (size_t w = 0; w < counts.size(); ++w) {
    P[w] = std::pow(static_cast<double>(counts[w]), 0.75);
    sum += P[w];
  }
  for (double& p : P) p /= sum;
  return P;
}

std::vector<std::vector<int>> get_negatives(
    const std::vector<std::vector<int>>& all_contexts,
    const std::vector<double>& P, int K, dl::RandomState& rng) {
  // rng.choice(P), with the cumulative sum built once: the same draws.
  std::vector<double> cdf(P.size());
  double sum = 0;
  for (size_t w = 0; w < P.size(); ++w) {
    sum += P[w];
    cdf[w] = sum;
  }
  for (double& c : cdf) c /= cdf.back();
  std::vector<std::vector<int>> all_negatives;
  all_negatives.reserve(all_contexts.size());
  for (const std::vector<int>& contexts : all_contexts) {
    std::vector<int> negatives;
    const size_t wanted = contexts.size() * static_cast<size_t>(K);
    negatives.reserve(wanted);
    while (negatives.size() < wanted) {
      const double u = rng.random_sample();
      const int neg = static_cast<int>(
          std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
      // Noise words can not be context words.
      if (std::find(contexts.begin(), contexts.end(), neg) == contexts.end()) {
        negatives.push_back(neg);
      }
    }
    all_negatives.push_back(std::move(negatives));
  }
  return all_negatives;
}

// ------------------------------------------------ the negative-sampling loss

double negative_sampling_loss(const Matrix& e_c, const Matrix& theta) {
  const Matrix z = theta.transpose() * e_c;  // (K + 1, 1)
  double J = -log_sigmoid(z(0, 0));
  for (Eigen::Index k = 1; k < z.rows(); ++k) J -= log_sigmoid(-z(k, 0));
  return J;
}

SkipGramGradients negative_sampling_gradients(const Matrix& e_c,
                                              const Matrix& theta) {
  Matrix dz = theta.transpose() * e_c;  // z, then σ(z) - y
  for (Eigen::Index k = 0; k < dz.rows(); ++k) dz(k, 0) = sigmoid(dz(k, 0));
  dz(0, 0) -= 1;  // the target's label is 1, the negatives' 0
  SkipGramGradients grads;
  grads.de_c = theta * dz;
  grads.dtheta = e_c * dz.transpose();
  return grads;
}

// ----------------------------------------- operations on word vectors

double cosine_similarity(const Vector& u, const Vector& v) {
  // Special case: u = v (e.g. both zero).
  if (u.size() == v.size() && (u.array() == v.array()).all()) return 1;
  const double dot = u.dot(v);
  const double norm_u = u.norm();
  const double norm_v = v.norm();
  // Avoid a division by 0.
  if (std::abs(norm_u * norm_v) <= 1e-32) return 0;
  return dot / (norm_u * norm_v);
}

std::string complete_analogy(const std::string& word_a,
                             const std::string& word_b,
                             const std::string& word_c,
                             const WordToVecMap& word_to_vec_map) {
  const std::string a = lower(word_a), b = lower(word_b), c = lower(word_c);
  const Vector& e_a = word_to_vec_map.at(a);
  const Vector& e_b = word_to_vec_map.at(b);
  const Vector& e_c = word_to_vec_map.at(c);
  const Vector offset = e_b - e_a;
  double max_cosine_sim = -100;
  std::string best_word;
  for (const auto& [w, e_w] : word_to_vec_map) {
    if (w == c) continue;  // the course skips word_c only
    const double cosine_sim = reference::cosine_similarity(offset, e_w - e_c);
    if (cosine_sim > max_cosine_sim) {
      max_cosine_sim = cosine_sim;
      best_word = w;
    }
  }
  return best_word;
}

Vector neutralize(const std::string& word, const Vector& g,
                  const WordToVecMap& word_to_vec_map) {
  const Vector& e = word_to_vec_map.at(word);
  return e - project(e, g);
}

EqualizedPair equalize(const std::pair<std::string, std::string>& pair,
                       const Vector& bias_axis,
                       const WordToVecMap& word_to_vec_map) {
  const Vector& e_w1 = word_to_vec_map.at(pair.first);
  const Vector& e_w2 = word_to_vec_map.at(pair.second);
  const Vector mu = (e_w1 + e_w2) / 2;
  const Vector mu_B = project(mu, bias_axis);
  const Vector mu_orth = mu - mu_B;
  const Vector e_w1B = project(e_w1, bias_axis);
  const Vector e_w2B = project(e_w2, bias_axis);
  const double scale = std::sqrt(std::abs(1 - mu_orth.squaredNorm()));
  const Vector corrected_e_w1B = scale * (e_w1B - mu_B) / (e_w1B - mu_B).norm();
  const Vector corrected_e_w2B = scale * (e_w2B - mu_B) / (e_w2B - mu_B).norm();
  return EqualizedPair{corrected_e_w1B + mu_orth, corrected_e_w2B + mu_orth};
}

// --------------------------------------------------------- Emojify V1

Vector sentence_to_avg(const std::string& sentence,
                       const WordToVecMap& word_to_vec_map) {
  const Eigen::Index n_h = word_to_vec_map.begin()->second.size();
  Vector avg = Vector::Zero(n_h);
  int count = 0;
  for (const std::string& w : lower_split(sentence)) {
    const auto it = word_to_vec_map.find(w);
    if (it == word_to_vec_map.end()) continue;
    avg += it->second;
    ++count;
  }
  if (count > 0) avg /= count;
  return avg;
}

Matrix emojify_forward(const Matrix& avg, const Matrix& W, const Matrix& b) {
  const Matrix z = (W * avg).colwise() + b.col(0);
  return softmax(z);
}

double emojify_cost(const Matrix& a, const Matrix& Y_oh) {
  return -(Y_oh.array() * a.array().log()).sum();
}

EmojifyGradients emojify_backward(const Matrix& avg, const Matrix& a,
                                  const Matrix& Y_oh) {
  const Matrix dz = a - Y_oh;
  return EmojifyGradients{dz * avg.transpose(), dz.rowwise().sum()};
}

EmojifyModel model(const std::vector<std::string>& X, const std::vector<int>& Y,
                   const WordToVecMap& word_to_vec_map, double learning_rate,
                   int num_iterations, dl::RandomState& rng) {
  const int m = static_cast<int>(Y.size());
  const int n_y = static_cast<int>(std::set<int>(Y.begin(), Y.end()).size());
  const Eigen::Index n_h = word_to_vec_map.begin()->second.size();
  EmojifyModel out;
  // Xavier initialization.
  out.W = rng.randn(n_y, n_h) / std::sqrt(static_cast<double>(n_h));
  out.b = Matrix::Zero(n_y, 1);
  const Matrix Y_oh = convert_to_one_hot(Y, n_y);
  for (int t = 0; t < num_iterations; ++t) {
    double cost = 0;
    for (int i = 0; i < m; ++i) {
      const Matrix avg = reference::sentence_to_avg(X[i], word_to_vec_map);
      const Matrix a = reference::emojify_forward(avg, out.W, out.b);
      const Matrix y_oh = Y_oh.col(i);
      cost += reference::emojify_cost(a, y_oh);
      const EmojifyGradients grads = reference::emojify_backward(avg, a, y_oh);
      out.W -= learning_rate * grads.dW;
      out.b -= learning_rate * grads.db;
    }
    out.costs.push_back(cost);
  }
  out.pred = reference::predict(X, out.W, out.b, word_to_vec_map);
  return out;
}

std::vector<int> predict(const std::vector<std::string>& X, const Matrix& W,
                         const Matrix& b, const WordToVecMap& word_to_vec_map) {
  std::vector<int> pred;
  pred.reserve(X.size());
  for (const std::string& sentence : X) {
    const Matrix avg = reference::sentence_to_avg(sentence, word_to_vec_map);
    const Matrix a = softmax((W * avg).colwise() + b.col(0));
    Eigen::Index best = 0;
    a.col(0).maxCoeff(&best);  // the first maximum, as np.argmax
    pred.push_back(static_cast<int>(best));
  }
  return pred;
}

}  // namespace reference
}  // namespace word_vectors
