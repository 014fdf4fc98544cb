// Fuzz target: dl::DecodeImage (the decoder behind LoadImage and
// ReadImageFolder) on arbitrary bytes. It may return an error; it must not
// crash, hang or allocate without bound.
//   bazel build --config=fuzz //tests/fuzz:image_fuzzer
//   bazel-bin/tests/fuzz/image_fuzzer -max_total_time=60
//   tests/fuzz/corpus/image
// Built without --config=fuzz, the same target replays the corpus files it
// is given (replay_main.cc); //tests/fuzz:image_corpus_test does that.

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/data/image.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  for (int channels : {1, 3}) {
    auto image = dl::DecodeImage(bytes, channels, "fuzz input");
    if (image.ok() &&
        image->pixels.size() != static_cast<size_t>(image->height) *
                                    image->width * image->channels) {
      __builtin_trap();  // a decoded image must be consistent
    }
  }
  return 0;
}
