// File: course3_cnn/unet/unet_utils.cc
//
// The generated street scenes, create_mask, the scores and the picture
// (see unet_utils.h).

#include "course3_cnn/unet/unet_utils.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace unet {
namespace {

enum Class {
  kSky = 0,
  kRoad = 1,
  kBuilding = 2,
  kCar = 3,
  kPerson = 4,
  kSign = 5
};

// One scene being drawn: its colours and its mask.
class Scene {
 public:
  Scene(int height, int width)
      : h_(height),
        w_(width),
        rgb_(size_t(height) * width * 3, 0.0),
        mask_(size_t(height) * width, kSky) {}

  int height() const { return h_; }
  int width() const { return w_; }

  // Paints pixel (y, x) with the colour and the class (outside: nothing).
  void Paint(int y, int x, const std::array<double, 3>& colour, int label) {
    if (y < 0 || y >= h_ || x < 0 || x >= w_) return;
    for (int c = 0; c < 3; ++c) rgb_[(size_t(y) * w_ + x) * 3 + c] = colour[c];
    mask_[size_t(y) * w_ + x] = label;
  }
  void Rect(double y0, double x0, double y1, double x1,
            const std::array<double, 3>& colour, int label) {
    for (int y = int(std::floor(y0)); y < int(std::ceil(y1)); ++y) {
      for (int x = int(std::floor(x0)); x < int(std::ceil(x1)); ++x) {
        Paint(y, x, colour, label);
      }
    }
  }
  void Disc(double cy, double cx, double r, const std::array<double, 3>& colour,
            int label) {
    for (int y = int(cy - r); y <= int(cy + r) + 1; ++y) {
      for (int x = int(cx - r); x <= int(cx + r) + 1; ++x) {
        if ((y - cy) * (y - cy) + (x - cx) * (x - cx) <= r * r) {
          Paint(y, x, colour, label);
        }
      }
    }
  }
  // A triangle pointing up: apex (y0, cx), base at y1 of half-width hw.
  void Triangle(double y0, double y1, double cx, double hw,
                const std::array<double, 3>& colour, int label) {
    for (int y = int(y0); y <= int(y1); ++y) {
      const double half = hw * (y - y0) / std::max(1.0, y1 - y0);
      for (int x = int(cx - half); x <= int(cx + half); ++x) {
        Paint(y, x, colour, label);
      }
    }
  }

  const std::vector<double>& rgb() const { return rgb_; }
  const std::vector<int>& mask() const { return mask_; }

