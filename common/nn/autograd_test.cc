// Tests of common/autograd: every op's value on a small case worked by hand
// (or by Eigen directly), every op's gradient against centered finite
// differences, broadcasting, the accumulation of a Var used many times, the
// error messages, and the optimizers.

#include "common/nn/autograd.h"

#include <cmath>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "gtest/gtest.h"

namespace dl {
namespace ag {
namespace {

using dl::grading::CheckGradients;
using dl::grading::GradientBlock;
using dl::grading::GradientsMatch;

// The finite-difference step and the threshold on the course's relative
// difference ||g - g~|| / (||g|| + ||g~||).
constexpr double kEpsilon = 1e-6;
constexpr double kThreshold = 1e-7;

using Fn = std::function<Var(const std::vector<Var>&)>;

// Compares the gradients Backward gives for every Param in `inputs` with
// centered differences of J = Σ f(inputs) * R, R a fixed random matrix
// (so that every output entry gets its own upstream gradient).
testing::AssertionResult GradCheck(const std::string& name,
                                   std::vector<Var> inputs, const Fn& f,
                                   uint32_t seed = 7) {
  RandomState rng(seed);
  const Var out = f(inputs);
  const Matrix R = rng.randn(out.rows(), out.cols());
  ZeroGrad(inputs);
  Backward(sum(mul(f(inputs), Constant(R))));
  std::vector<GradientBlock> blocks;
  for (size_t k = 0; k < inputs.size(); ++k) {
    if (!inputs[k].is_param()) continue;
    blocks.push_back({name + ".input" + std::to_string(k),
                      &inputs[k].mutable_value(), inputs[k].grad()});
  }
  const auto cost = [&] {
    return (f(inputs).value().array() * R.array()).sum();
  };
  return GradientsMatch(name, CheckGradients(cost, blocks, kEpsilon),
                        kThreshold);
}

// randn with every entry at least `gap` away from 0 (for relu's kink).
Matrix AwayFromZero(RandomState& rng, Index rows, Index cols,
                    double gap = 0.1) {
  Matrix x = rng.randn(rows, cols);
  for (Index i = 0; i < x.size(); ++i) {
    if (std::abs(x.data()[i]) < gap)
      x.data()[i] += x.data()[i] < 0 ? -gap : gap;
  }
  return x;
}

// The message of the std::invalid_argument that f throws ("" if none).
std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

// The check itself must be able to fail: an op whose backward is wrong.
TEST(Autograd, GradCheckCatchesAWrongBackward) {
  const Fn twice_wrong = [](const std::vector<Var>& v) {
    return MakeOp("twice", 2 * v[0].value(), {v[0]}, [](Node& self) {
      self.parents[0]->AddGrad(3 * self.grad);  // should be 2
    });
  };
  RandomState rng(0);
  EXPECT_FALSE(GradCheck("twice", {Param(rng.randn(2, 2))}, twice_wrong));
  const Fn twice = [](const std::vector<Var>& v) {
    return MakeOp("twice", 2 * v[0].value(), {v[0]},
                  [](Node& self) { self.parents[0]->AddGrad(2 * self.grad); });
  };
  EXPECT_TRUE(GradCheck("twice", {Param(rng.randn(2, 2))}, twice));
}

// --------------------------------------------------------------- values

TEST(Autograd, LeavesAndHandles) {
  Var w = Param(matrix({{1, 2}, {3, 4}}));
  Var c = Constant(matrix({{5}}));
  EXPECT_TRUE(w.is_param());
  EXPECT_TRUE(w.requires_grad());
  EXPECT_FALSE(c.requires_grad());
  EXPECT_EQ(w.shape(), "(2, 2)");
  EXPECT_EQ(c.item(), 5);
  Var copy = w;  // shares the node
  copy.mutable_value()(0, 0) = 10;
  EXPECT_EQ(w.value()(0, 0), 10);
  // Ops on constants build no graph.
  Var d = add(c, c);
  EXPECT_FALSE(d.requires_grad());
  EXPECT_TRUE(d.node()->parents.empty());
  EXPECT_EQ(std::string(d.op()), "add");
  // A Param nobody used has a zero gradient of its shape.
  EXPECT_TRUE(w.grad().isZero());
  EXPECT_EQ(w.grad().rows(), 2);
}

TEST(Autograd, ValuesOfTheOps) {
  const Matrix A = matrix({{1, -2, 3}, {-4, 5, -6}});  // (2, 3)
  const Matrix B = matrix({{1, 0}, {2, 1}, {0, -1}});  // (3, 2)
  Var a = Constant(A), b = Constant(B);
  EXPECT_TRUE(allclose(matmul(a, b).value(), A * B));
  EXPECT_TRUE(allclose(transpose(a).value(), A.transpose()));
  EXPECT_TRUE(allclose(relu(a).value(), matrix({{1, 0, 3}, {0, 5, 0}})));
  EXPECT_TRUE(allclose((2.0 * a).value(), 2 * A));
  EXPECT_TRUE(allclose((1.0 - a).value(), (1 - A.array()).matrix()));
  EXPECT_TRUE(allclose(sum(a).value(), matrix({{-3}})));
  EXPECT_TRUE(allclose(sum(a, 0).value(), matrix({{-3, 3, -3}})));
  EXPECT_TRUE(allclose(sum(a, 1).value(), matrix({{2}, {-5}})));
  EXPECT_TRUE(allclose(mean(a).value(), matrix({{-0.5}})));
  EXPECT_TRUE(allclose(mean(a, 1).value(), matrix({{2.0 / 3}, {-5.0 / 3}})));
  EXPECT_NEAR(sigmoid(Constant(0.0)).item(), 0.5, 1e-15);
  EXPECT_NEAR(tanh(Constant(1.0)).item(), std::tanh(1.0), 1e-15);
  EXPECT_NEAR(exp(log(Constant(3.0))).item(), 3, 1e-14);
  EXPECT_NEAR(sqrt(square(Constant(-3.0))).item(), 3, 1e-14);
  EXPECT_TRUE(allclose(div(a, Constant(2.0)).value(), A / 2));
}

TEST(Autograd, SoftmaxOverColumnsAndRows) {
  const Matrix X = matrix({{1, 2, 1000}, {3, 2, 1001}});
  const Matrix s0 = softmax(Constant(X), 0).value();
  const double e = 1 / (1 + std::exp(-2.0));  // softmax([3, 1])[0]
  EXPECT_TRUE(allclose(s0, matrix({{1 - e, 0.5, 1 - 1 / (1 + std::exp(-1.0))},
                                   {e, 0.5, 1 / (1 + std::exp(-1.0))}})));
  const Matrix s1 = softmax(Constant(X), 1).value();
  EXPECT_TRUE(allclose(s1.rowwise().sum(), Matrix::Ones(2, 1)));
  EXPECT_NEAR(s1(0, 2), 1, 1e-12);  // no overflow at 1000
  const Matrix l0 = log_softmax(Constant(X), 0).value();
  EXPECT_TRUE(allclose(l0, s0.array().log().matrix()));
  const Matrix l1 = log_softmax(Constant(X), 1).value();
  EXPECT_TRUE(allclose(l1.array().exp().matrix(), s1));
}

TEST(Autograd, StackingLayouts) {
  const Matrix s0 = matrix({{1, 2}, {3, 4}});      // step 0: (2, m = 2)
  const Matrix s1 = matrix({{10, 20}, {30, 40}});  // step 1
  Var a = Constant(s0), b = Constant(s1);
  EXPECT_TRUE(allclose(concat_rows({a, b}).value(),
                       matrix({{1, 2}, {3, 4}, {10, 20}, {30, 40}})));
  EXPECT_TRUE(allclose(concat_columns({a, b}).value(),
                       matrix({{1, 2, 10, 20}, {3, 4, 30, 40}})));
  // Example-major: example 0's steps, then example 1's.
  const Matrix il = interleave_columns({a, b}).value();
  EXPECT_TRUE(allclose(il, matrix({{1, 10, 2, 20}, {3, 30, 4, 40}})));
  EXPECT_TRUE(allclose(take_step(Constant(il), 2, 1).value(), s1));
  EXPECT_TRUE(allclose(repeat_columns(a, 3).value(),
                       matrix({{1, 1, 1, 2, 2, 2}, {3, 3, 3, 4, 4, 4}})));
  EXPECT_TRUE(allclose(tile_columns(a, 2).value(),
                       matrix({{1, 2, 1, 2}, {3, 4, 3, 4}})));
  EXPECT_TRUE(allclose(slice_rows(concat_rows({a, b}), 1, 2).value(),
                       matrix({{3, 4}, {10, 20}})));
  EXPECT_TRUE(allclose(slice_columns(a, 1, 1).value(), matrix({{2}, {4}})));
  // Column-major reshape: an example-major row (1, m·T) -> (T, m).
  EXPECT_TRUE(
      allclose(reshape(Constant(matrix({{1, 2, 3, 4, 5, 6}})), 3, 2).value(),
               matrix({{1, 4}, {2, 5}, {3, 6}})));
  EXPECT_TRUE(
      allclose(gather_columns(Constant(matrix({{1, 2, 3}})), {2, 0, 2}).value(),
               matrix({{3, 1, 3}})));
}

TEST(Autograd, BatchMatmulIsOneProductPerBlock) {
  RandomState rng(3);
  const Index batch = 3;
  for (int ta = 0; ta < 2; ++ta) {
    for (int tb = 0; tb < 2; ++tb) {
      // op(A_i): (4, 5), op(B_i): (5, 2)
      const Matrix A = ta ? rng.randn(5, 4 * batch) : rng.randn(4, 5 * batch);
      const Matrix B = tb ? rng.randn(2, 5 * batch) : rng.randn(5, 2 * batch);
      const Matrix C =
          batch_matmul(Constant(A), Constant(B), batch, ta, tb).value();
      ASSERT_EQ(C.rows(), 4);
      ASSERT_EQ(C.cols(), 2 * batch);
      for (Index i = 0; i < batch; ++i) {
        const Index qa = A.cols() / batch, qb = B.cols() / batch;
        Matrix Ai = A.middleCols(i * qa, qa), Bi = B.middleCols(i * qb, qb);
        if (ta) Ai.transposeInPlace();
        if (tb) Bi.transposeInPlace();
        EXPECT_TRUE(allclose(C.middleCols(i * 2, 2), Ai * Bi));
      }
    }
  }
}

TEST(Autograd, LayerNormNormalizesEachColumn) {
  RandomState rng(4);
  const Matrix X = rng.randn(5, 3) * 3;
  Var y = layer_norm(Constant(X), Constant(Matrix::Ones(5, 1)),
                     Constant(Matrix::Zero(5, 1)), 1e-12);
  const Matrix Y = y.value();
  EXPECT_TRUE(allclose(Y.colwise().mean(), Matrix::Zero(1, 3), 0, 1e-12));
  EXPECT_TRUE(allclose(Y.array().square().colwise().mean().matrix(),
                       Matrix::Ones(1, 3), 1e-9));
}

TEST(Autograd, CrossEntropyValue) {
  const Matrix Z = matrix({{2, 0, 5}, {1, 0, -1}, {0, 0, 1000}});
  // Column 2's true class has logit 1000: log-sum-exp must not overflow.
  Var loss = cross_entropy(Constant(Z), {0, 2, 2});
  const double l0 = std::log(std::exp(2.0) + std::exp(1.0) + 1) - 2;
  const double l1 = std::log(3.0);
  const double l2 = 0;  // softmax = 1 at 1000
  EXPECT_NEAR(loss.item(), (l0 + l1 + l2) / 3, 1e-12);
  // A negative label is ignored, and the mean is over the others.
  EXPECT_NEAR(cross_entropy(Constant(Z), {0, -1, 2}).item(), (l0 + l2) / 2,
              1e-12);
  EXPECT_EQ(cross_entropy(Constant(Z), {-1, -1, -1}).item(), 0);
}

// ------------------------------------------------------------ gradients

TEST(AutogradGradients, Matmul) {
  RandomState rng(1);
  EXPECT_TRUE(
      GradCheck("matmul", {Param(rng.randn(3, 4)), Param(rng.randn(4, 2))},
                [](const std::vector<Var>& v) { return matmul(v[0], v[1]); }));
  // m = 1, and a Constant on one side.
  EXPECT_TRUE(
      GradCheck("matmul", {Param(rng.randn(1, 5)), Constant(rng.randn(5, 1))},
                [](const std::vector<Var>& v) { return matmul(v[0], v[1]); }));
}

TEST(AutogradGradients, ElementwiseWithBroadcasting) {
  RandomState rng(2);
  // (n, m) with (n, m), (n, 1), (1, m), (1, 1), and (n, 1) with (1, m).
  const std::vector<std::pair<std::pair<int, int>, std::pair<int, int>>>
      shapes = {{{3, 4}, {3, 4}}, {{3, 4}, {3, 1}}, {{3, 4}, {1, 4}},
                {{3, 4}, {1, 1}}, {{3, 1}, {1, 4}}, {{1, 1}, {3, 4}}};
  const std::vector<std::pair<std::string, std::function<Var(Var, Var)>>> ops =
      {{"add", [](Var a, Var b) { return add(a, b); }},
       {"sub", [](Var a, Var b) { return sub(a, b); }},
       {"mul", [](Var a, Var b) { return mul(a, b); }},
       {"div", [](Var a, Var b) { return div(a, b); }}};
  for (const auto& [name, op] : ops) {
    for (const auto& [sa, sb] : shapes) {
      Matrix A = rng.randn(sa.first, sa.second);
      Matrix B = rng.randn(sb.first, sb.second);
      if (name == "div") B = B.array().abs() + 0.5;
      Var out = op(Constant(A), Constant(B));
      EXPECT_EQ(out.rows(), std::max(sa.first, sb.first)) << name;
      EXPECT_EQ(out.cols(), std::max(sa.second, sb.second)) << name;
      EXPECT_TRUE(GradCheck(
          name, {Param(A), Param(B)},
          [&op = op](const std::vector<Var>& v) { return op(v[0], v[1]); }))
          << name << " " << shape_string(A) << " " << shape_string(B);
    }
  }
  // The broadcast values themselves: a bias column added to every column.
  EXPECT_TRUE(allclose(
      add(Constant(matrix({{1, 2}, {3, 4}})), Constant(matrix({{10}, {20}})))
          .value(),
      matrix({{11, 12}, {23, 24}})));
  EXPECT_TRUE(allclose(
      mul(Constant(matrix({{1, 2}, {3, 4}})), Constant(matrix({{10, 100}})))
          .value(),
      matrix({{10, 200}, {30, 400}})));
}

TEST(AutogradGradients, ScalarOps) {
  RandomState rng(3);
  const Fn f = [](const std::vector<Var>& v) {
    return (3.0 * v[0]) + (1.0 - v[0]) * 2.0 - (-v[0]) + 0.5 - neg(v[0] + 1.0);
  };
  EXPECT_TRUE(GradCheck("scalar ops", {Param(rng.randn(2, 3))}, f));
}

TEST(AutogradGradients, Activations) {
  RandomState rng(4);
  const std::vector<std::pair<std::string, std::function<Var(Var)>>> ops = {
      {"tanh", [](Var x) { return tanh(x); }},
      {"sigmoid", [](Var x) { return sigmoid(x); }},
      {"relu", [](Var x) { return relu(x); }},
      {"exp", [](Var x) { return exp(x); }},
      {"square", [](Var x) { return square(x); }},
      {"log", [](Var x) { return log(square(x) + 0.5); }},
      {"sqrt", [](Var x) { return sqrt(square(x) + 0.5); }}};
  for (const auto& [name, op] : ops) {
    EXPECT_TRUE(
        GradCheck(name, {Param(AwayFromZero(rng, 4, 3))},
                  [&op = op](const std::vector<Var>& v) { return op(v[0]); }))
        << name;
  }
}

TEST(AutogradGradients, SoftmaxAndLogSoftmax) {
  RandomState rng(5);
  for (int axis = 0; axis < 2; ++axis) {
    EXPECT_TRUE(GradCheck(
        "softmax", {Param(rng.randn(4, 3))},
        [axis](const std::vector<Var>& v) { return softmax(v[0], axis); }))
        << "axis " << axis;
    EXPECT_TRUE(GradCheck(
        "log_softmax", {Param(rng.randn(4, 3))},
        [axis](const std::vector<Var>& v) { return log_softmax(v[0], axis); }))
        << "axis " << axis;
  }
  // One example (m = 1).
  EXPECT_TRUE(
      GradCheck("softmax", {Param(rng.randn(5, 1))},
                [](const std::vector<Var>& v) { return softmax(v[0]); }));
}

TEST(AutogradGradients, StackingAndSlicing) {
  RandomState rng(6);
  EXPECT_TRUE(GradCheck(
      "concat_rows",
      {Param(rng.randn(2, 3)), Param(rng.randn(1, 3)), Param(rng.randn(4, 3))},
      [](const std::vector<Var>& v) { return concat_rows(v); }));
  EXPECT_TRUE(GradCheck(
      "concat_columns", {Param(rng.randn(3, 2)), Param(rng.randn(3, 1))},
      [](const std::vector<Var>& v) { return concat_columns(v); }));
  EXPECT_TRUE(GradCheck(
      "slice_rows", {Param(rng.randn(5, 3))}, [](const std::vector<Var>& v) {
        // two overlapping slices: both add up
        return concat_rows({slice_rows(v[0], 1, 3), slice_rows(v[0], 0, 2)});
      }));
  EXPECT_TRUE(GradCheck(
      "slice_columns", {Param(rng.randn(3, 5))},
      [](const std::vector<Var>& v) { return slice_columns(v[0], 2, 3); }));
  EXPECT_TRUE(GradCheck(
      "repeat_columns", {Param(rng.randn(3, 4))},
      [](const std::vector<Var>& v) { return repeat_columns(v[0], 3); }));
  EXPECT_TRUE(GradCheck(
      "tile_columns", {Param(rng.randn(3, 4))},
      [](const std::vector<Var>& v) { return tile_columns(v[0], 3); }));
  EXPECT_TRUE(GradCheck(
      "interleave_columns",
      {Param(rng.randn(2, 3)), Param(rng.randn(2, 3)), Param(rng.randn(2, 3))},
      [](const std::vector<Var>& v) { return interleave_columns(v); }));
  EXPECT_TRUE(GradCheck(
      "take_step", {Param(rng.randn(2, 12))}, [](const std::vector<Var>& v) {
        return concat_rows({take_step(v[0], 4, 1), take_step(v[0], 4, 3)});
      }));
  EXPECT_TRUE(
      GradCheck("reshape", {Param(rng.randn(2, 6))},
                [](const std::vector<Var>& v) { return reshape(v[0], 4, 3); }));
  EXPECT_TRUE(
      GradCheck("transpose", {Param(rng.randn(2, 5))},
                [](const std::vector<Var>& v) { return transpose(v[0]); }));
  EXPECT_TRUE(GradCheck("gather_columns", {Param(rng.randn(3, 4))},
                        [](const std::vector<Var>& v) {
                          return gather_columns(v[0], {1, 3, 1, 0, 1});
                        }));
}

TEST(AutogradGradients, Reductions) {
  RandomState rng(7);
  EXPECT_TRUE(GradCheck("sum", {Param(rng.randn(3, 4))},
                        [](const std::vector<Var>& v) { return sum(v[0]); }));
  EXPECT_TRUE(GradCheck("mean", {Param(rng.randn(3, 4))},
                        [](const std::vector<Var>& v) { return mean(v[0]); }));
  for (int axis = 0; axis < 2; ++axis) {
    EXPECT_TRUE(GradCheck(
        "sum(axis)", {Param(rng.randn(3, 4))},
        [axis](const std::vector<Var>& v) { return sum(v[0], axis); }));
    EXPECT_TRUE(GradCheck(
        "mean(axis)", {Param(rng.randn(3, 4))},
        [axis](const std::vector<Var>& v) { return mean(v[0], axis); }));
  }
}

TEST(AutogradGradients, BatchMatmul) {
  RandomState rng(8);
  const Index batch = 3;
  for (int ta = 0; ta < 2; ++ta) {
    for (int tb = 0; tb < 2; ++tb) {
      const Matrix A = ta ? rng.randn(5, 4 * batch) : rng.randn(4, 5 * batch);
      const Matrix B = tb ? rng.randn(2, 5 * batch) : rng.randn(5, 2 * batch);
      EXPECT_TRUE(GradCheck("batch_matmul", {Param(A), Param(B)},
                            [&](const std::vector<Var>& v) {
                              return batch_matmul(v[0], v[1], batch, ta, tb);
                            }))
          << "transpose_a " << ta << ", transpose_b " << tb;
    }
  }
  // The attention context: (2n_a, m·T_x) blocks times (T_x, m) weights.
  EXPECT_TRUE(GradCheck(
      "batch_matmul", {Param(rng.randn(4, 2 * 5)), Param(rng.randn(5, 2))},
      [](const std::vector<Var>& v) { return batch_matmul(v[0], v[1], 2); }));
}

TEST(AutogradGradients, LayerNorm) {
  RandomState rng(9);
  EXPECT_TRUE(GradCheck(
      "layer_norm",
      {Param(rng.randn(5, 3)), Param(rng.randn(5, 1)), Param(rng.randn(5, 1))},
      [](const std::vector<Var>& v) { return layer_norm(v[0], v[1], v[2]); }));
  EXPECT_TRUE(GradCheck(
      "layer_norm",
      {Param(rng.randn(4, 1)), Param(rng.randn(4, 1)), Param(rng.randn(4, 1))},
      [](const std::vector<Var>& v) {
        return layer_norm(v[0], v[1], v[2], 1e-3);
      }));
}

TEST(AutogradGradients, CrossEntropy) {
  RandomState rng(10);
  EXPECT_TRUE(GradCheck("cross_entropy", {Param(rng.randn(4, 5))},
                        [](const std::vector<Var>& v) {
                          return cross_entropy(v[0], {0, 3, 3, 1, 2});
                        }));
  EXPECT_TRUE(GradCheck("cross_entropy (ignored labels)",
                        {Param(rng.randn(4, 5))},
                        [](const std::vector<Var>& v) {
                          return cross_entropy(v[0], {0, -1, 3, -1, 2});
                        }));
  // Large logits: still finite and right.
  EXPECT_TRUE(GradCheck("cross_entropy (large logits)",
                        {Param(rng.randn(3, 2) * 50)},
                        [](const std::vector<Var>& v) {
                          return cross_entropy(v[0], {2, 0});
                        }));
}

// An LSTM over 5 steps with shared weights, its loss summed over the steps:
// the whole chain at once.
TEST(AutogradGradients, LstmThroughTime) {
  RandomState rng(11);
  const int n_x = 3, n_a = 4, m = 2, T = 5;
  std::vector<Matrix> xs;
  for (int t = 0; t < T; ++t) xs.push_back(rng.randn(n_x, m));
  std::vector<Var> params;
  for (int g = 0; g < 4; ++g) {
    params.push_back(Param(rng.randn(n_a, n_a + n_x) * 0.5));
    params.push_back(Param(rng.randn(n_a, 1) * 0.5));
  }
  params.push_back(Param(rng.randn(2, n_a)));
  const Fn f = [&](const std::vector<Var>& p) {
    Var a = Constant(Matrix::Zero(n_a, m)), c = a;
    Var loss = Constant(0.0);
    for (int t = 0; t < T; ++t) {
      Var concat = concat_rows({a, Constant(xs[t])});
      Var ft = sigmoid(matmul(p[0], concat) + p[1]);
      Var it = sigmoid(matmul(p[2], concat) + p[3]);
      Var cct = tanh(matmul(p[4], concat) + p[5]);
      Var ot = sigmoid(matmul(p[6], concat) + p[7]);
      c = mul(ft, c) + mul(it, cct);
      a = mul(ot, tanh(c));
      loss = loss + cross_entropy(matmul(p[8], a), {t % 2, 1});
    }
    return loss;
  };
  EXPECT_TRUE(GradCheck("lstm", params, f));
}

// ------------------------------------------------- accumulation, graphs

TEST(AutogradBackward, SharedVariableAccumulates) {
  // y = Σ W x1 + Σ W x2 + Σ W x3: dW is the sum of the three uses.
  RandomState rng(12);
  Var W = Param(rng.randn(2, 3));
  const Matrix x1 = rng.randn(3, 4), x2 = rng.randn(3, 4), x3 = rng.randn(3, 4);
  Var y = sum(matmul(W, Constant(x1))) + sum(matmul(W, Constant(x2))) +
          sum(matmul(W, Constant(x3)));
  Backward(y);
  const Matrix want = Matrix::Ones(2, 4) * (x1 + x2 + x3).transpose();
  EXPECT_TRUE(allclose(W.grad(), want));
  // The same Var twice in one op: x * x.
  Var x = Param(matrix({{3}}));
  Backward(mul(x, x));
  EXPECT_EQ(x.grad()(0, 0), 6);
  // Params accumulate over Backward calls until ZeroGrad.
  Backward(y);
  EXPECT_TRUE(allclose(W.grad(), 2 * want));
  ZeroGrad({W});
  EXPECT_TRUE(W.grad().isZero());
  Backward(y);  // inner nodes start from zero again: no double counting
  EXPECT_TRUE(allclose(W.grad(), want));
}

TEST(AutogradBackward, DiamondGraph) {
  // z = a + b with a = 2x, b = x²: one node reached by two paths.
  Var x = Param(matrix({{1.5, -2}}));
  Var a = 2.0 * x;
  Var b = square(x);
  Backward(sum(mul(a + b, a)));  // Σ (2x + x²) 2x = Σ 4x² + 2x³
  const Matrix X = x.value();
  EXPECT_TRUE(
      allclose(x.grad(), (8 * X.array() + 6 * X.array().square()).matrix()));
  // Inner nodes keep their gradient for inspection.
  EXPECT_TRUE(allclose(b.grad(), a.value()));
}

TEST(AutogradBackward, NoGradBuildsNoGraph) {
  Var w = Param(matrix({{2}}));
  {
    NoGrad no_grad;
    Var y = mul(w, w);
    EXPECT_FALSE(y.requires_grad());
    EXPECT_TRUE(y.node()->parents.empty());
    EXPECT_EQ(y.item(), 4);
    { NoGrad nested; }
    EXPECT_FALSE(mul(w, w).requires_grad());  // still inside the outer one
  }
  Var y = mul(w, w);  // after the guard: a graph again
  EXPECT_TRUE(y.requires_grad());
  Backward(y);
  EXPECT_EQ(w.grad()(0, 0), 4);
}

TEST(AutogradBackward, LongChainsAreFreedWithoutRecursion) {
  Var x = Param(matrix({{1}}));
  Var y = x;
  for (int i = 0; i < 200000; ++i) y = y + 0.0;
  Backward(y);
  EXPECT_EQ(x.grad()(0, 0), 1);
  y = Var();  // frees 200000 nodes: must not overflow the stack
  SUCCEED();
}

// ---------------------------------------------------------------- errors

TEST(AutogradErrors, NameTheOpAndBothShapes) {
  Var a = Constant(Matrix::Zero(3, 4)), b = Constant(Matrix::Zero(5, 2));
  std::string e = ErrorOf([&] { matmul(a, b); });
  EXPECT_NE(e.find("ag::matmul"), std::string::npos) << e;
  EXPECT_NE(e.find("(3, 4)"), std::string::npos) << e;
  EXPECT_NE(e.find("(5, 2)"), std::string::npos) << e;

  e = ErrorOf([&] { add(a, b); });
  EXPECT_NE(e.find("ag::add"), std::string::npos) << e;
  EXPECT_NE(e.find("(3, 4), a Constant, and (5, 2), a Constant"),
            std::string::npos)
      << e;
  e = ErrorOf([&] { mul(a, Constant(Matrix::Zero(3, 2))); });
  EXPECT_NE(e.find("ag::mul: shapes (3, 4), a Constant, and (3, 2)"),
            std::string::npos)
      << e;

  e = ErrorOf([&] { concat_rows({a, b}); });
  EXPECT_NE(e.find("ag::concat_rows"), std::string::npos) << e;
  EXPECT_NE(e.find("(5, 2)"), std::string::npos) << e;
  EXPECT_NE(e.find("(3, 4)"), std::string::npos) << e;

  e = ErrorOf([&] { concat_columns({a, b}); });
  EXPECT_NE(e.find("ag::concat_columns"), std::string::npos) << e;
  e = ErrorOf([&] { interleave_columns({a, b}); });
  EXPECT_NE(e.find("ag::interleave_columns"), std::string::npos) << e;
  e = ErrorOf([&] { batch_matmul(a, b, 2); });
  EXPECT_NE(e.find("ag::batch_matmul"), std::string::npos) << e;
  EXPECT_NE(e.find("(3, 4) and (5, 2)"), std::string::npos) << e;
  e = ErrorOf([&] {
    layer_norm(a, Constant(Matrix::Ones(4, 1)), Constant(Matrix::Ones(3, 1)));
  });
  EXPECT_NE(e.find("ag::layer_norm"), std::string::npos) << e;
  EXPECT_NE(e.find("(4, 1)"), std::string::npos) << e;

  EXPECT_NE(ErrorOf([&] { slice_rows(a, 2, 5); }).find("ag::slice_rows"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] { reshape(a, 5, 5); }).find("ag::reshape"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] { softmax(a, 2); }).find("ag::softmax: axis"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] { take_step(a, 3, 0); }).find("ag::take_step"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] {
              cross_entropy(a, {0, 1});
            }).find("2 labels"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] {
              cross_entropy(a, {0, 1, 3, 0});
            }).find("labels[2] = 3 is out of range"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] { gather_columns(a, {4}); }).find("ag::gather_columns"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] { matmul(Var(), a); }).find("empty Var"),
            std::string::npos);
}

