// File: common/data/toy_datasets.h
//
// scikit-learn's two-class toy data sets, make_circles and make_moons,
// reproduced number for number from numpy's legacy generator. The course
// (C2W1 Initialization, C2W2 Optimization) drew them from numpy's global
// stream:
//
//   Python (init_utils / opt_utils)            C++
//   np.random.seed(1)                          dl::RandomState rng(1);
//   X, y = make_circles(n_samples=300,         dl::ToyData train =
//                       noise=.05)                 dl::make_circles(300, .05,
//                       rng);
//   train_X = X.T; train_Y = y.reshape(1, 300) train.X (2, 300), train.Y (1,
//   300)
//
// (random_state=None in sklearn means the global np.random stream; here it
// is the RandomState passed in, which advances the same way.)
//
// The algorithm (sklearn.datasets, n_out = n // 2, n_in = n - n_out):
//   circles: outer (cos t, sin t) for t = linspace(0, 2π, n_out,
//            endpoint=False); inner factor·(cos t, sin t) for t =
//            linspace(0, 2π, n_in, endpoint=False).
//   moons:   outer (cos t, sin t) for t = linspace(0, π, n_out); inner
//            (1 - cos t, 1 - sin t - 0.5) for t = linspace(0, π, n_in).
//   X = the outer points then the inner ones, y = n_out zeros then n_in
//   ones; then sklearn.utils.shuffle (indices = arange(n);
//   rng.shuffle(indices); X, y = X[indices], y[indices]); then
//   X += rng.normal(scale=noise, size=(n, 2)), drawn row by row (x of point
//   0, y of point 0, x of point 1, ...). The draws: n - 1 for the shuffle,
//   then 2n normals.
//
// Versions. The course ran scikit-learn 0.19 (2017-2018). Its make_moons is
// the algorithm above. Its make_circles used
//   t = linspace(0, 2π, n // 2 + 1)[:-1] for both circles, inner =
//   outer·factor,
// which gives the very same doubles for an even n (linspace computes
// i·(2π / (n/2)) either way), so the course's sets (300 and 100 points) are
// reproduced exactly by the recent algorithm; for an odd n, 0.19 returned
// n - 1 points. Checked in toy_datasets_test.cc against the course's own
// numbers: the He-initialized network's first cost on the circles
// (0.8830537463419761) and the first-epoch costs on the moons.

#ifndef DLCOURSE_COMMON_DATA_TOY_DATASETS_H_
#define DLCOURSE_COMMON_DATA_TOY_DATASETS_H_

#include "common/core/random.h"
#include "common/core/tensor.h"

namespace dl {

// Points and labels in the course's layout: one example per column.
struct ToyData {
  Matrix X;  // (2, n_samples): row 0 is x1, row 1 is x2
  Matrix Y;  // (1, n_samples): 0 (outer circle / upper moon) or 1
};

// Two concentric circles (radius 1 and `factor`), shuffled, with Gaussian
// noise of standard deviation `noise`. n_samples >= 1, noise >= 0,
// 0 <= factor <= 1 (std::invalid_argument otherwise). noise = 0 still
// draws the 2n normals, as numpy's normal(scale=0) does.
ToyData make_circles(int n_samples, double noise, RandomState& rng,
                     double factor = 0.8);

// Two interleaving half circles, shuffled, with Gaussian noise.
// n_samples >= 1, noise >= 0.
ToyData make_moons(int n_samples, double noise, RandomState& rng);

}  // namespace dl

#endif  // DLCOURSE_COMMON_DATA_TOY_DATASETS_H_
