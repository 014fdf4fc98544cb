// Grades course2_tuning/optimization: the course's expected values (its test
// cases: np.random.seed(1) fixtures, the mini-batch shuffle with seed 0),
// seeded comparisons with the reference solution on several networks, and a
// check that Adam's bias correction uses the step count t.

#include "course2_tuning/optimization/optimization.h"

#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "course2_tuning/optimization/graded.h"  // see tools/unit.bzl
#include "gtest/gtest.h"

namespace reference = optimization::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
using dl::Matrix;
using dl::matrix;
using dl::RandomState;
using optimization::Grads;
using optimization::MiniBatch;
using optimization::Moments;
using optimization::Parameters;

using Map = std::map<std::string, Matrix>;

std::string Keys(const Map& map) {
  std::string keys;
  for (const auto& entry : map) {
    keys += (keys.empty() ? "\"" : ", \"") + entry.first + "\"";
  }
  return keys.empty() ? "none" : keys;
}

// got[key] against want, after checking that the key is there.
testing::AssertionResult NearKey(const std::string& function,
                                 const std::string& map_name, const Map& got,
                                 const std::string& key, const Matrix& want,
                                 Tolerance tol, const std::string& hint = "",
                                 const std::string& context = "") {
  if (!got.count(key)) {
    return testing::AssertionFailure()
           << function << ": " << map_name << " has no key \"" << key << "\""
           << context << " (its keys: " << Keys(got) << ")";
  }
  return Near(function, map_name + "[\"" + key + "\"]" + context, got.at(key),
              want, tol, hint);
}

// Every key of want in got, same values, and no other keys.
void ExpectMapNear(const std::string& function, const std::string& map_name,
                   const Map& got, const Map& want, const std::string& context,
                   const std::string& hint = "", Tolerance tol = kReference) {
  for (const auto& [key, value] : want) {
    EXPECT_TRUE(
        NearKey(function, map_name, got, key, value, tol, hint, context));
  }
  for (const auto& entry : got) {
    EXPECT_TRUE(want.count(entry.first))
        << function << ": " << map_name << " has an extra key \"" << entry.first
        << "\"" << context << "; expected exactly " << Keys(want);
  }
}

// The course's fixture: np.random.seed(1), then W1 (2, 3), b1 (2, 1),
// W2 (3, 2), b2 (3, 1), dW1 (2, 3), db1 (2, 1), dW2 (3, 2), db2 (3, 1).
struct Fixture {
  Parameters parameters;
  Grads grads;
};

Fixture CourseFixture() {
  RandomState rng(1);
  Fixture f;
  f.parameters["W1"] = rng.randn(2, 3);
  f.parameters["b1"] = rng.randn(2, 1);
  f.parameters["W2"] = rng.randn(3, 2);
  f.parameters["b2"] = rng.randn(3, 1);
  f.grads["dW1"] = rng.randn(2, 3);
  f.grads["db1"] = rng.randn(2, 1);
  f.grads["dW2"] = rng.randn(3, 2);
  f.grads["db2"] = rng.randn(3, 1);
  return f;
}

// A network of the given layer dims with random parameters, gradients (plus
// keys the updates must ignore, as L_model_backward's "dA0"), and moments.
struct Network {
  std::vector<int> dims;
  Parameters parameters;
  Grads grads;
  Moments v, s;
  std::string context;
};

Network RandomNetwork(const std::vector<int>& dims, uint32_t seed) {
  RandomState rng(seed);
  Network n;
  n.dims = dims;
  n.context = " for layer dims (";
  for (size_t i = 0; i < dims.size(); ++i) {
    n.context += (i ? ", " : "") + std::to_string(dims[i]);
  }
  n.context += ")";
  for (size_t l = 1; l < dims.size(); ++l) {
    const std::string k = std::to_string(l);
    n.parameters["W" + k] = rng.randn(dims[l], dims[l - 1]);
    n.parameters["b" + k] = rng.randn(dims[l], 1);
    n.grads["dW" + k] = rng.randn(dims[l], dims[l - 1]);
    n.grads["db" + k] = rng.randn(dims[l], 1);
    n.v["dW" + k] = rng.randn(dims[l], dims[l - 1]);
    n.v["db" + k] = rng.randn(dims[l], 1);
    n.s["dW" + k] = rng.rand(dims[l], dims[l - 1]);  // s >= 0
    n.s["db" + k] = rng.rand(dims[l], 1);
  }
  n.grads["dA0"] = rng.randn(dims[0], 3);
  return n;
}

