// Grades course3_cnn/conv_step_by_step: the course's expected values (same
// numpy seeds and draw order as the notebook), a seeded comparison with the
// reference solution on many shapes (stride 1 to 3, pad 0 to 3, non-square
// inputs, m = 1, one channel), and finite-difference checks of conv_backward
// and pool_backward.

#include "course3_cnn/conv_step_by_step/conv_step_by_step.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "course3_cnn/conv_step_by_step/conv_test_util.h"
#include "course3_cnn/conv_step_by_step/graded.h"  // see tools/unit.bzl
#include "gtest/gtest.h"

namespace reference = conv_step_by_step::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
using namespace conv_test;    // NOLINT: shared with transfer_learning's test
using conv_step_by_step::ConvCache;
using conv_step_by_step::ConvHparameters;
using conv_step_by_step::Index;
using conv_step_by_step::PoolCache;
using conv_step_by_step::PoolHparameters;
using conv_step_by_step::PoolMode;
using conv_step_by_step::WindowShape;
using dl::Matrix;
using dl::matrix;
using dl::RandomState;
template <int N>
using Tensor = dl::Tensor<N>;

// ---------------------------------------------------------------- helpers

double Mean(const Tensor<4>& t) {
  const Tensor<0> mean = t.mean();
  return mean();
}

// t[i, h] of a (m, n_H, n_W, n_C) tensor: (n_W, n_C).
Tensor<2> At(const Tensor<4>& t, Index i, Index h) {
  return t.chip(i, 0).chip(h, 0);
}

// A 1-D tensor written out: Vec({1, 2, 3}).
Tensor<1> Vec(std::initializer_list<double> values) {
  Tensor<1> t(static_cast<Index>(values.size()));
  std::copy(values.begin(), values.end(), t.data());
  return t;
}

// A 2-D tensor written row by row, as numpy prints it.
Tensor<2> Tensor2(std::initializer_list<std::initializer_list<double>> rows) {
  const Matrix m = matrix(rows);
  Tensor<2> t(m.rows(), m.cols());
  for (Index r = 0; r < m.rows(); ++r) {
    for (Index c = 0; c < m.cols(); ++c) t(r, c) = m(r, c);
  }
  return t;
}

// Values that are all different, with gaps of 0.05 between any two: the max
// of a window stays where it is under a perturbation of 1e-7.
Tensor<4> DistinctValues(RandomState& rng, const Dims4& dims) {
  Tensor<4> t(dims);
  const std::vector<int64_t> order = rng.permutation(t.size());
  for (Index k = 0; k < t.size(); ++k) {
    t.data()[k] = 0.05 * static_cast<double>(order[k] - t.size() / 2);
  }
  return t;
}

// One CONV layer's shapes and hyperparameters.
struct ConvCase {
  Index m, n_H_prev, n_W_prev, n_C_prev, f, n_C;
  int stride, pad;
  Dims4 a_prev() const { return {m, n_H_prev, n_W_prev, n_C_prev}; }
  Dims4 w() const { return {f, f, n_C_prev, n_C}; }
  Dims4 z() const {
    return {m, (n_H_prev + 2 * pad - f) / stride + 1,
            (n_W_prev + 2 * pad - f) / stride + 1, n_C};
  }
  ConvHparameters hparameters() const { return {stride, pad}; }
  std::string str() const {
    return " for A_prev " + Str(a_prev()) + ", W " + Str(w()) + ", stride " +
           std::to_string(stride) + ", pad " + std::to_string(pad);
  }
};

// All dimensions different in most cases; stride 1, 2 and 3 (3 with a
// remainder, so n_H needs the floor), pad 0 to 3, m = 1, one input channel,
// one filter, a 1x1 filter.
const std::vector<ConvCase> kConvCases = {
    {2, 5, 7, 4, 3, 8, 2, 1},  // the course's conv_forward example
    {3, 6, 4, 2, 2, 3, 1, 0},  // no padding
    {1, 7, 5, 3, 3, 2, 2, 3},  // m = 1, pad 3
    {4, 4, 6, 1, 2, 5, 1, 2},  // one input channel
    {2, 5, 6, 3, 1, 4, 2, 0},  // 1x1 filters
    {2, 7, 8, 2, 4, 1, 3, 2},  // one filter, stride 3
    {1, 3, 2, 1, 3, 1, 1, 1},  // a tiny single-channel layer
};

