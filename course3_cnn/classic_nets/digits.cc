// The generated digits of digits.h: each digit is a few strokes (polylines)
// in a unit box (x to the right, y down), bent by a smooth random wobble,
// then slanted, rotated, scaled and moved into the 32x32 picture and drawn
// with an anti-aliased round pen.

#include "course3_cnn/classic_nets/digits.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/core/random.h"

namespace classic_nets {

namespace {

constexpr int kSize = 32;
constexpr double kPi = 3.14159265358979323846;

struct Point {
  double x, y;
};
using Stroke = std::vector<Point>;

// An arc of the ellipse (cx, cy, rx, ry) from angle a0 to a1 (degrees; 0 is
// right, 90 is down), as a polyline.
Stroke Arc(double cx, double cy, double rx, double ry, double a0, double a1) {
  const int n = std::max(4, static_cast<int>(std::abs(a1 - a0) / 15));
  Stroke s;
  for (int k = 0; k <= n; ++k) {
    const double a = (a0 + (a1 - a0) * k / n) * kPi / 180;
    s.push_back({cx + rx * std::cos(a), cy + ry * std::sin(a)});
  }
  return s;
}

// The strokes of a digit in the unit box; `variant` (0 or 1) picks one of
// two common ways to write it.
std::vector<Stroke> Glyph(int digit, int variant) {
  switch (digit) {
    case 0:
      return {Arc(0.5, 0.5, 0.32, 0.45, 0, 360)};
    case 1:
      if (variant == 0) return {{{0.55, 0.05}, {0.55, 0.95}}};
      return {{{0.3, 0.25}, {0.55, 0.05}, {0.55, 0.95}},
              {{0.3, 0.95}, {0.8, 0.95}}};
    case 2: {
      Stroke s = Arc(0.5, 0.3, 0.32, 0.25, 190, 400);
      s.push_back({0.15, 0.95});
      s.push_back({0.88, 0.95});
      return {s};
    }
    case 3: {
      Stroke top = Arc(0.48, 0.28, 0.3, 0.23, 200, 450);
      const Stroke bottom = Arc(0.48, 0.72, 0.34, 0.24, 270, 520);
      top.insert(top.end(), bottom.begin(), bottom.end());
      return {top};
    }
    case 4:
      if (variant == 0) {
        return {{{0.65, 0.95}, {0.65, 0.05}, {0.1, 0.68}, {0.9, 0.68}}};
      }
      return {{{0.3, 0.05}, {0.15, 0.6}, {0.9, 0.6}},
              {{0.7, 0.3}, {0.7, 0.95}}};
    case 5: {
      Stroke s = {{0.82, 0.05}, {0.28, 0.05}, {0.24, 0.45}};
      const Stroke bowl = Arc(0.48, 0.67, 0.32, 0.28, 215, 510);
      s.insert(s.end(), bowl.begin(), bowl.end());
      return {s};
    }
    case 6:
      return {Arc(0.62, 0.6, 0.42, 0.55, 265, 165),
              Arc(0.5, 0.72, 0.3, 0.23, 0, 360)};
    case 7:
      if (variant == 0) return {{{0.1, 0.05}, {0.9, 0.05}, {0.4, 0.95}}};
      return {{{0.1, 0.05}, {0.9, 0.05}, {0.4, 0.95}},
              {{0.35, 0.5}, {0.8, 0.5}}};
    case 8:
      return {Arc(0.5, 0.27, 0.25, 0.22, 0, 360),
              Arc(0.5, 0.72, 0.31, 0.24, 0, 360)};
    case 9:
      if (variant == 0) {
        return {Arc(0.5, 0.3, 0.3, 0.25, 0, 360), {{0.8, 0.3}, {0.62, 0.95}}};
      }
      return {Arc(0.5, 0.3, 0.3, 0.25, 0, 360),
              Arc(0.2, 0.3, 0.6, 0.65, 0, 80)};
  }
  throw std::invalid_argument("Glyph: digit " + std::to_string(digit));
}

// Squared distance from p to the segment ab.
double SegmentDistance2(Point p, Point a, Point b) {
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0;
  t = std::clamp(t, 0.0, 1.0);
  const double ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
  return ex * ex + ey * ey;
}

// Draws digit into out[0 .. 32*32) (row-major).
void DrawDigit(int digit, dl::RandomState& rng, float* out) {
  const int variant = rng.random_sample() < 0.5 ? 0 : 1;
  std::vector<Stroke> strokes = Glyph(digit, variant);

  // A smooth wobble of the strokes (handwriting is never straight).
  const double ax = rng.uniform(0, 0.05), ay = rng.uniform(0, 0.05);
  const double fx = rng.uniform(0.5, 1.5), fy = rng.uniform(0.5, 1.5);
  const double px = rng.uniform(0, 2 * kPi), py = rng.uniform(0, 2 * kPi);
  // Size, slant, rotation, position, pen.
  const double height = rng.uniform(17, 26);
  const double width = height * rng.uniform(0.55, 0.85);
  const double shear = rng.uniform(-0.3, 0.3);
  const double angle = rng.uniform(-12, 12) * kPi / 180;
  const double pen = rng.uniform(1.3, 3.0);
  const double ink = rng.uniform(0.7, 1.0);
  const double noise = rng.uniform(0, 0.08);
  const double ca = std::cos(angle), sa = std::sin(angle);

  std::vector<Point> pts;
  double min_x = 1e9, max_x = -1e9, min_y = 1e9, max_y = -1e9;
  for (Stroke& s : strokes) {
    for (Point& p : s) {
      const double x = p.x + ax * std::sin(2 * kPi * fx * p.y + px);
      const double y = p.y + ay * std::sin(2 * kPi * fy * p.x + py);
      // Centred, scaled to pixels, slanted, rotated.
      double u = (x - 0.5) * width, v = (y - 0.5) * height;
      u += shear * -v;
      p = {ca * u - sa * v, sa * u + ca * v};
      min_x = std::min(min_x, p.x);
      max_x = std::max(max_x, p.x);
      min_y = std::min(min_y, p.y);
      max_y = std::max(max_y, p.y);
    }
  }
  // A random position that keeps the digit (and its pen) inside.
  const double margin = 1 + pen / 2;
  const double lo_x = margin - min_x, hi_x = kSize - margin - max_x;
  const double lo_y = margin - min_y, hi_y = kSize - margin - max_y;
  const double cx = lo_x < hi_x ? rng.uniform(lo_x, hi_x) : (lo_x + hi_x) / 2;
  const double cy = lo_y < hi_y ? rng.uniform(lo_y, hi_y) : (lo_y + hi_y) / 2;
  for (Stroke& s : strokes) {
    for (Point& p : s) p = {p.x + cx, p.y + cy};
  }

  // The squared distance of each pixel's centre to the nearest stroke,
  // segment by segment over the pixels near the segment.
  const double r = pen / 2;
  std::vector<double> d2(kSize * kSize, 1e9);
  for (const Stroke& s : strokes) {
    for (size_t k = 0; k + 1 < s.size(); ++k) {
      const Point a = s[k], b = s[k + 1];
      const auto lo = [&](double v) {
        return std::max(0, static_cast<int>(std::floor(v - r - 1)));
      };
      const auto hi = [&](double v) {
        return std::min(kSize - 1, static_cast<int>(std::ceil(v + r + 1)));
      };
      for (int h = lo(std::min(a.y, b.y)); h <= hi(std::max(a.y, b.y)); ++h) {
        for (int w = lo(std::min(a.x, b.x)); w <= hi(std::max(a.x, b.x)); ++w) {
          double& d = d2[h * kSize + w];
          d = std::min(d, SegmentDistance2({w + 0.5, h + 0.5}, a, b));
        }
      }
    }
  }
  for (int k = 0; k < kSize * kSize; ++k) {
    const double coverage = std::clamp(r + 0.5 - std::sqrt(d2[k]), 0.0, 1.0);
    const double value = ink * coverage + noise * rng.standard_normal();
    out[k] = static_cast<float>(std::clamp(value, 0.0, 1.0));
  }
}

}  // namespace

Digits MakeDigits(int count, uint32_t seed) {
  if (count < 1) throw std::invalid_argument("MakeDigits: count must be >= 1");
  dl::RandomState rng(seed);
  const std::vector<int64_t> order = rng.permutation(count);
  Digits d;
  d.X.Resize({count, kSize, kSize, 1});
  d.labels.resize(count);
  for (int i = 0; i < count; ++i) {
    const int digit = static_cast<int>(order[i] % 10);
    d.labels[i] = digit;
    DrawDigit(digit, rng, d.X.data() + int64_t{i} * kSize * kSize);
  }
  return d;
}

dl::Image DigitImage(const dl::nn::Array<float>& X, int i) {
  dl::Image image;
  image.height = static_cast<int>(X.dim(1));
  image.width = static_cast<int>(X.dim(2));
  image.channels = 1;
  const int64_t n = int64_t{image.height} * image.width;
  image.pixels.resize(n);
  for (int64_t k = 0; k < n; ++k) {
    const float v =
        std::clamp(X.data()[i * n * X.dim(3) + k * X.dim(3)], 0.0f, 1.0f);
    image.pixels[k] = static_cast<uint8_t>(std::lround(v * 255));
  }
  return image;
}

}  // namespace classic_nets
