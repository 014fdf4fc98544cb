// The reference solution of course4_seq/gru_and_deep_rnn.

#include <utility>
#include <vector>

#include "course4_seq/gru_and_deep_rnn/gru_and_deep_rnn.h"

namespace gru_and_deep_rnn {
namespace reference {

namespace {

// W x + b with the bias column added to every column.
Matrix affine(const Matrix& W, const Matrix& x, const Matrix& b) {
  return (W * x).colwise() + b.col(0);
}

// [top; bottom]: the two stacked vertically.
Matrix concatenate(const Matrix& top, const Matrix& bottom) {
  Matrix concat(top.rows() + bottom.rows(), top.cols());
  concat << top, bottom;
  return concat;
}

// One basic RNN step (rnn_step_by_step's rnn_cell_forward without the
// prediction): tanh(Waa a_prev + Wax xt + ba).
Matrix rnn_step(const Matrix& xt, const Matrix& a_prev, const Matrix& Wax,
                const Matrix& Waa, const Matrix& ba) {
  return ((Waa * a_prev + Wax * xt).colwise() + ba.col(0))
      .array()
      .tanh()
      .matrix();
}

}  // namespace

GruCellOutput gru_cell_forward(const Matrix& xt, const Matrix& a_prev,
                               const GruParameters& parameters) {
  const GruParameters& p = parameters;
  const Matrix concat = concatenate(a_prev, xt);
  const Matrix rt = sigmoid(affine(p.Wr, concat, p.br));
  const Matrix ut = sigmoid(affine(p.Wu, concat, p.bu));
  const Matrix concat_r =
      concatenate((rt.array() * a_prev.array()).matrix(), xt);
  const Matrix cct = affine(p.Wc, concat_r, p.bc).array().tanh().matrix();
  const Matrix a_next =
      (ut.array() * cct.array() + (1.0 - ut.array()) * a_prev.array()).matrix();

  GruCellOutput out;
  out.a_next = a_next;
  out.yt_pred = softmax(affine(p.Wy, a_next, p.by));
  out.cache = GruCellCache{a_next, a_prev, rt, ut, cct, xt, parameters};
  return out;
}

GruForwardOutput gru_forward(const Tensor3& x, const Matrix& a0,
                             const GruParameters& parameters) {
  const Eigen::Index m = x.dimension(1), T_x = x.dimension(2);
  const Eigen::Index n_y = parameters.Wy.rows(), n_a = parameters.Wy.cols();
  GruForwardOutput out;
  out.a = zeros(n_a, m, T_x);
  out.y = zeros(n_y, m, T_x);
  Matrix a_next = a0;
  for (Eigen::Index t = 0; t < T_x; ++t) {
    GruCellOutput step =
        reference::gru_cell_forward(time_step(x, t), a_next, parameters);
    a_next = step.a_next;
    set_time_step(out.a, t, a_next);
    set_time_step(out.y, t, step.yt_pred);
    out.caches.caches.push_back(std::move(step.cache));
  }
  out.caches.x = x;
  return out;
}

GruCellGradients gru_cell_backward(const Matrix& da_next,
                                   const GruCellCache& cache) {
  const GruParameters& p = cache.parameters;
  const Eigen::Index n_a = cache.a_next.rows();
  const Eigen::ArrayXXd rt = cache.rt.array(), ut = cache.ut.array(),
                        cct = cache.cct.array(), a_prev = cache.a_prev.array();
  const Eigen::ArrayXXd da = da_next.array();

  // a_next = Γu * c̃ + (1 - Γu) * a_prev: the candidate and the update gate.
  const Matrix dcct = (da * ut * (1.0 - cct.square())).matrix();
  const Matrix dut = (da * (cct - a_prev) * ut * (1.0 - ut)).matrix();
  // c̃ = tanh(Wc [Γr * a_prev; xt] + bc): the gradient reaching Γr * a_prev
  // (the top n_a rows of Wcᵀ dcct) and xt (the rest).
  const Matrix dconcat_r = p.Wc.transpose() * dcct;
  const Eigen::ArrayXXd dra = dconcat_r.topRows(n_a).array();
  const Matrix drt = (dra * a_prev * rt * (1.0 - rt)).matrix();

  const Matrix concat = concatenate(cache.a_prev, cache.xt);
  const Matrix concat_r =
      concatenate((rt * a_prev).matrix(), cache.xt);  // [Γr * a_prev; xt]
  GruCellGradients g;
  g.dWc = dcct * concat_r.transpose();
  g.dWu = dut * concat.transpose();
  g.dWr = drt * concat.transpose();
  g.dbc = dcct.rowwise().sum();
  g.dbu = dut.rowwise().sum();
  g.dbr = drt.rowwise().sum();

  // Through the two gates, which read concat = [a_prev; xt].
  const Matrix dconcat = p.Wu.transpose() * dut + p.Wr.transpose() * drt;
  g.da_prev = (da * (1.0 - ut) + dra * rt).matrix() + dconcat.topRows(n_a);
  g.dxt = dconcat_r.bottomRows(dconcat_r.rows() - n_a) +
          dconcat.bottomRows(dconcat.rows() - n_a);
  return g;
}

GruGradients gru_backward(const Tensor3& da, const GruCaches& caches) {
  const GruCellCache& first = caches.caches.at(0);
  const Eigen::Index n_a = da.dimension(0), m = da.dimension(1),
                     T_x = da.dimension(2);
  const Eigen::Index n_x = first.xt.rows();
  GruGradients g;
  g.dx = zeros(n_x, m, T_x);
  for (Matrix* dW : {&g.dWr, &g.dWu, &g.dWc}) {
    *dW = Matrix::Zero(n_a, n_a + n_x);
  }
  for (Matrix* db : {&g.dbr, &g.dbu, &g.dbc}) *db = Matrix::Zero(n_a, 1);
  Matrix da_prevt = Matrix::Zero(n_a, m);
  for (Eigen::Index t = T_x - 1; t >= 0; --t) {
    const GruCellGradients step = reference::gru_cell_backward(
        time_step(da, t) + da_prevt, caches.caches.at(t));
    da_prevt = step.da_prev;
    set_time_step(g.dx, t, step.dxt);
    g.dWr += step.dWr;
    g.dWu += step.dWu;
    g.dWc += step.dWc;
    g.dbr += step.dbr;
    g.dbu += step.dbu;
    g.dbc += step.dbc;
  }
  g.da0 = da_prevt;
  return g;
}

BrnnForwardOutput brnn_forward(const Tensor3& x, const Matrix& a0_f,
                               const Matrix& a0_b,
                               const BrnnParameters& parameters) {
  const BrnnParameters& p = parameters;
  const Eigen::Index m = x.dimension(1), T_x = x.dimension(2);
  BrnnForwardOutput out;
  out.a_f = zeros(p.Waa_f.rows(), m, T_x);
  out.a_b = zeros(p.Waa_b.rows(), m, T_x);
  out.y = zeros(p.Wy.rows(), m, T_x);
  // Left to right.
  Matrix a_f = a0_f;
  for (Eigen::Index t = 0; t < T_x; ++t) {
    a_f = rnn_step(time_step(x, t), a_f, p.Wax_f, p.Waa_f, p.ba_f);
    set_time_step(out.a_f, t, a_f);
  }
  // Right to left.
  Matrix a_b = a0_b;
  for (Eigen::Index t = T_x - 1; t >= 0; --t) {
    a_b = rnn_step(time_step(x, t), a_b, p.Wax_b, p.Waa_b, p.ba_b);
    set_time_step(out.a_b, t, a_b);
  }
  // Both directions meet at every step.
  for (Eigen::Index t = 0; t < T_x; ++t) {
    const Matrix both =
        concatenate(time_step(out.a_f, t), time_step(out.a_b, t));
    set_time_step(out.y, t, softmax(affine(p.Wy, both, p.by)));
  }
  return out;
}

DeepRnnForwardOutput deep_rnn_forward(const Tensor3& x,
                                      const std::vector<Matrix>& a0,
                                      const DeepRnnParameters& parameters) {
  const Eigen::Index m = x.dimension(1), T_x = x.dimension(2);
  DeepRnnForwardOutput out;
  out.a.reserve(parameters.layers.size());
  // Layer by layer: the whole sequence of layer l is the input of layer l+1.
  const Tensor3* input = &x;
  for (size_t l = 0; l < parameters.layers.size(); ++l) {
    const RnnLayerParameters& layer = parameters.layers[l];
    Tensor3 a = zeros(layer.Waa.rows(), m, T_x);
    Matrix a_next = a0.at(l);
    for (Eigen::Index t = 0; t < T_x; ++t) {
      a_next = rnn_step(time_step(*input, t), a_next, layer.Wax, layer.Waa,
                        layer.ba);
      set_time_step(a, t, a_next);
    }
    out.a.push_back(std::move(a));
    input = &out.a.back();
  }
  out.y = zeros(parameters.Wy.rows(), m, T_x);
  for (Eigen::Index t = 0; t < T_x; ++t) {
    set_time_step(
        out.y, t,
        softmax(affine(parameters.Wy, time_step(*input, t), parameters.by)));
  }
  return out;
}

}  // namespace reference
}  // namespace gru_and_deep_rnn
