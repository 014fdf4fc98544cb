// Tests of the generated happy / not happy faces: sizes, balanced labels,
// the same pictures for the same seed, other pictures for another seed.

#include "course3_cnn/cnn_app/happy_faces.h"

#include <cstdint>
#include <vector>

#include "common/data/image.h"
#include "gtest/gtest.h"

namespace cnn_app {
namespace {

TEST(HappyFaces, SizesAndLabels) {
  const dl::LabeledImages d = MakeHappyImages(41, 3);
  ASSERT_EQ(d.class_names, (std::vector<std::string>{"not_happy", "happy"}));
  ASSERT_EQ(d.images.size(), 41u);
  ASSERT_EQ(d.labels.size(), 41u);
  int happy = 0;
  for (size_t i = 0; i < d.images.size(); ++i) {
    EXPECT_EQ(d.images[i].height, 64);
    EXPECT_EQ(d.images[i].width, 64);
    EXPECT_EQ(d.images[i].channels, 3);
    EXPECT_EQ(d.images[i].pixels.size(), 64u * 64u * 3u);
    happy += d.labels[i];
  }
  EXPECT_EQ(happy, 20);  // count / 2 happy, the odd one not happy
  // Shuffled: not all happy pictures first.
  int changes = 0;
  for (size_t i = 1; i < d.labels.size(); ++i) {
    changes += d.labels[i] != d.labels[i - 1];
  }
  EXPECT_GT(changes, 5);
}

TEST(HappyFaces, DeterministicForASeed) {
  const dl::LabeledImages a = MakeHappyImages(6, 7, 48);
  const dl::LabeledImages b = MakeHappyImages(6, 7, 48);
  const dl::LabeledImages c = MakeHappyImages(6, 8, 48);
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(a.images[i].pixels, b.images[i].pixels) << i;
    EXPECT_EQ(a.labels[i], b.labels[i]) << i;
    EXPECT_NE(a.images[i].pixels, c.images[i].pixels) << i;
  }
}

// The pictures are not flat: a face on a background, with detail.
TEST(HappyFaces, PicturesHaveContrast) {
  const dl::LabeledImages d = MakeHappyImages(4, 1);
  for (const dl::Image& im : d.images) {
    int lo = 255, hi = 0;
    for (uint8_t p : im.pixels) {
      lo = std::min<int>(lo, p);
      hi = std::max<int>(hi, p);
    }
    EXPECT_GT(hi - lo, 100);
  }
}

}  // namespace
}  // namespace cnn_app
