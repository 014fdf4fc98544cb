// Your solutions to course2_tuning/regularization. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course2_tuning/regularization/...
// The formulas and shapes are in regularization.h and README.md.
//
// Given: compute_cost(A3, Y) and the rest of the course's reg_utils
// (regularization.h); dl::relu(Z), dl::sigmoid(Z) from common/nn/activations.h.

#include "common/core/random.h"
#include "common/grading/not_implemented.h"
#include "common/nn/activations.h"
#include "course2_tuning/regularization/regularization.h"

namespace regularization {

double compute_cost_with_regularization(const Matrix& A3, const Matrix& Y,
                                        const Parameters& parameters,
                                        double lambd) {
  // TODO: cross_entropy_cost = compute_cost(A3, Y)   (given)
  //       L2_regularization_cost = λ/(2m) (Σ W1² + Σ W2² + Σ W3²)
  //       return their sum. (≈4 lines)
  //   Hint: m = Y.cols() as a double; W.squaredNorm() is Σ of the squares
  //   of all entries (np.sum(np.square(W))).
  return dl::not_implemented<double>("compute_cost_with_regularization");
}

Gradients backward_propagation_with_regularization(const Matrix& X,
                                                   const Matrix& Y,
                                                   const Cache3& cache,
                                                   double lambd) {
  // TODO: the course's backward_propagation, with (λ/m) W added to each dW:
  //       dZ3 = A3 - Y,  dW3 = (1/m) dZ3 A2ᵀ + (λ/m) W3,  db3 = (1/m) Σ dZ3
  //       dA2 = W3ᵀ dZ3, dZ2 = dA2 ⊙ (A2 > 0),
  //       dW2 = (1/m) dZ2 A1ᵀ + (λ/m) W2,  db2 = (1/m) Σ dZ2
  //       dA1 = W2ᵀ dZ2, dZ1 = dA1 ⊙ (A1 > 0),
  //       dW1 = (1/m) dZ1 Xᵀ + (λ/m) W1,   db1 = (1/m) Σ dZ1
  //       Fill every field of Gradients. (≈12 lines)
  //   Hint: everything but X and Y comes from the cache (cache.A2,
  //   cache.W3, ...). dZ3.rowwise().sum() is (n, 1): numpy's axis=1,
  //   keepdims=True. (A2.array() > 0).cast<double>().matrix() is the 0/1
  //   matrix of A2 > 0; multiply entry by entry with cwiseProduct.
  // clang-format off
  return dl::not_implemented<Gradients>("backward_propagation_with_regularization");
  // clang-format on
}

DropoutForward forward_propagation_with_dropout(const Matrix& X,
                                                const Parameters& parameters,
                                                double keep_prob) {
  // TODO: dl::RandomState rng(1) (the course's np.random.seed(1));
  //       Z1 = W1 X + b1, A1 = relu(Z1),
  //       D1 = (rand(n1, m) < keep_prob), A1 = A1 ⊙ D1 / keep_prob;
  //       the same for layer 2 with D2; Z3 = W3 A2 + b3, A3 = σ(Z3).
  //       Return A3 and the cache {Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2,
  //       Z3, A3, W3, b3}. (≈14 lines)
  //   Hint: rng.rand(rows, cols) is np.random.rand(rows, cols); draw D1
  //   first, then D2, from the same rng. (rng.rand(...).array() <
  //   keep_prob).cast<double>().matrix() is the 0/1 mask. Eigen does not
  //   broadcast: (W1 * X).colwise() + b1.col(0).
  // clang-format off
  return dl::not_implemented<DropoutForward>("forward_propagation_with_dropout");
  // clang-format on
}

Gradients backward_propagation_with_dropout(const Matrix& X, const Matrix& Y,
                                            const DropoutCache& cache,
                                            double keep_prob) {
  // TODO: the course's backward_propagation, with the forward pass's masks:
  //       dZ3 = A3 - Y,  dW3 = (1/m) dZ3 A2ᵀ,  db3 = (1/m) Σ dZ3
  //       dA2 = W3ᵀ dZ3 ⊙ D2 / keep_prob,  dZ2 = dA2 ⊙ (A2 > 0),
  //       dW2 = (1/m) dZ2 A1ᵀ,  db2 = (1/m) Σ dZ2
  //       dA1 = W2ᵀ dZ2 ⊙ D1 / keep_prob,  dZ1 = dA1 ⊙ (A1 > 0),
  //       dW1 = (1/m) dZ1 Xᵀ,   db1 = (1/m) Σ dZ1
  //       Fill every field of Gradients. (≈14 lines)
  //   Hint: use cache.D1 and cache.D2, the very masks of the forward pass;
  //   never draw new ones here.
  return dl::not_implemented<Gradients>("backward_propagation_with_dropout");
}

}  // namespace regularization
