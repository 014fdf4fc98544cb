// Tests of the given code of course3_cnn/style_transfer: the total
// variation and its gradient, the texture patches, the small VGG's layers
// and its use at another size.

#include "course3_cnn/style_transfer/feature_net.h"

#include <set>
#include <string>

#include "common/grading/grading.h"
#include "course3_cnn/style_transfer/style_transfer.h"
#include "gtest/gtest.h"

namespace style_transfer {
namespace {

using dl::RandomState;
using dl::grading::CheckTensorGradient;
using dl::grading::GradientsMatch;

TEST(TotalVariation, ValueAndGradient) {
  Tensor<4> x(1, 2, 2, 1);
  x.setValues({{{{0.0}, {1.0}}, {{0.5}, {0.25}}}});
  // down: |0.5 - 0| + |0.25 - 1|; across: |1 - 0| + |0.25 - 0.5|
  EXPECT_DOUBLE_EQ(total_variation(x), 0.5 + 0.75 + 1 + 0.25);
  RandomState rng(10);
  Tensor<4> image = rng.rand_tensor<4>({1, 4, 5, 3});
  const Tensor<4> grad = total_variation_backward(image);
  const auto J = [&] { return total_variation(image); };
  EXPECT_TRUE(GradientsMatch("total_variation_backward",
                             {CheckTensorGradient(J, "dTV", image, grad)}));
}

TEST(TexturePatches, SixteenClassesInTurnTheSameForASeed) {
  const dl::LabeledImages a = texture_patches(32, 4, 32);
  const dl::LabeledImages b = texture_patches(32, 4, 32);
  ASSERT_EQ(a.class_names.size(), 16u);
  EXPECT_EQ(a.class_names[0], "blue-yellow stripes");
  for (int i = 0; i < 32; ++i) {
    EXPECT_EQ(a.labels[i], i % 16);
    EXPECT_EQ(a.images[i].pixels, b.images[i].pixels);
    EXPECT_EQ(a.images[i].height, 32);
  }
  EXPECT_NE(a.images[0].pixels, texture_patches(32, 5, 32).images[0].pixels);
}

TEST(MakeVgg, TheCoursesLayerNamesAtAnySize) {
  for (int size : {16, 64}) {
    Model vgg = make_vgg(size, 1);
    for (const StyleLayer& layer : kStyleLayers) {
      EXPECT_TRUE(vgg.GetNode(layer.name).valid()) << layer.name;
    }
    EXPECT_TRUE(vgg.GetNode(kContentLayer).valid());
    EXPECT_EQ(vgg.shape(vgg.GetNode(kContentLayer)),
              (nn::Shape{size / 16, size / 16, 64}));
  }
  // The classifier has the same convolutions and a head of 16 classes.
  Model classifier = make_vgg(32, 1, 16);
  EXPECT_EQ(classifier.shape(classifier.output()), (nn::Shape{16}));
  EXPECT_EQ(classifier.CountParameters() - make_vgg(16, 1).CountParameters(),
            64 * 16 + 16);
}

TEST(Pictures, InZeroOneOfTheAskedSize) {
  for (const Tensor<4>& p : {content_picture(48), style_picture(48, 3)}) {
    EXPECT_EQ(p.dimension(1), 48);
    EXPECT_EQ(p.dimension(3), 3);
    Eigen::Tensor<double, 0, Eigen::RowMajor> low = p.minimum(),
                                              high = p.maximum();
    EXPECT_GE(low(), 0);
    EXPECT_LE(high(), 1);
  }
}

}  // namespace
}  // namespace style_transfer
