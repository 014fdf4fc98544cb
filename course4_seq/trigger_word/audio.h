// File: course4_seq/trigger_word/audio.h
//
// The audio the trigger-word unit works with, in the course's terms
// (pydub's AudioSegment, td_utils.py's graph_spectrogram):
//
//   AudioSegment  mono samples at 44,100 Hz, lengths and positions in
//                 milliseconds as pydub counts them;
//   overlay, apply_gain, dBFS, match_target_amplitude: pydub's operations
//                 the course uses to mix a 10-second training clip;
//   graph_spectrogram: matplotlib's specgram(data, NFFT=200, Fs=8000,
//                 noverlap=120) of a clip, (101 frequencies, 5511 steps)
//                 for 10 s, its FFTs from Eigen's FFT module;
//   load_wav, save_wav: WAV files through Debian's libsndfile.

#ifndef DLCOURSE_COURSE4_SEQ_TRIGGER_WORD_AUDIO_H_
#define DLCOURSE_COURSE4_SEQ_TRIGGER_WORD_AUDIO_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/core/tensor.h"

namespace trigger_word {

using dl::Matrix;

inline constexpr int kSampleRate = 44100;  // samples per second

// pydub's AudioSegment, mono.
struct AudioSegment {
  std::vector<float> samples;  // in [-1, 1], kSampleRate a second

  // len(segment): the length in milliseconds (rounded down).
  int length_ms() const;
  // segment.overlay(clip, position=position_ms): the clip added (mixed) to
  // this segment from position_ms on; what runs past the end is dropped.
  AudioSegment overlay(const AudioSegment& clip, int position_ms) const;
  // segment + db (or - db): every sample times 10^(db / 20).
  AudioSegment apply_gain(double db) const;
  // segment.dBFS: the loudness, 20 log10(rms) (0 for a full-scale square
  // wave; -infinity for silence).
  double dBFS() const;
};

// AudioSegment.silent(duration=ms).
AudioSegment silent(int ms);

// The course's match_target_amplitude: the segment with the gain that
// brings its dBFS to target_dBFS (silence stays silent).
AudioSegment match_target_amplitude(const AudioSegment& sound,
                                    double target_dBFS);

// A sample index of a position in milliseconds (pydub's rounding).
int ms_to_sample(int ms);

// The course's graph_spectrogram: matplotlib's specgram(samples, NFFT=200,
// Fs=8000, noverlap=120): Hann-windowed frames of 200 samples every 80, the
// one-sided power spectral density of each, here in decibels,
// 10 log10(psd + 1e-10) (the course feeds the power itself to its
// pretrained model; the decibels keep the numbers in a range a model
// trained from scratch can use).
//   -> (101, frames): frames = (samples - 200) / 80 + 1, 5511 for 10 s
Matrix graph_spectrogram(const AudioSegment& audio);

// A WAV file (any sample rate, any channels: the channels are averaged and
// the rate converted to 44,100 Hz by linear interpolation). Errors name the
// file.
absl::StatusOr<AudioSegment> load_wav(const std::string& path);
// A 16-bit mono WAV file at 44,100 Hz.
absl::Status save_wav(const AudioSegment& audio, const std::string& path);

}  // namespace trigger_word

#endif  // DLCOURSE_COURSE4_SEQ_TRIGGER_WORD_AUDIO_H_
