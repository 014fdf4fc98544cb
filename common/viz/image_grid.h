// File: common/viz/image_grid.h
//
// A contact sheet of pictures with a caption under each, e.g. the test
// pictures of an application with their predicted labels:
//
//   std::vector<dl::GridTile> tiles;
//   tiles.push_back({image, "pred 3 (true 3)", dl::kGridGreen});
//   tiles.push_back({image2, "pred 1 (true 4)", dl::kGridRed});
//   dl::Image sheet = dl::MakeImageGrid(tiles, /*columns=*/6, /*scale=*/2);
//   absl::Status s = dl::SavePng(*dir + "/predictions.png", sheet);
//
// Captions are drawn in a built-in 5x7 pixel font (ASCII upper- and
// lower-case letters, digits and common punctuation; anything else as '?'),
// cut to the width of the tile. DrawText and TextWidth give the font to other
// pictures (the course's attention maps, for example); FillRect and DrawBox
// draw rectangles and the course's boxes with their labels (YOLO's
// draw_boxes).

#ifndef DLCOURSE_COMMON_VIZ_IMAGE_GRID_H_
#define DLCOURSE_COMMON_VIZ_IMAGE_GRID_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "common/data/image.h"

namespace dl {

using GridColor = std::array<uint8_t, 3>;
inline constexpr GridColor kGridBlack = {0, 0, 0};
inline constexpr GridColor kGridGreen = {0, 120, 0};
inline constexpr GridColor kGridRed = {200, 0, 0};

struct GridTile {
  Image image;          // 1 to 4 channels; any size (see MakeImageGrid)
  std::string caption;  // one line under the picture
  GridColor color = kGridBlack;  // the caption's and the frame's colour
};

// The tiles in rows of `columns`, each picture enlarged `scale` times
// (nearest neighbour) inside a 2-pixel frame of its colour, its caption
// below, on white. Every picture is drawn at the size of the largest one
// (smaller ones are centred). Returns an RGB image. Throws
// std::invalid_argument when there are no tiles, columns < 1, scale < 1 or a
// tile's image is inconsistent.
Image MakeImageGrid(const std::vector<GridTile>& tiles, int columns,
                    int scale = 1);

// Draws `text` into `image` (RGB) with its top-left corner at (x, y) in the
// 5x7 font, each font pixel `size` x `size`; returns the width drawn
// (TextWidth(text, size)). Characters outside the image are clipped. Throws
// std::invalid_argument when the image is not RGB.
int DrawText(Image& image, int x, int y, const std::string& text,
             GridColor color, int size = 1);

// Fills rows top .. bottom and columns left .. right (both included) of an
// RGB image with `color`; what falls outside the image is left out.
void FillRect(Image& image, int top, int left, int bottom, int right,
              GridColor color);

// A box's outline, as the course's draw_boxes: its corners (y_min, x_min,
// y_max, x_max) in pixels, rounded to the nearest pixel and clipped to the
// image, `thickness` pixels wide inside the box. With a label ("car 0.89"):
// the label in black on a band of the box's colour, 10 pixels high, above
// the box (below it when there is no room above).
void DrawBox(Image& image, double y_min, double x_min, double y_max,
             double x_max, GridColor color, int thickness = 1,
             const std::string& label = "");

// The width in pixels DrawText gives `text`: each character is 5 pixels of
// glyph and 1 of space, times `size` (6 * size * text.size()).
int TextWidth(const std::string& text, int size = 1);

}  // namespace dl

#endif  // DLCOURSE_COMMON_VIZ_IMAGE_GRID_H_
