// The generated digits: deterministic, balanced, in [0, 1], each picture a
// digit (ink on a dark background), different seeds different pictures.

#include "course3_cnn/classic_nets/digits.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

namespace {

using classic_nets::Digits;
using classic_nets::MakeDigits;

TEST(Digits, ShapeLabelsAndRange) {
  const Digits d = MakeDigits(250, 1);
  ASSERT_EQ(d.X.shape(), (dl::nn::Shape{250, 32, 32, 1}));
  ASSERT_EQ(d.labels.size(), 250u);
  std::vector<int> count(10, 0);
  for (int y : d.labels) {
    ASSERT_GE(y, 0);
    ASSERT_LE(y, 9);
    ++count[y];
  }
  for (int c : count) EXPECT_EQ(c, 25);
  for (dl::nn::Index i = 0; i < d.X.size(); ++i) {
    ASSERT_GE(d.X[i], 0.0f);
    ASSERT_LE(d.X[i], 1.0f);
  }
  // Shuffled: not 0, 1, 2, ... in order.
  int in_order = 0;
  for (int i = 0; i < 250; ++i) in_order += d.labels[i] == i % 10;
  EXPECT_LT(in_order, 100);
}

TEST(Digits, EachPictureIsInkOnDark) {
  const Digits d = MakeDigits(100, 3);
  for (int i = 0; i < 100; ++i) {
    const float* p = d.X.data() + i * 1024;
    const float max = *std::max_element(p, p + 1024);
    double mean = 0;
    int ink = 0;
    for (int k = 0; k < 1024; ++k) {
      mean += p[k];
      ink += p[k] > 0.5f;
    }
    mean /= 1024;
    EXPECT_GT(max, 0.6f) << "picture " << i;
    EXPECT_GT(ink, 15) << "picture " << i << " (digit " << d.labels[i] << ")";
    EXPECT_LT(mean, 0.4) << "picture " << i;
  }
}

TEST(Digits, DeterministicForASeed) {
  const Digits a = MakeDigits(30, 7), b = MakeDigits(30, 7),
               c = MakeDigits(30, 8);
  EXPECT_EQ(a.labels, b.labels);
  EXPECT_TRUE(std::equal(a.X.data(), a.X.data() + a.X.size(), b.X.data()));
  EXPECT_FALSE(std::equal(a.X.data(), a.X.data() + a.X.size(), c.X.data()));
}

TEST(Digits, Image) {
  const Digits d = MakeDigits(10, 1);
  const dl::Image image = classic_nets::DigitImage(d.X, 3);
  EXPECT_EQ(image.height, 32);
  EXPECT_EQ(image.width, 32);
  EXPECT_EQ(image.channels, 1);
  ASSERT_EQ(image.pixels.size(), 1024u);
  EXPECT_EQ(image.pixels[100],
            static_cast<uint8_t>(std::lround(d.X[3 * 1024 + 100] * 255)));
}

}  // namespace
