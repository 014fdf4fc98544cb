// Tests of the WAV files of common/data/wav.h.

#include "common/data/wav.h"

#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace dl {
namespace {

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/" + name;
}

TEST(Wav, WriteThenRead) {
  std::vector<float> samples(1000);
  for (size_t k = 0; k < samples.size(); ++k) {
    samples[k] = static_cast<float>(0.5 * std::sin(0.05 * k));
  }
  samples[3] = 2.0f;  // clipped to 1
  const std::string path = TempPath("tone.wav");
  ASSERT_TRUE(WriteWav(samples, 22050, path).ok());
  const absl::StatusOr<Sound> back = ReadWav(path);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->sample_rate, 22050);
  ASSERT_EQ(back->samples.size(), samples.size());
  EXPECT_NEAR(back->samples[3], 1.0f, 1e-4);
  for (size_t k = 4; k < samples.size(); ++k) {
    EXPECT_NEAR(back->samples[k], samples[k], 1e-4);
  }
}

TEST(Wav, ErrorsNameTheFile) {
  const absl::StatusOr<Sound> missing = ReadWav("/nonexistent/x.wav");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/nonexistent/x.wav"),
            std::string::npos);
  const std::string text = TempPath("not_a_wav.wav");
  ASSERT_TRUE(WriteWav({0.1f}, 8000, text).ok());
  EXPECT_FALSE(WriteWav({0.1f}, 8000, "/nonexistent/dir/x.wav").ok());
}

}  // namespace
}  // namespace dl
