// File: course3_cnn/classic_nets/digits.h
//
// Generated handwriting-like digits for LeNet-5 (the unit's application):
// 32x32 grey pictures of the digits 0..9, white strokes on black as in
// MNIST (padded to 32x32, as LeNet-5's input), each digit a set of strokes
// (lines and arcs) drawn with a random size, slant, rotation, position,
// stroke width, brightness, a smooth wobble of the strokes and pixel noise.
// Deterministic for a seed (dl::RandomState).
//
//   classic_nets::Digits train = classic_nets::MakeDigits(6000, /*seed=*/1);
//   train.X   // (6000, 32, 32, 1) floats in [0, 1]
//   train.labels[i]  // 0..9; every digit count / 10 times, shuffled

#ifndef DLCOURSE_COURSE3_CNN_CLASSIC_NETS_DIGITS_H_
#define DLCOURSE_COURSE3_CNN_CLASSIC_NETS_DIGITS_H_

#include <cstdint>
#include <vector>

#include "common/data/image.h"
#include "common/nn/layers.h"

namespace classic_nets {

struct Digits {
  dl::nn::Array<float> X;   // (m, 32, 32, 1), 0 = background, 1 = ink
  std::vector<int> labels;  // m digits 0..9
};

// `count` pictures (count >= 1): digit i % 10 for i < count, in an order
// shuffled by the seed.
Digits MakeDigits(int count, uint32_t seed);

// Picture i of X as an 8-bit grey image (for a contact sheet).
dl::Image DigitImage(const dl::nn::Array<float>& X, int i);

}  // namespace classic_nets

#endif  // DLCOURSE_COURSE3_CNN_CLASSIC_NETS_DIGITS_H_
