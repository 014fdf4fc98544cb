// The reference solution of course3_cnn/car_detection, written with the
// course's steps and names (yad2k's yolo_head and preprocess_true_boxes, the
// course's predict), and PASCAL VOC's average precision.

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "course3_cnn/car_detection/car_detection.h"

namespace car_detection {
namespace reference {

namespace {

double Sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

Box RowBox(const Matrix& boxes, Index k) {
  return {boxes(k, 0), boxes(k, 1), boxes(k, 2), boxes(k, 3)};
}

}  // namespace

YoloOutputs yolo_head(const Tensor<4>& feats, const Matrix& anchors,
                      int num_classes) {
  const Index S_H = feats.dimension(0), S_W = feats.dimension(1);
  const Index A = feats.dimension(2), C = num_classes;
  if (feats.dimension(3) != 5 + C || anchors.rows() != A ||
      anchors.cols() != 2) {
    throw std::invalid_argument("yolo_head: feats " + dl::shape_string(feats) +
                                ", anchors " + dl::shape_string(anchors) +
                                ", " + std::to_string(C) + " classes");
  }
  YoloOutputs out;
  out.box_xy = Tensor<4>(S_H, S_W, A, 2);
  out.box_wh = Tensor<4>(S_H, S_W, A, 2);
  out.box_confidence = Tensor<4>(S_H, S_W, A, 1);
  out.box_class_probs = Tensor<4>(S_H, S_W, A, C);
  for (Index i = 0; i < S_H; ++i) {
    for (Index j = 0; j < S_W; ++j) {
      for (Index a = 0; a < A; ++a) {
        // box_xy = (sigmoid(t_xy) + conv_index) / conv_dims
        out.box_xy(i, j, a, 0) = (Sigmoid(feats(i, j, a, 0)) + j) / S_W;
        out.box_xy(i, j, a, 1) = (Sigmoid(feats(i, j, a, 1)) + i) / S_H;
        // box_wh = exp(t_wh) * anchors / conv_dims
        out.box_wh(i, j, a, 0) =
            std::exp(feats(i, j, a, 2)) * anchors(a, 0) / S_W;
        out.box_wh(i, j, a, 1) =
            std::exp(feats(i, j, a, 3)) * anchors(a, 1) / S_H;
        out.box_confidence(i, j, a, 0) = Sigmoid(feats(i, j, a, 4));
        // softmax over the classes, its largest logit subtracted first
        double largest = feats(i, j, a, 5);
        for (Index c = 1; c < C; ++c) {
          largest = std::max(largest, feats(i, j, a, 5 + c));
        }
        double sum = 0;
        for (Index c = 0; c < C; ++c) {
          const double e = std::exp(feats(i, j, a, 5 + c) - largest);
          out.box_class_probs(i, j, a, c) = e;
          sum += e;
        }
        for (Index c = 0; c < C; ++c) out.box_class_probs(i, j, a, c) /= sum;
      }
    }
  }
  return out;
}

YoloTargets preprocess_true_boxes(const Matrix& true_boxes,
                                  const Matrix& anchors, int S) {
  const Index A = anchors.rows();
  YoloTargets t;
  t.detectors_mask = Tensor<4>(S, S, A, 1);
  t.detectors_mask.setZero();
  t.matching_true_boxes = Tensor<4>(S, S, A, 5);
  t.matching_true_boxes.setZero();
  for (Index n = 0; n < true_boxes.rows(); ++n) {
    // The box in grid units.
    const double x = true_boxes(n, 0) * S, y = true_boxes(n, 1) * S;
    const double w = true_boxes(n, 2) * S, h = true_boxes(n, 3) * S;
    const Index i = std::min<Index>(static_cast<Index>(std::floor(y)), S - 1);
    const Index j = std::min<Index>(static_cast<Index>(std::floor(x)), S - 1);
    // The anchor of best IoU, box and anchor centred at the origin.
    double best_iou = 0;
    Index best_anchor = 0;
    for (Index k = 0; k < A; ++k) {
      const double intersect_area =
          std::min(w, anchors(k, 0)) * std::min(h, anchors(k, 1));
      const double box_area = w * h;
      const double anchor_area = anchors(k, 0) * anchors(k, 1);
      const double iou =
          intersect_area / (box_area + anchor_area - intersect_area);
      if (iou > best_iou) {
        best_iou = iou;
        best_anchor = k;
      }
    }
    if (best_iou > 0) {
      t.detectors_mask(i, j, best_anchor, 0) = 1;
      t.matching_true_boxes(i, j, best_anchor, 0) = x - j;
      t.matching_true_boxes(i, j, best_anchor, 1) = y - i;
      t.matching_true_boxes(i, j, best_anchor, 2) =
          std::log(w / anchors(best_anchor, 0));
      t.matching_true_boxes(i, j, best_anchor, 3) =
          std::log(h / anchors(best_anchor, 1));
      t.matching_true_boxes(i, j, best_anchor, 4) = true_boxes(n, 4);
    }
  }
  return t;
}

ScoredBoxes predict(Model& model, const Picture& picture, const Matrix& anchors,
                    int num_classes, const ImageShape& image_shape,
                    int max_boxes, double score_threshold,
                    double iou_threshold) {
  // The picture as a batch of one: (1, n_H, n_W, 3).
  nn::Shape batch = picture.shape();
  batch.insert(batch.begin(), 1);
  nn::Array<float> image_data(batch);
  image_data.vec() = picture.vec();
  const nn::Array<float> yolo_model_outputs = model.Predict(image_data);
  // (1, S, S, A (5 + C)) seen as (S, S, A, 5 + C).
  const Index S_H = yolo_model_outputs.dim(1), S_W = yolo_model_outputs.dim(2);
  const Index A = anchors.rows();
  Tensor<4> feats(S_H, S_W, A, 5 + num_classes);
  if (feats.size() != yolo_model_outputs.size()) {
    throw std::invalid_argument("predict: the model's output " +
                                nn::ShapeString(yolo_model_outputs.shape()) +
                                " is not (1, S, S, " + std::to_string(A) +
                                " * " + std::to_string(5 + num_classes) + ")");
  }
  std::copy(yolo_model_outputs.data(),
            yolo_model_outputs.data() + yolo_model_outputs.size(),
            feats.data());
  const YoloOutputs yolo_outputs = yolo_head(feats, anchors, num_classes);
  return detection_and_style::reference::yolo_eval(
      yolo_outputs, image_shape, max_boxes, score_threshold, iou_threshold);
}

double average_precision(const std::vector<ScoredBoxes>& detections,
                         const std::vector<TrueBoxes>& truths, int class_id,
                         double iou_threshold) {
  if (detections.size() != truths.size()) {
    throw std::invalid_argument(
        "average_precision: " + std::to_string(detections.size()) +
        " pictures of detections, " + std::to_string(truths.size()) +
        " of true boxes");
  }
  // The true boxes of the class, and whether each is matched yet.
  int npos = 0;
  std::vector<std::vector<bool>> matched(truths.size());
  for (size_t p = 0; p < truths.size(); ++p) {
    matched[p].assign(truths[p].classes.size(), false);
    for (int c : truths[p].classes) npos += c == class_id;
  }
  if (npos == 0) return 0;
  // 1. The detections of the class, by descending score.
  struct Detection {
    double score;
    size_t picture;
    Index row;
  };
  std::vector<Detection> list;
  for (size_t p = 0; p < detections.size(); ++p) {
    const ScoredBoxes& d = detections[p];
    for (Index k = 0; k < d.scores.size(); ++k) {
      if (d.classes[k] == class_id) list.push_back({d.scores(k), p, k});
    }
  }
  std::stable_sort(
      list.begin(), list.end(),
      [](const Detection& a, const Detection& b) { return a.score > b.score; });
  // 2. and 3. True and false positives, precision and recall.
  std::vector<double> precision, recall;
  int tp = 0;
  for (size_t k = 0; k < list.size(); ++k) {
    const Detection& d = list[k];
    const TrueBoxes& truth = truths[d.picture];
    const Box box = RowBox(detections[d.picture].boxes, d.row);
    double best_iou = -1;
    int best = -1;
    for (size_t t = 0; t < truth.classes.size(); ++t) {
      if (truth.classes[t] != class_id) continue;
      const double iou = detection_and_style::reference::iou(
          box, RowBox(truth.boxes, static_cast<Index>(t)));
      if (iou > best_iou) {
        best_iou = iou;
        best = static_cast<int>(t);
      }
    }
    if (best >= 0 && best_iou >= iou_threshold && !matched[d.picture][best]) {
      matched[d.picture][best] = true;
      ++tp;
    }
    precision.push_back(static_cast<double>(tp) / (k + 1));
    recall.push_back(static_cast<double>(tp) / npos);
  }
  // 4. The precision made non-increasing from the right, then the area.
  for (size_t k = precision.size(); k-- > 1;) {
    precision[k - 1] = std::max(precision[k - 1], precision[k]);
  }
  double ap = 0, previous_recall = 0;
  for (size_t k = 0; k < precision.size(); ++k) {
    ap += (recall[k] - previous_recall) * precision[k];
    previous_recall = recall[k];
  }
  return ap;
}

double mean_average_precision(const std::vector<ScoredBoxes>& detections,
                              const std::vector<TrueBoxes>& truths,
                              int num_classes, double iou_threshold) {
  double sum = 0;
  int present = 0;
  for (int c = 0; c < num_classes; ++c) {
    bool has_truth = false;
    for (const TrueBoxes& t : truths) {
      has_truth = has_truth || std::find(t.classes.begin(), t.classes.end(),
                                         c) != t.classes.end();
    }
    if (!has_truth) continue;
    sum += reference::average_precision(detections, truths, c, iou_threshold);
    ++present;
  }
  return present == 0 ? 0 : sum / present;
}

}  // namespace reference
}  // namespace car_detection
