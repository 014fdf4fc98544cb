#include "common/core/source_lines.h"

#include "gtest/gtest.h"

namespace dl {
namespace {

TEST(SourceLines, PartLinesBecomeFileLines) {
  RegisterSourceParts("u/exercise.cc", {{"sigmoid", 14}, {"propagate", 20}});
  EXPECT_EQ(ResolveSourceLines("at u/exercise.cc@sigmoid:3:10: x"),
            "at u/exercise.cc:16:10: x");
  EXPECT_EQ(ResolveSourceLines("u/exercise.cc@propagate:1"),
            "u/exercise.cc:20");
  EXPECT_EQ(ResolveSourceLines("<<u/exercise.cc@sigmoid:1>> | code"),
            "   14 | code");
  EXPECT_EQ(ResolveSourceLines("(u/exercise.cc@sigmoid:2) and "
                               "u/exercise.cc@propagate:2."),
            "(u/exercise.cc:15) and u/exercise.cc:21.");
}

TEST(SourceLines, UnknownPartsAndPlainTextStay) {
  EXPECT_EQ(ResolveSourceLines("v/exercise.cc@nothing:3: y"),
            "v/exercise.cc@nothing:3: y");
  EXPECT_EQ(ResolveSourceLines("no lines here .cc@ at all"),
            "no lines here .cc@ at all");
  EXPECT_EQ(ResolveSourceLines("u/exercise.cc:12:5"), "u/exercise.cc:12:5");
}

}  // namespace
}  // namespace dl
