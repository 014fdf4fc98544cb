#include "common/data/signs_images.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "common/core/random.h"
#include "common/data/canvas.h"
#include "common/data/image.h"

namespace dl {
namespace {

// Written next to train/ and test/; DefaultSignsDatasetDir regenerates the
// set when it differs. Change it whenever the pictures change.
constexpr char kGeneratorVersion[] = "signs generator 2";

constexpr double kPi = 3.14159265358979323846;

// The hand's scale unit (about the palm's radius) in a 64x64 picture: the
// hand fills most of the picture, as in the course's photos.
constexpr double kHandUnit = 15;

struct Point {
  double x, y;
};

Point operator+(Point a, Point b) { return {a.x + b.x, a.y + b.y}; }
Point operator-(Point a, Point b) { return {a.x - b.x, a.y - b.y}; }
Point operator*(double s, Point a) { return {s * a.x, s * a.y}; }
double dot(Point a, Point b) { return a.x * b.x + a.y * b.y; }

// `d` turned by `degrees` (clockwise on the screen, where y points down).
Point rotate(Point d, double degrees) {
  const double t = degrees * kPi / 180, c = std::cos(t), s = std::sin(t);
  return {c * d.x - s * d.y, s * d.x + c * d.y};
}

double smoothstep(double lo, double hi, double t) {
  const double x = std::clamp((t - lo) / (hi - lo), 0.0, 1.0);
  return x * x * (3 - 2 * x);
}

// The shared canvas, blending the way the hands are drawn.
class Canvas : public RgbCanvas {
 public:
  using RgbCanvas::RgbCanvas;
  void blend(int y, int x, Rgb c, double alpha) {
    double* p = pixel(y, x);
    if (p == nullptr) return;
    p[0] += alpha * (c.r - p[0]);
    p[1] += alpha * (c.g - p[1]);
    p[2] += alpha * (c.b - p[2]);
  }
};

Rgb random_colour(RandomState& rng) {
  return {rng.uniform(0, 255), rng.uniform(0, 255), rng.uniform(0, 255)};
}

// A light wall colour, as behind the course's photos: a light grey tinted
// a little by a random colour.
Rgb wall_colour(RandomState& rng) {
  const double grey = rng.uniform(170, 240),
               saturation = rng.uniform(0.1, 0.25);
  const Rgb tint = random_colour(rng);
  return {grey + saturation * (tint.r - grey),
          grey + saturation * (tint.g - grey),
          grey + saturation * (tint.b - grey)};
}

// Skin tones from light to dark, jittered and brightened or darkened.
Rgb skin_colour(RandomState& rng) {
  static const Rgb kSkin[] = {{255, 224, 196}, {241, 194, 150}, {224, 172, 125},
                              {198, 134, 96},  {161, 102, 70},  {120, 75, 50},
                              {234, 190, 160}, {250, 210, 170}};
  const Rgb base = kSkin[rng.randint(0, 8)];
  const double light = rng.uniform(0.85, 1.05);
  auto jitter = [&](double v) {
    return std::clamp(light * v + rng.uniform(-12, 12), 0.0, 255.0);
  };
  const double r = jitter(base.r), g = jitter(base.g), b = jitter(base.b);
  return {r, g, b};
}

// ---------------------------------------------------------------- the hand

// How much darker the rims of the fingers are: a dark outline (from 40 % of
// the radius outwards) that shows each finger, even on a wall of the skin's
// lightness.
constexpr double kFingerEdge = 0.6;   // extended fingers and the thumb
constexpr double kKnuckleEdge = 0.5;  // folded ones
constexpr double kRimStart = 0.4;

// A stroke: the points within `radius` of the segment a-b.
struct Capsule {
  Point a, b;
  double radius;
  double shade;  // its brightness relative to the palm
  double edge;   // how much darker its rim is (0..1)
  // Its bounding box, filled in by build_hand.
  double x_min = 0, x_max = 0, y_min = 0, y_max = 0;
};

// Everything about one hand that does not depend on the palm's size.
struct HandParams {
  double unit;    // r0: the hand's scale in pixels (the palm's radius)
  Point centre;   // of the palm
  Point up;       // unit vector from the wrist towards the fingertips
  double side;    // +1: the thumb on the left of `up`, -1: on the right
  double spread;  // how far the fingers fan out
  std::array<double, 4> angle_jitter, length_factor, shade;  // index..pinky
  double thumb_angle, thumb_length, thumb_shade;
  std::array<bool, 5> extended;  // thumb, index, middle, ring, pinky
  double forearm_radius;
  Point light;          // direction of the lighting gradient
  double light_gain;    // its strength
  double target_extra;  // the area (pixels) the palm and fingers add
};

struct Hand {
  Point centre, up;
  double palm_across, palm_along;  // the palm ellipse's semi-axes
  std::vector<Capsule> strokes;    // forearm first, in drawing order
  // The bounding box of the whole hand.
  double x_min = 0, x_max = 0, y_min = 0, y_max = 0;
};

// Fills in the bounding boxes.
void add_bounds(Hand& h) {
  const double reach = std::max(h.palm_across, h.palm_along);
  h.x_min = h.centre.x - reach, h.x_max = h.centre.x + reach;
  h.y_min = h.centre.y - reach, h.y_max = h.centre.y + reach;
  for (Capsule& c : h.strokes) {
    c.x_min = std::min(c.a.x, c.b.x) - c.radius;
    c.x_max = std::max(c.a.x, c.b.x) + c.radius;
    c.y_min = std::min(c.a.y, c.b.y) - c.radius;
    c.y_max = std::max(c.a.y, c.b.y) + c.radius;
    h.x_min = std::min(h.x_min, c.x_min), h.x_max = std::max(h.x_max, c.x_max);
    h.y_min = std::min(h.y_min, c.y_min), h.y_max = std::max(h.y_max, c.y_max);
  }
}

// Distance from the palm's centre to its rim in direction `d` (unit vector).
double rim(const Hand& h, Point d) {
  const double along = dot(d, h.up);
  const double across = dot(d, {-h.up.y, h.up.x});
  return 1 / std::sqrt((along / h.palm_along) * (along / h.palm_along) +
                       (across / h.palm_across) * (across / h.palm_across));
}

// The hand with a palm of radius r.
Hand build_hand(const HandParams& p, double r, double size) {
  Hand h;
  h.centre = p.centre;
  h.up = p.up;
  h.palm_across = 0.95 * r;
  h.palm_along = 1.1 * r;
  // The forearm, from inside the palm out of the picture.
  h.strokes.push_back({p.centre - (0.2 * r) * p.up,
                       p.centre - (2.0 * size) * p.up, p.forearm_radius, 0.96,
                       0.3});
  static constexpr double kSlot[4] = {-24, -8, 8, 24};  // degrees from `up`
  static constexpr double kLength[4] = {1.3, 1.45, 1.35, 1.05};
  static constexpr double kRadius[4] = {0.22, 0.22, 0.21, 0.19};
  // Positive angles point away from the thumb.
  const double towards_pinky = -p.side;
  std::vector<Capsule> folded, extended;
  // The thumb.
  {
    const Point out = rotate(p.up, towards_pinky * -80);
    const Point base = h.centre + (0.7 * rim(h, out)) * out;
    if (p.extended[0]) {
      const Point dir = rotate(p.up, towards_pinky * -p.thumb_angle);
      extended.push_back({base, base + (p.thumb_length * p.unit) * dir,
                          0.26 * p.unit, p.thumb_shade, kFingerEdge});
    } else {  // folded across the palm
      const Point dir = rotate(p.up, towards_pinky * 75);
      folded.push_back({base, base + (0.95 * p.unit) * dir, 0.25 * p.unit,
                        p.thumb_shade, kKnuckleEdge});
    }
  }
  for (int f = 0; f < 4; ++f) {
    const Point dir =
        rotate(p.up, towards_pinky * (p.spread * kSlot[f] + p.angle_jitter[f]));
    const Point base = h.centre + (0.82 * rim(h, dir)) * dir;
    const double length = kLength[f] * p.length_factor[f] * p.unit;
    const double radius = kRadius[f] * p.unit;
    if (p.extended[f + 1]) {
      extended.push_back(
          {base, base + length * dir, radius, p.shade[f], kFingerEdge});
    } else {  // a knuckle
      folded.push_back({base, base + (0.25 * length) * dir, radius * 1.1,
                        p.shade[f], kKnuckleEdge});
    }
  }
  for (const Capsule& c : folded) h.strokes.push_back(c);
  for (const Capsule& c : extended) h.strokes.push_back(c);
  add_bounds(h);
  return h;
}

// The shade of the hand at (x, y), or a negative number outside it. Later
// strokes cover earlier ones; the palm is drawn right after the forearm.
double shade_at(const Hand& h, double x, double y) {
  const Point q{x, y};
  for (size_t i = h.strokes.size(); i-- > 1;) {
    const Capsule& c = h.strokes[i];
    if (x < c.x_min || x > c.x_max || y < c.y_min || y > c.y_max) continue;
    const Point ab = c.b - c.a, aq = q - c.a;
    const double t = std::clamp(dot(aq, ab) / dot(ab, ab), 0.0, 1.0);
    const Point off = aq - t * ab;
    const double d2 = dot(off, off);
    if (d2 <= c.radius * c.radius) {
      return c.shade * (1 - c.edge * smoothstep(kRimStart, 1.0,
                                                std::sqrt(d2) / c.radius));
    }
  }
  const Point rel = q - h.centre;
  const double along = dot(rel, h.up) / h.palm_along;
  const double across = dot(rel, {-h.up.y, h.up.x}) / h.palm_across;
  const double rho2 = along * along + across * across;
  if (rho2 <= 1) return 1 - 0.25 * smoothstep(0.75, 1.0, std::sqrt(rho2));
  const Capsule& arm = h.strokes[0];
  const Point ab = arm.b - arm.a, aq = q - arm.a;
  const double t = std::clamp(dot(aq, ab) / dot(ab, ab), 0.0, 1.0);
  const Point off = aq - t * ab;
  const double d2 = dot(off, off);
  if (d2 <= arm.radius * arm.radius) {
    return arm.shade *
           (1 - arm.edge * smoothstep(0.5, 1.0, std::sqrt(d2) / arm.radius));
  }
  return -1;
}

// The pixels [lo, hi) of one axis the hand can touch.
void pixel_range(double min, double max, int n, int& lo, int& hi) {
  lo = std::clamp(static_cast<int>(std::floor(min)), 0, n);
  hi = std::clamp(static_cast<int>(std::ceil(max)) + 1, 0, n);
}

// The hand's area inside the picture, in pixels (one sample per pixel).
double hand_area(const Hand& h, int n) {
  int x0, x1, y0, y1;
  pixel_range(h.x_min, h.x_max, n, x0, x1);
  pixel_range(h.y_min, h.y_max, n, y0, y1);
  int inside = 0;
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) inside += shade_at(h, x + 0.5, y + 0.5) >= 0;
  }
  return inside;
}

