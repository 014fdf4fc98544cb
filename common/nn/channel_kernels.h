// File: common/nn/channel_kernels.h  (internal to common/nn)
//
// Loops over n rows of C channels (a row-major (n, C) block, channels last)
// with one coefficient per channel: batch normalization's entry-wise parts
// and its sums over the batch, and the bias of Dense and Conv2D.
//
// Each function is compiled three times, for AVX-512, AVX2 and plain x86-64
// (GCC's target_clones), and the first run picks the one the processor has:
// the default build stays portable and uses the widest vectors there are.
// No multiply-add is fused (-ffp-contract=off) and every channel is summed
// row after row: the same bits as the one-entry-at-a-time loop in the
// comments, on any x86-64 (channel_kernels_test checks it).

#ifndef DLCOURSE_COMMON_NN_CHANNEL_KERNELS_H_
#define DLCOURSE_COMMON_NN_CHANNEL_KERNELS_H_

#include <cstdint>

namespace dl {
namespace nn {
namespace internal {

// y(r, c) = x(r, c) * a[c] + b[c]
//   x, y: (n, C)  a, b: (C)
void ScaleShiftRows(const float* x, const float* a, const float* b, int64_t n,
                    int64_t C, float* y);
void ScaleShiftRows(const double* x, const double* a, const double* b,
                    int64_t n, int64_t C, double* y);

// y(r, c) += b[c]
//   y: (n, C)  b: (C)
void AddToRows(const float* b, int64_t n, int64_t C, float* y);
void AddToRows(const double* b, int64_t n, int64_t C, double* y);

// y(r, c) = (p(r, c) * a[c] + q(r, c) * b[c]) + d[c]
//   p, q, y: (n, C)  a, b, d: (C)
void TwoScaleShiftRows(const float* p, const float* a, const float* q,
                       const float* b, const float* d, int64_t n, int64_t C,
                       float* y);
void TwoScaleShiftRows(const double* p, const double* a, const double* q,
                       const double* b, const double* d, int64_t n, int64_t C,
                       double* y);

// sum[c] += x(r, c), for r = 0, 1, ..., n - 1 in turn
//   x: (n, C)  sum: (C)
void AddRows(const float* x, int64_t n, int64_t C, float* sum);
void AddRows(const double* x, int64_t n, int64_t C, double* sum);

// sum[c] += (x(r, c) - m[c]) * (x(r, c) - m[c]), for r = 0, 1, ... in turn
//   x: (n, C)  m, sum: (C)
void AddSquaredDeviations(const float* x, const float* m, int64_t n, int64_t C,
                          float* sum);
void AddSquaredDeviations(const double* x, const double* m, int64_t n,
                          int64_t C, double* sum);

// sum[c] += w(r, c) * (x(r, c) - m[c]), for r = 0, 1, ... in turn
//   w, x: (n, C)  m, sum: (C)
void AddWeightedDeviations(const float* w, const float* x, const float* m,
                           int64_t n, int64_t C, float* sum);
void AddWeightedDeviations(const double* w, const double* x, const double* m,
                           int64_t n, int64_t C, double* sum);

}  // namespace internal
}  // namespace nn
}  // namespace dl

#endif  // DLCOURSE_COMMON_NN_CHANNEL_KERNELS_H_
