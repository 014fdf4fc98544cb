#include "common/core/tensor.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

namespace dl {

Matrix matrix(std::initializer_list<std::initializer_list<double>> rows) {
  const Eigen::Index n_rows = static_cast<Eigen::Index>(rows.size());
  const Eigen::Index n_cols =
      n_rows == 0 ? 0 : static_cast<Eigen::Index>(rows.begin()->size());
  Matrix out(n_rows, n_cols);
  Eigen::Index i = 0;
  for (const auto& row : rows) {
    if (static_cast<Eigen::Index>(row.size()) != n_cols) {
      throw std::invalid_argument("dl::matrix: row " + std::to_string(i) +
                                  " has " + std::to_string(row.size()) +
                                  " entries, row 0 has " +
                                  std::to_string(n_cols));
    }
    Eigen::Index j = 0;
    for (double v : row) out(i, j++) = v;
    ++i;
  }
  return out;
}

std::string shape_string(const std::vector<int64_t>& dims) {
  std::string s = "(";
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i > 0) s += ", ";
    s += std::to_string(dims[i]);
  }
  if (dims.size() == 1) s += ",";
  return s + ")";
}

std::string repr(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  // Shortest round-trip digits in scientific form, e.g. "8.3e-01".
  char buf[64];
  const auto result =
      std::to_chars(buf, buf + sizeof(buf), x, std::chars_format::scientific);
  const std::string sci(buf, result.ptr);
  const size_t e_pos = sci.find('e');
  const int exponent = std::stoi(sci.substr(e_pos + 1));
  std::string sign, digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c == '-') sign = "-";
    if (c >= '0' && c <= '9') digits += c;
  }
  // Python switches to scientific notation below 1e-4 and from 1e16 on.
  if (exponent < -4 || exponent >= 16) {
    std::string mantissa = digits.substr(0, 1);
    if (digits.size() > 1) mantissa += "." + digits.substr(1);
    char exp_buf[16];
    std::snprintf(exp_buf, sizeof(exp_buf), "e%c%02d", exponent < 0 ? '-' : '+',
                  std::abs(exponent));
    return sign + mantissa + exp_buf;
  }
  if (exponent < 0) {
    return sign + "0." + std::string(-exponent - 1, '0') + digits;
  }
  const size_t int_len = static_cast<size_t>(exponent) + 1;
  if (digits.size() <= int_len) {
    return sign + digits + std::string(int_len - digits.size(), '0') + ".0";
  }
  return sign + digits.substr(0, int_len) + "." + digits.substr(int_len);
}

std::string index_string(const std::vector<int64_t>& dims, int64_t flat,
                         bool row_major) {
  std::vector<int64_t> index(dims.size(), 0);
  if (row_major) {
    for (size_t k = dims.size(); k-- > 0;) {
      index[k] = dims[k] == 0 ? 0 : flat % dims[k];
      flat = dims[k] == 0 ? 0 : flat / dims[k];
    }
  } else {
    for (size_t k = 0; k < dims.size(); ++k) {
      index[k] = dims[k] == 0 ? 0 : flat % dims[k];
      flat = dims[k] == 0 ? 0 : flat / dims[k];
    }
  }
  std::string s = "(";
  for (size_t i = 0; i < index.size(); ++i) {
    if (i > 0) s += ", ";
    s += std::to_string(index[i]);
  }
  if (index.size() == 1) s += ",";
  return s + ")";
}

Difference compare_flat(const double* got, const double* want, int64_t count,
                        double atol, double rtol) {
  Difference d;
  d.count = count;
  double worst_excess = -1;
  for (int64_t i = 0; i < count; ++i) {
    const double g = got[i];
    const double w = want[i];
    if (!std::isfinite(g)) ++d.nonfinite;
    double excess;  // how far outside the tolerance; > 0 means off
    if (std::isnan(g) || std::isnan(w)) {
      excess = (std::isnan(g) && std::isnan(w)) ? -1 : INFINITY;
    } else if (std::isinf(g) || std::isinf(w)) {
      excess = (g == w) ? -1 : INFINITY;
    } else {
      const double diff = std::abs(g - w);
      if (diff > d.max_abs_diff) d.max_abs_diff = diff;
      excess = diff - (atol + rtol * std::abs(w));
    }
    if (excess > 0) {
      ++d.off;
      if (excess > worst_excess) {
        worst_excess = excess;
        d.worst = i;
        d.worst_got = g;
        d.worst_want = w;
      }
    }
  }
  return d;
}

bool allclose(const Matrix& got, const Matrix& want, double rtol, double atol) {
  if (got.rows() != want.rows() || got.cols() != want.cols()) return false;
  return compare_flat(got.data(), want.data(), got.size(), atol, rtol).off == 0;
}

}  // namespace dl