// The forearm's area inside the picture, in pixels.
double forearm_area(const HandParams& p, int n) {
  Hand arm = build_hand(p, p.unit, n);
  arm.strokes.resize(1);
  arm.palm_across = arm.palm_along = 1e-9;
  add_bounds(arm);
  return hand_area(arm, n);
}

HandParams draw_hand(RandomState& rng, int label, int n) {
  const double k = n / 64.0;
  HandParams p;
  // As in the course's photos: about the same place, size and uprightness
  // in every picture (the small 8x8 max-pooled model needs the fingers at
  // about the same places to count them).
  const double scale = rng.uniform(0.94, 1.06);
  p.unit = kHandUnit * k * scale;
  p.centre = {n * (0.5 + rng.uniform(-0.03, 0.03)),
              n * (0.66 + rng.uniform(-0.02, 0.02))};
  p.up = rotate({0, -1}, rng.uniform(-5, 5));
  p.side = rng.random_sample() < 0.5 ? 1.0 : -1.0;
  // Fingers spread apart, as a hand showing a count holds them.
  p.spread = rng.uniform(1.2, 1.4);
  for (int f = 0; f < 4; ++f) {
    p.angle_jitter[f] = rng.uniform(-2, 2);
    p.length_factor[f] = rng.uniform(0.9, 1.1);
    p.shade[f] = rng.uniform(0.9, 1.04);
  }
  p.thumb_angle = rng.uniform(45, 70);
  p.thumb_length = rng.uniform(0.95, 1.15);
  p.thumb_shade = rng.uniform(0.9, 1.04);
  p.forearm_radius = rng.uniform(0.6, 0.7) * p.unit;
  const double light_dir = rng.uniform(0, 360);
  p.light = rotate({0, -1}, light_dir);
  p.light_gain = rng.uniform(0.0, 0.05);  // a soft light, as indoors
  // Which fingers (thumb, index, middle, ring, pinky) are up: the common
  // sign for each count, and a second one now and then.
  const double variant = rng.random_sample();
  switch (label) {
    case 0:
      p.extended = {false, false, false, false, false};
      break;
    case 1:
      p.extended = variant < 0.85 ? std::array<bool, 5>{0, 1, 0, 0, 0}
                                  : std::array<bool, 5>{0, 0, 1, 0, 0};
      break;
    case 2:
      p.extended = variant < 0.7 ? std::array<bool, 5>{0, 1, 1, 0, 0}
                                 : std::array<bool, 5>{1, 1, 0, 0, 0};
      break;
    case 3:
      p.extended = variant < 0.5 ? std::array<bool, 5>{0, 1, 1, 1, 0}
                                 : std::array<bool, 5>{1, 1, 1, 0, 0};
      break;
    case 4:
      p.extended = variant < 0.85 ? std::array<bool, 5>{0, 1, 1, 1, 1}
                                  : std::array<bool, 5>{1, 1, 1, 1, 0};
      break;
    default:
      p.extended = {true, true, true, true, true};
      break;
  }
  // The same area for every class: the palm and fingers add as much as a
  // palm of radius 1.22 units would, give or take 6 %.
  p.target_extra =
      kPi * 1.22 * 1.22 * p.unit * p.unit * rng.uniform(0.94, 1.06);
  return p;
}

