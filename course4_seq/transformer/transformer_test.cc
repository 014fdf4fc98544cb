// Grades course4_seq/transformer: the course's own checks (get_angles_test,
// positional_encoding_test, the masks, scaled_dot_product_attention_test
// with its literal q, k, v; the shapes and dictionary keys of the Decoder
// and Transformer tests), a seeded comparison with the reference solution on
// several shapes (with and without masks, in inference and with dropout),
// the masks' effect (a masked key gets zero weight; changing what is masked
// changes no output), and finite differences of the gradients that flow
// back through your forward passes.

#include "course4_seq/transformer/transformer.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "common/nn/autograd.h"
#include "common/nn/test_util.h"
#include "course4_seq/transformer/graded.h"  // see tools/unit.bzl
#include "gtest/gtest.h"

namespace reference = transformer::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
namespace ag = dl::ag;
using dl::Matrix;
using dl::RandomState;
using dl::nn::test::Defined;
using transformer::AttentionOutput;
using transformer::DecoderLayerOutput;
using transformer::DecoderLayerWeights;
using transformer::DecoderOutput;
using transformer::DecoderWeights;
using transformer::EncoderLayerWeights;
using transformer::EncoderWeights;
using transformer::Index;
using transformer::MultiHeadAttentionOutput;
using transformer::MultiHeadAttentionWeights;
using transformer::TokenIds;
using transformer::Training;
using transformer::TransformerConfig;
using transformer::TransformerOutput;
using transformer::TransformerWeights;
using transformer::Var;

// --------------------------------------------------------------- helpers

// Defined, then the values against the reference's.
testing::AssertionResult SameVar(const std::string& function,
                                 const std::string& what, const Var& got,
                                 const Var& want) {
  testing::AssertionResult defined = Defined(function, what, got);
  if (!defined) return defined;
  return Near(function, what, got.value(), want.value());
}

// The attention weights of every head, against the reference's.
testing::AssertionResult SameHeads(const std::string& function,
                                   const std::string& what,
                                   const std::vector<Var>& got,
                                   const std::vector<Var>& want) {
  if (got.size() != want.size()) {
    return testing::AssertionFailure()
           << function << ": " << what << " has the weights of " << got.size()
           << " heads, expected " << want.size()
           << " (one Var per head, head 0 first)";
  }
  for (size_t h = 0; h < got.size(); ++h) {
    testing::AssertionResult same = SameVar(
        function, what + "[" + std::to_string(h) + "]", got[h], want[h]);
    if (!same) return same;
  }
  return testing::AssertionSuccess();
}

testing::AssertionResult SameWeightMaps(
    const std::string& function,
    const std::map<std::string, std::vector<Var>>& got,
    const std::map<std::string, std::vector<Var>>& want) {
  for (const auto& [key, heads] : want) {
    auto it = got.find(key);
    if (it == got.end()) {
      std::string keys;
      for (const auto& entry : got) keys += " '" + entry.first + "'";
      return testing::AssertionFailure()
             << function << ": attention_weights has no key '" << key
             << "' (it has" << (keys.empty() ? " none" : keys)
             << "); the course's names are decoder_layer{i}_block1_self_att "
                "and decoder_layer{i}_block2_decenc_att, i from 1";
    }
    testing::AssertionResult same = SameHeads(
        function, "attention_weights[\"" + key + "\"]", it->second, heads);
    if (!same) return same;
  }
  if (got.size() != want.size()) {
    return testing::AssertionFailure()
           << function << ": attention_weights has " << got.size()
           << " entries, expected " << want.size() << " (2 x num_layers)";
  }
  return testing::AssertionSuccess();
}

// Every entry of `masked` with mask 0 is (almost) exactly 0.
testing::AssertionResult ZeroWhereMasked(const std::string& function,
                                         const std::string& what,
                                         const Matrix& weights,
                                         const Matrix& mask) {
  if (weights.rows() != mask.rows() || weights.cols() != mask.cols()) {
    return testing::AssertionFailure()
           << function << ": " << what << " has shape "
           << dl::shape_string(weights) << ", expected "
           << dl::shape_string(mask);
  }
  for (Index c = 0; c < mask.cols(); ++c) {
    for (Index r = 0; r < mask.rows(); ++r) {
      if (mask(r, c) == 0 && std::abs(weights(r, c)) > 1e-12) {
        return testing::AssertionFailure()
               << function << ": " << what << "(" << r << ", " << c
               << ") = " << dl::repr(weights(r, c))
               << " but the mask is 0 there: a masked key must get weight 0. "
                  "Add (1 - mask) * -1e9 to the scores BEFORE the softmax "
                  "(1 = keep, 0 = masked).";
      }
    }
  }
  return testing::AssertionSuccess();
}

// Columns `cols` of got equal those of want (to 1e-9): what must not change
// when only masked inputs change.
testing::AssertionResult SameColumns(const std::string& function,
                                     const std::string& what, const Matrix& got,
                                     const Matrix& want,
                                     const std::vector<Index>& cols,
                                     const std::string& why) {
  for (Index c : cols) {
    const double diff = (got.col(c) - want.col(c)).cwiseAbs().maxCoeff();
    if (!(diff <= 1e-9)) {
      return testing::AssertionFailure()
             << function << ": column " << c << " of " << what << " changed by "
             << dl::repr(diff) << " when " << why
             << "; it must not change (is the mask applied, with 1 = keep?)";
    }
  }
  return testing::AssertionSuccess();
}

// Random ids in 1 .. vocab-1; with `pad`, each sequence keeps a random
// length 1 .. T and is padded with 0 to T.
TokenIds RandomIds(RandomState& rng, int m, int T, int vocab, bool pad) {
  TokenIds ids(m, std::vector<int>(T, 0));
  for (auto& seq : ids) {
    const int length = pad ? static_cast<int>(rng.randint(1, T + 1)) : T;
    for (int t = 0; t < length; ++t) {
      seq[t] = static_cast<int>(rng.randint(1, vocab));
    }
  }
  return ids;
}

// The columns (example-major) of the positions where the ids are padding,
// and of the others.
std::vector<Index> PaddedColumns(const TokenIds& ids, bool padded) {
  std::vector<Index> cols;
  const Index T = static_cast<Index>(ids[0].size());
  for (size_t i = 0; i < ids.size(); ++i) {
    for (Index t = 0; t < T; ++t) {
      if ((ids[i][t] == 0) == padded) cols.push_back(i * T + t);
    }
  }
  return cols;
}

// Adds noise to every weight, so that no bias is 0 and no gamma is 1.
template <typename Weights>
void Perturb(const Weights& weights, RandomState& rng, double scale = 0.3) {
  for (Var v : transformer::all_parameters(weights)) {
    v.mutable_value() += scale * rng.randn(v.rows(), v.cols());
  }
}

TransformerConfig SmallConfig(int num_layers, int d, int heads, int dff,
                              int key_dim = 0) {
  TransformerConfig c;
  c.num_layers = num_layers;
  c.embedding_dim = d;
  c.num_heads = heads;
  c.fully_connected_dim = dff;
  c.key_dim = key_dim;
  return c;
}

// The names of all_parameters(w), in its order, e.g.
// "decoder.dec_layers[0].mha2.key.W".
std::vector<std::string> MhaNames(const std::string& prefix) {
  std::vector<std::string> names;
  for (const char* layer : {"query", "key", "value", "output"}) {
    names.push_back(prefix + "." + layer + ".W");
    names.push_back(prefix + "." + layer + ".b");
  }
  return names;
}

std::vector<std::string> ParameterNames(const TransformerWeights& w) {
  std::vector<std::string> names = {"encoder.embedding"};
  auto add = [&](const std::vector<std::string>& more) {
    names.insert(names.end(), more.begin(), more.end());
  };
  auto ffn_and_norms = [&](const std::string& p, int norms) {
    add({p + ".ffn.dense1.W", p + ".ffn.dense1.b", p + ".ffn.dense2.W",
         p + ".ffn.dense2.b"});
    for (int k = 1; k <= norms; ++k) {
      const std::string ln = p + ".layernorm" + std::to_string(k);
      add({ln + ".gamma", ln + ".beta"});
    }
  };
  for (size_t l = 0; l < w.encoder.enc_layers.size(); ++l) {
    const std::string p = "encoder.enc_layers[" + std::to_string(l) + "]";
    add(MhaNames(p + ".mha"));
    ffn_and_norms(p, 2);
  }
  names.push_back("decoder.embedding");
  for (size_t l = 0; l < w.decoder.dec_layers.size(); ++l) {
    const std::string p = "decoder.dec_layers[" + std::to_string(l) + "]";
    add(MhaNames(p + ".mha1"));
    add(MhaNames(p + ".mha2"));
    ffn_and_norms(p, 3);
  }
  add({"final_layer.W", "final_layer.b"});
  return names;
}

