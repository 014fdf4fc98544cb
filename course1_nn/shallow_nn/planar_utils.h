// File: course1_nn/shallow_nn/planar_utils.h
//
// Given (not graded): the course's planar_utils. The "flower" data set, two
// classes of 2-D points on the petals of a rose curve, and the course's
// accuracy formula.

#ifndef DLCOURSE_COURSE1_NN_SHALLOW_NN_PLANAR_UTILS_H_
#define DLCOURSE_COURSE1_NN_SHALLOW_NN_PLANAR_UTILS_H_

#include "common/core/tensor.h"

namespace shallow_nn {

struct PlanarData {
  dl::Matrix X;  // (2, 400): the points (x1, x2), one per column
  dl::Matrix Y;  // (1, 400): the labels, 0 (red) or 1 (blue)
};

// The course's load_planar_dataset(), number for number:
//   np.random.seed(1); m = 400; N = 200 points per class; a = 4 (the
//   flower's largest radius). For class j = 0, 1 (columns N*j .. N*(j+1)-1):
//     t = linspace(3.12 j, 3.12 (j+1), N) + randn(N) * 0.2    (the angle)
//     r = a sin(4 t) + randn(N) * 0.2                         (the radius)
//     point = (r sin t, r cos t),  label j.
PlanarData load_planar_dataset();

// The course's accuracy in percent:
//   (Y·predictionsᵀ + (1 - Y)·(1 - predictions)ᵀ) / m * 100,
// the share of examples whose 0/1 prediction equals the label.
//   predictions, Y: (1, m) of 0/1.
double accuracy(const dl::Matrix& predictions, const dl::Matrix& Y);

}  // namespace shallow_nn

#endif  // DLCOURSE_COURSE1_NN_SHALLOW_NN_PLANAR_UTILS_H_
