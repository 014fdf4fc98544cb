// Grades course3_cnn/detection_and_style: the course's literal test values
// (iou, triplet_loss, total_cost), small examples worked by hand, a seeded
// comparison with the reference solution on many shapes (the course's
// 19x19x5x80 YOLO output, non-square grids, one box, no box left), and
// finite-difference checks of the two style-transfer gradients.
//
// The course draws most of its test inputs with tf.random.normal, which
// cannot be reproduced here; those checks compare with the reference on
// inputs drawn from dl::RandomState instead.

#include "course3_cnn/detection_and_style/detection_and_style.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "course3_cnn/detection_and_style/graded.h"  // see tools/unit.bzl
#include "gtest/gtest.h"

namespace reference = detection_and_style::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
using detection_and_style::Box;
using detection_and_style::ImageShape;
using detection_and_style::Index;
using detection_and_style::kStyleLayers;
using detection_and_style::ScoredBoxes;
using detection_and_style::StyleLayer;
using detection_and_style::YoloOutputs;
using dl::Matrix;
using dl::matrix;
using dl::RandomState;
using dl::Vector;
template <int N>
using Tensor = dl::Tensor<N>;
using Dims4 = std::array<Index, 4>;

// ---------------------------------------------------------------- helpers

std::string Str(const Dims4& dims) {
  return dl::shape_string(std::vector<int64_t>(dims.begin(), dims.end()));
}

std::string Num(double x) { return dl::repr(x); }

// A tensor of the given shape with the given values in numpy's order.
Tensor<4> Tensor4(const Dims4& dims, std::initializer_list<double> values) {
  Tensor<4> t(dims);
  std::copy(values.begin(), values.end(), t.data());
  return t;
}

Tensor<4> Scaled(const Tensor<4>& t, double scale, double shift) {
  return t * scale + shift;
}

// The same n boxes: their number first, then scores, boxes and classes.
testing::AssertionResult SameBoxes(const std::string& function,
                                   const std::string& what,
                                   const ScoredBoxes& got,
                                   const ScoredBoxes& want, Tolerance tol,
                                   const std::string& hint) {
  const Index n = want.scores.size();
  const std::string h = hint.empty() ? "" : "\n    hint: " + hint;
  if (got.scores.size() != n) {
    return testing::AssertionFailure()
           << function << ": " << what << ": " << got.scores.size()
           << " boxes (scores has " << got.scores.size()
           << " entries), expected " << n << h;
  }
  if (got.boxes.rows() != n || got.boxes.cols() != 4 ||
      static_cast<Index>(got.classes.size()) != n) {
    return testing::AssertionFailure()
           << function << ": " << what << ": scores has " << n
           << " entries, but boxes has shape " << dl::shape_string(got.boxes)
           << " (expected (" << n << ", 4)) and classes " << got.classes.size()
           << " entries: keep the three together" << h;
  }
  testing::AssertionResult scores =
      Near(function, what + ": scores", Matrix(got.scores), Matrix(want.scores),
           tol, hint);
  if (!scores) return scores;
  testing::AssertionResult boxes =
      Near(function, what + ": boxes", got.boxes, want.boxes, tol, hint);
  if (!boxes) return boxes;
  for (Index k = 0; k < n; ++k) {
    if (got.classes[k] != want.classes[k]) {
      return testing::AssertionFailure()
             << function << ": " << what << ": classes[" << k << "] is "
             << got.classes[k] << ", expected " << want.classes[k] << h;
    }
  }
  return testing::AssertionSuccess();
}

// The values of a numpy softmax over the last axis of randn * spread: a
// class distribution per box that has a clear winner now and then.
Tensor<4> ClassProbs(RandomState& rng, const Dims4& dims, double spread) {
  Tensor<4> t = rng.randn_tensor<4>(dims) * spread;
  const Index C = dims[3];
  for (Index k = 0; k < t.size(); k += C) {
    double* p = t.data() + k;
    const double mx = *std::max_element(p, p + C);
    double sum = 0;
    for (Index c = 0; c < C; ++c) sum += (p[c] = std::exp(p[c] - mx));
    for (Index c = 0; c < C; ++c) p[c] /= sum;
  }
  return t;
}

// A plausible YOLO head output on an S1 x S2 grid: centres in [0, 1], sizes
// 0.02 to 0.32, confidences in [0, 1), softmax class probabilities.
YoloOutputs RandomYoloOutputs(RandomState& rng, Index S1, Index S2, Index A,
                              Index C) {
  YoloOutputs out;
  out.box_xy = rng.rand_tensor<4>({S1, S2, A, 2});
  out.box_wh = Scaled(rng.rand_tensor<4>({S1, S2, A, 2}), 0.3, 0.02);
  out.box_confidence = rng.rand_tensor<4>({S1, S2, A, 1});
  out.box_class_probs = ClassProbs(rng, {S1, S2, A, C}, 3.0);
  return out;
}

// n boxes (y_min, x_min, y_max, x_max) in clusters around a few centres,
// so that many overlap; distinct scores in [0, 1); classes 0..2.
struct Candidates {
  Vector scores;
  Matrix boxes;
  std::vector<int> classes;
};

Candidates RandomCandidates(RandomState& rng, Index n, Index clusters) {
  Candidates c;
  c.scores.resize(n);
  c.boxes.resize(n, 4);
  Matrix centres = rng.rand(std::max<Index>(clusters, 1), 4);
  for (Index k = 0; k < n; ++k) {
    const Index j = rng.randint(0, std::max<Index>(clusters, 1));
    const double y = centres(j, 0) + 0.04 * rng.standard_normal();
    const double x = centres(j, 1) + 0.04 * rng.standard_normal();
    const double h = 0.1 + 0.2 * centres(j, 2) + 0.02 * rng.standard_normal();
    const double w = 0.1 + 0.2 * centres(j, 3) + 0.02 * rng.standard_normal();
    c.boxes.row(k) << y - h / 2, x - w / 2, y + h / 2, x + w / 2;
    c.scores(k) = rng.random_sample();
    c.classes.push_back(static_cast<int>(rng.randint(0, 3)));
  }
  return c;
}

