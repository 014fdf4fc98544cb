// bazel run //course3_cnn/car_detection:train
//
// The course's notebook from start to end, with our tiny detector instead
// of YOLOv2:
//   1. the detector: trained on 2000 generated street scenes the first time
//      (about 25 s), then read from data/car_detection/; its anchors;
//   2. your preprocess_true_boxes on a held-out scene: which cell and anchor
//      answer for each object;
//   3. your predict (yolo_head, then the reference's yolo_eval) on that
//      scene, printed as the course's predict() prints it;
//   4. your average_precision and mean_average_precision over held-out
//      scenes, at the course's score threshold 0.3 and at 0.05;
//   5. pictures of held-out scenes with the kept boxes, class and score.
// Writes output/car_detection/predictions.png.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/statusor.h"
#include "common/data/image.h"
#include "common/grading/not_implemented.h"
#include "common/viz/app.h"
#include "common/viz/image_grid.h"
#include "common/viz/plot.h"
#include "course3_cnn/car_detection/car_detection.h"
#include "course3_cnn/car_detection/detector.h"
#include "course3_cnn/car_detection/graded.h"  // see tools/unit.bzl
#include "course3_cnn/car_detection/scenes.h"
#include "tools/solution.h"

ABSL_FLAG(int, test_scenes, 300, "Held-out scenes for the mAP (1..5000)");
ABSL_FLAG(int, pictures, 8, "Held-out scenes drawn with their boxes (1..24)");
ABSL_FLAG(double, score_threshold, 0.3,
          "yolo_eval's score threshold (the course's predict() uses 0.3)");
ABSL_FLAG(double, iou_threshold, 0.5, "Non-max suppression IoU threshold");
ABSL_FLAG(int, max_boxes, 10, "At most this many boxes per picture");

namespace {

namespace cd = car_detection;
using cd::Index;
using cd::Matrix;
using cd::ScoredBoxes;
constexpr char kUnit[] = "course3_cnn/car_detection";
// The pictures are drawn, and the boxes given, at 256 x 256: the network
// sees them at 64 x 64, as YOLO sees the course's 720 x 1280 photos at
// 608 x 608.
constexpr int kDrawSize = 256;
const cd::ImageShape kImageShape{kDrawSize, kDrawSize};
// The score threshold of the second mAP column: benchmarks keep nearly
// every box, to see the whole precision-recall curve.
constexpr double kLowThreshold = 0.05;

using Rgb = std::array<uint8_t, 3>;

int Round(double v) { return static_cast<int>(std::floor(v + 0.5)); }

std::string Label(int cls, double score) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s %.2f", cd::class_name(cls).c_str(), score);
  return buf;
}

// The three parts of a ScoredBoxes must agree before we index them.
bool Consistent(const ScoredBoxes& b) {
  const Index n = b.scores.size();
  return b.boxes.rows() == n && b.boxes.cols() == 4 &&
         static_cast<Index>(b.classes.size()) == n;
}

// Your functions on an untrained detector and a few true boxes: a stub
// stops the program before the detector's training.
bool StubsAnswer() {
  dl::clear_not_implemented();
  cd::Model untrained = cd::make_detector(3);
  const cd::Scenes one = cd::generate_scenes(cd::kFirstTestScene, 1, 64);
  const Matrix anchors = Matrix::Constant(cd::kAnchors, 2, 1.0);
  cd::Tensor<4> feats(cd::kGrid, cd::kGrid, cd::kAnchors, 5 + cd::kNumClasses);
  feats.setZero();
  graded::yolo_head(feats, anchors, cd::kNumClasses);
  graded::preprocess_true_boxes(cd::true_boxes(one.objects[0]), anchors,
                                cd::kGrid);
  const ScoredBoxes found =
      graded::predict(untrained, one.picture(0), anchors, cd::kNumClasses,
                      kImageShape, 10, 0.3, 0.5);
  const std::vector<ScoredBoxes> detections = {found};
  const std::vector<cd::TrueBoxes> truths = {
      cd::true_corners(one.objects[0], kImageShape)};
  graded::average_precision(detections, truths, 0, 0.5);
  graded::mean_average_precision(detections, truths, cd::kNumClasses, 0.5);
  return dl::StubsCalled().empty();
}

}  // namespace

constexpr char kUsage[] =
    "Car detection with a tiny YOLO trained on generated street scenes: your "
    "yolo_head, preprocess_true_boxes, predict and mAP.";

