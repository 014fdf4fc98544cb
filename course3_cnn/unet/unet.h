// File: course3_cnn/unet/unet.h
//
// Course 4, week 3, assignment 2: "Image Segmentation with U-Net". A U-Net
// gives every pixel of a picture a class (road, car, person, ...): a
// contracting path of convolutions and max pooling that sees more and more
// of the picture, then an expanding path of transposed convolutions that
// brings the resolution back, each step joined (concatenated) with the
// contracting step of the same size, its "skip connection".
//
// The functions build the course's Keras model with the project's
// functional nn::Model (common/nn/model.h): each adds its layers to `model`
// and returns the nodes the course's function returns:
//   Keras                                  here
//   X = Conv2D(...)(X)                     X = model.Add(conv, X)
//   concatenate([up, skip], axis=3)        model.Add(nn::Concatenate(), up,
//   skip)
// Keras's Conv2D(n, 3, activation='relu', padding='same',
// kernel_initializer='he_normal') is
//   nn::Conv2D conv(n, 3, 1, "same");
//   conv.activation = "relu";
//   conv.kernel_initializer = nn::Initializer::HeNormal();
//
// Exercises, in order (write them in exercise.cc):
//   1. conv_block   2. upsampling_block   3. unet_model

#ifndef DLCOURSE_COURSE3_CNN_UNET_UNET_H_
#define DLCOURSE_COURSE3_CNN_UNET_UNET_H_

#include "common/nn/model.h"

namespace unet {

namespace nn = dl::nn;
using Model = nn::Model<float>;

// What conv_block returns: the course's (next_layer, skip_connection).
struct ConvBlock {
  nn::Node next_layer;       // the block's output, pooled or not
  nn::Node skip_connection;  // the output before the pooling
};

// Exercise 1. The course's conv_block(inputs, n_filters, dropout_prob,
// max_pooling), its layers added to `model` after `inputs`:
//   conv = Conv2D(n_filters, 3, relu, same, he_normal)(inputs)
//   conv = Conv2D(n_filters, 3, relu, same, he_normal)(conv)
//   if dropout_prob > 0: conv = Dropout(dropout_prob)(conv)
//   next_layer = MaxPooling2D((2, 2))(conv) if max_pooling, else conv
//   skip_connection = conv
//   inputs (n_H, n_W, n_C) -> next_layer (n_H/2, n_W/2, n_filters) (or
//   (n_H, n_W, n_filters)), skip_connection (n_H, n_W, n_filters)
ConvBlock conv_block(Model& model, nn::Node inputs, int n_filters,
                     double dropout_prob, bool max_pooling);

// Exercise 2. The course's upsampling_block(expansive_input,
// contractive_input, n_filters):
//   up = Conv2DTranspose(n_filters, 3, strides=(2, 2), padding='same')(
//        expansive_input)
//   merge = concatenate([up, contractive_input], axis=3)
//   conv = Conv2D(n_filters, 3, relu, same, he_normal)(merge)
//   conv = Conv2D(n_filters, 3, relu, same, he_normal)(conv)
//   expansive_input (n_H, n_W, ·), contractive_input (2 n_H, 2 n_W, c)
//   -> conv (2 n_H, 2 n_W, n_filters)
nn::Node upsampling_block(Model& model, nn::Node expansive_input,
                          nn::Node contractive_input, int n_filters);

// Exercise 3. The course's unet_model(input_size, n_filters, n_classes):
//   inputs = Input(input_size)
//   cblock1 = conv_block(inputs, n_filters)                 (no dropout)
//   cblock2 = conv_block(cblock1.next_layer, 2 n_filters)
//   cblock3 = conv_block(cblock2.next_layer, 4 n_filters)
//   cblock4 = conv_block(cblock3.next_layer, 8 n_filters, dropout 0.3)
//   cblock5 = conv_block(cblock4.next_layer, 16 n_filters, dropout 0.3,
//                        no max pooling)
//   ublock6 = upsampling_block(cblock5.next_layer, cblock4.skip, 8 n_filters)
//   ublock7 = upsampling_block(ublock6, cblock3.skip, 4 n_filters)
//   ublock8 = upsampling_block(ublock7, cblock2.skip, 2 n_filters)
//   ublock9 = upsampling_block(ublock8, cblock1.skip, n_filters)
//   conv9 = Conv2D(n_filters, 3, relu, same, he_normal)(ublock9)
//   conv10 = Conv2D(n_classes, 1, padding='same')(conv9)   (the logits)
//   Model("U-Net"), its output conv10.
//   input_size: (n_H, n_W, 3), n_H and n_W multiples of 16 (the course's
//   (96, 128, 3), 32, 23)  ->  (m, n_H, n_W, n_classes) logits
Model unet_model(const nn::Shape& input_size, int n_filters, int n_classes);

// The reference solution (reference.cc) has the same functions, in
// unet::reference. The grader compares yours with it.
namespace reference {
decltype(unet::conv_block) conv_block;
decltype(unet::upsampling_block) upsampling_block;
decltype(unet::unet_model) unet_model;
}  // namespace reference

}  // namespace unet

#endif  // DLCOURSE_COURSE3_CNN_UNET_UNET_H_
