// Grades course2_tuning/initialization: the course's expected values (same
// numpy seed, same draw order) and a comparison with the reference solution
// on several layer sizes (including a layer of one unit and one input).

#include "course2_tuning/initialization/initialization.h"

#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "course2_tuning/initialization/graded.h"  // see tools/unit.bzl
#include "gtest/gtest.h"

namespace reference = initialization::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
using deep_nn::Parameters;
using dl::Matrix;
using dl::matrix;

using Init = std::function<Parameters(const std::vector<int>&)>;

std::string DimsString(const std::vector<int>& dims) {
  std::string s = "(";
  for (size_t i = 0; i < dims.size(); ++i) {
    s += (i ? ", " : "") + std::to_string(dims[i]);
  }
  return s + ")";
}

std::string Keys(const Parameters& map) {
  std::string keys;
  for (const auto& entry : map) {
    keys += (keys.empty() ? "\"" : ", \"") + entry.first + "\"";
  }
  return keys.empty() ? "none" : keys;
}

// Every key of want in got with the same values, and no other keys.
void ExpectParametersNear(const std::string& function, const Parameters& got,
                          const Parameters& want, Tolerance tol,
                          const std::string& context, const std::string& hint) {
  for (const auto& [key, value] : want) {
    if (!got.count(key)) {
      ADD_FAILURE() << function << ": parameters has no key \"" << key << "\""
                    << context << " (its keys: " << Keys(got) << ")";
      continue;
    }
    EXPECT_TRUE(Near(function, "parameters[\"" + key + "\"]" + context,
                     got.at(key), want.at(key), tol, hint));
  }
  for (const auto& entry : got) {
    EXPECT_TRUE(want.count(entry.first))
        << function << ": parameters has an extra key \"" << entry.first << "\""
        << context << "; expected exactly " << Keys(want);
  }
}

// Several networks whose dimensions all differ, plus one input (n_x = 1)
// and a layer of one unit.
const std::vector<std::vector<int>> kDims = {
    {5, 4, 3, 1}, {7, 6, 2}, {1, 3, 1}, {4, 1, 1}, {3, 8, 5, 2, 1}};

void ExpectMatchesReference(const char* name, const Init& init,
                            const Init& want_init, const std::string& hint) {
  for (const auto& dims : kDims) {
    auto got = Call(name, [&] { return init(dims); });
    if (!got) return;
    ExpectParametersNear(name, *got, want_init(dims), kReference,
                         " for layers_dims " + DimsString(dims), hint);
  }
}

TEST(InitializeParametersZeros, CourseExample) {
  auto got = Call("initialize_parameters_zeros", [&] {
    return graded::initialize_parameters_zeros({3, 2, 1});
  });
  if (!got) return;
  const Parameters want = {{"W1", Matrix::Zero(2, 3)},
                           {"b1", Matrix::Zero(2, 1)},
                           {"W2", Matrix::Zero(1, 2)},
                           {"b2", Matrix::Zero(1, 1)}};
  ExpectParametersNear("initialize_parameters_zeros", *got, want, kCourseValues,
                       " for layers_dims (3, 2, 1)",
                       "W[l] is (n[l], n[l-1]), b[l] is (n[l], 1), all zeros");
}

TEST(InitializeParametersZeros, MatchesReferenceOnSeveralNetworks) {
  ExpectMatchesReference(
      "initialize_parameters_zeros",
      [](const std::vector<int>& d) {
        return graded::initialize_parameters_zeros(d);
      },
      [](const std::vector<int>& d) {
        return reference::initialize_parameters_zeros(d);
      },
      "one W and one b per layer l = 1 .. layers_dims.size() - 1");
}