// One style-transfer layer: a (1, n_H, n_W, n_C) activation.
const std::vector<Dims4> kLayerShapes = {
    {1, 4, 4, 3},  // the course's test shape
    {1, 3, 5, 2},  // n_H != n_W
    {1, 2, 6, 7},  // more channels than positions
    {1, 1, 1, 1},  // one number
    {1, 5, 3, 1},  // one channel
};

const char* kUnrollHint =
    "unroll with the course's reshape to (n_H * n_W, n_C) THEN transpose: "
    "Eigen::Map<const RowMajorMatrix>(a.data(), n_H * n_W, n_C).transpose(); "
    "row c of the result is channel c";

// ================================================== yolo_boxes_to_corners
TEST(YoloBoxesToCorners, HandExample) {
  // One cell, two anchors: (x, y) = (0.5, 0.25), (w, h) = (0.2, 0.1); and
  // (x, y) = (0.1, 0.9), (w, h) = (0.4, 0.6).
  const Tensor<4> box_xy = Tensor4({1, 1, 2, 2}, {0.5, 0.25, 0.1, 0.9});
  const Tensor<4> box_wh = Tensor4({1, 1, 2, 2}, {0.2, 0.1, 0.4, 0.6});
  auto got = Call("yolo_boxes_to_corners", [&] {
    return graded::yolo_boxes_to_corners(box_xy, box_wh);
  });
  if (!got) return;
  const std::string f = "yolo_boxes_to_corners";
  ASSERT_TRUE(HasShape(f, "boxes", *got, Dims4{1, 1, 2, 4},
                       "(S, S, A, 4): four corners per anchor box"));
  EXPECT_TRUE(
      Near(f, "boxes for centres (0.5, 0.25), (0.1, 0.9)", *got,
           Tensor4({1, 1, 2, 4}, {0.2, 0.4, 0.3, 0.6, 0.6, -0.1, 1.2, 0.3}),
           kCourseValues,
           "the order is (y_min, x_min, y_max, x_max): y FIRST; "
           "box_xy(..., 0) is x, box_xy(..., 1) is y; min = centre - "
           "size / 2"));
}

TEST(YoloBoxesToCorners, MatchesReferenceOnOtherShapes) {
  RandomState rng(1);
  for (const Dims4& d : std::vector<Dims4>{
           {19, 19, 5, 2}, {3, 4, 2, 2}, {1, 1, 1, 2}, {2, 5, 3, 2}}) {
    const Tensor<4> box_xy = rng.randn_tensor<4>(d);
    const Tensor<4> box_wh = rng.rand_tensor<4>(d);
    auto got = Call("yolo_boxes_to_corners", [&] {
      return graded::yolo_boxes_to_corners(box_xy, box_wh);
    });
    if (!got) return;
    EXPECT_TRUE(Near("yolo_boxes_to_corners", "boxes for box_xy " + Str(d),
                     *got, reference::yolo_boxes_to_corners(box_xy, box_wh),
                     kReference,
                     "(y_min, x_min, y_max, x_max) for every cell (i, j) and "
                     "anchor a"));
  }
}

// ====================================================== yolo_filter_boxes
TEST(YoloFilterBoxes, HandExample) {
  // A 1 x 2 grid, 2 anchors, 3 classes; threshold 0.5.
  //   (0, 0, 0): 0.9 * (0.1, 0.7, 0.2)   -> class 1, 0.63  kept
  //   (0, 0, 1): 0.5 * (0.3, 0.3, 0.4)   -> class 2, 0.2   dropped
  //   (0, 1, 0): 1.0 * (0.5, 0.25, 0.25) -> class 0, 0.5   kept (>=)
  //   (0, 1, 1): 0.8 * (0.0, 0.1, 0.9)   -> class 2, 0.72  kept
  const Tensor<4> box_confidence = Tensor4({1, 2, 2, 1}, {0.9, 0.5, 1.0, 0.8});
  const Tensor<4> box_class_probs =
      Tensor4({1, 2, 2, 3},
              {0.1, 0.7, 0.2, 0.3, 0.3, 0.4, 0.5, 0.25, 0.25, 0.0, 0.1, 0.9});
  Tensor<4> boxes(1, 2, 2, 4);
  for (Index k = 0; k < boxes.size(); ++k) boxes.data()[k] = 0.01 * k;
  auto got = Call("yolo_filter_boxes", [&] {
    return graded::yolo_filter_boxes(boxes, box_confidence, box_class_probs,
                                     0.5);
  });
  if (!got) return;
  ScoredBoxes want;
  want.scores = Vector(3);
  want.scores << 0.9 * 0.7, 0.5, 0.8 * 0.9;
  want.boxes = matrix({{0.00, 0.01, 0.02, 0.03},
                       {0.08, 0.09, 0.10, 0.11},
                       {0.12, 0.13, 0.14, 0.15}});
  want.classes = {1, 0, 2};
  EXPECT_TRUE(SameBoxes(
      "yolo_filter_boxes", "3 of 4 boxes pass threshold 0.5", *got, want,
      kCourseValues,
      "box_scores = box_confidence * box_class_probs; keep a box when its "
      "MAX score is >= threshold (0.5 itself passes), in the order i, j, "
      "anchor; classes are the argmax"));
}

// A tie between classes: the first one (np.argmax, tf.math.argmax).
TEST(YoloFilterBoxes, ClassTieTakesTheFirst) {
  const Tensor<4> box_confidence = Tensor4({1, 1, 1, 1}, {1.0});
  const Tensor<4> box_class_probs = Tensor4({1, 1, 1, 3}, {0.2, 0.4, 0.4});
  Tensor<4> boxes(1, 1, 1, 4);
  boxes.setValues({{{{1, 2, 3, 4}}}});
  auto got = Call("yolo_filter_boxes", [&] {
    return graded::yolo_filter_boxes(boxes, box_confidence, box_class_probs,
                                     0.4);
  });
  if (!got) return;
  ScoredBoxes want;
  want.scores = Vector::Constant(1, 0.4);
  want.boxes = matrix({{1, 2, 3, 4}});
  want.classes = {1};
  EXPECT_TRUE(SameBoxes("yolo_filter_boxes",
                        "class scores (0.2, 0.4, 0.4), threshold 0.4", *got,
                        want, kCourseValues,
                        "on a tie the class is the FIRST of the best ones; a "
                        "score equal to the threshold is kept"));
}

