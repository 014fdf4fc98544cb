// Given code of course4_seq/transformer (not graded): the masks' broadcast,
// the Dense, Dropout and FullyConnected layers, the token ids' order, and
// the weights' initialization. Declared in transformer.h.

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/core/tensor.h"
#include "common/nn/autograd.h"
#include "course4_seq/transformer/transformer.h"

namespace transformer {

namespace ag = dl::ag;

Matrix broadcast_padding_mask(const Matrix& padding_mask, Index T_q) {
  if (T_q < 1) {
    throw std::invalid_argument(
        "broadcast_padding_mask: T_q must be >= 1, got " + std::to_string(T_q));
  }
  const Index T_k = padding_mask.rows(), m = padding_mask.cols();
  Matrix mask(T_k, m * T_q);
  for (Index i = 0; i < m; ++i) {
    for (Index t = 0; t < T_q; ++t) mask.col(i * T_q + t) = padding_mask.col(i);
  }
  return mask;
}

Matrix broadcast_look_ahead_mask(const Matrix& look_ahead_mask, Index m) {
  if (m < 1) {
    throw std::invalid_argument(
        "broadcast_look_ahead_mask: m must be >= 1, got " + std::to_string(m));
  }
  const Index T = look_ahead_mask.cols();
  Matrix mask(look_ahead_mask.rows(), m * T);
  for (Index i = 0; i < m; ++i) mask.middleCols(i * T, T) = look_ahead_mask;
  return mask;
}

Var Dense(const Var& x, const DenseWeights& layer) {
  return ag::matmul(layer.W, x) + layer.b;
}

Var Dropout(const Var& x, const Training& training) {
  if (training.rng == nullptr || training.dropout_rate == 0) return x;
  const double rate = training.dropout_rate;
  if (!(rate > 0 && rate < 1)) {
    throw std::invalid_argument(
        "Dropout: dropout_rate must be in [0, 1), got " + std::to_string(rate));
  }
  const double keep_prob = 1 - rate;
  const Matrix keep =
      (training.rng->rand(x.rows(), x.cols()).array() < keep_prob)
          .cast<double>()
          .matrix();
  return ag::mul(x, ag::Constant(keep / keep_prob));
}

Var FullyConnected(const Var& x, const FullyConnectedWeights& ffn) {
  return Dense(ag::relu(Dense(x, ffn.dense1)), ffn.dense2);
}

std::vector<int> flatten_ids(const TokenIds& ids) {
  if (ids.empty() || ids[0].empty()) {
    throw std::invalid_argument(
        "flatten_ids: no token ids (m = 0 sequences or T = 0)");
  }
  const size_t T = ids[0].size();
  std::vector<int> flat;
  flat.reserve(ids.size() * T);
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i].size() != T) {
      throw std::invalid_argument("flatten_ids: sequence " + std::to_string(i) +
                                  " has " + std::to_string(ids[i].size()) +
                                  " ids, sequence 0 has " + std::to_string(T) +
                                  " (pad them to the same length with 0)");
    }
    flat.insert(flat.end(), ids[i].begin(), ids[i].end());
  }
  return flat;
}

// ------------------------------------------------------ initialization

namespace {

// Glorot-uniform W (n_out, n_in) and zero b (n_out, 1).
DenseWeights InitDense(int n_in, int n_out, dl::RandomState& rng) {
  const double limit = std::sqrt(6.0 / (n_in + n_out));
  return {ag::Param(rng.uniform(-limit, limit, n_out, n_in)),
          ag::Param(Matrix::Zero(n_out, 1))};
}

LayerNormWeights InitLayerNorm(int d) {
  return {ag::Param(Matrix::Ones(d, 1)), ag::Param(Matrix::Zero(d, 1))};
}

FullyConnectedWeights InitFullyConnected(int d, int dff, dl::RandomState& rng) {
  FullyConnectedWeights ffn;
  ffn.dense1 = InitDense(d, dff, rng);
  ffn.dense2 = InitDense(dff, d, rng);
  return ffn;
}

int KeyDim(const TransformerConfig& config) {
  if (config.num_heads < 1) {
    throw std::invalid_argument("TransformerConfig: num_heads must be >= 1");
  }
  if (config.key_dim > 0) return config.key_dim;
  if (config.embedding_dim % config.num_heads != 0) {
    throw std::invalid_argument("TransformerConfig: embedding_dim " +
                                std::to_string(config.embedding_dim) +
                                " is not divisible by num_heads " +
                                std::to_string(config.num_heads) +
                                " (or set key_dim)");
  }
  return config.embedding_dim / config.num_heads;
}

void Append(std::vector<Var>& all, const DenseWeights& w) {
  all.push_back(w.W);
  all.push_back(w.b);
}

void Append(std::vector<Var>& all, const LayerNormWeights& w) {
  all.push_back(w.gamma);
  all.push_back(w.beta);
}

void Append(std::vector<Var>& all, const std::vector<Var>& more) {
  all.insert(all.end(), more.begin(), more.end());
}

}  // namespace

