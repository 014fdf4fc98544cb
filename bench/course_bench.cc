// File: bench/course_bench.cc
//
// The workloads of bench/torch_anchor.py (the same shapes, float32 and
// float64), on this project's code, timed with Google Benchmark (wall
// time). bench/run.sh runs both and prints the table; see bench/README in
// the top-level README ("Benchmarks").
//
//   mlp_10_iters          course 1's deep NN application: [12288, 20, 7, 5,
//                         1], 209 examples, 10 batch gradient-descent steps
//                         (dl::nn Dense / ReLU, sigmoid + cross-entropy)
//   mlp_10_iters_course_deep_nn  the same with the course's own code
//                         (course1_nn/deep_nn's reference), double
//   cnn_signs_epoch       course 4's SIGNS CNN, one epoch of 1080 64x64x3
//                         images (random), mini-batches of 64, Adam
//   conv_fwd_bwd          one Conv2D layer forward + backward
//   lstm_fwd_bwd          nn::Lstm forward + backward through time
//   encoder_layer_fwd     nn::TransformerEncoderLayer forward
//   naive_conv_forward_8x16x16x8  the course's loop conv_forward
//                         (conv_step_by_step's reference), vs numpy's loops
//   eigen_gemm_1024       our matrix product alone (Eigen's, on OpenBLAS,
//                         split over our threads), 1024^3
//   openblas_gemm_1024_1t / _2t  the machine's ceiling: OpenBLAS's own
//                         sgemm / dgemm, on 1 and 2 of its own threads
//
// Counters: GFLOP (the multiply-adds of the workload's matrix products,
// 2 per multiply-add, per iteration) and GFLOP/s (per wall second).
//
// Threads: ours as the programs run, DL_THREADS sets how many (1 or 2;
// default: 2 on a machine with 2 cores); see common/core/blas.h.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "common/core/memory.h"
#include "common/core/random.h"
#include "common/core/tensor.h"
#include "common/nn/layers.h"
#include "common/nn/model.h"
#include "common/nn/sequence_layers.h"
#include "course1_nn/deep_nn/deep_nn.h"
#include "course3_cnn/conv_step_by_step/conv_step_by_step.h"

