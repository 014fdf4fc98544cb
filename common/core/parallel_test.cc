#include "common/core/parallel.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace dl {
namespace {

TEST(ParallelFor, SlicesCoverTheRangeOnce) {
  for (int parts : {1, 2, 3}) {
    std::vector<int> seen(10, 0);
    std::vector<std::pair<size_t, size_t>> slices(parts);
    const std::string error =
        ParallelFor(parts, seen.size(), [&](int part, size_t lo, size_t hi) {
          slices[part] = {lo, hi};
          for (size_t i = lo; i < hi; ++i) ++seen[i];
        });
    EXPECT_EQ(error, "");
    for (int count : seen) EXPECT_EQ(count, 1) << parts << " parts";
    EXPECT_EQ(slices.front().first, 0u);
    EXPECT_EQ(slices.back().second, 10u);
  }
}

TEST(ParallelFor, ReturnsTheFirstPartsError) {
  const std::string error = ParallelFor(3, 9, [](int part, size_t, size_t) {
    if (part >= 1) throw std::runtime_error("part " + std::to_string(part));
  });
  EXPECT_EQ(error, "part 1");
}

}  // namespace
}  // namespace dl
