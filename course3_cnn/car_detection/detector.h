// File: course3_cnn/car_detection/detector.h
//
// Given code (not graded): the stand-in for the course's pretrained YOLOv2
// (model_data/yolo.h5 and yolo_anchors.txt).
//
//   - compute_anchors: the anchors, as YOLOv2 chose its own: k-means on the
//     sizes (w, h) of the training boxes, with 1 - IoU as the distance.
//   - make_detector: a tiny YOLO-style network: four 3x3 convolutions with
//     batch norm and ReLU (the first of stride 2), two 2x2 max pools
//     (64 -> 8), and a 1x1 convolution to A (5 + C) = 24 numbers per cell.
//   - yolo_loss and train_detector: YOLOv2's training (yad2k's yolo_loss,
//     with cross-entropies): coordinates, objectness, no-object and class
//     terms, its gradient dJ/doutput computed here by hand, Adam.
//   - pretrained_detector: the network trained on scenes 0 .. 1999 the
//     first time (about 25 s), then read from data/car_detection/
//     detector.bin (trained again when the file is missing or from another
//     version).
// The training assigns the true boxes to the grid with the REFERENCE
// preprocess_true_boxes, so the cached network is the same whatever state
// your exercise.cc is in.

#ifndef DLCOURSE_COURSE3_CNN_CAR_DETECTION_DETECTOR_H_
#define DLCOURSE_COURSE3_CNN_CAR_DETECTION_DETECTOR_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "common/core/random.h"
#include "course3_cnn/car_detection/car_detection.h"
#include "course3_cnn/car_detection/scenes.h"

namespace car_detection {

inline constexpr int kGrid = 8;     // S: 64 / 8 pixels per cell
inline constexpr int kAnchors = 3;  // A

// k anchors (k, 2), rows (w, h) in grid cells, smallest area first: k-means
// with the distance 1 - IoU of two sizes centred at the origin (YOLOv2's),
// over every object of `objects`.
Matrix compute_anchors(const std::vector<std::vector<Object>>& objects, int k,
                       int grid);

// The network, its weights drawn from `seed`:
//   Input (64, 64, 3) -> Conv2D(16, 3, strides 2, same), BatchNormalization,
//   ReLU -> [Conv2D(c, 3, same), BatchNormalization, ReLU, MaxPool2D(2)]
//   with c = 32, 64 -> Conv2D(64, 3, same), BatchNormalization, ReLU ->
//   Conv2D(A (5 + C), 1)
// Output (m, 8, 8, 24): per cell, anchor after anchor, the 5 + C numbers
// (t_x, t_y, t_w, t_h, t_o, t_c...).
Model make_detector(uint32_t seed);

// YOLOv2's loss on a batch, and its gradient. output (m, S, S, A (5 + C));
// targets[b] = preprocess_true_boxes of picture b; boxes[b] its true boxes
// (n, 5). Per picture, cell and anchor (raw t, sigma = sigmoid):
//   a detector with an object (detectors_mask = 1):
//     5 (-log sigma(t_o))                           objectness
//     (sigma(t_x) - x)^2 + (sigma(t_y) - y)^2 + (t_w - w)^2 + (t_h - h)^2
//                                                   coordinates (the
//                                                   matching_true_boxes)
//     -log softmax(t_c)[class]                      class
//   any other detector, unless its predicted box overlaps a true box with
//   IoU >= 0.6: -log(1 - sigma(t_o))                no object
// summed, divided by m. Writes dJ/doutput into *doutput.
double yolo_loss(const nn::Array<float>& output,
                 const std::vector<YoloTargets>& targets,
                 const std::vector<Matrix>& boxes, const Matrix& anchors,
                 nn::Array<float>* doutput);

// `epochs` epochs of Adam on `scenes` in mini-batches of batch_size (the
// scenes shuffled with rng each epoch); returns the mean loss of each
// epoch. `model` must be compiled (its optimizer).
std::vector<double> train_detector(Model& model, const Scenes& scenes,
                                   const Matrix& anchors, int epochs,
                                   int batch_size, dl::RandomState& rng);

// The trained detector and its anchors.
struct Detector {
  Model model;
  Matrix anchors;  // (A, 2), (w, h) in grid cells
};

// Read from data/car_detection/detector.bin, or trained on scenes
// 0 .. kTrainScenes - 1 (it says so) and written there.
absl::StatusOr<Detector> pretrained_detector();

}  // namespace car_detection

#endif  // DLCOURSE_COURSE3_CNN_CAR_DETECTION_DETECTOR_H_
