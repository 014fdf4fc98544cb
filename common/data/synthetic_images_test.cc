#include "common/data/synthetic_images.h"

#include <cstdlib>
#include <string>

#include "common/data/image.h"
#include "gtest/gtest.h"

namespace dl {
namespace {

std::string temp_dir(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  return std::string(tmp ? tmp : "/tmp") + "/" + name;
}

TEST(SyntheticImages, SameSeedSamePictures) {
  const LabeledImages a = MakeCatImages(12, 7);
  const LabeledImages b = MakeCatImages(12, 7);
  const LabeledImages c = MakeCatImages(12, 8);
  ASSERT_EQ(a.images.size(), 12u);
  EXPECT_EQ(a.labels, b.labels);
  for (size_t i = 0; i < a.images.size(); ++i) {
    EXPECT_EQ(a.images[i].pixels, b.images[i].pixels) << "picture " << i;
  }
  EXPECT_NE(a.images[0].pixels, c.images[0].pixels);
}

TEST(SyntheticImages, BothClassesAppear) {
  const LabeledImages d = MakeCatImages(209, 1);
  int cats = 0;
  for (int label : d.labels) cats += label;
  EXPECT_GT(cats, 40);
  EXPECT_LT(cats, 130);
  EXPECT_EQ(d.images[0].height, 64);
  EXPECT_EQ(d.images[0].width, 64);
  EXPECT_EQ(d.images[0].channels, 3);
}

// Written as PNG folders, read back through the image-folder reader.
TEST(SyntheticImages, RoundTripThroughImageFolder) {
  const std::string root = temp_dir("synthetic_roundtrip");
  const LabeledImages d = MakeCatImages(10, 3);
  ASSERT_TRUE(WriteImageFolder(root, d).ok());
  absl::StatusOr<ImageDataset> read = ReadImageFolder(root);
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->size(), 10);
  // The folder reader sorts class names: "cat" (0) before "non-cat" (1);
  // the generator's labels are 1 = cat.
  int cats_written = 0, cats_read = 0;
  for (int label : d.labels) cats_written += label;
  for (int label : read->labels) cats_read += label == 0;
  EXPECT_EQ(cats_written, cats_read);
  EXPECT_EQ(read->class_names[0], "cat");
}

TEST(SyntheticImages, UnwritableFolderIsAnError) {
  const absl::Status s =
      WriteImageFolder("/proc/no_such_place/data", MakeCatImages(2, 1));
  EXPECT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("/proc/no_such_place"),
            std::string::npos)
      << s;
}

// data/<name> is written the first time, kept while its VERSION matches,
// and written again when the generator's version changes.
TEST(SyntheticImages, GeneratedDatasetDirRewritesOnlyWhenStale) {
  const std::string workspace = temp_dir("generated_dataset_dir");
  ASSERT_EQ(setenv("BUILD_WORKSPACE_DIRECTORY", workspace.c_str(), 1), 0);
  int writes = 0;
  auto make = [&](const std::string& version) {
    return [&writes, version](const std::string& root) {
      ++writes;
      return WriteSplitDataset(root, MakeCatImages(4, 1), MakeCatImages(2, 2),
                               version);
    };
  };
  absl::StatusOr<std::string> dir =
      GeneratedDatasetDir("toy", "v1", "toy pictures", make("v1"));
  ASSERT_TRUE(dir.ok()) << dir.status();
  EXPECT_EQ(*dir, workspace + "/data/toy");
  EXPECT_EQ(writes, 1);
  ASSERT_TRUE(ReadImageFolder(*dir + "/train").ok());
  EXPECT_EQ(ReadImageFolder(*dir + "/test")->size(), 2);
  ASSERT_TRUE(GeneratedDatasetDir("toy", "v1", "toy", make("v1")).ok());
  EXPECT_EQ(writes, 1) << "same version: kept";
  ASSERT_TRUE(GeneratedDatasetDir("toy", "v2", "toy", make("v2")).ok());
  EXPECT_EQ(writes, 2) << "new version: written again";
  ASSERT_TRUE(GeneratedDatasetDir("toy", "", "toy", make("")).ok());
  EXPECT_EQ(writes, 2) << "no version to check: kept";
  unsetenv("BUILD_WORKSPACE_DIRECTORY");
}

}  // namespace
}  // namespace dl