// Layer dims that all differ, one input, and a layer of one unit.
std::vector<Network> Networks() {
  return {RandomNetwork({5, 4, 3, 1}, 11), RandomNetwork({1, 3, 2}, 12),
          RandomNetwork({4, 1, 1}, 13), RandomNetwork({3, 7, 5, 2, 1}, 14)};
}

Matrix Row(const Matrix& x, int r) { return x.row(r); }

// ---------------------------------------------------------------------------

TEST(UpdateParametersWithGd, CourseExample) {
  const Fixture f = CourseFixture();
  auto got = Call("update_parameters_with_gd", [&] {
    return graded::update_parameters_with_gd(f.parameters, f.grads, 0.01);
  });
  if (!got) return;
  const std::string fn = "update_parameters_with_gd";
  const std::string hint = "W = W - learning_rate * dW (minus, times the rate)";
  EXPECT_TRUE(NearKey(fn, "parameters", *got, "W1",
                      matrix({{1.63312395, -0.61217855, -0.5339999},
                              {-1.06196243, 0.85396039, -2.3105546}}),
                      kCourseValues, hint));
  EXPECT_TRUE(NearKey(fn, "parameters", *got, "b1",
                      matrix({{1.73978682}, {-0.77021546}}), kCourseValues,
                      hint));
  if (got->count("W2")) {
    EXPECT_TRUE(Near(fn, "parameters[\"W2\"] row 2", Row(got->at("W2"), 2),
                     matrix({{-0.32772076, -0.37713775}}), kCourseValues,
                     hint));
  }
  EXPECT_TRUE(NearKey(fn, "parameters", *got, "b2",
                      matrix({{1.13773698}, {-1.09301954}, {-0.16397615}}),
                      kCourseValues, hint));
}

TEST(UpdateParametersWithGd, MatchesReferenceOnSeveralNetworks) {
  for (const Network& n : Networks()) {
    auto got = Call("update_parameters_with_gd", [&] {
      return graded::update_parameters_with_gd(n.parameters, n.grads, 0.07);
    });
    if (!got) return;
    ExpectMapNear(
        "update_parameters_with_gd", "parameters", *got,
        reference::update_parameters_with_gd(n.parameters, n.grads, 0.07),
        n.context, "every layer l = 1 .. parameters.size() / 2");
  }
}

// ---------------------------------------------------------------------------

TEST(RandomMiniBatches, CourseShapesAndValues) {
  RandomState rng(1);
  const Matrix X = rng.randn(12288, 148);
  const Matrix Y = (rng.randn(1, 148).array() < 0.5).cast<double>();
  auto got = Call("random_mini_batches",
                  [&] { return graded::random_mini_batches(X, Y, 64, 0); });
  if (!got) return;
  const std::string fn = "random_mini_batches";
  if (got->size() != 3) {
    ADD_FAILURE() << fn << ": m = 148, mini_batch_size = 64 must give 3 "
                  << "batches (64, 64 and the last 20), got " << got->size();
    return;
  }
  const int sizes[] = {64, 64, 20};
  for (int k = 0; k < 3; ++k) {
    const std::string b = "mini_batches[" + std::to_string(k) + "]";
    EXPECT_TRUE(HasShape(fn, b + ".X", (*got)[k].X, 12288, sizes[k],
                         "batches of mini_batch_size columns, the rest last"));
    EXPECT_TRUE(HasShape(fn, b + ".Y", (*got)[k].Y, 1, sizes[k]));
  }
  EXPECT_TRUE(Near(fn, "mini_batches[0].X row 0, columns 0..2",
                   (*got)[0].X.block(0, 0, 1, 3),
                   matrix({{0.90085595, -0.7612069, 0.2344157}}), kCourseValues,
                   "dl::RandomState rng(seed); rng.permutation(m); column j "
                   "of the shuffled X is X.col(permutation[j])"));
}