// One POOL layer's shapes and hyperparameters.
struct PoolCase {
  Index m, n_H_prev, n_W_prev, n_C;
  int f, stride;
  Dims4 a_prev() const { return {m, n_H_prev, n_W_prev, n_C}; }
  Dims4 a() const {
    return {m, (n_H_prev - f) / stride + 1, (n_W_prev - f) / stride + 1, n_C};
  }
  PoolHparameters hparameters() const { return {stride, f}; }
  std::string str() const {
    return " for A_prev " + Str(a_prev()) + ", f " + std::to_string(f) +
           ", stride " + std::to_string(stride);
  }
};

// Overlapping windows (stride < f) and not, non-square inputs, m = 1, one
// channel, a window as large as the input, a 1x1 window.
const std::vector<PoolCase> kPoolCases = {
    {2, 5, 5, 3, 3, 1},  // the course's pool_forward example
    {3, 6, 4, 2, 2, 2},  // windows side by side
    {1, 7, 5, 1, 3, 2},  // overlapping windows, m = 1, one channel
    {2, 5, 8, 3, 2, 1}, {2, 4, 4, 2, 4, 1},  // the window is the whole input
    {2, 7, 6, 2, 3, 3},  // the last row and column are left over
    {1, 3, 5, 1, 1, 2},  // 1x1 windows
};

const char* Name(PoolMode mode) {
  return mode == PoolMode::kMax ? "max" : "average";
}

const char* kConvShapeHint =
    "n_H = (n_H_prev + 2 pad - f) / stride + 1 (integer division is the "
    "floor), n_W likewise, and n_C = W.dimension(3)";
const char* kPoolShapeHint =
    "n_H = (n_H_prev - f) / stride + 1 (no padding), n_W likewise, and n_C = "
    "n_C_prev";

// ---------------------------------------------------------------- zero_pad
TEST(ZeroPad, CourseValues) {
  RandomState rng(1);
  const Tensor<4> x = rng.randn_tensor<4>({4, 3, 3, 2});
  auto got = Call("zero_pad", [&] { return graded::zero_pad(x, 3); });
  if (!got) return;
  ASSERT_TRUE(HasShape("zero_pad", "x_pad = zero_pad(x, 3)", *got,
                       Dims4{4, 9, 9, 2},
                       "pad the height and the width (dimensions 1 and 2) "
                       "with 3 zeros on EACH side, not m or n_C"));
  Tensor<2> zeros(9, 2);
  zeros.setZero();
  EXPECT_TRUE(Near("zero_pad", "x_pad[1, 1] (a padding row)", At(*got, 1, 1),
                   zeros, kCourseValues, "the border must be zeros"));
  // x[1, 1] sits at x_pad[1, 1 + 3, 3:6].
  const Tensor<2> x11 = got->chip(1, 0).chip(4, 0).slice(
      conv_step_by_step::Idx2{3, 0}, conv_step_by_step::Idx2{3, 2});
  EXPECT_TRUE(Near("zero_pad", "x_pad[1, 4, 3:6] (the course's x[1, 1])", x11,
                   Tensor2({{0.90085595, -0.68372786},
                            {-0.12289023, -0.93576943},
                            {-0.26788808, 0.53035547}}),
                   kCourseValues,
                   "x[i, h, w, c] moves to x_pad[i, h + pad, w + pad, c]"));
}

TEST(ZeroPad, MatchesReferenceOnOtherShapes) {
  RandomState rng(2);
  struct Case {
    Dims4 dims;
    int pad;
  };
  const std::vector<Case> cases = {{{4, 3, 3, 2}, 3},
                                   {{2, 4, 6, 3}, 0},
                                   {{1, 5, 2, 1}, 1},
                                   {{3, 2, 5, 4}, 2},
                                   {{1, 1, 1, 1}, 3}};
  for (const Case& c : cases) {
    const Tensor<4> X = rng.randn_tensor<4>(c.dims);
    auto got = Call("zero_pad", [&] { return graded::zero_pad(X, c.pad); });
    if (!got) return;
    EXPECT_TRUE(
        Near("zero_pad",
             "zero_pad(X, " + std::to_string(c.pad) + ") for X " + Str(c.dims),
             *got, reference::zero_pad(X, c.pad), kReference,
             "(m, n_H + 2 pad, n_W + 2 pad, n_C), X in the middle"));
  }
}

