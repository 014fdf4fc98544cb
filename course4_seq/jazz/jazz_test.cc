// Grades course4_seq/jazz: the shapes the course's tests check (T_x outputs
// of (n_values, m); results (Ty, n_values) and Ty indices), and the
// learner's three functions against the reference on seeded weights and
// inputs: the logits and the gradients of the loss through djmodel, the
// generated probabilities and the values fed back.

#include "course4_seq/jazz/jazz.h"

#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "common/nn/autograd.h"
#include "common/nn/test_util.h"
#include "course4_seq/jazz/graded.h"  // see tools/unit.bzl
#include "gtest/gtest.h"

namespace reference = jazz::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
namespace ag = dl::ag;
using dl::Matrix;
using dl::RandomState;
using dl::nn::test::Defined;
using jazz::JazzWeights;
using jazz::Tensor3;
using jazz::Var;

// Random one-hot values (n_values, m, T_x), and the labels of the next step.
struct Batch {
  Tensor3 X;
  std::vector<std::vector<int>> Y;
};

Batch RandomBatch(RandomState& rng, int n_values, int m, int T_x) {
  Batch b;
  b.X = Tensor3(n_values, m, T_x);
  b.X.setZero();
  b.Y.assign(m, std::vector<int>(T_x));
  for (int i = 0; i < m; ++i) {
    for (int t = 0; t < T_x; ++t) {
      b.X(rng.randint(0, n_values), i, t) = 1;
      b.Y[i][t] = static_cast<int>(rng.randint(0, n_values));
    }
  }
  return b;
}

// Weights with a non-zero bias everywhere (zeros would hide a missing b).
JazzWeights RandomWeights(RandomState& rng, int n_a, int n_values) {
  JazzWeights w = jazz::initialize_weights(n_a, n_values, rng);
  for (Var& v : w.all()) {
    v.mutable_value() += 0.3 * rng.randn(v.value().rows(), v.value().cols());
  }
  return w;
}

// ================================================================ djmodel

TEST(Djmodel, CourseShapes) {
  RandomState rng(1);
  const int n_a = 64, n_values = 90, m = 3, T_x = 30;
  const JazzWeights w = RandomWeights(rng, n_a, n_values);
  const Batch b = RandomBatch(rng, n_values, m, T_x);
  const Var zeros = ag::Constant(Matrix::Zero(n_a, m));
  auto got =
      Call("djmodel", [&] { return graded::djmodel(b.X, zeros, zeros, w); });
  if (!got) return;
  ASSERT_EQ(got->size(), size_t(T_x))
      << "djmodel: one output per time step of X (T_x = " << T_x << ")";
  for (int t = 0; t < T_x; ++t) {
    ASSERT_TRUE(
        Defined("djmodel", "outputs[" + std::to_string(t) + "]", (*got)[t]));
    ASSERT_TRUE(HasShape("djmodel", "outputs[" + std::to_string(t) + "]",
                         (*got)[t].value(), n_values, m,
                         "densor's logits: (n_values, m)"));
  }
}

TEST(Djmodel, MatchesReferenceAndItsGradients) {
  RandomState rng(2);
  const int n_a = 6, n_values = 7, m = 4, T_x = 5;
  const JazzWeights w = RandomWeights(rng, n_a, n_values);
  const Batch b = RandomBatch(rng, n_values, m, T_x);
  const Var a0 = ag::Constant(rng.randn(n_a, m));
  const Var c0 = ag::Constant(rng.randn(n_a, m));
  auto got = Call("djmodel", [&] { return graded::djmodel(b.X, a0, c0, w); });
  if (!got) return;
  const std::vector<Var> want = reference::djmodel(b.X, a0, c0, w);
  ASSERT_EQ(got->size(), want.size())
      << "djmodel: one output per time step of X";
  for (size_t t = 0; t < want.size(); ++t) {
    ASSERT_TRUE(
        Defined("djmodel", "outputs[" + std::to_string(t) + "]", (*got)[t]));
    ASSERT_TRUE(Near("djmodel", "outputs[" + std::to_string(t) + "]",
                     (*got)[t].value(), want[t].value(), kReference,
                     "step t reads X[:, :, t] and the a, c of step t-1 "
                     "(a0, c0 at t = 0); out = Wy a + by, no softmax"));
  }
  // The loss's gradients reach the shared weights through every step.
  std::vector<Var> params = w.all();
  ag::ZeroGrad(params);
  ag::Backward(jazz::music_loss(*got, b.Y));
  std::vector<Matrix> got_grads;
  for (const Var& p : params) got_grads.push_back(p.grad());
  ag::ZeroGrad(params);
  ag::Backward(jazz::music_loss(want, b.Y));
  const char* names[] = {"Wf", "bf", "Wi", "bi", "Wc",
                         "bc", "Wo", "bo", "Wy", "by"};
  for (size_t k = 0; k < params.size(); ++k) {
    EXPECT_TRUE(Near("djmodel", std::string("d") + names[k] + " of the loss",
                     got_grads[k], params[k].grad(), kReference,
                     "use weights' Vars themselves at every step (not "
                     "copies: ag::Constant(W.value()) has no gradient)"));
  }
}

