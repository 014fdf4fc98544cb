// The grader's main(): runs every test of a unit's grading test in its own
// process (fork), so that a crash or an endless loop in one graded function
// cannot hide the grades of the others, then prints the score table.
//
//   Grading course1_nn/logistic_regression (exercise.cc)
//   [NOT IMPLEMENTED] optimize: write it in course1_nn/.../exercise.cc
//   [FAIL] propagate (CourseExample)
//       propagate: grads.dw has shape (2, 3), expected (2, 1). ...
//   Score
//     sigmoid                PASS
//     propagate              FAIL             1 of 4 checks pass
//   ...
//
// The process exits 0 when every check passes, 1 otherwise. The JUnit XML
// Bazel asks for (XML_OUTPUT_FILE) gets one <testcase> per check, with the
// graded function and its grade as attributes.
//
// Environment: DL_GRADE_TIMEOUT_SECONDS (default 10) bounds each check.

#include <fnmatch.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "common/grading/grading_channel.h"
#include "common/grading/not_implemented.h"
#include "gtest/gtest.h"

namespace dl {
namespace grading {
namespace internal {
namespace {

double now_seconds() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

}  // namespace

namespace {

// Google Test's own wording around a failed check, which a learner does not
// need:
//   EXPECT_TRUE(Near(...)) gives
//     "Value of: Near(...)\n  Actual: false (MESSAGE)\nExpected: true"
//   EXPECT_TRUE(cond) << "CUSTOM" gives
//     "Value of: cond\n  Actual: false\nExpected: true\nCUSTOM"
//   EXPECT_EQ(a, b) << "CUSTOM" gives
//     "Expected equality of these values:\n  a\n    Which is: 3\n  b\n"
//     "    Which is: 4\nCUSTOM"
// Returns MESSAGE and CUSTOM; for a bare condition, what was checked.
std::string without_gtest_wording(const std::string& message) {
  if (message.rfind("Value of: ", 0) == 0) {
    const std::string expected = "\nExpected: ";
    const size_t at = message.rfind(expected);
    if (at == std::string::npos) return message;
    const size_t line_end = message.find('\n', at + 1);
    const std::string custom =
        line_end == std::string::npos ? "" : message.substr(line_end + 1);
    const std::string head = message.substr(0, at);
    const std::string open = "\n  Actual: false (";
    const size_t result = head.find(open);
    std::string out;
    if (result != std::string::npos && !head.empty() && head.back() == ')') {
      const size_t begin = result + open.size();
      out = head.substr(begin, head.size() - 1 - begin);
    }
    if (!custom.empty()) out += (out.empty() ? "" : "\n") + custom;
    if (out.empty()) {
      out = "the check `" + head.substr(10, head.find('\n') - 10) + "` failed";
    }
    return out;
  }
  if (message.rfind("Expected equality of these values:\n", 0) == 0) {
    // Two expressions, each "  expr" and maybe "    Which is: value".
    std::vector<std::string> sides;
    std::string custom;
    size_t start = message.find('\n') + 1;
    while (start < message.size()) {
      size_t end = message.find('\n', start);
      if (end == std::string::npos) end = message.size();
      const std::string line = message.substr(start, end - start);
      if (line.rfind("    Which is: ", 0) == 0 && !sides.empty()) {
        sides.back() += " is " + line.substr(14);
      } else if (line.rfind("  ", 0) == 0 && sides.size() < 2 &&
                 custom.empty()) {
        sides.push_back("`" + line.substr(2) + "`");
      } else {
        custom += (custom.empty() ? "" : "\n") + line;
      }
      start = end + 1;
    }
    std::string out = custom;
    if (sides.size() == 2) {
      out += (out.empty() ? "" : "\n    ") + sides[0] + ", but " + sides[1];
    }
    return out.empty() ? message : out;
  }
  return message;
}

// In a test process: forwards each failed check's message and the result.
class ChannelListener : public testing::EmptyTestEventListener {
  void OnTestPartResult(const testing::TestPartResult& part) override {
    if (part.failed()) {
      std::string message = without_gtest_wording(part.message());
      // ADD_FAILURE() starts its message with "Failed\n".
      if (message.rfind("Failed\n", 0) == 0) message.erase(0, 7);
      // Our own helpers name the function; other assertions get a location.
      if (part.file_name() != nullptr &&
          std::strstr(part.file_name(), "common/grading") == nullptr &&
          message.find(':') == std::string::npos) {
        message += std::string(" (") + part.file_name() + ":" +
                   std::to_string(part.line_number()) + ")";
      }
      SendRecord(kRecordMessage, message);
    }
  }
  void OnTestEnd(const testing::TestInfo& info) override {
    SendRecord(kRecordResult, info.result()->Passed() ? "pass" : "fail");
  }
};

enum class Grade {
  kPass,
  kFail,
  kNotImplemented,
  kCrash,
  kTimeout,
  kDoesNotCompile,  // the function, or something it needs, does not compile
};

struct CheckResult {
  std::string suite, name, function;
  Grade grade = Grade::kFail;
  std::vector<std::string> messages;
  double seconds = 0;
};

std::string decode(const std::string& s) {
  std::string out = s;
  std::replace(out.begin(), out.end(), '\x1e', '\n');
  return out;
}

// gtest's filter syntax: "POSITIVE[:POSITIVE...][-NEGATIVE[:NEGATIVE...]]".
bool matches_filter(const std::string& name, const std::string& filter) {
  auto any_match = [&](const std::string& patterns) {
    size_t start = 0;
    while (start <= patterns.size()) {
      size_t end = patterns.find(':', start);
      if (end == std::string::npos) end = patterns.size();
      const std::string p = patterns.substr(start, end - start);
      if (!p.empty() && fnmatch(p.c_str(), name.c_str(), 0) == 0) return true;
      start = end + 1;
    }
    return false;
  };
  const size_t dash = filter.find('-');
  const std::string positive =
      dash == std::string::npos ? filter : filter.substr(0, dash);
  const std::string negative =
      dash == std::string::npos ? "" : filter.substr(dash + 1);
  if (!positive.empty() && !any_match(positive)) return false;
  return !any_match(negative);
}

std::string signal_words(int sig) {
  switch (sig) {
    case SIGSEGV:
      return "SIGSEGV, a memory error: reading or writing outside an array "
             "(raw pointers, .data(), an unchecked index)?";
    case SIGFPE:
      return "SIGFPE, an arithmetic error: an integer division by zero?";
    case SIGABRT:
      return "SIGABRT, the program aborted: a failed assert or an uncaught "
             "exception?";
    case SIGBUS:
      return "SIGBUS, a memory error";
    case SIGKILL:
      return "SIGKILL: out of memory?";
    default:
      return std::string("signal ") + std::to_string(sig) + " (" +
             strsignal(sig) + ")";
  }
}

// Runs one test in a child process and collects what it reports.
CheckResult run_in_child(const std::string& suite, const std::string& name,
                         double timeout_seconds) {
  CheckResult r;
  r.suite = suite;
  r.name = name;
  r.function = suite;
  int fds[2];
  if (pipe(fds) != 0) {
    r.messages.push_back("grader: pipe() failed");
    return r;
  }
  std::fflush(stdout);
  std::fflush(stderr);
  const double start = now_seconds();
  const pid_t pid = fork();
  if (pid < 0) {
    r.messages.push_back("grader: fork() failed");
    close(fds[0]);
    close(fds[1]);
    return r;
  }
  if (pid == 0) {
    close(fds[0]);
    SetChannel(fds[1]);
    testing::TestEventListeners& listeners =
        testing::UnitTest::GetInstance()->listeners();
    delete listeners.Release(listeners.default_result_printer());
    delete listeners.Release(listeners.default_xml_generator());
    listeners.Append(new ChannelListener);
    GTEST_FLAG_SET(filter, suite + "." + name);
    const int ignored = RUN_ALL_TESTS();  // results travel on the channel
    (void)ignored;
    std::fflush(stdout);
    std::fflush(stderr);
    _exit(0);
  }
  close(fds[1]);

  std::string buffer;
  bool have_result = false, passed = false, timed_out = false;
  std::vector<std::string> not_implemented, broken;
  const double deadline = start + timeout_seconds;
  for (;;) {
    const double left = deadline - now_seconds();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    const int ready = poll(&p, 1, static_cast<int>(left * 1000) + 1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;  // the deadline check above ends the loop
    char chunk[4096];
    const ssize_t n = read(fds[0], chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the child closed the pipe: it has finished
    buffer.append(chunk, static_cast<size_t>(n));
    size_t newline;
    while ((newline = buffer.find('\n')) != std::string::npos) {
      const std::string line = buffer.substr(0, newline);
      buffer.erase(0, newline + 1);
      if (line.size() < 2) continue;
      const char type = line[0];
      const std::string payload = decode(line.substr(2));
      if (type == kRecordFunction) r.function = payload;
      if (type == kRecordNotImplemented) not_implemented.push_back(payload);
      if (type == kRecordDoesNotCompile) broken.push_back(payload);
      if (type == kRecordMessage) r.messages.push_back(payload);
      if (type == kRecordResult) {
        have_result = true;
        passed = payload == "pass";
      }
    }
  }
  close(fds[0]);
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.seconds = now_seconds() - start;

  if (timed_out) {
    r.grade = Grade::kTimeout;
    char secs[32];
    std::snprintf(secs, sizeof secs, "%g", timeout_seconds);
    r.messages.push_back(r.function + " did not finish within " + secs +
                         " s: an endless loop? (the check was stopped)");
  } else if (WIFSIGNALED(status)) {
    r.grade = Grade::kCrash;
    r.messages.push_back(r.function + " crashed with " +
                         signal_words(WTERMSIG(status)));
  } else if (!have_result) {
    r.grade = Grade::kCrash;
    r.messages.push_back(
        r.function + " ended the program before the check finished (exit " +
        "code " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
        "): is there an exit() or abort() in it?");
  } else if (std::find(broken.begin(), broken.end(), r.function) !=
             broken.end()) {
    r.grade = Grade::kDoesNotCompile;
  } else if (std::find(not_implemented.begin(), not_implemented.end(),
                       r.function) != not_implemented.end()) {
    r.grade = Grade::kNotImplemented;
  } else {
    r.grade = passed ? Grade::kPass : Grade::kFail;
  }
  return r;
}

// A function's grade is the worst of its checks' grades.
int severity(Grade g) {
  switch (g) {
    case Grade::kPass:
      return 0;
    case Grade::kFail:
      return 1;
    case Grade::kCrash:
    case Grade::kTimeout:
      return 2;
    case Grade::kNotImplemented:
      return 3;
    case Grade::kDoesNotCompile:
      return 4;
  }
  return 1;
}

const char* grade_word(Grade g) {
  switch (g) {
    case Grade::kPass:
      return "PASS";
    case Grade::kFail:
      return "FAIL";
    case Grade::kNotImplemented:
      return "NOT IMPLEMENTED";
    case Grade::kCrash:
      return "CRASHED";
    case Grade::kTimeout:
      return "TIMED OUT";
    case Grade::kDoesNotCompile:
      return "DOES NOT COMPILE";
  }
  return "?";
}

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
          out += ' ';
        } else {
          out += c;
        }
    }
  }
  return out;
}

void write_xml(const std::string& path, const std::string& unit,
               const std::vector<CheckResult>& results) {
  std::ofstream xml(path);
  if (!xml) return;
  int failures = 0;
  for (const auto& r : results) failures += r.grade != Grade::kPass;
  xml << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuites name=\"" << xml_escape(unit) << "\" graded=\""
      << xml_escape(GradedFile()) << "\" tests=\"" << results.size()
      << "\" failures=\"" << failures << "\">\n"
      << "  <testsuite name=\"" << xml_escape(unit) << "\" tests=\""
      << results.size() << "\" failures=\"" << failures << "\">\n";
  for (const auto& r : results) {
    xml << "    <testcase classname=\"" << xml_escape(r.suite) << "\" name=\""
        << xml_escape(r.name) << "\" function=\"" << xml_escape(r.function)
        << "\" grade=\"" << grade_word(r.grade) << "\" time=\"" << r.seconds
        << "\"";
    if (r.grade == Grade::kPass) {
      xml << "/>\n";
      continue;
    }
    std::string text;
    for (const auto& m : r.messages) text += m + "\n";
    xml << ">\n      <failure message=\"" << grade_word(r.grade) << "\">"
        << xml_escape(text) << "</failure>\n    </testcase>\n";
  }
  xml << "  </testsuite>\n</testsuites>\n";
}

void print_indented(const std::string& text) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::printf("    %s\n", text.substr(start, end - start).c_str());
    start = end + 1;
  }
}

