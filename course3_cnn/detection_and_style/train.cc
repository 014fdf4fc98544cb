// bazel run //course3_cnn/detection_and_style:train [-- --seed=1]
//
// The course's YOLO pipeline without the network: a generated picture (a
// road with cars, a bus, a truck, a person and a traffic light) and a
// generated 19x19x5x80 YOLO output for it, with many overlapping candidate
// boxes around every object (neighbouring cells and other anchors "see" the
// same object, as in a real YOLO) and faint noise elsewhere. It runs
// yolo_boxes_to_corners -> yolo_filter_boxes -> scale_boxes ->
// yolo_non_max_suppression (and yolo_eval, which must agree), draws the boxes
// before and after non-max suppression into two PNGs in
// output/detection_and_style/, and prints the kept boxes as the course's
// predict() does.
//
// Then small checks of the face and style-transfer functions on generated
// encodings and activations (there is no FaceNet or VGG19 here): the triplet
// loss, the Gram matrix, the content and style costs (0 for an image with
// itself, > 0 against another), the total cost; and a few steps of gradient
// descent on a layer's activations with our two gradients.
//
// It runs YOUR functions from exercise.cc; with --config=reference it runs
// the reference solution.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/core/random.h"
#include "common/core/tensor.h"
#include "common/data/image.h"
#include "common/grading/not_implemented.h"
#include "common/viz/app.h"
#include "common/viz/image_grid.h"
#include "common/viz/plot.h"
#include "course3_cnn/detection_and_style/detection_and_style.h"
#include "course3_cnn/detection_and_style/graded.h"  // see tools/unit.bzl
#include "tools/solution.h"

ABSL_FLAG(uint32_t, seed, 1, "Seed of the generated YOLO output");
ABSL_FLAG(double, score_threshold, 0.3,
          "yolo_filter_boxes threshold (the course's predict() uses 0.3)");
ABSL_FLAG(double, iou_threshold, 0.5, "Non-max suppression IoU threshold");
ABSL_FLAG(int, max_boxes, 10, "At most this many boxes after NMS (>= 1)");

