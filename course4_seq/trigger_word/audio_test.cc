// Tests of the given audio code of course4_seq/trigger_word: pydub's
// operations, the spectrogram, WAV files, the backgrounds and the chime.

#include "course4_seq/trigger_word/audio.h"

#include <cmath>
#include <cstdlib>
#include <string>

#include "common/core/random.h"
#include "course4_seq/trigger_word/trigger_data.h"
#include "gtest/gtest.h"

namespace trigger_word {
namespace {

constexpr double kPi = 3.14159265358979323846;

AudioSegment Sine(double hz, int ms, double amplitude) {
  AudioSegment s = silent(ms);
  for (size_t k = 0; k < s.samples.size(); ++k) {
    s.samples[k] = static_cast<float>(amplitude *
                                      std::sin(2 * kPi * hz * k / kSampleRate));
  }
  return s;
}

TEST(AudioSegment, LengthOverlayGainAndLoudness) {
  const AudioSegment ten = silent(10000);
  EXPECT_EQ(ten.samples.size(), 441000u);
  EXPECT_EQ(ten.length_ms(), 10000);
  const AudioSegment tone = Sine(441, 500, 0.5);
  EXPECT_EQ(tone.length_ms(), 500);
  const AudioSegment mixed = ten.overlay(tone, 9800);  // runs past the end
  EXPECT_EQ(mixed.samples.size(), 441000u);
  EXPECT_EQ(mixed.samples[ms_to_sample(9800) - 1], 0.0f);
  EXPECT_EQ(mixed.samples[ms_to_sample(9800) + 25], tone.samples[25]);
  // A sine of amplitude a: rms a / sqrt(2).
  EXPECT_NEAR(tone.dBFS(), 20 * std::log10(0.5 / std::sqrt(2.0)), 1e-3);
  EXPECT_NEAR(tone.apply_gain(-20).dBFS(), tone.dBFS() - 20, 1e-3);
  EXPECT_NEAR(match_target_amplitude(tone, -20).dBFS(), -20, 1e-3);
  EXPECT_TRUE(std::isinf(ten.dBFS()));
  EXPECT_TRUE(std::isinf(match_target_amplitude(ten, -20).dBFS()));
}

TEST(GraphSpectrogram, CourseShapeAndTheToneInItsBin) {
  // 2205 Hz is bin 10 of a 200-sample FFT at 44,100 Hz.
  const Matrix x = graph_spectrogram(Sine(2205, 10000, 0.5));
  ASSERT_EQ(x.rows(), 101);
  ASSERT_EQ(x.cols(), 5511);
  Eigen::Index bin;
  x.col(1000).maxCoeff(&bin);
  EXPECT_EQ(bin, 10);
  EXPECT_GT(x(10, 1000), x(30, 1000) + 40);  // dB
  EXPECT_EQ(graph_spectrogram(silent(1)).cols(), 0);
}

TEST(Wav, SaveAndLoad) {
  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string path = std::string(dir ? dir : "/tmp") + "/tone.wav";
  const AudioSegment tone = Sine(300, 250, 0.5);
  ASSERT_TRUE(save_wav(tone, path).ok());
  const absl::StatusOr<AudioSegment> back = load_wav(path);
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->samples.size(), tone.samples.size());
  for (size_t k = 0; k < tone.samples.size(); ++k) {
    EXPECT_NEAR(back->samples[k], tone.samples[k], 1e-4);
  }
  EXPECT_FALSE(load_wav("/nonexistent/x.wav").ok());
  EXPECT_FALSE(save_wav(tone, "/nonexistent/dir/x.wav").ok());
}

TEST(TriggerData, BackgroundsAndChime) {
  dl::RandomState a(1), b(1);
  const auto backgrounds = generate_backgrounds(2, a);
  ASSERT_EQ(backgrounds.size(), 2u);
  EXPECT_EQ(backgrounds[0].length_ms(), 10000);
  EXPECT_NEAR(backgrounds[0].dBFS(), -35, 1e-3);
  EXPECT_EQ(backgrounds[1].samples, generate_backgrounds(2, b)[1].samples);
  EXPECT_EQ(chime().length_ms(), 300);
}

}  // namespace
}  // namespace trigger_word
