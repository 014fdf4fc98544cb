#include "common/core/random.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace dl {
namespace {

// The smallest 2^k - 1 that is >= max.
uint64_t mask_for(uint64_t max) {
  uint64_t mask = max;
  mask |= mask >> 1;
  mask |= mask >> 2;
  mask |= mask >> 4;
  mask |= mask >> 8;
  mask |= mask >> 16;
  mask |= mask >> 32;
  return mask;
}

}  // namespace

void RandomState::seed(uint32_t seed) {
  mt_.seed(seed);
  has_gauss_ = false;
  gauss_ = 0;
}

uint64_t RandomState::next_uint64() {
  const uint64_t high = next_uint32();
  return (high << 32) | next_uint32();
}

double RandomState::random_sample() {
  const uint32_t a = next_uint32() >> 5;  // 27 bits
  const uint32_t b = next_uint32() >> 6;  // 26 bits
  return (a * 67108864.0 + b) / 9007199254740992.0;
}

double RandomState::standard_normal() {
  if (has_gauss_) {
    has_gauss_ = false;
    return gauss_;
  }
  double x1, x2, r2;
  do {
    x1 = 2.0 * random_sample() - 1.0;
    x2 = 2.0 * random_sample() - 1.0;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1.0 || r2 == 0.0);
  const double f = std::sqrt(-2.0 * std::log(r2) / r2);
  gauss_ = f * x1;  // kept for the next call
  has_gauss_ = true;
  return f * x2;
}

double RandomState::uniform(double low, double high) {
  return low + (high - low) * random_sample();
}

uint64_t RandomState::interval(uint64_t max) {
  if (max == 0) return 0;
  const uint64_t mask = mask_for(max);
  uint64_t value;
  if (max <= 0xffffffffULL) {
    while ((value = (next_uint32() & mask)) > max) {
    }
  } else {
    while ((value = (next_uint64() & mask)) > max) {
    }
  }
  return value;
}

int64_t RandomState::randint(int64_t low, int64_t high) {
  if (high <= low) {
    throw std::invalid_argument("randint: high (" + std::to_string(high) +
                                ") must be > low (" + std::to_string(low) +
                                ")");
  }
  const uint64_t range = static_cast<uint64_t>(high - low) - 1;
  return low + static_cast<int64_t>(interval(range));
}

Matrix RandomState::randn(int64_t rows, int64_t cols) {
  Matrix out(rows, cols);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) out(i, j) = standard_normal();
  return out;
}

Matrix RandomState::rand(int64_t rows, int64_t cols) {
  Matrix out(rows, cols);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) out(i, j) = random_sample();
  return out;
}

Matrix RandomState::uniform(double low, double high, int64_t rows,
                            int64_t cols) {
  Matrix out(rows, cols);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) out(i, j) = uniform(low, high);
  return out;
}

std::vector<int64_t> RandomState::permutation(int64_t n) {
  std::vector<int64_t> p(static_cast<size_t>(std::max<int64_t>(n, 0)));
  for (int64_t i = 0; i < n; ++i) p[i] = i;
  shuffle(p);
  return p;
}

int64_t RandomState::choice(const std::vector<double>& p) {
  if (p.empty()) throw std::invalid_argument("choice: empty probabilities");
  std::vector<double> cdf(p.size());
  double sum = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    if (!(p[i] >= 0)) {
      throw std::invalid_argument("choice: probabilities must be >= 0");
    }
    sum += p[i];
    cdf[i] = sum;
  }
  for (double& c : cdf) c /= cdf.back();
  const double u = random_sample();
  // searchsorted(cdf, u, side='right'): the first index with cdf > u.
  return std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin();
}

}  // namespace dl