namespace {

namespace nn = dl::nn;
using nn::Array;
using nn::Index;

template <typename T>
std::string Dtype() {
  return sizeof(T) == 4 ? "float32" : "float64";
}

// Uniform [0, 1) entries, as torch.rand.
template <typename T>
Array<T> Rand(const nn::Shape& shape, dl::RandomState& rng) {
  Array<T> a(shape);
  for (Index i = 0; i < a.size(); ++i) a[i] = T(rng.random_sample());
  return a;
}

void SetFlops(benchmark::State& state, double flop_per_iteration) {
  state.counters["GFLOP"] = flop_per_iteration * 1e-9;
  state.counters["GFLOP/s"] = benchmark::Counter(
      flop_per_iteration * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

// ------------------------------------------------------------------- MLP

constexpr int kMlpExamples = 209;
const std::vector<int> kMlpDims = {12288, 20, 7, 5, 1};

// Forward and dW of every layer, dX of every layer but the first.
double MlpFlop(bool first_layer_dx) {
  double flop = 0;
  for (size_t l = 1; l < kMlpDims.size(); ++l) {
    const double mac = double(kMlpExamples) * kMlpDims[l - 1] * kMlpDims[l];
    flop += 2 * mac * ((l == 1 && !first_layer_dx) ? 2 : 3);
  }
  return flop;
}

template <typename T>
void BM_Mlp(benchmark::State& state) {
  dl::RandomState rng(0);
  const Array<T> X = Rand<T>({kMlpExamples, kMlpDims[0]}, rng);
  std::vector<int> labels(kMlpExamples);
  for (int& y : labels) y = rng.random_sample() > 0.5 ? 1 : 0;
  nn::Model<T> model("mlp", 0);
  model.Input({kMlpDims[0]});
  for (size_t l = 1; l < kMlpDims.size(); ++l) {
    model.Add(nn::Dense(kMlpDims[l]));
    if (l + 1 < kMlpDims.size()) model.Add(nn::ReLU());
  }
  // Dense(1) + the sigmoid's cross-entropy (from the logits).
  model.Compile(nn::SGD(0.0075), nn::Loss::kBinaryCrossEntropy);
  model.TrainStep(X, labels);  // warm-up (buffers), as torch_anchor.py's
  for (auto _ : state) {
    for (int k = 0; k < 10; ++k) model.TrainStep(X, labels);
  }
  SetFlops(state, 10 * MlpFlop(false));
}

// The course's own code (course1_nn/deep_nn): Matrix (n_x, m), maps of
// matrices, copies into the caches; double.
void BM_MlpCourseDeepNn(benchmark::State& state) {
  namespace dnn = deep_nn::reference;
  dl::RandomState rng(0);
  const dl::Matrix X = rng.rand(kMlpDims[0], kMlpExamples);
  dl::Matrix Y(1, kMlpExamples);
  for (Index i = 0; i < kMlpExamples; ++i) {
    Y(0, i) = rng.random_sample() > 0.5 ? 1 : 0;
  }
  deep_nn::Parameters parameters = dnn::initialize_parameters_deep(kMlpDims);
  for (auto _ : state) {
    for (int k = 0; k < 10; ++k) {
      const deep_nn::ModelForward forward = dnn::L_model_forward(X, parameters);
      benchmark::DoNotOptimize(dnn::compute_cost(forward.AL, Y));
      const deep_nn::Grads grads =
          dnn::L_model_backward(forward.AL, Y, forward.caches);
      parameters = dnn::update_parameters(parameters, grads, 0.0075);
    }
  }
  SetFlops(state, 10 * MlpFlop(true));
}

// ------------------------------------------------------------------- CNN

template <typename T>
void BM_CnnSignsEpoch(benchmark::State& state) {
  constexpr Index m = 1080;
  dl::RandomState rng(0);
  const Array<T> X = Rand<T>({m, 64, 64, 3}, rng);
  std::vector<int> labels(m);
  for (int& y : labels) y = static_cast<int>(rng.randint(0, 6));
  nn::Model<T> model("signs", 0);
  model.Input({64, 64, 3});
  nn::Conv2D conv1(8, 4, 1, "same"), conv2(16, 2, 1, "same");
  conv1.use_bias = conv2.use_bias = false;  // as torch_anchor.py
  model.Add(conv1);
  model.Add(nn::ReLU());
  model.Add(nn::MaxPool2D(8, 8, "same"));
  model.Add(conv2);
  model.Add(nn::ReLU());
  model.Add(nn::MaxPool2D(4, 4, "same"));
  model.Add(nn::Flatten());
  model.Add(nn::Dense(6));
  model.Compile(nn::Adam(0.009), nn::Loss::kSoftmaxCrossEntropy);
  dl::RandomState shuffle(1);
  {  // warm-up: one mini-batch
    Array<T> batch;
    std::vector<int64_t> first(64);
    for (int64_t i = 0; i < 64; ++i) first[i] = i;
    nn::GatherRows(X, first, 0, 64, &batch);
    model.TrainStep(batch,
                    std::vector<int>(labels.begin(), labels.begin() + 64));
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(model.TrainEpoch(X, labels, 64, shuffle));
  }
  // conv1: forward and dW (no dX: it is the input); conv2: forward, dW, dX.
  const double flop1 = 2.0 * m * 64 * 64 * (4 * 4 * 3) * 8;
  const double flop2 = 2.0 * m * 8 * 8 * (2 * 2 * 8) * 16;
  SetFlops(state, 2 * flop1 + 3 * flop2);
}

// -------------------------------------------------------- one conv layer

template <typename T>
void BM_ConvFwdBwd(benchmark::State& state) {
  dl::RandomState rng(0);
  auto layer = nn::MakeLayer<T>(nn::Conv2D(32, 3, 1, 1));
  layer->Build({{32, 32, 16}}, rng);
  const Array<T> x = Rand<T>({64, 32, 32, 16}, rng);
  const Array<T> dy({64, 32, 32, 32}, T(1));
  Array<T> y, dx;
  layer->Forward({&x}, &y, true);  // warm-up
  for (auto _ : state) {
    layer->Forward({&x}, &y, /*training=*/true);
    layer->Backward({&x}, y, dy, {&dx});
  }
  // Forward, dW and dX: three products (m n_H n_W, 3 3 16) x (., 32).
  SetFlops(state, 3 * 2.0 * (64 * 32 * 32) * (3 * 3 * 16) * 32);
}

// ------------------------------------------------------------------ LSTM

template <typename T>
void BM_LstmFwdBwd(benchmark::State& state) {
  constexpr Index n_x = 64, n_a = 128, m = 32, T_x = 50;
  dl::RandomState rng(0);
  nn::Lstm<T> lstm(n_x, n_a);
  lstm.Initialize(rng);
  const Array<T> x = Rand<T>({T_x, m, n_x}, rng);
  const Array<T> da({T_x, m, n_a}, T(1));  // J = sum(a), as out.sum()
  lstm.Forward(x);                         // warm-up
  for (auto _ : state) {
    lstm.Forward(x);
    lstm.Backward(da, /*dx=*/nullptr);  // x needs no gradient (as torch's)
  }
  const double N = double(m) * T_x, G = 4.0 * n_a;
  // forward: G x n_x and G x n_a per column; backward: da_prev, dWa, dWx.
  SetFlops(state, 2 * N * G * (n_x + n_a) + 2 * N * G * (n_a + n_a + n_x));
}

// --------------------------------------------------- transformer encoder

template <typename T>
void BM_EncoderLayerFwd(benchmark::State& state) {
  constexpr Index B = 16, S = 64, D = 128, H = 8, F = 512;
  dl::RandomState rng(0);
  nn::TransformerEncoderLayer<T> layer(D, H, F);
  layer.Initialize(rng);
  const Array<T> x = Rand<T>({B, S, D}, rng);
  layer.Forward(x);  // warm-up
  for (auto _ : state) benchmark::DoNotOptimize(layer.Forward(x).data());
  const double N = double(B) * S;
  SetFlops(state, 2 * N * D * 3 * D            // Q, K, V
                      + 2 * 2 * B * S * S * D  // scores, weighted sums
                      + 2 * N * D * D          // out_proj
                      + 2 * 2 * N * D * F);    // the feed-forward network
}

// -------------------------------------- the course's loop conv_forward

void BM_NaiveConvForward(benchmark::State& state) {
  dl::RandomState rng(1);
  const dl::Tensor4 A_prev = rng.randn_tensor<4>({8, 16, 16, 8});
  const dl::Tensor4 W = rng.randn_tensor<4>({3, 3, 8, 16});
  const dl::Tensor4 b = rng.randn_tensor<4>({1, 1, 1, 16});
  conv_step_by_step::ConvHparameters hp;
  hp.stride = 1;
  hp.pad = 1;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        conv_step_by_step::reference::conv_forward(A_prev, W, b, hp));
  }
  SetFlops(state, 2.0 * (8 * 16 * 16 * 16) * (3 * 3 * 8));
}

// ------------------------------------------------------------ Eigen GEMM

template <typename T>
void BM_EigenGemm(benchmark::State& state) {
  constexpr Index n = 1024;
  using M = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  const M A = M::Random(n, n), B = M::Random(n, n);
  M C(n, n);
  for (auto _ : state) {
    C.noalias() = A * B;
    benchmark::DoNotOptimize(C.data());
  }
  SetFlops(state, 2.0 * n * n * n);
}

}  // namespace