// ============================================================ get_angles

// The course's get_angles_test: position 4, d_model 16 (ours is the
// transpose, (16, 4)).
TEST(GetAngles, CourseTest) {
  const int position = 4, d_model = 16;
  Matrix pos(1, position), k(d_model, 1);
  for (int p = 0; p < position; ++p) pos(0, p) = p;
  for (int j = 0; j < d_model; ++j) k(j, 0) = j;
  auto got =
      Call("get_angles", [&] { return graded::get_angles(pos, k, d_model); });
  if (!got) return;
  ASSERT_TRUE(HasShape("get_angles", "angles", *got, d_model, position,
                       "the course's (4, 16) transposed: one row per "
                       "dimension k, one column per position"));
  EXPECT_TRUE(Near("get_angles", "the sum of column 0 (position 0)",
                   got->col(0).sum(), 0.0));
  EXPECT_TRUE(Near("get_angles", "the sum of row 0 (k = 0)", got->row(0).sum(),
                   position * (position - 1) / 2.0));
  for (int j = 0; j < d_model; j += 2) {
    EXPECT_TRUE(Near("get_angles", "row " + std::to_string(j + 1),
                     Matrix(got->row(j + 1)), Matrix(got->row(j)),
                     dl::grading::kReference,
                     "Submatrices of odd and even rows must be equal: "
                     "i = k // 2"));
  }
  EXPECT_TRUE(Near("get_angles", "the last value",
                   (*got)(d_model - 1, position - 1),
                   (position - 1) / std::pow(10000, 14.0 / 16.0)));
}

// The course's example, position 4, d_model 8: exact numbers.
TEST(GetAngles, CourseExampleValues) {
  Matrix pos(1, 4), k(8, 1);
  pos << 0, 1, 2, 3;
  for (int j = 0; j < 8; ++j) k(j, 0) = j;
  auto got = Call("get_angles", [&] { return graded::get_angles(pos, k, 8); });
  if (!got) return;
  ASSERT_TRUE(HasShape("get_angles", "angles", *got, 8, 4));
  // pos / 10000^(2 i / 8): 10000^(1/4) = 10.
  Matrix want(8, 4);
  for (int j = 0; j < 8; ++j) {
    const double rate = std::pow(10.0, -(j / 2));  // 1, 0.1, 0.01, 0.001
    for (int p = 0; p < 4; ++p) want(j, p) = p * rate;
  }
  EXPECT_TRUE(Near("get_angles", "angles", *got, want, kCourseValues));
}

TEST(GetAngles, MatchesReference) {
  RandomState rng(3);
  for (const auto& [P, n_k, d] : std::vector<std::tuple<int, int, int>>{
           {4, 7, 7}, {1, 1, 1}, {6, 5, 12}}) {
    const Matrix pos = rng.uniform(0, 20, 1, P);
    Matrix k(n_k, 1);
    for (int j = 0; j < n_k; ++j) k(j, 0) = (j * 3) % d;
    auto got =
        Call("get_angles", [&] { return graded::get_angles(pos, k, d); });
    if (!got) return;
    EXPECT_TRUE(Near(
        "get_angles",
        "angles (P = " + std::to_string(P) + ", d = " + std::to_string(d) + ")",
        *got, reference::get_angles(pos, k, d)));
  }
}

// =================================================== positional_encoding

// The course's positional_encoding_test: 8 positions, d_model 16. Its
// (1, 8, 16) is our (16, 8).
TEST(PositionalEncoding, CourseTest) {
  const int position = 8, d_model = 16;
  auto got = Call("positional_encoding", [&] {
    return graded::positional_encoding(position, d_model);
  });
  if (!got) return;
  ASSERT_TRUE(HasShape("positional_encoding", "pos_encoding", *got, d_model,
                       position,
                       "the course's (1, 8, 16) as (d, positions): column "
                       "pos is the encoding of position pos"));
  // sin² + cos² = 1 for every pair of rows (2i, 2i + 1).
  Matrix ones(d_model / 2, position),
      want_ones = Matrix::Ones(d_model / 2, position);
  for (int i = 0; i < d_model / 2; ++i) {
    ones.row(i) =
        got->row(2 * i).array().square() + got->row(2 * i + 1).array().square();
  }
  EXPECT_TRUE(Near("positional_encoding", "sin² + cos² of each pair of rows",
                   ones, want_ones, kCourseValues,
                   "Sum of square pairs must be 1 = sin(a)**2 + cos(a)**2"));
  // The entries themselves.
  Matrix want(d_model, position);
  for (int j = 0; j < d_model; ++j) {
    for (int p = 0; p < position; ++p) {
      const double angle = p / std::pow(10000.0, 2.0 * (j / 2) / d_model);
      want(j, p) = j % 2 == 0 ? std::sin(angle) : std::cos(angle);
    }
  }
  EXPECT_TRUE(Near("positional_encoding", "pos_encoding", *got, want,
                   kCourseValues,
                   "Did you apply sin and cos to even and odd rows "
                   "respectively?"));
}

// Literal entries of positional_encoding(8, 16).
TEST(PositionalEncoding, LiteralEntries) {
  auto got = Call("positional_encoding",
                  [&] { return graded::positional_encoding(8, 16); });
  if (!got) return;
  ASSERT_TRUE(HasShape("positional_encoding", "pos_encoding", *got, 16, 8));
  const std::vector<std::tuple<int, int, double>> entries = {
      {0, 0, 0.0},                  // sin(0)
      {1, 0, 1.0},                  // cos(0)
      {0, 1, 0.8414709848078965},   // sin(1)
      {1, 1, 0.5403023058681398},   // cos(1)
      {2, 3, 0.81264889664203677},  // sin(3 / 10000^(2/16))
      {3, 3, 0.58275361070222487},  // cos(3 / 10000^(2/16))
      {6, 5, 0.15745589818234365},  // sin(5 / 10000^(6/16))
      {14, 7, 0.0022135925543495792},
      {15, 7, 0.99999755000100043},
  };
  for (const auto& [j, p, value] : entries) {
    EXPECT_TRUE(Near(
        "positional_encoding",
        "pos_encoding(" + std::to_string(j) + ", " + std::to_string(p) + ")",
        (*got)(j, p), value, kCourseValues));
  }
}

TEST(PositionalEncoding, MatchesReference) {
  for (const auto& [positions, d] :
       std::vector<std::pair<int, int>>{{1, 1}, {5, 7}, {50, 64}}) {
    auto got = Call("positional_encoding",
                    [&] { return graded::positional_encoding(positions, d); });
    if (!got) return;
    EXPECT_TRUE(Near("positional_encoding",
                     "positional_encoding(" + std::to_string(positions) + ", " +
                         std::to_string(d) + ")",
                     *got, reference::positional_encoding(positions, d)));
  }
}

// ================================================== create_padding_mask

// The course's example; its (3, 1, 5) mask is our (5, 3).
TEST(CreatePaddingMask, CourseExample) {
  const TokenIds x = {{7, 6, 0, 0, 1}, {1, 2, 3, 0, 0}, {0, 0, 0, 4, 5}};
  auto got = Call("create_padding_mask",
                  [&] { return graded::create_padding_mask(x); });
  if (!got) return;
  Matrix want(5, 3);
  want << 1, 1, 0,  //
      1, 1, 0,      //
      0, 1, 0,      //
      0, 0, 1,      //
      1, 0, 1;
  EXPECT_TRUE(Near("create_padding_mask", "mask", *got, want,
                   dl::grading::kReference,
                   "1 = a real token (keep), 0 = padding (id 0); column i "
                   "is sequence i"));
}

// What the mask does: the course's softmax(x + (1 - mask) * -1e9) ignores
// the padding and is the softmax of the real tokens alone.
TEST(CreatePaddingMask, MaskedSoftmaxIgnoresPadding) {
  const TokenIds x = {{7, 6, 0, 0, 1}, {1, 2, 3, 0, 0}, {0, 0, 0, 4, 5}};
  auto got = Call("create_padding_mask",
                  [&] { return graded::create_padding_mask(x); });
  if (!got) return;
  ASSERT_TRUE(HasShape("create_padding_mask", "mask", *got, 5, 3));
  Matrix values(5, 3);
  for (int i = 0; i < 3; ++i) {
    for (int t = 0; t < 5; ++t) values(t, i) = x[i][t];
  }
  const Matrix masked =
      ag::softmax(ag::Constant(values + ((1 - got->array()) * -1e9).matrix()),
                  0)
          .value();
  for (int i = 0; i < 3; ++i) {
    double z = 0;
    for (int t = 0; t < 5; ++t) z += x[i][t] != 0 ? std::exp(x[i][t]) : 0;
    for (int t = 0; t < 5; ++t) {
      const double want = x[i][t] != 0 ? std::exp(x[i][t]) / z : 0;
      EXPECT_TRUE(Near("create_padding_mask",
                       "softmax(x + (1 - mask) * -1e9)(" + std::to_string(t) +
                           ", " + std::to_string(i) + ")",
                       masked(t, i), want, dl::grading::kReference,
                       "the padding must get weight 0, the real tokens the "
                       "softmax of the real tokens alone"));
    }
  }
}

