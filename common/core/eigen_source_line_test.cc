// A failed Eigen check names the line of the project's code where it
// happened (this file is compiled with -g1, as every exercise.cc is).

#include <string>

#include "common/core/eigen.h"
#include "gtest/gtest.h"

namespace dl {
namespace {

int bad_product_line = 0;

// A learner's mistake: (2, 3) * (2, 3).
Eigen::MatrixXd BadProduct(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  bad_product_line = __LINE__ + 1;
  Eigen::MatrixXd c = a * b;
  return c;
}

TEST(EigenSourceLine, NamesTheLineOfTheBadProduct) {
  const Eigen::MatrixXd a = Eigen::MatrixXd::Ones(2, 3);
  try {
    BadProduct(a, a);
    FAIL() << "the product of (2, 3) and (2, 3) did not throw";
  } catch (const EigenAssertionError& e) {
    const std::string where = "common/core/eigen_source_line_test.cc:" +
                              std::to_string(bad_product_line);
    EXPECT_EQ(e.SourceLine(), where);
    // what(), which a training program prints, names the line too.
    EXPECT_EQ(std::string(e.what()),
              "at " + where + ": " + std::string(e.message()));
  }
}

TEST(EigenSourceLine, NamesTheLineOfABadSum) {
  const Eigen::MatrixXd a = Eigen::MatrixXd::Ones(2, 3);
  const Eigen::MatrixXd b = Eigen::MatrixXd::Ones(3, 2);
  int line = 0;
  try {
    line = __LINE__ + 1;
    const Eigen::MatrixXd c = a + b;
    FAIL() << "(2, 3) + (3, 2) did not throw";
  } catch (const EigenAssertionError& e) {
    EXPECT_EQ(e.SourceLine(),
              "common/core/eigen_source_line_test.cc:" + std::to_string(line));
  }
}

TEST(EigenSourceLine, ProjectLocationOfAddr2LineOutput) {
  using eigen_internal::ProjectLocation;
  EXPECT_EQ(ProjectLocation("/proc/self/cwd/course1_nn/x/exercise.cc:57"),
            "course1_nn/x/exercise.cc:57");
  EXPECT_EQ(ProjectLocation("./course1_nn/x/exercise.cc:7 (discriminator 2)"),
            "course1_nn/x/exercise.cc:7");
  EXPECT_EQ(ProjectLocation("course1_nn/x/reference.cc:120"),
            "course1_nn/x/reference.cc:120");
  EXPECT_EQ(ProjectLocation("??:0"), "");
  EXPECT_EQ(ProjectLocation("??:?"), "");
  EXPECT_EQ(ProjectLocation("/usr/include/eigen3/Eigen/src/Core/Product.h:96"),
            "");
  EXPECT_EQ(ProjectLocation("external/eigen/Eigen/src/Core/Product.h:96"), "");
  EXPECT_EQ(ProjectLocation("/proc/self/cwd/common/core/eigen.cc:75"), "");
  EXPECT_EQ(ProjectLocation("course1_nn/x/exercise.cc:0"), "");
}

}  // namespace
}  // namespace dl
