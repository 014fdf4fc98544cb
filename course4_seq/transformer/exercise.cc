// Your solutions to course4_seq/transformer. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course4_seq/transformer/...
// The formulas and shapes are in transformer.h and README.md; the ops
// (matmul, softmax, batch_matmul, layer_norm, gather_columns, ...) in
// common/nn/autograd.h; the given Dense, Dropout, FullyConnected,
// broadcast_*_mask and flatten_ids in transformer.h.

#include <vector>

#include "common/grading/not_implemented.h"
#include "common/nn/autograd.h"
#include "course4_seq/transformer/transformer.h"

namespace transformer {

namespace ag = dl::ag;

Matrix get_angles(const Matrix& pos, const Matrix& k, int d) {
  // TODO: angles (k.rows(), pos.cols()); for every row j:
  //       i = floor(k(j, 0) / 2);
  //       angles.row(j) = pos.row(0) / 10000^(2 i / d). (≈6 lines)
  //   Hint: std::pow(10000.0, 2 * i / d) with i a double (an int division
  //   2 * i / d would be 0).
  return dl::not_implemented<Matrix>("get_angles");
}

Matrix positional_encoding(int positions, int d) {
  // TODO: pos = (1, positions) row 0, 1, ...; k = (d, 1) column 0, 1, ...;
  //       pe = get_angles(pos, k, d);
  //       sin on the even rows (0, 2, ...), cos on the odd rows. (≈7 lines)
  //   Hint: pe.row(j).array().sin() is np.sin of a row.
  return dl::not_implemented<Matrix>("positional_encoding");
}

Matrix create_padding_mask(const TokenIds& seq) {
  // TODO: m = seq.size(), T = seq[0].size(); mask (T, m) with
  //       mask(t, i) = 1 if seq[i][t] != 0 else 0. (≈5 lines)
  //   Hint: flatten_ids(seq) checks that every sequence has length T.
  return dl::not_implemented<Matrix>("create_padding_mask");
}

Matrix create_look_ahead_mask(int sequence_length) {
  // TODO: mask (T, T) of zeros, then mask(s, t) = 1 for every s <= t:
  //       column t (query t) sees the keys 0 .. t. (≈4 lines)
  //   Hint: Matrix::Zero(T, T); or .triangularView<Eigen::Upper>() of ones.
  return dl::not_implemented<Matrix>("create_look_ahead_mask");
}

AttentionOutput scaled_dot_product_attention(const Var& q, const Var& k,
                                             const Var& v, const Matrix& mask,
                                             Index m) {
  // TODO: scores = ag::batch_matmul(k, q, m, /*transpose_a=*/true)
  //                · (1 / sqrt(d_k))               (T_k, m·T_q), d_k = q.rows()
  //       if the mask is not empty (mask.size() > 0):
  //         scores = scores + ag::Constant((1 - mask) · (-1e9));
  //       attention_weights = ag::softmax(scores, 0);   (over the keys)
  //       output = ag::batch_matmul(v, attention_weights, m). (≈7 lines)
  //   Hint: `x * c` on a Var is ag::scale; (1 - mask.array()).matrix()
  //   is 1 - mask.
  return dl::not_implemented<AttentionOutput>("scaled_dot_product_attention");
}

MultiHeadAttentionOutput MultiHeadAttention(
    const Var& query, const Var& key, const Var& value, const Matrix& mask,
    Index m, const MultiHeadAttentionWeights& weights) {
  // TODO: Q = Dense(query, weights.query), K = Dense(key, weights.key),
  //       V = Dense(value, weights.value);
  //       key_dim = Q.rows() / num_heads, value_dim = V.rows() / num_heads;
  //       for every head h: scaled_dot_product_attention of
  //         ag::slice_rows(Q, h·key_dim, key_dim), the same rows of K, and
  //         ag::slice_rows(V, h·value_dim, value_dim), with mask and m;
  //         keep its output and push its attention_weights;
  //       output = Dense(ag::concat_rows(head outputs), weights.output).
  //       (≈15 lines)
  return dl::not_implemented<MultiHeadAttentionOutput>("MultiHeadAttention");
}

Var EncoderLayer(const Var& x, const Matrix& mask, Index m,
                 const EncoderLayerWeights& weights, const Training& training) {
  // TODO: attn_output = Dropout(MultiHeadAttention(x, x, x, mask, m,
  //                                                weights.mha).output,
  //                             training);
  //       out1 = ag::layer_norm(x + attn_output, layernorm1.gamma,
  //                             layernorm1.beta, weights.layernorm_eps);
  //       ffn_output = Dropout(FullyConnected(out1, weights.ffn), training);
  //       return the layer norm 2 of out1 + ffn_output. (≈8 lines)
  return dl::not_implemented<Var>("EncoderLayer");
}

Var Encoder(const TokenIds& x, const Matrix& mask,
            const EncoderWeights& weights, const Training& training) {
  // TODO: m = x.size(), T = x[0].size(), d = weights.embedding.rows();
  //       pe = positional_encoding(weights.maximum_position_encoding, d);
  //       out = ag::gather_columns(weights.embedding, flatten_ids(x))
  //             · sqrt(d)
  //             + ag::tile_columns(ag::Constant(pe.leftCols(T)), m);
  //       out = Dropout(out, training);
  //       for every layer of weights.enc_layers:
  //         out = EncoderLayer(out, mask, m, layer, training). (≈10 lines)
  //   Hint: check T <= maximum_position_encoding (throw
  //   std::invalid_argument otherwise).
  return dl::not_implemented<Var>("Encoder");
}

DecoderLayerOutput DecoderLayer(const Var& x, const Var& enc_output,
                                const Matrix& look_ahead_mask,
                                const Matrix& padding_mask, Index m,
                                const DecoderLayerWeights& weights,
                                const Training& training) {
  // TODO: block1 = MultiHeadAttention(x, x, x, look_ahead_mask, m, mha1);
  //       Q1 = layer norm 1 of Dropout(block1.output) + x;
  //       block2 = MultiHeadAttention(Q1, enc_output, enc_output,
  //                                   padding_mask, m, mha2);
  //       out2 = layer norm 2 of Dropout(block2.output) + Q1;
  //       out3 = layer norm 3 of Dropout(FullyConnected(out2, ffn)) + out2;
  //       return {out3, block1.attention_weights, block2.attention_weights}.
  //       (≈15 lines)
  return dl::not_implemented<DecoderLayerOutput>("DecoderLayer");
}

DecoderOutput Decoder(const TokenIds& x, const Var& enc_output,
                      const Matrix& look_ahead_mask, const Matrix& padding_mask,
                      const DecoderWeights& weights, const Training& training) {
  // TODO: the embeddings · sqrt(d) + the positional encodings, then Dropout,
  //       as in Encoder (with the decoder's embedding);
  //       for l = 0 .. num_layers-1: layer = DecoderLayer(...); x =
  //       layer.out3; attention_weights["decoder_layer" + (l+1) +
  //       "_block1_self_att"] = layer.attn_weights_block1, and
  //       "..._block2_decenc_att" = layer.attn_weights_block2. (≈15 lines)
  return dl::not_implemented<DecoderOutput>("Decoder");
}

TransformerOutput Transformer(const TokenIds& input_sentence,
                              const TokenIds& output_sentence,
                              const Matrix& enc_padding_mask,
                              const Matrix& look_ahead_mask,
                              const Matrix& dec_padding_mask,
                              const TransformerWeights& weights,
                              const Training& training) {
  // TODO: enc_output = Encoder(input_sentence, enc_padding_mask,
  //                            weights.encoder, training);
  //       dec = Decoder(output_sentence, enc_output, look_ahead_mask,
  //                     dec_padding_mask, weights.decoder, training);
  //       return {Dense(dec.x, weights.final_layer), dec.attention_weights}.
  //       (≈6 lines)
  return dl::not_implemented<TransformerOutput>("Transformer");
}

}  // namespace transformer
