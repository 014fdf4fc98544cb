// For memory_test: asks for huge pages as a training program does
// (dl::use_huge_pages), allocates a large matrix's worth of memory, and
// prints what it then runs with:
//   GLIBC_TUNABLES=<its value, or "(unset)">
//   madvised: yes | no    (a mapping of the process asks for huge pages:
//                          "hg" in its VmFlags, /proc/self/smaps)
//   args: <its arguments after the program's name>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "common/core/memory.h"

int main(int argc, char** argv) {
  dl::use_huge_pages(argv);
  dl::keep_large_allocations();
  const size_t bytes = size_t{64} << 20;
  char* block = static_cast<char*>(std::malloc(bytes));
  if (block == nullptr) return 1;
  std::memset(block, 1, bytes);
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  std::printf("GLIBC_TUNABLES=%s\n", tunables ? tunables : "(unset)");
  bool madvised = false;
  std::ifstream smaps("/proc/self/smaps");
  for (std::string line; std::getline(smaps, line);) {
    if (line.rfind("VmFlags:", 0) == 0 &&
        (line + " ").find(" hg ") != std::string::npos) {
      madvised = true;
    }
  }
  std::printf("madvised: %s\nargs:", madvised ? "yes" : "no");
  for (int i = 1; i < argc; ++i) std::printf(" %s", argv[i]);
  std::printf("\n");
  std::free(block);
  return 0;
}
