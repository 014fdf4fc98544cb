// tools/compile_exercise: compiles a learner's exercise.cc so that a compile
// error becomes a grade instead of a failed build (see exercise.bzl).
//
// Split mode: one "slot" file per graded function, the learner's lines in
// place and the other graded functions blanked:
//   compile_exercise --split --source=<unit>/exercise.cc
//       --header=<unit>/<unit>.h --namespace=<unit> -- <slot files...>
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
  bool split = false;
  std::string source, slot, header, ns, compiler_output, shown_output,
      compiled;
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
std::vector<Declaration> SlotDeclarations(
    const std::vector<Declaration>& all, int slot, int slots) {
  std::vector<Declaration> mine;
  for (size_t i = 0; i < all.size(); ++i) {
    if (static_cast<int>(i) % slots == slot) mine.push_back(all[i]);
  }
  return mine;
}

// The slot's text: the learner's lines, with the graded functions of other
// slots blanked (their line count kept) and `inline` before helpers and
// variables, which every slot compiles (one definition, several copies).
std::string SlotText(const SourceMap& map,
                     const std::vector<Declaration>& mine,
                     const std::vector<Declaration>& all) {
  std::vector<std::string> lines = map.lines;
  auto in = [](const std::vector<Declaration>& list, const std::string& n) {
    for (const auto& d : list) {
      if (d.name == n) return true;
    }
    return false;
  };
  for (const Part& part : map.parts) {
    if (part.kind == PartKind::kFunction && in(all, part.name)) {
      if (in(mine, part.name)) continue;
      for (int l = part.first_line; l <= part.last_line; ++l) lines[l - 1] = "";
      continue;
    }
    if (part.kind != PartKind::kFunction &&
        part.kind != PartKind::kDeclaration) {
      continue;
    }
    std::string& first = lines[part.first_line - 1];
    const size_t at = first.find_first_not_of(" \t");
    if (at == std::string::npos) continue;
    size_t end = at;
    while (end < first.size() &&
           (std::isalnum(static_cast<unsigned char>(first[end])) ||
            first[end] == '_')) {
      ++end;
    }
    const std::string word = first.substr(at, end - at);
    static const char* const kKeep[] = {
        "static", "inline",   "template", "constexpr", "consteval", "const",
        "struct", "class",    "union",    "enum",      "using",     "typedef",
        "extern", "typename", "namespace", "static_assert", "friend", ""};
    bool keep = false;
    for (const char* k : kKeep) keep = keep || word == k;
    if (!keep) first.insert(at, "inline ");
  }
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

int Split(const Flags& f) {
  std::string text, header;
  if (!read_file(f.source, text) || !read_file(f.header, header)) {
    std::fprintf(stderr, "compile_exercise: cannot read %s or %s\n",
                 f.source.c_str(), f.header.c_str());
    return 1;
  }
  const std::vector<Declaration> all = GradedDeclarations(header, f.ns);
  const SourceMap map = MapSource(text);
  const int slots = static_cast<int>(f.command.size());
  for (int i = 0; i < slots; ++i) {
    const std::vector<Declaration> mine = SlotDeclarations(all, i, slots);
    const std::string slot =
        mine.empty() ? kEmptySlot : SlotText(map, mine, all);
    if (!write_file(f.command[i], slot)) {
      std::fprintf(stderr, "compile_exercise: cannot write %s\n",
                   f.command[i].c_str());
      return 1;
    }
  }
  return 0;
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
    declarations_ =
        SlotDeclarations(GradedDeclarations(header, f_.ns), f_.slot_index,
                         f_.slots);
    map_ = MapSource(text_);
    action_.assign(map_.parts.size(), kKeep);
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
    std::fprintf(stderr, "%s does not compile, and neither does a copy "
                 "without its functions:\n%s\nThe compiler's whole message: "
                 "%s\n", f_.source.c_str(), Report().c_str(),
                 f_.shown_output.c_str());
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

  std::string Where(int line, int column) const {
    std::string w = f_.source + ":" + std::to_string(line);
    if (column > 0) w += ":" + std::to_string(column);
    return w;
  }

  // Adds this round's errors; false when there is nothing new to leave out.
  bool Classify(const std::string& output, int round) {
    const std::vector<Diagnostic> diagnostics =
        ParseDiagnostics(output, f_.source);
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
    // A brace that does not balance: the part whose own braces do not.
    if (round == 1 && !map_.braces_balance) {
      for (size_t p = 0; p < map_.parts.size(); ++p) {
        if (map_.parts[p].brace_balance != 0 && action_[p] == kKeep) {
          changed |= LeaveOut(static_cast<int>(p), BraceMessage(p), 0, true);
        }
      }
    }
    for (const auto& [p, list] : by_part) {
      if (action_[p] != kKeep) continue;
      const Diagnostic& first = *list.front();
      std::string message = Describe(first, map_.lines);
      if (list.size() > 1) {
        message += "\n(" + std::to_string(list.size() - 1) + " more error" +
                   (list.size() > 2 ? "s" : "") + " here: fix this one first)";
      }
      const bool blocked = round > 1 && !left_out_names_.empty() &&
                           BlockedByLeftOut(list);
      changed |= LeaveOut(p, message, first.user_column, false, blocked,
                          first.user_line);
    }
    for (const Diagnostic* d : unplaced) {
      // Kept for the report; nothing to leave out for them.
      if (unplaced_reported_ >= 2) break;
      Entry e;
      e.kind = "outside";
      e.line = d->user_line;
      e.where = d->user_line > 0 ? Where(d->user_line, d->user_column)
                                 : f_.source;
      e.message = Describe(*d, map_.lines);
      entries_.push_back(e);
      ++unplaced_reported_;
    }
    return changed;
  }

  std::string BraceMessage(size_t p) const {
    const Part& part = map_.parts[p];
    const int b = part.brace_balance;
    std::string what = part.name.empty() ? "these lines" : part.name;
    if (b > 0) {
      return "A { has no matching } in " + what + " (lines " +
             std::to_string(part.first_line) + "-" +
             std::to_string(part.last_line) + "): " + std::to_string(b) +
             " more { than }.\nEvery if, for and while block, and the "
             "function itself, ends with its own }.";
    }
    return "One } too many in " + what + " (lines " +
           std::to_string(part.first_line) + "-" +
           std::to_string(part.last_line) + "): " + std::to_string(-b) +
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
    if (line == 0) line = part.first_line;
    const Declaration* graded =
        part.kind == PartKind::kFunction ? Graded(part.name) : nullptr;
    Entry e;
    e.line = line;
    e.where = Where(line, column);
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
        left_out_text_.push_back("the #include at line " +
                                 std::to_string(part.first_line));
      } else if (part.kind == PartKind::kFunction) {
        what = "Your helper " + part.name + " (lines " +
               std::to_string(part.first_line) + "-" +
               std::to_string(part.last_line) + ") does not compile:";
        left_out_names_.push_back(part.name);
        left_out_text_.push_back("your helper " + part.name + " (line " +
                                 std::to_string(part.first_line) + ")");
      } else {
        what = "Lines " + std::to_string(part.first_line) + "-" +
               std::to_string(part.last_line) +
               " (outside the graded functions) do not compile:";
        left_out_text_.push_back("lines " + std::to_string(part.first_line) +
                                 "-" + std::to_string(part.last_line));
        left_out_include_ = true;  // a using, a struct: names may go missing
      }
      e.message = brace ? message : what + "\n" + message;
    }
    entries_.push_back(e);
    (void)brace;
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
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Entry& a, const Entry& b) {
                       return a.line < b.line;
                     });
    std::string s = "\nnamespace {\nconst bool dl_compile_errors_registered "
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
    std::string out = "#include \"common/not_implemented.h\"\n#line 1 " +
                      c_string(f_.source) + "\n";
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
                  d.text + "\nCopy that line back (or reset the unit: bazel "
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
        const std::string where = ":" + std::to_string(part.first_line) + ":";
        if (line.find(where) == std::string::npos &&
            line.find(":" + std::to_string(part.body_line) + ":") ==
                std::string::npos) {
          continue;
        }
        LeaveOut(static_cast<int>(p),
                 "Its first line differs from the header's declaration "
                 "(another parameter type or\nnumber makes it another "
                 "function). The header declares:\n  " +
                     Graded(part.name)->text,
                 0, false, false, part.first_line);
        found = true;
      }
    }
    return found;
  }

  std::string AllStandIns() const {
    std::string out = "#include \"common/not_implemented.h\"\n#include \"" +
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
    command.insert(command.begin() + 1,
                   {"-iquote" + (dir.empty() ? "." : dir),
                    "-Werror=return-type", "-Wmissing-declarations",
                    "-fdiagnostics-color=never"});
    const int status = run(command, output);
    if (!what.empty()) {
      log_ += "\n== " + f_.source + " (" + Functions() + "), " + what + "\n" +
              output;
    }
    return status;
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
    const size_t eq = a.find('=');
    if (a.rfind("--", 0) != 0 || eq == std::string::npos) return false;
    const std::string key = a.substr(2, eq - 2), value = a.substr(eq + 1);
    if (key == "split") {
      f.split = true;
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
           !f.command.empty();
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
    std::fprintf(stderr,
                 "usage: compile_exercise --split --source=F --header=H "
                 "--namespace=N -- <slot files>\n"
                 "   or: compile_exercise --source=F --slot=S --slot_index=I "
                 "--slots=N --header=H --namespace=N --compiled=C "
                 "--compiler_output=L [--shown_output=P] -- <compiler command>\n");
    return 2;
  }
  if (flags.split) return compile_exercise::Split(flags);
  if (flags.shown_output.empty()) flags.shown_output = flags.compiler_output;
  return compile_exercise::Driver(flags).Run();
}
