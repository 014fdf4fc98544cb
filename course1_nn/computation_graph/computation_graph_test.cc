// Grades course1_nn/computation_graph: the course's J = 3(a + bc), nodes used
// twice, each op's local derivatives against finite differences, topological
// orders of random expressions, and backward against the reference solution
// and against finite differences of the forward value.

#include "course1_nn/computation_graph/computation_graph.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "course1_nn/computation_graph/graded.h"  // see tools/unit.bzl
#include "course1_nn/computation_graph/graph.h"
#include "gtest/gtest.h"

namespace reference = computation_graph::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
using computation_graph::forward_value;
using computation_graph::Graph;
using computation_graph::Op;
using computation_graph::op_name;
using computation_graph::Value;
using dl::Matrix;
using dl::RandomState;

// Centered finite differences (f(x + ε) - f(x - ε)) / 2ε of one op: the
// error is ~ε² from the formula plus ~1e-16/ε from rounding, far below the
// tolerance. (Whole gradients of random expressions use the course's check,
// dl::grading::CheckGradients, with its ε = 1e-7 and threshold 2e-7 on the
// relative difference; the reference stays below 1e-8 there.)
constexpr double kEpsilon = 1e-6;
constexpr Tolerance kFiniteDifferences{1e-6, 1e-6};

const std::vector<Op> kOps = {Op::kAdd, Op::kMul,  Op::kPow,     Op::kExp,
                              Op::kLog, Op::kTanh, Op::kSigmoid, Op::kRelu};

std::string num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

// ------------------------------------------------------------- fixtures

// The course's example (C1W2 "Computation Graph"), named as in the lecture:
// u = bc, v = a + u, J = 3v, with a = 5, b = 3, c = 2, so J = 33.
struct CourseGraph {
  Value a, b, c, u, v, J;
};

CourseGraph course_graph(Graph& graph) {
  CourseGraph g;
  g.a = graph.variable(5, "a");
  g.b = graph.variable(3, "b");
  g.c = graph.variable(2, "c");
  g.u = named(g.b * g.c, "u");
  g.v = named(g.a + g.u, "v");
  g.J = named(3 * g.v, "J");
  return g;
}

// Random expressions. A recipe is a list of steps, each an operation on
// earlier terms (the variables, then the results of earlier steps); terms are
// picked at random, so many are used more than once (shared
// sub-expressions), and some are used by no later step (nodes the root does
// not depend on). The same recipe can be built again at other variable
// values, which the finite-difference checks do.
enum class Kind {
  kAdd,
  kMul,
  kSub,
  kDiv,
  kNeg,
  kScale,
  kShift,
  kPow,
  kExp,
  kLog,
  kTanh,
  kSigmoid,
  kRelu,
};
constexpr int kNumKinds = 13;
const double kExponents[] = {2, 3, -1, 0.5, 1.5};

struct Step {
  Kind kind = Kind::kAdd;
  int a = 0, b = 0;     // the terms it uses (b only by add, mul, sub, div)
  double constant = 0;  // kScale, kShift: the number; kPow: the exponent
};

struct Recipe {
  std::vector<double> variables;  // the variables' values x0, x1, ...
  std::vector<Step> steps;
};

Value apply_step(const Step& s, const std::vector<Value>& terms) {
  const Value a = terms[s.a], b = terms[s.b];
  switch (s.kind) {
    case Kind::kAdd:
      return a + b;
    case Kind::kMul:
      return a * b;
    case Kind::kSub:
      return a - b;
    case Kind::kDiv:
      return a / b;
    case Kind::kNeg:
      return -a;
    case Kind::kScale:
      return s.constant * a;
    case Kind::kShift:
      return a + s.constant;
    case Kind::kPow:
      return pow(a, s.constant);
    case Kind::kExp:
      return exp(a);
    case Kind::kLog:
      return log(a);
    case Kind::kTanh:
      return tanh(a);
    case Kind::kSigmoid:
      return sigmoid(a);
    case Kind::kRelu:
      return relu(a);
  }
  return a;
}

