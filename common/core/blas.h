// File: common/core/blas.h
//
// Eigen's matrix products run on OpenBLAS (Debian's libopenblas0-pthread):
// common/core/eigen.h turns on EIGEN_USE_BLAS, so every float and double
// product of matrices, yours (W * A) as well as the layers', is a BLAS
// sgemm / dgemm. OpenBLAS picks the widest vector instructions of the
// machine it runs on (AVX2, AVX-512) at run time, so the build stays
// portable (plain x86-64) and still uses them.
//
// Threads: a product of at least kSplitMultiplyAdds multiply-adds is cut in
// two halves (by rows of the result, else by columns), and the second half
// runs on a helper thread when one is idle. The cut depends only on the
// shapes, never on the number of threads or on which thread is free, so the
// results are the same, bit for bit, with 1 thread or 2 and run after run.
// The helper waits for work on a condition variable (it does not spin; the
// caller watches for the end of the helper's half 100 us, then sleeps too), and
// a half it has not begun by the time the caller is done with its own is taken
// back: with the other core busy, a product takes about its
// single-threaded time.
// OpenBLAS's own threads are switched off.

#ifndef DLCOURSE_COMMON_CORE_BLAS_H_
#define DLCOURSE_COMMON_CORE_BLAS_H_

#include <functional>
#include <string>

namespace dl {

// Products of at least this many multiply-adds (m * n * k) are cut in two:
// waking the helper thread takes some 40 us here, so each half must be
// well above that (8M multiply-adds: about 100 us on one core).
inline constexpr double kSplitMultiplyAdds = 1 << 23;

// How many threads a large product uses: 1 or 2. The default is 2 when the
// machine has at least 2 cores, overridden by the environment variable
// DL_THREADS (DL_THREADS=1: one thread).
int MatrixProductThreads();
void SetMatrixProductThreads(int threads);

// The two-way split of the products, for other work cut in two halves by
// its shape (the float32 convolutions of common/nn): runs first() in this
// thread and second() on the products' helper thread when 2 threads are
// allowed and the helper is idle; else, or if the helper has not begun it
// when first() is done, runs second() here. Returns when both are done.
// The two must not write to the same memory, and second() must not throw
// (on the helper thread that ends the program); when first() throws,
// second() is taken back or waited for before the exception goes on.
void RunInTwo(const std::function<void()>& first,
              const std::function<void()>& second);

// What the products run on, e.g. "OpenBLAS 0.3.21 (Cooperlake kernels),
// large products on 2 threads".
std::string BlasDescription();

}  // namespace dl

#endif  // DLCOURSE_COMMON_CORE_BLAS_H_