// The course's integer check: X[i][j] = j * 12288 + i shows which column
// went where (the permutation starts 24, 7, 37).
TEST(RandomMiniBatches, CourseIntegerCheck) {
  Matrix X(12288, 148);
  for (int j = 0; j < 148; ++j) {
    for (int i = 0; i < 12288; ++i)
      X(i, j) = static_cast<double>(j) * 12288 + i;
  }
  Matrix Y(1, 148);
  for (int j = 0; j < 148; ++j) Y(0, j) = j;
  auto got = Call("random_mini_batches",
                  [&] { return graded::random_mini_batches(X, Y, 64, 0); });
  if (!got) return;
  const std::string fn = "random_mini_batches";
  if (got->size() != 3) {
    ADD_FAILURE() << fn << ": expected 3 batches, got " << got->size();
    return;
  }
  const std::string hint =
      "shuffle whole COLUMNS (examples) with one permutation of m = "
      "X.cols(), drawn after seeding with seed";
  EXPECT_TRUE(Near(fn, "mini_batches[0].X row 0, columns 0..2",
                   (*got)[0].X.block(0, 0, 1, 3),
                   matrix({{294912, 86016, 454656}}), kCourseValues, hint));
  EXPECT_TRUE(Near(fn, "mini_batches[2].X last row, columns 0..2",
                   (*got)[2].X.block(12287, 0, 1, 3),
                   matrix({{1425407, 1769471, 897023}}), kCourseValues, hint));
  EXPECT_TRUE(Near(fn, "mini_batches[0].Y columns 0..2",
                   (*got)[0].Y.block(0, 0, 1, 3), matrix({{24, 7, 37}}),
                   kCourseValues,
                   "Y's columns move with X's (the same permutation)"));
}

TEST(RandomMiniBatches, MatchesReferenceOnSeveralSizes) {
  struct Case {
    int n_x, m, size, seed;
  };
  // a last partial batch, an exact multiple, m = 1, m < size, size 1
  const Case cases[] = {{3, 130, 64, 5},
                        {2, 96, 32, 11},
                        {4, 1, 64, 2},
                        {5, 7, 10, 3},
                        {1, 6, 1, 9}};
  for (const Case& c : cases) {
    RandomState rng(c.seed + 100);
    const Matrix X = rng.randn(c.n_x, c.m);
    const Matrix Y = (rng.rand(1, c.m).array() < 0.5).cast<double>();
    auto got = Call("random_mini_batches", [&] {
      return graded::random_mini_batches(X, Y, c.size, c.seed);
    });
    if (!got) return;
    const std::vector<MiniBatch> want =
        reference::random_mini_batches(X, Y, c.size, c.seed);
    const std::string ctx = " for X (" + std::to_string(c.n_x) + ", " +
                            std::to_string(c.m) + "), mini_batch_size " +
                            std::to_string(c.size) + ", seed " +
                            std::to_string(c.seed);
    if (got->size() != want.size()) {
      ADD_FAILURE() << "random_mini_batches: " << got->size()
                    << " batches, expected " << want.size() << ctx
                    << " (floor(m / size) full batches, plus one if m % "
                       "size != 0)";
      continue;
    }
    for (size_t k = 0; k < want.size(); ++k) {
      const std::string b = "mini_batches[" + std::to_string(k) + "]";
      EXPECT_TRUE(
          Near("random_mini_batches", b + ".X" + ctx, (*got)[k].X, want[k].X));
      EXPECT_TRUE(
          Near("random_mini_batches", b + ".Y" + ctx, (*got)[k].Y, want[k].Y));
    }
  }
}

// ---------------------------------------------------------------------------

