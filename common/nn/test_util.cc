#include "common/nn/test_util.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "common/core/blas.h"

namespace dl {
namespace nn {
namespace test {

Array<double> Randn(RandomState& rng, const Shape& shape, double scale) {
  Array<double> a(shape);
  for (Index i = 0; i < a.size(); ++i) a[i] = scale * rng.standard_normal();
  return a;
}

testing::AssertionResult Close(const Array<double>& got,
                               const Array<double>& want, double atol,
                               double rtol) {
  if (got.shape() != want.shape()) {
    return testing::AssertionFailure()
           << "shape " << ShapeString(got.shape()) << ", expected "
           << ShapeString(want.shape());
  }
  Index worst = -1;
  double worst_excess = 0;
  for (Index i = 0; i < got.size(); ++i) {
    const double excess =
        std::abs(got[i] - want[i]) - (atol + rtol * std::abs(want[i]));
    if (!(excess <= 0) && (worst < 0 || !(excess <= worst_excess))) {
      worst = i;
      worst_excess = excess;
    }
  }
  if (worst < 0) return testing::AssertionSuccess();
  return testing::AssertionFailure()
         << "entry " << worst << " of " << ShapeString(got.shape()) << ": got "
         << got[worst] << ", expected " << want[worst];
}

double RelativeDifference(const Array<double>& a, const Array<double>& n) {
  const double num = (a.vec() - n.vec()).norm();
  const double den = a.vec().norm() + n.vec().norm();
  return den == 0 ? 0 : num / den;
}

Array<double> Numeric(const std::function<double()>& J, Array<double>& x,
                      double eps) {
  Array<double> g(x.shape());
  for (Index i = 0; i < x.size(); ++i) {
    const double keep = x[i];
    x[i] = keep + eps;
    const double plus = J();
    x[i] = keep - eps;
    const double minus = J();
    x[i] = keep;
    g[i] = (plus - minus) / (2 * eps);
  }
  return g;
}

Array<double> Distinct(RandomState& rng, const Shape& shape) {
  Array<double> a(shape);
  const std::vector<int64_t> order = rng.permutation(a.size());
  for (Index i = 0; i < a.size(); ++i) {
    a[i] = 0.05 * (static_cast<double>(order[i]) - a.size() / 2.0 + 0.5);
  }
  return a;
}

void Randomize(Layer<double>& layer, RandomState& rng) {
  for (Parameter<double>& p : layer.parameters()) {
    for (Index i = 0; i < p.value.size(); ++i) {
      p.value[i] = p.name == "moving_variance" ? 0.5 + rng.random_sample()
                                               : 0.5 * rng.standard_normal();
    }
  }
}

std::vector<const Array<double>*> Ptrs(const std::vector<Array<double>>& v) {
  std::vector<const Array<double>*> p;
  for (const Array<double>& a : v) p.push_back(&a);
  return p;
}

void ExpectGradientsMatch(Layer<double>& layer,
                          std::vector<Array<double>> inputs, bool training,
                          const std::string& what,
                          const std::function<void()>& before_forward,
                          double threshold) {
  RandomState rng(99);
  const auto forward = [&]() {
    if (before_forward) before_forward();
    Array<double> y;
    layer.Forward(Ptrs(inputs), &y, training);
    return y;
  };
  const Array<double> y = forward();
  const Array<double> G = Randn(rng, y.shape());
  std::vector<Array<double>> dinputs(inputs.size());
  std::vector<Array<double>*> dptrs;
  for (Array<double>& d : dinputs) dptrs.push_back(&d);
  layer.Backward(Ptrs(inputs), y, G, dptrs);
  const auto J = [&]() { return forward().vec().dot(G.vec()); };
  for (size_t k = 0; k < inputs.size(); ++k) {
    const Array<double> n = Numeric(J, inputs[k]);
    EXPECT_EQ(dinputs[k].shape(), inputs[k].shape()) << what;
    if (dinputs[k].shape() != inputs[k].shape()) continue;
    EXPECT_LT(RelativeDifference(dinputs[k], n), threshold)
        << what << ": dinput " << k;
  }
  for (Parameter<double>& p : layer.parameters()) {
    if (!p.trainable) continue;
    const Array<double> analytic = p.grad;
    const Array<double> n = Numeric(J, p.value);
    EXPECT_LT(RelativeDifference(analytic, n), threshold)
        << what << ": d" << p.name;
  }
}

Axis KerasAxis(Index in, int k, int s, const Padding& p) {
  switch (p.kind()) {
    case Padding::Kind::kValid:
      return {(in - k) / s + 1, 0};
    case Padding::Kind::kSame: {
      const Index out = (in + s - 1) / s;
      return {out, std::max<Index>((out - 1) * s + k - in, 0) / 2};
    }
    case Padding::Kind::kExplicit:
      return {(in + 2 * p.pad() - k) / s + 1, p.pad()};
  }
  return {0, 0};
}

void ExpectSameBitsOnOneOrTwoThreads(Layer<float>& layer, const Array<float>& x,
                                     const Array<float>& dy) {
  // [threads - 1]: the output, dx, then the trainable parameters' gradients.
  std::vector<Array<float>> got[2];
  for (int threads : {1, 2}) {
    SetMatrixProductThreads(threads);
    std::vector<Array<float>>& g = got[threads - 1];
    g.resize(2);
    layer.Forward({&x}, &g[0], true);
    layer.Backward({&x}, g[0], dy, {&g[1]});
    for (const Parameter<float>& p : layer.parameters()) {
      if (p.trainable) g.push_back(p.grad);
    }
  }
  SetMatrixProductThreads(2);
  for (size_t k = 0; k < got[0].size(); ++k) {
    const std::string what = k == 0   ? "the output"
                             : k == 1 ? "dx"
                                      : "a parameter's gradient";
    ASSERT_EQ(got[0][k].shape(), got[1][k].shape()) << what;
    EXPECT_TRUE(std::equal(got[0][k].data(),
                           got[0][k].data() + got[0][k].size(),
                           got[1][k].data()))
        << layer.type() << ": 1 and 2 threads give different bits in " << what;
  }
}

std::vector<std::string> SummaryLines(Model<float>& model) {
  std::vector<std::string> lines;
  for (int k = 0; k < model.num_layers(); ++k) {
    Layer<float>& layer = model.layer(k);
    lines.push_back(layer.type() + " " +
                    KerasShapeString(layer.output_shape()) + " " +
                    std::to_string(layer.CountParameters(true) +
                                   layer.CountParameters(false)));
  }
  return lines;
}

Array<float> Uniform(RandomState& rng, const Shape& shape, double scale) {
  Array<float> x(shape);
  for (Index k = 0; k < x.size(); ++k) {
    x[k] = static_cast<float>(scale * rng.random_sample());
  }
  return x;
}

std::function<
    std::pair<std::vector<int64_t>, std::vector<double>>(bool training)>
ForwardOn(Model<float>& model, const Array<float>& x) {
  return [&model, &x](bool training) {
    const Array<float> y = model.Forward(x, training);
    return std::make_pair(
        std::vector<int64_t>(y.shape().begin(), y.shape().end()),
        std::vector<double>(y.data(), y.data() + y.size()));
  };
}

testing::AssertionResult Defined(const std::string& function,
                                 const std::string& what, const ag::Var& v) {
  if (v.defined()) return testing::AssertionSuccess();
  return testing::AssertionFailure()
         << function << ": " << what
         << " is an empty Var (default-constructed): assign it from an ag op";
}

}  // namespace test
}  // namespace nn
}  // namespace dl
