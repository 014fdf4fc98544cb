// Grades course3_cnn/car_detection: yolo_head and preprocess_true_boxes on
// small examples worked by hand and against the reference on seeded inputs
// (the course's 19x19x5x85 output among them); predict against the
// reference on an untrained detector with seeded weights; average_precision
// and mean_average_precision on hand-built cases (a perfect detector, a
// duplicate, a box in another picture, IoU exactly 0.5, ...) and against the
// reference on seeded detections.
//
// The course has no printed values for these functions (its yolo_head and
// preprocess_true_boxes come with yad2k, its predict runs YOLOv2), so the
// literal values here are ours, worked by hand.

#include "course3_cnn/car_detection/car_detection.h"

#include <array>
#include <cmath>
#include <initializer_list>
#include <string>
#include <tuple>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "course3_cnn/car_detection/detector.h"
#include "course3_cnn/car_detection/graded.h"  // see tools/unit.bzl
#include "course3_cnn/car_detection/scenes.h"
#include "gtest/gtest.h"

namespace reference = car_detection::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
using car_detection::ImageShape;
using car_detection::Index;
using car_detection::ScoredBoxes;
using car_detection::TrueBoxes;
using car_detection::YoloOutputs;
using car_detection::YoloTargets;
using dl::Matrix;
using dl::RandomState;
using dl::Vector;
template <int N>
using Tensor = dl::Tensor<N>;
using Dims4 = std::array<Index, 4>;

// The course's model_data/yolo_anchors.txt: (w, h) in grid cells.
Matrix CourseAnchors() {
  Matrix a(5, 2);
  a << 0.57273, 0.677385, 1.87446, 2.06253, 3.33843, 5.47434, 7.88282, 3.52778,
      9.77052, 9.16828;
  return a;
}

// Anchors like the detector's (the program prints its own).
Matrix OurAnchors() {
  Matrix a(3, 2);
  a << 0.99, 0.73, 0.67, 2.10, 1.99, 1.07;
  return a;
}

Tensor<4> Zeros(const Dims4& dims) {
  Tensor<4> t(dims);
  t.setZero();
  return t;
}

// The four outputs of yolo_head, each compared with the expected one.
void ExpectSameOutputs(const YoloOutputs& got, const YoloOutputs& want,
                       Tolerance tol, const std::string& what) {
  const std::string f = "yolo_head";
  EXPECT_TRUE(Near(f, what + ": box_xy", got.box_xy, want.box_xy, tol,
                   "box_xy(i, j, a, 0) = (sigmoid(t_x) + j) / S: x goes with "
                   "the COLUMN j, y with the row i"));
  EXPECT_TRUE(Near(f, what + ": box_wh", got.box_wh, want.box_wh, tol,
                   "box_wh = exp(t_wh) * anchors(a, :) / S: anchor a's (w, "
                   "h), divided by the grid size"));
  EXPECT_TRUE(Near(f, what + ": box_confidence", got.box_confidence,
                   want.box_confidence, tol,
                   "box_confidence = sigmoid(feats(i, j, a, 4))"));
  EXPECT_TRUE(Near(f, what + ": box_class_probs", got.box_class_probs,
                   want.box_class_probs, tol,
                   "softmax over feats(i, j, a, 5 ..): exp of each, divided by "
                   "their sum (subtract the largest first)"));
}

