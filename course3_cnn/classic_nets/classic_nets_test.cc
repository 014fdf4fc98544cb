// Grades course3_cnn/classic_nets: the size formulas on the lectures' and
// quizzes' examples and against the reference on many shapes; the
// summary on the lecture's "neural network example" table, on the three
// classic networks (61,706; 62,378,344; 138,357,544 parameters) and on
// random networks against the reference; and the three networks' layers,
// shapes and totals.

#include "course3_cnn/classic_nets/classic_nets.h"

#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "common/nn/model.h"
#include "course3_cnn/classic_nets/graded.h"  // see tools/unit.bzl
#include "gtest/gtest.h"

namespace reference = classic_nets::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
using classic_nets::AvgPool;
using classic_nets::Conv;
using classic_nets::Dense;
using classic_nets::Layer;
using classic_nets::LayerKind;
using classic_nets::MaxPool;
using classic_nets::Network;
using classic_nets::OutputSize;
using classic_nets::shape_string;
using classic_nets::Summary;
using classic_nets::SummaryRow;
using dl::RandomState;
namespace nn = dl::nn;

std::string Size(const OutputSize& s) {
  return "(" + std::to_string(s.n_H) + ", " + std::to_string(s.n_W) + ")";
}

// ------------------------------------------------------- conv_output_shape

struct ConvCase {
  int64_t n_H_prev, n_W_prev;
  int f, stride, pad;
  OutputSize want;
  const char* where;
};

TEST(ConvOutputShape, CourseExamples) {
  const std::vector<ConvCase> cases = {
      {6, 6, 3, 1, 0, {4, 4}, "edge detection: 6x6 * 3x3"},
      {6, 6, 3, 1, 1, {6, 6}, "padding p = 1 keeps 6x6 (\"same\")"},
      {7, 7, 3, 2, 0, {3, 3}, "strided convolution: 7x7, f = 3, s = 2"},
      {39, 39, 3, 1, 0, {37, 37}, "ConvNet example, layer 1"},
      {37, 37, 5, 2, 0, {17, 17}, "ConvNet example, layer 2"},
      {17, 17, 5, 2, 0, {7, 7}, "ConvNet example, layer 3"},
      {63, 63, 7, 2, 0, {29, 29}, "quiz: 63x63x16, 32 filters 7x7, s = 2"},
      {32, 32, 5, 1, 0, {28, 28}, "LeNet-5 conv1"},
      {227, 227, 11, 4, 0, {55, 55}, "AlexNet conv1: 11x11, s = 4"},
      {27, 27, 5, 1, 2, {27, 27}, "AlexNet conv2: 5x5 same (p = 2)"},
      {224, 224, 3, 1, 1, {224, 224}, "VGG-16 block1_conv1: 3x3 same"},
      {8, 8, 3, 2, 0, {3, 3}, "floor((8 - 3) / 2) + 1: round down"},
      {10, 7, 3, 2, 1, {5, 4}, "non-square: 10x7, f = 3, s = 2, p = 1"},
  };
  for (const ConvCase& c : cases) {
    auto got = Call("conv_output_shape", [&] {
      return graded::conv_output_shape(c.n_H_prev, c.n_W_prev, c.f, c.stride,
                                       c.pad);
    });
    if (!got) return;
    EXPECT_TRUE(got->n_H == c.want.n_H && got->n_W == c.want.n_W)
        << "conv_output_shape(" << c.n_H_prev << ", " << c.n_W_prev
        << ", f = " << c.f << ", stride = " << c.stride << ", pad = " << c.pad
        << ") = " << Size(*got) << ", expected " << Size(c.want) << " ("
        << c.where << ")\n    hint: n_H = floor((n_H_prev + 2 pad - f) / "
        << "stride) + 1, and n_W from n_W_prev";
  }
}

