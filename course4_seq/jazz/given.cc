// The given code of course4_seq/jazz declared in jazz.h: the weights'
// initialization and the loss.

#include <stdexcept>
#include <string>
#include <vector>

#include "common/nn/autograd.h"
#include "common/nn/autograd_lstm.h"
#include "course4_seq/jazz/jazz.h"

namespace jazz {

std::vector<Var> JazzWeights::all() const {
  std::vector<Var> params = lstm.all();
  params.push_back(Wy);
  params.push_back(by);
  return params;
}

JazzWeights initialize_weights(int n_a, int n_values, dl::RandomState& rng) {
  JazzWeights w;
  w.lstm = ag::keras_lstm_weights(rng, n_a, n_values);
  w.Wy = ag::glorot_uniform(rng, n_values, n_a, n_a, n_values);
  w.by = ag::Param(Matrix::Zero(n_values, 1));
  return w;
}

Var music_loss(const std::vector<Var>& outputs,
               const std::vector<std::vector<int>>& Y) {
  if (outputs.empty()) throw std::invalid_argument("music_loss: no outputs");
  Var loss;
  for (size_t t = 0; t < outputs.size(); ++t) {
    std::vector<int> labels;
    for (const std::vector<int>& y : Y) {
      if (y.size() != outputs.size()) {
        throw std::invalid_argument(
            "music_loss: " + std::to_string(outputs.size()) +
            " outputs, but a list of Y has " + std::to_string(y.size()) +
            " labels");
      }
      labels.push_back(y[t]);
    }
    const Var step = ag::cross_entropy(outputs[t], labels);
    loss = t == 0 ? step : loss + step;
  }
  return loss;
}

}  // namespace jazz
