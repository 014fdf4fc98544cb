// Grades course1_nn/deep_nn: the course's expected values (its test cases,
// same numpy seeds and draw order), a seeded comparison with the reference
// solution on several networks, and finite-difference checks of the three
// backward functions.

#include "course1_nn/deep_nn/deep_nn.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "course1_nn/deep_nn/graded.h"  // see tools/unit.bzl
#include "gtest/gtest.h"

namespace reference = deep_nn::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
using deep_nn::Activation;
using deep_nn::ActivationCache;
using deep_nn::Grads;
using deep_nn::LinearCache;
using deep_nn::Parameters;
using dl::Matrix;
using dl::matrix;
using dl::RandomState;

using Map = std::map<std::string, Matrix>;

const char* Name(Activation activation) {
  return activation == Activation::kSigmoid ? "sigmoid" : "relu";
}

// "(5, 4, 3, 1)" for layer dims.
std::string DimsString(const std::vector<int>& dims) {
  std::string s = "(";
  for (size_t i = 0; i < dims.size(); ++i) {
    s += (i ? ", " : "") + std::to_string(dims[i]);
  }
  return s + ")";
}

std::string Keys(const Map& map) {
  std::string keys;
  for (const auto& entry : map) {
    keys += (keys.empty() ? "\"" : ", \"") + entry.first + "\"";
  }
  return keys;
}

// A clear failure for a missing key, instead of std::map::at's exception:
//   L_model_backward: grads has no key "dW2" (its keys: "dA0", "dA1", ...)
// `context` (e.g. " for layer dims (5, 4, 3, 1)") follows the key.
testing::AssertionResult HasKey(const std::string& function,
                                const std::string& map_name, const Map& map,
                                const std::string& key,
                                const std::string& context = "") {
  if (map.count(key)) return testing::AssertionSuccess();
  return testing::AssertionFailure()
         << function << ": " << map_name << " has no key \"" << key << "\""
         << context
         << (map.empty() ? " (it is empty)" : " (its keys: " + Keys(map) + ")");
}

// got[key] against want, after checking that the key is there.
testing::AssertionResult NearKey(const std::string& function,
                                 const std::string& map_name, const Map& got,
                                 const std::string& key, const Matrix& want,
                                 dl::grading::Tolerance tol,
                                 const std::string& hint = "",
                                 const std::string& context = "") {
  const testing::AssertionResult has =
      HasKey(function, map_name, got, key, context);
  if (!has) return has;
  return Near(function, map_name + "[\"" + key + "\"]" + context, got.at(key),
              want, tol, hint);
}

// Every key of `want` in `got`, with the same values. With `exact_keys`,
// `got` must not have other keys either.
void ExpectMapNear(const std::string& function, const std::string& map_name,
                   const Map& got, const Map& want, const std::string& context,
                   bool exact_keys, const std::string& hint = "") {
  for (const auto& [key, value] : want) {
    EXPECT_TRUE(NearKey(function, map_name, got, key, value,
                        dl::grading::kReference, hint, context));
  }
  if (!exact_keys) return;
  for (const auto& entry : got) {
    EXPECT_TRUE(want.count(entry.first))
        << function << ": " << map_name << " has an extra key \"" << entry.first
        << "\"" << context << "; expected exactly " << Keys(want);
  }
}

// The listed rows of x, as a matrix.
Matrix Rows(const Matrix& x, const std::vector<int>& rows) {
  Matrix out(static_cast<Eigen::Index>(rows.size()), x.cols());
  for (size_t i = 0; i < rows.size(); ++i) out.row(i) = x.row(rows[i]);
  return out;
}

void ExpectCacheNear(const std::string& function, const std::string& name,
                     const ActivationCache& got, const ActivationCache& want) {
  EXPECT_TRUE(Near(function, name + ".linear.A_prev", got.linear.A_prev,
                   want.linear.A_prev, dl::grading::kReference,
                   "the layer's INPUT A_prev, not its output"));
  EXPECT_TRUE(Near(function, name + ".linear.W", got.linear.W, want.linear.W));
  EXPECT_TRUE(Near(function, name + ".linear.b", got.linear.b, want.linear.b));
  EXPECT_TRUE(Near(function, name + ".Z", got.Z, want.Z,
                   dl::grading::kReference,
                   "Z = W A_prev + b, before the activation"));
}

// L_model_forward's caches: one per layer, in order.
testing::AssertionResult HasOneCachePerLayer(
    const std::vector<ActivationCache>& caches, size_t L,
    const std::string& context) {
  if (caches.size() == L) return testing::AssertionSuccess();
  return testing::AssertionFailure()
         << "L_model_forward: caches has " << caches.size() << " entries"
         << context << ", expected " << L
         << ": one per layer, the sigmoid layer's last (push_back each "
            "layer's cache, including layer L's)";
}

