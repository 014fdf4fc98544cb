// File: course4_seq/rnn_step_by_step/rnn_utils.h
//
// Given code (not graded), the course's rnn_utils.py plus the numpy slicing
// that a 3-D tensor needs in C++:
//
//   Python                         C++
//   softmax(x)                     softmax(x)
//   sigmoid(x)                     sigmoid(x)
//   x[:, :, t]                     time_step(x, t)          -> Matrix (n, m)
//   a[:, :, t] = a_next            set_time_step(a, t, a_next)
//   np.zeros((n_a, m, T_x))        zeros(n_a, m, T_x)
//   n_x, m, T_x = x.shape          x.dimension(0), x.dimension(1),
//                                  x.dimension(2)

#ifndef DLCOURSE_COURSE4_SEQ_RNN_STEP_BY_STEP_RNN_UTILS_H_
#define DLCOURSE_COURSE4_SEQ_RNN_STEP_BY_STEP_RNN_UTILS_H_

#include "common/core/tensor.h"

namespace rnn_step_by_step {

using dl::Matrix;
// A sequence in the course's layout (n, m, T_x), numpy's index order:
// x(i, j, t) is numpy's x[i, j, t].
using Tensor3 = dl::Tensor<3>;

// The course's rnn_utils.softmax: e^(x - max(x)) / Σ over axis 0, i.e. a
// softmax of every COLUMN (one example per column). max(x) is the largest
// entry of the whole matrix, as in the course; it does not change the result.
//   x: (n, m) -> (n, m), every column sums to 1.
Matrix softmax(const Matrix& x);

// σ(x) = 1 / (1 + e^(-x)), entry by entry.
Matrix sigmoid(const Matrix& x);

// numpy's x[:, :, t]: the 2-D slice of time step t.
//   x: (n, m, T_x) -> (n, m). Throws std::out_of_range unless 0 <= t < T_x.
Matrix time_step(const Tensor3& x, Eigen::Index t);

// numpy's x[:, :, t] = value.
//   x: (n, m, T_x)   value: (n, m). Throws std::invalid_argument if the shapes
//   do not fit, std::out_of_range unless 0 <= t < T_x.
void set_time_step(Tensor3& x, Eigen::Index t, const Matrix& value);

// A tensor of zeros of shape (n, m, T_x): numpy's np.zeros((n, m, T_x)).
Tensor3 zeros(Eigen::Index n, Eigen::Index m, Eigen::Index T_x);

}  // namespace rnn_step_by_step

#endif  // DLCOURSE_COURSE4_SEQ_RNN_STEP_BY_STEP_RNN_UTILS_H_