// The palm radius that gives the hand its target area. The area grows with
// the radius, about quadratically: the secant method, kept inside a bracket,
// finds it to a pixel in a few steps.
Hand fit_hand(const HandParams& p, int n) {
  const double target = forearm_area(p, n) + p.target_extra;
  auto excess = [&](double r) {
    return hand_area(build_hand(p, r, n), n) - target;
  };
  double lo = 0.45 * p.unit, hi = 2.0 * p.unit;
  double r0 = p.unit, f0 = excess(r0);
  double r1 = f0 < 0 ? 1.2 * p.unit : 0.8 * p.unit, f1 = excess(r1);
  for (int i = 0; i < 8 && std::abs(f1) > 1.5; ++i) {
    (f0 < 0 ? lo : hi) = std::max(lo, std::min(hi, r0));
    (f1 < 0 ? lo : hi) = std::max(lo, std::min(hi, r1));
    double r2 = f1 != f0 ? r1 - f1 * (r1 - r0) / (f1 - f0) : 0.5 * (lo + hi);
    if (!(r2 > lo && r2 < hi)) r2 = 0.5 * (lo + hi);
    r0 = r1, f0 = f1;
    r1 = r2, f1 = excess(r2);
  }
  return build_hand(p, r1, n);
}

// Draws the hand. Its colour is `skin` times a shade (lighting, rims, the
// fingers' own tints), scaled so that the mean colour over the hand is `skin`
// exactly, whatever the number of fingers. Pixels on the hand's outline get
// 4x4 samples (smooth edges); the others one sample at their centre.
void draw(Canvas& c, const Hand& h, const HandParams& p, Rgb skin) {
  const int n = c.size();
  // The shade with the lighting gradient, or a negative number outside.
  auto lit = [&](double x, double y) {
    const double s = shade_at(h, x, y);
    if (s < 0) return s;
    const Point rel = Point{x, y} - h.centre;
    return std::max(s * (1 + p.light_gain * dot(rel, p.light) / p.unit), 0.2);
  };
  int x0, x1, y0, y1;
  pixel_range(h.x_min, h.x_max, n, x0, x1);
  pixel_range(h.y_min, h.y_max, n, y0, y1);
  // Inside or not at the pixel corners (x, y) for x in [x0, x1], y in [y0, y1].
  const int w = x1 - x0 + 1;
  std::vector<char> corner(static_cast<size_t>(w) * (y1 - y0 + 1));
  for (int y = y0; y <= y1; ++y) {
    for (int x = x0; x <= x1; ++x) {
      corner[(y - y0) * w + (x - x0)] = shade_at(h, x, y) >= 0;
    }
  }
  std::vector<double> coverage(n * n, 0.0), shade(n * n, 0.0);
  double covered = 0, shaded = 0;
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) {
      const char* top = &corner[(y - y0) * w + (x - x0)];
      const int corners = top[0] + top[1] + top[w] + top[w + 1];
      const double centre = lit(x + 0.5, y + 0.5);
      const int i = y * n + x;
      if (corners == 4 && centre >= 0) {
        coverage[i] = 1;
        shade[i] = centre;
      } else if (corners == 0 && centre < 0) {
        continue;
      } else {
        int inside = 0;
        double sum = 0;
        for (int sy = 0; sy < 4; ++sy) {
          for (int sx = 0; sx < 4; ++sx) {
            const double s = lit(x + (sx + 0.5) / 4, y + (sy + 0.5) / 4);
            if (s < 0) continue;
            ++inside;
            sum += s;
          }
        }
        if (inside == 0) continue;
        coverage[i] = inside / 16.0;
        shade[i] = sum / inside;
      }
      covered += coverage[i];
      shaded += coverage[i] * shade[i];
    }
  }
  if (covered == 0) return;
  const double norm = covered / shaded;
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) {
      const int i = y * n + x;
      if (coverage[i] == 0) continue;
      const double s = shade[i] * norm;
      c.blend(y, x, {skin.r * s, skin.g * s, skin.b * s}, coverage[i]);
    }
  }
}