// ================================================== music_inference_model

TEST(MusicInferenceModel, MatchesReference) {
  RandomState rng(3);
  const int n_a = 6, n_values = 7, m = 3, Ty = 8;
  const JazzWeights w = RandomWeights(rng, n_a, n_values);
  Matrix x0 = Matrix::Zero(n_values, m);
  x0(2, 1) = 1;  // example 1 starts from value 2; the others from zeros
  const Matrix a0 = rng.randn(n_a, m), c0 = rng.randn(n_a, m);
  auto got = Call("music_inference_model", [&] {
    return graded::music_inference_model(w, x0, a0, c0, Ty);
  });
  if (!got) return;
  const std::vector<Matrix> want =
      reference::music_inference_model(w, x0, a0, c0, Ty);
  ASSERT_EQ(got->size(), want.size())
      << "music_inference_model: Ty = " << Ty << " outputs";
  for (int t = 0; t < Ty; ++t) {
    const std::string what = "outputs[" + std::to_string(t) + "]";
    ASSERT_TRUE(HasShape("music_inference_model", what, (*got)[t], n_values, m,
                         "softmax probabilities (n_values, m)"));
    ASSERT_TRUE(Near(
        "music_inference_model", what, (*got)[t], want[t], kReference,
        t == 0 ? "the first step reads x_initializer, a_initializer and "
                 "c_initializer; out = softmax(Wy a + by) over each column"
               : "the next x is the one-hot of each column's argmax of the "
                 "last out; a and c carry over"));
  }
}

// ===================================================== predict_and_sample

TEST(PredictAndSample, CourseShapes) {
  RandomState rng(4);
  const int n_a = 64, n_values = 90, Ty = 50;
  const JazzWeights w = RandomWeights(rng, n_a, n_values);
  const Matrix x0 = Matrix::Zero(n_values, 1);
  const Matrix a0 = Matrix::Zero(n_a, 1), c0 = Matrix::Zero(n_a, 1);
  auto got = Call("predict_and_sample", [&] {
    return graded::predict_and_sample(w, x0, a0, c0, Ty);
  });
  if (!got) return;
  EXPECT_EQ(got->indices.size(), size_t(Ty))
      << "predict_and_sample: Ty indices";
  EXPECT_TRUE(HasShape("predict_and_sample", "results", got->results, Ty,
                       n_values, "to_categorical: (Ty, n_values)"));
}

TEST(PredictAndSample, MatchesReference) {
  RandomState rng(5);
  const int n_a = 6, n_values = 7, Ty = 12;
  const JazzWeights w = RandomWeights(rng, n_a, n_values);
  Matrix x0 = Matrix::Zero(n_values, 1);
  x0(4, 0) = 1;
  const Matrix a0 = rng.randn(n_a, 1), c0 = rng.randn(n_a, 1);
  auto got = Call("predict_and_sample", [&] {
    return graded::predict_and_sample(w, x0, a0, c0, Ty);
  });
  if (!got) return;
  const jazz::Sample want = reference::predict_and_sample(w, x0, a0, c0, Ty);
  ASSERT_EQ(got->indices, want.indices)
      << "predict_and_sample: the indices differ; indices[t] is the row of "
         "pred[t]'s largest probability";
  EXPECT_TRUE(Near("predict_and_sample", "results", got->results, want.results,
                   kReference,
                   "row t is the one-hot of indices[t] (Ty, n_values)"));
}

}  // namespace
