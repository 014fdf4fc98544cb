// Given code of course3_cnn/classic_nets (not graded): a Network as an
// nn::Model, and the summary as text.

#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "common/nn/model.h"
#include "course3_cnn/classic_nets/classic_nets.h"

namespace classic_nets {

nn::Model<float> make_model(const Network& network, uint32_t seed) {
  nn::Model<float> model(network.name, seed);
  model.Input(network.input_shape);
  const size_t n = network.layers.size();
  for (size_t k = 0; k < n; ++k) {
    const Layer& layer = network.layers[k];
    switch (layer.kind) {
      case LayerKind::kConv:
        model.Add(nn::Conv2D(layer.units, layer.f, layer.stride,
                             nn::Padding(layer.pad))
                      .Named(layer.name));
        break;
      case LayerKind::kMaxPool:
        model.Add(nn::MaxPool2D(layer.f, layer.stride).Named(layer.name));
        break;
      case LayerKind::kAvgPool:
        model.Add(nn::AveragePool2D(layer.f, layer.stride).Named(layer.name));
        break;
      case LayerKind::kDense:
        if (model.shape(model.last()).size() != 1) model.Add(nn::Flatten());
        model.Add(nn::Dense(layer.units).Named(layer.name));
        break;
    }
    const bool has_activation =
        layer.kind == LayerKind::kConv || layer.kind == LayerKind::kDense;
    const bool final_softmax = k + 1 == n && layer.activation == "softmax";
    if (has_activation && !layer.activation.empty() && !final_softmax) {
      model.Add(nn::Activation(layer.activation));
    }
  }
  return model;
}

std::string shape_string(const nn::Shape& shape) {
  std::string s = "(";
  for (size_t k = 0; k < shape.size(); ++k) {
    s += (k ? ", " : "") + std::to_string(shape[k]);
  }
  return s + ")";
}

using dl::nn::WithThousands;

std::string summary_table(const Network& network, const Summary& summary) {
  std::string out = network.name + "\n";
  char line[160];
  std::snprintf(line, sizeof line, "  %-14s %-18s %16s %14s\n", "layer",
                "activation shape", "activation size", "# parameters");
  out += line;
  for (const SummaryRow& row : summary.rows) {
    std::snprintf(line, sizeof line, "  %-14s %-18s %16s %14s\n",
                  row.name.c_str(), shape_string(row.shape).c_str(),
                  WithThousands(row.size).c_str(),
                  WithThousands(row.params).c_str());
    out += line;
  }
  std::snprintf(line, sizeof line, "  %-14s %-18s %16s %14s\n", "total", "", "",
                WithThousands(summary.total_params).c_str());
  out += line;
  return out;
}

}  // namespace classic_nets