int main(int argc, char** argv) {
  if (!dl::StartProgram(argc, argv, kUsage)) return 2;
  const int test_scenes = dl::FlagInRange(FLAGS_test_scenes, 1, 5000);
  const int pictures = dl::FlagInRange(FLAGS_pictures, 1, 24);
  const int max_boxes = dl::FlagInRange(FLAGS_max_boxes, 1, 100);
  const double score_threshold = absl::GetFlag(FLAGS_score_threshold);
  const double iou_threshold = absl::GetFlag(FLAGS_iou_threshold);
  if (!(score_threshold >= 0 && score_threshold <= 1)) {
    return dl::Fail("--score_threshold must be in [0, 1]");
  }
  if (!(iou_threshold >= 0 && iou_threshold <= 1)) {
    return dl::Fail("--iou_threshold must be in [0, 1]");
  }
  absl::StatusOr<std::string> out = dl::OutputDir("car_detection");
  if (!out.ok()) return dl::Fail(out.status());
  const auto failed = [](const std::exception& e) {
    return dl::Fail(std::string("your functions failed: ") + e.what() +
                    "\n(bazel test //" + kUnit +
                    "/... points at the function)");
  };
  try {
    if (!StubsAnswer()) return dl::Fail(dl::NotImplementedMessage(kUnit));
  } catch (const std::exception& e) {
    return failed(e);
  }
  std::printf("Running %s\n\n", dl::SolutionFile());

  // ----------------------------------------------------- 1. the detector
  absl::StatusOr<cd::Detector> loaded = cd::pretrained_detector();
  if (!loaded.ok()) return dl::Fail(loaded.status());
  cd::Model& model = loaded->model;
  const Matrix& anchors = loaded->anchors;
  std::printf(
      "The detector: a tiny YOLO, %lld parameters; input (64, 64, 3), output "
      "(8, 8, %d): an 8 x 8 grid, %d anchors x (5 + %d classes)\n",
      static_cast<long long>(model.CountParameters()),
      cd::kAnchors * (5 + cd::kNumClasses), cd::kAnchors, cd::kNumClasses);
  std::printf(
      "Its anchors (w, h) in grid cells (k-means on the training boxes):");
  for (Index a = 0; a < anchors.rows(); ++a) {
    std::printf(" (%.2f, %.2f)", anchors(a, 0), anchors(a, 1));
  }
  std::printf("\n\n");

  const cd::Scenes test =
      cd::generate_scenes(cd::kFirstTestScene, test_scenes, cd::kSceneSize);
  try {
    // --------------------------------------- 2. preprocess_true_boxes
    dl::clear_not_implemented();
    const std::vector<cd::Object>& objects = test.objects[0];
    const Matrix boxes = cd::true_boxes(objects);
    const cd::YoloTargets targets =
        graded::preprocess_true_boxes(boxes, anchors, cd::kGrid);
    std::printf(
        "Test scene %d has %zu objects; your preprocess_true_boxes gives "
        "them these detectors (cell row i, column j, anchor a) and targets "
        "(x - j, y - i, log(w / anchor_w), log(h / anchor_h)):\n",
        cd::kFirstTestScene, objects.size());
    const std::array<Index, 4> mask_shape = {cd::kGrid, cd::kGrid, cd::kAnchors,
                                             1};
    const std::array<Index, 4> match_shape = {cd::kGrid, cd::kGrid,
                                              cd::kAnchors, 5};
    const bool shaped = targets.detectors_mask.dimensions() == mask_shape &&
                        targets.matching_true_boxes.dimensions() == match_shape;
    for (const cd::Object& o : objects) {
      const int i = std::min(cd::kGrid - 1, static_cast<int>(o.y * cd::kGrid));
      const int j = std::min(cd::kGrid - 1, static_cast<int>(o.x * cd::kGrid));
      int anchor = -1;
      for (int a = 0; shaped && a < cd::kAnchors; ++a) {
        if (targets.detectors_mask(i, j, a, 0) == 1 &&
            targets.matching_true_boxes(i, j, a, 4) == o.cls) {
          anchor = a;
        }
      }
      std::printf("  %-12s (x %.3f, y %.3f, w %.3f, h %.3f) -> ",
                  cd::class_name(o.cls).c_str(), o.x, o.y, o.w, o.h);
      if (anchor < 0) {
        std::printf("no detector in cell (%d, %d)\n", i, j);
        continue;
      }
      std::printf("cell (%d, %d), anchor %d, target (%.3f, %.3f, %.3f, %.3f)\n",
                  i, j, anchor, targets.matching_true_boxes(i, j, anchor, 0),
                  targets.matching_true_boxes(i, j, anchor, 1),
                  targets.matching_true_boxes(i, j, anchor, 2),
                  targets.matching_true_boxes(i, j, anchor, 3));
    }

    // ------------------------------------------------------ 3. predict
    const ScoredBoxes found =
        graded::predict(model, test.picture(0), anchors, cd::kNumClasses,
                        kImageShape, max_boxes, score_threshold, iou_threshold);
    if (!Consistent(found)) {
      return dl::Fail(
          "your predict returned scores, boxes and classes of "
          "different lengths");
    }
    std::printf("\nFound %ld boxes for test scene %d (drawn at %d x %d)\n",
                static_cast<long>(found.scores.size()), cd::kFirstTestScene,
                kDrawSize, kDrawSize);
    for (Index k = 0; k < found.scores.size(); ++k) {
      std::printf("%s (%d, %d) (%d, %d)\n",
                  Label(found.classes[k], found.scores(k)).c_str(),
                  Round(found.boxes(k, 1)), Round(found.boxes(k, 0)),
                  Round(found.boxes(k, 3)), Round(found.boxes(k, 2)));
    }

    // ------------------------------------------------------- 4. the mAP
    std::vector<ScoredBoxes> course, low;
    std::vector<cd::TrueBoxes> truths;
    for (int s = 0; s < test_scenes; ++s) {
      const cd::Picture picture = test.picture(s);
      course.push_back(graded::predict(model, picture, anchors, cd::kNumClasses,
                                       kImageShape, max_boxes, score_threshold,
                                       iou_threshold));
      low.push_back(graded::predict(model, picture, anchors, cd::kNumClasses,
                                    kImageShape, max_boxes, kLowThreshold,
                                    iou_threshold));
      truths.push_back(cd::true_corners(test.objects[s], kImageShape));
      if (!Consistent(course.back()) || !Consistent(low.back())) {
        return dl::Fail(
            "your predict returned scores, boxes and classes of "
            "different lengths");
      }
    }
    std::printf(
        "\nAverage precision at IoU 0.5 on %d held-out scenes (yours: "
        "average_precision, mean_average_precision):\n",
        test_scenes);
    std::printf("  %-12s %10s  %22s  %22s\n", "class", "true boxes",
                ("score threshold " + dl::repr(score_threshold)).c_str(),
                ("score threshold " + dl::repr(kLowThreshold)).c_str());
    for (int c = 0; c < cd::kNumClasses; ++c) {
      int n = 0;
      for (const cd::TrueBoxes& t : truths) {
        n +=
            static_cast<int>(std::count(t.classes.begin(), t.classes.end(), c));
      }
      const double ap = graded::average_precision(course, truths, c, 0.5);
      const double ap_low = graded::average_precision(low, truths, c, 0.5);
      std::printf("  %-12s %10d  %22.3f  %22.3f\n", cd::class_name(c).c_str(),
                  n, ap, ap_low);
    }
    const double map =
        graded::mean_average_precision(course, truths, cd::kNumClasses, 0.5);
    const double map_low =
        graded::mean_average_precision(low, truths, cd::kNumClasses, 0.5);
    std::printf("  %-12s %10s  %22.3f  %22.3f\n", "mAP@0.5", "", map, map_low);
    if (!dl::StubsCalled().empty()) {
      return dl::Fail(dl::NotImplementedMessage(kUnit));
    }

    // -------------------------------------------------- 5. the pictures
    std::vector<dl::GridTile> tiles;
    for (int s = 0; s < std::min(pictures, test_scenes); ++s) {
      dl::Image image = cd::draw_scene(cd::kFirstTestScene + s, kDrawSize);
      for (Index k = 0; k < truths[s].boxes.rows(); ++k) {
        const Matrix& t = truths[s].boxes;
        dl::DrawBox(image, t(k, 0), t(k, 1), t(k, 2), t(k, 3), {255, 255, 255});
      }
      const ScoredBoxes& b = course[s];
      for (Index k = 0; k < b.scores.size(); ++k) {
        dl::DrawBox(image, b.boxes(k, 0), b.boxes(k, 1), b.boxes(k, 2),
                    b.boxes(k, 3), cd::class_colour(b.classes[k]), 2,
                    Label(b.classes[k], b.scores(k)));
      }
      tiles.push_back({image,
                       "scene " + std::to_string(cd::kFirstTestScene + s) +
                           ": " + std::to_string(b.scores.size()) + " boxes, " +
                           std::to_string(truths[s].classes.size()) +
                           " objects",
                       dl::kGridBlack});
    }
    std::printf(
        "\nThe first %zu test scenes with the kept boxes (thin white: the "
        "true boxes):\n",
        tiles.size());
    dl::ReportWritten(
        dl::SavePng(*out + "/predictions.png", dl::MakeImageGrid(tiles, 4, 1)),
        *out + "/predictions.png");
  } catch (const std::exception& e) {
    return failed(e);
  }
  std::printf("\nDone in %.1f s.\n", dl::SecondsSinceStart());
  return 0;
}
