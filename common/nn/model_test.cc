// Tests of common/model: Keras's summaries and parameter counts of the
// course's two models (convolutional_model 1,310; happyModel 37,633 with 64
// non-trainable), a functional graph with a skip connection checked end to
// end by finite differences, Adam and SGD against their formulas, training
// on a small set, and float against double.

#include "common/nn/model.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/nn/layers.h"
#include "gtest/gtest.h"

namespace dl {
namespace nn {
namespace {

using ArrayD = Array<double>;

ArrayD Randn(RandomState& rng, const Shape& shape, double scale = 1.0) {
  ArrayD a(shape);
  for (Index i = 0; i < a.size(); ++i) a[i] = scale * rng.standard_normal();
  return a;
}

// The course's convolutional_model(input_shape), functional.
template <typename T>
void ConvolutionalModel(Model<T>& model, const Shape& input_shape) {
  Node input = model.Input(input_shape);
  Node Z1 = model.Add(Conv2D(8, 4, 1, "same"), input);
  Node A1 = model.Add(ReLU(), Z1);
  Node P1 = model.Add(MaxPool2D(8, 8, "same"), A1);
  Node Z2 = model.Add(Conv2D(16, 2, 1, "same"), P1);
  Node A2 = model.Add(ReLU(), Z2);
  Node P2 = model.Add(MaxPool2D(4, 4, "same"), A2);
  Node F = model.Add(Flatten(), P2);
  model.Output(model.Add(Dense(6), F));
}

// The course's happyModel(), sequential.
template <typename T>
void HappyModel(Model<T>& model) {
  model.Input({64, 64, 3});
  model.Add(ZeroPadding2D(3));
  model.Add(Conv2D(32, 7, 1));
  model.Add(BatchNormalization(3));
  model.Add(ReLU());
  model.Add(MaxPool2D());
  model.Add(Flatten());
  model.Add(Dense(1));
}

TEST(Summary, ConvolutionalModel) {
  Model<float> model;
  ConvolutionalModel(model, {64, 64, 3});
  EXPECT_EQ(model.CountParameters(), 1310);
  EXPECT_EQ(model.CountTrainableParameters(), 1310);
  EXPECT_EQ(model.CountNonTrainableParameters(), 0);
  const std::string got = model.Summary();
  // Keras's layout: a title, the header, one row per layer (name (type),
  // output shape, parameter count) in aligned columns; the name column is
  // widened to the longest name instead of cutting it.
  EXPECT_EQ(got.substr(0, 15), "Model: \"model\"\n");
  const std::vector<std::string> rows = {
      "input_1 (InputLayer)|[(None, 64, 64, 3)]|0",
      "conv2d (Conv2D)|(None, 64, 64, 8)|392",
      "re_lu (ReLU)|(None, 64, 64, 8)|0",
      "max_pooling2d (MaxPooling2D)|(None, 8, 8, 8)|0",
      "conv2d_1 (Conv2D)|(None, 8, 8, 16)|528",
      "re_lu_1 (ReLU)|(None, 8, 8, 16)|0",
      "max_pooling2d_1 (MaxPooling2D)|(None, 2, 2, 16)|0",
      "flatten (Flatten)|(None, 64)|0",
      "dense (Dense)|(None, 6)|390",
  };
  const size_t header = got.find("Layer (type)");
  ASSERT_NE(header, std::string::npos) << got;
  const size_t line_start = got.rfind('\n', header) + 1;
  const size_t shape_col = got.find("Output Shape", header) - line_start;
  const size_t param_col = got.find("Param #", header) - line_start;
  size_t at = header;
  for (const std::string& row : rows) {
    const size_t bar1 = row.find('|'), bar2 = row.rfind('|');
    const std::string name = row.substr(0, bar1);
    const std::string shape = row.substr(bar1 + 1, bar2 - bar1 - 1);
    const std::string params = row.substr(bar2 + 1);
    at = got.find("\n" + name, at);
    ASSERT_NE(at, std::string::npos) << name << "\n" << got;
    const std::string line =
        got.substr(at + 1, got.find('\n', at + 1) - at - 1);
    EXPECT_EQ(line.substr(shape_col, shape.size()), shape) << line;
    EXPECT_EQ(line.substr(param_col), params) << line;
    ++at;
  }
  EXPECT_NE(got.find("Total params: 1,310\nTrainable params: 1,310\n"
                     "Non-trainable params: 0\n"),
            std::string::npos)
      << got;
  EXPECT_EQ(got.find("Connected to"), std::string::npos);  // a chain
}

TEST(Summary, HappyModel) {
  Model<float> model;
  HappyModel(model);
  EXPECT_EQ(model.CountParameters(), 37633);
  EXPECT_EQ(model.CountNonTrainableParameters(), 64);
  const std::string got = model.Summary();
  EXPECT_EQ(got.find("input_1"), std::string::npos) << got;  // Sequential
  for (const char* row :
       {"conv2d (Conv2D)", "(None, 64, 64, 32)", "4736",
        "batch_normalization (BatchNormalization)", "128", "re_lu (ReLU)",
        "max_pooling2d (MaxPooling2D)", "(None, 32, 32, 32)",
        "flatten (Flatten)", "(None, 32768)", "dense (Dense)", "(None, 1)",
        "32769", "Total params: 37,633", "Trainable params: 37,569",
        "Non-trainable params: 64"}) {
    EXPECT_NE(got.find(row), std::string::npos) << row << "\n" << got;
  }
  EXPECT_EQ(model.shape(model.output()), (Shape{1}));
}

// A small ResNet-style graph: a convolution, batch norm, dropout, a skip
// connection whose input feeds two layers, and named layers.
template <typename T>
Node SkipModel(Model<T>& model) {
  Node input = model.Input({5, 4, 2});
  Node x = model.Add(Conv2D(3, 3, 1, "same").Named("conv_a"), input);
  Node shortcut = x;
  x = model.Add(BatchNormalization(3), x);
  x = model.Add(Activation("tanh"), x);
  x = model.Add(Conv2D(3, 2, 1, "same"), x);
  x = model.Add(Add(), x, shortcut);
  x = model.Add(Dropout(0.3), x);
  x = model.Add(AveragePool2D(2, 2, "same"), x);
  x = model.Add(Flatten(), x);
  x = model.Add(Dense(3), x);
  model.Output(x);
  return x;
}

TEST(Model, FunctionalSummaryAndNames) {
  Model<double> model("skip");
  SkipModel(model);
  const std::string got = model.Summary();
  EXPECT_NE(got.find("Model: \"skip\""), std::string::npos);
  EXPECT_NE(got.find("Connected to"), std::string::npos) << got;
  EXPECT_NE(got.find("conv_a (Conv2D)"), std::string::npos) << got;
  EXPECT_NE(got.find("add (Add)"), std::string::npos) << got;
  EXPECT_NE(got.find("conv2d[0][0]"), std::string::npos) << got;
  EXPECT_NE(got.find("conv_a[0][0]"), std::string::npos) << got;
  EXPECT_NE(model.GetLayer("conv_a"), nullptr);
  EXPECT_EQ(model.GetLayer("conv_a")->type(), "Conv2D");
  EXPECT_EQ(model.num_layers(), 9);
  EXPECT_EQ(model.layer(1).name(), "batch_normalization");
  EXPECT_THROW(model.Add(Dense(2).Named("conv_a")), std::invalid_argument);
  EXPECT_THROW(model.Add(Add(), model.inputs()[0], model.output()),
               std::invalid_argument);
  std::vector<std::string> names;
  for (const auto& p : model.Parameters()) names.push_back(p.name);
  EXPECT_EQ(names.front(), "conv_a/kernel");
  EXPECT_NE(std::find(names.begin(), names.end(),
                      "batch_normalization/moving_variance"),
            names.end());
  EXPECT_EQ(model.Parameters(/*trainable_only=*/true).size(), 8u);
}

// Every trainable parameter and the input against centered differences of
// the loss through the whole graph (training mode: batch statistics, the
// dropout mask replayed).
TEST(Model, GradientsMatchFiniteDifferences) {
  Model<double> model("skip", 3);
  SkipModel(model);
  model.Compile(SGD(0.1), Loss::kSoftmaxCrossEntropy);
  RandomState rng(4);
  for (const auto& p : model.Parameters()) {
    if (p.name.find("moving") != std::string::npos) continue;
    for (Index i = 0; i < p.parameter->value.size(); ++i) {
      p.parameter->value[i] = 0.5 * rng.standard_normal();
    }
  }
  ArrayD x = Randn(rng, {3, 5, 4, 2});
  const std::vector<int> labels = {2, 0, 1};
  Layer<double>* dropout = model.GetLayer("dropout");
  ASSERT_NE(dropout, nullptr);
  const auto loss = [&]() {
    SetDropoutSeed(*dropout, 11);
    return SoftmaxCrossEntropy(model.Forward(x, true), labels);
  };
  SetDropoutSeed(*dropout, 11);
  ArrayD dout;
  SoftmaxCrossEntropy(model.Forward(x, true), labels, &dout);
  model.Backward(dout, /*input_gradients=*/true);
  const auto check = [&](const std::string& name, ArrayD& value,
                         const ArrayD& analytic) {
    ArrayD numeric(value.shape());
    for (Index i = 0; i < value.size(); ++i) {
      const double keep = value[i];
      value[i] = keep + 1e-6;
      const double plus = loss();
      value[i] = keep - 1e-6;
      const double minus = loss();
      value[i] = keep;
      numeric[i] = (plus - minus) / 2e-6;
    }
    const double rel = (analytic.vec() - numeric.vec()).norm() /
                       (analytic.vec().norm() + numeric.vec().norm());
    EXPECT_LT(rel, 1e-7) << name;
  };
  check("input", x, ArrayD(model.InputGradient()));
  for (const auto& p : model.Parameters(/*trainable_only=*/true)) {
    const ArrayD analytic = p.parameter->grad;
    check(p.name, p.parameter->value, analytic);
  }
}

// Gradients given at two nodes (a hidden layer used by the next one, and
// the output), as neural style transfer gives them: J = <G_a, a> +
// <G_out, out>, checked by finite differences on the input.
TEST(Model, GradientsAtSeveralNodesMatchFiniteDifferences) {
  Model<double> model("", 5);
  Node input = model.Input({5, 4, 2});
  Conv2D conv(3, 3, 1, "same");
  conv.activation = "relu";
  Node a = model.Add(conv, input);
  Node b = model.Add(Conv2D(2, 2, 1, "valid"), a);
  model.Output(model.Add(Dense(3), model.Add(Flatten(), b)));
  RandomState rng(6);
  ArrayD x = Randn(rng, {2, 5, 4, 2});
  const ArrayD g_a = Randn(rng, {2, 5, 4, 3});
  const ArrayD g_out = Randn(rng, {2, 3});
  const auto cost = [&]() {
    const ArrayD& out = model.Forward(x);
    return model.value(a).vec().dot(g_a.vec()) + out.vec().dot(g_out.vec());
  };
  cost();
  model.Backward({{a, &g_a}, {model.output(), &g_out}},
                 /*input_gradients=*/true);
  const ArrayD analytic = model.InputGradient();
  ArrayD numeric(x.shape());
  for (Index i = 0; i < x.size(); ++i) {
    const double keep = x[i];
    x[i] = keep + 1e-6;
    const double plus = cost();
    x[i] = keep - 1e-6;
    const double minus = cost();
    x[i] = keep;
    numeric[i] = (plus - minus) / 2e-6;
  }
  const double rel = (analytic.vec() - numeric.vec()).norm() /
                     (analytic.vec().norm() + numeric.vec().norm());
  EXPECT_LT(rel, 1e-7);
  // The hidden node alone: the layers after it get no gradient.
  cost();
  model.Backward({{a, &g_a}}, /*input_gradients=*/true);
  for (const auto& p : model.Parameters()) {
    if (p.name.rfind("dense", 0) == 0) {
      EXPECT_EQ(p.parameter->grad.vec().norm(), 0) << p.name;
    }
  }
  EXPECT_EQ(model.GetNode(model.layer_of(a).name()).id, a.id);
  EXPECT_FALSE(model.GetNode("no such layer").valid());
  EXPECT_THROW(model.Backward({{a, &g_a}, {a, &g_a}}), std::invalid_argument);
  EXPECT_THROW(model.Backward({{a, &g_out}}), std::invalid_argument);
}

// The identity, with no parameters, that records whether Backward asked it
// for its input's gradient.
class Probe : public Layer<double> {
 public:
  std::string type() const override { return "Probe"; }
  std::string default_name() const override { return "probe"; }
  int backward_calls = 0, dx_asked = 0;

