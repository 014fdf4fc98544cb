// File: course4_seq/word_vectors/w2v_utils.h
//
// The given code of course4_seq/word_vectors (the course's w2v_utils and
// emo_utils, with generated data instead of GloVe and the emoji CSV files):
//
//   - generate_corpus: a deterministic corpus of short sentences with
//     relations planted in it: capitals (paris / france), nationalities
//     (france / french), gender pairs (king / queen), comparatives (big /
//     bigger), occupations with a planted gender bias (receptionist, nurse,
//     engineer, ...), and the five topics of Emojify (love, sports,
//     happiness, sadness, food). Every word of a pair shares its contexts
//     with its partner (the pair's own words: "eiffel", "throne", "elephant")
//     and with the other words of its side (the capitals' "mayor of", the
//     female words' "she", the comparatives' "than").
//   - analogy_questions: "a is to b as c is to d" for every two pairs of a
//     relation, the answers known.
//   - train_skip_gram: Word2Vec's skip-gram with negative sampling, trained
//     by stochastic gradient descent with the unit's functions (yours or the
//     reference's, passed in SkipGramSteps).
//   - generate_emoji_set: the stand-in for train_emoji.csv / test_emoji.csv:
//     132 / 56 short sentences labelled with the course's 5 emoji; the test
//     sentences use topic words the training sentences never use.
//
// Everything is drawn from a dl::RandomState: the same seed gives the same
// corpus, the same vectors and the same sentences on every machine.

#ifndef DLCOURSE_COURSE4_SEQ_WORD_VECTORS_W2V_UTILS_H_
#define DLCOURSE_COURSE4_SEQ_WORD_VECTORS_W2V_UTILS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/core/random.h"
#include "common/core/tensor.h"
#include "course4_seq/word_vectors/word_vectors.h"

