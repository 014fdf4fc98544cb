// The reference solution of course3_cnn/cnn_app: the course's two Keras
// models, written with common/nn/model.h.

#include "common/nn/model.h"
#include "course3_cnn/cnn_app/cnn_app.h"

namespace cnn_app {
namespace reference {

Model happyModel() {
  Model model;
  model.Input({64, 64, 3});
  // ZeroPadding2D, with padding 3, input shape of 64 x 64 x 3
  model.Add(nn::ZeroPadding2D(3));
  // Conv2D with 32 7x7 filters and stride of 1
  model.Add(nn::Conv2D(32, 7, 1));
  // BatchNormalization for axis 3
  model.Add(nn::BatchNormalization(3));
  // ReLU
  model.Add(nn::ReLU());
  // Max Pooling 2D with default parameters
  model.Add(nn::MaxPool2D());
  // Flatten layer
  model.Add(nn::Flatten());
  // Dense layer with 1 unit for output (the sigmoid is in the loss)
  model.Add(nn::Dense(1));
  return model;
}

Model convolutional_model(const nn::Shape& input_shape) {
  Model model;
  const nn::Node input_img = model.Input(input_shape);
  // CONV2D: 8 filters 4x4, stride of 1, padding 'SAME'
  const nn::Node Z1 = model.Add(nn::Conv2D(8, 4, 1, "same"), input_img);
  // RELU
  const nn::Node A1 = model.Add(nn::ReLU(), Z1);
  // MAXPOOL: window 8x8, stride 8, padding 'SAME'
  const nn::Node P1 = model.Add(nn::MaxPool2D(8, 8, "same"), A1);
  // CONV2D: 16 filters 2x2, stride 1, padding 'SAME'
  const nn::Node Z2 = model.Add(nn::Conv2D(16, 2, 1, "same"), P1);
  // RELU
  const nn::Node A2 = model.Add(nn::ReLU(), Z2);
  // MAXPOOL: window 4x4, stride 4, padding 'SAME'
  const nn::Node P2 = model.Add(nn::MaxPool2D(4, 4, "same"), A2);
  // FLATTEN
  const nn::Node F = model.Add(nn::Flatten(), P2);
  // Dense layer: 6 neurons in output layer (the softmax is in the loss)
  const nn::Node outputs = model.Add(nn::Dense(6), F);
  model.Output(outputs);
  return model;
}

}  // namespace reference
}  // namespace cnn_app