TEST(InitializeVelocity, CourseExample) {
  const Fixture f = CourseFixture();
  auto got = Call("initialize_velocity",
                  [&] { return graded::initialize_velocity(f.parameters); });
  if (!got) return;
  ExpectMapNear("initialize_velocity", "v", *got,
                {{"dW1", Matrix::Zero(2, 3)},
                 {"db1", Matrix::Zero(2, 1)},
                 {"dW2", Matrix::Zero(3, 2)},
                 {"db2", Matrix::Zero(3, 1)}},
                "", "keys \"dW1\", \"db1\", ...: zeros of W's and b's shapes",
                kCourseValues);
}

TEST(InitializeVelocity, MatchesReferenceOnSeveralNetworks) {
  for (const Network& n : Networks()) {
    auto got = Call("initialize_velocity",
                    [&] { return graded::initialize_velocity(n.parameters); });
    if (!got) return;
    ExpectMapNear("initialize_velocity", "v", *got,
                  reference::initialize_velocity(n.parameters), n.context);
  }
}

TEST(UpdateParametersWithMomentum, CourseExample) {
  const Fixture f = CourseFixture();
  const Moments v0 = reference::initialize_velocity(f.parameters);
  auto got = Call("update_parameters_with_momentum", [&] {
    return graded::update_parameters_with_momentum(f.parameters, f.grads, v0,
                                                   0.9, 0.01);
  });
  if (!got) return;
  const std::string fn = "update_parameters_with_momentum";
  const std::string hint =
      "v = beta v + (1 - beta) dW first, then W = W - learning_rate v";
  if (got->parameters.count("W1")) {
    EXPECT_TRUE(Near(
        fn, "parameters[\"W1\"] row 0", Row(got->parameters.at("W1"), 0),
        matrix({{1.62522322, -0.61179863, -0.52875457}}), kCourseValues, hint));
  }
  EXPECT_TRUE(NearKey(fn, "parameters", got->parameters, "b1",
                      matrix({{1.74430927}, {-0.76210776}}), kCourseValues,
                      hint));
  if (got->parameters.count("W2")) {
    EXPECT_TRUE(
        Near(fn, "parameters[\"W2\"] row 2", Row(got->parameters.at("W2"), 2),
             matrix({{-0.32294756, -0.38336269}}), kCourseValues, hint));
  }
  EXPECT_TRUE(NearKey(fn, "parameters", got->parameters, "b2",
                      matrix({{1.1341662}, {-1.09920409}, {-0.171583}}),
                      kCourseValues, hint));
  EXPECT_TRUE(NearKey(fn, "v", got->v, "dW1",
                      matrix({{-0.08778584, 0.00422137, 0.05828152},
                              {-0.11006192, 0.11447237, 0.09015907}}),
                      kCourseValues, "v = beta v + (1 - beta) dW"));
  EXPECT_TRUE(NearKey(fn, "v", got->v, "db2",
                      matrix({{-0.03967535}, {-0.06871727}, {-0.08452056}}),
                      kCourseValues, "v = beta v + (1 - beta) db"));
}

TEST(UpdateParametersWithMomentum, MatchesReferenceOnSeveralNetworks) {
  for (const Network& n : Networks()) {
    auto got = Call("update_parameters_with_momentum", [&] {
      return graded::update_parameters_with_momentum(n.parameters, n.grads, n.v,
                                                     0.85, 0.03);
    });
    if (!got) return;
    const auto want = reference::update_parameters_with_momentum(
        n.parameters, n.grads, n.v, 0.85, 0.03);
    ExpectMapNear("update_parameters_with_momentum", "parameters",
                  got->parameters, want.parameters, n.context,
                  "with a non-zero v: beta v + (1 - beta) dW uses the v "
                  "you were given");
    ExpectMapNear("update_parameters_with_momentum", "v", got->v, want.v,
                  n.context);
  }
}

// ---------------------------------------------------------------------------