TEST(YoloFilterBoxes, CourseShapes) {
  // The course's test: (19, 19, 5, .) drawn from a normal with mean 1 and
  // standard deviation 4, threshold 0.5 (tf.random.normal there, numpy's
  // generator here: the same kind of numbers, not the same ones).
  RandomState rng(10);
  const Tensor<4> box_confidence =
      Scaled(rng.randn_tensor<4>({19, 19, 5, 1}), 4, 1);
  const Tensor<4> boxes = Scaled(rng.randn_tensor<4>({19, 19, 5, 4}), 4, 1);
  const Tensor<4> box_class_probs =
      Scaled(rng.randn_tensor<4>({19, 19, 5, 80}), 4, 1);
  auto got = Call("yolo_filter_boxes", [&] {
    return graded::yolo_filter_boxes(boxes, box_confidence, box_class_probs,
                                     0.5);
  });
  if (!got) return;
  EXPECT_TRUE(SameBoxes(
      "yolo_filter_boxes", "(19, 19, 5, 80) normal(1, 4) inputs", *got,
      reference::yolo_filter_boxes(boxes, box_confidence, box_class_probs, 0.5),
      kReference,
      "multiply confidence and class probabilities BEFORE taking the max "
      "(a negative confidence turns the smallest probability into the "
      "largest score); argmax over the last axis"));
}

TEST(YoloFilterBoxes, MatchesReferenceOnOtherShapes) {
  RandomState rng(2);
  struct Case {
    Index S1, S2, A, C;
    double threshold;
  };
  for (const Case& s : std::vector<Case>{{19, 19, 5, 80, 0.6},
                                         {19, 19, 5, 80, 0.3},
                                         {3, 4, 2, 5, 0.4},
                                         {1, 1, 1, 1, 0.2},
                                         {2, 3, 4, 6, 100.0}}) {
    const YoloOutputs y = RandomYoloOutputs(rng, s.S1, s.S2, s.A, s.C);
    const Tensor<4> boxes =
        reference::yolo_boxes_to_corners(y.box_xy, y.box_wh);
    auto got = Call("yolo_filter_boxes", [&] {
      return graded::yolo_filter_boxes(boxes, y.box_confidence,
                                       y.box_class_probs, s.threshold);
    });
    if (!got) return;
    EXPECT_TRUE(SameBoxes(
        "yolo_filter_boxes",
        "grid " + std::to_string(s.S1) + " x " + std::to_string(s.S2) + ", " +
            std::to_string(s.A) + " anchors, " + std::to_string(s.C) +
            " classes, threshold " + Num(s.threshold),
        *got,
        reference::yolo_filter_boxes(boxes, y.box_confidence, y.box_class_probs,
                                     s.threshold),
        kReference,
        s.threshold > 1 ? "no box reaches this threshold: return 0 boxes"
                        : "visit i, then j, then the anchor a; keep a box "
                          "when max_c(confidence * probs[c]) >= threshold"));
  }
}

// =================================================================== iou
TEST(Iou, CourseValues) {
  struct Case {
    Box box1, box2;
    double want;
    const char* what;
    const char* hint;
  };
  const std::vector<Case> cases = {
      {{2, 1, 4, 3},
       {1, 2, 3, 4},
       0.14285714285714285,
       "iou((2, 1, 4, 3), (1, 2, 3, 4)) (boxes intersect)",
       "inter_area = 1, union_area = 4 + 4 - 1 = 7"},
      {{1, 2, 3, 4},
       {5, 6, 7, 8},
       0.0,
       "iou((1, 2, 3, 4), (5, 6, 7, 8)) (no intersection)",
       "the intersection's width and height are negative: clip each at 0"},
      {{1, 1, 2, 2},
       {2, 2, 3, 3},
       0.0,
       "iou((1, 1, 2, 2), (2, 2, 3, 3)) (touch at a vertex)",
       "an intersection of width 0 has area 0"},
      {{1, 1, 3, 3},
       {2, 3, 3, 4},
       0.0,
       "iou((1, 1, 3, 3), (2, 3, 3, 4)) (touch at an edge)",
       "an intersection of height 0 has area 0"},
  };
  for (const Case& c : cases) {
    auto got = Call("iou", [&] { return graded::iou(c.box1, c.box2); });
    if (!got) return;
    EXPECT_TRUE(Near("iou", c.what, *got, c.want, kCourseValues,
                     std::string(c.hint) +
                         "; xi1 = max of the x1s, yi1 = max of the y1s, xi2 "
                         "= min of the x2s, yi2 = min of the y2s"));
  }
}

TEST(Iou, HandExamples) {
  struct Case {
    Box box1, box2;
    double want;
    const char* what;
  };
  const std::vector<Case> cases = {
      {{0, 0, 4, 4}, {1, 1, 2, 2}, 1.0 / 16, "a box inside another"},
      {{1, 2, 5, 3}, {1, 2, 5, 3}, 1.0, "a box with itself"},
      {{0, 0, 2, 6}, {1, 0, 3, 6}, 6.0 / 18, "a wide overlap"},
  };
  for (const Case& c : cases) {
    auto got = Call("iou", [&] { return graded::iou(c.box1, c.box2); });
    if (!got) return;
    EXPECT_TRUE(Near("iou", c.what, *got, c.want, kCourseValues,
                     "union_area = box1_area + box2_area - inter_area"));
    auto swapped = Call("iou", [&] { return graded::iou(c.box2, c.box1); });
    if (!swapped) return;
    EXPECT_TRUE(Near("iou", std::string(c.what) + ", boxes swapped", *swapped,
                     c.want, kCourseValues, "iou(a, b) = iou(b, a)"));
  }
}

