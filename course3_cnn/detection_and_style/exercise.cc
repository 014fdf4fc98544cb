// Your solutions to course3_cnn/detection_and_style. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course3_cnn/detection_and_style/...
// The formulas, shapes and the numpy -> Eigen table are in
// detection_and_style.h and README.md.

#include <algorithm>
#include <numeric>
#include <vector>

#include "common/grading/not_implemented.h"
#include "course3_cnn/detection_and_style/detection_and_style.h"

namespace detection_and_style {

// ===================================================================== YOLO

Tensor<4> yolo_boxes_to_corners(const Tensor<4>& box_xy,
                                const Tensor<4>& box_wh) {
  // TODO: box_mins = box_xy - box_wh / 2; box_maxes = box_xy + box_wh / 2;
  //       boxes = concatenate([box_mins[..., 1:2],    # y_min
  //                            box_mins[..., 0:1],    # x_min
  //                            box_maxes[..., 1:2],   # y_max
  //                            box_maxes[..., 0:1]])  # x_max  (≈10 lines)
  //   Hint: Tensor<4> boxes(S1, S2, A, 4); three loops over i, j, a; x is
  //   box_xy(i, j, a, 0), y is box_xy(i, j, a, 1), w and h likewise in
  //   box_wh. y comes FIRST in the corners.
  return dl::not_implemented<Tensor<4>>("yolo_boxes_to_corners");
}

ScoredBoxes yolo_filter_boxes(const Tensor<4>& boxes,
                              const Tensor<4>& box_confidence,
                              const Tensor<4>& box_class_probs,
                              double threshold) {
  // TODO: for every cell (i, j) and anchor a, in that order:
  //         box_scores = box_confidence[i, j, a, 0] * box_class_probs[i, j, a,
  //         :] box_classes = argmax(box_scores); box_class_scores =
  //         max(box_scores) if box_class_scores >= threshold: keep the score,
  //         the box boxes[i, j, a, :] and the class. (≈20 lines)
  //   Hint: collect in std::vector<double> scores, std::vector<Box> kept,
  //   std::vector<int> classes; then result.scores.resize(n),
  //   result.boxes.resize(n, 4) and copy. On equal scores argmax takes the
  //   first class (compare with >, not >=).
  return dl::not_implemented<ScoredBoxes>("yolo_filter_boxes");
}

double iou(const Box& box1, const Box& box2) {
  // TODO: (box1_x1, box1_y1, box1_x2, box1_y2) = box1, the same for box2;
  //       xi1 = max(x1s), yi1 = max(y1s), xi2 = min(x2s), yi2 = min(y2s);
  //       inter_area = max(xi2 - xi1, 0) * max(yi2 - yi1, 0);
  //       union_area = box1_area + box2_area - inter_area;
  //       iou = inter_area / union_area. (≈10 lines)
  //   Hint: `const auto [x1, y1, x2, y2] = box1;` unpacks a Box;
  //   std::max(width, 0.0) (0.0, not 0: both must be doubles).
  return dl::not_implemented<double>("iou");
}

ScoredBoxes yolo_non_max_suppression(const Vector& scores, const Matrix& boxes,
                                     const std::vector<int>& classes,
                                     int max_boxes, double iou_threshold) {
  // TODO: nms_indices = tf.image.non_max_suppression(boxes, scores,
  //       max_boxes, iou_threshold), then gather scores, boxes, classes:
  //       order = the indices 0..n-1 by descending score (std::stable_sort);
  //       for each candidate in order, until max_boxes are kept:
  //         keep it unless iou(candidate's box, a kept box) >= iou_threshold.
  //       (≈20 lines)
  //   Hint: std::iota fills 0..n-1; a row as a Box:
  //   Box{boxes(k, 0), boxes(k, 1), boxes(k, 2), boxes(k, 3)};
  //   result.boxes.row(k) = boxes.row(nms_indices[k]).
  return dl::not_implemented<ScoredBoxes>("yolo_non_max_suppression");
}

Matrix scale_boxes(const Matrix& boxes, const ImageShape& image_shape) {
  // TODO: image_dims = [height, width, height, width];
  //       boxes = boxes * image_dims (row by row). (≈5 lines)
  //   Hint: scaled.col(0) *= image_shape.height; ...
  return dl::not_implemented<Matrix>("scale_boxes");
}

ScoredBoxes yolo_eval(const YoloOutputs& yolo_outputs,
                      const ImageShape& image_shape, int max_boxes,
                      double score_threshold, double iou_threshold) {
  // TODO: boxes = yolo_boxes_to_corners(box_xy, box_wh);
  //       scores, boxes, classes = yolo_filter_boxes(boxes, box_confidence,
  //                                    box_class_probs, score_threshold);
  //       boxes = scale_boxes(boxes, image_shape);
  //       return yolo_non_max_suppression(scores, boxes, classes,
  //                                       max_boxes, iou_threshold). (≈5 lines)
  return dl::not_implemented<ScoredBoxes>("yolo_eval");
}

// ===================================================================== Face

double triplet_loss(const Matrix& anchor, const Matrix& positive,
                    const Matrix& negative, double alpha) {
  // TODO: pos_dist = Σ over the last axis of (anchor - positive)²;
  //       neg_dist = Σ over the last axis of (anchor - negative)²;
  //       basic_loss = pos_dist - neg_dist + alpha;
  //       loss = Σ max(basic_loss, 0). (≈4 lines)
  //   Hint: one triplet per ROW: (anchor - positive).rowwise().squaredNorm()
  //   is a Vector (m); .array() + alpha; .cwiseMax(0.0).sum().
  return dl::not_implemented<double>("triplet_loss");
}

// ==================================================== Neural style transfer

double compute_content_cost(const Tensor<4>& a_C, const Tensor<4>& a_G) {
  // TODO: (m, n_H, n_W, n_C) = a_G.shape;
  //       J_content = Σ (a_C - a_G)² / (4 n_H n_W n_C). (≈5 lines)
  //   Hint: Tensor<0> s = (a_C - a_G).square().sum(); then s(). Divide as
  //   doubles: 4.0 * n_H * n_W * n_C.
  return dl::not_implemented<double>("compute_content_cost");
}

Matrix gram_matrix(const Matrix& A) {
  // TODO: GA = A Aᵀ. (≈1 line)
  return dl::not_implemented<Matrix>("gram_matrix");
}

double compute_layer_style_cost(const Tensor<4>& a_S, const Tensor<4>& a_G) {
  // TODO: (m, n_H, n_W, n_C) = a_G.shape;
  //       a_S = transpose(reshape(a_S, (n_H * n_W, n_C))), a_G likewise;
  //       GS = gram_matrix(a_S); GG = gram_matrix(a_G);
  //       J_style_layer = Σ (GS - GG)² / (4 n_C² (n_H n_W)²). (≈8 lines)
  //   Hint: Matrix A = Eigen::Map<const RowMajorMatrix>(a_S.data(),
  //   n_H * n_W, n_C).transpose(); is the unrolled (n_C, n_H * n_W) matrix.
  //   (GS - GG).squaredNorm() is the sum of squares.
  return dl::not_implemented<double>("compute_layer_style_cost");
}

double compute_style_cost(const std::vector<Tensor<4>>& style_image_output,
                          const std::vector<Tensor<4>>& generated_image_output,
                          const std::vector<StyleLayer>& STYLE_LAYERS) {
  // TODO: J_style = 0;
  //       for i, layer in enumerate(STYLE_LAYERS):
  //         J_style += layer.weight * compute_layer_style_cost(
  //             style_image_output[i], generated_image_output[i]). (≈5 lines)
  return dl::not_implemented<double>("compute_style_cost");
}

double total_cost(double J_content, double J_style, double alpha, double beta) {
  // TODO: J = alpha * J_content + beta * J_style. (≈1 line)
  return dl::not_implemented<double>("total_cost");
}

// ================================================== Gradients (ours)

Tensor<4> compute_content_cost_backward(const Tensor<4>& a_C,
                                        const Tensor<4>& a_G) {
  // TODO: da_G = (a_G - a_C) / (2 n_H n_W n_C). (≈4 lines)
  //   Hint: J = Σ (a_C - a_G)² / (4 n_H n_W n_C); differentiate one entry.
  //   A Tensor expression divided by a double is a Tensor expression.
  return dl::not_implemented<Tensor<4>>("compute_content_cost_backward");
}

Tensor<4> compute_layer_style_cost_backward(const Tensor<4>& a_S,
                                            const Tensor<4>& a_G) {
  // TODO: A_G = the unrolled a_G (n_C, n_H n_W), GS and GG as in
  //       compute_layer_style_cost;
  //       dA_G = (GG - GS) A_G / (n_C² (n_H n_W)²);
  //       da_G = dA_G transposed to (n_H n_W, n_C), in a (1, n_H, n_W, n_C)
  //       tensor. (≈10 lines)
  //   Hint: Tensor<4> da_G(1, n_H, n_W, n_C);
  //   Eigen::Map<RowMajorMatrix>(da_G.data(), n_H * n_W, n_C) =
  //       dA_G.transpose();
  //   writes the rows of dA_Gᵀ into the tensor's memory.
  return dl::not_implemented<Tensor<4>>("compute_layer_style_cost_backward");
}

}  // namespace detection_and_style
