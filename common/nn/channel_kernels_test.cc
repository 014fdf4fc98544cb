// The channel kernels against one-entry-at-a-time loops, bit for bit: they
// must give the same bits whichever vectors the processor has. Channel
// counts with and without a rest after the vectors (1 to 100), row counts
// from 1 to 300.

#include "common/nn/channel_kernels.h"

#include <cstdint>
#include <cstring>
#include <vector>

#include "common/core/random.h"
#include "gtest/gtest.h"

namespace dl {
namespace nn {
namespace internal {
namespace {

template <typename T>
std::vector<T> Random(int64_t size, RandomState& rng) {
  std::vector<T> v(size);
  for (T& x : v) x = static_cast<T>(rng.randn(1, 1)(0, 0));
  return v;
}

template <typename T>
bool SameBits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

template <typename T>
void CheckShape(int64_t n, int64_t C, RandomState& rng) {
  SCOPED_TRACE("n = " + std::to_string(n) + ", C = " + std::to_string(C));
  const std::vector<T> x = Random<T>(n * C, rng), w = Random<T>(n * C, rng);
  const std::vector<T> a = Random<T>(C, rng), b = Random<T>(C, rng),
                       d = Random<T>(C, rng);
  std::vector<T> got(n * C), want(n * C);

  ScaleShiftRows(x.data(), a.data(), b.data(), n, C, got.data());
  for (int64_t r = 0; r < n; ++r) {
    for (int64_t c = 0; c < C; ++c) {
      const T product = x[r * C + c] * a[c];
      want[r * C + c] = product + b[c];
    }
  }
  EXPECT_TRUE(SameBits(got, want)) << "ScaleShiftRows";

  got = x;
  AddToRows(b.data(), n, C, got.data());
  for (int64_t r = 0; r < n; ++r) {
    for (int64_t c = 0; c < C; ++c) want[r * C + c] = x[r * C + c] + b[c];
  }
  EXPECT_TRUE(SameBits(got, want)) << "AddToRows";

  TwoScaleShiftRows(w.data(), a.data(), x.data(), b.data(), d.data(), n, C,
                    got.data());
  for (int64_t r = 0; r < n; ++r) {
    for (int64_t c = 0; c < C; ++c) {
      const T first = w[r * C + c] * a[c];
      const T second = x[r * C + c] * b[c];
      const T both = first + second;
      want[r * C + c] = both + d[c];
    }
  }
  EXPECT_TRUE(SameBits(got, want)) << "TwoScaleShiftRows";

  // The sums start from d, as the layer's start from zero.
  std::vector<T> sum = d, want_sum = d;
  AddRows(x.data(), n, C, sum.data());
  for (int64_t r = 0; r < n; ++r) {
    for (int64_t c = 0; c < C; ++c) want_sum[c] += x[r * C + c];
  }
  EXPECT_TRUE(SameBits(sum, want_sum)) << "AddRows";

  sum = want_sum = d;
  AddSquaredDeviations(x.data(), a.data(), n, C, sum.data());
  for (int64_t r = 0; r < n; ++r) {
    for (int64_t c = 0; c < C; ++c) {
      const T deviation = x[r * C + c] - a[c];
      const T square = deviation * deviation;
      want_sum[c] += square;
    }
  }
  EXPECT_TRUE(SameBits(sum, want_sum)) << "AddSquaredDeviations";

  sum = want_sum = d;
  AddWeightedDeviations(w.data(), x.data(), a.data(), n, C, sum.data());
  for (int64_t r = 0; r < n; ++r) {
    for (int64_t c = 0; c < C; ++c) {
      const T deviation = x[r * C + c] - a[c];
      const T weighted = w[r * C + c] * deviation;
      want_sum[c] += weighted;
    }
  }
  EXPECT_TRUE(SameBits(sum, want_sum)) << "AddWeightedDeviations";
}

TEST(ChannelKernels, SameBitsAsOneEntryAtATime) {
  RandomState rng(4);
  for (const int64_t n : {1, 5, 300}) {
    for (const int64_t C : {1, 3, 8, 16, 17, 33, 64, 100}) {
      CheckShape<float>(n, C, rng);
      CheckShape<double>(n, C, rng);
    }
  }
}

}  // namespace
}  // namespace internal
}  // namespace nn
}  // namespace dl