// ================================================================ yolo_head
TEST(YoloHead, HandExample) {
  // A 2 x 2 grid, one anchor (w, h) = (2, 1) cells, two classes. Every
  // number 0, but for: cell (1, 0) t_x = log 3 (sigmoid 0.75); cell (0, 1)
  // t_w = log 2; cell (1, 1) class logits (0, log 3) (softmax 0.25, 0.75)
  // and t_o = log 3.
  Tensor<4> feats = Zeros({2, 2, 1, 7});
  feats(1, 0, 0, 0) = std::log(3.0);
  feats(0, 1, 0, 2) = std::log(2.0);
  feats(1, 1, 0, 6) = std::log(3.0);
  feats(1, 1, 0, 4) = std::log(3.0);
  Matrix anchors(1, 2);
  anchors << 2, 1;
  YoloOutputs want;
  want.box_xy = Tensor<4>(2, 2, 1, 2);
  want.box_wh = Tensor<4>(2, 2, 1, 2);
  want.box_confidence = Tensor<4>(2, 2, 1, 1);
  want.box_class_probs = Tensor<4>(2, 2, 1, 2);
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 2; ++j) {
      want.box_xy(i, j, 0, 0) = (0.5 + j) / 2;
      want.box_xy(i, j, 0, 1) = (0.5 + i) / 2;
      want.box_wh(i, j, 0, 0) = 1;  // exp(0) * 2 / 2
      want.box_wh(i, j, 0, 1) = 0.5;
      want.box_confidence(i, j, 0, 0) = 0.5;
      want.box_class_probs(i, j, 0, 0) = 0.5;
      want.box_class_probs(i, j, 0, 1) = 0.5;
    }
  }
  want.box_xy(1, 0, 0, 0) = 0.375;  // (0.75 + column 0) / 2
  want.box_wh(0, 1, 0, 0) = 2;      // exp(log 2) * 2 / 2
  want.box_class_probs(1, 1, 0, 0) = 0.25;
  want.box_class_probs(1, 1, 0, 1) = 0.75;
  want.box_confidence(1, 1, 0, 0) = 0.75;
  auto got =
      Call("yolo_head", [&] { return graded::yolo_head(feats, anchors, 2); });
  if (!got) return;
  ExpectSameOutputs(*got, want, kCourseValues, "a 2 x 2 grid by hand");
}

TEST(YoloHead, MatchesReferenceOnOtherShapes) {
  RandomState rng(1);
  struct Case {
    Dims4 dims;
    Matrix anchors;
  };
  const std::vector<Case> cases = {
      {{19, 19, 5, 85}, CourseAnchors()},  // the course's YOLOv2 output
      {{8, 8, 3, 8}, OurAnchors()},        // our detector's
      {{1, 1, 1, 6}, Matrix::Constant(1, 2, 0.5)},
      {{3, 3, 2, 9}, OurAnchors().topRows(2)},
  };
  for (const Case& c : cases) {
    const Tensor<4> feats = rng.randn_tensor<4>(c.dims) * 2.0;
    const int C = static_cast<int>(c.dims[3] - 5);
    auto got = Call("yolo_head",
                    [&] { return graded::yolo_head(feats, c.anchors, C); });
    if (!got) return;
    const YoloOutputs want = reference::yolo_head(feats, c.anchors, C);
    ASSERT_TRUE(HasShape("yolo_head", "box_class_probs", got->box_class_probs,
                         Dims4{c.dims[0], c.dims[1], c.dims[2], C},
                         "(S, S, A, C): one probability per class"));
    ExpectSameOutputs(*got, want, kReference,
                      "feats " + dl::shape_string(feats));
  }
}

TEST(YoloHead, LargeLogitsStayFinite) {
  // Class logits of 1000: exp(1000) overflows unless the largest logit is
  // subtracted before the exponential.
  Tensor<4> feats = Zeros({1, 2, 1, 8});
  feats(0, 0, 0, 5) = 1000;
  feats(0, 0, 0, 6) = 999;
  feats(0, 1, 0, 7) = -1000;
  auto got = Call("yolo_head", [&] {
    return graded::yolo_head(feats, OurAnchors().topRows(1), 3);
  });
  if (!got) return;
  EXPECT_TRUE(Near(
      "yolo_head", "box_class_probs for logits (1000, 999, 0)",
      got->box_class_probs,
      reference::yolo_head(feats, OurAnchors().topRows(1), 3).box_class_probs,
      kReference,
      "softmax(t) = exp(t - max t) / sum exp(t - max t): the "
      "same numbers, without exp(1000) = inf"));
}

// ==================================================== preprocess_true_boxes
void ExpectSameTargets(const YoloTargets& got, const YoloTargets& want,
                       const std::string& what) {
  const std::string f = "preprocess_true_boxes";
  EXPECT_TRUE(Near(f, what + ": detectors_mask", got.detectors_mask,
                   want.detectors_mask, kReference,
                   "row i = floor(y S), column j = floor(x S), the anchor of "
                   "best IoU by shape (both centred at the origin)"));
  EXPECT_TRUE(Near(f, what + ": matching_true_boxes", got.matching_true_boxes,
                   want.matching_true_boxes, kReference,
                   "(x S - j, y S - i, log(w S / anchor_w), log(h S / "
                   "anchor_h), class): the box in GRID units first"));
}