TEST(CreatePaddingMask, MatchesReference) {
  RandomState rng(5);
  for (const auto& [m, T] :
       std::vector<std::pair<int, int>>{{1, 1}, {4, 6}, {2, 9}}) {
    TokenIds ids = RandomIds(rng, m, T, 5, /*pad=*/true);
    ids[0][0] = 0;  // a zero that is not at the end
    auto got = Call("create_padding_mask",
                    [&] { return graded::create_padding_mask(ids); });
    if (!got) return;
    EXPECT_TRUE(Near(
        "create_padding_mask",
        "mask (m = " + std::to_string(m) + ", T = " + std::to_string(T) + ")",
        *got, reference::create_padding_mask(ids)));
  }
}

// =============================================== create_look_ahead_mask

TEST(CreateLookAheadMask, SizeThree) {
  auto got = Call("create_look_ahead_mask",
                  [&] { return graded::create_look_ahead_mask(3); });
  if (!got) return;
  Matrix want(3, 3);
  want << 1, 1, 1,  //
      0, 1, 1,      //
      0, 0, 1;
  EXPECT_TRUE(Near(
      "create_look_ahead_mask", "mask", *got, want, dl::grading::kReference,
      "column t is query t: it keeps the keys s <= t (rows 0 .. t). The "
      "course's lower triangle (query t = row t) is the transpose."));
  // The course's band_part(ones((3, 3)), -1, 0), transposed.
  Matrix course = Matrix::Ones(3, 3).triangularView<Eigen::Lower>();
  EXPECT_TRUE(Near("create_look_ahead_mask", "mask transposed",
                   Matrix(got->transpose()), course));
}

TEST(CreateLookAheadMask, MatchesReference) {
  for (int size : {1, 2, 6}) {
    auto got = Call("create_look_ahead_mask",
                    [&] { return graded::create_look_ahead_mask(size); });
    if (!got) return;
    EXPECT_TRUE(Near("create_look_ahead_mask",
                     "create_look_ahead_mask(" + std::to_string(size) + ")",
                     *got, reference::create_look_ahead_mask(size)));
  }
}

// ========================================== scaled_dot_product_attention

// The course's q (3, 4), k (4, 4), v (4, 2), as our columns.
struct CourseQkv {
  Matrix q, k, v;
  CourseQkv() {
    Matrix qc(3, 4), kc(4, 4), vc(4, 2);
    qc << 1, 0, 1, 1, 0, 1, 1, 1, 1, 0, 0, 1;
    kc << 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 1;
    vc << 0, 0, 1, 0, 1, 0, 1, 1;
    q = qc.transpose();  // (4, 3): 3 queries of depth 4
    k = kc.transpose();  // (4, 4): 4 keys
    v = vc.transpose();  // (2, 4): 4 values of depth 2
  }
};

// The course's scaled_dot_product_attention_test, no mask: its weights
// (3, 4) and attention (3, 2) are the transposes of ours.
TEST(ScaledDotProductAttention, CourseTestUnmasked) {
  const CourseQkv c;
  auto got = Call("scaled_dot_product_attention", [&] {
    return graded::scaled_dot_product_attention(
        ag::Constant(c.q), ag::Constant(c.k), ag::Constant(c.v), Matrix(), 1);
  });
  if (!got) return;
  ASSERT_TRUE(Defined("scaled_dot_product_attention", "attention_weights",
                      got->attention_weights));
  ASSERT_TRUE(Defined("scaled_dot_product_attention", "output", got->output));
  Matrix weights(3, 4), attention(3, 2);
  weights << 0.2589478, 0.42693272, 0.15705977, 0.15705977,  //
      0.2772748, 0.2772748, 0.2772748, 0.16817567,           //
      0.33620113, 0.33620113, 0.12368149, 0.2039163;
  attention << 0.74105227, 0.15705977,  //
      0.7227253, 0.16817567,            //
      0.6637989, 0.2039163;
  EXPECT_TRUE(Near("scaled_dot_product_attention", "attention_weights",
                   got->attention_weights.value(), weights.transpose(),
                   kCourseValues,
                   "Wrong unmasked weights. Ours are (T_k, T_q): column t is "
                   "query t's weights over the keys (softmax over axis 0)."));
  EXPECT_TRUE(Near("scaled_dot_product_attention", "output",
                   got->output.value(), attention.transpose(), kCourseValues,
                   "Wrong unmasked attention"));
}

// The same with the course's mask [1, 1, 0, 1] for every query (key 2
// masked; 1 = keep).
TEST(ScaledDotProductAttention, CourseTestMasked) {
  const CourseQkv c;
  Matrix mask(4, 3);
  mask << 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1;
  auto got = Call("scaled_dot_product_attention", [&] {
    return graded::scaled_dot_product_attention(
        ag::Constant(c.q), ag::Constant(c.k), ag::Constant(c.v), mask, 1);
  });
  if (!got) return;
  ASSERT_TRUE(Defined("scaled_dot_product_attention", "attention_weights",
                      got->attention_weights));
  ASSERT_TRUE(Defined("scaled_dot_product_attention", "output", got->output));
  Matrix weights(3, 4), attention(3, 2);
  weights << 0.30719590187072754, 0.5064803957939148, 0.0, 0.18632373213768005,
      0.3836517333984375, 0.3836517333984375, 0.0, 0.2326965481042862,
      0.3836517333984375, 0.3836517333984375, 0.0, 0.2326965481042862;
  attention << 0.6928040981292725, 0.18632373213768005,  //
      0.6163482666015625, 0.2326965481042862,            //
      0.6163482666015625, 0.2326965481042862;
  EXPECT_TRUE(ZeroWhereMasked("scaled_dot_product_attention",
                              "attention_weights",
                              got->attention_weights.value(), mask));
  EXPECT_TRUE(Near("scaled_dot_product_attention", "attention_weights",
                   got->attention_weights.value(), weights.transpose(),
                   kCourseValues,
                   "Wrong masked weights. The mask keeps the 1s: add "
                   "(1 - mask) * -1e9 (the course's 2023 convention)."));
  EXPECT_TRUE(Near("scaled_dot_product_attention", "output",
                   got->output.value(), attention.transpose(), kCourseValues,
                   "Wrong masked attention"));
}

// A padding mask for `m` examples of T_k keys, with example i's last i keys
// masked (at least one key kept).
Matrix TailMask(Index T_k, Index m) {
  Matrix padding = Matrix::Ones(T_k, m);
  for (Index i = 0; i < m; ++i) {
    for (Index s = std::max<Index>(1, T_k - i); s < T_k; ++s) padding(s, i) = 0;
  }
  return padding;
}

TEST(ScaledDotProductAttention, MatchesReference) {
  RandomState rng(7);
  struct Case {
    Index m, T_q, T_k, d_k, d_v;
    int mask;  // 0 none, 1 padding, 2 look-ahead (T_q == T_k)
  };
  for (const Case& c : std::vector<Case>{{3, 2, 4, 5, 3, 1},
                                         {1, 1, 3, 2, 2, 0},
                                         {2, 4, 4, 3, 5, 2},
                                         {4, 3, 2, 1, 1, 1}}) {
    const Matrix q = rng.randn(c.d_k, c.m * c.T_q);
    const Matrix k = rng.randn(c.d_k, c.m * c.T_k);
    const Matrix v = rng.randn(c.d_v, c.m * c.T_k);
    Matrix mask;
    if (c.mask == 1) {
      mask = transformer::broadcast_padding_mask(TailMask(c.T_k, c.m), c.T_q);
    } else if (c.mask == 2) {
      mask = transformer::broadcast_look_ahead_mask(
          reference::create_look_ahead_mask(static_cast<int>(c.T_k)), c.m);
    }
    const std::string name = "(m = " + std::to_string(c.m) +
                             ", T_q = " + std::to_string(c.T_q) +
                             ", T_k = " + std::to_string(c.T_k) + ")";
    auto got = Call("scaled_dot_product_attention", [&] {
      return graded::scaled_dot_product_attention(
          ag::Constant(q), ag::Constant(k), ag::Constant(v), mask, c.m);
    });
    if (!got) return;
    const AttentionOutput want = reference::scaled_dot_product_attention(
        ag::Constant(q), ag::Constant(k), ag::Constant(v), mask, c.m);
    EXPECT_TRUE(SameVar("scaled_dot_product_attention",
                        "attention_weights " + name, got->attention_weights,
                        want.attention_weights));
    EXPECT_TRUE(SameVar("scaled_dot_product_attention", "output " + name,
                        got->output, want.output));
  }
}