// Which tensor of the line it is: each operand's shape and origin.
TEST(AutogradErrors, NameWhereEachOperandComesFrom) {
  Var w = Param(Matrix::Zero(2, 3));
  Var x = Constant(Matrix::Zero(4, 5));
  std::string e = ErrorOf([&] { matmul(w, x); });
  EXPECT_NE(e.find("cannot multiply (2, 3), a Param, by (4, 5), a Constant"),
            std::string::npos)
      << e;
  e = ErrorOf([&] { add(softmax(x, 0), w); });
  EXPECT_NE(e.find("(4, 5), made by softmax, and (2, 3), a Param"),
            std::string::npos)
      << e;
}

TEST(AutogradErrors, BackwardNeedsAScalarThatDependsOnAParam) {
  Var w = Param(Matrix::Ones(2, 2));
  std::string e = ErrorOf([&] { Backward(w + w); });
  EXPECT_NE(e.find("ag::Backward: the loss must be (1, 1), got (2, 2)"),
            std::string::npos)
      << e;
  e = ErrorOf([&] { Backward(Constant(1.0)); });
  EXPECT_NE(e.find("does not depend on any Param"), std::string::npos) << e;
  e = ErrorOf([&] { Adam({w, w + w}); });
  EXPECT_NE(e.find("ag::Adam: params[1] is not a Param (it was made by 'add')"),
            std::string::npos)
      << e;
}

