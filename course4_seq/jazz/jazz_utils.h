// File: course4_seq/jazz/jazz_utils.h
//
// The given code of course4_seq/jazz (the course's data_utils, music_utils
// and midi code), with generated melodies instead of the course's recorded
// solo:
//
//   - the 90 musical values: 14 pitches of C minor's blues scale with a
//     passing D, over two octaves, plus a rest, each with one of 6
//     durations (value = 6 note + duration);
//   - generate_melody: phrases from a small grammar of jazz-like phrasing:
//     a two-beat motif, the motif again a step higher (a sequence), an
//     answer that ends on a rest, a second motif and its echo lower, and a
//     cadence that walks to C or G and holds it;
//   - load_music: the course's X (n_values, m, T_x) one-hot and Y, windows
//     of one long generated melody;
//   - write_midi (Debian's libsmf), write_wav (a simple synthesis, written
//     with Debian's libsndfile) and piano_roll (a PNG).
//
// Everything is drawn from a dl::RandomState: the same seed gives the same
// melodies on every machine.

#ifndef DLCOURSE_COURSE4_SEQ_JAZZ_JAZZ_UTILS_H_
#define DLCOURSE_COURSE4_SEQ_JAZZ_JAZZ_UTILS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/core/random.h"
#include "common/core/tensor.h"
#include "common/data/image.h"

namespace jazz {

using Tensor3 = dl::Tensor<3>;

// ---------------------------------------------------------------- values

inline constexpr int kNumNotes = 15;     // 14 pitches and the rest
inline constexpr int kRest = 14;         // the note index of a rest
inline constexpr int kNumDurations = 6;  // 1/4 .. 2 beats
inline constexpr int kNumValues = kNumNotes * kNumDurations;  // 90

int value_of(int note, int duration_index);  // 6 note + duration_index
int note_of(int value);                      // 0 .. 14 (14: a rest)
double beats_of(int value);                  // 0.25, 0.5, 0.75, 1, 1.5, 2
int midi_pitch(int note);                    // 60 (C4) .. 82 (Bb5)
// "Eb5 1/2", "rest 1", "G4 3/4": the note and its length in beats.
std::string value_name(int value);

// ---------------------------------------------------------------- melody

// A melody of whole phrases (4 bars of 4 beats each), at least
// `min_values` values long.
std::vector<int> generate_melody(int min_values, dl::RandomState& rng);

// The training set: m windows of T_x + 1 consecutive values of one
// generated melody, at random places.
//   X: (n_values, m, T_x) one-hot, x<t> = X[:, :, t] (the course's X is
//      (m, T_x, n_values))
//   Y: m lists of T_x labels, Y[i][t] = the value after X's step t (the
//      course's Y[t] = X[t + 1])
struct MusicData {
  Tensor3 X;
  std::vector<std::vector<int>> Y;
  std::vector<int> melody;  // the melody the windows come from
};
MusicData load_music(int m, int T_x, dl::RandomState& rng);

// ---------------------------------------------------------------- output

// A standard MIDI file (format 0, 480 pulses per quarter note, `bpm`
// quarter notes a minute) of the values, one after the other, through
// Debian's libsmf.
absl::Status write_midi(const std::vector<int>& values, const std::string& path,
                        double bpm = 120);

// A WAV file (22,050 Hz, 16 bits, mono) of the values: each note a decaying
// tone with two overtones, written with Debian's libsndfile.
absl::Status write_wav(const std::vector<int>& values, const std::string& path,
                       double bpm = 120);

// A piano roll of each melody, one above the other: a row per note (high
// notes on top), 16 pixels a beat, a bar line every 4 beats.
dl::Image piano_roll(const std::vector<std::vector<int>>& melodies);

// Statistics of how a generated melody resembles the training melody: the
// share of its consecutive pairs of values that also follow each other in
// `training` (1: nothing new; near 0: noise), and the number of different
// values it uses.
struct Resemblance {
  double known_pairs = 0;
  int distinct_values = 0;
};
Resemblance resemblance(const std::vector<int>& generated,
                        const std::vector<int>& training);

}  // namespace jazz

#endif  // DLCOURSE_COURSE4_SEQ_JAZZ_JAZZ_UTILS_H_
