// File: common/nn/autograd.h
//
// A small reverse-mode automatic differentiation library on 2-D matrices
// (namespace dl::ag), for the units whose models are too big to
// differentiate by hand: attention (course4_seq/seq2seq_attention), the
// transformer. Like micrograd, on dl::Matrix instead of scalars.
//
// Layout: the course's, one example per COLUMN: activations are (n, m).
// A sequence of T steps is either T separate (n, m) Vars, or one (n, m·T)
// Var with the columns of one example side by side ("example-major": column
// i·T + t is example i at step t; see interleave_columns).
//
// A Var is a cheap handle (a shared pointer) to a node of the graph: its
// value, its gradient, its parents and how to pass a gradient back to them.
//   Param(M)     a trainable leaf: Backward accumulates into its grad().
//   Constant(M)  a leaf without gradient (inputs, masks, labels one-hot).
// Every op builds a new node from its arguments; a node remembers its parents
// only when one of them needs a gradient, so code on Constants alone builds
// no graph.
//
// Example, logistic regression by gradient descent:
//   dl::ag::Var W = dl::ag::Param(dl::Matrix::Zero(1, n_x));
//   dl::ag::Var b = dl::ag::Param(dl::Matrix::Zero(1, 1));
//   dl::ag::Sgd sgd({W, b}, /*learning_rate=*/0.1);
//   for (int i = 0; i < 100; ++i) {
//     dl::ag::Var z = matmul(W, dl::ag::Constant(X)) + b;   // (1, m), b
//     broadcast dl::ag::Var loss = ...;                               // (1, 1)
//     sgd.ZeroGrad();
//     dl::ag::Backward(loss);  // W.grad() = ∂loss/∂W, b.grad() = ∂loss/∂b
//     sgd.Step();
//   }
//
// Errors: a wrong shape (or an empty Var) throws std::invalid_argument with
// a message that names the op and both shapes, e.g.
//   "ag::matmul: cannot multiply (3, 4) by (5, 2): 4 columns != 5 rows"
// before any Eigen code runs (never an Eigen abort).
//
// Gradients accumulate: a Var used several times (the same weights at every
// time step) receives the sum of the gradients of all its uses. Backward
// adds into the Params' grad(); call ZeroGrad (or an optimizer's ZeroGrad)
// before each backward pass.
//
// The graph of one forward pass lives as long as a Var of it (usually the
// loss) does; drop it before the next iteration.

#ifndef DLCOURSE_COMMON_NN_AUTOGRAD_H_
#define DLCOURSE_COMMON_NN_AUTOGRAD_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/core/tensor.h"

namespace dl {
namespace ag {

using Index = Eigen::Index;

struct Node;

// A handle to a node of the graph. Copies share the node.
class Var {
 public:
  Var() = default;  // empty: ops reject it with std::invalid_argument
  explicit Var(std::shared_ptr<Node> node) : node_(std::move(node)) {}

  bool defined() const { return node_ != nullptr; }
  const Matrix& value() const;
  // ∂loss/∂this after Backward(loss); zeros of the value's shape when no
  // gradient reached it (or after ZeroGrad).
  const Matrix& grad() const;
  // For optimizers and finite-difference checks: the value, changed in place
  // (keep its shape). Ops already built keep the value they read.
  Matrix& mutable_value();
  Index rows() const;
  Index cols() const;
  std::string shape() const;  // "(2, 3)"
  // The value of a (1, 1) Var (std::invalid_argument otherwise).
  double item() const;
  // True for Params and for everything computed from a Param.
  bool requires_grad() const;
  // True for a Param (a trainable leaf).
  bool is_param() const;
  // The op that made it ("matmul", "param", "constant", ...).
  const char* op() const;

  const std::shared_ptr<Node>& node() const { return node_; }