TEST(PreprocessTrueBoxes, HandExample) {
  // A 4 x 4 grid, anchors (1, 1) and (1, 3) cells.
  //   box 1: (x, y, w, h) = (0.30, 0.60, 0.25, 0.70), class 2: in grid units
  //     (1.2, 2.4, 1, 2.8): cell (2, 1); IoU with the anchors 1/2.8 and
  //     2.8/3: anchor 1; target (0.2, 0.4, log 1, log(2.8 / 3), 2).
  //   box 2: (0.90, 0.10, 0.20, 0.20), class 0: (3.6, 0.4, 0.8, 0.8): cell
  //     (0, 3); IoU 0.64 and 0.64/3: anchor 0; target (0.6, 0.4, log 0.8,
  //     log 0.8, 0).
  Matrix true_boxes(2, 5);
  true_boxes << 0.30, 0.60, 0.25, 0.70, 2, 0.90, 0.10, 0.20, 0.20, 0;
  Matrix anchors(2, 2);
  anchors << 1, 1, 1, 3;
  YoloTargets want;
  want.detectors_mask = Zeros({4, 4, 2, 1});
  want.matching_true_boxes = Zeros({4, 4, 2, 5});
  want.detectors_mask(2, 1, 1, 0) = 1;
  want.detectors_mask(0, 3, 0, 0) = 1;
  const double box1[5] = {0.2, 0.4, 0.0, std::log(2.8 / 3), 2};
  const double box2[5] = {0.6, 0.4, std::log(0.8), std::log(0.8), 0};
  for (int k = 0; k < 5; ++k) {
    want.matching_true_boxes(2, 1, 1, k) = box1[k];
    want.matching_true_boxes(0, 3, 0, k) = box2[k];
  }
  auto got = Call("preprocess_true_boxes", [&] {
    return graded::preprocess_true_boxes(true_boxes, anchors, 4);
  });
  if (!got) return;
  ASSERT_TRUE(HasShape("preprocess_true_boxes", "detectors_mask",
                       got->detectors_mask, Dims4{4, 4, 2, 1}, "(S, S, A, 1)"));
  ASSERT_TRUE(HasShape("preprocess_true_boxes", "matching_true_boxes",
                       got->matching_true_boxes, Dims4{4, 4, 2, 5},
                       "(S, S, A, 5): x, y, w, h and the class"));
  EXPECT_TRUE(Near("preprocess_true_boxes", "detectors_mask, two boxes by hand",
                   got->detectors_mask, want.detectors_mask, kCourseValues,
                   "box 1 belongs to cell (2, 1) (row from y, column from x), "
                   "anchor 1 (the tall one)"));
  EXPECT_TRUE(
      Near("preprocess_true_boxes", "matching_true_boxes, two boxes by hand",
           got->matching_true_boxes, want.matching_true_boxes, kCourseValues,
           "box 1's target is (0.2, 0.4, log(1 / 1), log(2.8 / 3), "
           "2): offsets inside the cell, log of size over anchor"));
}

TEST(PreprocessTrueBoxes, MatchesReferenceOnRandomBoxes) {
  RandomState rng(2);
  for (const auto& [S, anchors, n] :
       std::vector<std::tuple<int, Matrix, int>>{{8, OurAnchors(), 6},
                                                 {19, CourseAnchors(), 10},
                                                 {8, OurAnchors(), 1},
                                                 {4, OurAnchors(), 0}}) {
    Matrix true_boxes(n, 5);
    for (int k = 0; k < n; ++k) {
      const double w = rng.uniform(0.03, 0.5), h = rng.uniform(0.03, 0.5);
      true_boxes.row(k) << rng.uniform(0.01, 0.99), rng.uniform(0.01, 0.99), w,
          h, static_cast<double>(rng.randint(0, 3));
    }
    auto got = Call("preprocess_true_boxes", [&] {
      return graded::preprocess_true_boxes(true_boxes, anchors, S);
    });
    if (!got) return;
    ExpectSameTargets(*got,
                      reference::preprocess_true_boxes(true_boxes, anchors, S),
                      std::to_string(n) + " boxes on a " + std::to_string(S) +
                          " x " + std::to_string(S) + " grid");
  }
}