// Masked keys get weight 0, and their values do not reach the output.
TEST(ScaledDotProductAttention, MaskedKeysHaveNoEffect) {
  RandomState rng(8);
  const Index m = 3, T_q = 2, T_k = 4, d_k = 3, d_v = 2;
  const Matrix q = rng.randn(d_k, m * T_q), k = rng.randn(d_k, m * T_k);
  Matrix v = rng.randn(d_v, m * T_k);
  const Matrix padding = TailMask(T_k, m);
  const Matrix mask = transformer::broadcast_padding_mask(padding, T_q);
  auto got = Call("scaled_dot_product_attention", [&] {
    return graded::scaled_dot_product_attention(
        ag::Constant(q), ag::Constant(k), ag::Constant(v), mask, m);
  });
  if (!got) return;
  ASSERT_TRUE(Defined("scaled_dot_product_attention", "attention_weights",
                      got->attention_weights));
  ASSERT_TRUE(Defined("scaled_dot_product_attention", "output", got->output));
  EXPECT_TRUE(ZeroWhereMasked("scaled_dot_product_attention",
                              "attention_weights",
                              got->attention_weights.value(), mask));
  // Change the values (and keys) of the masked positions.
  Matrix k2 = k;
  for (Index i = 0; i < m; ++i) {
    for (Index s = 0; s < T_k; ++s) {
      if (padding(s, i) == 0) {
        v.col(i * T_k + s).setConstant(100);
        k2.col(i * T_k + s).setConstant(-7);
      }
    }
  }
  auto again = Call("scaled_dot_product_attention", [&] {
    return graded::scaled_dot_product_attention(
        ag::Constant(q), ag::Constant(k2), ag::Constant(v), mask, m);
  });
  if (!again) return;
  ASSERT_TRUE(Defined("scaled_dot_product_attention", "output", again->output));
  std::vector<Index> all(m * T_q);
  for (Index c = 0; c < m * T_q; ++c) all[c] = c;
  EXPECT_TRUE(SameColumns("scaled_dot_product_attention", "output",
                          again->output.value(), got->output.value(), all,
                          "only the masked keys and values changed"));
}

// The gradients that flow back through your attention: finite differences
// of J = Σ output * R1 + Σ weights * R2 with respect to q, k and v.
TEST(ScaledDotProductAttention, GradientsMatchFiniteDifferences) {
  RandomState rng(9);
  const Index m = 2, T_q = 3, T_k = 2, d_k = 3, d_v = 2;
  std::vector<Var> inputs = {ag::Param(rng.randn(d_k, m * T_q)),
                             ag::Param(rng.randn(d_k, m * T_k)),
                             ag::Param(rng.randn(d_v, m * T_k))};
  const Matrix mask =
      transformer::broadcast_padding_mask(TailMask(T_k, m), T_q);
  const Matrix R1 = rng.randn(d_v, m * T_q), R2 = rng.randn(T_k, m * T_q);
  auto got = Call("scaled_dot_product_attention", [&] {
    return graded::scaled_dot_product_attention(inputs[0], inputs[1], inputs[2],
                                                mask, m);
  });
  if (!got) return;
  ASSERT_TRUE(Defined("scaled_dot_product_attention", "output", got->output));
  ASSERT_TRUE(Defined("scaled_dot_product_attention", "attention_weights",
                      got->attention_weights));
  ASSERT_TRUE(HasShape("scaled_dot_product_attention", "output",
                       got->output.value(), d_v, m * T_q));
  ASSERT_TRUE(HasShape("scaled_dot_product_attention", "attention_weights",
                       got->attention_weights.value(), T_k, m * T_q));
  ag::ZeroGrad(inputs);
  ag::Backward(ag::sum(ag::mul(got->output, ag::Constant(R1))) +
               ag::sum(ag::mul(got->attention_weights, ag::Constant(R2))));
  const std::vector<std::string> names = {"dq", "dk", "dv"};
  std::vector<GradientBlock> blocks;
  for (size_t j = 0; j < inputs.size(); ++j) {
    blocks.push_back({names[j], &inputs[j].mutable_value(), inputs[j].grad()});
  }
  const auto cost = [&] {
    const AttentionOutput out = graded::scaled_dot_product_attention(
        inputs[0], inputs[1], inputs[2], mask, m);
    return (out.output.value().array() * R1.array()).sum() +
           (out.attention_weights.value().array() * R2.array()).sum();
  };
  EXPECT_TRUE(GradientsMatch("scaled_dot_product_attention",
                             CheckGradients(cost, blocks, 1e-6), 1e-7))
      << "A zero gradient usually means an input was copied into an "
         "ag::Constant (or its .value() used) instead of the Var itself.";
}

// ==================================================== MultiHeadAttention

struct MhaCase {
  Index m, T_q, T_k;
  int d_model, heads, key_dim;
  bool masked;
  bool self;  // self-attention: query = key = value
};

TEST(MultiHeadAttention, MatchesReference) {
  RandomState rng(11);
  for (const MhaCase& c : std::vector<MhaCase>{
           {2, 3, 3, 8, 2, 4, true, true},    // d_model / num_heads
           {1, 2, 5, 4, 3, 4, false, false},  // the course's key_dim = d
           {3, 4, 2, 6, 1, 6, true, false},   // one head
           {1, 1, 1, 4, 2, 2, false, true}}) {
    MultiHeadAttentionWeights w = transformer::initialize_multi_head_attention(
        c.d_model, c.heads, c.key_dim, rng);
    Perturb(w, rng);
    const Var query = ag::Constant(rng.randn(c.d_model, c.m * c.T_q));
    const Var key_value =
        c.self ? query : ag::Constant(rng.randn(c.d_model, c.m * c.T_k));
    const Matrix mask = c.masked ? transformer::broadcast_padding_mask(
                                       TailMask(c.T_k, c.m), c.T_q)
                                 : Matrix();
    const std::string name = "(m = " + std::to_string(c.m) +
                             ", T_q = " + std::to_string(c.T_q) +
                             ", T_k = " + std::to_string(c.T_k) +
                             ", num_heads = " + std::to_string(c.heads) +
                             ", key_dim = " + std::to_string(c.key_dim) + ")";
    auto got = Call("MultiHeadAttention", [&] {
      return graded::MultiHeadAttention(query, key_value, key_value, mask, c.m,
                                        w);
    });
    if (!got) return;
    const MultiHeadAttentionOutput want = reference::MultiHeadAttention(
        query, key_value, key_value, mask, c.m, w);
    EXPECT_TRUE(SameHeads("MultiHeadAttention", "attention_weights " + name,
                          got->attention_weights, want.attention_weights));
    EXPECT_TRUE(SameVar("MultiHeadAttention", "output " + name, got->output,
                        want.output))
        << "Head h uses rows h·key_dim .. (h+1)·key_dim - 1 of Q and K; the "
           "heads' outputs are stacked with ag::concat_rows, head 0 on top.";
  }
}

// Different keys and values (the query, key, value order) and masked keys.
TEST(MultiHeadAttention, KeyValueOrderAndMask) {
  RandomState rng(12);
  const Index m = 2, T_q = 2, T_k = 3;
  const int d = 4, heads = 2;
  MultiHeadAttentionWeights w =
      transformer::initialize_multi_head_attention(d, heads, 2, rng);
  Perturb(w, rng);
  const Var query = ag::Constant(rng.randn(d, m * T_q));
  const Var key = ag::Constant(rng.randn(d, m * T_k));
  const Var value = ag::Constant(rng.randn(d, m * T_k));
  const Matrix mask =
      transformer::broadcast_padding_mask(TailMask(T_k, m), T_q);
  auto got = Call("MultiHeadAttention", [&] {
    return graded::MultiHeadAttention(query, key, value, mask, m, w);
  });
  if (!got) return;
  const MultiHeadAttentionOutput want =
      reference::MultiHeadAttention(query, key, value, mask, m, w);
  ASSERT_EQ(got->attention_weights.size(), static_cast<size_t>(heads))
      << "MultiHeadAttention: expected the attention weights of " << heads
      << " heads";
  for (int h = 0; h < heads; ++h) {
    ASSERT_TRUE(Defined("MultiHeadAttention", "attention_weights[h]",
                        got->attention_weights[h]));
    EXPECT_TRUE(ZeroWhereMasked("MultiHeadAttention",
                                "attention_weights[" + std::to_string(h) + "]",
                                got->attention_weights[h].value(), mask));
  }
  EXPECT_TRUE(SameVar("MultiHeadAttention", "output", got->output, want.output))
      << "The arguments are (query, key, value): K = Dense(key, "
         "weights.key), V = Dense(value, weights.value).";
}

