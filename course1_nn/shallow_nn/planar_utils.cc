#include "course1_nn/shallow_nn/planar_utils.h"

#include <cmath>

#include "common/core/random.h"

namespace shallow_nn {

PlanarData load_planar_dataset() {
  dl::RandomState rng(1);  // np.random.seed(1)
  const int m = 400;       // number of examples
  const int N = m / 2;     // number of points per class
  const int D = 2;         // dimensionality
  const double a = 4;      // maximum ray of the flower
  PlanarData data;
  data.X = dl::Matrix::Zero(D, m);
  data.Y = dl::Matrix::Zero(1, m);
  for (int j = 0; j < 2; ++j) {
    // np.linspace(start, stop, N): start + i * step, the last one exactly
    // stop. Then randn(N) for the angles, then randn(N) for the radii.
    const double start = j * 3.12, stop = (j + 1) * 3.12;
    const double step = (stop - start) / (N - 1);
    const dl::Matrix t_noise = rng.randn(1, N);
    const dl::Matrix r_noise = rng.randn(1, N);
    for (int i = 0; i < N; ++i) {
      const double linspace = i == N - 1 ? stop : i * step + start;
      const double t = linspace + t_noise(0, i) * 0.2;             // theta
      const double r = a * std::sin(4 * t) + r_noise(0, i) * 0.2;  // radius
      data.X(0, N * j + i) = r * std::sin(t);
      data.X(1, N * j + i) = r * std::cos(t);
      data.Y(0, N * j + i) = j;
    }
  }
  return data;
}

double accuracy(const dl::Matrix& predictions, const dl::Matrix& Y) {
  const dl::Matrix ones = dl::Matrix::Ones(Y.rows(), Y.cols());
  const double correct = (Y * predictions.transpose() +
                          (ones - Y) * (ones - predictions).transpose())(0, 0);
  return correct / static_cast<double>(Y.size()) * 100;
}

}  // namespace shallow_nn
