#include "common/nn/autograd.h"

#include <atomic>
#include <cmath>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace dl {
namespace ag {
namespace {

using Strided = Eigen::Map<Matrix, 0, Eigen::OuterStride<>>;
using ConstStrided = Eigen::Map<const Matrix, 0, Eigen::OuterStride<>>;

std::string ShapeOf(Index rows, Index cols) {
  return "(" + std::to_string(rows) + ", " + std::to_string(cols) + ")";
}
std::string ShapeOf(const Matrix& m) { return ShapeOf(m.rows(), m.cols()); }

[[noreturn]] void Fail(const char* op, const std::string& message) {
  throw std::invalid_argument(std::string("ag::") + op + ": " + message);
}

// What a shape error says of an operand: its shape and where it comes from,
// "(2, 3), a Param" or "(2, 3), made by softmax", so that the learner can
// tell which tensor of the line it is.
std::string Described(const Var& v) {
  const Node& n = *v.node();
  const std::string op = n.op;
  std::string origin;
  if (n.is_param || op == "param") {
    origin = "a Param";
  } else if (op == "constant" || op.empty()) {
    origin = "a Constant";
  } else {
    origin = "made by " + op;
  }
  return ShapeOf(n.value) + ", " + origin;
}

// The node of `v`, or an error naming the op when v is empty.
const Node& Get(const char* op, const Var& v, const char* what = "argument") {
  if (!v.defined()) {
    Fail(op, std::string("the ") + what +
                 " is an empty Var (default-constructed: assign it from "
                 "Param, Constant or an op first)");
  }
  return *v.node();
}

void CheckAxis(const char* op, int axis) {
  if (axis != 0 && axis != 1) {
    Fail(op,
         "axis must be 0 (within each column) or 1 (within each row), "
         "got " +
             std::to_string(axis));
  }
}

// ------------------------------------------------------------ broadcasting

// numpy's 2-D rule: each dimension equal, or 1 in one of the operands.
void BroadcastShape(const char* op, const Var& va, const Var& vb, Index* rows,
                    Index* cols) {
  const Matrix& a = va.node()->value;
  const Matrix& b = vb.node()->value;
  auto dim = [](Index x, Index y, Index* out) {
    if (x == y || y == 1) {
      *out = x;
    } else if (x == 1) {
      *out = y;
    } else {
      return false;
    }
    return true;
  };
  if (!dim(a.rows(), b.rows(), rows) || !dim(a.cols(), b.cols(), cols)) {
    Fail(op, "shapes " + Described(va) + ", and " + Described(vb) +
                 ", do not broadcast: each dimension must be equal, or 1 in "
                 "one of them (a (n, 1) column, a (1, m) row, a (1, 1) "
                 "scalar)");
  }
}

bool HasShape(const Matrix& x, Index rows, Index cols) {
  return x.rows() == rows && x.cols() == cols;
}

// x broadcast to (rows, cols).
Matrix Expand(const Matrix& x, Index rows, Index cols) {
  return x.replicate(x.rows() == rows ? 1 : rows, x.cols() == cols ? 1 : cols);
}

// The gradient of a broadcast operand: g (rows, cols) summed over the
// dimensions the operand was stretched along.
Matrix ReduceTo(const Matrix& g, Index rows, Index cols) {
  if (g.rows() == rows && g.cols() == cols) return g;
  if (g.rows() == rows) return g.rowwise().sum();  // cols == 1
  if (g.cols() == cols) return g.colwise().sum();  // rows == 1
  return Matrix::Constant(1, 1, g.sum());
}

// Adds g (the gradient of the broadcast result) into `parent`.
void AddReduced(Node& parent, const Matrix& g) {
  if (!parent.requires_grad) return;
  if (HasShape(parent.value, g.rows(), g.cols())) {
    parent.AddGrad(g);
  } else {
    parent.AddGrad(ReduceTo(g, parent.value.rows(), parent.value.cols()));
  }
}

std::atomic<uint64_t> g_visit_stamp{0};
thread_local bool g_no_grad = false;

}  // namespace

// ------------------------------------------------------------------ Node

Matrix& Node::GradRef() {
  if (!has_grad) {
    grad.setZero(value.rows(), value.cols());
    has_grad = true;
  }
  return grad;
}

Node::~Node() {
  // A long chain (an RNN over many steps) would otherwise be freed by
  // recursion, one stack frame per node.
  std::vector<std::shared_ptr<Node>> stack = std::move(parents);
  while (!stack.empty()) {
    std::shared_ptr<Node> p = std::move(stack.back());
    stack.pop_back();
    if (p && p.use_count() == 1) {
      for (std::shared_ptr<Node>& q : p->parents) stack.push_back(std::move(q));
      p->parents.clear();
    }
  }
}

// ------------------------------------------------------------------- Var

const Matrix& Var::value() const { return Get("Var::value", *this).value; }

const Matrix& Var::grad() const {
  Node& n = const_cast<Node&>(Get("Var::grad", *this));
  if (!n.has_grad) n.grad.setZero(n.value.rows(), n.value.cols());
  return n.grad;
}

Matrix& Var::mutable_value() {
  return const_cast<Node&>(Get("Var::mutable_value", *this)).value;
}

Index Var::rows() const { return value().rows(); }
Index Var::cols() const { return value().cols(); }
std::string Var::shape() const { return ShapeOf(value()); }

double Var::item() const {
  const Matrix& v = Get("Var::item", *this).value;
  if (v.rows() != 1 || v.cols() != 1) {
    Fail("Var::item", "needs a (1, 1) Var, got " + ShapeOf(v));
  }
  return v(0, 0);
}

bool Var::requires_grad() const { return defined() && node_->requires_grad; }
bool Var::is_param() const { return defined() && node_->is_param; }
const char* Var::op() const { return defined() ? node_->op : ""; }

Var Param(Matrix value) {
  auto node = std::make_shared<Node>();
  node->value = std::move(value);
  node->op = "param";
  node->requires_grad = true;
  node->is_param = true;
  return Var(std::move(node));
}

Var Constant(Matrix value) {
  auto node = std::make_shared<Node>();
  node->value = std::move(value);
  node->op = "constant";
  return Var(std::move(node));
}

Var Constant(double value) { return Constant(Matrix::Constant(1, 1, value)); }

Var MakeOp(const char* op, Matrix value, const std::vector<Var>& parents,
           std::function<void(Node&)> backward) {
  auto node = std::make_shared<Node>();
  node->value = std::move(value);
  node->op = op;
  for (const Var& p : parents) {
    if (Get(op, p).requires_grad) node->requires_grad = true;
  }
  if (g_no_grad) node->requires_grad = false;
  if (node->requires_grad) {
    node->parents.reserve(parents.size());
    for (const Var& p : parents) node->parents.push_back(p.node());
    node->backward = std::move(backward);
  }
  return Var(std::move(node));
}

NoGrad::NoGrad() : previous_(g_no_grad) { g_no_grad = true; }
NoGrad::~NoGrad() { g_no_grad = previous_; }

// ---------------------------------------------------------- matrix product

Var matmul(const Var& a, const Var& b) {
  const Matrix& A = Get("matmul", a, "first argument").value;
  const Matrix& B = Get("matmul", b, "second argument").value;
  if (A.cols() != B.rows()) {
    Fail("matmul", "cannot multiply " + Described(a) + ", by " + Described(b) +
                       ": " + std::to_string(A.cols()) +
                       " columns != " + std::to_string(B.rows()) + " rows");
  }
  Matrix C;
  C.noalias() = A * B;
  return MakeOp("matmul", std::move(C), {a, b}, [](Node& self) {
    Node& pa = *self.parents[0];
    Node& pb = *self.parents[1];
    pa.AddGrad(self.grad * pb.value.transpose());  // dA = dC Bᵀ
    pb.AddGrad(pa.value.transpose() * self.grad);  // dB = Aᵀ dC
  });
}

// ------------------------------------------------------- entry by entry

Var add(const Var& a, const Var& b) {
  const Matrix& A = Get("add", a, "first argument").value;
  const Matrix& B = Get("add", b, "second argument").value;
  Index r, c;
  BroadcastShape("add", a, b, &r, &c);
  Matrix out;
  if (HasShape(A, r, c) && HasShape(B, r, c)) {
    out = A + B;
  } else if (HasShape(A, r, c) && B.cols() == 1 && B.rows() == r) {
    out = A.colwise() + B.col(0);  // the common bias case
  } else {
    out = Expand(A, r, c) + Expand(B, r, c);
  }
  return MakeOp("add", std::move(out), {a, b}, [](Node& self) {
    AddReduced(*self.parents[0], self.grad);
    AddReduced(*self.parents[1], self.grad);
  });
}

Var sub(const Var& a, const Var& b) {
  const Matrix& A = Get("sub", a, "first argument").value;
  const Matrix& B = Get("sub", b, "second argument").value;
  Index r, c;
  BroadcastShape("sub", a, b, &r, &c);
  Matrix out;
  if (HasShape(A, r, c) && HasShape(B, r, c)) {
    out = A - B;
  } else {
    out = Expand(A, r, c) - Expand(B, r, c);
  }
  return MakeOp("sub", std::move(out), {a, b}, [](Node& self) {
    AddReduced(*self.parents[0], self.grad);
    if (self.parents[1]->requires_grad) {
      AddReduced(*self.parents[1], -self.grad);
    }
  });
}

Var mul(const Var& a, const Var& b) {
  const Matrix& A = Get("mul", a, "first argument").value;
  const Matrix& B = Get("mul", b, "second argument").value;
  Index r, c;
  BroadcastShape("mul", a, b, &r, &c);
  Matrix out;
  if (HasShape(A, r, c) && HasShape(B, r, c)) {
    out = A.cwiseProduct(B);
  } else {
    out = Expand(A, r, c).cwiseProduct(Expand(B, r, c));
  }
  return MakeOp("mul", std::move(out), {a, b}, [](Node& self) {
    Node& pa = *self.parents[0];
    Node& pb = *self.parents[1];
    const Index r = self.value.rows(), c = self.value.cols();
    if (HasShape(pa.value, r, c) && HasShape(pb.value, r, c)) {
      pa.AddGrad(self.grad.cwiseProduct(pb.value));
      pb.AddGrad(self.grad.cwiseProduct(pa.value));
      return;
    }
    if (pa.requires_grad) {
      AddReduced(pa, self.grad.cwiseProduct(Expand(pb.value, r, c)));
    }
    if (pb.requires_grad) {
      AddReduced(pb, self.grad.cwiseProduct(Expand(pa.value, r, c)));
    }
  });
}

Var div(const Var& a, const Var& b) {
  const Matrix& A = Get("div", a, "first argument").value;
  const Matrix& B = Get("div", b, "second argument").value;
  Index r, c;
  BroadcastShape("div", a, b, &r, &c);
  Matrix out = Expand(A, r, c).cwiseQuotient(Expand(B, r, c));
  return MakeOp("div", std::move(out), {a, b}, [](Node& self) {
    Node& pa = *self.parents[0];
    Node& pb = *self.parents[1];
    const Index r = self.value.rows(), c = self.value.cols();
    const Matrix B = Expand(pb.value, r, c);
    // y = a / b:  ∂y/∂a = 1 / b,  ∂y/∂b = -a / b² = -y / b.
    if (pa.requires_grad) AddReduced(pa, self.grad.cwiseQuotient(B));
    if (pb.requires_grad) {
      AddReduced(pb, -self.grad.cwiseProduct(self.value).cwiseQuotient(B));
    }
  });
}

Var neg(const Var& x) {
  const Matrix& X = Get("neg", x).value;
  return MakeOp("neg", -X, {x},
                [](Node& self) { self.parents[0]->AddGrad(-self.grad); });
}

Var scale(const Var& x, double c) {
  const Matrix& X = Get("scale", x).value;
  return MakeOp("scale", c * X, {x},
                [c](Node& self) { self.parents[0]->AddGrad(c * self.grad); });
}

Var add_scalar(const Var& x, double c) {
  const Matrix& X = Get("add_scalar", x).value;
  return MakeOp("add_scalar", (X.array() + c).matrix(), {x},
                [](Node& self) { self.parents[0]->AddGrad(self.grad); });
}

Var operator+(const Var& a, const Var& b) { return add(a, b); }
Var operator-(const Var& a, const Var& b) { return sub(a, b); }
Var operator-(const Var& x) { return neg(x); }
Var operator*(double c, const Var& x) { return scale(x, c); }
Var operator*(const Var& x, double c) { return scale(x, c); }
Var operator+(const Var& x, double c) { return add_scalar(x, c); }
Var operator+(double c, const Var& x) { return add_scalar(x, c); }
Var operator-(const Var& x, double c) { return add_scalar(x, -c); }
Var operator-(double c, const Var& x) { return add_scalar(neg(x), c); }

Var tanh(const Var& x) {
  const Matrix& X = Get("tanh", x).value;
  return MakeOp("tanh", X.array().tanh().matrix(), {x}, [](Node& self) {
    // y = tanh(x): dy/dx = 1 - y²
    self.parents[0]->AddGrad(
        (self.grad.array() * (1 - self.value.array().square())).matrix());
  });
}

Var sigmoid(const Var& x) {
  const Matrix& X = Get("sigmoid", x).value;
  Matrix y = (1 / (1 + (-X.array()).exp())).matrix();
  return MakeOp("sigmoid", std::move(y), {x}, [](Node& self) {
    // y = σ(x): dy/dx = y (1 - y)
    self.parents[0]->AddGrad(
        (self.grad.array() * self.value.array() * (1 - self.value.array()))
            .matrix());
  });
}

Var relu(const Var& x) {
  const Matrix& X = Get("relu", x).value;
  return MakeOp("relu", X.cwiseMax(0.0), {x}, [](Node& self) {
    Node& p = *self.parents[0];
    p.AddGrad(
        (self.grad.array() * (p.value.array() > 0).cast<double>()).matrix());
  });
}

Var exp(const Var& x) {
  const Matrix& X = Get("exp", x).value;
  return MakeOp("exp", X.array().exp().matrix(), {x}, [](Node& self) {
    self.parents[0]->AddGrad(self.grad.cwiseProduct(self.value));
  });
}

Var log(const Var& x) {
  const Matrix& X = Get("log", x).value;
  return MakeOp("log", X.array().log().matrix(), {x}, [](Node& self) {
    Node& p = *self.parents[0];
    p.AddGrad(self.grad.cwiseQuotient(p.value));
  });
}

Var sqrt(const Var& x) {
  const Matrix& X = Get("sqrt", x).value;
  return MakeOp("sqrt", X.array().sqrt().matrix(), {x}, [](Node& self) {
    self.parents[0]->AddGrad(
        (0.5 * self.grad.array() / self.value.array()).matrix());
  });
}

Var square(const Var& x) {
  const Matrix& X = Get("square", x).value;
  return MakeOp("square", X.array().square().matrix(), {x}, [](Node& self) {
    Node& p = *self.parents[0];
    p.AddGrad((2 * self.grad.array() * p.value.array()).matrix());
  });
}

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

// --------------------------------------------------------- backward pass

void Backward(const Var& loss) {
  Node& root = const_cast<Node&>(Get("Backward", loss, "loss"));
  if (!HasShape(root.value, 1, 1)) {
    Fail("Backward", "the loss must be (1, 1), got " + ShapeOf(root.value) +
                         " (reduce it first, e.g. with ag::sum or ag::mean)");
  }
  if (!root.requires_grad) {
    Fail("Backward",
         "the loss does not depend on any Param: nothing to differentiate");
  }
  // 1. Topological order: a depth-first walk that lists a node after all of
  // its parents (only nodes that need a gradient).
  const uint64_t stamp = ++g_visit_stamp;
  std::vector<Node*> order;
  std::vector<std::pair<Node*, size_t>> stack;
  root.visit = stamp;
  stack.emplace_back(&root, 0);
  while (!stack.empty()) {
    auto& top = stack.back();
    if (top.second < top.first->parents.size()) {
      Node* p = top.first->parents[top.second++].get();
      if (p->requires_grad && p->visit != stamp) {
        p->visit = stamp;
        stack.emplace_back(p, 0);
      }
    } else {
      order.push_back(top.first);
      stack.pop_back();
    }
  }
  // 2. Inner gradients start from zero; Params keep (accumulate) theirs.
  for (Node* n : order) {
    if (!n->is_param) n->has_grad = false;
  }
  root.AddGrad(Matrix::Ones(1, 1));
  // 3. From the loss back to the leaves: each node passes its gradient to
  // its parents once all of its own users have added theirs.
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    Node* n = *it;
    if (n->has_grad && n->backward) n->backward(*n);
  }
}