TEST(Iou, MatchesReferenceOnRandomBoxes) {
  RandomState rng(3);
  const Candidates c = RandomCandidates(rng, 40, 3);
  for (Index k = 0; k + 1 < c.boxes.rows(); k += 2) {
    const Box box1 = {c.boxes(k, 1), c.boxes(k, 0), c.boxes(k, 3),
                      c.boxes(k, 2)};
    const Box box2 = {c.boxes(k + 1, 1), c.boxes(k + 1, 0), c.boxes(k + 1, 3),
                      c.boxes(k + 1, 2)};
    auto got = Call("iou", [&] { return graded::iou(box1, box2); });
    if (!got) return;
    EXPECT_TRUE(Near("iou",
                     "iou((" + Num(box1[0]) + ", " + Num(box1[1]) + ", " +
                         Num(box1[2]) + ", " + Num(box1[3]) + "), (" +
                         Num(box2[0]) + ", " + Num(box2[1]) + ", " +
                         Num(box2[2]) + ", " + Num(box2[3]) + "))",
                     *got, reference::iou(box1, box2), kReference,
                     "inter_area / (box1_area + box2_area - inter_area), "
                     "with the intersection's sides clipped at 0"));
  }
}

// =============================================== yolo_non_max_suppression
struct NmsExample {  // five boxes worked by hand
  Vector scores;
  Matrix boxes;
  std::vector<int> classes = {0, 0, 1, 1, 2};
  NmsExample() {
    // (y_min, x_min, y_max, x_max):
    //   0: (0, 0, 10, 10)    0.9
    //   1: (1, 1, 11, 11)    0.8   iou with 0: 81 / 119 = 0.68 -> suppressed
    //   2: (20, 20, 30, 30)  0.7   iou with 4: 90 / 110 = 0.82 -> suppressed
    //   3: (0, 5, 10, 15)    0.6   iou with 0: 50 / 150 = 0.33 -> kept
    //   4: (21, 20, 31, 30)  0.95  the best: kept first
    scores = Vector(5);
    scores << 0.9, 0.8, 0.7, 0.6, 0.95;
    boxes = matrix({{0, 0, 10, 10},
                    {1, 1, 11, 11},
                    {20, 20, 30, 30},
                    {0, 5, 10, 15},
                    {21, 20, 31, 30}});
  }
  ScoredBoxes Kept(std::vector<int> rows) const {
    ScoredBoxes s;
    s.scores.resize(static_cast<Index>(rows.size()));
    s.boxes.resize(static_cast<Index>(rows.size()), 4);
    for (size_t k = 0; k < rows.size(); ++k) {
      s.scores(k) = scores(rows[k]);
      s.boxes.row(k) = boxes.row(rows[k]);
      s.classes.push_back(classes[rows[k]]);
    }
    return s;
  }
};

TEST(YoloNonMaxSuppression, HandExample) {
  const NmsExample ex;
  auto got = Call("yolo_non_max_suppression", [&] {
    return graded::yolo_non_max_suppression(ex.scores, ex.boxes, ex.classes, 10,
                                            0.5);
  });
  if (!got) return;
  EXPECT_TRUE(SameBoxes(
      "yolo_non_max_suppression",
      "5 boxes, max_boxes 10, iou_threshold 0.5 (boxes 4, 0, 3 survive)", *got,
      ex.Kept({4, 0, 3}), kCourseValues,
      "take the boxes by DESCENDING score; drop a box when its iou with a box "
      "already kept is >= iou_threshold; return the kept ones best first"));
}

TEST(YoloNonMaxSuppression, StopsAtMaxBoxes) {
  const NmsExample ex;
  auto got = Call("yolo_non_max_suppression", [&] {
    return graded::yolo_non_max_suppression(ex.scores, ex.boxes, ex.classes, 2,
                                            0.5);
  });
  if (!got) return;
  EXPECT_TRUE(SameBoxes("yolo_non_max_suppression",
                        "5 boxes, max_boxes 2, iou_threshold 0.5", *got,
                        ex.Kept({4, 0}), kCourseValues,
                        "stop once max_boxes boxes are kept"));
}

TEST(YoloNonMaxSuppression, ThresholdMatters) {
  // With iou_threshold 0.9 nothing overlaps enough: all five, best first.
  const NmsExample ex;
  auto got = Call("yolo_non_max_suppression", [&] {
    return graded::yolo_non_max_suppression(ex.scores, ex.boxes, ex.classes, 10,
                                            0.9);
  });
  if (!got) return;
  EXPECT_TRUE(SameBoxes("yolo_non_max_suppression",
                        "5 boxes, max_boxes 10, iou_threshold 0.9", *got,
                        ex.Kept({4, 0, 1, 2, 3}), kCourseValues,
                        "use the iou_threshold you are given; the kept boxes "
                        "come out by descending score"));
}

// Equal scores among many candidates: the one that comes first is taken
// first (as tf.image.non_max_suppression); an iou exactly at the threshold
// suppresses (>=).
TEST(YoloNonMaxSuppression, TiesAndAnIouAtTheThreshold) {
  // Six disjoint boxes with the same score: the first three, in order.
  Vector scores = Vector::Constant(6, 0.7);
  Matrix boxes(6, 4);
  for (Index k = 0; k < 6; ++k) boxes.row(k) << 0, 10.0 * k, 5, 10.0 * k + 5;
  const std::vector<int> classes = {0, 1, 2, 3, 4, 5};
  auto got = Call("yolo_non_max_suppression", [&] {
    return graded::yolo_non_max_suppression(scores, boxes, classes, 3, 0.5);
  });
  if (!got) return;
  ScoredBoxes want;
  want.scores = Vector::Constant(3, 0.7);
  want.boxes = boxes.topRows(3);
  want.classes = {0, 1, 2};
  EXPECT_TRUE(SameBoxes("yolo_non_max_suppression",
                        "6 boxes with equal scores, max_boxes 3", *got, want,
                        kCourseValues,
                        "on equal scores the box that comes first is taken "
                        "first (a stable order)"));

  // (0, 0, 1, 3) and (0, 1, 1, 4): intersection 2, union 4, iou 0.5.
  Vector two(2);
  two << 0.9, 0.8;
  const Matrix pair = matrix({{0, 0, 1, 3}, {0, 1, 1, 4}});
  auto kept = Call("yolo_non_max_suppression", [&] {
    return graded::yolo_non_max_suppression(two, pair, {0, 0}, 10, 0.5);
  });
  if (!kept) return;
  ScoredBoxes first;
  first.scores = Vector::Constant(1, 0.9);
  first.boxes = pair.topRows(1);
  first.classes = {0};
  EXPECT_TRUE(SameBoxes("yolo_non_max_suppression",
                        "two boxes with iou exactly 0.5, iou_threshold 0.5",
                        *kept, first, kCourseValues,
                        "an iou equal to iou_threshold suppresses the box "
                        "(>=, not >)"));
}

