// File: common/nn/channel_kernels.cc
//
// Plain loops, which the compiler vectorizes over the channels (BUILD: -O3,
// -ffp-contract=off). The loops are written once, as templates inlined into
// the float and double functions of channel_kernels.h; those carry
// target_clones, so each is compiled for AVX-512, AVX2 and plain x86-64.

#include "common/nn/channel_kernels.h"

#include <cstdint>

namespace dl {
namespace nn {
namespace internal {
namespace {

template <typename T>
[[gnu::always_inline]] inline void ScaleShiftLoop(const T* __restrict x,
                                                  const T* __restrict a,
                                                  const T* __restrict b,
                                                  int64_t n, int64_t C,
                                                  T* __restrict y) {
  for (int64_t r = 0; r < n; ++r, x += C, y += C) {
    for (int64_t c = 0; c < C; ++c) y[c] = x[c] * a[c] + b[c];
  }
}

template <typename T>
[[gnu::always_inline]] inline void AddToRowsLoop(const T* __restrict b,
                                                 int64_t n, int64_t C,
                                                 T* __restrict y) {
  for (int64_t r = 0; r < n; ++r, y += C) {
    for (int64_t c = 0; c < C; ++c) y[c] += b[c];
  }
}

template <typename T>
[[gnu::always_inline]] inline void TwoScaleShiftLoop(
    const T* __restrict p, const T* __restrict a, const T* __restrict q,
    const T* __restrict b, const T* __restrict d, int64_t n, int64_t C,
    T* __restrict y) {
  for (int64_t r = 0; r < n; ++r, p += C, q += C, y += C) {
    for (int64_t c = 0; c < C; ++c) y[c] = (p[c] * a[c] + q[c] * b[c]) + d[c];
  }
}

template <typename T>
[[gnu::always_inline]] inline void AddRowsLoop(const T* __restrict x, int64_t n,
                                               int64_t C, T* __restrict sum) {
  for (int64_t r = 0; r < n; ++r, x += C) {
    for (int64_t c = 0; c < C; ++c) sum[c] += x[c];
  }
}

template <typename T>
[[gnu::always_inline]] inline void AddSquaredDeviationsLoop(
    const T* __restrict x, const T* __restrict m, int64_t n, int64_t C,
    T* __restrict sum) {
  for (int64_t r = 0; r < n; ++r, x += C) {
    for (int64_t c = 0; c < C; ++c) {
      const T deviation = x[c] - m[c];
      sum[c] += deviation * deviation;
    }
  }
}

template <typename T>
[[gnu::always_inline]] inline void AddWeightedDeviationsLoop(
    const T* __restrict w, const T* __restrict x, const T* __restrict m,
    int64_t n, int64_t C, T* __restrict sum) {
  for (int64_t r = 0; r < n; ++r, w += C, x += C) {
    for (int64_t c = 0; c < C; ++c) sum[c] += w[c] * (x[c] - m[c]);
  }
}

}  // namespace

// Each: compiled for AVX-512, AVX2 and plain x86-64, chosen at the first call.
[[gnu::target_clones("avx512f", "avx2", "default")]] void ScaleShiftRows(
    const float* x, const float* a, const float* b, int64_t n, int64_t C,
    float* y) {
  ScaleShiftLoop(x, a, b, n, C, y);
}
[[gnu::target_clones("avx512f", "avx2", "default")]] void ScaleShiftRows(
    const double* x, const double* a, const double* b, int64_t n, int64_t C,
    double* y) {
  ScaleShiftLoop(x, a, b, n, C, y);
}

[[gnu::target_clones("avx512f", "avx2", "default")]] void AddToRows(
    const float* b, int64_t n, int64_t C, float* y) {
  AddToRowsLoop(b, n, C, y);
}
[[gnu::target_clones("avx512f", "avx2", "default")]] void AddToRows(
    const double* b, int64_t n, int64_t C, double* y) {
  AddToRowsLoop(b, n, C, y);
}

[[gnu::target_clones("avx512f", "avx2", "default")]] void TwoScaleShiftRows(
    const float* p, const float* a, const float* q, const float* b,
    const float* d, int64_t n, int64_t C, float* y) {
  TwoScaleShiftLoop(p, a, q, b, d, n, C, y);
}
[[gnu::target_clones("avx512f", "avx2", "default")]] void TwoScaleShiftRows(
    const double* p, const double* a, const double* q, const double* b,
    const double* d, int64_t n, int64_t C, double* y) {
  TwoScaleShiftLoop(p, a, q, b, d, n, C, y);
}

[[gnu::target_clones("avx512f", "avx2", "default")]] void AddRows(
    const float* x, int64_t n, int64_t C, float* sum) {
  AddRowsLoop(x, n, C, sum);
}
[[gnu::target_clones("avx512f", "avx2", "default")]] void AddRows(
    const double* x, int64_t n, int64_t C, double* sum) {
  AddRowsLoop(x, n, C, sum);
}

[[gnu::target_clones("avx512f", "avx2", "default")]] void AddSquaredDeviations(
    const float* x, const float* m, int64_t n, int64_t C, float* sum) {
  AddSquaredDeviationsLoop(x, m, n, C, sum);
}
[[gnu::target_clones("avx512f", "avx2", "default")]] void AddSquaredDeviations(
    const double* x, const double* m, int64_t n, int64_t C, double* sum) {
  AddSquaredDeviationsLoop(x, m, n, C, sum);
}

[[gnu::target_clones("avx512f", "avx2", "default")]] void AddWeightedDeviations(
    const float* w, const float* x, const float* m, int64_t n, int64_t C,
    float* sum) {
  AddWeightedDeviationsLoop(w, x, m, n, C, sum);
}
[[gnu::target_clones("avx512f", "avx2", "default")]] void AddWeightedDeviations(
    const double* w, const double* x, const double* m, int64_t n, int64_t C,
    double* sum) {
  AddWeightedDeviationsLoop(w, x, m, n, C, sum);
}

}  // namespace internal
}  // namespace nn
}  // namespace dl
