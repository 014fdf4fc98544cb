// Tests of the LSTM cell on Vars (autograd_lstm.h): the course's cell
// (course4_seq/rnn_step_by_step's reference) step by step, gradients by
// finite differences, and Keras's initialization.

#include "common/nn/autograd_lstm.h"

#include <cmath>
#include <vector>

#include "common/core/random.h"
#include "common/core/tensor.h"
#include "common/nn/autograd.h"
#include "course4_seq/rnn_step_by_step/rnn_step_by_step.h"
#include "gtest/gtest.h"

namespace dl {
namespace ag {
namespace {

TEST(LstmCellForward, SameAsTheCourseCell) {
  RandomState rng(1);
  const int n = 5, n_x = 3, m = 4;
  rnn_step_by_step::LstmParameters p;
  for (Matrix* W : {&p.Wf, &p.Wi, &p.Wc, &p.Wo}) *W = rng.randn(n, n + n_x);
  for (Matrix* b : {&p.bf, &p.bi, &p.bc, &p.bo}) *b = rng.randn(n, 1);
  p.Wy = rng.randn(2, n);
  p.by = rng.randn(2, 1);
  LstmWeights w{Param(p.Wf), Param(p.bf), Param(p.Wi), Param(p.bi),
                Param(p.Wc), Param(p.bc), Param(p.Wo), Param(p.bo)};
  Matrix a = rng.randn(n, m), c = rng.randn(n, m);
  LstmState s{Constant(a), Constant(c)};
  for (int t = 0; t < 3; ++t) {  // three steps with the same weights
    const Matrix x = rng.randn(n_x, m);
    const auto want =
        rnn_step_by_step::reference::lstm_cell_forward(x, a, c, p);
    s = lstm_cell_forward(Constant(x), s.a, s.c, w);
    EXPECT_LT((s.a.value() - want.a_next).cwiseAbs().maxCoeff(), 1e-12) << t;
    EXPECT_LT((s.c.value() - want.c_next).cwiseAbs().maxCoeff(), 1e-12) << t;
    a = want.a_next;
    c = want.c_next;
  }
}

TEST(LstmCellForward, GradientsOverStepsMatchFiniteDifferences) {
  RandomState rng(2);
  const int n = 3, n_x = 2, m = 2;
  LstmWeights w = keras_lstm_weights(rng, n, n_x);
  const std::vector<Matrix> xs = {rng.randn(n_x, m), rng.randn(n_x, m)};
  const Matrix G = rng.randn(n, m);
  const auto J = [&]() {
    LstmState s{Constant(Matrix::Zero(n, m)), Constant(Matrix::Zero(n, m))};
    for (const Matrix& x : xs) s = lstm_cell_forward(Constant(x), s.a, s.c, w);
    return sum(mul(s.a, Constant(G)));
  };
  Var loss = J();
  Backward(loss);
  for (Var& v : w.all()) {
    Matrix& value = v.mutable_value();
    for (Index k = 0; k < value.size(); ++k) {
      const double saved = value.data()[k];
      value.data()[k] = saved + 1e-6;
      const double plus = J().value()(0, 0);
      value.data()[k] = saved - 1e-6;
      const double minus = J().value()(0, 0);
      value.data()[k] = saved;
      EXPECT_NEAR(v.grad().data()[k], (plus - minus) / 2e-6, 1e-7);
    }
  }
}

TEST(KerasLstmWeights, ShapesAndInitialValues) {
  RandomState rng(3);
  const LstmWeights w = keras_lstm_weights(rng, 64, 90);
  const double limit = std::sqrt(6.0 / (64 + 90 + 4 * 64));
  int64_t count = 0;
  for (const Var& v : w.all()) count += v.value().size();
  EXPECT_EQ(count, 4 * (64 * (64 + 90) + 64));  // Keras's summary: 39,680
  for (const Var* W : {&w.Wf, &w.Wi, &w.Wc, &w.Wo}) {
    EXPECT_EQ(W->value().rows(), 64);
    EXPECT_EQ(W->value().cols(), 64 + 90);
    EXPECT_LE(W->value().cwiseAbs().maxCoeff(), limit);
  }
  EXPECT_EQ(w.bf.value(), Matrix::Ones(64, 1));
  EXPECT_EQ(w.bo.value(), Matrix::Zero(64, 1));
}

}  // namespace
}  // namespace ag
}  // namespace dl
