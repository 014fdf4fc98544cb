// File: common/nn/losses.cc
//
// The losses of common/nn/losses.h, in double whatever T is. Explicit
// instantiations for float and double at the end.

#include "common/nn/losses.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/core/blas.h"
#include "common/nn/layers.h"

namespace dl {
namespace nn {

namespace {

void CheckLabels(const char* who, Index m, size_t labels) {
  if (static_cast<Index>(labels) != m) {
    throw std::invalid_argument(std::string(who) + ": " +
                                std::to_string(labels) + " labels for " +
                                std::to_string(m) + " examples");
  }
}

// Below this many logits, SoftmaxCrossEntropy runs in one piece.
constexpr Index kMinLogitsSplit = 1 << 14;

}  // namespace

template <typename T>
double SoftmaxCrossEntropy(const Array<T>& logits,
                           const std::vector<int>& labels, Array<T>* dlogits) {
  if (logits.rank() < 2) {
    throw std::invalid_argument("SoftmaxCrossEntropy: logits " +
                                ShapeString(logits.shape()) +
                                ", expected (m, classes) or (m, ..., classes)");
  }
  // One label per row of C logits: per example for (m, C), per pixel for
  // (m, n_H, n_W, C).
  const Index C = logits.dim(-1), rows = C == 0 ? 0 : logits.size() / C;
  CheckLabels("SoftmaxCrossEntropy", rows, labels.size());
  for (Index i = 0; i < rows; ++i) {
    const int y = labels[i];
    if (y < 0 || y >= C) {
      throw std::invalid_argument(
          "SoftmaxCrossEntropy: label " + std::to_string(y) + " of row " +
          std::to_string(i) + " not in [0, " + std::to_string(C) + ")");
    }
  }
  const auto Z = logits.matrix(rows, C);
  if (dlogits != nullptr) dlogits->Resize(logits.shape());
  // Each row's loss (and its dlogits) on its own, the rows in two halves
  // (a U-Net has one row per pixel); then the losses summed in order, so
  // the total has the same bits however the rows were cut.
  std::vector<double> row_loss(rows);
  const auto rows_from = [&](Index begin, Index end) {
    for (Index i = begin; i < end; ++i) {
      const int y = labels[i];
      const double mx = Z.row(i).maxCoeff();
      double sum = 0;
      for (Index c = 0; c < C; ++c) sum += std::exp(double(Z(i, c)) - mx);
      const double log_sum = std::log(sum) + mx;
      row_loss[i] = log_sum - double(Z(i, y));
      if (dlogits != nullptr) {
        for (Index c = 0; c < C; ++c) {
          const double p = std::exp(double(Z(i, c)) - log_sum);
          (*dlogits)[i * C + c] = T((p - (c == y ? 1.0 : 0.0)) / double(rows));
        }
      }
    }
  };
  const Index half = rows / 2;
  if (rows * C < kMinLogitsSplit) {
    rows_from(0, rows);
  } else {
    RunInTwo([&] { rows_from(0, half); }, [&] { rows_from(half, rows); });
  }
  double total = 0;
  for (Index i = 0; i < rows; ++i) total += row_loss[i];
  return rows == 0 ? 0.0 : total / double(rows);
}

template <typename T>
double BinaryCrossEntropy(const Array<T>& logits,
                          const std::vector<int>& labels, Array<T>* dlogits) {
  const bool ok =
      logits.rank() == 1 || (logits.rank() >= 2 && logits.dim(-1) == 1);
  if (!ok) {
    throw std::invalid_argument("BinaryCrossEntropy: logits " +
                                ShapeString(logits.shape()) +
                                ", expected (m, 1), (m) or (m, ..., 1)");
  }
  // One label per logit: per example for (m, 1), per step for (m, T_y, 1).
  const Index n = logits.size();
  CheckLabels("BinaryCrossEntropy", n, labels.size());
  if (dlogits != nullptr) dlogits->Resize(logits.shape());
  double total = 0;
  for (Index i = 0; i < n; ++i) {
    const double z = logits[i];
    const double y = labels[i];
    if (labels[i] != 0 && labels[i] != 1) {
      throw std::invalid_argument("BinaryCrossEntropy: label " +
                                  std::to_string(labels[i]) + " of output " +
                                  std::to_string(i) + " is not 0 or 1");
    }
    total += std::max(z, 0.0) - z * y + std::log1p(std::exp(-std::abs(z)));
    if (dlogits != nullptr) {
      const double s = 1 / (1 + std::exp(-z));
      (*dlogits)[i] = T((s - y) / double(n));
    }
  }
  return n == 0 ? 0.0 : total / double(n);
}

#define DL_NN_INSTANTIATE(T)                                                  \
  template double SoftmaxCrossEntropy<T>(const Array<T>&,                     \
                                         const std::vector<int>&, Array<T>*); \
  template double BinaryCrossEntropy<T>(const Array<T>&,                      \
                                        const std::vector<int>&, Array<T>*);

DL_NN_INSTANTIATE(float)
DL_NN_INSTANTIATE(double)
#undef DL_NN_INSTANTIATE

}  // namespace nn
}  // namespace dl
