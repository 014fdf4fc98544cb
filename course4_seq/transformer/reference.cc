// The reference solution of course4_seq/transformer.

#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "common/nn/autograd.h"
#include "course4_seq/transformer/transformer.h"

namespace transformer {
namespace reference {

namespace ag = dl::ag;

namespace {

// The number of steps T of a (n, m·T) sequence of m examples.
Index Steps(const char* function, const Var& x, Index m) {
  if (m < 1 || x.cols() % m != 0) {
    throw std::invalid_argument(std::string(function) + ": " +
                                std::to_string(x.cols()) +
                                " columns are not m = " + std::to_string(m) +
                                " examples of the same length");
  }
  return x.cols() / m;
}

Var LayerNorm(const Var& x, const LayerNormWeights& ln, double epsilon) {
  return ag::layer_norm(x, ln.gamma, ln.beta, epsilon);
}

// The embeddings of the ids · sqrt(d) + the positional encodings, with
// dropout: the start of the Encoder and of the Decoder.
Var EmbedAndEncodePositions(const char* function, const TokenIds& ids,
                            const Var& embedding, int maximum_position_encoding,
                            const Training& training) {
  const std::vector<int> flat = flatten_ids(ids);
  const Index m = static_cast<Index>(ids.size());
  const Index T = static_cast<Index>(ids[0].size());
  if (T > maximum_position_encoding) {
    throw std::invalid_argument(
        std::string(function) + ": sequences of " + std::to_string(T) +
        " tokens, longer than maximum_position_encoding " +
        std::to_string(maximum_position_encoding));
  }
  const int d = static_cast<int>(embedding.rows());
  const Matrix pos_encoding =
      reference::positional_encoding(maximum_position_encoding, d);
  Var x = ag::gather_columns(embedding, flat);          // (d, m·T)
  x = ag::scale(x, std::sqrt(static_cast<double>(d)));  // · sqrt(d)
  x = x + ag::tile_columns(ag::Constant(pos_encoding.leftCols(T)), m);
  return Dropout(x, training);
}

}  // namespace

Matrix get_angles(const Matrix& pos, const Matrix& k, int d) {
  Matrix angles(k.rows(), pos.cols());
  for (Index j = 0; j < k.rows(); ++j) {
    const double i = std::floor(k(j, 0) / 2);
    const double denominator = std::pow(10000.0, 2 * i / d);
    for (Index p = 0; p < pos.cols(); ++p) {
      angles(j, p) = pos(0, p) / denominator;
    }
  }
  return angles;
}

Matrix positional_encoding(int positions, int d) {
  Matrix pos(1, positions), k(d, 1);
  for (int p = 0; p < positions; ++p) pos(0, p) = p;
  for (int j = 0; j < d; ++j) k(j, 0) = j;
  Matrix pe = reference::get_angles(pos, k, d);
  for (int j = 0; j < d; ++j) {
    if (j % 2 == 0) {
      pe.row(j) = pe.row(j).array().sin().matrix();  // 2i: sin
    } else {
      pe.row(j) = pe.row(j).array().cos().matrix();  // 2i + 1: cos
    }
  }
  return pe;
}

Matrix create_padding_mask(const TokenIds& seq) {
  const std::vector<int> flat = flatten_ids(seq);
  const Index m = static_cast<Index>(seq.size());
  const Index T = static_cast<Index>(seq[0].size());
  Matrix mask(T, m);
  for (Index i = 0; i < m; ++i) {
    for (Index t = 0; t < T; ++t) mask(t, i) = flat[i * T + t] != 0 ? 1 : 0;
  }
  return mask;
}

Matrix create_look_ahead_mask(int sequence_length) {
  Matrix mask = Matrix::Zero(sequence_length, sequence_length);
  for (int t = 0; t < sequence_length; ++t) {
    for (int s = 0; s <= t; ++s) mask(s, t) = 1;
  }
  return mask;
}

AttentionOutput scaled_dot_product_attention(const Var& q, const Var& k,
                                             const Var& v, const Matrix& mask,
                                             Index m) {
  Steps("scaled_dot_product_attention (q)", q, m);
  Steps("scaled_dot_product_attention (k)", k, m);
  const double d_k = static_cast<double>(q.rows());
  // Block i: K_iᵀ Q_i / sqrt(d_k), (T_k, T_q).
  Var scores = ag::scale(ag::batch_matmul(k, q, m, /*transpose_a=*/true),
                         1 / std::sqrt(d_k));
  if (mask.size() > 0) {
    scores = scores + ag::Constant((1 - mask.array()).matrix() * -1e9);
  }
  AttentionOutput out;
  out.attention_weights = ag::softmax(scores, 0);              // over the keys
  out.output = ag::batch_matmul(v, out.attention_weights, m);  // V_i W_i
  return out;
}

MultiHeadAttentionOutput MultiHeadAttention(
    const Var& query, const Var& key, const Var& value, const Matrix& mask,
    Index m, const MultiHeadAttentionWeights& weights) {
  const int h = weights.num_heads;
  const Var Q = Dense(query, weights.query);
  const Var K = Dense(key, weights.key);
  const Var V = Dense(value, weights.value);
  if (h < 1 || Q.rows() % h != 0 || V.rows() % h != 0) {
    throw std::invalid_argument(
        "MultiHeadAttention: the projections' " + std::to_string(Q.rows()) +
        " and " + std::to_string(V.rows()) + " rows do not split into " +
        std::to_string(h) + " heads");
  }
  const Index key_dim = Q.rows() / h, value_dim = V.rows() / h;
  MultiHeadAttentionOutput out;
  std::vector<Var> heads;
  for (int j = 0; j < h; ++j) {
    const AttentionOutput head = reference::scaled_dot_product_attention(
        ag::slice_rows(Q, j * key_dim, key_dim),
        ag::slice_rows(K, j * key_dim, key_dim),
        ag::slice_rows(V, j * value_dim, value_dim), mask, m);
    heads.push_back(head.output);
    out.attention_weights.push_back(head.attention_weights);
  }
  out.output = Dense(ag::concat_rows(heads), weights.output);
  return out;
}

Var EncoderLayer(const Var& x, const Matrix& mask, Index m,
                 const EncoderLayerWeights& weights, const Training& training) {
  const Var attn_output = Dropout(
      reference::MultiHeadAttention(x, x, x, mask, m, weights.mha).output,
      training);
  const Var out1 =
      LayerNorm(x + attn_output, weights.layernorm1, weights.layernorm_eps);
  const Var ffn_output = Dropout(FullyConnected(out1, weights.ffn), training);
  return LayerNorm(out1 + ffn_output, weights.layernorm2,
                   weights.layernorm_eps);
}

Var Encoder(const TokenIds& x, const Matrix& mask,
            const EncoderWeights& weights, const Training& training) {
  Var out =
      EmbedAndEncodePositions("Encoder", x, weights.embedding,
                              weights.maximum_position_encoding, training);
  const Index m = static_cast<Index>(x.size());
  for (const EncoderLayerWeights& layer : weights.enc_layers) {
    out = reference::EncoderLayer(out, mask, m, layer, training);
  }
  return out;
}

DecoderLayerOutput DecoderLayer(const Var& x, const Var& enc_output,
                                const Matrix& look_ahead_mask,
                                const Matrix& padding_mask, Index m,
                                const DecoderLayerWeights& weights,
                                const Training& training) {
  DecoderLayerOutput out;
  // BLOCK 1: masked self-attention.
  const MultiHeadAttentionOutput block1 =
      reference::MultiHeadAttention(x, x, x, look_ahead_mask, m, weights.mha1);
  const Var Q1 = LayerNorm(Dropout(block1.output, training) + x,
                           weights.layernorm1, weights.layernorm_eps);
  // BLOCK 2: attention over the encoder's output.
  const MultiHeadAttentionOutput block2 = reference::MultiHeadAttention(
      Q1, enc_output, enc_output, padding_mask, m, weights.mha2);
  const Var out2 = LayerNorm(Dropout(block2.output, training) + Q1,
                             weights.layernorm2, weights.layernorm_eps);
  // BLOCK 3: the feed-forward network.
  const Var ffn_output = Dropout(FullyConnected(out2, weights.ffn), training);
  out.out3 =
      LayerNorm(ffn_output + out2, weights.layernorm3, weights.layernorm_eps);
  out.attn_weights_block1 = block1.attention_weights;
  out.attn_weights_block2 = block2.attention_weights;
  return out;
}

DecoderOutput Decoder(const TokenIds& x, const Var& enc_output,
                      const Matrix& look_ahead_mask, const Matrix& padding_mask,
                      const DecoderWeights& weights, const Training& training) {
  DecoderOutput out;
  out.x = EmbedAndEncodePositions("Decoder", x, weights.embedding,
                                  weights.maximum_position_encoding, training);
  const Index m = static_cast<Index>(x.size());
  for (size_t l = 0; l < weights.dec_layers.size(); ++l) {
    const DecoderLayerOutput layer = reference::DecoderLayer(
        out.x, enc_output, look_ahead_mask, padding_mask, m,
        weights.dec_layers[l], training);
    out.x = layer.out3;
    const std::string name = "decoder_layer" + std::to_string(l + 1);
    out.attention_weights[name + "_block1_self_att"] =
        layer.attn_weights_block1;
    out.attention_weights[name + "_block2_decenc_att"] =
        layer.attn_weights_block2;
  }
  return out;
}

TransformerOutput Transformer(const TokenIds& input_sentence,
                              const TokenIds& output_sentence,
                              const Matrix& enc_padding_mask,
                              const Matrix& look_ahead_mask,
                              const Matrix& dec_padding_mask,
                              const TransformerWeights& weights,
                              const Training& training) {
  const Var enc_output = reference::Encoder(input_sentence, enc_padding_mask,
                                            weights.encoder, training);
  DecoderOutput dec =
      reference::Decoder(output_sentence, enc_output, look_ahead_mask,
                         dec_padding_mask, weights.decoder, training);
  TransformerOutput out;
  out.logits = Dense(dec.x, weights.final_layer);
  out.attention_weights = std::move(dec.attention_weights);
  return out;
}

}  // namespace reference
}  // namespace transformer