// Whether a step is smooth and tame at these values: no log or fractional
// power of a small or negative number, no division by a small one, no relu
// near its kink, no exp of a large number.
bool tame(const Step& s, double a, double b) {
  switch (s.kind) {
    case Kind::kDiv:
      return std::abs(b) > 0.5;
    case Kind::kLog:
      return a > 0.2;
    case Kind::kPow:
      if (s.constant != std::floor(s.constant) && a < 0.2) return false;
      return s.constant > 0 || std::abs(a) > 0.5;
    case Kind::kExp:
      return a < 2;
    case Kind::kRelu:
      return std::abs(a) > 0.05;
    default:
      return true;
  }
}

struct Expression {
  std::vector<Value> variables;  // x0, x1, ...: node ids 0, 1, ...
  Value root;                    // J, the last step's result
};

Expression build(Graph& graph, const Recipe& recipe,
                 const std::vector<double>& variable_values) {
  Expression e;
  for (size_t i = 0; i < variable_values.size(); ++i) {
    e.variables.push_back(
        graph.variable(variable_values[i], "x" + std::to_string(i)));
  }
  std::vector<Value> terms = e.variables;
  for (const Step& s : recipe.steps) terms.push_back(apply_step(s, terms));
  e.root = named(terms.back(), "J");
  return e;
}

// J's value with the variables at these values.
double root_value(const Recipe& recipe, const std::vector<double>& variables) {
  Graph graph;
  return value(build(graph, recipe, variables).root);
}

// The length of J's gradient with respect to the variables, by finite
// differences.
double numeric_gradient_norm(const Recipe& recipe) {
  double sum = 0;
  for (size_t i = 0; i < recipe.variables.size(); ++i) {
    std::vector<double> plus = recipe.variables, minus = recipe.variables;
    plus[i] += kEpsilon;
    minus[i] -= kEpsilon;
    const double d =
        (root_value(recipe, plus) - root_value(recipe, minus)) / (2 * kEpsilon);
    sum += d * d;
  }
  return std::sqrt(sum);
}

// One try of random_recipe.
Recipe random_recipe_once(RandomState& rng, int num_steps) {
  Recipe recipe;
  const int num_variables = static_cast<int>(rng.randint(2, 5));
  for (int i = 0; i < num_variables; ++i) {
    recipe.variables.push_back(rng.uniform(-1.5, 1.5));
  }
  Graph scratch;  // to know the values while choosing the steps
  std::vector<Value> terms;
  for (double x : recipe.variables) terms.push_back(scratch.variable(x));
  while (static_cast<int>(recipe.steps.size()) < num_steps) {
    const int n = static_cast<int>(terms.size());
    Step s;
    s.kind = static_cast<Kind>(rng.randint(0, kNumKinds));
    // Mostly the latest term, so the expression is deep.
    s.a =
        rng.random_sample() < 0.6 ? n - 1 : static_cast<int>(rng.randint(0, n));
    s.b = static_cast<int>(rng.randint(0, n));
    s.constant = s.kind == Kind::kPow ? kExponents[rng.randint(0, 5)]
                                      : rng.uniform(-2, 2);
    if (!tame(s, value(terms[s.a]), value(terms[s.b]))) continue;
    const Value out = apply_step(s, terms);
    if (!(std::abs(value(out)) < 10)) continue;
    recipe.steps.push_back(s);
    terms.push_back(out);
  }
  return recipe;
}

// A random recipe of num_steps steps with 2 to 4 variables, every value of
// magnitude below 10, every step smooth around the variables' values, and a
// J that does depend on the variables (not, say, relu of a negative number).
Recipe random_recipe(uint32_t seed, int num_steps) {
  RandomState rng(seed);
  for (;;) {
    Recipe recipe = random_recipe_once(rng, num_steps);
    if (numeric_gradient_norm(recipe) > 0.1) return recipe;
  }
}

