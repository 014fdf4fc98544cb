#include "common/eigen.h"

#include <string>

namespace dl {
namespace {

struct Explanation {
  std::string what;    // what went wrong, e.g. "a matrix product A * B ..."
  std::string advice;  // what to check
};

Explanation explain(const std::string& condition) {
  auto has = [&](const char* s) {
    return condition.find(s) != std::string::npos;
  };
  if (has("invalid matrix product")) {
    return {"a matrix product A * B with A.cols() != B.rows()",
            "Check the shapes and the transposes. For an elementwise product "
            "use A.cwiseProduct(B) or A.array() * B.array()."};
  }
  if (has("aLhs.rows() == aRhs.rows() && aLhs.cols() == aRhs.cols()") ||
      has("rows() == other.rows() && cols() == other.cols()")) {
    return {
        "an elementwise operation (+, -, cwiseProduct, .array() * ...) on "
        "two matrices of different shapes",
        "Eigen does not broadcast: .colwise() / .rowwise() apply a column "
        "or a row to every column or row. For a matrix product, use * on "
        "matrices, not on arrays."};
  }
  if (has("index >= 0 && index < size()") ||
      (has("row >= 0 && row < rows()") && has("col >= 0 && col < cols()"))) {
    return {"an index out of range",
            "Reading or writing outside a matrix: check the loop bounds."};
  }
  if (has("startRow >= 0 && blockRows >= 0") || has("a_startRow >= 0") ||
      has("startRow <= xpr.rows() - blockRows")) {
    return {"a block or slice that reaches outside the matrix",
            "Check the start and the size of .block(), .col(), .row(), "
            ".segment()."};
  }
  if (has("rows == this->rows() && cols == this->cols()") ||
      has("dst.rows() == src.rows()") || has("resize")) {
    return {"an assignment between matrices of different shapes",
            "Check the shape of the result you assign to."};
  }
  return {"an Eigen check failed", ""};
}

}  // namespace

std::string ExplainEigenCondition(const std::string& condition) {
  const Explanation e = explain(condition);
  return e.what + (e.advice.empty() ? "" : ". " + e.advice);
}

EigenAssertionError::EigenAssertionError(const char* condition,
                                         const char* file, int line,
                                         const std::string& operands)
    : std::logic_error([&] {
        const Explanation e = explain(condition);
        std::string message = e.what;
        if (!operands.empty()) message += ": " + operands;
        message += ".";
        if (!e.advice.empty()) message += "\n" + e.advice;
        return message + "\n[Eigen's check `" + condition + "` failed in " +
               file + ":" + std::to_string(line) + "]";
      }()),
      condition_(condition) {}

}  // namespace dl