 private:
  int h_, w_;
  std::vector<double> rgb_;  // (h, w, 3) in [0, 1]
  std::vector<int> mask_;    // (h, w)
};

std::array<double, 3> Jitter(dl::RandomState& rng, std::array<double, 3> c,
                             double amount) {
  for (double& v : c)
    v = std::clamp(v + rng.uniform(-amount, amount), 0.0, 1.0);
  return c;
}

// A saturated colour for a car or clothes.
std::array<double, 3> Vivid(dl::RandomState& rng) {
  static const std::array<double, 3> kColours[] = {
      {0.8, 0.1, 0.1}, {0.1, 0.3, 0.8},    {0.9, 0.8, 0.1}, {0.1, 0.6, 0.2},
      {0.9, 0.9, 0.9}, {0.15, 0.15, 0.15}, {0.6, 0.2, 0.7}, {0.9, 0.5, 0.1}};
  return Jitter(rng, kColours[rng.randint(0, 8)], 0.08);
}

void DrawScene(Scene& s, dl::RandomState& rng) {
  const int H = s.height(), W = s.width();
  const double horizon = H * rng.uniform(0.35, 0.5);
  // Sky: a vertical gradient.
  const std::array<double, 3> top = Jitter(rng, {0.35, 0.55, 0.85}, 0.1);
  for (int y = 0; y < horizon; ++y) {
    const double t = y / horizon;
    for (int x = 0; x < W; ++x) {
      s.Paint(y, x, {top[0] + 0.3 * t, top[1] + 0.25 * t, top[2] + 0.1 * t},
              kSky);
    }
  }
  // Buildings along the horizon, with windows.
  for (double x = rng.uniform(-W * 0.1, 0); x < W;) {
    const double bw = W * rng.uniform(0.12, 0.3);
    const double bh = horizon * rng.uniform(0.3, 0.9);
    const std::array<double, 3> wall = Jitter(rng, {0.55, 0.45, 0.4}, 0.15);
    const std::array<double, 3> glass = Jitter(rng, {0.85, 0.85, 0.6}, 0.1);
    s.Rect(horizon - bh, x, horizon + 1, x + bw, wall, kBuilding);
    for (double wy = horizon - bh + 3; wy + 3 < horizon - 2; wy += 6) {
      for (double wx = x + 2; wx + 2 < x + bw - 1; wx += 5) {
        s.Rect(wy, wx, wy + 2, wx + 2, glass, kBuilding);
      }
    }
    x += bw + W * rng.uniform(0, 0.05);
  }
  // The road below the horizon, with dashed lane marks in the middle.
  const std::array<double, 3> asphalt = Jitter(rng, {0.35, 0.35, 0.37}, 0.06);
  s.Rect(horizon, 0, H, W, asphalt, kRoad);
  const double centre = W * rng.uniform(0.4, 0.6);
  for (double y = horizon + 2; y < H; y += 8) {
    const double depth = (y - horizon) / (H - horizon);
    s.Rect(y, centre - 0.5 - depth, y + 3 + 3 * depth, centre + 0.5 + depth,
           {0.95, 0.95, 0.9}, kRoad);
  }
  // Things on the road, far ones first; their size grows with y.
  struct Thing {
    int kind;
    double y, x;
  };
  std::vector<Thing> things;
  const int n = static_cast<int>(rng.randint(2, 7));
  for (int k = 0; k < n; ++k) {
    const int kind = static_cast<int>(rng.randint(0, 10));  // 5 cars, 3, 2
    things.push_back({kind < 5   ? kCar
                      : kind < 8 ? kPerson
                                 : kSign,
                      rng.uniform(horizon + 4, H - 1), rng.uniform(0, W)});
  }
  std::sort(things.begin(), things.end(),
            [](const Thing& a, const Thing& b) { return a.y < b.y; });
  for (const Thing& t : things) {
    const double scale = 0.3 + 0.9 * (t.y - horizon) / (H - horizon);
    if (t.kind == kCar) {
      const double cw = W * 0.22 * scale, ch = cw * 0.45;
      const std::array<double, 3> body = Vivid(rng);
      s.Rect(t.y - ch, t.x - cw / 2, t.y - ch * 0.3, t.x + cw / 2, body, kCar);
      s.Rect(t.y - ch * 1.5, t.x - cw * 0.3, t.y - ch + 1, t.x + cw * 0.3, body,
             kCar);
      s.Rect(t.y - ch * 1.35, t.x - cw * 0.22, t.y - ch, t.x + cw * 0.22,
             {0.7, 0.85, 0.95}, kCar);
      s.Disc(t.y - ch * 0.3, t.x - cw * 0.3, ch * 0.3, {0.05, 0.05, 0.05},
             kCar);
      s.Disc(t.y - ch * 0.3, t.x + cw * 0.3, ch * 0.3, {0.05, 0.05, 0.05},
             kCar);
    } else if (t.kind == kPerson) {
      const double ph = H * 0.3 * scale, pw = ph * 0.3;
      const std::array<double, 3> clothes = Vivid(rng);
      s.Rect(t.y - ph * 0.45, t.x - pw * 0.3, t.y, t.x + pw * 0.3,
             {0.15, 0.15, 0.3}, kPerson);  // legs
      s.Rect(t.y - ph * 0.8, t.x - pw / 2, t.y - ph * 0.4, t.x + pw / 2,
             clothes, kPerson);
      s.Disc(t.y - ph * 0.88, t.x, ph * 0.1,
             Jitter(rng, {0.85, 0.65, 0.5}, 0.1), kPerson);
    } else {
      const double sh = H * 0.35 * scale, r = sh * 0.16;
      s.Rect(t.y - sh, t.x - std::max(0.6, r * 0.15), t.y,
             t.x + std::max(0.6, r * 0.15), {0.5, 0.5, 0.5}, kSign);
      if (rng.randint(0, 2)) {
        s.Disc(t.y - sh, t.x, r, {0.85, 0.1, 0.1}, kSign);
        s.Disc(t.y - sh, t.x, r * 0.6, {0.95, 0.95, 0.95}, kSign);
      } else {
        s.Triangle(t.y - sh - r, t.y - sh + r, t.x, r * 1.1, {0.95, 0.8, 0.1},
                   kSign);
      }
    }
  }
}

}  // namespace

std::string class_name(int c) {
  static const char* const kNames[kNumClasses] = {"sky", "road",   "building",
                                                  "car", "person", "sign"};
  if (c < 0 || c >= kNumClasses) return "class " + std::to_string(c);
  return kNames[c];
}