TEST(InitializeParametersRandom, CourseExample) {
  auto got = Call("initialize_parameters_random", [&] {
    return graded::initialize_parameters_random({3, 2, 1});
  });
  if (!got) return;
  const std::string hint =
      "dl::RandomState rng(3) inside the function, W1 drawn first, "
      "randn(n[l], n[l-1]) * 10";
  if (!got->count("W1") || !got->count("b1") || !got->count("W2")) {
    ADD_FAILURE() << "initialize_parameters_random: expected keys \"W1\", "
                     "\"b1\", \"W2\", \"b2\"; got "
                  << Keys(*got);
    return;
  }
  EXPECT_TRUE(Near("initialize_parameters_random", "parameters[\"W1\"]",
                   got->at("W1"),
                   matrix({{17.88628473, 4.36509851, 0.96497468},
                           {-18.63492703, -2.77388203, -3.54758979}}),
                   kCourseValues, hint));
  EXPECT_TRUE(Near("initialize_parameters_random", "parameters[\"b1\"]",
                   got->at("b1"), Matrix::Zero(2, 1), kCourseValues,
                   "the biases start at zero"));
  EXPECT_TRUE(Near("initialize_parameters_random", "parameters[\"W2\"]",
                   got->at("W2"),
                   reference::initialize_parameters_random({3, 2, 1}).at("W2"),
                   kReference, hint));
}

TEST(InitializeParametersRandom, MatchesReferenceOnSeveralNetworks) {
  ExpectMatchesReference(
      "initialize_parameters_random",
      [](const std::vector<int>& d) {
        return graded::initialize_parameters_random(d);
      },
      [](const std::vector<int>& d) {
        return reference::initialize_parameters_random(d);
      },
      "seed 3 at the top, then W1, W2, ... in order (b draws nothing)");
}

TEST(InitializeParametersHe, CourseExample) {
  auto got = Call("initialize_parameters_he", [&] {
    return graded::initialize_parameters_he({2, 4, 1});
  });
  if (!got) return;
  const Parameters want = {
      {"W1", matrix({{1.78862847, 0.43650985},
                     {0.09649747, -1.8634927},
                     {-0.2773882, -0.35475898},
                     {-0.08274148, -0.62700068}})},
      {"b1", Matrix::Zero(4, 1)},
      {"W2", matrix({{-0.03098412, -0.33744411, -0.92904268, 0.62552248}})},
      {"b2", Matrix::Zero(1, 1)}};
  ExpectParametersNear(
      "initialize_parameters_he", *got, want, kCourseValues,
      " for layers_dims (2, 4, 1)",
      "dl::RandomState rng(3); randn(n[l], n[l-1]) * sqrt(2.0 / n[l-1]) "
      "(n of the PREVIOUS layer; 2 / n with ints is 0)");
}

TEST(InitializeParametersHe, MatchesReferenceOnSeveralNetworks) {
  ExpectMatchesReference(
      "initialize_parameters_he",
      [](const std::vector<int>& d) {
        return graded::initialize_parameters_he(d);
      },
      [](const std::vector<int>& d) {
        return reference::initialize_parameters_he(d);
      },
      "the scale is sqrt(2 / n[l-1]), with n[l-1] = layers_dims[l - 1]");
}

// The course's He draws divided by sqrt(2): with seed 3 the same randn
// values, scaled by sqrt(1 / n[l-1]) instead of sqrt(2 / n[l-1]).
TEST(InitializeParametersXavier, CourseDrawsScaled) {
  auto got = Call("initialize_parameters_xavier", [&] {
    return graded::initialize_parameters_xavier({2, 4, 1});
  });
  if (!got) return;
  const double r = 1 / std::sqrt(2.0);
  const Parameters want = {
      {"W1", matrix({{1.78862847, 0.43650985},
                     {0.09649747, -1.8634927},
                     {-0.2773882, -0.35475898},
                     {-0.08274148, -0.62700068}}) *
                 r},
      {"b1", Matrix::Zero(4, 1)},
      {"W2", matrix({{-0.03098412, -0.33744411, -0.92904268, 0.62552248}}) * r},
      {"b2", Matrix::Zero(1, 1)}};
  ExpectParametersNear(
      "initialize_parameters_xavier", *got, want, kCourseValues,
      " for layers_dims (2, 4, 1)",
      "dl::RandomState rng(3); randn(n[l], n[l-1]) * sqrt(1.0 / n[l-1])");
}

TEST(InitializeParametersXavier, MatchesReferenceOnSeveralNetworks) {
  ExpectMatchesReference(
      "initialize_parameters_xavier",
      [](const std::vector<int>& d) {
        return graded::initialize_parameters_xavier(d);
      },
      [](const std::vector<int>& d) {
        return reference::initialize_parameters_xavier(d);
      },
      "the scale is sqrt(1 / n[l-1]), with n[l-1] = layers_dims[l - 1]");
}

}  // namespace
