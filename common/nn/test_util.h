// File: common/nn/test_util.h
//
// What the tests of the fast layers share (layers_test, sequence_layers_test):
// random arrays, an entry-by-entry comparison that names the worst entry,
// and the course's gradient-check measure.

#ifndef DLCOURSE_COMMON_NN_TEST_UTIL_H_
#define DLCOURSE_COMMON_NN_TEST_UTIL_H_

#include "common/core/random.h"
#include "common/nn/layers.h"
#include "gtest/gtest.h"

namespace dl {
namespace nn {
namespace test {

// Entries drawn from N(0, scale²).
Array<double> Randn(RandomState& rng, const Shape& shape, double scale = 1.0);

// Passes when both arrays have the same shape and every entry is within
// atol + rtol |want|; otherwise names the worst entry.
testing::AssertionResult Close(const Array<double>& got,
                               const Array<double>& want, double atol = 1e-12,
                               double rtol = 1e-10);

// ||a - n|| / (||a|| + ||n||), the course's gradient-check measure.
double RelativeDifference(const Array<double>& a, const Array<double>& n);

}  // namespace test
}  // namespace nn
}  // namespace dl

#endif  // DLCOURSE_COMMON_NN_TEST_UTIL_H_
