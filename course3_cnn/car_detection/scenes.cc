// File: course3_cnn/car_detection/scenes.cc
//
// The generated street scenes and their true boxes (see scenes.h). A scene
// is first described (its background and a list of shapes, in units of the
// picture), then drawn at the size asked for.

#include "course3_cnn/car_detection/scenes.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/core/random.h"

namespace car_detection {
namespace {

using Colour = std::array<double, 3>;  // 0 .. 1

enum Class { kCar = 0, kPerson = 1, kSign = 2 };

// A filled shape, in units of the picture (y down, x right).
struct Shape {
  enum Kind { kRect, kDisc, kTriangle } kind;
  // kRect: rows [y0, y1), columns [x0, x1).
  // kDisc: centre (y0, x0), radius y1.
  // kTriangle: apex (y0, x0), base at row y1, half-width x1.
  double y0, x0, y1, x1;
  Colour colour;
};

struct Description {
  double horizon;
  Colour sky;
  std::vector<Shape> shapes;  // drawn in order over the sky
  std::vector<Object> objects;
};

Colour Jitter(dl::RandomState& rng, Colour c, double amount) {
  for (double& v : c) {
    v = std::clamp(v + rng.uniform(-amount, amount), 0.0, 1.0);
  }
  return c;
}

// A saturated colour for a car or a coat.
Colour Vivid(dl::RandomState& rng) {
  static const Colour kColours[] = {
      {0.8, 0.1, 0.1}, {0.1, 0.3, 0.8},    {0.9, 0.8, 0.1}, {0.1, 0.6, 0.2},
      {0.9, 0.9, 0.9}, {0.15, 0.15, 0.15}, {0.6, 0.2, 0.7}, {0.9, 0.5, 0.1}};
  return Jitter(rng, kColours[rng.randint(0, 8)], 0.08);
}

double Overlap(const Object& a, const Object& b) {
  const double w = std::min(a.x + a.w / 2, b.x + b.w / 2) -
                   std::max(a.x - a.w / 2, b.x - b.w / 2);
  const double h = std::min(a.y + a.h / 2, b.y + b.h / 2) -
                   std::max(a.y - a.h / 2, b.y - b.h / 2);
  const double inter = std::max(w, 0.0) * std::max(h, 0.0);
  return inter / std::min(a.w * a.h, b.w * b.h);
}

// The background: buildings along the horizon, the road and its marks.
void DescribeBackground(Description& d, dl::RandomState& rng) {
  d.horizon = rng.uniform(0.35, 0.5);
  d.sky = Jitter(rng, {0.35, 0.55, 0.85}, 0.1);
  for (double x = rng.uniform(-0.1, 0); x < 1;) {
    const double bw = rng.uniform(0.12, 0.3);
    const double bh = d.horizon * rng.uniform(0.3, 0.9);
    const Colour wall = Jitter(rng, {0.55, 0.45, 0.4}, 0.15);
    const Colour glass = Jitter(rng, {0.85, 0.85, 0.6}, 0.1);
    d.shapes.push_back(
        {Shape::kRect, d.horizon - bh, x, d.horizon + 0.01, x + bw, wall});
    for (double wy = d.horizon - bh + 0.04; wy + 0.05 < d.horizon; wy += 0.09) {
      for (double wx = x + 0.03; wx + 0.04 < x + bw; wx += 0.07) {
        d.shapes.push_back(
            {Shape::kRect, wy, wx, wy + 0.035, wx + 0.035, glass});
      }
    }
    x += bw + rng.uniform(0, 0.05);
  }
  const Colour asphalt = Jitter(rng, {0.35, 0.35, 0.37}, 0.06);
  d.shapes.push_back({Shape::kRect, d.horizon, -1, 2, 2, asphalt});
  const double centre = rng.uniform(0.4, 0.6);
  for (double y = d.horizon + 0.03; y < 1; y += 0.12) {
    const double depth = (y - d.horizon) / (1 - d.horizon);
    const double half = 0.008 + 0.012 * depth;
    d.shapes.push_back({Shape::kRect,
                        y,
                        centre - half,
                        y + 0.04 + 0.04 * depth,
                        centre + half,
                        {0.95, 0.95, 0.9}});
  }
}

// The shapes of one object whose box bottom is at yb, centred at cx, with
// its box size (w, h) (and, for a sign, its pole's height).
void DescribeObject(Description& d, int cls, double cx, double yb, double w,
                    double h, double pole, dl::RandomState& rng) {
  if (cls == kCar) {
    const Colour body = Vivid(rng);
    const double l = cx - w / 2, r = cx + w / 2;
    d.shapes.push_back(
        {Shape::kRect, yb - 0.62 * h, l, yb - 0.12 * h, r, body});
    d.shapes.push_back({Shape::kRect, yb - h, cx - 0.3 * w, yb - 0.55 * h,
                        cx + 0.3 * w, body});
    d.shapes.push_back({Shape::kRect,
                        yb - 0.88 * h,
                        cx - 0.22 * w,
                        yb - 0.62 * h,
                        cx + 0.22 * w,
                        {0.7, 0.85, 0.95}});
    for (double side : {-1.0, 1.0}) {
      d.shapes.push_back({Shape::kDisc,
                          yb - 0.17 * h,
                          cx + side * 0.3 * w,
                          0.17 * h,
                          0,
                          {0.05, 0.05, 0.05}});
    }
  } else if (cls == kPerson) {
    const Colour coat = Vivid(rng);
    d.shapes.push_back({Shape::kRect, yb - 0.45 * h, cx - 0.3 * w, yb,
                        cx + 0.3 * w, Jitter(rng, {0.15, 0.15, 0.3}, 0.1)});
    d.shapes.push_back({Shape::kRect, yb - 0.8 * h, cx - w / 2, yb - 0.42 * h,
                        cx + w / 2, coat});
    d.shapes.push_back({Shape::kDisc, yb - 0.89 * h, cx, 0.11 * h, 0,
                        Jitter(rng, {0.85, 0.65, 0.5}, 0.1)});
  } else {
    // The pole under the plate, then the plate (the box).
    const double half = std::max(0.008, 0.06 * w);
    d.shapes.push_back({Shape::kRect,
                        yb - h / 2,
                        cx - half,
                        yb + pole,
                        cx + half,
                        {0.5, 0.5, 0.5}});
    if (rng.randint(0, 2)) {
      d.shapes.push_back(
          {Shape::kDisc, yb - h / 2, cx, w / 2, 0, {0.85, 0.1, 0.1}});
      d.shapes.push_back(
          {Shape::kDisc, yb - h / 2, cx, 0.3 * w, 0, {0.95, 0.95, 0.95}});
    } else {
      d.shapes.push_back(
          {Shape::kTriangle, yb - h, cx, yb, w / 2, {0.95, 0.8, 0.1}});
    }
  }
}

// Scene k: drawn from RandomState(700000 + k).
Description Describe(int k) {
  dl::RandomState rng(700000u + static_cast<uint32_t>(k));
  Description d;
  DescribeBackground(d, rng);
  const int n = static_cast<int>(rng.randint(1, 6));
  struct Placed {
    Object box;
    double pole;
  };
  std::vector<Placed> placed;
  for (int t = 0; t < n; ++t) {
    const double u = rng.random_sample();
    const int cls = u < 0.45 ? kCar : u < 0.75 ? kPerson : kSign;
    for (int attempt = 0; attempt < 20; ++attempt) {
      const double depth = rng.random_sample();
      const double scale = 0.55 + 0.9 * depth;
      const double ground =
          d.horizon + 0.05 + depth * (0.97 - d.horizon - 0.05);
      double w, h, pole = 0, yb = ground;
      if (cls == kCar) {
        w = 0.22 * scale * rng.uniform(0.85, 1.15);
        h = w * rng.uniform(0.45, 0.55);
      } else if (cls == kPerson) {
        h = 0.26 * scale * rng.uniform(0.85, 1.15);
        w = h * rng.uniform(0.28, 0.36);
      } else {
        w = 0.11 * scale * rng.uniform(0.85, 1.15);
        h = w;
        pole = 0.2 * scale * rng.uniform(0.8, 1.2);
        yb = ground - pole;
      }
      const double cx = rng.uniform(w / 2 + 0.01, 0.99 - w / 2);
      const Object box{cls, cx, yb - h / 2, w, h};
      bool free = box.y - h / 2 > 0.01;
      for (const Placed& p : placed) free = free && Overlap(box, p.box) < 0.3;
      if (!free) continue;
      placed.push_back({box, pole});
      break;
    }
  }
  // Far objects first: the nearer ones are drawn over them.
  std::stable_sort(
      placed.begin(), placed.end(), [](const Placed& a, const Placed& b) {
        return a.box.y + a.box.h / 2 + a.pole < b.box.y + b.box.h / 2 + b.pole;
      });
  for (const Placed& p : placed) {
    const Object& o = p.box;
    DescribeObject(d, o.cls, o.x, o.y + o.h / 2, o.w, o.h, p.pole, rng);
    d.objects.push_back(o);
  }
  return d;
}

bool Inside(const Shape& s, double y, double x) {
  switch (s.kind) {
    case Shape::kRect:
      return y >= s.y0 && y < s.y1 && x >= s.x0 && x < s.x1;
    case Shape::kDisc:
      return (y - s.y0) * (y - s.y0) + (x - s.x0) * (x - s.x0) <= s.y1 * s.y1;
    case Shape::kTriangle: {
      if (y < s.y0 || y > s.y1) return false;
      const double half = s.x1 * (y - s.y0) / std::max(1e-9, s.y1 - s.y0);
      return std::abs(x - s.x0) <= half;
    }
  }
  return false;
}

// The rows (or columns) of pixels whose centres may lie in [lo, hi].
void PixelRange(double lo, double hi, int size, int* first, int* last) {
  *first = std::max(0, static_cast<int>(std::floor(lo * size - 0.5)));
  *last = std::min(size - 1, static_cast<int>(std::ceil(hi * size)));
}

// The description drawn at size x size (values 0 .. 1, (size, size, 3)),
// with noise from RandomState(900000 + k).
std::vector<double> Render(const Description& d, int k, int size) {
  std::vector<double> rgb(static_cast<size_t>(size) * size * 3);
  for (int py = 0; py < size; ++py) {
    const double t = std::min(1.0, (py + 0.5) / size / d.horizon);
    for (int px = 0; px < size; ++px) {
      double* p = &rgb[(static_cast<size_t>(py) * size + px) * 3];
      p[0] = d.sky[0] + 0.3 * t;
      p[1] = d.sky[1] + 0.25 * t;
      p[2] = d.sky[2] + 0.1 * t;
    }
  }
  for (const Shape& s : d.shapes) {
    double top = s.y0, bottom = s.y1, left = s.x0, right = s.x1;
    if (s.kind == Shape::kDisc) {
      top = s.y0 - s.y1, bottom = s.y0 + s.y1;
      left = s.x0 - s.y1, right = s.x0 + s.y1;
    } else if (s.kind == Shape::kTriangle) {
      left = s.x0 - s.x1, right = s.x0 + s.x1;
    }
    int y_first, y_last, x_first, x_last;
    PixelRange(top, bottom, size, &y_first, &y_last);
    PixelRange(left, right, size, &x_first, &x_last);
    for (int py = y_first; py <= y_last; ++py) {
      for (int px = x_first; px <= x_last; ++px) {
        if (!Inside(s, (py + 0.5) / size, (px + 0.5) / size)) continue;
        double* p = &rgb[(static_cast<size_t>(py) * size + px) * 3];
        for (int c = 0; c < 3; ++c) p[c] = s.colour[c];
      }
    }
  }
  dl::RandomState noise(900000u + static_cast<uint32_t>(k));
  for (double& v : rgb) {
    v = std::clamp(v + 0.03 * noise.standard_normal(), 0.0, 1.0);
  }
  return rgb;
}

}  // namespace

std::string class_name(int c) {
  static const char* const kNames[kNumClasses] = {"car", "person",
                                                  "traffic sign"};
  if (c < 0 || c >= kNumClasses) return "class " + std::to_string(c);
  return kNames[c];
}

std::array<uint8_t, 3> class_colour(int c) {
  static const std::array<uint8_t, 3> kColours[kNumClasses] = {
      {0, 160, 255}, {255, 40, 200}, {0, 230, 60}};
  if (c < 0 || c >= kNumClasses) return {255, 255, 0};
  return kColours[c];
}

Picture Scenes::picture(int i) const {
  Picture p({size, size, 3});
  const nn::Index n = p.size();
  std::copy(X.data() + i * n, X.data() + (i + 1) * n, p.data());
  return p;
}

Scenes generate_scenes(int first, int count, int size) {
  if (count < 0 || size < 16) {
    throw std::invalid_argument(
        "generate_scenes: count >= 0 scenes of at least 16 x 16 pixels");
  }
  Scenes out;
  out.size = size;
  out.X = nn::Array<float>({count, size, size, 3});
  const size_t n = static_cast<size_t>(size) * size * 3;
  for (int i = 0; i < count; ++i) {
    const Description d = Describe(first + i);
    const std::vector<double> rgb = Render(d, first + i, size);
    for (size_t v = 0; v < n; ++v) {
      out.X.data()[i * n + v] = static_cast<float>(rgb[v]);
    }
    out.objects.push_back(d.objects);
  }
  return out;
}

dl::Image draw_scene(int k, int size) {
  const std::vector<double> rgb = Render(Describe(k), k, size);
  dl::Image image;
  image.height = image.width = size;
  image.channels = 3;
  image.pixels.resize(rgb.size());
  for (size_t v = 0; v < rgb.size(); ++v) {
    image.pixels[v] = static_cast<uint8_t>(std::lround(255 * rgb[v]));
  }
  return image;
}

Matrix true_boxes(const std::vector<Object>& objects) {
  Matrix boxes(static_cast<Index>(objects.size()), 5);
  for (size_t k = 0; k < objects.size(); ++k) {
    const Object& o = objects[k];
    boxes.row(static_cast<Index>(k)) << o.x, o.y, o.w, o.h, o.cls;
  }
  return boxes;
}

TrueBoxes true_corners(const std::vector<Object>& objects,
                       const ImageShape& image_shape) {
  TrueBoxes t;
  t.boxes.resize(static_cast<Index>(objects.size()), 4);
  for (size_t k = 0; k < objects.size(); ++k) {
    const Object& o = objects[k];
    t.boxes.row(static_cast<Index>(k)) << (o.y - o.h / 2) * image_shape.height,
        (o.x - o.w / 2) * image_shape.width,
        (o.y + o.h / 2) * image_shape.height,
        (o.x + o.w / 2) * image_shape.width;
    t.classes.push_back(o.cls);
  }
  return t;
}

}  // namespace car_detection
