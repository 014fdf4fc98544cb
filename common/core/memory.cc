#include "common/core/memory.h"

#include <malloc.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

namespace dl {

void keep_large_allocations() {
  mallopt(M_MMAP_THRESHOLD, 1 << 30);  // blocks up to 1 GiB come from the heap
  mallopt(M_TRIM_THRESHOLD, 1 << 30);  // keep up to 1 GiB of free heap
  mallopt(M_TOP_PAD, 64 << 20);        // grow the heap 64 MiB at a time
}

bool KernelGivesHugePagesOnRequest() {
  std::ifstream thp("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string modes;  // e.g. "always [madvise] never"
  return std::getline(thp, modes) &&
         modes.find("[madvise]") != std::string::npos;
}

void use_huge_pages(char** argv) {
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  const std::string before = tunables != nullptr ? tunables : "";
  if (before.find("glibc.malloc.hugetlb") != std::string::npos) return;
  if (!KernelGivesHugePagesOnRequest()) return;  // always, or never
  const std::string after =
      (before.empty() ? "" : before + ":") + "glibc.malloc.hugetlb=1";
  if (setenv("GLIBC_TUNABLES", after.c_str(), 1) != 0) return;
  execv("/proc/self/exe", argv);  // returns only if it failed
  if (tunables != nullptr) {
    setenv("GLIBC_TUNABLES", before.c_str(), 1);
  } else {
    unsetenv("GLIBC_TUNABLES");
  }
}

}  // namespace dl