// ================================================================== predict
testing::AssertionResult SameBoxes(const std::string& what,
                                   const ScoredBoxes& got,
                                   const ScoredBoxes& want) {
  const std::string f = "predict";
  const Index n = want.scores.size();
  if (got.scores.size() != n || got.boxes.rows() != n ||
      static_cast<Index>(got.classes.size()) != n) {
    return testing::AssertionFailure()
           << f << ": " << what << ": " << got.scores.size() << " scores, "
           << got.boxes.rows() << " boxes and " << got.classes.size()
           << " classes, expected " << n << " of each\n    hint: the "
           << "picture as a batch of one through model.Predict (inference: "
           << "batch norm's moving averages), its output seen as (S, S, A, 5 "
           << "+ C), yolo_head, then yolo_eval with the arguments as given";
  }
  testing::AssertionResult scores =
      Near(f, what + ": out_scores", Matrix(got.scores), Matrix(want.scores),
           {1e-9, 1e-7},
           "model.Predict(x) (inference: batch norm uses its moving "
           "averages; Forward(x, true) would use the batch's), then the "
           "output's numbers in their order as (S, S, A, 5 + C)");
  if (!scores) return scores;
  testing::AssertionResult boxes =
      Near(f, what + ": out_boxes", got.boxes, want.boxes, {1e-7, 1e-7},
           "yolo_eval scales the boxes to image_shape");
  if (!boxes) return boxes;
  if (got.classes != want.classes) {
    return testing::AssertionFailure()
           << f << ": " << what << ": out_classes differ";
  }
  return testing::AssertionSuccess();
}

TEST(Predict, MatchesReferenceOnAnUntrainedDetector) {
  // Seeded weights, no training: the boxes are poor, but the pipeline is
  // the same. A low score threshold keeps a few.
  car_detection::Model model = car_detection::make_detector(5);
  const car_detection::Scenes scenes = car_detection::generate_scenes(
      car_detection::kFirstTestScene, 3, car_detection::kSceneSize);
  struct Case {
    int scene;
    ImageShape shape;
    int max_boxes;
    double score_threshold, iou_threshold;
  };
  // (Its confidences start near sigmoid(-4) = 0.018, so its scores are
  // below 0.02: thresholds 0 and 0.005 keep some.)
  for (const Case& c : std::vector<Case>{{0, {256, 256}, 10, 0.0, 0.5},
                                         {1, {64, 128}, 4, 0.005, 0.3},
                                         {2, {720, 1280}, 10, 0.9, 0.5}}) {
    const car_detection::Picture picture = scenes.picture(c.scene);
    auto got = Call("predict", [&] {
      return graded::predict(model, picture, OurAnchors(), 3, c.shape,
                             c.max_boxes, c.score_threshold, c.iou_threshold);
    });
    if (!got) return;
    const ScoredBoxes want =
        reference::predict(model, picture, OurAnchors(), 3, c.shape,
                           c.max_boxes, c.score_threshold, c.iou_threshold);
    if (c.score_threshold < 0.5) {
      ASSERT_GT(want.scores.size(), 0) << "the test's own setup: no box";
    }
    EXPECT_TRUE(SameBoxes("scene " + std::to_string(c.scene) +
                              ", score threshold " +
                              dl::repr(c.score_threshold),
                          *got, want));
  }
}

// ======================================================== average_precision
// Detections of one picture: rows (score, class, y_min, x_min, y_max, x_max).
ScoredBoxes Detections(std::initializer_list<std::array<double, 6>> rows) {
  ScoredBoxes d;
  d.scores.resize(static_cast<Index>(rows.size()));
  d.boxes.resize(static_cast<Index>(rows.size()), 4);
  Index k = 0;
  for (const auto& r : rows) {
    d.scores(k) = r[0];
    d.classes.push_back(static_cast<int>(r[1]));
    d.boxes.row(k++) << r[2], r[3], r[4], r[5];
  }
  return d;
}

