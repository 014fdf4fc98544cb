// File: course3_cnn/resnet/resnet.h
//
// Course 4 (our course 3), week 2, assignment 1: "Residual Networks". You
// build ResNet-50's two blocks and the whole network with the Keras-like
// layers of common/nn/model.h (namespace dl::nn); train.cc trains a small
// ResNet made of YOUR blocks on the SIGNS stand-in.
//
// The identity block (the input and the output have the same shape):
//
//   X ──┬── Conv2D(F1, 1x1, "valid") → BN(3) → ReLU            main path
//       │   → Conv2D(F2, f x f, "same") → BN(3) → ReLU
//       │   → Conv2D(F3, 1x1, "valid") → BN(3) ──┐
//       └───────────────── X_shortcut ───────────┴── Add → ReLU → output
//
// The convolutional block (the shortcut changes the shape):
//
//   X ──┬── Conv2D(F1, 1x1, stride s, "valid") → BN(3) → ReLU  main path
//       │   → Conv2D(F2, f x f, "same") → BN(3) → ReLU
//       │   → Conv2D(F3, 1x1, "valid") → BN(3) ──────────────┐
//       └── Conv2D(F3, 1x1, stride s, "valid") → BN(3) ───────┴── Add → ReLU
//
//   X: (m, n_H_prev, n_W_prev, n_C_prev)
//   identity block output:      (m, n_H_prev, n_W_prev, F3), F3 = n_C_prev
//   convolutional block output: (m, ceil(n_H_prev / s), ceil(n_W_prev / s),
//                                F3)
//
// ResNet50(input_shape = (64, 64, 3), classes = 6), the course's layout:
//   ZeroPadding2D(3)                               (70, 70, 3)
//   Conv2D(64, 7x7, stride 2) → BN(3) → ReLU       (32, 32, 64)
//   MaxPool2D(3x3, stride 2)                       (15, 15, 64)
//   stage 2: convolutional_block(f 3, [64, 64, 256], s 1) + 2 identity
//                                                  (15, 15, 256)
//   stage 3: convolutional_block(f 3, [128, 128, 512], s 2) + 3 identity
//                                                  (8, 8, 512)
//   stage 4: convolutional_block(f 3, [256, 256, 1024], s 2) + 5 identity
//                                                  (4, 4, 1024)
//   stage 5: convolutional_block(f 3, [512, 512, 2048], s 2) + 2 identity
//                                                  (2, 2, 2048)
//   AveragePooling2D(2x2)                          (1, 1, 2048)
//   Flatten → Dense(classes) (the softmax is in the loss)   (classes)
//   Total params 23,600,006 (trainable 23,546,886; non-trainable 53,120:
//   batch norm's moving means and variances).
//
// Blocks add layers to a Graph (below) and return their output node, as the
// course's blocks take a Keras tensor X and return one:
//   resnet::Graph model;
//   nn::Node X = model.Input({15, 15, 256});
//   X = identity_block(model, X, 3, {64, 64, 256});   // (15, 15, 256)
//
// Exercises, in order (write them in exercise.cc):
//   1. identity_block  2. convolutional_block  3. ResNet50

#ifndef DLCOURSE_COURSE3_CNN_RESNET_RESNET_H_
#define DLCOURSE_COURSE3_CNN_RESNET_RESNET_H_

#include <array>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/nn/model.h"

namespace resnet {

namespace nn = dl::nn;

// A model under construction, in no particular scalar type: it records the
// layers with nn::Model's building API (Input, Add, Output), and Build<T>()
// makes the nn::Model<T>: float to train, double for the grader's checks.
// The nodes (nn::Node) are the ones the built model will have, so code
// written for a Graph reads exactly like code written for an nn::Model:
//   resnet::Graph model;
//   nn::Node X_input = model.Input({64, 64, 3});
//   nn::Node X = model.Add(nn::Conv2D(64, 7, 2), X_input);
//   X = model.Add(nn::BatchNormalization(3), X);
//   model.Output(X);
//   nn::Model<float> built = model.Build<float>(/*seed=*/0);
// Shapes are checked when the model is built (the error names the layer).
class Graph {
 public:
  // An input of the given shape, without the batch: {64, 64, 3}.
  nn::Node Input(const nn::Shape& shape) {
    Step step;
    step.input_shape = shape;
    steps_.push_back(std::move(step));
    return nn::Node{static_cast<int>(steps_.size()) - 1};
  }

  // The layer of `spec` (nn::Conv2D, nn::BatchNormalization, nn::Add, ...)
  // applied to node x (or to a and b: nn::Add).
  template <typename S>
  nn::Node Add(const S& spec, nn::Node x) {
    return Record(spec, {x});
  }
  template <typename S>
  nn::Node Add(const S& spec, nn::Node a, nn::Node b) {
    return Record(spec, {a, b});
  }

  // The model's output (default: the last node added).
  void Output(nn::Node x) {
    Check(x, "Output");
    output_ = x.id;
  }

  int num_nodes() const { return static_cast<int>(steps_.size()); }

  // The nn::Model<T> (T = float or double) with these layers, named Keras's
  // way (conv2d, conv2d_1, ...), its parameters drawn from `seed` in the
  // order the layers were added. Throws std::invalid_argument when a layer
  // cannot take its input's shape.
  template <typename T>
  nn::Model<T> Build(uint32_t seed = 0, const std::string& name = "") const {
    return BuildModel<T>(seed, name, /*zero_kernels=*/false);
  }
  // The same model without random draws: every kernel is zeros. For a quick
  // look at a big model's layers and parameter counts (ResNet50 builds in a
  // fraction of the time).
  template <typename T>
  nn::Model<T> BuildZeros(const std::string& name = "") const {
    return BuildModel<T>(0, name, /*zero_kernels=*/true);
  }

