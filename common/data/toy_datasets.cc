#include "common/data/toy_datasets.h"

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace dl {
namespace {

constexpr double kPi = 3.141592653589793;  // np.pi

// np.linspace(0, stop, num, endpoint): i * (stop / div), with div = num - 1
// (endpoint) or num, and the last value exactly `stop` when endpoint.
std::vector<double> linspace_from_zero(double stop, int num, bool endpoint) {
  std::vector<double> t(static_cast<size_t>(num));
  const int div = endpoint ? num - 1 : num;
  if (div <= 0) {  // num = 1 with endpoint: numpy returns [start]
    if (num == 1) t[0] = 0.0;
    return t;
  }
  const double step = stop / div;
  for (int i = 0; i < num; ++i) t[i] = i * step + 0.0;
  if (endpoint && num > 1) t[num - 1] = stop;
  return t;
}

void check_arguments(const char* function, int n_samples, double noise) {
  if (n_samples < 1) {
    throw std::invalid_argument(std::string(function) +
                                ": n_samples must be >= 1, got " +
                                std::to_string(n_samples));
  }
  if (!(noise >= 0) || !std::isfinite(noise)) {
    throw std::invalid_argument(std::string(function) +
                                ": noise must be a number >= 0");
  }
}

// sklearn.utils.shuffle then X += rng.normal(scale=noise, size=(n, 2)).
// `points` is (n, 2) row by row as sklearn builds it; returns the course's
// (2, n) and (1, n).
ToyData shuffle_and_add_noise(const Matrix& points, int n_out, double noise,
                              RandomState& rng) {
  const int n = static_cast<int>(points.rows());
  std::vector<int64_t> indices(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) indices[i] = i;
  rng.shuffle(indices);
  ToyData data;
  data.X.resize(2, n);
  data.Y.resize(1, n);
  for (int i = 0; i < n; ++i) {
    const int64_t k = indices[i];
    data.X(0, i) = points(k, 0);
    data.X(1, i) = points(k, 1);
    data.Y(0, i) = k < n_out ? 0.0 : 1.0;
  }
  // numpy's legacy normal(loc=0, scale) is loc + scale * gauss, in C order.
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < 2; ++j) {
      data.X(j, i) += 0.0 + noise * rng.standard_normal();
    }
  }
  return data;
}

}  // namespace

ToyData make_circles(int n_samples, double noise, RandomState& rng,
                     double factor) {
  check_arguments("make_circles", n_samples, noise);
  if (!(factor >= 0 && factor <= 1)) {
    throw std::invalid_argument("make_circles: factor must be in [0, 1]");
  }
  const int n_out = n_samples / 2;
  const int n_in = n_samples - n_out;
  const std::vector<double> t_out =
      linspace_from_zero(2 * kPi, n_out, /*endpoint=*/false);
  const std::vector<double> t_in =
      linspace_from_zero(2 * kPi, n_in, /*endpoint=*/false);
  Matrix points(n_samples, 2);
  for (int i = 0; i < n_out; ++i) {
    points(i, 0) = std::cos(t_out[i]);
    points(i, 1) = std::sin(t_out[i]);
  }
  for (int i = 0; i < n_in; ++i) {
    points(n_out + i, 0) = std::cos(t_in[i]) * factor;
    points(n_out + i, 1) = std::sin(t_in[i]) * factor;
  }
  return shuffle_and_add_noise(points, n_out, noise, rng);
}

ToyData make_moons(int n_samples, double noise, RandomState& rng) {
  check_arguments("make_moons", n_samples, noise);
  const int n_out = n_samples / 2;
  const int n_in = n_samples - n_out;
  const std::vector<double> t_out =
      linspace_from_zero(kPi, n_out, /*endpoint=*/true);
  const std::vector<double> t_in =
      linspace_from_zero(kPi, n_in, /*endpoint=*/true);
  Matrix points(n_samples, 2);
  for (int i = 0; i < n_out; ++i) {
    points(i, 0) = std::cos(t_out[i]);
    points(i, 1) = std::sin(t_out[i]);
  }
  for (int i = 0; i < n_in; ++i) {
    points(n_out + i, 0) = 1 - std::cos(t_in[i]);
    points(n_out + i, 1) = 1 - std::sin(t_in[i]) - 0.5;
  }
  return shuffle_and_add_noise(points, n_out, noise, rng);
}

}  // namespace dl