// ---------------------------------------------------------- the background

// A plain light wall, as in the course's photos: one colour, a little
// lighter or darker towards a random direction (the room's light).
void background(Canvas& c, RandomState& rng) {
  const int n = c.size();
  const Rgb a = wall_colour(rng), other = wall_colour(rng);
  constexpr double kGradient = 0.3;  // how far towards the other colour
  const Rgb b{a.r + kGradient * (other.r - a.r),
              a.g + kGradient * (other.g - a.g),
              a.b + kGradient * (other.b - a.b)};
  const Point dir = rotate({1, 0}, rng.uniform(0, 360));
  for (int y = 0; y < n; ++y) {
    for (int x = 0; x < n; ++x) {
      const double t = 0.5 + dot({x - n / 2.0, y - n / 2.0}, dir) / (1.42 * n);
      c.blend(
          y, x,
          {a.r + t * (b.r - a.r), a.g + t * (b.g - a.g), a.b + t * (b.b - a.b)},
          1.0);
    }
  }
}

}  // namespace

LabeledImages MakeSignsImages(int count, uint32_t seed, int size) {
  if (size < 16) size = 16;
  RandomState rng(seed);
  LabeledImages data;
  for (int k = 0; k < kSignsClasses; ++k) {
    data.class_names.push_back(std::to_string(k));
  }
  // Balanced labels in a random order.
  const std::vector<int64_t> order = rng.permutation(count);
  for (int i = 0; i < count; ++i) {
    const int label = static_cast<int>(order[i] % kSignsClasses);
    Canvas c(size);
    background(c, rng);
    const HandParams params = draw_hand(rng, label, size);
    const Rgb skin = skin_colour(rng);
    draw(c, fit_hand(params, size), params, skin);
    c.AddNoise(rng, 2);  // a little sensor noise
    data.images.push_back(c.ToImage());
    data.labels.push_back(label);
  }
  return data;
}

