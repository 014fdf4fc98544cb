// bazel run //tools:hint -- <function>          the next hint for a function
// bazel run //tools:hint -- <unit>:<function>   when several units have it
// bazel run //tools:hint -- --all <function>    every hint at once
// bazel run //tools:hint -- --reset             start every function over
//
// Hints live in each unit's hints.md:
//
//   ## sigmoid
//   1. A nudge: which numpy idea this is.
//   2. The formula, in the course's notation.
//      (Lines indented under a hint belong to it.)
//   3. The shapes.
//
// Each run shows the next hint of the function (a nudge first, then the
// formula, then the shapes) and remembers how far you got in
// <workspace>/.hints_seen, so running the same command again goes one
// further.

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct FunctionHints {
  std::string unit;      // "course1_nn/logistic_regression"
  std::string function;  // "sigmoid"
  std::vector<std::string> hints;
};

std::string trim_right(const std::string& s) {
  size_t end = s.size();
  while (end > 0 && std::isspace(static_cast<unsigned char>(s[end - 1]))) {
    --end;
  }
  return s.substr(0, end);
}

// "3. text" -> 3 and "text"; 0 if the line does not start a hint.
int hint_number(const std::string& line, std::string* rest) {
  size_t i = 0;
  while (i < line.size() && std::isdigit(static_cast<unsigned char>(line[i]))) {
    ++i;
  }
  if (i == 0 || i + 1 >= line.size() || line[i] != '.' || line[i + 1] != ' ') {
    return 0;
  }
  *rest = line.substr(i + 2);
  return std::atoi(line.substr(0, i).c_str());
}

std::vector<FunctionHints> read_hints(const fs::path& file,
                                      const std::string& unit) {
  std::vector<FunctionHints> out;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    line = trim_right(line);
    std::string rest;
    if (line.rfind("## ", 0) == 0) {
      out.push_back({unit, line.substr(3), {}});
    } else if (!out.empty() && hint_number(line, &rest) > 0) {
      out.back().hints.push_back(rest);
    } else if (!out.empty() && !out.back().hints.empty() && !line.empty() &&
               std::isspace(static_cast<unsigned char>(line[0]))) {
      size_t start = line.find_first_not_of(' ');
      out.back().hints.back() += "\n" + line.substr(start);
    }
  }
  return out;
}

std::vector<FunctionHints> all_hints(const fs::path& workspace) {
  std::vector<FunctionHints> all;
  for (const char* course :
       {"course1_nn", "course2_tuning", "course3_cnn", "course4_seq"}) {
    const fs::path dir = workspace / course;
    if (!fs::is_directory(dir)) continue;
    std::vector<fs::path> units;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (fs::exists(entry.path() / "hints.md")) units.push_back(entry.path());
    }
    std::sort(units.begin(), units.end());
    for (const fs::path& u : units) {
      const std::string unit =
          std::string(course) + "/" + u.filename().string();
      for (auto& f : read_hints(u / "hints.md", unit)) all.push_back(f);
    }
  }
  return all;
}

// .hints_seen: one "unit:function count" per line.
std::map<std::string, int> read_seen(const fs::path& file) {
  std::map<std::string, int> seen;
  std::ifstream in(file);
  std::string key;
  int count;
  while (in >> key >> count) seen[key] = count;
  return seen;
}

bool write_seen(const fs::path& file, const std::map<std::string, int>& seen) {
  std::ofstream out(file);
  for (const auto& [key, count] : seen) out << key << " " << count << "\n";
  return static_cast<bool>(out);
}

std::string basename(const std::string& unit) {
  return unit.substr(unit.rfind('/') + 1);
}

