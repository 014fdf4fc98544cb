// File: course4_seq/transformer/transformer.h
//
// Course 5, week 4, assignment 1: "Transformers Architecture with
// TensorFlow". The transformer of "Attention Is All You Need" (Vaswani et
// al., 2017): positional encodings, masks, scaled dot-product attention,
// multi-head attention, the encoder and decoder layers and stacks, and the
// whole encoder-decoder model.
//
// You write it on the automatic differentiation of common/nn/autograd.h
// (dl::ag), as Keras did for the course: compose the forward pass from ops
// (matmul, softmax, batch_matmul, layer_norm, ...) on Vars and ag::Backward
// computes every gradient. A Var made of ag::Constant is just a matrix, so
// the same functions serve for a forward pass alone.
//
// Layout (one example per COLUMN, as in the whole course; the course's
// Keras arrays are batch-first):
//   the course's x (m, T, d_model)  ->  x (d_model, m·T), "example-major":
//                                        column i·T + t is x[i, t, :]
//   token ids (m, T)                ->  TokenIds ids, ids[i][t] (the same);
//                                        id 0 is the padding
//   positional_encoding (1, P, d)   ->  (d, P): column pos is PE(pos)
//   attention weights               ->  (T_k, m·T_q): column i·T_q + t holds
//     (m, T_q, T_k)                      the weights of query t of example i
//                                        over the T_k keys (sums to 1); row s
//                                        is key s. ours(s, i·T_q + t) =
//                                        course[i, t, s]
//   per head (m, h, T_q, T_k)       ->  h Vars (T_k, m·T_q)
//   logits (m, T, vocab)            ->  (vocab, m·T)
//
// Masks. 1 = attend (keep), 0 = masked: the course's 2023 convention (and
// Keras's attention_mask); a mask enters the attention as
//   scores + (1 - mask) · (-1e9)
// so a masked key gets weight exp(-1e9) = 0. (The course's 2021 notebook had
// the opposite convention: 1 = masked, scores + mask · (-1e9), and a
// look-ahead mask 1 - band_part(ones, -1, 0).)
// An attention mask has the weights' shape (T_k, m·T_q): entry
// (s, i·T_q + t) = 1 when query t of example i may look at key s. An empty
// Matrix (`Matrix()`) is the course's None: no mask. create_padding_mask
// (T, m) and create_look_ahead_mask (T, T) make the course's compact masks;
// the given broadcast_padding_mask and broadcast_look_ahead_mask turn them
// into attention masks.
//
// Exercises, in order (write them in exercise.cc):
//   1. get_angles                 2. positional_encoding
//   3. create_padding_mask        4. create_look_ahead_mask
//   5. scaled_dot_product_attention
//   6. MultiHeadAttention
//   7. EncoderLayer   8. Encoder  9. DecoderLayer  10. Decoder
//   11. Transformer

#ifndef DLCOURSE_COURSE4_SEQ_TRANSFORMER_TRANSFORMER_H_
#define DLCOURSE_COURSE4_SEQ_TRANSFORMER_TRANSFORMER_H_

#include <map>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/core/tensor.h"
#include "common/nn/autograd.h"