 private:
  template <typename T>
  using AddFunction = std::function<nn::Node(
      nn::Model<T>&, const std::vector<nn::Node>&, bool zero_kernels)>;
  struct Step {
    nn::Shape input_shape;         // for an input
    std::vector<nn::Node> inputs;  // for a layer
    AddFunction<float> add_float;
    AddFunction<double> add_double;
  };

  void Check(nn::Node x, const char* who) const {
    if (x.id < 0 || x.id >= static_cast<int>(steps_.size())) {
      throw std::invalid_argument(
          std::string("Graph::") + who + ": not a node of this model" +
          (steps_.empty() ? " (call Input() first)" : ""));
    }
  }

  // The spec, with a zeros kernel initializer if it has a kernel.
  template <typename S>
  static S ZeroKernel(S spec) {
    if constexpr (std::is_same_v<S, nn::Conv2D> ||
                  std::is_same_v<S, nn::Dense> ||
                  std::is_same_v<S, nn::Conv2DTranspose>) {
      spec.kernel_initializer = nn::Initializer::Zeros();
    }
    return spec;
  }

  template <typename S>
  nn::Node Record(const S& spec, std::vector<nn::Node> inputs) {
    for (nn::Node x : inputs) Check(x, "Add");
    Step step;
    step.inputs = std::move(inputs);
    step.add_float = [spec](nn::Model<float>& m,
                            const std::vector<nn::Node>& in, bool zeros) {
      return m.Add(zeros ? ZeroKernel(spec) : spec, in);
    };
    step.add_double = [spec](nn::Model<double>& m,
                             const std::vector<nn::Node>& in, bool zeros) {
      return m.Add(zeros ? ZeroKernel(spec) : spec, in);
    };
    steps_.push_back(std::move(step));
    return nn::Node{static_cast<int>(steps_.size()) - 1};
  }

  template <typename T>
  nn::Model<T> BuildModel(uint32_t seed, const std::string& name,
                          bool zero_kernels) const {
    nn::Model<T> model(name, seed);
    for (size_t k = 0; k < steps_.size(); ++k) {
      const Step& step = steps_[k];
      nn::Node node;
      if (step.inputs.empty()) {
        node = model.Input(step.input_shape);
      } else if constexpr (std::is_same_v<T, float>) {
        node = step.add_float(model, step.inputs, zero_kernels);
      } else {
        node = step.add_double(model, step.inputs, zero_kernels);
      }
      if (node.id != static_cast<int>(k)) {
        throw std::logic_error("Graph::Build: node ids out of step");
      }
    }
    if (output_ >= 0) model.Output(nn::Node{output_});
    return model;
  }

  std::vector<Step> steps_;
  int output_ = -1;
};

// The three filter counts of a block: {F1, F2, F3}.
using Filters = std::array<int, 3>;

// The course's identity_block(X, f, filters, initializer=random_uniform).
// Adds the identity block's 10 layers to `model`, in the course's order
// (Conv2D, BatchNormalization, Activation("relu"), Conv2D, BN, ReLU, Conv2D,
// BN, Add, ReLU), and returns the output node.
//   X:       a node (m, n_H, n_W, n_C_prev) of `model`, with n_C_prev = F3
//   f:       the middle convolution's window (f x f, "same" padding)
//   filters: {F1, F2, F3}
//   initializer: every Conv2D's kernel_initializer (the biases stay zero)
//   returns a node (m, n_H, n_W, F3)
// The course's `training` argument is not here: batch norm uses the batch's
// statistics or its moving ones according to the model's
// Forward(x, training), as when Keras calls the layer without it.
nn::Node identity_block(
    Graph& model, nn::Node X, int f, const Filters& filters,
    const nn::Initializer& initializer = nn::Initializer::RandomUniform());

// The course's convolutional_block(X, f, filters, s=2,
// initializer=glorot_uniform). Adds the block's 12 layers: the main path
// (Conv2D with stride s, BN, ReLU, Conv2D f x f "same", BN, ReLU, Conv2D,
// BN), then the shortcut (Conv2D F3 1x1 with stride s, BN), then Add and
// ReLU; returns the output node.
//   X: a node (m, n_H_prev, n_W_prev, n_C_prev) of `model`
//   returns a node (m, n_H, n_W, F3), n_H = floor((n_H_prev - 1) / s) + 1
nn::Node convolutional_block(
    Graph& model, nn::Node X, int f, const Filters& filters, int s = 2,
    const nn::Initializer& initializer = nn::Initializer::GlorotUniform());

// The course's ResNet50(input_shape = (64, 64, 3), classes = 6): the layers
// listed at the top, from model.Input(input_shape) to Dense(classes) (the
// softmax is in the loss), in that order. The stem's Conv2D and the Dense
// layer use glorot_uniform; the blocks use their default initializers.
//   input_shape: (n_H, n_W, n_C)
//   returns the Graph (model.Output is the Dense layer's node)
Graph ResNet50(const nn::Shape& input_shape = {64, 64, 3}, int classes = 6);

// The reference solution (reference.cc), in resnet::reference.
namespace reference {
decltype(resnet::identity_block) identity_block;
decltype(resnet::convolutional_block) convolutional_block;
decltype(resnet::ResNet50) ResNet50;
}  // namespace reference

}  // namespace resnet

#endif  // DLCOURSE_COURSE3_CNN_RESNET_RESNET_H_