TEST(YoloNonMaxSuppression, MatchesReferenceOnRandomBoxes) {
  RandomState rng(4);
  struct Case {
    Index n, clusters;
    int max_boxes;
    double iou_threshold;
  };
  for (const Case& s : std::vector<Case>{{54, 6, 10, 0.5},
                                         {200, 8, 10, 0.5},
                                         {200, 8, 100, 0.3},
                                         {60, 3, 20, 0.7},
                                         {30, 10, 5, 0.5},
                                         {1, 1, 10, 0.5},
                                         {0, 1, 10, 0.5}}) {
    const Candidates c = RandomCandidates(rng, s.n, s.clusters);
    auto got = Call("yolo_non_max_suppression", [&] {
      return graded::yolo_non_max_suppression(c.scores, c.boxes, c.classes,
                                              s.max_boxes, s.iou_threshold);
    });
    if (!got) return;
    EXPECT_TRUE(SameBoxes(
        "yolo_non_max_suppression",
        std::to_string(s.n) + " boxes in " + std::to_string(s.clusters) +
            " clusters, max_boxes " + std::to_string(s.max_boxes) +
            ", iou_threshold " + Num(s.iou_threshold),
        *got,
        reference::yolo_non_max_suppression(c.scores, c.boxes, c.classes,
                                            s.max_boxes, s.iou_threshold),
        kReference,
        s.n == 0 ? "no boxes in, no boxes out"
                 : "compare each candidate with the boxes KEPT so far (not "
                   "with every box), by descending score"));
  }
}

// ============================================================ scale_boxes
TEST(ScaleBoxes, HandExample) {
  const Matrix boxes = matrix({{0.1, 0.2, 0.5, 0.75}, {0, 0, 1, 1}});
  auto got = Call("scale_boxes", [&] {
    return graded::scale_boxes(boxes, ImageShape{720, 1280});
  });
  if (!got) return;
  EXPECT_TRUE(Near("scale_boxes", "scale_boxes(boxes, (720, 1280))", *got,
                   matrix({{72, 256, 360, 960}, {0, 0, 720, 1280}}),
                   kCourseValues,
                   "rows are (y_min, x_min, y_max, x_max): multiply by "
                   "(height, width, height, width)"));
}

TEST(ScaleBoxes, MatchesReferenceOnOtherShapes) {
  RandomState rng(5);
  for (auto [n, height, width] : std::vector<std::array<double, 3>>{
           {7, 608, 608}, {1, 480, 640}, {12, 100, 37}}) {
    const Matrix boxes = rng.rand(static_cast<Index>(n), 4);
    auto got = Call("scale_boxes", [&] {
      return graded::scale_boxes(boxes, ImageShape{height, width});
    });
    if (!got) return;
    EXPECT_TRUE(Near("scale_boxes",
                     "boxes " + dl::shape_string(boxes) + ", image (" +
                         Num(height) + ", " + Num(width) + ")",
                     *got,
                     reference::scale_boxes(boxes, ImageShape{height, width}),
                     kReference,
                     "columns 0 and 2 times the height, 1 and 3 times the "
                     "width"));
  }
}

// ============================================================== yolo_eval
TEST(YoloEval, MatchesReference) {
  RandomState rng(6);
  struct Case {
    Index S, A, C;
    ImageShape image_shape;
    int max_boxes;
    double score_threshold, iou_threshold;
  };
  for (const Case& s : std::vector<Case>{
           {19, 5, 80, {720, 1280}, 10, 0.6, 0.5},  // the course's defaults
           {19, 5, 80, {720, 1280}, 10, 0.3, 0.5},  // the course's predict
           {7, 3, 4, {608, 608}, 20, 0.4, 0.3},
           {2, 1, 2, {100, 50}, 3, 0.2, 0.6}}) {
    const YoloOutputs y = RandomYoloOutputs(rng, s.S, s.S, s.A, s.C);
    auto got = Call("yolo_eval", [&] {
      return graded::yolo_eval(y, s.image_shape, s.max_boxes, s.score_threshold,
                               s.iou_threshold);
    });
    if (!got) return;
    EXPECT_TRUE(SameBoxes(
        "yolo_eval",
        std::to_string(s.S) + " x " + std::to_string(s.S) + " x " +
            std::to_string(s.A) + " x " + std::to_string(s.C) +
            " outputs, image (" + Num(s.image_shape.height) + ", " +
            Num(s.image_shape.width) + "), max_boxes " +
            std::to_string(s.max_boxes) + ", score_threshold " +
            Num(s.score_threshold) + ", iou_threshold " + Num(s.iou_threshold),
        *got,
        reference::yolo_eval(y, s.image_shape, s.max_boxes, s.score_threshold,
                             s.iou_threshold),
        kReference,
        "yolo_boxes_to_corners -> yolo_filter_boxes(score_threshold) -> "
        "scale_boxes(image_shape) -> yolo_non_max_suppression(max_boxes, "
        "iou_threshold), in that order"));
  }
}

