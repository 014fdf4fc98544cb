// Tests of the given code in gc_utils: the order of dictionary_to_vector
// and gradients_to_vector, the round trip through vector_to_dictionary, the
// fixture's cost, and that exactly dW2 and db1 of the given
// backward_propagation_n are wrong (and nothing of the fixed one).

#include "course2_tuning/gradient_checking/gc_utils.h"

#include <map>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "gtest/gtest.h"

namespace gradient_checking {
namespace {

struct Fixture {
  Matrix X, Y;
  Parameters parameters;
};

// The course's gradient_check_n_test_case (seed 1).
Fixture course_fixture() {
  dl::RandomState rng(1);
  Fixture f;
  f.X = rng.randn(4, 3);
  f.Y = dl::matrix({{1, 1, 0}});
  f.parameters["W1"] = rng.randn(5, 4);
  f.parameters["b1"] = rng.randn(5, 1);
  f.parameters["W2"] = rng.randn(3, 5);
  f.parameters["b2"] = rng.randn(3, 1);
  f.parameters["W3"] = rng.randn(1, 3);
  f.parameters["b3"] = rng.randn(1, 1);
  return f;
}

TEST(DictionaryToVector, CourseOrderAndShape) {
  const Fixture f = course_fixture();
  const ParameterVector v = dictionary_to_vector(f.parameters);
  ASSERT_EQ(v.theta.rows(), 47);
  ASSERT_EQ(v.theta.cols(), 1);
  ASSERT_EQ(v.keys.size(), 47u);
  // W1 row by row first, then b1, W2, b2, W3, b3.
  EXPECT_EQ(v.theta(1, 0), f.parameters.at("W1")(0, 1));
  EXPECT_EQ(v.theta(4, 0), f.parameters.at("W1")(1, 0));
  EXPECT_EQ(v.theta(20, 0), f.parameters.at("b1")(0, 0));
  EXPECT_EQ(v.theta(26, 0), f.parameters.at("W2")(0, 1));
  EXPECT_EQ(v.theta(40, 0), f.parameters.at("b2")(0, 0));
  EXPECT_EQ(v.theta(46, 0), f.parameters.at("b3")(0, 0));
  EXPECT_EQ(v.keys[19], "W1");
  EXPECT_EQ(v.keys[20], "b1");
  EXPECT_EQ(v.keys[25], "W2");
  EXPECT_EQ(v.keys[43], "W3");
  EXPECT_EQ(v.keys[46], "b3");
}

TEST(VectorToDictionary, RoundTrip) {
  const Fixture f = course_fixture();
  const Parameters back = vector_to_dictionary(
      dictionary_to_vector(f.parameters).theta, f.parameters);
  for (const auto& [key, value] : f.parameters) {
    ASSERT_TRUE(back.count(key)) << key;
    EXPECT_EQ(back.at(key), value) << key;
  }
  EXPECT_THROW(vector_to_dictionary(Matrix::Zero(46, 1), f.parameters),
               std::invalid_argument);
}

TEST(GradientsToVector, SameOrderAsParameters) {
  const Fixture f = course_fixture();
  Grads g;
  for (const auto& [key, value] : f.parameters) g["d" + key] = value;
  EXPECT_EQ(gradients_to_vector(g), dictionary_to_vector(f.parameters).theta);
  g.erase("db2");
  EXPECT_THROW(gradients_to_vector(g), std::invalid_argument);
}

// Per-block finite differences of forward_propagation_n's cost.
std::map<std::string, double> block_differences(const Fixture& f,
                                                const Grads& g) {
  Parameters p = f.parameters;
  std::vector<dl::grading::GradientBlock> blocks;
  for (const std::string& key : kParameterKeys) {
    blocks.push_back({"d" + key, &p.at(key), g.at("d" + key)});
  }
  const auto checks = dl::grading::CheckGradients(
      [&] { return forward_propagation_n(f.X, f.Y, p).cost; }, blocks,
      /*epsilon=*/1e-5);  // one-number blocks are too noisy at 1e-7
  std::map<std::string, double> result;
  for (const auto& c : checks) result[c.name] = c.relative_difference;
  return result;
}

TEST(BackwardPropagationN, ExactlyDW2AndDb1AreWrong) {
  const Fixture f = course_fixture();
  const ForwardResult forward = forward_propagation_n(f.X, f.Y, f.parameters);
  const auto buggy =
      block_differences(f, backward_propagation_n(f.X, f.Y, forward.cache));
  const auto fixed = block_differences(
      f, backward_propagation_n_fixed(f.X, f.Y, forward.cache));
  for (const std::string& key : kParameterKeys) {
    const std::string d = "d" + key;
    EXPECT_LT(fixed.at(d), 2e-7) << d;
    if (d == "dW2" || d == "db1") {
      EXPECT_GT(buggy.at(d), 0.1) << d;
    } else {
      EXPECT_LT(buggy.at(d), 2e-7) << d;
    }
  }
}

}  // namespace
}  // namespace gradient_checking
