// File: common/nn/normalization_layers.cc
//
// BatchNormalization of layers.h (the course's batchnorm_forward and
// batchnorm_backward: course2_tuning/batch_norm_softmax).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "common/core/random.h"
#include "common/core/tensor.h"
#include "common/nn/channel_kernels.h"
#include "common/nn/layer_kernels.h"
#include "common/nn/layers.h"

namespace dl {
namespace nn {
namespace {

using namespace internal;  // NOLINT: the shared kernels of layer_kernels.h

// ------------------------------------------------------ batch normalization

template <typename T>
class BatchNormLayer : public Layer<T> {
 public:
  explicit BatchNormLayer(const BatchNormalization& spec) : spec_(spec) {
    this->set_name(spec.name);
  }
  std::string type() const override { return "BatchNormalization"; }
  std::string default_name() const override { return "batch_normalization"; }

 protected:
  Shape DoBuild(const std::vector<Shape>& in, RandomState& rng) override {
    const int rank = static_cast<int>(in[0].size()) + 1;  // with the batch
    if (in[0].empty() || (spec_.axis != -1 && spec_.axis != rank - 1)) {
      throw std::invalid_argument(this->Describe() + ": axis " +
                                  std::to_string(spec_.axis) + " for inputs " +
                                  KerasShapeString(in[0]) +
                                  "; only the last axis (-1 or " +
                                  std::to_string(rank - 1) + ") is supported");
    }
    C_ = in[0].back();
    this->AddParameter("gamma", {C_}, Initializer::Ones(), 0, 0, true, rng);
    this->AddParameter("beta", {C_}, Initializer::Zeros(), 0, 0, true, rng);
    this->AddParameter("moving_mean", {C_}, Initializer::Zeros(), 0, 0, false,
                       rng);
    this->AddParameter("moving_variance", {C_}, Initializer::Ones(), 0, 0,
                       false, rng);
    return in[0];
  }

  // A sum over the N rows (C entries), in double, from blocks of rows
  // summed in T (vectorized, and accurate over hundreds of thousands of
  // rows): add_rows(r0, r1, sum) adds rows r0 .. r1-1 into sum (C entries,
  // zero), with a kernel of channel_kernels.h. The blocks are summed in two
  // halves of the batch, then added in order: the same bits as in one piece.
  template <typename F>
  Eigen::ArrayXd SumRows(Index N, F add_rows) const {
    constexpr Index kBlock = 256;
    const Index blocks = (N + kBlock - 1) / kBlock;
    RowMatrix<T> partial(blocks, C_);  // one row per block of rows
    InHalves(blocks, double(kBlock) * C_, 1, [&](Index b0, Index b1) {
      for (Index b = b0; b < b1; ++b) {
        partial.row(b).setZero();
        add_rows(b * kBlock, std::min(N, (b + 1) * kBlock),
                 partial.data() + b * C_);
      }
    });
    Eigen::ArrayXd sum = Eigen::ArrayXd::Zero(C_);
    for (Index b = 0; b < blocks; ++b) {
      sum += partial.row(b).transpose().template cast<double>().array();
    }
    return sum;
  }

  // rows_from(r0, n) computes rows r0 .. r0 + n - 1 of an (N, C) result;
  // called on the two halves of the rows (each entry alone: the same bits
  // however they are cut).
  template <typename F>
  static void ByRows(Index N, Index C, F rows_from) {
    InHalves(N, C, 1, [&](Index r0, Index r1) { rows_from(r0, r1 - r0); });
  }

  void DoForward(const std::vector<const Array<T>*>& inputs, Array<T>* output,
                 bool training) override {
    const Array<T>& x = *inputs[0];
    const auto X = x.rows_by_last();
    const Index N = X.rows();
    auto& p = this->params_;
    training_ = training;
    if (training) {
      if (N == 0) throw std::invalid_argument(this->Describe() + ": no rows");
      mean_ = SumRows(N,
                      [&](Index r0, Index r1, T* sum) {
                        AddRows(X.data() + r0 * C_, r1 - r0, C_, sum);
                      }) /
              double(N);
      const RowVector<T> mean_t = mean_.template cast<T>().matrix().transpose();
      const Eigen::ArrayXd var =
          SumRows(N,
                  [&](Index r0, Index r1, T* sum) {
                    AddSquaredDeviations(X.data() + r0 * C_, mean_t.data(),
                                         r1 - r0, C_, sum);
                  }) /
          double(N);
      inv_std_ = (var + spec_.epsilon).rsqrt();
      const double mo = spec_.momentum;
      p[2].value.vec() =
          (mo * p[2].value.vec().template cast<double>().array() +
           (1 - mo) * mean_)
              .template cast<T>()
              .matrix();
      p[3].value.vec() =
          (mo * p[3].value.vec().template cast<double>().array() +
           (1 - mo) * var)
              .template cast<T>()
              .matrix();
    } else {
      mean_ = p[2].value.vec().template cast<double>().array();
      inv_std_ =
          (p[3].value.vec().template cast<double>().array() + spec_.epsilon)
              .rsqrt();
    }
    // y = x * scale + shift, channel by channel.
    const Eigen::ArrayXd gamma =
        p[0].value.vec().template cast<double>().array();
    const Eigen::ArrayXd beta =
        p[1].value.vec().template cast<double>().array();
    const RowVector<T> scale =
        (gamma * inv_std_).template cast<T>().matrix().transpose();
    const RowVector<T> shift = (beta - mean_ * gamma * inv_std_)
                                   .template cast<T>()
                                   .matrix()
                                   .transpose();
    output->Resize(x.shape());
    auto Y = output->rows_by_last();
    ByRows(N, C_, [&](Index r0, Index n) {
      ScaleShiftRows(X.data() + r0 * C_, scale.data(), shift.data(), n, C_,
                     Y.data() + r0 * C_);
    });
  }

