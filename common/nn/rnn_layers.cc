// File: common/nn/rnn_layers.cc
//
// Keras's Embedding, LSTM and GRU as layers of nn::Model
// (sequence_layers.h).
// LSTM runs nn::Lstm (sequence_layers.cc), which is time first; this layer
// is batch first, as Keras, and moves the axes on the way in and out.

#include <cmath>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/core/tensor.h"
#include "common/nn/layers.h"
#include "common/nn/sequence_layers.h"

namespace dl {
namespace nn {
namespace {

// (A, B, n) -> (B, A, n): swaps the first two axes of a 3-D array.
template <typename T>
void SwapFirstAxes(const Array<T>& in, Array<T>* out) {
  const Index A = in.dim(0), B = in.dim(1), n = in.dim(2);
  out->Resize({B, A, n});
  const T* src = in.data();
  T* dst = out->data();
  for (Index a = 0; a < A; ++a) {
    for (Index b = 0; b < B; ++b) {
      const T* from = src + (a * B + b) * n;
      T* to = dst + (b * A + a) * n;
      for (Index k = 0; k < n; ++k) to[k] = from[k];
    }
  }
}

// What a recurrent layer needs of its input shape (T_x, n_x), without the
// batch; throws naming the layer, with the return_sequences hint when a
// recurrent layer below gave one vector per example.
void CheckSequenceInput(const std::string& layer, const Shape& in, int units) {
  if (in.size() != 2) {
    std::string message =
        layer + " needs inputs (m, T_x, n_x), got " + KerasShapeString(in);
    if (in.size() == 1) {
      message +=
          ": one vector per example. A recurrent layer that feeds another "
          "needs return_sequences = true";
    }
    throw std::invalid_argument(message);
  }
  if (units <= 0) throw std::invalid_argument(layer + ": units must be > 0");
}

// The layer's output from its time-first outputs h (T_x, m, u): all of
// them batch first (m, T_x, u), or the last step's (m, u).
template <typename T>
void SequenceOutput(const Array<T>& h, bool return_sequences,
                    Array<T>* output) {
  if (return_sequences) {
    SwapFirstAxes(h, output);
    return;
  }
  const Index T_x = h.dim(0), m = h.dim(1), u = h.dim(2);
  output->Resize({m, u});
  output->vec() = Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, 1>>(
      h.data() + (T_x - 1) * m * u, m * u);
}

// dJ/dh (T_x, m, u), time first, from dJ/doutput (SequenceOutput's
// shapes): zero at every step but the last when only that one was output.
template <typename T>
void SequenceGradient(const Array<T>& doutput, bool return_sequences,
                      const Shape& h_shape, Array<T>* dh) {
  if (return_sequences) {
    SwapFirstAxes(doutput, dh);
    return;
  }
  const Index T_x = h_shape[0], m = h_shape[1], u = h_shape[2];
  dh->Resize({T_x, m, u});
  dh->vec().setZero();
  Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, 1>>(
      dh->data() + (T_x - 1) * m * u, m * u) = doutput.vec();
}

// -------------------------------------------------------------- embedding

template <typename T>
class EmbeddingLayer : public Layer<T> {
 public:
  explicit EmbeddingLayer(const Embedding& spec) : spec_(spec) {
    this->set_name(spec.name);
  }
  std::string type() const override { return "Embedding"; }
  std::string default_name() const override { return "embedding"; }

 protected:
  Shape DoBuild(const std::vector<Shape>& in, RandomState& rng) override {
    if (in[0].size() != 1) {
      throw std::invalid_argument(this->Describe() +
                                  " needs inputs (m, T_x) of word indices, "
                                  "got " +
                                  KerasShapeString(in[0]));
    }
    if (spec_.input_dim <= 0 || spec_.output_dim <= 0) {
      throw std::invalid_argument(this->Describe() +
                                  ": input_dim and output_dim must be > 0");
    }
    Parameter<T>& E = this->AddParameter(
        "embeddings", {spec_.input_dim, spec_.output_dim},
        Initializer::RandomUniform(), 0, 0, spec_.trainable, rng);
    if (spec_.weights.size() > 0) {
      if (spec_.weights.rows() != spec_.input_dim ||
          spec_.weights.cols() != spec_.output_dim) {
        throw std::invalid_argument(
            this->Describe() + ": weights are (" +
            std::to_string(spec_.weights.rows()) + ", " +
            std::to_string(spec_.weights.cols()) + "), expected (input_dim " +
            std::to_string(spec_.input_dim) + ", output_dim " +
            std::to_string(spec_.output_dim) + ")");
      }
      for (Index w = 0; w < spec_.input_dim; ++w) {
        for (Index k = 0; k < spec_.output_dim; ++k) {
          E.value.data()[w * spec_.output_dim + k] = T(spec_.weights(w, k));
        }
      }
    }
    return {in[0][0], spec_.output_dim};
  }

