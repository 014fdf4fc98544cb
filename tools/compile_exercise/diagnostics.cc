#include "tools/compile_exercise/diagnostics.h"

#include <cctype>
#include <cstdlib>
#include <string>
#include <vector>

namespace compile_exercise {
namespace {

struct Location {
  std::string file;
  int line = 0, column = 0;
  std::string rest;  // after "file:line:col: "
};

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// "file:12:5: rest" or "file:12: rest".
bool parse_location(const std::string& line, Location& loc) {
  size_t search = 0;
  while (true) {
    const size_t colon = line.find(':', search);
    if (colon == std::string::npos) return false;
    const size_t colon2 = line.find(':', colon + 1);
    if (colon2 == std::string::npos) return false;
    const std::string num = line.substr(colon + 1, colon2 - colon - 1);
    if (all_digits(num) && colon > 0) {
      loc.file = line.substr(0, colon);
      loc.line = std::atoi(num.c_str());
      size_t after = colon2 + 1;
      const size_t colon3 = line.find(':', after);
      if (colon3 != std::string::npos &&
          all_digits(line.substr(after, colon3 - after))) {
        loc.column = std::atoi(line.substr(after, colon3 - after).c_str());
        after = colon3 + 1;
      }
      while (after < line.size() && line[after] == ' ') ++after;
      loc.rest = line.substr(after);
      return true;
    }
    search = colon + 1;
  }
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

bool same_file(std::string printed, const std::string& source) {
  printed = printed.substr(0, printed.find('@'));  // "<source>@<part>"
  if (printed == source) return true;
  // "./x", "/abs/path/x", "/proc/self/cwd/x"
  return printed.size() > source.size() &&
         printed.compare(printed.size() - source.size(), source.size(),
                         source) == 0 &&
         printed[printed.size() - source.size() - 1] == '/';
}

// The compiler's source picture: " 19 |   code" and "    |   ~~~^~~".
bool is_picture(const std::string& line) {
  const size_t bar = line.find(" | ");
  const size_t bar_end = line.find(" |");
  size_t b = bar != std::string::npos ? bar : bar_end;
  if (b == std::string::npos || b > 12) return false;
  for (size_t i = 0; i < b; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(line[i])) && line[i] != ' ') {
      return false;
    }
  }
  return true;
}

}  // namespace

std::vector<Diagnostic> ParseDiagnostics(const std::string& output,
                                         const std::string& source) {
  std::vector<Diagnostic> out;
  // The learner's line that the current instantiation context comes from.
  std::string context_file;
  int context_line = 0, context_column = 0;
  bool context_fresh = false;
  Diagnostic* last = nullptr;  // the error that notes and pictures belong to
  bool last_is_error = false;
  size_t start = 0;
  while (start < output.size()) {
    size_t end = output.find('\n', start);
    if (end == std::string::npos) end = output.size();
    const std::string line = output.substr(start, end - start);
    start = end + 1;

    // The compiler's picture of a source line: Describe draws its own.
    if (is_picture(line)) continue;
    if (starts_with(line, "In file included from") ||
        starts_with(line, "                 from")) {
      continue;
    }
    Location loc;
    if (!parse_location(line, loc)) {
      // "file: In instantiation of ...:", "file: In function ...:": a new
      // context starts.
      if (line.find(": In ") != std::string::npos ||
          line.find(": At global scope") != std::string::npos) {
        if (line.find("In instantiation of") != std::string::npos ||
            line.find("In substitution of") != std::string::npos) {
          context_line = context_column = 0;
          context_fresh = true;
        } else {
          context_line = context_column = 0;
          context_fresh = false;
        }
      }
      // "cc1plus: fatal error: ...", "compilation terminated."
      if (starts_with(line, "cc1plus: fatal error: ") ||
          starts_with(line, "cc1plus: error: ")) {
        Diagnostic d;
        d.severity = "fatal error";
        d.message = line.substr(line.find("error: ") + 7);
        out.push_back(d);
        last = &out.back();
        last_is_error = true;
      }
      continue;
    }
    const std::string& rest = loc.rest;
    if (starts_with(rest, "required from here") ||
        starts_with(rest, "required by substitution") ||
        starts_with(rest, "required from ") ||
        starts_with(rest, "in expansion of") ||
        starts_with(rest, "recursively required")) {
      if (same_file(loc.file, source) && (context_fresh || !context_line)) {
        context_file = loc.file;
        context_line = loc.line;
        context_column = loc.column;
      }
      continue;
    }
    std::string severity;
    if (starts_with(rest, "error: ")) severity = "error";
    if (starts_with(rest, "fatal error: ")) severity = "fatal error";
    if (severity.empty()) {
      if (starts_with(rest, "note: ") && last != nullptr && last_is_error) {
        if (last->notes.size() < 40) last->notes.push_back(rest.substr(6));
        // A note in the learner's file places an error that had no place.
        if (last->user_line == 0 && same_file(loc.file, source)) {
          last->user_file = loc.file;
          last->user_line = loc.line;
          last->user_column = loc.column;
        }
      } else if (starts_with(rest, "warning: ")) {
        last_is_error = false;
      }
      continue;
    }
    Diagnostic d;
    d.severity = severity;
    d.file = loc.file;
    d.line = loc.line;
    d.column = loc.column;
    d.message = rest.substr(severity.size() + 2);
    if (same_file(loc.file, source)) {
      d.user_file = loc.file;
      d.user_line = loc.line;
      d.user_column = loc.column;
    } else if (context_line > 0) {
      d.user_file = context_file;
      d.user_line = context_line;
      d.user_column = context_column;
    }
    out.push_back(d);
    last = &out.back();
    last_is_error = true;
  }
  return out;
}

}  // namespace compile_exercise