// Random parameters for layer dims {n[0], ..., n[L]}: W[l] of scale
// 1/sqrt(n[l-1]) and b[l] of scale 0.5, so every layer has some effect.
Parameters RandomParameters(RandomState& rng, const std::vector<int>& dims) {
  Parameters p;
  for (size_t l = 1; l < dims.size(); ++l) {
    const std::string n = std::to_string(l);
    p["W" + n] = rng.randn(dims[l], dims[l - 1]) /
                 std::sqrt(static_cast<double>(dims[l - 1]));
    p["b" + n] = rng.randn(dims[l], 1) * 0.5;
  }
  return p;
}

// Labels 0/1 of shape (rows, m).
Matrix RandomLabels(RandomState& rng, int rows, int m) {
  return (rng.rand(rows, m).array() > 0.5).cast<double>().matrix();
}

// The smallest |Z| of the relu layers (all but the last): finite differences
// need every Z away from relu's kink at 0.
double SmallestReluZ(const std::vector<ActivationCache>& caches) {
  double smallest = INFINITY;
  for (size_t l = 0; l + 1 < caches.size(); ++l) {
    smallest = std::min(smallest, caches[l].Z.cwiseAbs().minCoeff());
  }
  return smallest;
}

// Shapes (n[l-1], n[l], m) of one layer: all different, plus a size-1 layer
// and m = 1.
struct LayerShape {
  int n_prev, n, m;
  std::string str() const {
    return " with A_prev (" + std::to_string(n_prev) + ", " +
           std::to_string(m) + "), W (" + std::to_string(n) + ", " +
           std::to_string(n_prev) + ")";
  }
};
const std::vector<LayerShape> kLayerShapes = {
    {5, 4, 9}, {7, 1, 4}, {3, 6, 1}, {1, 3, 4}, {1, 1, 1}};

// Networks {n[0], ..., n[L]} with m examples.
struct Network {
  std::vector<int> dims;
  int m;
  std::string str() const {
    return " for layer dims " + DimsString(dims) + ", m = " + std::to_string(m);
  }
};
const std::vector<Network> kNetworks = {
    {{5, 4, 3, 1}, 9}, {{7, 1, 2}, 4}, {{3, 6, 1}, 1}, {{4, 1}, 4}};

// ------------------------------------------------------ initialize_parameters
TEST(InitializeParameters, CourseValues) {
  auto got = Call("initialize_parameters",
                  [] { return graded::initialize_parameters(3, 2, 1); });
  if (!got) return;
  const std::string f = "initialize_parameters";
  const std::string hint =
      "dl::RandomState rng(1) inside the function, then W1 = rng.randn(n_h, "
      "n_x) * 0.01 BEFORE W2 = rng.randn(n_y, n_h) * 0.01";
  EXPECT_TRUE(NearKey(f, "initialize_parameters(3, 2, 1)", *got, "W1",
                      matrix({{0.01624345, -0.00611756, -0.00528172},
                              {-0.01072969, 0.00865408, -0.02301539}}),
                      kCourseValues, hint));
  EXPECT_TRUE(NearKey(f, "initialize_parameters(3, 2, 1)", *got, "b1",
                      Matrix::Zero(2, 1), kCourseValues, "zeros (n_h, 1)"));
  EXPECT_TRUE(NearKey(f, "initialize_parameters(3, 2, 1)", *got, "W2",
                      matrix({{0.01744812, -0.00761207}}), kCourseValues,
                      hint));
  EXPECT_TRUE(NearKey(f, "initialize_parameters(3, 2, 1)", *got, "b2",
                      Matrix::Zero(1, 1), kCourseValues, "zeros (n_y, 1)"));
}

TEST(InitializeParameters, MatchesReferenceOnOtherSizes) {
  for (auto [n_x, n_h, n_y] : std::vector<std::array<int, 3>>{
           {4, 7, 2}, {1, 3, 1}, {6, 1, 5}, {3, 2, 1}}) {
    auto got = Call("initialize_parameters", [&] {
      return graded::initialize_parameters(n_x, n_h, n_y);
    });
    if (!got) return;
    ExpectMapNear("initialize_parameters", "parameters", *got,
                  reference::initialize_parameters(n_x, n_h, n_y),
                  " for initialize_parameters(" + std::to_string(n_x) + ", " +
                      std::to_string(n_h) + ", " + std::to_string(n_y) + ")",
                  /*exact_keys=*/true,
                  "seed inside the function (every call starts at seed 1)");
  }
}

