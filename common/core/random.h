// File: common/core/random.h
//
// numpy's legacy random generator (np.random.seed / np.random.randn / ...),
// reproduced bit for bit, so that our tests see the course's very numbers.
//
// clang-format off
//   Python                            C++
//   np.random.seed(1)                 dl::RandomState rng(1);
//   np.random.randn(2, 3)             rng.randn(2, 3)      // a Matrix (2, 3)
//   np.random.rand(2, 3)              rng.rand(2, 3)
//   np.random.randn(10, 4, 4, 3)      rng.randn_tensor<4>({10, 4, 4, 3})
//   np.random.uniform(-1, 1, (2, 3))  rng.uniform(-1, 1, 2, 3)
//   np.random.randint(0, 10)          rng.randint(0, 10)
//   np.random.permutation(10)         rng.permutation(10)
//   np.random.shuffle(v)              rng.shuffle(v)
//   np.random.choice(5, p=p)          rng.choice(p)
// clang-format on
//
// Arrays are filled in numpy's C (row-major) order, whatever the storage
// order of the result, so rng.randn(2, 3)(0, 1) is numpy's randn(2, 3)[0, 1].
//
// The recipe (shared/docs/curriculum.md §2): MT19937 seeded like
// std::mt19937(seed); a double from two 32-bit draws (53 bits); randn by the
// polar Box-Muller method, which makes two values and keeps the second for the
// next call; integers by masked rejection. We never use the std::
// distributions: their algorithms differ between standard libraries.

#ifndef DLCOURSE_COMMON_CORE_RANDOM_H_
#define DLCOURSE_COMMON_CORE_RANDOM_H_

#include <array>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "common/core/tensor.h"

namespace dl {

class RandomState {
 public:
  explicit RandomState(uint32_t seed = 0) { this->seed(seed); }

  // np.random.seed(seed): restarts the stream (and forgets a cached normal).
  void seed(uint32_t seed);

  // One raw 32-bit output of MT19937.
  uint32_t next_uint32() { return static_cast<uint32_t>(mt_()); }
  // Two raw outputs, high word first, as numpy's next_uint64.
  uint64_t next_uint64();

  // np.random.random_sample(): uniform on [0, 1), 53 random bits.
  double random_sample();
  // np.random.standard_normal() / randn(): one N(0, 1) value.
  double standard_normal();
  // np.random.uniform(low, high): low + (high - low) * random_sample().
  double uniform(double low, double high);
  // np.random.randint(low, high): an integer in [low, high). high > low.
  int64_t randint(int64_t low, int64_t high);

  // Arrays of shape (rows, cols), filled in numpy's row-major order.
  Matrix randn(int64_t rows, int64_t cols);
  Matrix rand(int64_t rows, int64_t cols);
  Matrix uniform(double low, double high, int64_t rows, int64_t cols);

  // N-d arrays: randn_tensor<4>({m, n_H, n_W, n_C}).
  template <int N>
  Tensor<N> randn_tensor(const std::array<Eigen::Index, N>& dims) {
    Tensor<N> t(dims);
    for (Eigen::Index i = 0; i < t.size(); ++i) t.data()[i] = standard_normal();
    return t;
  }
  template <int N>
  Tensor<N> rand_tensor(const std::array<Eigen::Index, N>& dims) {
    Tensor<N> t(dims);
    for (Eigen::Index i = 0; i < t.size(); ++i) t.data()[i] = random_sample();
    return t;
  }

  // np.random.permutation(n): 0..n-1 shuffled.
  std::vector<int64_t> permutation(int64_t n);

  // np.random.shuffle(v) on a 1-D sequence: Fisher-Yates from the back.
  template <typename T>
  void shuffle(std::vector<T>& v) {
    for (int64_t i = static_cast<int64_t>(v.size()) - 1; i > 0; --i) {
      const int64_t j =
          static_cast<int64_t>(interval(static_cast<uint64_t>(i)));
      std::swap(v[i], v[j]);
    }
  }

  // np.random.choice(len(p), p=p): an index drawn with probabilities p
  // (p need not be normalized; numpy divides by its sum).
  int64_t choice(const std::vector<double>& p);
  // np.random.choice(n): uniform on 0..n-1.
  int64_t choice(int64_t n) { return randint(0, n); }

 private:
  // A uniform integer in [0, max] by masked rejection (numpy's
  // random_interval).
  uint64_t interval(uint64_t max);

  std::mt19937 mt_;  // the engine (not the distributions) is fully specified
  bool has_gauss_ = false;
  double gauss_ = 0;
};

}  // namespace dl

#endif  // DLCOURSE_COMMON_CORE_RANDOM_H_
