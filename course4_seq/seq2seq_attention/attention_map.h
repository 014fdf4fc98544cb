// File: course4_seq/seq2seq_attention/attention_map.h
//
// Given code (not graded): the course's plot_attention_map as a PNG. A heat
// map of the attention weights α<t, t'> of one example: one row per output
// character (Ty), one column per input character (Tx), darker blue for more
// attention ("Blues", as the course's matplotlib plot), each row divided by
// its maximum as the course does. The characters are written along the axes
// in the 5x7 bitmap font of common/viz/image_grid.h (dl::DrawText).
//
//   absl::Status s = WriteAttentionMapPng(dir + "/attention_map.png",
//                                         attention,  // (Ty, Tx)
//                                         "tuesday 09 oct 1993",
//                                         "1993-10-09");

#ifndef DLCOURSE_COURSE4_SEQ_SEQ2SEQ_ATTENTION_ATTENTION_MAP_H_
#define DLCOURSE_COURSE4_SEQ_SEQ2SEQ_ATTENTION_ATTENTION_MAP_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "common/core/tensor.h"
#include "common/data/image.h"

namespace seq2seq_attention {

struct Rgb {
  uint8_t r, g, b;
};

// matplotlib's "Blues" colour map: 0 -> almost white, 1 -> dark blue.
Rgb Blues(double value);

// The attention map as an RGB image. attention: (Ty, Tx), row t = the
// weights of output step t over the Tx input steps. input_text labels the
// columns (its characters, then nothing for the padding), output_text the
// rows (one character per row).
dl::Image RenderAttentionMap(const dl::Matrix& attention,
                             const std::string& input_text,
                             const std::string& output_text);

// RenderAttentionMap, saved as a PNG (dl::SavePng's errors).
absl::Status WriteAttentionMapPng(const std::string& path,
                                  const dl::Matrix& attention,
                                  const std::string& input_text,
                                  const std::string& output_text);

}  // namespace seq2seq_attention

#endif  // DLCOURSE_COURSE4_SEQ_SEQ2SEQ_ATTENTION_ATTENTION_MAP_H_