namespace {

using detection_and_style::Box;
using detection_and_style::ImageShape;
using detection_and_style::Index;
using detection_and_style::kStyleLayers;
using detection_and_style::ScoredBoxes;
using detection_and_style::YoloOutputs;
using dl::Matrix;
using dl::RandomState;
template <int N>
using Tensor = dl::Tensor<N>;

constexpr char kUnit[] = "course3_cnn/detection_and_style";

// The picture: the course's 720 x 1280 road photos.
constexpr int kHeight = 720, kWidth = 1280;
// YOLOv2 on a 608 x 608 input: a 19 x 19 grid, 5 anchors, 80 COCO classes.
constexpr Index kGrid = 19, kAnchors = 5, kClasses = 80;
// The course's model_data/yolo_anchors.txt: (w, h) in grid cells.
constexpr double kAnchorWh[kAnchors][2] = {{0.57273, 0.677385},
                                           {1.87446, 2.06253},
                                           {3.33843, 5.47434},
                                           {7.88282, 3.52778},
                                           {9.77052, 9.16828}};

// The first ten COCO classes (model_data/coco_classes.txt).
const char* const kCocoNames[] = {
    "person", "bicycle", "car",   "motorbike", "aeroplane",
    "bus",    "train",   "truck", "boat",      "traffic light"};

std::string ClassName(int c) {
  if (c >= 0 && c < 10) return kCocoNames[c];
  return "class " + std::to_string(c);
}

using Rgb = std::array<uint8_t, 3>;

Rgb ClassColour(int c) {
  switch (c) {
    case 0:
      return {230, 40, 40};  // person: red
    case 2:
      return {40, 120, 255};  // car: blue
    case 5:
      return {255, 150, 0};  // bus: orange
    case 7:
      return {190, 60, 230};  // truck: purple
    case 9:
      return {20, 220, 90};  // traffic light: green
    default:
      return {255, 240, 0};  // anything else: yellow
  }
}

// One object of the generated scene: centre and size in [0, 1] of the
// picture's width (x, w) and height (y, h), as YOLO predicts them.
struct Object {
  int cls;
  double x, y, w, h;
  Rgb paint;  // its colour in the picture
};

const std::vector<Object> kScene = {
    {2, 0.30, 0.70, 0.20, 0.16, {150, 30, 30}},   // a car
    {2, 0.45, 0.74, 0.18, 0.15, {30, 90, 110}},   // a car, in front of it
    {5, 0.72, 0.62, 0.30, 0.28, {200, 170, 40}},  // a bus
    {7, 0.88, 0.58, 0.12, 0.10, {90, 90, 100}},   // a truck beside the bus
    {0, 0.10, 0.72, 0.04, 0.16, {60, 40, 30}},    // a person
    {9, 0.60, 0.22, 0.03, 0.10, {30, 30, 30}},    // a traffic light
};

// The generated picture: sky, road, lane markings, and the objects.
dl::Image Scene() {
  dl::Image image;
  image.height = kHeight;
  image.width = kWidth;
  image.channels = 3;
  image.pixels.resize(static_cast<size_t>(kHeight) * kWidth * 3);
  const int horizon = static_cast<int>(0.5 * kHeight);
  for (int y = 0; y < kHeight; ++y) {
    Rgb row;
    if (y < horizon) {
      const double t = static_cast<double>(y) / horizon;
      row = {static_cast<uint8_t>(120 + 90 * t),
             static_cast<uint8_t>(170 + 60 * t), 235};
    } else {
      const double t = static_cast<double>(y - horizon) / (kHeight - horizon);
      row = {static_cast<uint8_t>(110 - 40 * t),
             static_cast<uint8_t>(110 - 40 * t),
             static_cast<uint8_t>(115 - 40 * t)};
    }
    dl::FillRect(image, y, 0, y, kWidth - 1, row);
  }
  for (int x = 0; x < kWidth; x += 160) {  // lane markings
    dl::FillRect(image, static_cast<int>(0.84 * kHeight), x,
                 static_cast<int>(0.85 * kHeight), x + 80, {230, 230, 230});
  }
  for (const Object& o : kScene) {
    dl::FillRect(image, static_cast<int>((o.y - o.h / 2) * kHeight),
                 static_cast<int>((o.x - o.w / 2) * kWidth),
                 static_cast<int>((o.y + o.h / 2) * kHeight),
                 static_cast<int>((o.x + o.w / 2) * kWidth), o.paint);
  }
  return image;
}

double Sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// A generated yolo_head output for the scene. Every cell and anchor predicts
// a box: far from the objects a random one with a low confidence; in the
// 3 x 3 cells around an object's centre, a noisy copy of the object's box,
// with a confidence that falls with the distance to the centre cell and
// with the mismatch between the anchor's shape and the object's, and class
// probabilities peaked on the object's class.
YoloOutputs GenerateYoloOutputs(uint32_t seed) {
  RandomState rng(seed);
  YoloOutputs out;
  out.box_xy = Tensor<4>(kGrid, kGrid, kAnchors, 2);
  out.box_wh = Tensor<4>(kGrid, kGrid, kAnchors, 2);
  out.box_confidence = Tensor<4>(kGrid, kGrid, kAnchors, 1);
  out.box_class_probs = Tensor<4>(kGrid, kGrid, kAnchors, kClasses);
  std::vector<double> logits(kClasses);
  auto set_probs = [&](Index i, Index j, Index a) {
    const double mx = *std::max_element(logits.begin(), logits.end());
    double sum = 0;
    for (double& l : logits) sum += (l = std::exp(l - mx));
    for (Index c = 0; c < kClasses; ++c) {
      out.box_class_probs(i, j, a, c) = logits[c] / sum;
    }
  };
  // The background: box_xy = (sigmoid(t_xy) + cell) / 19 and box_wh =
  // anchor * exp(t_wh) / 19, as yolo_head computes them; p_c small.
  for (Index i = 0; i < kGrid; ++i) {    // row (y)
    for (Index j = 0; j < kGrid; ++j) {  // column (x)
      for (Index a = 0; a < kAnchors; ++a) {
        out.box_xy(i, j, a, 0) = (rng.random_sample() + j) / kGrid;
        out.box_xy(i, j, a, 1) = (rng.random_sample() + i) / kGrid;
        out.box_wh(i, j, a, 0) =
            kAnchorWh[a][0] * std::exp(0.3 * rng.standard_normal()) / kGrid;
        out.box_wh(i, j, a, 1) =
            kAnchorWh[a][1] * std::exp(0.3 * rng.standard_normal()) / kGrid;
        out.box_confidence(i, j, a, 0) = Sigmoid(-5.0 + rng.standard_normal());
        for (double& l : logits) l = 1.5 * rng.standard_normal();
        set_probs(i, j, a);
      }
    }
  }
  // The objects.
  for (const Object& o : kScene) {
    const Index ci = static_cast<Index>(o.y * kGrid);  // the centre cell
    const Index cj = static_cast<Index>(o.x * kGrid);
    const double aspect = std::log(o.w * kWidth / (o.h * kHeight));
    for (Index i = std::max<Index>(ci - 1, 0);
         i <= std::min<Index>(ci + 1, kGrid - 1); ++i) {
      for (Index j = std::max<Index>(cj - 1, 0);
           j <= std::min<Index>(cj + 1, kGrid - 1); ++j) {
        const double distance2 =
            static_cast<double>((i - ci) * (i - ci) + (j - cj) * (j - cj));
        for (Index a = 0; a < kAnchors; ++a) {
          const double mismatch =
              std::abs(std::log(kAnchorWh[a][0] / kAnchorWh[a][1]) - aspect);
          // Centre and size errors of a few % of the object's size, larger
          // in the neighbouring cells.
          const double noise = 0.04 * (1.0 + distance2);
          out.box_xy(i, j, a, 0) = o.x + noise * o.w * rng.standard_normal();
          out.box_xy(i, j, a, 1) = o.y + noise * o.h * rng.standard_normal();
          out.box_wh(i, j, a, 0) =
              o.w * std::exp(noise * rng.standard_normal());
          out.box_wh(i, j, a, 1) =
              o.h * std::exp(noise * rng.standard_normal());
          out.box_confidence(i, j, a, 0) =
              Sigmoid(2.5 - 2.0 * distance2 - 1.5 * mismatch +
                      0.6 * rng.standard_normal());
          for (double& l : logits) l = rng.standard_normal();
          logits[o.cls] = 7.0 + 0.5 * rng.standard_normal();
          set_probs(i, j, a);
        }
      }
    }
  }
  return out;
}

// The best IoU of a kept box (y_min, x_min, y_max, x_max in pixels) with an
// object of the scene, and that object.
struct Match {
  double iou = 0;
  int object = -1;
};

// The three parts of a ScoredBoxes must agree before we index them.
void CheckBoxes(const ScoredBoxes& b, const std::string& function) {
  const Index n = b.scores.size();
  if (b.boxes.rows() != n || b.boxes.cols() != 4 ||
      static_cast<Index>(b.classes.size()) != n) {
    throw std::runtime_error(function + " returned " + std::to_string(n) +
                             " scores, boxes " + dl::shape_string(b.boxes) +
                             " and " + std::to_string(b.classes.size()) +
                             " classes");
  }
}

// True when a stub was called since `before` stubs had been recorded.
bool StubHit(size_t before) {
  return dl::not_implemented_calls().size() > before;
}

std::string Fixed(double x, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

absl::Status SavePicture(const std::string& dir, const std::string& name,
                         const dl::Image& image) {
  const std::string path = dir + "/" + name;
  absl::Status s = dl::SavePng(path, image);
  if (s.ok()) std::printf("  wrote %s\n", path.c_str());
  return s;
}

// ---------------------------------------------------------------- YOLO
// Returns false when a stub was hit (the caller reports it).
bool RunYolo(uint32_t seed, double score_threshold, double iou_threshold,
             int max_boxes, const std::string& dir) {
  const size_t before = dl::not_implemented_calls().size();
  const YoloOutputs y = GenerateYoloOutputs(seed);
  const ImageShape image_shape{kHeight, kWidth};
  std::printf(
      "YOLO: a generated (19, 19, 5, 85) output for a %d x %d picture with "
      "%zu objects (seed %u)\n",
      kHeight, kWidth, kScene.size(), seed);

  const Tensor<4> boxes = graded::yolo_boxes_to_corners(y.box_xy, y.box_wh);
  if (StubHit(before)) return false;
  ScoredBoxes filtered = graded::yolo_filter_boxes(
      boxes, y.box_confidence, y.box_class_probs, score_threshold);
  if (StubHit(before)) return false;
  CheckBoxes(filtered, "yolo_filter_boxes");
  filtered.boxes = graded::scale_boxes(filtered.boxes, image_shape);
  if (StubHit(before)) return false;
  std::printf("  yolo_filter_boxes (threshold %s): %ld of %ld boxes\n",
              dl::repr(score_threshold).c_str(),
              static_cast<long>(filtered.scores.size()),
              static_cast<long>(kGrid * kGrid * kAnchors));
  const ScoredBoxes kept = graded::yolo_non_max_suppression(
      filtered.scores, filtered.boxes, filtered.classes, max_boxes,
      iou_threshold);
  if (StubHit(before)) return false;
  CheckBoxes(kept, "yolo_non_max_suppression");
  std::printf(
      "  yolo_non_max_suppression (max_boxes %d, iou_threshold %s): %ld "
      "boxes\n",
      max_boxes, dl::repr(iou_threshold).c_str(),
      static_cast<long>(kept.scores.size()));
  const ScoredBoxes evaluated = graded::yolo_eval(
      y, image_shape, max_boxes, score_threshold, iou_threshold);
  if (StubHit(before)) return false;
  CheckBoxes(evaluated, "yolo_eval");
  const bool agree =
      evaluated.scores.size() == kept.scores.size() &&
      evaluated.classes == kept.classes &&
      (kept.scores.size() == 0 ||
       ((evaluated.boxes - kept.boxes).cwiseAbs().maxCoeff() < 1e-9 &&
        (evaluated.scores - kept.scores).cwiseAbs().maxCoeff() < 1e-12));
  std::printf("  yolo_eval gives %s\n",
              agree ? "the same boxes"
                    : "OTHER boxes than the steps above: check its order "
                      "(corners -> filter -> scale -> NMS)");

  // The table, as the course's predict() prints them.
  std::printf("\n  %-14s %6s  %-28s  %s\n", "class", "score",
              "(left, top) (right, bottom)", "best IoU with an object");
  std::vector<bool> found(kScene.size(), false);
  int duplicates = 0, false_boxes = 0;
  for (Index k = 0; k < kept.scores.size(); ++k) {
    const double top = kept.boxes(k, 0), left = kept.boxes(k, 1);
    const double bottom = kept.boxes(k, 2), right = kept.boxes(k, 3);
    Match m;
    for (size_t o = 0; o < kScene.size(); ++o) {
      const Object& ob = kScene[o];
      const Box truth = {
          (ob.x - ob.w / 2) * kWidth, (ob.y - ob.h / 2) * kHeight,
          (ob.x + ob.w / 2) * kWidth, (ob.y + ob.h / 2) * kHeight};
      const double v = graded::iou({left, top, right, bottom}, truth);
      if (StubHit(before)) return false;
      if (v > m.iou) m = {v, static_cast<int>(o)};
    }
    const bool hit = m.object >= 0 && m.iou >= 0.5 &&
                     kScene[m.object].cls == kept.classes[k];
    std::string note;
    if (hit && found[m.object]) {
      ++duplicates;
      note = ", again";
    } else if (hit) {
      found[m.object] = true;
    } else {
      ++false_boxes;
      note = m.iou >= 0.5 ? ", another class" : ", too far off";
    }
    char corners[64];
    std::snprintf(corners, sizeof corners, "(%d, %d) (%d, %d)",
                  static_cast<int>(std::floor(left + 0.5)),
                  static_cast<int>(std::floor(top + 0.5)),
                  static_cast<int>(std::floor(right + 0.5)),
                  static_cast<int>(std::floor(bottom + 0.5)));
    std::printf("  %-14s %6.2f  %-28s  %s\n",
                ClassName(kept.classes[k]).c_str(), kept.scores(k), corners,
                m.object < 0 ? "none"
                             : (Fixed(m.iou, 2) + " (" +
                                ClassName(kScene[m.object].cls) + " #" +
                                std::to_string(m.object) + note + ")")
                                   .c_str());
  }
  const int n_found =
      static_cast<int>(std::count(found.begin(), found.end(), true));
  std::printf(
      "  %d of %zu objects found (same class, IoU >= 0.5); extra boxes on "
      "an object found already: %d; boxes on no object: %d\n",
      n_found, kScene.size(), duplicates, false_boxes);

  // The pictures: thin outlines before NMS, thick ones after.
  dl::Image before_nms = Scene();
  for (Index k = 0; k < filtered.scores.size(); ++k) {
    dl::DrawBox(before_nms, filtered.boxes(k, 0), filtered.boxes(k, 1),
                filtered.boxes(k, 2), filtered.boxes(k, 3),
                ClassColour(filtered.classes[k]), 1);
  }
  dl::Image after_nms = Scene();
  for (Index k = 0; k < kept.scores.size(); ++k) {
    dl::DrawBox(after_nms, kept.boxes(k, 0), kept.boxes(k, 1), kept.boxes(k, 2),
                kept.boxes(k, 3), ClassColour(kept.classes[k]), 4);
  }
  std::printf("\n");
  for (const auto& [name, image] : {std::pair<const char*, const dl::Image*>{
                                        "boxes_before_nms.png", &before_nms},
                                    {"boxes_after_nms.png", &after_nms}}) {
    const absl::Status s = SavePicture(dir, name, *image);
    if (!s.ok()) {
      std::fprintf(stderr, "warning: %s\n", std::string(s.message()).c_str());
    }
  }
  std::printf(
      "  colours: car blue, bus orange, truck purple, person red, traffic "
      "light green, other yellow\n");
  return true;
}

// ------------------------------------------------------------ face check
bool RunFace() {
  const size_t before = dl::not_implemented_calls().size();
  // Three "people", each a direction in 128-d; an encoding is its person's
  // direction plus a little noise, normalised as img_to_encoding does.
  RandomState rng(7);
  const Matrix people = rng.randn(3, 128);
  auto encode = [&](int person) {
    Matrix e = people.row(person) + 0.3 * rng.randn(1, 128);
    return Matrix(e / e.norm());
  };
  const int m = 6;
  Matrix anchor(m, 128), positive(m, 128), negative(m, 128);
  for (int i = 0; i < m; ++i) {
    anchor.row(i) = encode(i % 3);
    positive.row(i) = encode(i % 3);
    negative.row(i) = encode((i + 1) % 3);
  }
  std::printf("\nFace: %d triplets of generated 128-d encodings (3 people)\n",
              m);
  const double good = graded::triplet_loss(anchor, positive, negative, 0.2);
  if (StubHit(before)) return false;
  const double swapped = graded::triplet_loss(anchor, negative, positive, 0.2);
  if (StubHit(before)) return false;
  std::printf(
      "  triplet_loss(anchor, positive, negative) = %s   (well separated: 0)\n"
      "  triplet_loss(anchor, negative, positive) = %s   (positive and "
      "negative swapped: > 0)\n",
      dl::repr(good).c_str(), dl::repr(swapped).c_str());
  return true;
}

// ---------------------------------------------------------- style check
bool RunStyle() {
  const size_t before = dl::not_implemented_calls().size();
  RandomState rng(3);
  // One layer's activations (1, n_H, n_W, n_C) for content, style and the
  // generated image (the course starts G from the content plus noise).
  const Index n_H = 25, n_W = 25, n_C = 8;
  const Tensor<4> a_C = rng.rand_tensor<4>({1, n_H, n_W, n_C});
  // The style: channels that move together (the style is in the Gram matrix).
  Tensor<4> a_S = rng.rand_tensor<4>({1, n_H, n_W, n_C});
  for (Index h = 0; h < n_H; ++h) {
    for (Index w = 0; w < n_W; ++w) {
      for (Index c = 1; c < n_C; ++c) {
        a_S(0, h, w, c) = 0.5 * a_S(0, h, w, c) + 0.8 * a_S(0, h, w, 0);
      }
    }
  }
  const Tensor<4> a_G = a_C + rng.rand_tensor<4>({1, n_H, n_W, n_C}) * 0.5;

  std::printf(
      "\nStyle transfer, on generated activations (no VGG19 here): a_C, a_S, "
      "a_G (1, %ld, %ld, %ld)\n",
      static_cast<long>(n_H), static_cast<long>(n_W), static_cast<long>(n_C));
  const Matrix A_G = Eigen::Map<const detection_and_style::RowMajorMatrix>(
                         a_G.data(), n_H * n_W, n_C)
                         .transpose();
  const Matrix G = graded::gram_matrix(A_G);
  if (StubHit(before)) return false;
  std::printf("  gram_matrix(A_G), A_G %s: %s, symmetric: %s\n",
              dl::shape_string(A_G).c_str(), dl::shape_string(G).c_str(),
              G.rows() == n_C && G.cols() == n_C && G.isApprox(G.transpose())
                  ? "yes"
                  : "NO");
  const double J_content_self = graded::compute_content_cost(a_C, a_C);
  const double J_content = graded::compute_content_cost(a_C, a_G);
  const double J_layer_self = graded::compute_layer_style_cost(a_G, a_G);
  const double J_layer = graded::compute_layer_style_cost(a_S, a_G);
  if (StubHit(before)) return false;
  std::printf("  compute_content_cost(a_C, a_C)     = %s\n",
              dl::repr(J_content_self).c_str());
  std::printf("  compute_content_cost(a_C, a_G)     = %s\n",
              dl::repr(J_content).c_str());
  std::printf("  compute_layer_style_cost(a_G, a_G) = %s\n",
              dl::repr(J_layer_self).c_str());
  std::printf("  compute_layer_style_cost(a_S, a_G) = %s  (%s)\n",
              dl::repr(J_layer).c_str(), J_layer > 0 ? "> 0" : "NOT > 0");

  // Five style layers of shrinking size, as VGG19's block1..5_conv1.
  std::vector<Tensor<4>> style_output, generated_output;
  for (Index l = 0; l < 5; ++l) {
    const Index side = 32 >> l, channels = 4 << l;
    style_output.push_back(rng.rand_tensor<4>({1, side, side, channels}));
    generated_output.push_back(rng.rand_tensor<4>({1, side, side, channels}));
  }
  const double J_style_self = graded::compute_style_cost(
      generated_output, generated_output, kStyleLayers);
  const double J_style =
      graded::compute_style_cost(style_output, generated_output, kStyleLayers);
  if (StubHit(before)) return false;
  const double J = graded::total_cost(J_content, J_style, 10, 40);
  if (StubHit(before)) return false;
  std::printf(
      "  compute_style_cost over STYLE_LAYERS (5 layers, 0.2 each): G with "
      "itself %s, S with G %s\n",
      dl::repr(J_style_self).c_str(), dl::repr(J_style).c_str());
  std::printf("  total_cost(J_content, J_style) = 10 * %s + 40 * %s = %s\n",
              dl::repr(J_content).c_str(), dl::repr(J_style).c_str(),
              dl::repr(J).c_str());
  return true;
}

// ------------------------------------------- gradient descent (ours)
bool RunGradientDescent() {
  const size_t before = dl::not_implemented_calls().size();
  RandomState rng(4);
  const Index n_H = 10, n_W = 10, n_C = 4;
  const Tensor<4> a_C = rng.rand_tensor<4>({1, n_H, n_W, n_C});
  const Tensor<4> a_S = rng.rand_tensor<4>({1, n_H, n_W, n_C}) * 2.0;
  Tensor<4> a_G = a_C + rng.rand_tensor<4>({1, n_H, n_W, n_C}) * 0.5;
  const double alpha = 10, beta = 40, learning_rate = 2;
  std::printf(
      "\nGradient descent on one layer's a_G (1, %ld, %ld, %ld) with "
      "compute_content_cost_backward and compute_layer_style_cost_backward:\n"
      "  J = 10 J_content + 40 J_style_layer, learning rate %s\n",
      static_cast<long>(n_H), static_cast<long>(n_W), static_cast<long>(n_C),
      dl::repr(learning_rate).c_str());
  const int steps = 200;
  for (int step = 0; step <= steps; ++step) {
    const double J_content = graded::compute_content_cost(a_C, a_G);
    const double J_style = graded::compute_layer_style_cost(a_S, a_G);
    if (StubHit(before)) return false;
    if (step % 50 == 0) {
      std::printf("  step %3d  J_content %.6f  J_style %.6f  J %.6f\n", step,
                  J_content, J_style, alpha * J_content + beta * J_style);
    }
    if (step == steps) break;
    const Tensor<4> dcontent = graded::compute_content_cost_backward(a_C, a_G);
    const Tensor<4> dstyle =
        graded::compute_layer_style_cost_backward(a_S, a_G);
    if (StubHit(before)) return false;
    if (dcontent.dimensions() != a_G.dimensions() ||
        dstyle.dimensions() != a_G.dimensions()) {
      std::printf("  a gradient has the wrong shape: %s and %s, a_G %s\n",
                  dl::shape_string(dcontent).c_str(),
                  dl::shape_string(dstyle).c_str(),
                  dl::shape_string(a_G).c_str());
      return true;
    }
    a_G = a_G - (dcontent * alpha + dstyle * beta) * learning_rate;
  }
  return true;
}

}  // namespace

constexpr char kUsage[] =
    "YOLO's box filtering and non-max suppression on a generated output, and "
    "checks of the face and style-transfer costs.";

int main(int argc, char** argv) {
  if (!dl::StartProgram(argc, argv, kUsage)) return 2;
  const uint32_t seed = absl::GetFlag(FLAGS_seed);
  const double score_threshold = absl::GetFlag(FLAGS_score_threshold);
  const double iou_threshold = absl::GetFlag(FLAGS_iou_threshold);
  const int max_boxes = dl::PositiveFlag(FLAGS_max_boxes);
  if (!(score_threshold >= 0 && score_threshold <= 1)) {
    return dl::Fail("--score_threshold must be in [0, 1]");
  }
  if (!(iou_threshold >= 0 && iou_threshold <= 1)) {
    return dl::Fail("--iou_threshold must be in [0, 1]");
  }

  absl::StatusOr<std::string> dir = dl::OutputDir("detection_and_style");
  if (!dir.ok()) return dl::Fail(dir.status());
  std::printf("Running %s\n\n", dl::SolutionFile());

  dl::clear_not_implemented();
  std::vector<std::string> skipped;
  try {
    auto section = [&](const char* name, bool done) {
      if (done) return;
      std::printf("  (stopped here: not implemented yet)\n");
      skipped.push_back(name);
    };
    section("YOLO",
            RunYolo(seed, score_threshold, iou_threshold, max_boxes, *dir));
    section("face", RunFace());
    section("style", RunStyle());
    section("gradient descent", RunGradientDescent());
  } catch (const std::exception& e) {
    return dl::Fail(std::string("a function threw: ") + e.what() +
                    "\n(bazel test //" + kUnit +
                    "/... points at the function)");
  }
  if (!skipped.empty()) {
    std::string parts;
    for (const std::string& s : skipped) {
      parts += (parts.empty() ? "" : ", ") + s;
    }
    std::printf("\n(skipped: %s)\n", parts.c_str());
    std::fflush(stdout);
    return dl::Fail(dl::NotImplementedMessage(kUnit));
  }
  std::printf("\nDone in %.1f s.\n", dl::SecondsSinceStart());
  return 0;
}