// -------------------------------------------------------- conv_single_step
TEST(ConvSingleStep, CourseValues) {
  RandomState rng(1);
  const Tensor<3> a_slice_prev = rng.randn_tensor<3>({4, 4, 3});
  const Tensor<3> W = rng.randn_tensor<3>({4, 4, 3});
  const Tensor<3> b = rng.randn_tensor<3>({1, 1, 1});
  auto got = Call("conv_single_step", [&] {
    return graded::conv_single_step(a_slice_prev, W, b(0, 0, 0));
  });
  if (!got) return;
  EXPECT_TRUE(Near("conv_single_step", "Z", *got, -6.999089450680221,
                   kCourseValues,
                   "Z = Σ (a_slice_prev ⊙ W) + b: multiply entry by entry, "
                   "sum ALL entries, add b once"));
}

TEST(ConvSingleStep, MatchesReferenceOnOtherShapes) {
  RandomState rng(3);
  for (auto [f, n_C_prev] : std::vector<std::array<Index, 2>>{
           {4, 3}, {1, 1}, {3, 1}, {2, 5}, {5, 2}}) {
    const Tensor<3> a = rng.randn_tensor<3>({f, f, n_C_prev});
    const Tensor<3> W = rng.randn_tensor<3>({f, f, n_C_prev});
    const double b = rng.standard_normal();
    auto got = Call("conv_single_step",
                    [&] { return graded::conv_single_step(a, W, b); });
    if (!got) return;
    EXPECT_TRUE(Near("conv_single_step",
                     "Z for a_slice_prev " + dl::shape_string(a), *got,
                     reference::conv_single_step(a, W, b)));
  }
}

// ------------------------------------------------------------ conv_forward
TEST(ConvForward, CourseValues) {
  RandomState rng(1);
  const Tensor<4> A_prev = rng.randn_tensor<4>({2, 5, 7, 4});
  const Tensor<4> W = rng.randn_tensor<4>({3, 3, 4, 8});
  const Tensor<4> b = rng.randn_tensor<4>({1, 1, 1, 8});
  const ConvHparameters hparameters{/*stride=*/2, /*pad=*/1};
  auto got = Call("conv_forward", [&] {
    return graded::conv_forward(A_prev, W, b, hparameters);
  });
  if (!got) return;
  const std::string f = "conv_forward";
  ASSERT_TRUE(HasShape(f, "Z", got->Z, Dims4{2, 3, 4, 8}, kConvShapeHint));
  EXPECT_TRUE(Near(f, "Z's mean", Mean(got->Z), 0.5511276474566768,
                   kCourseValues,
                   "pad A_prev first; the window of Z[i, h, w] starts at row "
                   "stride * h and column stride * w of the PADDED input"));
  EXPECT_TRUE(Near(f, "Z[0, 2, 1]",
                   Tensor<1>(got->Z.chip(0, 0).chip(2, 0).chip(1, 0)),
                   Vec({-2.17796037, 8.07171329, -0.5772704, 3.36286738,
                        4.48113645, -2.89198428, 10.99288867, 3.03171932}),
                   kCourseValues,
                   "filter c is W[:, :, :, c] (W.chip(c, 3)) and its bias "
                   "b(0, 0, 0, c)"));
  ASSERT_TRUE(HasShape(f, "cache.A_prev", got->cache.A_prev, Dims4{2, 5, 7, 4},
                       "the cache keeps the input A_prev, NOT padded"));
  EXPECT_TRUE(
      Near(f, "cache.A_prev[1][2][3]",
           Tensor<1>(got->cache.A_prev.chip(1, 0).chip(2, 0).chip(3, 0)),
           Vec({-1.1191154, 1.9560789, -0.3264995, -1.34267579}), kCourseValues,
           "the cache keeps the input A_prev"));
}

