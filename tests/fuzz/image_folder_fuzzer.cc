// Fuzz target: dl::ReadImageFolder on a folder of two classes whose three
// image files are cut from the fuzz input (mixed sizes, channel counts,
// broken files). It may return an error; it must not crash, hang or allocate
// without bound.
//   bazel build --config=fuzz //tests/fuzz:image_folder_fuzzer

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "common/data/image.h"

namespace {

std::string Root() {
  static const std::string root = [] {
    const char* tmp = std::getenv("TEST_TMPDIR");
    return std::string(tmp ? tmp : "/tmp") + "/image_folder_fuzz." +
           std::to_string(getpid());
  }();
  return root;
}

void Write(const std::filesystem::path& path, const uint8_t* data,
           size_t size) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(data),
            static_cast<std::streamsize>(size));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace fs = std::filesystem;
  const fs::path root = Root();
  fs::remove_all(root);
  fs::create_directories(root / "cat");
  fs::create_directories(root / "dog");
  // Three files: the input cut in thirds.
  const size_t third = size / 3;
  Write(root / "cat" / "a.png", data, third);
  Write(root / "cat" / "b.png", data + third, third);
  Write(root / "dog" / "c.jpg", data + 2 * third, size - 2 * third);
  for (bool resize : {false, true}) {
    dl::ImageFolderOptions options;
    options.resize = resize;
    options.height = resize ? 8 : 0;  // 0: the first image's size
    options.width = resize ? 8 : 0;
    auto dataset = dl::ReadImageFolder(root.string(), options);
    if (dataset.ok() && dataset->size() != 3) __builtin_trap();
  }
  return 0;
}
