// File: course4_seq/trigger_word/audio.cc
//
// pydub's operations, the spectrogram and WAV files (see audio.h).

#include "course4_seq/trigger_word/audio.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "common/core/fft.h"
#include "common/data/wav.h"

namespace trigger_word {

int ms_to_sample(int ms) {
  return static_cast<int>(static_cast<int64_t>(ms) * kSampleRate / 1000);
}

int AudioSegment::length_ms() const {
  return static_cast<int>(static_cast<int64_t>(samples.size()) * 1000 /
                          kSampleRate);
}

AudioSegment AudioSegment::overlay(const AudioSegment& clip,
                                   int position_ms) const {
  AudioSegment out = *this;
  const int64_t start = ms_to_sample(std::max(0, position_ms));
  const int64_t end = std::min<int64_t>(
      out.samples.size(), start + static_cast<int64_t>(clip.samples.size()));
  for (int64_t k = start; k < end; ++k)
    out.samples[k] += clip.samples[k - start];
  return out;
}

AudioSegment AudioSegment::apply_gain(double db) const {
  AudioSegment out = *this;
  const float factor = static_cast<float>(std::pow(10.0, db / 20.0));
  for (float& s : out.samples) s *= factor;
  return out;
}

double AudioSegment::dBFS() const {
  double sum = 0;
  for (float s : samples) sum += double(s) * s;
  if (samples.empty() || sum == 0) {
    return -std::numeric_limits<double>::infinity();
  }
  return 20 * std::log10(std::sqrt(sum / samples.size()));
}

AudioSegment silent(int ms) {
  AudioSegment s;
  s.samples.assign(ms_to_sample(ms), 0.0f);
  return s;
}

AudioSegment match_target_amplitude(const AudioSegment& sound,
                                    double target_dBFS) {
  const double now = sound.dBFS();
  if (!std::isfinite(now)) return sound;
  return sound.apply_gain(target_dBFS - now);
}

Matrix graph_spectrogram(const AudioSegment& audio) {
  constexpr int kNfft = 200, kStep = 80, kFreqs = kNfft / 2 + 1;
  constexpr double kFs = 8000, kPi = 3.14159265358979323846;
  const int64_t n = static_cast<int64_t>(audio.samples.size());
  const int64_t frames = n < kNfft ? 0 : (n - kNfft) / kStep + 1;
  // numpy's hanning(200), as matplotlib's window_hanning.
  std::vector<float> window(kNfft);
  double window_power = 0;
  for (int k = 0; k < kNfft; ++k) {
    window[k] =
        static_cast<float>(0.5 - 0.5 * std::cos(2 * kPi * k / (kNfft - 1)));
    window_power += double(window[k]) * window[k];
  }
  Matrix pxx(kFreqs, frames);
  dl::PowerSpectrum fft(kNfft);
  std::vector<float> frame(kNfft);
  for (int64_t f = 0; f < frames; ++f) {
    for (int k = 0; k < kNfft; ++k) {
      frame[k] = audio.samples[f * kStep + k] * window[k];
    }
    const std::vector<double> power = fft(frame);
    for (int j = 0; j < kFreqs; ++j) {
      double psd = power[j] / (kFs * window_power);
      if (j > 0 && j < kFreqs - 1) psd *= 2;  // one-sided
      pxx(j, f) = 10 * std::log10(psd + 1e-10);
    }
  }
  return pxx;
}

absl::StatusOr<AudioSegment> load_wav(const std::string& path) {
  absl::StatusOr<dl::Sound> sound = dl::ReadWav(path);
  if (!sound.ok()) return sound.status();
  const std::vector<float>& mono = sound->samples;
  AudioSegment out;
  if (mono.empty()) return out;
  // To 44,100 Hz by linear interpolation.
  const double ratio = double(sound->sample_rate) / kSampleRate;
  const int64_t n = static_cast<int64_t>(std::floor(mono.size() / ratio));
  out.samples.resize(n);
  for (int64_t k = 0; k < n; ++k) {
    const double at = k * ratio;
    const int64_t i = static_cast<int64_t>(at);
    const double w = at - i;
    const float next =
        i + 1 < static_cast<int64_t>(mono.size()) ? mono[i + 1] : mono[i];
    out.samples[k] = static_cast<float>((1 - w) * mono[i] + w * next);
  }
  return out;
}

absl::Status save_wav(const AudioSegment& audio, const std::string& path) {
  return dl::WriteWav(audio.samples, kSampleRate, path);
}

}  // namespace trigger_word
