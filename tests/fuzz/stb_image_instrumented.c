// Fuzzing builds only: stb_image's decoder compiled into the fuzzer, so that
// libFuzzer sees (and ASan checks) the decoding code itself. Its definitions
// take precedence over Debian's libstb.so in the fuzzer binary.
#define STB_IMAGE_IMPLEMENTATION
#include "stb/stb_image.h"
