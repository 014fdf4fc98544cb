// File: course3_cnn/unet/unet_utils.h
//
// The given code of course3_cnn/unet: the stand-in for the course's CARLA
// street pictures and their masks, generated here, the course's
// create_mask, the scores of a segmentation and its picture.
//
// A scene is a street seen from a car: sky, a row of buildings with
// windows, the road with its lane marks, and on it cars, people and signs
// of sizes that grow towards the bottom (nearer), each with colours drawn
// at random, over noise. Its mask gives every pixel one of 6 classes.
// The same seed gives the same scenes on every machine.

#ifndef DLCOURSE_COURSE3_CNN_UNET_UNET_UTILS_H_
#define DLCOURSE_COURSE3_CNN_UNET_UNET_UTILS_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/data/image.h"
#include "common/nn/layers.h"

namespace unet {

inline constexpr int kNumClasses = 6;  // sky, road, building, car, person, sign

// "sky", "road", "building", "car", "person", "sign".
std::string class_name(int c);
// The colour of class c in the mask pictures.
std::array<uint8_t, 3> class_colour(int c);

struct Scenes {
  int height = 0, width = 0;
  dl::nn::Array<float> X;  // (m, height, width, 3), values in [0, 1]
  std::vector<int> masks;  // m height width classes, row-major: a label per
                           // pixel, as Model::TrainStep takes them
};

// m scenes of height x width pixels (both >= 16).
Scenes generate_scenes(int m, int height, int width, dl::RandomState& rng);

// The course's create_mask: the class of each pixel's largest logit.
//   logits (m, n_H, n_W, n_classes)  ->  m n_H n_W classes
std::vector<int> create_mask(const dl::nn::Array<float>& logits);

// How a predicted mask agrees with the true one, over all pixels:
struct SegmentationScores {
  double pixel_accuracy = 0;  // the share of pixels with the right class
  std::vector<double> iou;    // per class |pred ∩ true| / |pred ∪ true|
                              // (-1 when the class is in neither)
  double mean_iou = 0;        // over the classes that occur
};
SegmentationScores score(const std::vector<int>& predicted,
                         const std::vector<int>& truth);

// The course's display([image, true mask, predicted mask]) for the first
// `rows` scenes: one row each, the three side by side, twice the size.
dl::Image display(const Scenes& scenes, const std::vector<int>& predicted,
                  int rows);

}  // namespace unet

#endif  // DLCOURSE_COURSE3_CNN_UNET_UNET_UTILS_H_
