// File: common/core/fft.cc
//
// dl::PowerSpectrum on Eigen's FFT module (see fft.h). This file is the one
// place that includes <unsupported/Eigen/FFT>, after common/core/eigen.h
// (tests/repo_check.sh).

#include "common/core/fft.h"

#include <complex>
#include <stdexcept>
#include <string>
#include <vector>

// eigen.h first (Eigen's checks as exceptions), then the FFT module.
// clang-format off
#include "common/core/eigen.h"
#include <unsupported/Eigen/FFT>
// clang-format on

namespace dl {

struct PowerSpectrum::Plan {
  Eigen::FFT<float> fft;
  std::vector<std::complex<float>> input, spectrum;
};

PowerSpectrum::PowerSpectrum(int n) : n_(n), plan_(std::make_unique<Plan>()) {
  if (n < 1) throw std::invalid_argument("PowerSpectrum: n must be >= 1");
}

PowerSpectrum::~PowerSpectrum() = default;

std::vector<double> PowerSpectrum::operator()(const std::vector<float>& frame) {
  if (static_cast<int>(frame.size()) != n_) {
    throw std::invalid_argument("PowerSpectrum: a frame of " +
                                std::to_string(frame.size()) +
                                " samples, expected " + std::to_string(n_));
  }
  if (n_ == 1) return {double(frame[0]) * frame[0]};  // kissfft needs n > 1
  if (n_ % 2 == 0) {
    plan_->fft.fwd(plan_->spectrum, frame);  // kissfft's real-input path
  } else {
    // kissfft's real-input path needs an even n; an odd n goes complex.
    plan_->input.assign(frame.begin(), frame.end());
    plan_->fft.fwd(plan_->spectrum, plan_->input);
  }
  std::vector<double> power(n_ / 2 + 1);
  for (int j = 0; j <= n_ / 2; ++j) power[j] = std::norm(plan_->spectrum[j]);
  return power;
}

}  // namespace dl