// ------------------------------------------------- initialize_parameters_deep
TEST(InitializeParametersDeep, CourseValues) {
  const std::string f = "initialize_parameters_deep";
  auto got = Call("initialize_parameters_deep", [] {
    return graded::initialize_parameters_deep({5, 4, 3});
  });
  if (!got) return;
  const std::string hint =
      "dl::RandomState rng(3) inside the function; W[l] = rng.randn(n[l], "
      "n[l-1]) * 0.01, layer by layer from l = 1";
  ASSERT_TRUE(HasKey(f, "parameters", *got, "W1"));
  ASSERT_TRUE(HasKey(f, "parameters", *got, "W2"));
  ASSERT_TRUE(HasShape(f, "parameters[\"W1\"]", got->at("W1"), 4, 5,
                       "W[l] is (n[l], n[l-1])"));
  ASSERT_TRUE(HasShape(f, "parameters[\"W2\"]", got->at("W2"), 3, 4,
                       "W[l] is (n[l], n[l-1])"));
  EXPECT_TRUE(Near(
      f, "parameters[\"W1\"] rows 0 and 3", Rows(got->at("W1"), {0, 3}),
      matrix({{0.01788628, 0.0043651, 0.00096497, -0.01863493, -0.00277388},
              {-0.00404677, -0.0054536, -0.01546477, 0.00982367, -0.01101068}}),
      kCourseValues, hint));
  EXPECT_TRUE(Near(f, "parameters[\"W2\"] rows 0 and 2",
                   Rows(got->at("W2"), {0, 2}),
                   matrix({{-0.01185047, -0.0020565, 0.01486148, 0.00236716},
                           {-0.00768836, -0.00230031, 0.00745056, 0.01976111}}),
                   kCourseValues, hint));
  EXPECT_TRUE(NearKey(f, "parameters", *got, "b1", Matrix::Zero(4, 1),
                      kCourseValues, "b[l] = zeros (n[l], 1)"));
  EXPECT_TRUE(NearKey(f, "parameters", *got, "b2", Matrix::Zero(3, 1),
                      kCourseValues, "b[l] = zeros (n[l], 1)"));
}

TEST(InitializeParametersDeep, MatchesReferenceOnOtherNetworks) {
  for (const Network& net : kNetworks) {
    auto got = Call("initialize_parameters_deep", [&] {
      return graded::initialize_parameters_deep(net.dims);
    });
    if (!got) return;
    ExpectMapNear("initialize_parameters_deep", "parameters", *got,
                  reference::initialize_parameters_deep(net.dims),
                  " for layer dims " + DimsString(net.dims),
                  /*exact_keys=*/true,
                  "L = layer_dims.size() - 1 layers, keys \"W1\", \"b1\", ..."
                  " up to \"WL\", \"bL\"; seed 3 inside the function");
  }
}

// ------------------------------------------------------------ linear_forward
TEST(LinearForward, CourseValues) {
  RandomState rng(1);
  const Matrix A = rng.randn(3, 2);
  const Matrix W = rng.randn(1, 3);
  const Matrix b = rng.randn(1, 1);
  auto got =
      Call("linear_forward", [&] { return graded::linear_forward(A, W, b); });
  if (!got) return;
  EXPECT_TRUE(Near("linear_forward", "Z", got->Z,
                   matrix({{3.26295337, -1.23429987}}), kCourseValues,
                   "Z = W A + b: (W * A).colwise() + b.col(0)"));
  EXPECT_TRUE(Near("linear_forward", "cache.A_prev", got->cache.A_prev, A));
  EXPECT_TRUE(Near("linear_forward", "cache.W", got->cache.W, W));
  EXPECT_TRUE(Near("linear_forward", "cache.b", got->cache.b, b));
}

TEST(LinearForward, MatchesReferenceOnOtherShapes) {
  RandomState rng(11);
  for (const LayerShape& s : kLayerShapes) {
    const Matrix A = rng.randn(s.n_prev, s.m);
    const Matrix W = rng.randn(s.n, s.n_prev);
    const Matrix b = rng.randn(s.n, 1);
    auto got =
        Call("linear_forward", [&] { return graded::linear_forward(A, W, b); });
    if (!got) return;
    const auto want = reference::linear_forward(A, W, b);
    EXPECT_TRUE(Near("linear_forward", "Z" + s.str(), got->Z, want.Z,
                     dl::grading::kReference,
                     "b (n[l], 1) is added to EVERY column of W A"));
    EXPECT_TRUE(
        Near("linear_forward", "cache.A_prev" + s.str(), got->cache.A_prev, A));
    EXPECT_TRUE(Near("linear_forward", "cache.W" + s.str(), got->cache.W, W));
    EXPECT_TRUE(Near("linear_forward", "cache.b" + s.str(), got->cache.b, b));
  }
}

// -------------------------------------------------- linear_activation_forward
struct ActivationForwardFixture {  // the course's test case (seed 2)
  Matrix A_prev, W, b;
  ActivationForwardFixture() {
    RandomState rng(2);
    A_prev = rng.randn(3, 2);
    W = rng.randn(1, 3);
    b = rng.randn(1, 1);
  }
};

