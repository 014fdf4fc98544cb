// File: course3_cnn/cnn_app/cnn_app.h
//
// Course 4 (our course 3), week 1, assignment 2: "Convolution Model -
// Application". Where the course uses Keras, we use the Keras-like layers
// and model of common/nn/model.h (namespace dl::nn): you build two models, and
// the application (train.cc) trains them.
//
//   happyModel()                  Sequential, binary: is the face happy?
//     input (64, 64, 3)
//     ZeroPadding2D(3)                -> (70, 70, 3)       0 parameters
//     Conv2D(32, 7, strides 1)        -> (64, 64, 32)  4,736
//     BatchNormalization(axis 3)      -> (64, 64, 32)    128 (64 not trainable)
//     ReLU()                          -> (64, 64, 32)      0
//     MaxPool2D() (2x2, stride 2)     -> (32, 32, 32)      0
//     Flatten()                       -> (32768)           0
//     Dense(1) (the sigmoid is in the loss)  -> (1)   32,769
//                                       total 37,633
//
//   convolutional_model(input_shape)  functional, 6 classes: SIGNS 0..5
//     input_img = Input(input_shape)  e.g. (64, 64, 3)
//     Z1 = Conv2D(8, 4, stride 1, "same")(input_img)   -> (64, 64, 8)   392
//     A1 = ReLU()(Z1)
//     P1 = MaxPool2D(8, stride 8, "same")(A1)          -> (8, 8, 8)
//     Z2 = Conv2D(16, 2, stride 1, "same")(P1)         -> (8, 8, 16)    528
//     A2 = ReLU()(Z2)
//     P2 = MaxPool2D(4, stride 4, "same")(A2)          -> (2, 2, 16)
//     F  = Flatten()(P2)                               -> (64)
//     outputs = Dense(6)(F) (the softmax is in the loss) -> (6)          390
//                                       total 1,310
//
// Both models output LOGITS: the course's Dense(1, activation='sigmoid') and
// Dense(6, activation='softmax') are Dense(1) and Dense(6) here, and the
// sigmoid / softmax is part of the loss (nn::Loss::kBinaryCrossEntropy,
// nn::Loss::kSoftmaxCrossEntropy), as Keras's from_logits=True.
//
// Exercises, in order (write them in exercise.cc):
//   1. happyModel  2. convolutional_model

#ifndef DLCOURSE_COURSE3_CNN_CNN_APP_CNN_APP_H_
#define DLCOURSE_COURSE3_CNN_CNN_APP_CNN_APP_H_

#include "common/nn/model.h"

namespace cnn_app {

namespace nn = dl::nn;
using Model = dl::nn::Model<float>;

// The course's happyModel(): the layers above, as a Sequential model
// (model.Input({64, 64, 3}), then model.Add(layer) in order).
Model happyModel();

// The course's convolutional_model(input_shape): the layers above, with the
// functional API (each layer takes the node it is applied to).
//   input_shape: (n_H, n_W, n_C), e.g. {64, 64, 3}; the Dense layer's size
//   depends on it.
Model convolutional_model(const nn::Shape& input_shape);

// The reference solution (reference.cc), in cnn_app::reference.
namespace reference {
decltype(cnn_app::happyModel) happyModel;
decltype(cnn_app::convolutional_model) convolutional_model;
}  // namespace reference

}  // namespace cnn_app

#endif  // DLCOURSE_COURSE3_CNN_CNN_APP_CNN_APP_H_