 private:
  std::shared_ptr<Node> node_;
};

// A trainable leaf: Backward accumulates ∂loss/∂W into W.grad().
Var Param(Matrix value);
// A leaf that needs no gradient (inputs, one-hot labels, masks).
Var Constant(Matrix value);
// A (1, 1) Constant: the number `value`.
Var Constant(double value);

// ------------------------------------------------------------------- ops
// Shapes: a (r, c). "Broadcast" means numpy's rule in 2-D: each of the two
// dimensions must be equal, or 1 in one of the operands (a (n, 1) column
// over the columns of a (n, m) matrix, a (1, m) row over its rows, a (1, 1)
// scalar over everything); the result has the larger size in each dimension.

// The matrix product (np.dot): (n, k) x (k, m) -> (n, m).
Var matmul(const Var& a, const Var& b);

// Entry by entry, with broadcasting (see above).
Var add(const Var& a, const Var& b);
Var sub(const Var& a, const Var& b);
Var mul(const Var& a, const Var& b);  // the Hadamard product a * b (numpy *)
Var div(const Var& a, const Var& b);

Var neg(const Var& x);                   // -x
Var scale(const Var& x, double c);       // c x
Var add_scalar(const Var& x, double c);  // x + c

Var operator+(const Var& a, const Var& b);  // add
Var operator-(const Var& a, const Var& b);  // sub
Var operator-(const Var& x);                // neg
Var operator*(double c, const Var& x);      // scale (NOT a matrix product:
Var operator*(const Var& x, double c);      // use matmul or mul)
Var operator+(const Var& x, double c);      // add_scalar
Var operator+(double c, const Var& x);
Var operator-(const Var& x, double c);
Var operator-(double c, const Var& x);  // c - x, e.g. 1 - z

// Entry by entry.
Var tanh(const Var& x);
Var sigmoid(const Var& x);
Var relu(const Var& x);  // gradient 0 at x = 0 (Keras and PyTorch)
Var exp(const Var& x);
Var log(const Var& x);   // x > 0
Var sqrt(const Var& x);  // x > 0
Var square(const Var& x);

// The softmax along `axis`, numerically stable (the max is subtracted):
//   axis 0: every COLUMN sums to 1 (one example per column; the course's
//           rnn_utils.softmax);
//   axis 1: every ROW sums to 1.
Var softmax(const Var& x, int axis = 0);
// log(softmax(x, axis)), computed as x - max - log Σ e^(x - max).
Var log_softmax(const Var& x, int axis = 0);

// Stacking and slicing.
// Vertical stack [a; b; ...] (np.concatenate(axis=0)): same number of columns.
Var concat_rows(const std::vector<Var>& parts);
// Horizontal stack [a, b, ...] (np.concatenate(axis=1)): same number of rows.
Var concat_columns(const std::vector<Var>& parts);
// Rows begin .. begin+count-1 (x[begin:begin+count, :]).
Var slice_rows(const Var& x, Index begin, Index count);
// Columns begin .. begin+count-1 (x[:, begin:begin+count]).
Var slice_columns(const Var& x, Index begin, Index count);

// (n, m) -> (n, m·k), every column repeated k times in a row:
// column i·k + j is x's column i (np.repeat(x, k, axis=1)). On an (n, m)
// batch this is Keras's RepeatVector(k) in the example-major layout.
Var repeat_columns(const Var& x, Index k);
// (n, m) -> (n, m·k), the whole matrix k times side by side: column j·m + i
// is x's column i (np.tile(x, (1, k))).
Var tile_columns(const Var& x, Index k);
// T steps, each (n, m) -> (n, m·T) example-major: column i·T + t is
// steps[t]'s column i. Turns the outputs of a loop over time into one Var
// with each example's T steps side by side (numpy's np.stack(steps, axis=2)
// reshaped to (n, m·T)).
Var interleave_columns(const std::vector<Var>& steps);
// The inverse for one step: the columns t, T+t, 2T+t, ... of an
// example-major (n, m·T) Var -> (n, m).
Var take_step(const Var& x, Index T, Index t);

// The same entries in a new shape, in column-major order (numpy's
// x.reshape(rows, cols, order='F')): rows·cols must equal x's size. An
// example-major (1, m·T) row becomes (T, m): entry (t, i) is column i·T + t.
Var reshape(const Var& x, Index rows, Index cols);
Var transpose(const Var& x);

// Sums and means. Without axis: over all entries, (1, 1). axis 0: over the
// rows, (1, c) (np.sum(axis=0, keepdims=True)); axis 1: over the columns,
// (r, 1).
Var sum(const Var& x);
Var sum(const Var& x, int axis);
Var mean(const Var& x);
Var mean(const Var& x, int axis);

// m matrix products at once, in the example-major layout. a is (p, batch·q):
// batch blocks A_i = a[:, i·q:(i+1)·q] of shape (p, q) side by side; b is
// (q, batch·r): blocks B_i (q, r). Returns (p, batch·r) with block i = A_i B_i.
// transpose_a / transpose_b use A_iᵀ / B_iᵀ instead (a block is then read
// with the transposed shape). Keras's Dot(axes=1) of attention: a (2n_a,
// m·T_x) and alphas (T_x, m) -> batch_matmul(a, alphas, m): (2n_a, m).
Var batch_matmul(const Var& a, const Var& b, Index batch,
                 bool transpose_a = false, bool transpose_b = false);

// Layer normalization over the rows of each column (each example's n
// features), then a learned scale and shift:
//   x̂ = (x - mean) / sqrt(var + epsilon)  (mean, var of the column: biased)
//   y = gamma * x̂ + beta                  gamma, beta: (n, 1)
// epsilon 1e-6 is the course's transformer (Keras's default is 1e-3).
Var layer_norm(const Var& x, const Var& gamma, const Var& beta,
               double epsilon = 1e-6);

// An embedding lookup: the columns ids[k] of table (d, V) -> (d, ids.size()).
// Same as matmul(table, one_hot(ids)) but without the one-hot product.
Var gather_columns(const Var& table, const std::vector<int>& ids);

// The softmax cross-entropy from LOGITS (C, m) and integer labels (m of
// them, 0 .. C-1), averaged over the examples, numerically stable:
//   loss = -(1/m') Σ_i log softmax(logits[:, i])[labels[i]]       (1, 1)
// A negative label marks a column to ignore (padding); m' counts the
// others (loss 0 if there are none). Keras's
// SparseCategoricalCrossentropy(from_logits=True).
Var cross_entropy(const Var& logits, const std::vector<int>& labels);

// While a NoGrad object lives (on this thread), ops build no graph: their
// results need no gradient even when a Param is an argument, so a forward
// pass for predictions keeps no intermediate values (PyTorch's
// torch.no_grad()).
//   { ag::NoGrad no_grad; logits = model(X); }   // nothing to Backward
class NoGrad {
 public:
  NoGrad();
  ~NoGrad();
  NoGrad(const NoGrad&) = delete;
  NoGrad& operator=(const NoGrad&) = delete;

