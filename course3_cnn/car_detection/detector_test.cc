// Tests of the given code of course3_cnn/car_detection: the scenes and
// their boxes, the anchors, the detector's shape, and the hand-written
// gradient of yolo_loss against finite differences.

#include "course3_cnn/car_detection/detector.h"

#include <cmath>
#include <vector>

#include "course3_cnn/car_detection/scenes.h"
#include "gtest/gtest.h"

namespace car_detection {
namespace {

TEST(Scenes, SameSceneEveryTimeAndBoxesInside) {
  const Scenes a = generate_scenes(40, 6, kSceneSize);
  const Scenes b = generate_scenes(43, 3, kSceneSize);
  ASSERT_EQ(a.X.shape(), (nn::Shape{6, kSceneSize, kSceneSize, 3}));
  for (int i = 0; i < 3; ++i) {
    const Picture pa = a.picture(3 + i), pb = b.picture(i);
    EXPECT_EQ(pa.vec(), pb.vec()) << "scene " << 43 + i;
    ASSERT_EQ(a.objects[3 + i].size(), b.objects[i].size());
  }
  for (const auto& list : a.objects) {
    EXPECT_GE(list.size(), 1u);
    EXPECT_LE(list.size(), 5u);
    for (const Object& o : list) {
      EXPECT_GE(o.x - o.w / 2, 0);
      EXPECT_LE(o.x + o.w / 2, 1);
      EXPECT_GE(o.y - o.h / 2, 0);
      EXPECT_LE(o.y + o.h / 2, 1);
      EXPECT_GE(o.cls, 0);
      EXPECT_LT(o.cls, kNumClasses);
    }
  }
  EXPECT_GE(a.X.vec().minCoeff(), 0.0f);
  EXPECT_LE(a.X.vec().maxCoeff(), 1.0f);
  // The same scene at another size: the same picture, larger.
  const dl::Image big = draw_scene(40, 128);
  EXPECT_EQ(big.height, 128);
  EXPECT_EQ(big.pixels.size(), 128u * 128u * 3u);
}

TEST(Scenes, TrueBoxesAndCorners) {
  const std::vector<Object> objects = {{1, 0.5, 0.25, 0.2, 0.3},
                                       {0, 0.1, 0.9, 0.1, 0.1}};
  const Matrix boxes = true_boxes(objects);
  ASSERT_EQ(boxes.rows(), 2);
  EXPECT_EQ(boxes(0, 4), 1);
  EXPECT_DOUBLE_EQ(boxes(1, 1), 0.9);
  const TrueBoxes corners = true_corners(objects, {100, 200});
  EXPECT_DOUBLE_EQ(corners.boxes(0, 0), 10);   // y_min = (0.25 - 0.15) 100
  EXPECT_DOUBLE_EQ(corners.boxes(0, 1), 80);   // x_min = (0.5 - 0.1) 200
  EXPECT_DOUBLE_EQ(corners.boxes(0, 2), 40);   // y_max
  EXPECT_DOUBLE_EQ(corners.boxes(0, 3), 120);  // x_max
  EXPECT_EQ(corners.classes, (std::vector<int>{1, 0}));
}

TEST(Anchors, SortedByAreaAndOnePerShape) {
  const Scenes scenes = generate_scenes(0, 200, 16);
  const Matrix anchors = compute_anchors(scenes.objects, kAnchors, kGrid);
  ASSERT_EQ(anchors.rows(), kAnchors);
  for (int a = 1; a < kAnchors; ++a) {
    EXPECT_LE(anchors(a - 1, 0) * anchors(a - 1, 1),
              anchors(a, 0) * anchors(a, 1));
  }
  // One anchor taller than wide (people), one wider than tall (cars).
  bool tall = false, wide = false;
  for (int a = 0; a < kAnchors; ++a) {
    tall = tall || anchors(a, 1) > 1.5 * anchors(a, 0);
    wide = wide || anchors(a, 0) > 1.5 * anchors(a, 1);
  }
  EXPECT_TRUE(tall);
  EXPECT_TRUE(wide);
}

TEST(Detector, OutputShape) {
  Model model = make_detector(1);
  EXPECT_EQ(model.shape(model.output()),
            (nn::Shape{kGrid, kGrid, kAnchors * (5 + kNumClasses)}));
}

TEST(YoloLoss, GradientMatchesFiniteDifferences) {
  // Two pictures' outputs drawn at random, their true boxes from scenes.
  const Scenes scenes = generate_scenes(10, 2, 16);
  const Matrix anchors = compute_anchors(scenes.objects, kAnchors, kGrid);
  std::vector<YoloTargets> targets;
  std::vector<Matrix> boxes;
  for (const auto& list : scenes.objects) {
    boxes.push_back(true_boxes(list));
    targets.push_back(
        reference::preprocess_true_boxes(boxes.back(), anchors, kGrid));
  }
  dl::RandomState rng(3);
  nn::Array<float> out({2, kGrid, kGrid, kAnchors * (5 + kNumClasses)});
  for (nn::Index k = 0; k < out.size(); ++k) {
    out[k] = static_cast<float>(rng.standard_normal());
  }
  nn::Array<float> dout, unused;
  yolo_loss(out, targets, boxes, anchors, &dout);
  // Every entry of the detectors with an object, and a sample of the rest.
  const int values = 5 + kNumClasses;
  std::vector<nn::Index> entries;
  for (int b = 0; b < 2; ++b) {
    for (int i = 0; i < kGrid; ++i) {
      for (int j = 0; j < kGrid; ++j) {
        for (int a = 0; a < kAnchors; ++a) {
          const nn::Index at =
              (((b * kGrid + i) * kGrid + j) * kAnchors + a) * values;
          const bool object = targets[b].detectors_mask(i, j, a, 0) > 0;
          for (int v = 0; v < values; ++v) {
            if (object || (at + v) % 17 == 0) entries.push_back(at + v);
          }
        }
      }
    }
  }
  ASSERT_GT(entries.size(), 50u);
  const double eps = 1e-2;
  for (nn::Index k : entries) {
    const float keep = out[k];
    out[k] = static_cast<float>(keep + eps);
    const double plus = yolo_loss(out, targets, boxes, anchors, &unused);
    out[k] = static_cast<float>(keep - eps);
    const double minus = yolo_loss(out, targets, boxes, anchors, &unused);
    out[k] = keep;
    const double numeric = (plus - minus) / (2 * eps);
    EXPECT_NEAR(dout[k], numeric, 2e-3 + 2e-3 * std::abs(numeric))
        << "entry " << k << " (value " << k % values << ")";
  }
}

}  // namespace
}  // namespace car_detection
