// File: course3_cnn/classic_nets/classic_nets.h
//
// Course 4 (our course 3), week 2, lectures "Classic Networks": LeNet-5,
// AlexNet and VGG-16, and the size arithmetic behind them. You write the
// formulas for a layer's output size and parameter count, a summary that
// walks a network layer by layer (the lecture's table: activation shape,
// activation size, # parameters), and the three networks as lists of layers
// in the lecture's notation (f, s, p). The application (train.cc) trains
// YOUR LeNet-5 on generated 32x32 digits.
//
// Sizes, for an input of n_H_prev x n_W_prev x n_C_prev:
//   convolution, n_C filters f x f, stride s, p zeros on each side:
//     n_H = floor((n_H_prev + 2p - f) / s) + 1   (n_W likewise), n_C
//     parameters (f f n_C_prev + 1) n_C          (one bias per filter)
//   pooling f x f, stride s (no padding, no parameters):
//     n_H = floor((n_H_prev - f) / s) + 1, n_C = n_C_prev
//   fully connected (dense), n units after n_prev (a volume is unrolled:
//   n_prev = n_H n_W n_C):  parameters (n_prev + 1) n
//
// The networks (activations after every conv and dense layer):
//   lenet5():  (32, 32, 1), classes 10, tanh           total     61,706
//     conv 6 5x5 s1 -> avgpool 2 s2 -> conv 16 5x5 s1 -> avgpool 2 s2
//     -> fc 120 -> fc 84 -> fc 10 (softmax)
//   alexnet(): (227, 227, 3), classes 1000, relu       total 62,378,344
//     conv 96 11x11 s4 -> maxpool 3 s2 -> conv 256 5x5 same -> maxpool 3 s2
//     -> conv 384 3x3 same -> conv 384 3x3 same -> conv 256 3x3 same
//     -> maxpool 3 s2 -> fc 4096 -> fc 4096 -> fc 1000 (softmax)
//   vgg16():   (224, 224, 3), classes 1000, relu       total 138,357,544
//     [conv 64 3x3 same] x2 -> maxpool 2 s2 -> [conv 128] x2 -> maxpool
//     -> [conv 256] x3 -> maxpool -> [conv 512] x3 -> maxpool
//     -> [conv 512] x3 -> maxpool -> fc 4096 -> fc 4096 -> fc 1000 (softmax)
// ("same" at stride 1 with an odd f is p = (f - 1) / 2.)
//
// Exercises, in order (write them in exercise.cc):
//   1. conv_output_shape  2. pool_output_shape  3. conv_layer_parameters
//   4. dense_layer_parameters  5. summarize  6. lenet5  7. alexnet
//   8. vgg16

#ifndef DLCOURSE_COURSE3_CNN_CLASSIC_NETS_CLASSIC_NETS_H_
#define DLCOURSE_COURSE3_CNN_CLASSIC_NETS_CLASSIC_NETS_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/nn/model.h"