int usage(const std::vector<FunctionHints>& all) {
  std::printf(
      "usage: bazel run //tools:hint -- <function>\n"
      "       bazel run //tools:hint -- <unit>:<function>\n"
      "       bazel run //tools:hint -- --all <function>\n"
      "       bazel run //tools:hint -- --reset\n\n"
      "Functions with hints:\n");
  std::string unit;
  for (const auto& f : all) {
    if (f.unit != unit) {
      unit = f.unit;
      std::printf("%s%s:", unit == all.front().unit ? "" : "\n", unit.c_str());
    }
    std::printf(" %s", f.function.c_str());
  }
  std::printf("\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  const char* ws = std::getenv("BUILD_WORKSPACE_DIRECTORY");
  const fs::path workspace = ws ? ws : ".";
  if (!fs::exists(workspace / "WORKSPACE")) {
    std::fprintf(stderr,
                 "error: run it with `bazel run //tools:hint -- <function>` "
                 "from the repository\n");
    return 2;
  }
  const fs::path seen_file = workspace / ".hints_seen";
  const std::vector<FunctionHints> all = all_hints(workspace);

  bool show_all = false;
  std::string wanted;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--reset") {
      std::error_code ignored;
      fs::remove(seen_file, ignored);
      std::printf("Every function starts again at its first hint.\n");
      return 0;
    } else if (arg == "--all") {
      show_all = true;
    } else if (arg.rfind("--", 0) == 0 || !wanted.empty()) {
      std::fprintf(stderr, "error: unexpected argument '%s'\n\n", arg.c_str());
      usage(all);
      return 2;
    } else {
      wanted = arg;
    }
  }
  if (wanted.empty()) return usage(all);

  // "unit:function", "course3_cnn/unit:function" or "function".
  std::string unit_part, function = wanted;
  if (const size_t colon = wanted.rfind(':'); colon != std::string::npos) {
    unit_part = wanted.substr(0, colon);
    function = wanted.substr(colon + 1);
  }
  std::vector<const FunctionHints*> matches;
  for (const auto& f : all) {
    if (f.function != function) continue;
    if (!unit_part.empty() && unit_part != f.unit &&
        unit_part != basename(f.unit)) {
      continue;
    }
    matches.push_back(&f);
  }
  if (matches.empty()) {
    std::fprintf(stderr, "No hints for '%s'. ", wanted.c_str());
    std::fprintf(stderr, "Function names are the course's, e.g. sigmoid.\n\n");
    usage(all);
    return 2;
  }
  if (matches.size() > 1) {
    std::printf("'%s' is in several units; say which one:\n", wanted.c_str());
    for (const auto* f : matches) {
      std::printf("  bazel run //tools:hint -- %s:%s\n",
                  basename(f->unit).c_str(), f->function.c_str());
    }
    return 2;
  }

  const FunctionHints& f = *matches.front();
  const int n = static_cast<int>(f.hints.size());
  if (n == 0) {
    std::printf("%s (%s) has no hints yet. Its lesson: %s/README.md\n",
                f.function.c_str(), f.unit.c_str(), f.unit.c_str());
    return 0;
  }
  if (show_all) {
    for (int k = 0; k < n; ++k) {
      std::printf("Hint %d of %d for %s (%s):\n%s\n\n", k + 1, n,
                  f.function.c_str(), f.unit.c_str(), f.hints[k].c_str());
    }
    return 0;
  }
  const std::string key = f.unit + ":" + f.function;
  std::map<std::string, int> seen = read_seen(seen_file);
  const int shown = std::min(seen[key], n - 1);  // 0-based index to show
  std::printf("Hint %d of %d for %s (%s):\n\n%s\n\n", shown + 1, n,
              f.function.c_str(), f.unit.c_str(), f.hints[shown].c_str());
  if (shown + 1 < n) {
    std::printf("Run the same command again for the next hint.\n");
  } else {
    std::printf(
        "That was the last hint. The lesson is in %s/README.md;\n"
        "start the hints over with: bazel run //tools:hint -- --reset\n",
        f.unit.c_str());
  }
  seen[key] = shown + 1;
  if (!write_seen(seen_file, seen)) {
    std::fprintf(stderr,
                 "(could not write %s; the next run shows this hint "
                 "again)\n",
                 seen_file.c_str());
  }
  return 0;
}
