// The given code of course4_seq/word_vectors (the course's emo_utils):
// softmax and convert_to_one_hot.

#include <stdexcept>
#include <string>
#include <vector>

#include "course4_seq/word_vectors/word_vectors.h"

namespace word_vectors {

Matrix softmax(const Matrix& z) {
  Matrix out(z.rows(), z.cols());
  for (Eigen::Index j = 0; j < z.cols(); ++j) {
    const double max = z.col(j).maxCoeff();
    out.col(j) = (z.col(j).array() - max).exp().matrix();
    out.col(j) /= out.col(j).sum();
  }
  return out;
}

Matrix convert_to_one_hot(const std::vector<int>& Y, int C) {
  Matrix Y_oh = Matrix::Zero(C, static_cast<Eigen::Index>(Y.size()));
  for (size_t j = 0; j < Y.size(); ++j) {
    if (Y[j] < 0 || Y[j] >= C) {
      throw std::invalid_argument("convert_to_one_hot: label " +
                                  std::to_string(Y[j]) + " is not in 0 .. " +
                                  std::to_string(C - 1));
    }
    Y_oh(Y[j], static_cast<Eigen::Index>(j)) = 1;
  }
  return Y_oh;
}

}  // namespace word_vectors