TEST(ConvForward, MatchesReferenceOnOtherShapes) {
  RandomState rng(4);
  const std::string f = "conv_forward";
  for (const ConvCase& s : kConvCases) {
    const Tensor<4> A_prev = rng.randn_tensor<4>(s.a_prev());
    const Tensor<4> W = rng.randn_tensor<4>(s.w());
    const Tensor<4> b = rng.randn_tensor<4>({1, 1, 1, s.n_C});
    const ConvHparameters hp = s.hparameters();
    auto got =
        Call(f.c_str(), [&] { return graded::conv_forward(A_prev, W, b, hp); });
    if (!got) return;
    const auto want = reference::conv_forward(A_prev, W, b, hp);
    const testing::AssertionResult shape =
        HasShape(f, "Z" + s.str(), got->Z, s.z(), kConvShapeHint);
    EXPECT_TRUE(shape);
    if (!shape) continue;
    EXPECT_TRUE(Near(f, "Z" + s.str(), got->Z, want.Z, kReference,
                     "vert_start = stride * h, horiz_start = stride * w, "
                     "windows of f x f x n_C_prev in the PADDED input"));
    EXPECT_TRUE(Near(f, "cache.A_prev" + s.str(), got->cache.A_prev, A_prev,
                     kReference,
                     "the cache keeps the input A_prev, NOT "
                     "padded"));
    EXPECT_TRUE(Near(f, "cache.W" + s.str(), got->cache.W, W));
    EXPECT_TRUE(Near(f, "cache.b" + s.str(), got->cache.b, b));
    EXPECT_TRUE(got->cache.hparameters.stride == hp.stride &&
                got->cache.hparameters.pad == hp.pad)
        << f << ": cache.hparameters is {stride "
        << got->cache.hparameters.stride << ", pad "
        << got->cache.hparameters.pad << "}" << s.str()
        << ": keep the hparameters you were given";
  }
}

// ------------------------------------------------------------ pool_forward
struct PoolForwardFixture {  // the course's example (seed 1)
  Tensor<4> A_prev;
  PoolForwardFixture() {
    RandomState rng(1);
    A_prev = rng.randn_tensor<4>({2, 5, 5, 3});
  }
};

TEST(PoolForward, CourseValuesMax) {
  const PoolForwardFixture fx;
  auto got = Call("pool_forward", [&] {
    return graded::pool_forward(fx.A_prev, {/*stride=*/1, /*f=*/3},
                                PoolMode::kMax);
  });
  if (!got) return;
  ASSERT_TRUE(HasShape("pool_forward", "A (max, f 3, stride 1)", got->A,
                       Dims4{2, 3, 3, 3}, kPoolShapeHint));
  EXPECT_TRUE(Near("pool_forward", "A[1, 1] (max, f 3, stride 1)",
                   At(got->A, 1, 1),
                   Tensor2({{1.96710175, 0.84616065, 1.27375593},
                            {1.96710175, 0.84616065, 1.23616403},
                            {1.62765075, 1.12141771, 1.2245077}}),
                   kCourseValues,
                   "the max of A_prev[i, vert_start:vert_end, "
                   "horiz_start:horiz_end, c], one channel at a time"));
}

TEST(PoolForward, CourseValuesAverage) {
  const PoolForwardFixture fx;
  auto got = Call("pool_forward", [&] {
    return graded::pool_forward(fx.A_prev, {/*stride=*/1, /*f=*/3},
                                PoolMode::kAverage);
  });
  if (!got) return;
  ASSERT_TRUE(HasShape("pool_forward", "A (average, f 3, stride 1)", got->A,
                       Dims4{2, 3, 3, 3}, kPoolShapeHint));
  EXPECT_TRUE(
      Near("pool_forward", "A[1, 1] (average, f 3, stride 1)", At(got->A, 1, 1),
           Tensor2({{0.44497696, -0.00261695, -0.31040307},
                    {0.50811474, -0.23493734, -0.23961183},
                    {0.11872677, 0.17255229, -0.22112197}}),
           kCourseValues, "the mean of the f x f window: divide by f * f"));
}

