// File: course3_cnn/cnn_app/happy_faces.cc
//
// The generated happy / not happy faces of happy_faces.h: primitives drawn
// with soft (anti-aliased) edges on a canvas of doubles, then camera noise.

#include "course3_cnn/cnn_app/happy_faces.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/core/random.h"
#include "common/data/canvas.h"
#include "common/data/image.h"
#include "common/data/synthetic_images.h"

namespace cnn_app {
namespace {

// Written next to train/ and test/; DefaultHappyDatasetDir regenerates the
// set when it differs. Change it whenever the pictures change.
constexpr char kGeneratorVersion[] = "happy faces generator 2";

constexpr double kPi = 3.14159265358979323846;

using dl::Rgb;

struct Point {
  double x, y;
};

// The shared canvas, with what the faces are drawn with.
class Canvas : public dl::RgbCanvas {
 public:
  using RgbCanvas::RgbCanvas;

  void Blend(int y, int x, Rgb c, double alpha) {
    double* p = pixel(y, x);
    if (p == nullptr || alpha <= 0) return;
    alpha = std::min(alpha, 1.0);
    p[0] += alpha * (c.r - p[0]);
    p[1] += alpha * (c.g - p[1]);
    p[2] += alpha * (c.b - p[2]);
  }

  // A vertical gradient from `top` to `bottom`.
  void Gradient(Rgb top, Rgb bottom) {
    for (int y = 0; y < size(); ++y) {
      const double t = size() > 1 ? double(y) / (size() - 1) : 0;
      const Rgb c{top.r + t * (bottom.r - top.r),
                  top.g + t * (bottom.g - top.g),
                  top.b + t * (bottom.b - top.b)};
      for (int x = 0; x < size(); ++x) Blend(y, x, c, 1);
    }
  }

  void Box(double x0, double y0, double x1, double y1, Rgb c, double alpha) {
    for (int y = std::max(0, int(y0)); y < std::min(size(), int(y1) + 1); ++y) {
      for (int x = std::max(0, int(x0)); x < std::min(size(), int(x1) + 1);
           ++x) {
        // Coverage of the pixel [x, x+1) x [y, y+1) by the box.
        const double cx =
            std::max(0.0, std::min(x + 1.0, x1) - std::max(x + 0.0, x0));
        const double cy =
            std::max(0.0, std::min(y + 1.0, y1) - std::max(y + 0.0, y0));
        Blend(y, x, c, alpha * cx * cy);
      }
    }
  }

  // An ellipse with half-axes rx, ry turned by `angle` radians, soft edge.
  void Ellipse(Point c, double rx, double ry, double angle, Rgb color,
               double alpha = 1) {
    const double r = std::max(rx, ry) + 1;
    const double ca = std::cos(angle), sa = std::sin(angle);
    for (int y = int(c.y - r); y <= int(c.y + r); ++y) {
      for (int x = int(c.x - r); x <= int(c.x + r); ++x) {
        const double dx = x + 0.5 - c.x, dy = y + 0.5 - c.y;
        const double u = (ca * dx + sa * dy) / rx,
                     v = (-sa * dx + ca * dy) / ry;
        const double d = (std::sqrt(u * u + v * v) - 1) * std::min(rx, ry);
        Blend(y, x, color, alpha * std::clamp(0.5 - d, 0.0, 1.0));
      }
    }
  }

  // A polyline of the given thickness, round ends, soft edge.
  void Stroke(const std::vector<Point>& pts, double thickness, Rgb color) {
    double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
    for (const Point& p : pts) {
      x0 = std::min(x0, p.x);
      y0 = std::min(y0, p.y);
      x1 = std::max(x1, p.x);
      y1 = std::max(y1, p.y);
    }
    const double pad = thickness + 1;
    for (int y = int(y0 - pad); y <= int(y1 + pad); ++y) {
      for (int x = int(x0 - pad); x <= int(x1 + pad); ++x) {
        const Point q{x + 0.5, y + 0.5};
        double best = 1e9;
        for (size_t k = 0; k + 1 < pts.size(); ++k) {
          const Point a = pts[k], b = pts[k + 1];
          const double vx = b.x - a.x, vy = b.y - a.y;
          const double len2 = vx * vx + vy * vy;
          double t =
              len2 > 0 ? ((q.x - a.x) * vx + (q.y - a.y) * vy) / len2 : 0;
          t = std::clamp(t, 0.0, 1.0);
          const double ex = a.x + t * vx - q.x, ey = a.y + t * vy - q.y;
          best = std::min(best, std::sqrt(ex * ex + ey * ey));
        }
        Blend(y, x, color, std::clamp(thickness / 2 + 0.5 - best, 0.0, 1.0));
      }
    }
  }