 private:
  bool previous_;
};

// --------------------------------------------------------- backward pass

// Computes ∂loss/∂v for every Var v the loss depends on: visits the graph in
// reverse topological order, starting from ∂loss/∂loss = 1. loss must be
// (1, 1) and depend on a Param. Params' gradients ADD to what they hold
// (zero them first); gradients of inner nodes are recomputed on each call.
void Backward(const Var& loss);

// Sets the gradients of `params` to zero.
void ZeroGrad(const std::vector<Var>& params);

// The total number of entries of `params` (Keras's "Trainable params").
int64_t NumParameters(const std::vector<Var>& params);

// sqrt(Σ over params of Σ grad²): the global gradient norm.
double GradNorm(const std::vector<Var>& params);
// Gradient clipping by global norm (tf.clip_by_global_norm): when GradNorm >
// max_norm, every gradient is multiplied by max_norm / GradNorm. Returns the
// norm before clipping. max_norm > 0.
double ClipGradNorm(const std::vector<Var>& params, double max_norm);

// ------------------------------------------------------------ optimizers

// Plain gradient descent: θ -= learning_rate · ∂loss/∂θ.
class Sgd {
 public:
  // Every Var in params must be a Param. clip_norm > 0: clip the global
  // gradient norm to it before each step.
  Sgd(std::vector<Var> params, double learning_rate, double clip_norm = 0);
  void Step();
  void ZeroGrad();
  double learning_rate() const { return learning_rate_; }
  void set_learning_rate(double lr) { learning_rate_ = lr; }
  const std::vector<Var>& params() const { return params_; }