// The gradients that flow back through your multi-head attention: finite
// differences of J = Σ output * R with respect to the inputs and the
// weights (a key's bias has gradient 0: the softmax ignores it).
TEST(MultiHeadAttention, GradientsMatchFiniteDifferences) {
  RandomState rng(10);
  const Index m = 2, T_q = 2, T_k = 3;
  const int d = 4, heads = 2;
  MultiHeadAttentionWeights w =
      transformer::initialize_multi_head_attention(d, heads, 3, rng);
  Perturb(w, rng);
  Var query = ag::Param(rng.randn(d, m * T_q));
  Var key = ag::Param(rng.randn(d, m * T_k));
  Var value = ag::Param(rng.randn(d, m * T_k));
  const Matrix mask =
      transformer::broadcast_padding_mask(TailMask(T_k, m), T_q);
  const Matrix R = rng.randn(d, m * T_q);
  auto got = Call("MultiHeadAttention", [&] {
    return graded::MultiHeadAttention(query, key, value, mask, m, w);
  });
  if (!got) return;
  ASSERT_TRUE(Defined("MultiHeadAttention", "output", got->output));
  ASSERT_TRUE(HasShape("MultiHeadAttention", "output", got->output.value(), d,
                       m * T_q));
  std::vector<Var> params = {query, key, value};
  std::vector<std::string> names = {"dquery", "dkey", "dvalue"};
  const std::vector<Var> weights = transformer::all_parameters(w);
  const std::vector<std::string> weight_names = MhaNames("dweights");
  for (size_t j = 0; j < weights.size(); ++j) {
    if (weight_names[j] == "dweights.key.b") continue;
    params.push_back(weights[j]);
    names.push_back(weight_names[j]);
  }
  ag::ZeroGrad(params);
  ag::ZeroGrad(weights);
  ag::Backward(ag::sum(ag::mul(got->output, ag::Constant(R))));
  std::vector<GradientBlock> blocks;
  for (size_t j = 0; j < params.size(); ++j) {
    blocks.push_back({names[j], &params[j].mutable_value(), params[j].grad()});
  }
  const auto cost = [&] {
    return (graded::MultiHeadAttention(query, key, value, mask, m, w)
                .output.value()
                .array() *
            R.array())
        .sum();
  };
  EXPECT_TRUE(GradientsMatch("MultiHeadAttention",
                             CheckGradients(cost, blocks, 1e-6), 1e-6))
      << "A block with a zero gradient was used through a copy "
         "(ag::Constant(W.value())) instead of the Var itself, or not at "
         "all.";
}

// ========================================================== EncoderLayer

struct EncoderLayerCase {
  Index m, T;
  int d, heads, dff;
  bool masked;
};

TEST(EncoderLayer, MatchesReference) {
  RandomState rng(13);
  for (const EncoderLayerCase& c : std::vector<EncoderLayerCase>{
           {1, 3, 4, 2, 8, true},  // the course's EncoderLayer_test sizes
           {3, 4, 6, 2, 10, true},
           {2, 2, 6, 3, 5, false}}) {
    const EncoderLayerWeights w = transformer::initialize_encoder_layer(
        SmallConfig(1, c.d, c.heads, c.dff), rng);
    Perturb(w, rng);
    const Var x = ag::Constant(rng.randn(c.d, c.m * c.T));
    const Matrix mask =
        c.masked ? transformer::broadcast_padding_mask(TailMask(c.T, c.m), c.T)
                 : Matrix();
    const std::string name = "(m = " + std::to_string(c.m) +
                             ", T = " + std::to_string(c.T) +
                             (c.masked ? ", masked" : "") + ")";
    auto got = Call("EncoderLayer", [&] {
      return graded::EncoderLayer(x, mask, c.m, w, Training{});
    });
    if (!got) return;
    EXPECT_TRUE(SameVar("EncoderLayer", "encoder_layer_out " + name, *got,
                        reference::EncoderLayer(x, mask, c.m, w, Training{})));
    // Training: dropout 0.3, the same masks from the same seed.
    RandomState mine(99), theirs(99);
    auto trained = Call("EncoderLayer", [&] {
      return graded::EncoderLayer(x, mask, c.m, w, Training{0.3, &mine});
    });
    if (!trained) return;
    EXPECT_TRUE(SameVar(
        "EncoderLayer", "encoder_layer_out with dropout 0.3 " + name, *trained,
        reference::EncoderLayer(x, mask, c.m, w, Training{0.3, &theirs})))
        << "In training, Dropout the attention output, then the ffn output "
           "(in this order, each with `training`).";
  }
}

// With gamma = 1 and beta = 0, every column of the output is normalized:
// mean 0 and variance var / (var + 1e-6).
TEST(EncoderLayer, OutputIsLayerNormalized) {
  RandomState rng(14);
  const Index m = 2, T = 3;
  const int d = 6;
  const EncoderLayerWeights w =
      transformer::initialize_encoder_layer(SmallConfig(1, d, 2, 8), rng);
  const Var x = ag::Constant(rng.randn(d, m * T));
  auto got = Call("EncoderLayer", [&] {
    return graded::EncoderLayer(x, Matrix(), m, w, Training{});
  });
  if (!got) return;
  ASSERT_TRUE(Defined("EncoderLayer", "encoder_layer_out", *got));
  ASSERT_TRUE(
      HasShape("EncoderLayer", "encoder_layer_out", got->value(), d, m * T));
  const Matrix mean = got->value().colwise().mean();
  EXPECT_TRUE(Near("EncoderLayer", "the mean of every column", mean,
                   Matrix::Zero(1, m * T), dl::grading::kReference,
                   "the last step is layernorm2 (over the d_model entries of "
                   "each position)"));
}

// Changing the padded positions of x changes no output at the real ones.
TEST(EncoderLayer, PaddingHasNoEffect) {
  RandomState rng(15);
  const Index m = 3, T = 4;
  const int d = 4;
  const EncoderLayerWeights w =
      transformer::initialize_encoder_layer(SmallConfig(1, d, 2, 6), rng);
  Perturb(w, rng);
  const Matrix padding = TailMask(T, m);
  const Matrix mask = transformer::broadcast_padding_mask(padding, T);
  Matrix x = rng.randn(d, m * T);
  auto got = Call("EncoderLayer", [&] {
    return graded::EncoderLayer(ag::Constant(x), mask, m, w, Training{});
  });
  if (!got) return;
  ASSERT_TRUE(Defined("EncoderLayer", "encoder_layer_out", *got));
  std::vector<Index> real;
  for (Index i = 0; i < m; ++i) {
    for (Index t = 0; t < T; ++t) {
      if (padding(t, i) == 1) {
        real.push_back(i * T + t);
      } else {
        x.col(i * T + t) = rng.randn(d, 1) * 5;
      }
    }
  }
  auto again = Call("EncoderLayer", [&] {
    return graded::EncoderLayer(ag::Constant(x), mask, m, w, Training{});
  });
  if (!again) return;
  ASSERT_TRUE(Defined("EncoderLayer", "encoder_layer_out", *again));
  EXPECT_TRUE(SameColumns("EncoderLayer", "encoder_layer_out", again->value(),
                          got->value(), real,
                          "only the padded positions of x changed"));
}

