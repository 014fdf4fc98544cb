#include "course4_seq/seq2seq_attention/attention_map.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "common/viz/image_grid.h"

namespace seq2seq_attention {
namespace {

// The same colour as dl::DrawText takes it.
dl::GridColor ToGridColor(Rgb color) { return {color.r, color.g, color.b}; }

// A rectangle of w x h pixels from column x0, row y0.
void FillRect(dl::Image& image, int x0, int y0, int w, int h, Rgb color) {
  dl::FillRect(image, y0, x0, y0 + h - 1, x0 + w - 1, ToGridColor(color));
}

}  // namespace

Rgb Blues(double value) {
  // matplotlib's Blues, 9 stops from 0 to 1.
  static const std::array<Rgb, 9> kStops = {{{247, 251, 255},
                                             {222, 235, 247},
                                             {198, 219, 239},
                                             {158, 202, 225},
                                             {107, 174, 214},
                                             {66, 146, 198},
                                             {33, 113, 181},
                                             {8, 81, 156},
                                             {8, 48, 107}}};
  if (!std::isfinite(value)) value = 0;
  value = std::clamp(value, 0.0, 1.0);
  const double pos = value * 8;
  const int i = std::min(7, static_cast<int>(pos));
  const double f = pos - i;
  auto mix = [f](uint8_t a, uint8_t b) {
    return static_cast<uint8_t>(std::lround(a + f * (b - a)));
  };
  return {mix(kStops[i].r, kStops[i + 1].r), mix(kStops[i].g, kStops[i + 1].g),
          mix(kStops[i].b, kStops[i + 1].b)};
}

dl::Image RenderAttentionMap(const dl::Matrix& attention,
                             const std::string& input_text,
                             const std::string& output_text) {
  const int Ty = static_cast<int>(attention.rows());
  const int Tx = static_cast<int>(attention.cols());
  if (Ty < 1 || Tx < 1) {
    throw std::invalid_argument(
        "RenderAttentionMap: the attention map is "
        "empty: " +
        dl::shape_string(attention));
  }
  const int cell = 24, scale = 2;
  const int left = 70, top = 56, bottom = 96, right = 20;
  dl::Image image;
  const int bar_w = std::min(Tx * cell, 300);
  const std::string bar_label = "1 (alpha / row max)";
  image.width =
      left + right +
      std::max({Tx * cell, dl::TextWidth("output: " + output_text, scale),
                dl::TextWidth("input:  " + input_text, scale),
                bar_w + 6 + dl::TextWidth(bar_label, scale)});
  image.height = top + Ty * cell + bottom;
  image.channels = 3;
  image.pixels.assign(
      static_cast<size_t>(image.width) * image.height * image.channels, 255);
  const Rgb grey{120, 120, 120};  // the grid lines and the axis titles
  const dl::GridColor black = dl::kGridBlack, text_grey = ToGridColor(grey);

  dl::DrawText(image, left, 10, "input:  " + input_text, black, scale);
  dl::DrawText(image, left, 30, "output: " + output_text, black, scale);
  // Each row divided by its maximum, as the course's plot_attention_map.
  for (int t = 0; t < Ty; ++t) {
    const double row_max = attention.row(t).maxCoeff();
    for (int tp = 0; tp < Tx; ++tp) {
      const double v = row_max > 0 ? attention(t, tp) / row_max : 0;
      FillRect(image, left + tp * cell, top + t * cell, cell, cell, Blues(v));
    }
    // The output character of the row, left of it.
    const std::string label = t < static_cast<int>(output_text.size())
                                  ? output_text.substr(t, 1)
                                  : "";
    dl::DrawText(image, left - 20, top + t * cell + (cell - 7 * scale) / 2,
                 label, black, scale);
  }
  // Grid lines, as the course's ax.grid().
  for (int t = 0; t <= Ty; ++t) {
    FillRect(image, left, top + t * cell, Tx * cell, 1, grey);
  }
  for (int tp = 0; tp <= Tx; ++tp) {
    FillRect(image, left + tp * cell, top, 1, Ty * cell, grey);
  }
  // The input characters under their columns.
  const int label_y = top + Ty * cell + 6;
  for (int tp = 0; tp < Tx && tp < static_cast<int>(input_text.size()); ++tp) {
    dl::DrawText(image, left + tp * cell + (cell - 5 * scale) / 2, label_y,
                 input_text.substr(tp, 1), black, scale);
  }
  dl::DrawText(image, left, label_y + 22, "input sequence (x: t')", text_grey,
               scale);
  dl::DrawText(image, 4, top - 16, "y: t", text_grey, scale);
  // The colour bar: 0 .. 1 of the row-normalized weights.
  const int bar_y = label_y + 46;
  for (int x = 0; x < bar_w; ++x) {
    FillRect(image, left + x, bar_y, 1, 12,
             Blues(static_cast<double>(x) / (bar_w - 1)));
  }
  dl::DrawText(image, left - dl::TextWidth("0", scale) - 6, bar_y - 1, "0",
               black, scale);
  dl::DrawText(image, left + bar_w + 6, bar_y - 1, bar_label, black, scale);
  return image;
}

absl::Status WriteAttentionMapPng(const std::string& path,
                                  const dl::Matrix& attention,
                                  const std::string& input_text,
                                  const std::string& output_text) {
  return dl::SavePng(path,
                     RenderAttentionMap(attention, input_text, output_text));
}

}  // namespace seq2seq_attention
