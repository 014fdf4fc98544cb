// File: common/core/parallel.h
//
// Data parallelism for the training programs: split [0, n) into `parts`
// slices and run each in its own thread.
//
//   std::string error = dl::ParallelFor(2, batch.size(),
//       [&](int part, size_t begin, size_t end) { ... rows begin..end-1 ... });
//   if (!error.empty()) return dl::Fail(error);
//
// The slices are fixed by (parts, n) alone, so a program that adds up the
// parts' results in part order gets the same numbers on every run.

#ifndef DLCOURSE_COMMON_CORE_PARALLEL_H_
#define DLCOURSE_COMMON_CORE_PARALLEL_H_

#include <cstddef>
#include <functional>
#include <string>

namespace dl {

// Runs work(part, begin, end) for the slices [n * part / parts,
// n * (part + 1) / parts), part = 0 .. parts - 1, one thread each (in this
// thread when parts is 1), and waits for all of them. Returns the first
// part's error message (what() of an exception it threw), "" if none.
// parts >= 1.
std::string ParallelFor(
    int parts, size_t n,
    const std::function<void(int part, size_t begin, size_t end)>& work);

}  // namespace dl

#endif  // DLCOURSE_COMMON_CORE_PARALLEL_H_