// linear_activation_forward on the course's test case with `activation`
// (`name`: "sigmoid" or "relu"): A against the course's printed values
// `want_A`, cache.Z against Z. Its output, for more checks; nullopt when it
// is not implemented or throws (reported by Call).
std::optional<deep_nn::ActivationForward> ExpectCourseActivationForward(
    const ActivationForwardFixture& f, Activation activation,
    const std::string& name, const std::string& enumerator,
    const Matrix& want_A) {
  auto got = Call("linear_activation_forward", [&] {
    return graded::linear_activation_forward(f.A_prev, f.W, f.b, activation);
  });
  if (!got) return std::nullopt;
  EXPECT_TRUE(Near("linear_activation_forward", "A with " + name, got->A,
                   want_A, kCourseValues,
                   "A = dl::" + name + "(Z) when activation is " + enumerator));
  EXPECT_TRUE(Near("linear_activation_forward", "cache.Z", got->cache.Z,
                   reference::linear_forward(f.A_prev, f.W, f.b).Z,
                   dl::grading::kReference, "cache.Z is Z, before " + name));
  return got;
}

TEST(LinearActivationForward, CourseValuesSigmoid) {
  const ActivationForwardFixture f;
  const auto got = ExpectCourseActivationForward(
      f, Activation::kSigmoid, "sigmoid", "kSigmoid",
      matrix({{0.96890023, 0.11013289}}));
  if (!got) return;
  EXPECT_TRUE(Near("linear_activation_forward", "cache.linear.A_prev",
                   got->cache.linear.A_prev, f.A_prev));
}

TEST(LinearActivationForward, CourseValuesRelu) {
  ExpectCourseActivationForward(ActivationForwardFixture(), Activation::kRelu,
                                "relu", "kRelu", matrix({{3.43896131, 0.}}));
}

TEST(LinearActivationForward, MatchesReferenceOnOtherShapes) {
  RandomState rng(12);
  for (const LayerShape& s : kLayerShapes) {
    const Matrix A_prev = rng.randn(s.n_prev, s.m);
    const Matrix W = rng.randn(s.n, s.n_prev);
    const Matrix b = rng.randn(s.n, 1);
    for (Activation act : {Activation::kSigmoid, Activation::kRelu}) {
      auto got = Call("linear_activation_forward", [&] {
        return graded::linear_activation_forward(A_prev, W, b, act);
      });
      if (!got) return;
      const auto want = reference::linear_activation_forward(A_prev, W, b, act);
      const std::string at = std::string(" with ") + Name(act) + s.str();
      EXPECT_TRUE(Near("linear_activation_forward", "A" + at, got->A, want.A));
      ExpectCacheNear("linear_activation_forward", "cache" + at, got->cache,
                      want.cache);
    }
  }
}

// ----------------------------------------------------------- L_model_forward
TEST(LModelForward, CourseValues) {
  RandomState rng(6);  // the course's L_model_forward_test_case_2hidden
  const Matrix X = rng.randn(5, 4);
  Parameters p;
  p["W1"] = rng.randn(4, 5);
  p["b1"] = rng.randn(4, 1);
  p["W2"] = rng.randn(3, 4);
  p["b2"] = rng.randn(3, 1);
  p["W3"] = rng.randn(1, 3);
  p["b3"] = rng.randn(1, 1);
  auto got =
      Call("L_model_forward", [&] { return graded::L_model_forward(X, p); });
  if (!got) return;
  EXPECT_TRUE(Near("L_model_forward", "AL", got->AL,
                   matrix({{0.03921668, 0.70498921, 0.19734387, 0.04728177}}),
                   kCourseValues,
                   "relu on layers 1..L-1, sigmoid on layer L only, with "
                   "L = parameters.size() / 2 = 3"));
  EXPECT_TRUE(HasOneCachePerLayer(got->caches, 3, ""));
}

TEST(LModelForward, MatchesReferenceOnOtherNetworks) {
  RandomState rng(13);
  for (const Network& net : kNetworks) {
    const Matrix X = rng.randn(net.dims[0], net.m);
    const Parameters p = RandomParameters(rng, net.dims);
    auto got =
        Call("L_model_forward", [&] { return graded::L_model_forward(X, p); });
    if (!got) return;
    const auto want = reference::L_model_forward(X, p);
    EXPECT_TRUE(Near("L_model_forward", "AL" + net.str(), got->AL, want.AL,
                     dl::grading::kReference,
                     "[LINEAR -> RELU] x (L-1), then LINEAR -> SIGMOID"));
    ASSERT_TRUE(
        HasOneCachePerLayer(got->caches, want.caches.size(), net.str()));
    for (size_t l = 0; l < want.caches.size(); ++l) {
      ExpectCacheNear("L_model_forward",
                      "caches[" + std::to_string(l) + "] (layer " +
                          std::to_string(l + 1) + ")" + net.str(),
                      got->caches[l], want.caches[l]);
    }
  }
}

// -------------------------------------------------------------- compute_cost
TEST(ComputeCost, CourseValues) {
  auto got = Call("compute_cost", [] {
    return graded::compute_cost(matrix({{.8, .9, .4}}), matrix({{1, 1, 0}}));
  });
  if (!got) return;
  EXPECT_TRUE(Near("compute_cost",
                   "cost for AL = [[.8, .9, .4]], Y = [[1, 1, "
                   "0]]",
                   *got, 0.2797765635793423, kCourseValues,
                   "J = -(1/m) Σ [Y log(AL) + (1 - Y) log(1 - AL)]"));
}

