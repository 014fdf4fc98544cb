// bazel run //tools:progress
//
// The learner's progress, from the latest grades Bazel kept
// (bazel-testlogs/<unit>/<unit>_test/test.xml): every unit and every graded
// function as done / failing / not started, the overall percentage and the
// next exercise. Run `bazel test //...` (or one course) first to refresh it.
//
// Every graded function (the list in each unit's header) counts from the
// start, as "not started" until a grade says otherwise, so the total is the
// course's from the first run. Grades from `--config=reference` runs are not
// the learner's: such a unit is shown as "reference graded last", its
// functions not started, with a hint to re-run it.
//
// bazel run //tools:progress -- --html
// also writes output/report.html: the same table, and under every unit the
// pictures its application wrote into output/<unit>/ (cost curves, decision
// boundaries, prediction grids, attention maps). Open it in a browser.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/viz/html.h"

namespace {

namespace fs = std::filesystem;

struct Function {
  std::string name;
  std::string grade;  // "PASS", "FAIL", "NOT IMPLEMENTED", "CRASHED", ...
};

struct Unit {
  std::string path;   // "course1_nn/logistic_regression"
  std::string state;  // "graded", "not graded yet", "reference graded last"
  std::vector<Function> functions;
};

// The value of attribute `name` in the XML tag `tag`, or "".
std::string attribute(const std::string& tag, const std::string& name) {
  const std::string key = " " + name + "=\"";
  const size_t start = tag.find(key);
  if (start == std::string::npos) return "";
  const size_t begin = start + key.size();
  const size_t end = tag.find('"', begin);
  return end == std::string::npos ? "" : tag.substr(begin, end - begin);
}

int severity(const std::string& grade) {
  if (grade == "PASS") return 0;
  if (grade == "NOT IMPLEMENTED") return 3;
  if (grade == "DOES NOT COMPILE") return 4;
  if (grade == "FAIL") return 1;
  return 2;  // CRASHED, TIMED OUT
}

// The graded functions the unit's header lists for its reference
// (`decltype(<unit>::f) f;`), in order, all "not started".
std::vector<Function> declared_functions(const fs::path& workspace,
                                         const std::string& unit_path) {
  const std::string name = fs::path(unit_path).filename().string();
  std::ifstream in(workspace / unit_path / (name + ".h"));
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string header = buffer.str();
  const std::string key = "decltype(" + name + "::";
  std::vector<Function> functions;
  for (size_t at = header.find(key); at != std::string::npos;
       at = header.find(key, at + 1)) {
    const size_t begin = at + key.size();
    const size_t end = header.find(')', begin);
    if (end == std::string::npos) break;
    functions.push_back({header.substr(begin, end - begin), "NOT IMPLEMENTED"});
  }
  return functions;
}

// Reads the grading test's XML: one grade per function, the worst of its
// checks, in the order the checks ran. Every function the header lists is
// there from the start, "not started" until a grade says otherwise.
Unit read_unit(const fs::path& workspace, const std::string& unit_path) {
  Unit unit{unit_path, "not graded yet",
            declared_functions(workspace, unit_path)};
  const std::string name = fs::path(unit_path).filename().string();
  const fs::path xml_path =
      workspace / "bazel-testlogs" / unit_path / (name + "_test") / "test.xml";
  std::ifstream in(xml_path);
  if (!in) return unit;
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string xml = buffer.str();
  const size_t root = xml.find("<testsuites");
  if (root == std::string::npos) return unit;
  const std::string root_tag = xml.substr(root, xml.find('>', root) - root);
  if (attribute(root_tag, "graded") == "reference.cc") {
    unit.state = "reference graded last";
    return unit;
  }
  unit.state = "graded";
  std::vector<std::string> seen;  // functions with a grade from the XML
  for (size_t at = xml.find("<testcase"); at != std::string::npos;
       at = xml.find("<testcase", at + 1)) {
    const std::string tag = xml.substr(at, xml.find('>', at) - at);
    const std::string function = attribute(tag, "function");
    const std::string grade = attribute(tag, "grade");
    if (function.empty()) continue;
    auto it =
        std::find_if(unit.functions.begin(), unit.functions.end(),
                     [&](const Function& f) { return f.name == function; });
    const bool first =
        std::find(seen.begin(), seen.end(), function) == seen.end();
    if (first) seen.push_back(function);
    if (it == unit.functions.end()) {
      unit.functions.push_back({function, grade});
    } else if (first || severity(grade) > severity(it->grade)) {
      it->grade = grade;  // the worst of its checks
    }
  }
  return unit;
}

// The units: course*/<unit>/ folders with a BUILD and an exercise.cc, in the
// order of the course READMEs' numbered lists where they give one.
std::vector<std::string> find_units(const fs::path& workspace) {
  std::vector<std::string> units;
  for (const char* course :
       {"course1_nn", "course2_tuning", "course3_cnn", "course4_seq"}) {
    const fs::path dir = workspace / course;
    if (!fs::is_directory(dir)) continue;
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (fs::exists(entry.path() / "BUILD") &&
          fs::exists(entry.path() / "exercise.cc")) {
        found.push_back(entry.path().filename().string());
      }
    }
    // The README's order: the position of "(<unit>/README.md)" in it.
    std::ifstream readme(dir / "README.md");
    std::stringstream text;
    text << readme.rdbuf();
    const std::string order = text.str();
    auto rank = [&](const std::string& u) {
      const size_t p = order.find("(" + u + "/README.md)");
      return p == std::string::npos ? order.size() : p;
    };
    std::sort(found.begin(), found.end(),
              [&](const std::string& a, const std::string& b) {
                return rank(a) != rank(b) ? rank(a) < rank(b) : a < b;
              });
    for (const auto& u : found) units.push_back(std::string(course) + "/" + u);
  }
  return units;
}