TEST(PoolForward, CourseValuesStrideTwo) {
  const PoolForwardFixture fx;
  const PoolHparameters hp{/*stride=*/2, /*f=*/3};
  auto got_max = Call("pool_forward", [&] {
    return graded::pool_forward(fx.A_prev, hp, PoolMode::kMax);
  });
  if (!got_max) return;
  auto got_average = Call("pool_forward", [&] {
    return graded::pool_forward(fx.A_prev, hp, PoolMode::kAverage);
  });
  if (!got_average) return;
  ASSERT_TRUE(HasShape("pool_forward", "A (max, f 3, stride 2)", got_max->A,
                       Dims4{2, 2, 2, 3}, kPoolShapeHint));
  ASSERT_TRUE(HasShape("pool_forward", "A (average, f 3, stride 2)",
                       got_average->A, Dims4{2, 2, 2, 3}, kPoolShapeHint));
  const std::string hint =
      "the window of A[i, h, w] starts at row stride * h and column "
      "stride * w";
  Tensor<3> want_max(2, 2, 3);
  want_max.setValues({{{1.74481176, 0.90159072, 1.65980218},
                       {1.74481176, 1.6924546, 1.65980218}},
                      {{1.13162939, 1.51981682, 2.18557541},
                       {1.13162939, 1.6924546, 2.18557541}}});
  EXPECT_TRUE(Near("pool_forward", "A[0] (max, f 3, stride 2)",
                   Tensor<3>(got_max->A.chip(0, 0)), want_max, kCourseValues,
                   hint));
  Tensor<3> want_average(2, 2, 3);
  want_average.setValues({{{-0.17313416, 0.32377198, -0.34317572},
                           {0.02030094, 0.14141479, -0.01231585}},
                          {{0.42944926, 0.08446996, -0.27290905},
                           {0.15077452, 0.28911175, 0.00123239}}});
  EXPECT_TRUE(Near("pool_forward", "A[1] (average, f 3, stride 2)",
                   Tensor<3>(got_average->A.chip(1, 0)), want_average,
                   kCourseValues, hint));
}

TEST(PoolForward, MatchesReferenceOnOtherShapes) {
  RandomState rng(5);
  const std::string f = "pool_forward";
  for (const PoolCase& s : kPoolCases) {
    const Tensor<4> A_prev = rng.randn_tensor<4>(s.a_prev());
    const PoolHparameters hp = s.hparameters();
    for (PoolMode mode : {PoolMode::kMax, PoolMode::kAverage}) {
      auto got = Call(f.c_str(),
                      [&] { return graded::pool_forward(A_prev, hp, mode); });
      if (!got) return;
      const std::string at = std::string(" (") + Name(mode) + ")" + s.str();
      EXPECT_TRUE(Near(f, "A" + at, got->A,
                       reference::pool_forward(A_prev, hp, mode).A, kReference,
                       std::string(kPoolShapeHint) +
                           "; each channel c is pooled on its own"));
      EXPECT_TRUE(Near(f, "cache.A_prev" + at, got->cache.A_prev, A_prev,
                       kReference, "the cache keeps the input A_prev"));
      EXPECT_TRUE(got->cache.hparameters.stride == hp.stride &&
                  got->cache.hparameters.f == hp.f)
          << f << ": cache.hparameters is {stride "
          << got->cache.hparameters.stride << ", f " << got->cache.hparameters.f
          << "}" << at << ": keep the hparameters you were given";
    }
  }
}

// ----------------------------------------------------------- conv_backward
TEST(ConvBackward, CourseValues) {
  RandomState rng(1);
  const Tensor<4> A_prev = rng.randn_tensor<4>({10, 4, 4, 3});
  const Tensor<4> W = rng.randn_tensor<4>({2, 2, 3, 8});
  const Tensor<4> b = rng.randn_tensor<4>({1, 1, 1, 8});
  const auto forward =
      reference::conv_forward(A_prev, W, b, {/*stride=*/2, /*pad=*/2});
  // The course passes Z itself as dZ.
  auto got = Call("conv_backward", [&] {
    return graded::conv_backward(forward.Z, forward.cache);
  });
  if (!got) return;
  const std::string f = "conv_backward";
  if (!HasGradientShapes(f, *got, {10, 4, 4, 3}, {2, 2, 3, 8}, {1, 1, 1, 8}, "",
                         "the shape of A_prev (unpadded)")) {
    return;
  }
  EXPECT_TRUE(Near(f, "dA_mean (the mean of dA_prev)", Mean(got->dA_prev),
                   1.4524377775388075, kCourseValues,
                   "da_prev_pad[window] += W[:, :, :, c] * dZ[i, h, w, c], "
                   "then drop the padding; windows start at stride * h"));
  EXPECT_TRUE(Near(f, "dW_mean (the mean of dW)", Mean(got->dW),
                   1.7269914583139097, kCourseValues,
                   "dW[:, :, :, c] += a_slice * dZ[i, h, w, c], a_slice from "
                   "the PADDED input, summed over i, h, w (no 1/m)"));
  EXPECT_TRUE(Near(f, "db_mean (the mean of db)", Mean(got->db),
                   7.839232564616838, kCourseValues,
                   "db[0, 0, 0, c] is the sum of dZ[:, :, :, c] (no 1/m)"));
}