  // x (m, T_x) -> y (m, T_x, n): y[i, t] = E[x[i, t]].
  void DoForward(const std::vector<const Array<T>*>& inputs, Array<T>* output,
                 bool) override {
    const Array<T>& x = *inputs[0];
    const Index n = spec_.output_dim;
    output->Resize({x.dim(0), x.dim(1), n});
    const T* E = this->params_[0].value.data();
    for (Index k = 0; k < x.size(); ++k) {
      const T* row = E + Word(x[k]) * n;
      T* to = output->data() + k * n;
      for (Index j = 0; j < n; ++j) to[j] = row[j];
    }
  }

  // dE[w] = the sum of dy[i, t] over the positions with x[i, t] = w.
  void DoBackward(const std::vector<const Array<T>*>& inputs, const Array<T>&,
                  const Array<T>& doutput,
                  const std::vector<Array<T>*>& dinputs) override {
    const Array<T>& x = *inputs[0];
    const Index n = spec_.output_dim;
    Parameter<T>& E = this->params_[0];
    if (E.trainable) {
      E.grad.vec().setZero();
      for (Index k = 0; k < x.size(); ++k) {
        T* row = E.grad.data() + Word(x[k]) * n;
        const T* from = doutput.data() + k * n;
        for (Index j = 0; j < n; ++j) row[j] += from[j];
      }
    }
    if (Array<T>* dx = dinputs[0]) {
      dx->Resize(x.shape());
      dx->vec().setZero();  // indices are not differentiable
    }
  }

 private:
  // The row of index value v; throws for anything but 0 .. input_dim-1.
  Index Word(T v) const {
    const double rounded = std::round(double(v));
    if (!(rounded >= 0 && rounded < spec_.input_dim) || rounded != double(v)) {
      throw std::invalid_argument(
          this->Describe() + ": index " + std::to_string(double(v)) +
          " is not a whole number in 0 .. " +
          std::to_string(spec_.input_dim - 1) + " (input_dim " +
          std::to_string(spec_.input_dim) + ")");
    }
    return static_cast<Index>(rounded);
  }

  Embedding spec_;
};

// ------------------------------------------------------------------- LSTM

template <typename T>
class LstmLayer : public Layer<T> {
 public:
  explicit LstmLayer(const LSTM& spec) : spec_(spec) {
    this->set_name(spec.name);
  }
  std::string type() const override { return "LSTM"; }
  std::string default_name() const override { return "lstm"; }

 protected:
  Shape DoBuild(const std::vector<Shape>& in, RandomState& rng) override {
    CheckSequenceInput(this->Describe(), in[0], spec_.units);
    const Index T_x = in[0][0], n_x = in[0][1], n_a = spec_.units;
    lstm_.emplace(n_x, n_a);
    this->AddParameter("W", {4 * n_a, n_a + n_x}, Initializer::GlorotUniform(),
                       double(n_a + n_x), double(4 * n_a), true, rng);
    Parameter<T>& b = this->AddParameter("b", {4 * n_a}, Initializer::Zeros(),
                                         0, 0, true, rng);
    for (Index k = 0; k < n_a; ++k) b.value[k] = T(1);  // the forget gate's
    if (spec_.return_sequences) return {T_x, n_a};
    return {n_a};
  }

  // x (m, T_x, n_x) -> a (m, T_x, n_a), or a<T_x-1> (m, n_a).
  void DoForward(const std::vector<const Array<T>*>& inputs, Array<T>* output,
                 bool) override {
    lstm_->W().value.vec() = this->params_[0].value.vec();
    lstm_->b().value.vec() = this->params_[1].value.vec();
    SwapFirstAxes(*inputs[0], &x_time_first_);
    const Array<T>& a = lstm_->Forward(x_time_first_);  // (T_x, m, n_a)
    SequenceOutput(a, spec_.return_sequences, output);
  }

  void DoBackward(const std::vector<const Array<T>*>&, const Array<T>&,
                  const Array<T>& doutput,
                  const std::vector<Array<T>*>& dinputs) override {
    SequenceGradient(doutput, spec_.return_sequences, lstm_->a().shape(), &da_);
    Array<T>* dx = dinputs[0];
    lstm_->Backward(da_, dx ? &dx_time_first_ : nullptr);
    this->params_[0].grad.vec() = lstm_->W().grad.vec();
    this->params_[1].grad.vec() = lstm_->b().grad.vec();
    if (dx) SwapFirstAxes(dx_time_first_, dx);
  }