// The whole encoder layer, differentiated by ag::Backward through your
// forward pass, against finite differences (double precision, small
// sizes): J = Σ out * R with respect to x and some weights of each part.
TEST(EncoderLayer, GradientsMatchFiniteDifferences) {
  RandomState rng(16);
  const Index m = 2, T = 3;
  const int d = 4;
  const EncoderLayerWeights w =
      transformer::initialize_encoder_layer(SmallConfig(1, d, 2, 6), rng);
  Perturb(w, rng);
  Var x = ag::Param(rng.randn(d, m * T));
  const Matrix mask = transformer::broadcast_padding_mask(TailMask(T, m), T);
  const Matrix R = rng.randn(d, m * T);
  auto got = Call("EncoderLayer", [&] {
    return graded::EncoderLayer(x, mask, m, w, Training{});
  });
  if (!got) return;
  ASSERT_TRUE(Defined("EncoderLayer", "encoder_layer_out", *got));
  ASSERT_TRUE(
      HasShape("EncoderLayer", "encoder_layer_out", got->value(), d, m * T));
  std::vector<Var> params = {x,
                             w.mha.query.W,
                             w.mha.query.b,
                             w.mha.value.W,
                             w.mha.output.W,
                             w.ffn.dense1.W,
                             w.ffn.dense2.b,
                             w.layernorm1.gamma,
                             w.layernorm2.beta};
  const std::vector<std::string> names = {"dx",
                                          "dmha.query.W",
                                          "dmha.query.b",
                                          "dmha.value.W",
                                          "dmha.output.W",
                                          "dffn.dense1.W",
                                          "dffn.dense2.b",
                                          "dlayernorm1.gamma",
                                          "dlayernorm2.beta"};
  ag::ZeroGrad(params);
  ag::Backward(ag::sum(ag::mul(*got, ag::Constant(R))));
  std::vector<GradientBlock> blocks;
  for (size_t j = 0; j < params.size(); ++j) {
    blocks.push_back({names[j], &params[j].mutable_value(), params[j].grad()});
  }
  const auto cost = [&] {
    return (graded::EncoderLayer(x, mask, m, w, Training{}).value().array() *
            R.array())
        .sum();
  };
  EXPECT_TRUE(
      GradientsMatch("EncoderLayer", CheckGradients(cost, blocks, 1e-6), 1e-6))
      << "A block with a zero gradient was used through a copy "
         "(ag::Constant(W.value())) instead of the Var itself, or not at "
         "all.";
}

// =============================================================== Encoder

// With no layers, the Encoder is the scaled embedding plus the positional
// encodings: E[:, id] · sqrt(d) + PE(t).
TEST(Encoder, EmbeddingTimesSqrtDPlusPositions) {
  RandomState rng(17);
  const int d = 6, vocab = 9, max_pos = 5;
  EncoderWeights w;
  w.embedding = ag::Param(rng.randn(d, vocab));
  w.maximum_position_encoding = max_pos;
  const TokenIds ids = {{3, 1, 4}, {8, 0, 2}};
  auto got = Call(
      "Encoder", [&] { return graded::Encoder(ids, Matrix(), w, Training{}); });
  if (!got) return;
  ASSERT_TRUE(Defined("Encoder", "output", *got));
  Matrix want(d, 6);
  for (int i = 0; i < 2; ++i) {
    for (int t = 0; t < 3; ++t) {
      for (int j = 0; j < d; ++j) {
        const double angle = t / std::pow(10000.0, 2.0 * (j / 2) / d);
        want(j, i * 3 + t) = w.embedding.value()(j, ids[i][t]) * std::sqrt(d) +
                             (j % 2 == 0 ? std::sin(angle) : std::cos(angle));
      }
    }
  }
  EXPECT_TRUE(Near("Encoder", "output (no layers)", got->value(), want,
                   dl::grading::kReference,
                   "column i·T + t is example i at step t: "
                   "embedding[:, id] · sqrt(d_model) + PE[:, t]"));
}

struct EncoderCase {
  int m, T, max_pos, layers, d, heads, dff, vocab;
  bool masked;
};

TEST(Encoder, MatchesReference) {
  RandomState rng(18);
  for (const EncoderCase& c : std::vector<EncoderCase>{
           {2, 3, 5, 2, 4, 2, 8, 32, false},  // the course's Encoder_test
           {2, 3, 5, 2, 4, 2, 8, 32, true},
           {1, 4, 4, 1, 6, 3, 5, 7, true},
           {3, 2, 6, 3, 4, 1, 4, 5, true}}) {
    TransformerConfig config = SmallConfig(c.layers, c.d, c.heads, c.dff);
    config.input_vocab_size = c.vocab;
    config.max_positional_encoding_input = c.max_pos;
    const EncoderWeights w = transformer::initialize_encoder(config, rng);
    Perturb(w, rng);
    const TokenIds ids = RandomIds(rng, c.m, c.T, c.vocab, c.masked);
    const Matrix mask = c.masked ? transformer::broadcast_padding_mask(
                                       reference::create_padding_mask(ids), c.T)
                                 : Matrix();
    const std::string name = "(m = " + std::to_string(c.m) +
                             ", T = " + std::to_string(c.T) +
                             ", num_layers = " + std::to_string(c.layers) +
                             (c.masked ? ", masked" : "") + ")";
    auto got = Call("Encoder",
                    [&] { return graded::Encoder(ids, mask, w, Training{}); });
    if (!got) return;
    EXPECT_TRUE(SameVar("Encoder", "output " + name, *got,
                        reference::Encoder(ids, mask, w, Training{})));
    RandomState mine(5), theirs(5);
    auto trained = Call("Encoder", [&] {
      return graded::Encoder(ids, mask, w, Training{0.2, &mine});
    });
    if (!trained) return;
    EXPECT_TRUE(
        SameVar("Encoder", "output with dropout 0.2 " + name, *trained,
                reference::Encoder(ids, mask, w, Training{0.2, &theirs})))
        << "In training: Dropout after adding the positional encodings, then "
           "the layers (each with `training`).";
  }
}

// Changing padded tokens (the mask kept) changes no output at the real
// positions.
TEST(Encoder, PaddedTokensHaveNoEffect) {
  RandomState rng(19);
  TransformerConfig config = SmallConfig(2, 4, 2, 8);
  config.input_vocab_size = 10;
  config.max_positional_encoding_input = 6;
  const EncoderWeights w = transformer::initialize_encoder(config, rng);
  Perturb(w, rng);
  const TokenIds ids = {{3, 4, 5, 0, 0, 0}, {2, 9, 1, 7, 8, 0}};
  const Matrix mask = transformer::broadcast_padding_mask(
      reference::create_padding_mask(ids), 6);
  TokenIds changed = ids;
  for (auto& seq : changed) {
    for (int& id : seq) id = id == 0 ? 6 : id;
  }
  auto got = Call("Encoder",
                  [&] { return graded::Encoder(ids, mask, w, Training{}); });
  if (!got) return;
  auto again = Call(
      "Encoder", [&] { return graded::Encoder(changed, mask, w, Training{}); });
  if (!again) return;
  ASSERT_TRUE(Defined("Encoder", "output", *got));
  ASSERT_TRUE(Defined("Encoder", "output", *again));
  EXPECT_TRUE(SameColumns("Encoder", "output", again->value(), got->value(),
                          PaddedColumns(ids, /*padded=*/false),
                          "only the padded tokens changed (same mask)"));
}

// ========================================================== DecoderLayer

struct DecoderLayerCase {
  Index m, T_tar, T_inp;
  int d, heads, dff, key_dim;
};

TEST(DecoderLayer, MatchesReference) {
  RandomState rng(21);
  for (const DecoderLayerCase& c : std::vector<DecoderLayerCase>{
           {1, 3, 3, 4, 8, 32, 4},  // the course's DecoderLayer_test sizes
           {2, 3, 4, 6, 2, 10, 3},
           {3, 1, 2, 4, 1, 4, 4}}) {
    const DecoderLayerWeights w = transformer::initialize_decoder_layer(
        SmallConfig(1, c.d, c.heads, c.dff, c.key_dim), rng);
    Perturb(w, rng);
    const Var x = ag::Constant(rng.randn(c.d, c.m * c.T_tar));
    const Var enc_output = ag::Constant(rng.randn(c.d, c.m * c.T_inp));
    const Matrix look_ahead = transformer::broadcast_look_ahead_mask(
        reference::create_look_ahead_mask(static_cast<int>(c.T_tar)), c.m);
    const Matrix padding =
        transformer::broadcast_padding_mask(TailMask(c.T_inp, c.m), c.T_tar);
    const std::string name = "(m = " + std::to_string(c.m) +
                             ", T_tar = " + std::to_string(c.T_tar) +
                             ", T_inp = " + std::to_string(c.T_inp) + ")";
    for (bool train : {false, true}) {
      RandomState mine(3), theirs(3);
      const Training mine_t = train ? Training{0.25, &mine} : Training{};
      const Training theirs_t = train ? Training{0.25, &theirs} : Training{};
      auto got = Call("DecoderLayer", [&] {
        return graded::DecoderLayer(x, enc_output, look_ahead, padding, c.m, w,
                                    mine_t);
      });
      if (!got) return;
      const DecoderLayerOutput want = reference::DecoderLayer(
          x, enc_output, look_ahead, padding, c.m, w, theirs_t);
      const std::string mode = train ? " with dropout 0.25 " : " ";
      EXPECT_TRUE(SameHeads("DecoderLayer", "attn_weights_block1" + mode + name,
                            got->attn_weights_block1, want.attn_weights_block1))
          << "Block 1 is self-attention on x with the look-ahead mask.";
      EXPECT_TRUE(SameHeads("DecoderLayer", "attn_weights_block2" + mode + name,
                            got->attn_weights_block2, want.attn_weights_block2))
          << "Block 2: the query is Q1 (block 1's output), key and value the "
             "encoder's output, with the padding mask.";
      EXPECT_TRUE(
          SameVar("DecoderLayer", "out3" + mode + name, got->out3, want.out3))
          << "The residual of each block adds the block's input; the three "
             "dropouts come in the order block 1, block 2, ffn.";
    }
  }
}