TEST(ComputeCost, MatchesReferenceOnRandomInputs) {
  RandomState rng(14);
  for (int m : {1, 4, 9}) {
    const Matrix AL = (0.05 + 0.9 * rng.rand(1, m).array()).matrix();
    const Matrix Y = RandomLabels(rng, 1, m);
    auto got =
        Call("compute_cost", [&] { return graded::compute_cost(AL, Y); });
    if (!got) return;
    EXPECT_TRUE(Near("compute_cost", "cost for m = " + std::to_string(m), *got,
                     reference::compute_cost(AL, Y), dl::grading::kReference,
                     "m = Y.cols(), as a double"));
  }
}

// ----------------------------------------------------------- linear_backward
TEST(LinearBackward, CourseValues) {
  RandomState rng(1);  // the course's linear_backward_test_case
  const Matrix dZ = rng.randn(3, 4);
  const Matrix A = rng.randn(5, 4);
  const Matrix W = rng.randn(3, 5);
  const Matrix b = rng.randn(3, 1);
  auto got = Call("linear_backward", [&] {
    return graded::linear_backward(dZ, LinearCache{A, W, b});
  });
  if (!got) return;
  const std::string f = "linear_backward";
  ASSERT_TRUE(HasShape(f, "dA_prev", got->dA_prev, 5, 4,
                       "dA_prev = Wᵀ dZ has the shape of A_prev"));
  ASSERT_TRUE(HasShape(f, "dW", got->dW, 3, 5,
                       "dW = (1/m) dZ A_prevᵀ has the shape of W"));
  EXPECT_TRUE(Near(f, "dA_prev rows 0 and 4", Rows(got->dA_prev, {0, 4}),
                   matrix({{-1.15171336, 0.06718465, -0.3204696, 2.09812712},
                           {-2.52214926, 2.67882552, -0.67947465, 1.48119548}}),
                   kCourseValues, "dA_prev = Wᵀ dZ (no 1/m here)"));
  EXPECT_TRUE(Near(
      f, "dW rows 0 and 2", Rows(got->dW, {0, 2}),
      matrix({{0.07313866, -0.0976715, -0.87585828, 0.73763362, 0.00785716},
              {0.97913304, -0.24376494, -0.08839671, 0.55151192, -0.10290907}}),
      kCourseValues, "dW = (1/m) dZ A_prevᵀ"));
  EXPECT_TRUE(Near(f, "db", got->db,
                   matrix({{-0.14713786}, {-0.11313155}, {-0.13209101}}),
                   kCourseValues,
                   "db = (1/m) Σ over the columns of dZ: "
                   "dZ.rowwise().sum() / m"));
}

TEST(LinearBackward, MatchesReferenceOnOtherShapes) {
  RandomState rng(15);
  for (const LayerShape& s : kLayerShapes) {
    const Matrix dZ = rng.randn(s.n, s.m);
    const LinearCache cache{rng.randn(s.n_prev, s.m), rng.randn(s.n, s.n_prev),
                            rng.randn(s.n, 1)};
    auto got = Call("linear_backward",
                    [&] { return graded::linear_backward(dZ, cache); });
    if (!got) return;
    const auto want = reference::linear_backward(dZ, cache);
    EXPECT_TRUE(Near("linear_backward", "dA_prev" + s.str(), got->dA_prev,
                     want.dA_prev));
    EXPECT_TRUE(Near("linear_backward", "dW" + s.str(), got->dW, want.dW));
    EXPECT_TRUE(Near("linear_backward", "db" + s.str(), got->db, want.db));
  }
}

// The course's gradients for Z = W A_prev + b and a loss whose dZ is given:
// with J = Σ (Z ⊙ dZ), dA_prev = ∂J/∂A_prev, and (the course's convention,
// the 1/m of the mean cost) dW = ∂(J/m)/∂W, db = ∂(J/m)/∂b.
TEST(LinearBackward, GradientsMatchFiniteDifferences) {
  RandomState rng(16);
  const int n_prev = 5, n = 3, m = 7;
  Matrix A_prev = rng.randn(n_prev, m);
  Matrix W = rng.randn(n, n_prev);
  Matrix b = rng.randn(n, 1);
  const Matrix dZ = rng.randn(n, m);
  const LinearCache cache{A_prev, W, b};
  auto got = Call("linear_backward",
                  [&] { return graded::linear_backward(dZ, cache); });
  if (!got) return;
  auto J = [&] {
    return reference::linear_forward(A_prev, W, b).Z.cwiseProduct(dZ).sum();
  };
  std::vector<GradientBlock> sum_blocks = {{"dA_prev", &A_prev, got->dA_prev}};
  std::vector<GradientBlock> mean_blocks = {{"dW", &W, got->dW},
                                            {"db", &b, got->db}};
  std::vector<BlockCheck> checks = CheckGradients(J, sum_blocks);
  for (const BlockCheck& c :
       CheckGradients([&] { return J() / m; }, mean_blocks)) {
    checks.push_back(c);
  }
  EXPECT_TRUE(GradientsMatch("linear_backward", checks));
}