// (seed, number of steps) of the random expressions.
const std::vector<std::pair<uint32_t, int>> kExpressions = {
    {1, 10}, {2, 15}, {3, 20}, {4, 25}, {5, 30}, {6, 12}, {7, 30}, {8, 18}};

std::string expression_name(uint32_t seed, int steps) {
  return "random expression " + std::to_string(seed) + " (" +
         std::to_string(steps) + " steps)";
}

// Which nodes root depends on, root included. Inputs have smaller ids than
// their node, so one sweep from root down to 0 finds them all.
std::vector<bool> depends_on(const Graph& graph, int root) {
  std::vector<bool> needed(graph.size(), false);
  needed[root] = true;
  for (int id = root; id >= 0; --id) {
    if (!needed[id]) continue;
    for (int input : graph.node(id).inputs) needed[input] = true;
  }
  return needed;
}

// Whether `order` holds exactly the nodes root depends on, each once, every
// node after its inputs (or, with root_first, before them).
testing::AssertionResult IsTopologicalOrder(const std::string& function,
                                            const std::string& what,
                                            const Graph& graph, int root,
                                            const std::vector<int>& order,
                                            bool root_first) {
  auto fail = [&] {
    return testing::AssertionFailure() << function << ": " << what << ": ";
  };
  const std::vector<bool> needed = depends_on(graph, root);
  const int expected =
      static_cast<int>(std::count(needed.begin(), needed.end(), true));
  const std::string root_name = graph.describe(root);
  std::vector<int> position(graph.size(), -1);
  for (size_t k = 0; k < order.size(); ++k) {
    const int id = order[k];
    if (id < 0 || id >= graph.size()) {
      return fail() << "it contains " << id << ", which is not a node id (the "
                    << "graph has ids 0.." << graph.size() - 1 << ")";
    }
    if (position[id] >= 0) {
      return fail() << "node " << graph.describe(id) << " appears twice (at "
                    << "positions " << position[id] << " and " << k << ")."
                    << "\n    hint: mark nodes as visited, so that a node "
                    << "used twice (x * x) is added once";
    }
    position[id] = static_cast<int>(k);
  }
  for (int id = 0; id < graph.size(); ++id) {
    if (needed[id] && position[id] < 0) {
      return fail() << "node " << graph.describe(id) << " is missing: root "
                    << root_name << " depends on it (" << order.size()
                    << " nodes returned, expected " << expected << ")."
                    << "\n    hint: visit every input of every node, "
                    << "recursively, starting from root";
    }
    if (!needed[id] && position[id] >= 0) {
      return fail() << "node " << graph.describe(id) << " is in it, but root "
                    << root_name << " does not depend on it."
                    << "\n    hint: start from root and follow the inputs; "
                    << "do not list every node of the graph";
    }
  }
  for (int id : order) {
    for (int input : graph.node(id).inputs) {
      const bool wrong = root_first ? position[input] < position[id]
                                    : position[input] > position[id];
      if (!wrong) continue;
      return fail() << "node " << graph.describe(id) << " comes "
                    << (root_first ? "after" : "before") << " its input "
                    << graph.describe(input) << "."
                    << "\n    hint: "
                    << (root_first
                            ? "walk the topological order reversed, root "
                              "first, so a node's grad is complete before it "
                              "is passed on to its inputs"
                            : "append a node only after visiting all of its "
                              "inputs (post-order)");
    }
  }
  return testing::AssertionSuccess();
}

// --------------------------------------------------------- local_gradients

