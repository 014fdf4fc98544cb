// File: course3_cnn/style_transfer/style_transfer.h
//
// Course 4, week 4, assignment 2: "Art Generation with Neural Style
// Transfer". A picture G is changed pixel by pixel until a pretrained
// network sees in it the CONTENT of one picture C (a deep layer's
// activations) and the STYLE of another, S (the Gram matrices of several
// layers' activations). The costs are the ones you wrote in
// course3_cnn/detection_and_style; here they are put to work: their
// gradient goes back through the network to the pixels, and Adam moves the
// pixels.
//
// The course's VGG19 (trained on ImageNet) is replaced by a small network
// of the same shape, blocks of 3x3 convolutions with ReLU and max pooling,
// named as VGG19's layers (block1_conv1, ...), trained here on generated
// texture patches (feature_net.h).
//
// Shapes (the course's, channels last):
//   content_image, style_image, generated_image:
//                   (1, n_H, n_W, 3)     one picture, values in [0, 1]
//   a layer's output (activations):
//                   (1, n_H_l, n_W_l, n_C_l)
//   layer outputs:  one per layer of STYLE_LAYERS, then the content layer
//                   (the course's STYLE_LAYERS + content_layer)
//
// Exercises, in order (write them in exercise.cc):
//   1. generate_noise_image  2. clip_0_1  3. get_layer_outputs
//   4. compute_cost  5. compute_cost_gradients  6. image_gradient
//   7. train_step

#ifndef DLCOURSE_COURSE3_CNN_STYLE_TRANSFER_STYLE_TRANSFER_H_
#define DLCOURSE_COURSE3_CNN_STYLE_TRANSFER_STYLE_TRANSFER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/core/tensor.h"
#include "common/nn/model.h"
#include "common/nn/optimizers.h"
#include "course3_cnn/detection_and_style/detection_and_style.h"

namespace style_transfer {

namespace nn = dl::nn;
template <int N>
using Tensor = dl::Tensor<N>;
using Index = Eigen::Index;
using Model = nn::Model<float>;

// One style layer and its weight λ_l (the course's STYLE_LAYERS entries).
struct StyleLayer {
  std::string name;
  double weight;
};

// The costs of course3_cnn/detection_and_style, at hand as in the course's
// notebook: you wrote them there, and that unit grades them. Here they run
// that unit's reference solution, so that this unit's grade does not
// depend on yours there (given.cc).
//   a_C, a_S, a_G: (1, n_H, n_W, n_C)
double compute_content_cost(const Tensor<4>& a_C, const Tensor<4>& a_G);
double compute_layer_style_cost(const Tensor<4>& a_S, const Tensor<4>& a_G);
//   Σ_l λ_l compute_layer_style_cost(style_image_output[l],
//                                    generated_image_output[l])
double compute_style_cost(const std::vector<Tensor<4>>& style_image_output,
                          const std::vector<Tensor<4>>& generated_image_output,
                          const std::vector<StyleLayer>& STYLE_LAYERS);
//   alpha J_content + beta J_style
double total_cost(double J_content, double J_style, double alpha, double beta);
// Their gradients with respect to a_G (ours in detection_and_style):
//   (a_G - a_C) / (2 n_H n_W n_C)
Tensor<4> compute_content_cost_backward(const Tensor<4>& a_C,
                                        const Tensor<4>& a_G);
//   (G_G - G_S) A_G / (n_C² (n_H n_W)²), rolled back up to a_G's shape
Tensor<4> compute_layer_style_cost_backward(const Tensor<4>& a_S,
                                            const Tensor<4>& a_G);

// The course's STYLE_LAYERS: the first convolution of each block, 0.2 each.
inline const std::vector<StyleLayer> kStyleLayers = {{"block1_conv1", 0.2},
                                                     {"block2_conv1", 0.2},
                                                     {"block3_conv1", 0.2},
                                                     {"block4_conv1", 0.2},
                                                     {"block5_conv1", 0.2}};
// The content layer: the network's last convolution (the course's
// block5_conv4; ours has two convolutions in block 5).
inline constexpr char kContentLayer[] = "block5_conv2";

// What the costs compare the generated picture with, computed once: the
// course's a_S (the style picture's outputs at STYLE_LAYERS) and a_C (the
// content picture's output at the content layer), with the layers.
struct Targets {
  std::vector<StyleLayer> style_layers;  // STYLE_LAYERS
  std::string content_layer;             // the content layer's name
  std::vector<Tensor<4>> a_S;            // one per style layer
  Tensor<4> a_C;                         // (1, n_H, n_W, n_C)
  double alpha = 10;                     // the weight of J_content
  double beta = 40;                      // the weight of J_style
  double total_variation_weight = 0;     // 0: the course's cost (below)
};

// The total variation of TensorFlow's style-transfer tutorial (the
// course's notebook comes from it), tf.image.total_variation: the sum of
// |differences| between neighbouring pixels, down and across, every
// channel. train_step adds total_variation_weight times it to J: it
// smooths away the starting noise, which the course's VGG19 does by itself
// and our small network does not. 0 (Targets' default) is the course's
// train_step exactly.
//   image: (1, n_H, n_W, 3)  ->  a number
double total_variation(const Tensor<4>& image);
// Its gradient with respect to the picture (sign(differences), 0 where
// two neighbours are equal).
//   image: (1, n_H, n_W, 3)  ->  (1, n_H, n_W, 3)
Tensor<4> total_variation_backward(const Tensor<4>& image);

// The names of the layers whose outputs the costs need: the style layers,
// then the content layer (the course's STYLE_LAYERS + content_layer).
std::vector<std::string> layer_names(const Targets& targets);

// The course's tf.keras.optimizers.Adam on one variable, the picture:
// optimizer.apply_gradients([(grad, generated_image)]). Keras's update
// (nn::AdamUpdate, as the models' training does it):
//   t += 1; lr_t = lr sqrt(1 - beta_2^t) / (1 - beta_1^t)
//   m = beta_1 m + (1 - beta_1) g;  v = beta_2 v + (1 - beta_2) g²
//   image -= lr_t m / (sqrt(v) + epsilon)
class ImageAdam {
 public:
  explicit ImageAdam(double learning_rate = 0.01);
  //   grad, image: (1, n_H, n_W, 3)
  void apply_gradients(const Tensor<4>& grad, Tensor<4>& image);
  int64_t iterations() const { return t_; }

