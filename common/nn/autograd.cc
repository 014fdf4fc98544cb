// File: common/nn/autograd.cc
//
// The graph of common/nn/autograd.h (Node, Var, Param, Constant, MakeOp),
// the matrix product and the entry-by-entry ops, the backward pass and the
// optimizers. The ops that work across entries (softmax, stacking and
// slicing, reductions, batch_matmul, layer_norm, gather_columns,
// cross_entropy) are in autograd_layer_ops.cc.

#include "common/nn/autograd.h"

#include <atomic>
#include <cmath>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "common/nn/autograd_internal.h"

namespace dl {
namespace ag {

using namespace internal;  // NOLINT: what autograd_internal.h shares

namespace {

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