// The reference solution of course3_cnn/unet: the course's U-Net, written
// with common/nn/model.h.

#include "course3_cnn/unet/unet.h"

namespace unet {
namespace reference {

namespace {

// Conv2D(n_filters, kernel_size, activation='relu', padding='same',
// kernel_initializer='he_normal').
nn::Conv2D ReluConv(int n_filters, int kernel_size) {
  nn::Conv2D conv(n_filters, kernel_size, 1, "same");
  conv.activation = "relu";
  conv.kernel_initializer = nn::Initializer::HeNormal();
  return conv;
}

}  // namespace

ConvBlock conv_block(Model& model, nn::Node inputs, int n_filters,
                     double dropout_prob, bool max_pooling) {
  nn::Node conv = model.Add(ReluConv(n_filters, 3), inputs);
  conv = model.Add(ReluConv(n_filters, 3), conv);
  if (dropout_prob > 0) conv = model.Add(nn::Dropout(dropout_prob), conv);
  ConvBlock block;
  block.next_layer = max_pooling ? model.Add(nn::MaxPool2D(2), conv) : conv;
  block.skip_connection = conv;
  return block;
}

nn::Node upsampling_block(Model& model, nn::Node expansive_input,
                          nn::Node contractive_input, int n_filters) {
  const nn::Node up =
      model.Add(nn::Conv2DTranspose(n_filters, 3, 2, "same"), expansive_input);
  // Merge the previous output and the contractive input.
  const nn::Node merge = model.Add(nn::Concatenate(), up, contractive_input);
  nn::Node conv = model.Add(ReluConv(n_filters, 3), merge);
  conv = model.Add(ReluConv(n_filters, 3), conv);
  return conv;
}

Model unet_model(const nn::Shape& input_size, int n_filters, int n_classes) {
  Model model("U-Net");
  const nn::Node inputs = model.Input(input_size);
  // Contracting path: the number of filters doubles at each step.
  const ConvBlock cblock1 =
      reference::conv_block(model, inputs, n_filters, 0, true);
  const ConvBlock cblock2 =
      reference::conv_block(model, cblock1.next_layer, 2 * n_filters, 0, true);
  const ConvBlock cblock3 =
      reference::conv_block(model, cblock2.next_layer, 4 * n_filters, 0, true);
  const ConvBlock cblock4 = reference::conv_block(model, cblock3.next_layer,
                                                  8 * n_filters, 0.3, true);
  const ConvBlock cblock5 = reference::conv_block(model, cblock4.next_layer,
                                                  16 * n_filters, 0.3, false);
  // Expanding path: each step joined with the contracting step of its size.
  nn::Node ublock6 = reference::upsampling_block(
      model, cblock5.next_layer, cblock4.skip_connection, 8 * n_filters);
  nn::Node ublock7 = reference::upsampling_block(
      model, ublock6, cblock3.skip_connection, 4 * n_filters);
  nn::Node ublock8 = reference::upsampling_block(
      model, ublock7, cblock2.skip_connection, 2 * n_filters);
  nn::Node ublock9 = reference::upsampling_block(
      model, ublock8, cblock1.skip_connection, n_filters);
  const nn::Node conv9 = model.Add(ReluConv(n_filters, 3), ublock9);
  // One logit per class and pixel.
  const nn::Node conv10 = model.Add(nn::Conv2D(n_classes, 1, 1, "same"), conv9);
  model.Output(conv10);
  return model;
}

}  // namespace reference
}  // namespace unet
