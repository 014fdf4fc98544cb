#include "tools/compile_exercise/source_map.h"

#include <cctype>
#include <string>
#include <vector>

namespace compile_exercise {
namespace {

bool is_ident(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

bool blank(const std::string& line) {
  for (char c : line) {
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

size_t first_code(const std::string& line) {
  size_t i = 0;
  while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) {
    ++i;
  }
  return i;
}

bool starts_with_word(const std::string& s, size_t at, const std::string& w) {
  return s.compare(at, w.size(), w) == 0 &&
         (at + w.size() >= s.size() || !is_ident(s[at + w.size()]));
}

// Kind and name of a part from its code: a function has a "(" at the top
// level before its first "{", and is not a struct, class, union or enum.
void classify(const std::vector<std::string>& code, Part& part) {
  int parens = 0;
  std::string last_ident, current;
  bool type_keyword = false, first_word = true;
  for (int l = part.first_line; l <= part.last_line; ++l) {
    const std::string& s = code[l - 1];
    for (size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      if (is_ident(c)) {
        current += c;
        continue;
      }
      if (!current.empty()) {
        if (first_word || current == "struct" || current == "class" ||
            current == "union" || current == "enum") {
          if (current == "struct" || current == "class" || current == "union" ||
              current == "enum") {
            type_keyword = true;
          }
          first_word = false;
        }
        last_ident = current;
        current.clear();
      }
      if (c == '(') {
        if (parens == 0 && part.name.empty() && !type_keyword &&
            !last_ident.empty()) {
          part.name = last_ident;
        }
        ++parens;
      } else if (c == ')') {
        --parens;
      } else if (c == '{' && parens == 0) {
        if (!part.name.empty()) {
          part.kind = PartKind::kFunction;
          part.body_line = l;
        } else {
          part.name.clear();
        }
        return;
      } else if (c == ';' && parens == 0) {
        part.name.clear();
        return;
      }
    }
    if (!current.empty()) {
      last_ident = current;
      current.clear();
      first_word = false;
    }
  }
  part.name.clear();
}

int balance(const std::vector<std::string>& code, int first, int last) {
  int b = 0;
  for (int l = first; l <= last; ++l) {
    for (char c : code[l - 1]) b += (c == '{') - (c == '}');
  }
  return b;
}

// Splits by braces; false when they do not balance.
bool split_by_braces(const std::vector<std::string>& code,
                     std::vector<Part>& parts) {
  int depth = 0, namespaces = 0;
  bool open = false;  // a part is open
  Part part;
  int parens = 0;
  bool function_body = false;  // the open part's "{" was a function body's
  bool after_paren = false;    // a "(" at the part's top level
  auto close = [&](int line) {
    part.last_line = line;
    classify(code, part);
    // A lone ";" after a function's "}" belongs to it.
    if (!parts.empty() && part.kind == PartKind::kDeclaration &&
        part.first_line == line &&
        blank(code[line - 1].substr(0, code[line - 1].find(';'))) &&
        parts.back().last_line == line - 1) {
      parts.back().last_line = line;
    } else {
      parts.push_back(part);
    }
    open = false;
  };
  for (int l = 1; l <= static_cast<int>(code.size()); ++l) {
    const std::string& s = code[l - 1];
    const size_t at = first_code(s);
    if (!open && at < s.size() && s[at] == '#') {
      Part p;
      p.kind = PartKind::kPreprocessor;
      p.first_line = p.last_line = l;
      while (!code[p.last_line - 1].empty() &&
             code[p.last_line - 1].back() == '\\' &&
             p.last_line < static_cast<int>(code.size())) {
        ++p.last_line;
      }
      parts.push_back(p);
      l = p.last_line;
      continue;
    }
    for (size_t i = at; i < s.size(); ++i) {
      const char c = s[i];
      if (std::isspace(static_cast<unsigned char>(c))) continue;
      if (!open) {
        if (c == '}') {
          if (depth == 0 || namespaces == 0) return false;
          --depth;
          --namespaces;
          Part p;
          p.kind = PartKind::kNamespace;
          p.first_line = p.last_line = l;
          parts.push_back(p);
          continue;
        }
        if (starts_with_word(s, i, "namespace") ||
            (starts_with_word(s, i, "extern") &&
             s.find('{', i) != std::string::npos)) {
          const size_t brace = s.find('{', i);
          if (brace == std::string::npos) return false;
          Part p;
          p.kind = PartKind::kNamespace;
          p.first_line = p.last_line = l;
          parts.push_back(p);
          ++depth;
          ++namespaces;
          i = brace;
          continue;
        }
        open = true;
        part = Part();
        part.first_line = l;
        parens = 0;
        function_body = false;
        after_paren = false;
      }
      // Inside a part.
      if (c == '(') {
        if (depth == namespaces && parens == 0) after_paren = true;
        ++parens;
      } else if (c == ')') {
        --parens;
      } else if (c == '{') {
        if (depth == namespaces && parens == 0) function_body = after_paren;
        ++depth;
      } else if (c == '}') {
        --depth;
        if (depth < namespaces) return false;
        if (depth == namespaces && function_body) close(l);
      } else if (c == ';' && depth == namespaces && parens == 0) {
        close(l);
      }
    }
  }
  return depth == 0 && !open;
}

// Splits at the lines that start in column 0.
void split_by_columns(const std::vector<std::string>& code,
                      std::vector<Part>& parts) {
  bool open = false;
  Part part;
  int last_code_line = 0;
  auto close = [&](int line) {
    part.last_line = line;
    part.brace_balance = balance(code, part.first_line, part.last_line);
    classify(code, part);
    parts.push_back(part);
    open = false;
  };
  for (int l = 1; l <= static_cast<int>(code.size()); ++l) {
    const std::string& s = code[l - 1];
    if (blank(s)) continue;
    const size_t at = first_code(s);
    if (s[at] == '#') {
      if (open) close(last_code_line);
      Part p;
      p.kind = PartKind::kPreprocessor;
      p.first_line = p.last_line = l;
      parts.push_back(p);
      last_code_line = l;
      continue;
    }
    if (at == 0) {
      if (s[0] == '}') {
        if (open) {
          close(l);
        } else {
          Part p;
          p.kind = PartKind::kNamespace;
          p.first_line = p.last_line = l;
          parts.push_back(p);
        }
        last_code_line = l;
        continue;
      }
      if (open) close(last_code_line);
      if (starts_with_word(s, 0, "namespace")) {
        Part p;
        p.kind = PartKind::kNamespace;
        p.first_line = p.last_line = l;
        parts.push_back(p);
        last_code_line = l;
        continue;
      }
    }
    if (!open) {
      open = true;
      part = Part();
      part.first_line = l;
    }
    last_code_line = l;
  }
  if (open) close(last_code_line);
}

}  // namespace

int SourceMap::PartAt(int line) const {
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].first_line <= line && line <= parts[i].last_line) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

std::string CodeOnly(const std::string& text) {
  std::string out = text;
  enum {
    kCode,
    kLineComment,
    kBlockComment,
    kString,
    kChar,
    kRaw
  } state = kCode;
  std::string raw_end;  // )delimiter"
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    switch (state) {
      case kCode:
        if (c == '/' && next == '/') {
          state = kLineComment;
          out[i] = ' ';
        } else if (c == '/' && next == '*') {
          state = kBlockComment;
          out[i] = out[i + 1] = ' ';
          ++i;
        } else if (c == '"') {
          if (i > 0 && text[i - 1] == 'R') {
            const size_t open = text.find('(', i);
            if (open != std::string::npos) {
              raw_end = ")" + text.substr(i + 1, open - i - 1) + "\"";
              state = kRaw;
              out[i] = ' ';
              break;
            }
          }
          state = kString;
          out[i] = ' ';
        } else if (c == '\'' && !(i > 0 && is_ident(text[i - 1]))) {
          state = kChar;
          out[i] = ' ';
        }
        break;
      case kLineComment:
        if (c == '\n') {
          state = kCode;
        } else {
          out[i] = ' ';
        }
        break;
      case kBlockComment:
        if (c == '*' && next == '/') {
          out[i] = out[i + 1] = ' ';
          ++i;
          state = kCode;
        } else if (c != '\n') {
          out[i] = ' ';
        }
        break;
      case kString:
      case kChar:
        if (c == '\\' && next != '\0') {
          out[i] = ' ';
          if (next != '\n') out[i + 1] = ' ';
          ++i;
        } else if (c == '\n') {
          state = kCode;  // an unterminated literal ends at the line's end
        } else {
          if ((state == kString && c == '"') || (state == kChar && c == '\'')) {
            state = kCode;
          }
          out[i] = ' ';
        }
        break;
      case kRaw:
        if (text.compare(i, raw_end.size(), raw_end) == 0) {
          for (size_t k = 0; k < raw_end.size(); ++k) out[i + k] = ' ';
          i += raw_end.size() - 1;
          state = kCode;
        } else if (c != '\n') {
          out[i] = ' ';
        }
        break;
    }
  }
  return out;
}

SourceMap MapSource(const std::string& text) {
  SourceMap map;
  map.lines = split_lines(text);
  const std::vector<std::string> code = split_lines(CodeOnly(text));
  if (split_by_braces(code, map.parts)) return map;
  map.parts.clear();
  map.braces_balance = false;
  split_by_columns(code, map.parts);
  return map;
}

std::vector<Declaration> GradedDeclarations(const std::string& header,
                                            const std::string& ns) {
  const std::string code = CodeOnly(header);
  std::vector<Declaration> out;
  const std::string key = "decltype(" + ns + "::";
  for (size_t at = code.find(key); at != std::string::npos;
       at = code.find(key, at + 1)) {
    const size_t begin = at + key.size();
    const size_t end = code.find(')', begin);
    if (end == std::string::npos) break;
    Declaration d;
    d.name = code.substr(begin, end - begin);
    // The declaration: a line that starts in column 0 and holds "name(".
    size_t line = 0;
    size_t found = std::string::npos;
    while (line < code.size()) {
      size_t line_end = code.find('\n', line);
      if (line_end == std::string::npos) line_end = code.size();
      const std::string s = code.substr(line, line_end - line);
      const size_t p = s.find(d.name + "(");
      if (!s.empty() && !std::isspace(static_cast<unsigned char>(s[0])) &&
          s[0] != '#' && s.find("decltype") == std::string::npos &&
          p != std::string::npos && (p == 0 || !is_ident(s[p - 1]))) {
        found = line;
        break;
      }
      line = line_end + 1;
    }
    if (found == std::string::npos) continue;
    // Up to the ";" at the top level, without default arguments.
    std::string text;
    int depth = 0;  // (), {}, []
    bool in_default = false;
    const size_t open = code.find(d.name + "(", found) + d.name.size();
    for (size_t i = found; i < code.size(); ++i) {
      const char c = code[i];
      if (c == ';' && depth == 0) break;
      if (c == '(' || c == '{' || c == '[') ++depth;
      if (c == ')' || c == '}' || c == ']') --depth;
      if (i > open && depth == 1 && c == '=' && !in_default) {
        in_default = true;
        while (!text.empty() && text.back() == ' ') text.pop_back();
        continue;
      }
      if (in_default) {
        if ((depth == 1 && c == ',') || depth == 0) {
          in_default = false;
        } else {
          continue;
        }
      }
      if (std::isspace(static_cast<unsigned char>(c))) {
        if (!text.empty() && text.back() != ' ' && text.back() != '(') {
          text += ' ';
        }
        continue;
      }
      if (c == ')' && !text.empty() && text.back() == ' ') text.pop_back();
      text += c;
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    d.text = text;
    out.push_back(d);
  }
  return out;
}

}  // namespace compile_exercise
