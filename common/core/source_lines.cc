#include "common/core/source_lines.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <utility>

namespace dl {
namespace {

// "file@key" -> the file's line of the part's line 1.
std::map<std::string, int>& first_lines() {
  static std::map<std::string, int> lines;
  return lines;
}

// The absolute line of line `n` of part `file_at_key`, or 0.
int absolute(const std::string& file_at_key, int n) {
  const auto it = first_lines().find(file_at_key);
  return it == first_lines().end() ? 0 : it->second + n - 1;
}

}  // namespace

bool RegisterSourceParts(
    const char* file,
    std::initializer_list<std::pair<const char*, int>> parts) {
  for (const auto& [key, line] : parts) {
    first_lines()[std::string(file) + "@" + key] = line;
  }
  return true;
}

std::string ResolveSourceLines(const std::string& text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t at = text.find(".cc@", i);
    if (at == std::string::npos) break;
    // The file name runs back to a space, quote or bracket.
    size_t start = at;
    while (start > i &&
           !std::isspace(static_cast<unsigned char>(text[start - 1])) &&
           text[start - 1] != '<' && text[start - 1] != '(' &&
           text[start - 1] != '"') {
      --start;
    }
    size_t colon = text.find(':', at + 4);
    size_t end = colon == std::string::npos ? colon : colon + 1;
    while (end != std::string::npos && end < text.size() &&
           std::isdigit(static_cast<unsigned char>(text[end]))) {
      ++end;
    }
    if (colon == std::string::npos || end == colon + 1) {
      out += text.substr(i, at + 4 - i);
      i = at + 4;
      continue;
    }
    const std::string file_at_key = text.substr(start, colon - start);
    const int n = std::atoi(text.c_str() + colon + 1);
    const int line = absolute(file_at_key, n);
    if (line == 0) {
      out += text.substr(i, end - i);
      i = end;
      continue;
    }
    const bool picture = start >= 2 && text.compare(start - 2, 2, "<<") == 0 &&
                         text.compare(end, 2, ">>") == 0;
    if (picture) {
      char number[16];
      std::snprintf(number, sizeof number, "%5d", line);
      out += text.substr(i, start - 2 - i) + number;
      i = end + 2;
    } else {
      const std::string file = file_at_key.substr(0, file_at_key.find('@'));
      out += text.substr(i, start - i) + file + ":" + std::to_string(line);
      i = end;
    }
  }
  return out + text.substr(i);
}

}  // namespace dl
