// tools/compile_exercise: compiles a learner's exercise.cc so that a compile
// error becomes a grade instead of a failed build (see exercise.bzl).
//
// Split mode: one "slot" file per graded function: the preamble (the lines
// before the first function), every helper and declaration, and the slot's
// own graded function, each part numbered from its own first line
// (#line 1 "<unit>/exercise.cc@<part>"), so that editing one function leaves
// every other slot byte for byte the same; and parts.cc, which registers
// where each part starts (common/core/source_lines.h):
//   compile_exercise --split --source=<unit>/exercise.cc
//       --header=<unit>/<unit>.h --namespace=<unit> --compiled=<parts.cc>
//       -- <slot files...>
//
// Merge mode: the slots' compiler output in one file, with the file's line
// numbers:
//   compile_exercise --merge --source=<unit>/exercise.cc --slot=<parts.cc>
//       --compiler_output=<out.txt> -- <slot logs...>
//
// Compile mode, for one slot:
//   compile_exercise --source=<unit>/exercise.cc --slot=<slot file>
//       --slot_index=I --slots=N --header=... --namespace=...
//       --compiled=<copy.cc> --compiler_output=<log.txt>
//       --shown_output=<the log's path as the learner sees it>
//       -- <the compiler's command line, compiling copy.cc>
// 1. Compiles a copy of the slot (only its #line differs: the learner's file
//    name and line numbers). If that works, that is all.
// 2. Otherwise reads the compiler's errors, finds the part of the file each
//    one is in, and compiles the copy again with each broken graded function
//    replaced by a stand-in, `return dl::does_not_compile("f");`, and a
//    broken helper, #include or declaration left out. Repeats while new
//    errors appear (an error can hide others), at most a few rounds.
// 3. The copy registers, for the grader and the training programs, each
//    error in plain words (explain.h) and the functions it blocks.
// 4. When nothing else works: a copy with a stand-in for every graded
//    function of the slot, each "not graded" with the reason.
// The learner's exercise.cc is only ever read. Exit code 0 whenever an
// object file was made.

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tools/compile_exercise/diagnostics.h"
#include "tools/compile_exercise/explain.h"
#include "tools/compile_exercise/source_map.h"

