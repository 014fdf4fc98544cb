#include "common/eigen.h"

#include <string>

namespace dl {

EigenAssertionError::EigenAssertionError(const char* condition,
                                         const char* file, int line)
    : std::logic_error(ExplainEigenCondition(condition) + " [Eigen check `" +
                       condition + "` failed in " + file + ":" +
                       std::to_string(line) + "]"),
      condition_(condition) {}

std::string ExplainEigenCondition(const std::string& condition) {
  auto has = [&](const char* s) {
    return condition.find(s) != std::string::npos;
  };
  if (has("invalid matrix product")) {
    return "a matrix product A * B with A.cols() != B.rows() (check the shapes "
           "and the transposes; for an elementwise product use "
           "A.cwiseProduct(B) or A.array() * B.array())";
  }
  if (has("aLhs.rows() == aRhs.rows() && aLhs.cols() == aRhs.cols()") ||
      has("rows() == other.rows() && cols() == other.cols()")) {
    return "an elementwise operation (+, -, cwiseProduct, .array() * ...) on "
           "two matrices of different shapes (Eigen does not broadcast: use "
           ".colwise() / .rowwise() to add a column or row to every column or "
           "row)";
  }
  if (has("index >= 0 && index < size()") ||
      (has("row >= 0 && row < rows()") && has("col >= 0 && col < cols()"))) {
    return "an index out of range (reading or writing outside a matrix)";
  }
  if (has("startRow >= 0 && blockRows >= 0") || has("a_startRow >= 0") ||
      has("startRow <= xpr.rows() - blockRows")) {
    return "a block or slice that reaches outside the matrix";
  }
  if (has("rows == this->rows() && cols == this->cols()") ||
      has("dst.rows() == src.rows()") || has("resize")) {
    return "an assignment between matrices of different shapes";
  }
  return "an Eigen check failed inside the code";
}

}  // namespace dl
