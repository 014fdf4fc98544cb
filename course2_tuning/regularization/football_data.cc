// Given code of course2_tuning/regularization: the generated stand-in for
// the course's football data set (see football_data.h).

#include "course2_tuning/regularization/football_data.h"

#include <cmath>

#include "common/core/random.h"

namespace regularization {
namespace {

void draw(dl::RandomState& rng, int m, dl::Matrix& X, dl::Matrix& Y) {
  X.resize(2, m);
  Y.resize(1, m);
  for (int i = 0; i < m; ++i) {
    const double x1 = rng.uniform(-0.75, 0.75);
    const double x2 = rng.uniform(-0.75, 0.75);
    const double noise = 0.08 * rng.standard_normal();
    double y = x2 > 0.2 * std::sin(2.5 * x1 + 0.5) + 0.05 + noise ? 1 : 0;
    if (rng.random_sample() < 0.04) y = 1 - y;  // an outlier
    X(0, i) = x1;
    X(1, i) = x2;
    Y(0, i) = y;
  }
}

}  // namespace

FootballData load_football_dataset() {
  dl::RandomState rng(kFootballSeed);
  FootballData data;
  draw(rng, 211, data.train_X, data.train_Y);
  draw(rng, 200, data.test_X, data.test_Y);
  return data;
}

}  // namespace regularization