MultiHeadAttentionWeights initialize_multi_head_attention(
    int embedding_dim, int num_heads, int key_dim, dl::RandomState& rng) {
  if (embedding_dim < 1 || num_heads < 1 || key_dim < 1) {
    throw std::invalid_argument(
        "initialize_multi_head_attention: sizes must be >= 1");
  }
  MultiHeadAttentionWeights w;
  w.num_heads = num_heads;
  w.query = InitDense(embedding_dim, num_heads * key_dim, rng);
  w.key = InitDense(embedding_dim, num_heads * key_dim, rng);
  w.value = InitDense(embedding_dim, num_heads * key_dim, rng);
  w.output = InitDense(num_heads * key_dim, embedding_dim, rng);
  return w;
}

EncoderLayerWeights initialize_encoder_layer(const TransformerConfig& config,
                                             dl::RandomState& rng) {
  const int d = config.embedding_dim;
  EncoderLayerWeights w;
  w.mha =
      initialize_multi_head_attention(d, config.num_heads, KeyDim(config), rng);
  w.ffn = InitFullyConnected(d, config.fully_connected_dim, rng);
  w.layernorm1 = InitLayerNorm(d);
  w.layernorm2 = InitLayerNorm(d);
  w.layernorm_eps = config.layernorm_eps;
  return w;
}

DecoderLayerWeights initialize_decoder_layer(const TransformerConfig& config,
                                             dl::RandomState& rng) {
  const int d = config.embedding_dim;
  DecoderLayerWeights w;
  w.mha1 =
      initialize_multi_head_attention(d, config.num_heads, KeyDim(config), rng);
  w.mha2 =
      initialize_multi_head_attention(d, config.num_heads, KeyDim(config), rng);
  w.ffn = InitFullyConnected(d, config.fully_connected_dim, rng);
  w.layernorm1 = InitLayerNorm(d);
  w.layernorm2 = InitLayerNorm(d);
  w.layernorm3 = InitLayerNorm(d);
  w.layernorm_eps = config.layernorm_eps;
  return w;
}

EncoderWeights initialize_encoder(const TransformerConfig& config,
                                  dl::RandomState& rng) {
  EncoderWeights w;
  w.embedding = ag::Param(
      rng.uniform(-0.05, 0.05, config.embedding_dim, config.input_vocab_size));
  w.maximum_position_encoding = config.max_positional_encoding_input;
  for (int l = 0; l < config.num_layers; ++l) {
    w.enc_layers.push_back(initialize_encoder_layer(config, rng));
  }
  return w;
}

DecoderWeights initialize_decoder(const TransformerConfig& config,
                                  dl::RandomState& rng) {
  DecoderWeights w;
  w.embedding = ag::Param(
      rng.uniform(-0.05, 0.05, config.embedding_dim, config.target_vocab_size));
  w.maximum_position_encoding = config.max_positional_encoding_target;
  for (int l = 0; l < config.num_layers; ++l) {
    w.dec_layers.push_back(initialize_decoder_layer(config, rng));
  }
  return w;
}

TransformerWeights initialize_transformer(const TransformerConfig& config,
                                          dl::RandomState& rng) {
  TransformerWeights w;
  w.encoder = initialize_encoder(config, rng);
  w.decoder = initialize_decoder(config, rng);
  w.final_layer =
      InitDense(config.embedding_dim, config.target_vocab_size, rng);
  return w;
}

std::vector<Var> all_parameters(const MultiHeadAttentionWeights& w) {
  std::vector<Var> all;
  Append(all, w.query);
  Append(all, w.key);
  Append(all, w.value);
  Append(all, w.output);
  return all;
}

std::vector<Var> all_parameters(const EncoderLayerWeights& w) {
  std::vector<Var> all = all_parameters(w.mha);
  Append(all, w.ffn.dense1);
  Append(all, w.ffn.dense2);
  Append(all, w.layernorm1);
  Append(all, w.layernorm2);
  return all;
}

std::vector<Var> all_parameters(const DecoderLayerWeights& w) {
  std::vector<Var> all = all_parameters(w.mha1);
  Append(all, all_parameters(w.mha2));
  Append(all, w.ffn.dense1);
  Append(all, w.ffn.dense2);
  Append(all, w.layernorm1);
  Append(all, w.layernorm2);
  Append(all, w.layernorm3);
  return all;
}

std::vector<Var> all_parameters(const EncoderWeights& w) {
  std::vector<Var> all = {w.embedding};
  for (const EncoderLayerWeights& layer : w.enc_layers) {
    Append(all, all_parameters(layer));
  }
  return all;
}

std::vector<Var> all_parameters(const DecoderWeights& w) {
  std::vector<Var> all = {w.embedding};
  for (const DecoderLayerWeights& layer : w.dec_layers) {
    Append(all, all_parameters(layer));
  }
  return all;
}

std::vector<Var> all_parameters(const TransformerWeights& w) {
  std::vector<Var> all = all_parameters(w.encoder);
  Append(all, all_parameters(w.decoder));
  Append(all, w.final_layer);
  return all;
}

}  // namespace transformer
