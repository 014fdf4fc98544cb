// File: course4_seq/char_lm/char_lm_test_util.h
//
// What the grading test (char_lm_test) and the given code's test
// (char_lm_utils_test) share: random parameters and gradients.

#ifndef DLCOURSE_COURSE4_SEQ_CHAR_LM_CHAR_LM_TEST_UTIL_H_
#define DLCOURSE_COURSE4_SEQ_CHAR_LM_CHAR_LM_TEST_UTIL_H_

#include <utility>

#include "common/core/random.h"
#include "course4_seq/char_lm/char_lm_utils.h"

namespace char_lm {

// Random parameters of the course's shapes, drawn as its tests do:
// Wax, Waa, Wya, then b, by, all randn * scale.
inline Parameters random_parameters(dl::RandomState& rng, int n_a,
                                    int vocab_size, double scale = 1.0) {
  Parameters p;
  p.Wax = rng.randn(n_a, vocab_size) * scale;
  p.Waa = rng.randn(n_a, n_a) * scale;
  p.Wya = rng.randn(vocab_size, n_a) * scale;
  p.b = rng.randn(n_a, 1) * scale;
  p.by = rng.randn(vocab_size, 1) * scale;
  return p;
}

// Random gradients of the same shapes, in the same order: dWax, dWaa, dWya,
// db, dby, all randn * scale (da_next left empty).
inline Gradients random_gradients(dl::RandomState& rng, int n_a, int vocab_size,
                                  double scale = 1.0) {
  Parameters p = random_parameters(rng, n_a, vocab_size, scale);
  Gradients g;
  g.dWax = std::move(p.Wax);
  g.dWaa = std::move(p.Waa);
  g.dWya = std::move(p.Wya);
  g.db = std::move(p.b);
  g.dby = std::move(p.by);
  return g;
}

}  // namespace char_lm

#endif  // DLCOURSE_COURSE4_SEQ_CHAR_LM_CHAR_LM_TEST_UTIL_H_