TEST(ConvOutputShape, AgainstReference) {
  RandomState rng(1);
  for (int k = 0; k < 300; ++k) {
    const int f = static_cast<int>(rng.randint(1, 12));
    const int stride = static_cast<int>(rng.randint(1, 5));
    const int pad = static_cast<int>(rng.randint(0, 6));
    const int64_t min = f > 2 * pad ? f - 2 * pad : 1;
    const int64_t n_H = rng.randint(min, 301), n_W = rng.randint(min, 301);
    auto got = Call("conv_output_shape", [&] {
      return graded::conv_output_shape(n_H, n_W, f, stride, pad);
    });
    if (!got) return;
    const OutputSize want =
        reference::conv_output_shape(n_H, n_W, f, stride, pad);
    if (got->n_H != want.n_H || got->n_W != want.n_W) {
      ADD_FAILURE() << "conv_output_shape(" << n_H << ", " << n_W
                    << ", f = " << f << ", stride = " << stride
                    << ", pad = " << pad << ") = " << Size(*got)
                    << ", expected " << Size(want);
      return;
    }
  }
}

// ------------------------------------------------------- pool_output_shape

TEST(PoolOutputShape, CourseExamples) {
  const std::vector<ConvCase> cases = {
      {4, 4, 2, 2, 0, {2, 2}, "max pooling: 4x4, f = 2, s = 2"},
      {5, 5, 3, 1, 0, {3, 3}, "max pooling: 5x5, f = 3, s = 1"},
      {32, 32, 2, 2, 0, {16, 16}, "quiz: 32x32x16, f = 2, s = 2"},
      {28, 28, 2, 2, 0, {14, 14}, "LeNet-5 pool1"},
      {55, 55, 3, 2, 0, {27, 27}, "AlexNet pool1: 3x3, s = 2"},
      {13, 13, 3, 2, 0, {6, 6}, "AlexNet pool5"},
      {9, 6, 2, 2, 0, {4, 3}, "non-square, odd: round down"},
  };
  for (const ConvCase& c : cases) {
    auto got = Call("pool_output_shape", [&] {
      return graded::pool_output_shape(c.n_H_prev, c.n_W_prev, c.f, c.stride);
    });
    if (!got) return;
    EXPECT_TRUE(got->n_H == c.want.n_H && got->n_W == c.want.n_W)
        << "pool_output_shape(" << c.n_H_prev << ", " << c.n_W_prev
        << ", f = " << c.f << ", stride = " << c.stride << ") = " << Size(*got)
        << ", expected " << Size(c.want) << " (" << c.where
        << ")\n    hint: n_H = floor((n_H_prev - f) / stride) + 1: pooling "
        << "has no padding";
  }
}

TEST(PoolOutputShape, AgainstReference) {
  RandomState rng(2);
  for (int k = 0; k < 300; ++k) {
    const int f = static_cast<int>(rng.randint(1, 8));
    const int stride = static_cast<int>(rng.randint(1, 5));
    const int64_t n_H = rng.randint(f, 301), n_W = rng.randint(f, 301);
    auto got = Call("pool_output_shape", [&] {
      return graded::pool_output_shape(n_H, n_W, f, stride);
    });
    if (!got) return;
    const OutputSize want = reference::pool_output_shape(n_H, n_W, f, stride);
    if (got->n_H != want.n_H || got->n_W != want.n_W) {
      ADD_FAILURE() << "pool_output_shape(" << n_H << ", " << n_W
                    << ", f = " << f << ", stride = " << stride
                    << ") = " << Size(*got) << ", expected " << Size(want);
      return;
    }
  }
}

// --------------------------------------------------- conv_layer_parameters

TEST(ConvLayerParameters, CourseExamples) {
  struct Case {
    int f;
    int64_t n_C_prev, n_C, want;
    const char* where;
  };
  const std::vector<Case> cases = {
      {3, 3, 10, 280, "lecture: 10 filters 3x3x3 (27 weights + 1 bias each)"},
      {5, 3, 100, 7600, "quiz: 100 filters 5x5 on a 300x300 RGB picture"},
      {5, 3, 8, 608, "lecture's table: CONV1"},
      {5, 8, 16, 3216, "lecture's table: CONV2"},
      {5, 1, 6, 156, "LeNet-5 conv1"},
      {5, 6, 16, 2416, "LeNet-5 conv2"},
      {11, 3, 96, 34944, "AlexNet conv1"},
      {3, 3, 64, 1792, "VGG-16 block1_conv1"},
      {3, 512, 512, 2359808, "VGG-16 block5_conv1"},
      {1, 256, 64, 16448, "a 1x1 convolution (ResNet)"},
  };
  for (const Case& c : cases) {
    auto got = Call("conv_layer_parameters", [&] {
      return graded::conv_layer_parameters(c.f, c.n_C_prev, c.n_C);
    });
    if (!got) return;
    EXPECT_TRUE(*got == c.want)
        << "conv_layer_parameters(f = " << c.f << ", n_C_prev = " << c.n_C_prev
        << ", n_C = " << c.n_C << ") = " << *got << ", expected " << c.want
        << " (" << c.where
        << ")\n    hint: (f f n_C_prev + 1) n_C: every filter has f f n_C_prev "
           "weights (it spans all the input's channels) and one bias";
  }
}

