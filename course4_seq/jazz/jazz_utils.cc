// File: course4_seq/jazz/jazz_utils.cc
//
// The musical values, the phrase grammar, the training windows, and the
// MIDI, WAV and piano-roll output (see jazz_utils.h).

#include "course4_seq/jazz/jazz_utils.h"

#include <smf.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "common/data/wav.h"

namespace jazz {
namespace {

constexpr double kBeats[kNumDurations] = {0.25, 0.5, 0.75, 1.0, 1.5, 2.0};
const char* const kBeatNames[kNumDurations] = {"1/4", "1/2", "3/4",
                                               "1",   "3/2", "2"};
// C minor's blues scale (C Eb F F# G Bb) with a passing D, C4 to Bb5.
constexpr int kPitches[kNumNotes - 1] = {60, 62, 63, 65, 66, 67, 70,
                                         72, 74, 75, 77, 78, 79, 82};
const char* const kNoteNames[kNumNotes - 1] = {"C4", "D4",  "Eb4", "F4", "F#4",
                                               "G4", "Bb4", "C5",  "D5", "Eb5",
                                               "F5", "F#5", "G5",  "Bb5"};
// The notes of the C minor 7th chord (C Eb G Bb), where motifs start.
constexpr int kChordTones[] = {2, 5, 6, 7, 9, 12};
constexpr int kTopNote = kNumNotes - 2;  // Bb5

// Rhythm cells of two beats each.
const std::vector<std::vector<double>>& Cells() {
  static const auto* cells = new std::vector<std::vector<double>>{
      {0.5, 0.5, 1},        {0.75, 0.25, 1}, {0.25, 0.25, 0.5, 1}, {1.5, 0.5},
      {0.5, 0.5, 0.5, 0.5}, {1, 1},          {0.5, 1, 0.5}};
  return *cells;
}

struct Note {
  int note;
  double beats;
};
using Notes = std::vector<Note>;

int Pick(dl::RandomState& rng, int n) {
  return static_cast<int>(rng.randint(0, n));
}

// Two beats: a rhythm cell over a walk on the scale from a chord tone.
Notes Motif(dl::RandomState& rng) {
  const std::vector<double>& cell = Cells()[Pick(rng, Cells().size())];
  int note = kChordTones[Pick(rng, 6)];
  Notes motif;
  for (double beats : cell) {
    motif.push_back({note, beats});
    int step = static_cast<int>(rng.randint(-2, 3));
    if (step == 0) step = 1;
    note = std::clamp(note + step, 0, kTopNote);
  }
  return motif;
}

// The motif moved `steps` notes of the scale up (or down).
Notes Shift(const Notes& motif, int steps) {
  Notes out = motif;
  for (Note& n : out) n.note = std::clamp(n.note + steps, 0, kTopNote);
  return out;
}

// The answer: the motif with a neighbouring note before its end, which is
// a rest.
Notes Answer(const Notes& motif, dl::RandomState& rng) {
  Notes out = motif;
  if (out.size() >= 2) {
    Note& before = out[out.size() - 2];
    before.note =
        std::clamp(before.note + (rng.randint(0, 2) ? 1 : -1), 0, kTopNote);
  }
  out.back().note = kRest;
  return out;
}

// Four beats: three notes stepping down (or up) to C or G, which is held.
Notes Cadence(dl::RandomState& rng) {
  constexpr int kTargets[] = {0, 5, 7, 12};  // C4, G4, C5, G5
  const int target = kTargets[Pick(rng, 4)];
  const int side = rng.randint(0, 2) ? 1 : -1;
  Notes out;
  for (int k : {2, 1, 0}) {
    out.push_back(
        {std::clamp(target + side * (k + 1), 0, kTopNote), k == 0 ? 1.0 : 0.5});
  }
  out.push_back({target, 2.0});
  return out;
}

// One phrase of four bars: A, A a step away | A, its answer | B, B lower |
// the cadence.
Notes Phrase(dl::RandomState& rng) {
  const Notes A = Motif(rng);
  const Notes B = Motif(rng);
  Notes phrase;
  const auto add = [&](const Notes& part) {
    phrase.insert(phrase.end(), part.begin(), part.end());
  };
  add(A);
  add(Shift(A, rng.randint(0, 2) ? 1 : 2));
  add(A);
  add(Answer(A, rng));
  add(B);
  add(Shift(B, rng.randint(0, 2) ? -1 : -2));
  add(Cadence(rng));
  return phrase;
}

int DurationIndex(double beats) {
  for (int d = 0; d < kNumDurations; ++d) {
    if (kBeats[d] == beats) return d;
  }
  throw std::logic_error("jazz: no value lasts " + std::to_string(beats));
}

void CheckValue(int value) {
  if (value < 0 || value >= kNumValues) {
    throw std::invalid_argument("jazz: " + std::to_string(value) +
                                " is not a value 0 .. 89");
  }
}

}  // namespace

int value_of(int note, int duration_index) {
  return note * kNumDurations + duration_index;
}
int note_of(int value) {
  CheckValue(value);
  return value / kNumDurations;
}
double beats_of(int value) {
  CheckValue(value);
  return kBeats[value % kNumDurations];
}
int midi_pitch(int note) {
  if (note < 0 || note >= kRest) {
    throw std::invalid_argument("jazz: note " + std::to_string(note) +
                                " has no pitch");
  }
  return kPitches[note];
}
std::string value_name(int value) {
  const int note = note_of(value);
  return std::string(note == kRest ? "rest" : kNoteNames[note]) + " " +
         kBeatNames[value % kNumDurations];
}

std::vector<int> generate_melody(int min_values, dl::RandomState& rng) {
  std::vector<int> melody;
  while (static_cast<int>(melody.size()) < min_values) {
    for (const Note& n : Phrase(rng)) {
      melody.push_back(value_of(n.note, DurationIndex(n.beats)));
    }
  }
  return melody;
}

MusicData load_music(int m, int T_x, dl::RandomState& rng) {
  if (m < 1 || T_x < 1) {
    throw std::invalid_argument("load_music: m and T_x must be >= 1");
  }
  MusicData data;
  data.melody = generate_melody(std::max(2000, 4 * (T_x + 1)), rng);
  data.X = Tensor3(kNumValues, m, T_x);
  data.X.setZero();
  data.Y.assign(m, std::vector<int>(T_x));
  const int64_t last_start = static_cast<int64_t>(data.melody.size()) - T_x;
  for (int i = 0; i < m; ++i) {
    const int64_t start = rng.randint(0, last_start);
    for (int t = 0; t < T_x; ++t) {
      data.X(data.melody[start + t], i, t) = 1;
      data.Y[i][t] = data.melody[start + t + 1];
    }
  }
  return data;
}

absl::Status write_midi(const std::vector<int>& values, const std::string& path,
                        double bpm) {
  constexpr int kPpqn = 480;
  smf_t* smf = smf_new();
  if (smf == nullptr || smf_set_ppqn(smf, kPpqn) != 0) {
    if (smf) smf_delete(smf);
    return absl::InternalError("libsmf could not make a MIDI file");
  }
  smf_track_t* track = smf_track_new();
  smf_add_track(smf, track);
  // The tempo: FF 51 03, microseconds per quarter note.
  const int us = static_cast<int>(60e6 / bpm);
  unsigned char tempo[6] = {0xFF,
                            0x51,
                            0x03,
                            static_cast<unsigned char>(us >> 16),
                            static_cast<unsigned char>(us >> 8),
                            static_cast<unsigned char>(us)};
  smf_track_add_event_pulses(track, smf_event_new_from_pointer(tempo, 6), 0);
  int pulses = 0;
  for (int v : values) {
    const int length = static_cast<int>(std::lround(beats_of(v) * kPpqn));
    if (note_of(v) != kRest) {
      const int pitch = midi_pitch(note_of(v));
      smf_track_add_event_pulses(
          track, smf_event_new_from_bytes(0x90, pitch, 90), pulses);
      smf_track_add_event_pulses(
          track, smf_event_new_from_bytes(0x80, pitch, 0), pulses + length);
    }
    pulses += length;
  }
  int error = smf_track_add_eot_pulses(track, pulses);
  if (error == 0) error = smf_save(smf, path.c_str());
  smf_delete(smf);
  if (error != 0) return absl::InternalError("cannot write " + path);
  return absl::OkStatus();
}

absl::Status write_wav(const std::vector<int>& values, const std::string& path,
                       double bpm) {
  constexpr int kRate = 22050;
  constexpr double kPi = 3.14159265358979323846;
  const double seconds_per_beat = 60.0 / bpm;
  std::vector<float> samples;
  for (int v : values) {
    const int n = static_cast<int>(beats_of(v) * seconds_per_beat * kRate);
    const size_t begin = samples.size();
    samples.resize(begin + n, 0.0f);
    if (note_of(v) == kRest) continue;
    const double f =
        440.0 * std::pow(2.0, (midi_pitch(note_of(v)) - 69) / 12.0);
    for (int k = 0; k < n; ++k) {
      const double t = static_cast<double>(k) / kRate;
      const double attack = std::min(1.0, t / 0.01);
      const double release = std::min(1.0, (n - k) / (0.02 * kRate));
      const double envelope = attack * release * std::exp(-3.0 * t);
      const double tone = std::sin(2 * kPi * f * t) +
                          0.4 * std::sin(4 * kPi * f * t) +
                          0.15 * std::sin(6 * kPi * f * t);
      samples[begin + k] = static_cast<float>(0.3 * envelope * tone);
    }
  }
  return dl::WriteWav(samples, kRate, path);
}

dl::Image piano_roll(const std::vector<std::vector<int>>& melodies) {
  constexpr int kPixelsPerBeat = 16, kRowHeight = 6, kGap = 10;
  const int rows = kNumNotes - 1;
  double longest = 0;
  for (const auto& melody : melodies) {
    double beats = 0;
    for (int v : melody) beats += beats_of(v);
    longest = std::max(longest, beats);
  }
  dl::Image image;
  image.channels = 3;
  image.width =
      std::max(1, static_cast<int>(std::ceil(longest)) * kPixelsPerBeat);
  const int roll_height = rows * kRowHeight;
  image.height = std::max<int>(1, melodies.size() * (roll_height + kGap) -
                                      (melodies.empty() ? 0 : kGap));
  image.pixels.assign(size_t(image.width) * image.height * 3, 255);
  const auto fill = [&](int x0, int y0, int w, int h, uint8_t r, uint8_t g,
                        uint8_t b) {
    for (int y = std::max(0, y0); y < std::min(image.height, y0 + h); ++y) {
      for (int x = std::max(0, x0); x < std::min(image.width, x0 + w); ++x) {
        uint8_t* p = &image.pixels[(size_t(y) * image.width + x) * 3];
        p[0] = r;
        p[1] = g;
        p[2] = b;
      }
    }
  };
  for (size_t k = 0; k < melodies.size(); ++k) {
    const int top = static_cast<int>(k) * (roll_height + kGap);
    fill(0, top, image.width, roll_height, 245, 245, 240);
    for (int beat = 0; beat * kPixelsPerBeat < image.width; beat += 4) {
      fill(beat * kPixelsPerBeat, top, 1, roll_height, 200, 200, 200);
    }
    double beats = 0;
    for (int v : melodies[k]) {
      const int note = note_of(v);
      if (note != kRest) {
        const int x = static_cast<int>(beats * kPixelsPerBeat);
        const int w =
            std::max(1, static_cast<int>(beats_of(v) * kPixelsPerBeat) - 1);
        const int y = top + (rows - 1 - note) * kRowHeight;
        fill(x, y, w, kRowHeight - 1, 40, 90, 170);
      }
      beats += beats_of(v);
    }
  }
  return image;
}

Resemblance resemblance(const std::vector<int>& generated,
                        const std::vector<int>& training) {
  std::set<std::pair<int, int>> known;
  for (size_t k = 1; k < training.size(); ++k) {
    known.insert({training[k - 1], training[k]});
  }
  Resemblance r;
  int pairs = 0, found = 0;
  for (size_t k = 1; k < generated.size(); ++k) {
    ++pairs;
    found += known.count({generated[k - 1], generated[k]}) > 0;
  }
  r.known_pairs = pairs ? static_cast<double>(found) / pairs : 0;
  r.distinct_values = static_cast<int>(
      std::set<int>(generated.begin(), generated.end()).size());
  return r;
}

}  // namespace jazz
