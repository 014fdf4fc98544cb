// File: common/nn/autograd_layer_ops.cc
//
// The ops of common/nn/autograd.h that work across entries, which the
// attention and transformer layers are made of: softmax and log_softmax,
// stacking, slicing and reshaping, reductions, batch_matmul, layer_norm,
// gather_columns and cross_entropy. The graph, the entry-by-entry ops and
// the backward pass are in autograd.cc.

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "common/nn/autograd.h"
#include "common/nn/autograd_internal.h"

namespace dl {
namespace ag {

using namespace internal;  // NOLINT: what autograd_internal.h shares

namespace {

using Strided = Eigen::Map<Matrix, 0, Eigen::OuterStride<>>;
using ConstStrided = Eigen::Map<const Matrix, 0, Eigen::OuterStride<>>;

void CheckAxis(const char* op, int axis) {
  if (axis != 0 && axis != 1) {
    Fail(op,
         "axis must be 0 (within each column) or 1 (within each row), "
         "got " +
             std::to_string(axis));
  }
}

}  // namespace

// ----------------------------------------------------------------- softmax

namespace {

// Softmax of every column.
Matrix SoftmaxColumns(const Matrix& X) {
  const Eigen::RowVectorXd mx = X.colwise().maxCoeff();
  Matrix e = (X.rowwise() - mx).array().exp().matrix();
  const Eigen::RowVectorXd total = e.colwise().sum();
  e.array().rowwise() /= total.array();
  return e;
}

}  // namespace

Var softmax(const Var& x, int axis) {
  const Matrix& X = Get("softmax", x).value;
  CheckAxis("softmax", axis);
  if (X.size() == 0) return MakeOp("softmax", X, {x}, [](Node&) {});
  if (axis == 0) {
    return MakeOp("softmax", SoftmaxColumns(X), {x}, [](Node& self) {
      // dx = y * (g - Σ_column g y)
      const Eigen::RowVectorXd s =
          self.grad.cwiseProduct(self.value).colwise().sum();
      self.parents[0]->AddGrad(
          self.value.cwiseProduct(self.grad.rowwise() - s));
    });
  }
  Matrix y = SoftmaxColumns(X.transpose()).transpose();
  return MakeOp("softmax", std::move(y), {x}, [](Node& self) {
    const Eigen::VectorXd s =
        self.grad.cwiseProduct(self.value).rowwise().sum();
    self.parents[0]->AddGrad(self.value.cwiseProduct(self.grad.colwise() - s));
  });
}

Var log_softmax(const Var& x, int axis) {
  const Matrix& X = Get("log_softmax", x).value;
  CheckAxis("log_softmax", axis);
  if (X.size() == 0) return MakeOp("log_softmax", X, {x}, [](Node&) {});
  if (axis == 0) {
    const Eigen::RowVectorXd mx = X.colwise().maxCoeff();
    const Eigen::RowVectorXd lse =
        mx.array() + (X.rowwise() - mx).array().exp().colwise().sum().log();
    Matrix y = X.rowwise() - lse;
    return MakeOp("log_softmax", std::move(y), {x}, [](Node& self) {
      // dx = g - softmax * Σ_column g
      const Eigen::RowVectorXd s = self.grad.colwise().sum();
      self.parents[0]->AddGrad(
          self.grad -
          (self.value.array().exp().rowwise() * s.array()).matrix());
    });
  }
  const Eigen::VectorXd mx = X.rowwise().maxCoeff();
  const Eigen::VectorXd lse =
      mx.array() + (X.colwise() - mx).array().exp().rowwise().sum().log();
  Matrix y = X.colwise() - lse;
  return MakeOp("log_softmax", std::move(y), {x}, [](Node& self) {
    const Eigen::VectorXd s = self.grad.rowwise().sum();
    self.parents[0]->AddGrad(
        self.grad - (self.value.array().exp().colwise() * s.array()).matrix());
  });
}

// ------------------------------------------------------ stacking, slicing

Var concat_rows(const std::vector<Var>& parts) {
  if (parts.empty()) Fail("concat_rows", "needs at least one part");
  const Index cols = Get("concat_rows", parts[0], "part 0").value.cols();
  Index rows = 0;
  for (size_t k = 0; k < parts.size(); ++k) {
    const std::string name = "part " + std::to_string(k);
    const Matrix& v = Get("concat_rows", parts[k], name.c_str()).value;
    if (v.cols() != cols) {
      Fail("concat_rows", name + " has shape " + ShapeOf(v) +
                              " but part 0 has " + ShapeOf(parts[0].value()) +
                              ": the parts of a vertical stack need the same "
                              "number of columns");
    }
    rows += v.rows();
  }
  Matrix out(rows, cols);
  Index offset = 0;
  for (const Var& p : parts) {
    out.middleRows(offset, p.value().rows()) = p.value();
    offset += p.value().rows();
  }
  return MakeOp("concat_rows", std::move(out), parts, [](Node& self) {
    Index offset = 0;
    for (const std::shared_ptr<Node>& p : self.parents) {
      const Index r = p->value.rows();
      p->AddGrad(self.grad.middleRows(offset, r));
      offset += r;
    }
  });
}

Var concat_columns(const std::vector<Var>& parts) {
  if (parts.empty()) Fail("concat_columns", "needs at least one part");
  const Index rows = Get("concat_columns", parts[0], "part 0").value.rows();
  Index cols = 0;
  for (size_t k = 0; k < parts.size(); ++k) {
    const std::string name = "part " + std::to_string(k);
    const Matrix& v = Get("concat_columns", parts[k], name.c_str()).value;
    if (v.rows() != rows) {
      Fail("concat_columns", name + " has shape " + ShapeOf(v) +
                                 " but part 0 has " +
                                 ShapeOf(parts[0].value()) +
                                 ": the parts of a horizontal stack need the "
                                 "same number of rows");
    }
    cols += v.cols();
  }
  Matrix out(rows, cols);
  Index offset = 0;
  for (const Var& p : parts) {
    out.middleCols(offset, p.value().cols()) = p.value();
    offset += p.value().cols();
  }
  return MakeOp("concat_columns", std::move(out), parts, [](Node& self) {
    Index offset = 0;
    for (const std::shared_ptr<Node>& p : self.parents) {
      const Index c = p->value.cols();
      p->AddGrad(self.grad.middleCols(offset, c));
      offset += c;
    }
  });
}

namespace {

void CheckRange(const char* op, const char* what, const Matrix& X, Index begin,
                Index count, Index size) {
  if (begin < 0 || count < 0 || begin + count > size) {
    Fail(op, std::string(what) + " " + std::to_string(begin) + " .. " +
                 std::to_string(begin + count - 1) + " (begin " +
                 std::to_string(begin) + ", count " + std::to_string(count) +
                 ") are out of range for a " + ShapeOf(X) + " Var");
  }
}

}  // namespace

Var slice_rows(const Var& x, Index begin, Index count) {
  const Matrix& X = Get("slice_rows", x).value;
  CheckRange("slice_rows", "rows", X, begin, count, X.rows());
  return MakeOp("slice_rows", X.middleRows(begin, count), {x},
                [begin, count](Node& self) {
                  Node& p = *self.parents[0];
                  p.GradRef().middleRows(begin, count) += self.grad;
                });
}

Var slice_columns(const Var& x, Index begin, Index count) {
  const Matrix& X = Get("slice_columns", x).value;
  CheckRange("slice_columns", "columns", X, begin, count, X.cols());
  return MakeOp("slice_columns", X.middleCols(begin, count), {x},
                [begin, count](Node& self) {
                  Node& p = *self.parents[0];
                  p.GradRef().middleCols(begin, count) += self.grad;
                });
}

Var repeat_columns(const Var& x, Index k) {
  const Matrix& X = Get("repeat_columns", x).value;
  if (k < 1) {
    Fail("repeat_columns", "k must be >= 1, got " + std::to_string(k));
  }
  Matrix out(X.rows(), X.cols() * k);
  for (Index i = 0; i < X.cols(); ++i) {
    out.middleCols(i * k, k) = X.col(i).replicate(1, k);
  }
  return MakeOp("repeat_columns", std::move(out), {x}, [k](Node& self) {
    Node& p = *self.parents[0];
    Matrix& G = p.GradRef();
    for (Index i = 0; i < G.cols(); ++i) {
      G.col(i) += self.grad.middleCols(i * k, k).rowwise().sum();
    }
  });
}

Var tile_columns(const Var& x, Index k) {
  const Matrix& X = Get("tile_columns", x).value;
  if (k < 1) {
    Fail("tile_columns", "k must be >= 1, got " + std::to_string(k));
  }
  return MakeOp("tile_columns", X.replicate(1, k), {x}, [k](Node& self) {
    Node& p = *self.parents[0];
    Matrix& G = p.GradRef();
    const Index m = G.cols();
    for (Index j = 0; j < k; ++j) G += self.grad.middleCols(j * m, m);
  });
}

Var interleave_columns(const std::vector<Var>& steps) {
  if (steps.empty()) Fail("interleave_columns", "needs at least one step");
  const Matrix& first = Get("interleave_columns", steps[0], "step 0").value;
  const Index n = first.rows(), m = first.cols();
  const Index T = static_cast<Index>(steps.size());
  for (size_t t = 0; t < steps.size(); ++t) {
    const std::string name = "step " + std::to_string(t);
    const Matrix& v = Get("interleave_columns", steps[t], name.c_str()).value;
    if (!HasShape(v, n, m)) {
      Fail("interleave_columns", name + " has shape " + ShapeOf(v) +
                                     " but step 0 has " + ShapeOf(first) +
                                     ": every step must have the same shape");
    }
  }
  Matrix out(n, m * T);
  if (out.size() > 0) {
    for (Index t = 0; t < T; ++t) {
      Strided(out.data() + t * n, n, m, Eigen::OuterStride<>(T * n)) =
          steps[t].value();
    }
  }
  return MakeOp("interleave_columns", std::move(out), steps, [](Node& self) {
    const Index T = static_cast<Index>(self.parents.size());
    const Index n = self.value.rows(), m = self.value.cols() / T;
    if (self.value.size() == 0) return;
    for (Index t = 0; t < T; ++t) {
      self.parents[t]->AddGrad(ConstStrided(self.grad.data() + t * n, n, m,
                                            Eigen::OuterStride<>(T * n)));
    }
  });
}

Var take_step(const Var& x, Index T, Index t) {
  const Matrix& X = Get("take_step", x).value;
  if (T < 1 || X.cols() % T != 0) {
    Fail("take_step",
         "the " + std::to_string(X.cols()) + " columns of a " + ShapeOf(X) +
             " Var do not split into T = " + std::to_string(T) + " steps");
  }
  if (t < 0 || t >= T) {
    Fail("take_step", "step " + std::to_string(t) + " is out of range 0 .. " +
                          std::to_string(T - 1));
  }
  const Index n = X.rows(), m = X.cols() / T;
  Matrix out(n, m);
  if (out.size() > 0) {
    out = ConstStrided(X.data() + t * n, n, m, Eigen::OuterStride<>(T * n));
  }
  return MakeOp("take_step", std::move(out), {x}, [T, t](Node& self) {
    if (self.value.size() == 0) return;
    Node& p = *self.parents[0];
    const Index n = self.value.rows(), m = self.value.cols();
    Strided(p.GradRef().data() + t * n, n, m, Eigen::OuterStride<>(T * n)) +=
        self.grad;
  });
}

Var reshape(const Var& x, Index rows, Index cols) {
  const Matrix& X = Get("reshape", x).value;
  if (rows < 0 || cols < 0 || rows * cols != X.size()) {
    Fail("reshape", "cannot reshape " + ShapeOf(X) + " (" +
                        std::to_string(X.size()) + " entries) into " +
                        ShapeOf(rows, cols));
  }
  Matrix out = Eigen::Map<const Matrix>(X.data(), rows, cols);
  return MakeOp("reshape", std::move(out), {x}, [](Node& self) {
    Node& p = *self.parents[0];
    p.AddGrad(Eigen::Map<const Matrix>(self.grad.data(), p.value.rows(),
                                       p.value.cols()));
  });
}

Var transpose(const Var& x) {
  const Matrix& X = Get("transpose", x).value;
  return MakeOp("transpose", X.transpose(), {x}, [](Node& self) {
    self.parents[0]->AddGrad(self.grad.transpose());
  });
}

// ------------------------------------------------------------ reductions

Var sum(const Var& x) {
  const Matrix& X = Get("sum", x).value;
  return MakeOp("sum", Matrix::Constant(1, 1, X.sum()), {x}, [](Node& self) {
    Node& p = *self.parents[0];
    p.AddGrad(
        Matrix::Constant(p.value.rows(), p.value.cols(), self.grad(0, 0)));
  });
}

Var sum(const Var& x, int axis) {
  const Matrix& X = Get("sum", x).value;
  CheckAxis("sum", axis);
  if (axis == 0) {
    return MakeOp("sum", X.colwise().sum(), {x}, [](Node& self) {
      Node& p = *self.parents[0];
      p.AddGrad(self.grad.replicate(p.value.rows(), 1));
    });
  }
  return MakeOp("sum", X.rowwise().sum(), {x}, [](Node& self) {
    Node& p = *self.parents[0];
    p.AddGrad(self.grad.replicate(1, p.value.cols()));
  });
}

Var mean(const Var& x) {
  const Matrix& X = Get("mean", x).value;
  return scale(sum(x), 1.0 / static_cast<double>(X.size()));
}

Var mean(const Var& x, int axis) {
  const Matrix& X = Get("mean", x).value;
  CheckAxis("mean", axis);
  const Index n = axis == 0 ? X.rows() : X.cols();
  return scale(sum(x, axis), 1.0 / static_cast<double>(n));
}

// -------------------------------------------------------- batch_matmul

Var batch_matmul(const Var& a, const Var& b, Index batch, bool transpose_a,
                 bool transpose_b) {
  const Matrix& A = Get("batch_matmul", a, "first argument").value;
  const Matrix& B = Get("batch_matmul", b, "second argument").value;
  if (batch < 1) {
    Fail("batch_matmul", "batch must be >= 1, got " + std::to_string(batch));
  }
  if (A.cols() % batch != 0 || B.cols() % batch != 0) {
    Fail("batch_matmul", "shapes " + ShapeOf(A) + " and " + ShapeOf(B) +
                             ": the columns of both must split into batch = " +
                             std::to_string(batch) + " blocks");
  }
  const Index qa = A.cols() / batch, qb = B.cols() / batch;
  // The shapes of op(A_i) and op(B_i).
  const Index ar = transpose_a ? qa : A.rows(),
              ac = transpose_a ? A.rows() : qa;
  const Index br = transpose_b ? qb : B.rows(),
              bc = transpose_b ? B.rows() : qb;
  if (ac != br) {
    Fail("batch_matmul",
         "shapes " + ShapeOf(A) + " and " + ShapeOf(B) + " with batch " +
             std::to_string(batch) + ": the blocks " +
             (transpose_a ? "A_iᵀ " : "A_i ") + ShapeOf(ar, ac) + " and " +
             (transpose_b ? "B_iᵀ " : "B_i ") + ShapeOf(br, bc) +
             " cannot be multiplied (" + std::to_string(ac) +
             " columns != " + std::to_string(br) + " rows)");
  }
  Matrix out(ar, batch * bc);
  for (Index i = 0; i < batch; ++i) {
    auto Ai = A.middleCols(i * qa, qa);
    auto Bi = B.middleCols(i * qb, qb);
    auto Ci = out.middleCols(i * bc, bc);
    if (!transpose_a && !transpose_b) {
      Ci.noalias() = Ai * Bi;
    } else if (transpose_a && !transpose_b) {
      Ci.noalias() = Ai.transpose() * Bi;
    } else if (!transpose_a && transpose_b) {
      Ci.noalias() = Ai * Bi.transpose();
    } else {
      Ci.noalias() = Ai.transpose() * Bi.transpose();
    }
  }
  return MakeOp("batch_matmul", std::move(out), {a, b},
                [batch, transpose_a, transpose_b, qa, qb, bc](Node& self) {
                  Node& pa = *self.parents[0];
                  Node& pb = *self.parents[1];
                  for (Index i = 0; i < batch; ++i) {
                    auto Ai = pa.value.middleCols(i * qa, qa);
                    auto Bi = pb.value.middleCols(i * qb, qb);
                    auto G = self.grad.middleCols(i * bc, bc);
                    if (pa.requires_grad) {
                      auto dA = pa.GradRef().middleCols(i * qa, qa);
                      if (!transpose_a && !transpose_b) {
                        dA.noalias() += G * Bi.transpose();  // C = A B
                      } else if (transpose_a && !transpose_b) {
                        dA.noalias() += Bi * G.transpose();  // C = Aᵀ B
                      } else if (!transpose_a && transpose_b) {
                        dA.noalias() += G * Bi;  // C = A Bᵀ
                      } else {
                        dA.noalias() +=
                            Bi.transpose() * G.transpose();  // C = Aᵀ Bᵀ
                      }
                    }
                    if (pb.requires_grad) {
                      auto dB = pb.GradRef().middleCols(i * qb, qb);
                      if (!transpose_a && !transpose_b) {
                        dB.noalias() += Ai.transpose() * G;
                      } else if (transpose_a && !transpose_b) {
                        dB.noalias() += Ai * G;
                      } else if (!transpose_a && transpose_b) {
                        dB.noalias() += G.transpose() * Ai;
                      } else {
                        dB.noalias() += G.transpose() * Ai.transpose();
                      }
                    }
                  }
                });
}

// ------------------------------------------------------------ layer_norm

Var layer_norm(const Var& x, const Var& gamma, const Var& beta,
               double epsilon) {
  const Matrix& X = Get("layer_norm", x, "input").value;
  const Matrix& Gm = Get("layer_norm", gamma, "gamma").value;
  const Matrix& Bt = Get("layer_norm", beta, "beta").value;
  const Index n = X.rows();
  if (!HasShape(Gm, n, 1) || !HasShape(Bt, n, 1)) {
    Fail("layer_norm", "gamma " + ShapeOf(Gm) + " and beta " + ShapeOf(Bt) +
                           " must both be (" + std::to_string(n) +
                           ", 1) for an input of shape " + ShapeOf(X));
  }
  if (n == 0) Fail("layer_norm", "the input " + ShapeOf(X) + " has no rows");
  const Eigen::RowVectorXd mu = X.colwise().mean();
  Matrix xhat = X.rowwise() - mu;
  const Eigen::RowVectorXd var = xhat.array().square().colwise().mean();
  const Eigen::RowVectorXd rstd = (var.array() + epsilon).rsqrt();
  xhat.array().rowwise() *= rstd.array();
  Matrix y = (xhat.array().colwise() * Gm.col(0).array()).colwise() +
             Bt.col(0).array();
  return MakeOp(
      "layer_norm", std::move(y), {x, gamma, beta},
      [xhat = std::move(xhat), rstd](Node& self) {
        Node& px = *self.parents[0];
        Node& pg = *self.parents[1];
        Node& pb = *self.parents[2];
        const Matrix& g = self.grad;
        pg.AddGrad(g.cwiseProduct(xhat).rowwise().sum());
        pb.AddGrad(g.rowwise().sum());
        if (!px.requires_grad) return;
        const double n = static_cast<double>(xhat.rows());
        // dx = rstd / n · (n dx̂ - Σ dx̂ - x̂ Σ dx̂ x̂), sums over each column
        const Matrix dxhat = g.array().colwise() * pg.value.col(0).array();
        const Eigen::RowVectorXd s1 = dxhat.colwise().sum();
        const Eigen::RowVectorXd s2 = dxhat.cwiseProduct(xhat).colwise().sum();
        Matrix dx = (n * dxhat).rowwise() - s1;
        dx -= (xhat.array().rowwise() * s2.array()).matrix();
        dx.array().rowwise() *= (rstd / n).array();
        px.AddGrad(dx);
      });
}

// ------------------------------------------------------- gather, loss

Var gather_columns(const Var& table, const std::vector<int>& ids) {
  const Matrix& E = Get("gather_columns", table, "table").value;
  Matrix out(E.rows(), static_cast<Index>(ids.size()));
  for (size_t k = 0; k < ids.size(); ++k) {
    if (ids[k] < 0 || ids[k] >= E.cols()) {
      Fail("gather_columns",
           "ids[" + std::to_string(k) + "] = " + std::to_string(ids[k]) +
               " is out of range for a table of shape " + ShapeOf(E) +
               " (0 .. " + std::to_string(E.cols() - 1) + ")");
    }
    out.col(static_cast<Index>(k)) = E.col(ids[k]);
  }
  return MakeOp("gather_columns", std::move(out), {table}, [ids](Node& self) {
    Matrix& G = self.parents[0]->GradRef();
    for (size_t k = 0; k < ids.size(); ++k) {
      G.col(ids[k]) += self.grad.col(static_cast<Index>(k));
    }
  });
}

Var cross_entropy(const Var& logits, const std::vector<int>& labels) {
  const Matrix& Z = Get("cross_entropy", logits, "logits").value;
  const Index C = Z.rows(), m = Z.cols();
  if (static_cast<Index>(labels.size()) != m) {
    Fail("cross_entropy", "logits " + ShapeOf(Z) + " have " +
                              std::to_string(m) + " columns (examples) but " +
                              std::to_string(labels.size()) +
                              " labels were given");
  }
  Index count = 0;
  for (Index i = 0; i < m; ++i) {
    if (labels[i] >= C) {
      Fail("cross_entropy",
           "labels[" + std::to_string(i) + "] = " + std::to_string(labels[i]) +
               " is out of range for logits " + ShapeOf(Z) + " (classes 0 .. " +
               std::to_string(C - 1) + "; negative = ignored)");
    }
    if (labels[i] >= 0) ++count;
  }
  Matrix P = C > 0 && m > 0 ? SoftmaxColumns(Z) : Matrix(C, m);
  double total = 0;
  for (Index i = 0; i < m; ++i) {
    if (labels[i] < 0) continue;
    const double mx = Z.col(i).maxCoeff();
    const double lse = mx + std::log((Z.col(i).array() - mx).exp().sum());
    total += lse - Z(labels[i], i);
  }
  const double loss = count > 0 ? total / static_cast<double>(count) : 0.0;
  return MakeOp("cross_entropy", Matrix::Constant(1, 1, loss), {logits},
                [P = std::move(P), labels, count](Node& self) {
                  if (count == 0) return;
                  Node& p = *self.parents[0];
                  // d loss / d logits = (softmax - one_hot) / count
                  Matrix d = P;
                  for (Index i = 0; i < d.cols(); ++i) {
                    if (labels[i] < 0) {
                      d.col(i).setZero();
                    } else {
                      d(labels[i], i) -= 1;
                    }
                  }
                  p.AddGrad((self.grad(0, 0) / static_cast<double>(count)) * d);
                });
}
}  // namespace ag
}  // namespace dl