// ------------------------------------------------ linear_activation_backward
struct ActivationBackwardFixture {  // the course's test case (seed 2)
  Matrix dA;
  ActivationCache cache;
  ActivationBackwardFixture() {
    RandomState rng(2);
    dA = rng.randn(1, 2);
    cache.linear.A_prev = rng.randn(3, 2);
    cache.linear.W = rng.randn(1, 3);
    cache.linear.b = rng.randn(1, 1);
    cache.Z = rng.randn(1, 2);
  }
};

TEST(LinearActivationBackward, CourseValuesSigmoid) {
  const ActivationBackwardFixture f;
  auto got = Call("linear_activation_backward", [&] {
    return graded::linear_activation_backward(f.dA, f.cache,
                                              Activation::kSigmoid);
  });
  if (!got) return;
  const std::string fn = "linear_activation_backward";
  const std::string hint =
      "dZ = dl::sigmoid_backward(dA, cache.Z), then "
      "linear_backward(dZ, cache.linear)";
  EXPECT_TRUE(Near(fn, "dA_prev with sigmoid", got->dA_prev,
                   matrix({{0.11017994, 0.01105339},
                           {0.09466817, 0.00949723},
                           {-0.05743092, -0.00576154}}),
                   kCourseValues, hint));
  EXPECT_TRUE(Near(fn, "dW with sigmoid", got->dW,
                   matrix({{0.10266786, 0.09778551, -0.01968084}}),
                   kCourseValues, hint));
  EXPECT_TRUE(Near(fn, "db with sigmoid", got->db, matrix({{-0.05729622}}),
                   kCourseValues, hint));
}

TEST(LinearActivationBackward, CourseValuesRelu) {
  const ActivationBackwardFixture f;
  auto got = Call("linear_activation_backward", [&] {
    return graded::linear_activation_backward(f.dA, f.cache, Activation::kRelu);
  });
  if (!got) return;
  const std::string fn = "linear_activation_backward";
  const std::string hint =
      "dZ = dl::relu_backward(dA, cache.Z), then "
      "linear_backward(dZ, cache.linear)";
  EXPECT_TRUE(
      Near(fn, "dA_prev with relu", got->dA_prev,
           matrix({{0.44090989, 0.}, {0.37883606, 0.}, {-0.2298228, 0.}}),
           kCourseValues, hint));
  EXPECT_TRUE(Near(fn, "dW with relu", got->dW,
                   matrix({{0.44513824, 0.37371418, -0.10478989}}),
                   kCourseValues, hint));
  EXPECT_TRUE(Near(fn, "db with relu", got->db, matrix({{-0.20837892}}),
                   kCourseValues, hint));
}

TEST(LinearActivationBackward, MatchesReferenceOnOtherShapes) {
  RandomState rng(17);
  for (const LayerShape& s : kLayerShapes) {
    const Matrix A_prev = rng.randn(s.n_prev, s.m);
    const Matrix W = rng.randn(s.n, s.n_prev);
    const Matrix b = rng.randn(s.n, 1);
    const Matrix dA = rng.randn(s.n, s.m);
    for (Activation act : {Activation::kSigmoid, Activation::kRelu}) {
      const ActivationCache cache =
          reference::linear_activation_forward(A_prev, W, b, act).cache;
      auto got = Call("linear_activation_backward", [&] {
        return graded::linear_activation_backward(dA, cache, act);
      });
      if (!got) return;
      const auto want = reference::linear_activation_backward(dA, cache, act);
      const std::string at = std::string(" with ") + Name(act) + s.str();
      EXPECT_TRUE(Near("linear_activation_backward", "dA_prev" + at,
                       got->dA_prev, want.dA_prev));
      EXPECT_TRUE(
          Near("linear_activation_backward", "dW" + at, got->dW, want.dW));
      EXPECT_TRUE(
          Near("linear_activation_backward", "db" + at, got->db, want.db));
    }
  }
}

// A = g(W A_prev + b) and J = Σ (A ⊙ dA): dA_prev = ∂J/∂A_prev,
// dW = ∂(J/m)/∂W, db = ∂(J/m)/∂b (see LinearBackward above).
void CheckActivationBackward(Activation act, uint32_t seed) {
  RandomState rng(seed);
  const int n_prev = 5, n = 3, m = 7;
  Matrix A_prev, W, b;
  // relu has a kink at Z = 0: draw again until every |Z| > 0.05.
  do {
    A_prev = rng.randn(n_prev, m);
    W = rng.randn(n, n_prev);
    b = rng.randn(n, 1);
  } while (act == Activation::kRelu &&
           reference::linear_forward(A_prev, W, b).Z.cwiseAbs().minCoeff() <
               0.05);
  const Matrix dA = rng.randn(n, m);
  const ActivationCache cache =
      reference::linear_activation_forward(A_prev, W, b, act).cache;
  auto got = Call("linear_activation_backward", [&] {
    return graded::linear_activation_backward(dA, cache, act);
  });
  if (!got) return;
  auto J = [&] {
    return reference::linear_activation_forward(A_prev, W, b, act)
        .A.cwiseProduct(dA)
        .sum();
  };
  std::vector<GradientBlock> sum_blocks = {{"dA_prev", &A_prev, got->dA_prev}};
  std::vector<GradientBlock> mean_blocks = {{"dW", &W, got->dW},
                                            {"db", &b, got->db}};
  std::vector<BlockCheck> checks = CheckGradients(J, sum_blocks);
  for (const BlockCheck& c :
       CheckGradients([&] { return J() / m; }, mean_blocks)) {
    checks.push_back(c);
  }
  EXPECT_TRUE(GradientsMatch(
      std::string("linear_activation_backward with ") + Name(act), checks));
}