TEST(ConvLayerParameters, AgainstReference) {
  RandomState rng(3);
  for (int k = 0; k < 200; ++k) {
    const int f = static_cast<int>(rng.randint(1, 12));
    const int64_t n_C_prev = rng.randint(1, 4097), n_C = rng.randint(1, 4097);
    auto got = Call("conv_layer_parameters", [&] {
      return graded::conv_layer_parameters(f, n_C_prev, n_C);
    });
    if (!got) return;
    const int64_t want = reference::conv_layer_parameters(f, n_C_prev, n_C);
    if (*got != want) {
      ADD_FAILURE() << "conv_layer_parameters(f = " << f
                    << ", n_C_prev = " << n_C_prev << ", n_C = " << n_C
                    << ") = " << *got << ", expected " << want;
      return;
    }
  }
}

// -------------------------------------------------- dense_layer_parameters

TEST(DenseLayerParameters, CourseExamples) {
  struct Case {
    int64_t n_prev, n, want;
    const char* where;
  };
  const std::vector<Case> cases = {
      {300 * 300 * 3, 100, 27000100,
       "quiz: a 300x300 RGB picture into 100 units"},
      {400, 120, 48120, "lecture's table: FC3 (the 5x5x16 volume unrolled)"},
      {120, 84, 10164, "lecture's table: FC4"},
      {84, 10, 850, "lecture's table: softmax"},
      {7 * 7 * 512, 4096, 102764544, "VGG-16 fc1"},
      {1000000, 100000, 100000100000, "10^11: needs 64-bit integers"},
  };
  for (const Case& c : cases) {
    auto got = Call("dense_layer_parameters", [&] {
      return graded::dense_layer_parameters(c.n_prev, c.n);
    });
    if (!got) return;
    EXPECT_TRUE(*got == c.want)
        << "dense_layer_parameters(n_prev = " << c.n_prev << ", n = " << c.n
        << ") = " << *got << ", expected " << c.want << " (" << c.where
        << ")\n    hint: (n_prev + 1) n: each unit has n_prev weights and one "
           "bias";
  }
}

TEST(DenseLayerParameters, AgainstReference) {
  RandomState rng(4);
  for (int k = 0; k < 200; ++k) {
    const int64_t n_prev = rng.randint(1, 100001), n = rng.randint(1, 5001);
    auto got = Call("dense_layer_parameters",
                    [&] { return graded::dense_layer_parameters(n_prev, n); });
    if (!got) return;
    const int64_t want = reference::dense_layer_parameters(n_prev, n);
    if (*got != want) {
      ADD_FAILURE() << "dense_layer_parameters(n_prev = " << n_prev
                    << ", n = " << n << ") = " << *got << ", expected " << want;
      return;
    }
  }
}

// --------------------------------------------------------------- summarize

struct WantRow {
  nn::Shape shape;
  int64_t size, params;
};

std::string Str(const SummaryRow& r) {
  return r.name + " " + shape_string(r.shape) + " size " +
         std::to_string(r.size) + " params " + std::to_string(r.params);
}

