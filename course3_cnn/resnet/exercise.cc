// Your solutions to course3_cnn/resnet. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course3_cnn/resnet/...
// The blocks, their layers and the API are in resnet.h and README.md.

#include "common/grading/not_implemented.h"
#include "common/nn/model.h"
#include "course3_cnn/resnet/resnet.h"

namespace resnet {

nn::Node identity_block(Graph& model, nn::Node X, int f, const Filters& filters,
                        const nn::Initializer& initializer) {
  // TODO: the main path, then the shortcut added back (≈15 lines):
  //   const int F1 = filters[0], F2 = filters[1], F3 = filters[2];
  //   const nn::Node X_shortcut = X;
  //   nn::Conv2D conv(F1, 1, 1, "valid");  // 1x1, stride 1
  //   conv.kernel_initializer = initializer;
  //   X = model.Add(conv, X);
  //   X = model.Add(nn::BatchNormalization(3), X);
  //   X = model.Add(nn::Activation("relu"), X);
  //   then Conv2D(F2, f, 1, "same") → BN → ReLU, Conv2D(F3, 1, 1, "valid")
  //   → BN (every Conv2D with kernel_initializer = initializer);
  //   X = model.Add(nn::Add(), X, X_shortcut); then ReLU; return X;
  return dl::not_implemented<nn::Node>("identity_block");
}

nn::Node convolutional_block(Graph& model, nn::Node X, int f,
                             const Filters& filters, int s,
                             const nn::Initializer& initializer) {
  // TODO: like identity_block, with two changes (≈18 lines):
  //   the main path's FIRST Conv2D(F1, 1x1) has stride s;
  //   the shortcut is not X itself but, added after the main path,
  //   X_shortcut = Conv2D(F3, 1, s, "valid") of the block's input, then
  //   BatchNormalization(3);
  //   then X = Add of X and X_shortcut, then ReLU.
  //   Every Conv2D: kernel_initializer = initializer.
  return dl::not_implemented<nn::Node>("convolutional_block");
}

Graph ResNet50(const nn::Shape& input_shape, int classes) {
  // TODO: the course's stages, from the input to Dense(classes) (≈30 lines):
  //   Graph model;
  //   const nn::Node X_input = model.Input(input_shape);
  //   nn::Node X = model.Add(nn::ZeroPadding2D(3), X_input);
  //   stage 1: Conv2D(64, 7, 2) → BatchNormalization(3) → ReLU →
  //            MaxPool2D(3, 2);
  //   stage 2: convolutional_block(model, X, 3, {64, 64, 256}, 1), then
  //            2 identity_block(model, X, 3, {64, 64, 256});
  //   stage 3: convolutional_block f 3 {128, 128, 512} s 2 + 3 identity;
  //   stage 4: convolutional_block f 3 {256, 256, 1024} s 2 + 5 identity;
  //   stage 5: convolutional_block f 3 {512, 512, 2048} s 2 + 2 identity;
  //   AveragePool2D(2), Flatten, Dense(classes) (no softmax: the loss
  //   applies it); model.Output(X); return model;
  return dl::not_implemented<Graph>("ResNet50");
}

}  // namespace resnet
