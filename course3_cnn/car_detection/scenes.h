// File: course3_cnn/car_detection/scenes.h
//
// Given code (not graded): the stand-in for the course's road photos.
//
// A scene is a street seen from a car, as in course3_cnn/unet: sky, a row
// of buildings with windows, the road with its lane marks, and on it 1 to 5
// objects of three classes, nearer ones lower and larger:
//   car           a body, a roof with a window, two wheels (wide boxes)
//   person        legs, a coat, a head (tall, narrow boxes)
//   traffic sign  a round or triangular plate on a pole (the box is the
//                 plate: small, square)
// each with colours drawn at random, over noise. A scene is described in
// units of the picture ([0, 1]) and can be drawn at any size: the network
// sees it at 64 x 64, the program's pictures show it at 256 x 256.
// Scene k is the same on every machine and in every call.

#ifndef DLCOURSE_COURSE3_CNN_CAR_DETECTION_SCENES_H_
#define DLCOURSE_COURSE3_CNN_CAR_DETECTION_SCENES_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "common/data/image.h"
#include "course3_cnn/car_detection/car_detection.h"

namespace car_detection {

inline constexpr int kNumClasses = 3;      // car, person, traffic sign
inline constexpr int kSceneSize = 64;      // the network's pictures: 64 x 64
inline constexpr int kTrainScenes = 2000;  // scenes 0 .. 1999 train it
inline constexpr int kFirstTestScene = 100000;  // held-out scenes from here

// "car", "person", "traffic sign".
std::string class_name(int c);
// The colour of class c's boxes in the pictures.
std::array<uint8_t, 3> class_colour(int c);

// One object: its class and its box, centre (x, y) and size (w, h) in
// [0, 1] of the picture.
struct Object {
  int cls = 0;
  double x = 0, y = 0, w = 0, h = 0;
};

struct Scenes {
  int size = 0;
  nn::Array<float> X;                        // (m, size, size, 3), 0 .. 1
  std::vector<std::vector<Object>> objects;  // m lists
  Picture picture(int i) const;              // X[i]: (size, size, 3)
};

// Scenes first .. first + count - 1, drawn at size x size pixels.
Scenes generate_scenes(int first, int count, int size);

// Scene k drawn at size x size pixels, for the pictures.
dl::Image draw_scene(int k, int size);

// The objects as yad2k's true_boxes: (n, 5), rows (x, y, w, h, class).
Matrix true_boxes(const std::vector<Object>& objects);

// The objects as TrueBoxes in pixels of image_shape: rows (y_min, x_min,
// y_max, x_max), as yolo_eval's boxes.
TrueBoxes true_corners(const std::vector<Object>& objects,
                       const ImageShape& image_shape);

}  // namespace car_detection

#endif  // DLCOURSE_COURSE3_CNN_CAR_DETECTION_SCENES_H_
