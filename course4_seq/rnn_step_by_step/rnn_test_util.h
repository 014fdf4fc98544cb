// File: course4_seq/rnn_step_by_step/rnn_test_util.h
//
// What the grading tests of the recurrent units share (rnn_step_by_step_test,
// gru_and_deep_rnn_test): the shapes of the seeded comparisons, numpy's
// views of a (n, m, T_x) tensor, the shape check of a sequence output, the
// check of a forward pass's caches, and the sequence of a finite-difference
// check over time.

#ifndef DLCOURSE_COURSE4_SEQ_RNN_STEP_BY_STEP_RNN_TEST_UTIL_H_
#define DLCOURSE_COURSE4_SEQ_RNN_STEP_BY_STEP_RNN_TEST_UTIL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/core/tensor.h"
#include "common/grading/grading.h"
#include "course4_seq/rnn_step_by_step/rnn_utils.h"
#include "gtest/gtest.h"

namespace rnn_test {

using dl::Matrix;
using rnn_step_by_step::Tensor3;

// The sizes of a seeded comparison. The cell functions ignore T_x.
struct Shape {
  int n_x, n_a, n_y, m, T_x;
  // " (n_x = 4, n_a = 6, n_y = 3, m = 5, T_x = 3)", for the checks' names.
  std::string str() const;
};
// All different, plus m = 1, layers of size 1 and T_x = 1.
extern const std::vector<Shape> kShapes;
// The shape of the gradient checks over sequences (T_x >= 3).
extern const Shape kCheckShape;

// numpy's a[i][j]: the values of entry (i, j) over time, as a (1, T_x) row.
Matrix over_time(const Tensor3& a, int i, int j);

// Σ over every entry of a ⊙ b (same shapes).
double sum_product(const Tensor3& a, const Tensor3& b);

// The shape check of a sequence output, before its values are used.
testing::AssertionResult TensorHasShape(const std::string& function,
                                        const std::string& what,
                                        const Tensor3& got,
                                        const std::vector<int64_t>& want,
                                        const std::string& hint);

// The time steps of x as separate matrices (finite differences perturb
// them), and back.
std::vector<Matrix> split_steps(const Tensor3& x);
Tensor3 join_steps(const std::vector<Matrix>& steps);

// The data of a finite-difference check over a sequence: x (as its time
// steps, which the checks perturb), a0 and a fixed da (n_a, m, T_x), for
// J = Σ_t Σ a<t> ⊙ da<t>. A unit's check adds the parameters and J.
struct SequenceCheckData {
  std::vector<Matrix> x_steps;  // x[:, :, t], perturbed by the checks
  Matrix a0;
  Tensor3 da;

  Tensor3 x() const { return join_steps(x_steps); }
  // One block "dx[:, :, t]" per time step, with dx's step t as its gradient.
  std::vector<dl::grading::GradientBlock> dx_blocks(const Tensor3& dx);

  // The shape check of the learner's dx (x's shape) and da0 (a0's), before
  // a finite-difference check uses them: false, and the shape reported
  // ("rnn_backward: dx has shape (3, 5, 2), expected (3, 5, 4). ..."), when
  // one is wrong.
  bool HasGradientShapes(const std::string& f, const Tensor3& dx) const;
  bool HasGradientShapes(const std::string& f, const Tensor3& dx,
                         const Matrix& da0) const;
};

// The caches of a forward pass over time (rnn_forward, gru_forward) against
// the reference's: one per time step, step t starting from step t-1's
// a_next (a0 for t = 0) and holding x[:, :, t], and caches.x = x.
template <typename Caches>
void ExpectStepCaches(const std::string& f, const Shape& s, const Caches& got,
                      const Caches& want, const Tensor3& x) {
  using dl::grading::kReference;
  using dl::grading::Near;
  ASSERT_EQ(got.caches.size(), want.caches.size())
      << f << ": one cache per time step" << s.str();
  for (int t = 0; t < s.T_x; ++t) {
    const std::string at = "caches.caches[" + std::to_string(t) + "]";
    EXPECT_TRUE(Near(f, at + ".a_prev" + s.str(), got.caches[t].a_prev,
                     want.caches[t].a_prev, kReference,
                     "step t starts from the a_next of step t-1 (a0 for "
                     "t = 0)"));
    EXPECT_TRUE(Near(f, at + ".xt" + s.str(), got.caches[t].xt,
                     want.caches[t].xt, kReference,
                     "xt = x[:, :, t]: time_step(x, t)"));
  }
  EXPECT_TRUE(Near(f, "caches.x" + s.str(), got.x, x));
}

}  // namespace rnn_test

#endif  // DLCOURSE_COURSE4_SEQ_RNN_STEP_BY_STEP_RNN_TEST_UTIL_H_
