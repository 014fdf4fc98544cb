// File: course4_seq/rnn_step_by_step/rnn_step_by_step.h
//
// Course 5, week 1, assignment 1: "Building your Recurrent Neural Network -
// Step by Step". A basic RNN and an LSTM, forward and backward, one time step
// at a time and then over a whole sequence.
//
// Shapes (the course's layout: one example per COLUMN, time last):
//   x: (n_x, m, T_x)   xt = x[:, :, t]: (n_x, m)
//   a: (n_a, m, T_x)   a_prev, a_next: (n_a, m)     (LSTM: also c, c_prev ...)
//   y: (n_y, m, T_x)   yt_pred: (n_y, m)
// A Tensor3 is indexed like numpy: x(i, j, t) is x[i, j, t]. The given
// helpers in rnn_utils.h slice it: time_step(x, t) is x[:, :, t] and
// set_time_step(a, t, a_next) is a[:, :, t] = a_next.
//
// Eigen reminder: `*` between two Matrix objects is the MATRIX product
// (np.dot); the entry-by-entry product is a.cwiseProduct(b) or
// a.array() * b.array(). Eigen never broadcasts: W a + b is
// `(W * a).colwise() + b.col(0)`.
//
// Exercises, in order (write them in exercise.cc):
//   1. rnn_cell_forward    2. rnn_forward
//   3. lstm_cell_forward   4. lstm_forward
//   5. rnn_cell_backward   6. rnn_backward
//   7. lstm_cell_backward  8. lstm_backward

#ifndef DLCOURSE_COURSE4_SEQ_RNN_STEP_BY_STEP_RNN_STEP_BY_STEP_H_
#define DLCOURSE_COURSE4_SEQ_RNN_STEP_BY_STEP_RNN_STEP_BY_STEP_H_

#include <vector>

#include "common/core/tensor.h"
#include "course4_seq/rnn_step_by_step/rnn_utils.h"

