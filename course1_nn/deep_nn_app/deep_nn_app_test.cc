// Grades course1_nn/deep_nn_app: two_layer_model and L_layer_model against
// the reference solution on small seeded problems (the course's own numbers
// need the course's pictures, which cannot be downloaded here), and checks
// that training learns a separable problem.

#include "course1_nn/deep_nn_app/deep_nn_app.h"

#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "course1_nn/deep_nn_app/graded.h"  // see tools/unit.bzl
#include "gtest/gtest.h"

namespace reference = deep_nn_app::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
using deep_nn_app::Parameters;
using deep_nn_app::TrainResult;
using dl::Matrix;
using dl::RandomState;

// A small problem: X (n_x, m) ~ N(0, 1), Y = 1 where a random direction is
// positive.
struct Problem {
  Matrix X, Y;
};

Problem make_problem(int n_x, int m, uint32_t seed) {
  RandomState rng(seed);
  Problem p;
  p.X = rng.randn(n_x, m);
  const Matrix direction = rng.randn(1, n_x);
  p.Y = ((direction * p.X).array() > 0).cast<double>().matrix();
  return p;
}

// Compares every parameter and every recorded cost.
void expect_same_training(const std::string& function, const TrainResult& got,
                          const TrainResult& want) {
  for (const auto& [key, value] : want.parameters) {
    const auto it = got.parameters.find(key);
    if (it == got.parameters.end()) {
      ADD_FAILURE() << function << ": parameters has no key \"" << key << "\"";
      continue;
    }
    EXPECT_TRUE(Near(function, "parameters[\"" + key + "\"]", it->second, value,
                     dl::grading::kReference,
                     "train with the given building blocks, in the course's "
                     "order, at the given learning rate"));
  }
  if (got.costs.size() != want.costs.size()) {
    ADD_FAILURE() << function << ": " << got.costs.size()
                  << " costs recorded, expected " << want.costs.size()
                  << " (one when i % 100 == 0)";
    return;
  }
  for (size_t i = 0; i < want.costs.size(); ++i) {
    EXPECT_TRUE(Near(function, "costs[" + std::to_string(i) + "]", got.costs[i],
                     want.costs[i]));
  }
}

// --------------------------------------------------------- two_layer_model
TEST(TwoLayerModel, MatchesReferenceOnSmallProblems) {
  struct Case {
    int n_x, n_h, m;
  };
  for (const Case c : {Case{12, 5, 30}, Case{4, 7, 9}, Case{3, 1, 1}}) {
    const Problem p = make_problem(c.n_x, c.m, 11);
    const std::vector<int> dims = {c.n_x, c.n_h, 1};
    auto got = Call("two_layer_model", [&] {
      return graded::two_layer_model(p.X, p.Y, dims, 0.05, 250, false);
    });
    if (!got) return;
    SCOPED_TRACE("layers_dims {" + std::to_string(c.n_x) + ", " +
                 std::to_string(c.n_h) + ", 1}, m = " + std::to_string(c.m));
    expect_same_training(
        "two_layer_model", *got,
        reference::two_layer_model(p.X, p.Y, dims, 0.05, 250, false));
  }
}

TEST(TwoLayerModel, FirstCostIsTheInitialNetworksCost) {
  // With W ~ 0.01 randn and b = 0, A2 is about 0.5: the first cost is ln 2.
  const Problem p = make_problem(6, 20, 12);
  auto got = Call("two_layer_model", [&] {
    return graded::two_layer_model(p.X, p.Y, {6, 4, 1}, 0.0075, 1, false);
  });
  if (!got) return;
  ASSERT_EQ(got->costs.size(), 1u)
      << "two_layer_model: one iteration records one cost (iteration 0)";
  EXPECT_TRUE(Near("two_layer_model", "costs[0]", got->costs[0], 0.6931,
                   {1e-3, 0}, "the cost BEFORE the first update"));
}

TEST(TwoLayerModel, LearnsASeparableProblem) {
  const Problem p = make_problem(5, 60, 13);
  auto got = Call("two_layer_model", [&] {
    return graded::two_layer_model(p.X, p.Y, {5, 6, 1}, 0.5, 800, false);
  });
  if (!got) return;
  const Matrix prediction = deep_nn_app::predict(p.X, got->parameters);
  const double accuracy = 1.0 - (prediction - p.Y).cwiseAbs().mean();
  EXPECT_GE(accuracy, 0.95) << "two_layer_model: after 800 iterations at "
                               "learning rate 0.5 the training accuracy is "
                            << accuracy << ", expected >= 0.95";
}

// ----------------------------------------------------------- L_layer_model
TEST(LLayerModel, MatchesReferenceOnSmallProblems) {
  const std::vector<std::vector<int>> all_dims = {
      {12, 6, 4, 1}, {5, 3, 1}, {8, 7, 5, 3, 1}};
  for (const auto& dims : all_dims) {
    for (int m : {25, 1}) {
      const Problem p = make_problem(dims[0], m, 21);
      auto got = Call("L_layer_model", [&] {
        return graded::L_layer_model(p.X, p.Y, dims, 0.05, 210, false);
      });
      if (!got) return;
      SCOPED_TRACE(std::to_string(dims.size() - 1) +
                   " layers, m = " + std::to_string(m));
      expect_same_training(
          "L_layer_model", *got,
          reference::L_layer_model(p.X, p.Y, dims, 0.05, 210, false));
    }
  }
}

TEST(LLayerModel, UsesTheApplicationsInitialization) {
  // The application's initialize_parameters_deep (randn / sqrt(n_prev), seed
  // 1), not the step-by-step one (randn * 0.01, seed 3): with zero
  // iterations the parameters are the initial ones.
  const Problem p = make_problem(7, 10, 22);
  const std::vector<int> dims = {7, 5, 1};
  auto got = Call("L_layer_model", [&] {
    return graded::L_layer_model(p.X, p.Y, dims, 0.0075, 0, false);
  });
  if (!got) return;
  const Parameters want = deep_nn_app::initialize_parameters_deep(dims);
  for (const char* key : {"W1", "W2"}) {
    const auto it = got->parameters.find(key);
    if (it == got->parameters.end()) {
      ADD_FAILURE() << "L_layer_model: parameters has no key \"" << key << "\"";
      continue;
    }
    EXPECT_TRUE(Near("L_layer_model", std::string(key) + " before training",
                     it->second, want.at(key), dl::grading::kReference,
                     "initialize with this unit's initialize_parameters_deep"));
  }
}

}  // namespace