TEST(ConvBackward, MatchesReferenceOnOtherShapes) {
  RandomState rng(6);
  const std::string f = "conv_backward";
  for (const ConvCase& s : kConvCases) {
    const Tensor<4> A_prev = rng.randn_tensor<4>(s.a_prev());
    const Tensor<4> W = rng.randn_tensor<4>(s.w());
    const Tensor<4> b = rng.randn_tensor<4>({1, 1, 1, s.n_C});
    const ConvCache cache =
        reference::conv_forward(A_prev, W, b, s.hparameters()).cache;
    const Tensor<4> dZ = rng.randn_tensor<4>(s.z());
    auto got =
        Call(f.c_str(), [&] { return graded::conv_backward(dZ, cache); });
    if (!got) return;
    const auto want = reference::conv_backward(dZ, cache);
    const std::string unpad =
        s.pad == 0 ? "with pad = 0 there is nothing to unpad (numpy's "
                     "[pad:-pad] would be EMPTY): slice from pad, n_H_prev "
                     "rows"
                   : "dA_prev[i] = da_prev_pad[pad:pad + n_H_prev, "
                     "pad:pad + n_W_prev, :]";
    EXPECT_TRUE(Near(f, "dA_prev" + s.str(), got->dA_prev, want.dA_prev,
                     kReference, unpad));
    EXPECT_TRUE(Near(f, "dW" + s.str(), got->dW, want.dW, kReference,
                     "dW[:, :, :, c] += a_slice * dZ[i, h, w, c], a_slice "
                     "from the padded input at vert_start = stride * h"));
    EXPECT_TRUE(Near(f, "db" + s.str(), got->db, want.db, kReference,
                     "db[0, 0, 0, c] = Σ over i, h, w of dZ[i, h, w, c]"));
  }
}

// Z = conv_forward(A_prev, W, b) and J = Σ (Z ⊙ dZ) for a fixed dZ:
// dA_prev = ∂J/∂A_prev, dW = ∂J/∂W, db = ∂J/∂b.
TEST(ConvBackward, GradientsMatchFiniteDifferences) {
  RandomState rng(7);
  const std::vector<ConvCase> cases = {{2, 5, 4, 3, 3, 4, 2, 1},
                                       {1, 4, 5, 2, 2, 3, 1, 0}};
  for (const ConvCase& s : cases) {
    Tensor<4> A_prev = rng.randn_tensor<4>(s.a_prev());
    Tensor<4> W = rng.randn_tensor<4>(s.w());
    Tensor<4> b = rng.randn_tensor<4>({1, 1, 1, s.n_C});
    const ConvHparameters hp = s.hparameters();
    const ConvCache cache = reference::conv_forward(A_prev, W, b, hp).cache;
    const Tensor<4> dZ = rng.randn_tensor<4>(s.z());
    auto got =
        Call("conv_backward", [&] { return graded::conv_backward(dZ, cache); });
    if (!got) return;
    const std::string f = "conv_backward";
    if (!HasGradientShapes(f, *got, s.a_prev(), s.w(), {1, 1, 1, s.n_C},
                           s.str())) {
      return;
    }
    auto J = [&] {
      return Sum(reference::conv_forward(A_prev, W, b, hp).Z * dZ);
    };
    EXPECT_TRUE(
        GradientsMatch(f + s.str(), CheckConvGradients(J, A_prev, W, b, *got)));
  }
}

// ------------------------------------------------- create_mask_from_window
TEST(CreateMaskFromWindow, CourseValues) {
  RandomState rng(1);
  const Matrix x = rng.randn(2, 3);
  auto got = Call("create_mask_from_window",
                  [&] { return graded::create_mask_from_window(x); });
  if (!got) return;
  EXPECT_TRUE(Near("create_mask_from_window", "mask", *got,
                   matrix({{1, 0, 0}, {0, 0, 0}}), kCourseValues,
                   "1.0 where x == x.maxCoeff(), 0.0 elsewhere"));
}