// ------------------------------------------------------------ optimizers

TEST(AutogradOptimizers, SgdStep) {
  Var w = Param(matrix({{1, 2}}));
  Sgd sgd({w}, 0.1);
  Backward(sum(square(w)));  // grad 2w
  sgd.Step();
  EXPECT_TRUE(allclose(w.value(), matrix({{0.8, 1.6}})));
  sgd.ZeroGrad();
  EXPECT_TRUE(w.grad().isZero());
}

TEST(AutogradOptimizers, AdamMatchesTheCourseFormula) {
  RandomState rng(13);
  const Matrix w0 = rng.randn(2, 3);
  Var w = Param(w0);
  Var unused = Param(rng.randn(1, 1));  // no gradient: moments decay
  AdamOptions options;
  options.learning_rate = 0.01;
  Adam adam({w, unused}, options);
  EXPECT_EQ(adam.learning_rate(), 0.01);
  Matrix v = Matrix::Zero(2, 3), s = Matrix::Zero(2, 3), ref = w0;
  const Matrix unused0 = unused.value();
  for (int t = 1; t <= 3; ++t) {
    adam.ZeroGrad();
    Backward(sum(mul(square(w), w)));  // grad 3w²
    const Matrix g = 3 * ref.array().square();
    adam.Step();
    v = 0.9 * v + 0.1 * g;
    s = 0.999 * s + 0.001 * g.cwiseAbs2();
    const Matrix vh = v / (1 - std::pow(0.9, t));
    const Matrix sh = s / (1 - std::pow(0.999, t));
    ref.array() -= 0.01 * vh.array() / (sh.array().sqrt() + 1e-8);
    EXPECT_TRUE(allclose(w.value(), ref, 1e-12, 1e-14)) << "t = " << t;
  }
  EXPECT_EQ(adam.t(), 3);
  EXPECT_TRUE(allclose(unused.value(), unused0));
}

