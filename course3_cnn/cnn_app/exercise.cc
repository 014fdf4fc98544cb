// Your solutions to course3_cnn/cnn_app. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course3_cnn/cnn_app/...
// The layers, their sizes and the API are in cnn_app.h and README.md.

#include "common/grading/not_implemented.h"
#include "common/nn/model.h"
#include "course3_cnn/cnn_app/cnn_app.h"

namespace cnn_app {

Model happyModel() {
  // TODO: a Sequential model, layer after layer (≈9 lines):
  //   Model model;
  //   model.Input({64, 64, 3});
  //   model.Add(nn::ZeroPadding2D(3));
  //   then Conv2D with 32 filters of 7x7 and stride 1, BatchNormalization on
  //   axis 3, ReLU, MaxPool2D (the default 2x2 pool), Flatten, and Dense
  //   with 1 unit (no sigmoid: the loss applies it);
  //   return model;
  //   Hint: nn::Conv2D(filters, kernel_size, strides, padding), e.g.
  //   nn::Conv2D(8, 4, 1, "same"); nn::BatchNormalization(3); nn::ReLU().
  return dl::not_implemented<Model>("happyModel");
}

Model convolutional_model(const nn::Shape& input_shape) {
  // TODO: the functional API: each layer names the node it is applied to,
  //   (≈11 lines):
  //   Model model;
  //   nn::Node input_img = model.Input(input_shape);
  //   nn::Node Z1 = model.Add(nn::Conv2D(8, 4, 1, "same"), input_img);
  //   then A1 = ReLU of Z1; P1 = MaxPool2D 8x8, stride 8, "same";
  //   Z2 = Conv2D 16 filters 2x2, stride 1, "same"; A2 = ReLU;
  //   P2 = MaxPool2D 4x4, stride 4, "same"; F = Flatten;
  //   outputs = Dense with 6 units (no softmax: the loss applies it);
  //   model.Output(outputs);
  //   return model;
  //   Hint: nn::MaxPool2D(pool_size, strides, padding).
  return dl::not_implemented<Model>("convolutional_model");
}

}  // namespace cnn_app
