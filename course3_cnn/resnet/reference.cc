// The reference solution of course3_cnn/resnet: the course's two residual
// blocks and ResNet50, written with common/nn/model.h through resnet::Graph.

#include "common/nn/model.h"
#include "course3_cnn/resnet/resnet.h"

namespace resnet {
namespace reference {

namespace {

// Conv2D(filters, kernel_size, strides, padding) with the course's
// kernel_initializer = initializer(seed=0).
nn::Conv2D Conv(int filters, int kernel_size, int strides, const char* padding,
                const nn::Initializer& initializer) {
  nn::Conv2D conv(filters, kernel_size, strides, padding);
  conv.kernel_initializer = initializer;
  return conv;
}

}  // namespace

nn::Node identity_block(Graph& model, nn::Node X, int f, const Filters& filters,
                        const nn::Initializer& initializer) {
  // Retrieve Filters
  const int F1 = filters[0], F2 = filters[1], F3 = filters[2];
  // Save the input value. You'll need this later to add back to the main
  // path.
  const nn::Node X_shortcut = X;

  // First component of main path
  X = model.Add(Conv(F1, 1, 1, "valid", initializer), X);
  X = model.Add(nn::BatchNormalization(3), X);
  X = model.Add(nn::Activation("relu"), X);

  // Second component of main path
  X = model.Add(Conv(F2, f, 1, "same", initializer), X);
  X = model.Add(nn::BatchNormalization(3), X);
  X = model.Add(nn::Activation("relu"), X);

  // Third component of main path
  X = model.Add(Conv(F3, 1, 1, "valid", initializer), X);
  X = model.Add(nn::BatchNormalization(3), X);

  // Final step: add the shortcut value to the main path, and pass it
  // through a RELU activation
  X = model.Add(nn::Add(), X, X_shortcut);
  X = model.Add(nn::Activation("relu"), X);
  return X;
}

nn::Node convolutional_block(Graph& model, nn::Node X, int f,
                             const Filters& filters, int s,
                             const nn::Initializer& initializer) {
  // Retrieve Filters
  const int F1 = filters[0], F2 = filters[1], F3 = filters[2];
  // Save the input value
  nn::Node X_shortcut = X;

  // ##### MAIN PATH #####
  // First component of main path glorot_uniform(seed=0)
  X = model.Add(Conv(F1, 1, s, "valid", initializer), X);
  X = model.Add(nn::BatchNormalization(3), X);
  X = model.Add(nn::Activation("relu"), X);

  // Second component of main path
  X = model.Add(Conv(F2, f, 1, "same", initializer), X);
  X = model.Add(nn::BatchNormalization(3), X);
  X = model.Add(nn::Activation("relu"), X);

  // Third component of main path
  X = model.Add(Conv(F3, 1, 1, "valid", initializer), X);
  X = model.Add(nn::BatchNormalization(3), X);

  // ##### SHORTCUT PATH #####
  X_shortcut = model.Add(Conv(F3, 1, s, "valid", initializer), X_shortcut);
  X_shortcut = model.Add(nn::BatchNormalization(3), X_shortcut);

  // Final step: Add shortcut value to main path (Use this order
  // [X, X_shortcut]), and pass it through a RELU activation
  X = model.Add(nn::Add(), X, X_shortcut);
  X = model.Add(nn::Activation("relu"), X);
  return X;
}

Graph ResNet50(const nn::Shape& input_shape, int classes) {
  Graph model;
  // Define the input as a tensor with shape input_shape
  const nn::Node X_input = model.Input(input_shape);

  // Zero-Padding
  nn::Node X = model.Add(nn::ZeroPadding2D(3), X_input);

  // Stage 1
  X = model.Add(nn::Conv2D(64, 7, 2), X);  // glorot_uniform(seed=0)
  X = model.Add(nn::BatchNormalization(3), X);
  X = model.Add(nn::Activation("relu"), X);
  X = model.Add(nn::MaxPool2D(3, 2), X);

  // Stage 2
  X = reference::convolutional_block(model, X, 3, {64, 64, 256}, 1);
  X = reference::identity_block(model, X, 3, {64, 64, 256});
  X = reference::identity_block(model, X, 3, {64, 64, 256});

  // Stage 3
  X = reference::convolutional_block(model, X, 3, {128, 128, 512}, 2);
  for (int k = 0; k < 3; ++k) {
    X = reference::identity_block(model, X, 3, {128, 128, 512});
  }

  // Stage 4
  X = reference::convolutional_block(model, X, 3, {256, 256, 1024}, 2);
  for (int k = 0; k < 5; ++k) {
    X = reference::identity_block(model, X, 3, {256, 256, 1024});
  }

  // Stage 5
  X = reference::convolutional_block(model, X, 3, {512, 512, 2048}, 2);
  for (int k = 0; k < 2; ++k) {
    X = reference::identity_block(model, X, 3, {512, 512, 2048});
  }

  // AVGPOOL
  X = model.Add(nn::AveragePool2D(2), X);

  // output layer (the softmax is in the loss)
  X = model.Add(nn::Flatten(), X);
  X = model.Add(nn::Dense(classes), X);  // glorot_uniform(seed=0)

  // Create model
  model.Output(X);
  return model;
}

}  // namespace reference
}  // namespace resnet
