// File: common/data/canvas.h
//
// What the generated pictures are drawn on (synthetic_images, signs_images,
// cnn_app's happy faces): a square RGB canvas of doubles in [0, 255], HWC,
// turned into an Image at the end. Each generator blends its colours its own
// way, through pixel().

#ifndef DLCOURSE_COMMON_DATA_CANVAS_H_
#define DLCOURSE_COMMON_DATA_CANVAS_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "common/core/random.h"
#include "common/data/image.h"

namespace dl {

struct Rgb {
  double r, g, b;
};

class RgbCanvas {
 public:
  explicit RgbCanvas(int size) : size_(size), px_(size * size * 3, 0.0) {}
  int size() const { return size_; }

  // The three values of pixel (y, x), or nullptr outside the canvas.
  double* pixel(int y, int x) {
    if (y < 0 || x < 0 || y >= size_ || x >= size_) return nullptr;
    return &px_[(y * size_ + x) * 3];
  }
  // Every value, row by row.
  std::vector<double>& values() { return px_; }

  // Noise of standard deviation sigma, roughly normal (the sum of four
  // random bytes: one 32-bit draw per value, much faster than randn).
  void AddNoise(RandomState& rng, double sigma) {
    constexpr double kMean = 4 * 127.5,
                     kStd = 147.80;  // sqrt(4 (256² - 1) / 12)
    for (double& v : px_) {
      const uint32_t u = rng.next_uint32();
      const int sum =
          (u & 255) + ((u >> 8) & 255) + ((u >> 16) & 255) + (u >> 24);
      v += sigma * (sum - kMean) / kStd;
    }
  }

  // The picture: every value rounded and clamped to [0, 255].
  Image ToImage() const {
    Image img;
    img.height = img.width = size_;
    img.channels = 3;
    img.pixels.resize(px_.size());
    for (size_t i = 0; i < px_.size(); ++i) {
      img.pixels[i] =
          static_cast<uint8_t>(std::lround(std::clamp(px_[i], 0.0, 255.0)));
    }
    return img;
  }

 private:
  int size_;
  std::vector<double> px_;
};

}  // namespace dl

#endif  // DLCOURSE_COMMON_DATA_CANVAS_H_