// The rows' shapes, sizes and parameters (not the names).
testing::AssertionResult SameRows(const std::string& function,
                                  const std::string& network,
                                  const Summary& got,
                                  const std::vector<WantRow>& want,
                                  int64_t want_total) {
  if (got.rows.size() != want.size()) {
    return testing::AssertionFailure()
           << function << "(" << network << "): " << got.rows.size()
           << " rows, expected " << want.size()
           << " (a row for the input, then one per layer)";
  }
  for (size_t k = 0; k < want.size(); ++k) {
    const SummaryRow& g = got.rows[k];
    const WantRow& w = want[k];
    const std::string row = k == 0 ? "the input row"
                                   : "row " + std::to_string(k) + " (layer " +
                                         std::to_string(k) + ")";
    if (g.shape != w.shape) {
      return testing::AssertionFailure()
             << function << "(" << network << "): " << row << " has shape "
             << shape_string(g.shape) << ", expected " << shape_string(w.shape)
             << " (" << Str(g) << ")";
    }
    if (g.size != w.size) {
      return testing::AssertionFailure()
             << function << "(" << network << "): " << row
             << " has activation size " << g.size << ", expected " << w.size
             << ": the product of its shape";
    }
    if (g.params != w.params) {
      return testing::AssertionFailure()
             << function << "(" << network << "): " << row << " has "
             << g.params << " parameters, expected " << w.params << " ("
             << Str(g) << ")";
    }
  }
  if (got.total_params != want_total) {
    return testing::AssertionFailure()
           << function << "(" << network << "): total_params "
           << got.total_params << ", expected " << want_total
           << " (the sum of the rows)";
  }
  return testing::AssertionSuccess();
}

// The lecture's "neural network example" (LeNet-5-like) and its table.
TEST(Summarize, LectureTable) {
  Network net;
  net.name = "the lecture's example";
  net.input_shape = {32, 32, 3};
  net.layers = {Conv("CONV1", 8, 5),
                MaxPool("POOL1", 2, 2),
                Conv("CONV2", 16, 5),
                MaxPool("POOL2", 2, 2),
                Dense("FC3", 120),
                Dense("FC4", 84),
                Dense("Softmax", 10, "softmax")};
  auto got = Call("summarize", [&] { return graded::summarize(net); });
  if (!got) return;
  EXPECT_TRUE(SameRows("summarize", net.name, *got,
                       {{{32, 32, 3}, 3072, 0},
                        {{28, 28, 8}, 6272, 608},
                        {{14, 14, 8}, 1568, 0},
                        {{10, 10, 16}, 1600, 3216},
                        {{5, 5, 16}, 400, 0},
                        {{120}, 120, 48120},
                        {{84}, 84, 10164},
                        {{10}, 10, 850}},
                       62958));
}

TEST(Summarize, ClassicTotals) {
  struct Case {
    Network net;
    int64_t total;
  };
  for (const Case& c :
       {Case{reference::lenet5(), 61706}, Case{reference::alexnet(), 62378344},
        Case{reference::vgg16(), 138357544}}) {
    auto got = Call("summarize", [&] { return graded::summarize(c.net); });
    if (!got) return;
    const Summary want = reference::summarize(c.net);
    std::vector<WantRow> rows;
    for (const SummaryRow& r : want.rows) {
      rows.push_back({r.shape, r.size, r.params});
    }
    EXPECT_TRUE(SameRows("summarize", c.net.name, *got, rows, c.total));
  }
}

// A random valid network: convolutions and pools while the volume is
// large enough, then dense layers.
Network RandomNetwork(RandomState& rng, int index) {
  Network net;
  net.name = "random network " + std::to_string(index);
  int64_t n_H = rng.randint(8, 65), n_W = rng.randint(8, 65);
  net.input_shape = {n_H, n_W, rng.randint(1, 5)};
  const int volume_layers = static_cast<int>(rng.randint(1, 6));
  for (int k = 0; k < volume_layers; ++k) {
    const std::string name = "layer" + std::to_string(k + 1);
    if (rng.random_sample() < 0.6) {
      const int f = static_cast<int>(rng.randint(1, 6));
      const int s = static_cast<int>(rng.randint(1, 3));
      const int p = static_cast<int>(rng.randint(0, 3));
      if (n_H + 2 * p < f || n_W + 2 * p < f) break;
      net.layers.push_back(
          Conv(name, static_cast<int>(rng.randint(1, 33)), f, s, p));
      n_H = (n_H + 2 * p - f) / s + 1;
      n_W = (n_W + 2 * p - f) / s + 1;
    } else {
      const int f = static_cast<int>(rng.randint(1, 4));
      const int s = static_cast<int>(rng.randint(1, 4));
      if (n_H < f || n_W < f) break;
      net.layers.push_back(rng.random_sample() < 0.5 ? MaxPool(name, f, s)
                                                     : AvgPool(name, f, s));
      n_H = (n_H - f) / s + 1;
      n_W = (n_W - f) / s + 1;
    }
  }
  const int dense_layers = static_cast<int>(rng.randint(0, 3));
  for (int k = 0; k < dense_layers; ++k) {
    net.layers.push_back(Dense("fc" + std::to_string(k + 1),
                               static_cast<int>(rng.randint(1, 200))));
  }
  return net;
}