TEST(CreateMaskFromWindow, MatchesReferenceOnOtherShapes) {
  RandomState rng(8);
  for (auto [rows, cols] : std::vector<std::array<int, 2>>{
           {3, 3}, {2, 2}, {4, 2}, {1, 4}, {1, 1}, {5, 5}}) {
    const Matrix x = rng.randn(rows, cols);
    // All negative as well: the max need not be positive.
    for (const Matrix& window : {x, Matrix((x.array() - 5.0).matrix())}) {
      auto got = Call("create_mask_from_window",
                      [&] { return graded::create_mask_from_window(window); });
      if (!got) return;
      EXPECT_TRUE(Near("create_mask_from_window",
                       "mask for x " + dl::shape_string(window) +
                           (window.maxCoeff() < 0 ? " (all negative)" : ""),
                       *got, reference::create_mask_from_window(window),
                       kReference,
                       "compare with the max of the window, x.maxCoeff()"));
    }
  }
}

// The course's mask is x == np.max(x): EVERY entry equal to the max is 1.
TEST(CreateMaskFromWindow, MarksEveryMaximum) {
  const Matrix x = matrix({{1, 3}, {3, 2}});
  auto got = Call("create_mask_from_window",
                  [&] { return graded::create_mask_from_window(x); });
  if (!got) return;
  EXPECT_TRUE(Near("create_mask_from_window", "mask for [[1, 3], [3, 2]]", *got,
                   matrix({{0, 1}, {1, 0}}), kReference,
                   "the course's mask is (x == np.max(x)): both 3s are 1"));
}

// -------------------------------------------------------- distribute_value
TEST(DistributeValue, CourseValues) {
  auto got = Call("distribute_value", [] {
    return graded::distribute_value(2, {2, 2});
  });
  if (!got) return;
  EXPECT_TRUE(Near("distribute_value", "distribute_value(2, (2, 2))", *got,
                   matrix({{0.5, 0.5}, {0.5, 0.5}}), kCourseValues,
                   "every entry is dz / (n_H * n_W)"));
}

TEST(DistributeValue, MatchesReferenceOnOtherShapes) {
  struct Case {
    double dz;
    WindowShape shape;
  };
  for (const Case& c : std::vector<Case>{
           {-1.5, {3, 3}}, {0.7, {2, 3}}, {4.0, {1, 1}}, {2.5, {4, 1}}}) {
    auto got = Call("distribute_value",
                    [&] { return graded::distribute_value(c.dz, c.shape); });
    if (!got) return;
    EXPECT_TRUE(Near("distribute_value",
                     "distribute_value(" + std::to_string(c.dz) + ", (" +
                         std::to_string(c.shape.n_H) + ", " +
                         std::to_string(c.shape.n_W) + "))",
                     *got, reference::distribute_value(c.dz, c.shape),
                     kReference,
                     "a (n_H, n_W) matrix, every entry dz / (n_H * n_W) "
                     "(divide as doubles)"));
  }
}

// ----------------------------------------------------------- pool_backward
struct PoolBackwardFixture {  // the course's example (seed 1)
  PoolCache cache;
  Tensor<4> dA;
  PoolBackwardFixture() {
    RandomState rng(1);
    const Tensor<4> A_prev = rng.randn_tensor<4>({5, 5, 3, 2});
    cache =
        reference::pool_forward(A_prev, {/*stride=*/1, /*f=*/2}, PoolMode::kMax)
            .cache;
    dA = rng.randn_tensor<4>({5, 4, 2, 2});
  }
};

