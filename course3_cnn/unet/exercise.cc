// Your solutions to course3_cnn/unet. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course3_cnn/unet/...
// The layers and shapes are in unet.h and README.md.

#include "common/grading/not_implemented.h"
#include "course3_cnn/unet/unet.h"

namespace unet {

ConvBlock conv_block(Model& model, nn::Node inputs, int n_filters,
                     double dropout_prob, bool max_pooling) {
  // TODO: two Conv2D(n_filters, 3, "same") with activation "relu" and
  //       kernel_initializer HeNormal (unet.h shows the three lines), each
  //       added with conv = model.Add(conv2d, conv); a Dropout when
  //       dropout_prob > 0; next_layer = model.Add(nn::MaxPool2D(2), conv)
  //       when max_pooling, else conv; skip_connection = conv.  (≈12 lines)
  return dl::not_implemented<ConvBlock>("conv_block");
}

nn::Node upsampling_block(Model& model, nn::Node expansive_input,
                          nn::Node contractive_input, int n_filters) {
  // TODO: up = nn::Conv2DTranspose(n_filters, 3, 2, "same") on
  //       expansive_input; merge = model.Add(nn::Concatenate(), up,
  //       contractive_input); then two Conv2D as in conv_block.  (≈8 lines)
  return dl::not_implemented<nn::Node>("upsampling_block");
}

Model unet_model(const nn::Shape& input_size, int n_filters, int n_classes) {
  // TODO: Model model("U-Net"); inputs = model.Input(input_size); the five
  //       conv_blocks (filters x1, x2, x4, x8 with dropout 0.3, x16 with
  //       dropout 0.3 and no pooling), the four upsampling_blocks with the
  //       skip connections in reverse order, a last relu Conv2D of
  //       n_filters and Conv2D(n_classes, 1, 1, "same");
  //       model.Output(conv10).  (≈25 lines)
  return dl::not_implemented<Model>("unet_model");
}

}  // namespace unet
