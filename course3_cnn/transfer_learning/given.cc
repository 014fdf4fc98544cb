// The given code of course3_cnn/transfer_learning (not graded): the small
// MobileNetV2, the base's layers added to another model, Keras's
// layer.trainable, and the augmentation and preprocessing layers.

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "common/core/random.h"
#include "common/nn/layers.h"
#include "common/nn/model.h"
#include "course3_cnn/transfer_learning/transfer_learning.h"

namespace transfer_learning {
namespace {

nn::BatchNormalization KerasBatchNorm(const std::string& name) {
  return nn::BatchNormalization(3, 0.999, 0.001).Named(name);
}

nn::Conv2D NoBiasConv(int filters, int kernel, int stride,
                      const std::string& name) {
  nn::Conv2D conv(filters, kernel, stride, "same");
  conv.use_bias = false;
  return conv.Named(name);
}

// Keras's _inverted_res_block (our own copy: the base does not depend on
// your exercise).
nn::Node Block(Model& model, nn::Node x, int expansion, int stride, int filters,
               int block_id) {
  const std::string prefix = block_id == 0
                                 ? std::string("expanded_conv_")
                                 : "block_" + std::to_string(block_id) + "_";
  const int in_channels = static_cast<int>(model.shape(x).back());
  const nn::Node inputs = x;
  if (block_id > 0) {
    x = model.Add(NoBiasConv(expansion * in_channels, 1, 1, prefix + "expand"),
                  x);
    x = model.Add(KerasBatchNorm(prefix + "expand_BN"), x);
    x = model.Add(nn::ReLU(6.0).Named(prefix + "expand_relu"), x);
  }
  nn::DepthwiseConv2D depthwise(3, stride, "same");
  depthwise.use_bias = false;
  x = model.Add(depthwise.Named(prefix + "depthwise"), x);
  x = model.Add(KerasBatchNorm(prefix + "depthwise_BN"), x);
  x = model.Add(nn::ReLU(6.0).Named(prefix + "depthwise_relu"), x);
  x = model.Add(NoBiasConv(filters, 1, 1, prefix + "project"), x);
  x = model.Add(KerasBatchNorm(prefix + "project_BN"), x);
  if (stride == 1 && in_channels == filters) {
    x = model.Add(nn::Add().Named(prefix + "add"), inputs, x);
  }
  return x;
}

// The layers of the small MobileNetV2 without its top, after x.
nn::Node AddMobileNetLayers(Model& model, nn::Node x) {
  x = model.Add(NoBiasConv(16, 3, 2, "Conv1"), x);
  x = model.Add(KerasBatchNorm("bn_Conv1"), x);
  x = model.Add(nn::ReLU(6.0).Named("Conv1_relu"), x);
  struct Setting {
    int expansion, filters, stride;
  };
  const Setting settings[] = {
      {1, 8, 1}, {6, 12, 2}, {6, 12, 1}, {6, 16, 2}, {6, 16, 1}};
  int block_id = 0;
  for (const Setting& s : settings) {
    x = Block(model, x, s.expansion, s.stride, s.filters, block_id++);
  }
  x = model.Add(NoBiasConv(64, 1, 1, "Conv_1"), x);
  x = model.Add(KerasBatchNorm("Conv_1_bn"), x);
  return model.Add(nn::ReLU(6.0).Named("out_relu"), x);
}

// ------------------------------------------------------------- layers

class AugmentationLayer : public nn::Layer<float> {
 public:
  AugmentationLayer(Augmenter augment, uint32_t seed)
      : augment_(std::move(augment)), rng_(seed) {
    if (!augment_)
      throw std::invalid_argument("augmentation_layer: no function");
  }
  std::string type() const override { return "Sequential"; }
  std::string default_name() const override { return "sequential"; }

 protected:
  nn::Shape DoBuild(const std::vector<nn::Shape>& in,
                    dl::RandomState&) override {
    if (in[0].size() != 3) {
      throw std::invalid_argument(Describe() +
                                  " needs pictures (m, n_H, n_W, n_C)");
    }
    return in[0];
  }
  void DoForward(const std::vector<const nn::Array<float>*>& inputs,
                 nn::Array<float>* output, bool training) override {
    const nn::Array<float>& x = *inputs[0];
    if (!training) {
      *output = x;
      return;
    }
    *output = augment_(x, rng_);
    if (output->shape() != x.shape()) {
      throw std::invalid_argument(
          Describe() + ": the augmentation returned pictures of shape " +
          nn::ShapeString(output->shape()) + " for " +
          nn::ShapeString(x.shape()));
    }
  }
  // The pictures are the model's input: nothing to learn before them. (The
  // gradient passed through unchanged is exact only in inference.)
  void DoBackward(const std::vector<const nn::Array<float>*>&,
                  const nn::Array<float>&, const nn::Array<float>& doutput,
                  const std::vector<nn::Array<float>*>& dinputs) override {
    if (dinputs[0] != nullptr) *dinputs[0] = doutput;
  }

