// File: course4_seq/word_vectors/word_vectors.h
//
// Course 5, week 2: word embeddings. Three parts in one unit:
//   A. Word2Vec (the lectures, and d2l's "word2vec" chapter): the embedding
//      matrix, the skip-gram pairs of a corpus, negative sampling, and the
//      skip-gram negative-sampling loss with its gradients. The given code
//      (w2v_utils.h) trains word vectors with these on a generated corpus,
//      because GloVe cannot be downloaded here.
//   B. Assignment 1, "Operations on Word Vectors": cosine similarity, word
//      analogies, and debiasing (neutralize, equalize; Bolukbasi et al. 2016).
//   C. Assignment 2, "Emojify!", model V1: the average of a sentence's word
//      vectors through a softmax layer, trained by stochastic gradient
//      descent.
//
// Notation (the lectures'):
//   vocab   the number of words; a word is its index w in 0 .. vocab-1
//   n_e     the size of a word vector (the course's GloVe: 50)
//   E       (n_e, vocab)  the embedding matrix: column w is e_w
//   o_w     (vocab, 1)    the one-hot vector of word w;  e_w = E o_w
//   θ_t     (n_e, 1)      the "output" vector of word t (skip-gram's second
//                         embedding matrix Θ (n_e, vocab), column t)
//   c, t    skip-gram's center word c (the course's "context" c, the input)
//           and a target t within the window around it (d2l's "context")
// Word vectors of assignments B and C are dl::Vector, the course's shape
// (n,); a word_to_vec_map is an ordered std::map from word to vector.
// Emojify keeps the course's one-example-per-COLUMN layout: avg (n_h, m),
// Y_oh (n_y, m).
//
// Exercises, in order (write them in exercise.cc):
//   A.  1. one_hot                  2. embed_one_hot       3. embedding_lookup
//       4. get_centers_and_contexts 5. noise_distribution  6. get_negatives
//       7. negative_sampling_loss   8. negative_sampling_gradients
//   B.  9. cosine_similarity       10. complete_analogy
//      11. neutralize              12. equalize
//   C. 13. sentence_to_avg         14. emojify_forward    15. emojify_cost
//      16. emojify_backward        17. model              18. predict

#ifndef DLCOURSE_COURSE4_SEQ_WORD_VECTORS_WORD_VECTORS_H_
#define DLCOURSE_COURSE4_SEQ_WORD_VECTORS_WORD_VECTORS_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/core/random.h"
#include "common/core/tensor.h"