namespace compile_exercise {
namespace {

struct Flags {
  bool split = false, merge = false;
  std::string source, slot, header, ns, compiler_output, shown_output, compiled;
  int slot_index = 0, slots = 1;
  std::vector<std::string> command;  // or, with --split, the slot files
};

bool read_file(const std::string& path, std::string& text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream buffer;
  buffer << in.rdbuf();
  text = buffer.str();
  return true;
}

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

// Runs the command; its stdout and stderr together in `output`.
int run(const std::vector<std::string>& command, std::string& output) {
  int fds[2];
  if (pipe(fds) != 0) return -1;
  const pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    // The compiler's quotes as ‘x’ (explain.cc reads them), whatever the
    // build's locale.
    setenv("LC_ALL", "C.UTF-8", 1);
    // Debug line tables name files as Bazel's own compiles do
    // ("/proc/self/cwd/<path>", not the sandbox's folder), so that runtime
    // messages find the learner's line (common/core/eigen.h, SourceLineOf).
    setenv("PWD", "/proc/self/cwd", 1);
    dup2(fds[1], 1);
    dup2(fds[1], 2);
    close(fds[0]);
    close(fds[1]);
    std::vector<char*> argv;
    for (const auto& a : command) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    std::fprintf(stderr, "compile_exercise: cannot run %s: %s\n", argv[0],
                 std::strerror(errno));
    _exit(127);
  }
  close(fds[1]);
  char buffer[65536];
  ssize_t n;
  while ((n = read(fds[0], buffer, sizeof buffer)) != 0) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    output.append(buffer, static_cast<size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

std::string c_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += ' ';
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

struct Entry {
  std::string function, kind, where, message;
  int line = 0;
};

// "Matrix sigmoid(const Matrix& z)" -> "auto ns::sigmoid(const Matrix& z)
// -> Matrix": valid both inside namespace ns and outside it, wherever the
// learner's definition was.
std::string stand_in(const Declaration& d, const std::string& ns) {
  const size_t at = d.text.find(d.name + "(");
  std::string result = d.text.substr(0, at);
  while (!result.empty() && result.back() == ' ') result.pop_back();
  const std::string params = d.text.substr(at + d.name.size());
  return "auto " + ns + "::" + d.name + params + " -> " + result +
         " { return dl::does_not_compile(\"" + d.name + "\"); }";
}

// A slot with no graded function in it.
const char kEmptySlot[] = "// No graded function in this part.\n";

// Which graded functions go to slot `slot`: the i-th declaration of the
// header goes to slot i % slots.
std::vector<Declaration> SlotDeclarations(const std::vector<Declaration>& all,
                                          int slot, int slots) {
  std::vector<Declaration> mine;
  for (size_t i = 0; i < all.size(); ++i) {
    if (static_cast<int>(i) % slots == slot) mine.push_back(all[i]);
  }
  return mine;
}

// Where each part of the file starts: the preamble (everything before the
// first function) keeps the file's numbering; from the first function on,
// every part is numbered from its own first line, under a name of its own
// ("<source>@sigmoid"), so that a line added to one function changes no
// other slot (common/core/source_lines.h).
struct SlotPart {
  std::string key;  // "" for the preamble
  int part = -1;    // index in the map, -1 for the preamble
  int first_line = 1;
};

std::vector<SlotPart> PartsOf(const SourceMap& map) {
  std::vector<SlotPart> out;
  size_t first_function = map.parts.size();
  for (size_t p = 0; p < map.parts.size(); ++p) {
    if (map.parts[p].kind == PartKind::kFunction) {
      first_function = p;
      break;
    }
  }
  out.push_back(SlotPart{"", -1, 1});
  std::map<std::string, int> seen;
  int unnamed = 0;
  for (size_t p = first_function; p < map.parts.size(); ++p) {
    const Part& part = map.parts[p];
    std::string key = part.kind == PartKind::kFunction
                          ? part.name
                          : "part" + std::to_string(++unnamed);
    if (++seen[key] > 1) key += "~" + std::to_string(seen[key]);
    out.push_back(SlotPart{key, static_cast<int>(p), part.first_line});
  }
  return out;
}

// The lines before the first function.
int PreambleEnd(const SourceMap& map, const std::vector<SlotPart>& parts) {
  return parts.size() > 1 ? parts[1].first_line - 1
                          : static_cast<int>(map.lines.size());
}

std::string LineDirective(const std::string& source, const std::string& key) {
  return "#line 1 " + c_string(key.empty() ? source : source + "@" + key) +
         "\n";
}

// Helpers and variables are compiled in every slot: `inline` makes the
// copies one definition. It goes on a line of its own before the part's
// #line, so that the learner's lines and columns stay as they are.
bool NeedsInline(const std::string& first) {
  const size_t at = first.find_first_not_of(" \t");
  if (at == std::string::npos) return false;
  size_t end = at;
  while (end < first.size() &&
         (std::isalnum(static_cast<unsigned char>(first[end])) ||
          first[end] == '_')) {
    ++end;
  }
  const std::string word = first.substr(at, end - at);
  static const char* const kKeep[] = {
      "static",        "inline",  "template", "constexpr", "consteval",
      "const",         "struct",  "class",    "union",     "enum",
      "using",         "typedef", "extern",   "typename",  "namespace",
      "static_assert", "friend",  ""};
  for (const char* k : kKeep) {
    if (word == k) return false;
  }
  return true;
}

// The slot's text: the preamble, then every part but the graded functions of
// other slots, each under its #line.
std::string SlotText(const SourceMap& map, const std::vector<SlotPart>& parts,
                     const std::vector<Declaration>& mine,
                     const std::vector<Declaration>& all,
                     const std::string& source) {
  auto in = [](const std::vector<Declaration>& list, const std::string& n) {
    for (const auto& d : list) {
      if (d.name == n) return true;
    }
    return false;
  };
  std::string out = LineDirective(source, "");
  for (int l = 1; l <= PreambleEnd(map, parts); ++l) {
    out += map.lines[l - 1] + "\n";
  }
  for (size_t i = 1; i < parts.size(); ++i) {
    const Part& part = map.parts[parts[i].part];
    const bool graded = part.kind == PartKind::kFunction && in(all, part.name);
    if (graded && !in(mine, part.name)) continue;
    const bool shared = !graded && (part.kind == PartKind::kFunction ||
                                    part.kind == PartKind::kDeclaration);
    if (shared && NeedsInline(map.lines[part.first_line - 1])) {
      out += "inline\n";
    }
    out += LineDirective(source, parts[i].key);
    for (int l = part.first_line; l <= part.last_line; ++l) {
      out += map.lines[l - 1] + "\n";
    }
  }
  return out;
}

// The generated registration of the parts' first lines (source_lines.h).
std::string PartsRegistration(const std::vector<SlotPart>& parts,
                              const std::string& source) {
  std::string out = "// Generated by tools/compile_exercise from " + source +
                    ": where each part of it starts.\n#include "
                    "\"common/core/source_lines.h\"\n"
                    "namespace {\nconst bool dl_source_parts_registered = "
                    "dl::RegisterSourceParts(\n    " +
                    c_string(source) + ", {\n";
  for (size_t i = 1; i < parts.size(); ++i) {
    out += "        {" + c_string(parts[i].key) + ", " +
           std::to_string(parts[i].first_line) + "},\n";
  }
  return out + "    });\n}  // namespace\n";
}

// Split mode: the slot files (f.command), then the parts' registration
// (f.compiled).
int Split(const Flags& f) {
  std::string text, header;
  if (!read_file(f.source, text) || !read_file(f.header, header)) {
    std::fprintf(stderr, "compile_exercise: cannot read %s or %s\n",
                 f.source.c_str(), f.header.c_str());
    return 1;
  }
  const std::vector<Declaration> all = GradedDeclarations(header, f.ns);
  const SourceMap map = MapSource(text);
  const std::vector<SlotPart> parts = PartsOf(map);
  const int slots = static_cast<int>(f.command.size());
  for (int i = 0; i < slots; ++i) {
    const std::vector<Declaration> mine = SlotDeclarations(all, i, slots);
    const std::string slot =
        mine.empty() ? kEmptySlot : SlotText(map, parts, mine, all, f.source);
    if (!write_file(f.command[i], slot)) {
      std::fprintf(stderr, "compile_exercise: cannot write %s\n",
                   f.command[i].c_str());
      return 1;
    }
  }
  if (!write_file(f.compiled, PartsRegistration(parts, f.source))) return 1;
  return 0;
}

// Merge mode: the slots' compiler output in one file, with the file's own
// line numbers (f.slot: the parts' registration the split wrote).
int Merge(const Flags& f) {
  std::string registration;
  if (!read_file(f.slot, registration)) return 1;
  std::map<std::string, int> first;  // "<source>@key" -> first line
  for (size_t at = registration.find("{\""); at != std::string::npos;
       at = registration.find("{\"", at + 1)) {
    const size_t end = registration.find('"', at + 2);
    const std::string key = registration.substr(at + 2, end - at - 2);
    first[f.source + "@" + key] =
        std::atoi(registration.c_str() + registration.find(',', end) + 1);
  }
  std::string out;
  for (const std::string& log : f.command) {
    std::string text;
    if (!read_file(log, text)) continue;
    // "<source>@key:N" -> "<source>:M"
    for (size_t at = text.find(f.source + "@"); at != std::string::npos;
         at = text.find(f.source + "@", at)) {
      const size_t colon = text.find(':', at);
      if (colon == std::string::npos) break;
      const auto it = first.find(text.substr(at, colon - at));
      if (it == first.end() ||
          !std::isdigit(static_cast<unsigned char>(text[colon + 1]))) {
        at = colon;
        continue;
      }
      size_t end = colon + 1;
      while (end < text.size() &&
             std::isdigit(static_cast<unsigned char>(text[end]))) {
        ++end;
      }
      const int line = it->second + std::atoi(text.c_str() + colon + 1) - 1;
      const std::string replacement = f.source + ":" + std::to_string(line);
      text.replace(at, end - at, replacement);
      at += replacement.size();
    }
    out += text;
  }
  return write_file(f.compiler_output, out) ? 0 : 1;
}

class Driver {
 public:
  explicit Driver(Flags flags) : f_(std::move(flags)) {}

  int Run() {
    if (!read_file(f_.slot, text_)) {
      std::fprintf(stderr, "compile_exercise: cannot read %s\n",
                   f_.slot.c_str());
      return 1;
    }
    std::string header;
    if (!read_file(f_.header, header)) {
      std::fprintf(stderr, "compile_exercise: cannot read %s\n",
                   f_.header.c_str());
      return 1;
    }
    declarations_ = SlotDeclarations(GradedDeclarations(header, f_.ns),
                                     f_.slot_index, f_.slots);
    map_ = MapSource(text_);
    action_.assign(map_.parts.size(), kKeep);
    FindSegments();
    if (text_ == kEmptySlot) {
      std::string output;
      const int status = CompileCopy(text_, "", output);
      write_file(f_.compiler_output, "");
      return status == 0 ? 0 : 1;
    }
    std::string output;
    AddMissing();
    int status = CompileCopy(Patched(), "as written", output);
    if (status == 0 && !WrongSignatures(output)) {
      // Nothing to say: the log stays empty.
      write_file(f_.compiler_output, entries_.empty() ? "" : log_);
      return 0;
    }
    for (int round = 1; round <= 4; ++round) {
      // status 0: it compiled, but a wrong signature was just replaced.
      if (status != 0 && !Classify(output, round)) break;
      output.clear();
      status = CompileCopy(Patched(), "after leaving out what does not compile",
                           output);
      if (status == 0 && !WrongSignatures(output)) return Finish();
    }
    // Last resort: a stand-in for every graded function.
    BlockEverything();
    output.clear();
    if (CompileCopy(AllStandIns(), "with every graded function left out",
                    output) == 0) {
      return Finish();
    }
    write_file(f_.compiler_output, log_);
    std::fprintf(stderr,
                 "%s does not compile, and neither does a copy "
                 "without its functions:\n%s\nThe compiler's whole message: "
                 "%s\n",
                 f_.source.c_str(), Report().c_str(), f_.shown_output.c_str());
    return 1;
  }

 private:
  enum Action { kKeep, kStandIn, kLeaveOut };

  const Declaration* Graded(const std::string& name) const {
    for (const auto& d : declarations_) {
      if (d.name == name) return &d;
    }
    return nullptr;
  }

  // The slot's "#line 1" directives: from which line of the slot each part
  // starts, and its name.
  struct Segment {
    std::string key;  // "" for the preamble
    int start = 1;    // the slot's line that is the part's line 1
  };

  void FindSegments() {
    const std::string directive = "#line 1 \"";
    for (size_t l = 0; l < map_.lines.size(); ++l) {
      const std::string& s = map_.lines[l];
      if (s.compare(0, directive.size(), directive) != 0) continue;
      const std::string name =
          s.substr(directive.size(), s.rfind('"') - directive.size());
      const size_t at = name.find('@');
      segments_.push_back(
          Segment{at == std::string::npos ? "" : name.substr(at + 1),
                  static_cast<int>(l) + 2});
    }
  }

  const Segment* SegmentAt(int slot_line) const {
    const Segment* found = nullptr;
    for (const Segment& s : segments_) {
      if (s.start <= slot_line) found = &s;
    }
    return found;
  }

  // The slot's line of line `n` of the part the compiler named `file`.
  int SlotLine(const std::string& file, int n) const {
    const size_t at = file.find('@');
    const std::string key = at == std::string::npos ? "" : file.substr(at + 1);
    for (const Segment& s : segments_) {
      if (s.key == key) return s.start + n - 1;
    }
    return 0;
  }

  // "<source>@sigmoid:3" (resolved when the grader prints it) or
  // "<source>:12" in the preamble.
  std::string Where(int slot_line, int column) const {
    const Segment* s = SegmentAt(slot_line);
    std::string w =
        s == nullptr ? f_.source
                     : (s->key.empty() ? f_.source : f_.source + "@" + s->key) +
                           ":" + std::to_string(slot_line - s->start + 1);
    if (s != nullptr && column > 0) w += ":" + std::to_string(column);
    return w;
  }

  // The line of a { that a } with another indentation closes: in clang-format
  // layout, the { whose own } is missing. 0 when there is none.
  int UnclosedBraceLine(const Part& part) const {
    std::string text;
    for (int l = part.first_line; l <= part.last_line; ++l) {
      text += map_.lines[l - 1] + "\n";
    }
    const std::string code = CodeOnly(text);
    std::vector<int> open;  // lines of the open braces
    int line = part.first_line;
    size_t line_start = 0;
    auto indent = [&](int l) {
      const std::string& s = map_.lines[l - 1];
      return s.find_first_not_of(" \t");
    };
    for (size_t i = 0; i < code.size(); ++i) {
      const char c = code[i];
      if (c == '\n') {
        ++line;
        line_start = i + 1;
      } else if (c == '{') {
        open.push_back(line);
      } else if (c == '}' && !open.empty()) {
        const int from = open.back();
        open.pop_back();
        const bool first_on_line =
            code.find_first_not_of(" \t", line_start) == i;
        if (first_on_line && indent(from) != i - line_start) return from;
      }
    }
    return 0;
  }

  // A part's first line of the learner's: after the "inline" and the #line
  // the split put before it.
  int FirstLine(const Part& part) const {
    int l = part.first_line;
    while (l < part.last_line && (map_.lines[l - 1] == "inline" ||
                                  map_.lines[l - 1].rfind("#line ", 0) == 0)) {
      ++l;
    }
    return l;
  }

  // The number shown in a source picture.
  std::string Label(int slot_line) const {
    const Segment* s = SegmentAt(slot_line);
    if (s == nullptr) return "     ";
    const int n = slot_line - s->start + 1;
    if (s->key.empty()) {
      char number[16];
      std::snprintf(number, sizeof number, "%5d", n);
      return number;
    }
    return "<<" + f_.source + "@" + s->key + ":" + std::to_string(n) + ">>";
  }

  std::string Describe(Diagnostic d) const {
    return compile_exercise::Describe(d, map_.lines,
                                      [this](int line) { return Label(line); });
  }

  // Adds this round's errors; false when there is nothing new to leave out.
  bool Classify(const std::string& output, int round) {
    std::vector<Diagnostic> diagnostics = ParseDiagnostics(output, f_.source);
    for (Diagnostic& d : diagnostics) {
      if (d.user_line > 0) d.user_line = SlotLine(d.user_file, d.user_line);
    }
    std::map<int, std::vector<const Diagnostic*>> by_part;
    std::vector<const Diagnostic*> unplaced;
    for (const Diagnostic& d : diagnostics) {
      const int p = d.user_line > 0 ? map_.PartAt(d.user_line) : -1;
      if (p < 0 || map_.parts[p].kind == PartKind::kNamespace) {
        unplaced.push_back(&d);
      } else {
        by_part[p].push_back(&d);
      }
    }
    bool changed = false;
    // A brace that does not balance: the part whose own braces do not. The
    // errors after it ("expected '}' at end of input") are its echo.
    bool brace = false;
    if (round == 1 && !map_.braces_balance) {
      for (size_t p = 0; p < map_.parts.size(); ++p) {
        if (map_.parts[p].brace_balance != 0 && action_[p] == kKeep) {
          changed |= LeaveOut(static_cast<int>(p), BraceMessage(p), 0, true);
          brace = true;
        }
      }
    }
    if (brace) unplaced.clear();
    for (const auto& [p, list] : by_part) {
      if (action_[p] != kKeep) continue;
      const Diagnostic& first = *list.front();
      std::string message = Describe(first);
      if (list.size() > 1) {
        message += "\n(" + std::to_string(list.size() - 1) + " more error" +
                   (list.size() > 2 ? "s" : "") + " here: fix this one first)";
      }
      const bool blocked =
          round > 1 && !left_out_names_.empty() && BlockedByLeftOut(list);
      changed |= LeaveOut(p, message, first.user_column, false, blocked,
                          first.user_line);
    }
    for (const Diagnostic* d : unplaced) {
      // Kept for the report; nothing to leave out for them.
      if (unplaced_reported_ >= 2) break;
      Entry e;
      e.kind = "outside";
      e.line = d->user_line;
      e.where =
          d->user_line > 0 ? Where(d->user_line, d->user_column) : f_.source;
      e.message = Describe(*d);
      entries_.push_back(e);
      ++unplaced_reported_;
    }
    return changed;
  }

  std::string BraceMessage(size_t p) const {
    const Part& part = map_.parts[p];
    const int b = part.brace_balance;
    const std::string what = (part.name.empty() ? "the code" : part.name) +
                             " from " + Where(FirstLine(part), 0);
    if (b > 0) {
      std::string message = "A { has no matching } in " + what + ": " +
                            std::to_string(b) + " more { than }.";
      // Where: a { closed by a } indented differently (clang-format puts a
      // block's } under its first line).
      const int open = UnclosedBraceLine(part);
      if (open > 0) {
        message += " Probably this one:\n" + Label(open) + " | " +
                   map_.lines[open - 1];
      }
      return message +
             "\nEvery if, for and while block, and the function itself, "
             "ends with its own }.";
    }
    return "One } too many in " + what + ": " + std::to_string(-b) +
           " more } than {.\nIt closes the function (or the namespace) "
           "early.";
  }

  // New errors after something was left out: "‘helper’ was not declared"
  // means the function uses what was left out.
  bool BlockedByLeftOut(const std::vector<const Diagnostic*>& list) const {
    for (const Diagnostic* d : list) {
      for (const std::string& name : left_out_names_) {
        if (d->message.find(name) != std::string::npos) return true;
      }
      if (left_out_include_ &&
          (d->message.find("was not declared") != std::string::npos ||
           d->message.find("has not been declared") != std::string::npos ||
           d->message.find("does not name a type") != std::string::npos ||
           d->message.find("is not a member of") != std::string::npos)) {
        return true;
      }
    }
    return false;
  }

  bool LeaveOut(int p, const std::string& message, int column, bool brace,
                bool blocked = false, int line = 0) {
    const Part& part = map_.parts[p];
    if (line == 0) line = FirstLine(part);
    const Declaration* graded =
        part.kind == PartKind::kFunction ? Graded(part.name) : nullptr;
    Entry e;
    e.line = line;
    e.where = Where(line, column);
    if (brace) e.where = Where(FirstLine(part), 0);
    if (graded != nullptr) {
      action_[p] = kStandIn;
      e.function = part.name;
      e.kind = blocked ? "blocked" : "error";
      e.message = blocked ? "not graded: it uses " + LeftOutText() +
                                ", which does not compile.\nFix that first."
                          : message;
    } else {
      action_[p] = kLeaveOut;
      e.kind = "outside";
      std::string what;
      if (part.kind == PartKind::kPreprocessor) {
        what = "This line (outside the graded functions) does not compile:";
        left_out_include_ = true;
        left_out_text_.push_back("the line " + Where(FirstLine(part), 0));
      } else if (part.kind == PartKind::kFunction) {
        what = "Your helper " + part.name + " does not compile:";
        left_out_names_.push_back(part.name);
        left_out_text_.push_back("your helper " + part.name + " (" +
                                 Where(FirstLine(part), 0) + ")");
      } else {
        what = "The code from " + Where(FirstLine(part), 0) +
               " (outside the graded functions) does not compile:";
        left_out_text_.push_back("the code from " + Where(FirstLine(part), 0));
        left_out_include_ = true;  // a using, a struct: names may go missing
      }
      e.message = brace ? message : what + "\n" + message;
    }
    entries_.push_back(e);
    return true;
  }

  std::string LeftOutText() const {
    std::string s;
    for (size_t i = 0; i < left_out_text_.size(); ++i) {
      if (i > 0) s += i + 1 == left_out_text_.size() ? " or " : ", ";
      s += left_out_text_[i];
    }
    return s.empty() ? "code" : s;
  }

  void BlockEverything() {
    std::set<std::string> have;
    for (const Entry& e : entries_) {
      if (!e.function.empty()) have.insert(e.function);
    }
    for (const Declaration& d : declarations_) {
      if (have.count(d.name)) continue;
      Entry e;
      e.function = d.name;
      e.kind = "blocked";
      e.where = f_.source;
      e.message = "not graded: the rest of " + f_.source +
                  " does not compile (see above).";
      entries_.push_back(e);
    }
  }

  std::string Registration() const {
    std::vector<Entry> sorted = entries_;
    std::stable_sort(
        sorted.begin(), sorted.end(),
        [](const Entry& a, const Entry& b) { return a.line < b.line; });
    std::string s =
        "\nnamespace {\nconst bool dl_compile_errors_registered "
        "= dl::RegisterCompileErrors({\n";
    for (const Entry& e : sorted) {
      s += "    {" + c_string(e.function) + ", " + c_string(e.kind) + ", " +
           c_string(e.where) + ", " + c_string(e.message) + "},\n";
    }
    s += "  }, " + c_string(f_.shown_output) + ");\n}  // namespace\n";
    return s;
  }

  // The learner's file with the broken parts replaced, line for line.
  std::string Patched() const {
    std::string out = "#include \"common/grading/not_implemented.h\"\n";
    std::vector<std::string> lines = map_.lines;
    for (size_t p = 0; p < map_.parts.size(); ++p) {
      if (action_[p] == kKeep) continue;
      const Part& part = map_.parts[p];
      for (int l = part.first_line; l <= part.last_line; ++l) lines[l - 1] = "";
      if (action_[p] == kStandIn) {
        lines[part.first_line - 1] = stand_in(*Graded(part.name), f_.ns);
      }
    }
    for (const std::string& l : lines) out += l + "\n";
    for (const Declaration& d : missing_) out += stand_in(d, f_.ns) + "\n";
    return out + (entries_.empty() ? "" : Registration());
  }

  // Graded functions of this slot that exercise.cc does not define at all.
  void AddMissing() {
    for (const Declaration& d : declarations_) {
      bool found = false;
      for (const Part& p : map_.parts) {
        found = found || (p.kind == PartKind::kFunction && p.name == d.name);
      }
      if (found) continue;
      missing_.push_back(d);
      Entry e;
      e.function = d.name;
      e.kind = "error";
      e.where = f_.source;
      e.message = d.name + " is not in " + f_.source +
                  " (deleted, or renamed?). The header declares it as\n  " +
                  d.text +
                  "\nCopy that line back (or reset the unit: bazel "
                  "run //tools:reset) and write its body.";
      entries_.push_back(e);
    }
  }

  // A graded function defined with other parameter types than the header's
  // is another function (an overload): the header's stays undefined.
  // -Wmissing-declarations names it; it is then replaced like a broken one.
  bool WrongSignatures(const std::string& output) {
    bool found = false;
    const std::string key = "no previous declaration for";
    for (size_t at = output.find(key); at != std::string::npos;
         at = output.find(key, at + 1)) {
      const size_t line_start = output.rfind('\n', at) + 1;
      const std::string line =
          output.substr(line_start, output.find('\n', at) - line_start);
      for (size_t p = 0; p < map_.parts.size(); ++p) {
        const Part& part = map_.parts[p];
        if (part.kind != PartKind::kFunction || Graded(part.name) == nullptr ||
            action_[p] != kKeep) {
          continue;
        }
        if (line.find("::" + part.name + "(") == std::string::npos) continue;
        const Segment* seg = SegmentAt(FirstLine(part));
        if (seg == nullptr || seg->key.empty() ||
            line.find("@" + seg->key + ":") == std::string::npos) {
          continue;
        }
        LeaveOut(static_cast<int>(p),
                 "Its first line differs from the header's declaration "
                 "(another parameter type or\nnumber makes it another "
                 "function). The header declares:\n  " +
                     Graded(part.name)->text,
                 0, false, false, FirstLine(part));
        found = true;
      }
    }
    return found;
  }

  std::string AllStandIns() const {
    std::string out =
        "#include \"common/grading/not_implemented.h\"\n#include \"" +
        f_.header + "\"\n";
    if (declarations_.empty()) out.clear();
    for (const Declaration& d : declarations_) out += stand_in(d, f_.ns) + "\n";
    return out + Registration();
  }

  int CompileCopy(const std::string& text, const std::string& what,
                  std::string& output) {
    write_file(f_.compiled, text);
    std::vector<std::string> command = f_.command;
    const std::string dir = f_.source.substr(0, f_.source.rfind('/') + 1);
    // #include "x.h" next to exercise.cc; a function that ends without
    // return is an error (it would crash); a graded function whose
    // parameters differ from the header's is named (WrongSignatures).
    command.insert(
        command.begin() + 1,
        {"-iquote" + (dir.empty() ? "." : dir), "-Werror=return-type",
         "-Wmissing-declarations", "-fdiagnostics-color=never"});
    // A slot with no graded function needs no headers at all.
    if (text == kEmptySlot) command = WithoutPrecompiledHeader(command);
    int status = run(command, output);
    // The precompiled header is only a cache: if the compiler crashes on it
    // ("internal compiler error"), compile without it.
    if (status != 0 &&
        output.find("internal compiler error") != std::string::npos) {
      output =
          "(the compiler crashed with the precompiled header; compiled "
          "again without it)\n";
      status = run(WithoutPrecompiledHeader(command), output);
    }
    if (!what.empty()) {
      log_ += "\n== " + f_.source + " (" + Functions() + "), " + what + "\n" +
              output;
    }
    return status;
  }

  static std::vector<std::string> WithoutPrecompiledHeader(
      const std::vector<std::string>& command) {
    std::vector<std::string> out;
    for (size_t i = 0; i < command.size(); ++i) {
      if (command[i] == "-include" && i + 1 < command.size() &&
          command[i + 1].find("exercise_pch") != std::string::npos) {
        ++i;
        continue;
      }
      out.push_back(command[i]);
    }
    return out;
  }

  std::string Functions() const {
    std::string s;
    for (const auto& d : declarations_) s += (s.empty() ? "" : ", ") + d.name;
    return s.empty() ? "no graded function" : s;
  }

  std::string Report() const {
    std::string s;
    for (const Entry& e : entries_) {
      s += (e.function.empty() ? e.where : e.function + " (" + e.where + ")") +
           ":\n" + e.message + "\n";
    }
    return s;
  }

  int Finish() {
    write_file(f_.compiler_output, log_);
    return 0;
  }

  Flags f_;
  std::string text_, log_;
  std::vector<Declaration> declarations_;
  SourceMap map_;
  std::vector<Action> action_;
  std::vector<Entry> entries_;
  std::vector<Declaration> missing_;
  std::vector<Segment> segments_;
  std::vector<std::string> left_out_names_, left_out_text_;
  bool left_out_include_ = false;
  int unplaced_reported_ = 0;
};

bool parse_flags(int argc, char** argv, Flags& f) {
  int i = 1;
  for (; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (a == "--split") {
      f.split = true;
      continue;
    }
    if (a == "--merge") {
      f.merge = true;
      continue;
    }
    const size_t eq = a.find('=');
    if (a.rfind("--", 0) != 0 || eq == std::string::npos) return false;
    const std::string key = a.substr(2, eq - 2), value = a.substr(eq + 1);
    if (key == "mode") {
      f.split = value == "split";
      f.merge = value == "merge";
    } else if (key == "source") {
      f.source = value;
    } else if (key == "slot") {
      f.slot = value;
    } else if (key == "slot_index") {
      f.slot_index = std::atoi(value.c_str());
    } else if (key == "slots") {
      f.slots = std::max(1, std::atoi(value.c_str()));
    } else if (key == "header") {
      f.header = value;
    } else if (key == "namespace") {
      f.ns = value;
    } else if (key == "compiler_output") {
      f.compiler_output = value;
    } else if (key == "shown_output") {
      f.shown_output = value;
    } else if (key == "compiled") {
      f.compiled = value;
    } else {
      return false;
    }
  }
  for (; i < argc; ++i) f.command.push_back(argv[i]);
  if (f.split) {
    return !f.source.empty() && !f.header.empty() && !f.ns.empty() &&
           !f.compiled.empty() && !f.command.empty();
  }
  if (f.merge) {
    return !f.source.empty() && !f.slot.empty() && !f.compiler_output.empty();
  }
  return !f.source.empty() && !f.slot.empty() && !f.header.empty() &&
         !f.ns.empty() && !f.compiler_output.empty() && !f.compiled.empty() &&
         !f.command.empty();
}

}  // namespace
}  // namespace compile_exercise

int main(int argc, char** argv) {
  compile_exercise::Flags flags;
  if (!compile_exercise::parse_flags(argc, argv, flags)) {
    std::fprintf(
        stderr,
        "usage: compile_exercise --split --source=F --header=H "
        "--namespace=N --compiled=PARTS.cc -- <slot files>\n"
        "   or: compile_exercise --merge --source=F --slot=PARTS.cc "
        "--compiler_output=OUT -- <slot logs>\n"
        "   or: compile_exercise --source=F --slot=S --slot_index=I "
        "--slots=N --header=H --namespace=N --compiled=C "
        "--compiler_output=L [--shown_output=P] -- <compiler command>\n");
    return 2;
  }
  if (flags.split) return compile_exercise::Split(flags);
  if (flags.merge) return compile_exercise::Merge(flags);
  if (flags.shown_output.empty()) flags.shown_output = flags.compiler_output;
  return compile_exercise::Driver(flags).Run();
}
