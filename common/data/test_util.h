// File: common/data/test_util.h
//
// What the tests of pictures share (image_test, image_grid_test).

#ifndef DLCOURSE_COMMON_DATA_TEST_UTIL_H_
#define DLCOURSE_COMMON_DATA_TEST_UTIL_H_

#include <cstdint>

#include "common/data/image.h"

namespace dl {
namespace test {

// A synthetic (height, width, channels) image whose every pixel differs from
// its neighbours; `seed` varies the pattern.
inline Image Pattern(int height, int width, int channels, int seed = 0) {
  Image image{height, width, channels, {}};
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      for (int c = 0; c < channels; ++c) {
        image.pixels.push_back(
            static_cast<uint8_t>((y * 31 + x * 17 + c * 7 + seed * 13) % 256));
      }
    }
  }
  return image;
}

}  // namespace test
}  // namespace dl

#endif  // DLCOURSE_COMMON_DATA_TEST_UTIL_H_
