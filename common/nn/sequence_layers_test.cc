// Tests of common/sequence_layers:
//  - nn::Lstm in double against course4_seq/rnn_step_by_step's reference
//    lstm_forward / lstm_backward (the course's cell, step by step) on
//    seeded inputs of several shapes (m = 1, T_x = 1, n_x != n_a), against
//    centered finite differences (W, b, x, a0, c0), float against double,
//    and buffer reuse across shapes;
//  - nn::TransformerEncoderLayer in double against a plain loop
//    implementation written here, against values computed once with
//    PyTorch 1.13.1 (torch.nn.TransformerEncoderLayer, float64; the script
//    is quoted below), and float against double.

#include "common/nn/sequence_layers.h"

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/core/tensor.h"
#include "common/nn/layers.h"
#include "common/nn/test_util.h"
#include "course4_seq/rnn_step_by_step/rnn_step_by_step.h"
#include "gtest/gtest.h"

namespace dl {
namespace nn {
namespace {

namespace rnn = rnn_step_by_step;
using ArrayD = Array<double>;
using test::Close;
using test::Numeric;
using test::Randn;
using test::RelativeDifference;
using ArrayF = Array<float>;

// ------------------------------------------------- LSTM vs the course's

struct LstmCase {
  Index n_x, n_a, m, T_x;
};

std::vector<LstmCase> LstmCases() {
  return {{3, 5, 10, 7}, {4, 2, 1, 3}, {1, 3, 2, 1}, {6, 6, 3, 4}};
}

std::string Describe(const LstmCase& c) {
  return "n_x " + std::to_string(c.n_x) + ", n_a " + std::to_string(c.n_a) +
         ", m " + std::to_string(c.m) + ", T_x " + std::to_string(c.T_x);
}

// The course's parameters (random, n_y = 2) and ours from them:
// W = [Wf; Wi; Wc; Wo], b = [bf; bi; bc; bo].
rnn::LstmParameters CourseParameters(RandomState& rng, const LstmCase& c) {
  rnn::LstmParameters p;
  const Index n = c.n_a + c.n_x;
  p.Wf = rng.randn(c.n_a, n);
  p.bf = rng.randn(c.n_a, 1);
  p.Wi = rng.randn(c.n_a, n);
  p.bi = rng.randn(c.n_a, 1);
  p.Wc = rng.randn(c.n_a, n);
  p.bc = rng.randn(c.n_a, 1);
  p.Wo = rng.randn(c.n_a, n);
  p.bo = rng.randn(c.n_a, 1);
  p.Wy = rng.randn(2, c.n_a);
  p.by = rng.randn(2, 1);
  return p;
}

void SetFromCourse(const rnn::LstmParameters& p, Lstm<double>* lstm) {
  const Index n_a = lstm->n_a(), n = n_a + lstm->n_x();
  auto W = lstm->W().value.matrix(4 * n_a, n);
  auto b = lstm->b().value.vec();
  int g = 0;
  for (const auto* gate : {&p.Wf, &p.Wi, &p.Wc, &p.Wo}) {
    W.middleRows(g++ * n_a, n_a) = *gate;
  }
  g = 0;
  for (const auto* gate : {&p.bf, &p.bi, &p.bc, &p.bo}) {
    b.segment(g++ * n_a, n_a) = gate->col(0);
  }
}

// (n, m, T_x) in the course's layout <-> (T_x, m, n) in ours.
ArrayD FromCourse(const Tensor3& x) {
  const Index n = x.dimension(0), m = x.dimension(1), T_x = x.dimension(2);
  ArrayD a({T_x, m, n});
  for (Index t = 0; t < T_x; ++t)
    for (Index i = 0; i < m; ++i)
      for (Index k = 0; k < n; ++k) a(t, i, k) = x(k, i, t);
  return a;
}
// (n, m) <-> (m, n).
ArrayD FromCourse(const Matrix& a) {
  ArrayD out({a.cols(), a.rows()});
  out.matrix(a.cols(), a.rows()) = a.transpose();
  return out;
}

TEST(Lstm, ForwardEqualsCourseReference) {
  RandomState rng(1);
  for (const LstmCase& c : LstmCases()) {
    const rnn::LstmParameters p = CourseParameters(rng, c);
    const Tensor3 x = rng.randn_tensor<3>({c.n_x, c.m, c.T_x});
    const Matrix a0 = rng.randn(c.n_a, c.m);
    const rnn::LstmForwardOutput want = rnn::reference::lstm_forward(x, a0, p);

    Lstm<double> lstm(c.n_x, c.n_a);
    SetFromCourse(p, &lstm);
    const ArrayD X = FromCourse(x), A0 = FromCourse(a0);
    const ArrayD& a = lstm.Forward(X, &A0);
    EXPECT_TRUE(Close(a, FromCourse(want.a))) << "a, " << Describe(c);
    EXPECT_TRUE(Close(lstm.c(), FromCourse(want.c))) << "c, " << Describe(c);
  }
}

TEST(Lstm, BackwardEqualsCourseReference) {
  RandomState rng(2);
  for (const LstmCase& c : LstmCases()) {
    const rnn::LstmParameters p = CourseParameters(rng, c);
    const Tensor3 x = rng.randn_tensor<3>({c.n_x, c.m, c.T_x});
    const Matrix a0 = rng.randn(c.n_a, c.m);
    const Tensor3 da = rng.randn_tensor<3>({c.n_a, c.m, c.T_x});
    const rnn::LstmForwardOutput fwd = rnn::reference::lstm_forward(x, a0, p);
    const rnn::LstmGradients want =
        rnn::reference::lstm_backward(da, fwd.caches);

    Lstm<double> lstm(c.n_x, c.n_a);
    SetFromCourse(p, &lstm);
    const ArrayD X = FromCourse(x), A0 = FromCourse(a0);
    lstm.Forward(X, &A0);
    ArrayD dx, da0, dc0;
    lstm.Backward(FromCourse(da), &dx, &da0, &dc0);
    const std::string what = Describe(c);
    EXPECT_TRUE(Close(dx, FromCourse(want.dx))) << "dx, " << what;
    EXPECT_TRUE(Close(da0, FromCourse(want.da0))) << "da0, " << what;
    rnn::LstmParameters grads;
    grads.Wf = want.dWf, grads.Wi = want.dWi, grads.Wc = want.dWc;
    grads.Wo = want.dWo, grads.bf = want.dbf, grads.bi = want.dbi;
    grads.bc = want.dbc, grads.bo = want.dbo;
    Lstm<double> expected(c.n_x, c.n_a);
    SetFromCourse(grads, &expected);
    EXPECT_TRUE(Close(lstm.W().grad, expected.W().value)) << "dW, " << what;
    EXPECT_TRUE(Close(lstm.b().grad, expected.b().value)) << "db, " << what;
  }
}

// J = sum(a * G) reaches every parameter and input, a0 and c0 included.
TEST(Lstm, BackwardMatchesFiniteDifferences) {
  RandomState rng(3);
  for (const LstmCase& c :
       std::vector<LstmCase>{{3, 2, 2, 3}, {2, 3, 1, 2}, {1, 1, 1, 1}}) {
    Lstm<double> lstm(c.n_x, c.n_a);
    for (Parameter<double>& p : lstm.parameters()) {
      p.value = Randn(rng, p.value.shape(), 0.7);
    }
    ArrayD x = Randn(rng, {c.T_x, c.m, c.n_x});
    ArrayD a0 = Randn(rng, {c.m, c.n_a}), c0 = Randn(rng, {c.m, c.n_a});
    const ArrayD G = Randn(rng, {c.T_x, c.m, c.n_a});
    const auto J = [&]() {
      return lstm.Forward(x, &a0, &c0).vec().dot(G.vec());
    };
    J();
    ArrayD dx, da0, dc0;
    lstm.Backward(G, &dx, &da0, &dc0);
    const ArrayD dW = lstm.W().grad, db = lstm.b().grad;
    const std::string what = Describe(c);
    EXPECT_LT(RelativeDifference(dW, Numeric(J, lstm.W().value)), 1e-7)
        << "dW, " << what;
    EXPECT_LT(RelativeDifference(db, Numeric(J, lstm.b().value)), 1e-7)
        << "db, " << what;
    EXPECT_LT(RelativeDifference(dx, Numeric(J, x)), 1e-7) << "dx, " << what;
    EXPECT_LT(RelativeDifference(da0, Numeric(J, a0)), 1e-7) << "da0, " << what;
    EXPECT_LT(RelativeDifference(dc0, Numeric(J, c0)), 1e-7) << "dc0, " << what;
  }
}

// The buffers are reused: a layer run on other shapes before gives the same
// results as a fresh one; null a0 / c0 are zeros; no dx asked, same dW.
TEST(Lstm, BuffersReusedAcrossShapes) {
  RandomState rng(4);
  Lstm<double> used(3, 4), fresh(3, 4);
  used.Initialize(rng);
  fresh.W().value = used.W().value;
  fresh.b().value = used.b().value;
  const ArrayD big = Randn(rng, {6, 5, 3}), small = Randn(rng, {2, 3, 3});
  const ArrayD dbig = Randn(rng, {6, 5, 4}), dsmall = Randn(rng, {2, 3, 4});
  used.Forward(big);
  ArrayD dx;
  used.Backward(dbig, &dx);
  const ArrayD zeros({3, 4});
  const ArrayD a = used.Forward(small);
  used.Backward(dsmall, nullptr);
  EXPECT_TRUE(Close(a, fresh.Forward(small, &zeros, &zeros)));
  ArrayD dx_fresh;
  fresh.Backward(dsmall, &dx_fresh);
  EXPECT_TRUE(Close(used.W().grad, fresh.W().grad));
  EXPECT_TRUE(Close(used.b().grad, fresh.b().grad));
}

TEST(Lstm, FloatMatchesDouble) {
  RandomState rng(5);
  Lstm<double> d(8, 16);
  d.Initialize(rng);
  Lstm<float> f(8, 16);
  f.W().value = Cast<float>(d.W().value);
  f.b().value = Cast<float>(d.b().value);
  const ArrayD x = Randn(rng, {20, 4, 8});
  const ArrayD da = Randn(rng, {20, 4, 16});
  const ArrayF xf = Cast<float>(x);
  const ArrayD a = d.Forward(x);
  const ArrayD af = Cast<double>(f.Forward(xf));
  EXPECT_TRUE(Close(af, a, 1e-5, 1e-4));
  ArrayD dx;
  ArrayF dxf;
  d.Backward(da, &dx);
  f.Backward(Cast<float>(da), &dxf);
  EXPECT_TRUE(Close(Cast<double>(dxf), dx, 1e-4, 1e-4));
  EXPECT_TRUE(Close(Cast<double>(f.W().grad), d.W().grad, 1e-4, 1e-4));
}

TEST(Lstm, RejectsWrongShapes) {
  EXPECT_THROW(Lstm<double>(0, 3), std::invalid_argument);
  Lstm<double> lstm(3, 4);
  EXPECT_THROW(lstm.Backward(ArrayD({1, 1, 4}), nullptr), std::logic_error);
  EXPECT_THROW(lstm.Forward(ArrayD({2, 1, 4})), std::invalid_argument);
  EXPECT_THROW(lstm.Forward(ArrayD({2, 3})), std::invalid_argument);
  const ArrayD x({2, 1, 3}), a0({2, 4});
  EXPECT_THROW(lstm.Forward(x, &a0), std::invalid_argument);
  lstm.Forward(x);
  EXPECT_THROW(lstm.Backward(ArrayD({2, 1, 3}), nullptr),
               std::invalid_argument);
}

// ------------------------------------------- transformer encoder layer

// The layer written with plain loops, from the formulas of the header.
ArrayD PlainEncoderLayer(TransformerEncoderLayer<double>& layer,
                         const ArrayD& x) {
  const Index B = x.dim(0), S = x.dim(1), D = x.dim(2);
  const Index H = layer.nhead(), dh = D / H;
  const auto P = [&](const char* name) -> const ArrayD& {
    return layer.parameter(name).value;
  };
  // y[r, o] = sum_k v[r, k] W[o, k] + b[o]
  const auto linear = [](const ArrayD& v, const ArrayD& W, const ArrayD& b) {
    const Index rows = v.dim(0), in = v.dim(1), out = W.dim(0);
    ArrayD y({rows, out});
    for (Index r = 0; r < rows; ++r)
      for (Index o = 0; o < out; ++o) {
        double s = b[o];
        for (Index k = 0; k < in; ++k) s += v(r, k) * W(o, k);
        y(r, o) = s;
      }
    return y;
  };
  const auto layer_norm = [](const ArrayD& v, const ArrayD& g,
                             const ArrayD& b) {
    const Index rows = v.dim(0), n = v.dim(1);
    ArrayD y({rows, n});
    for (Index r = 0; r < rows; ++r) {
      double mean = 0, var = 0;
      for (Index k = 0; k < n; ++k) mean += v(r, k) / n;
      for (Index k = 0; k < n; ++k) var += (v(r, k) - mean) * (v(r, k) - mean);
      var /= n;
      for (Index k = 0; k < n; ++k) {
        y(r, k) = (v(r, k) - mean) / std::sqrt(var + 1e-5) * g[k] + b[k];
      }
    }
    return y;
  };
  ArrayD x2 = x;
  x2.Reshape({B * S, D});
  const ArrayD qkv =
      linear(x2, P("self_attn.in_proj_weight"), P("self_attn.in_proj_bias"));
  ArrayD heads({B * S, D});
  for (Index b = 0; b < B; ++b)
    for (Index h = 0; h < H; ++h)
      for (Index i = 0; i < S; ++i) {
        std::vector<double> w(S);
        double mx = -1e300, sum = 0;
        for (Index j = 0; j < S; ++j) {
          double s = 0;
          for (Index k = 0; k < dh; ++k) {
            s += qkv(b * S + i, h * dh + k) * qkv(b * S + j, D + h * dh + k);
          }
          w[j] = s / std::sqrt(double(dh));
          mx = std::max(mx, w[j]);
        }
        for (Index j = 0; j < S; ++j) sum += (w[j] = std::exp(w[j] - mx));
        for (Index k = 0; k < dh; ++k) {
          double o = 0;
          for (Index j = 0; j < S; ++j) {
            o += w[j] / sum * qkv(b * S + j, 2 * D + h * dh + k);
          }
          heads(b * S + i, h * dh + k) = o;
        }
      }
  ArrayD r1 = linear(heads, P("self_attn.out_proj.weight"),
                     P("self_attn.out_proj.bias"));
  r1.vec() += x2.vec();
  const ArrayD x1 = layer_norm(r1, P("norm1.weight"), P("norm1.bias"));
  ArrayD hid = linear(x1, P("linear1.weight"), P("linear1.bias"));
  hid.vec() = hid.vec().cwiseMax(0.0);
  ArrayD r2 = linear(hid, P("linear2.weight"), P("linear2.bias"));
  r2.vec() += x1.vec();
  ArrayD y = layer_norm(r2, P("norm2.weight"), P("norm2.bias"));
  y.Reshape({B, S, D});
  return y;
}

struct EncoderCase {
  Index B, S, D, H, F;
};

TEST(TransformerEncoderLayer, EqualsPlainLoops) {
  RandomState rng(6);
  for (const EncoderCase& c : std::vector<EncoderCase>{{2, 5, 8, 2, 16},
                                                       {1, 1, 4, 1, 3},
                                                       {3, 4, 6, 3, 10},
                                                       {2, 7, 8, 4, 5}}) {
    TransformerEncoderLayer<double> layer(c.D, c.H, c.F);
    // Every parameter random (unit norm weights or zero biases would hide
    // mistakes).
    for (Parameter<double>& p : layer.parameters()) {
      p.value = Randn(rng, p.value.shape(), 0.5);
    }
    const ArrayD x = Randn(rng, {c.B, c.S, c.D});
    const ArrayD want = PlainEncoderLayer(layer, x);
    EXPECT_TRUE(Close(layer.Forward(x), want, 1e-12, 1e-9))
        << "B " << c.B << ", S " << c.S << ", D " << c.D << ", heads " << c.H;
  }
}

// Parameters and input by formula, so that PyTorch can build the same:
// parameter k (state_dict order) entry j = 0.5 sin(1.3 j + 0.7 (k + 1))
// (norm weights: 1 + 0.2 times that); x entry j = sin(0.37 j) + 0.1 cos(1.1 j).
// Expected values from PyTorch 1.13.1 (Debian python3-torch), computed once:
//   layer = torch.nn.TransformerEncoderLayer(4, 2, 6, dropout=0.0,
//                                            batch_first=True).double()
//   for k, (name, t) in enumerate(layer.state_dict().items()):
//       flat = [0.5 * math.sin(1.3 * j + 0.7 * (k + 1))
//               for j in range(t.numel())]   # norm weights: 1 + 0.2 * flat
//       t.copy_(torch.tensor(flat).reshape(t.shape))
//   x = torch.tensor([math.sin(0.37 * j) + 0.1 * math.cos(1.1 * j)
//                     for j in range(24)]).reshape(2, 3, 4)
//   layer.eval(); print(layer(x).flatten().tolist())
TEST(TransformerEncoderLayer, EqualsPyTorch) {
  TransformerEncoderLayer<double> layer(4, 2, 6);
  int k = 0;
  for (Parameter<double>& p : layer.parameters()) {
    const bool norm_weight = p.name.rfind("norm", 0) == 0 &&
                             p.name.find("weight") != std::string::npos;
    for (Index j = 0; j < p.value.size(); ++j) {
      const double v = 0.5 * std::sin(1.3 * j + 0.7 * (k + 1));
      p.value[j] = norm_weight ? 1 + 0.2 * v : v;
    }
    ++k;
  }
  ArrayD x({2, 3, 4});
  for (Index j = 0; j < x.size(); ++j) {
    x[j] = std::sin(0.37 * j) + 0.1 * std::cos(1.1 * j);
  }
  ArrayD want({2, 3, 4});
  const double torch_values[] = {
      -1.1428214299170716, -0.5900191717198877, 0.25052081781902324,
      0.8339698099944152,  -0.3523791267599321, -1.3770325608271414,
      0.04020274198628959, 1.076533162381918,   2.2405175645324142,
      -0.4802513283841691, -1.4648782190998255, -0.38334508989306426,
      -0.6453504136469177, -1.0553897616426102, -0.12079105009856303,
      1.1977572716040426,  -1.274338278815431,  -0.3498997123971116,
      0.4043329707024943,  0.5792777818531794,  -1.1530224779396308,
      -0.5653615510095905, 0.4986312155978723,  0.5741280440936122};
  for (Index j = 0; j < want.size(); ++j) want[j] = torch_values[j];
  EXPECT_TRUE(Close(layer.Forward(x), want, 1e-12, 1e-10));
  EXPECT_TRUE(Close(PlainEncoderLayer(layer, x), want, 1e-12, 1e-10));
}

TEST(TransformerEncoderLayer, FloatMatchesDouble) {
  RandomState rng(7);
  TransformerEncoderLayer<double> d(16, 4, 32);
  d.Initialize(rng);
  TransformerEncoderLayer<float> f(16, 4, 32);
  for (size_t k = 0; k < d.parameters().size(); ++k) {
    f.parameters()[k].value = Cast<float>(d.parameters()[k].value);
  }
  const ArrayD x = Randn(rng, {3, 10, 16});
  const ArrayD y = d.Forward(x);
  EXPECT_TRUE(Close(Cast<double>(f.Forward(Cast<float>(x))), y, 1e-4, 1e-4));
  // Again, other shapes: buffers reused.
  const ArrayD x2 = Randn(rng, {1, 4, 16});
  EXPECT_TRUE(Close(Cast<double>(f.Forward(Cast<float>(x2))), d.Forward(x2),
                    1e-4, 1e-4));
}

TEST(TransformerEncoderLayer, RejectsWrongShapes) {
  EXPECT_THROW(TransformerEncoderLayer<double>(6, 4, 8), std::invalid_argument);
  TransformerEncoderLayer<double> layer(8, 2, 4);
  EXPECT_THROW(layer.Forward(ArrayD({1, 3, 6})), std::invalid_argument);
  EXPECT_THROW(layer.Forward(ArrayD({3, 8})), std::invalid_argument);
  EXPECT_THROW(layer.parameter("no_such"), std::out_of_range);
}

// ------------------------------------------------- Keras's Embedding, LSTM

// Word indices (m, T_x) in 0 .. vocab-1, stored as doubles.
ArrayD Indices(RandomState& rng, Index m, Index T_x, int vocab) {
  ArrayD x({m, T_x});
  for (Index k = 0; k < x.size(); ++k) x[k] = double(rng.randint(0, vocab));
  return x;
}

TEST(EmbeddingLayer, RowsOfTheWeightsAndTheirGradients) {
  RandomState rng(11);
  Embedding spec(6, 3);
  spec.weights = rng.randn(6, 3);
  auto layer = test::Built<double>(spec, {{2, 4}});
  EXPECT_EQ(layer->output_shape(), (Shape{4, 3}));
  ArrayD x = Indices(rng, 2, 4, 6);
  x[0] = 0;
  x[1] = 0;  // a word twice: its gradient is the sum
  const ArrayD y = layer->Forward(x);
  for (Index i = 0; i < 2; ++i) {
    for (Index t = 0; t < 4; ++t) {
      for (Index j = 0; j < 3; ++j) {
        EXPECT_EQ(y(i, t, j), spec.weights(Index(x(i, t)), j));
      }
    }
  }
  const ArrayD G = Randn(rng, y.shape());
  std::vector<ArrayD> dx(1);
  layer->Backward({&x}, y, G, {&dx[0]});
  EXPECT_TRUE(Close(dx[0], ArrayD(x.shape(), 0.0)));
  Parameter<double>& E = layer->parameters()[0];
  const auto J = [&] { return layer->Forward(x).vec().dot(G.vec()); };
  EXPECT_LT(RelativeDifference(E.grad, Numeric(J, E.value)), 1e-9);
}

TEST(EmbeddingLayer, FrozenWeightsAndBadIndices) {
  Embedding spec(5, 2);
  spec.trainable = false;
  auto layer = test::Built<double>(spec, {{1, 3}});
  EXPECT_FALSE(layer->parameters()[0].trainable);
  EXPECT_EQ(layer->CountParameters(false), 10);
  EXPECT_EQ(layer->CountParameters(true), 0);
  for (double bad : {-1.0, 5.0, 1.5}) {
    ArrayD x({1, 3}, 0.0);
    x[2] = bad;
    EXPECT_THROW(layer->Forward(x), std::invalid_argument) << bad;
  }
  spec.weights = Matrix::Zero(4, 2);
  EXPECT_THROW(test::Built<double>(spec, {{1, 3}}), std::invalid_argument);
  EXPECT_THROW(test::Built<double>(Embedding(5, 2), {{1, 3, 2}}),
               std::invalid_argument);
}

// The layer is nn::Lstm with the batch first: the same numbers.
TEST(LstmLayer, SameAsLstmWithTheBatchFirst) {
  RandomState rng(12);
  for (bool sequences : {true, false}) {
    auto layer = test::Built<double>(LSTM(5, sequences), {{3, 4, 2}});
    test::Randomize(*layer, rng);
    Lstm<double> lstm(2, 5);
    lstm.W().value = layer->parameters()[0].value;
    lstm.b().value = layer->parameters()[1].value;
    const ArrayD x = Randn(rng, {3, 4, 2});  // (m, T_x, n_x)
    ArrayD x_time_first({4, 3, 2});
    for (Index i = 0; i < 3; ++i)
      for (Index t = 0; t < 4; ++t)
        for (Index k = 0; k < 2; ++k) x_time_first(t, i, k) = x(i, t, k);
    const ArrayD a = lstm.Forward(x_time_first);
    const ArrayD y = layer->Forward(x);
    EXPECT_EQ(y.shape(), sequences ? Shape({3, 4, 5}) : Shape({3, 5}));
    for (Index i = 0; i < 3; ++i) {
      for (Index t = sequences ? 0 : 3; t < 4; ++t) {
        for (Index j = 0; j < 5; ++j) {
          EXPECT_EQ(sequences ? y(i, t, j) : y(i, j), a(t, i, j));
        }
      }
    }
  }
}

TEST(LstmLayer, BackwardMatchesFiniteDifferences) {
  RandomState rng(13);
  for (bool sequences : {true, false}) {
    auto layer = test::Built<double>(LSTM(3, sequences), {{2, 5, 4}});
    test::Randomize(*layer, rng);
    test::ExpectGradientsMatch(
        *layer, {Randn(rng, {2, 5, 4})}, true,
        std::string("LSTM return_sequences=") + (sequences ? "true" : "false"));
  }
}

TEST(LstmLayer, KerasInitializationAndParameterCount) {
  auto layer = test::Built<double>(LSTM(128, true), {{1, 4, 2}});
  // Keras's summary of the course's Emojify_V2 with 2-d word vectors.
  EXPECT_EQ(layer->CountParameters(true), 67072);
  const Parameter<double>& b = layer->parameters()[1];
  for (Index k = 0; k < 4 * 128; ++k) EXPECT_EQ(b.value[k], k < 128 ? 1 : 0);
  const double limit = std::sqrt(6.0 / (130 + 512));
  EXPECT_LE(layer->parameters()[0].value.vec().cwiseAbs().maxCoeff(), limit);
  EXPECT_THROW(test::Built<double>(LSTM(0), {{1, 4, 2}}),
               std::invalid_argument);
  EXPECT_THROW(test::Built<double>(LSTM(3), {{1, 4}}), std::invalid_argument);
}

// The float layer against the double layer with the same weights: forward,
// the input's gradient and every parameter's.
template <typename S>
void ExpectFloatMatchesDouble(const S& spec, const Shape& shape,
                              uint32_t seed) {
  RandomState rng(seed);
  auto d = test::Built<double>(spec, {shape});
  auto f = test::Built<float>(spec, {shape});
  test::Randomize(*d, rng);
  for (size_t k = 0; k < d->parameters().size(); ++k) {
    f->parameters()[k].value = Cast<float>(d->parameters()[k].value);
  }
  const ArrayD x = Randn(rng, shape);
  const ArrayD y = d->Forward(x);
  const ArrayF xf = Cast<float>(x);
  const ArrayF yf = f->Forward(xf);
  EXPECT_TRUE(Close(Cast<double>(yf), y, 1e-5, 1e-4));
  const ArrayD G = Randn(rng, y.shape());
  const ArrayD dx = d->Backward(x, y, G);
  const ArrayF dxf = f->Backward(xf, yf, Cast<float>(G));
  EXPECT_TRUE(Close(Cast<double>(dxf), dx, 1e-4, 1e-4));
  for (size_t k = 0; k < d->parameters().size(); ++k) {
    EXPECT_TRUE(Close(Cast<double>(f->parameters()[k].grad),
                      d->parameters()[k].grad, 1e-4, 1e-4))
        << d->parameters()[k].name;
  }
}

TEST(LstmLayer, FloatMatchesDouble) {
  ExpectFloatMatchesDouble(LSTM(6, true), {3, 5, 4}, 14);
  ExpectFloatMatchesDouble(LSTM(6, false), {3, 5, 4}, 14);
}

// The GRU of the header's formulas, written out for one example.
ArrayD PlainGru(Layer<double>& layer, const ArrayD& x, Index i) {
  const ArrayD& W = layer.parameters()[0].value;  // (n_x, 3u)
  const ArrayD& U = layer.parameters()[1].value;  // (u, 3u)
  const ArrayD& b = layer.parameters()[2].value;  // (2, 3u)
  const Index T_x = x.dim(1), n_x = x.dim(2), u = U.dim(0);
  const auto sigmoid = [](double v) { return 1 / (1 + std::exp(-v)); };
  ArrayD h({T_x, u}, 0.0);
  std::vector<double> prev(u, 0.0);
  for (Index t = 0; t < T_x; ++t) {
    std::vector<double> gx(3 * u), gh(3 * u);
    for (Index j = 0; j < 3 * u; ++j) {
      gx[j] = b(0, j);
      gh[j] = b(1, j);
      for (Index k = 0; k < n_x; ++k) gx[j] += x(i, t, k) * W(k, j);
      for (Index k = 0; k < u; ++k) gh[j] += prev[k] * U(k, j);
    }
    for (Index k = 0; k < u; ++k) {
      const double z = sigmoid(gx[k] + gh[k]);
      const double r = sigmoid(gx[u + k] + gh[u + k]);
      const double cand = std::tanh(gx[2 * u + k] + r * gh[2 * u + k]);
      h(t, k) = z * prev[k] + (1 - z) * cand;
    }
    for (Index k = 0; k < u; ++k) prev[k] = h(t, k);
  }
  return h;
}

TEST(GruLayer, TheHeadersFormulas) {
  RandomState rng(15);
  auto layer = test::Built<double>(GRU(4, true), {{2, 5, 3}});
  test::Randomize(*layer, rng);
  const ArrayD x = Randn(rng, {2, 5, 3});
  const ArrayD y = layer->Forward(x);
  for (Index i = 0; i < 2; ++i) {
    const ArrayD h = PlainGru(*layer, x, i);
    for (Index t = 0; t < 5; ++t) {
      for (Index k = 0; k < 4; ++k) EXPECT_NEAR(y(i, t, k), h(t, k), 1e-12);
    }
  }
}

TEST(GruLayer, BackwardMatchesFiniteDifferences) {
  RandomState rng(16);
  for (bool sequences : {true, false}) {
    auto layer = test::Built<double>(GRU(3, sequences), {{2, 4, 5}});
    test::Randomize(*layer, rng);
    test::ExpectGradientsMatch(
        *layer, {Randn(rng, {2, 4, 5})}, true,
        std::string("GRU return_sequences=") + (sequences ? "true" : "false"));
  }
}

TEST(GruLayer, KerasParameterCountAndShapes) {
  // The course's trigger-word model: GRU(128) after Conv1D(196).
  auto layer = test::Built<double>(GRU(128, true), {{1, 1375, 196}});
  EXPECT_EQ(layer->CountParameters(true), 125184);
  EXPECT_EQ(layer->output_shape(), (Shape{1375, 128}));
  EXPECT_EQ(test::Built<double>(GRU(8), {{1, 6, 2}})->output_shape(),
            (Shape{8}));
  EXPECT_THROW(test::Built<double>(GRU(3), {{1, 4}}), std::invalid_argument);
}

// Keras's TimeDistributed(Dense(n)) is Dense on a sequence: it acts on the
// last axis of (m, T_x, n_in).
TEST(TimeDistributedDense, GradientsAndFloat) {
  RandomState rng(18);
  auto layer = test::Built<double>(Dense(2), {{3, 6, 4}});
  EXPECT_EQ(layer->output_shape(), (Shape{6, 2}));
  test::Randomize(*layer, rng);
  test::ExpectGradientsMatch(*layer, {Randn(rng, {3, 6, 4})}, true,
                             "Dense on (m, T_x, n_in)");
  ExpectFloatMatchesDouble(Dense(2), {3, 6, 4}, 19);
}

TEST(EmbeddingLayer, FloatMatchesDouble) {
  RandomState rng(20);
  Embedding spec(7, 3);
  spec.weights = rng.randn(7, 3);
  auto d = test::Built<double>(spec, {{2, 5}});
  auto f = test::Built<float>(spec, {{2, 5}});
  const ArrayD x = Indices(rng, 2, 5, 7);
  const ArrayD y = d->Forward(x);
  const ArrayF xf = Cast<float>(x);
  const ArrayF yf = f->Forward(xf);
  EXPECT_TRUE(Close(Cast<double>(yf), y, 1e-6, 1e-6));
  const ArrayD G = Randn(rng, y.shape());
  d->Backward(x, y, G);
  f->Backward(xf, yf, Cast<float>(G));
  EXPECT_TRUE(Close(Cast<double>(f->parameters()[0].grad),
                    d->parameters()[0].grad, 1e-5, 1e-5));
}

TEST(GruLayer, FloatMatchesDouble) {
  ExpectFloatMatchesDouble(GRU(6, true), {3, 5, 4}, 17);
  ExpectFloatMatchesDouble(GRU(6, false), {3, 5, 4}, 17);
}

}  // namespace
}  // namespace nn
}  // namespace dl
