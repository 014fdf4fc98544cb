// File: course3_cnn/style_transfer/feature_net.h
//
// The given code of course3_cnn/style_transfer: the stand-ins for the
// course's pretrained VGG19 and its two pictures (the Louvre, a Monet).
//
//   - make_vgg: a small VGG of the course's shape, its layers named as
//     VGG19's: blocks of 3x3 "same" convolutions of 64 channels with ReLU
//     (He's initialization), each block but the last ending in a 2x2 max
//     pool:
//       block1_conv1, block1_conv2, block1_pool
//       block2_conv1, block2_conv2, block2_pool
//       block3_conv1, block3_pool
//       block4_conv1, block4_pool
//       block5_conv1, block5_conv2
//     with, for its training only, a classifier on top
//     (GlobalAveragePooling2D, Dense(16)).
//   - texture_patches: what it is trained on, 32 x 32 patches of 16 classes:
//     4 palettes (blue-yellow, red-orange, green, purple-pink) x 4
//     textures (stripes, brush strokes, dots, checks), each colour a little
//     off, at any angle and scale. (The course's VGG19 learned ImageNet's
//     1000 classes; these teach colours, edges and textures, what the
//     style cost looks at.)
//   - pretrained_vgg: the convolutions trained as a classifier of the
//     patches the first time (about 10 s), then read from
//     data/style_transfer/vgg.bin; returned without the classifier, for
//     pictures of any size (Keras's include_top=False).
//   - content_picture, style_picture: a museum with a glass pyramid, and a
//     painting of swirling brush strokes, drawn here.

#ifndef DLCOURSE_COURSE3_CNN_STYLE_TRANSFER_FEATURE_NET_H_
#define DLCOURSE_COURSE3_CNN_STYLE_TRANSFER_FEATURE_NET_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "common/data/image.h"
#include "common/data/synthetic_images.h"
#include "course3_cnn/style_transfer/style_transfer.h"

namespace style_transfer {

// `count` patches of size x size, classes in turn (label = 4 palette +
// texture), the same for the same seed.
dl::LabeledImages texture_patches(int count, uint32_t seed, int size);

// The network for size x size x 3 pictures (size a multiple of 16), its
// weights drawn from `seed`; with `classes` > 0, the classifier on top;
// without, frozen (no parameter trainable: the course's vgg.trainable =
// False).
Model make_vgg(int size, uint32_t seed, int classes = 0);

// The trained convolutions, for size x size pictures.
absl::StatusOr<Model> pretrained_vgg(int size);

// The pictures, (1, size, size, 3), values in [0, 1].
Tensor<4> content_picture(int size);
Tensor<4> style_picture(int size, uint32_t seed);

// A picture (1, n_H, n_W, 3) in [0, 1] as an image (values clipped).
dl::Image ToImage(const Tensor<4>& picture);

}  // namespace style_transfer

#endif  // DLCOURSE_COURSE3_CNN_STYLE_TRANSFER_FEATURE_NET_H_
