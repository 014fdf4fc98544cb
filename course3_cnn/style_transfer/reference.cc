// The reference solution of course3_cnn/style_transfer.

#include <algorithm>
#include <string>
#include <vector>

#include "course3_cnn/style_transfer/style_transfer.h"

namespace style_transfer {
namespace reference {

namespace {

// A picture (1, n_H, n_W, 3) as the network's input, and back.
nn::Array<float> ToArray(const Tensor<4>& t) {
  nn::Array<float> a(
      {t.dimension(0), t.dimension(1), t.dimension(2), t.dimension(3)});
  for (Index i = 0; i < t.size(); ++i) a[i] = static_cast<float>(t.data()[i]);
  return a;
}

Tensor<4> ToTensor(const nn::Array<float>& a) {
  Tensor<4> t(a.shape()[0], a.shape()[1], a.shape()[2], a.shape()[3]);
  for (Index i = 0; i < t.size(); ++i) t.data()[i] = a[i];
  return t;
}

}  // namespace

Tensor<4> generate_noise_image(const Tensor<4>& content_image,
                               dl::RandomState& rng) {
  Tensor<4> G = content_image;
  for (Index i = 0; i < G.size(); ++i) {
    G.data()[i] += rng.uniform(-0.25, 0.25);
  }
  return clip_0_1(G);
}

Tensor<4> clip_0_1(const Tensor<4>& image) {
  return image.cwiseMax(0.0).cwiseMin(1.0);
}

std::vector<Tensor<4>> get_layer_outputs(
    Model& vgg, const Tensor<4>& image,
    const std::vector<std::string>& layer_names) {
  const nn::Array<float> x = ToArray(image);
  vgg.Forward(x);
  std::vector<Tensor<4>> outputs;
  for (const std::string& name : layer_names) {
    outputs.push_back(ToTensor(vgg.value(vgg.GetNode(name))));
  }
  return outputs;
}

Costs compute_cost(const Targets& targets, const std::vector<Tensor<4>>& a_G) {
  const std::vector<Tensor<4>> a_G_style(a_G.begin(), a_G.end() - 1);
  Costs costs;
  costs.J_style =
      compute_style_cost(targets.a_S, a_G_style, targets.style_layers);
  costs.J_content = compute_content_cost(targets.a_C, a_G.back());
  costs.J =
      total_cost(costs.J_content, costs.J_style, targets.alpha, targets.beta);
  return costs;
}

std::vector<Tensor<4>> compute_cost_gradients(
    const Targets& targets, const std::vector<Tensor<4>>& a_G) {
  std::vector<Tensor<4>> da_G;
  for (size_t l = 0; l < targets.style_layers.size(); ++l) {
    const double weight = targets.beta * targets.style_layers[l].weight;
    Tensor<4> d =
        weight * compute_layer_style_cost_backward(targets.a_S[l], a_G[l]);
    da_G.push_back(d);
  }
  Tensor<4> d =
      targets.alpha * compute_content_cost_backward(targets.a_C, a_G.back());
  da_G.push_back(d);
  return da_G;
}

Tensor<4> image_gradient(Model& vgg, const Tensor<4>& image,
                         const std::vector<std::string>& layer_names,
                         const std::vector<Tensor<4>>& da_G) {
  const nn::Array<float> x = ToArray(image);
  vgg.Forward(x);
  std::vector<nn::Array<float>> g;
  for (const Tensor<4>& d : da_G) g.push_back(ToArray(d));
  std::vector<Model::NodeGradient> gradients;
  for (size_t l = 0; l < layer_names.size(); ++l) {
    gradients.push_back({vgg.GetNode(layer_names[l]), &g[l]});
  }
  vgg.Backward(gradients, /*input_gradients=*/true);
  return ToTensor(vgg.InputGradient());
}

double train_step(Model& vgg, const Targets& targets,
                  Tensor<4>& generated_image, ImageAdam& optimizer) {
  const std::vector<std::string> names = layer_names(targets);
  const std::vector<Tensor<4>> a_G =
      reference::get_layer_outputs(vgg, generated_image, names);
  double J = reference::compute_cost(targets, a_G).J;
  Tensor<4> grad = reference::image_gradient(
      vgg, generated_image, names,
      reference::compute_cost_gradients(targets, a_G));
  const double w = targets.total_variation_weight;
  if (w != 0) {
    J += w * total_variation(generated_image);
    grad += w * total_variation_backward(generated_image);
  }
  optimizer.apply_gradients(grad, generated_image);
  generated_image = reference::clip_0_1(generated_image);
  return J;
}

}  // namespace reference
}  // namespace style_transfer