// The rule of each op, as a hint.
std::string rule(Op op) {
  switch (op) {
    case Op::kVariable:
      return "a variable has no inputs: return {}";
    case Op::kAdd:
      return "∂(a + b)/∂a = 1 and ∂(a + b)/∂b = 1";
    case Op::kMul:
      return "∂(a·b)/∂a = b and ∂(a·b)/∂b = a: each input gets the OTHER "
             "input's value";
    case Op::kPow:
      return "∂(a^p)/∂a = p · a^(p-1): std::pow(a, exponent - 1)";
    case Op::kExp:
      return "∂(e^a)/∂a = e^a, which is the output";
    case Op::kLog:
      return "∂(ln a)/∂a = 1 / a";
    case Op::kTanh:
      return "∂tanh(a)/∂a = 1 - tanh(a)² = 1 - output²";
    case Op::kSigmoid:
      return "∂σ(a)/∂a = σ(a)(1 - σ(a)) = output · (1 - output)";
    case Op::kRelu:
      return "∂relu(a)/∂a = 1 where a > 0, else 0 (also 0 at a = 0)";
  }
  return "";
}

// "mul(a = 3, b = 2)", "pow(a = 1.5; p = 2)".
std::string op_call(Op op, const std::vector<double>& inputs, double exponent) {
  std::string out = std::string(op_name(op)) + "(";
  for (size_t i = 0; i < inputs.size(); ++i) {
    out += (i > 0 ? ", " : "") + std::string(i == 0 ? "a" : "b") + " = " +
           num(inputs[i]);
  }
  if (op == Op::kPow) out += "; p = " + num(exponent);
  return out + ")";
}

// The learner's local derivatives against the expected ones.
testing::AssertionResult LocalGradientsNear(Op op,
                                            const std::vector<double>& inputs,
                                            double exponent,
                                            const std::vector<double>& got,
                                            const std::vector<double>& want,
                                            Tolerance tol) {
  const std::string call = op_call(op, inputs, exponent);
  if (got.size() != want.size()) {
    return testing::AssertionFailure()
           << "local_gradients: for " << call << " it returned " << got.size()
           << " numbers, expected " << want.size() << " (one per input)"
           << "\n    hint: " << rule(op);
  }
  for (size_t i = 0; i < want.size(); ++i) {
    const std::string what = std::string("∂out/∂") + (i == 0 ? "a" : "b") +
                             " of " + call + " (element [" + std::to_string(i) +
                             "])";
    auto result = Near("local_gradients", what, got[i], want[i], tol, rule(op));
    if (!result) return result;
  }
  return testing::AssertionSuccess();
}

// Inputs where op is smooth: positive bases for pow and log, relu away from
// its kink at 0.
struct OpInputs {
  std::vector<double> values;
  double exponent = 0;
};

OpInputs random_inputs(Op op, RandomState& rng) {
  OpInputs in;
  switch (op) {
    case Op::kAdd:
    case Op::kMul:
      in.values = {rng.uniform(-2, 2), rng.uniform(-2, 2)};
      break;
    case Op::kPow:
      in.values = {rng.uniform(0.5, 2)};
      in.exponent = rng.uniform(-3, 3);
      break;
    case Op::kLog:
      in.values = {rng.uniform(0.2, 3)};
      break;
    case Op::kRelu: {
      const double a = rng.uniform(0.1, 2);
      in.values = {rng.random_sample() < 0.5 ? -a : a};
      break;
    }
    default:
      in.values = {rng.uniform(-3, 3)};
  }
  return in;
}

// The learner's local derivatives of op against centered finite differences
// of the op's forward value, at random inputs.
void ExpectLocalGradientsMatchFiniteDifferences(Op op) {
  RandomState rng(10 + static_cast<uint32_t>(op));
  for (int trial = 0; trial < 6; ++trial) {
    const OpInputs in = random_inputs(op, rng);
    const double output = forward_value(op, in.values, in.exponent);
    auto got = Call("local_gradients", [&] {
      return graded::local_gradients(op, in.values, output, in.exponent);
    });
    if (!got) return;
    std::vector<double> numeric;
    for (size_t i = 0; i < in.values.size(); ++i) {
      std::vector<double> plus = in.values, minus = in.values;
      plus[i] += kEpsilon;
      minus[i] -= kEpsilon;
      numeric.push_back((forward_value(op, plus, in.exponent) -
                         forward_value(op, minus, in.exponent)) /
                        (2 * kEpsilon));
    }
    const auto result = LocalGradientsNear(op, in.values, in.exponent, *got,
                                           numeric, kFiniteDifferences);
    EXPECT_TRUE(result);
    if (!result) return;
  }
}

