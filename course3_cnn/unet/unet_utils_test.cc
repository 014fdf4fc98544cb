// Tests of the given code of course3_cnn/unet: the scenes and their masks,
// create_mask and the scores.

#include "course3_cnn/unet/unet_utils.h"

#include <vector>

#include "common/core/random.h"
#include "gtest/gtest.h"

namespace unet {
namespace {

TEST(GenerateScenes, ShapesClassesAndSeeds) {
  dl::RandomState a(1), b(1);
  const Scenes s = generate_scenes(5, 48, 64, a);
  ASSERT_EQ(s.X.shape(), (dl::nn::Shape{5, 48, 64, 3}));
  ASSERT_EQ(s.masks.size(), 5u * 48 * 64);
  std::vector<int> count(kNumClasses, 0);
  for (int c : s.masks) {
    ASSERT_GE(c, 0);
    ASSERT_LT(c, kNumClasses);
    ++count[c];
  }
  for (int c = 0; c < 3; ++c) EXPECT_GT(count[c], 0) << class_name(c);
  for (dl::nn::Index k = 0; k < s.X.size(); ++k) {
    ASSERT_GE(s.X[k], 0.0f);
    ASSERT_LE(s.X[k], 1.0f);
  }
  const Scenes again = generate_scenes(5, 48, 64, b);
  EXPECT_EQ(again.masks, s.masks);
  EXPECT_THROW(generate_scenes(1, 8, 64, a), std::invalid_argument);
}

TEST(CreateMask, ArgmaxPerPixel) {
  dl::nn::Array<float> logits({1, 1, 2, 3});
  const float values[] = {0.1f, 0.9f, 0.2f, 3.0f, -1.0f, 3.0f};
  for (int k = 0; k < 6; ++k) logits[k] = values[k];
  EXPECT_EQ(create_mask(logits), (std::vector<int>{1, 0}));  // first on a tie
}

TEST(Score, AccuracyAndIoU) {
  const SegmentationScores s = score({0, 0, 1, 1}, {0, 1, 1, 1});
  EXPECT_DOUBLE_EQ(s.pixel_accuracy, 0.75);
  EXPECT_DOUBLE_EQ(s.iou[0], 0.5);      // 1 of 2
  EXPECT_DOUBLE_EQ(s.iou[1], 2.0 / 3);  // 2 of 3
  EXPECT_EQ(s.iou[2], -1);              // in neither
  EXPECT_DOUBLE_EQ(s.mean_iou, (0.5 + 2.0 / 3) / 2);
  EXPECT_THROW(score({0}, {0, 1}), std::invalid_argument);
}

}  // namespace
}  // namespace unet
