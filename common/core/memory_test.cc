// dl::use_huge_pages, through huge_pages_probe (its path is the first
// argument): the program starts again with glibc.malloc.hugetlb=1 added to
// GLIBC_TUNABLES, and glibc then asks the kernel for huge pages, when the
// kernel gives them on request; else, or when GLIBC_TUNABLES already names
// the tunable, nothing changes.
#include "common/core/memory.h"

#include <cstdio>
#include <string>

#include "gtest/gtest.h"

namespace {

std::string probe;  // the path of huge_pages_probe

// Under AddressSanitizer (.ci/run's sanitizer build) malloc is the
// sanitizer's, which does not read glibc's tunables: the program still
// starts again with the tunable, but nothing asks for huge pages.
#ifdef __SANITIZE_ADDRESS__
constexpr bool kGlibcMalloc = false;
#else
constexpr bool kGlibcMalloc = true;
#endif

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

// What the probe should print: its GLIBC_TUNABLES, whether a mapping asks
// for huge pages, and its arguments, unchanged by the restart.
std::string Printed(const std::string& tunables, bool madvised) {
  return "GLIBC_TUNABLES=" + tunables +
         "\nmadvised: " + (madvised ? "yes" : "no") + "\nargs: a --b=c\n";
}

TEST(UseHugePages, StartsAgainWithTheTunableAndKeepsTheOthers) {
  const bool on_request = dl::KernelGivesHugePagesOnRequest();
  const bool madvised = on_request && kGlibcMalloc;
  // The test says what it expects on either kind of kernel.
  EXPECT_EQ(RunProbe(""), on_request
                              ? Printed("glibc.malloc.hugetlb=1", madvised)
                              : Printed("(unset)", false));
  EXPECT_EQ(RunProbe("glibc.malloc.check=0"),
            on_request ? Printed("glibc.malloc.check=0:glibc.malloc.hugetlb=1",
                                 madvised)
                       : Printed("glibc.malloc.check=0", false));
}

TEST(UseHugePages, TurnedOffByTheTunable) {
  EXPECT_EQ(RunProbe("glibc.malloc.hugetlb=0"),
            Printed("glibc.malloc.hugetlb=0", false));
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