TEST(LocalGradients, CourseExample) {
  // u = bc at b = 3, c = 2.
  auto got = Call("local_gradients", [] {
    return graded::local_gradients(Op::kMul, {3, 2}, 6, 0);
  });
  if (!got) return;
  EXPECT_TRUE(
      LocalGradientsNear(Op::kMul, {3, 2}, 0, *got, {2, 3}, kCourseValues));
  // v = a + u at a = 5, u = 6.
  got = Call("local_gradients", [] {
    return graded::local_gradients(Op::kAdd, {5, 6}, 11, 0);
  });
  if (!got) return;
  EXPECT_TRUE(
      LocalGradientsNear(Op::kAdd, {5, 6}, 0, *got, {1, 1}, kCourseValues));
  // J = 3v at v = 11 (3 is the first input).
  got = Call("local_gradients", [] {
    return graded::local_gradients(Op::kMul, {3, 11}, 33, 0);
  });
  if (!got) return;
  EXPECT_TRUE(
      LocalGradientsNear(Op::kMul, {3, 11}, 0, *got, {11, 3}, kCourseValues));
}

TEST(LocalGradients, VariableHasNoInputs) {
  auto got = Call("local_gradients", [] {
    return graded::local_gradients(Op::kVariable, {}, 5, 0);
  });
  if (!got) return;
  EXPECT_TRUE(LocalGradientsNear(Op::kVariable, {}, 0, *got, {}, kReference));
}

TEST(LocalGradients, AddMatchesFiniteDifferences) {
  ExpectLocalGradientsMatchFiniteDifferences(Op::kAdd);
}
TEST(LocalGradients, MulMatchesFiniteDifferences) {
  ExpectLocalGradientsMatchFiniteDifferences(Op::kMul);
}
TEST(LocalGradients, PowMatchesFiniteDifferences) {
  ExpectLocalGradientsMatchFiniteDifferences(Op::kPow);
}
TEST(LocalGradients, ExpMatchesFiniteDifferences) {
  ExpectLocalGradientsMatchFiniteDifferences(Op::kExp);
}
TEST(LocalGradients, LogMatchesFiniteDifferences) {
  ExpectLocalGradientsMatchFiniteDifferences(Op::kLog);
}
TEST(LocalGradients, TanhMatchesFiniteDifferences) {
  ExpectLocalGradientsMatchFiniteDifferences(Op::kTanh);
}
TEST(LocalGradients, SigmoidMatchesFiniteDifferences) {
  ExpectLocalGradientsMatchFiniteDifferences(Op::kSigmoid);
}
TEST(LocalGradients, ReluMatchesFiniteDifferences) {
  ExpectLocalGradientsMatchFiniteDifferences(Op::kRelu);
}

TEST(LocalGradients, MatchesReferenceOnRandomInputs) {
  RandomState rng(20);
  for (Op op : kOps) {
    std::vector<OpInputs> cases;
    for (int trial = 0; trial < 4; ++trial) {
      cases.push_back(random_inputs(op, rng));
    }
    if (op == Op::kRelu) cases.push_back({{0.0}, 0});  // relu'(0) = 0
    for (const OpInputs& in : cases) {
      const double output = forward_value(op, in.values, in.exponent);
      auto got = Call("local_gradients", [&] {
        return graded::local_gradients(op, in.values, output, in.exponent);
      });
      if (!got) return;
      const auto want =
          reference::local_gradients(op, in.values, output, in.exponent);
      EXPECT_TRUE(LocalGradientsNear(op, in.values, in.exponent, *got, want,
                                     kReference));
    }
  }
}

