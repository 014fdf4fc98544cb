// The reference solution of course4_seq/jazz: the course's djmodel,
// music_inference_model and predict_and_sample, on autograd Vars.

#include <vector>

#include "common/nn/autograd.h"
#include "common/nn/autograd_lstm.h"
#include "course4_seq/jazz/jazz.h"

namespace jazz {
namespace reference {

namespace {

// The one-hot of each column's largest entry (the first on a tie).
Matrix OneHotOfArgmax(const Matrix& p) {
  Matrix x = Matrix::Zero(p.rows(), p.cols());
  for (Eigen::Index j = 0; j < p.cols(); ++j) {
    Eigen::Index best;
    p.col(j).maxCoeff(&best);
    x(best, j) = 1;
  }
  return x;
}

}  // namespace

std::vector<Var> djmodel(const Tensor3& X, const Var& a0, const Var& c0,
                         const JazzWeights& weights) {
  const Eigen::Index Tx = X.dimension(2);
  Var a = a0, c = c0;
  std::vector<Var> outputs;
  for (Eigen::Index t = 0; t < Tx; ++t) {
    // Select the t-th time step vector from X.
    const Var x = ag::Constant(time_step(X, t));
    // One step of the shared LSTM_cell.
    const ag::LstmState next = ag::lstm_cell_forward(x, a, c, weights.lstm);
    a = next.a;
    c = next.c;
    // densor on the hidden state (the logits; the loss applies softmax).
    outputs.push_back(ag::matmul(weights.Wy, a) + weights.by);
  }
  return outputs;
}

std::vector<Matrix> music_inference_model(const JazzWeights& weights,
                                          const Matrix& x_initializer,
                                          const Matrix& a_initializer,
                                          const Matrix& c_initializer, int Ty) {
  ag::NoGrad no_grad;
  Var x = ag::Constant(x_initializer);
  Var a = ag::Constant(a_initializer);
  Var c = ag::Constant(c_initializer);
  std::vector<Matrix> outputs;
  for (int t = 0; t < Ty; ++t) {
    const ag::LstmState next = ag::lstm_cell_forward(x, a, c, weights.lstm);
    a = next.a;
    c = next.c;
    const Var out = ag::softmax(ag::matmul(weights.Wy, a) + weights.by);
    outputs.push_back(out.value());
    // The chosen value, one-hot, is the next input.
    x = ag::Constant(OneHotOfArgmax(out.value()));
  }
  return outputs;
}

Sample predict_and_sample(const JazzWeights& weights,
                          const Matrix& x_initializer,
                          const Matrix& a_initializer,
                          const Matrix& c_initializer, int Ty) {
  const std::vector<Matrix> pred = reference::music_inference_model(
      weights, x_initializer, a_initializer, c_initializer, Ty);
  Sample sample;
  sample.results = Matrix::Zero(Ty, x_initializer.rows());
  for (int t = 0; t < Ty; ++t) {
    Eigen::Index best;
    pred[t].col(0).maxCoeff(&best);
    sample.indices.push_back(static_cast<int>(best));
    sample.results(t, best) = 1;
  }
  return sample;
}

}  // namespace reference
}  // namespace jazz