 private:
  LSTM spec_;
  std::optional<Lstm<T>> lstm_;  // made by Build, for the input's n_x
  Array<T> x_time_first_;        // (T_x, m, n_x), read again by Backward
  Array<T> da_, dx_time_first_;  // (T_x, m, n_a), (T_x, m, n_x)
};

// -------------------------------------------------------------------- GRU

// Keras's GRU (reset_after=True), time first inside:
//   [xz | xr | xh] = x<t> kernel + bias[0]                 (all steps at once)
//   [hz | hr | hh] = h<t-1> recurrent_kernel + bias[1]     (one product a step)
//   z = σ(xz + hz)   r = σ(xr + hr)   h̃ = tanh(xh + r * hh)
//   h<t> = z * h<t-1> + (1 - z) * h̃
template <typename T>
class GruLayer : public Layer<T> {
 public:
  explicit GruLayer(const GRU& spec) : spec_(spec) {
    this->set_name(spec.name);
  }
  std::string type() const override { return "GRU"; }
  std::string default_name() const override { return "gru"; }

 protected:
  using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using MapM = Eigen::Map<Mat>;
  using CMapM = Eigen::Map<const Mat>;

  Shape DoBuild(const std::vector<Shape>& in, RandomState& rng) override {
    CheckSequenceInput(this->Describe(), in[0], spec_.units);
    const Index T_x = in[0][0], n_x = in[0][1], u = spec_.units;
    this->AddParameter("kernel", {n_x, 3 * u}, Initializer::GlorotUniform(),
                       double(n_x), double(3 * u), true, rng);
    this->AddParameter("recurrent_kernel", {u, 3 * u},
                       Initializer::GlorotUniform(), double(u), double(3 * u),
                       true, rng);
    this->AddParameter("bias", {2, 3 * u}, Initializer::Zeros(), 0, 0, true,
                       rng);
    if (spec_.return_sequences) return {T_x, u};
    return {u};
  }

  void DoForward(const std::vector<const Array<T>*>& inputs, Array<T>* output,
                 bool) override {
    SwapFirstAxes(*inputs[0], &x_);  // (T_x, m, n_x)
    const Index T_x = x_.dim(0), m = x_.dim(1), n_x = x_.dim(2);
    const Index u = spec_.units;
    const CMapM W(this->params_[0].value.data(), n_x, 3 * u);
    const CMapM U(this->params_[1].value.data(), u, 3 * u);
    const T* bias = this->params_[2].value.data();
    const Eigen::Map<const Eigen::Matrix<T, 1, Eigen::Dynamic>> bx(bias, 3 * u),
        bh(bias + 3 * u, 3 * u);
    gx_.Resize({T_x, m, 3 * u});
    MapM(gx_.data(), T_x * m, 3 * u).noalias() =
        CMapM(x_.data(), T_x * m, n_x) * W;
    MapM(gx_.data(), T_x * m, 3 * u).rowwise() += bx;
    gh_.Resize({T_x, m, 3 * u});
    gates_.Resize({T_x, m, 3 * u});  // z, r, h̃
    h_.Resize({T_x, m, u});
    for (Index t = 0; t < T_x; ++t) {
      MapM gh(gh_.data() + t * m * 3 * u, m, 3 * u);
      if (t == 0) {
        gh = bh.replicate(m, 1);
      } else {
        gh.noalias() = CMapM(h_.data() + (t - 1) * m * u, m, u) * U;
        gh.rowwise() += bh;
      }
      const T* gx = gx_.data() + t * m * 3 * u;
      T* g = gates_.data() + t * m * 3 * u;
      T* h = h_.data() + t * m * u;
      const T* h_prev = t == 0 ? nullptr : h_.data() + (t - 1) * m * u;
      for (Index i = 0; i < m; ++i) {
        for (Index k = 0; k < u; ++k) {
          const Index row = i * 3 * u;
          const T z = Sigmoid(gx[row + k] + gh(i, k));
          const T r = Sigmoid(gx[row + u + k] + gh(i, u + k));
          const T cand = std::tanh(gx[row + 2 * u + k] + r * gh(i, 2 * u + k));
          g[row + k] = z;
          g[row + u + k] = r;
          g[row + 2 * u + k] = cand;
          const T prev = h_prev ? h_prev[i * u + k] : T(0);
          h[i * u + k] = z * prev + (T(1) - z) * cand;
        }
      }
    }
    SequenceOutput(h_, spec_.return_sequences, output);
  }