// ------------------------------------------------------- topological_order
TEST(TopologicalOrder, CourseExample) {
  Graph graph;
  const CourseGraph g = course_graph(graph);
  auto got = Call("topological_order",
                  [&] { return graded::topological_order(graph, g.J.id); });
  if (!got) return;
  EXPECT_TRUE(IsTopologicalOrder("topological_order",
                                 "the order of J = 3(a + bc)", graph, g.J.id,
                                 *got, /*root_first=*/false));
}

TEST(TopologicalOrder, SharedNodeAppearsOnce) {
  {
    Graph graph;
    const Value x = graph.variable(3, "x");
    const Value J = named(x * x + x, "J");
    auto got = Call("topological_order",
                    [&] { return graded::topological_order(graph, J.id); });
    if (!got) return;
    EXPECT_TRUE(IsTopologicalOrder("topological_order",
                                   "the order of J = x·x + x", graph, J.id,
                                   *got, false));
  }
  {
    Graph graph;  // a diamond: b and c both use a, J uses b and c
    const Value a = graph.variable(2, "a");
    const Value b = named(3 * a, "b");
    const Value c = named(a + 2, "c");
    const Value J = named(b * c, "J");
    auto got = Call("topological_order",
                    [&] { return graded::topological_order(graph, J.id); });
    if (!got) return;
    EXPECT_TRUE(IsTopologicalOrder("topological_order",
                                   "the order of J = (3a)(a + 2)", graph, J.id,
                                   *got, false));
  }
}

TEST(TopologicalOrder, OnlyNodesTheRootDependsOn) {
  Graph graph;
  const CourseGraph g = course_graph(graph);
  named(tanh(g.a * g.c), "K");  // another expression in the same graph
  for (Value root : {g.v, g.u, g.b}) {
    auto got = Call("topological_order",
                    [&] { return graded::topological_order(graph, root.id); });
    if (!got) return;
    EXPECT_TRUE(IsTopologicalOrder(
        "topological_order",
        "the order of " + graph.describe(root.id) + " in J = 3(a + bc)", graph,
        root.id, *got, false));
  }
}

TEST(TopologicalOrder, RandomExpressions) {
  for (auto [seed, steps] : kExpressions) {
    const Recipe recipe = random_recipe(seed, steps);
    Graph graph;
    const Expression e = build(graph, recipe, recipe.variables);
    auto got = Call("topological_order", [&] {
      return graded::topological_order(graph, e.root.id);
    });
    if (!got) return;
    const auto want = reference::topological_order(graph, e.root.id);
    ASSERT_TRUE(IsTopologicalOrder("reference::topological_order", "check",
                                   graph, e.root.id, want, false));
    EXPECT_TRUE(IsTopologicalOrder(
        "topological_order", "the order of " + expression_name(seed, steps),
        graph, e.root.id, *got, false));
  }
}

// ---------------------------------------------------------------- backward
TEST(Backward, CourseExample) {
  Graph graph;
  const CourseGraph g = course_graph(graph);
  auto got = Call("backward", [&] { return graded::backward(graph, g.J.id); });
  if (!got) return;
  // The first failed check also shows the whole graph after backward.
  bool failed = false;
  auto check = [&](const char* what, Value x, double want, std::string hint) {
    if (!failed &&
        !Near("backward", what, grad(x), want, kCourseValues, hint)) {
      failed = true;
      hint += "\n    your graph after backward:";
      const std::string dump = graph.to_string();
      size_t start = 0;
      for (size_t end; (end = dump.find('\n', start)) != std::string::npos;
           start = end + 1) {
        hint += "\n      " + dump.substr(start, end - start);
      }
    }
    EXPECT_TRUE(Near("backward", what, grad(x), want, kCourseValues, hint));
  };
  check("dJ/dJ (J's grad)", g.J, 1, "start with the root's grad = 1");
  check("dJ/dv", g.v, 3, "J = 3v, so dJ/dv = 3 (local 3 × dJ/dJ 1)");
  check("dJ/du", g.u, 3, "dJ/du = dJ/dv · dv/du = 3 · 1");
  check("dJ/da", g.a, 3,
        "dJ/da = dJ/dv · dv/da = 3 · 1: walk the topological order from the "
        "root backwards, so a node's grad is complete before it is passed on");
  check("dJ/db", g.b, 6, "dJ/db = dJ/du · du/db = 3 · c = 6");
  check("dJ/dc", g.c, 9, "dJ/dc = dJ/du · du/dc = 3 · b = 9");
}