TEST(LinearActivationBackward, SigmoidGradientsMatchFiniteDifferences) {
  CheckActivationBackward(Activation::kSigmoid, 18);
}

TEST(LinearActivationBackward, ReluGradientsMatchFiniteDifferences) {
  CheckActivationBackward(Activation::kRelu, 19);
}

// ---------------------------------------------------------- L_model_backward
TEST(LModelBackward, CourseValues) {
  RandomState rng(3);  // the course's L_model_backward_test_case
  const Matrix AL = rng.randn(1, 2);
  const Matrix Y = matrix({{1, 0}});
  std::vector<ActivationCache> caches(2);
  caches[0].linear.A_prev = rng.randn(4, 2);
  caches[0].linear.W = rng.randn(3, 4);
  caches[0].linear.b = rng.randn(3, 1);
  caches[0].Z = rng.randn(3, 2);
  caches[1].linear.A_prev = rng.randn(3, 2);
  caches[1].linear.W = rng.randn(1, 3);
  caches[1].linear.b = rng.randn(1, 1);
  caches[1].Z = rng.randn(1, 2);
  auto got = Call("L_model_backward",
                  [&] { return graded::L_model_backward(AL, Y, caches); });
  if (!got) return;
  const std::string f = "L_model_backward";
  const std::string hint =
      "layer L = 2 with sigmoid from dAL = -(Y / AL - (1 - Y) / (1 - AL)), "
      "then layer 1 with relu from grads[\"dA1\"]";
  EXPECT_TRUE(NearKey(f, "grads", *got, "dA0",
                      matrix({{0., 0.52257901},
                              {0., -0.3269206},
                              {0., -0.32070404},
                              {0., -0.74079187}}),
                      kCourseValues, hint));
  EXPECT_TRUE(NearKey(f, "grads", *got, "dA1",
                      matrix({{0.12913162, -0.44014127},
                              {-0.14175655, 0.48317296},
                              {0.01663708, -0.05670698}}),
                      kCourseValues,
                      "grads[\"dA1\"] is dA_prev of layer 2 (sigmoid)"));
  EXPECT_TRUE(NearKey(f, "grads", *got, "dW1",
                      matrix({{0.41010002, 0.07807203, 0.13798444, 0.10502167},
                              {0., 0., 0., 0.},
                              {0.05283652, 0.01005865, 0.01777766, 0.0135308}}),
                      kCourseValues, hint));
  EXPECT_TRUE(NearKey(f, "grads", *got, "db1",
                      matrix({{-0.22007063}, {0.}, {-0.02835349}}),
                      kCourseValues, hint));
  EXPECT_TRUE(NearKey(f, "grads", *got, "dW2",
                      matrix({{-0.39202432, -0.13325855, -0.04601089}}),
                      kCourseValues, hint));
  EXPECT_TRUE(NearKey(f, "grads", *got, "db2", matrix({{0.15187861}}),
                      kCourseValues, hint));
}

TEST(LModelBackward, MatchesReferenceOnOtherNetworks) {
  RandomState rng(20);
  for (const Network& net : kNetworks) {
    const Matrix X = rng.randn(net.dims[0], net.m);
    const Parameters p = RandomParameters(rng, net.dims);
    const Matrix Y = RandomLabels(rng, net.dims.back(), net.m);
    const auto forward = reference::L_model_forward(X, p);
    auto got = Call("L_model_backward", [&] {
      return graded::L_model_backward(forward.AL, Y, forward.caches);
    });
    if (!got) return;
    ExpectMapNear("L_model_backward", "grads", *got,
                  reference::L_model_backward(forward.AL, Y, forward.caches),
                  net.str(), /*exact_keys=*/false,
                  "layer l stores \"dA{l-1}\", \"dW{l}\", \"db{l}\": the "
                  "sigmoid layer L first, then relu layers L-1 .. 1");
  }
}

