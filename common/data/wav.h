// File: common/data/wav.h
//
// WAV files through Debian's libsndfile, for the units that make sound
// (course4_seq/jazz, course4_seq/trigger_word):
//
//   absl::Status s = dl::WriteWav(samples, 44100, "output/x.wav");
//   absl::StatusOr<dl::Sound> sound = dl::ReadWav("data/x.wav");

#ifndef DLCOURSE_COMMON_DATA_WAV_H_
#define DLCOURSE_COMMON_DATA_WAV_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace dl {

// Mono sound: samples in [-1, 1], sample_rate a second.
struct Sound {
  int sample_rate = 0;
  std::vector<float> samples;
};

// Any WAV file (any rate, any channels: the channels are averaged). Errors
// name the file.
absl::StatusOr<Sound> ReadWav(const std::string& path);

// A 16-bit mono WAV file; samples outside [-1, 1] are clipped.
absl::Status WriteWav(const std::vector<float>& samples, int sample_rate,
                      const std::string& path);

}  // namespace dl

#endif  // DLCOURSE_COMMON_DATA_WAV_H_
