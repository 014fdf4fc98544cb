// Tests of the given code of course4_seq/jazz: the values, the grammar's
// melodies, the training windows and the MIDI and WAV files.

#include "course4_seq/jazz/jazz_utils.h"

#include <smf.h>

#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/data/wav.h"
#include "gtest/gtest.h"

namespace jazz {
namespace {

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/" + name;
}

TEST(Values, NinetyOfThem) {
  EXPECT_EQ(kNumValues, 90);
  EXPECT_EQ(value_of(kRest, 5), 89);
  EXPECT_EQ(note_of(value_of(3, 2)), 3);
  EXPECT_EQ(beats_of(value_of(3, 2)), 0.75);
  EXPECT_EQ(midi_pitch(0), 60);
  EXPECT_EQ(value_name(value_of(2, 1)), "Eb4 1/2");
  EXPECT_EQ(value_name(value_of(kRest, 3)), "rest 1");
  EXPECT_THROW(note_of(90), std::invalid_argument);
  EXPECT_THROW(midi_pitch(kRest), std::invalid_argument);
}

TEST(GenerateMelody, WholeBarsAndTheSameForTheSameSeed) {
  dl::RandomState a(1), b(1);
  const std::vector<int> melody = generate_melody(500, a);
  EXPECT_EQ(melody, generate_melody(500, b));
  EXPECT_GE(melody.size(), 500u);
  double beats = 0;
  for (int v : melody) beats += beats_of(v);
  EXPECT_EQ(std::fmod(beats, 16.0), 0.0) << "phrases of 4 bars of 4 beats";
}

TEST(LoadMusic, YIsXOneStepLater) {
  dl::RandomState rng(2);
  const MusicData d = load_music(6, 30, rng);
  ASSERT_EQ(d.X.dimension(0), 90);
  ASSERT_EQ(d.X.dimension(1), 6);
  ASSERT_EQ(d.X.dimension(2), 30);
  for (int i = 0; i < 6; ++i) {
    for (int t = 0; t < 30; ++t) {
      double sum = 0;
      int hot = -1;
      for (int v = 0; v < 90; ++v) {
        sum += d.X(v, i, t);
        if (d.X(v, i, t) == 1) hot = v;
      }
      EXPECT_EQ(sum, 1);
      if (t > 0) {
        EXPECT_EQ(hot, d.Y[i][t - 1]);
      }
    }
  }
}

TEST(WriteMidi, NotesAndLengthReadBack) {
  const std::vector<int> values = {value_of(0, 3), value_of(kRest, 3),
                                   value_of(7, 5)};
  const std::string path = TempPath("three.mid");
  ASSERT_TRUE(write_midi(values, path, 120).ok());
  smf_t* smf = smf_load(path.c_str());
  ASSERT_NE(smf, nullptr);
  EXPECT_NEAR(smf_get_length_seconds(smf), 2.0, 1e-6);  // 4 beats at 120
  int note_ons = 0;
  while (smf_event_t* e = smf_get_next_event(smf)) {
    if (!smf_event_is_metadata(e) && (e->midi_buffer[0] & 0xF0) == 0x90) {
      ++note_ons;
    }
  }
  EXPECT_EQ(note_ons, 2);
  smf_delete(smf);
  EXPECT_FALSE(write_midi(values, "/nonexistent/dir/x.mid").ok());
}

TEST(WriteWav, LengthOfTheMelody) {
  const std::string path = TempPath("two.wav");
  ASSERT_TRUE(write_wav({value_of(5, 3), value_of(kRest, 1)}, path, 120).ok());
  const absl::StatusOr<dl::Sound> back = dl::ReadWav(path);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->sample_rate, 22050);
  EXPECT_EQ(back->samples.size(), 22050u * 3 / 4);  // 1.5 beats at 120 bpm
  EXPECT_FALSE(write_wav({0}, "/nonexistent/dir/x.wav").ok());
}

TEST(Resemblance, KnownPairs) {
  const Resemblance r = resemblance({1, 2, 3, 9}, {1, 2, 3, 4});
  EXPECT_NEAR(r.known_pairs, 2.0 / 3, 1e-12);
  EXPECT_EQ(r.distinct_values, 4);
}

}  // namespace
}  // namespace jazz
