// dl::use_huge_pages, through huge_pages_probe (its path is the first
// argument): the program starts again with glibc.malloc.hugetlb=1 added to
// GLIBC_TUNABLES, and glibc then asks the kernel for huge pages, when the
// kernel gives them on request; else, or when GLIBC_TUNABLES already names
// the tunable, nothing changes.
#include <cstdio>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace {

std::string probe;  // the path of huge_pages_probe

// What the probe prints, started with GLIBC_TUNABLES set to `tunables`
// (unset when empty) and the arguments "a --b=c".
std::string RunProbe(const std::string& tunables) {
  const std::string env = tunables.empty()
                              ? "env -u GLIBC_TUNABLES "
                              : "env GLIBC_TUNABLES='" + tunables + "' ";
  FILE* out = popen((env + probe + " a --b=c").c_str(), "r");
  if (out == nullptr) return "(could not start " + probe + ")";
  std::string text;
  char buffer[256];
  while (fgets(buffer, sizeof buffer, out) != nullptr) text += buffer;
  pclose(out);
  return text;
}

// Whether the kernel gives huge pages on request (what use_huge_pages
// checks); the test says what it expects either way.
bool KernelGivesHugePagesOnRequest() {
  std::ifstream thp("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string modes;
  return std::getline(thp, modes) &&
         modes.find("[madvise]") != std::string::npos;
}

TEST(UseHugePages, StartsAgainWithTheTunableAndTheSameArguments) {
  const std::string out = RunProbe("");
  if (KernelGivesHugePagesOnRequest()) {
    EXPECT_EQ(out,
              "GLIBC_TUNABLES=glibc.malloc.hugetlb=1\n"
              "madvised: yes\n"
              "args: a --b=c\n");
  } else {
    EXPECT_EQ(out, "GLIBC_TUNABLES=(unset)\nmadvised: no\nargs: a --b=c\n");
  }
}

TEST(UseHugePages, KeepsTheOtherTunables) {
  const std::string out = RunProbe("glibc.malloc.check=0");
  if (KernelGivesHugePagesOnRequest()) {
    EXPECT_EQ(out,
              "GLIBC_TUNABLES=glibc.malloc.check=0:glibc.malloc.hugetlb=1\n"
              "madvised: yes\n"
              "args: a --b=c\n");
  } else {
    EXPECT_EQ(out,
              "GLIBC_TUNABLES=glibc.malloc.check=0\n"
              "madvised: no\n"
              "args: a --b=c\n");
  }
}

TEST(UseHugePages, TurnedOffByTheTunable) {
  EXPECT_EQ(RunProbe("glibc.malloc.hugetlb=0"),
            "GLIBC_TUNABLES=glibc.malloc.hugetlb=0\n"
            "madvised: no\n"
            "args: a --b=c\n");
}

}  // namespace

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  if (argc != 2) {
    std::fprintf(stderr, "usage: memory_test <path of huge_pages_probe>\n");
    return 2;
  }
  probe = argv[1];
  return RUN_ALL_TESTS();
}