namespace classic_nets {

namespace nn = dl::nn;

// The height and width of a layer's output.
struct OutputSize {
  int64_t n_H = 0;
  int64_t n_W = 0;
};

enum class LayerKind { kConv, kMaxPool, kAvgPool, kDense };

// One layer of a network, in the lecture's notation.
struct Layer {
  LayerKind kind = LayerKind::kConv;
  std::string name;        // "conv1", "pool1", "fc3", ...
  int units = 0;           // conv: n_C (the number of filters); dense: n
  int f = 0;               // conv, pool: the window is f x f
  int stride = 1;          // conv, pool: s
  int pad = 0;             // conv: p zeros on each side
  std::string activation;  // conv, dense: "relu", "tanh", "softmax"
};

// The layers, as the lecture writes them:
//   Conv("conv1", 6, 5)                 CONV 6 filters 5x5, s = 1, p = 0
//   Conv("conv2", 256, 5, 1, 2)         CONV 256 filters 5x5, "same"
//   MaxPool("pool1", 3, 2)              MAX-POOL 3x3, s = 2
//   Dense("fc3", 120, "tanh")           FC 120 units
inline Layer Conv(std::string name, int n_C, int f, int stride = 1, int pad = 0,
                  std::string activation = "relu") {
  return {LayerKind::kConv,     std::move(name), n_C, f, stride, pad,
          std::move(activation)};
}
inline Layer MaxPool(std::string name, int f, int stride) {
  return {LayerKind::kMaxPool, std::move(name), 0, f, stride, 0, ""};
}
inline Layer AvgPool(std::string name, int f, int stride) {
  return {LayerKind::kAvgPool, std::move(name), 0, f, stride, 0, ""};
}
inline Layer Dense(std::string name, int units,
                   std::string activation = "relu") {
  return {LayerKind::kDense,    std::move(name), units, 0, 1, 0,
          std::move(activation)};
}

// A network: its input (n_H, n_W, n_C) and its layers in order.
struct Network {
  std::string name;       // "LeNet-5"
  nn::Shape input_shape;  // (n_H, n_W, n_C)
  std::vector<Layer> layers;
};

// One row of the lecture's table.
struct SummaryRow {
  std::string name;  // "input", then the layer's name
  nn::Shape shape;   // the output: (n_H, n_W, n_C), or (n) after a dense
  int64_t size = 0;  // the activation size: the product of shape
  int64_t params = 0;
};

struct Summary {
  std::vector<SummaryRow> rows;  // the input, then one row per layer
  int64_t total_params = 0;      // the sum of the rows' params
};

// A convolution's output height and width:
//   n_H = floor((n_H_prev + 2 pad - f) / stride) + 1, n_W likewise.
// Assumes a window fits (n_H_prev + 2 pad >= f), f >= 1, stride >= 1,
// pad >= 0.
OutputSize conv_output_shape(int64_t n_H_prev, int64_t n_W_prev, int f,
                             int stride, int pad);

// A pooling layer's output height and width (no padding):
//   n_H = floor((n_H_prev - f) / stride) + 1, n_W likewise.
OutputSize pool_output_shape(int64_t n_H_prev, int64_t n_W_prev, int f,
                             int stride);

// The parameters of a convolution with n_C filters f x f on n_C_prev
// channels: weights f f n_C_prev n_C, biases n_C.
int64_t conv_layer_parameters(int f, int64_t n_C_prev, int64_t n_C);

// The parameters of a dense layer of n units after n_prev inputs:
// weights n_prev n, biases n.
int64_t dense_layer_parameters(int64_t n_prev, int64_t n);

// The lecture's table of a network: a row for the input (parameters 0),
// then one row per layer with its output shape, its activation size and its
// parameters (your four functions above); total_params is their sum.
// A dense layer after a volume unrolls it: n_prev = n_H n_W n_C. (The
// grader's networks are valid: every window fits.)
Summary summarize(const Network& network);

// The three classic networks (see the top of this file; layer names are
// free, the grader checks the kinds, sizes and activations).
Network lenet5();
Network alexnet();
Network vgg16();

// ------------------------------------------------------------ given code
// (not graded; given.cc)

// The network as an nn::Model<float> to train: Conv2D(units, f, stride, pad)
// and Dense layers, each followed by its Activation, pools as
// MaxPool2D / AveragePool2D(f, stride), a Flatten before the first dense
// layer after a volume. A final "softmax" is left out: the model outputs
// logits for nn::Loss::kSoftmaxCrossEntropy. Kernels are drawn with
// glorot_uniform from `seed`. Allocates every parameter (and its gradient):
// about 1.1 GB for VGG-16, so build only the small ones.
nn::Model<float> make_model(const Network& network, uint32_t seed = 0);

// "(28, 28, 6)".
std::string shape_string(const nn::Shape& shape);

// The summary as text: one line per row, then the total.
std::string summary_table(const Network& network, const Summary& summary);

// The reference solution (reference.cc), in classic_nets::reference.
namespace reference {
decltype(classic_nets::conv_output_shape) conv_output_shape;
decltype(classic_nets::pool_output_shape) pool_output_shape;
decltype(classic_nets::conv_layer_parameters) conv_layer_parameters;
decltype(classic_nets::dense_layer_parameters) dense_layer_parameters;
decltype(classic_nets::summarize) summarize;
decltype(classic_nets::lenet5) lenet5;
decltype(classic_nets::alexnet) alexnet;
decltype(classic_nets::vgg16) vgg16;
}  // namespace reference

}  // namespace classic_nets

#endif  // DLCOURSE_COURSE3_CNN_CLASSIC_NETS_CLASSIC_NETS_H_
