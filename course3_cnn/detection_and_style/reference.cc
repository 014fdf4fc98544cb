// The reference solution of course3_cnn/detection_and_style, written with
// the course's steps and names (box_scores, box_class_scores, xi1, ...).

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "course3_cnn/detection_and_style/detection_and_style.h"

namespace detection_and_style {
namespace reference {

namespace {

// a: (1, n_H, n_W, n_C) -> (n_C, n_H * n_W): the course's
// tf.transpose(tf.reshape(a, [n_H * n_W, n_C])). Row c is channel c.
Matrix Unroll(const Tensor<4>& a) {
  const Index n_HW = a.dimension(1) * a.dimension(2);
  const Index n_C = a.dimension(3);
  return Eigen::Map<const RowMajorMatrix>(a.data(), n_HW, n_C).transpose();
}

void CheckSameShape(const Tensor<4>& a, const Tensor<4>& b, const char* what) {
  if (a.dimensions() != b.dimensions()) {
    throw std::invalid_argument(std::string(what) + ": " + dl::shape_string(a) +
                                " and " + dl::shape_string(b) + " differ");
  }
}

}  // namespace

Tensor<4> yolo_boxes_to_corners(const Tensor<4>& box_xy,
                                const Tensor<4>& box_wh) {
  const Index S1 = box_xy.dimension(0), S2 = box_xy.dimension(1);
  const Index A = box_xy.dimension(2);
  Tensor<4> boxes(S1, S2, A, 4);
  for (Index i = 0; i < S1; ++i) {
    for (Index j = 0; j < S2; ++j) {
      for (Index a = 0; a < A; ++a) {
        const double x = box_xy(i, j, a, 0), y = box_xy(i, j, a, 1);
        const double w = box_wh(i, j, a, 0), h = box_wh(i, j, a, 1);
        boxes(i, j, a, 0) = y - h / 2.0;  // y_min
        boxes(i, j, a, 1) = x - w / 2.0;  // x_min
        boxes(i, j, a, 2) = y + h / 2.0;  // y_max
        boxes(i, j, a, 3) = x + w / 2.0;  // x_max
      }
    }
  }
  return boxes;
}

ScoredBoxes yolo_filter_boxes(const Tensor<4>& boxes,
                              const Tensor<4>& box_confidence,
                              const Tensor<4>& box_class_probs,
                              double threshold) {
  const Index S1 = box_class_probs.dimension(0);
  const Index S2 = box_class_probs.dimension(1);
  const Index A = box_class_probs.dimension(2);
  const Index C = box_class_probs.dimension(3);
  std::vector<double> scores;
  std::vector<Box> kept;
  std::vector<int> classes;
  for (Index i = 0; i < S1; ++i) {
    for (Index j = 0; j < S2; ++j) {
      for (Index a = 0; a < A; ++a) {
        // Step 1: box_scores = box_confidence * box_class_probs.
        // Step 2: box_classes = argmax, box_class_scores = max (last axis).
        int box_class = 0;
        double box_class_score = 0;
        for (Index c = 0; c < C; ++c) {
          const double box_score =
              box_confidence(i, j, a, 0) * box_class_probs(i, j, a, c);
          if (c == 0 || box_score > box_class_score) {
            box_class = static_cast<int>(c);
            box_class_score = box_score;
          }
        }
        // Steps 3 and 4: filtering_mask = box_class_scores >= threshold.
        if (box_class_score >= threshold) {
          scores.push_back(box_class_score);
          kept.push_back({boxes(i, j, a, 0), boxes(i, j, a, 1),
                          boxes(i, j, a, 2), boxes(i, j, a, 3)});
          classes.push_back(box_class);
        }
      }
    }
  }
  ScoredBoxes result;
  const Index n = static_cast<Index>(scores.size());
  result.scores = Eigen::Map<const Vector>(scores.data(), n);
  result.boxes.resize(n, 4);
  for (Index k = 0; k < n; ++k) {
    for (int col = 0; col < 4; ++col) result.boxes(k, col) = kept[k][col];
  }
  result.classes = classes;
  return result;
}

double iou(const Box& box1, const Box& box2) {
  const auto [box1_x1, box1_y1, box1_x2, box1_y2] = box1;
  const auto [box2_x1, box2_y1, box2_x2, box2_y2] = box2;
  // The intersection (xi1, yi1, xi2, yi2) and its area.
  const double xi1 = std::max(box1_x1, box2_x1);
  const double yi1 = std::max(box1_y1, box2_y1);
  const double xi2 = std::min(box1_x2, box2_x2);
  const double yi2 = std::min(box1_y2, box2_y2);
  const double inter_width = xi2 - xi1;
  const double inter_height = yi2 - yi1;
  const double inter_area =
      std::max(inter_width, 0.0) * std::max(inter_height, 0.0);
  // Union(A, B) = A + B - Inter(A, B).
  const double box1_area = (box1_x2 - box1_x1) * (box1_y2 - box1_y1);
  const double box2_area = (box2_x2 - box2_x1) * (box2_y2 - box2_y1);
  const double union_area = box1_area + box2_area - inter_area;
  return inter_area / union_area;
}

ScoredBoxes yolo_non_max_suppression(const Vector& scores, const Matrix& boxes,
                                     const std::vector<int>& classes,
                                     int max_boxes, double iou_threshold) {
  const Index n = scores.size();
  auto box = [&](Index k) -> Box {
    return {boxes(k, 0), boxes(k, 1), boxes(k, 2), boxes(k, 3)};
  };
  // The candidates by descending score; equal scores keep their order.
  std::vector<Index> order(n);
  std::iota(order.begin(), order.end(), Index{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](Index a, Index b) { return scores(a) > scores(b); });
  std::vector<Index> nms_indices;
  for (Index candidate : order) {
    if (static_cast<int>(nms_indices.size()) >= max_boxes) break;
    bool keep = true;
    for (Index selected : nms_indices) {
      if (reference::iou(box(candidate), box(selected)) >= iou_threshold) {
        keep = false;
        break;
      }
    }
    if (keep) nms_indices.push_back(candidate);
  }
  // tf.gather(scores / boxes / classes, nms_indices).
  ScoredBoxes result;
  const Index kept = static_cast<Index>(nms_indices.size());
  result.scores.resize(kept);
  result.boxes.resize(kept, 4);
  for (Index k = 0; k < kept; ++k) {
    result.scores(k) = scores(nms_indices[k]);
    result.boxes.row(k) = boxes.row(nms_indices[k]);
    result.classes.push_back(classes[nms_indices[k]]);
  }
  return result;
}

Matrix scale_boxes(const Matrix& boxes, const ImageShape& image_shape) {
  const double height = image_shape.height, width = image_shape.width;
  Matrix scaled = boxes;
  scaled.col(0) *= height;  // y_min
  scaled.col(1) *= width;   // x_min
  scaled.col(2) *= height;  // y_max
  scaled.col(3) *= width;   // x_max
  return scaled;
}

ScoredBoxes yolo_eval(const YoloOutputs& yolo_outputs,
                      const ImageShape& image_shape, int max_boxes,
                      double score_threshold, double iou_threshold) {
  const Tensor<4> boxes = reference::yolo_boxes_to_corners(yolo_outputs.box_xy,
                                                           yolo_outputs.box_wh);
  ScoredBoxes filtered = reference::yolo_filter_boxes(
      boxes, yolo_outputs.box_confidence, yolo_outputs.box_class_probs,
      score_threshold);
  filtered.boxes = reference::scale_boxes(filtered.boxes, image_shape);
  return reference::yolo_non_max_suppression(filtered.scores, filtered.boxes,
                                             filtered.classes, max_boxes,
                                             iou_threshold);
}

double triplet_loss(const Matrix& anchor, const Matrix& positive,
                    const Matrix& negative, double alpha) {
  // Sums over the last axis (each row is one encoding).
  const Vector pos_dist = (anchor - positive).rowwise().squaredNorm();
  const Vector neg_dist = (anchor - negative).rowwise().squaredNorm();
  const Vector basic_loss = (pos_dist - neg_dist).array() + alpha;
  return basic_loss.cwiseMax(0.0).sum();
}

double compute_content_cost(const Tensor<4>& a_C, const Tensor<4>& a_G) {
  CheckSameShape(a_C, a_G, "compute_content_cost: a_C and a_G");
  const double n_H = static_cast<double>(a_G.dimension(1));
  const double n_W = static_cast<double>(a_G.dimension(2));
  const double n_C = static_cast<double>(a_G.dimension(3));
  const Tensor<0> sum = (a_C - a_G).square().sum();
  return sum() / (4.0 * n_H * n_W * n_C);
}

Matrix gram_matrix(const Matrix& A) { return A * A.transpose(); }

double compute_layer_style_cost(const Tensor<4>& a_S, const Tensor<4>& a_G) {
  CheckSameShape(a_S, a_G, "compute_layer_style_cost: a_S and a_G");
  const double n_H = static_cast<double>(a_G.dimension(1));
  const double n_W = static_cast<double>(a_G.dimension(2));
  const double n_C = static_cast<double>(a_G.dimension(3));
  const Matrix GS = reference::gram_matrix(Unroll(a_S));
  const Matrix GG = reference::gram_matrix(Unroll(a_G));
  return (GS - GG).squaredNorm() /
         (4.0 * n_C * n_C * (n_H * n_W) * (n_H * n_W));
}

double compute_style_cost(const std::vector<Tensor<4>>& style_image_output,
                          const std::vector<Tensor<4>>& generated_image_output,
                          const std::vector<StyleLayer>& STYLE_LAYERS) {
  if (style_image_output.size() != STYLE_LAYERS.size() ||
      generated_image_output.size() != STYLE_LAYERS.size()) {
    throw std::invalid_argument(
        "compute_style_cost: " + std::to_string(style_image_output.size()) +
        " style and " + std::to_string(generated_image_output.size()) +
        " generated activations for " + std::to_string(STYLE_LAYERS.size()) +
        " STYLE_LAYERS");
  }
  double J_style = 0;
  for (size_t i = 0; i < STYLE_LAYERS.size(); ++i) {
    const double J_style_layer = reference::compute_layer_style_cost(
        style_image_output[i], generated_image_output[i]);
    J_style += STYLE_LAYERS[i].weight * J_style_layer;
  }
  return J_style;
}

double total_cost(double J_content, double J_style, double alpha, double beta) {
  return alpha * J_content + beta * J_style;
}

Tensor<4> compute_content_cost_backward(const Tensor<4>& a_C,
                                        const Tensor<4>& a_G) {
  CheckSameShape(a_C, a_G, "compute_content_cost_backward: a_C and a_G");
  // J = Σ (a_C - a_G)² / (4 n_H n_W n_C), so
  // ∂J/∂a_G = -2 (a_C - a_G) / (4 n_H n_W n_C).
  const double n_H = static_cast<double>(a_G.dimension(1));
  const double n_W = static_cast<double>(a_G.dimension(2));
  const double n_C = static_cast<double>(a_G.dimension(3));
  return (a_G - a_C) / (2.0 * n_H * n_W * n_C);
}

Tensor<4> compute_layer_style_cost_backward(const Tensor<4>& a_S,
                                            const Tensor<4>& a_G) {
  CheckSameShape(a_S, a_G, "compute_layer_style_cost_backward: a_S and a_G");
  const Index n_H = a_G.dimension(1), n_W = a_G.dimension(2);
  const Index n_C = a_G.dimension(3);
  const double n_HW = static_cast<double>(n_H * n_W);
  const double C = static_cast<double>(n_C);
  const Matrix A_G = Unroll(a_G);  // (n_C, n_H n_W)
  const Matrix GS = reference::gram_matrix(Unroll(a_S));
  const Matrix GG = reference::gram_matrix(A_G);
  // In the forward pass: J = Σ (GS - GG)² / (4 n_C² (n_H n_W)²), GG = A Aᵀ.
  // ∂J/∂GG = -2 (GS - GG) / (4 n_C² (n_H n_W)²), and for a symmetric ∂J/∂GG,
  // ∂J/∂A = 2 ∂J/∂GG A.
  const Matrix dA = (GG - GS) * A_G / (C * C * n_HW * n_HW);
  // Roll back up: dA (n_C, n_H n_W) -> transpose (n_H n_W, n_C), stored
  // row by row in the (1, n_H, n_W, n_C) tensor.
  Tensor<4> da_G(1, n_H, n_W, n_C);
  Eigen::Map<RowMajorMatrix>(da_G.data(), n_H * n_W, n_C) = dA.transpose();
  return da_G;
}

}  // namespace reference
}  // namespace detection_and_style
