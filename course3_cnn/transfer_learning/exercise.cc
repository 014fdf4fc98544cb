// Your solutions to course3_cnn/transfer_learning. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course3_cnn/transfer_learning/...
// The formulas, shapes and layers are in transfer_learning.h and README.md.

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>

#include "common/grading/not_implemented.h"
#include "course3_cnn/transfer_learning/transfer_learning.h"

namespace transfer_learning {

DepthwiseForward depthwise_conv_forward(const Tensor<4>& A_prev,
                                        const Tensor<4>& W, const Tensor<4>& b,
                                        const ConvHparameters& hparameters) {
  // TODO: (≈25 lines)
  //   (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
  //   (f, f, n_C_prev, dm) = W.shape; stride, pad from hparameters
  //   n_H = int((n_H_prev + 2 * pad - f) / stride) + 1, n_W likewise
  //   Z = zeros (m, n_H, n_W, n_C_prev * dm); A_prev_pad = pad A_prev
  //   for i, h, w, c in range(n_C_prev), q in range(dm):
  //     k = c * dm + q
  //     Z[i, h, w, k] = sum over r, s < f of
  //         A_prev_pad[i, stride * h + r, stride * w + s, c] * W[r, s, c, q]
  //       + b[0, 0, 0, k]
  //   cache = (A_prev, W, b, hparameters)
  //   Hint: pad as conv_step_by_step's zero_pad: A_prev.pad(paddings) with
  //   std::array<std::pair<Index, Index>, 4> paddings =
  //       {{{0, 0}, {pad, pad}, {pad, pad}, {0, 0}}};
  //   Z(i, h, w, k) = ...; return {Z, DepthwiseCache{A_prev, W, b,
  //   hparameters}}.
  return dl::not_implemented<DepthwiseForward>("depthwise_conv_forward");
}

ConvGradients depthwise_conv_backward(const Tensor<4>& dZ,
                                      const DepthwiseCache& cache) {
  // TODO: (≈30 lines)
  //   (A_prev, W, b, hparameters) = cache; shapes as in the forward pass;
  //   dA_prev_pad = zeros like A_prev_pad, dW = zeros like W,
  //   db = zeros like b
  //   for i, h, w, c, q (k = c * dm + q), r, s:
  //     dA_prev_pad[i, vs + r, hs + s, c] += W[r, s, c, q] * dZ[i, h, w, k]
  //     dW[r, s, c, q] += A_prev_pad[i, vs + r, hs + s, c] * dZ[i, h, w, k]
  //   and db[0, 0, 0, k] += dZ[i, h, w, k] once per (i, h, w, k)
  //   dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
  //   Hint: a new Tensor is NOT zeroed: Tensor<4> dW(W.dimensions());
  //   dW.setZero(); the unpadding is a .slice(offsets, sizes) with
  //   std::array<Index, 4> offsets {0, pad, pad, 0}.
  return dl::not_implemented<ConvGradients>("depthwise_conv_backward");
}

PointwiseForward pointwise_conv_forward(const Tensor<4>& A_prev,
                                        const Tensor<4>& W,
                                        const Tensor<4>& b) {
  // TODO: (≈15 lines)
  //   (m, n_H, n_W, n_C_prev) = A_prev.shape; n_C = W.shape[3]
  //   for i, h, w, k:
  //     Z[i, h, w, k] = sum over c of A_prev[i, h, w, c] * W[0, 0, c, k]
  //                     + b[0, 0, 0, k]
  //   cache = (A_prev, W, b)
  //   Hint: no padding, no stride: the output has the input's n_H and n_W.
  return dl::not_implemented<PointwiseForward>("pointwise_conv_forward");
}

ConvGradients pointwise_conv_backward(const Tensor<4>& dZ,
                                      const PointwiseCache& cache) {
  // TODO: (≈20 lines)
  //   for i, h, w, k, c:
  //     dA_prev[i, h, w, c] += W[0, 0, c, k] * dZ[i, h, w, k]
  //     dW[0, 0, c, k] += A_prev[i, h, w, c] * dZ[i, h, w, k]
  //   db[0, 0, 0, k] += dZ[i, h, w, k]
  //   Hint: start every gradient at zero (setZero()).
  return dl::not_implemented<ConvGradients>("pointwise_conv_backward");
}

nn::Node inverted_residual_block(Model& model, nn::Node inputs, int expansion,
                                 int stride, int filters, int block_id) {
  // TODO: (≈25 lines)
  //   prefix = "block_<id>_" ("expanded_conv_" for block 0)
  //   in_channels = model.shape(inputs).back(); x = inputs
  //   if block_id:
  //     x = Conv2D(expansion * in_channels, 1, padding='same',
  //                use_bias=False, name=prefix + 'expand')(x)
  //     x = BatchNormalization(epsilon=1e-3, momentum=0.999,
  //                            name=prefix + 'expand_BN')(x)
  //     x = ReLU(6., name=prefix + 'expand_relu')(x)
  //   x = DepthwiseConv2D(3, strides=stride, use_bias=False, padding='same',
  //                       name=prefix + 'depthwise')(x)
  //   x = BatchNormalization(...depthwise_BN)(x); x = ReLU(6., ...)(x)
  //   x = Conv2D(filters, 1, padding='same', use_bias=False,
  //              name=prefix + 'project')(x)
  //   x = BatchNormalization(...project_BN)(x)
  //   if stride == 1 and in_channels == filters:
  //     x = Add(name=prefix + 'add')([inputs, x])
  //   Hint: nn::Conv2D conv(n, 1, 1, "same"); conv.use_bias = false;
  //   x = model.Add(conv.Named(prefix + "expand"), x);
  //   nn::BatchNormalization(3, 0.999, 0.001); nn::ReLU(6.0);
  //   model.Add(nn::Add().Named(...), inputs, x).
  return dl::not_implemented<nn::Node>("inverted_residual_block");
}

nn::Array<float> data_augmenter(const nn::Array<float>& images,
                                dl::RandomState& rng) {
  // TODO: (≈30 lines)
  //   for each picture i (in order):
  //     flip = rng.random_sample() < 0.5
  //     theta = rng.uniform(-kRotationFactor, kRotationFactor) * 2 * M_PI
  //     for each output pixel (y, x):
  //       src_x = cos(theta) (x - c_x) - sin(theta) (y - c_y) + c_x
  //       src_y = sin(theta) (x - c_x) + cos(theta) (y - c_y) + c_y
  //       bilinear between the four neighbours of (src_y, src_x), each
  //       index reflected into the picture, read from the flipped picture
  //   Hint: c_y = (n_H - 1) / 2.0; images(i, y, flip ? n_W - 1 - x : x, c)
  //   reads the flipped picture; reflect j into 0 .. n-1: k = j % (2n),
  //   plus 2n if negative, then 2n - 1 - k if k >= n.
  return dl::not_implemented<nn::Array<float>>("data_augmenter");
}

Model alpaca_model(const nn::Shape& image_shape, Model& base,
                   const Augmenter& data_augmentation, uint32_t seed) {
  // TODO: (≈15 lines)
  //   model = Model("alpaca_model", seed); inputs = model.Input(image_shape)
  //   x = data_augmentation(inputs)   (augmentation_layer, seed)
  //   x = preprocess_input(x)
  //   x = base_model(x, training=False)   (add_base_model)
  //   base_model.trainable = False        (set_trainable on its layers)
  //   x = GlobalAveragePooling2D()(x); x = Dropout(0.2)(x)
  //   outputs = Dense(1)(x)
  //   Hint: x = model.AddLayer(augmentation_layer(data_augmentation, seed),
  //   {inputs}); the base's layers are model.layer(k) for k from
  //   model.num_layers() before add_base_model to model.num_layers() after.
  return dl::not_implemented<Model>("alpaca_model");
}

int64_t unfreeze_top_layers(Model& model, int fine_tune_at,
                            double base_learning_rate) {
  // TODO: (≈8 lines)
  //   base_model.trainable = True
  //   for layer in base_model.layers[:fine_tune_at]: layer.trainable = False
  //   model.compile(BinaryCrossentropy(from_logits=True),
  //                 Adam(learning_rate=0.1 * base_learning_rate))
  //   Hint: base layer k is model.layer(kBaseFirstLayer + k), k <
  //   model.num_layers() - kBaseFirstLayer - kHeadLayers;
  //   nn::Loss::kBinaryCrossEntropy; return model.CountTrainableParameters().
  return dl::not_implemented<int64_t>("unfreeze_top_layers");
}

}  // namespace transfer_learning
