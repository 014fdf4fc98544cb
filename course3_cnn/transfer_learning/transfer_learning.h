// File: course3_cnn/transfer_learning/transfer_learning.h
//
// Course 4 (our course 3), week 2, assignment 2: "Transfer Learning with
// MobileNetV2". A network trained on one large task (MobileNetV2 on
// ImageNet) is reused for a small one (alpaca or not, from a few hundred
// pictures): its layers are kept FROZEN as a feature extractor, a new
// classifier is trained on top, then the top layers of the base are
// fine-tuned with a 10 times smaller learning rate.
//
// MobileNetV2 is built from two ideas, which you write first with loops:
//   - the depthwise separable convolution: a DEPTHWISE convolution (each
//     channel filtered on its own by an f x f filter; no sum over the
//     channels) followed by a POINTWISE one (a 1x1 convolution that mixes
//     the channels). f f n_C + n_C n_C' multiply-adds per output position
//     instead of f f n_C n_C';
//   - the inverted residual block (the "bottleneck"): expand the channels
//     with a 1x1 convolution, filter them with a 3x3 depthwise
//     convolution, project them back down with a 1x1 convolution, and add
//     the block's input when the shapes agree:
//
//   X ──┬── Conv2D(t n_C, 1x1) → BN → ReLU6            expand (not in block 0)
//       │   → DepthwiseConv2D(3x3, stride s) → BN → ReLU6       depthwise
//       │   → Conv2D(filters, 1x1) → BN ─────────┐              project
//       └────────── (s = 1 and n_C = filters) ───┴── Add → output
//
// Tensors are channels-last, in numpy's index order (dl::Tensor<N> is
// row-major: A(i, h, w, c) is numpy's A[i, h, w, c]):
//   A_prev: (m, n_H_prev, n_W_prev, n_C_prev)   the layer's input
//   depthwise W: (f, f, n_C_prev, depth_multiplier)
//   depthwise b: (1, 1, 1, n_C_prev depth_multiplier)
//   pointwise W: (1, 1, n_C_prev, n_C)   b: (1, 1, 1, n_C)
// with, as for conv_forward (course3_cnn/conv_step_by_step),
//   n_H = floor((n_H_prev + 2 pad - f) / stride) + 1, n_W likewise.
//
// The models use the Keras-like layers of common/nn/model.h (float):
//   Keras                                       here
//   tfl.DepthwiseConv2D(3, strides=2,           nn::DepthwiseConv2D(3, 2,
//       padding='same', use_bias=False)             "same"), use_bias = false
//   tfl.ReLU(6.)                                nn::ReLU(6.0)
//   base_model.trainable = False                set_trainable(layer, false)
//                                               for each of its layers
//
// Exercises, in order (write them in exercise.cc):
//   1. depthwise_conv_forward  2. depthwise_conv_backward
//   3. pointwise_conv_forward  4. pointwise_conv_backward
//   5. inverted_residual_block  6. data_augmenter  7. alpaca_model
//   8. unfreeze_top_layers

#ifndef DLCOURSE_COURSE3_CNN_TRANSFER_LEARNING_TRANSFER_LEARNING_H_
#define DLCOURSE_COURSE3_CNN_TRANSFER_LEARNING_TRANSFER_LEARNING_H_

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/core/random.h"
#include "common/core/tensor.h"
#include "common/nn/layers.h"
#include "common/nn/model.h"