absl::Status WriteSignsDataset(const std::string& root) {
  return WriteSplitDataset(root, MakeSignsImages(kSignsTrainCount, /*seed=*/1),
                           MakeSignsImages(kSignsTestCount, /*seed=*/2),
                           kGeneratorVersion);
}

absl::StatusOr<std::string> DefaultSignsDatasetDir() {
  return GeneratedDatasetDir("signs", kGeneratorVersion,
                             "the SIGNS stand-in (hand signs 0..5)",
                             WriteSignsDataset);
}

absl::StatusOr<SignsSplits> ReadSignsSplits(const std::string& data_dir,
                                            int size) {
  SignsSplits splits;
  splits.dir = data_dir;
  if (splits.dir.empty()) {
    absl::StatusOr<std::string> dir = DefaultSignsDatasetDir();
    if (!dir.ok()) return dir.status();
    splits.dir = *dir;
  }
  ImageFolderOptions options;
  options.height = options.width = size;
  options.resize = true;
  absl::StatusOr<ImageDataset> train =
      ReadImageFolder(splits.dir + "/train", options);
  if (!train.ok()) return train.status();
  absl::StatusOr<ImageDataset> test =
      ReadImageFolder(splits.dir + "/test", options);
  if (!test.ok()) return test.status();
  if (train->class_names != test->class_names) {
    return absl::InvalidArgumentError(
        splits.dir + ": train/ and test/ must have the same class folders");
  }
  if (train->class_names.size() < 2) {
    return absl::InvalidArgumentError(splits.dir +
                                      "/train needs at least two classes");
  }
  splits.train = *std::move(train);
  splits.test = *std::move(test);
  return splits;
}

}  // namespace dl