void CheckPoolBackwardCourseValues(PoolMode mode, const Tensor<2>& want11,
                                   const std::string& hint) {
  const PoolBackwardFixture fx;
  auto got = Call("pool_backward",
                  [&] { return graded::pool_backward(fx.dA, fx.cache, mode); });
  if (!got) return;
  const std::string f = "pool_backward";
  const std::string at = std::string(" (") + Name(mode) + ")";
  ASSERT_TRUE(HasShape(f, "dA_prev" + at, *got, Dims4{5, 5, 3, 2},
                       "the shape of cache.A_prev"));
  // Pooling passes every dA entry down whole (to the max, or spread evenly):
  // Σ dA_prev = Σ dA, and the course prints np.mean(dA).
  EXPECT_TRUE(Near(f, "Σ dA_prev / dA.size()" + at,
                   Sum(*got) / static_cast<double>(fx.dA.size()),
                   0.14571390272918056, kCourseValues,
                   "each dA[i, h, w, c] goes down whole, once: Σ dA_prev "
                   "= Σ dA (add with +=, once per output entry)"));
  EXPECT_TRUE(Near(f, "dA_prev[1, 1]" + at, At(*got, 1, 1), want11,
                   kCourseValues, hint));
}

TEST(PoolBackward, CourseValuesMax) {
  CheckPoolBackwardCourseValues(
      PoolMode::kMax, Tensor2({{0, 0}, {5.05844394, -1.68282702}, {0, 0}}),
      "mask = create_mask_from_window(A_prev window of channel c); "
      "dA_prev[window] += mask * dA[i, h, w, c]");
}

TEST(PoolBackward, CourseValuesAverage) {
  CheckPoolBackwardCourseValues(
      PoolMode::kAverage,
      Tensor2({{0.08485462, 0.2787552},
               {1.26461098, -0.25749373},
               {1.17975636, -0.53624893}}),
      "dA_prev[window] += distribute_value(dA[i, h, w, c], (f, f))");
}

TEST(PoolBackward, MatchesReferenceOnOtherShapes) {
  RandomState rng(9);
  const std::string f = "pool_backward";
  for (const PoolCase& s : kPoolCases) {
    const Tensor<4> A_prev = rng.randn_tensor<4>(s.a_prev());
    const Tensor<4> dA = rng.randn_tensor<4>(s.a());
    for (PoolMode mode : {PoolMode::kMax, PoolMode::kAverage}) {
      const PoolCache cache =
          reference::pool_forward(A_prev, s.hparameters(), mode).cache;
      auto got = Call(f.c_str(),
                      [&] { return graded::pool_backward(dA, cache, mode); });
      if (!got) return;
      EXPECT_TRUE(Near(
          f, std::string("dA_prev (") + Name(mode) + ")" + s.str(), *got,
          reference::pool_backward(dA, cache, mode), kReference,
          s.stride < s.f ? "these windows overlap: ADD (+=) each window's "
                           "gradient, never overwrite"
                         : "the window of dA[i, h, w] starts at row stride * "
                           "h and column stride * w of A_prev"));
    }
  }
}

// A = pool_forward(A_prev) and J = Σ (A ⊙ dA) for a fixed dA:
// dA_prev = ∂J/∂A_prev. A_prev's values are all different (gaps of 0.05), so
// the max of every window is unique and stays put under the perturbations.
void CheckPoolGradients(PoolMode mode, uint32_t seed) {
  RandomState rng(seed);
  for (const PoolCase& s :
       std::vector<PoolCase>{{2, 5, 4, 3, 3, 1}, {1, 6, 5, 2, 2, 2}}) {
    Tensor<4> A_prev = DistinctValues(rng, s.a_prev());
    const PoolHparameters hp = s.hparameters();
    const PoolCache cache = reference::pool_forward(A_prev, hp, mode).cache;
    const Tensor<4> dA = rng.randn_tensor<4>(s.a());
    auto got = Call("pool_backward",
                    [&] { return graded::pool_backward(dA, cache, mode); });
    if (!got) return;
    const std::string f =
        std::string("pool_backward (") + Name(mode) + ")" + s.str();
    ASSERT_TRUE(
        HasShape(f, "dA_prev", *got, s.a_prev(), "the shape of cache.A_prev"));
    auto J = [&] {
      return Sum(reference::pool_forward(A_prev, hp, mode).A * dA);
    };
    EXPECT_TRUE(GradientsMatch(
        f, CheckTensorGradients(J, {{"dA_prev", &A_prev, &*got}})));
  }
}

TEST(PoolBackward, MaxGradientsMatchFiniteDifferences) {
  CheckPoolGradients(PoolMode::kMax, 10);
}

TEST(PoolBackward, AverageGradientsMatchFiniteDifferences) {
  CheckPoolGradients(PoolMode::kAverage, 11);
}

}  // namespace
