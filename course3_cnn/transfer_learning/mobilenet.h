// File: course3_cnn/transfer_learning/mobilenet.h
//
// The given code of course3_cnn/transfer_learning's program: the stand-ins
// for ImageNet, the course's pretrained MobileNetV2 and its alpaca
// pictures.
//
//   - generate_shapes: the "large" data set the base is pretrained on:
//     32 x 32 pictures of 10 classes of shapes and textures (circle,
//     square, triangle, ring, cross, ellipse, frame, stripes, checkers,
//     dots) in random colours, sizes, places and angles, with noise.
//   - generate_alpacas: the course's small two-class set: an alpaca (a
//     fluffy body, a long neck, a small head with two ears, four legs) or
//     not (a sheep or a dog without the neck, a tree, a house, a car, a
//     person, a rock, or the landscape alone), on fields under the sky.
//   - pretrained_base: mobilenet_v2 (transfer_learning.h) trained on the
//     shapes the first time (a few seconds; it says so), its batch
//     normalization statistics measured on them, then read from
//     data/transfer_learning/mobilenet_v2_small.bin (trained again when the
//     file is missing or from another version).
// The same seed gives the same pictures on every machine.

#ifndef DLCOURSE_COURSE3_CNN_TRANSFER_LEARNING_MOBILENET_H_
#define DLCOURSE_COURSE3_CNN_TRANSFER_LEARNING_MOBILENET_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "course3_cnn/transfer_learning/transfer_learning.h"

namespace transfer_learning {

inline constexpr int kImageSize = 32;  // pictures are 32 x 32 x 3
inline constexpr int kShapeClasses = 10;

struct Pictures {
  nn::Array<float> X;                    // (m, 32, 32, 3), values 0 .. 255
  std::vector<int> labels;               // m class indices
  std::vector<std::string> class_names;  // label -> name
};

// `count` pictures of the 10 shapes, the classes in turn (picture k is of
// class k % 10), from `seed`.
Pictures generate_shapes(int count, uint32_t seed);

// `count` pictures, alpacas (label 1) and not (label 0) in turn, from
// `seed`: class_names {"not alpaca", "alpaca"}.
Pictures generate_alpacas(int count, uint32_t seed);

// What pretrained_base did.
struct Pretraining {
  bool trained = false;      // false: read from the cache
  double seconds = 0;        // the training's wall time
  double test_accuracy = 0;  // on 1000 shapes it never saw
};

// mobilenet_v2({32, 32, 3}, include_top = false, 0, seed 1) with the
// pretrained weights: read from the cache, or trained (8 epochs of Adam on
// 3000 shapes, then the batch statistics), tested and written there.
absl::StatusOr<Model> pretrained_base(Pretraining* report);

// The cache's path: <workspace>/data/transfer_learning/
// mobilenet_v2_small.bin.
std::string pretrained_base_path();

}  // namespace transfer_learning

#endif  // DLCOURSE_COURSE3_CNN_TRANSFER_LEARNING_MOBILENET_H_
