#include "common/nn/test_util.h"

#include <cmath>

namespace dl {
namespace nn {
namespace test {

Array<double> Randn(RandomState& rng, const Shape& shape, double scale) {
  Array<double> a(shape);
  for (Index i = 0; i < a.size(); ++i) a[i] = scale * rng.standard_normal();
  return a;
}

testing::AssertionResult Close(const Array<double>& got,
                               const Array<double>& want, double atol,
                               double rtol) {
  if (got.shape() != want.shape()) {
    return testing::AssertionFailure()
           << "shape " << ShapeString(got.shape()) << ", expected "
           << ShapeString(want.shape());
  }
  Index worst = -1;
  double worst_excess = 0;
  for (Index i = 0; i < got.size(); ++i) {
    const double excess =
        std::abs(got[i] - want[i]) - (atol + rtol * std::abs(want[i]));
    if (!(excess <= 0) && (worst < 0 || !(excess <= worst_excess))) {
      worst = i;
      worst_excess = excess;
    }
  }
  if (worst < 0) return testing::AssertionSuccess();
  return testing::AssertionFailure()
         << "entry " << worst << " of " << ShapeString(got.shape()) << ": got "
         << got[worst] << ", expected " << want[worst];
}

double RelativeDifference(const Array<double>& a, const Array<double>& n) {
  const double num = (a.vec() - n.vec()).norm();
  const double den = a.vec().norm() + n.vec().norm();
  return den == 0 ? 0 : num / den;
}

}  // namespace test
}  // namespace nn
}  // namespace dl
