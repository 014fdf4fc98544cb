// File: course3_cnn/style_transfer/given.cc
//
// The given parts of style_transfer.h: layer_names and ImageAdam.

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "course3_cnn/style_transfer/style_transfer.h"

namespace style_transfer {

namespace ds = detection_and_style::reference;

double compute_content_cost(const Tensor<4>& a_C, const Tensor<4>& a_G) {
  return ds::compute_content_cost(a_C, a_G);
}

double compute_layer_style_cost(const Tensor<4>& a_S, const Tensor<4>& a_G) {
  return ds::compute_layer_style_cost(a_S, a_G);
}

double compute_style_cost(const std::vector<Tensor<4>>& style_image_output,
                          const std::vector<Tensor<4>>& generated_image_output,
                          const std::vector<StyleLayer>& STYLE_LAYERS) {
  std::vector<detection_and_style::StyleLayer> layers;
  for (const StyleLayer& l : STYLE_LAYERS) layers.push_back({l.name, l.weight});
  return ds::compute_style_cost(style_image_output, generated_image_output,
                                layers);
}

double total_cost(double J_content, double J_style, double alpha, double beta) {
  return ds::total_cost(J_content, J_style, alpha, beta);
}

Tensor<4> compute_content_cost_backward(const Tensor<4>& a_C,
                                        const Tensor<4>& a_G) {
  return ds::compute_content_cost_backward(a_C, a_G);
}

Tensor<4> compute_layer_style_cost_backward(const Tensor<4>& a_S,
                                            const Tensor<4>& a_G) {
  return ds::compute_layer_style_cost_backward(a_S, a_G);
}

double total_variation(const Tensor<4>& image) {
  const Index n_H = image.dimension(1), n_W = image.dimension(2),
              n_C = image.dimension(3);
  double tv = 0;
  for (Index h = 0; h < n_H; ++h) {
    for (Index w = 0; w < n_W; ++w) {
      for (Index c = 0; c < n_C; ++c) {
        const double x = image(0, h, w, c);
        if (h + 1 < n_H) tv += std::abs(image(0, h + 1, w, c) - x);
        if (w + 1 < n_W) tv += std::abs(image(0, h, w + 1, c) - x);
      }
    }
  }
  return tv;
}

Tensor<4> total_variation_backward(const Tensor<4>& image) {
  const Index n_H = image.dimension(1), n_W = image.dimension(2),
              n_C = image.dimension(3);
  Tensor<4> grad(image.dimensions());
  grad.setZero();
  const auto sign = [](double d) { return double((d > 0) - (d < 0)); };
  for (Index h = 0; h < n_H; ++h) {
    for (Index w = 0; w < n_W; ++w) {
      for (Index c = 0; c < n_C; ++c) {
        const double x = image(0, h, w, c);
        if (h + 1 < n_H) {
          const double s = sign(image(0, h + 1, w, c) - x);
          grad(0, h + 1, w, c) += s;
          grad(0, h, w, c) -= s;
        }
        if (w + 1 < n_W) {
          const double s = sign(image(0, h, w + 1, c) - x);
          grad(0, h, w + 1, c) += s;
          grad(0, h, w, c) -= s;
        }
      }
    }
  }
  return grad;
}

std::vector<std::string> layer_names(const Targets& targets) {
  std::vector<std::string> names;
  for (const StyleLayer& layer : targets.style_layers) {
    names.push_back(layer.name);
  }
  names.push_back(targets.content_layer);
  return names;
}

ImageAdam::ImageAdam(double learning_rate) : adam_(learning_rate) {}

void ImageAdam::apply_gradients(const Tensor<4>& grad, Tensor<4>& image) {
  if (grad.dimensions() != image.dimensions()) {
    throw std::invalid_argument(
        "ImageAdam::apply_gradients: the gradient and the picture differ in "
        "shape");
  }
  const nn::Shape shape = {image.dimension(0), image.dimension(1),
                           image.dimension(2), image.dimension(3)};
  if (t_ == 0 || m_.shape() != shape) {  // zeros, as Keras's slots
    m_ = nn::Array<double>(shape);
    v_ = nn::Array<double>(shape);
    t_ = 0;
  }
  nn::Array<double> g(shape), value(shape);
  std::copy(grad.data(), grad.data() + grad.size(), g.data());
  std::copy(image.data(), image.data() + image.size(), value.data());
  nn::AdamUpdate(adam_, ++t_, g, m_, v_, value);
  std::copy(value.data(), value.data() + value.size(), image.data());
}

}  // namespace style_transfer