// True boxes of one picture: rows (class, y_min, x_min, y_max, x_max).
TrueBoxes Truths(std::initializer_list<std::array<double, 5>> rows) {
  TrueBoxes t;
  t.boxes.resize(static_cast<Index>(rows.size()), 4);
  Index k = 0;
  for (const auto& r : rows) {
    t.classes.push_back(static_cast<int>(r[0]));
    t.boxes.row(k++) << r[1], r[2], r[3], r[4];
  }
  return t;
}

// Two objects of class 0 in picture 0, A and B, far apart.
const std::array<double, 4> kA = {0, 0, 10, 10}, kB = {20, 20, 30, 30};

void ExpectAp(const std::vector<ScoredBoxes>& detections,
              const std::vector<TrueBoxes>& truths, int class_id, double want,
              const std::string& what, const std::string& hint) {
  auto got = Call("average_precision", [&] {
    return graded::average_precision(detections, truths, class_id, 0.5);
  });
  if (!got) return;
  EXPECT_TRUE(Near("average_precision", what, *got, want, kCourseValues, hint));
}

TEST(AveragePrecision, APerfectDetectorScoresOne) {
  ExpectAp({Detections({{0.9, 0, kA[0], kA[1], kA[2], kA[3]},
                        {0.8, 0, kB[0], kB[1], kB[2], kB[3]}})},
           {Truths({{0, kA[0], kA[1], kA[2], kA[3]},
                    {0, kB[0], kB[1], kB[2], kB[3]}})},
           0, 1.0, "both objects found, nothing else",
           "precision 1 at every recall: AP = 1");
}

TEST(AveragePrecision, ADuplicateIsAFalsePositive) {
  // 0.9 on A (TP), 0.8 on A again (FP: A is taken), 0.7 on B (TP):
  // precision 1, 1/2, 2/3 at recall 1/2, 1/2, 1: AP = 1/2 + 1/2 * 2/3.
  ExpectAp({Detections({{0.9, 0, kA[0], kA[1], kA[2], kA[3]},
                        {0.8, 0, kA[0], kA[1], kA[2], kA[3]},
                        {0.7, 0, kB[0], kB[1], kB[2], kB[3]}})},
           {Truths({{0, kA[0], kA[1], kA[2], kA[3]},
                    {0, kB[0], kB[1], kB[2], kB[3]}})},
           0, 0.5 + 0.5 * 2.0 / 3.0, "a second box on object A",
           "a true box is matched ONCE: the second detection on it is a "
           "false positive");
}

TEST(AveragePrecision, PrecisionIsMadeNonIncreasing) {
  // FP (0.9, nowhere), TP (0.8 on A), TP (0.7 on B): precision 0, 1/2, 2/3
  // at recall 0, 1/2, 1. Made non-increasing from the right: 2/3, 2/3, 2/3:
  // AP = 2/3 (0.5833 without that step).
  ExpectAp({Detections({{0.9, 0, 50, 50, 60, 60},
                        {0.8, 0, kA[0], kA[1], kA[2], kA[3]},
                        {0.7, 0, kB[0], kB[1], kB[2], kB[3]}})},
           {Truths({{0, kA[0], kA[1], kA[2], kA[3]},
                    {0, kB[0], kB[1], kB[2], kB[3]}})},
           0, 2.0 / 3.0, "a false positive first",
           "before the area, p_k = max(precision_k, ..., precision_last); "
           "AP = sum (recall_k - recall_{k-1}) p_k");
}

TEST(AveragePrecision, SortsByScoreOverAllPictures) {
  // Picture 0: A found with 0.6. Picture 1: a false box with 0.9 and its
  // object C found with 0.7. Sorted: FP 0.9, TP 0.7, TP 0.6: precision 0,
  // 1/2, 2/3: AP 2/3. (Picture by picture it would be 1/2 + 1/2 * 2/3.)
  ExpectAp({Detections({{0.6, 0, kA[0], kA[1], kA[2], kA[3]}}),
            Detections({{0.9, 0, 50, 50, 60, 60},
                        {0.7, 0, kB[0], kB[1], kB[2], kB[3]}})},
           {Truths({{0, kA[0], kA[1], kA[2], kA[3]}}),
            Truths({{0, kB[0], kB[1], kB[2], kB[3]}})},
           0, 2.0 / 3.0, "two pictures",
           "the detections of ALL pictures in one list, by descending score");
}

