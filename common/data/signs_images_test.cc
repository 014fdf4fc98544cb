#include "common/data/signs_images.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "common/data/image.h"
#include "gtest/gtest.h"

namespace dl {
namespace {

std::string temp_dir(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  return std::string(tmp ? tmp : "/tmp") + "/" + name;
}

// The training set, made once for the tests that need it.
const LabeledImages& TrainSet() {
  static const LabeledImages* set =
      new LabeledImages(MakeSignsImages(kSignsTrainCount, 1));
  return *set;
}

// The mean of each channel over a picture, and their mean (the brightness).
std::vector<double> MeanColour(const Image& image) {
  std::vector<double> mean(4, 0.0);
  const int pixels = image.height * image.width;
  for (int p = 0; p < pixels; ++p) {
    for (int c = 0; c < 3; ++c) mean[c] += image.pixels[p * 3 + c];
  }
  for (int c = 0; c < 3; ++c) mean[c] /= pixels;
  mean[3] = (mean[0] + mean[1] + mean[2]) / 3;
  return mean;
}

TEST(SignsImages, SameSeedSamePictures) {
  const LabeledImages a = MakeSignsImages(12, 7);
  const LabeledImages b = MakeSignsImages(12, 7);
  const LabeledImages c = MakeSignsImages(12, 8);
  ASSERT_EQ(a.images.size(), 12u);
  EXPECT_EQ(a.labels, b.labels);
  for (size_t i = 0; i < a.images.size(); ++i) {
    EXPECT_EQ(a.images[i].pixels, b.images[i].pixels) << "picture " << i;
  }
  EXPECT_NE(a.images[0].pixels, c.images[0].pixels);
}

TEST(SignsImages, SixBalancedClassesOf64x64Rgb) {
  const LabeledImages& d = TrainSet();
  ASSERT_EQ(d.images.size(), 1080u);
  EXPECT_EQ(d.class_names,
            (std::vector<std::string>{"0", "1", "2", "3", "4", "5"}));
  std::vector<int> count(kSignsClasses, 0);
  for (int label : d.labels) {
    ASSERT_GE(label, 0);
    ASSERT_LT(label, kSignsClasses);
    ++count[label];
  }
  for (int k = 0; k < kSignsClasses; ++k) {
    EXPECT_EQ(count[k], 180) << "class " << k;
  }
  for (const Image& image : d.images) {
    ASSERT_EQ(image.height, 64);
    ASSERT_EQ(image.width, 64);
    ASSERT_EQ(image.channels, 3);
  }
  // A count that 6 does not divide: the first classes get one more.
  std::vector<int> small(kSignsClasses, 0);
  for (int label : MakeSignsImages(100, 3, 32).labels) ++small[label];
  EXPECT_EQ(small, (std::vector<int>{17, 17, 17, 17, 16, 16}));
}

// Colour and brightness must not tell the classes apart: every class's mean
// colour is the overall mean up to sampling noise (4 standard errors; one
// picture's mean varies by about 20 of 255 between pictures).
TEST(SignsImages, EveryClassHasTheSameMeanColour) {
  const LabeledImages& d = TrainSet();
  const char* kWhat[4] = {"red", "green", "blue", "brightness"};
  std::vector<std::vector<double>> sum(kSignsClasses,
                                       std::vector<double>(4, 0.0));
  std::vector<std::vector<double>> sum_sq = sum;
  std::vector<double> overall(4, 0.0);
  std::vector<int> count(kSignsClasses, 0);
  for (size_t i = 0; i < d.images.size(); ++i) {
    const std::vector<double> mean = MeanColour(d.images[i]);
    const int k = d.labels[i];
    ++count[k];
    for (int c = 0; c < 4; ++c) {
      sum[k][c] += mean[c];
      sum_sq[k][c] += mean[c] * mean[c];
      overall[c] += mean[c] / d.images.size();
    }
  }
  for (int k = 0; k < kSignsClasses; ++k) {
    for (int c = 0; c < 4; ++c) {
      const double mean = sum[k][c] / count[k];
      const double sd = std::sqrt(sum_sq[k][c] / count[k] - mean * mean);
      EXPECT_LE(std::abs(mean - overall[c]), 4 * sd / std::sqrt(count[k]))
          << "class " << k << ": mean " << kWhat[c] << " " << mean
          << ", all classes " << overall[c];
    }
  }
}

// A classifier that only sees a picture's mean colour (nearest class mean)
// does no better than guessing (1 in 6).
TEST(SignsImages, MeanColourAloneDoesNotClassify) {
  const LabeledImages& train = TrainSet();
  std::vector<std::vector<double>> centre(kSignsClasses,
                                          std::vector<double>(3, 0.0));
  std::vector<int> count(kSignsClasses, 0);
  for (size_t i = 0; i < train.images.size(); ++i) {
    const std::vector<double> mean = MeanColour(train.images[i]);
    ++count[train.labels[i]];
    for (int c = 0; c < 3; ++c) centre[train.labels[i]][c] += mean[c];
  }
  for (int k = 0; k < kSignsClasses; ++k) {
    for (double& v : centre[k]) v /= count[k];
  }
  const LabeledImages test = MakeSignsImages(600, 3);
  int right = 0;
  for (size_t i = 0; i < test.images.size(); ++i) {
    const std::vector<double> mean = MeanColour(test.images[i]);
    int best = 0;
    double best_distance = INFINITY;
    for (int k = 0; k < kSignsClasses; ++k) {
      double distance = 0;
      for (int c = 0; c < 3; ++c) {
        distance += (mean[c] - centre[k][c]) * (mean[c] - centre[k][c]);
      }
      if (distance < best_distance) best_distance = distance, best = k;
    }
    right += best == test.labels[i];
  }
  const double accuracy = static_cast<double>(right) / test.images.size();
  EXPECT_LT(accuracy, 0.25) << "a mean-colour classifier gets " << accuracy;
}

// Written as PNG folders, read back through the image-folder reader: the
// same pictures, the folder names "0".."5" as labels 0..5.
TEST(SignsImages, RoundTripThroughImageFolder) {
  const std::string root = temp_dir("signs_roundtrip");
  std::filesystem::remove_all(root);
  const LabeledImages d = MakeSignsImages(24, 4);
  ASSERT_TRUE(WriteImageFolder(root, d).ok());
  absl::StatusOr<ImageDataset> read = ReadImageFolder(root);
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->size(), 24);
  EXPECT_EQ(read->class_names, d.class_names);
  // WriteImageFolder names picture i "<class>/<i>.png"; the reader sorts by
  // class, then by name.
  const int64_t bytes = 64 * 64 * 3;
  for (int j = 0; j < read->size(); ++j) {
    const std::string file =
        std::filesystem::path(read->paths[j]).stem().string();
    const int i = std::stoi(file);
    ASSERT_GE(i, 0);
    ASSERT_LT(i, 24);
    EXPECT_EQ(read->labels[j], d.labels[i]) << read->paths[j];
    const std::vector<uint8_t> pixels(read->pixels.begin() + j * bytes,
                                      read->pixels.begin() + (j + 1) * bytes);
    EXPECT_EQ(pixels, d.images[i].pixels) << read->paths[j];
  }
}

TEST(SignsImages, WriteSignsDatasetMakesTheCourseSplit) {
  const std::string root = temp_dir("signs_dataset");
  ASSERT_TRUE(WriteSignsDataset(root).ok());
  for (auto [split, size] : {std::pair<const char*, int>{"train", 1080},
                             std::pair<const char*, int>{"test", 120}}) {
    absl::StatusOr<ImageDataset> read = ReadImageFolder(root + "/" + split);
    ASSERT_TRUE(read.ok()) << read.status();
    EXPECT_EQ(read->size(), size) << split;
    EXPECT_EQ(read->class_names.size(), 6u) << split;
    std::vector<int> count(kSignsClasses, 0);
    for (int label : read->labels) ++count[label];
    for (int k = 0; k < kSignsClasses; ++k) {
      EXPECT_EQ(count[k], size / 6) << split << ", class " << k;
    }
  }
  // Written again over an existing set: the same files, no leftovers.
  ASSERT_TRUE(WriteSignsDataset(root).ok());
  absl::StatusOr<ImageDataset> again = ReadImageFolder(root + "/test");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->size(), 120);
  EXPECT_TRUE(std::filesystem::exists(root + "/VERSION"));
}

TEST(SignsImages, UnwritableFolderIsAnError) {
  const absl::Status s = WriteSignsDataset("/proc/no_such_place/signs");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("/proc/no_such_place"),
            std::string::npos)
      << s;
}

}  // namespace
}  // namespace dl