TEST(AutogradOptimizers, ClipByGlobalNorm) {
  Var a = Param(matrix({{0}})), b = Param(matrix({{0, 0}}));
  Backward(sum(mul(a, Constant(3.0))) +
           sum(mul(b, Constant(matrix({{4, 0}})))));
  EXPECT_NEAR(GradNorm({a, b}), 5, 1e-12);
  EXPECT_NEAR(ClipGradNorm({a, b}, 10), 5, 1e-12);  // below: unchanged
  EXPECT_NEAR(a.grad()(0, 0), 3, 1e-12);
  EXPECT_NEAR(ClipGradNorm({a, b}, 1), 5, 1e-12);
  EXPECT_NEAR(a.grad()(0, 0), 0.6, 1e-12);
  EXPECT_NEAR(b.grad()(0, 0), 0.8, 1e-12);
  EXPECT_NEAR(GradNorm({a, b}), 1, 1e-12);
  EXPECT_EQ(NumParameters({a, b}), 3);
  // Sgd with clipping: the step is lr · clipped gradient.
  Sgd sgd({a, b}, 1.0, 0.5);
  sgd.Step();
  EXPECT_NEAR(a.value()(0, 0), -0.3, 1e-12);
}

// A small end-to-end fit: logistic regression with Adam drives the loss down.
TEST(AutogradOptimizers, AdamFitsLogisticRegression) {
  RandomState rng(14);
  const Matrix X = rng.randn(2, 200);
  std::vector<int> labels(200);
  for (int i = 0; i < 200; ++i) labels[i] = X(0, i) + 2 * X(1, i) > 0 ? 1 : 0;
  Var W = Param(Matrix::Zero(2, 2)), b = Param(Matrix::Zero(2, 1));
  AdamOptions options;
  options.learning_rate = 0.1;
  Adam adam({W, b}, options);
  double first = 0, last = 0;
  for (int i = 0; i < 200; ++i) {
    Var loss = cross_entropy(matmul(W, Constant(X)) + b, labels);
    if (i == 0) first = loss.item();
    last = loss.item();
    adam.ZeroGrad();
    Backward(loss);
    adam.Step();
  }
  EXPECT_NEAR(first, std::log(2.0), 1e-12);
  EXPECT_LT(last, 0.1);
}

}  // namespace
}  // namespace ag
}  // namespace dl