  void DoBackward(const std::vector<const Array<T>*>& inputs, const Array<T>&,
                  const Array<T>& doutput,
                  const std::vector<Array<T>*>& dinputs) override {
    const Array<T>& x = *inputs[0];
    const auto X = x.rows_by_last();
    const auto dY = doutput.rows_by_last();
    const Index N = X.rows();
    auto& p = this->params_;
    // xhat = (x - mean) inv_std; dgamma = sum dy xhat; dbeta = sum dy.
    const RowVector<T> mean_t = mean_.template cast<T>().matrix().transpose();
    const Eigen::ArrayXd sum_dy = SumRows(N, [&](Index r0, Index r1, T* sum) {
      AddRows(dY.data() + r0 * C_, r1 - r0, C_, sum);
    });
    const Eigen::ArrayXd sum_dy_xhat =
        SumRows(N,
                [&](Index r0, Index r1, T* sum) {
                  AddWeightedDeviations(dY.data() + r0 * C_, X.data() + r0 * C_,
                                        mean_t.data(), r1 - r0, C_, sum);
                }) *
        inv_std_;
    p[0].grad.vec() = sum_dy_xhat.template cast<T>().matrix();
    p[1].grad.vec() = sum_dy.template cast<T>().matrix();
    Array<T>* dx = dinputs[0];
    if (dx == nullptr) return;
    const Eigen::ArrayXd gamma =
        p[0].value.vec().template cast<double>().array();
    dx->Resize(x.shape());
    auto dX = dx->rows_by_last();
    if (!training_) {
      // Inference: y = gamma (x - moving_mean) inv_std + beta, a constant
      // scale per channel.
      const RowVector<T> scale =
          (gamma * inv_std_).template cast<T>().matrix().transpose();
      ByRows(N, C_, [&](Index r0, Index n) {
        dX.middleRows(r0, n).array() =
            dY.middleRows(r0, n).array().rowwise() * scale.array();
      });
      return;
    }
    // Training: dx = gamma inv_std / N (N dy - sum dy - xhat sum dy xhat),
    // written as dx = a dy + b x + c per channel.
    const Eigen::ArrayXd a = gamma * inv_std_;
    const Eigen::ArrayXd bcoef = -a * inv_std_ * sum_dy_xhat / double(N);
    const Eigen::ArrayXd c = -a * sum_dy / double(N) - bcoef * mean_;
    const RowVector<T> ra = a.template cast<T>().matrix().transpose();
    const RowVector<T> rb = bcoef.template cast<T>().matrix().transpose();
    const RowVector<T> rc = c.template cast<T>().matrix().transpose();
    ByRows(N, C_, [&](Index r0, Index n) {
      TwoScaleShiftRows(dY.data() + r0 * C_, ra.data(), X.data() + r0 * C_,
                        rb.data(), rc.data(), n, C_, dX.data() + r0 * C_);
    });
  }

 private:
  BatchNormalization spec_;
  Index C_ = 0;
  bool training_ = false;
  Eigen::ArrayXd mean_, inv_std_;  // of the last Forward
};

}  // namespace

// ------------------------------------------------------------ factories

template <typename T>
std::unique_ptr<Layer<T>> MakeLayer(const BatchNormalization& spec) {
  return std::make_unique<BatchNormLayer<T>>(spec);
}

// --------------------------------------------------------- instantiations

#define DL_NN_INSTANTIATE(T) \
  template std::unique_ptr<Layer<T>> MakeLayer<T>(const BatchNormalization&);

DL_NN_INSTANTIATE(float)
DL_NN_INSTANTIATE(double)
#undef DL_NN_INSTANTIATE

}  // namespace nn
}  // namespace dl