const char* grade_word(const std::string& grade) {
  return grade == "PASS"               ? "done"
         : grade == "NOT IMPLEMENTED"  ? "not started"
         : grade == "DOES NOT COMPILE" ? "does not compile"
                                       : "failing";
}

// output/report.html: per unit a table of functions and the application's
// pictures (output/<unit name>/*.png, *.svg), linked relative to output/.
bool write_html(const fs::path& workspace, const std::vector<Unit>& units,
                int done, int total, const std::string& next,
                fs::path* written) {
  const fs::path out_dir = workspace / "output";
  std::error_code error;
  fs::create_directories(out_dir, error);
  *written = out_dir / "report.html";
  std::ofstream html(*written);
  if (!html) return false;
  html << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
          "<title>dlcourse-cpp progress</title>\n<style>"
          "body{font-family:sans-serif;max-width:70em;margin:2em auto;"
          "color:#222}table{border-collapse:collapse;margin:.5em 0}"
          "td{padding:.15em .8em;border-bottom:1px solid #ddd}"
          ".done{color:#176b2c}.failing{color:#b3261e;font-weight:bold}"
          ".not{color:#777}img{max-width:22em;margin:.3em;"
          "border:1px solid #ccc;vertical-align:top}"
          "h2{margin-top:1.5em;font-size:1.1em}</style></head><body>\n";
  html << "<h1>dlcourse-cpp: your progress</h1>\n<p>" << done << " of " << total
       << " graded functions done";
  if (total > 0) html << " (" << 100 * done / total << " %)";
  html << ". Next: " << dl::HtmlEscape(next.empty() ? "nothing left" : next)
       << "</p>\n";
  for (const Unit& unit : units) {
    html << "<h2>" << dl::HtmlEscape(unit.path) << "</h2>\n";
    if (unit.state != "graded") {
      html << "<p class=\"not\">" << dl::HtmlEscape(unit.state)
           << " (run: bazel test //" << dl::HtmlEscape(unit.path)
           << "/...)</p>\n";
    } else {
      html << "<table>\n";
      for (const Function& f : unit.functions) {
        const std::string word = grade_word(f.grade);
        const std::string css = word == "not started" ? "not" : word;
        html << "<tr><td>" << dl::HtmlEscape(f.name) << "</td><td class=\""
             << css << "\">" << word;
        if (f.grade == "CRASHED" || f.grade == "TIMED OUT") {
          html << " (" << f.grade << ")";
        }
        html << "</td></tr>\n";
      }
      html << "</table>\n";
    }
    const std::string name = fs::path(unit.path).filename().string();
    std::vector<std::string> pictures;
    if (fs::is_directory(out_dir / name)) {
      for (const auto& entry : fs::directory_iterator(out_dir / name)) {
        const std::string ext = entry.path().extension().string();
        if (ext == ".png" || ext == ".svg") {
          pictures.push_back(entry.path().filename().string());
        }
      }
    }
    std::sort(pictures.begin(), pictures.end());
    for (const std::string& picture : pictures) {
      const std::string src = dl::HtmlEscape(name + "/" + picture);
      html << "<a href=\"" << src << "\"><img src=\"" << src << "\" alt=\""
           << src << "\" title=\"" << src << "\"></a>\n";
    }
  }
  html << "</body></html>\n";
  return static_cast<bool>(html);
}

}  // namespace

