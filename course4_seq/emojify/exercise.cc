// Your solutions to course4_seq/emojify. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course4_seq/emojify/...
// The formulas and shapes are in emojify.h and README.md.

#include <cctype>
#include <sstream>
#include <string>
#include <vector>

#include "common/grading/not_implemented.h"
#include "course4_seq/emojify/emojify.h"

namespace emojify {

Matrix sentences_to_indices(const std::vector<std::string>& X,
                            const WordToIndex& word_to_index, int max_len) {
  // TODO: X_indices = zeros (m, max_len). For each sentence i:
  //         lower-case it (std::tolower on each char), split it into words
  //         (std::istringstream words(sentence); while (words >> w) ...),
  //         and for each word found in word_to_index, write its index at
  //         X_indices(i, j), then j += 1 (stop when j reaches max_len).
  //   (≈15 lines)
  return dl::not_implemented<Matrix>("sentences_to_indices");
}

nn::Embedding pretrained_embedding_layer(const WordToVecMap& word_to_vec_map,
                                         const WordToIndex& word_to_index) {
  // TODO: vocab_size = word_to_index.size() + 1 (row 0 is padding);
  //       emb_dim = the size of any vector (word_to_vec_map.begin()->second);
  //       emb_matrix = Matrix::Zero(vocab_size, emb_dim);
  //       for (const auto& [word, idx] : word_to_index)
  //         emb_matrix.row(idx) = the word's vector (a column: transpose it);
  //       nn::Embedding layer(vocab_size, emb_dim); freeze it
  //       (layer.trainable = false) and give it the weights
  //       (layer.weights = emb_matrix).   (≈10 lines)
  return dl::not_implemented<nn::Embedding>("pretrained_embedding_layer");
}

Model Emojify_V2(const nn::Shape& input_shape,
                 const WordToVecMap& word_to_vec_map,
                 const WordToIndex& word_to_index) {
  // TODO: Model model("Emojify_V2");
  //       nn::Node sentence_indices = model.Input(input_shape);
  //       the embeddings: model.Add(your pretrained_embedding_layer(...),
  //       sentence_indices); then LSTM(128) returning the sequence,
  //       Dropout(0.5), LSTM(128) returning its last output, Dropout(0.5),
  //       Dense(5) (no softmax: it is in the loss); model.Output(X).
  //   (≈10 lines)  Layers: nn::LSTM(units, return_sequences),
  //   nn::Dropout(rate), nn::Dense(units).
  return dl::not_implemented<Model>("Emojify_V2");
}

}  // namespace emojify