extern "C" {
// OpenBLAS, called directly for the ceiling.
int sgemm_(const char*, const char*, const int*, const int*, const int*,
           const float*, const float*, const int*, const float*, const int*,
           const float*, float*, const int*);
int dgemm_(const char*, const char*, const int*, const int*, const int*,
           const double*, const double*, const int*, const double*, const int*,
           const double*, double*, const int*);
void openblas_set_num_threads(int threads);
}

namespace {

void OpenBlasGemm(const int n, const float* a, const float* b, float* c) {
  const float one = 1, zero = 0;
  sgemm_("N", "N", &n, &n, &n, &one, a, &n, b, &n, &zero, c, &n);
}
void OpenBlasGemm(const int n, const double* a, const double* b, double* c) {
  const double one = 1, zero = 0;
  dgemm_("N", "N", &n, &n, &n, &one, a, &n, b, &n, &zero, c, &n);
}

// OpenBLAS's own product with its own `threads` threads (then back to 1,
// as common/core/blas.cc sets it).
template <typename T, int threads>
void BM_OpenBlasGemm(benchmark::State& state) {
  constexpr int n = 1024;
  using M = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  const M A = M::Random(n, n), B = M::Random(n, n);
  M C(n, n);
  openblas_set_num_threads(threads);
  for (auto _ : state) {
    OpenBlasGemm(n, A.data(), B.data(), C.data());
    benchmark::DoNotOptimize(C.data());
  }
  openblas_set_num_threads(1);
  SetFlops(state, 2.0 * n * n * n);
}

template <typename F>
void Register(const std::string& name, F f) {
  benchmark::RegisterBenchmark(name.c_str(), f)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
}

}  // namespace

int main(int argc, char** argv) {
  dl::use_huge_pages(argv);      // as the training programs do
  dl::keep_large_allocations();  // as the training programs do
  Register("mlp_10_iters/float64", BM_Mlp<double>);
  Register("mlp_10_iters/float32", BM_Mlp<float>);
  Register("mlp_10_iters_course_deep_nn/float64", BM_MlpCourseDeepNn);
  Register("cnn_signs_epoch/float64", BM_CnnSignsEpoch<double>);
  Register("cnn_signs_epoch/float32", BM_CnnSignsEpoch<float>);
  Register("conv_fwd_bwd/float64", BM_ConvFwdBwd<double>);
  Register("conv_fwd_bwd/float32", BM_ConvFwdBwd<float>);
  Register("lstm_fwd_bwd/float64", BM_LstmFwdBwd<double>);
  Register("lstm_fwd_bwd/float32", BM_LstmFwdBwd<float>);
  Register("encoder_layer_fwd/float64", BM_EncoderLayerFwd<double>);
  Register("encoder_layer_fwd/float32", BM_EncoderLayerFwd<float>);
  Register("naive_conv_forward_8x16x16x8/float64", BM_NaiveConvForward);
  Register("eigen_gemm_1024/float64", BM_EigenGemm<double>);
  Register("eigen_gemm_1024/float32", BM_EigenGemm<float>);
  Register("openblas_gemm_1024_1t/float64", BM_OpenBlasGemm<double, 1>);
  Register("openblas_gemm_1024_1t/float32", BM_OpenBlasGemm<float, 1>);
  Register("openblas_gemm_1024_2t/float64", BM_OpenBlasGemm<double, 2>);
  Register("openblas_gemm_1024_2t/float32", BM_OpenBlasGemm<float, 2>);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
