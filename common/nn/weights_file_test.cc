// Tests of common/nn/weights_file: weights written and read back the same,
// and every bad file refused with the model left as it was.

#include "common/nn/weights_file.h"

#include <cstdio>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace dl {
namespace nn {
namespace {

void SmallModel(Model<float>& model) {
  model.Input({4, 4, 2});
  model.Add(Conv2D(3, 3));
  model.Add(BatchNormalization(3));
  model.Add(Flatten());
  model.Add(Dense(2));
}

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/" + name;
}

std::vector<float> AllValues(Model<float>& model) {
  std::vector<float> all;
  for (const auto& p : model.Parameters()) {
    const auto& v = p.parameter->value;
    all.insert(all.end(), v.data(), v.data() + v.size());
  }
  return all;
}

TEST(WeightsFile, SavedWeightsReadBackTheSame) {
  Model<float> a("", 1), b("", 2);
  SmallModel(a);
  SmallModel(b);
  ASSERT_NE(AllValues(a), AllValues(b));
  const std::string path = TempPath("sub/weights.bin");
  ASSERT_TRUE(SaveWeights(a, path, "v1").ok());
  EXPECT_TRUE(LoadWeights(path, "v1", b));
  EXPECT_EQ(AllValues(a), AllValues(b));
}

TEST(WeightsFile, RefusesBadFilesAndKeepsTheModel) {
  Model<float> a("", 1), b("", 2);
  SmallModel(a);
  SmallModel(b);
  const std::vector<float> before = AllValues(b);
  const std::string path = TempPath("weights.bin");
  ASSERT_TRUE(SaveWeights(a, path, "v1").ok());
  EXPECT_FALSE(LoadWeights(path, "v2", b));  // another version
  EXPECT_FALSE(LoadWeights(TempPath("missing.bin"), "v1", b));
  // Cut short: everything but the last value.
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)),
                    std::istreambuf_iterator<char>());
  const std::string cut = TempPath("cut.bin");
  std::ofstream(cut, std::ios::binary)
      << bytes.substr(0, bytes.size() - sizeof(float));
  EXPECT_FALSE(LoadWeights(cut, "v1", b));
  // One value too many.
  const std::string longer = TempPath("longer.bin");
  std::ofstream(longer, std::ios::binary) << bytes << "x";
  EXPECT_FALSE(LoadWeights(longer, "v1", b));
  // Another model.
  Model<float> other("", 3);
  other.Input({4, 4, 2});
  other.Add(Flatten());
  other.Add(Dense(2));
  EXPECT_FALSE(LoadWeights(path, "v1", other));
  EXPECT_EQ(AllValues(b), before);
}

}  // namespace
}  // namespace nn
}  // namespace dl