TEST(AveragePrecision, OnlyItsClassAndItsPicture) {
  // Class 1's box on A does not count for class 0; class 0's box at B's
  // place in picture 1 matches nothing (B is in picture 0).
  ExpectAp({Detections({{0.9, 1, kA[0], kA[1], kA[2], kA[3]},
                        {0.8, 0, kA[0], kA[1], kA[2], kA[3]}}),
            Detections({{0.95, 0, kB[0], kB[1], kB[2], kB[3]}})},
           {Truths({{0, kA[0], kA[1], kA[2], kA[3]},
                    {0, kB[0], kB[1], kB[2], kB[3]},
                    {1, 40, 40, 50, 50}}),
            Truths({})},
           0, 0.25,
           "FP (another picture), TP, and a detection of another class",
           "only detections and true boxes of class_id count, and a "
           "detection is compared with the true boxes of its OWN picture: "
           "precision 0 then 1/2 at recall 1/2: AP = 1/2 * 1/2");
}

TEST(AveragePrecision, IouThresholdIsInclusive) {
  // IoU exactly 0.5 (half of A) is a match; 0.49 is not.
  ExpectAp({Detections({{0.9, 0, 0, 0, 10, 5}})},
           {Truths({{0, kA[0], kA[1], kA[2], kA[3]}})}, 0, 1.0,
           "a box over half of A (IoU 0.5)", "TP when iou >= iou_threshold");
  ExpectAp({Detections({{0.9, 0, 0, 0, 10, 4.9}})},
           {Truths({{0, kA[0], kA[1], kA[2], kA[3]}})}, 0, 0.0,
           "a box over 49 % of A (IoU 0.49)",
           "below the threshold: a false positive");
}

TEST(AveragePrecision, MissedObjectsAndNoObjects) {
  // One of two objects found: recall stops at 1/2.
  ExpectAp({Detections({{0.9, 0, kA[0], kA[1], kA[2], kA[3]}})},
           {Truths({{0, kA[0], kA[1], kA[2], kA[3]},
                    {0, kB[0], kB[1], kB[2], kB[3]}})},
           0, 0.5, "B never found",
           "recall = TP / (ALL true boxes of the class), found or not");
  ExpectAp({Detections({{0.9, 2, kA[0], kA[1], kA[2], kA[3]}})},
           {Truths({{0, kA[0], kA[1], kA[2], kA[3]}})}, 2, 0.0,
           "a class with no true box", "no true box of the class: 0");
  ExpectAp({Detections({})}, {Truths({{0, kA[0], kA[1], kA[2], kA[3]}})}, 0,
           0.0, "no detections", "nothing found: 0");
}

// Seeded pictures: a few objects of 3 classes, and detections near some of
// them (with duplicates, wrong classes and strays), random scores.
void RandomPictures(RandomState& rng, int pictures,
                    std::vector<ScoredBoxes>* detections,
                    std::vector<TrueBoxes>* truths) {
  for (int p = 0; p < pictures; ++p) {
    const int n = static_cast<int>(rng.randint(0, 5));
    TrueBoxes t;
    t.boxes.resize(n, 4);
    std::vector<std::array<double, 6>> found;
    for (int k = 0; k < n; ++k) {
      const double y = rng.uniform(0, 200), x = rng.uniform(0, 200);
      const double h = rng.uniform(10, 60), w = rng.uniform(10, 60);
      t.boxes.row(k) << y, x, y + h, x + w;
      t.classes.push_back(static_cast<int>(rng.randint(0, 3)));
      const int copies = static_cast<int>(rng.randint(0, 3));
      for (int c = 0; c < copies; ++c) {
        const double dy = rng.uniform(-0.3, 0.3) * h;
        const double dx = rng.uniform(-0.3, 0.3) * w;
        const int cls = rng.random_sample() < 0.8
                            ? t.classes.back()
                            : static_cast<int>(rng.randint(0, 3));
        found.push_back({rng.random_sample(), static_cast<double>(cls), y + dy,
                         x + dx, y + dy + h, x + dx + w});
      }
    }
    const int strays = static_cast<int>(rng.randint(0, 3));
    for (int s = 0; s < strays; ++s) {
      const double y = rng.uniform(0, 200), x = rng.uniform(0, 200);
      found.push_back({rng.random_sample(),
                       static_cast<double>(rng.randint(0, 3)), y, x, y + 30,
                       x + 30});
    }
    ScoredBoxes d;
    d.scores.resize(static_cast<Index>(found.size()));
    d.boxes.resize(static_cast<Index>(found.size()), 4);
    for (size_t k = 0; k < found.size(); ++k) {
      d.scores(k) = found[k][0];
      d.classes.push_back(static_cast<int>(found[k][1]));
      d.boxes.row(k) << found[k][2], found[k][3], found[k][4], found[k][5];
    }
    detections->push_back(d);
    truths->push_back(t);
  }
}

