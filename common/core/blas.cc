// File: common/core/blas.cc
//
// dl_sgemm / dl_dgemm: what Eigen calls for a float / double matrix product
// (common/core/eigen.h renames Eigen's sgemm_ / dgemm_ to these), with the
// Fortran BLAS arguments: C = alpha op(A) op(B) + beta C, column-major,
// op(A) (m, k), op(B) (k, n), C (m, n).

#include "common/core/blas.h"

#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>

extern "C" {
// OpenBLAS: the Fortran interface and its controls.
int sgemm_(const char* transa, const char* transb, const int* m, const int* n,
           const int* k, const float* alpha, const float* a, const int* lda,
           const float* b, const int* ldb, const float* beta, float* c,
           const int* ldc);
int dgemm_(const char* transa, const char* transb, const int* m, const int* n,
           const int* k, const double* alpha, const double* a, const int* lda,
           const double* b, const int* ldb, const double* beta, double* c,
           const int* ldc);
void openblas_set_num_threads(int threads);
char* openblas_get_config(void);
char* openblas_get_corename(void);
}

namespace dl {
namespace {

int DefaultThreads() {
  if (const char* env = std::getenv("DL_THREADS")) {
    const int threads = std::atoi(env);
    if (threads >= 1) return std::min(threads, 2);
  }
  return std::thread::hardware_concurrency() >= 2 ? 2 : 1;
}

std::atomic<int>& Threads() {
  static std::atomic<int> threads{DefaultThreads()};
  return threads;
}

// How long a caller watches for the end of the half the helper is running
// before it sleeps: waking a sleeping thread takes some 25 us on these
// machines, and a half is often 50 to 200 us of work (resnet's layers).
// The helper has begun the half, so it has a core: watching costs at most
// this much of the caller's own core. (The helper itself sleeps between
// halves: a helper that watched for its next half spent 10 % more CPU time
// in all, for little.)
constexpr std::chrono::microseconds kWatch{100};

// One helper thread that runs the second half of a product. Its tasks are
// numbered (tickets); each one ends once, run by the helper or taken back
// by its caller (Cancel).
class Helper {
 public:
  static Helper& Get() {
    static Helper* helper = new Helper;  // never destroyed: no exit races
    return *helper;
  }

  // Hands `task` to the helper if it is idle and returns its ticket, or
  // returns 0 (the caller then runs the task itself).
  uint64_t TryStart(std::function<void()> task) {
    std::unique_lock<std::mutex> lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock() || task_ || running_) return 0;
    task_ = std::move(task);
    const uint64_t ticket = ++started_;
    wake_.notify_one();
    return ticket;
  }

  // Takes the task back if the helper has not begun it (on a busy machine
  // it may not get a core in time): true when the caller must run it.
  bool Cancel(uint64_t ticket) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!task_ || started_ != ticket) return false;
    task_ = nullptr;
    ++finished_;
    return true;
  }

  // Returns once the task of `ticket` is done.
  void Wait(uint64_t ticket) {
    const auto until = std::chrono::steady_clock::now() + kWatch;
    while (std::chrono::steady_clock::now() < until) {
      if (finished_ >= ticket) return;
      _mm_pause();
    }
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [&] { return finished_ >= ticket; });
  }

 private:
  Helper() {
    std::thread([this] { Loop(); }).detach();
  }

  void Loop() {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return static_cast<bool>(task_); });
        task = std::move(task_);
        task_ = nullptr;
        running_ = true;
      }
      task();
      {
        std::lock_guard<std::mutex> lock(mutex_);
        running_ = false;
        ++finished_;
      }
      done_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::function<void()> task_;  // handed over, not yet begun
  bool running_ = false;
  uint64_t started_ = 0;
  std::atomic<uint64_t> finished_{0};  // written under mutex_, watched without
};

// OpenBLAS on one thread: the threads are ours (above). Done once, before
// the first product (even one made by another file's static initializer),
// and at start-up for the BLAS calls that do not come through here (gemv).
void UseOneOpenBlasThread() {
  static const bool once = [] {
    openblas_set_num_threads(1);
    return true;
  }();
  (void)once;
}
const bool kOpenBlasSingleThreaded = (UseOneOpenBlasThread(), true);

// Whether a BLAS operand flag ('N', 'T', 'C', either case) transposes.
bool Transposed(const char* trans) { return *trans != 'N' && *trans != 'n'; }

template <typename T, typename Gemm>
void SplitGemm(Gemm gemm, const char* transa, const char* transb, const int* m,
               const int* n, const int* k, const T* alpha, const T* a,
               const int* lda, const T* b, const int* ldb, const T* beta, T* c,
               const int* ldc);

// Whether C = alpha op(A) Bᵀ + beta C, double, is faster as its transpose
// (TransposedGemm): C has few rows (m < 32) and B (n, k) is large, 16 MB or
// more, as in dW = dZ Xᵀ on deep_nn_app's 12288 x 209 pictures (1.6 times as
// fast). OpenBLAS packs a transposed B slowly; in the transpose, B is the
// untransposed left operand. n must be a multiple of 16: the rows of Cᵀ then
// fill whole blocks of OpenBLAS's kernel, which gives the same bits as C
// computed directly (checked in blas_test).
bool TransposeIsFaster(const char* transb, int m, int n, int k) {
  // n >= 32: the transpose has 32 rows or more, so is not transposed again.
  return Transposed(transb) && m >= 1 && m < 32 && n >= 32 && n % 16 == 0 &&
         double(n) * double(k) * sizeof(double) >= double(16 << 20);
}