// =========================================================== triplet_loss
TEST(TripletLoss, CourseValues) {
  struct Case {
    Matrix anchor, positive, negative;
    double alpha, want;
    const char* hint;
  };
  const std::vector<Case> cases = {
      {matrix({{1, 1}}), matrix({{1, 1}}), matrix({{1, 1}}), 5, 5,
       "did you add alpha to basic_loss?"},
      {matrix({{1, 1}}), matrix({{1, 1}}), matrix({{0, 0}}), 3, 1,
       "pos_dist = 0 and neg_dist = 2 here"},
      {matrix({{1, 1}}), matrix({{0, 0}}), matrix({{1, 1}}), 0, 2,
       "pos_dist = 2 and neg_dist = 0 here"},
      {matrix({{0, 0}}), matrix({{0, 0}}), matrix({{0, 0}}), -2, 0,
       "take the maximum of basic_loss and 0"},
      {matrix({{1, 0}, {1, 0}}), matrix({{1, 0}, {1, 0}}),
       matrix({{0, 1}, {0, 1}}), 3, 2, "sum the losses of all the triplets"},
      {matrix({{1, 1}, {2, 0}}), matrix({{0, 3}, {1, 1}}),
       matrix({{1, 0}, {0, 1}}), 1, 5,
       "the distances sum over each ROW (the course's axis=-1); 4 would mean "
       "a sum over the wrong axis"},
  };
  for (const Case& c : cases) {
    auto got = Call("triplet_loss", [&] {
      return graded::triplet_loss(c.anchor, c.positive, c.negative, c.alpha);
    });
    if (!got) return;
    EXPECT_TRUE(Near("triplet_loss",
                     "the course's example with anchor " +
                         dl::shape_string(c.anchor) + ", alpha " + Num(c.alpha),
                     *got, c.want, kCourseValues, c.hint));
  }
}

TEST(TripletLoss, MatchesReferenceOnOtherShapes) {
  RandomState rng(7);
  struct Case {
    Index m, n;
    double alpha;
  };
  for (const Case& s : std::vector<Case>{{3, 128, 0.2},
                                         {1, 128, 0.2},
                                         {5, 16, 0.5},
                                         {10, 4, 0.2},
                                         {4, 3, 0.0}}) {
    // The course's test: anchors near 6, positives near 1, negatives spread
    // around 3; half the time, a negative close to the anchor instead.
    const Matrix anchor = ((rng.randn(s.m, s.n) * 0.1).array() + 6.0).matrix();
    const Matrix positive = (rng.randn(s.m, s.n).array() + 1.0).matrix();
    Matrix negative = ((rng.randn(s.m, s.n) * 4.0).array() + 3.0).matrix();
    for (Index i = 0; i < s.m; i += 2) {
      negative.row(i) = anchor.row(i) + 0.05 * rng.randn(1, s.n);
    }
    auto got = Call("triplet_loss", [&] {
      return graded::triplet_loss(anchor, positive, negative, s.alpha);
    });
    if (!got) return;
    EXPECT_TRUE(
        Near("triplet_loss",
             "anchor " + dl::shape_string(anchor) + ", alpha " + Num(s.alpha),
             *got, reference::triplet_loss(anchor, positive, negative, s.alpha),
             kReference,
             "per row i: max(‖a_i - p_i‖² - ‖a_i - n_i‖² + alpha, 0), then the "
             "sum over i (squared distances: no square root)"));
  }
}

// =================================================== compute_content_cost
TEST(ComputeContentCost, HandExample) {
  // a_C - a_G = (1, 0, 0, -2): Σ squares 5, / (4 * 1 * 2 * 2) = 0.3125.
  const Tensor<4> a_C = Tensor4({1, 1, 2, 2}, {1, 2, 3, 4});
  const Tensor<4> a_G = Tensor4({1, 1, 2, 2}, {0, 2, 3, 6});
  auto got = Call("compute_content_cost",
                  [&] { return graded::compute_content_cost(a_C, a_G); });
  if (!got) return;
  EXPECT_TRUE(Near("compute_content_cost", "J_content for a (1, 1, 2, 2) pair",
                   *got, 0.3125, kCourseValues,
                   "Σ (a_C - a_G)² / (4 n_H n_W n_C), with n_H = 1, n_W = 2, "
                   "n_C = 2 (divide as doubles)"));
}

TEST(ComputeContentCost, SameActivationsCostZero) {
  RandomState rng(8);
  const Tensor<4> a_C = Scaled(rng.randn_tensor<4>({1, 4, 4, 3}), 4, 1);
  auto got = Call("compute_content_cost",
                  [&] { return graded::compute_content_cost(a_C, a_C); });
  if (!got) return;
  EXPECT_TRUE(Near("compute_content_cost",
                   "compute_content_cost(a_C, a_C) (the course's check)", *got,
                   0.0, kCourseValues, "the same image has no content cost"));
}

TEST(ComputeContentCost, MatchesReferenceOnOtherShapes) {
  RandomState rng(9);
  for (const Dims4& d : kLayerShapes) {
    const Tensor<4> a_C = Scaled(rng.randn_tensor<4>(d), 4, 1);
    const Tensor<4> a_G = Scaled(rng.randn_tensor<4>(d), 4, 1);
    auto got = Call("compute_content_cost",
                    [&] { return graded::compute_content_cost(a_C, a_G); });
    if (!got) return;
    EXPECT_TRUE(Near("compute_content_cost", "J_content for a_C " + Str(d),
                     *got, reference::compute_content_cost(a_C, a_G),
                     kReference,
                     "Σ (a_C - a_G)² / (4 n_H n_W n_C): n_H, n_W, n_C are "
                     "dimensions 1, 2 and 3"));
  }
}

// ============================================================ gram_matrix
TEST(GramMatrix, HandExample) {
  const Matrix A = matrix({{1, 2}, {3, 4}, {5, 6}});
  auto got = Call("gram_matrix", [&] { return graded::gram_matrix(A); });
  if (!got) return;
  EXPECT_TRUE(Near("gram_matrix", "gram_matrix of a (3, 2) A", *got,
                   matrix({{5, 11, 17}, {11, 25, 39}, {17, 39, 61}}),
                   kCourseValues,
                   "G = A Aᵀ (n_C, n_C), not Aᵀ A; G[i, j] is the dot "
                   "product of rows i and j"));
}