void ZeroGrad(const std::vector<Var>& params) {
  for (const Var& p : params) {
    if (p.defined()) p.node()->has_grad = false;
  }
}

int64_t NumParameters(const std::vector<Var>& params) {
  int64_t n = 0;
  for (const Var& p : params) n += Get("NumParameters", p).value.size();
  return n;
}

double GradNorm(const std::vector<Var>& params) {
  double total = 0;
  for (const Var& p : params) {
    const Node& n = Get("GradNorm", p);
    if (n.has_grad) total += n.grad.squaredNorm();
  }
  return std::sqrt(total);
}

double ClipGradNorm(const std::vector<Var>& params, double max_norm) {
  if (!(max_norm > 0)) {
    Fail("ClipGradNorm",
         "max_norm must be > 0, got " + std::to_string(max_norm));
  }
  const double norm = GradNorm(params);
  if (norm > max_norm) {
    const double factor = max_norm / norm;
    for (const Var& p : params) {
      if (p.node()->has_grad) p.node()->grad *= factor;
    }
  }
  return norm;
}

// ------------------------------------------------------------ optimizers

namespace {

void CheckParams(const char* op, const std::vector<Var>& params) {
  for (size_t k = 0; k < params.size(); ++k) {
    const std::string name = "params[" + std::to_string(k) + "]";
    const Node& n = Get(op, params[k], name.c_str());
    if (!n.is_param) {
      Fail(op, name + " is not a Param (it was made by '" + std::string(n.op) +
                   "'): only Params can be trained");
    }
  }
}

}  // namespace

