// File: course3_cnn/detection_and_style/detection_and_style.h
//
// Course 4 (our course 3), weeks 3 and 4: the parts of three assignments that
// need no pretrained network.
//   - "Car detection with YOLO" (C4W3 A1): from YOLO's 19x19x5 output to a
//     few boxes: corners, score filtering, IoU, non-max suppression, scaling.
//   - "Face Recognition" (C4W4 A1): the triplet loss.
//   - "Art Generation with Neural Style Transfer" (C4W4 A2): the content
//     cost, the Gram matrix, the style cost and the total cost.
//
// Shapes (the course's, channels last; dl::Tensor<N> is row-major, so
// boxes(i, j, a, k) is numpy's boxes[i, j, a, k]):
//   box_xy, box_wh:   (19, 19, 5, 2)   a box's centre (x, y) and size (w, h)
//   box_confidence:   (19, 19, 5, 1)   p_c: is there an object in the box?
//   box_class_probs:  (19, 19, 5, 80)  c_1 .. c_80: which class is it?
//   boxes:            (19, 19, 5, 4)   corners (y_min, x_min, y_max, x_max)
// (19 x 19 grid cells, 5 anchor boxes per cell, 80 COCO classes; the
// functions take any sizes.) After filtering, n boxes remain: scores (n),
// boxes (n, 4) one box per ROW, classes (n).
//
//   anchor, positive, negative:  (m, 128)  one encoding per ROW
//   a_C, a_S, a_G:  (1, n_H, n_W, n_C)  a layer's activations for the
//                   content, style and generated image
//   A:              (n_C, n_H * n_W)    one unrolled channel per row
//
// Eigen reminders (numpy -> Eigen):
//   boxes[i, j, a, :]        boxes(i, j, a, 0) .. boxes(i, j, a, 3)
//   x.shape[3]               x.dimension(3)
//   np.dot(A, A.T)           A * A.transpose()
//   np.sum(np.square(x))     x.squaredNorm() (Matrix) or
//                            Tensor<0> s = x.square().sum(); then s()
//   a.reshape(n_H*n_W, n_C)  RowMajorMatrix view of a Tensor's memory:
//                            Eigen::Map<const RowMajorMatrix>(a.data(),
//                                                             n_H*n_W, n_C)
//
// Exercises, in order (write them in exercise.cc):
//   YOLO   1. yolo_boxes_to_corners  2. yolo_filter_boxes  3. iou
//          4. yolo_non_max_suppression  5. scale_boxes  6. yolo_eval
//   Face   7. triplet_loss
//   Style  8. compute_content_cost  9. gram_matrix
//          10. compute_layer_style_cost  11. compute_style_cost
//          12. total_cost
//   Ours   13. compute_content_cost_backward
//          14. compute_layer_style_cost_backward

#ifndef DLCOURSE_COURSE3_CNN_DETECTION_AND_STYLE_DETECTION_AND_STYLE_H_
#define DLCOURSE_COURSE3_CNN_DETECTION_AND_STYLE_DETECTION_AND_STYLE_H_

#include <array>
#include <string>
#include <vector>

#include "common/core/tensor.h"

