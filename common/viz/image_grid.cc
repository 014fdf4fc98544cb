// File: common/viz/image_grid.cc
//
// The contact sheet of common/viz/image_grid.h and its 5x7 pixel font.

#include "common/viz/image_grid.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/data/image.h"

namespace dl {
namespace {

// A glyph: 7 rows of 5 pixels, '#' set, row after row (35 characters).
struct Glyph {
  char c;
  const char* rows;
};

// clang-format off
constexpr Glyph kFont[] = {
    {' ', "..................................."},
    {'!', "..#....#....#....#....#.........#.."},
    {'"', ".#.#..#.#.........................."},
    {'#', ".#.#..#.#.#####.#.#.#####.#.#..#.#."},
    {'%', "##...##..#...#...#...#...#..##...##"},
    {'\'', "..#....#..........................."},
    {'(', "...#...#...#....#....#.....#.....#."},
    {')', ".#.....#.....#....#....#...#...#..."},
    {'*', ".......#..#.#.#.###.#.#.#..#......."},
    {'+', ".......#....#..#####..#....#......."},
    {',', "....................##....#...#...."},
    {'-', "...............#####..............."},
    {'.', ".........................##...##..."},
    {'/', ".........#...#...#...#...#........."},
    {'0', ".###.#...##..###.#.###..##...#.###."},
    {'1', "..#...##....#....#....#....#...###."},
    {'2', ".###.#...#....#...#...#...#...#####"},
    {'3', "#####...#...#.....#.....##...#.###."},
    {'4', "...#...##..#.#.#..#.#####...#....#."},
    {'5', "######....####.....#....##...#.###."},
    {'6', "..##..#...#....####.#...##...#.###."},
    {'7', "#####....#...#...#...#....#....#..."},
    {'8', ".###.#...##...#.###.#...##...#.###."},
    {'9', ".###.#...##...#.####....#...#..##.."},
    {':', "......##...##.......##...##........"},
    {';', "......##...##.......##....#...#...."},
    {'<', "...#...#...#...#.....#.....#.....#."},
    {'=', "..........#####.....#####.........."},
    {'>', ".#.....#.....#.....#...#...#...#..."},
    {'?', ".###.#...#....#...#...#.........#.."},
    {'A', ".###.#...##...#######...##...##...#"},
    {'B', "####.#...##...#####.#...##...#####."},
    {'C', ".###.#...##....#....#....#...#.###."},
    {'D', "###..#..#.#...##...##...##..#.###.."},
    {'E', "######....#....####.#....#....#####"},
    {'F', "######....#....####.#....#....#...."},
    {'G', ".###.#...##....#.####...##...#.####"},
    {'H', "#...##...##...#######...##...##...#"},
    {'I', ".###...#....#....#....#....#...###."},
    {'J', "..###...#....#....#....#.#..#..##.."},
    {'K', "#...##..#.#.#..##...#.#..#..#.#...#"},
    {'L', "#....#....#....#....#....#....#####"},
    {'M', "#...###.###.#.##.#.##...##...##...#"},
    {'N', "#...##...###..##.#.##..###...##...#"},
    {'O', ".###.#...##...##...##...##...#.###."},
    {'P', "####.#...##...#####.#....#....#...."},
    {'Q', ".###.#...##...##...##.#.##..#..##.#"},
    {'R', "####.#...##...#####.#.#..#..#.#...#"},
    {'S', ".#####....#.....###.....#....#####."},
    {'T', "#####..#....#....#....#....#....#.."},
    {'U', "#...##...##...##...##...##...#.###."},
    {'V', "#...##...##...##...##...#.#.#...#.."},
    {'W', "#...##...##...##.#.##.#.##.#.#.#.#."},
    {'X', "#...##...#.#.#...#...#.#.#...##...#"},
    {'Y', "#...##...#.#.#...#....#....#....#.."},
    {'Z', "#####....#...#...#...#...#....#####"},
    {'[', ".###..#....#....#....#....#....###."},
    {']', ".###....#....#....#....#....#..###."},
    {'_', "..............................#####"},
    {'a', "...........###.....#.#####...#.####"},
    {'b', "#....#....#.##.##..##...##...#####."},
    {'c', "...........###.#....#....#...#.###."},
    {'d', "....#....#.##.##..###...##...#.####"},
    {'e', "...........###.#...#######.....###."},
    {'f', "..##..#..#.#...###...#....#....#..."},
    {'g', "......#####...##...#.####....#.###."},
    {'h', "#....#....#.##.##..##...##...##...#"},
    {'i', "..#........##....#....#....#...###."},
    {'j', "...#........##....#....#.#..#..##.."},
    {'k', "#....#....#..#.#.#..##...#.#..#..#."},
    {'l', ".##....#....#....#....#....#...###."},
    {'m', "..........##.#.#.#.##.#.##...##...#"},
    {'n', "..........#.##.##..##...##...##...#"},
    {'o', "...........###.#...##...##...#.###."},
    {'p', "..........####.#...#####.#....#...."},
    {'q', "...........##.##..##.####....#....#"},
    {'r', "..........#.##.##..##....#....#...."},
    {'s', "...........###.#.....###.....#####."},
    {'t', ".#....#...###...#....#....#..#..##."},
    {'u', "..........#...##...##...##..##.##.#"},
    {'v', "..........#...##...##...#.#.#...#.."},
    {'w', "..........#...##...##.#.##.#.#.#.#."},
    {'x', "..........#...#.#.#...#...#.#.#...#"},
    {'y', "..........#...##...#.####....#.###."},
    {'z', "..........#####...#...#...#...#####"},
};
// clang-format on

// The rows of c's glyph; '?' for a character without one.
const char* GlyphRows(char c) {
  for (const Glyph& g : kFont) {
    if (g.c == c) return g.rows;
  }
  return GlyphRows('?');
}

void Put(Image& image, int y, int x, GridColor color) {
  if (y < 0 || x < 0 || y >= image.height || x >= image.width) return;
  uint8_t* p = &image.pixels[(static_cast<size_t>(y) * image.width + x) * 3];
  p[0] = color[0];
  p[1] = color[1];
  p[2] = color[2];
}

void CheckTileImage(const Image& image, size_t k) {
  const bool ok = image.height > 0 && image.width > 0 && image.channels >= 1 &&
                  image.channels <= 4 &&
                  image.pixels.size() == static_cast<size_t>(image.height) *
                                             image.width * image.channels;
  if (!ok) {
    throw std::invalid_argument("MakeImageGrid: tile " + std::to_string(k) +
                                " has an inconsistent image");
  }
}

}  // namespace

int DrawText(Image& image, int x, int y, const std::string& text,
             GridColor color, int size) {
  if (image.channels != 3) {
    throw std::invalid_argument("DrawText: needs an RGB image");
  }
  int cx = x;
  for (char c : text) {
    const char* rows = GlyphRows(c);
    for (int r = 0; r < 7; ++r) {
      for (int col = 0; col < 5; ++col) {
        if (rows[r * 5 + col] != '#') continue;
        for (int dy = 0; dy < size; ++dy) {
          for (int dx = 0; dx < size; ++dx) {
            Put(image, y + r * size + dy, cx + col * size + dx, color);
          }
        }
      }
    }
    cx += 6 * size;
  }
  return cx - x;
}

void FillRect(Image& image, int top, int left, int bottom, int right,
              GridColor color) {
  if (image.channels != 3) {
    throw std::invalid_argument("FillRect: needs an RGB image");
  }
  top = std::max(top, 0);
  left = std::max(left, 0);
  bottom = std::min(bottom, image.height - 1);
  right = std::min(right, image.width - 1);
  for (int y = top; y <= bottom; ++y) {
    for (int x = left; x <= right; ++x) Put(image, y, x, color);
  }
}

void DrawBox(Image& image, double y_min, double x_min, double y_max,
             double x_max, GridColor color, int thickness,
             const std::string& label) {
  const auto round = [](double v) {
    return static_cast<int>(std::floor(v + 0.5));
  };
  const int top = std::max(0, round(y_min));
  const int left = std::max(0, round(x_min));
  const int bottom = std::min(image.height - 1, round(y_max));
  const int right = std::min(image.width - 1, round(x_max));
  if (top > bottom || left > right) return;
  for (int i = 0; i < thickness; ++i) {
    FillRect(image, top + i, left, top + i, right, color);
    FillRect(image, bottom - i, left, bottom - i, right, color);
    FillRect(image, top, left + i, bottom, left + i, color);
    FillRect(image, top, right - i, bottom, right - i, color);
  }
  if (label.empty()) return;
  const int width = TextWidth(label) + 2;
  const int y = top >= 10 ? top - 10 : bottom + 1;
  const int x = std::min(left, image.width - width);
  FillRect(image, y, x, y + 9, x + width - 1, color);
  DrawText(image, x + 1, y + 1, label, kGridBlack);
}

int TextWidth(const std::string& text, int size) {
  return static_cast<int>(text.size()) * 6 * size;
}

Image MakeImageGrid(const std::vector<GridTile>& tiles, int columns,
                    int scale) {
  if (tiles.empty() || columns < 1 || scale < 1) {
    throw std::invalid_argument(
        "MakeImageGrid: needs tiles, columns >= 1 and scale >= 1");
  }
  int max_h = 0, max_w = 0;
  for (size_t k = 0; k < tiles.size(); ++k) {
    CheckTileImage(tiles[k].image, k);
    max_h = std::max(max_h, tiles[k].image.height);
    max_w = std::max(max_w, tiles[k].image.width);
  }
  constexpr int kFrame = 2, kGap = 8;
  const int text = scale >= 3 ? 2 : 1;
  const int pic_w = max_w * scale, pic_h = max_h * scale;
  const int tile_w = pic_w + 2 * kFrame;
  const int tile_h = pic_h + 2 * kFrame + 7 * text + 6;
  const int cols = std::min<int>(columns, static_cast<int>(tiles.size()));
  const int rows = static_cast<int>((tiles.size() + cols - 1) / cols);
  Image sheet;
  sheet.width = kGap + cols * (tile_w + kGap);
  sheet.height = kGap + rows * (tile_h + kGap);
  sheet.channels = 3;
  sheet.pixels.assign(static_cast<size_t>(sheet.width) * sheet.height * 3, 255);
  for (size_t k = 0; k < tiles.size(); ++k) {
    const GridTile& tile = tiles[k];
    const int x0 = kGap + static_cast<int>(k % cols) * (tile_w + kGap);
    const int y0 = kGap + static_cast<int>(k / cols) * (tile_h + kGap);
    for (int y = 0; y < pic_h + 2 * kFrame; ++y) {
      for (int x = 0; x < tile_w; ++x) Put(sheet, y0 + y, x0 + x, tile.color);
    }
    const Image& im = tile.image;
    const int off_y = y0 + kFrame + (pic_h - im.height * scale) / 2;
    const int off_x = x0 + kFrame + (pic_w - im.width * scale) / 2;
    for (int y = 0; y < im.height * scale; ++y) {
      for (int x = 0; x < im.width * scale; ++x) {
        const uint8_t* p =
            &im.pixels[(static_cast<size_t>(y / scale) * im.width + x / scale) *
                       im.channels];
        const GridColor rgb = im.channels >= 3 ? GridColor{p[0], p[1], p[2]}
                                               : GridColor{p[0], p[0], p[0]};
        Put(sheet, off_y + y, off_x + x, rgb);
      }
    }
    const size_t fits = static_cast<size_t>(tile_w / (6 * text));
    DrawText(sheet, x0, y0 + pic_h + 2 * kFrame + 4,
             tile.caption.substr(0, fits), tile.color, text);
  }
  return sheet;
}

}  // namespace dl