Sgd::Sgd(std::vector<Var> params, double learning_rate, double clip_norm)
    : params_(std::move(params)),
      learning_rate_(learning_rate),
      clip_norm_(clip_norm) {
  CheckParams("Sgd", params_);
}

void Sgd::Step() {
  if (clip_norm_ > 0) ClipGradNorm(params_, clip_norm_);
  for (const Var& p : params_) {
    Node& n = *p.node();
    if (n.has_grad) n.value -= learning_rate_ * n.grad;
  }
}

void Sgd::ZeroGrad() { ag::ZeroGrad(params_); }

Adam::Adam(std::vector<Var> params, AdamOptions options)
    : params_(std::move(params)), options_(options) {
  CheckParams("Adam", params_);
  for (const Var& p : params_) {
    v_.push_back(Matrix::Zero(p.rows(), p.cols()));
    s_.push_back(Matrix::Zero(p.rows(), p.cols()));
  }
}

void Adam::Step() {
  last_grad_norm_ = options_.clip_norm > 0
                        ? ClipGradNorm(params_, options_.clip_norm)
                        : GradNorm(params_);
  ++t_;
  const double b1 = options_.beta1, b2 = options_.beta2;
  const double c1 = 1 - std::pow(b1, static_cast<double>(t_));
  const double c2 = 1 - std::pow(b2, static_cast<double>(t_));
  for (size_t k = 0; k < params_.size(); ++k) {
    Node& n = *params_[k].node();
    Matrix& v = v_[k];
    Matrix& s = s_[k];
    if (n.has_grad) {
      v = b1 * v + (1 - b1) * n.grad;
      s = b2 * s + (1 - b2) * n.grad.cwiseAbs2();
    } else {
      v *= b1;
      s *= b2;
    }
    n.value.array() -= options_.learning_rate * (v.array() / c1) /
                       ((s.array() / c2).sqrt() + options_.epsilon);
  }
}

void Adam::ZeroGrad() { ag::ZeroGrad(params_); }

}  // namespace ag
}  // namespace dl