 private:
  Augmenter augment_;
  dl::RandomState rng_;
};

class RescalingLayer : public nn::Layer<float> {
 public:
  std::string type() const override { return "Rescaling"; }
  std::string default_name() const override { return "rescaling"; }

 protected:
  nn::Shape DoBuild(const std::vector<nn::Shape>& in,
                    dl::RandomState&) override {
    return in[0];
  }
  void DoForward(const std::vector<const nn::Array<float>*>& inputs,
                 nn::Array<float>* output, bool) override {
    const nn::Array<float>& x = *inputs[0];
    output->Resize(x.shape());
    output->vec() = (x.vec().array() / 127.5f - 1.0f).matrix();
  }
  void DoBackward(const std::vector<const nn::Array<float>*>&,
                  const nn::Array<float>&, const nn::Array<float>& doutput,
                  const std::vector<nn::Array<float>*>& dinputs) override {
    if (nn::Array<float>* dx = dinputs[0]) {
      dx->Resize(doutput.shape());
      dx->vec() = doutput.vec() / 127.5f;
    }
  }
};

}  // namespace

Model mobilenet_v2(const nn::Shape& input_shape, bool include_top, int classes,
                   uint32_t seed) {
  Model model("mobilenetv2_small", seed);
  nn::Node x = model.Input(input_shape, "input_1");
  x = AddMobileNetLayers(model, x);
  if (include_top) {
    x = model.Add(nn::GlobalAveragePooling2D(), x);
    model.Add(nn::Dense(classes).Named("predictions"), x);
  }
  return model;
}

nn::Node add_base_model(Model& model, nn::Node x, Model& base) {
  const int first = model.num_layers();
  const nn::Node out = AddMobileNetLayers(model, x);
  int matched = 0;
  for (int k = first; k < model.num_layers(); ++k) {
    nn::Layer<float>& layer = model.layer(k);
    layer.set_inference_only(true);
    nn::Layer<float>* from = base.GetLayer(layer.name());
    if (from == nullptr) continue;
    for (size_t p = 0; p < layer.parameters().size(); ++p) {
      layer.parameters()[p].value = from->parameters().at(p).value;
    }
    ++matched;
  }
  if (matched != model.num_layers() - first) {
    throw std::invalid_argument(
        "add_base_model: `base` is not a mobilenet_v2 model (" +
        std::to_string(matched) + " of " +
        std::to_string(model.num_layers() - first) + " layers found)");
  }
  return out;
}

void set_trainable(nn::Layer<float>& layer, bool trainable) {
  for (nn::Parameter<float>& p : layer.parameters()) {
    if (p.name == "moving_mean" || p.name == "moving_variance") continue;
    p.trainable = trainable;
    if (trainable && p.grad.shape() != p.value.shape()) {
      p.grad = nn::Array<float>(p.value.shape());
    }
  }
}

std::unique_ptr<nn::Layer<float>> augmentation_layer(Augmenter augment,
                                                     uint32_t seed) {
  return std::make_unique<AugmentationLayer>(std::move(augment), seed);
}

std::unique_ptr<nn::Layer<float>> preprocess_input() {
  return std::make_unique<RescalingLayer>();
}

int copy_weights(Model& from, Model& to) {
  int copied = 0;
  for (int k = 0; k < to.num_layers(); ++k) {
    nn::Layer<float>& layer = to.layer(k);
    nn::Layer<float>* source = from.GetLayer(layer.name());
    if (source == nullptr) continue;
    if (source->parameters().size() != layer.parameters().size()) {
      throw std::invalid_argument("copy_weights: layer " + layer.name() +
                                  " has other parameters in the two models");
    }
    for (size_t p = 0; p < layer.parameters().size(); ++p) {
      const nn::Array<float>& value = source->parameters()[p].value;
      if (value.shape() != layer.parameters()[p].value.shape()) {
        throw std::invalid_argument("copy_weights: layer " + layer.name() +
                                    ": parameter shapes differ");
      }
      layer.parameters()[p].value = value;
    }
    ++copied;
  }
  return copied;
}

}  // namespace transfer_learning
