#include "common/app.h"

#include <cstdio>
#include <string>

#include "common/not_implemented.h"

namespace dl {

int Fail(const std::string& message) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  return 2;
}

int Fail(const absl::Status& status) {
  return Fail(std::string(status.message()));
}

std::string StubsCalled() {
  std::string names;
  for (const std::string& n : not_implemented_calls()) {
    names += (names.empty() ? "" : ", ") + n;
  }
  return names;
}

std::string NotImplementedMessage(const std::string& unit) {
  return "not implemented yet in " + unit + "/exercise.cc: " + StubsCalled() +
         ". Finish the exercise (bazel test //" + unit +
         "/...), or run the reference solution: bazel run --config=reference "
         "//" +
         unit + ":train";
}

}  // namespace dl