// Block 1 never looks ahead: changing x at later positions changes neither
// the earlier weights nor the earlier outputs. Block 2 never looks at the
// padded encoder positions.
TEST(DecoderLayer, MasksHaveTheirEffect) {
  RandomState rng(22);
  const Index m = 2, T_tar = 4, T_inp = 3;
  const int d = 4;
  const DecoderLayerWeights w =
      transformer::initialize_decoder_layer(SmallConfig(1, d, 2, 6), rng);
  Perturb(w, rng);
  Matrix x = rng.randn(d, m * T_tar), enc = rng.randn(d, m * T_inp);
  const Matrix look_ahead = transformer::broadcast_look_ahead_mask(
      reference::create_look_ahead_mask(static_cast<int>(T_tar)), m);
  const Matrix padding_compact = TailMask(T_inp, m);
  const Matrix padding =
      transformer::broadcast_padding_mask(padding_compact, T_tar);
  auto got = Call("DecoderLayer", [&] {
    return graded::DecoderLayer(ag::Constant(x), ag::Constant(enc), look_ahead,
                                padding, m, w, Training{});
  });
  if (!got) return;
  ASSERT_TRUE(Defined("DecoderLayer", "out3", got->out3));
  ASSERT_FALSE(got->attn_weights_block1.empty());
  ASSERT_FALSE(got->attn_weights_block2.empty());
  for (size_t h = 0; h < got->attn_weights_block1.size(); ++h) {
    ASSERT_TRUE(Defined("DecoderLayer", "attn_weights_block1[h]",
                        got->attn_weights_block1[h]));
    EXPECT_TRUE(ZeroWhereMasked(
        "DecoderLayer", "attn_weights_block1[" + std::to_string(h) + "]",
        got->attn_weights_block1[h].value(), look_ahead));
  }
  for (size_t h = 0; h < got->attn_weights_block2.size(); ++h) {
    ASSERT_TRUE(Defined("DecoderLayer", "attn_weights_block2[h]",
                        got->attn_weights_block2[h]));
    EXPECT_TRUE(ZeroWhereMasked(
        "DecoderLayer", "attn_weights_block2[" + std::to_string(h) + "]",
        got->attn_weights_block2[h].value(), padding));
  }
  // The future: change the last position of every example.
  std::vector<Index> earlier;
  for (Index i = 0; i < m; ++i) {
    for (Index t = 0; t + 1 < T_tar; ++t) earlier.push_back(i * T_tar + t);
    x.col(i * T_tar + T_tar - 1) = rng.randn(d, 1) * 3;
  }
  // The padding: change the encoder's padded positions.
  for (Index i = 0; i < m; ++i) {
    for (Index s = 0; s < T_inp; ++s) {
      if (padding_compact(s, i) == 0) enc.col(i * T_inp + s).setConstant(9);
    }
  }
  auto again = Call("DecoderLayer", [&] {
    return graded::DecoderLayer(ag::Constant(x), ag::Constant(enc), look_ahead,
                                padding, m, w, Training{});
  });
  if (!again) return;
  ASSERT_TRUE(Defined("DecoderLayer", "out3", again->out3));
  EXPECT_TRUE(SameColumns("DecoderLayer", "out3", again->out3.value(),
                          got->out3.value(), earlier,
                          "the last target position and the padded encoder "
                          "positions changed"));
}

// =============================================================== Decoder

// The course's Decoder_test sizes and encoder output: 7 layers,
// embedding_dim 4, 3 heads (key_dim 4), fully_connected_dim 8, target
// vocabulary 33, maximum_position_encoding 6, x = [[3, 2, 1], [2, 1, 0]].
TEST(Decoder, CourseSizesMatchReference) {
  RandomState rng(23);
  TransformerConfig config = SmallConfig(7, 4, 3, 8, /*key_dim=*/4);
  config.target_vocab_size = 33;
  config.max_positional_encoding_target = 6;
  const DecoderWeights w = transformer::initialize_decoder(config, rng);
  Perturb(w, rng, 0.1);
  const TokenIds x = {{3, 2, 1}, {2, 1, 0}};
  Matrix enc(6, 4);  // the course's (2, 3, 4), example by example
  enc << -0.40172306, 0.11519244, -1.2322885, 1.5188192,  //
      0.4017268, 0.33922842, -1.6836855, 0.9427304,       //
      0.4685002, -1.6252842, 0.09368491, 1.063099,        //
      -0.3489219, 0.31335592, -1.3568854, 1.3924513,      //
      -0.08761203, -0.1680029, -1.2742313, 1.5298463,     //
      0.2627198, -1.6140151, 0.2212624, 1.130033;
  const Var enc_output = ag::Constant(enc.transpose());  // (4, 2·3)
  const Matrix look_ahead = transformer::broadcast_look_ahead_mask(
      reference::create_look_ahead_mask(3), 2);
  const Matrix padding =
      transformer::broadcast_padding_mask(reference::create_padding_mask(x), 3);
  for (const Matrix* pad : {static_cast<const Matrix*>(nullptr), &padding}) {
    const Matrix padding_mask = pad ? *pad : Matrix();
    for (bool train : {false, true}) {
      RandomState mine(42), theirs(42);
      const Training mine_t = train ? Training{0.1, &mine} : Training{};
      const Training theirs_t = train ? Training{0.1, &theirs} : Training{};
      auto got = Call("Decoder", [&] {
        return graded::Decoder(x, enc_output, look_ahead, padding_mask, w,
                               mine_t);
      });
      if (!got) return;
      const DecoderOutput want = reference::Decoder(x, enc_output, look_ahead,
                                                    padding_mask, w, theirs_t);
      const std::string mode =
          std::string(train ? " (training" : " (inference") +
          (pad ? ", padding mask)" : ")");
      EXPECT_TRUE(SameWeightMaps("Decoder", got->attention_weights,
                                 want.attention_weights))
          << mode;
      EXPECT_TRUE(SameVar("Decoder", "x" + mode, got->x, want.x));
    }
  }
}

// The course's check attention_weights["decoder_layer1_block1_self_att"]
// [0, 0, 1] = [a, b, 0]: query 1 of example 0 never sees key 2.
TEST(Decoder, NoLookAheadInTheWeightsOrTheOutput) {
  RandomState rng(24);
  TransformerConfig config = SmallConfig(2, 4, 2, 8);
  config.target_vocab_size = 12;
  config.max_positional_encoding_target = 5;
  const DecoderWeights w = transformer::initialize_decoder(config, rng);
  Perturb(w, rng);
  const Var enc_output = ag::Constant(rng.randn(4, 2 * 3));
  TokenIds x = {{3, 2, 1, 5}, {2, 1, 7, 4}};
  const Matrix look_ahead = transformer::broadcast_look_ahead_mask(
      reference::create_look_ahead_mask(4), 2);
  auto got = Call("Decoder", [&] {
    return graded::Decoder(x, enc_output, look_ahead, Matrix(), w, Training{});
  });
  if (!got) return;
  ASSERT_TRUE(Defined("Decoder", "x", got->x));
  auto it = got->attention_weights.find("decoder_layer1_block1_self_att");
  ASSERT_TRUE(it != got->attention_weights.end())
      << "Decoder: no attention_weights[\"decoder_layer1_block1_self_att\"] "
         "(layers are numbered from 1)";
  ASSERT_EQ(it->second.size(), 2u) << "Decoder: expected 2 heads' weights";
  ASSERT_TRUE(Defined("Decoder", "weights", it->second[0]));
  ASSERT_TRUE(HasShape("Decoder", "decoder_layer1_block1_self_att[0]",
                       it->second[0].value(), 4, 2 * 4));
  const Matrix& w0 = it->second[0].value();
  EXPECT_TRUE(
      Near("Decoder", "weights of query 1 over key 2, 3", w0(2, 1), 0.0));
  EXPECT_TRUE(
      Near("Decoder", "the sum of query 1's weights", w0.col(1).sum(), 1.0));
  // Changing the last target token changes nothing before it.
  x[0][3] = 9;
  x[1][3] = 11;
  auto again = Call("Decoder", [&] {
    return graded::Decoder(x, enc_output, look_ahead, Matrix(), w, Training{});
  });
  if (!again) return;
  ASSERT_TRUE(Defined("Decoder", "x", again->x));
  EXPECT_TRUE(SameColumns("Decoder", "x", again->x.value(), got->x.value(),
                          {0, 1, 2, 4, 5, 6}, "only the last tokens changed"));
}