int main(int argc, char** argv) {
  bool html = false;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--html") {
      html = true;
    } else {
      std::fprintf(stderr, "usage: bazel run //tools:progress [-- --html]\n");
      return 2;
    }
  }
  const char* ws = std::getenv("BUILD_WORKSPACE_DIRECTORY");
  const fs::path workspace = ws ? ws : ".";
  if (!fs::exists(workspace / "WORKSPACE")) {
    std::fprintf(stderr,
                 "error: run it with `bazel run //tools:progress` from the "
                 "repository\n");
    return 2;
  }
  int done = 0, total = 0;
  std::string next;
  std::vector<Unit> units;
  for (const std::string& path : find_units(workspace)) {
    units.push_back(read_unit(workspace, path));
    const Unit& unit = units.back();
    int unit_done = 0;
    for (const Function& f : unit.functions) unit_done += f.grade == "PASS";
    const int n = static_cast<int>(unit.functions.size());
    total += n;
    if (unit.state != "graded") {
      // Every function counts from the start, as not started.
      std::printf("%-36s [..........] 0 of %d, %s (run: bazel test //%s/...)\n",
                  path.c_str(), n, unit.state.c_str(), path.c_str());
      if (next.empty() && n > 0) {
        next = path + ": " + unit.functions.front().name;
      }
      continue;
    }
    done += unit_done;
    std::string bar(10, '.');
    for (int i = 0; i < (n ? unit_done * 10 / n : 0); ++i) bar[i] = '#';
    std::printf("%-36s [%s] %d of %d\n", path.c_str(), bar.c_str(), unit_done,
                n);
    for (const Function& f : unit.functions) {
      const char* word = grade_word(f.grade);
      std::printf("    %-28s %s%s\n", f.name.c_str(), word,
                  (f.grade == "CRASHED" || f.grade == "TIMED OUT")
                      ? (" (" + f.grade + ")").c_str()
                      : "");
      if (next.empty() && f.grade != "PASS") next = path + ": " + f.name;
    }
  }
  std::printf("\n%d of %d graded functions done", done, total);
  if (total > 0) std::printf(" (%d %%)", 100 * done / total);
  std::printf(".\n");
  if (!next.empty()) std::printf("Next: %s\n", next.c_str());
  if (html) {
    fs::path written;
    if (!write_html(workspace, units, done, total, next, &written)) {
      std::fprintf(stderr, "error: cannot write %s\n", written.c_str());
      return 1;
    }
    std::printf("Report: %s\n", written.c_str());
  }
  return 0;
}