namespace transformer {

using dl::Matrix;
using dl::ag::Var;
using Index = Eigen::Index;
// m sequences of T token ids: ids[i][t] is token t of example i (the
// course's (m, T) array). Every sequence has the same length T; id 0 is the
// padding.
using TokenIds = std::vector<std::vector<int>>;

// =================================================== positional encoding

// Exercise 1. The angles of the positional encoding, for every dimension
// index k and position pos:
//   angles(j, p) = pos(p) / 10000^(2·(k(j) // 2) / d)      (// floors)
//   pos: (1, P) the positions (a row: one position per column, like our
//        encodings)   k: (n_k, 1) dimension indices (a column)  ->  (n_k, P)
// The course's get_angles(pos (P, 1), k (1, d), d) -> (P, d) is the
// transpose.
Matrix get_angles(const Matrix& pos, const Matrix& k, int d);

// Exercise 2. The sinusoidal encodings of the positions 0 .. positions-1:
//   PE(2i, pos)     = sin(pos / 10000^(2i/d))
//   PE(2i + 1, pos) = cos(pos / 10000^(2i/d))
//   -> (d, positions): column pos is the encoding of position pos; the even
//   rows are sines, the odd rows cosines. The course returns
//   (1, positions, d): ours(j, pos) = course[0, pos, j].
Matrix positional_encoding(int positions, int d);

// ================================================================= masks

// Exercise 3. 1 for a real token, 0 for the padding (id 0):
//   seq: m sequences of T ids  ->  (T, m), mask(t, i) = (seq[i][t] != 0).
// The course's (m, 1, T): ours(t, i) = course[i, 0, t].
Matrix create_padding_mask(const TokenIds& seq);

// Exercise 4. Query t may look at the keys s <= t only (not ahead):
//   -> (sequence_length, sequence_length), mask(s, t) = 1 if s <= t, else
//   0: ones on and above the diagonal. The course's (1, T, T) is the lower
//   triangle band_part(ones, -1, 0): ours(s, t) = course[0, t, s].
Matrix create_look_ahead_mask(int sequence_length);

// Given. A padding mask (T_k, m) as an attention mask (T_k, m·T_q): every
// query of example i sees column i (the course broadcasts its (m, 1, T_k)
// over the queries).
Matrix broadcast_padding_mask(const Matrix& padding_mask, Index T_q);

// Given. A look-ahead mask (T, T) as an attention mask (T, m·T): the same
// block for every example (the course broadcasts its (1, T, T) over the
// batch).
Matrix broadcast_look_ahead_mask(const Matrix& look_ahead_mask, Index m);

// ============================================================= attention

struct AttentionOutput {
  Var output;             // (d_v, m·T_q)
  Var attention_weights;  // (T_k, m·T_q); every column sums to 1
};

// Exercise 5. Scaled dot-product attention, the course's
//   Attention(Q, K, V) = softmax(Q Kᵀ / sqrt(d_k) + (1 - M)·(-1e9)) V
// (rows are positions there), in our columns, for each example i with the
// blocks Q_i (d_k, T_q), K_i (d_k, T_k), V_i (d_v, T_k) of its columns:
//   scores_i  = K_iᵀ Q_i / sqrt(d_k)                  (T_k, T_q)
//   weights_i = softmax over each COLUMN (axis 0) of
//               scores_i + (1 - mask_i) · (-1e9)     (T_k, T_q)
//   output_i  = V_i weights_i                        (d_v, T_q)
//   q: (d_k, m·T_q)  k: (d_k, m·T_k)  v: (d_v, m·T_k)
//   mask: (T_k, m·T_q) attention mask, or an empty Matrix (no mask)
//   m: the number of examples (1: the course's 2-D q, k, v)
// d_k is q.rows().
AttentionOutput scaled_dot_product_attention(const Var& q, const Var& k,
                                             const Var& v, const Matrix& mask,
                                             Index m = 1);

// A Keras Dense layer without activation: y = W x + b.
struct DenseWeights {
  Var W;  // (n_out, n_in)
  Var b;  // (n_out, 1)
};
// Given. W x + b (b added to every column).
Var Dense(const Var& x, const DenseWeights& layer);

// The weights of Keras's MultiHeadAttention(num_heads, key_dim): four
// Dense layers. key_dim = query.W.rows() / num_heads (and value_dim =
// value.W.rows() / num_heads): the paper's and TensorFlow's tutorial's
// d_model / num_heads; the course's notebook passes key_dim = embedding_dim.
struct MultiHeadAttentionWeights {
  int num_heads = 1;
  DenseWeights query;   // W (num_heads·key_dim, d_model)
  DenseWeights key;     // W (num_heads·key_dim, d_model)
  DenseWeights value;   // W (num_heads·value_dim, d_model)
  DenseWeights output;  // W (d_model, num_heads·value_dim)
};

struct MultiHeadAttentionOutput {
  Var output;  // (d_model, m·T_q)
  // num_heads Vars (T_k, m·T_q), head h first (Keras's attention scores
  // (m, num_heads, T_q, T_k)).
  std::vector<Var> attention_weights;
};

// Exercise 6. Multi-head attention (Keras's MultiHeadAttention layer, which
// the course's notebook uses as given; here you write it):
//   Q = Dense(query, weights.query)       (num_heads·key_dim, m·T_q)
//   K = Dense(key, weights.key)           (num_heads·key_dim, m·T_k)
//   V = Dense(value, weights.value)       (num_heads·value_dim, m·T_k)
//   split the heads: head h is rows h·key_dim .. (h+1)·key_dim - 1 of Q and
//   K (h·value_dim .. of V);
//   {o_h, w_h} = scaled_dot_product_attention(Q_h, K_h, V_h, mask, m)
//   concat = [o_0; o_1; ...; o_{num_heads-1}]   (num_heads·value_dim, m·T_q)
//   output = Dense(concat, weights.output)      (d_model, m·T_q)
//   query: (d_model, m·T_q)  key, value: (d_model, m·T_k)
//   mask: (T_k, m·T_q) or empty
// (Keras calls it as mha(query, value, key, attention_mask); we keep the
// order of scaled_dot_product_attention: query, key, value.)
MultiHeadAttentionOutput MultiHeadAttention(
    const Var& query, const Var& key, const Var& value, const Matrix& mask,
    Index m, const MultiHeadAttentionWeights& weights);

// ======================================================= the given layers

// The course's `training` flag, with what dropout needs. The default
// (rng == nullptr) is training=False: Dropout does nothing.
struct Training {
  double dropout_rate = 0.1;       // the course's default
  dl::RandomState* rng = nullptr;  // draws the dropout masks
};

// Given. Keras's Dropout(rate)(x, training): in training, the inverted
// dropout of C2W1: keep = rng->rand(x.rows(), x.cols()) < 1 - rate (one
// draw per entry, numpy's row-major order), y = x * keep / (1 - rate).
// Otherwise (or with rate 0) y = x.
Var Dropout(const Var& x, const Training& training);

// The course's FullyConnected: Dense(fully_connected_dim, relu), then
// Dense(embedding_dim).
struct FullyConnectedWeights {
  DenseWeights dense1;  // W (fully_connected_dim, embedding_dim)
  DenseWeights dense2;  // W (embedding_dim, fully_connected_dim)
};
// Given. dense2(relu(dense1(x))): (d_model, n) -> (d_model, n).
Var FullyConnected(const Var& x, const FullyConnectedWeights& ffn);

// Keras's LayerNormalization(epsilon): use
// ag::layer_norm(x, gamma, beta, epsilon) (each column normalized over its
// d_model entries).
struct LayerNormWeights {
  Var gamma;  // (d_model, 1), ones at first
  Var beta;   // (d_model, 1), zeros at first
};

// The token ids in the example-major order of the columns: entry i·T + t
// is ids[i][t] (for ag::gather_columns). Throws std::invalid_argument when
// the sequences differ in length or there are none.
std::vector<int> flatten_ids(const TokenIds& ids);

// ============================================================== encoder

struct EncoderLayerWeights {
  MultiHeadAttentionWeights mha;
  FullyConnectedWeights ffn;
  LayerNormWeights layernorm1, layernorm2;
  double layernorm_eps = 1e-6;
};

// Exercise 7. One encoder layer: self-attention, then the position-wise
// feed-forward network, each with dropout, a residual connection and a
// layer normalization:
//   attn_output = Dropout(MultiHeadAttention(x, x, x, mask).output)
//   out1 = LayerNorm1(x + attn_output)
//   ffn_output = Dropout(FullyConnected(out1))
//   encoder_layer_out = LayerNorm2(out1 + ffn_output)
//   x: (d_model, m·T)  mask: (T, m·T) or empty  ->  (d_model, m·T)
// The two dropouts draw their masks in this order (the grader compares
// with the same seed). The course's Keras MultiHeadAttention drops
// attention weights instead of its output; we follow the paper and
// TensorFlow's tutorial.
Var EncoderLayer(const Var& x, const Matrix& mask, Index m,
                 const EncoderLayerWeights& weights,
                 const Training& training = {});

struct EncoderWeights {
  Var embedding;  // (embedding_dim, input_vocab_size): column w is token w
  int maximum_position_encoding = 0;            // the longest input T
  std::vector<EncoderLayerWeights> enc_layers;  // num_layers
};

// Exercise 8. The encoder:
//   x = the embeddings of the ids, example-major          (d, m·T)
//   x = x · sqrt(d) + PE[:, 0:T] (the same for every example), with
//       PE = positional_encoding(maximum_position_encoding, d)
//   x = Dropout(x)
//   x = EncoderLayer(x, mask) for every layer, in order
//   x: m sequences of T ids (T <= maximum_position_encoding)
//   mask: (T, m·T) or empty  ->  (d, m·T)
Var Encoder(const TokenIds& x, const Matrix& mask,
            const EncoderWeights& weights, const Training& training = {});

// ============================================================== decoder

struct DecoderLayerWeights {
  MultiHeadAttentionWeights mha1;  // masked self-attention
  MultiHeadAttentionWeights mha2;  // attention over the encoder's output
  FullyConnectedWeights ffn;
  LayerNormWeights layernorm1, layernorm2, layernorm3;
  double layernorm_eps = 1e-6;
};

struct DecoderLayerOutput {
  Var out3;                              // (d_model, m·T_tar)
  std::vector<Var> attn_weights_block1;  // heads x (T_tar, m·T_tar)
  std::vector<Var> attn_weights_block2;  // heads x (T_inp, m·T_tar)
};

// Exercise 9. One decoder layer:
//   BLOCK 1: mult_attn_out1 = Dropout(mha1(x, x, x, look_ahead_mask))
//            Q1 = LayerNorm1(mult_attn_out1 + x)
//   BLOCK 2: mult_attn_out2 = Dropout(mha2(Q1, enc_output, enc_output,
//                                          padding_mask))
//            out2 = LayerNorm2(mult_attn_out2 + Q1)
//   BLOCK 3: ffn_output = Dropout(FullyConnected(out2))
//            out3 = LayerNorm3(ffn_output + out2)
//   x: (d_model, m·T_tar)  enc_output: (d_model, m·T_inp)
//   look_ahead_mask: (T_tar, m·T_tar) or empty
//   padding_mask: (T_inp, m·T_tar) or empty
// The three dropouts draw their masks in this order. Returns out3 and the
// two blocks' attention weights.
DecoderLayerOutput DecoderLayer(const Var& x, const Var& enc_output,
                                const Matrix& look_ahead_mask,
                                const Matrix& padding_mask, Index m,
                                const DecoderLayerWeights& weights,
                                const Training& training = {});

struct DecoderWeights {
  Var embedding;                      // (embedding_dim, target_vocab_size)
  int maximum_position_encoding = 0;  // the longest target T_tar
  std::vector<DecoderLayerWeights> dec_layers;  // num_layers
};

struct DecoderOutput {
  Var x;  // (d_model, m·T_tar)
  // The course's dictionary: "decoder_layer{i}_block1_self_att" and
  // "decoder_layer{i}_block2_decenc_att" for i = 1 .. num_layers (from 1),
  // each the layer's heads' weights.
  std::map<std::string, std::vector<Var>> attention_weights;
};

// Exercise 10. The decoder: the embeddings of the target ids · sqrt(d) +
// PE[:, 0:T_tar], Dropout, then every DecoderLayer in order (each gets the
// same enc_output and masks); keep every layer's attention weights.
//   x: m sequences of T_tar ids  enc_output: (d, m·T_inp)
//   look_ahead_mask: (T_tar, m·T_tar) or empty
//   padding_mask: (T_inp, m·T_tar) or empty
DecoderOutput Decoder(const TokenIds& x, const Var& enc_output,
                      const Matrix& look_ahead_mask, const Matrix& padding_mask,
                      const DecoderWeights& weights,
                      const Training& training = {});

// ========================================================== transformer

struct TransformerWeights {
  EncoderWeights encoder;
  DecoderWeights decoder;
  DenseWeights final_layer;  // W (target_vocab_size, embedding_dim)
};

struct TransformerOutput {
  // The final Dense layer BEFORE its softmax: (target_vocab_size, m·T_tar).
  // The course's final_output (Dense with softmax) is ag::softmax(logits,
  // 0); the loss (ag::cross_entropy) takes the logits.
  Var logits;
  std::map<std::string, std::vector<Var>> attention_weights;  // the decoder's
};

// Exercise 11. The whole model:
//   enc_output = Encoder(input_sentence, enc_padding_mask)
//   {dec_output, attention_weights} = Decoder(output_sentence, enc_output,
//                                      look_ahead_mask, dec_padding_mask)
//   logits = Dense(dec_output, final_layer)
// The encoder draws its dropout masks before the decoder.
//   input_sentence: m x T_inp ids   output_sentence: m x T_tar ids
//   enc_padding_mask: (T_inp, m·T_inp)   look_ahead_mask: (T_tar, m·T_tar)
//   dec_padding_mask: (T_inp, m·T_tar)   (each may be empty)
TransformerOutput Transformer(const TokenIds& input_sentence,
                              const TokenIds& output_sentence,
                              const Matrix& enc_padding_mask,
                              const Matrix& look_ahead_mask,
                              const Matrix& dec_padding_mask,
                              const TransformerWeights& weights,
                              const Training& training = {});

// ====================================================== the given weights

// The sizes of a transformer (the course's constructor arguments).
struct TransformerConfig {
  int num_layers = 2;
  int embedding_dim = 32;  // d_model
  int num_heads = 2;
  int fully_connected_dim = 64;  // dff
  int input_vocab_size = 0;
  int target_vocab_size = 0;
  int max_positional_encoding_input = 0;
  int max_positional_encoding_target = 0;
  int key_dim = 0;  // per head; 0 means embedding_dim / num_heads
  double layernorm_eps = 1e-6;
};

// Keras's initializers, from rng: every Dense kernel Glorot-uniform (limit
// sqrt(6 / (fan_in + fan_out))), biases zero, embeddings uniform on
// [-0.05, 0.05], layer norms gamma = 1, beta = 0. The draws follow the
// fields' order.
MultiHeadAttentionWeights initialize_multi_head_attention(int embedding_dim,
                                                          int num_heads,
                                                          int key_dim,
                                                          dl::RandomState& rng);
EncoderLayerWeights initialize_encoder_layer(const TransformerConfig& config,
                                             dl::RandomState& rng);
DecoderLayerWeights initialize_decoder_layer(const TransformerConfig& config,
                                             dl::RandomState& rng);
// Uses input_vocab_size and max_positional_encoding_input.
EncoderWeights initialize_encoder(const TransformerConfig& config,
                                  dl::RandomState& rng);
// Uses target_vocab_size and max_positional_encoding_target.
DecoderWeights initialize_decoder(const TransformerConfig& config,
                                  dl::RandomState& rng);
TransformerWeights initialize_transformer(const TransformerConfig& config,
                                          dl::RandomState& rng);

// Every Param of the weights, in the order of their fields (for the
// optimizer, ag::ZeroGrad and ag::NumParameters).
std::vector<Var> all_parameters(const MultiHeadAttentionWeights& w);
std::vector<Var> all_parameters(const EncoderLayerWeights& w);
std::vector<Var> all_parameters(const DecoderLayerWeights& w);
std::vector<Var> all_parameters(const EncoderWeights& w);
std::vector<Var> all_parameters(const DecoderWeights& w);
std::vector<Var> all_parameters(const TransformerWeights& w);

// The reference solution (reference.cc) has the same functions, in
// transformer::reference. The grader compares yours with it.
// clang-format off
namespace reference {
decltype(transformer::get_angles) get_angles;
decltype(transformer::positional_encoding) positional_encoding;
decltype(transformer::create_padding_mask) create_padding_mask;
decltype(transformer::create_look_ahead_mask) create_look_ahead_mask;
decltype(transformer::scaled_dot_product_attention) scaled_dot_product_attention;
decltype(transformer::MultiHeadAttention) MultiHeadAttention;
decltype(transformer::EncoderLayer) EncoderLayer;
decltype(transformer::Encoder) Encoder;
decltype(transformer::DecoderLayer) DecoderLayer;
decltype(transformer::Decoder) Decoder;
decltype(transformer::Transformer) Transformer;
}  // namespace reference
// clang-format on

}  // namespace transformer

#endif  // DLCOURSE_COURSE4_SEQ_TRANSFORMER_TRANSFORMER_H_
