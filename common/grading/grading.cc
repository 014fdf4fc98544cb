#include "common/grading/grading.h"

#include <cxxabi.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <typeinfo>
#include <vector>

#include "common/grading/grading_channel.h"
#include "common/grading/grading_throw.h"
#include "common/grading/not_implemented.h"

namespace dl {
namespace grading {
namespace {

// A const char* is constant-initialized, so a test file's registration
// (a dynamic initializer) can never be overwritten by this default.
const char* graded_file = "exercise.cc";

// A number as numpy prints it, to 8 significant digits.
std::string num(double x) {
  if (std::isnan(x)) return "NaN";
  if (std::isinf(x)) return x > 0 ? "Inf" : "-Inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.8g", x);
  return buf;
}

std::string tolerance_string(Tolerance tol) {
  return "|got - expected| <= " + num(tol.atol) + " + " + num(tol.rtol) +
         " * |expected|";
}

// A guess at the mistake behind a wrong shape.
std::string shape_hint(const std::vector<int64_t>& got,
                       const std::vector<int64_t>& want) {
  if (got.size() != 2 || want.size() != 2) return "";
  if (got[0] == want[1] && got[1] == want[0]) {
    if (want[0] == 1 || want[1] == 1) {
      return "It is the transpose of the expected shape: a missing or extra "
             ".transpose(), or a sum over the wrong axis? (.rowwise().sum() "
             "gives one value per row, .colwise().sum() one per column)";
    }
    return "It is the transpose of the expected shape: a missing or extra "
           ".transpose()?";
  }
  if (got[0] == 0 && got[1] == 0) {
    return "The result is empty: was it assigned?";
  }
  if (want[1] == 1 && got[1] > 1 && got[0] == want[0]) {
    return "One column was expected: a missing sum over the m examples "
           "(.rowwise().sum()), or an elementwise product where a matrix "
           "product belongs?";
  }
  if (want[0] == 1 && got[0] > 1 && got[1] == want[1]) {
    return "One row was expected: a missing sum over the rows "
           "(.colwise().sum()), or a matrix product with the wrong operand?";
  }
  return "";
}

// A guess at the mistake behind wrong values: every entry off by one factor.
std::string value_hint(const double* got, const double* want, int64_t n) {
  double ratio = 0;
  bool have_ratio = false;
  for (int64_t i = 0; i < n; ++i) {
    if (std::abs(want[i]) < 1e-12) {
      if (std::abs(got[i]) > 1e-9) return "";
      continue;
    }
    const double r = got[i] / want[i];
    if (!have_ratio) {
      ratio = r;
      have_ratio = true;
    } else if (std::abs(r - ratio) > 1e-6 * std::max(1.0, std::abs(ratio))) {
      return "";
    }
  }
  if (!have_ratio || std::abs(ratio - 1) < 1e-9) return "";
  // One number: a ratio says little unless it is a whole factor.
  const std::string subject = n == 1 ? "It" : "Every entry";
  if (std::abs(ratio + 1) < 1e-6) return subject + " has the wrong sign.";
  const double k = std::round(ratio);
  if (k >= 2 && std::abs(ratio - k) < 1e-6) {
    return subject + " is " + num(k) +
           " times the expected value: a missing 1/m (m = " + num(k) +
           "?), or a term counted twice?";
  }
  const double inv = std::abs(ratio) > 1e-12 ? std::round(1 / ratio) : 0;
  if (inv >= 2 && std::abs(1 / ratio - inv) < 1e-6) {
    return subject + " is 1/" + num(inv) +
           " of the expected value: an extra division (by m?)";
  }
  if (std::abs(ratio) < 1e-9 && n > 1) {
    return "Every entry is 0: was the result computed and assigned?";
  }
  if (n == 1 || std::abs(ratio) < 1e-9) return "";
  return "Every entry is " + num(ratio) + " times the expected value.";
}

void add_hint(std::ostringstream& out, const std::string& hint) {
  if (!hint.empty()) out << "\n    hint: " << hint;
}

}  // namespace

namespace internal {

namespace {
int channel_fd = -1;
}  // namespace

void SetChannel(int fd) { channel_fd = fd; }

void SendRecord(char type, const std::string& payload) {
  if (channel_fd < 0) return;
  std::string line(1, type);
  line += '\t';
  for (char c : payload) line += (c == '\n') ? '\x1e' : c;
  line += '\n';
  size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = write(channel_fd, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

void RegisterGradedFile(const char* file) { graded_file = file; }
std::string GradedFile() { return graded_file; }

void BeginCall(const char* function) {
  clear_not_implemented();
  SendRecord(kRecordFunction, function);
}

namespace {

// "exercise.cc:19" for a function that does not compile, from the registry
// tools/compile_exercise fills in.
std::string broken_where(const std::string& function) {
  for (const CompileError& e : compile_errors()) {
    if (e.function == function) return ShortWhere(e.where);
  }
  return graded_file;
}

}  // namespace

bool EndCall(const char* function) {
  const auto& broken = does_not_compile_calls();
  if (!broken.empty()) {
    if (std::find(broken.begin(), broken.end(), function) != broken.end()) {
      SendRecord(kRecordDoesNotCompile, function);
      return false;
    }
    std::string names;
    for (const auto& s : broken) {
      names += (names.empty() ? "" : ", ") + s + " (" + broken_where(s) + ")";
    }
    ADD_FAILURE() << function << " calls " << names
                  << (broken.size() == 1 ? ", which does" : ", which do")
                  << " not compile: fix "
                  << (broken.size() == 1 ? "it" : "them") << " first.";
    return false;
  }
  const auto& stubs = not_implemented_calls();
  if (stubs.empty()) return true;
  if (std::find(stubs.begin(), stubs.end(), function) != stubs.end()) {
    SendRecord(kRecordNotImplemented, function);
    ADD_FAILURE() << function << ": not implemented yet (" << graded_file
                  << ")";
    return false;
  }
  std::string names;
  for (const auto& s : stubs) names += (names.empty() ? "" : ", ") + s;
  ADD_FAILURE() << function << " calls " << names
                << (stubs.size() == 1 ? ", which is" : ", which are")
                << " not implemented yet: write "
                << (stubs.size() == 1 ? "it" : "them") << " first.";
  return false;
}

void ReportException(const char* function, const char* what, bool from_eigen) {
  // A stub called on the way explains the exception better (e.g. an index
  // into the empty matrix a stub returned).
  if (!not_implemented_calls().empty() || !does_not_compile_calls().empty()) {
    EndCall(function);
    return;
  }
  if (from_eigen) {
    ADD_FAILURE() << function << ": shape error inside the function: " << what;
  } else {
    ADD_FAILURE() << function << " threw an exception: " << what;
  }
}

namespace {

// "vector::_M_range_check: __n (which is 5) >= this->size() (which is 3)"
// -> "index 5, size 3".
std::string range_numbers(const std::string& what) {
  const size_t n = what.find("(which is ");
  const size_t size =
      what.find("(which is ", n == std::string::npos ? 0 : n + 1);
  if (n == std::string::npos || size == std::string::npos) return "";
  auto number = [&](size_t at) {
    const size_t begin = at + 10;
    return what.substr(begin, what.find(')', begin) - begin);
  };
  return "index " + number(n) + ", size " + number(size);
}

// What a standard exception from a learner's function usually means.
std::string std_exception_advice(const std::string& type,
                                 const std::string& what) {
  if (what.find("map::at") != std::string::npos) {
    return "map.at(key) with a key that is not in the map: check the key "
           "(map.count(key) tells whether it is there).";
  }
  if (what.find("_M_range_check") != std::string::npos) {
    const std::string numbers = range_numbers(what);
    return "An index past the end of a std::vector or std::string (.at(i) "
           "needs 0 <= i < size())" +
           (numbers.empty() ? std::string(".") : ": " + numbers + ".");
  }
  if (type == "std::bad_alloc") {
    return "Out of memory: a matrix far larger than meant (an (n, n) where "
           "(n, 1) was meant?), or a negative size.";
  }
  if (type == "std::length_error") {
    return "A size that is too large or negative (a std::vector or Matrix "
           "made with a negative size?).";
  }
  if (type == "std::invalid_argument") {
    return "An argument that is not valid for the call: check the sizes "
           "and values passed.";
  }
  return "";
}

std::string demangled(const std::type_info& type) {
  int status = 0;
  char* name = abi::__cxa_demangle(type.name(), nullptr, nullptr, &status);
  std::string out = status == 0 && name != nullptr ? name : type.name();
  std::free(name);
  // "std::__cxx11::..." and friends.
  const size_t cxx11 = out.find("__cxx11::");
  if (cxx11 != std::string::npos) out.erase(cxx11, 9);
  return out;
}

}  // namespace

void ReportStdException(const char* function, const std::exception& e) {
  if (!not_implemented_calls().empty() || !does_not_compile_calls().empty()) {
    EndCall(function);
    return;
  }
  const std::string type = demangled(typeid(e));
  const std::string where = eigen_internal::SourceLineOf(LastThrowStack());
  std::ostringstream out;
  out << function << " threw " << type;
  if (!where.empty()) out << " at " << where;
  out << ": " << e.what();
  const std::string advice = std_exception_advice(type, e.what());
  if (!advice.empty()) out << "\n" << advice;
  ADD_FAILURE() << out.str();
}

void ReportEigenError(const char* function, const EigenAssertionError& e) {
  if (!not_implemented_calls().empty() || !does_not_compile_calls().empty()) {
    EndCall(function);
    return;
  }
  const std::string& where = e.SourceLine();
  if (where.empty()) {
    ADD_FAILURE() << function
                  << ": shape error inside the function: " << e.message();
  } else {
    ADD_FAILURE() << function << ": shape error inside the function, at "
                  << where << ": " << e.message();
  }
}

void ReportUnknownException(const char* function) {
  if (!not_implemented_calls().empty() || !does_not_compile_calls().empty()) {
    EndCall(function);
    return;
  }
  ADD_FAILURE() << function << " threw an exception that is not a "
                << "std::exception.";
}

testing::AssertionResult NearFlat(const std::string& function,
                                  const std::string& what,
                                  const std::vector<int64_t>& got_shape,
                                  const double* got,
                                  const std::vector<int64_t>& want_shape,
                                  const double* want, bool row_major,
                                  Tolerance tol, const std::string& hint) {
  std::ostringstream out;
  if (got_shape != want_shape) {
    out << function << ": " << what << " has shape " << shape_string(got_shape)
        << ", expected " << shape_string(want_shape) << ".";
    const std::string guess = shape_hint(got_shape, want_shape);
    if (!guess.empty()) out << "\n    " << guess;
    add_hint(out, hint);
    return testing::AssertionFailure() << out.str();
  }
  int64_t n = 1;
  for (int64_t d : want_shape) n *= d;
  const Difference d = compare_flat(got, want, n, tol.atol, tol.rtol);
  if (d.off == 0) return testing::AssertionSuccess();

  out << function << ": " << what << ", shape " << shape_string(got_shape)
      << ",";
  if (d.nonfinite > 0) {
    int64_t first = 0;
    while (first < n && std::isfinite(got[first])) ++first;
    out << " has " << d.nonfinite << " NaN or Inf "
        << (d.nonfinite == 1 ? "entry" : "entries") << " (first at "
        << index_string(want_shape, first, row_major) << ": " << num(got[first])
        << "): log of 0, exp overflow, or a division by zero?";
    add_hint(out, hint);
    return testing::AssertionFailure() << out.str();
  }
  out << " differs from the expected values: " << d.off << " of " << d.count
      << " entries off;\n    worst at "
      << index_string(want_shape, d.worst, row_major) << ": got "
      << num(d.worst_got) << ", expected " << num(d.worst_want)
      << " (tolerance " << tolerance_string(tol) << ")";
  const std::string guess = value_hint(got, want, n);
  if (!guess.empty()) out << "\n    " << guess;
  add_hint(out, hint);
  return testing::AssertionFailure() << out.str();
}

}  // namespace internal

testing::AssertionResult Near(const std::string& function,
                              const std::string& what, const Matrix& got,
                              const Matrix& want, Tolerance tol,
                              const std::string& hint) {
  return internal::NearFlat(function, what, shape_of(got), got.data(),
                            shape_of(want), want.data(), /*row_major=*/false,
                            tol, hint);
}

testing::AssertionResult Near(const std::string& function,
                              const std::string& what, double got, double want,
                              Tolerance tol, const std::string& hint) {
  const Difference d = compare_flat(&got, &want, 1, tol.atol, tol.rtol);
  if (d.off == 0) return testing::AssertionSuccess();
  std::ostringstream out;
  out << function << ": " << what;
  if (!std::isfinite(got)) {
    out << " is " << num(got)
        << " (log of 0, exp overflow, or a division by zero?); expected "
        << num(want);
  } else {
    out << " is " << num(got) << ", expected " << num(want) << " (tolerance "
        << tolerance_string(tol) << ")";
    const std::string guess = value_hint(&got, &want, 1);
    if (!guess.empty()) out << "\n    " << guess;
  }
  add_hint(out, hint);
  return testing::AssertionFailure() << out.str();
}

testing::AssertionResult HasShape(const std::string& function,
                                  const std::string& what, const Matrix& got,
                                  int64_t rows, int64_t cols,
                                  const std::string& hint) {
  return internal::HasShapeOf(function, what, shape_of(got), {rows, cols},
                              hint);
}

namespace internal {

testing::AssertionResult HasShapeOf(const std::string& function,
                                    const std::string& what,
                                    const std::vector<int64_t>& got,
                                    const std::vector<int64_t>& want,
                                    const std::string& hint) {
  if (got == want) return testing::AssertionSuccess();
  std::ostringstream out;
  out << function << ": " << what << " has shape " << shape_string(got)
      << ", expected " << shape_string(want) << ".";
  const std::string guess = shape_hint(got, want);
  if (!guess.empty()) out << "\n    " << guess;
  add_hint(out, hint);
  return testing::AssertionFailure() << out.str();
}

}  // namespace internal

std::vector<BlockCheck> CheckGradients(const std::function<double()>& cost,
                                       std::vector<GradientBlock>& blocks,
                                       double epsilon) {
  std::vector<BlockCheck> checks;
  for (GradientBlock& block : blocks) {
    Matrix& theta = *block.parameter;
    Matrix numeric(theta.rows(), theta.cols());
    for (Eigen::Index i = 0; i < theta.size(); ++i) {
      const double saved = theta.data()[i];
      theta.data()[i] = saved + epsilon;
      const double plus = cost();
      theta.data()[i] = saved - epsilon;
      const double minus = cost();
      theta.data()[i] = saved;
      numeric.data()[i] = (plus - minus) / (2 * epsilon);
    }
    BlockCheck check;
    check.name = block.name;
    check.shape = shape_of(theta);
    check.epsilon = epsilon;
    if (block.analytic.rows() != theta.rows() ||
        block.analytic.cols() != theta.cols()) {
      check.relative_difference = 1;
      checks.push_back(check);
      continue;
    }
    const double num_norm = (block.analytic - numeric).norm();
    const double den = block.analytic.norm() + numeric.norm();
    // Both (numerically) zero: nothing to disagree about.
    check.relative_difference = den < 1e-12 ? 0 : num_norm / den;
    if (!std::isfinite(check.relative_difference)) {
      check.relative_difference = 1;
    }
    Eigen::Index worst = 0;
    (block.analytic - numeric).cwiseAbs().reshaped().maxCoeff(&worst);
    check.worst = worst;
    check.analytic = block.analytic.data()[worst];
    check.numeric = numeric.data()[worst];
    checks.push_back(check);
  }
  return checks;
}

namespace {

// A row-major flat index of `dims` as the column-major one GradientsMatch
// prints.
int64_t ColumnMajorFlat(const std::vector<int64_t>& dims, int64_t flat) {
  std::vector<int64_t> index(dims.size());
  for (size_t k = dims.size(); k-- > 0;) {
    index[k] = flat % dims[k];
    flat /= dims[k];
  }
  int64_t out = 0;
  for (size_t k = dims.size(); k-- > 0;) out = out * dims[k] + index[k];
  return out;
}

}  // namespace

BlockCheck CheckTensorGradient(const std::function<double()>& cost,
                               const std::string& name, Tensor<4>& theta,
                               const Tensor<4>& analytic, double epsilon) {
  Matrix flat = Eigen::Map<const Matrix>(theta.data(), theta.size(), 1);
  std::vector<GradientBlock> column = {
      {name, &flat,
       Eigen::Map<const Matrix>(analytic.data(), analytic.size(), 1)}};
  BlockCheck check = CheckGradients(
      [&] {
        std::copy_n(flat.data(), flat.size(), theta.data());
        return cost();
      },
      column, epsilon)[0];
  std::copy_n(flat.data(), flat.size(), theta.data());  // restored
  check.shape = shape_of(theta);
  if (check.worst >= 0) check.worst = ColumnMajorFlat(check.shape, check.worst);
  return check;
}

testing::AssertionResult GradientsMatch(const std::string& function,
                                        const std::vector<BlockCheck>& checks,
                                        double threshold) {
  std::ostringstream wrong, fine;
  bool any_wrong = false;
  for (const BlockCheck& c : checks) {
    if (c.relative_difference < threshold) {
      fine << (fine.tellp() > 0 ? ", " : "") << c.name;
      continue;
    }
    any_wrong = true;
    wrong << "\n    " << c.name << " wrong: relative difference "
          << num(c.relative_difference) << " (threshold " << num(threshold)
          << ")";
    if (c.worst >= 0) {
      wrong << "; worst at " << index_string(c.shape, c.worst, false)
            << ": your gradient " << num(c.analytic) << ", finite differences "
            << num(c.numeric);
    }
  }
  if (!any_wrong) return testing::AssertionSuccess();
  std::ostringstream out;
  out << function << ": the gradients disagree with finite differences "
      << "(centered, epsilon "
      << num(checks.empty() ? kGradCheckEpsilon : checks[0].epsilon)
      << "):" << wrong.str();
  if (fine.tellp() > 0) out << "\n    fine: " << fine.str();
  return testing::AssertionFailure() << out.str();
}

testing::AssertionResult SameOutputs(const std::string& function,
                                     const ForwardPass& got,
                                     const ForwardPass& want, Tolerance tol,
                                     const std::string& hint) {
  for (bool training : {false, true}) {
    const Output y = got(training);
    const Output y_want = want(training);
    testing::AssertionResult same = internal::NearFlat(
        function,
        std::string("the output in ") + (training ? "training" : "inference") +
            " mode",
        y.first, y.second.data(), y_want.first, y_want.second.data(),
        /*row_major=*/true, tol, hint);
    if (!same) return same;
  }
  return testing::AssertionSuccess();
}

bool Reported(const testing::AssertionResult& result) {
  if (!result) ADD_FAILURE() << result.message();
  return static_cast<bool>(result);
}

}  // namespace grading
}  // namespace dl
