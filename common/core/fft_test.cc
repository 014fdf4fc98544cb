// Tests of dl::PowerSpectrum against the DFT's definition.

#include "common/core/fft.h"

#include <cmath>
#include <complex>
#include <vector>

#include "gtest/gtest.h"

namespace dl {
namespace {

TEST(PowerSpectrum, TheDefinition) {
  constexpr double kPi = 3.14159265358979323846;
  for (int n : {200, 7, 1}) {
    std::vector<float> frame(n);
    for (int k = 0; k < n; ++k) {
      frame[k] = static_cast<float>(std::sin(0.3 * k) + 0.1 * (k % 3));
    }
    PowerSpectrum fft(n);
    const std::vector<double> got = fft(frame);
    ASSERT_EQ(got.size(), size_t(n / 2 + 1));
    for (int j = 0; j <= n / 2; ++j) {
      std::complex<double> x = 0;
      for (int k = 0; k < n; ++k) {
        x += double(frame[k]) * std::polar(1.0, -2 * kPi * j * k / n);
      }
      EXPECT_NEAR(got[j], std::norm(x), 1e-3 * (1 + std::norm(x)))
          << n << " " << j;
    }
    EXPECT_THROW(fft(std::vector<float>(n + 1)), std::invalid_argument);
  }
}

}  // namespace
}  // namespace dl
