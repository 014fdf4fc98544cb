// File: course2_tuning/regularization/football_data.h
//
// Given (not graded): a stand-in for the course's "French football" data
// (datasets/data.mat, not available here). The course's story: the goal
// keeper kicks the ball; each dot is where on the field (x1, x2) a player
// hit it with his head, blue (y = 1) when a French player did, red (y = 0)
// for the other team. Like the original, the two classes meet along a
// wavy line, overlap near it, and a few points sit deep in the other side
// (outliers), so that a large unregularized network overfits them.

#ifndef DLCOURSE_COURSE2_TUNING_REGULARIZATION_FOOTBALL_DATA_H_
#define DLCOURSE_COURSE2_TUNING_REGULARIZATION_FOOTBALL_DATA_H_

#include "common/core/tensor.h"

namespace regularization {

struct FootballData {
  dl::Matrix train_X;  // (2, 211): positions (x1, x2) in about [-0.75, 0.75]
  dl::Matrix train_Y;  // (1, 211): 1 = France (blue), 0 = other team (red)
  dl::Matrix test_X;   // (2, 200)
  dl::Matrix test_Y;   // (1, 200)
};

// Deterministic (dl::RandomState(kFootballSeed)): the same points every
// call. Each point: (x1, x2) uniform in [-0.75, 0.75]²; label 1 when
// x2 > 0.2 sin(2.5 x1 + 0.5) + 0.05 + n with n ~ N(0, 0.08²) (the overlap
// near the boundary); then with probability 0.04 the label flips (the
// outliers, anywhere on the field).
FootballData load_football_dataset();

inline constexpr unsigned kFootballSeed = 2;

}  // namespace regularization

#endif  // DLCOURSE_COURSE2_TUNING_REGULARIZATION_FOOTBALL_DATA_H_
