// File: common/nn/onednn_conv.cc
//
// OneDnnConv2D (onednn_conv.h): oneDNN's convolution primitives, made once
// per batch size, with the data reordered between our row-major layouts
// and the blocked layouts oneDNN picks for the machine.

#include "common/nn/onednn_conv.h"

#include <omp.h>

#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/core/blas.h"
#include "oneapi/dnnl/dnnl.hpp"

namespace dl {
namespace nn {
namespace internal {
namespace {

using dnnl::memory;
using Tag = memory::format_tag;
using Args = std::unordered_map<int, memory>;

dnnl::engine& Engine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

// The calling thread's stream. oneDNN runs on the calling thread alone (an
// OpenMP team of one): the threads are RunInTwo's, which a busy machine
// cannot slow down below one thread's time.
dnnl::stream& ThreadStream() {
  thread_local const bool one_thread = (omp_set_num_threads(1), true);
  (void)one_thread;
  thread_local dnnl::stream stream(Engine());
  return stream;
}

// The thread's buffer number `slot`, at least `bytes` long (reused from
// call to call; each call uses a slot for one thing only).
void* Buffer(int slot, size_t bytes) {
  thread_local std::vector<float> buffers[8];
  std::vector<float>& buffer = buffers[slot];
  if (buffer.size() * sizeof(float) < bytes) {
    buffer = std::vector<float>();  // free first: no old and new at once
    buffer.resize((bytes + sizeof(float) - 1) / sizeof(float));
  }
  return buffer.data();
}

enum Slot { kSrc, kWeights, kDst, kDiffDst, kDataWeights, kDiffSrc, kScratch };

// `data` (layout `plain`) as oneDNN wants it (layout `want`): the data
// itself when the layouts are the same, else a reordered copy.
memory In(const memory::desc& plain, const memory::desc& want,
          const float* data, Slot slot, dnnl::stream& stream) {
  memory ours(plain, Engine(), const_cast<float*>(data));
  if (want == plain) return ours;
  memory theirs(want, Engine(), Buffer(slot, want.get_size()));
  dnnl::reorder(ours, theirs).execute(stream, ours, theirs);
  return theirs;
}

// Where oneDNN writes a result that belongs in `data` (layout `plain`):
// `data` itself when the layouts are the same, else a buffer that Out
// reorders into `data`.
memory Result(const memory::desc& plain, const memory::desc& want, float* data,
              Slot slot) {
  if (want == plain) return memory(plain, Engine(), data);
  return memory(want, Engine(), Buffer(slot, want.get_size()));
}
void Out(memory result, const memory::desc& plain, float* data,
         dnnl::stream& stream) {
  if (result.get_desc() == plain) return;
  memory ours(plain, Engine(), data);
  dnnl::reorder(result, ours).execute(stream, result, ours);
}

memory Scratchpad(const memory::desc& desc) {
  return memory(desc, Engine(), Buffer(kScratch, desc.get_size()));
}

// oneDNN's padding after the input: what makes its output size formula
// give ours (negative when the window leaves input positions unused).
Index PaddingAfter(const Window1D& w) {
  return (w.out - 1) * w.stride + w.k - w.in - w.before;
}

}  // namespace

// The primitives for one batch size, and our layouts as oneDNN descriptors.
struct OneDnnConv2D::Plan {
  memory::desc x, kernel, y, bias;
  dnnl::convolution_forward::primitive_desc forward_pd;
  dnnl::convolution_backward_data::primitive_desc data_pd;
  dnnl::convolution_backward_weights::primitive_desc weights_pd;
  dnnl::convolution_forward forward;
  dnnl::convolution_backward_data backward_data;
  dnnl::convolution_backward_weights backward_weights;
};

OneDnnConv2D::OneDnnConv2D(const Window1D& gh, const Window1D& gw, Index C,
                           Index F, bool bias)
    : gh_(gh), gw_(gw), C_(C), F_(F), bias_(bias) {}

OneDnnConv2D::~OneDnnConv2D() = default;

bool OneDnnConv2D::Supports(const Window1D& gh, const Window1D& gw) {
  // Negative: the last input positions are left out ("valid" windows that
  // do not reach the end), which oneDNN allows up to a stride.
  return PaddingAfter(gh) > -gh.stride && PaddingAfter(gw) > -gw.stride;
}

OneDnnConv2D::Plan& OneDnnConv2D::PlanFor(Index m) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::unique_ptr<Plan>& plan = plans_[m];
  if (plan) return *plan;
  // oneDNN plans a primitive for the threads it may use: set this thread's
  // OpenMP team to one (ThreadStream) BEFORE the first primitive, else the
  // first plan of the process is made for two threads and sums its
  // gradients in another order than every later one.
  ThreadStream();
  try {
    const auto f32 = memory::data_type::f32;
    const memory::dims x_dims = {m, C_, gh_.in, gw_.in};
    const memory::dims k_dims = {F_, C_, gh_.k, gw_.k};
    const memory::dims y_dims = {m, F_, gh_.out, gw_.out};
    const memory::dims strides = {gh_.stride, gw_.stride};
    const memory::dims before = {gh_.before, gw_.before};
    const memory::dims after = {PaddingAfter(gh_), PaddingAfter(gw_)};
    auto p = std::make_unique<Plan>();
    p->x = memory::desc(x_dims, f32, Tag::nhwc);
    p->kernel = memory::desc(k_dims, f32, Tag::hwio);
    p->y = memory::desc(y_dims, f32, Tag::nhwc);
    p->bias = bias_ ? memory::desc({F_}, f32, Tag::x) : memory::desc();
    // Tag::any: oneDNN picks the layouts its fastest kernels use.
    // The data in our layout (oneDNN has kernels for it: reordering the
    // data into its blocked layouts and back costs more than they gain);
    // the kernel, small, in the layout oneDNN picks (Tag::any).
    const memory::desc k_any(k_dims, f32, Tag::any);
    const auto algorithm = dnnl::algorithm::convolution_direct;
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    p->forward_pd = dnnl::convolution_forward::primitive_desc(
        dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training,
                                        algorithm, p->x, k_any, p->bias, p->y,
                                        strides, before, after),
        attr, Engine());
    p->data_pd = dnnl::convolution_backward_data::primitive_desc(
        dnnl::convolution_backward_data::desc(algorithm, p->x, k_any, p->y,
                                              strides, before, after),
        attr, Engine(), p->forward_pd);
    p->weights_pd = dnnl::convolution_backward_weights::primitive_desc(
        dnnl::convolution_backward_weights::desc(
            algorithm, p->x, k_any, p->bias, p->y, strides, before, after),
        attr, Engine(), p->forward_pd);
    p->forward = dnnl::convolution_forward(p->forward_pd);
    p->backward_data = dnnl::convolution_backward_data(p->data_pd);
    p->backward_weights = dnnl::convolution_backward_weights(p->weights_pd);
    plan = std::move(p);
  } catch (const dnnl::error& e) {
    plans_.erase(m);
    throw std::runtime_error(std::string("Conv2D (float32, oneDNN): ") +
                             e.what());
  }
  return *plan;
}

std::pair<Index, Index> OneDnnConv2D::Halves(Index m) const {
  const double multiply_adds =
      double(m) * gh_.out * gw_.out * F_ * gh_.k * gw_.k * C_;
  if (m < 2 || multiply_adds < kSplitMultiplyAdds) return {m, 0};
  return {m / 2, m - m / 2};
}

void OneDnnConv2D::Forward(Index m, const float* x, const float* kernel,
                           const float* bias, float* y) {
  const auto [m1, m2] = Halves(m);
  // Made here, not in the two halves: one thread at a time makes plans.
  Plan& first = PlanFor(m1);
  Plan* second = m2 > 0 ? &PlanFor(m2) : nullptr;
  const auto run = [&](Plan& p, const float* x, float* y) {
    dnnl::stream& stream = ThreadStream();
    memory y_result = Result(p.y, p.forward_pd.dst_desc(), y, kDst);
    Args args = {
        {DNNL_ARG_SRC, In(p.x, p.forward_pd.src_desc(), x, kSrc, stream)},
        {DNNL_ARG_WEIGHTS,
         In(p.kernel, p.forward_pd.weights_desc(), kernel, kWeights, stream)},
        {DNNL_ARG_DST, y_result},
        {DNNL_ARG_SCRATCHPAD, Scratchpad(p.forward_pd.scratchpad_desc())}};
    if (bias_) {
      args[DNNL_ARG_BIAS] = memory(p.bias, Engine(), const_cast<float*>(bias));
    }
    p.forward.execute(stream, args);
    Out(y_result, p.y, y, stream);
    stream.wait();
  };
  if (second == nullptr) {
    run(first, x, y);
    return;
  }
  const Index x_image = gh_.in * gw_.in * C_, y_image = gh_.out * gw_.out * F_;
  RunInTwo([&] { run(first, x, y); },
           [&] { run(*second, x + m1 * x_image, y + m1 * y_image); });
}

void OneDnnConv2D::Backward(Index m, const float* x, const float* kernel,
                            const float* dy, float* dkernel, float* dbias,
                            float* dx) {
  const auto [m1, m2] = Halves(m);
  Plan& first = PlanFor(m1);
  Plan* second = m2 > 0 ? &PlanFor(m2) : nullptr;
  const auto run = [&](Plan& p, const float* x, const float* dy, float* dkernel,
                       float* dbias, float* dx) {
    dnnl::stream& stream = ThreadStream();
    memory dy_weights;
    if (dkernel != nullptr) {
      dy_weights = In(p.y, p.weights_pd.diff_dst_desc(), dy, kDiffDst, stream);
      memory dk_result =
          Result(p.kernel, p.weights_pd.diff_weights_desc(), dkernel, kWeights);
      Args args = {
          {DNNL_ARG_SRC, In(p.x, p.weights_pd.src_desc(), x, kSrc, stream)},
          {DNNL_ARG_DIFF_DST, dy_weights},
          {DNNL_ARG_DIFF_WEIGHTS, dk_result},
          {DNNL_ARG_SCRATCHPAD, Scratchpad(p.weights_pd.scratchpad_desc())}};
      if (bias_) args[DNNL_ARG_DIFF_BIAS] = memory(p.bias, Engine(), dbias);
      p.backward_weights.execute(stream, args);
      Out(dk_result, p.kernel, dkernel, stream);
    }
    if (dx != nullptr) {
      memory dx_result = Result(p.x, p.data_pd.diff_src_desc(), dx, kDiffSrc);
      memory dy_data =
          dkernel != nullptr &&
                  p.data_pd.diff_dst_desc() == dy_weights.get_desc()
              ? dy_weights
              : In(p.y, p.data_pd.diff_dst_desc(), dy, kDst, stream);
      p.backward_data.execute(
          stream,
          {{DNNL_ARG_DIFF_DST, dy_data},
           {DNNL_ARG_WEIGHTS, In(p.kernel, p.data_pd.weights_desc(), kernel,
                                 kDataWeights, stream)},
           {DNNL_ARG_DIFF_SRC, dx_result},
           {DNNL_ARG_SCRATCHPAD, Scratchpad(p.data_pd.scratchpad_desc())}});
      Out(dx_result, p.x, dx, stream);
    }
    stream.wait();
  };
  if (second == nullptr) {
    run(first, x, dy, dkernel, dbias, dx);
    return;
  }
  // The second half's dkernel and dbias apart, added after both are done
  // (in this order, whichever thread ran which half).
  const Index k_size = gh_.k * gw_.k * C_ * F_;
  const bool weights = dkernel != nullptr;
  std::vector<float> dkernel2(weights ? k_size : 0),
      dbias2(weights && bias_ ? F_ : 0);
  const Index x_image = gh_.in * gw_.in * C_, y_image = gh_.out * gw_.out * F_;
  RunInTwo([&] { run(first, x, dy, dkernel, dbias, dx); },
           [&] {
             run(*second, x + m1 * x_image, dy + m1 * y_image,
                 weights ? dkernel2.data() : nullptr, dbias2.data(),
                 dx == nullptr ? nullptr : dx + m1 * x_image);
           });
  if (!weights) return;
  for (Index i = 0; i < k_size; ++i) dkernel[i] += dkernel2[i];
  for (Index i = 0; i < Index(dbias2.size()); ++i) dbias[i] += dbias2[i];
}

}  // namespace internal
}  // namespace nn
}  // namespace dl
