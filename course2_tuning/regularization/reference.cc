// The reference solution of course2_tuning/regularization.

#include "common/core/random.h"
#include "common/nn/activations.h"
#include "course2_tuning/regularization/regularization.h"

namespace regularization {
namespace reference {

namespace {

// relu'(A) as 1.0 / 0.0: the course's np.int64(A > 0).
Matrix positive(const Matrix& A) {
  return (A.array() > 0).cast<double>().matrix();
}

// The course's D = (np.random.rand(rows, m) < keep_prob), as 1.0 / 0.0.
Matrix dropout_mask(dl::RandomState& rng, Eigen::Index rows, Eigen::Index m,
                    double keep_prob) {
  return (rng.rand(rows, m).array() < keep_prob).cast<double>().matrix();
}

}  // namespace

double compute_cost_with_regularization(const Matrix& A3, const Matrix& Y,
                                        const Parameters& parameters,
                                        double lambd) {
  const double m = static_cast<double>(Y.cols());
  const double cross_entropy_cost = compute_cost(A3, Y);  // given
  const double L2_regularization_cost =
      lambd / (2 * m) *
      (parameters.W1.squaredNorm() + parameters.W2.squaredNorm() +
       parameters.W3.squaredNorm());
  return cross_entropy_cost + L2_regularization_cost;
}

Gradients backward_propagation_with_regularization(const Matrix& X,
                                                   const Matrix& Y,
                                                   const Cache3& cache,
                                                   double lambd) {
  const double m = static_cast<double>(X.cols());
  const Cache3& c = cache;
  Gradients g;
  g.dZ3 = c.A3 - Y;
  g.dW3 = g.dZ3 * c.A2.transpose() / m + lambd / m * c.W3;
  g.db3 = g.dZ3.rowwise().sum() / m;

  g.dA2 = c.W3.transpose() * g.dZ3;
  g.dZ2 = g.dA2.cwiseProduct(positive(c.A2));
  g.dW2 = g.dZ2 * c.A1.transpose() / m + lambd / m * c.W2;
  g.db2 = g.dZ2.rowwise().sum() / m;

  g.dA1 = c.W2.transpose() * g.dZ2;
  g.dZ1 = g.dA1.cwiseProduct(positive(c.A1));
  g.dW1 = g.dZ1 * X.transpose() / m + lambd / m * c.W1;
  g.db1 = g.dZ1.rowwise().sum() / m;
  return g;
}

DropoutForward forward_propagation_with_dropout(const Matrix& X,
                                                const Parameters& parameters,
                                                double keep_prob) {
  dl::RandomState rng(1);  // np.random.seed(1)
  const Parameters& p = parameters;
  DropoutForward f;
  DropoutCache& c = f.cache;
  c.Z1 = (p.W1 * X).colwise() + p.b1.col(0);
  c.D1 = dropout_mask(rng, c.Z1.rows(), c.Z1.cols(), keep_prob);
  c.A1 = dl::relu(c.Z1).cwiseProduct(c.D1) / keep_prob;  // shut down, scale

  c.Z2 = (p.W2 * c.A1).colwise() + p.b2.col(0);
  c.D2 = dropout_mask(rng, c.Z2.rows(), c.Z2.cols(), keep_prob);
  c.A2 = dl::relu(c.Z2).cwiseProduct(c.D2) / keep_prob;

  c.Z3 = (p.W3 * c.A2).colwise() + p.b3.col(0);
  c.A3 = dl::sigmoid(c.Z3);
  c.W1 = p.W1, c.b1 = p.b1, c.W2 = p.W2, c.b2 = p.b2, c.W3 = p.W3, c.b3 = p.b3;
  f.A3 = c.A3;
  return f;
}

Gradients backward_propagation_with_dropout(const Matrix& X, const Matrix& Y,
                                            const DropoutCache& cache,
                                            double keep_prob) {
  const double m = static_cast<double>(X.cols());
  const DropoutCache& c = cache;
  Gradients g;
  g.dZ3 = c.A3 - Y;
  g.dW3 = g.dZ3 * c.A2.transpose() / m;
  g.db3 = g.dZ3.rowwise().sum() / m;

  g.dA2 = (c.W3.transpose() * g.dZ3).cwiseProduct(c.D2) / keep_prob;
  g.dZ2 = g.dA2.cwiseProduct(positive(c.A2));
  g.dW2 = g.dZ2 * c.A1.transpose() / m;
  g.db2 = g.dZ2.rowwise().sum() / m;

  g.dA1 = (c.W2.transpose() * g.dZ2).cwiseProduct(c.D1) / keep_prob;
  g.dZ1 = g.dA1.cwiseProduct(positive(c.A1));
  g.dW1 = g.dZ1 * X.transpose() / m;
  g.db1 = g.dZ1.rowwise().sum() / m;
  return g;
}

}  // namespace reference
}  // namespace regularization
