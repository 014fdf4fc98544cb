#include "common/core/parallel.h"

#include <exception>
#include <thread>
#include <vector>

namespace dl {

std::string ParallelFor(
    int parts, size_t n,
    const std::function<void(int part, size_t begin, size_t end)>& work) {
  std::vector<std::string> errors(parts);
  auto run = [&](int r) {
    try {
      work(r, n * r / parts, n * (r + 1) / parts);
    } catch (const std::exception& e) {
      errors[r] = e.what();
    }
  };
  if (parts == 1) {
    run(0);
  } else {
    std::vector<std::thread> threads;
    for (int r = 0; r < parts; ++r) threads.emplace_back(run, r);
    for (std::thread& t : threads) t.join();
  }
  for (const std::string& e : errors) {
    if (!e.empty()) return e;
  }
  return "";
}

}  // namespace dl
