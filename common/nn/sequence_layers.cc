// File: common/nn/sequence_layers.cc
//
// The layers of common/nn/sequence_layers.h. A sequence's activations are
// row-major nn::Arrays whose rows are tokens (x[t] of (T_x, m, n) is m rows
// of n entries); the LSTM reads them through COLUMN-major maps of shape
// (n, m T_x), the course's orientation (one example per column): the same
// memory, so step t is the contiguous column block t m .. (t+1) m - 1, and
// the formulas below are the course's, W concat + b.
// Explicit instantiations for float and double at the end.

#include "common/nn/sequence_layers.h"

#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "common/core/random.h"
#include "common/core/tensor.h"
#include "common/nn/layers.h"

namespace dl {
namespace nn {
namespace {

template <typename T>
using ColMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
template <typename T>
using ColMap = Eigen::Map<ColMatrix<T>>;
template <typename T>
using ConstColMap = Eigen::Map<const ColMatrix<T>>;

template <typename T>
Parameter<T> MakeParameter(const std::string& name, const Shape& shape) {
  Parameter<T> p;
  p.name = name;
  p.value = Array<T>(shape);
  p.grad = Array<T>(shape);
  p.trainable = true;
  return p;
}

// σ(v) = 1 / (1 + e^-v), entry by entry, in place.
// `v` is a block: a view, so a copy of it writes into the matrix.
template <typename Block>
void SigmoidInPlace(Block v) {
  using T = typename Block::Scalar;
  v.array() = (T(1) + (-v.array()).exp()).inverse();
}

}  // namespace

// ===================================================================== LSTM

template <typename T>
Lstm<T>::Lstm(Index n_x, Index n_a) : n_x_(n_x), n_a_(n_a) {
  if (n_x <= 0 || n_a <= 0) {
    throw std::invalid_argument("Lstm: n_x and n_a must be positive, got " +
                                std::to_string(n_x) + " and " +
                                std::to_string(n_a));
  }
  params_.push_back(MakeParameter<T>("W", {4 * n_a, n_a + n_x}));
  params_.push_back(MakeParameter<T>("b", {4 * n_a}));
}

template <typename T>
void Lstm<T>::Initialize(RandomState& rng) {
  const double limit = 1.0 / std::sqrt(double(n_a_));
  for (Parameter<T>& p : params_) {
    nn::Initialize(Initializer::RandomUniform(-limit, limit), 0, 0, rng,
                   &p.value);
  }
}

template <typename T>
const Array<T>& Lstm<T>::Forward(const Array<T>& x, const Array<T>* a0,
                                 const Array<T>* c0) {
  if (x.rank() != 3 || x.dim(2) != n_x_) {
    throw std::invalid_argument(
        "Lstm::Forward: x has shape " + ShapeString(x.shape()) +
        ", expected (T_x, m, " + std::to_string(n_x_) + ")");
  }
  const Index T_x = x.dim(0), m = x.dim(1), n_a = n_a_, N = T_x * m;
  const Shape state = {m, n_a};
  for (const Array<T>* s : {a0, c0}) {
    if (s != nullptr && s->shape() != state) {
      throw std::invalid_argument("Lstm::Forward: a0 / c0 has shape " +
                                  ShapeString(s->shape()) + ", expected " +
                                  ShapeString(state));
    }
  }
  x_ = &x;
  T_x_ = T_x;
  m_ = m;
  gates_.Resize({T_x, m, 4 * n_a});
  a_.Resize({T_x, m, n_a});
  c_.Resize({T_x, m, n_a});
  tanh_c_.Resize({T_x, m, n_a});
  a0_.Resize(state);
  c0_.Resize(state);
  if (a0 != nullptr) {
    a0_.vec() = a0->vec();
  } else {
    a0_.SetZero();
  }
  if (c0 != nullptr) {
    c0_.vec() = c0->vec();
  } else {
    c0_.SetZero();
  }
  if (N == 0) return a_;

  // W = [Wa | Wx]: views, no copies.
  const auto W = std::as_const(params_[0].value).matrix(4 * n_a, n_a + n_x_);
  const auto Wa = W.leftCols(n_a);
  const auto Wx = W.rightCols(n_x_);
  const ConstColMap<T> X(x.data(), n_x_, N);  // x<t> = columns t m ..
  ColMap<T> G(gates_.data(), 4 * n_a, N);
  ColMap<T> A(a_.data(), n_a, N), C(c_.data(), n_a, N);
  ColMap<T> TC(tanh_c_.data(), n_a, N);

  // The input's part of every gate, for every step: ONE product.
  G.noalias() = Wx * X;
  G.colwise() += params_[1].value.vec();

  for (Index t = 0; t < T_x; ++t) {
    const T* a_prev = t == 0 ? a0_.data() : a_.data() + (t - 1) * m * n_a;
    const T* c_prev = t == 0 ? c0_.data() : c_.data() + (t - 1) * m * n_a;
    auto Gt = G.middleCols(t * m, m);  // (4 n_a, m)
    // The recurrent part, the four gates in one product.
    Gt.noalias() += Wa * ConstColMap<T>(a_prev, n_a, m);
    SigmoidInPlace(Gt.topRows(2 * n_a));  // Γf, Γu
    Gt.middleRows(2 * n_a, n_a).array() =
        Gt.middleRows(2 * n_a, n_a).array().tanh();  // c̃
    SigmoidInPlace(Gt.bottomRows(n_a));              // Γo
    const auto f = Gt.topRows(n_a).array();
    const auto i = Gt.middleRows(n_a, n_a).array();
    const auto cc = Gt.middleRows(2 * n_a, n_a).array();
    const auto o = Gt.bottomRows(n_a).array();
    auto Ct = C.middleCols(t * m, m).array();
    auto TCt = TC.middleCols(t * m, m).array();
    Ct = f * ConstColMap<T>(c_prev, n_a, m).array() + i * cc;
    TCt = Ct.tanh();
    A.middleCols(t * m, m).array() = o * TCt;
  }
  return a_;
}

template <typename T>
void Lstm<T>::Backward(const Array<T>& da, Array<T>* dx, Array<T>* da0,
                       Array<T>* dc0) {
  if (x_ == nullptr) {
    throw std::logic_error("Lstm::Backward: call Forward first");
  }
  if (da.shape() != a_.shape()) {
    throw std::invalid_argument("Lstm::Backward: da has shape " +
                                ShapeString(da.shape()) + ", the output " +
                                ShapeString(a_.shape()));
  }
  const Index T_x = T_x_, m = m_, n_a = n_a_, N = T_x * m;
  dgates_.Resize({T_x, m, 4 * n_a});
  da_next_.Resize({m, n_a});
  da_prev_.Resize({m, n_a});
  dc_prev_.Resize({m, n_a});
  da_prev_.SetZero();  // ∂J/∂a<T_x> through later steps: none
  dc_prev_.SetZero();

  const auto W = std::as_const(params_[0].value).matrix(4 * n_a, n_a + n_x_);
  const auto Wa = W.leftCols(n_a);
  const auto Wx = W.rightCols(n_x_);
  const ConstColMap<T> G(gates_.data(), 4 * n_a, N);
  const ConstColMap<T> A(a_.data(), n_a, N), TC(tanh_c_.data(), n_a, N);
  const ConstColMap<T> dA(da.data(), n_a, N);
  ColMap<T> dG(dgates_.data(), 4 * n_a, N);
  ColMap<T> dan(da_next_.data(), n_a, m);
  ColMap<T> dap(da_prev_.data(), n_a, m), dcp(dc_prev_.data(), n_a, m);

  for (Index t = T_x - 1; t >= 0; --t) {
    const T* c_prev = t == 0 ? c0_.data() : c_.data() + (t - 1) * m * n_a;
    const auto Gt = G.middleCols(t * m, m);
    auto dGt = dG.middleCols(t * m, m);
    const auto f = Gt.topRows(n_a).array();
    const auto i = Gt.middleRows(n_a, n_a).array();
    const auto cc = Gt.middleRows(2 * n_a, n_a).array();
    const auto o = Gt.bottomRows(n_a).array();
    const auto tc = TC.middleCols(t * m, m).array();
    // ∂J/∂a<t>: from step t's output and from step t+1.
    dan = dA.middleCols(t * m, m) + dap;
    // dc = dc_next + da_next * Γo * (1 - tanh²(c<t>)), in dcp.
    dcp.array() += dan.array() * o * (T(1) - tc.square());
    // The gates' pre-activations.
    dGt.bottomRows(n_a).array() = dan.array() * tc * o * (T(1) - o);
    dGt.middleRows(2 * n_a, n_a).array() =
        dcp.array() * i * (T(1) - cc.square());
    dGt.middleRows(n_a, n_a).array() = dcp.array() * cc * i * (T(1) - i);
    dGt.topRows(n_a).array() =
        dcp.array() * ConstColMap<T>(c_prev, n_a, m).array() * f * (T(1) - f);
    // To step t-1: dc_prev = dc * Γf, da_prev = Wa^T dG<t> (one product).
    dcp.array() *= f;
    dap.noalias() = Wa.transpose() * dGt;
  }

  // The parameters: one product each over all steps.
  auto dW = params_[0].grad.matrix(4 * n_a, n_a + n_x_);
  if (N == 0) {
    dW.setZero();
    params_[1].grad.SetZero();
  } else {
    const ConstColMap<T> X(x_->data(), n_x_, N);
    dW.rightCols(n_x_).noalias() = dG * X.transpose();
    // a<t-1> of every step: a0, then a<0> .. a<T_x-2>.
    dW.leftCols(n_a).noalias() =
        dG.leftCols(m) * ConstColMap<T>(a0_.data(), n_a, m).transpose();
    if (T_x > 1) {
      dW.leftCols(n_a).noalias() +=
          dG.rightCols(N - m) * A.leftCols(N - m).transpose();
    }
    params_[1].grad.vec() = dG.rowwise().sum();
  }
  if (dx != nullptr) {
    dx->Resize({T_x, m, n_x_});
    if (N > 0) ColMap<T>(dx->data(), n_x_, N).noalias() = Wx.transpose() * dG;
  }
  if (da0 != nullptr) *da0 = da_prev_;
  if (dc0 != nullptr) *dc0 = dc_prev_;
}

// ================================================== transformer encoder

namespace {

// Parameter indices of TransformerEncoderLayer, in torch's state_dict order.
enum : int {
  kInProjWeight,
  kInProjBias,
  kOutProjWeight,
  kOutProjBias,
  kLinear1Weight,
  kLinear1Bias,
  kLinear2Weight,
  kLinear2Bias,
  kNorm1Weight,
  kNorm1Bias,
  kNorm2Weight,
  kNorm2Bias,
};

// Every row of Y (rows, D): (y - mean) / sqrt(var + eps) * gamma + beta.
template <typename T, typename M>
void LayerNormRows(M& Y, const Array<T>& gamma, const Array<T>& beta,
                   double eps) {
  const Index D = Y.cols();
  const auto g = gamma.vec().transpose().array();
  const auto b = beta.vec().transpose().array();
  for (Index r = 0; r < Y.rows(); ++r) {
    auto row = Y.row(r).array();
    const T mean = row.sum() / T(D);
    row -= mean;
    const T var = row.square().sum() / T(D);
    const T inv = T(1) / std::sqrt(var + T(eps));
    row = row * inv * g + b;
  }
}

}  // namespace

template <typename T>
TransformerEncoderLayer<T>::TransformerEncoderLayer(Index d_model, Index nhead,
                                                    Index dim_feedforward,
                                                    double layer_norm_eps)
    : d_model_(d_model),
      nhead_(nhead),
      d_ff_(dim_feedforward),
      eps_(layer_norm_eps) {
  if (d_model <= 0 || nhead <= 0 || dim_feedforward <= 0 ||
      d_model % nhead != 0) {
    throw std::invalid_argument(
        "TransformerEncoderLayer: d_model " + std::to_string(d_model) +
        " must be a positive multiple of nhead " + std::to_string(nhead) +
        ", dim_feedforward " + std::to_string(dim_feedforward) + " positive");
  }
  const Index D = d_model, F = dim_feedforward;
  params_.push_back(MakeParameter<T>("self_attn.in_proj_weight", {3 * D, D}));
  params_.push_back(MakeParameter<T>("self_attn.in_proj_bias", {3 * D}));
  params_.push_back(MakeParameter<T>("self_attn.out_proj.weight", {D, D}));
  params_.push_back(MakeParameter<T>("self_attn.out_proj.bias", {D}));
  params_.push_back(MakeParameter<T>("linear1.weight", {F, D}));
  params_.push_back(MakeParameter<T>("linear1.bias", {F}));
  params_.push_back(MakeParameter<T>("linear2.weight", {D, F}));
  params_.push_back(MakeParameter<T>("linear2.bias", {D}));
  params_.push_back(MakeParameter<T>("norm1.weight", {D}));
  params_.push_back(MakeParameter<T>("norm1.bias", {D}));
  params_.push_back(MakeParameter<T>("norm2.weight", {D}));
  params_.push_back(MakeParameter<T>("norm2.bias", {D}));
  params_[kNorm1Weight].value.SetConstant(T(1));
  params_[kNorm2Weight].value.SetConstant(T(1));
}

template <typename T>
Parameter<T>& TransformerEncoderLayer<T>::parameter(const std::string& name) {
  for (Parameter<T>& p : params_) {
    if (p.name == name) return p;
  }
  throw std::out_of_range("TransformerEncoderLayer: no parameter \"" + name +
                          "\"");
}

template <typename T>
void TransformerEncoderLayer<T>::Initialize(RandomState& rng) {
  const double D = double(d_model_), F = double(d_ff_);
  const auto uniform = [&](int k, double limit) {
    nn::Initialize(Initializer::RandomUniform(-limit, limit), 0, 0, rng,
                   &params_[k].value);
  };
  uniform(kInProjWeight, std::sqrt(6.0 / (D + 3 * D)));
  params_[kInProjBias].value.SetZero();
  uniform(kOutProjWeight, 1 / std::sqrt(D));
  params_[kOutProjBias].value.SetZero();
  uniform(kLinear1Weight, 1 / std::sqrt(D));
  uniform(kLinear1Bias, 1 / std::sqrt(D));
  uniform(kLinear2Weight, 1 / std::sqrt(F));
  uniform(kLinear2Bias, 1 / std::sqrt(F));
  params_[kNorm1Weight].value.SetConstant(T(1));
  params_[kNorm1Bias].value.SetZero();
  params_[kNorm2Weight].value.SetConstant(T(1));
  params_[kNorm2Bias].value.SetZero();
}

template <typename T>
const Array<T>& TransformerEncoderLayer<T>::Forward(const Array<T>& x) {
  if (x.rank() != 3 || x.dim(2) != d_model_) {
    throw std::invalid_argument(
        "TransformerEncoderLayer::Forward: x has shape " +
        ShapeString(x.shape()) + ", expected (batch, seq, " +
        std::to_string(d_model_) + ")");
  }
  const Index B = x.dim(0), S = x.dim(1), D = d_model_, F = d_ff_;
  const Index N = B * S, dh = D / nhead_;
  const auto& p = params_;
  const auto X = x.matrix(N, D);
  const auto bias = [&](int k) { return p[k].value.vec().transpose(); };

  // [Q | K | V] for every token: ONE product.
  qkv_.Resize({N, 3 * D});
  auto QKV = qkv_.matrix(N, 3 * D);
  QKV.noalias() = X * p[kInProjWeight].value.matrix(3 * D, D).transpose();
  QKV.rowwise() += bias(kInProjBias);

  // Each sequence b and head h: softmax(Q Kᵀ / sqrt(d_head)) V, written
  // into the head's columns of `heads`.
  heads_.Resize({N, D});
  scores_.Resize({S, S});
  auto H = heads_.matrix(N, D);
  auto P = scores_.matrix(S, S);
  const T scale = T(1 / std::sqrt(double(dh)));
  for (Index b = 0; b < B; ++b) {
    for (Index h = 0; h < nhead_; ++h) {
      const auto Q = QKV.block(b * S, h * dh, S, dh);
      const auto K = QKV.block(b * S, D + h * dh, S, dh);
      const auto V = QKV.block(b * S, 2 * D + h * dh, S, dh);
      P.noalias() = (Q * scale) * K.transpose();
      for (Index r = 0; r < S; ++r) {
        auto row = P.row(r).array();
        row = (row - row.maxCoeff()).exp();
        row /= row.sum();
      }
      H.block(b * S, h * dh, S, dh).noalias() = P * V;
    }
  }

  // x1 = LayerNorm1(x + heads out_projᵀ + bias).
  x1_.Resize({N, D});
  auto X1 = x1_.matrix(N, D);
  X1.noalias() = H * p[kOutProjWeight].value.matrix(D, D).transpose();
  X1 += X;
  X1.rowwise() += bias(kOutProjBias);
  LayerNormRows<T>(X1, p[kNorm1Weight].value, p[kNorm1Bias].value, eps_);

  // y = LayerNorm2(x1 + linear2(relu(linear1(x1)))).
  hidden_.Resize({N, F});
  auto Hd = hidden_.matrix(N, F);
  Hd.noalias() = X1 * p[kLinear1Weight].value.matrix(F, D).transpose();
  Hd.rowwise() += bias(kLinear1Bias);
  Hd = Hd.cwiseMax(T(0));
  y_.Resize({B, S, D});
  auto Y = y_.matrix(N, D);
  Y.noalias() = Hd * p[kLinear2Weight].value.matrix(D, F).transpose();
  Y += X1;
  Y.rowwise() += bias(kLinear2Bias);
  LayerNormRows<T>(Y, p[kNorm2Weight].value, p[kNorm2Bias].value, eps_);
  return y_;
}

template class Lstm<float>;
template class Lstm<double>;
template class TransformerEncoderLayer<float>;
template class TransformerEncoderLayer<double>;

}  // namespace nn
}  // namespace dl