TEST(AveragePrecision, MatchesReferenceOnSeededDetections) {
  for (uint32_t seed : {3u, 4u, 5u}) {
    RandomState rng(seed);
    std::vector<ScoredBoxes> detections;
    std::vector<TrueBoxes> truths;
    RandomPictures(rng, 6 + 4 * static_cast<int>(seed), &detections, &truths);
    for (int c = 0; c < 3; ++c) {
      for (double threshold : {0.5, 0.3}) {
        auto got = Call("average_precision", [&] {
          return graded::average_precision(detections, truths, c, threshold);
        });
        if (!got) return;
        EXPECT_TRUE(Near(
            "average_precision",
            "seed " + std::to_string(seed) + ", class " + std::to_string(c) +
                ", IoU threshold " + dl::repr(threshold),
            *got,
            reference::average_precision(detections, truths, c, threshold),
            kReference,
            "VOC's rules: one list by score; the true box of LARGEST IoU "
            "in the detection's picture and class; matched once"));
      }
    }
  }
}

// =================================================== mean_average_precision
TEST(MeanAveragePrecision, MeanOverTheClassesPresent) {
  // Class 0: A and B both found (AP 1). Class 1: one of two found (AP 0.5).
  // Class 2: no true box, one false detection: left out of the mean.
  const std::vector<ScoredBoxes> detections = {
      Detections({{0.9, 0, kA[0], kA[1], kA[2], kA[3]},
                  {0.8, 0, kB[0], kB[1], kB[2], kB[3]},
                  {0.7, 1, 40, 40, 50, 50},
                  {0.6, 2, 70, 70, 80, 80}})};
  const std::vector<TrueBoxes> truths = {
      Truths({{0, kA[0], kA[1], kA[2], kA[3]},
              {0, kB[0], kB[1], kB[2], kB[3]},
              {1, 40, 40, 50, 50},
              {1, 100, 100, 120, 120}})};
  auto got = Call("mean_average_precision", [&] {
    return graded::mean_average_precision(detections, truths, 3, 0.5);
  });
  if (!got) return;
  EXPECT_TRUE(Near("mean_average_precision", "APs 1, 0.5 and a class absent",
                   *got, 0.75, kCourseValues,
                   "the mean over the classes that have a true box: (1 + "
                   "0.5) / 2, not / 3"));
}

TEST(MeanAveragePrecision, MatchesReferenceOnSeededDetections) {
  for (uint32_t seed : {6u, 7u}) {
    RandomState rng(seed);
    std::vector<ScoredBoxes> detections;
    std::vector<TrueBoxes> truths;
    RandomPictures(rng, 10, &detections, &truths);
    for (int num_classes : {3, 2, 5}) {
      auto got = Call("mean_average_precision", [&] {
        return graded::mean_average_precision(detections, truths, num_classes,
                                              0.5);
      });
      if (!got) return;
      EXPECT_TRUE(Near(
          "mean_average_precision",
          "seed " + std::to_string(seed) + ", " + std::to_string(num_classes) +
              " classes",
          *got,
          reference::mean_average_precision(detections, truths, num_classes,
                                            0.5),
          kReference,
          "average_precision of each class 0 .. num_classes - 1 with a true "
          "box, then their mean"));
    }
  }
}

}  // namespace