namespace word_vectors {

// ------------------------------------------------------- the planted corpus

// One relation planted in the corpus, e.g. "capital" with the pairs
// (france, paris), (italy, rome), ... in the course's order "a -> b"
// ("india -> delhi :: japan -> tokyo").
struct Relation {
  std::string name;
  std::vector<std::pair<std::string, std::string>> pairs;
  // The first `tuning_pairs` pairs were used while the corpus was designed;
  // the analogies between the other pairs are the held-out ones.
  int tuning_pairs = 3;
};

// capital (country -> city), nationality (country -> nationality),
// gender (male -> female), comparative (adjective -> comparative).
const std::vector<Relation>& planted_relations();

// The gender-neutral occupations whose sentences say "she" with a planted
// probability (e.g. receptionist 0.85, engineer 0.2): the bias to remove.
const std::vector<std::pair<std::string, double>>& planted_occupations();

struct Corpus {
  std::vector<std::string> idx_to_token;    // by count, most frequent first
  std::map<std::string, int> token_to_idx;  // the inverse
  std::vector<int64_t> counts;              // counts[w]: occurrences of w
  std::vector<std::vector<int>> sentences;  // word indices
  int64_t num_tokens = 0;                   // Σ counts
  int vocab_size() const { return static_cast<int>(idx_to_token.size()); }
  // Sentence i as text, words separated by spaces.
  std::string text(size_t i) const;
};

// num_sentences sentences drawn from the templates (each family with a fixed
// share), then the vocabulary (every word that occurs, most frequent first,
// ties alphabetical). The same rng state gives the same corpus.
Corpus generate_corpus(int num_sentences, dl::RandomState& rng);

// ------------------------------------------------------ analogy questions

struct AnalogyQuestion {
  std::string a, b, c, d;  // a is to b as c is to d (d is the answer)
  std::string relation;
  bool held_out = false;  // both pairs outside the relation's tuning pairs
};

// For every relation, every ordered choice of two different pairs (p, q):
// a = p.first, b = p.second, c = q.first, d = q.second.
std::vector<AnalogyQuestion> analogy_questions();

// ------------------------------------------------ skip-gram training (given)

// The functions the trainer uses: your exercises or the reference's, e.g.
//   SkipGramSteps steps{&get_centers_and_contexts, &noise_distribution,
//                       &get_negatives, &negative_sampling_loss,
//                       &negative_sampling_gradients};
struct SkipGramSteps {
  decltype(&word_vectors::get_centers_and_contexts) get_centers_and_contexts;
  decltype(&word_vectors::noise_distribution) noise_distribution;
  decltype(&word_vectors::get_negatives) get_negatives;
  decltype(&word_vectors::negative_sampling_loss) negative_sampling_loss;
  decltype(&word_vectors::negative_sampling_gradients)
      negative_sampling_gradients;
};

struct SkipGramConfig {
  int embed_size = 50;    // n_e, the course's GloVe size
  int window_size = 2;    // context words on each side
  int num_negatives = 5;  // K
  int num_epochs = 5;
  double learning_rate = 0.025;  // word2vec's; decays linearly to ~0
  int curve_points_per_epoch = 10;
};

struct SkipGramResult {
  Matrix E;                    // (n_e, vocab) the center ("input") vectors
  Matrix Theta;                // (n_e, vocab) the target ("output") vectors
  std::vector<double> losses;  // mean pair loss of every stretch of training
                               // (curve_points_per_epoch per epoch)
  int64_t num_pairs = 0;       // (center, target) pairs per epoch
};

// Called after every stretch of training: epoch (from 0), the fraction of
// all training done, and the stretch's mean loss.
using SkipGramProgress =
    std::function<void(int epoch, double fraction_done, double loss)>;

// Word2Vec's skip-gram with negative sampling:
//   pairs = get_centers_and_contexts(corpus.sentences, window_size) (once)
//   P = noise_distribution(corpus.counts)                              (once)
//   E = (rng.rand(n_e, vocab) - 0.5) / n_e,  Theta = 0       (word2vec's init)
//   each epoch: negatives = get_negatives(pairs.contexts, P, K, rng); the
//   centers in the order of rng.permutation(#centers); for each center c and
//   its j-th context t: theta = [Θ[:, t], Θ[:, the j-th K negatives]],
//   J = negative_sampling_loss(E[:, c], theta), grads =
//   negative_sampling_gradients(...), and one step of stochastic gradient
//   descent on E[:, c] and those columns of Θ, the learning rate decaying
//   linearly from learning_rate to learning_rate * 1e-4.
// Throws std::runtime_error when a step returns something of the wrong size
// (e.g. a stub's empty result).
SkipGramResult train_skip_gram(const Corpus& corpus,
                               const SkipGramConfig& config,
                               const SkipGramSteps& steps, dl::RandomState& rng,
                               const SkipGramProgress& progress = nullptr);

// The vectors of a trained E as the course's word_to_vec_map.
//   E: (n_e, vocab)  words: vocab names (Corpus::idx_to_token)
WordToVecMap to_word_to_vec_map(const Matrix& E,
                                const std::vector<std::string>& words);

// Every vector divided by its norm (the course's
// word_to_vec_map_unit_vectors, what Bolukbasi et al.'s debiasing assumes).
WordToVecMap unit_vectors(const WordToVecMap& word_to_vec_map);

// The k words with the largest cosine similarity to `word` (not itself),
// most similar first.
std::vector<std::pair<std::string, double>> nearest_neighbours(
    const std::string& word, const WordToVecMap& word_to_vec_map, int k);

// --------------------------------------------------- Emojify's data (given)

// The course's 5 classes: 0 heart, 1 baseball, 2 smile, 3 disappointed,
// 4 fork_and_knife.
inline constexpr int kNumEmoji = 5;
// ":heart:", ":baseball:", ... (the course's emoji_dictionary names).
std::string label_to_name(int label);
// The emoji itself, UTF-8 (the course's label_to_emoji).
std::string label_to_emoji(int label);

struct EmojiSet {
  std::vector<std::string> X_train;  // 132 sentences
  std::vector<int> Y_train;          // their labels 0 .. 4
  std::vector<std::string> X_test;   // 56 sentences
  std::vector<int> Y_test;
};

// Sentences from templates per class ("i love you", "let us play baseball",
// "i am so happy", "i feel lonely today", "let us eat pizza"); each class's
// topic words are split: the test sentences use words that no training
// sentence uses, so only the word vectors can tell their class. Four test
// sentences of class 3 are negations ("i am not cheerful"): "not" is not in
// the corpus, and an average of word vectors can not see it anyway.
EmojiSet generate_emoji_set(dl::RandomState& rng);

// The fraction of pred equal to Y (the course's np.mean(pred == Y)).
double accuracy(const std::vector<int>& pred, const std::vector<int>& Y);

}  // namespace word_vectors

#endif  // DLCOURSE_COURSE4_SEQ_WORD_VECTORS_W2V_UTILS_H_
