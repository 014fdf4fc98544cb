// File: course4_seq/emojify/emojify.h
//
// Course 5, week 2, assignment 2, part 2: "Emojify V2", an LSTM that reads
// a sentence word by word and picks its emoji. Part 1 (V1: the average of
// the word vectors through a softmax) is in course4_seq/word_vectors; V2
// uses the same word vectors and the same sentences, and sees word ORDER,
// so "not feeling happy" can be told from "feeling happy".
//
// The model, as the course's Keras code (nn::Model, common/nn/model.h):
//   sentence_indices = Input(input_shape)          (m, max_len) word indices
//   embeddings = pretrained_embedding_layer(...)   -> (m, max_len, 50) frozen
//   X = LSTM(128, return_sequences=True)           -> (m, max_len, 128)
//   X = Dropout(0.5)
//   X = LSTM(128, return_sequences=False)          -> (m, 128)
//   X = Dropout(0.5)
//   X = Dense(5)                                   -> (m, 5) the logits
// The course ends with Activation('softmax') and categorical cross-entropy;
// here the softmax is in the loss (nn::Loss::kSoftmaxCrossEntropy), as in
// every Model of this project: the same maths, one layer fewer.
//
// Word indices: word_to_index maps every word of the vocabulary to 1, 2,
// ...; index 0 is the padding of sentences shorter than max_len, and the
// embedding's row 0 stays zero.
//
// Exercises, in order (write them in exercise.cc):
//   1. sentences_to_indices   2. pretrained_embedding_layer   3. Emojify_V2

#ifndef DLCOURSE_COURSE4_SEQ_EMOJIFY_EMOJIFY_H_
#define DLCOURSE_COURSE4_SEQ_EMOJIFY_EMOJIFY_H_

#include <map>
#include <string>
#include <vector>

#include "common/core/tensor.h"
#include "common/nn/model.h"
#include "common/nn/sequence_layers.h"

namespace emojify {

namespace nn = dl::nn;
using dl::Matrix;
using dl::Vector;
using Model = nn::Model<float>;

// The course's word_to_index: word -> its row of the embedding (1, 2, ...).
using WordToIndex = std::map<std::string, int>;
// The course's word_to_vec_map: word -> its vector (n_e,).
using WordToVecMap = std::map<std::string, Vector>;

// Exercise 1. The course's sentences_to_indices: for sentence i, lower-case
// it, split it on whitespace, and write the index of each word that is in
// word_to_index into row i, from column 0 on; words not in word_to_index
// are skipped (the course's `if w in word_to_index`). The rest of the row
// stays 0 (padding). Words beyond max_len are dropped.
//   X: m sentences  ->  X_indices (m, max_len), whole numbers as doubles
//   (the course's np.zeros((m, max_len)) filled in)
Matrix sentences_to_indices(const std::vector<std::string>& X,
                            const WordToIndex& word_to_index, int max_len);

// Exercise 2. The course's pretrained_embedding_layer: a Keras Embedding
// holding the word vectors, frozen (not trained):
//   vocab_size = len(word_to_index) + 1   (row 0: padding)
//   emb_dim = the size of any vector of word_to_vec_map
//   emb_matrix = zeros (vocab_size, emb_dim); row word_to_index[w] =
//   word_to_vec_map[w] for every word w of word_to_index
//   layer = nn::Embedding(vocab_size, emb_dim), layer.trainable = false,
//   layer.weights = emb_matrix   (Keras's set_weights([emb_matrix]))
// Every word of word_to_index has a vector in word_to_vec_map.
nn::Embedding pretrained_embedding_layer(const WordToVecMap& word_to_vec_map,
                                         const WordToIndex& word_to_index);

// Exercise 3. The course's Emojify_V2(input_shape, word_to_vec_map,
// word_to_index): the functional model of the header's comment, built with
//   Model model("Emojify_V2");
//   nn::Node x = model.Input(input_shape);  then x = model.Add(layer, x) ...
//   model.Output(x);
//   input_shape: {max_len}  ->  a model from (m, max_len) word indices to
//   (m, 5) logits
Model Emojify_V2(const nn::Shape& input_shape,
                 const WordToVecMap& word_to_vec_map,
                 const WordToIndex& word_to_index);

// Given: X_indices as the model's input array (m, max_len).
nn::Array<float> to_model_input(const Matrix& X_indices);

// The reference solution (reference.cc) has the same functions, in
// emojify::reference. The grader compares yours with it.
namespace reference {
decltype(emojify::sentences_to_indices) sentences_to_indices;
decltype(emojify::pretrained_embedding_layer) pretrained_embedding_layer;
decltype(emojify::Emojify_V2) Emojify_V2;
}  // namespace reference

}  // namespace emojify

#endif  // DLCOURSE_COURSE4_SEQ_EMOJIFY_EMOJIFY_H_