TEST(Summarize, AgainstReference) {
  RandomState rng(5);
  for (int k = 0; k < 100; ++k) {
    const Network net = RandomNetwork(rng, k);
    auto got = Call("summarize", [&] { return graded::summarize(net); });
    if (!got) return;
    const Summary want = reference::summarize(net);
    std::vector<WantRow> rows;
    for (const SummaryRow& r : want.rows) {
      rows.push_back({r.shape, r.size, r.params});
    }
    const testing::AssertionResult same = SameRows(
        "summarize", net.name + ", input " + shape_string(net.input_shape),
        *got, rows, want.total_params);
    if (!same) {
      ADD_FAILURE() << same.message();
      return;
    }
    for (size_t r = 1; r < want.rows.size(); ++r) {
      if (got->rows[r].name != want.rows[r].name) {
        ADD_FAILURE() << "summarize: row " << r << " is named \""
                      << got->rows[r].name << "\", expected the layer's name \""
                      << want.rows[r].name << "\"";
        return;
      }
    }
  }
}

// ---------------------------------------------------- the three networks

struct WantLayer {
  LayerKind kind;
  nn::Shape shape;
  int64_t params;
};

const char* KindName(LayerKind kind) {
  switch (kind) {
    case LayerKind::kConv:
      return "Conv";
    case LayerKind::kMaxPool:
      return "MaxPool";
    case LayerKind::kAvgPool:
      return "AvgPool";
    case LayerKind::kDense:
      return "Dense";
  }
  return "?";
}

// The network's input, layer kinds, output shapes and parameters (computed
// with the reference's summarize), its activations, and its total.
void ExpectNetwork(const std::string& function, const Network& got,
                   const nn::Shape& input, const std::vector<WantLayer>& want,
                   const std::vector<std::string>& hidden_activations,
                   int64_t total) {
  ASSERT_TRUE(got.input_shape == input)
      << function << ": input_shape " << shape_string(got.input_shape)
      << ", expected " << shape_string(input);
  std::string kinds;
  for (const Layer& l : got.layers) {
    kinds += (kinds.empty() ? "" : ", ") + std::string(KindName(l.kind));
  }
  ASSERT_TRUE(got.layers.size() == want.size())
      << function << ": " << got.layers.size() << " layers (" << kinds
      << "), expected " << want.size();
  Summary summary;
  try {
    summary = reference::summarize(got);
  } catch (const std::exception& e) {
    FAIL() << function << ": the layers do not fit: " << e.what();
  }
  for (size_t k = 0; k < want.size(); ++k) {
    const Layer& l = got.layers[k];
    const SummaryRow& row = summary.rows[k + 1];
    const std::string which = function + ": layer " + std::to_string(k + 1) +
                              " (" + l.name + ", " + KindName(l.kind) + ")";
    ASSERT_TRUE(l.kind == want[k].kind)
        << which << " should be a " << KindName(want[k].kind)
        << "; the layers: " << kinds;
    ASSERT_TRUE(row.shape == want[k].shape)
        << which << " outputs " << shape_string(row.shape) << ", expected "
        << shape_string(want[k].shape)
        << "\n    hint: its f, stride and pad (\"same\" at stride 1 is "
           "pad = (f - 1) / 2)";
    ASSERT_TRUE(row.params == want[k].params)
        << which << " has " << row.params << " parameters, expected "
        << want[k].params;
    if (l.kind == LayerKind::kConv || l.kind == LayerKind::kDense) {
      const bool last = k + 1 == want.size();
      bool ok = false;
      if (last) {
        ok = l.activation == "softmax";
      } else {
        for (const std::string& a : hidden_activations) ok |= l.activation == a;
      }
      std::string allowed;
      for (const std::string& a : hidden_activations) {
        allowed += (allowed.empty() ? "" : " or ") + a;
      }
      EXPECT_TRUE(ok) << which << " has activation \"" << l.activation
                      << "\", expected " << (last ? "softmax" : allowed);
    }
  }
  EXPECT_TRUE(summary.total_params == total)
      << function << ": " << summary.total_params
      << " parameters in all, expected " << total;
}

