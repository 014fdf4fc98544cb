// The reference solution of course3_cnn/classic_nets: the size formulas,
// the lecture's summary table, and LeNet-5, AlexNet and VGG-16.

#include <cstdint>
#include <stdexcept>
#include <string>

#include "course3_cnn/classic_nets/classic_nets.h"

namespace classic_nets {
namespace reference {

OutputSize conv_output_shape(int64_t n_H_prev, int64_t n_W_prev, int f,
                             int stride, int pad) {
  // Non-negative integers: C++'s / is the floor.
  const int64_t n_H = (n_H_prev + 2 * pad - f) / stride + 1;
  const int64_t n_W = (n_W_prev + 2 * pad - f) / stride + 1;
  return {n_H, n_W};
}

OutputSize pool_output_shape(int64_t n_H_prev, int64_t n_W_prev, int f,
                             int stride) {
  return reference::conv_output_shape(n_H_prev, n_W_prev, f, stride, 0);
}

int64_t conv_layer_parameters(int f, int64_t n_C_prev, int64_t n_C) {
  return (int64_t{f} * f * n_C_prev + 1) * n_C;
}

int64_t dense_layer_parameters(int64_t n_prev, int64_t n) {
  return (n_prev + 1) * n;
}

Summary summarize(const Network& network) {
  Summary summary;
  nn::Shape shape = network.input_shape;
  const auto size_of = [](const nn::Shape& s) {
    int64_t n = 1;
    for (int64_t d : s) n *= d;
    return n;
  };
  summary.rows.push_back({"input", shape, size_of(shape), 0});
  for (const Layer& layer : network.layers) {
    SummaryRow row;
    row.name = layer.name;
    if (layer.kind == LayerKind::kDense) {
      // A volume is unrolled into n_H n_W n_C inputs.
      row.params =
          reference::dense_layer_parameters(size_of(shape), layer.units);
      shape = {layer.units};
    } else {
      if (shape.size() != 3) {
        throw std::invalid_argument("summarize: " + layer.name +
                                    " needs a volume (n_H, n_W, n_C)");
      }
      const int64_t n_H_prev = shape[0], n_W_prev = shape[1],
                    n_C_prev = shape[2];
      if (n_H_prev + 2 * layer.pad < layer.f ||
          n_W_prev + 2 * layer.pad < layer.f) {
        throw std::invalid_argument("summarize: " + layer.name +
                                    "'s window does not fit");
      }
      if (layer.kind == LayerKind::kConv) {
        const OutputSize out = reference::conv_output_shape(
            n_H_prev, n_W_prev, layer.f, layer.stride, layer.pad);
        shape = {out.n_H, out.n_W, layer.units};
        row.params =
            reference::conv_layer_parameters(layer.f, n_C_prev, layer.units);
      } else {
        const OutputSize out = reference::pool_output_shape(
            n_H_prev, n_W_prev, layer.f, layer.stride);
        shape = {out.n_H, out.n_W, n_C_prev};
        row.params = 0;
      }
    }
    row.shape = shape;
    row.size = size_of(shape);
    summary.total_params += row.params;
    summary.rows.push_back(row);
  }
  return summary;
}

Network lenet5() {
  Network net;
  net.name = "LeNet-5";
  net.input_shape = {32, 32, 1};
  net.layers = {
      Conv("conv1", 6, 5, 1, 0, "tanh"),   // (28, 28, 6)
      AvgPool("pool1", 2, 2),              // (14, 14, 6)
      Conv("conv2", 16, 5, 1, 0, "tanh"),  // (10, 10, 16)
      AvgPool("pool2", 2, 2),              // (5, 5, 16)
      Dense("fc3", 120, "tanh"),           // (120)
      Dense("fc4", 84, "tanh"),            // (84)
      Dense("output", 10, "softmax"),      // (10)
  };
  return net;
}

Network alexnet() {
  Network net;
  net.name = "AlexNet";
  net.input_shape = {227, 227, 3};
  net.layers = {
      Conv("conv1", 96, 11, 4),       // (55, 55, 96)
      MaxPool("pool1", 3, 2),         // (27, 27, 96)
      Conv("conv2", 256, 5, 1, 2),    // same: (27, 27, 256)
      MaxPool("pool2", 3, 2),         // (13, 13, 256)
      Conv("conv3", 384, 3, 1, 1),    // (13, 13, 384)
      Conv("conv4", 384, 3, 1, 1),    // (13, 13, 384)
      Conv("conv5", 256, 3, 1, 1),    // (13, 13, 256)
      MaxPool("pool5", 3, 2),         // (6, 6, 256) = 9216
      Dense("fc6", 4096),             //
      Dense("fc7", 4096),             //
      Dense("fc8", 1000, "softmax"),  //
  };
  return net;
}

Network vgg16() {
  Network net;
  net.name = "VGG-16";
  net.input_shape = {224, 224, 3};
  // Five blocks of 3x3 "same" convolutions, each followed by a 2x2 max
  // pool that halves n_H and n_W: 224 -> 112 -> 56 -> 28 -> 14 -> 7.
  const int filters[5] = {64, 128, 256, 512, 512};
  const int convs[5] = {2, 2, 3, 3, 3};
  for (int b = 0; b < 5; ++b) {
    const std::string block = "block" + std::to_string(b + 1);
    for (int c = 0; c < convs[b]; ++c) {
      net.layers.push_back(
          Conv(block + "_conv" + std::to_string(c + 1), filters[b], 3, 1, 1));
    }
    net.layers.push_back(MaxPool(block + "_pool", 2, 2));
  }
  net.layers.push_back(Dense("fc1", 4096));
  net.layers.push_back(Dense("fc2", 4096));
  net.layers.push_back(Dense("predictions", 1000, "softmax"));
  return net;
}

}  // namespace reference
}  // namespace classic_nets