TEST(GramMatrix, MatchesReferenceOnOtherShapes) {
  RandomState rng(10);
  for (auto [rows, cols] : std::vector<std::array<Index, 2>>{
           {3, 2}, {5, 12}, {1, 4}, {4, 1}, {64, 100}}) {
    const Matrix A = ((rng.randn(rows, cols) * 4.0).array() + 1.0).matrix();
    auto got = Call("gram_matrix", [&] { return graded::gram_matrix(A); });
    if (!got) return;
    EXPECT_TRUE(Near("gram_matrix", "gram_matrix of A " + dl::shape_string(A),
                     *got, reference::gram_matrix(A), kReference,
                     "A * A.transpose(): the result is (n_C, n_C)"));
  }
}

// =============================================== compute_layer_style_cost
TEST(ComputeLayerStyleCost, UnrollsChannelByChannel) {
  // a_S (1, 1, 3, 2): channel 0 is (1, 1, 1), channel 1 is (0, 0, 0); a_G = 0.
  // Unrolled, A_S = [[1, 1, 1], [0, 0, 0]], GS = [[3, 0], [0, 0]]:
  // J = 9 / (4 * 2² * 3²) = 0.0625. (Reshaping the memory [1, 0, 1, 0, 1, 0]
  // straight to (2, 3) would give 5 / 144.)
  const Tensor<4> a_S = Tensor4({1, 1, 3, 2}, {1, 0, 1, 0, 1, 0});
  Tensor<4> a_G(1, 1, 3, 2);
  a_G.setZero();
  auto got = Call("compute_layer_style_cost",
                  [&] { return graded::compute_layer_style_cost(a_S, a_G); });
  if (!got) return;
  EXPECT_TRUE(Near(
      "compute_layer_style_cost", "J_style_layer for a_S (1, 1, 3, 2), a_G = 0",
      *got, 0.0625, kCourseValues,
      std::abs(*got - 5.0 / 144) < 1e-9
          ? std::string("you reshaped straight to (n_C, n_H * "
                        "n_W), which mixes the channels; ") +
                kUnrollHint
          : std::string("Σ (GS - GG)² / (4 n_C² (n_H n_W)²); ") + kUnrollHint));
}

TEST(ComputeLayerStyleCost, CourseChecks) {
  // The course's checks: J(a_G, a_G) = 0 and J(a_S, a_G) > 0, on (1, 4, 4, 3)
  // activations drawn from a normal with mean 1 and standard deviation 4.
  RandomState rng(11);
  const Tensor<4> a_S = Scaled(rng.randn_tensor<4>({1, 4, 4, 3}), 4, 1);
  const Tensor<4> a_G = Scaled(rng.randn_tensor<4>({1, 4, 4, 3}), 4, 1);
  auto same = Call("compute_layer_style_cost",
                   [&] { return graded::compute_layer_style_cost(a_G, a_G); });
  if (!same) return;
  EXPECT_TRUE(Near("compute_layer_style_cost",
                   "compute_layer_style_cost(a_G, a_G)", *same, 0.0,
                   kCourseValues, "an image has the same style as itself"));
  auto other = Call("compute_layer_style_cost",
                    [&] { return graded::compute_layer_style_cost(a_S, a_G); });
  if (!other) return;
  EXPECT_GT(*other, 0.0) << "compute_layer_style_cost: "
                            "compute_layer_style_cost(a_S, a_G) is "
                         << Num(*other)
                         << ", expected > 0 for two different images";
  EXPECT_TRUE(Near("compute_layer_style_cost",
                   "compute_layer_style_cost(a_S, a_G) (1, 4, 4, 3)", *other,
                   reference::compute_layer_style_cost(a_S, a_G), kReference,
                   kUnrollHint));
}

TEST(ComputeLayerStyleCost, MatchesReferenceOnOtherShapes) {
  RandomState rng(12);
  for (const Dims4& d : kLayerShapes) {
    const Tensor<4> a_S = rng.rand_tensor<4>(d);
    const Tensor<4> a_G = rng.rand_tensor<4>(d);
    auto got = Call("compute_layer_style_cost",
                    [&] { return graded::compute_layer_style_cost(a_S, a_G); });
    if (!got) return;
    EXPECT_TRUE(Near("compute_layer_style_cost",
                     "J_style_layer for a_S " + Str(d), *got,
                     reference::compute_layer_style_cost(a_S, a_G), kReference,
                     std::string("Σ (GS - GG)² / (4 n_C² (n_H n_W)²) (square "
                                 "n_C and n_H n_W); ") +
                         kUnrollHint));
  }
}

// ===================================================== compute_style_cost
TEST(ComputeStyleCost, CourseLayers) {
  // The course's STYLE_LAYERS: five layers, 0.2 each, of different sizes.
  RandomState rng(13);
  const std::vector<Dims4> shapes = {
      {1, 8, 8, 2}, {1, 6, 5, 3}, {1, 4, 4, 4}, {1, 3, 2, 5}, {1, 2, 2, 6}};
  std::vector<Tensor<4>> a_S, a_G;
  for (const Dims4& d : shapes) {
    a_S.push_back(rng.rand_tensor<4>(d));
    a_G.push_back(rng.rand_tensor<4>(d));
  }
  auto got = Call("compute_style_cost", [&] {
    return graded::compute_style_cost(a_S, a_G, kStyleLayers);
  });
  if (!got) return;
  EXPECT_TRUE(Near(
      "compute_style_cost", "J_style over the course's 5 STYLE_LAYERS", *got,
      reference::compute_style_cost(a_S, a_G, kStyleLayers), kReference,
      "Σ_l STYLE_LAYERS[l].weight * compute_layer_style_cost("
      "style_image_output[l], generated_image_output[l])"));
}