  // A polygon (even-odd rule at pixel centres).
  void Fill(const std::vector<Point>& pts, Rgb color) {
    double y0 = 1e9, y1 = -1e9, x0 = 1e9, x1 = -1e9;
    for (const Point& p : pts) {
      x0 = std::min(x0, p.x);
      x1 = std::max(x1, p.x);
      y0 = std::min(y0, p.y);
      y1 = std::max(y1, p.y);
    }
    for (int y = int(y0); y <= int(y1); ++y) {
      for (int x = int(x0); x <= int(x1); ++x) {
        const double px = x + 0.5, py = y + 0.5;
        bool inside = false;
        for (size_t i = 0, j = pts.size() - 1; i < pts.size(); j = i++) {
          if ((pts[i].y > py) != (pts[j].y > py) &&
              px < (pts[j].x - pts[i].x) * (py - pts[i].y) /
                           (pts[j].y - pts[i].y) +
                       pts[i].x) {
            inside = !inside;
          }
        }
        if (inside) Blend(y, x, color, 1);
      }
    }
  }

  // Adds `amount` to every value (lighting).
  void Brighten(double amount) {
    for (double& v : values()) v += amount;
  }
};

Rgb RandomColor(dl::RandomState& rng, double lo, double hi) {
  return {rng.uniform(lo, hi), rng.uniform(lo, hi), rng.uniform(lo, hi)};
}

Rgb Jitter(dl::RandomState& rng, Rgb c, double amount) {
  return {c.r + rng.uniform(-amount, amount),
          c.g + rng.uniform(-amount, amount),
          c.b + rng.uniform(-amount, amount)};
}

// One face; happy: a smile. All other choices come from the same
// distributions for both classes.
dl::Image DrawFace(dl::RandomState& rng, bool happy, int size) {
  const double s = size;
  Canvas canvas(size);
  // The front door of the Happy House: a wall, the door behind the visitor
  // (a little to the left or right), its frame, and the light of the day.
  const Rgb wall = Jitter(rng, {200, 170, 120}, 25);
  canvas.Gradient(wall, {wall.r * 0.75, wall.g * 0.75, wall.b * 0.75});
  const double door_x = rng.uniform(0.12, 0.3) * s;
  const Rgb door = Jitter(rng, {110, 70, 40}, 20);
  canvas.Box(door_x - 0.04 * s, 0.05 * s, s - door_x + 0.04 * s, 1.1 * s,
             {235, 230, 220}, 1);  // the frame
  canvas.Box(door_x, 0.1 * s, s - door_x, 1.1 * s, door, 1);
  if (rng.random_sample() < 0.5) {  // a window in the door
    canvas.Box(0.4 * s, 0.16 * s, 0.6 * s, 0.3 * s,
               Jitter(rng, {170, 200, 220}, 20), 1);
  }
  const double light = rng.uniform(-25, 25);

  // The head.
  static const Rgb kSkins[] = {{255, 219, 172}, {241, 194, 125},
                               {224, 172, 105}, {198, 134, 66},
                               {141, 85, 36},   {92, 58, 30}};
  static const Rgb kHair[] = {{20, 15, 10},   {60, 40, 20},  {110, 75, 40},
                              {200, 160, 90}, {150, 60, 30}, {140, 140, 140}};
  const Rgb skin = Jitter(rng, kSkins[rng.randint(0, 6)], 12);
  const Point c{rng.uniform(0.44, 0.56) * s, rng.uniform(0.5, 0.58) * s};
  const double r = rng.uniform(0.29, 0.35) * s;
  const double rx = r * rng.uniform(0.82, 0.98),
               ry = r * rng.uniform(1.0, 1.15);
  const double tilt = rng.uniform(-0.15, 0.15);  // radians
  const double ct = std::cos(tilt), st = std::sin(tilt);
  // A point of the face's frame (u right, v down, in units of rx / ry).
  const auto at = [&](double u, double v) {
    const double dx = u * rx, dy = v * ry;
    return Point{c.x + ct * dx - st * dy, c.y + st * dx + ct * dy};
  };
  const bool hair = rng.random_sample() < 0.75;
  const Rgb hair_color = Jitter(rng, kHair[rng.randint(0, 6)], 10);
  if (hair) {
    canvas.Ellipse(at(0, -0.25), rx * 1.12, ry * 0.95, tilt, hair_color);
  }
  canvas.Ellipse(c, rx, ry, tilt, skin);
  if (hair) {  // a fringe over the forehead
    canvas.Ellipse(at(0, -0.85), rx * 0.85, ry * rng.uniform(0.2, 0.4), tilt,
                   hair_color);
  }
  const Rgb shade{skin.r * 0.8, skin.g * 0.75, skin.b * 0.75};
  canvas.Ellipse(at(-1.0, 0.05), 0.12 * rx, 0.2 * ry, tilt, shade);  // ears
  canvas.Ellipse(at(1.0, 0.05), 0.12 * rx, 0.2 * ry, tilt, shade);

  // Eyes and eyebrows (the brows' angle does not depend on the class).
  const double eye_v = rng.uniform(-0.3, -0.1), eye_u = rng.uniform(0.3, 0.45);
  const double eye_r = r * rng.uniform(0.07, 0.11);
  const Rgb iris = RandomColor(rng, 10, 90);
  const double brow = rng.uniform(-0.25, 0.25);
  for (int side : {-1, 1}) {
    const Point e = at(side * eye_u, eye_v);
    canvas.Ellipse(e, eye_r * 1.5, eye_r, tilt, {245, 245, 240});
    canvas.Ellipse(e, eye_r * 0.75, eye_r * 0.75, tilt, iris);
    const Point b0 =
        at(side * (eye_u - 0.18), eye_v - 0.22 - side * 0 + brow * 0.3);
    const Point b1 = at(side * (eye_u + 0.18), eye_v - 0.22 - brow * 0.3);
    canvas.Stroke({b0, b1}, std::max(1.0, r * 0.06), hair_color);
  }
  canvas.Ellipse(at(0, 0.12), 0.08 * rx, 0.12 * ry, tilt, shade);  // nose

  // The mouth: y = v0 + bend (1 - t^2) along its width; bend > 0 drops the
  // middle (a smile), bend < 0 raises it (a frown), 0 is straight.
  const double half = rng.uniform(0.36, 0.52);  // half width, units of rx
  const double v0 = rng.uniform(0.45, 0.58);
  double bend;
  if (happy) {
    bend = rng.uniform(0.18, 0.32);
  } else if (rng.random_sample() < 0.65) {
    bend = -rng.uniform(0.12, 0.28);
  } else {
    bend = rng.uniform(-0.03, 0.03);
  }
  const double mouth_u = rng.uniform(-0.08, 0.08);
  const Rgb lips = Jitter(rng, {150, 50, 50}, 25);
  std::vector<Point> curve;
  for (int k = 0; k <= 16; ++k) {
    const double t = -1 + k / 8.0;
    curve.push_back(at(mouth_u + t * half, v0 + bend * (1 - t * t)));
  }
  const bool open = happy && rng.random_sample() < 0.35;
  if (open) {  // between the straight top and the curve: teeth and mouth
    std::vector<Point> shape = curve;
    shape.push_back(at(mouth_u - half, v0));
    canvas.Fill(shape, {70, 20, 25});
    std::vector<Point> teeth;
    for (int k = 0; k <= 16; ++k) {
      const double t = -1 + k / 8.0;
      teeth.push_back(at(mouth_u + t * half, v0 + 0.35 * bend * (1 - t * t)));
    }
    teeth.push_back(at(mouth_u - half, v0));
    canvas.Fill(teeth, {240, 240, 230});
    canvas.Stroke({at(mouth_u - half, v0), at(mouth_u + half, v0)},
                  std::max(1.0, r * 0.05), lips);
  }
  canvas.Stroke(curve, r * rng.uniform(0.09, 0.14), lips);

  canvas.Brighten(light);
  canvas.AddNoise(rng, rng.uniform(3, 8));
  return canvas.ToImage();
}

}  // namespace

dl::LabeledImages MakeHappyImages(int count, uint32_t seed, int size) {
  if (size < 32) {
    std::fprintf(stderr, "MakeHappyImages: size %d < 32\n", size);
    std::abort();
  }
  dl::RandomState rng(seed);
  std::vector<int> labels(count);
  for (int i = 0; i < count; ++i) labels[i] = i < count / 2 ? 1 : 0;
  rng.shuffle(labels);
  dl::LabeledImages data;
  data.class_names = {"not_happy", "happy"};
  for (int i = 0; i < count; ++i) {
    data.images.push_back(DrawFace(rng, labels[i] == 1, size));
    data.labels.push_back(labels[i]);
  }
  return data;
}

absl::Status WriteHappyDataset(const std::string& root) {
  return dl::WriteSplitDataset(
      root, MakeHappyImages(kHappyTrainCount, /*seed=*/1),
      MakeHappyImages(kHappyTestCount, /*seed=*/2), kGeneratorVersion);
}

absl::StatusOr<std::string> DefaultHappyDatasetDir() {
  return dl::GeneratedDatasetDir("happy", kGeneratorVersion,
                                 "the happy / not happy faces",
                                 WriteHappyDataset);
}

}  // namespace cnn_app