 private:
  std::vector<Var> params_;
  double learning_rate_;
  double clip_norm_;
};

// Adam's hyperparameters. The defaults are the course's (C2W2
// update_parameters_with_adam) and Keras's, except epsilon: 1e-8 as the
// course's numpy Adam (Keras's default is 1e-7).
struct AdamOptions {
  double learning_rate = 0.001;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;
  double clip_norm = 0;  // > 0: clip the global gradient norm first
};

// Adam, as the course's update_parameters_with_adam, for every Param:
//   t = t + 1
//   v = β1 v + (1 - β1) g          v̂ = v / (1 - β1^t)
//   s = β2 s + (1 - β2) g²         ŝ = s / (1 - β2^t)
//   θ = θ - learning_rate · v̂ / (sqrt(ŝ) + ε)
class Adam {
 public:
  explicit Adam(std::vector<Var> params, AdamOptions options = {});
  void Step();
  void ZeroGrad();
  double learning_rate() const { return options_.learning_rate; }
  void set_learning_rate(double lr) { options_.learning_rate = lr; }
  int64_t t() const { return t_; }  // steps taken
  // The global gradient norm before clipping, at the last Step.
  double last_grad_norm() const { return last_grad_norm_; }
  const std::vector<Var>& params() const { return params_; }

 private:
  std::vector<Var> params_;
  AdamOptions options_;
  std::vector<Matrix> v_, s_;
  int64_t t_ = 0;
  double last_grad_norm_ = 0;
};

// ------------------------------------------------ writing your own op
//
// A node of the graph. Ops fill it through MakeOp; you only need it to write
// an op that is not above.
struct Node {
  Matrix value;
  Matrix grad;            // meaningful only when has_grad
  bool has_grad = false;  // false: the gradient is zero
  bool requires_grad = false;
  bool is_param = false;
  const char* op = "";
  std::vector<std::shared_ptr<Node>> parents;
  // Reads this node's grad and adds each parent's share into it
  // (parent->AddGrad(...) or parent->GradRef() += ...), for the parents
  // that requires_grad.
  std::function<void(Node&)> backward;
  uint64_t visit = 0;  // Backward's bookkeeping

  // The gradient, allocated as zeros if there was none yet.
  Matrix& GradRef();
  // grad += g (does nothing when the node needs no gradient, so an
  // expression passed here is then never evaluated).
  template <typename Derived>
  void AddGrad(const Eigen::MatrixBase<Derived>& g) {
    if (!requires_grad) return;
    if (has_grad) {
      grad.noalias() += g;
    } else {
      grad.noalias() = g;
      has_grad = true;
    }
  }
  // Frees long chains of parents without deep recursion.
  ~Node();
};

// A new node with `value`, computed by `op` from `parents`. When a parent
// requires a gradient, the node keeps the parents and `backward` (which gets
// the new node: its grad, and its parents in the order given); otherwise it
// is a constant and backward is dropped.
// Example, y = 2x:
//   MakeOp("twice", 2 * x.value(), {x}, [](Node& self) {
//     self.parents[0]->AddGrad(2 * self.grad);
//   });
Var MakeOp(const char* op, Matrix value, const std::vector<Var>& parents,
           std::function<void(Node&)> backward);

}  // namespace ag
}  // namespace dl

#endif  // DLCOURSE_COMMON_NN_AUTOGRAD_H_
