#include "common/not_implemented.h"

#include <algorithm>
#include <string>
#include <vector>

namespace dl {
namespace {

std::vector<std::string>& calls() {
  static std::vector<std::string> calls;
  return calls;
}

}  // namespace

void record_not_implemented(const char* function) {
  auto& c = calls();
  if (std::find(c.begin(), c.end(), function) == c.end()) c.push_back(function);
}

const std::vector<std::string>& not_implemented_calls() { return calls(); }

void clear_not_implemented() { calls().clear(); }

}  // namespace dl
