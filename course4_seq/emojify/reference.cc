// The reference solution of course4_seq/emojify: the course's Emojify V2,
// written with common/nn/model.h.

#include <cctype>
#include <sstream>
#include <string>
#include <vector>

#include "course4_seq/emojify/emojify.h"

namespace emojify {
namespace reference {

Matrix sentences_to_indices(const std::vector<std::string>& X,
                            const WordToIndex& word_to_index, int max_len) {
  const int m = static_cast<int>(X.size());
  Matrix X_indices = Matrix::Zero(m, max_len);
  for (int i = 0; i < m; ++i) {
    std::string sentence = X[i];
    for (char& c : sentence) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    std::istringstream words(sentence);
    std::string w;
    int j = 0;
    while (j < max_len && words >> w) {
      const auto found = word_to_index.find(w);
      if (found == word_to_index.end()) continue;
      X_indices(i, j) = found->second;
      ++j;
    }
  }
  return X_indices;
}

nn::Embedding pretrained_embedding_layer(const WordToVecMap& word_to_vec_map,
                                         const WordToIndex& word_to_index) {
  const int vocab_size = static_cast<int>(word_to_index.size()) + 1;
  const int emb_dim = static_cast<int>(word_to_vec_map.begin()->second.size());
  Matrix emb_matrix = Matrix::Zero(vocab_size, emb_dim);
  for (const auto& [word, idx] : word_to_index) {
    emb_matrix.row(idx) = word_to_vec_map.at(word).transpose();
  }
  nn::Embedding embedding_layer(vocab_size, emb_dim);
  embedding_layer.trainable = false;
  embedding_layer.weights = emb_matrix;
  return embedding_layer;
}

Model Emojify_V2(const nn::Shape& input_shape,
                 const WordToVecMap& word_to_vec_map,
                 const WordToIndex& word_to_index) {
  Model model("Emojify_V2");
  nn::Node sentence_indices = model.Input(input_shape);
  nn::Node embeddings = model.Add(
      reference::pretrained_embedding_layer(word_to_vec_map, word_to_index),
      sentence_indices);
  // An LSTM with 128 units that returns the whole sequence.
  nn::Node X = model.Add(nn::LSTM(128, /*return_sequences=*/true), embeddings);
  X = model.Add(nn::Dropout(0.5), X);
  // An LSTM with 128 units that returns only its last output.
  X = model.Add(nn::LSTM(128, /*return_sequences=*/false), X);
  X = model.Add(nn::Dropout(0.5), X);
  // Dense with 5 units: the logits (the softmax is in the loss).
  X = model.Add(nn::Dense(5), X);
  model.Output(X);
  return model;
}

}  // namespace reference
}  // namespace emojify
