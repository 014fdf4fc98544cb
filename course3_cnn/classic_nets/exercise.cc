// Your solutions to course3_cnn/classic_nets. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course3_cnn/classic_nets/...
// The formulas, the layers and the API are in classic_nets.h and README.md.

#include <cstdint>

#include "common/grading/not_implemented.h"
#include "course3_cnn/classic_nets/classic_nets.h"

namespace classic_nets {

OutputSize conv_output_shape(int64_t n_H_prev, int64_t n_W_prev, int f,
                             int stride, int pad) {
  // TODO: n_H = floor((n_H_prev + 2 pad - f) / stride) + 1, n_W likewise;
  //   return {n_H, n_W};  (≈3 lines)
  return dl::not_implemented<OutputSize>("conv_output_shape");
}

OutputSize pool_output_shape(int64_t n_H_prev, int64_t n_W_prev, int f,
                             int stride) {
  // TODO: n_H = floor((n_H_prev - f) / stride) + 1, n_W likewise  (≈1 line)
  return dl::not_implemented<OutputSize>("pool_output_shape");
}

int64_t conv_layer_parameters(int f, int64_t n_C_prev, int64_t n_C) {
  // TODO: (f f n_C_prev + 1) n_C, in 64-bit integers  (≈1 line)
  return dl::not_implemented<int64_t>("conv_layer_parameters");
}

int64_t dense_layer_parameters(int64_t n_prev, int64_t n) {
  // TODO: (n_prev + 1) n  (≈1 line)
  return dl::not_implemented<int64_t>("dense_layer_parameters");
}

Summary summarize(const Network& network) {
  // TODO: walk the layers, keeping the current shape (≈30 lines):
  //   Summary summary;
  //   nn::Shape shape = network.input_shape;
  //   summary.rows.push_back({"input", shape, size of shape, 0});
  //   for (const Layer& layer : network.layers):
  //     kConv:   {n_H, n_W} = conv_output_shape(shape[0], shape[1], layer.f,
  //              layer.stride, layer.pad); shape = {n_H, n_W, layer.units};
  //              params = conv_layer_parameters(layer.f, shape[2] before,
  //              layer.units)
  //     kMaxPool, kAvgPool: pool_output_shape; the channels stay; params 0
  //     kDense:  n_prev = the product of shape (a volume is unrolled);
  //              params = dense_layer_parameters(n_prev, layer.units);
  //              shape = {layer.units}
  //     push {layer.name, shape, product of shape, params}; add params to
  //     summary.total_params.
  return dl::not_implemented<Summary>("summarize");
}

Network lenet5() {
  // TODO: (32, 32, 1); tanh; conv 6 5x5 -> avg pool 2 s2 -> conv 16 5x5 ->
  //   avg pool 2 s2 -> fc 120 -> fc 84 -> fc 10 softmax  (≈12 lines):
  //   Network net;
  //   net.name = "LeNet-5";
  //   net.input_shape = {32, 32, 1};
  //   net.layers = {Conv("conv1", 6, 5, 1, 0, "tanh"), AvgPool("pool1", 2, 2),
  //                 ...};
  //   return net;
  return dl::not_implemented<Network>("lenet5");
}

Network alexnet() {
  // TODO: (227, 227, 3); relu; conv 96 11x11 s4 -> max pool 3 s2 ->
  //   conv 256 5x5 same -> max pool 3 s2 -> conv 384 3x3 same ->
  //   conv 384 3x3 same -> conv 256 3x3 same -> max pool 3 s2 ->
  //   fc 4096 -> fc 4096 -> fc 1000 softmax  (≈16 lines)
  //   "same" at stride 1: pad = (f - 1) / 2.
  return dl::not_implemented<Network>("alexnet");
}

Network vgg16() {
  // TODO: (224, 224, 3); relu; five blocks of 3x3 same convolutions, each
  //   ending with a 2x2 max pool of stride 2: 2 x 64, 2 x 128, 3 x 256,
  //   3 x 512, 3 x 512 filters; then fc 4096 -> fc 4096 -> fc 1000 softmax
  //   (≈15 lines with two loops)
  return dl::not_implemented<Network>("vgg16");
}

}  // namespace classic_nets
