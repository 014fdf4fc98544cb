#include "common/viz/app.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace dl {
namespace {

TEST(App, FailReturnsTwo) { EXPECT_EQ(Fail("a bad flag"), 2); }

TEST(App, FiniteCostsGiveNoWarning) {
  EXPECT_EQ(NonFiniteCostWarning({0.7, 0.5, 0.3}, 100), "");
  EXPECT_EQ(NonFiniteCostWarning({}, 100), "");
}

TEST(App, NonFiniteCostWarningNamesTheFirstIteration) {
  const double nan = std::nan("");
  const double inf = std::numeric_limits<double>::infinity();
  const std::string w = NonFiniteCostWarning({0.7, 0.52, nan, inf}, 100);
  EXPECT_NE(w.find("became nan at iteration 200"), std::string::npos) << w;
  EXPECT_NE(w.find("it was 0.52 at iteration 100"), std::string::npos) << w;
  const std::string first = NonFiniteCostWarning({inf}, 1, "epoch");
  EXPECT_NE(first.find("became inf at epoch 0"), std::string::npos) << first;
  EXPECT_EQ(first.find("it was"), std::string::npos) << first;
}

}  // namespace
}  // namespace dl