// C = alpha op(A) op(B) + beta C as Cᵀ = alpha op(B)ᵀ op(A)ᵀ, into a
// scratch (n, m) matrix, then added into C.
void TransposedGemm(const char* transa, const char* transb, int m, int n, int k,
                    double alpha, const double* a, int lda, const double* b,
                    int ldb, double beta, double* c, int ldc) {
  const char op_b = Transposed(transb) ? 'N' : 'T';
  const char op_a = Transposed(transa) ? 'N' : 'T';
  // Cᵀ, (n, m); not zeroed first: beta = 0 writes every entry.
  const std::unique_ptr<double[]> c_t(new double[size_t(n) * size_t(m)]);
  const double zero = 0;
  SplitGemm(dgemm_, &op_b, &op_a, &n, &m, &k, &alpha, b, &ldb, a, &lda, &zero,
            c_t.get(), &n);
  for (int j = 0; j < n; ++j) {
    double* c_j = c + int64_t(j) * ldc;
    for (int i = 0; i < m; ++i) {
      const double t = c_t[j + size_t(i) * n];
      c_j[i] = beta == 0 ? t : beta * c_j[i] + t;  // C unread when beta = 0
    }
  }
}

// C = alpha op(A) op(B) + beta C through `gemm` (sgemm_ or dgemm_), in two
// halves when it is large: by rows of C at a multiple of 16 when m >= 32
// (OpenBLAS then gives the same bits as in one piece), else by columns.
template <typename T, typename Gemm>
void SplitGemm(Gemm gemm, const char* transa, const char* transb, const int* m,
               const int* n, const int* k, const T* alpha, const T* a,
               const int* lda, const T* b, const int* ldb, const T* beta, T* c,
               const int* ldc) {
  UseOneOpenBlasThread();
  if constexpr (std::is_same_v<T, double>) {
    if (TransposeIsFaster(transb, *m, *n, *k)) {
      TransposedGemm(transa, transb, *m, *n, *k, *alpha, a, *lda, b, *ldb,
                     *beta, c, *ldc);
      return;
    }
  }
  const double multiply_adds = double(*m) * double(*n) * double(*k);
  const bool by_rows = *m >= 32;
  if (multiply_adds < kSplitMultiplyAdds || (!by_rows && *n < 2)) {
    gemm(transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return;
  }
  const bool a_transposed = Transposed(transa);
  const bool b_transposed = Transposed(transb);
  int m1 = *m, n1 = *n, m2 = *m, n2 = *n;
  const T *a2 = a, *b2 = b;
  T* c2 = c;
  if (by_rows) {
    m1 = *m / 2 / 16 * 16;
    m2 = *m - m1;
    a2 = a_transposed ? a + int64_t(m1) * *lda : a + m1;
    c2 = c + m1;
  } else {
    n1 = *n / 2;
    n2 = *n - n1;
    b2 = b_transposed ? b + n1 : b + int64_t(n1) * *ldb;
    c2 = c + int64_t(n1) * *ldc;
  }
  RunInTwo(
      [&] {
        gemm(transa, transb, &m1, &n1, k, alpha, a, lda, b, ldb, beta, c, ldc);
      },
      [&] {
        gemm(transa, transb, &m2, &n2, k, alpha, a2, lda, b2, ldb, beta, c2,
             ldc);
      });
}

}  // namespace

void RunInTwo(const std::function<void()>& first,
              const std::function<void()>& second) {
  const uint64_t ticket = Threads() >= 2 ? Helper::Get().TryStart(second) : 0;
  try {
    first();
  } catch (...) {
    // second() may use what first()'s caller is about to unwind: take it
    // back, or let it finish, before the exception goes on.
    if (ticket != 0 && !Helper::Get().Cancel(ticket)) {
      Helper::Get().Wait(ticket);
    }
    throw;
  }
  if (ticket == 0 || Helper::Get().Cancel(ticket)) {
    second();
  } else {
    Helper::Get().Wait(ticket);
  }
}

int MatrixProductThreads() { return Threads(); }

void SetMatrixProductThreads(int threads) {
  Threads() = std::clamp(threads, 1, 2);
}

std::string BlasDescription() {
  const int threads = Threads();
  return std::string(openblas_get_config()) + " (" + openblas_get_corename() +
         " kernels), large products on " + std::to_string(threads) +
         (threads == 1 ? " thread" : " threads");
}

}  // namespace dl

extern "C" {

int dl_sgemm(const char* transa, const char* transb, const int* m, const int* n,
             const int* k, const float* alpha, const float* a, const int* lda,
             const float* b, const int* ldb, const float* beta, float* c,
             const int* ldc) {
  dl::SplitGemm(sgemm_, transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c,
                ldc);
  return 0;
}

int dl_dgemm(const char* transa, const char* transb, const int* m, const int* n,
             const int* k, const double* alpha, const double* a, const int* lda,
             const double* b, const int* ldb, const double* beta, double* c,
             const int* ldc) {
  dl::SplitGemm(dgemm_, transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c,
                ldc);
  return 0;
}

}  // extern "C"
