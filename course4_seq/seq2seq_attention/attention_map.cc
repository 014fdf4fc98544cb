#include "course4_seq/seq2seq_attention/attention_map.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>

namespace seq2seq_attention {
namespace {

// A 5x7 glyph: 7 rows, top first; in each row '1' is ink.
using Glyph = std::array<const char*, 7>;

const std::map<char, Glyph>& Font() {
  static const auto* font = new std::map<char, Glyph>{
      {'0', {"01110", "10001", "10011", "10101", "11001", "10001", "01110"}},
      {'1', {"00100", "01100", "00100", "00100", "00100", "00100", "01110"}},
      {'2', {"01110", "10001", "00001", "00010", "00100", "01000", "11111"}},
      {'3', {"11111", "00010", "00100", "00010", "00001", "10001", "01110"}},
      {'4', {"00010", "00110", "01010", "10010", "11111", "00010", "00010"}},
      {'5', {"11111", "10000", "11110", "00001", "00001", "10001", "01110"}},
      {'6', {"00110", "01000", "10000", "11110", "10001", "10001", "01110"}},
      {'7', {"11111", "00001", "00010", "00100", "01000", "01000", "01000"}},
      {'8', {"01110", "10001", "10001", "01110", "10001", "10001", "01110"}},
      {'9', {"01110", "10001", "10001", "01111", "00001", "00010", "01100"}},
      {'A', {"01110", "10001", "10001", "11111", "10001", "10001", "10001"}},
      {'B', {"11110", "10001", "10001", "11110", "10001", "10001", "11110"}},
      {'C', {"01110", "10001", "10000", "10000", "10000", "10001", "01110"}},
      {'D', {"11100", "10010", "10001", "10001", "10001", "10010", "11100"}},
      {'E', {"11111", "10000", "10000", "11110", "10000", "10000", "11111"}},
      {'F', {"11111", "10000", "10000", "11110", "10000", "10000", "10000"}},
      {'G', {"01110", "10001", "10000", "10111", "10001", "10001", "01111"}},
      {'H', {"10001", "10001", "10001", "11111", "10001", "10001", "10001"}},
      {'I', {"01110", "00100", "00100", "00100", "00100", "00100", "01110"}},
      {'J', {"00111", "00010", "00010", "00010", "00010", "10010", "01100"}},
      {'K', {"10001", "10010", "10100", "11000", "10100", "10010", "10001"}},
      {'L', {"10000", "10000", "10000", "10000", "10000", "10000", "11111"}},
      {'M', {"10001", "11011", "10101", "10101", "10001", "10001", "10001"}},
      {'N', {"10001", "10001", "11001", "10101", "10011", "10001", "10001"}},
      {'O', {"01110", "10001", "10001", "10001", "10001", "10001", "01110"}},
      {'P', {"11110", "10001", "10001", "11110", "10000", "10000", "10000"}},
      {'Q', {"01110", "10001", "10001", "10001", "10101", "10010", "01101"}},
      {'R', {"11110", "10001", "10001", "11110", "10100", "10010", "10001"}},
      {'S', {"01111", "10000", "10000", "01110", "00001", "00001", "11110"}},
      {'T', {"11111", "00100", "00100", "00100", "00100", "00100", "00100"}},
      {'U', {"10001", "10001", "10001", "10001", "10001", "10001", "01110"}},
      {'V', {"10001", "10001", "10001", "10001", "10001", "01010", "00100"}},
      {'W', {"10001", "10001", "10001", "10101", "10101", "10101", "01010"}},
      {'X', {"10001", "10001", "01010", "00100", "01010", "10001", "10001"}},
      {'Y', {"10001", "10001", "10001", "01010", "00100", "00100", "00100"}},
      {'Z', {"11111", "00001", "00010", "00100", "01000", "10000", "11111"}},
      {'a', {"00000", "00000", "01110", "00001", "01111", "10001", "01111"}},
      {'b', {"10000", "10000", "10110", "11001", "10001", "10001", "11110"}},
      {'c', {"00000", "00000", "01110", "10000", "10000", "10001", "01110"}},
      {'d', {"00001", "00001", "01101", "10011", "10001", "10001", "01111"}},
      {'e', {"00000", "00000", "01110", "10001", "11111", "10000", "01110"}},
      {'f', {"00110", "01001", "01000", "11100", "01000", "01000", "01000"}},
      {'g', {"00000", "01111", "10001", "10001", "01111", "00001", "01110"}},
      {'h', {"10000", "10000", "10110", "11001", "10001", "10001", "10001"}},
      {'i', {"00100", "00000", "01100", "00100", "00100", "00100", "01110"}},
      {'j', {"00010", "00000", "00110", "00010", "00010", "10010", "01100"}},
      {'k', {"10000", "10000", "10010", "10100", "11000", "10100", "10010"}},
      {'l', {"01100", "00100", "00100", "00100", "00100", "00100", "01110"}},
      {'m', {"00000", "00000", "11010", "10101", "10101", "10001", "10001"}},
      {'n', {"00000", "00000", "10110", "11001", "10001", "10001", "10001"}},
      {'o', {"00000", "00000", "01110", "10001", "10001", "10001", "01110"}},
      {'p', {"00000", "00000", "11110", "10001", "11110", "10000", "10000"}},
      {'q', {"00000", "00000", "01101", "10011", "01111", "00001", "00001"}},
      {'r', {"00000", "00000", "10110", "11001", "10000", "10000", "10000"}},
      {'s', {"00000", "00000", "01110", "10000", "01110", "00001", "11110"}},
      {'t', {"01000", "01000", "11100", "01000", "01000", "01001", "00110"}},
      {'u', {"00000", "00000", "10001", "10001", "10001", "10011", "01101"}},
      {'v', {"00000", "00000", "10001", "10001", "10001", "01010", "00100"}},
      {'w', {"00000", "00000", "10001", "10001", "10101", "10101", "01010"}},
      {'x', {"00000", "00000", "10001", "01010", "00100", "01010", "10001"}},
      {'y', {"00000", "00000", "10001", "10001", "01111", "00001", "01110"}},
      {'z', {"00000", "00000", "11111", "00010", "00100", "01000", "11111"}},
      {' ', {"00000", "00000", "00000", "00000", "00000", "00000", "00000"}},
      {'-', {"00000", "00000", "00000", "11111", "00000", "00000", "00000"}},
      {'.', {"00000", "00000", "00000", "00000", "00000", "01100", "01100"}},
      {'/', {"00000", "00001", "00010", "00100", "01000", "10000", "00000"}},
      {':', {"00000", "01100", "01100", "00000", "01100", "01100", "00000"}},
      {'<', {"00010", "00100", "01000", "10000", "01000", "00100", "00010"}},
      {'>', {"01000", "00100", "00010", "00001", "00010", "00100", "01000"}},
      {',', {"00000", "00000", "00000", "00000", "01100", "00100", "01000"}},
      {'(', {"00010", "00100", "01000", "01000", "01000", "00100", "00010"}},
      {')', {"01000", "00100", "00010", "00010", "00010", "00100", "01000"}},
      {'=', {"00000", "00000", "11111", "00000", "11111", "00000", "00000"}},
      {'\'', {"01100", "00100", "01000", "00000", "00000", "00000", "00000"}},
      {'"', {"01010", "01010", "01010", "00000", "00000", "00000", "00000"}},
      {'%', {"11000", "11001", "00010", "00100", "01000", "10011", "00011"}},
      {'?', {"01110", "10001", "00001", "00010", "00100", "00000", "00100"}},
      {'_', {"00000", "00000", "00000", "00000", "00000", "00000", "11111"}},
  };
  return *font;
}

const Glyph kBox = {"11111", "10001", "10001", "10001",
                    "10001", "10001", "11111"};

void SetPixel(dl::Image& image, int x, int y, Rgb color) {
  if (x < 0 || y < 0 || x >= image.width || y >= image.height) return;
  uint8_t* p =
      &image
           .pixels[(static_cast<size_t>(y) * image.width + x) * image.channels];
  p[0] = color.r;
  p[1] = color.g;
  p[2] = color.b;
}

void FillRect(dl::Image& image, int x0, int y0, int w, int h, Rgb color) {
  for (int y = y0; y < y0 + h; ++y) {
    for (int x = x0; x < x0 + w; ++x) SetPixel(image, x, y, color);
  }
}

}  // namespace

int TextWidth(const std::string& text, int scale) {
  return static_cast<int>(text.size()) * 6 * scale;
}

void DrawText(dl::Image& image, int x, int y, const std::string& text,
              int scale, Rgb color) {
  const auto& font = Font();
  for (size_t k = 0; k < text.size(); ++k) {
    const auto it = font.find(text[k]);
    const Glyph& glyph = it == font.end() ? kBox : it->second;
    const int gx = x + static_cast<int>(k) * 6 * scale;
    for (int row = 0; row < 7; ++row) {
      for (int col = 0; col < 5; ++col) {
        if (glyph[row][col] != '1') continue;
        FillRect(image, gx + col * scale, y + row * scale, scale, scale, color);
      }
    }
  }
}

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
  image.width = left + right +
                std::max({Tx * cell, TextWidth("output: " + output_text, scale),
                          TextWidth("input:  " + input_text, scale),
                          bar_w + 6 + TextWidth(bar_label, scale)});
  image.height = top + Ty * cell + bottom;
  image.channels = 3;
  image.pixels.assign(
      static_cast<size_t>(image.width) * image.height * image.channels, 255);
  const Rgb black{0, 0, 0}, grey{120, 120, 120};

  DrawText(image, left, 10, "input:  " + input_text, scale, black);
  DrawText(image, left, 30, "output: " + output_text, scale, black);
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
    DrawText(image, left - 20, top + t * cell + (cell - 7 * scale) / 2, label,
             scale, black);
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
    DrawText(image, left + tp * cell + (cell - 5 * scale) / 2, label_y,
             input_text.substr(tp, 1), scale, black);
  }
  DrawText(image, left, label_y + 22, "input sequence (x: t')", scale, grey);
  DrawText(image, 4, top - 16, "y: t", scale, grey);
  // The colour bar: 0 .. 1 of the row-normalized weights.
  const int bar_y = label_y + 46;
  for (int x = 0; x < bar_w; ++x) {
    FillRect(image, left + x, bar_y, 1, 12,
             Blues(static_cast<double>(x) / (bar_w - 1)));
  }
  DrawText(image, left - TextWidth("0", scale) - 6, bar_y - 1, "0", scale,
           black);
  DrawText(image, left + bar_w + 6, bar_y - 1, bar_label, scale, black);
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