  void DoBackward(const std::vector<const Array<T>*>&, const Array<T>&,
                  const Array<T>& doutput,
                  const std::vector<Array<T>*>& dinputs) override {
    const Index T_x = x_.dim(0), m = x_.dim(1), n_x = x_.dim(2);
    const Index u = spec_.units;
    SequenceGradient(doutput, spec_.return_sequences, h_.shape(), &dh_);
    const CMapM W(this->params_[0].value.data(), n_x, 3 * u);
    const CMapM U(this->params_[1].value.data(), u, 3 * u);
    MapM dU(this->params_[1].grad.data(), u, 3 * u);
    dU.setZero();
    Eigen::Map<Eigen::Matrix<T, 1, Eigen::Dynamic>> dbx(
        this->params_[2].grad.data(), 3 * u),
        dbh(this->params_[2].grad.data() + 3 * u, 3 * u);
    dbh.setZero();
    dgx_.Resize({T_x, m, 3 * u});
    Mat dgh(m, 3 * u);
    Mat dh_next = Mat::Zero(m, u);
    for (Index t = T_x - 1; t >= 0; --t) {
      const T* g = gates_.data() + t * m * 3 * u;
      const T* gh = gh_.data() + t * m * 3 * u;
      const T* h_prev = t == 0 ? nullptr : h_.data() + (t - 1) * m * u;
      const T* dh_out = dh_.data() + t * m * u;
      T* dgx = dgx_.data() + t * m * 3 * u;
      Mat dh_prev(m, u);
      for (Index i = 0; i < m; ++i) {
        for (Index k = 0; k < u; ++k) {
          const Index row = i * 3 * u;
          const T z = g[row + k], r = g[row + u + k], cand = g[row + 2 * u + k];
          const T prev = h_prev ? h_prev[i * u + k] : T(0);
          const T dh = dh_out[i * u + k] + dh_next(i, k);
          const T dz = dh * (prev - cand) * z * (T(1) - z);
          const T dcand = dh * (T(1) - z) * (T(1) - cand * cand);
          const T dr = dcand * gh[row + 2 * u + k] * r * (T(1) - r);
          dgx[row + k] = dz;
          dgx[row + u + k] = dr;
          dgx[row + 2 * u + k] = dcand;
          dgh(i, k) = dz;
          dgh(i, u + k) = dr;
          dgh(i, 2 * u + k) = dcand * r;
          dh_prev(i, k) = dh * z;
        }
      }
      dbh += dgh.colwise().sum();
      if (h_prev) {
        dU.noalias() += CMapM(h_prev, m, u).transpose() * dgh;
        dh_prev.noalias() += dgh * U.transpose();
      }
      dh_next = dh_prev;
    }
    const CMapM dGx(dgx_.data(), T_x * m, 3 * u);
    MapM(this->params_[0].grad.data(), n_x, 3 * u).noalias() =
        CMapM(x_.data(), T_x * m, n_x).transpose() * dGx;
    dbx = dGx.colwise().sum();
    if (Array<T>* dx = dinputs[0]) {
      dx_time_first_.Resize({T_x, m, n_x});
      MapM(dx_time_first_.data(), T_x * m, n_x).noalias() = dGx * W.transpose();
      SwapFirstAxes(dx_time_first_, dx);
    }
  }

 private:
  static T Sigmoid(T v) { return T(1) / (T(1) + std::exp(-v)); }

  GRU spec_;
  Array<T> x_;                // (T_x, m, n_x), the last Forward's input
  Array<T> gx_, gh_, gates_;  // (T_x, m, 3u)
  Array<T> h_;                // (T_x, m, u)
  Array<T> dh_, dgx_, dx_time_first_;
};

}  // namespace

template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const Embedding& spec) {
  return std::make_unique<EmbeddingLayer<T>>(spec);
}

template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const LSTM& spec) {
  return std::make_unique<LstmLayer<T>>(spec);
}

template std::unique_ptr<Layer<float>> MakeLayer<float>(const Embedding&);
template std::unique_ptr<Layer<double>> MakeLayer<double>(const Embedding&);
template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const GRU& spec) {
  return std::make_unique<GruLayer<T>>(spec);
}

template std::unique_ptr<Layer<float>> MakeLayer<float>(const LSTM&);
template std::unique_ptr<Layer<double>> MakeLayer<double>(const LSTM&);
template std::unique_ptr<Layer<float>> MakeLayer<float>(const GRU&);
template std::unique_ptr<Layer<double>> MakeLayer<double>(const GRU&);

}  // namespace nn
}  // namespace dl
