// Tests of common/nn/losses.h: the values against the formulas written out,
// the gradients against centered finite differences, large logits, and the
// labels' checks.

#include "common/nn/losses.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "common/core/blas.h"
#include "common/core/random.h"
#include "common/nn/layers.h"
#include "common/nn/test_util.h"
#include "gtest/gtest.h"

namespace dl {
namespace nn {
namespace {

using ArrayD = Array<double>;
using test::Numeric;
using test::Randn;
using test::RelativeDifference;

// ----------------------------------------------------------------- losses

TEST(Losses, SoftmaxCrossEntropy) {
  RandomState rng(19);
  const ArrayD z = Randn(rng, {4, 3});
  const std::vector<int> labels = {2, 0, 1, 2};
  ArrayD dz;
  const double J = SoftmaxCrossEntropy(z, labels, &dz);
  double want = 0;
  for (int i = 0; i < 4; ++i) {
    double sum = 0;
    for (int c = 0; c < 3; ++c) sum += std::exp(z(i, c));
    want -= std::log(std::exp(z(i, labels[i])) / sum) / 4;
  }
  EXPECT_NEAR(J, want, 1e-14);
  ArrayD zz = z;
  const ArrayD numeric =
      Numeric([&] { return SoftmaxCrossEntropy(zz, labels); }, zz);
  EXPECT_LT(RelativeDifference(dz, numeric), 1e-8);
  // Stable for large logits; ln(C) for equal logits.
  EXPECT_NEAR(SoftmaxCrossEntropy(ArrayD({1, 6}, 1000.0), {3}), std::log(6.0),
              1e-12);
  EXPECT_THROW(SoftmaxCrossEntropy(z, {0, 1, 3, 0}), std::invalid_argument);
  EXPECT_THROW(SoftmaxCrossEntropy(z, {0, 1}), std::invalid_argument);
}

// A U-Net's per-pixel loss (its rows cut between two threads): the same
// bits on 1 thread as on 2, and the same value as row by row; a bad label
// in the second half is still reported.
TEST(Losses, SoftmaxCrossEntropySameBitsOnOneOrTwoThreads) {
  RandomState rng(21);
  const Shape shape{4, 48, 64, 6};  // 12,288 rows of 6 logits
  const Array<float> z = Cast<float>(Randn(rng, shape, 3.0));
  std::vector<int> labels(4 * 48 * 64);
  for (size_t i = 0; i < labels.size(); ++i) labels[i] = (i * 7 + i / 5) % 6;
  double J[2];
  Array<float> dz[2];
  for (int threads : {1, 2}) {
    SetMatrixProductThreads(threads);
    J[threads - 1] = SoftmaxCrossEntropy(z, labels, &dz[threads - 1]);
  }
  SetMatrixProductThreads(2);
  EXPECT_EQ(J[0], J[1]);
  EXPECT_TRUE(
      std::equal(dz[0].data(), dz[0].data() + dz[0].size(), dz[1].data()))
      << "1 and 2 threads give different bits";
  double want = 0;
  for (size_t i = 0; i < labels.size(); ++i) {
    double sum = 0;
    for (int c = 0; c < 6; ++c) sum += std::exp(double(z[i * 6 + c]));
    want += std::log(sum) - double(z[i * 6 + labels[i]]);
  }
  EXPECT_NEAR(J[1], want / double(labels.size()), 1e-12);
  labels.back() = 6;
  EXPECT_THROW(SoftmaxCrossEntropy(z, labels, &dz[0]), std::invalid_argument);
}

TEST(Losses, BinaryCrossEntropy) {
  RandomState rng(20);
  const ArrayD z = Randn(rng, {5, 1}, 3.0);
  const std::vector<int> labels = {1, 0, 0, 1, 1};
  ArrayD dz;
  const double J = BinaryCrossEntropy(z, labels, &dz);
  double want = 0;
  for (int i = 0; i < 5; ++i) {
    const double a = 1 / (1 + std::exp(-z[i]));
    want -= (labels[i] * std::log(a) + (1 - labels[i]) * std::log(1 - a)) / 5;
  }
  EXPECT_NEAR(J, want, 1e-12);
  for (int i = 0; i < 5; ++i) {
    EXPECT_NEAR(dz[i], (1 / (1 + std::exp(-z[i])) - labels[i]) / 5, 1e-14);
  }
  EXPECT_NEAR(BinaryCrossEntropy(ArrayD({1, 1}, -800.0), {0}), 0.0, 1e-12);
  EXPECT_NEAR(BinaryCrossEntropy(ArrayD({1, 1}, -800.0), {1}), 800.0, 1e-9);
  EXPECT_THROW(BinaryCrossEntropy(z, {1, 0, 2, 1, 1}), std::invalid_argument);
}

// A prediction per pixel (U-Net): the mean over every pixel of every
// example, as Keras's SparseCategoricalCrossentropy on (m, n_H, n_W, C).
TEST(Losses, SoftmaxCrossEntropyPerPixel) {
  RandomState rng(22);
  const ArrayD z = Randn(rng, {2, 2, 3, 4}, 2.0);
  std::vector<int> labels(12);
  for (int& y : labels) y = static_cast<int>(rng.randint(0, 4));
  ArrayD dz;
  const double J = SoftmaxCrossEntropy(z, labels, &dz);
  double want = 0;
  for (int i = 0; i < 12; ++i) {
    double sum = 0;
    for (int c = 0; c < 4; ++c) sum += std::exp(z[i * 4 + c]);
    want -= std::log(std::exp(z[i * 4 + labels[i]]) / sum) / 12;
    for (int c = 0; c < 4; ++c) {
      const double p = std::exp(z[i * 4 + c]) / sum;
      EXPECT_NEAR(dz[i * 4 + c], (p - (c == labels[i])) / 12, 1e-14);
    }
  }
  EXPECT_NEAR(J, want, 1e-12);
  EXPECT_THROW(SoftmaxCrossEntropy(z, {0, 1}), std::invalid_argument);
}

// A prediction per time step (the trigger-word model): the mean over every
// step of every example, as Keras's mean over the batch and the steps.
TEST(Losses, BinaryCrossEntropyPerStep) {
  RandomState rng(21);
  const ArrayD z = Randn(rng, {2, 3, 1}, 2.0);
  const std::vector<int> labels = {0, 1, 1, 0, 0, 1};
  ArrayD dz;
  const double J = BinaryCrossEntropy(z, labels, &dz);
  double want = 0;
  for (int i = 0; i < 6; ++i) {
    const double a = 1 / (1 + std::exp(-z[i]));
    want -= (labels[i] * std::log(a) + (1 - labels[i]) * std::log(1 - a)) / 6;
    EXPECT_NEAR(dz[i], (a - labels[i]) / 6, 1e-14);
  }
  EXPECT_NEAR(J, want, 1e-12);
  EXPECT_EQ(dz.shape(), z.shape());
  EXPECT_THROW(BinaryCrossEntropy(z, {0, 1}), std::invalid_argument);
  EXPECT_THROW(BinaryCrossEntropy(ArrayD({2, 3, 2}), std::vector<int>(12, 0)),
               std::invalid_argument);
}

}  // namespace
}  // namespace nn
}  // namespace dl