 protected:
  Shape DoBuild(const std::vector<Shape>& in, RandomState&) override {
    return in[0];
  }
  void DoForward(const std::vector<const ArrayD*>& inputs, ArrayD* output,
                 bool) override {
    *output = *inputs[0];
  }
  void DoBackward(const std::vector<const ArrayD*>&, const ArrayD&,
                  const ArrayD& doutput,
                  const std::vector<ArrayD*>& dinputs) override {
    ++backward_calls;
    if (dinputs[0] == nullptr) return;
    ++dx_asked;
    *dinputs[0] = doutput;
  }
};

// Backward computes only the gradients that serve something: before the
// first trainable layer (e.g. ZeroPadding2D then Conv2D on the input, or a
// frozen base), no layer is asked for its input's gradient, unless the
// input's gradient is asked for.
TEST(Model, BackwardSkipsGradientsNothingUses) {
  Model<double> model("", 7);
  Node input = model.Input({4});
  auto first = std::make_unique<Probe>(), second = std::make_unique<Probe>();
  Probe* p1 = first.get();
  Probe* p2 = second.get();
  Node a = model.AddLayer(std::move(first), {input});
  Node b = model.AddLayer(std::move(second), {a});
  model.Output(model.Add(Dense(2), b));
  RandomState rng(8);
  const ArrayD x = Randn(rng, {3, 4});
  const ArrayD g = Randn(rng, {3, 2});
  model.Forward(x);
  model.Backward(g);
  EXPECT_EQ(p2->backward_calls, 0) << "the probes' gradients serve nothing";
  EXPECT_EQ(p1->backward_calls, 0);
  Layer<double>& dense = model.layer_of(model.output());
  EXPECT_NE(dense.parameter("kernel")->grad.vec().norm(), 0);
  // The input's gradient asked for: every layer passes it back.
  model.Backward(g, /*input_gradients=*/true);
  EXPECT_EQ(p2->dx_asked, 1);
  EXPECT_EQ(p1->dx_asked, 1);
  EXPECT_EQ(model.InputGradient().shape(), x.shape());
  // A trainable layer between the probes: the second one passes the
  // gradient back to it, the first one is not called.
  Model<double> chain("", 9);
  auto third = std::make_unique<Probe>(), fourth = std::make_unique<Probe>();
  Probe* p3 = third.get();
  Probe* p4 = fourth.get();
  Node c = chain.AddLayer(std::move(third), {chain.Input({4})});
  Node d = chain.AddLayer(std::move(fourth), {chain.Add(Dense(3), c)});
  chain.Output(chain.Add(Dense(2), d));
  chain.Forward(x);
  chain.Backward(g);
  EXPECT_EQ(p4->dx_asked, 1);
  EXPECT_EQ(p3->backward_calls, 0);
  // Both dense layers frozen: no gradient flows at all.
  for (int k : {1, 3}) {
    for (Parameter<double>& p : chain.layer(k).parameters()) {
      p.trainable = false;
    }
  }
  chain.Backward(g);
  EXPECT_EQ(p4->backward_calls, 1);
}

// Keras's Adam: lr_t = lr sqrt(1 - b2^t) / (1 - b1^t),
// p -= lr_t m / (sqrt(v) + eps).
TEST(Optimizers, AdamAndSgdFollowKeras) {
  RandomState rng(5);
  const ArrayD x = Randn(rng, {4, 3});
  const std::vector<int> labels = {1, 0, 1, 1};
  for (bool adam : {true, false}) {
    Model<double> model("", 1);
    model.Input({3});
    model.Add(Dense(1));
    if (adam) {
      model.Compile(Adam(0.01), Loss::kBinaryCrossEntropy);
    } else {
      model.Compile(SGD(0.1), Loss::kBinaryCrossEntropy);
    }
    Parameter<double>& W = *model.layer(0).parameter("kernel");
    ArrayD w = W.value, m(w.shape()), v(w.shape());
    for (int t = 1; t <= 3; ++t) {
      model.ComputeGradients(x, labels);
      const ArrayD g = W.grad;
      model.ApplyGradients();
      if (adam) {
        const double lr_t =
            0.01 * std::sqrt(1 - std::pow(0.999, t)) / (1 - std::pow(0.9, t));
        for (Index i = 0; i < w.size(); ++i) {
          m[i] = 0.9 * m[i] + 0.1 * g[i];
          v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
          w[i] -= lr_t * m[i] / (std::sqrt(v[i]) + 1e-7);
        }
      } else {
        for (Index i = 0; i < w.size(); ++i) w[i] -= 0.1 * g[i];
      }
      for (Index i = 0; i < w.size(); ++i) {
        EXPECT_NEAR(W.value[i], w[i], 1e-14) << (adam ? "adam" : "sgd");
      }
    }
  }
}

// Two classes of 8x8 pictures: a bright square top-left or bottom-right.
void Squares(int m, uint32_t seed, Array<float>* X, std::vector<int>* y) {
  RandomState rng(seed);
  *X = Array<float>({m, 8, 8, 1});
  y->resize(m);
  for (int i = 0; i < m; ++i) {
    (*y)[i] = static_cast<int>(rng.randint(0, 2));
    const int o = (*y)[i] == 0 ? 0 : 4;
    for (int h = 0; h < 8; ++h)
      for (int w = 0; w < 8; ++w) {
        const bool in = h >= o && h < o + 4 && w >= o && w < o + 4;
        (*X)(i, h, w, 0) =
            float((in ? 0.8 : 0.2) + 0.1 * rng.standard_normal());
      }
  }
}

TEST(Training, LearnsASmallSet) {
  Array<float> X, Xt;
  std::vector<int> y, yt;
  Squares(96, 1, &X, &y);
  Squares(40, 2, &Xt, &yt);
  for (Loss loss : {Loss::kSoftmaxCrossEntropy, Loss::kBinaryCrossEntropy}) {
    Model<float> model("", 0);
    model.Input({8, 8, 1});
    model.Add(Conv2D(4, 3, 1, "same"));
    model.Add(BatchNormalization(3));
    model.Add(ReLU());
    model.Add(MaxPool2D(2));
    model.Add(Flatten());
    model.Add(Dense(loss == Loss::kBinaryCrossEntropy ? 1 : 2));
    model.Compile(Adam(0.01), loss);
    RandomState rng(0);
    Metrics first, last;
    for (int epoch = 0; epoch < 15; ++epoch) {
      last = model.TrainEpoch(X, y, 16, rng);
      if (epoch == 0) first = last;
    }
    EXPECT_LT(last.loss, first.loss);
    EXPECT_GE(last.accuracy, 0.95);
    const Metrics test = model.Evaluate(Xt, yt);
    EXPECT_GE(test.accuracy, 0.95);
    // Evaluate, PredictClasses and Predict agree, whatever the batch size.
    const std::vector<int> classes = model.PredictClasses(Xt, 7);
    int correct = 0;
    for (size_t i = 0; i < yt.size(); ++i) correct += classes[i] == yt[i];
    EXPECT_DOUBLE_EQ(test.accuracy, correct / double(yt.size()));
    const Array<float> a = model.Predict(Xt, 3), b = model.Predict(Xt, 40);
    EXPECT_LT((a.vec() - b.vec()).cwiseAbs().maxCoeff(), 1e-5);
    const Array<float> p = model.PredictProbabilities(Xt);
    EXPECT_GE(p.vec().minCoeff(), 0.0f);
    EXPECT_LE(p.vec().maxCoeff(), 1.0f);
  }
}

TEST(Model, FloatMatchesDouble) {
  Model<double> d("", 7);
  Model<float> f("", 7);
  ConvolutionalModel(d, {16, 16, 3});
  ConvolutionalModel(f, {16, 16, 3});
  auto pd = d.Parameters();
  auto pf = f.Parameters();
  ASSERT_EQ(pd.size(), pf.size());
  for (size_t k = 0; k < pd.size(); ++k) {
    // The same draws, rounded to float.
    EXPECT_LT((Cast<float>(pd[k].parameter->value).vec() -
               pf[k].parameter->value.vec())
                  .cwiseAbs()
                  .maxCoeff(),
              1e-7f);
    pf[k].parameter->value = Cast<float>(pd[k].parameter->value);
  }
  RandomState rng(8);
  const ArrayD x = Randn(rng, {5, 16, 16, 3});
  const Array<float> xf = Cast<float>(x);
  const ArrayD yd = d.Forward(x, true);
  const Array<float> yf = f.Forward(xf, true);
  EXPECT_LT((Cast<double>(yf).vec() - yd.vec()).cwiseAbs().maxCoeff(), 1e-5);
  d.Compile(Adam(), Loss::kSoftmaxCrossEntropy);
  f.Compile(Adam(), Loss::kSoftmaxCrossEntropy);
  const std::vector<int> labels = {0, 5, 2, 3, 1};
  EXPECT_NEAR(d.ComputeGradients(x, labels), f.ComputeGradients(xf, labels),
              1e-5);
  pd = d.Parameters();
  pf = f.Parameters();
  for (size_t k = 0; k < pd.size(); ++k) {
    const ArrayD& g = pd[k].parameter->grad;
    EXPECT_LT((Cast<double>(pf[k].parameter->grad).vec() - g.vec())
                  .cwiseAbs()
                  .maxCoeff(),
              1e-5 * (1 + g.vec().cwiseAbs().maxCoeff()))
        << pd[k].name;
  }
}

TEST(Model, Errors) {
  Model<float> model;
  EXPECT_THROW(model.Add(Dense(2)), std::logic_error);  // no Input yet
  model.Input({4, 4, 1});
  model.Add(Flatten());
  model.Add(Dense(3));
  EXPECT_THROW(model.Compile(Adam(), Loss::kBinaryCrossEntropy),
               std::invalid_argument);
  model.Compile(Adam(), Loss::kSoftmaxCrossEntropy);
  const Array<float> wrong({2, 4, 5, 1});
  EXPECT_THROW(model.Forward(wrong), std::invalid_argument);
  const Array<float> x({2, 4, 4, 1});
  EXPECT_THROW(model.ComputeGradients(x, {0}), std::invalid_argument);
  EXPECT_THROW(model.Add(Conv2D(2, 3), Node{42}), std::invalid_argument);
}

}  // namespace
}  // namespace nn
}  // namespace dl