const CompileError* compile_error_of(const std::string& function) {
  for (const CompileError& e : compile_errors()) {
    if (e.function == function) return &e;
  }
  return nullptr;
}

// "//course1_nn/logistic_regression:logistic_regression_test" ->
// "course1_nn/logistic_regression".
std::string unit_path() {
  const char* target = std::getenv("TEST_TARGET");
  if (target == nullptr) return "";
  std::string t = target;
  if (t.rfind("//", 0) == 0) t = t.substr(2);
  const size_t colon = t.find(':');
  return colon == std::string::npos ? t : t.substr(0, colon);
}

int run_grader() {
  const testing::UnitTest& unit_test = *testing::UnitTest::GetInstance();
  const std::string filter = GTEST_FLAG_GET(filter);
  const std::string unit = unit_path();
  const std::string file =
      unit.empty() ? GradedFile() : unit + "/" + GradedFile();

  double per_check = 10;
  if (const char* t = std::getenv("DL_GRADE_TIMEOUT_SECONDS")) {
    per_check = std::max(0.1, std::atof(t));
  }
  // Stay inside Bazel's own timeout for the whole test, with a margin.
  double deadline = 1e300;
  if (const char* t = std::getenv("TEST_TIMEOUT")) {
    deadline = now_seconds() + std::max(1.0, std::atof(t) - 3);
  }

  std::printf("Grading %s\n\n", file.c_str());
  // What does not compile, in plain words (tools/compile_exercise).
  const std::string compile_report = CompileErrorsReport();
  if (!compile_report.empty()) std::printf("%s\n", compile_report.c_str());
  std::vector<CheckResult> results;
  std::vector<std::string> skipped;
  for (int i = 0; i < unit_test.total_test_suite_count(); ++i) {
    const testing::TestSuite& suite = *unit_test.GetTestSuite(i);
    for (int j = 0; j < suite.total_test_count(); ++j) {
      const testing::TestInfo& info = *suite.GetTestInfo(j);
      const std::string full = std::string(suite.name()) + "." + info.name();
      if (!matches_filter(full, filter)) continue;
      const double left = deadline - now_seconds();
      if (left < 0.5) {
        skipped.push_back(full);
        continue;
      }
      results.push_back(
          run_in_child(suite.name(), info.name(), std::min(per_check, left)));
    }
  }

  // The graded functions, in test order, with their checks.
  std::vector<std::string> order;
  std::map<std::string, std::vector<const CheckResult*>> by_function;
  for (const CheckResult& r : results) {
    if (by_function.find(r.function) == by_function.end()) {
      order.push_back(r.function);
    }
    by_function[r.function].push_back(&r);
  }

  // What went wrong, function by function: each message once, at most
  // kMaxMessages per check.
  constexpr size_t kMaxMessages = 2;
  for (const std::string& f : order) {
    std::vector<std::string> said;
    for (const CheckResult* r : by_function[f]) {
      if (r->grade == Grade::kPass) continue;
      // The score table lists what is not implemented yet; what does not
      // compile is explained before the table.
      if (r->grade == Grade::kNotImplemented) continue;
      if (r->grade == Grade::kDoesNotCompile) continue;
      std::vector<std::string> fresh;
      for (const std::string& m : r->messages) {
        if (std::find(said.begin(), said.end(), m) == said.end()) {
          fresh.push_back(m);
        }
      }
      if (fresh.empty()) continue;
      std::printf("[%s] %s (%s.%s)\n", grade_word(r->grade), f.c_str(),
                  r->suite.c_str(), r->name.c_str());
      for (size_t i = 0; i < fresh.size() && i < kMaxMessages; ++i) {
        print_indented(fresh[i]);
        said.push_back(fresh[i]);
      }
      if (fresh.size() > kMaxMessages) {
        std::printf("    (and %zu more failed comparisons in this check)\n",
                    fresh.size() - kMaxMessages);
      }
    }
  }

  // The score table.
  size_t width = 8;
  for (const auto& f : order) width = std::max(width, f.size());
  std::printf("\nScore (%s)\n", file.c_str());
  int passing = 0;
  std::string next, first_broken;
  for (const std::string& f : order) {
    const auto& checks = by_function[f];
    int pass = 0;
    Grade worst = Grade::kPass;
    for (const CheckResult* r : checks) {
      if (r->grade == Grade::kPass) ++pass;
      if (severity(r->grade) > severity(worst)) worst = r->grade;
    }
    if (worst == Grade::kPass) {
      ++passing;
    } else if (next.empty()) {
      next = f;
    }
    if (worst == Grade::kDoesNotCompile) {
      const CompileError* e = compile_error_of(f);
      if (e != nullptr && e->kind == "blocked") {
        std::printf("  %-*s  %-16s  it uses code that does not compile\n",
                    static_cast<int>(width), f.c_str(), "NOT GRADED");
      } else {
        std::printf("  %-*s  %-16s  %s\n", static_cast<int>(width), f.c_str(),
                    grade_word(worst),
                    e != nullptr ? ShortWhere(e->where).c_str() : "");
      }
      if (first_broken.empty()) first_broken = f;
      continue;
    }
    std::printf("  %-*s  %-16s", static_cast<int>(width), f.c_str(),
                grade_word(worst));
    if (worst != Grade::kNotImplemented) {
      std::printf("  %d of %zu checks pass", pass, checks.size());
    }
    std::printf("\n");
  }
  std::printf("\n%d of %zu functions pass.\n", passing, order.size());
  // Even when every function passes, a file that does not compile as
  // written is not done.
  const bool compiles = compile_errors().empty();
  if (!compiles && first_broken.empty()) {
    std::printf(
        "But %s does not compile as written (see above): fix that "
        "too.\n",
        file.c_str());
  }
  if (!skipped.empty()) {
    std::printf("%zu checks did not run: the unit ran out of time.\n",
                skipped.size());
  }
  if (!first_broken.empty()) {
    std::printf(
        "Next: make %s compile (its message is above).\n"
        "Edit %s, then run: bazel test //%s/...\n",
        first_broken.c_str(), file.c_str(), unit.c_str());
  } else if (!next.empty() && !unit.empty()) {
    const std::string unit_name = unit.substr(unit.rfind('/') + 1);
    std::printf(
        "Next: %s. The lesson is in %s/README.md.\n"
        "Stuck? bazel run //tools:hint -- %s:%s\n"
        "Edit %s, then run: bazel test //%s/...\n",
        next.c_str(), unit.c_str(), unit_name.c_str(), next.c_str(),
        file.c_str(), unit.c_str());
  } else if (!next.empty()) {
    std::printf("Next: %s.\n", next.c_str());
  }

  if (const char* xml = std::getenv("XML_OUTPUT_FILE")) {
    write_xml(xml, unit, results);
  }
  std::fflush(stdout);
  return (passing == static_cast<int>(order.size()) && skipped.empty() &&
          compiles)
             ? 0
             : 1;
}

}  // namespace
}  // namespace internal
}  // namespace grading
}  // namespace dl

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  if (GTEST_FLAG_GET(list_tests)) return RUN_ALL_TESTS();
  return dl::grading::internal::run_grader();
}
