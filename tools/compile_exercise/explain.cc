#include "tools/compile_exercise/explain.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace compile_exercise {
namespace {

const std::string kOpen = "\xe2\x80\x98";   // ‘
const std::string kClose = "\xe2\x80\x99";  // ’

bool has(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

bool is_ident(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

void replace_all(std::string& s, const std::string& from,
                 const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos;
       at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

// The end of the template argument list that starts at `open` ('<').
size_t matching_angle(const std::string& s, size_t open) {
  int depth = 0;
  for (size_t i = open; i < s.size(); ++i) {
    if (s[i] == '<') ++depth;
    if (s[i] == '>') {
      if (i > 0 && s[i - 1] == '-') continue;  // "->"
      if (--depth == 0) return i;
    }
  }
  return std::string::npos;
}

std::vector<std::string> split_args(const std::string& s) {
  std::vector<std::string> args;
  int depth = 0;
  std::string current;
  for (char c : s) {
    if (c == '<' || c == '(') ++depth;
    if (c == '>' || c == ')') --depth;
    if (c == ',' && depth == 0) {
      args.push_back(current);
      current.clear();
      continue;
    }
    current += c;
  }
  args.push_back(current);
  for (auto& a : args) {
    while (!a.empty() && a.front() == ' ') a.erase(0, 1);
    while (!a.empty() && a.back() == ' ') a.pop_back();
  }
  return args;
}

enum class Kind { kMatrix, kArray, kTensor, kOther };

struct Short {
  Kind kind = Kind::kOther;
  bool expression = false;
  std::string text;
};

Short describe(const std::string& type);

// The kind of an expression from its operands ("const Eigen::Matrix<...>").
Short kind_of_operands(const std::vector<std::string>& args, size_t from) {
  for (size_t i = from; i < args.size(); ++i) {
    std::string a = args[i];
    if (starts_with(a, "const ")) a = a.substr(6);
    if (!starts_with(a, "Eigen::") || starts_with(a, "Eigen::internal::")) {
      continue;
    }
    Short s = describe(a);
    if (s.kind != Kind::kOther) return s;
  }
  return Short();
}

std::string expression_text(Kind k) {
  switch (k) {
    case Kind::kMatrix:
      return "Matrix expression";
    case Kind::kArray:
      return "Array expression";
    case Kind::kTensor:
      return "Tensor expression";
    default:
      return "expression";
  }
}

// One Eigen type, "Eigen::Name<args>" (or without arguments).
Short describe(const std::string& type) {
  Short out;
  const size_t lt = type.find('<');
  std::string name = type.substr(0, lt);
  if (starts_with(name, "Eigen::")) name = name.substr(7);
  std::vector<std::string> args;
  if (lt != std::string::npos) {
    const size_t gt = matching_angle(type, lt);
    if (gt != std::string::npos)
      args = split_args(type.substr(lt + 1, gt - lt - 1));
  }
  if (name == "Matrix" || name == "Array") {
    const bool is_float = !args.empty() && args[0] == "float";
    out.kind = name == "Matrix" ? Kind::kMatrix : Kind::kArray;
    out.text = name;
    if (name == "Matrix" && args.size() >= 3 && args[2] == "1" &&
        args[1] == "-1") {
      out.text = "Vector";
    } else if (name == "Matrix" && args.size() >= 3 && args[1] == "1" &&
               args[2] == "-1") {
      out.text = "RowVector";
    }
    if (is_float) out.text += "F";
    return out;
  }
  if (name == "Tensor") {
    out.kind = Kind::kTensor;
    out.text = std::string(!args.empty() && args[0] == "float" ? "TensorF"
                                                               : "Tensor") +
               "<" + (args.size() > 1 ? args[1] : "?") + ">";
    return out;
  }
  out.expression = true;
  if (name == "TensorReductionOp") {
    out.kind = Kind::kTensor;
    out.text = "Tensor reduction (a Tensor<0>, not a number)";
    return out;
  }
  if (starts_with(name, "Tensor")) {
    out.kind = Kind::kTensor;
    out.text = "Tensor expression";
    return out;
  }
  if (name == "MatrixWrapper" || name == "Product") {
    out.kind = Kind::kMatrix;
  } else if (name == "ArrayWrapper") {
    out.kind = Kind::kArray;
  } else if (name == "MatrixExponentialReturnValue" ||
             name == "MatrixLogarithmReturnValue" ||
             name == "MatrixSquareRootReturnValue" ||
             name == "MatrixPowerReturnValue" ||
             name == "MatrixFunctionReturnValue") {
    out.kind = Kind::kMatrix;
    out.text = name.substr(0, name.size() - 11);  // "...ReturnValue"
    return out;
  } else {
    // CwiseBinaryOp<op, L, R>, CwiseUnaryOp<op, X>, Transpose<X>, Block<X>,
    // Replicate<X>, PartialReduxExpr<X, ...>, Map<X>, Ref<X>, ...: X's kind.
    out.kind = kind_of_operands(args, 0).kind;
  }
  out.text = expression_text(out.kind);
  return out;
}

// Removes " {aka ‘...’}".
std::string drop_aka(std::string s) {
  const std::string aka = " {aka " + kOpen;
  for (size_t at = s.find(aka); at != std::string::npos; at = s.find(aka)) {
    const size_t end = s.find(kClose + "}", at);
    if (end == std::string::npos) break;
    s.erase(at, end + kClose.size() + 1 - at);
  }
  return s;
}

// The text between the n-th ‘ and its ’ (0-based), or "". (A compiler
// without a UTF-8 locale quotes with ' on both sides.)
std::string quoted(const std::string& s, int n) {
  if (s.find(kOpen) == std::string::npos) {
    size_t at = 0;
    for (int i = 0; i <= 2 * n; ++i) {
      at = s.find('\'', at);
      if (at == std::string::npos) return "";
      ++at;
    }
    const size_t end = s.find('\'', at);
    return end == std::string::npos ? "" : s.substr(at, end - at);
  }
  size_t at = 0;
  for (int i = 0; i <= n; ++i) {
    at = s.find(kOpen, at);
    if (at == std::string::npos) return "";
    at += kOpen.size();
    if (i < n) {
      at = s.find(kClose, at);
      if (at == std::string::npos) return "";
    }
  }
  const size_t end = s.find(kClose, at);
  return end == std::string::npos ? "" : s.substr(at, end - at);
}

std::string strip_const(std::string t) {
  if (starts_with(t, "const ")) t = t.substr(6);
  while (!t.empty() && (t.back() == '&' || t.back() == ' ')) t.pop_back();
  return t;
}

bool is_number_type(const std::string& t) {
  const std::string s = strip_const(t);
  return s == "double" || s == "int" || s == "float" || s == "long int" ||
         s == "Index" || s == "long" || s == "unsigned int" || s == "size_t";
}

bool is_matrix_like(const std::string& t) {
  const std::string s = strip_const(t);
  return s == "Matrix" || s == "Vector" || s == "RowVector" || s == "MatrixF" ||
         s == "Matrix expression";
}

bool is_array_like(const std::string& t) {
  const std::string s = strip_const(t);
  return s == "Array" || s == "ArrayF" || s == "Array expression";
}

// Entry-by-entry functions that a Matrix does not have (an Array does).
bool array_only_function(const std::string& f) {
  static const char* const kNames[] = {
      "exp",   "log",   "abs",   "tanh",  "square", "cube",  "log1p",
      "sin",   "cos",   "round", "floor", "ceil",   "sign",  "inverse",
      "max",   "min",   "pow",   "exp2",  "log10",  "rsqrt", "logistic",
      "isNaN", "isInf", "sinh",  "cosh",  "expm1",  "tan"};
  return std::find(std::begin(kNames), std::end(kNames), f) != std::end(kNames);
}

std::string numpy_attribute(const std::string& member, bool tensor) {
  if (member == "shape") {
    return tensor ? ".shape is numpy's; an Eigen Tensor has t.dimension(i) "
                    "(numpy's t.shape[i]) and t.dimensions()."
                  : ".shape is numpy's; in Eigen: x.rows() and x.cols() "
                    "(numpy's x.shape[0] and x.shape[1]).";
  }
  if (member == "T") return ".T is numpy's; in Eigen: x.transpose().";
  if (member == "ndim") return ".ndim is numpy's; a Matrix always has 2.";
  if (member == "reshape") {
    return ".reshape is numpy's; in Eigen: x.reshaped(rows, cols) (column "
           "by column, unlike numpy), or the unit's own helpers.";
  }
  if (member == "astype")
    return ".astype is numpy's; in Eigen: x.cast<float>().";
  if (member == "flatten" || member == "ravel") {
    return "." + member +
           " is numpy's; in Eigen: x.reshaped() (column by column).";
  }
  if (member == "item")
    return ".item() is numpy's; in Eigen: x(0, 0), or x.value() for a 1x1.";
  if (member == "append")
    return ".append is Python's; a std::vector has .push_back(x).";
  if (member == "dtype") return ".dtype is numpy's: a Matrix holds doubles.";
  return "";
}

std::string not_declared(const std::string& name) {
  if (name == "np" || name == "numpy") {
    return "There is no numpy in C++: Eigen does its work. np.exp(x) -> "
           "x.array().exp(), np.sum(x) -> x.sum(),\nnp.dot(a, b) -> a * b, "
           "np.zeros((n, m)) -> Matrix::Zero(n, m), np.log(x) -> "
           "x.array().log(),\nnp.where(x > 0.5, 1, 0) -> (x.array() > "
           "0.5).cast<double>().matrix().";
  }
  if (name == "True" || name == "False") {
    return "C++ writes true and false, in lower case.";
  }
  if (name == "None") return "C++ has no None.";
  if (name == "len")
    return "len() is Python's: v.size() for a std::vector, x.rows() / x.cols() "
           "for a Matrix.";
  if (name == "range")
    return "range() is Python's: for (int i = 0; i < n; ++i) { ... }";
  if (name == "print")
    return "print() is Python's: std::printf(\"%g\\n\", x) (or std::cout << "
           "x).";
  if (name == "elif") return "C++ writes else if (...) { ... }.";
  if (name == "self") return "There is no self in C++ functions.";
  if (name == "exp" || name == "log" || name == "sqrt" || name == "tanh" ||
      name == "pow" || name == "abs") {
    return "For one number: std::" + name +
           "(x). For a Matrix, entry by "
           "entry: x.array()." +
           name + "()" + (name == "pow" ? " (.pow(2))" : "") +
           ", then .matrix().";
  }
  return "The compiler does not know " + kOpen + name + kClose +
         " here: a typo, a variable declared in another function or block "
         "(or after this line), or a missing dl:: / std::?";
}

// numpy's entry-by-entry np.f(x) typed as x.f() on a Matrix. Eigen's Matrix
// has some of these as MATRIX functions (exp, log, sqrt, pow: the matrix
// exponential, ...), and not the others at all.
std::string entry_by_entry(const std::string& f, bool matrix_function) {
  const std::string example =
      f == "exp" ? "(1.0 / (1.0 + (-z).array().exp())).matrix()"
                 : "x.array()." + f + (f == "pow" ? "(2)" : "()") + ".matrix()";
  return (matrix_function
              ? "On a Matrix, ." + f +
                    "() is a MATRIX function, not numpy's "
                    "entry-by-entry np." +
                    f + "."
              : "A Matrix has no ." + f + "(): numpy's entry-by-entry np." + f +
                    " is an Array operation in Eigen.") +
         "\nEntry by entry: x.array()." + f +
         "(), and .matrix() to get a Matrix back, e.g.\n  " + example;
}

std::string mixing() {
  return "An Array and a Matrix in one expression: Eigen keeps them apart. "
         "Entry-by-entry maths:\nmake both Arrays (x.array()); matrix maths: "
         "both Matrices (y.matrix()).";
}

std::string number_and_matrix(const std::string& op) {
  std::string example =
      op == "/" ? "1.0 / x.array()" : "x.array() " + op + " 1.0";
  if (op == "-") example = "1.0 - x.array()";
  return "A number " + op +
         " a Matrix is an entry-by-entry operation: "
         "numpy does it, an Eigen Matrix does not.\nWrite it on an Array: " +
         example +
         " (then .matrix() for a Matrix), e.g.\n  (1.0 / (1.0 + "
         "(-z).array().exp())).matrix()";
}

std::string read_only(const std::string& name) {
  const std::string who =
      name.empty() ? "The left side" : kOpen + name + kClose;
  return who +
         " is read-only (a const& argument): the function cannot "
         "change it.\nWork on a copy: Matrix w = w_in; (or Parameters p = "
         "parameters;) then change the copy.";
}

// What a statement assigns to: the text from the statement's start to the
// operator at `column` ("parameters.w" in "  parameters.w -= ...").
std::string statement_subject(const std::string& line, int column) {
  const size_t op =
      std::min(line.size(), static_cast<size_t>(std::max(column, 1)) - 1);
  size_t start = op == 0 ? std::string::npos : line.find_last_of(";{}", op - 1);
  start = start == std::string::npos ? 0 : start + 1;
  std::string subject = line.substr(start, op - start);
  while (!subject.empty() &&
         std::isspace(static_cast<unsigned char>(subject.front()))) {
    subject.erase(0, 1);
  }
  while (!subject.empty() &&
         std::isspace(static_cast<unsigned char>(subject.back()))) {
    subject.pop_back();
  }
  if (subject.size() > 40 || subject.find('=') != std::string::npos) return "";
  return subject;
}

std::string conversion(const std::string& from, const std::string& to) {
  const std::string f = strip_const(from), t = strip_const(to);
  if (has(f, "Tensor reduction")) {
    return "A Tensor's .sum() (or .maximum(), .mean()) is a Tensor<0>, not a "
           "number. Evaluate it, then read\nits one entry: Tensor<0> s = "
           "t.sum(); double x = s();";
  }
  if ((is_matrix_like(f) || is_array_like(f) || f == "Product") &&
      is_number_type(t)) {
    return "A Matrix is not a number, even a 1x1 one: read an entry, x(0, "
           "0), or x.value() for a 1x1,\nor add all entries with x.sum().";
  }
  if (is_number_type(f) && (is_matrix_like(t) || is_array_like(t))) {
    return "A number is not a Matrix: Matrix::Constant(rows, cols, value) "
           "makes one, or use an\nentry-by-entry operation on x.array().";
  }
  if (has(t, "Tensor") || has(f, "Tensor")) {
    return "A Tensor of one rank (or an expression) where another is "
           "expected: check the header's types.";
  }
  return "The value is " + kOpen + f + kClose + " but " + kOpen + t + kClose +
         " is needed here (the header gives each function's types).";
}

std::string static_assertion(const std::string& what,
                             const std::string& source_line) {
  if (has(what, "YOU_TRIED_CALLING_A_VECTOR_METHOD_ON_A_MATRIX")) {
    if (has(source_line, ".dot(")) {
      return "a.dot(b) is for vectors (a Vector, or one column: a.col(0)). "
             "For two (n, 1) matrices:\n(a.transpose() * b)(0, 0), or "
             "a.cwiseProduct(b).sum().";
    }
    return "A vector-only method on a Matrix: Matrix::Zero(n) (also Ones, "
           "Random, Constant) is for vectors.\nA Matrix needs both sizes: "
           "Matrix::Zero(n, 1) for numpy's np.zeros((n, 1)).";
  }
  if (has(what, "YOU_CANNOT_MIX_ARRAYS_AND_MATRICES")) return mixing();
  if (has(what, "THE_BRACKET_OPERATOR_IS_ONLY_FOR_VECTORS")) {
    return "Eigen indexes with round brackets: x(i, j) (numpy's x[i, j] or "
           "x[i][j]); a row: x.row(i),\na column: x.col(j) (numpy's x[:, j]).";
  }
  if (has(what, "YOU_MIXED_DIFFERENT_NUMERIC_TYPES")) {
    return "double and float in one expression: convert one side, e.g. "
           "x.cast<double>().";
  }
  if (has(what, "THIS_METHOD_IS_ONLY_FOR_1x1_EXPRESSIONS")) {
    return ".value() is for a 1x1 result only: read an entry with x(0, 0), "
           "or add them with x.sum().";
  }
  if (has(what, "INVALID_MATRIX_PRODUCT") ||
      has(what, "YOU_MIXED_MATRICES_OF_DIFFERENT_SIZES")) {
    return "The shapes cannot go together: check the transposes (numpy's "
           "np.dot(a, b) is a * b).";
  }
  if (has(what, "THIS_EXPRESSION_IS_NOT_A_VECTOR__IT_IS_A_MATRIX") ||
      has(what, "YOU_TRIED_CALLING_A_VECTOR_METHOD")) {
    return "A vector-only method on a Matrix: use a Vector, or one column "
           "x.col(j).";
  }
  return "";
}

}  // namespace

std::string ShortenTypes(const std::string& message) {
  std::string s = drop_aka(message);
  for (size_t at = s.find("Eigen::"); at != std::string::npos;
       at = s.find("Eigen::", at)) {
    size_t end = at + 7;
    while (end < s.size() && (is_ident(s[end]) || s[end] == ':')) ++end;
    if (end < s.size() && s[end] == '<') {
      const size_t gt = matching_angle(s, end);
      if (gt == std::string::npos) break;
      end = gt + 1;
    }
    const std::string type = s.substr(at, end - at);
    if (starts_with(type, "Eigen::internal::")) {
      s.replace(at, end - at, "...");
      continue;
    }
    std::string text = describe(type).text;
    if (text.empty()) text = type.substr(7, type.find('<') - 7);
    // "MatrixBase<...>::NegativeReturnType": the expression is enough.
    if (describe(type).expression && s.compare(end, 2, "::") == 0) {
      size_t member = end + 2;
      while (member < s.size() && is_ident(s[member])) ++member;
      end = member;
    }
    s.replace(at, end - at, text);
    at += text.size();
  }
  replace_all(s, "std::__cxx11::basic_string<char>", "std::string");
  replace_all(s, "std::__cxx11::", "std::");
  // "std::map<std::string, Matrix >::mapped_type" -> "Matrix"
  for (size_t at = s.find("std::map<"); at != std::string::npos;
       at = s.find("std::map<", at + 1)) {
    const size_t gt = matching_angle(s, at + 8);
    if (gt == std::string::npos) break;
    const std::string member = "::mapped_type";
    if (s.compare(gt + 1, member.size(), member) != 0) continue;
    const std::vector<std::string> args =
        split_args(s.substr(at + 9, gt - at - 9));
    if (args.size() < 2) continue;
    s.replace(at, gt + 1 + member.size() - at, args[1]);
  }
  replace_all(s, "dl::", "");
  replace_all(s, "const class ", "const ");
  replace_all(s, "const struct ", "const ");
  replace_all(s, kOpen + "class ", kOpen);
  replace_all(s, kOpen + "struct ", kOpen);
  replace_all(s, "Matrix<double, -1, -1>", "Matrix");
  return s;
}

int SemicolonLine(const Diagnostic& d, const std::vector<std::string>& lines) {
  int line = d.user_line;
  if (line < 1 || line > static_cast<int>(lines.size())) return line;
  const std::string& s = lines[line - 1];
  size_t first = s.find_first_not_of(" \t");
  // The compiler points at the first token of this line: the ";" belongs
  // at the end of the code line before it.
  if (first != std::string::npos &&
      static_cast<int>(first) + 1 >= d.user_column) {
    for (int l = line - 1; l >= 1; --l) {
      const std::string& p = lines[l - 1];
      const size_t c = p.find_first_not_of(" \t");
      if (c != std::string::npos && p.compare(c, 2, "//") != 0) return l;
    }
  }
  return line;
}

std::string Explain(const Diagnostic& d, const std::string& source_line) {
  const std::string m = ShortenTypes(d.message);
  const std::string q0 = quoted(m, 0), q1 = quoted(m, 1), q2 = quoted(m, 2);

  if (d.severity == "fatal error" && has(m, "No such file or directory") &&
      m.rfind("common/", 0) == 0) {
    // An #include from before common/ was split by concern.
    const std::string file = m.substr(0, m.find(':'));
    const std::string name = file.substr(7);
    static const char* const kMoved[][2] = {{"eigen.h", "core"},
                                            {"tensor.h", "core"},
                                            {"random.h", "core"},
                                            {"parallel.h", "core"},
                                            {"not_implemented.h", "grading"},
                                            {"grading.h", "grading"},
                                            {"layers.h", "nn"},
                                            {"model.h", "nn"},
                                            {"sequence_layers.h", "nn"},
                                            {"autograd.h", "nn"},
                                            {"activations.h", "nn"},
                                            {"image.h", "data"},
                                            {"synthetic_images.h", "data"},
                                            {"signs_images.h", "data"},
                                            {"toy_datasets.h", "data"},
                                            {"plot.h", "viz"},
                                            {"image_grid.h", "viz"},
                                            {"progress.h", "viz"},
                                            {"app.h", "viz"}};
    for (const auto& moved : kMoved) {
      if (name == moved[0]) {
        return "The project's common/ library is now in folders by concern "
               "(common/README.md): write\n  #include \"common/" +
               std::string(moved[1]) + "/" + name + "\"";
      }
    }
    return "There is no " + file +
           ": the headers of common/ are in its "
           "folders core, grading, nn, data\nand viz (common/README.md).";
  }
  if (d.severity == "fatal error" && has(m, "No such file or directory")) {
    return "This #include names a file that does not exist. C++ has no numpy: "
           "Eigen (through the unit's\nheader) does its work. Keep the "
           "#include lines the unit came with.";
  }
  for (const char* f : {"MatrixExponential", "MatrixLogarithm",
                        "MatrixSquareRoot", "MatrixPower", "MatrixFunction"}) {
    if (has(m, f)) {
      const std::string name = std::string(f) == "MatrixExponential"  ? "exp"
                               : std::string(f) == "MatrixLogarithm"  ? "log"
                               : std::string(f) == "MatrixSquareRoot" ? "sqrt"
                               : std::string(f) == "MatrixPower"      ? "pow"
                                                                      : "sin";
      return entry_by_entry(name, true);
    }
  }
  if (has(m, "static assertion failed")) {
    const std::string s = static_assertion(m, source_line);
    if (!s.empty()) return s;
    for (const std::string& n : d.notes) {
      const std::string t = static_assertion(n, source_line);
      if (!t.empty()) return t;
    }
  }
  if (has(m, "has no member named")) {
    const std::string type = strip_const(q0);
    const std::string member = q1;
    const std::string numpy = numpy_attribute(member, has(type, "Tensor"));
    if (!numpy.empty()) return numpy;
    if ((is_matrix_like(type) || has(type, "Matrix")) &&
        array_only_function(member)) {
      return entry_by_entry(member, false);
    }
    if (is_array_like(type) &&
        (member == "dot" || member == "norm" || member == "squaredNorm" ||
         member == "determinant" || member == "transpose")) {
      return "." + member +
             "() is a Matrix method: call .matrix() first, "
             "e.g. x.matrix()." +
             member + "().";
    }
    return kOpen + type + kClose + " has no ." + member +
           ": check the spelling (C++ is case-sensitive) and the type's "
           "methods\n(Eigen's quick reference, or the unit's header).";
  }
  if (has(m, "was not declared in this scope") ||
      has(m, "has not been declared") || has(m, "does not name a type")) {
    return not_declared(q0);
  }
  if (starts_with(m, "no match for " + kOpen + "operator")) {
    // "no match for ‘operator/’ (operand types are ‘A’ and ‘B’)"
    const std::string op = q0.substr(8);
    const std::string a = q1, b = q2;
    if ((op == "=" || op == "+=" || op == "-=" || op == "*=" || op == "/=") &&
        starts_with(a, "const ")) {
      return read_only(statement_subject(source_line, d.user_column));
    }
    if ((op == "/" || op == "+" || op == "-") &&
        ((is_number_type(a) && is_matrix_like(b)) ||
         (is_matrix_like(a) && is_number_type(b)))) {
      return number_and_matrix(op);
    }
    if ((is_matrix_like(a) && is_array_like(b)) ||
        (is_array_like(a) && is_matrix_like(b))) {
      return mixing();
    }
    if (op == "/" && is_matrix_like(a) && is_matrix_like(b)) {
      return "Eigen has no Matrix / Matrix. Entry by entry: (a.array() / "
             "b.array()).matrix() (numpy's a / b).";
    }
    if (op == "*" && (has(a, "Tensor") || has(b, "Tensor"))) {
      return "Tensors multiply entry by entry with a * b only when both are "
             "Tensor expressions of\nthe same rank; a matrix product of "
             "Tensors is t.contract(...).";
    }
    if (op == "[]") {
      return static_assertion("THE_BRACKET_OPERATOR_IS_ONLY_FOR_VECTORS", "");
    }
    return "No " + kOpen + op + kClose +
           " for these two types: check "
           "what each side is (Matrix, Array, a number).";
  }
  if (has(m, "for array subscript") || has(m, "operator[]")) {
    return static_assertion("THE_BRACKET_OPERATOR_IS_ONLY_FOR_VECTORS", "");
  }
  if (has(m, "no matching function for call to")) {
    const std::string call = q0;
    const std::string fn = call.substr(0, call.find('('));
    for (const char* f :
         {"exp", "log", "sqrt", "tanh", "abs", "pow", "std::exp", "std::log",
          "std::sqrt", "std::tanh", "std::abs", "std::pow", "max", "std::max",
          "min", "std::min"}) {
      if (fn == f && has(call, "Matrix")) {
        const std::string base = fn.substr(fn.rfind(':') + 1);
        if (base == "max" || base == "min") {
          return "std::" + base +
                 " compares two numbers. For a Matrix: "
                 "x.maxCoeff(), or entry by entry\nx.array()." +
                 base + "(0.0) (numpy's np.maximum(x, 0)).";
        }
        return "std::" + base +
               " works on one number. For a Matrix, entry "
               "by entry (numpy's np." +
               base + "(x)):\nx.array()." + base + "()" +
               (base == "pow" ? " (e.g. .pow(2))" : "") +
               ", and .matrix() to get a Matrix back.";
      }
    }
    return "The arguments do not fit " + kOpen + fn + kClose +
           ": compare their number, order and types with its declaration.";
  }
  if (has(m, "too few arguments") || has(m, "too many arguments")) {
    return "Compare the arguments with the function's declaration (the "
           "unit's header).";
  }
  if (has(m, "cannot convert") || has(m, "could not convert") ||
      has(m, "to non-scalar type")) {
    // "cannot convert ‘A’ to ‘B’", "could not convert ‘x’ from ‘A’ to ‘B’",
    // "conversion from ‘A’ to non-scalar type ‘B’ requested"
    if (has(m, "could not convert")) return conversion(q1, q2);
    return conversion(q0, q1);
  }
  if (has(m, "expected " + kOpen + ";" + kClose) ||
      has(m,
          "expected " + kOpen + "," + kClose + " or " + kOpen + ";" + kClose)) {
    return "A ; is missing: every statement ends with one.";
  }
  if (has(m, "expected " + kOpen + "}" + kClose + " at end of input") ||
      has(m, "a function-definition is not allowed here")) {
    return "A { has no matching }: count the braces of this function (every "
           "if, for and while block).";
  }
  if (has(m, "expected declaration before " + kOpen + "}")) {
    return "One } too many: it closes the function (or the namespace) "
           "early.";
  }
  if (has(m, "invalid type argument of unary " + kOpen + "*") &&
      has(source_line, "**")) {
    return "C++ has no ** power: std::pow(x, 2) for a number; "
           "x.array().square() or x.array().pow(2)\nfor a Matrix.";
  }
  if (has(m, "assignment of read-only") || has(m, "discards qualifiers") ||
      has(m, "in read-only object")) {
    return read_only(has(m, "read-only reference") ||
                             has(m, "read-only parameter")
                         ? q0
                         : statement_subject(source_line, d.user_column));
  }
  if (has(m, "return-statement with no value")) {
    return "This function returns a value (its type is in the header): "
           "return one.";
  }
  if (has(m, "return-statement with a value")) {
    return "This function returns nothing (void): no value after return.";
  }
  if (has(m, "no return statement") || has(m, "control reaches end")) {
    return "The function can end without a return: every path needs "
           "return <value>;.";
  }
  if (has(m, "expected primary-expression") ||
      has(m, "expected unqualified-id") || has(m, "expected " + kOpen + "(")) {
    if (has(source_line, " in range(") || has(source_line, "for ")) {
      return "This line is not C++ (a Python habit?): a loop is\nfor (int i "
             "= 0; i < n; ++i) { ... }.";
    }
    return "This line is not C++ near the marker: a missing operand or "
           "bracket, or a Python habit\n(x ** 2, a[1:3], def, elif)?";
  }
  return "";
}

std::string Describe(const Diagnostic& d, const std::vector<std::string>& lines,
                     const std::function<std::string(int)>& label) {
  const int line = d.user_line;
  const std::string source = line >= 1 && line <= static_cast<int>(lines.size())
                                 ? lines[line - 1]
                                 : "";
  std::string out;
  std::string message = ShortenTypes(d.message);
  if (message.size() > 200) message = message.substr(0, 197) + "...";
  out += message + "\n";
  // The picture: the line and a marker under the column. A missing ";" is
  // shown at the end of the line it belongs to.
  const int shown = has(d.message, "expected") && has(d.message, ";")
                        ? SemicolonLine(d, lines)
                        : line;
  if (shown != line && shown >= 1) {
    const std::string& s = lines[shown - 1];
    out += label(shown) + " | " + s + "\n";
    out += "      | " + std::string(s.size(), ' ') + "^ here\n";
  } else if (!source.empty()) {
    out += label(line) + " | " + source + "\n";
    const int col = std::max(1, d.user_column);
    std::string pad;
    for (int i = 0; i + 1 < col && i < static_cast<int>(source.size()); ++i) {
      pad += source[i] == '\t' ? '\t' : ' ';
    }
    out += "      | " + pad + "^\n";
  }
  const std::string why = Explain(d, source);
  if (!why.empty()) out += why + "\n";
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace compile_exercise