TEST(InitializeAdam, CourseExample) {
  const Fixture f = CourseFixture();
  auto got = Call("initialize_adam",
                  [&] { return graded::initialize_adam(f.parameters); });
  if (!got) return;
  const Map zeros = {{"dW1", Matrix::Zero(2, 3)},
                     {"db1", Matrix::Zero(2, 1)},
                     {"dW2", Matrix::Zero(3, 2)},
                     {"db2", Matrix::Zero(3, 1)}};
  ExpectMapNear("initialize_adam", "v", got->v, zeros, "",
                "keys \"dW1\", \"db1\", ...", kCourseValues);
  ExpectMapNear("initialize_adam", "s", got->s, zeros, "",
                "keys \"dW1\", \"db1\", ...", kCourseValues);
}

TEST(InitializeAdam, MatchesReferenceOnSeveralNetworks) {
  for (const Network& n : Networks()) {
    auto got = Call("initialize_adam",
                    [&] { return graded::initialize_adam(n.parameters); });
    if (!got) return;
    const auto want = reference::initialize_adam(n.parameters);
    ExpectMapNear("initialize_adam", "v", got->v, want.v, n.context);
    ExpectMapNear("initialize_adam", "s", got->s, want.s, n.context);
  }
}

TEST(UpdateParametersWithAdam, CourseExample) {
  const Fixture f = CourseFixture();
  const auto state = reference::initialize_adam(f.parameters);
  auto got = Call("update_parameters_with_adam", [&] {
    return graded::update_parameters_with_adam(
        f.parameters, f.grads, state.v, state.s, 2, 0.02, 0.8, 0.888, 1e-2);
  });
  if (!got) return;
  const std::string fn = "update_parameters_with_adam";
  const std::string hint =
      "W -= learning_rate v_corrected / (sqrt(s_corrected) + epsilon), with "
      "v_corrected = v / (1 - beta1^t), s_corrected = s / (1 - beta2^t)";
  EXPECT_TRUE(NearKey(fn, "parameters", got->parameters, "W1",
                      matrix({{1.63937725, -0.62327448, -0.54308727},
                              {-1.0578897, 0.85032154, -2.31657668}}),
                      kCourseValues, hint));
  if (got->parameters.count("W2")) {
    EXPECT_TRUE(
        Near(fn, "parameters[\"W2\"] row 2", Row(got->parameters.at("W2"), 2),
             matrix({{-0.33729882, -0.36908457}}), kCourseValues, hint));
  }
  EXPECT_TRUE(NearKey(fn, "parameters", got->parameters, "b1",
                      matrix({{1.72995096}, {-0.7762447}}), kCourseValues,
                      hint));
  EXPECT_TRUE(NearKey(fn, "parameters", got->parameters, "b2",
                      matrix({{1.14852557}, {-1.08492339}, {-0.15740527}}),
                      kCourseValues, hint));
}

TEST(UpdateParametersWithAdam, MatchesReferenceOnSeveralNetworks) {
  for (const Network& n : Networks()) {
    auto got = Call("update_parameters_with_adam", [&] {
      return graded::update_parameters_with_adam(
          n.parameters, n.grads, n.v, n.s, 3, 0.01, 0.9, 0.999, 1e-8);
    });
    if (!got) return;
    const auto want = reference::update_parameters_with_adam(
        n.parameters, n.grads, n.v, n.s, 3, 0.01, 0.9, 0.999, 1e-8);
    const std::string fn = "update_parameters_with_adam";
    ExpectMapNear(fn, "parameters", got->parameters, want.parameters,
                  n.context);
    ExpectMapNear(fn, "v", got->v, want.v, n.context,
                  "v = beta1 v + (1 - beta1) dW (before the correction)");
    ExpectMapNear(fn, "s", got->s, want.s, n.context,
                  "s = beta2 s + (1 - beta2) dW², squared entry by entry");
    ExpectMapNear(fn, "v_corrected", got->v_corrected, want.v_corrected,
                  n.context, "v_corrected = v / (1 - beta1^t)");
    ExpectMapNear(fn, "s_corrected", got->s_corrected, want.s_corrected,
                  n.context, "s_corrected = s / (1 - beta2^t)");
  }
}