namespace word_vectors {

using dl::Matrix;
using dl::Vector;

// The course's word_to_vec_map: word -> its vector (n,). Iterated in the
// words' alphabetical order.
using WordToVecMap = std::map<std::string, Vector>;

// ============================================== A. Word2Vec: the embeddings

// Exercise 1. The one-hot matrix of a list of words: column j is o_w for
// w = words[j], a 1 in row w and 0 elsewhere.
//   words: m indices in 0 .. vocab_size-1  ->  O (vocab_size, m)
Matrix one_hot(const std::vector<int>& words, int vocab_size);

// Exercise 2. The lecture's lookup by matrix product: E O, so that column j
// is E o_w = e_w.
//   E: (n_e, vocab)  O: (vocab, m) one-hot columns  ->  (n_e, m)
Matrix embed_one_hot(const Matrix& E, const Matrix& O);

// Exercise 3. The same lookup done the way every framework does it: copy
// column w of E (no multiplication by a mostly-zero matrix).
//   E: (n_e, vocab)  words: m indices  ->  (n_e, m), column j = E[:, words[j]]
Matrix embedding_lookup(const Matrix& E, const std::vector<int>& words);

// ================================== A. Word2Vec: skip-gram pairs and noise

// The skip-gram training pairs of a corpus (d2l's (all_centers,
// all_contexts)): contexts[i] are the words around centers[i].
struct CentersAndContexts {
  std::vector<int> centers;                // one entry per center position
  std::vector<std::vector<int>> contexts;  // contexts[i]: its context words
};

// Exercise 4. d2l's get_centers_and_contexts with a FIXED window: for every
// sentence with at least 2 words, for every position i in it, the center is
// sentence[i] and its contexts are the words at positions
// max(0, i - window_size) .. min(len, i + 1 + window_size) - 1, except i
// itself, in sentence order. Sentences are visited in order, and positions
// left to right. (d2l draws the window of each center at random in
// 1 .. max_window_size; ours is fixed so that the result is testable.)
//   corpus: sentences of word indices   window_size >= 1
CentersAndContexts get_centers_and_contexts(
    const std::vector<std::vector<int>>& corpus, int window_size);

// Exercise 5. The noise distribution of negative sampling (the lecture's
// f(w)^(3/4) heuristic, Mikolov et al.): a word's probability of being drawn
// as a negative is its count to the power 0.75, normalized,
//   P(w) = count(w)^0.75 / Σ_v count(v)^0.75.
//   counts: one count per word of the vocabulary  ->  P, same length
std::vector<double> noise_distribution(const std::vector<int64_t>& counts);

// Exercise 6. d2l's get_negatives: for each center i, draw
// all_contexts[i].size() * K noise words from P, one draw at a time with
// rng.choice(P) (numpy's np.random.choice(vocab, p=P)), and keep a draw only
// if it is NOT one of center i's contexts (otherwise draw again). The kept
// words go in draw order. Centers are visited in order.
//   all_contexts: CentersAndContexts::contexts  P: noise_distribution(...)
//   -> negatives[i]: all_contexts[i].size() * K word indices
// (For speed: rng.choice(P) rebuilds the cumulative sum of P at every call.
// Building it once and drawing u = rng.random_sample(), then the first index
// whose normalized cumulative sum is > u, draws the very same words.)
std::vector<std::vector<int>> get_negatives(
    const std::vector<std::vector<int>>& all_contexts,
    const std::vector<double>& P, int K, dl::RandomState& rng);

// ====================================== A. Word2Vec: the negative-sampling
// loss

// Exercise 7. The skip-gram negative-sampling loss of one (center, target)
// pair and its K negatives: K + 1 logistic regressions on the center's
// vector, the true target labelled 1, the K noise words labelled 0:
//   z = Θᵀ e_c                 (K + 1, 1)  z_k = θ_kᵀ e_c
//   J = -log σ(z_0) - Σ_{k=1..K} log σ(-z_k)
//   e_c: (n_e, 1) the center word's vector (a column of E)
//   theta: (n_e, K + 1) column 0 = θ of the target (context) word,
//          columns 1..K = θ of the K negative words
// Use log σ(z) = -log(1 + exp(-z)) (std::log1p is the accurate form).
double negative_sampling_loss(const Matrix& e_c, const Matrix& theta);

// The gradients of one pair's loss J.
struct SkipGramGradients {
  Matrix de_c;    // (n_e, 1)      ∂J/∂e_c
  Matrix dtheta;  // (n_e, K + 1)  ∂J/∂theta, column k for theta's column k
};

// Exercise 8. Backward through negative_sampling_loss. With the labels
// y = (1, 0, ..., 0)ᵀ, dz = σ(z) - y (as for logistic regression):
//   de_c   = theta dz            (n_e, 1)
//   dtheta = e_c dzᵀ             (n_e, K + 1)
SkipGramGradients negative_sampling_gradients(const Matrix& e_c,
                                              const Matrix& theta);

// ================================= B. Assignment 1: operations on word vectors

// Exercise 9. The course's cosine_similarity(u, v) = u·v / (‖u‖₂ ‖v‖₂),
// with its two special cases first: 1 when u and v are equal entry by entry
// (e.g. both zero), and 0 when ‖u‖₂ ‖v‖₂ is 0 (np.isclose(norm_u * norm_v,
// 0, atol=1e-32)).
//   u, v: (n,)
double cosine_similarity(const Vector& u, const Vector& v);

// Exercise 10. The course's complete_analogy: "a is to b as c is to ____".
// Lower-case the three words; e_a, e_b, e_c are their vectors. Loop over
// every word w of word_to_vec_map in order, SKIPPING ONLY word_c (the
// course's 2021 notebook; its older version skipped a, b and c), and keep
// the word with the largest cosine_similarity(e_b - e_a, e_w - e_c),
// starting from max_cosine_sim = -100; a later word replaces the best only
// if its similarity is strictly larger. Returns "" if no word was kept.
std::string complete_analogy(const std::string& word_a,
                             const std::string& word_b,
                             const std::string& word_c,
                             const WordToVecMap& word_to_vec_map);

// Exercise 11. Neutralize: remove the component of a gender-neutral word's
// vector along the bias axis g,
//   e_biascomponent = (e·g / ‖g‖₂²) g        e_debiased = e - e_biascomponent
//   word: a key of word_to_vec_map  g: (n,)  ->  e_debiased (n,)
Vector neutralize(const std::string& word, const Vector& g,
                  const WordToVecMap& word_to_vec_map);

// The equalized pair: the course's (e_1, e_2).
struct EqualizedPair {
  Vector e1;  // (n,) the first word's new vector
  Vector e2;  // (n,) the second word's
};

// Exercise 12. Equalize a gender-specific pair (w1, w2), e.g. ("man",
// "woman"), so that the two differ only along the bias axis B, by the same
// amount on either side (the course's formulas from Bolukbasi et al.):
//   μ = (e_w1 + e_w2) / 2
//   μ_B = (μ·B / ‖B‖₂²) B            μ_⊥ = μ - μ_B
//   e_w1B = (e_w1·B / ‖B‖₂²) B       e_w2B = (e_w2·B / ‖B‖₂²) B
//   e_w1B_corrected = sqrt(|1 - ‖μ_⊥‖₂²|) (e_w1B - μ_B) / ‖e_w1B - μ_B‖₂
//   e_w2B_corrected = sqrt(|1 - ‖μ_⊥‖₂²|) (e_w2B - μ_B) / ‖e_w2B - μ_B‖₂
//   e1 = e_w1B_corrected + μ_⊥        e2 = e_w2B_corrected + μ_⊥
// (The paper works with unit vectors: then ‖e1‖ = ‖e2‖ = 1.)
//   pair: two keys of word_to_vec_map  bias_axis: (n,)
EqualizedPair equalize(const std::pair<std::string, std::string>& pair,
                       const Vector& bias_axis,
                       const WordToVecMap& word_to_vec_map);

// ================================================ C. Assignment 2: Emojify V1

// Given (given.cc, the course's emo_utils): the softmax of every column,
// exp(z - max(z)) / Σ exp(z - max(z)), each column with its own max.
//   z: (n_y, m)  ->  (n_y, m), every column sums to 1
Matrix softmax(const Matrix& z);

// Given: the course's convert_to_one_hot(Y, C), one example per COLUMN:
// column j is 1 in row Y[j]. (The course's is (m, C), one per row.)
//   Y: m labels in 0 .. C-1  ->  (C, m)
Matrix convert_to_one_hot(const std::vector<int>& Y, int C);

// Exercise 13. The course's sentence_to_avg: lower-case the sentence, split
// it on whitespace, and average the vectors of the words that are in
// word_to_vec_map (unknown words are skipped: divide by the number of words
// FOUND). Zeros (the shape of any vector of the map) if none is found.
//   -> avg (n_h,)   word_to_vec_map: not empty
Vector sentence_to_avg(const std::string& sentence,
                       const WordToVecMap& word_to_vec_map);

// Exercise 14. The softmax layer of Emojify V1, for m sentences at once:
//   z = W avg + b  (b added to every column)     a = softmax(z)
// (softmax is given above: column by column, exp(z - max) / sum).
//   avg: (n_h, m) one sentence average per column  W: (n_y, n_h)  b: (n_y, 1)
//   -> a (n_y, m): column j holds the n_y class probabilities of sentence j
Matrix emojify_forward(const Matrix& avg, const Matrix& W, const Matrix& b);

// Exercise 15. The cross-entropy of the m sentences, SUMMED over them (the
// course adds each example's loss to `cost`; there is no 1/m):
//   J = -Σ_j Σ_k Y_oh[k, j] log a[k, j]
//   a, Y_oh: (n_y, m)  Y_oh one-hot columns (convert_to_one_hot, given)
double emojify_cost(const Matrix& a, const Matrix& Y_oh);

// The gradients of emojify_cost(emojify_forward(avg, W, b), Y_oh).
struct EmojifyGradients {
  Matrix dW;  // (n_y, n_h)
  Matrix db;  // (n_y, 1)
};

// Exercise 16. Backward through the softmax layer (the course's dz = a -
// y_oh, dW = dz avgᵀ, db = dz, summed over the m columns):
//   dz = a - Y_oh     dW = dz avgᵀ     db = Σ over the columns of dz
//   avg: (n_h, m)  a, Y_oh: (n_y, m)
EmojifyGradients emojify_backward(const Matrix& avg, const Matrix& a,
                                  const Matrix& Y_oh);

// What model returns: the course's (pred, W, b), and the cost of every
// iteration.
struct EmojifyModel {
  std::vector<int> pred;      // m labels: predict(X, W, b, ...) at the end
  Matrix W;                   // (n_y, n_h)
  Matrix b;                   // (n_y, 1)
  std::vector<double> costs;  // costs[t]: the summed cost of iteration t
};

// Exercise 17. The course's model(X, Y, word_to_vec_map, learning_rate=0.01,
// num_iterations=400): n_y = the number of different labels in Y (labels
// are 0 .. n_y-1), n_h = the size of the vectors;
//   W = rng.randn(n_y, n_h) / sqrt(n_h)   (the course: np.random.randn)
//   b = zeros (n_y, 1)
// then for t in 0 .. num_iterations-1: cost = 0; for each sentence i in
// order (stochastic gradient descent, one sentence at a time):
//   avg = sentence_to_avg(X[i]); a = emojify_forward(avg, W, b)
//   cost += emojify_cost(a, y_oh)   (y_oh: the one-hot column of Y[i])
//   grads = emojify_backward(avg, a, y_oh)
//   W -= learning_rate dW;  b -= learning_rate db
// and costs[t] = cost. pred = predict(X, W, b, word_to_vec_map) at the end.
//   X: m sentences  Y: m labels
EmojifyModel model(const std::vector<std::string>& X, const std::vector<int>& Y,
                   const WordToVecMap& word_to_vec_map, double learning_rate,
                   int num_iterations, dl::RandomState& rng);

// Exercise 18. The course's predict (emo_utils): for each sentence,
// avg = sentence_to_avg, a = softmax(W avg + b), and the label is the index
// of the largest probability (the first one on a tie, as np.argmax).
//   X: m sentences  W: (n_y, n_h)  b: (n_y, 1)  ->  m labels
std::vector<int> predict(const std::vector<std::string>& X, const Matrix& W,
                         const Matrix& b, const WordToVecMap& word_to_vec_map);

// The reference solution (reference.cc) has the same functions, in
// word_vectors::reference. The grader compares yours with it.
namespace reference {
decltype(word_vectors::one_hot) one_hot;
decltype(word_vectors::embed_one_hot) embed_one_hot;
decltype(word_vectors::embedding_lookup) embedding_lookup;
decltype(word_vectors::get_centers_and_contexts) get_centers_and_contexts;
decltype(word_vectors::noise_distribution) noise_distribution;
decltype(word_vectors::get_negatives) get_negatives;
decltype(word_vectors::negative_sampling_loss) negative_sampling_loss;
decltype(word_vectors::negative_sampling_gradients) negative_sampling_gradients;
decltype(word_vectors::cosine_similarity) cosine_similarity;
decltype(word_vectors::complete_analogy) complete_analogy;
decltype(word_vectors::neutralize) neutralize;
decltype(word_vectors::equalize) equalize;
decltype(word_vectors::sentence_to_avg) sentence_to_avg;
decltype(word_vectors::emojify_forward) emojify_forward;
decltype(word_vectors::emojify_cost) emojify_cost;
decltype(word_vectors::emojify_backward) emojify_backward;
decltype(word_vectors::model) model;
decltype(word_vectors::predict) predict;
}  // namespace reference

}  // namespace word_vectors

#endif  // DLCOURSE_COURSE4_SEQ_WORD_VECTORS_WORD_VECTORS_H_