// =========================================================== Transformer

// The course's Transformer_test sizes: 6 layers, embedding_dim 4, 4 heads
// (key_dim 4), fully_connected_dim 8, vocabularies 30 and 35, maximum
// positions 5 and 6, sentences [2, 1, 4, 3, 0] and [3, 2, 1, 0, 0].
struct CourseTransformer {
  TransformerWeights weights;
  TokenIds a = {{2, 1, 4, 3, 0}}, b = {{3, 2, 1, 0, 0}};
  Matrix enc_padding_mask, look_ahead_mask, dec_padding_mask;
  explicit CourseTransformer(RandomState& rng) {
    TransformerConfig config = SmallConfig(6, 4, 4, 8, /*key_dim=*/4);
    config.input_vocab_size = 30;
    config.target_vocab_size = 35;
    config.max_positional_encoding_input = 5;
    config.max_positional_encoding_target = 6;
    weights = transformer::initialize_transformer(config, rng);
    Perturb(weights, rng, 0.1);
    const Matrix padding = reference::create_padding_mask(a);  // (5, 1)
    enc_padding_mask = transformer::broadcast_padding_mask(padding, 5);
    look_ahead_mask = transformer::broadcast_look_ahead_mask(
        reference::create_look_ahead_mask(5), 1);
    // The decoder's queries over the encoder's (padded) positions.
    dec_padding_mask = transformer::broadcast_padding_mask(padding, 5);
  }
};

TEST(Transformer, CourseSizesMatchReference) {
  RandomState rng(25);
  const CourseTransformer c(rng);
  for (bool train : {false, true}) {
    RandomState mine(42), theirs(42);
    const Training mine_t = train ? Training{0.1, &mine} : Training{};
    const Training theirs_t = train ? Training{0.1, &theirs} : Training{};
    auto got = Call("Transformer", [&] {
      return graded::Transformer(c.a, c.b, c.enc_padding_mask,
                                 c.look_ahead_mask, c.dec_padding_mask,
                                 c.weights, mine_t);
    });
    if (!got) return;
    const TransformerOutput want =
        reference::Transformer(c.a, c.b, c.enc_padding_mask, c.look_ahead_mask,
                               c.dec_padding_mask, c.weights, theirs_t);
    const std::string mode = train ? " (training)" : " (inference)";
    ASSERT_TRUE(Defined("Transformer", "logits", got->logits));
    ASSERT_TRUE(
        HasShape("Transformer", "logits", got->logits.value(), 35, 5,
                 "the course's (1, 5, 35) as (target_vocab_size, m·T)"));
    EXPECT_TRUE(SameWeightMaps("Transformer", got->attention_weights,
                               want.attention_weights))
        << mode;
    EXPECT_TRUE(
        SameVar("Transformer", "logits" + mode, got->logits, want.logits))
        << "logits = Dense(decoder output, final_layer), before the softmax; "
           "the encoder runs (and draws its dropout) before the decoder.";
  }
}

// Changing the input's padded tokens (masks kept) changes no logit;
// changing a later target token changes no earlier logit.
TEST(Transformer, MasksHaveTheirEffect) {
  RandomState rng(26);
  const CourseTransformer c(rng);
  auto got = Call("Transformer", [&] {
    return graded::Transformer(c.a, c.b, c.enc_padding_mask, c.look_ahead_mask,
                               c.dec_padding_mask, c.weights, Training{});
  });
  if (!got) return;
  ASSERT_TRUE(Defined("Transformer", "logits", got->logits));
  const TokenIds a2 = {{2, 1, 4, 3, 17}};  // the padded position, changed
  const TokenIds b2 = {{3, 2, 1, 0, 21}};  // the last target, changed
  auto padded = Call("Transformer", [&] {
    return graded::Transformer(a2, c.b, c.enc_padding_mask, c.look_ahead_mask,
                               c.dec_padding_mask, c.weights, Training{});
  });
  if (!padded) return;
  ASSERT_TRUE(Defined("Transformer", "logits", padded->logits));
  EXPECT_TRUE(SameColumns("Transformer", "logits", padded->logits.value(),
                          got->logits.value(), {0, 1, 2, 3, 4},
                          "only the input's padded token changed (same "
                          "enc_padding_mask and dec_padding_mask)"));
  auto later = Call("Transformer", [&] {
    return graded::Transformer(c.a, b2, c.enc_padding_mask, c.look_ahead_mask,
                               c.dec_padding_mask, c.weights, Training{});
  });
  if (!later) return;
  ASSERT_TRUE(Defined("Transformer", "logits", later->logits));
  EXPECT_TRUE(SameColumns("Transformer", "logits", later->logits.value(),
                          got->logits.value(), {0, 1, 2, 3},
                          "only the last target token changed"));
}

// Training needs gradients for every weight: the cross-entropy of the
// logits, differentiated by ag::Backward through your Transformer, against
// finite differences for a few blocks, and nonzero for every Param.
TEST(Transformer, GradientsReachEveryWeight) {
  RandomState rng(27);
  TransformerConfig config = SmallConfig(1, 4, 2, 6);
  config.input_vocab_size = 7;
  config.target_vocab_size = 6;
  config.max_positional_encoding_input = 4;
  config.max_positional_encoding_target = 3;
  const TransformerWeights w = transformer::initialize_transformer(config, rng);
  Perturb(w, rng);
  const TokenIds inp = {{1, 2, 3, 0}, {4, 5, 6, 6}};
  const TokenIds tar = {{1, 2, 3}, {4, 5, 0}};
  const std::vector<int> labels = {2, 3, 4, 5, 1, -1};
  const Matrix enc_mask = transformer::broadcast_padding_mask(
      reference::create_padding_mask(inp), 4);
  const Matrix look_ahead = transformer::broadcast_look_ahead_mask(
      reference::create_look_ahead_mask(3), 2);
  const Matrix dec_mask = transformer::broadcast_padding_mask(
      reference::create_padding_mask(inp), 3);
  auto got = Call("Transformer", [&] {
    return graded::Transformer(inp, tar, enc_mask, look_ahead, dec_mask, w,
                               Training{});
  });
  if (!got) return;
  ASSERT_TRUE(Defined("Transformer", "logits", got->logits));
  ASSERT_TRUE(HasShape("Transformer", "logits", got->logits.value(), 6, 6));
  std::vector<Var> params = transformer::all_parameters(w);
  const std::vector<std::string> names = ParameterNames(w);
  ASSERT_EQ(names.size(), params.size());
  ag::ZeroGrad(params);
  ag::Backward(ag::cross_entropy(got->logits, labels));
  for (size_t j = 0; j < params.size(); ++j) {
    // A key's bias adds the same q·b to every score of a query: the softmax
    // ignores it, and its gradient is 0 (up to rounding).
    if (names[j].size() > 6 &&
        names[j].substr(names[j].size() - 6) == ".key.b") {
      continue;
    }
    EXPECT_GT(params[j].grad().norm(), 1e-8)
        << "Transformer: " << names[j] << " " << params[j].shape()
        << " gets no gradient: it was used through a copy "
           "(ag::Constant(W.value())) or not at all.";
  }
  const std::vector<std::pair<std::string, Var>> checked = {
      {"dencoder.embedding", w.encoder.embedding},
      {"denc_layers[0].mha.query.W", w.encoder.enc_layers[0].mha.query.W},
      {"ddec_layers[0].mha1.value.W", w.decoder.dec_layers[0].mha1.value.W},
      {"ddec_layers[0].mha2.key.W", w.decoder.dec_layers[0].mha2.key.W},
      {"ddec_layers[0].layernorm3.gamma",
       w.decoder.dec_layers[0].layernorm3.gamma},
      {"dfinal_layer.W", w.final_layer.W}};
  std::vector<Var> vars;
  std::vector<GradientBlock> blocks;
  for (const auto& [name, v] : checked) vars.push_back(v);
  for (size_t j = 0; j < checked.size(); ++j) {
    blocks.push_back(
        {checked[j].first, &vars[j].mutable_value(), vars[j].grad()});
  }
  const auto cost = [&] {
    return ag::cross_entropy(graded::Transformer(inp, tar, enc_mask, look_ahead,
                                                 dec_mask, w, Training{})
                                 .logits,
                             labels)
        .item();
  };
  EXPECT_TRUE(
      GradientsMatch("Transformer", CheckGradients(cost, blocks, 1e-6), 1e-6));
}

}  // namespace
