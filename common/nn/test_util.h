// File: common/nn/test_util.h
//
// What the tests of the fast layers share (layers_test, conv_layers_test,
// sequence_layers_test, losses_test): random arrays, an entry-by-entry
// comparison that names the worst entry, the course's gradient-check
// measure, and a layer built, randomized and checked against finite
// differences. Also for the grading tests: Defined (the units built on
// ag::Var, seq2seq_attention and transformer), SummaryLines, and Uniform and
// ForwardOn (a learner's model against the reference's on seeded pictures).

#ifndef DLCOURSE_COMMON_NN_TEST_UTIL_H_
#define DLCOURSE_COMMON_NN_TEST_UTIL_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/core/random.h"
#include "common/nn/autograd.h"
#include "common/nn/layers.h"
#include "common/nn/model.h"
#include "gtest/gtest.h"

namespace dl {
namespace nn {
namespace test {

// Entries drawn from N(0, scale²).
Array<double> Randn(RandomState& rng, const Shape& shape, double scale = 1.0);

// Passes when both arrays have the same shape and every entry is within
// atol + rtol |want|; otherwise names the worst entry.
testing::AssertionResult Close(const Array<double>& got,
                               const Array<double>& want, double atol = 1e-12,
                               double rtol = 1e-10);

// ||a - n|| / (||a|| + ||n||), the course's gradient-check measure.
double RelativeDifference(const Array<double>& a, const Array<double>& n);

// Centered differences of J() for every entry of x (each entry is put back).
Array<double> Numeric(const std::function<double()>& J, Array<double>& x,
                      double eps = 1e-6);

// Values that are all different, at least 0.05 apart: a max stays where it
// is under a perturbation of 1e-6, and none is near relu's kink.
Array<double> Distinct(RandomState& rng, const Shape& shape);

// A layer built for inputs of these shapes (with the batch), from seed 0.
template <typename T, typename S>
std::unique_ptr<Layer<T>> Built(const S& spec,
                                const std::vector<Shape>& shapes) {
  std::unique_ptr<Layer<T>> layer = MakeLayer<T>(spec);
  layer->set_name("layer");
  std::vector<Shape> without_batch;
  for (const Shape& s : shapes)
    without_batch.emplace_back(s.begin() + 1, s.end());
  RandomState rng(0);
  layer->Build(without_batch, rng);
  return layer;
}

// Gives every parameter random values (a zero bias or unit gamma would hide
// mistakes).
void Randomize(Layer<double>& layer, RandomState& rng);

std::vector<const Array<double>*> Ptrs(const std::vector<Array<double>>& v);

// Centered differences of J = sum(forward(inputs) * G) for every entry of
// every input and every trainable parameter, against the layer's Backward.
// `before_forward` runs before every forward pass (e.g. to replay a dropout
// mask).
void ExpectGradientsMatch(Layer<double>& layer,
                          std::vector<Array<double>> inputs, bool training,
                          const std::string& what,
                          const std::function<void()>& before_forward = {},
                          double threshold = 1e-7);

// One training step of a float layer (Forward, then Backward of dy) on 1
// thread and on 2: the output, dx and every trainable parameter's gradient
// must have the same bits (work cut between the threads must not change
// the order of any sum). Leaves 2 threads on.
void ExpectSameBitsOnOneOrTwoThreads(Layer<float>& layer, const Array<float>& x,
                                     const Array<float>& dy);

// Each layer of a model as Keras's summary shows it, its type, output shape
// and number of parameters: "Conv2D (None, 96, 128, 32) 896". For the
// grading tests that compare a learner's model with the course's summary.
std::vector<std::string> SummaryLines(Model<float>& model);

// Float pictures of `shape` (batch first), each entry scale *
// rng.random_sample() in turn: the seeded inputs on which the grading tests
// run a learner's model and the reference's.
Array<float> Uniform(RandomState& rng, const Shape& shape, double scale = 1.0);

// model.Forward(x, training), as grading::SameOutputs takes it
// (common/grading/grading.h): the output's shape and its entries in
// double. A pair of standard types, as nn does not depend on grading. The
// function refers to `model` and `x`, which must outlive it.
std::function<
    std::pair<std::vector<int64_t>, std::vector<double>>(bool training)>
ForwardOn(Model<float>& model, const Array<float>& x);

// Keras's output size and leading pad along one axis of a window of k with
// stride s, written out independently of ConvWindow, for the windowed
// layers' tests (convolution, depthwise convolution, pooling).
struct Axis {
  Index out, before;
};
Axis KerasAxis(Index in, int k, int s, const Padding& p);

// Passes when the learner's Var `v` holds a value; else names the function
// and the Var ("attention: context is an empty Var ...").
testing::AssertionResult Defined(const std::string& function,
                                 const std::string& what, const ag::Var& v);

}  // namespace test
}  // namespace nn
}  // namespace dl

#endif  // DLCOURSE_COMMON_NN_TEST_UTIL_H_
