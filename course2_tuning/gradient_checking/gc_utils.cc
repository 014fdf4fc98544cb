// Given code of course2_tuning/gradient_checking: the course's gc_utils and
// the notebook's 3-layer network. Written the way the course wrote it, so
// the costs (and the gradient checks built on them) match numpy's closely.

#include "course2_tuning/gradient_checking/gc_utils.h"

#include <cmath>
#include <stdexcept>

namespace gradient_checking {
namespace {

const Matrix& at(const Parameters& map, const std::string& key,
                 const char* function) {
  auto it = map.find(key);
  if (it == map.end()) {
    throw std::invalid_argument(std::string(function) + ": no key \"" + key +
                                "\"");
  }
  return it->second;
}

// Appends M row by row (numpy's reshape(-1, 1)).
void append_rows(const Matrix& M, std::vector<double>& out) {
  for (Eigen::Index i = 0; i < M.rows(); ++i) {
    for (Eigen::Index j = 0; j < M.cols(); ++j) out.push_back(M(i, j));
  }
}

Matrix column(const std::vector<double>& values) {
  Matrix theta(static_cast<Eigen::Index>(values.size()), 1);
  for (size_t i = 0; i < values.size(); ++i) {
    theta(static_cast<Eigen::Index>(i), 0) = values[i];
  }
  return theta;
}

// The course's gc_utils.sigmoid and relu.
Matrix sigmoid(const Matrix& x) {
  return (1.0 / (1.0 + (-x.array()).exp())).matrix();
}
Matrix relu(const Matrix& x) { return x.cwiseMax(0.0); }

// np.dot(W, A) + b as numpy computed it for the course: its BLAS (OpenBLAS)
// accumulates each entry in order k = 0, 1, ... with fused multiply-adds.
// The centered differences in gradient_check_n divide rounding errors of the
// cost by 2ε = 2e-7, so the course's "fixed" difference 1.1890913024229996e-07
// is mostly rounding noise: with plain a*b + s it comes out as 1.18904e-07,
// with fma as 1.1890913024597e-07 (and the buggy 0.2850931567761623 exactly).
Matrix linear(const Matrix& W, const Matrix& A, const Matrix& b) {
  Matrix Z(W.rows(), A.cols());
  for (Eigen::Index i = 0; i < W.rows(); ++i) {
    for (Eigen::Index j = 0; j < A.cols(); ++j) {
      double s = 0;
      for (Eigen::Index k = 0; k < W.cols(); ++k) {
        s = std::fma(W(i, k), A(k, j), s);
      }
      Z(i, j) = s + b(i, 0);
    }
  }
  return Z;
}

// dZ = dA ⊙ (A > 0): the course's np.multiply(dA, np.int64(A > 0)).
Matrix relu_mask(const Matrix& dA, const Matrix& A) {
  return (dA.array() * (A.array() > 0).cast<double>()).matrix();
}

Grads backward(const Matrix& X, const Matrix& Y, const Cache& c,
               bool planted_bugs) {
  const double m = static_cast<double>(X.cols());
  Grads g;
  g["dZ3"] = c.A3 - Y;
  g["dW3"] = 1.0 / m * (g["dZ3"] * c.A2.transpose());
  g["db3"] = 1.0 / m * g["dZ3"].rowwise().sum();
  g["dA2"] = c.W3.transpose() * g["dZ3"];
  g["dZ2"] = relu_mask(g["dA2"], c.A2);
  g["dW2"] = 1.0 / m * (g["dZ2"] * c.A1.transpose());
  if (planted_bugs) g["dW2"] *= 2;  // planted bug 1
  g["db2"] = 1.0 / m * g["dZ2"].rowwise().sum();
  g["dA1"] = c.W2.transpose() * g["dZ2"];
  g["dZ1"] = relu_mask(g["dA1"], c.A1);
  g["dW1"] = 1.0 / m * (g["dZ1"] * X.transpose());
  g["db1"] = (planted_bugs ? 4.0 : 1.0) / m *  // planted bug 2: 4/m
             g["dZ1"].rowwise().sum();
  return g;
}

}  // namespace

ParameterVector dictionary_to_vector(const Parameters& parameters) {
  std::vector<double> values;
  ParameterVector result;
  for (const std::string& key : kParameterKeys) {
    const Matrix& M = at(parameters, key, "dictionary_to_vector");
    append_rows(M, values);
    result.keys.insert(result.keys.end(), static_cast<size_t>(M.size()), key);
  }
  result.theta = column(values);
  return result;
}

Parameters vector_to_dictionary(const Matrix& theta, const Parameters& shapes) {
  Eigen::Index needed = 0;
  for (const std::string& key : kParameterKeys) {
    needed += at(shapes, key, "vector_to_dictionary").size();
  }
  if (theta.cols() != 1 || theta.rows() != needed) {
    throw std::invalid_argument("vector_to_dictionary: theta is " +
                                dl::shape_string(theta) + ", expected (" +
                                std::to_string(needed) + ", 1)");
  }
  Parameters parameters;
  Eigen::Index k = 0;
  for (const std::string& key : kParameterKeys) {
    const Matrix& like = shapes.at(key);
    Matrix M(like.rows(), like.cols());
    for (Eigen::Index i = 0; i < M.rows(); ++i) {
      for (Eigen::Index j = 0; j < M.cols(); ++j) M(i, j) = theta(k++, 0);
    }
    parameters[key] = M;
  }
  return parameters;
}

Matrix gradients_to_vector(const Grads& gradients) {
  std::vector<double> values;
  for (const std::string& key : kParameterKeys) {
    append_rows(at(gradients, "d" + key, "gradients_to_vector"), values);
  }
  return column(values);
}

ForwardResult forward_propagation_n(const Matrix& X, const Matrix& Y,
                                    const Parameters& parameters) {
  const char* f = "forward_propagation_n";
  const double m = static_cast<double>(X.cols());
  ForwardResult r;
  Cache& c = r.cache;
  c.W1 = at(parameters, "W1", f);
  c.b1 = at(parameters, "b1", f);
  c.W2 = at(parameters, "W2", f);
  c.b2 = at(parameters, "b2", f);
  c.W3 = at(parameters, "W3", f);
  c.b3 = at(parameters, "b3", f);
  c.Z1 = linear(c.W1, X, c.b1);
  c.A1 = relu(c.Z1);
  c.Z2 = linear(c.W2, c.A1, c.b2);
  c.A2 = relu(c.Z2);
  c.Z3 = linear(c.W3, c.A2, c.b3);
  c.A3 = sigmoid(c.Z3);
  // log_probs = -log(A3) ⊙ Y + -log(1 - A3) ⊙ (1 - Y); cost = 1/m Σ log_probs
  const Matrix log_probs = ((-c.A3.array().log()) * Y.array() +
                            (-(1.0 - c.A3.array()).log()) * (1.0 - Y.array()))
                               .matrix();
  double sum = 0;
  for (Eigen::Index j = 0; j < log_probs.cols(); ++j) sum += log_probs(0, j);
  r.cost = 1.0 / m * sum;
  return r;
}

Grads backward_propagation_n(const Matrix& X, const Matrix& Y,
                             const Cache& cache) {
  return backward(X, Y, cache, /*planted_bugs=*/true);
}

Grads backward_propagation_n_fixed(const Matrix& X, const Matrix& Y,
                                   const Cache& cache) {
  return backward(X, Y, cache, /*planted_bugs=*/false);
}

}  // namespace gradient_checking
