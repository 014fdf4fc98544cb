// Your solutions to course4_seq/word_vectors. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course4_seq/word_vectors/...
// The formulas and shapes are in word_vectors.h and README.md; the given
// softmax and convert_to_one_hot are declared in word_vectors.h too.

#include <string>
#include <utility>
#include <vector>

#include "common/grading/not_implemented.h"
#include "course4_seq/word_vectors/word_vectors.h"

namespace word_vectors {

// ---------------------------------------------------------- the embeddings

Matrix one_hot(const std::vector<int>& words, int vocab_size) {
  // TODO: O = zeros (vocab_size, m); O(words[j], j) = 1 for every j.
  //   (≈3 lines)  Hint: Matrix::Zero(rows, cols).
  return dl::not_implemented<Matrix>("one_hot");
}

Matrix embed_one_hot(const Matrix& E, const Matrix& O) {
  // TODO: the lecture's e_w = E o_w, for every column of O at once. (≈1 line)
  return dl::not_implemented<Matrix>("embed_one_hot");
}

Matrix embedding_lookup(const Matrix& E, const std::vector<int>& words) {
  // TODO: out (n_e, m); out.col(j) = E.col(words[j]). (≈3 lines)
  return dl::not_implemented<Matrix>("embedding_lookup");
}

// ------------------------------------------------ skip-gram pairs, noise

CentersAndContexts get_centers_and_contexts(
    const std::vector<std::vector<int>>& corpus, int window_size) {
  // TODO: for each sentence with size() >= 2, for each position i:
  //         push sentence[i] into centers;
  //         contexts = the words at positions j in
  //           [max(0, i - window_size), min(n, i + 1 + window_size)), j != i;
  //         push them (in order) into contexts. (≈12 lines)
  return dl::not_implemented<CentersAndContexts>("get_centers_and_contexts");
}

std::vector<double> noise_distribution(const std::vector<int64_t>& counts) {
  // TODO: P[w] = count[w]^0.75, then divide every P[w] by their sum.
  //   (≈6 lines)  Hint: std::pow(static_cast<double>(count), 0.75).
  return dl::not_implemented<std::vector<double>>("noise_distribution");
}

std::vector<std::vector<int>> get_negatives(
    const std::vector<std::vector<int>>& all_contexts,
    const std::vector<double>& P, int K, dl::RandomState& rng) {
  // TODO: for each contexts list (in order): negatives = {}; while
  //       negatives.size() < contexts.size() * K: neg = rng.choice(P);
  //       keep it only if it is not in contexts (std::find). (≈12 lines)
  //   Hint: for speed, build the cumulative sum once as rng.choice does
  //   (cdf[w] = P[0] + ... + P[w], then cdf[w] /= cdf.back()) and draw
  //   std::upper_bound(cdf, rng.random_sample()): the same draws.
  return dl::not_implemented<std::vector<std::vector<int>>>("get_negatives");
}

// ---------------------------------------------- the negative-sampling loss

double negative_sampling_loss(const Matrix& e_c, const Matrix& theta) {
  // TODO: z = thetaᵀ e_c (K + 1, 1);
  //       J = -log σ(z_0) - Σ_{k>=1} log σ(-z_k),
  //       with log σ(x) = -log(1 + exp(-x)) (std::log1p). (≈5 lines)
  return dl::not_implemented<double>("negative_sampling_loss");
}

SkipGramGradients negative_sampling_gradients(const Matrix& e_c,
                                              const Matrix& theta) {
  // TODO: z = thetaᵀ e_c; dz = σ(z) - y with y = (1, 0, ..., 0)ᵀ;
  //       de_c = theta dz; dtheta = e_c dzᵀ. (≈5 lines)
  return dl::not_implemented<SkipGramGradients>("negative_sampling_gradients");
}

// ------------------------------------------- operations on word vectors

double cosine_similarity(const Vector& u, const Vector& v) {
  // TODO: if u and v are equal entry by entry, return 1;
  //       dot = u·v, norm_u = ‖u‖₂, norm_v = ‖v‖₂;
  //       if |norm_u * norm_v| <= 1e-32, return 0;
  //       return dot / (norm_u * norm_v). (≈6 lines)
  //   Hint: (u.array() == v.array()).all(); u.dot(v); u.norm().
  return dl::not_implemented<double>("cosine_similarity");
}

std::string complete_analogy(const std::string& word_a,
                             const std::string& word_b,
                             const std::string& word_c,
                             const WordToVecMap& word_to_vec_map) {
  // TODO: lower-case the three words; e_a, e_b, e_c = their vectors;
  //       max_cosine_sim = -100, best_word = "";
  //       for (const auto& [w, e_w] : word_to_vec_map): skip w == word_c;
  //         cos = cosine_similarity(e_b - e_a, e_w - e_c);
  //         if cos > max_cosine_sim: remember cos and w. (≈12 lines)
  //   Hint: std::tolower on each char; word_to_vec_map.at(word).
  return dl::not_implemented<std::string>("complete_analogy");
}

Vector neutralize(const std::string& word, const Vector& g,
                  const WordToVecMap& word_to_vec_map) {
  // TODO: e = the word's vector; e_biascomponent = (e·g / ‖g‖²) g;
  //       return e - e_biascomponent. (≈3 lines)
  //   Hint: g.squaredNorm() is ‖g‖².
  return dl::not_implemented<Vector>("neutralize");
}

EqualizedPair equalize(const std::pair<std::string, std::string>& pair,
                       const Vector& bias_axis,
                       const WordToVecMap& word_to_vec_map) {
  // TODO: e_w1, e_w2 = the vectors of pair.first, pair.second;
  //       mu = (e_w1 + e_w2) / 2;
  //       mu_B = (mu·B / ‖B‖²) B;  mu_orth = mu - mu_B;
  //       e_w1B = (e_w1·B / ‖B‖²) B;  e_w2B = (e_w2·B / ‖B‖²) B;
  //       corrected_e_wiB = sqrt(|1 - ‖mu_orth‖²|) (e_wiB - mu_B) /
  //                         ‖e_wiB - mu_B‖;
  //       e1 = corrected_e_w1B + mu_orth; e2 = corrected_e_w2B + mu_orth.
  //   (≈10 lines)
  return dl::not_implemented<EqualizedPair>("equalize");
}

// ----------------------------------------------------------- Emojify V1

Vector sentence_to_avg(const std::string& sentence,
                       const WordToVecMap& word_to_vec_map) {
  // TODO: lower-case the sentence and split it on whitespace;
  //       avg = zeros like any vector of the map (begin()->second.size());
  //       add the vector of every word found in the map, count them;
  //       if count > 0, avg /= count. (≈12 lines)
  //   Hint: std::istringstream in(lower); for (std::string w; in >> w;)
  //   splits on any run of spaces; word_to_vec_map.find(w).
  return dl::not_implemented<Vector>("sentence_to_avg");
}

Matrix emojify_forward(const Matrix& avg, const Matrix& W, const Matrix& b) {
  // TODO: z = W avg + b (b added to every column); return softmax(z).
  //   (≈2 lines)  Hint: (W * avg).colwise() + b.col(0).
  return dl::not_implemented<Matrix>("emojify_forward");
}

double emojify_cost(const Matrix& a, const Matrix& Y_oh) {
  // TODO: J = -Σ over every entry of Y_oh * log(a) (entry by entry; no 1/m).
  //   (≈1 line)
  return dl::not_implemented<double>("emojify_cost");
}

EmojifyGradients emojify_backward(const Matrix& avg, const Matrix& a,
                                  const Matrix& Y_oh) {
  // TODO: dz = a - Y_oh; dW = dz avgᵀ; db = the sum of dz's columns
  //       (dz.rowwise().sum(), shape (n_y, 1)). (≈3 lines)
  return dl::not_implemented<EmojifyGradients>("emojify_backward");
}

EmojifyModel model(const std::vector<std::string>& X, const std::vector<int>& Y,
                   const WordToVecMap& word_to_vec_map, double learning_rate,
                   int num_iterations, dl::RandomState& rng) {
  // TODO: n_y = the number of different labels (std::set), n_h = the size
  //       of the vectors; W = rng.randn(n_y, n_h) / sqrt(n_h); b = zeros
  //       (n_y, 1); Y_oh = convert_to_one_hot(Y, n_y);
  //       for each iteration: cost = 0; for each sentence i:
  //         avg = sentence_to_avg(X[i], ...); a = emojify_forward(avg, W, b);
  //         cost += emojify_cost(a, Y_oh.col(i));
  //         grads = emojify_backward(avg, a, Y_oh.col(i));
  //         W -= learning_rate dW; b -= learning_rate db;
  //       push cost into costs; at the end pred = predict(X, W, b, ...).
  //   (≈20 lines)
  return dl::not_implemented<EmojifyModel>("model");
}

std::vector<int> predict(const std::vector<std::string>& X, const Matrix& W,
                         const Matrix& b, const WordToVecMap& word_to_vec_map) {
  // TODO: for each sentence: avg = sentence_to_avg(...);
  //       a = softmax(W avg + b); the label is the index of a's largest
  //       entry (the first one on a tie). (≈8 lines)
  //   Hint: Eigen::Index best; a.col(0).maxCoeff(&best).
  return dl::not_implemented<std::vector<int>>("predict");
}

}  // namespace word_vectors
