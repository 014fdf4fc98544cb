// File: course3_cnn/car_detection/car_detection.h
//
// Course 4, week 3, assignment 1: "Car Detection with YOLO", on a real
// network. The course runs a pretrained YOLOv2 (608 x 608 pictures, a
// 19 x 19 grid, 5 anchors, 80 classes) on road photos. Here a tiny
// YOLO-style detector is trained on generated street scenes (detector.h):
// 64 x 64 pictures, an 8 x 8 grid, 3 anchors, 3 classes (car, person,
// traffic sign). You write the parts of the course's pipeline that turn its
// raw output into boxes, and the score that tells how good the boxes are.
//
// Shapes (channels last; dl::Tensor<4> is row-major, so feats(i, j, a, k) is
// numpy's feats[i, j, a, k]; i is the grid ROW (y), j the COLUMN (x)):
//   feats:            (S, S, A, 5 + C)  the network's raw output for one
//                     picture: per cell (i, j) and anchor a,
//                     (t_x, t_y, t_w, t_h, t_o, t_c1 .. t_cC)
//   anchors:          (A, 2)   one anchor per ROW: (w, h) in grid cells
//                     (the course's model_data/yolo_anchors.txt)
//   box_xy, box_wh:   (S, S, A, 2)   centre (x, y) and size (w, h), in [0, 1]
//                     of the picture
//   box_confidence:   (S, S, A, 1)   p_c
//   box_class_probs:  (S, S, A, C)   c_1 .. c_C
//   true_boxes:       (n, 5)   one object per ROW: (x, y, w, h, class), x, y,
//                     w, h in [0, 1] of the picture
//   detectors_mask:   (S, S, A, 1)   1 where a true box is assigned
//   matching_true_boxes: (S, S, A, 5)  what that detector must predict
//
// The post-processing (yolo_boxes_to_corners, yolo_filter_boxes, iou,
// yolo_non_max_suppression, scale_boxes, yolo_eval) is yours in
// course3_cnn/detection_and_style; here its REFERENCE runs
// (detection_and_style::reference::yolo_eval and ::iou), so that this
// unit's grade does not depend on that one.
//
// Exercises, in order (write them in exercise.cc):
//   1. yolo_head  2. preprocess_true_boxes  3. predict
//   4. average_precision  5. mean_average_precision

#ifndef DLCOURSE_COURSE3_CNN_CAR_DETECTION_CAR_DETECTION_H_
#define DLCOURSE_COURSE3_CNN_CAR_DETECTION_CAR_DETECTION_H_

#include <vector>

#include "common/core/tensor.h"
#include "common/nn/model.h"
#include "course3_cnn/detection_and_style/detection_and_style.h"