namespace transfer_learning {

namespace nn = dl::nn;
using Model = nn::Model<float>;
using Index = Eigen::Index;
template <int N>
using Tensor = dl::Tensor<N>;
// Offsets and sizes for Tensor::slice, as in conv_step_by_step.
using Idx3 = std::array<Index, 3>;

// ===================================================== 1-4: the loops

// The course's hparameters dict {"stride": ..., "pad": ...}.
struct ConvHparameters {
  int stride = 1;
  int pad = 0;
};

// What depthwise_conv_forward keeps for its backward: (A_prev, W, b,
// hparameters).
struct DepthwiseCache {
  Tensor<4> A_prev;  // (m, n_H_prev, n_W_prev, n_C_prev), NOT padded
  Tensor<4> W;       // (f, f, n_C_prev, depth_multiplier)
  Tensor<4> b;       // (1, 1, 1, n_C_prev depth_multiplier)
  ConvHparameters hparameters;
};

struct DepthwiseForward {
  Tensor<4> Z;           // (m, n_H, n_W, n_C_prev depth_multiplier)
  DepthwiseCache cache;  // A_prev, W, b, hparameters
};

// Exercise 1. The depthwise convolution: pad A_prev with `pad` zeros on
// each side, then for every example i, output position (h, w), input
// channel c and filter q < depth_multiplier (dm), output channel
// k = c dm + q:
//   Z[i, h, w, k] = Σ_{r, s} A_prev_pad[i, vert_start + r,
//                                       horiz_start + s, c] W[r, s, c, q]
//                   + b[0, 0, 0, k]
// with vert_start = stride h, horiz_start = stride w, r, s in 0 .. f-1.
// Channel c meets only its own filters: no sum over the channels.
//   A_prev: (m, n_H_prev, n_W_prev, n_C_prev)  W: (f, f, n_C_prev, dm)
//   b: (1, 1, 1, n_C_prev dm)  ->  Z: (m, n_H, n_W, n_C_prev dm)
DepthwiseForward depthwise_conv_forward(const Tensor<4>& A_prev,
                                        const Tensor<4>& W, const Tensor<4>& b,
                                        const ConvHparameters& hparameters);

// The gradients of a convolution (depthwise or pointwise).
struct ConvGradients {
  Tensor<4> dA_prev;  // the shape of A_prev
  Tensor<4> dW;       // the shape of W
  Tensor<4> db;       // the shape of b
};

// Exercise 2. The backward pass of depthwise_conv_forward, given
// dZ = ∂J/∂Z. For every i, h, w, c, q (k = c dm + q), over the window
// r, s of the forward pass:
//   dA_prev_pad[i, vert_start + r, horiz_start + s, c]
//                                  += W[r, s, c, q] dZ[i, h, w, k]
//   dW[r, s, c, q] += A_prev_pad[i, vert_start + r, horiz_start + s, c]
//                     dZ[i, h, w, k]
//   db[0, 0, 0, k] += dZ[i, h, w, k]
// then dA_prev = dA_prev_pad without its padding. No 1/m.
//   dZ: (m, n_H, n_W, n_C_prev dm), cache from depthwise_conv_forward.
ConvGradients depthwise_conv_backward(const Tensor<4>& dZ,
                                      const DepthwiseCache& cache);

// What pointwise_conv_forward keeps: (A_prev, W, b).
struct PointwiseCache {
  Tensor<4> A_prev;  // (m, n_H, n_W, n_C_prev)
  Tensor<4> W;       // (1, 1, n_C_prev, n_C)
  Tensor<4> b;       // (1, 1, 1, n_C)
};

struct PointwiseForward {
  Tensor<4> Z;           // (m, n_H, n_W, n_C)
  PointwiseCache cache;  // A_prev, W, b
};

// Exercise 3. The pointwise (1x1) convolution, stride 1, no padding: at
// every position each output channel is a weighted sum of the input
// channels there:
//   Z[i, h, w, k] = Σ_c A_prev[i, h, w, c] W[0, 0, c, k] + b[0, 0, 0, k]
//   A_prev: (m, n_H, n_W, n_C_prev)  W: (1, 1, n_C_prev, n_C)
//   b: (1, 1, 1, n_C)  ->  Z: (m, n_H, n_W, n_C)
PointwiseForward pointwise_conv_forward(const Tensor<4>& A_prev,
                                        const Tensor<4>& W, const Tensor<4>& b);

// Exercise 4. Its backward pass, given dZ = ∂J/∂Z:
//   dA_prev[i, h, w, c] = Σ_k W[0, 0, c, k] dZ[i, h, w, k]
//   dW[0, 0, c, k] = Σ_{i, h, w} A_prev[i, h, w, c] dZ[i, h, w, k]
//   db[0, 0, 0, k] = Σ_{i, h, w} dZ[i, h, w, k]
//   dZ: (m, n_H, n_W, n_C), cache from pointwise_conv_forward.
ConvGradients pointwise_conv_backward(const Tensor<4>& dZ,
                                      const PointwiseCache& cache);

// ======================================== 5: the inverted residual block

// Exercise 5. Keras's MobileNetV2 block _inverted_res_block(inputs,
// expansion, stride, filters, block_id) (alpha = 1), its layers added to
// `model` after `inputs` (n_C = the channels of `inputs`), named with the
// prefix "block_<block_id>_" ("expanded_conv_" for block 0):
//   if block_id > 0:
//     Conv2D(expansion n_C, 1, 1, "same"), use_bias false  <prefix>expand
//     BatchNormalization(3, 0.999, 0.001)                  <prefix>expand_BN
//     ReLU(6.0)                                            <prefix>expand_relu
//   DepthwiseConv2D(3, stride, "same"), use_bias false     <prefix>depthwise
//   BatchNormalization(3, 0.999, 0.001)                    <prefix>depthwise_BN
//   ReLU(6.0) <prefix>depthwise_relu Conv2D(filters, 1, 1, "same"), use_bias
//   false          <prefix>project BatchNormalization(3, 0.999, 0.001)
//   <prefix>project_BN if stride == 1 and n_C == filters:
//     Add()(inputs, x)                                     <prefix>add
// (no activation after the projection: the "linear bottleneck").
//   inputs (n_H, n_W, n_C) -> (ceil(n_H / stride), ceil(n_W / stride),
//   filters). Returns the block's output node.
nn::Node inverted_residual_block(Model& model, nn::Node inputs, int expansion,
                                 int stride, int filters, int block_id);

// ========================================== 6: the data augmentation

// The course's data_augmenter(): Sequential([RandomFlip('horizontal'),
// RandomRotation(0.2)]) as a function on a batch of pictures.
inline constexpr double kRotationFactor = 0.2;  // a fraction of 2π

// A data augmentation: pictures (m, n_H, n_W, n_C) -> the same shape.
using Augmenter =
    std::function<nn::Array<float>(const nn::Array<float>&, dl::RandomState&)>;

// Exercise 6. For each picture i, in order, two draws from rng:
//   flip  = rng.random_sample() < 0.5
//   theta = rng.uniform(-kRotationFactor, kRotationFactor) 2π
// then: flipped = the picture mirrored left-right when flip
//   (flipped[y, x] = picture[y, n_W - 1 - x]), and the output rotated by
// theta about the centre (c_y, c_x) = ((n_H - 1) / 2, (n_W - 1) / 2): the
// output pixel (y, x) is read from flipped at
//   src_x = cos θ (x - c_x) - sin θ (y - c_y) + c_x
//   src_y = sin θ (x - c_x) + cos θ (y - c_y) + c_y
// by bilinear interpolation between its four neighbours (floor(src_y) and
// +1, floor(src_x) and +1; weights (1 - fy)(1 - fx), (1 - fy) fx,
// fy (1 - fx), fy fx with fy = src_y - floor(src_y)), channel by channel,
// a neighbour outside the picture read from its mirror image (Keras's
// fill_mode='reflect'): index j of a side of n is
//   j mod 2n (in 0 .. 2n-1), and 2n - 1 - that when it is n or more.
//   images: (m, n_H, n_W, n_C)  ->  (m, n_H, n_W, n_C)
nn::Array<float> data_augmenter(const nn::Array<float>& images,
                                dl::RandomState& rng);

// ============================================ 7: the alpaca model

// Where alpaca_model puts its layers: model.layer(0) the augmentation,
// model.layer(1) the preprocessing, then the base's layers (base.layer(k)
// is model.layer(kBaseFirstLayer + k)), then the kHeadLayers of the head.
inline constexpr int kBaseFirstLayer = 2;
inline constexpr int kHeadLayers = 3;

// Exercise 7. The course's alpaca_model(image_shape, data_augmentation):
//   model = Model("alpaca_model", seed)        (this name and seed)
//   inputs = Input(image_shape)
//   x = data_augmentation(inputs)       augmentation_layer(data_augmentation,
//                                       seed)
//   x = preprocess_input(x)             preprocess_input() (x / 127.5 - 1)
//   x = base_model(x, training=False)   add_base_model(model, x, base)
//   base_model.trainable = False        set_trainable(layer, false) for
//                                       each of the base's layers
//   x = GlobalAveragePooling2D()(x)
//   x = Dropout(0.2)(x)
//   outputs = Dense(1)(x)               (a logit: the loss is
//                                       BinaryCrossentropy(from_logits))
// Add the layers in this order (the weights of the head are drawn from the
// model's seed in order). image_shape is the base's input shape, e.g.
// (32, 32, 3).
//   inputs (m, 32, 32, 3) pixels 0 .. 255 -> (m, 1) logits
Model alpaca_model(const nn::Shape& image_shape, Model& base,
                   const Augmenter& data_augmentation, uint32_t seed);

// ============================================ 8: fine-tuning

// Exercise 8. The course's fine-tuning of the alpaca model:
//   base_model.trainable = True
//   for layer in base_model.layers[:fine_tune_at]: layer.trainable = False
//   model.compile(loss=BinaryCrossentropy(from_logits=True),
//                 optimizer=Adam(learning_rate=0.1 * base_learning_rate))
// The base's layers are model.layer(kBaseFirstLayer + k) for
// k = 0 .. n_base - 1, n_base = model.num_layers() - kBaseFirstLayer -
// kHeadLayers (fine_tune_at counts them from 0: our models have no
// InputLayer among their layers). Layers k >= fine_tune_at are made
// trainable, the others frozen (set_trainable); the head is left as it is.
// Returns the number of trainable parameters after the change
// (model.CountTrainableParameters()).
int64_t unfreeze_top_layers(Model& model, int fine_tune_at,
                            double base_learning_rate);

// ------------------------------------------------------------ given code
// (not graded; given.cc)

// MobileNetV2 (alpha = 1, scaled down for 32 x 32 pictures), Keras's
// tf.keras.applications.MobileNetV2(input_shape, include_top, classes)
// with Keras's layer names, its weights drawn from `seed`:
//   Conv2D(16, 3, 2, "same"), no bias  Conv1     (16, 16, 16)
//   BatchNormalization, ReLU(6.0)      bn_Conv1, Conv1_relu
//   block 0: expansion 1, 8 filters, stride 1   (16, 16, 8)
//   block 1: expansion 6, 12 filters, stride 2  (8, 8, 12)
//   block 2: expansion 6, 12 filters, stride 1  (8, 8, 12), with Add
//   block 3: expansion 6, 16 filters, stride 2  (4, 4, 16)
//   block 4: expansion 6, 16 filters, stride 1  (4, 4, 16), with Add
//   Conv2D(64, 1), no bias             Conv_1    (4, 4, 64)
//   BatchNormalization, ReLU(6.0)      Conv_1_bn, out_relu
// and, with include_top, GlobalAveragePooling2D and Dense(classes)
// ("predictions", logits). 45 layers without the top.
Model mobilenet_v2(const nn::Shape& input_shape, bool include_top, int classes,
                   uint32_t seed);

// The layers of mobilenet_v2(..., include_top = false) added to `model`
// after x, with the weights of `base` (a model made by mobilenet_v2:
// matched by layer name), each run in inference mode
// (Layer::set_inference_only: the course's base_model(x, training=False):
// batch normalization keeps the base's moving mean and variance, also
// when the layer is fine-tuned). Returns the base's output node.
nn::Node add_base_model(Model& model, nn::Node x, Model& base);

// Keras's layer.trainable = trainable: every parameter of the layer
// becomes trainable or not, except batch normalization's moving mean and
// variance, which are never trainable.
void set_trainable(nn::Layer<float>& layer, bool trainable);

// The course's data_augmentation model as a layer ("sequential
// (Sequential)"): in a training pass, augment(pictures, rng) with its own
// dl::RandomState(seed); in inference, the pictures unchanged.
std::unique_ptr<nn::Layer<float>> augmentation_layer(Augmenter augment,
                                                     uint32_t seed);

// tf.keras.applications.mobilenet_v2.preprocess_input as a layer
// ("rescaling (Rescaling)"): pixels 0 .. 255 to x / 127.5 - 1 in -1 .. 1.
std::unique_ptr<nn::Layer<float>> preprocess_input();

// Every parameter of `to` whose layer has a layer of the same name in
// `from`: its values copied (the shapes must agree). Returns how many
// layers were copied.
int copy_weights(Model& from, Model& to);

// The reference solution (reference.cc) has the same functions, in
// transfer_learning::reference. The grader compares yours with it.
namespace reference {
decltype(transfer_learning::depthwise_conv_forward) depthwise_conv_forward;
decltype(transfer_learning::depthwise_conv_backward) depthwise_conv_backward;
decltype(transfer_learning::pointwise_conv_forward) pointwise_conv_forward;
decltype(transfer_learning::pointwise_conv_backward) pointwise_conv_backward;
decltype(transfer_learning::inverted_residual_block) inverted_residual_block;
decltype(transfer_learning::data_augmenter) data_augmenter;
decltype(transfer_learning::alpaca_model) alpaca_model;
decltype(transfer_learning::unfreeze_top_layers) unfreeze_top_layers;
}  // namespace reference

}  // namespace transfer_learning

#endif  // DLCOURSE_COURSE3_CNN_TRANSFER_LEARNING_TRANSFER_LEARNING_H_
