// File: common/core/fft.h
//
// The power spectrum of real frames, on Eigen's FFT module (kissfft inside,
// header-only, from Debian's libeigen3-dev):
//
//   dl::PowerSpectrum fft(200);          // frames of 200 samples
//   std::vector<double> p = fft(frame);  // |X[j]|², j = 0 .. 100
//
// For the spectrograms of course4_seq/trigger_word.

#ifndef DLCOURSE_COMMON_CORE_FFT_H_
#define DLCOURSE_COMMON_CORE_FFT_H_

#include <memory>
#include <vector>

namespace dl {

class PowerSpectrum {
 public:
  // Frames of n samples (n >= 1).
  explicit PowerSpectrum(int n);
  ~PowerSpectrum();

  // |X[j]|² with X[j] = Σ_k frame[k] exp(-2πi jk / n), for j = 0 .. n/2.
  // frame: n samples.
  std::vector<double> operator()(const std::vector<float>& frame);

 private:
  struct Plan;  // Eigen::FFT and its buffers (fft.cc)
  int n_;
  std::unique_ptr<Plan> plan_;
};

}  // namespace dl

#endif  // DLCOURSE_COMMON_CORE_FFT_H_