// Every dW{l}, db{l} against finite differences of the cost
// J = compute_cost(L_model_forward(X, parameters).AL, Y), and dA0 against
// finite differences of m J (the course's dA has no 1/m) with respect to X.
TEST(LModelBackward, GradientsMatchFiniteDifferences) {
  RandomState rng(11);  // a network with no dead layer: |dA0| ~ 1
  const std::vector<int> dims = {5, 4, 3, 1};
  const int m = 7;
  Matrix X, Y;
  Parameters p;
  // relu has a kink at Z = 0: draw again until every relu |Z| > 0.05.
  do {
    X = rng.randn(dims[0], m);
    p = RandomParameters(rng, dims);
  } while (SmallestReluZ(reference::L_model_forward(X, p).caches) < 0.05);
  Y = RandomLabels(rng, 1, m);
  const auto forward = reference::L_model_forward(X, p);
  auto got = Call("L_model_backward", [&] {
    return graded::L_model_backward(forward.AL, Y, forward.caches);
  });
  if (!got) return;
  const std::string f = "L_model_backward";
  std::vector<GradientBlock> blocks;
  for (int l = 1; l <= 3; ++l) {
    for (const char* kind : {"W", "b"}) {
      const std::string key = kind + std::to_string(l);
      ASSERT_TRUE(HasKey(f, "grads", *got, "d" + key));
      blocks.push_back({"d" + key, &p[key], got->at("d" + key)});
    }
  }
  ASSERT_TRUE(HasKey(f, "grads", *got, "dA0"));
  auto J = [&] {
    return reference::compute_cost(reference::L_model_forward(X, p).AL, Y);
  };
  std::vector<BlockCheck> checks = CheckGradients(J, blocks);
  std::vector<GradientBlock> x_block = {{"dA0", &X, got->at("dA0")}};
  for (const BlockCheck& c : CheckGradients([&] { return m * J(); }, x_block)) {
    checks.push_back(c);
  }
  EXPECT_TRUE(GradientsMatch(f, checks));
}

// --------------------------------------------------------- update_parameters
TEST(UpdateParameters, CourseValues) {
  RandomState rng(2);  // the course's update_parameters_test_case
  Parameters p;
  p["W1"] = rng.randn(3, 4);
  p["b1"] = rng.randn(3, 1);
  p["W2"] = rng.randn(1, 3);
  p["b2"] = rng.randn(1, 1);
  rng.seed(3);
  Grads g;
  g["dW1"] = rng.randn(3, 4);
  g["db1"] = rng.randn(3, 1);
  g["dW2"] = rng.randn(1, 3);
  g["db2"] = rng.randn(1, 1);
  auto got = Call("update_parameters",
                  [&] { return graded::update_parameters(p, g, 0.1); });
  if (!got) return;
  const std::string f = "update_parameters";
  const std::string hint = "W[l] = W[l] - learning_rate * dW[l], likewise b";
  ASSERT_TRUE(HasKey(f, "parameters", *got, "W1"));
  ASSERT_TRUE(HasShape(f, "parameters[\"W1\"]", got->at("W1"), 3, 4));
  EXPECT_TRUE(
      Near(f, "parameters[\"W1\"] row 0", Rows(got->at("W1"), {0}),
           matrix({{-0.59562069, -0.09991781, -2.14584584, 1.82662008}}),
           kCourseValues, hint));
  EXPECT_TRUE(NearKey(f, "parameters", *got, "b1",
                      matrix({{-0.04659241}, {-1.28888275}, {0.53405496}}),
                      kCourseValues, hint));
  EXPECT_TRUE(NearKey(f, "parameters", *got, "W2",
                      matrix({{-0.55569196, 0.0354055, 1.32964895}}),
                      kCourseValues, hint));
  EXPECT_TRUE(NearKey(f, "parameters", *got, "b2", matrix({{-0.84610769}}),
                      kCourseValues, hint));
}

// Gradients with and without the "dA" entries (deep_nn_app's two-layer model
// passes only "dW{l}" and "db{l}").
TEST(UpdateParameters, MatchesReferenceOnOtherNetworks) {
  RandomState rng(22);
  for (const Network& net : kNetworks) {
    const Parameters p = RandomParameters(rng, net.dims);
    const int L = static_cast<int>(net.dims.size()) - 1;
    Grads g;
    for (int l = 1; l <= L; ++l) {
      const std::string n = std::to_string(l);
      g["dW" + n] = rng.randn(net.dims[l], net.dims[l - 1]);
      g["db" + n] = rng.randn(net.dims[l], 1);
      if (net.m > 1) {
        g["dA" + std::to_string(l - 1)] = rng.randn(net.dims[l - 1], net.m);
      }
    }
    const double learning_rate = 0.05 * net.m;
    auto got = Call("update_parameters", [&] {
      return graded::update_parameters(p, g, learning_rate);
    });
    if (!got) return;
    ExpectMapNear("update_parameters", "parameters", *got,
                  reference::update_parameters(p, g, learning_rate),
                  " for layer dims " + DimsString(net.dims) +
                      ", learning_rate " + std::to_string(learning_rate),
                  /*exact_keys=*/true,
                  "L = parameters.size() / 2 layers; W[l] -= learning_rate * "
                  "dW[l] and b[l] -= learning_rate * db[l] for l = 1 .. L");
  }
}

}  // namespace