TEST(Backward, GradientsAccumulateWhenANodeIsReused) {
  const std::string hint =
      "gradients accumulate when a node is used twice: += (not =)";
  {
    Graph graph;
    const Value x = graph.variable(3, "x");
    const Value J = named(x * x + x, "J");
    auto got = Call("backward", [&] { return graded::backward(graph, J.id); });
    if (!got) return;
    EXPECT_TRUE(Near("backward", "dJ/dx for J = x·x + x at x = 3", grad(x), 7,
                     kReference,
                     "dJ/dx = 2x + 1 = 7: x is an input of the product twice "
                     "and of the sum once; " +
                         hint));
  }
  {
    Graph graph;  // a diamond: b and c both use a, J uses b and c
    const Value a = graph.variable(2, "a");
    const Value b = named(3 * a, "b");
    const Value c = named(a + 2, "c");
    const Value J = named(b * c, "J");
    auto got = Call("backward", [&] { return graded::backward(graph, J.id); });
    if (!got) return;
    EXPECT_TRUE(Near(
        "backward", "dJ/da for J = b·c, b = 3a, c = a + 2, a = 2", grad(a), 18,
        kReference,
        "dJ/da = dJ/db · db/da + dJ/dc · dc/da = c·3 + b·1 = 18; " + hint));
  }
}

TEST(Backward, MatchesReferenceOnRandomExpressions) {
  for (auto [seed, steps] : kExpressions) {
    const Recipe recipe = random_recipe(seed, steps);
    Graph graph, want_graph;
    const Expression e = build(graph, recipe, recipe.variables);
    build(want_graph, recipe, recipe.variables);
    auto got =
        Call("backward", [&] { return graded::backward(graph, e.root.id); });
    if (!got) return;
    reference::backward(want_graph, e.root.id);
    for (int id = 0; id < graph.size(); ++id) {
      const auto result = Near(
          "backward",
          "grad of node " + graph.describe(id) + " in " +
              expression_name(seed, steps),
          graph.node(id).grad, want_graph.node(id).grad, kReference,
          "node.grad must end as d(root)/d(node); nodes used more than once "
          "add up one contribution per use (+=)");
      EXPECT_TRUE(result);
      if (!result) break;  // one message per expression
    }
  }
}

TEST(Backward, MatchesFiniteDifferences) {
  for (auto [seed, steps] : kExpressions) {
    const Recipe recipe = random_recipe(seed, steps);
    Graph graph;
    const Expression e = build(graph, recipe, recipe.variables);
    auto got =
        Call("backward", [&] { return graded::backward(graph, e.root.id); });
    if (!got) return;
    const int n = static_cast<int>(e.variables.size());
    Matrix x(n, 1), analytic(n, 1);
    for (int i = 0; i < n; ++i) {
      x(i, 0) = recipe.variables[i];
      analytic(i, 0) = grad(e.variables[i]);
    }
    std::vector<dl::grading::GradientBlock> blocks = {
        {"dJ/dx of " + expression_name(seed, steps) + " (row i: x_i)", &x,
         analytic}};
    // J with the variables at x, computed by building the graph again.
    auto J = [&] {
      return root_value(recipe, std::vector<double>(x.data(), x.data() + n));
    };
    const auto checks = dl::grading::CheckGradients(J, blocks);
    EXPECT_TRUE(dl::grading::GradientsMatch("backward", checks));
  }
}