namespace detection_and_style {

using dl::Matrix;
using dl::Vector;
template <int N>
using Tensor = dl::Tensor<N>;
using Index = Eigen::Index;
// A matrix stored row by row, like numpy: Map a Tensor's memory with it to
// reshape without copying.
using RowMajorMatrix =
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// ===================================================================== YOLO

// Centre and size to corners (given in the course; here you write it):
//   y_min = y - h / 2   x_min = x - w / 2   y_max = y + h / 2   x_max = x + w /
//   2
// box_xy[..., 0] is x and box_xy[..., 1] is y (box_wh: w, then h). The
// corners come out in TensorFlow's order (y_min, x_min, y_max, x_max), the
// order tf.image.non_max_suppression and the course's draw_boxes expect.
//   box_xy, box_wh: (S, S, A, 2)  ->  boxes (S, S, A, 4)
Tensor<4> yolo_boxes_to_corners(const Tensor<4>& box_xy,
                                const Tensor<4>& box_wh);

// The course's (scores, boxes, classes): n boxes that survived a filter.
struct ScoredBoxes {
  Vector scores;             // (n): the class score of each box
  Matrix boxes;              // (n, 4): one box per row, corners
  std::vector<int> classes;  // (n): the index of each box's class
};

// Keeps the boxes whose best class score reaches the threshold. For every
// cell (i, j) and anchor a, in that (row-major) order:
//   box_scores[c]   = box_confidence[i, j, a, 0] * box_class_probs[i, j, a, c]
//   box_classes     = argmax_c box_scores[c]     (the first one on a tie)
//   box_class_scores = max_c box_scores[c]
//   keep the box when box_class_scores >= threshold.
//   boxes: (S, S, A, 4)  box_confidence: (S, S, A, 1)
//   box_class_probs: (S, S, A, C)
//   ->  scores (n), boxes (n, 4) (the kept rows of `boxes`), classes (n)
ScoredBoxes yolo_filter_boxes(const Tensor<4>& boxes,
                              const Tensor<4>& box_confidence,
                              const Tensor<4>& box_class_probs,
                              double threshold = 0.6);

// A box by two corners, as the course's iou takes it: (x1, y1, x2, y2), with
// (x1, y1) the upper left and (x2, y2) the lower right corner (y grows
// downwards).
using Box = std::array<double, 4>;

// Intersection over union:
//   xi1 = max(x1, x1')  yi1 = max(y1, y1')  xi2 = min(x2, x2')  yi2 = min(y2,
//   y2') inter_area = max(xi2 - xi1, 0) * max(yi2 - yi1, 0) union_area =
//   box1_area + box2_area - inter_area iou = inter_area / union_area
// The formula treats both coordinates alike, so it gives the same number for
// boxes written (y1, x1, y2, x2).
double iou(const Box& box1, const Box& box2);

// Greedy non-max suppression, as tf.image.non_max_suppression does it:
//   1. take the box with the highest score left (on equal scores, the one
//      that comes first);
//   2. keep it unless its iou with a box already kept is >= iou_threshold;
//   3. repeat until max_boxes boxes are kept or none is left.
// Returns the kept boxes, best score first, with their scores and classes
// (the course's tf.gather). Classes play no part: a car can suppress a bus.
//   scores: (n)  boxes: (n, 4) corners  classes: (n)
//   ->  at most max_boxes boxes.
ScoredBoxes yolo_non_max_suppression(const Vector& scores, const Matrix& boxes,
                                     const std::vector<int>& classes,
                                     int max_boxes = 10,
                                     double iou_threshold = 0.5);

// The size of the picture the boxes are drawn on, in pixels.
struct ImageShape {
  double height = 720;
  double width = 1280;
};

// From YOLO's [0, 1] coordinates to pixels (given in the course's
// yolo_utils; here you write it): each row (y_min, x_min, y_max, x_max) is
// multiplied by (height, width, height, width).
//   boxes: (n, 4)  ->  (n, 4)
Matrix scale_boxes(const Matrix& boxes, const ImageShape& image_shape);

// The four outputs of the course's yolo_head.
struct YoloOutputs {
  Tensor<4> box_xy;           // (S, S, A, 2)
  Tensor<4> box_wh;           // (S, S, A, 2)
  Tensor<4> box_confidence;   // (S, S, A, 1)
  Tensor<4> box_class_probs;  // (S, S, A, C)
};

// The whole filter: yolo_boxes_to_corners -> yolo_filter_boxes
// (score_threshold) -> scale_boxes (image_shape) -> yolo_non_max_suppression
// (max_boxes, iou_threshold).
ScoredBoxes yolo_eval(const YoloOutputs& yolo_outputs,
                      const ImageShape& image_shape = {720, 1280},
                      int max_boxes = 10, double score_threshold = 0.6,
                      double iou_threshold = 0.5);

// ===================================================================== Face

// The triplet loss of FaceNet, summed over the m triplets (rows):
//   pos_dist_i = Σ_k (anchor[i, k] - positive[i, k])²
//   neg_dist_i = Σ_k (anchor[i, k] - negative[i, k])²
//   loss = Σ_i max(pos_dist_i - neg_dist_i + alpha, 0)
//   anchor, positive, negative: (m, 128) (any width)  ->  a number
// (The course's triplet_loss(y_true, y_pred, alpha) with y_pred = (anchor,
// positive, negative); y_true is unused, so it is left out.)
double triplet_loss(const Matrix& anchor, const Matrix& positive,
                    const Matrix& negative, double alpha = 0.2);

// ==================================================== Neural style transfer

// The content cost of one layer:
//   J_content = 1 / (4 n_H n_W n_C) Σ (a_C - a_G)²
//   a_C, a_G: (1, n_H, n_W, n_C)  ->  a number
double compute_content_cost(const Tensor<4>& a_C, const Tensor<4>& a_G);

// The Gram matrix (the "style matrix"): G_A = A Aᵀ, G_A[i, j] is the dot
// product of channel i and channel j.
//   A: (n_C, n_H * n_W)  ->  (n_C, n_C)
Matrix gram_matrix(const Matrix& A);

// The style cost of one layer:
//   J_style_layer = 1 / (4 n_C² (n_H n_W)²) Σ (G_S - G_G)²
// where G_S = gram_matrix(unrolled a_S), G_G = gram_matrix(unrolled a_G),
// and "unrolled" is the course's reshape to (n_H * n_W, n_C) THEN transpose
// to (n_C, n_H * n_W): row c is channel c. (Reshaping the memory straight to
// (n_C, n_H * n_W) mixes the channels up.)
//   a_S, a_G: (1, n_H, n_W, n_C)  ->  a number
double compute_layer_style_cost(const Tensor<4>& a_S, const Tensor<4>& a_G);

// One style layer and its weight λ_l (the course's STYLE_LAYERS entries).
struct StyleLayer {
  std::string name;
  double weight;
};

// The course's STYLE_LAYERS: the first convolution of each VGG19 block,
// 0.2 each.
inline const std::vector<StyleLayer> kStyleLayers = {{"block1_conv1", 0.2},
                                                     {"block2_conv1", 0.2},
                                                     {"block3_conv1", 0.2},
                                                     {"block4_conv1", 0.2},
                                                     {"block5_conv1", 0.2}};

// The style cost over several layers: J_style = Σ_l λ_l J_style_layer(l),
// with λ_l = STYLE_LAYERS[l].weight.
//   style_image_output[l], generated_image_output[l]: a_S and a_G of layer l,
//   (1, n_H_l, n_W_l, n_C_l); one per entry of STYLE_LAYERS, in that order.
// (The course's lists also carry the content layer at the end and drop it
// with [:-1]; ours hold the style layers only.)
double compute_style_cost(
    const std::vector<Tensor<4>>& style_image_output,
    const std::vector<Tensor<4>>& generated_image_output,
    const std::vector<StyleLayer>& STYLE_LAYERS = kStyleLayers);

// J(G) = alpha J_content(C, G) + beta J_style(S, G).
double total_cost(double J_content, double J_style, double alpha = 10,
                  double beta = 40);

// ================================================== Gradients (ours)
// The course lets TensorFlow differentiate the cost with respect to the
// generated image; these are the first links of that chain, by hand.

// ∂J_content / ∂a_G = (a_G - a_C) / (2 n_H n_W n_C)
//   a_C, a_G: (1, n_H, n_W, n_C)  ->  da_G (1, n_H, n_W, n_C)
Tensor<4> compute_content_cost_backward(const Tensor<4>& a_C,
                                        const Tensor<4>& a_G);

// ∂J_style_layer / ∂a_G: with A_G the unrolled a_G (n_C, n_H n_W),
//   dA_G = (G_G - G_S) A_G / (n_C² (n_H n_W)²)
// then rolled back up: transpose to (n_H n_W, n_C), reshape to
// (1, n_H, n_W, n_C).
//   a_S, a_G: (1, n_H, n_W, n_C)  ->  da_G (1, n_H, n_W, n_C)
Tensor<4> compute_layer_style_cost_backward(const Tensor<4>& a_S,
                                            const Tensor<4>& a_G);

// The reference solution (reference.cc) has the same functions, in
// detection_and_style::reference. The grader compares yours with it.
// clang-format off
namespace reference {
decltype(detection_and_style::yolo_boxes_to_corners) yolo_boxes_to_corners;
decltype(detection_and_style::yolo_filter_boxes) yolo_filter_boxes;
decltype(detection_and_style::iou) iou;
decltype(detection_and_style::yolo_non_max_suppression) yolo_non_max_suppression;
decltype(detection_and_style::scale_boxes) scale_boxes;
decltype(detection_and_style::yolo_eval) yolo_eval;
decltype(detection_and_style::triplet_loss) triplet_loss;
decltype(detection_and_style::compute_content_cost) compute_content_cost;
decltype(detection_and_style::gram_matrix) gram_matrix;
decltype(detection_and_style::compute_layer_style_cost) compute_layer_style_cost;
decltype(detection_and_style::compute_style_cost) compute_style_cost;
decltype(detection_and_style::total_cost) total_cost;
decltype(detection_and_style::compute_content_cost_backward) compute_content_cost_backward;
decltype(detection_and_style::compute_layer_style_cost_backward) compute_layer_style_cost_backward;
}  // namespace reference
// clang-format on

}  // namespace detection_and_style

#endif  // DLCOURSE_COURSE3_CNN_DETECTION_AND_STYLE_DETECTION_AND_STYLE_H_