 private:
  nn::Adam adam_;
  int64_t t_ = 0;
  nn::Array<double> m_, v_;  // Keras's slots, the picture's shape
};

// Exercise 1. The course's first generated image: the content picture
// with uniform noise in [-0.25, 0.25], clipped to [0, 1]:
//   noise[i] = rng.uniform(-0.25, 0.25)   (one draw per entry, in
//                                          row-major order)
//   G = clip(content_image + noise, 0, 1)
//   content_image: (1, n_H, n_W, 3)  ->  (1, n_H, n_W, 3)
Tensor<4> generate_noise_image(const Tensor<4>& content_image,
                               dl::RandomState& rng);

// Exercise 2. The course's clip_0_1: every value clipped to [0, 1].
//   image: any shape (1, n_H, n_W, 3)  ->  the same shape
Tensor<4> clip_0_1(const Tensor<4>& image);

// Exercise 3. The course's get_layer_outputs(vgg, layer_names) applied to
// one picture: the network's forward pass (inference), then the output of
// each named layer, in the order of the names.
//   x = image as an nn::Array<float> (1, n_H, n_W, 3); vgg.Forward(x);
//   for each name: vgg.value(vgg.GetNode(name)), as a Tensor<4>
//   image: (1, n_H, n_W, 3)  ->  one (1, n_H_l, n_W_l, n_C_l) per name
std::vector<Tensor<4>> get_layer_outputs(
    Model& vgg, const Tensor<4>& image,
    const std::vector<std::string>& layer_names);

// The three costs of the generated picture.
struct Costs {
  double J = 0;          // alpha J_content + beta J_style
  double J_content = 0;  // compute_content_cost(a_C, a_G[content])
  double J_style = 0;    // compute_style_cost(a_S, a_G[style layers])
};

// Exercise 4. The costs of train_step's first lines, from the generated
// picture's outputs a_G (get_layer_outputs with layer_names(targets): the
// style layers first, the content layer last):
//   J_style = compute_style_cost(a_S, a_G without its last entry,
//                                STYLE_LAYERS)
//   J_content = compute_content_cost(a_C, a_G's last entry)
//   J = total_cost(J_content, J_style, alpha, beta)
Costs compute_cost(const Targets& targets, const std::vector<Tensor<4>>& a_G);

// Exercise 5 (what tf.GradientTape works out, first part). The gradient
// of J with respect to each output in a_G (same order, same shapes):
//   style layer l:   beta λ_l compute_layer_style_cost_backward(a_S[l],
//                                                               a_G[l])
//   content layer:   alpha compute_content_cost_backward(a_C, a_G.back())
std::vector<Tensor<4>> compute_cost_gradients(
    const Targets& targets, const std::vector<Tensor<4>>& a_G);

// Exercise 6 (what tf.GradientTape works out, second part). The gradient
// of J with respect to the picture: a forward pass of the picture, then
// the network's backward pass from the gradients at the named layers'
// outputs back to the input.
//   x = image as an nn::Array<float>; vgg.Forward(x);
//   the gradient of each named layer as an nn::Array<float> g_l;
//   vgg.Backward({{vgg.GetNode(name_l), &g_l}, ...},
//                /*input_gradients=*/true);
//   vgg.InputGradient() as a Tensor<4>
// (x and the g_l must live until Backward has returned.)
//   image: (1, n_H, n_W, 3), da_G: one per name  ->  (1, n_H, n_W, 3)
Tensor<4> image_gradient(Model& vgg, const Tensor<4>& image,
                         const std::vector<std::string>& layer_names,
                         const std::vector<Tensor<4>>& da_G);

// Exercise 7. The course's train_step(generated_image): one step of
// gradient descent on the pixels. Returns J before the step.
//   a_G = get_layer_outputs(vgg, generated_image, layer_names(targets))
//   J = compute_cost(targets, a_G).J
//   grad = image_gradient(vgg, generated_image, layer_names(targets),
//                         compute_cost_gradients(targets, a_G))
//   with w = targets.total_variation_weight (0 in the course):
//     J += w total_variation(generated_image)
//     grad += w total_variation_backward(generated_image)
//   optimizer.apply_gradients(grad, generated_image)
//   generated_image = clip_0_1(generated_image)
double train_step(Model& vgg, const Targets& targets,
                  Tensor<4>& generated_image, ImageAdam& optimizer);

// The reference solution (reference.cc) has the same functions, in
// style_transfer::reference. The grader compares yours with it.
namespace reference {
decltype(style_transfer::generate_noise_image) generate_noise_image;
decltype(style_transfer::clip_0_1) clip_0_1;
decltype(style_transfer::get_layer_outputs) get_layer_outputs;
decltype(style_transfer::compute_cost) compute_cost;
decltype(style_transfer::compute_cost_gradients) compute_cost_gradients;
decltype(style_transfer::image_gradient) image_gradient;
decltype(style_transfer::train_step) train_step;
}  // namespace reference

}  // namespace style_transfer

#endif  // DLCOURSE_COURSE3_CNN_STYLE_TRANSFER_STYLE_TRANSFER_H_