// The bias correction divides by 1 - beta^t with the t it is given: the same
// inputs at t = 1, 2 and 50 give different corrections.
TEST(UpdateParametersWithAdam, BiasCorrectionUsesT) {
  const Network n = RandomNetwork({3, 4, 2}, 21);
  for (int t : {1, 2, 50}) {
    auto got = Call("update_parameters_with_adam", [&] {
      return graded::update_parameters_with_adam(
          n.parameters, n.grads, n.v, n.s, t, 0.01, 0.9, 0.999, 1e-8);
    });
    if (!got) return;
    const std::string ctx = " at t = " + std::to_string(t);
    const std::string fn = "update_parameters_with_adam";
    if (!got->v.count("dW1") || !got->s.count("dW1")) {
      ADD_FAILURE() << fn << ": v and s need the key \"dW1\"" << ctx;
      return;
    }
    EXPECT_TRUE(NearKey(fn, "v_corrected", got->v_corrected, "dW1",
                        got->v.at("dW1") / (1 - std::pow(0.9, t)), kReference,
                        "v_corrected = v / (1 - beta1^t): std::pow(beta1, t) "
                        "with this call's t",
                        ctx));
    EXPECT_TRUE(NearKey(fn, "s_corrected", got->s_corrected, "dW1",
                        got->s.at("dW1") / (1 - std::pow(0.999, t)), kReference,
                        "s_corrected = s / (1 - beta2^t): beta2, not beta1",
                        ctx));
    const auto want = reference::update_parameters_with_adam(
        n.parameters, n.grads, n.v, n.s, t, 0.01, 0.9, 0.999, 1e-8);
    ExpectMapNear(fn, "parameters", got->parameters, want.parameters, ctx,
                  "the update uses the CORRECTED moments");
  }
}

// ---------------------------------------------------------------------------

TEST(UpdateLr, CourseExample) {
  auto got = Call("update_lr", [&] { return graded::update_lr(0.5, 2, 1); });
  if (!got) return;
  EXPECT_TRUE(Near("update_lr", "learning_rate", *got, 0.16666666666666666,
                   kCourseValues,
                   "learning_rate0 / (1 + decay_rate * epoch_num)"));
}

TEST(UpdateLr, MatchesReference) {
  struct Case {
    double lr0;
    int epoch;
    double rate;
  };
  for (const Case& c : {Case{0.1, 0, 1}, Case{0.3, 7, 0.25}, Case{2, 999, 3}}) {
    auto got = Call("update_lr",
                    [&] { return graded::update_lr(c.lr0, c.epoch, c.rate); });
    if (!got) return;
    EXPECT_TRUE(Near("update_lr",
                     "learning_rate for (" + std::to_string(c.lr0) + ", " +
                         std::to_string(c.epoch) + ", " +
                         std::to_string(c.rate) + ")",
                     *got, reference::update_lr(c.lr0, c.epoch, c.rate)));
  }
}

TEST(ScheduleLrDecay, CourseExamples) {
  auto got = Call("schedule_lr_decay", [&] {
    return std::vector<double>{graded::schedule_lr_decay(0.5, 10, 0.3, 100),
                               graded::schedule_lr_decay(0.5, 100, 0.3, 100)};
  });
  if (!got) return;
  const std::string hint =
      "learning_rate0 / (1 + decay_rate * floor(epoch_num / time_interval))";
  EXPECT_TRUE(Near("schedule_lr_decay", "learning_rate at epoch 10", (*got)[0],
                   0.5, kCourseValues,
                   hint + ": epoch 10 < 100, no decay yet"));
  EXPECT_TRUE(Near("schedule_lr_decay", "learning_rate at epoch 100", (*got)[1],
                   0.3846153846153846, kCourseValues, hint));
}

