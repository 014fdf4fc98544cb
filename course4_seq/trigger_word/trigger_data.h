// File: course4_seq/trigger_word/trigger_data.h
//
// The stand-in for the course's raw_data/ folder (its recordings of
// "activate", of other words and of background noise), made here:
//
//   - the words are spoken by Debian's espeak-ng (a speech synthesizer) in
//     several English voices, male and female, at two speeds; the words are
//     written as WAV files under data/trigger_word/ the first time
//     (regenerated when the list of words, voices or speeds changes);
//   - the backgrounds are 10 seconds of generated noise: a low rumble, a
//     mains hum and bursts of hiss, each seeded.
//
// The voice "en-029" (Caribbean English) is held out: its activates and
// negatives make the dev set's clips only, so the dev set measures how the
// model does on a voice it never heard.

#ifndef DLCOURSE_COURSE4_SEQ_TRIGGER_WORD_TRIGGER_DATA_H_
#define DLCOURSE_COURSE4_SEQ_TRIGGER_WORD_TRIGGER_DATA_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/core/random.h"
#include "course4_seq/trigger_word/audio.h"

namespace trigger_word {

// The course's activates, negatives and backgrounds.
struct RawAudio {
  std::vector<AudioSegment> activates, negatives;  // the training voices
  std::vector<AudioSegment> dev_activates, dev_negatives;  // the held-out one
  std::vector<AudioSegment> backgrounds;                   // 10 s each
};

// The folder of the synthesized words: <workspace>/data/trigger_word under
// `bazel run`, else ./data/trigger_word.
std::string raw_data_dir();

// Loads the words from raw_data_dir(), synthesizing them with espeak-ng
// first when they are missing or stale (it says so on stdout); generates
// the backgrounds. Fails with the install command when espeak-ng is missing.
absl::StatusOr<RawAudio> load_raw_audio();

// `n` backgrounds of 10 s of noise (a rumble, a hum, bursts of hiss),
// around -35 dBFS.
std::vector<AudioSegment> generate_backgrounds(int n, dl::RandomState& rng);

// The course's chime: a short bell-like tone (0.3 s).
AudioSegment chime();

}  // namespace trigger_word

#endif  // DLCOURSE_COURSE4_SEQ_TRIGGER_WORD_TRIGGER_DATA_H_
