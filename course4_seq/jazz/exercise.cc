// Your solutions to course4_seq/jazz. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course4_seq/jazz/...
// The formulas and shapes are in jazz.h and README.md.

#include <vector>

#include "common/grading/not_implemented.h"
#include "common/nn/autograd.h"
#include "common/nn/autograd_lstm.h"
#include "course4_seq/jazz/jazz.h"

namespace jazz {

std::vector<Var> djmodel(const Tensor3& X, const Var& a0, const Var& c0,
                         const JazzWeights& weights) {
  // TODO: Var a = a0, c = c0; std::vector<Var> outputs;
  //       for t in 0 .. X.dimension(2) - 1:
  //         x = ag::Constant(time_step(X, t));
  //         ag::LstmState next = ag::lstm_cell_forward(x, a, c, weights.lstm);
  //         a = next.a; c = next.c;
  //         outputs.push_back(ag::matmul(weights.Wy, a) + weights.by);
  //   (≈10 lines)
  return dl::not_implemented<std::vector<Var>>("djmodel");
}

std::vector<Matrix> music_inference_model(const JazzWeights& weights,
                                          const Matrix& x_initializer,
                                          const Matrix& a_initializer,
                                          const Matrix& c_initializer, int Ty) {
  // TODO: ag::NoGrad no_grad; x, a, c = ag::Constant of the initializers;
  //       for t in 0 .. Ty-1: one step of the same cell, then
  //         out = ag::softmax(ag::matmul(weights.Wy, a) + weights.by);
  //         outputs.push_back(out.value());
  //         x = ag::Constant(the one-hot of each column's argmax of out)
  //       (Eigen: out.value().col(j).maxCoeff(&best) gives best's row.)
  //   (≈20 lines)
  return dl::not_implemented<std::vector<Matrix>>("music_inference_model");
}

Sample predict_and_sample(const JazzWeights& weights,
                          const Matrix& x_initializer,
                          const Matrix& a_initializer,
                          const Matrix& c_initializer, int Ty) {
  // TODO: pred = music_inference_model(...);
  //       indices[t] = the row of pred[t]'s largest entry (one column);
  //       results = Matrix::Zero(Ty, n_values), results(t, indices[t]) = 1.
  //   (≈10 lines)
  return dl::not_implemented<Sample>("predict_and_sample");
}

}  // namespace jazz