namespace car_detection {

namespace nn = dl::nn;
using dl::Matrix;
using dl::Vector;
template <int N>
using Tensor = dl::Tensor<N>;
using Index = Eigen::Index;
using Model = nn::Model<float>;

// From course3_cnn/detection_and_style: the four outputs of yolo_head, the
// (scores, boxes, classes) of a filter, a box's two corners, a picture's
// size.
using detection_and_style::Box;
using detection_and_style::ImageShape;
using detection_and_style::ScoredBoxes;
using detection_and_style::YoloOutputs;

// A picture as the network takes it: (n_H, n_W, 3), values 0 .. 1 (the
// course's image_data after preprocess_image).
using Picture = nn::Array<float>;

// Exercise 1. The course's yolo_head(feats, anchors, num_classes) (yad2k):
// YOLOv2's raw numbers to boxes and probabilities. For every cell (i, j)
// (row i, column j) and anchor a, with t = feats(i, j, a, :):
//   box_xy(i, j, a, 0) = (sigmoid(t_x) + j) / S     x: the column
//   box_xy(i, j, a, 1) = (sigmoid(t_y) + i) / S     y: the row
//   box_wh(i, j, a, 0) = exp(t_w) * anchors(a, 0) / S
//   box_wh(i, j, a, 1) = exp(t_h) * anchors(a, 1) / S
//   box_confidence(i, j, a, 0) = sigmoid(t_o)
//   box_class_probs(i, j, a, :) = softmax(t_c1 .. t_cC)
// (t_x = feats(i, j, a, 0), ..., t_o = feats(i, j, a, 4), the classes from
// feats(i, j, a, 5) on.) For a grid of S_H rows and S_W columns, x is
// divided by S_W and y by S_H.
//   feats (S, S, A, 5 + C), anchors (A, 2)  ->  YoloOutputs
YoloOutputs yolo_head(const Tensor<4>& feats, const Matrix& anchors,
                      int num_classes);

// What preprocess_true_boxes returns.
struct YoloTargets {
  Tensor<4> detectors_mask;       // (S, S, A, 1)
  Tensor<4> matching_true_boxes;  // (S, S, A, 5)
};

// Exercise 2. The course's preprocess_true_boxes (yad2k): which detector
// (cell and anchor) is responsible for each true box, and what it must
// predict. For each row (x, y, w, h, class) of true_boxes, in order:
//   in grid units: x' = x S, y' = y S, w' = w S, h' = h S
//   the cell of the centre: i = floor(y'), j = floor(x') (at most S - 1)
//   the anchor a of best IoU with the box, both centred at the origin (only
//   the shapes count): inter = min(w', anchor_w) min(h', anchor_h),
//     iou = inter / (w' h' + anchor_w anchor_h - inter)
//     (the first anchor on a tie)
//   detectors_mask(i, j, a, 0) = 1
//   matching_true_boxes(i, j, a, :) =
//     (x' - j, y' - i, log(w' / anchor_w), log(h' / anchor_h), class)
// A later box in the same cell with the same best anchor replaces the
// earlier one. Everything else is 0.
//   true_boxes (n, 5), anchors (A, 2), S  ->  (S, S, A, 1), (S, S, A, 5)
YoloTargets preprocess_true_boxes(const Matrix& true_boxes,
                                  const Matrix& anchors, int S);

// Exercise 3. The course's predict(): the picture through the network, then
// yolo_head, then yolo_eval.
//   x = the picture as a batch of one: (1, n_H, n_W, 3)
//   out = model.Predict(x)                   (1, S, S, A (5 + C))
//   feats = out seen as (S, S, A, 5 + C) (the same numbers in the same
//     order: a reshape)
//   yolo_outputs = yolo_head(feats, anchors, num_classes)
//   return detection_and_style::reference::yolo_eval(yolo_outputs,
//     image_shape, max_boxes, score_threshold, iou_threshold)
// The course prints "Found n boxes for ..." and draws them; the program
// does that here.
//   -> out_scores (n), out_boxes (n, 4) (y_min, x_min, y_max, x_max) in
//      pixels of image_shape, out_classes (n)
ScoredBoxes predict(Model& model, const Picture& picture, const Matrix& anchors,
                    int num_classes, const ImageShape& image_shape,
                    int max_boxes, double score_threshold,
                    double iou_threshold);

// The true objects of one picture, in the units of the detections: boxes
// (n, 4), one per ROW, as yolo_eval's (y_min, x_min, y_max, x_max); classes
// (n).
struct TrueBoxes {
  Matrix boxes;
  std::vector<int> classes;
};

// Exercise 4. The average precision (AP) of one class, as PASCAL VOC
// measures it. detections[p] and truths[p] are picture p's.
//   1. Every detection of class class_id, over all pictures, by
//      descending score (equal scores: picture order, then box order).
//   2. Going down that list, a detection is a TRUE POSITIVE when, among the
//      true boxes of class class_id in ITS picture, the one of largest IoU
//      (detection_and_style::reference::iou; the first on a tie) has
//      iou >= iou_threshold and was not matched before (it is then
//      matched); otherwise it is a FALSE POSITIVE (a second box on an
//      object is a false positive).
//   3. After the k-th detection: precision_k = TP_k / k,
//      recall_k = TP_k / (the number of true boxes of class class_id).
//   4. AP = the area under the precision-recall curve, with precision made
//      non-increasing from the right first:
//        p_k = max(precision_k, ..., precision_last)
//        AP = sum over k of (recall_k - recall_{k-1}) p_k, recall_0 = 0.
// No true box of the class: 0.
double average_precision(const std::vector<ScoredBoxes>& detections,
                         const std::vector<TrueBoxes>& truths, int class_id,
                         double iou_threshold);

// Exercise 5. The mean average precision (mAP): the mean of
// average_precision over the classes 0 .. num_classes - 1 that have at
// least one true box (in any picture); 0 when none has.
double mean_average_precision(const std::vector<ScoredBoxes>& detections,
                              const std::vector<TrueBoxes>& truths,
                              int num_classes, double iou_threshold);

// The reference solution (reference.cc) has the same functions, in
// car_detection::reference. The grader compares yours with it.
// clang-format off
namespace reference {
decltype(car_detection::yolo_head) yolo_head;
decltype(car_detection::preprocess_true_boxes) preprocess_true_boxes;
decltype(car_detection::predict) predict;
decltype(car_detection::average_precision) average_precision;
decltype(car_detection::mean_average_precision) mean_average_precision;
}  // namespace reference
// clang-format on

}  // namespace car_detection

#endif  // DLCOURSE_COURSE3_CNN_CAR_DETECTION_CAR_DETECTION_H_
