// File: common/data/wav.cc
//
// WAV files through libsndfile (see wav.h).

#include "common/data/wav.h"

#include <sndfile.h>

#include <algorithm>
#include <string>
#include <vector>

namespace dl {

absl::StatusOr<Sound> ReadWav(const std::string& path) {
  SF_INFO info{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
  if (file == nullptr) {
    return absl::InvalidArgumentError("cannot read " + path + ": " +
                                      sf_strerror(nullptr));
  }
  std::vector<float> interleaved(static_cast<size_t>(info.frames) *
                                 info.channels);
  const sf_count_t got = sf_readf_float(file, interleaved.data(), info.frames);
  sf_close(file);
  if (got != info.frames || info.samplerate <= 0 || info.channels <= 0) {
    return absl::InvalidArgumentError("cannot read all of " + path);
  }
  Sound sound;
  sound.sample_rate = info.samplerate;
  sound.samples.assign(info.frames, 0.0f);
  for (sf_count_t k = 0; k < info.frames; ++k) {
    for (int c = 0; c < info.channels; ++c) {
      sound.samples[k] += interleaved[k * info.channels + c] / info.channels;
    }
  }
  return sound;
}

absl::Status WriteWav(const std::vector<float>& samples, int sample_rate,
                      const std::string& path) {
  SF_INFO info{};
  info.samplerate = sample_rate;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  if (file == nullptr) {
    return absl::InternalError("cannot write " + path + ": " +
                               sf_strerror(nullptr));
  }
  // libsndfile would wrap around beyond [-1, 1].
  std::vector<float> clipped(samples);
  for (float& s : clipped) s = std::clamp(s, -1.0f, 1.0f);
  const sf_count_t written =
      sf_write_float(file, clipped.data(), clipped.size());
  sf_close(file);
  if (written != static_cast<sf_count_t>(clipped.size())) {
    return absl::InternalError("cannot write all of " + path);
  }
  return absl::OkStatus();
}

}  // namespace dl