TEST(ScheduleLrDecay, MatchesReference) {
  struct Case {
    double lr0;
    int epoch;
    double rate;
    int interval;
  };
  for (const Case& c : {Case{0.1, 0, 1, 1000}, Case{0.1, 1999, 1, 1000},
                        Case{0.01, 4999, 1, 1000}, Case{0.7, 35, 0.5, 10}}) {
    auto got = Call("schedule_lr_decay", [&] {
      return graded::schedule_lr_decay(c.lr0, c.epoch, c.rate, c.interval);
    });
    if (!got) return;
    EXPECT_TRUE(Near(
        "schedule_lr_decay",
        "learning_rate at epoch " + std::to_string(c.epoch) + ", interval " +
            std::to_string(c.interval),
        *got, reference::schedule_lr_decay(c.lr0, c.epoch, c.rate, c.interval),
        kReference,
        "floor(epoch_num / time_interval), not epoch_num / "
        "time_interval as a fraction"));
  }
}

// ---------------------------------------------------------------------------

TEST(InitializeRmsprop, ZerosOfGradientShapes) {
  const Fixture f = CourseFixture();
  auto got = Call("initialize_rmsprop",
                  [&] { return graded::initialize_rmsprop(f.parameters); });
  if (!got) return;
  ExpectMapNear("initialize_rmsprop", "s", *got,
                {{"dW1", Matrix::Zero(2, 3)},
                 {"db1", Matrix::Zero(2, 1)},
                 {"dW2", Matrix::Zero(3, 2)},
                 {"db2", Matrix::Zero(3, 1)}},
                "", "keys \"dW1\", \"db1\", ...: zeros of W's and b's shapes");
}

TEST(InitializeRmsprop, MatchesReferenceOnSeveralNetworks) {
  for (const Network& n : Networks()) {
    auto got = Call("initialize_rmsprop",
                    [&] { return graded::initialize_rmsprop(n.parameters); });
    if (!got) return;
    ExpectMapNear("initialize_rmsprop", "s", *got,
                  reference::initialize_rmsprop(n.parameters), n.context);
  }
}

// On the course's fixture, from s = 0: s = (1 - beta) dW², and the step is
// learning_rate dW / (sqrt(s) + epsilon).
TEST(UpdateParametersWithRmsprop, FirstStepOnCourseFixture) {
  const Fixture f = CourseFixture();
  const Moments s0 = reference::initialize_rmsprop(f.parameters);
  auto got = Call("update_parameters_with_rmsprop", [&] {
    return graded::update_parameters_with_rmsprop(f.parameters, f.grads, s0,
                                                  0.9, 0.01, 1e-8);
  });
  if (!got) return;
  for (const std::string key : {"W1", "b1", "W2", "b2"}) {
    const Matrix& g = f.grads.at("d" + key);
    const Matrix s = 0.1 * g.array().square().matrix();
    const Matrix w = f.parameters.at(key).array() -
                     0.01 * g.array() / (s.array().sqrt() + 1e-8);
    EXPECT_TRUE(NearKey("update_parameters_with_rmsprop", "s", got->s,
                        "d" + key, s, kReference,
                        "s = beta s + (1 - beta) dW², squared entry by entry"));
    EXPECT_TRUE(NearKey("update_parameters_with_rmsprop", "parameters",
                        got->parameters, key, w, kReference,
                        "W -= learning_rate dW / (sqrt(s) + epsilon): "
                        "epsilon outside the sqrt, no bias correction"));
  }
}

TEST(UpdateParametersWithRmsprop, MatchesReferenceOnSeveralNetworks) {
  for (const Network& n : Networks()) {
    auto got = Call("update_parameters_with_rmsprop", [&] {
      return graded::update_parameters_with_rmsprop(n.parameters, n.grads, n.s,
                                                    0.95, 0.002, 1e-6);
    });
    if (!got) return;
    const auto want = reference::update_parameters_with_rmsprop(
        n.parameters, n.grads, n.s, 0.95, 0.002, 1e-6);
    ExpectMapNear("update_parameters_with_rmsprop", "parameters",
                  got->parameters, want.parameters, n.context);
    ExpectMapNear("update_parameters_with_rmsprop", "s", got->s, want.s,
                  n.context, "with a non-zero s: beta s + (1 - beta) dW²");
  }
}

}  // namespace