TEST(Lenet5, Layers) {
  auto got = Call("lenet5", [&] { return graded::lenet5(); });
  if (!got) return;
  using K = LayerKind;
  ExpectNetwork("lenet5", *got, {32, 32, 1},
                {{K::kConv, {28, 28, 6}, 156},
                 {K::kAvgPool, {14, 14, 6}, 0},
                 {K::kConv, {10, 10, 16}, 2416},
                 {K::kAvgPool, {5, 5, 16}, 0},
                 {K::kDense, {120}, 48120},
                 {K::kDense, {84}, 10164},
                 {K::kDense, {10}, 850}},
                {"tanh", "sigmoid", "relu"}, 61706);
}

// The given make_model turns your LeNet-5 into an nn::Model with the same
// count (the Keras-style check of your table).
TEST(Lenet5, AsModel) {
  auto got = Call("lenet5",
                  [&] { return classic_nets::make_model(graded::lenet5()); });
  if (!got) return;
  nn::Model<float>& model = *got;
  EXPECT_TRUE(model.CountParameters() == 61706)
      << "lenet5: the nn::Model made from it has " << model.CountParameters()
      << " parameters, LeNet-5 has 61,706\n"
      << model.Summary();
  EXPECT_TRUE(model.shape(model.output()) == nn::Shape{10})
      << "lenet5: the model's output is "
      << nn::KerasShapeString(model.shape(model.output()))
      << ", expected (None, 10)";
}

TEST(Alexnet, Layers) {
  auto got = Call("alexnet", [&] { return graded::alexnet(); });
  if (!got) return;
  using K = LayerKind;
  ExpectNetwork("alexnet", *got, {227, 227, 3},
                {{K::kConv, {55, 55, 96}, 34944},
                 {K::kMaxPool, {27, 27, 96}, 0},
                 {K::kConv, {27, 27, 256}, 614656},
                 {K::kMaxPool, {13, 13, 256}, 0},
                 {K::kConv, {13, 13, 384}, 885120},
                 {K::kConv, {13, 13, 384}, 1327488},
                 {K::kConv, {13, 13, 256}, 884992},
                 {K::kMaxPool, {6, 6, 256}, 0},
                 {K::kDense, {4096}, 37752832},
                 {K::kDense, {4096}, 16781312},
                 {K::kDense, {1000}, 4097000}},
                {"relu"}, 62378344);
}

TEST(Vgg16, Layers) {
  auto got = Call("vgg16", [&] { return graded::vgg16(); });
  if (!got) return;
  using K = LayerKind;
  std::vector<WantLayer> want;
  int64_t n = 224, C = 3;
  const int filters[5] = {64, 128, 256, 512, 512};
  const int convs[5] = {2, 2, 3, 3, 3};
  for (int b = 0; b < 5; ++b) {
    for (int c = 0; c < convs[b]; ++c) {
      want.push_back({K::kConv, {n, n, filters[b]}, (9 * C + 1) * filters[b]});
      C = filters[b];
    }
    n /= 2;
    want.push_back({K::kMaxPool, {n, n, C}, 0});
  }
  want.push_back({K::kDense, {4096}, 102764544});
  want.push_back({K::kDense, {4096}, 16781312});
  want.push_back({K::kDense, {1000}, 4097000});
  ExpectNetwork("vgg16", *got, {224, 224, 3}, want, {"relu"}, 138357544);
}

}  // namespace
