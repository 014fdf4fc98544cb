// Your solutions to course3_cnn/style_transfer. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course3_cnn/style_transfer/...
// The formulas and shapes are in style_transfer.h and README.md.

#include <string>
#include <vector>

#include "common/grading/not_implemented.h"
#include "course3_cnn/style_transfer/style_transfer.h"

namespace style_transfer {

Tensor<4> generate_noise_image(const Tensor<4>& content_image,
                               dl::RandomState& rng) {
  // TODO: Tensor<4> G = content_image; add rng.uniform(-0.25, 0.25) to
  //       every entry, G.data()[i] for i = 0 .. G.size() - 1, in that
  //       order; return clip_0_1(G).   (≈5 lines)
  return dl::not_implemented<Tensor<4>>("generate_noise_image");
}

Tensor<4> clip_0_1(const Tensor<4>& image) {
  // TODO: every value clipped to [0, 1]: image.cwiseMax(0.0).cwiseMin(1.0)
  //   (≈1 line)
  return dl::not_implemented<Tensor<4>>("clip_0_1");
}

std::vector<Tensor<4>> get_layer_outputs(
    Model& vgg, const Tensor<4>& image,
    const std::vector<std::string>& layer_names) {
  // TODO: nn::Array<float> x({1, n_H, n_W, 3}) with the picture's values
  //       (x[i] = image.data()[i]); vgg.Forward(x);
  //       for each name: const nn::Array<float>& a =
  //       vgg.value(vgg.GetNode(name)); copy it into a Tensor<4> of shape
  //       (a.shape()[0], a.shape()[1], a.shape()[2], a.shape()[3]).
  //   (≈12 lines)
  return dl::not_implemented<std::vector<Tensor<4>>>("get_layer_outputs");
}

Costs compute_cost(const Targets& targets, const std::vector<Tensor<4>>& a_G) {
  // TODO: a_G_style = the entries of a_G but the last;
  //       J_style = compute_style_cost(targets.a_S, a_G_style,
  //                                    targets.style_layers);
  //       J_content = compute_content_cost(targets.a_C, a_G.back());
  //       J = total_cost(J_content, J_style, targets.alpha, targets.beta).
  //   (≈7 lines)
  return dl::not_implemented<Costs>("compute_cost");
}

std::vector<Tensor<4>> compute_cost_gradients(
    const Targets& targets, const std::vector<Tensor<4>>& a_G) {
  // TODO: for each style layer l: Tensor<4> d = beta * weight_l *
  //       compute_layer_style_cost_backward(a_S[l], a_G[l]);
  //       then the content layer: alpha *
  //       compute_content_cost_backward(a_C, a_G.back()).   (≈10 lines)
  return dl::not_implemented<std::vector<Tensor<4>>>("compute_cost_gradients");
}

Tensor<4> image_gradient(Model& vgg, const Tensor<4>& image,
                         const std::vector<std::string>& layer_names,
                         const std::vector<Tensor<4>>& da_G) {
  // TODO: x = the picture as an nn::Array<float>; vgg.Forward(x);
  //       g[l] = da_G[l] as an nn::Array<float> (keep them in a vector);
  //       gradients[l] = {vgg.GetNode(layer_names[l]), &g[l]}
  //       (std::vector<Model::NodeGradient>);
  //       vgg.Backward(gradients, /*input_gradients=*/true);
  //       return vgg.InputGradient() as a Tensor<4>.   (≈15 lines)
  return dl::not_implemented<Tensor<4>>("image_gradient");
}

double train_step(Model& vgg, const Targets& targets,
                  Tensor<4>& generated_image, ImageAdam& optimizer) {
  // TODO: names = layer_names(targets);
  //       a_G = get_layer_outputs(vgg, generated_image, names);
  //       J = compute_cost(targets, a_G).J;
  //       grad = image_gradient(vgg, generated_image, names,
  //                             compute_cost_gradients(targets, a_G));
  //       w = targets.total_variation_weight; when w != 0:
  //         J += w * total_variation(generated_image);
  //         grad += w * total_variation_backward(generated_image);
  //       optimizer.apply_gradients(grad, generated_image);
  //       generated_image = clip_0_1(generated_image); return J.
  //   (≈12 lines)
  return dl::not_implemented<double>("train_step");
}

}  // namespace style_transfer