std::array<uint8_t, 3> class_colour(int c) {
  static const std::array<uint8_t, 3> kColours[kNumClasses] = {
      {70, 130, 180}, {128, 64, 128}, {70, 70, 70},
      {0, 0, 142},    {220, 20, 60},  {220, 220, 0}};
  if (c < 0 || c >= kNumClasses) return {0, 0, 0};
  return kColours[c];
}

Scenes generate_scenes(int m, int height, int width, dl::RandomState& rng) {
  if (m < 0 || height < 16 || width < 16) {
    throw std::invalid_argument(
        "generate_scenes: m >= 0 scenes of at least 16 x 16 pixels");
  }
  Scenes out;
  out.height = height;
  out.width = width;
  out.X = dl::nn::Array<float>({m, height, width, 3});
  out.masks.reserve(size_t(m) * height * width);
  for (int i = 0; i < m; ++i) {
    Scene s(height, width);
    DrawScene(s, rng);
    float* x = out.X.data() + size_t(i) * height * width * 3;
    for (size_t k = 0; k < s.rgb().size(); ++k) {
      const double noisy = s.rgb()[k] + 0.03 * rng.standard_normal();
      x[k] = static_cast<float>(std::clamp(noisy, 0.0, 1.0));
    }
    out.masks.insert(out.masks.end(), s.mask().begin(), s.mask().end());
  }
  return out;
}

std::vector<int> create_mask(const dl::nn::Array<float>& logits) {
  const dl::nn::Index C = logits.dim(-1), rows = logits.size() / C;
  std::vector<int> mask(rows);
  for (dl::nn::Index r = 0; r < rows; ++r) {
    const float* row = logits.data() + r * C;
    mask[r] = static_cast<int>(std::max_element(row, row + C) - row);
  }
  return mask;
}

SegmentationScores score(const std::vector<int>& predicted,
                         const std::vector<int>& truth) {
  if (predicted.size() != truth.size()) {
    throw std::invalid_argument("score: " + std::to_string(predicted.size()) +
                                " predicted pixels for " +
                                std::to_string(truth.size()));
  }
  std::vector<double> both(kNumClasses, 0), either(kNumClasses, 0);
  double right = 0;
  for (size_t k = 0; k < truth.size(); ++k) {
    right += predicted[k] == truth[k];
    for (int c = 0; c < kNumClasses; ++c) {
      const bool p = predicted[k] == c, t = truth[k] == c;
      both[c] += p && t;
      either[c] += p || t;
    }
  }
  SegmentationScores s;
  s.pixel_accuracy = truth.empty() ? 0 : right / truth.size();
  int present = 0;
  for (int c = 0; c < kNumClasses; ++c) {
    s.iou.push_back(either[c] > 0 ? both[c] / either[c] : -1);
    if (either[c] > 0) {
      s.mean_iou += s.iou.back();
      ++present;
    }
  }
  if (present > 0) s.mean_iou /= present;
  return s;
}

dl::Image display(const Scenes& scenes, const std::vector<int>& predicted,
                  int rows) {
  const int H = scenes.height, W = scenes.width, gap = 4;
  rows = std::min(rows, static_cast<int>(scenes.X.dim(0)));
  dl::Image image;
  image.channels = 3;
  image.width = 3 * 2 * W + 2 * gap;
  image.height = std::max(1, rows * (2 * H + gap) - gap);
  image.pixels.assign(size_t(image.width) * image.height * 3, 255);
  for (int i = 0; i < rows; ++i) {
    for (int y = 0; y < 2 * H; ++y) {
      for (int x = 0; x < 2 * W; ++x) {
        const size_t pixel = (size_t(i) * H + y / 2) * W + x / 2;
        const int top = i * (2 * H + gap) + y;
        uint8_t* picture = &image.pixels[(size_t(top) * image.width + x) * 3];
        for (int c = 0; c < 3; ++c) {
          picture[c] = static_cast<uint8_t>(
              std::lround(255 * scenes.X.data()[pixel * 3 + c]));
        }
        const std::array<uint8_t, 3> truth = class_colour(scenes.masks[pixel]);
        const std::array<uint8_t, 3> guess = class_colour(predicted[pixel]);
        for (int c = 0; c < 3; ++c) {
          picture[(2 * W + gap) * 3 + c] = truth[c];
          picture[(4 * W + 2 * gap) * 3 + c] = guess[c];
        }
      }
    }
  }
  return image;
}

}  // namespace unet
