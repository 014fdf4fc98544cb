// The given code of course4_seq/emojify: the word indices as the model's
// input array.

#include "course4_seq/emojify/emojify.h"

namespace emojify {

nn::Array<float> to_model_input(const Matrix& X_indices) {
  nn::Array<float> x({X_indices.rows(), X_indices.cols()});
  for (Eigen::Index i = 0; i < X_indices.rows(); ++i) {
    for (Eigen::Index j = 0; j < X_indices.cols(); ++j) {
      x(i, j) = static_cast<float>(X_indices(i, j));
    }
  }
  return x;
}

}  // namespace emojify
