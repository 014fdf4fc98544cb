// File: common/core/memory.h
//
// How the training programs ask the system for memory: two settings of
// glibc's malloc, made once at the start of main(). Neither changes a
// result, only the speed and the peak memory. dl::StartProgram
// (common/viz/app.h) keeps large allocations for every program; huge pages
// are for the programs whose products are bound by memory (deep_nn_app,
// resnet, unet: 17 %, 4 %, 4 % faster), which call use_huge_pages first:
// they cost 1 to 3 MB of peak memory there, and 11 MB in cnn_app for no
// gain.

#ifndef DLCOURSE_COMMON_CORE_MEMORY_H_
#define DLCOURSE_COMMON_CORE_MEMORY_H_

namespace dl {

// Keeps freed large matrices in the process's heap for reuse instead of
// returning them to the system at every free (glibc would otherwise mmap and
// unmap each matrix over 32 MB, and page-fault on every first touch: up to
// half the time of an iteration on 12288 x 209 images).
void keep_large_allocations();

// Large matrices on the kernel's transparent huge pages, 2 MB instead of
// 4 KB. A product packs its operands into blocks, and packing a transposed
// 12288 x 209 matrix (deep_nn_app's X) reads one cache line from each of 209
// columns 98 KB apart: on 4 KB pages nearly every read misses the TLB.
// glibc's malloc asks the kernel for huge pages only when the tunable
// glibc.malloc.hugetlb=1 is set as the program starts. So when the kernel
// gives them on request ("[madvise]" in
// /sys/kernel/mm/transparent_hugepage/enabled) and GLIBC_TUNABLES does not
// name that tunable, the program is started again, once, the same
// (execv of /proc/self/exe with `argv`), with the tunable added. If that
// fails it goes on as it was. GLIBC_TUNABLES=glibc.malloc.hugetlb=0 turns
// it off.
void use_huge_pages(char** argv);

// Whether the kernel gives transparent huge pages to memory that asks for
// them: "[madvise]" in /sys/kernel/mm/transparent_hugepage/enabled (Debian's
// default). use_huge_pages starts the program again only then.
bool KernelGivesHugePagesOnRequest();

}  // namespace dl

#endif  // DLCOURSE_COMMON_CORE_MEMORY_H_