TEST(ComputeStyleCost, UsesTheWeights) {
  RandomState rng(14);
  const std::vector<StyleLayer> layers = {{"a", 0.5}, {"b", 0.1}, {"c", 0.4}};
  std::vector<Tensor<4>> a_S, a_G;
  for (const Dims4& d :
       std::vector<Dims4>{{1, 4, 3, 2}, {1, 2, 2, 3}, {1, 1, 5, 1}}) {
    a_S.push_back(rng.rand_tensor<4>(d));
    a_G.push_back(rng.rand_tensor<4>(d));
  }
  auto got = Call("compute_style_cost",
                  [&] { return graded::compute_style_cost(a_S, a_G, layers); });
  if (!got) return;
  EXPECT_TRUE(Near("compute_style_cost",
                   "J_style over 3 layers weighted 0.5, 0.1, 0.4", *got,
                   reference::compute_style_cost(a_S, a_G, layers), kReference,
                   "weight layer l by STYLE_LAYERS[l].weight (the λ_l), "
                   "not by 1 / number of layers"));
  const std::vector<StyleLayer> one = {{"only", 1.0}};
  const std::vector<Tensor<4>> s1 = {a_S[0]}, g1 = {a_G[0]};
  auto single = Call("compute_style_cost",
                     [&] { return graded::compute_style_cost(s1, g1, one); });
  if (!single) return;
  EXPECT_TRUE(Near("compute_style_cost", "J_style of one layer of weight 1",
                   *single, reference::compute_layer_style_cost(a_S[0], a_G[0]),
                   kReference,
                   "with a single layer of weight 1, J_style is that layer's "
                   "compute_layer_style_cost"));
}

// ============================================================= total_cost
TEST(TotalCost, CourseValues) {
  auto got =
      Call("total_cost", [] { return graded::total_cost(0.2, 0.8, 10, 40); });
  if (!got) return;
  EXPECT_TRUE(Near("total_cost", "total_cost(0.2, 0.8) (alpha 10, beta 40)",
                   *got, 34.0, kCourseValues,
                   "J = alpha * J_content + beta * J_style: alpha goes with "
                   "J_content"));
  auto custom =
      Call("total_cost", [] { return graded::total_cost(0.3, 0.5, 3, 8); });
  if (!custom) return;
  EXPECT_TRUE(Near("total_cost", "total_cost(0.3, 0.5, 3, 8)", *custom, 4.9,
                   kCourseValues, "use the alpha and beta you are given"));
  // The course then prints total_cost(np.random.uniform(0, 1),
  // np.random.uniform(0, 1)) after np.random.seed(1).
  RandomState rng(1);
  const double J_content = rng.uniform(0, 1), J_style = rng.uniform(0, 1);
  auto printed = Call("total_cost", [&] {
    return graded::total_cost(J_content, J_style, 10, 40);
  });
  if (!printed) return;
  EXPECT_TRUE(Near("total_cost",
                   "total_cost(" + Num(J_content) + ", " + Num(J_style) + ")",
                   *printed, 10 * J_content + 40 * J_style, kCourseValues,
                   "alpha * J_content + beta * J_style"));
}

// ======================================== compute_content_cost_backward
TEST(ComputeContentCostBackward, MatchesReference) {
  RandomState rng(15);
  for (const Dims4& d : kLayerShapes) {
    const Tensor<4> a_C = rng.randn_tensor<4>(d);
    const Tensor<4> a_G = rng.randn_tensor<4>(d);
    auto got = Call("compute_content_cost_backward", [&] {
      return graded::compute_content_cost_backward(a_C, a_G);
    });
    if (!got) return;
    EXPECT_TRUE(Near("compute_content_cost_backward", "da_G for a_C " + Str(d),
                     *got, reference::compute_content_cost_backward(a_C, a_G),
                     kReference,
                     "da_G = (a_G - a_C) / (2 n_H n_W n_C): the 2 of the "
                     "square over the 4 of the cost"));
  }
}

TEST(ComputeContentCostBackward, GradientsMatchFiniteDifferences) {
  RandomState rng(16);
  for (const Dims4& d : std::vector<Dims4>{{1, 3, 4, 2}, {1, 2, 2, 3}}) {
    const Tensor<4> a_C = rng.randn_tensor<4>(d);
    Tensor<4> a_G = rng.randn_tensor<4>(d);
    auto got = Call("compute_content_cost_backward", [&] {
      return graded::compute_content_cost_backward(a_C, a_G);
    });
    if (!got) return;
    const std::string f = "compute_content_cost_backward for a_G " + Str(d);
    ASSERT_TRUE(HasShape(f, "da_G", *got, d, "the shape of a_G"));
    const auto J = [&] { return reference::compute_content_cost(a_C, a_G); };
    EXPECT_TRUE(GradientsMatch(f, {CheckTensorGradient(J, "da_G", a_G, *got)}));
  }
}

// =================================== compute_layer_style_cost_backward
TEST(ComputeLayerStyleCostBackward, MatchesReference) {
  RandomState rng(17);
  for (const Dims4& d : kLayerShapes) {
    const Tensor<4> a_S = rng.rand_tensor<4>(d);
    const Tensor<4> a_G = rng.rand_tensor<4>(d);
    auto got = Call("compute_layer_style_cost_backward", [&] {
      return graded::compute_layer_style_cost_backward(a_S, a_G);
    });
    if (!got) return;
    EXPECT_TRUE(Near(
        "compute_layer_style_cost_backward", "da_G for a_S " + Str(d), *got,
        reference::compute_layer_style_cost_backward(a_S, a_G), kReference,
        std::string("dA_G = (GG - GS) A_G / (n_C² (n_H n_W)²), "
                    "then transposed back to (n_H n_W, n_C) in "
                    "a_G's memory; ") +
            kUnrollHint));
  }
}

TEST(ComputeLayerStyleCostBackward, GradientsMatchFiniteDifferences) {
  RandomState rng(18);
  for (const Dims4& d :
       std::vector<Dims4>{{1, 3, 4, 2}, {1, 2, 2, 3}, {1, 1, 5, 1}}) {
    const Tensor<4> a_S = rng.rand_tensor<4>(d);
    Tensor<4> a_G = rng.rand_tensor<4>(d);
    auto got = Call("compute_layer_style_cost_backward", [&] {
      return graded::compute_layer_style_cost_backward(a_S, a_G);
    });
    if (!got) return;
    const std::string f = "compute_layer_style_cost_backward for a_G " + Str(d);
    ASSERT_TRUE(HasShape(f, "da_G", *got, d, "the shape of a_G"));
    const auto J = [&] {
      return reference::compute_layer_style_cost(a_S, a_G);
    };
    EXPECT_TRUE(GradientsMatch(f, {CheckTensorGradient(J, "da_G", a_G, *got)}));
  }
}

}  // namespace
