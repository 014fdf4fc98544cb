// Fuzz target: the character language model's corpus reader
// (char_lm::read_data, split_names, build_vocabulary) on arbitrary file
// contents. Errors are fine; crashes, hangs and unbounded allocation are not.
//   bazel build --config=fuzz //tests/fuzz:names_fuzzer

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "course4_seq/char_lm/char_lm_utils.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = [] {
    const char* tmp = std::getenv("TEST_TMPDIR");
    return std::string(tmp ? tmp : "/tmp") + "/names_fuzz." +
           std::to_string(getpid()) + ".txt";
  }();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data),
              static_cast<std::streamsize>(size));
  }
  auto text = char_lm::read_data(path);
  if (!text.ok()) return 0;
  const auto names = char_lm::split_names(*text);
  const auto vocabulary = char_lm::build_vocabulary(*text);
  for (const std::string& name : names) {
    for (char c : name) {
      if (!vocabulary.char_to_ix.count(c)) __builtin_trap();
    }
  }
  return 0;
}
