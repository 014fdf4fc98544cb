// The reference solution of course3_cnn/transfer_learning.

#include <cmath>
#include <cstdint>
#include <string>

#include "common/core/random.h"
#include "common/nn/layers.h"
#include "common/nn/model.h"
#include "course3_cnn/transfer_learning/transfer_learning.h"

namespace transfer_learning {
namespace reference {
namespace {

// np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0))).
Tensor<4> ZeroPad(const Tensor<4>& X, int pad) {
  const std::array<std::pair<Index, Index>, 4> paddings = {
      {{0, 0}, {pad, pad}, {pad, pad}, {0, 0}}};
  return X.pad(paddings);
}

}  // namespace

DepthwiseForward depthwise_conv_forward(const Tensor<4>& A_prev,
                                        const Tensor<4>& W, const Tensor<4>& b,
                                        const ConvHparameters& hparameters) {
  const Index m = A_prev.dimension(0);
  const Index n_H_prev = A_prev.dimension(1);
  const Index n_W_prev = A_prev.dimension(2);
  const Index n_C_prev = A_prev.dimension(3);
  const Index f = W.dimension(0);
  const Index dm = W.dimension(3);
  const int stride = hparameters.stride;
  const int pad = hparameters.pad;
  const Index n_H = (n_H_prev + 2 * pad - f) / stride + 1;
  const Index n_W = (n_W_prev + 2 * pad - f) / stride + 1;

  const Tensor<4> A_prev_pad = ZeroPad(A_prev, pad);
  Tensor<4> Z(m, n_H, n_W, n_C_prev * dm);
  for (Index i = 0; i < m; ++i) {
    for (Index h = 0; h < n_H; ++h) {
      const Index vert_start = stride * h;
      for (Index w = 0; w < n_W; ++w) {
        const Index horiz_start = stride * w;
        for (Index c = 0; c < n_C_prev; ++c) {
          for (Index q = 0; q < dm; ++q) {
            const Index k = c * dm + q;
            // Channel c of the window, with filter q of channel c.
            double z = b(0, 0, 0, k);
            for (Index r = 0; r < f; ++r) {
              for (Index s = 0; s < f; ++s) {
                z += A_prev_pad(i, vert_start + r, horiz_start + s, c) *
                     W(r, s, c, q);
              }
            }
            Z(i, h, w, k) = z;
          }
        }
      }
    }
  }
  return {Z, DepthwiseCache{A_prev, W, b, hparameters}};
}

ConvGradients depthwise_conv_backward(const Tensor<4>& dZ,
                                      const DepthwiseCache& cache) {
  const Tensor<4>& A_prev = cache.A_prev;
  const Tensor<4>& W = cache.W;
  const Index m = A_prev.dimension(0);
  const Index n_H_prev = A_prev.dimension(1);
  const Index n_W_prev = A_prev.dimension(2);
  const Index n_C_prev = A_prev.dimension(3);
  const Index f = W.dimension(0);
  const Index dm = W.dimension(3);
  const int stride = cache.hparameters.stride;
  const int pad = cache.hparameters.pad;
  const Index n_H = dZ.dimension(1);
  const Index n_W = dZ.dimension(2);

  const Tensor<4> A_prev_pad = ZeroPad(A_prev, pad);
  Tensor<4> dA_prev_pad(A_prev_pad.dimensions());
  dA_prev_pad.setZero();
  ConvGradients grads;
  grads.dW = Tensor<4>(W.dimensions());
  grads.dW.setZero();
  grads.db = Tensor<4>(cache.b.dimensions());
  grads.db.setZero();
  for (Index i = 0; i < m; ++i) {
    for (Index h = 0; h < n_H; ++h) {
      const Index vert_start = stride * h;
      for (Index w = 0; w < n_W; ++w) {
        const Index horiz_start = stride * w;
        for (Index c = 0; c < n_C_prev; ++c) {
          for (Index q = 0; q < dm; ++q) {
            const Index k = c * dm + q;
            const double dz = dZ(i, h, w, k);
            for (Index r = 0; r < f; ++r) {
              for (Index s = 0; s < f; ++s) {
                dA_prev_pad(i, vert_start + r, horiz_start + s, c) +=
                    W(r, s, c, q) * dz;
                grads.dW(r, s, c, q) +=
                    A_prev_pad(i, vert_start + r, horiz_start + s, c) * dz;
              }
            }
            grads.db(0, 0, 0, k) += dz;
          }
        }
      }
    }
  }
  // Unpad: dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :].
  const std::array<Index, 4> offsets{0, pad, pad, 0};
  const std::array<Index, 4> extents{m, n_H_prev, n_W_prev, n_C_prev};
  grads.dA_prev = dA_prev_pad.slice(offsets, extents);
  return grads;
}

PointwiseForward pointwise_conv_forward(const Tensor<4>& A_prev,
                                        const Tensor<4>& W,
                                        const Tensor<4>& b) {
  const Index m = A_prev.dimension(0);
  const Index n_H = A_prev.dimension(1);
  const Index n_W = A_prev.dimension(2);
  const Index n_C_prev = A_prev.dimension(3);
  const Index n_C = W.dimension(3);
  Tensor<4> Z(m, n_H, n_W, n_C);
  for (Index i = 0; i < m; ++i) {
    for (Index h = 0; h < n_H; ++h) {
      for (Index w = 0; w < n_W; ++w) {
        for (Index k = 0; k < n_C; ++k) {
          double z = b(0, 0, 0, k);
          for (Index c = 0; c < n_C_prev; ++c) {
            z += A_prev(i, h, w, c) * W(0, 0, c, k);
          }
          Z(i, h, w, k) = z;
        }
      }
    }
  }
  return {Z, PointwiseCache{A_prev, W, b}};
}

ConvGradients pointwise_conv_backward(const Tensor<4>& dZ,
                                      const PointwiseCache& cache) {
  const Tensor<4>& A_prev = cache.A_prev;
  const Tensor<4>& W = cache.W;
  const Index m = A_prev.dimension(0);
  const Index n_H = A_prev.dimension(1);
  const Index n_W = A_prev.dimension(2);
  const Index n_C_prev = A_prev.dimension(3);
  const Index n_C = W.dimension(3);
  ConvGradients grads;
  grads.dA_prev = Tensor<4>(A_prev.dimensions());
  grads.dA_prev.setZero();
  grads.dW = Tensor<4>(W.dimensions());
  grads.dW.setZero();
  grads.db = Tensor<4>(cache.b.dimensions());
  grads.db.setZero();
  for (Index i = 0; i < m; ++i) {
    for (Index h = 0; h < n_H; ++h) {
      for (Index w = 0; w < n_W; ++w) {
        for (Index k = 0; k < n_C; ++k) {
          const double dz = dZ(i, h, w, k);
          for (Index c = 0; c < n_C_prev; ++c) {
            grads.dA_prev(i, h, w, c) += W(0, 0, c, k) * dz;
            grads.dW(0, 0, c, k) += A_prev(i, h, w, c) * dz;
          }
          grads.db(0, 0, 0, k) += dz;
        }
      }
    }
  }
  return grads;
}

nn::Node inverted_residual_block(Model& model, nn::Node inputs, int expansion,
                                 int stride, int filters, int block_id) {
  const std::string prefix = block_id == 0
                                 ? std::string("expanded_conv_")
                                 : "block_" + std::to_string(block_id) + "_";
  const int in_channels = static_cast<int>(model.shape(inputs).back());
  nn::Node x = inputs;
  if (block_id > 0) {
    // Expand: 1x1 convolution to expansion n_C channels.
    nn::Conv2D expand(expansion * in_channels, 1, 1, "same");
    expand.use_bias = false;
    x = model.Add(expand.Named(prefix + "expand"), x);
    x = model.Add(
        nn::BatchNormalization(3, 0.999, 0.001).Named(prefix + "expand_BN"), x);
    x = model.Add(nn::ReLU(6.0).Named(prefix + "expand_relu"), x);
  }
  // Depthwise: one 3x3 filter per channel.
  nn::DepthwiseConv2D depthwise(3, stride, "same");
  depthwise.use_bias = false;
  x = model.Add(depthwise.Named(prefix + "depthwise"), x);
  x = model.Add(
      nn::BatchNormalization(3, 0.999, 0.001).Named(prefix + "depthwise_BN"),
      x);
  x = model.Add(nn::ReLU(6.0).Named(prefix + "depthwise_relu"), x);
  // Project: 1x1 convolution to `filters` channels, no activation.
  nn::Conv2D project(filters, 1, 1, "same");
  project.use_bias = false;
  x = model.Add(project.Named(prefix + "project"), x);
  x = model.Add(
      nn::BatchNormalization(3, 0.999, 0.001).Named(prefix + "project_BN"), x);
  if (stride == 1 && in_channels == filters) {
    x = model.Add(nn::Add().Named(prefix + "add"), inputs, x);
  }
  return x;
}

nn::Array<float> data_augmenter(const nn::Array<float>& images,
                                dl::RandomState& rng) {
  const Index m = images.dim(0), n_H = images.dim(1), n_W = images.dim(2),
              n_C = images.dim(3);
  // Keras's fill_mode='reflect': (d c b a | a b c d | d c b a).
  const auto reflect = [](Index j, Index n) {
    Index k = j % (2 * n);
    if (k < 0) k += 2 * n;
    return k >= n ? 2 * n - 1 - k : k;
  };
  const double c_y = (n_H - 1) / 2.0, c_x = (n_W - 1) / 2.0;
  nn::Array<float> out(images.shape());
  for (Index i = 0; i < m; ++i) {
    const bool flip = rng.random_sample() < 0.5;
    const double theta =
        rng.uniform(-kRotationFactor, kRotationFactor) * 2 * M_PI;
    const double cos_t = std::cos(theta), sin_t = std::sin(theta);
    // flipped[y, x] = images[i, y, n_W - 1 - x] when flip.
    const auto flipped = [&](Index y, Index x, Index c) {
      return images(i, y, flip ? n_W - 1 - x : x, c);
    };
    for (Index y = 0; y < n_H; ++y) {
      for (Index x = 0; x < n_W; ++x) {
        const double src_x = cos_t * (x - c_x) - sin_t * (y - c_y) + c_x;
        const double src_y = sin_t * (x - c_x) + cos_t * (y - c_y) + c_y;
        const double y0 = std::floor(src_y), x0 = std::floor(src_x);
        const double fy = src_y - y0, fx = src_x - x0;
        const Index ya = reflect(Index(y0), n_H);
        const Index yb = reflect(Index(y0) + 1, n_H);
        const Index xa = reflect(Index(x0), n_W);
        const Index xb = reflect(Index(x0) + 1, n_W);
        for (Index c = 0; c < n_C; ++c) {
          out(i, y, x, c) =
              static_cast<float>((1 - fy) * (1 - fx) * flipped(ya, xa, c) +
                                 (1 - fy) * fx * flipped(ya, xb, c) +
                                 fy * (1 - fx) * flipped(yb, xa, c) +
                                 fy * fx * flipped(yb, xb, c));
        }
      }
    }
  }
  return out;
}

Model alpaca_model(const nn::Shape& image_shape, Model& base,
                   const Augmenter& data_augmentation, uint32_t seed) {
  Model model("alpaca_model", seed);
  const nn::Node inputs = model.Input(image_shape);
  nn::Node x =
      model.AddLayer(augmentation_layer(data_augmentation, seed), {inputs});
  x = model.AddLayer(preprocess_input(), {x});
  const int first = model.num_layers();
  x = add_base_model(model, x, base);
  // base_model.trainable = False
  for (int k = first; k < model.num_layers(); ++k) {
    set_trainable(model.layer(k), false);
  }
  x = model.Add(nn::GlobalAveragePooling2D(), x);
  x = model.Add(nn::Dropout(0.2), x);
  model.Add(nn::Dense(1), x);
  return model;
}

int64_t unfreeze_top_layers(Model& model, int fine_tune_at,
                            double base_learning_rate) {
  const int base_layers = model.num_layers() - kBaseFirstLayer - kHeadLayers;
  // base_model.trainable = True, then layers[:fine_tune_at] frozen again.
  for (int k = 0; k < base_layers; ++k) {
    set_trainable(model.layer(kBaseFirstLayer + k), k >= fine_tune_at);
  }
  model.Compile(nn::Adam(0.1 * base_learning_rate),
                nn::Loss::kBinaryCrossEntropy);
  return model.CountTrainableParameters();
}

}  // namespace reference
}  // namespace transfer_learning
