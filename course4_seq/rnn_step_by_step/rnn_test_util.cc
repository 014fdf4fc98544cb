#include "course4_seq/rnn_step_by_step/rnn_test_util.h"

#include <cstddef>

namespace rnn_test {

std::string Shape::str() const {
  return " (n_x = " + std::to_string(n_x) + ", n_a = " + std::to_string(n_a) +
         ", n_y = " + std::to_string(n_y) + ", m = " + std::to_string(m) +
         ", T_x = " + std::to_string(T_x) + ")";
}

const std::vector<Shape> kShapes = {
    {4, 6, 3, 5, 3},  // all different
    {2, 3, 5, 1, 4},  // m = 1
    {1, 4, 2, 3, 5},  // n_x = 1
    {3, 1, 2, 4, 3},  // n_a = 1
    {5, 3, 1, 2, 6},  // n_y = 1
    {3, 2, 4, 6, 1},  // T_x = 1
};

const Shape kCheckShape{3, 4, 2, 5, 4};

Matrix over_time(const Tensor3& a, int i, int j) {
  Matrix row(1, a.dimension(2));
  for (Eigen::Index t = 0; t < a.dimension(2); ++t) row(0, t) = a(i, j, t);
  return row;
}

double sum_product(const Tensor3& a, const Tensor3& b) {
  double s = 0;
  for (Eigen::Index k = 0; k < a.size(); ++k) s += a.data()[k] * b.data()[k];
  return s;
}

testing::AssertionResult TensorHasShape(const std::string& function,
                                        const std::string& what,
                                        const Tensor3& got,
                                        const std::vector<int64_t>& want,
                                        const std::string& hint) {
  if (dl::shape_of(got) == want) return testing::AssertionSuccess();
  return testing::AssertionFailure()
         << function << ": " << what << " has shape " << dl::shape_string(got)
         << ", expected " << dl::shape_string(want) << ". " << hint;
}

std::vector<Matrix> split_steps(const Tensor3& x) {
  std::vector<Matrix> steps;
  for (Eigen::Index t = 0; t < x.dimension(2); ++t) {
    steps.push_back(rnn_step_by_step::time_step(x, t));
  }
  return steps;
}

Tensor3 join_steps(const std::vector<Matrix>& steps) {
  Tensor3 x(steps[0].rows(), steps[0].cols(),
            static_cast<Eigen::Index>(steps.size()));
  for (size_t t = 0; t < steps.size(); ++t) {
    rnn_step_by_step::set_time_step(x, static_cast<Eigen::Index>(t), steps[t]);
  }
  return x;
}

std::vector<dl::grading::GradientBlock> SequenceCheckData::dx_blocks(
    const Tensor3& dx) {
  std::vector<dl::grading::GradientBlock> blocks;
  for (size_t t = 0; t < x_steps.size(); ++t) {
    blocks.push_back(
        {"dx[:, :, " + std::to_string(t) + "]", &x_steps[t],
         rnn_step_by_step::time_step(dx, static_cast<Eigen::Index>(t))});
  }
  return blocks;
}

bool SequenceCheckData::HasGradientShapes(const std::string& f,
                                          const Tensor3& dx) const {
  return dl::grading::Reported(TensorHasShape(
      f, "dx", dx, dl::shape_of(x()), "dx has x's shape (n_x, m, T_x)"));
}

bool SequenceCheckData::HasGradientShapes(const std::string& f,
                                          const Tensor3& dx,
                                          const Matrix& da0) const {
  return HasGradientShapes(f, dx) &&
         dl::grading::Reported(dl::grading::HasShape(
             f, "da0", da0, a0.rows(), a0.cols(), "da0 is (n_a, m)"));
}

}  // namespace rnn_test