namespace rnn_step_by_step {

// ===================================================================== RNN

// The basic RNN's parameters (the course's dictionary keys).
struct RnnParameters {
  Matrix Wax;  // (n_a, n_x)  multiplies the input x<t>
  Matrix Waa;  // (n_a, n_a)  multiplies the hidden state a<t-1>
  Matrix Wya;  // (n_y, n_a)  hidden state -> output
  Matrix ba;   // (n_a, 1)
  Matrix by;   // (n_y, 1)
};

// What rnn_cell_forward keeps for rnn_cell_backward: the course's
// (a_next, a_prev, xt, parameters).
struct RnnCellCache {
  Matrix a_next;  // (n_a, m)
  Matrix a_prev;  // (n_a, m)
  Matrix xt;      // (n_x, m)
  RnnParameters parameters;
};

struct RnnCellOutput {
  Matrix a_next;   // (n_a, m)
  Matrix yt_pred;  // (n_y, m)
  RnnCellCache cache;
};

// Exercise 1. One time step of the basic RNN:
//   a<t> = tanh(Waa a<t-1> + Wax x<t> + ba)
//   ŷ<t> = softmax(Wya a<t> + by)          (softmax is given, rnn_utils.h)
//   xt: (n_x, m)  a_prev: (n_a, m)  ->  a_next (n_a, m), yt_pred (n_y, m),
//   cache = (a_next, a_prev, xt, parameters).
RnnCellOutput rnn_cell_forward(const Matrix& xt, const Matrix& a_prev,
                               const RnnParameters& parameters);

// The course's `caches = (caches, x)`: one cell cache per time step, and x.
struct RnnCaches {
  std::vector<RnnCellCache> caches;  // caches[t] for t = 0 .. T_x-1
  Tensor3 x;                         // (n_x, m, T_x)
};

struct RnnForwardOutput {
  Tensor3 a;       // (n_a, m, T_x): a[:, :, t] is the hidden state of step t
  Tensor3 y_pred;  // (n_y, m, T_x)
  RnnCaches caches;
};

// Exercise 2. The RNN over the whole sequence: a_next = a0, then for
// t = 0 .. T_x-1 one rnn_cell_forward on x[:, :, t]; store a_next in
// a[:, :, t], yt_pred in y_pred[:, :, t], and the cache in caches.
//   x: (n_x, m, T_x)  a0: (n_a, m)
RnnForwardOutput rnn_forward(const Tensor3& x, const Matrix& a0,
                             const RnnParameters& parameters);

// ==================================================================== LSTM

// The LSTM's parameters. The four gates act on concat = [a_prev; xt]
// ((n_a + n_x, m), a_prev FIRST), so their weights are (n_a, n_a + n_x):
// the first n_a columns multiply a_prev, the last n_x columns multiply xt.
struct LstmParameters {
  Matrix Wf, bf;  // forget gate Γf         (n_a, n_a + n_x), (n_a, 1)
  Matrix Wi, bi;  // update gate Γu ("i")   (n_a, n_a + n_x), (n_a, 1)
  Matrix Wc, bc;  // candidate c̃            (n_a, n_a + n_x), (n_a, 1)
  Matrix Wo, bo;  // output gate Γo         (n_a, n_a + n_x), (n_a, 1)
  Matrix Wy, by;  // prediction             (n_y, n_a), (n_y, 1)
};

// What lstm_cell_forward keeps for lstm_cell_backward: the course's
// (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters).
// Every matrix is (n_a, m) except xt (n_x, m).
struct LstmCellCache {
  Matrix a_next, c_next;  // a<t>, c<t>
  Matrix a_prev, c_prev;  // a<t-1>, c<t-1>
  Matrix ft;              // Γf<t>, the forget gate
  Matrix it;              // Γu<t>, the update gate
  Matrix cct;             // c̃<t>, the candidate value
  Matrix ot;              // Γo<t>, the output gate
  Matrix xt;              // x<t>
  LstmParameters parameters;
};

struct LstmCellOutput {
  Matrix a_next;   // (n_a, m)
  Matrix c_next;   // (n_a, m)
  Matrix yt_pred;  // (n_y, m)
  LstmCellCache cache;
};

// Exercise 3. One time step of the LSTM, with concat = [a_prev; xt]:
//   Γf = σ(Wf concat + bf)      Γu = σ(Wi concat + bi)
//   c̃ = tanh(Wc concat + bc)    Γo = σ(Wo concat + bo)
//   c_next = Γf * c_prev + Γu * c̃          (* is entry by entry)
//   a_next = Γo * tanh(c_next)
//   yt_pred = softmax(Wy a_next + by)
//   xt: (n_x, m)  a_prev, c_prev: (n_a, m)
LstmCellOutput lstm_cell_forward(const Matrix& xt, const Matrix& a_prev,
                                 const Matrix& c_prev,
                                 const LstmParameters& parameters);

// The course's `caches = (caches, x)` for the LSTM.
struct LstmCaches {
  std::vector<LstmCellCache> caches;  // caches[t] for t = 0 .. T_x-1
  Tensor3 x;                          // (n_x, m, T_x)
};

struct LstmForwardOutput {
  Tensor3 a;  // (n_a, m, T_x) hidden states
  Tensor3 y;  // (n_y, m, T_x) predictions
  Tensor3 c;  // (n_a, m, T_x) cell states
  LstmCaches caches;
};

// Exercise 4. The LSTM over the whole sequence: a_next = a0, c_next = zeros
// (n_a, m), then one lstm_cell_forward per time step; store a, c, y and the
// caches.
//   x: (n_x, m, T_x)  a0: (n_a, m)
LstmForwardOutput lstm_forward(const Tensor3& x, const Matrix& a0,
                               const LstmParameters& parameters);

// ======================================================= RNN backward pass

// The gradients of one RNN cell (the course's "dxt", "da_prev", ...).
struct RnnCellGradients {
  Matrix dxt;      // (n_x, m)
  Matrix da_prev;  // (n_a, m)
  Matrix dWax;     // (n_a, n_x)
  Matrix dWaa;     // (n_a, n_a)
  Matrix dba;      // (n_a, 1)
};

// Exercise 5. Backward through one RNN cell (not the softmax output: da_next
// = ∂J/∂a<t> arrives from outside). With dtanh = da_next * (1 - a_next²):
//   dxt = Waxᵀ dtanh        dWax = dtanh xtᵀ
//   da_prev = Waaᵀ dtanh    dWaa = dtanh a_prevᵀ
//   dba = Σ over the batch (axis 1) of dtanh, shape (n_a, 1)
//   da_next: (n_a, m)
RnnCellGradients rnn_cell_backward(const Matrix& da_next,
                                   const RnnCellCache& cache);

// The gradients of the whole RNN sequence.
struct RnnGradients {
  Tensor3 dx;   // (n_x, m, T_x)
  Matrix da0;   // (n_a, m)
  Matrix dWax;  // (n_a, n_x)
  Matrix dWaa;  // (n_a, n_a)
  Matrix dba;   // (n_a, 1)
};

// Exercise 6. Backpropagation through time. da[:, :, t] = ∂J/∂a<t> from the
// outputs of step t only. Loop t = T_x-1 down to 0:
//   grads = rnn_cell_backward(da[:, :, t] + da_prevt, caches.caches[t])
//   da_prevt = grads.da_prev;  dx[:, :, t] = grads.dxt;
//   dWax += grads.dWax;  dWaa += grads.dWaa;  dba += grads.dba
// and finally da0 = da_prevt. No 1/m: J is already averaged upstream.
//   da: (n_a, m, T_x)
RnnGradients rnn_backward(const Tensor3& da, const RnnCaches& caches);

// ====================================================== LSTM backward pass

// The gradients of one LSTM cell.
struct LstmCellGradients {
  Matrix dxt;                 // (n_x, m)
  Matrix da_prev;             // (n_a, m)
  Matrix dc_prev;             // (n_a, m)
  Matrix dWf, dWi, dWc, dWo;  // (n_a, n_a + n_x)
  Matrix dbf, dbi, dbc, dbo;  // (n_a, 1)
};

// Exercise 7. Backward through one LSTM cell (not the softmax output).
// da_next = ∂J/∂a<t>, dc_next = ∂J/∂c<t>. First the total gradient reaching
// c<t>, directly and through a<t> = Γo * tanh(c<t>):
//   dc = dc_next + da_next * Γo * (1 - tanh²(c_next))
// Then the gradients at the gates' pre-activations ("dγ"):
//   dot  = da_next * tanh(c_next) * Γo * (1 - Γo)
//   dcct = dc * Γu * (1 - c̃²)
//   dit  = dc * c̃ * Γu * (1 - Γu)
//   dft  = dc * c_prev * Γf * (1 - Γf)
// The parameters, with concat = [a_prev; xt]:
//   dWf = dft concatᵀ   dWi = dit concatᵀ   dWc = dcct concatᵀ
//   dWo = dot concatᵀ   db* = Σ over the batch (axis 1) of the same d*
// The inputs (W[:, :n_a] = the first n_a columns, W[:, n_a:] the rest):
//   da_prev = Wf[:, :n_a]ᵀ dft + Wi[:, :n_a]ᵀ dit + Wc[:, :n_a]ᵀ dcct
//             + Wo[:, :n_a]ᵀ dot
//   dxt     = the same with Wf[:, n_a:] ... Wo[:, n_a:]
//   dc_prev = dc * Γf
LstmCellGradients lstm_cell_backward(const Matrix& da_next,
                                     const Matrix& dc_next,
                                     const LstmCellCache& cache);

// The gradients of the whole LSTM sequence.
struct LstmGradients {
  Tensor3 dx;                 // (n_x, m, T_x)
  Matrix da0;                 // (n_a, m)
  Matrix dWf, dWi, dWc, dWo;  // (n_a, n_a + n_x)
  Matrix dbf, dbi, dbc, dbo;  // (n_a, 1)
};

// Exercise 8. Backpropagation through time for the LSTM: as rnn_backward,
// with two chains. da_prevt and dc_prevt start at zeros (n_a, m); for
// t = T_x-1 down to 0:
//   grads = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, caches[t])
//   da_prevt = grads.da_prev;  dc_prevt = grads.dc_prev;
//   dx[:, :, t] = grads.dxt;   dW* += grads.dW*;  db* += grads.db*
// and finally da0 = da_prevt. (c0 = 0 is fixed, so there is no dc0.)
//   da: (n_a, m, T_x)
LstmGradients lstm_backward(const Tensor3& da, const LstmCaches& caches);

// The reference solution (reference.cc) has the same functions, in
// rnn_step_by_step::reference. The grader compares yours with it.
namespace reference {
decltype(rnn_step_by_step::rnn_cell_forward) rnn_cell_forward;
decltype(rnn_step_by_step::rnn_forward) rnn_forward;
decltype(rnn_step_by_step::lstm_cell_forward) lstm_cell_forward;
decltype(rnn_step_by_step::lstm_forward) lstm_forward;
decltype(rnn_step_by_step::rnn_cell_backward) rnn_cell_backward;
decltype(rnn_step_by_step::rnn_backward) rnn_backward;
decltype(rnn_step_by_step::lstm_cell_backward) lstm_cell_backward;
decltype(rnn_step_by_step::lstm_backward) lstm_backward;
}  // namespace reference

}  // namespace rnn_step_by_step

#endif  // DLCOURSE_COURSE4_SEQ_RNN_STEP_BY_STEP_RNN_STEP_BY_STEP_H_