TEST(Backward, CallingTwiceGivesTheSameGradients) {
  const std::string hint =
      "start by setting every node's grad to 0: a second call must not add "
      "to the first";
  {
    Graph graph;
    const CourseGraph g = course_graph(graph);
    for (int call = 1; call <= 2; ++call) {
      auto got =
          Call("backward", [&] { return graded::backward(graph, g.J.id); });
      if (!got) return;
    }
    EXPECT_TRUE(Near("backward", "dJ/db after calling backward twice",
                     grad(g.b), 6, kCourseValues, hint));
    EXPECT_TRUE(Near("backward", "dJ/dJ after calling backward twice",
                     grad(g.J), 1, kCourseValues, hint));
  }
  {
    const Recipe recipe = random_recipe(9, 20);
    Graph graph, want_graph;
    const Expression e = build(graph, recipe, recipe.variables);
    build(want_graph, recipe, recipe.variables);
    for (int call = 1; call <= 2; ++call) {
      auto got =
          Call("backward", [&] { return graded::backward(graph, e.root.id); });
      if (!got) return;
    }
    reference::backward(want_graph, e.root.id);
    for (int id = 0; id < graph.size(); ++id) {
      const auto result =
          Near("backward",
               "grad of node " + graph.describe(id) +
                   " after calling backward twice on " + expression_name(9, 20),
               graph.node(id).grad, want_graph.node(id).grad, kReference, hint);
      EXPECT_TRUE(result);
      if (!result) break;
    }
  }
}

TEST(Backward, ZeroForNodesTheRootDoesNotDependOn) {
  Graph graph;
  const CourseGraph g = course_graph(graph);
  const Value K = named(g.a * g.c - g.b, "K");
  for (Value root : {K, g.J}) {  // K first, then J
    auto got =
        Call("backward", [&] { return graded::backward(graph, root.id); });
    if (!got) return;
  }
  const std::vector<bool> needed = depends_on(graph, g.J.id);
  for (int id = 0; id < graph.size(); ++id) {
    if (needed[id]) continue;
    const auto result = Near(
        "backward",
        "grad of node " + graph.describe(id) +
            " (J does not depend on it) after backward(K), backward(J)",
        graph.node(id).grad, 0.0, kReference,
        "set the grad of EVERY node of the graph to 0 first (graph.nodes()), "
        "not only of the nodes J depends on: dJ/dx = 0 when J does not "
        "depend on x");
    EXPECT_TRUE(result);
    if (!result) break;
  }
  EXPECT_TRUE(Near("backward", "dJ/db after backward(K) then backward(J)",
                   grad(g.b), 6, kCourseValues,
                   "set every grad to 0 first: nothing of K's pass may stay"));
}

TEST(Backward, ReturnsTheVisitOrderRootFirst) {
  {
    Graph graph;
    const CourseGraph g = course_graph(graph);
    named(g.a * g.b, "K");  // a node J does not depend on
    auto got =
        Call("backward", [&] { return graded::backward(graph, g.J.id); });
    if (!got) return;
    EXPECT_TRUE(IsTopologicalOrder("backward",
                                   "the returned order for J = 3(a + bc)",
                                   graph, g.J.id, *got, /*root_first=*/true));
  }
  for (auto [seed, steps] : kExpressions) {
    const Recipe recipe = random_recipe(seed, steps);
    Graph graph;
    const Expression e = build(graph, recipe, recipe.variables);
    auto got =
        Call("backward", [&] { return graded::backward(graph, e.root.id); });
    if (!got) return;
    EXPECT_TRUE(IsTopologicalOrder(
        "backward", "the returned order for " + expression_name(seed, steps),
        graph, e.root.id, *got, true));
  }
}

}  // namespace
