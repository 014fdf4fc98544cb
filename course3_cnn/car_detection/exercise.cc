// Your solutions to course3_cnn/car_detection. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course3_cnn/car_detection/...
// The formulas and shapes are in car_detection.h and README.md.

#include <algorithm>
#include <cmath>
#include <vector>

#include "common/grading/not_implemented.h"
#include "course3_cnn/car_detection/car_detection.h"

namespace car_detection {

YoloOutputs yolo_head(const Tensor<4>& feats, const Matrix& anchors,
                      int num_classes) {
  // TODO: S_H = feats.dimension(0), S_W = feats.dimension(1), A =
  //       feats.dimension(2); make the four tensors (S_H, S_W, A, 2 / 2 / 1 /
  //       num_classes); for every row i, column j and anchor a:
  //         box_xy = ((sigmoid(t_x) + j) / S_W, (sigmoid(t_y) + i) / S_H)
  //         box_wh = (exp(t_w) anchors(a, 0) / S_W, exp(t_h) anchors(a, 1) /
  //         S_H) box_confidence = sigmoid(t_o); box_class_probs =
  //         softmax(feats(i, j, a, 5 ..)).   (≈30 lines)
  //   Hint: subtract the largest class logit before std::exp.
  return dl::not_implemented<YoloOutputs>("yolo_head");
}

YoloTargets preprocess_true_boxes(const Matrix& true_boxes,
                                  const Matrix& anchors, int S) {
  // TODO: both tensors of zeros ((S, S, A, 1) and (S, S, A, 5): .setZero());
  //       for each row (x, y, w, h, class): scale x, y, w, h by S;
  //       i = floor(y), j = floor(x); the anchor of best shape IoU;
  //       detectors_mask(i, j, a, 0) = 1; matching_true_boxes(i, j, a, :) =
  //       (x - j, y - i, log(w / anchor_w), log(h / anchor_h), class).
  //   (≈30 lines)
  return dl::not_implemented<YoloTargets>("preprocess_true_boxes");
}

ScoredBoxes predict(Model& model, const Picture& picture, const Matrix& anchors,
                    int num_classes, const ImageShape& image_shape,
                    int max_boxes, double score_threshold,
                    double iou_threshold) {
  // TODO: a batch of one: nn::Shape batch = picture.shape();
  //       batch.insert(batch.begin(), 1); nn::Array<float> x(batch);
  //       x.vec() = picture.vec(); out = model.Predict(x);
  //       Tensor<4> feats(S, S, A, 5 + num_classes), the numbers of out
  //       copied in order (std::copy); yolo_head; then
  //       detection_and_style::reference::yolo_eval(...).   (≈15 lines)
  return dl::not_implemented<ScoredBoxes>("predict");
}

double average_precision(const std::vector<ScoredBoxes>& detections,
                         const std::vector<TrueBoxes>& truths, int class_id,
                         double iou_threshold) {
  // TODO: npos = the true boxes of class_id (0: return 0); a matched flag
  //       per true box; the detections of class_id as (score, picture, row),
  //       std::stable_sort by descending score; for each: the true box of
  //       class_id in its picture with the largest
  //       detection_and_style::reference::iou; TP if iou >= iou_threshold
  //       and not matched yet (then matched), else FP; precision and recall
  //       after each; precision made non-increasing from the right;
  //       AP = sum (recall_k - recall_{k-1}) precision_k.   (≈45 lines)
  return dl::not_implemented<double>("average_precision");
}

double mean_average_precision(const std::vector<ScoredBoxes>& detections,
                              const std::vector<TrueBoxes>& truths,
                              int num_classes, double iou_threshold) {
  // TODO: the mean of average_precision(detections, truths, c,
  //       iou_threshold) over the classes c that have a true box somewhere.
  //   (≈15 lines)
  return dl::not_implemented<double>("mean_average_precision");
}

}  // namespace car_detection
