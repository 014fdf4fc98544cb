// File: common/nn/onednn_conv.h  (internal to common/nn)
//
// Conv2D in float32 on oneDNN (Debian's libdnnl), the library PyTorch's own
// CPU convolutions run on: its kernels are compiled at run time for the
// machine's widest vectors (AVX2, AVX-512), so the build stays portable.
// conv_layers.cc uses it for every float32 Conv2D and Conv2DTranspose that
// is not pointwise (a Conv2DTranspose is the convolution from its output
// back to its input, run backwards: its forward pass is that convolution's
// backward-data pass, its backward pass that convolution's forward and
// backward-weights passes);
// float64 (which oneDNN does not do) keeps im2col + matrix products.
//
// Layouts: ours, as the layers store them: input (m, H, W, C), kernel
// (k_H, k_W, C, F), output (m, OH, OW, F), all row-major. oneDNN computes
// in its own blocked layouts; the data is reordered in and out.
//
// Threads: a convolution of at least kSplitMultiplyAdds multiply-adds is
// cut into two halves of the batch, the second run on the helper thread
// of the matrix products (dl::RunInTwo, common/core/blas.h); oneDNN itself
// runs on one thread. The cut depends on the shapes only, so the results
// are the same, bit for bit, on 1 thread or 2.

#ifndef DLCOURSE_COMMON_NN_ONEDNN_CONV_H_
#define DLCOURSE_COMMON_NN_ONEDNN_CONV_H_

#include <map>
#include <memory>
#include <mutex>

#include "common/nn/layers.h"

namespace dl {
namespace nn {
namespace internal {

class OneDnnConv2D {
 public:
  // The convolution of windows gh (rows) and gw (columns) over C input
  // channels into F filters, with or without a bias.
  OneDnnConv2D(const Window1D& gh, const Window1D& gw, Index C, Index F,
               bool bias);
  ~OneDnnConv2D();

  // Whether oneDNN can express these windows (padding after the input may
  // be negative, by less than a stride: "valid" windows that leave the last
  // input positions unused).
  static bool Supports(const Window1D& gh, const Window1D& gw);

  // y (m, OH, OW, F) = x (m, H, W, C) * kernel (+ bias).
  void Forward(Index m, const float* x, const float* kernel, const float* bias,
               float* y);

  // From dy (m, OH, OW, F): dkernel and dbias (when there is a bias),
  // overwritten, unless dkernel is null (a frozen layer: neither is
  // computed), and dx (m, H, W, C), overwritten, unless it is null.
  void Backward(Index m, const float* x, const float* kernel, const float* dy,
                float* dkernel, float* dbias, float* dx);

 private:
  struct Plan;  // oneDNN's primitives for one batch size
  Plan& PlanFor(Index m);
  // The batch cut in two (first, second) or not (m, 0), by the shapes.
  std::pair<Index, Index> Halves(Index m) const;

  Window1D gh_, gw_;
  Index C_, F_;
  bool bias_;
  std::mutex mutex_;                              // guards plans_
  std::map<Index, std::unique_ptr<Plan>> plans_;  // by batch size
};

}  // namespace internal
}  // namespace nn
}  // namespace dl

#endif  // DLCOURSE_COMMON_NN_ONEDNN_CONV_H_
