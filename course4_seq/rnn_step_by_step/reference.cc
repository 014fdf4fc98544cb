// The reference solution of course4_seq/rnn_step_by_step.

#include <utility>
#include <vector>

#include "course4_seq/rnn_step_by_step/rnn_step_by_step.h"

namespace rnn_step_by_step {
namespace reference {

namespace {

// W x + b with the bias column added to every column.
Matrix affine(const Matrix& W, const Matrix& x, const Matrix& b) {
  return (W * x).colwise() + b.col(0);
}

// [a_prev; xt]: (n_a + n_x, m), a_prev on top.
Matrix concatenate(const Matrix& a_prev, const Matrix& xt) {
  Matrix concat(a_prev.rows() + xt.rows(), a_prev.cols());
  concat << a_prev, xt;
  return concat;
}

}  // namespace

RnnCellOutput rnn_cell_forward(const Matrix& xt, const Matrix& a_prev,
                               const RnnParameters& parameters) {
  const RnnParameters& p = parameters;
  RnnCellOutput out;
  out.a_next = ((p.Waa * a_prev + p.Wax * xt).colwise() + p.ba.col(0))
                   .array()
                   .tanh()
                   .matrix();
  out.yt_pred = softmax(affine(p.Wya, out.a_next, p.by));
  out.cache = RnnCellCache{out.a_next, a_prev, xt, parameters};
  return out;
}

RnnForwardOutput rnn_forward(const Tensor3& x, const Matrix& a0,
                             const RnnParameters& parameters) {
  const Eigen::Index m = x.dimension(1), T_x = x.dimension(2);
  const Eigen::Index n_y = parameters.Wya.rows(), n_a = parameters.Wya.cols();
  RnnForwardOutput out;
  out.a = zeros(n_a, m, T_x);
  out.y_pred = zeros(n_y, m, T_x);
  Matrix a_next = a0;
  for (Eigen::Index t = 0; t < T_x; ++t) {
    RnnCellOutput step =
        reference::rnn_cell_forward(time_step(x, t), a_next, parameters);
    a_next = step.a_next;
    set_time_step(out.a, t, a_next);
    set_time_step(out.y_pred, t, step.yt_pred);
    out.caches.caches.push_back(std::move(step.cache));
  }
  out.caches.x = x;
  return out;
}

LstmCellOutput lstm_cell_forward(const Matrix& xt, const Matrix& a_prev,
                                 const Matrix& c_prev,
                                 const LstmParameters& parameters) {
  const LstmParameters& p = parameters;
  const Matrix concat = concatenate(a_prev, xt);
  const Matrix ft = sigmoid(affine(p.Wf, concat, p.bf));
  const Matrix it = sigmoid(affine(p.Wi, concat, p.bi));
  const Matrix cct = affine(p.Wc, concat, p.bc).array().tanh().matrix();
  const Matrix c_next =
      (ft.array() * c_prev.array() + it.array() * cct.array()).matrix();
  const Matrix ot = sigmoid(affine(p.Wo, concat, p.bo));
  const Matrix a_next = (ot.array() * c_next.array().tanh()).matrix();

  LstmCellOutput out;
  out.a_next = a_next;
  out.c_next = c_next;
  out.yt_pred = softmax(affine(p.Wy, a_next, p.by));
  out.cache = LstmCellCache{a_next, c_next, a_prev, c_prev, ft,
                            it,     cct,    ot,     xt,     parameters};
  return out;
}

LstmForwardOutput lstm_forward(const Tensor3& x, const Matrix& a0,
                               const LstmParameters& parameters) {
  const Eigen::Index m = x.dimension(1), T_x = x.dimension(2);
  const Eigen::Index n_y = parameters.Wy.rows(), n_a = parameters.Wy.cols();
  LstmForwardOutput out;
  out.a = zeros(n_a, m, T_x);
  out.c = zeros(n_a, m, T_x);
  out.y = zeros(n_y, m, T_x);
  Matrix a_next = a0;
  Matrix c_next = Matrix::Zero(n_a, m);
  for (Eigen::Index t = 0; t < T_x; ++t) {
    LstmCellOutput step = reference::lstm_cell_forward(time_step(x, t), a_next,
                                                       c_next, parameters);
    a_next = step.a_next;
    c_next = step.c_next;
    set_time_step(out.a, t, a_next);
    set_time_step(out.c, t, c_next);
    set_time_step(out.y, t, step.yt_pred);
    out.caches.caches.push_back(std::move(step.cache));
  }
  out.caches.x = x;
  return out;
}

RnnCellGradients rnn_cell_backward(const Matrix& da_next,
                                   const RnnCellCache& cache) {
  const RnnParameters& p = cache.parameters;
  // a_next = tanh(z): dz = da_next * (1 - a_next²).
  const Matrix dtanh =
      (da_next.array() * (1.0 - cache.a_next.array().square())).matrix();
  RnnCellGradients g;
  g.dxt = p.Wax.transpose() * dtanh;
  g.dWax = dtanh * cache.xt.transpose();
  g.da_prev = p.Waa.transpose() * dtanh;
  g.dWaa = dtanh * cache.a_prev.transpose();
  g.dba = dtanh.rowwise().sum();
  return g;
}

RnnGradients rnn_backward(const Tensor3& da, const RnnCaches& caches) {
  const RnnCellCache& first = caches.caches.at(0);
  const Eigen::Index n_a = da.dimension(0), m = da.dimension(1),
                     T_x = da.dimension(2);
  const Eigen::Index n_x = first.xt.rows();
  RnnGradients g;
  g.dx = zeros(n_x, m, T_x);
  g.dWax = Matrix::Zero(n_a, n_x);
  g.dWaa = Matrix::Zero(n_a, n_a);
  g.dba = Matrix::Zero(n_a, 1);
  Matrix da_prevt = Matrix::Zero(n_a, m);
  for (Eigen::Index t = T_x - 1; t >= 0; --t) {
    const RnnCellGradients step = reference::rnn_cell_backward(
        time_step(da, t) + da_prevt, caches.caches.at(t));
    da_prevt = step.da_prev;
    set_time_step(g.dx, t, step.dxt);
    g.dWax += step.dWax;
    g.dWaa += step.dWaa;
    g.dba += step.dba;
  }
  g.da0 = da_prevt;
  return g;
}

LstmCellGradients lstm_cell_backward(const Matrix& da_next,
                                     const Matrix& dc_next,
                                     const LstmCellCache& cache) {
  const LstmParameters& p = cache.parameters;
  const Eigen::Index n_a = cache.a_next.rows();
  const Eigen::ArrayXXd ft = cache.ft.array(), it = cache.it.array(),
                        cct = cache.cct.array(), ot = cache.ot.array();
  const Eigen::ArrayXXd tanh_c = cache.c_next.array().tanh();
  const Eigen::ArrayXXd da = da_next.array();

  // Everything that reaches c<t>: directly (dc_next) and through
  // a<t> = Γo * tanh(c<t>).
  const Eigen::ArrayXXd dc =
      dc_next.array() + da * ot * (1.0 - tanh_c.square());
  // The gradients at the gates' pre-activations.
  const Matrix dot = (da * tanh_c * ot * (1.0 - ot)).matrix();
  const Matrix dcct = (dc * it * (1.0 - cct.square())).matrix();
  const Matrix dit = (dc * cct * it * (1.0 - it)).matrix();
  const Matrix dft = (dc * cache.c_prev.array() * ft * (1.0 - ft)).matrix();

  const Matrix concat = concatenate(cache.a_prev, cache.xt);
  LstmCellGradients g;
  g.dWf = dft * concat.transpose();
  g.dWi = dit * concat.transpose();
  g.dWc = dcct * concat.transpose();
  g.dWo = dot * concat.transpose();
  g.dbf = dft.rowwise().sum();
  g.dbi = dit.rowwise().sum();
  g.dbc = dcct.rowwise().sum();
  g.dbo = dot.rowwise().sum();

  // d concat = Σ Wᵀ dγ; its first n_a rows are da_prev, the rest dxt.
  const Matrix dconcat = p.Wf.transpose() * dft + p.Wi.transpose() * dit +
                         p.Wc.transpose() * dcct + p.Wo.transpose() * dot;
  g.da_prev = dconcat.topRows(n_a);
  g.dxt = dconcat.bottomRows(dconcat.rows() - n_a);
  g.dc_prev = (dc * ft).matrix();
  return g;
}

LstmGradients lstm_backward(const Tensor3& da, const LstmCaches& caches) {
  const LstmCellCache& first = caches.caches.at(0);
  const Eigen::Index n_a = da.dimension(0), m = da.dimension(1),
                     T_x = da.dimension(2);
  const Eigen::Index n_x = first.xt.rows();
  LstmGradients g;
  g.dx = zeros(n_x, m, T_x);
  for (Matrix* dW : {&g.dWf, &g.dWi, &g.dWc, &g.dWo}) {
    *dW = Matrix::Zero(n_a, n_a + n_x);
  }
  for (Matrix* db : {&g.dbf, &g.dbi, &g.dbc, &g.dbo}) {
    *db = Matrix::Zero(n_a, 1);
  }
  Matrix da_prevt = Matrix::Zero(n_a, m);
  Matrix dc_prevt = Matrix::Zero(n_a, m);
  for (Eigen::Index t = T_x - 1; t >= 0; --t) {
    const LstmCellGradients step = reference::lstm_cell_backward(
        time_step(da, t) + da_prevt, dc_prevt, caches.caches.at(t));
    da_prevt = step.da_prev;
    dc_prevt = step.dc_prev;
    set_time_step(g.dx, t, step.dxt);
    g.dWf += step.dWf;
    g.dWi += step.dWi;
    g.dWc += step.dWc;
    g.dWo += step.dWo;
    g.dbf += step.dbf;
    g.dbi += step.dbi;
    g.dbc += step.dbc;
    g.dbo += step.dbo;
  }
  g.da0 = da_prevt;
  return g;
}

}  // namespace reference
}  // namespace rnn_step_by_step
