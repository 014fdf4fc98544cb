#include "common/viz/image_grid.h"

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/data/image.h"
#include "common/data/test_util.h"
#include "gtest/gtest.h"

namespace dl {
namespace {

using dl::test::Pattern;

namespace fs = std::filesystem;

// The sheet's layout (image_grid.cc): a 2-pixel frame around each picture,
// 8 pixels of white between the tiles and around the sheet, and under the
// frame a caption band of 4 + 7·text + 2 pixels (text = 2 from scale 3 on).
constexpr int kFrame = 2, kGap = 8;
constexpr GridColor kWhite = {255, 255, 255};

struct Layout {
  int pic_h, pic_w, tile_h, tile_w, text;
};

Layout LayoutOf(int max_h, int max_w, int scale) {
  const int text = scale >= 3 ? 2 : 1;
  const int pic_h = max_h * scale, pic_w = max_w * scale;
  return {pic_h, pic_w, pic_h + 2 * kFrame + 7 * text + 6, pic_w + 2 * kFrame,
          text};
}

// Top-left corner of tile k's frame.
int TileX(const Layout& l, int k, int cols) {
  return kGap + (k % cols) * (l.tile_w + kGap);
}
int TileY(const Layout& l, int k, int cols) {
  return kGap + (k / cols) * (l.tile_h + kGap);
}

GridColor Pixel(const Image& image, int y, int x) {
  const size_t i = (static_cast<size_t>(y) * image.width + x) * image.channels;
  return {image.pixels[i], image.pixels[i + 1], image.pixels[i + 2]};
}

// The RGB colour a picture's pixel (y, x) should have on the sheet (grey is
// repeated, RGBA loses its alpha).
GridColor Expected(const Image& image, int y, int x) {
  const size_t i = (static_cast<size_t>(y) * image.width + x) * image.channels;
  if (image.channels >= 3) {
    return {image.pixels[i], image.pixels[i + 1], image.pixels[i + 2]};
  }
  return {image.pixels[i], image.pixels[i], image.pixels[i]};
}

// Pixels of `sheet` in rows [y0, y1) and columns [x0, x1) that are not white.
int CountNonWhite(const Image& sheet, int y0, int y1, int x0, int x1) {
  int n = 0;
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) n += Pixel(sheet, y, x) != kWhite;
  }
  return n;
}

int CountColor(const Image& sheet, int y0, int y1, int x0, int x1,
               GridColor color) {
  int n = 0;
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) n += Pixel(sheet, y, x) == color;
  }
  return n;
}

std::vector<GridTile> Tiles(int n, int height, int width, int channels = 3) {
  std::vector<GridTile> tiles;
  for (int k = 0; k < n; ++k) {
    tiles.push_back({Pattern(height, width, channels, k),
                     "tile " + std::to_string(k), kGridBlack});
  }
  return tiles;
}

TEST(ImageGrid, SizeFollowsTheNumberOfPicturesAndColumns) {
  const Layout l = LayoutOf(10, 12, 1);
  // 5 pictures in rows of 3: 2 rows, 3 columns.
  Image sheet = MakeImageGrid(Tiles(5, 10, 12), 3);
  EXPECT_EQ(sheet.channels, 3);
  EXPECT_EQ(sheet.width, kGap + 3 * (l.tile_w + kGap));
  EXPECT_EQ(sheet.height, kGap + 2 * (l.tile_h + kGap));
  EXPECT_EQ(sheet.pixels.size(),
            static_cast<size_t>(sheet.width) * sheet.height * 3);
  // 6 pictures in rows of 3: still 2 rows.
  sheet = MakeImageGrid(Tiles(6, 10, 12), 3);
  EXPECT_EQ(sheet.height, kGap + 2 * (l.tile_h + kGap));
  // 7: a third row.
  sheet = MakeImageGrid(Tiles(7, 10, 12), 3);
  EXPECT_EQ(sheet.height, kGap + 3 * (l.tile_h + kGap));
  // One column: one picture per row.
  sheet = MakeImageGrid(Tiles(4, 10, 12), 1);
  EXPECT_EQ(sheet.width, kGap + (l.tile_w + kGap));
  EXPECT_EQ(sheet.height, kGap + 4 * (l.tile_h + kGap));
  // More columns than pictures: one row only as wide as the pictures.
  sheet = MakeImageGrid(Tiles(2, 10, 12), 6);
  EXPECT_EQ(sheet.width, kGap + 2 * (l.tile_w + kGap));
  EXPECT_EQ(sheet.height, kGap + (l.tile_h + kGap));
  // One picture.
  sheet = MakeImageGrid(Tiles(1, 10, 12), 4);
  EXPECT_EQ(sheet.width, kGap + l.tile_w + kGap);
  EXPECT_EQ(sheet.height, kGap + l.tile_h + kGap);
}

TEST(ImageGrid, ScaleEnlargesThePicturesAndTheCaptionFont) {
  for (int scale : {1, 2, 3, 4}) {
    const Layout l = LayoutOf(6, 5, scale);
    const Image sheet = MakeImageGrid(Tiles(3, 6, 5), 2, scale);
    EXPECT_EQ(sheet.width, kGap + 2 * (5 * scale + 2 * kFrame + kGap))
        << "scale " << scale;
    EXPECT_EQ(sheet.height, kGap + 2 * (l.tile_h + kGap)) << "scale " << scale;
  }
}

TEST(ImageGrid, PicturesAreCopiedAtTheirTiles) {
  const int h = 7, w = 9, cols = 3;
  for (int scale : {1, 2, 3}) {
    const std::vector<GridTile> tiles = Tiles(5, h, w);
    const Image sheet = MakeImageGrid(tiles, cols, scale);
    const Layout l = LayoutOf(h, w, scale);
    for (int k = 0; k < 5; ++k) {
      const int y0 = TileY(l, k, cols) + kFrame;
      const int x0 = TileX(l, k, cols) + kFrame;
      const Image& im = tiles[k].image;
      // Corners, and a few inside; every copy of a pixel (nearest neighbour).
      for (auto [y, x] :
           {std::pair{0, 0}, std::pair{0, w - 1}, std::pair{h - 1, 0},
            std::pair{h - 1, w - 1}, std::pair{3, 4}, std::pair{5, 2}}) {
        for (int dy : {0, scale - 1}) {
          for (int dx : {0, scale - 1}) {
            EXPECT_EQ(Pixel(sheet, y0 + y * scale + dy, x0 + x * scale + dx),
                      Expected(im, y, x))
                << "tile " << k << " pixel (" << y << ", " << x << ") scale "
                << scale << " copy (" << dy << ", " << dx << ")";
          }
        }
      }
    }
  }
}

TEST(ImageGrid, FramesHaveTheTileColourOnWhite) {
  std::vector<GridTile> tiles = Tiles(2, 4, 4);
  tiles[0].color = kGridGreen;
  tiles[1].color = kGridRed;
  const Image sheet = MakeImageGrid(tiles, 2);
  const Layout l = LayoutOf(4, 4, 1);
  for (int k = 0; k < 2; ++k) {
    const int y0 = TileY(l, k, 2), x0 = TileX(l, k, 2);
    const GridColor c = tiles[k].color;
    EXPECT_EQ(Pixel(sheet, y0, x0), c) << "tile " << k;
    EXPECT_EQ(Pixel(sheet, y0 + 1, x0 + l.tile_w - 1), c) << "tile " << k;
    EXPECT_EQ(Pixel(sheet, y0 + l.pic_h + 2 * kFrame - 1, x0), c)
        << "tile " << k;
    EXPECT_EQ(Pixel(sheet, y0 + l.pic_h + 2 * kFrame - 1, x0 + l.tile_w - 1), c)
        << "tile " << k;
  }
  // The margins and the gap between the tiles are white.
  EXPECT_EQ(CountNonWhite(sheet, 0, kGap, 0, sheet.width), 0);
  EXPECT_EQ(CountNonWhite(sheet, 0, sheet.height, 0, kGap), 0);
  const int gap_x = TileX(l, 0, 2) + l.tile_w;
  EXPECT_EQ(CountNonWhite(sheet, 0, sheet.height, gap_x, gap_x + kGap), 0);
  EXPECT_EQ(
      CountNonWhite(sheet, sheet.height - kGap, sheet.height, 0, sheet.width),
      0);
}

TEST(ImageGrid, CaptionsAreDrawnUnderThePictures) {
  for (int scale : {1, 3}) {
    std::vector<GridTile> tiles = Tiles(3, 12, 20);
    tiles[0].caption = "pred 3 (true 3)";
    tiles[0].color = kGridGreen;
    tiles[1].caption = "";  // nothing drawn
    tiles[2].caption = "pred 1 (true 4)";
    tiles[2].color = kGridRed;
    const Image sheet = MakeImageGrid(tiles, 3, scale);
    const Layout l = LayoutOf(12, 20, scale);
    for (int k = 0; k < 3; ++k) {
      const int band_y0 = TileY(l, k, 3) + l.pic_h + 2 * kFrame;
      const int band_y1 = TileY(l, k, 3) + l.tile_h;
      const int x0 = TileX(l, k, 3), x1 = x0 + l.tile_w;
      const int colored =
          CountColor(sheet, band_y0, band_y1, x0, x1, tiles[k].color);
      const int non_white = CountNonWhite(sheet, band_y0, band_y1, x0, x1);
      if (tiles[k].caption.empty()) {
        EXPECT_EQ(non_white, 0) << "tile " << k << " scale " << scale;
      } else {
        EXPECT_GT(colored, 10 * l.text * l.text)
            << "tile " << k << " scale " << scale;
        // Only the caption's colour is drawn in the band.
        EXPECT_EQ(colored, non_white) << "tile " << k << " scale " << scale;
      }
    }
  }
}

TEST(ImageGrid, LongCaptionsAreCutToTheTile) {
  std::vector<GridTile> tiles = Tiles(2, 5, 20);
  tiles[0].caption = std::string(100, 'W');
  tiles[1].caption = "";
  const Image sheet = MakeImageGrid(tiles, 2);
  const Layout l = LayoutOf(5, 20, 1);
  const int band_y0 = TileY(l, 0, 2) + l.pic_h + 2 * kFrame;
  const int band_y1 = TileY(l, 0, 2) + l.tile_h;
  const int x_end = TileX(l, 0, 2) + l.tile_w;
  EXPECT_GT(CountNonWhite(sheet, band_y0, band_y1, TileX(l, 0, 2), x_end), 0);
  // Nothing in the gap or under the next tile.
  EXPECT_EQ(CountNonWhite(sheet, band_y0, band_y1, x_end, sheet.width), 0);
}

TEST(ImageGrid, LowerCaseHasItsOwnGlyphs) {
  std::vector<GridTile> lower = Tiles(1, 10, 30);
  std::vector<GridTile> upper = lower;
  lower[0].caption = "happy 1";
  upper[0].caption = "HAPPY 1";
  EXPECT_NE(MakeImageGrid(lower, 1).pixels, MakeImageGrid(upper, 1).pixels);
}

TEST(ImageGrid, SmallerPicturesAreCentredAndChannelsMayDiffer) {
  std::vector<GridTile> tiles;
  tiles.push_back({Pattern(6, 8, 3, 0), "big", kGridBlack});
  tiles.push_back({Pattern(2, 4, 1, 1), "grey", kGridRed});    // centred
  tiles.push_back({Pattern(6, 8, 4, 2), "rgba", kGridBlack});  // alpha dropped
  tiles.push_back({Pattern(6, 8, 2, 3), "grey+a", kGridBlack});
  Image sheet;
  ASSERT_NO_THROW(sheet = MakeImageGrid(tiles, 4, 2));
  const Layout l = LayoutOf(6, 8, 2);
  EXPECT_EQ(sheet.width, kGap + 4 * (l.tile_w + kGap));
  // The small grey picture, 2x2 enlarged to (4, 8), in the middle of (12, 16).
  const int y0 = TileY(l, 1, 4) + kFrame, x0 = TileX(l, 1, 4) + kFrame;
  const int off_y = (12 - 4) / 2, off_x = (16 - 8) / 2;
  for (int y = 0; y < 2; ++y) {
    for (int x = 0; x < 4; ++x) {
      EXPECT_EQ(Pixel(sheet, y0 + off_y + 2 * y, x0 + off_x + 2 * x),
                Expected(tiles[1].image, y, x))
          << "(" << y << ", " << x << ")";
    }
  }
  // Around it, the tile's colour.
  EXPECT_EQ(Pixel(sheet, y0, x0), kGridRed);
  EXPECT_EQ(Pixel(sheet, y0 + off_y - 1, x0 + off_x), kGridRed);
  EXPECT_EQ(Pixel(sheet, y0 + off_y + 4, x0 + off_x + 7), kGridRed);
  EXPECT_EQ(Pixel(sheet, y0 + 11, x0 + 15), kGridRed);
  // RGBA and grey + alpha.
  for (int k : {2, 3}) {
    const int ty = TileY(l, k, 4) + kFrame, tx = TileX(l, k, 4) + kFrame;
    EXPECT_EQ(Pixel(sheet, ty + 2 * 5, tx + 2 * 7),
              Expected(tiles[k].image, 5, 7))
        << "tile " << k;
    EXPECT_EQ(Pixel(sheet, ty + 2 * 1 + 1, tx + 2 * 3 + 1),
              Expected(tiles[k].image, 1, 3))
        << "tile " << k;
  }
}

TEST(ImageGrid, BadInputThrows) {
  const std::vector<GridTile> good = Tiles(2, 4, 4);
  EXPECT_THROW(MakeImageGrid({}, 3), std::invalid_argument);
  EXPECT_THROW(MakeImageGrid(good, 0), std::invalid_argument);
  EXPECT_THROW(MakeImageGrid(good, -2), std::invalid_argument);
  EXPECT_THROW(MakeImageGrid(good, 2, 0), std::invalid_argument);
  EXPECT_THROW(MakeImageGrid(good, 2, -1), std::invalid_argument);

  // Inconsistent pictures, in any position.
  auto with_bad = [&](Image bad) {
    std::vector<GridTile> tiles = good;
    tiles.push_back({std::move(bad), "bad", kGridBlack});
    return tiles;
  };
  Image too_few = Pattern(4, 4, 3);
  too_few.pixels.pop_back();
  EXPECT_THROW(MakeImageGrid(with_bad(too_few), 2), std::invalid_argument);
  Image wrong_channels = Pattern(4, 4, 3);
  wrong_channels.channels = 1;  // 48 bytes for a 4x4 grey picture
  EXPECT_THROW(MakeImageGrid(with_bad(wrong_channels), 2),
               std::invalid_argument);
  EXPECT_THROW(MakeImageGrid(with_bad(Image{4, 4, 0, {}}), 2),
               std::invalid_argument);
  EXPECT_THROW(MakeImageGrid(with_bad(Pattern(2, 2, 5)), 2),
               std::invalid_argument);
  EXPECT_THROW(MakeImageGrid(with_bad(Image{0, 4, 3, {}}), 2),
               std::invalid_argument);
  EXPECT_THROW(MakeImageGrid(with_bad(Image{}), 2), std::invalid_argument);
  std::vector<GridTile> bad_first = with_bad(too_few);
  std::swap(bad_first.front(), bad_first.back());
  try {
    MakeImageGrid(bad_first, 2);
    ADD_FAILURE() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("tile 0"), std::string::npos)
        << e.what();
  }
}

TEST(DrawText, DrawsClipsAndReturnsTheWidth) {
  Image image{20, 40, 3, std::vector<uint8_t>(20 * 40 * 3, 255)};
  EXPECT_EQ(DrawText(image, 1, 1, "AB", kGridRed), 12);
  const int red = CountColor(image, 0, 20, 0, 40, kGridRed);
  EXPECT_GT(red, 10);
  EXPECT_EQ(red, CountNonWhite(image, 0, 20, 0, 40));
  // Nothing outside the two 5x7 glyphs at (1, 1) and (1, 7).
  EXPECT_EQ(CountNonWhite(image, 8, 20, 0, 40), 0);
  EXPECT_EQ(CountNonWhite(image, 0, 20, 12, 40), 0);
  // Size 2 doubles everything, an unknown character is drawn as '?'.
  EXPECT_EQ(DrawText(image, 0, 10, "~", kGridGreen, 2), 12);
  Image q{20, 40, 3, std::vector<uint8_t>(20 * 40 * 3, 255)};
  Image tilde = q;
  DrawText(q, 0, 0, "?", kGridBlack);
  DrawText(tilde, 0, 0, "~", kGridBlack);
  EXPECT_EQ(q.pixels, tilde.pixels);
  // Clipped, not a crash.
  EXPECT_EQ(DrawText(image, -3, -3, "HELLO WORLD", kGridBlack), 66);
  EXPECT_EQ(DrawText(image, 35, 15, "HELLO", kGridBlack, 3), 90);
  Image grey{4, 4, 1, std::vector<uint8_t>(16, 0)};
  EXPECT_THROW(DrawText(grey, 0, 0, "A", kGridBlack), std::invalid_argument);
}

// One letter on a white (7, 5) image: exactly its glyph.
Image Letter(char c) {
  Image image{7, 5, 3, std::vector<uint8_t>(7 * 5 * 3, 255)};
  DrawText(image, 0, 0, std::string(1, c), kGridBlack);
  return image;
}

TEST(DrawText, EveryLowerCaseLetterDiffersFromItsUpperCase) {
  const Image question = Letter('?');  // what a missing glyph looks like
  for (char c = 'a'; c <= 'z'; ++c) {
    const char upper = static_cast<char>(c - 'a' + 'A');
    const Image lower = Letter(c);
    EXPECT_NE(lower.pixels, Letter(upper).pixels) << c;
    EXPECT_NE(lower.pixels, question.pixels) << c << " has no glyph";
    EXPECT_GT(CountNonWhite(lower, 0, 7, 0, 5), 5) << c;
  }
}

TEST(DrawText, TextWidthIsTheWidthDrawn) {
  Image image{30, 200, 3, std::vector<uint8_t>(30 * 200 * 3, 255)};
  for (const std::string text : {"", "a", "AB", "pred 3 (true 3)", "~x~"}) {
    for (int size : {1, 2, 3}) {
      EXPECT_EQ(TextWidth(text, size),
                DrawText(image, 0, 0, text, kGridBlack, size))
          << "'" << text << "' size " << size;
      EXPECT_EQ(TextWidth(text, size),
                6 * size * static_cast<int>(text.size()));
    }
  }
  EXPECT_EQ(TextWidth("abc"), 18);  // size 1 by default
}

// A white RGB picture.
Image White(int height, int width) {
  Image image;
  image.height = height;
  image.width = width;
  image.channels = 3;
  image.pixels.assign(static_cast<size_t>(height) * width * 3, 255);
  return image;
}

GridColor PixelAt(const Image& image, int y, int x) {
  const uint8_t* p =
      &image.pixels[(static_cast<size_t>(y) * image.width + x) * 3];
  return {p[0], p[1], p[2]};
}

TEST(FillRect, BothCornersIncludedAndClipped) {
  Image image = White(5, 6);
  FillRect(image, 1, 2, 2, 3, kGridRed);
  int red = 0;
  for (int y = 0; y < 5; ++y) {
    for (int x = 0; x < 6; ++x) red += PixelAt(image, y, x) == kGridRed;
  }
  EXPECT_EQ(red, 4);
  EXPECT_EQ(PixelAt(image, 2, 3), kGridRed);
  FillRect(image, -3, -3, 100, 100, kGridGreen);  // the whole picture
  EXPECT_EQ(PixelAt(image, 4, 5), kGridGreen);
  Image grey;
  grey.height = grey.width = 2;
  grey.channels = 1;
  grey.pixels.assign(4, 0);
  EXPECT_THROW(FillRect(grey, 0, 0, 1, 1, kGridRed), std::invalid_argument);
}

TEST(DrawBox, OutlineRoundedAndClippedWithItsLabelAbove) {
  Image image = White(40, 60);
  // Corners rounded to pixels: rows 20..30, columns 10..40.
  DrawBox(image, 19.6, 10.4, 30.2, 39.5, kGridRed, 2, "car");
  EXPECT_EQ(PixelAt(image, 20, 25), kGridRed);  // top edge
  EXPECT_EQ(PixelAt(image, 21, 25), kGridRed);  // 2 pixels thick
  EXPECT_EQ(PixelAt(image, 22, 25), (GridColor{255, 255, 255}));
  EXPECT_EQ(PixelAt(image, 30, 40), kGridRed);  // bottom right corner
  EXPECT_EQ(PixelAt(image, 31, 41), (GridColor{255, 255, 255}));
  EXPECT_EQ(PixelAt(image, 10, 10), kGridRed);  // the label's band above
  // A box at the top has its label below; one outside draws nothing.
  Image top = White(40, 60);
  DrawBox(top, 0, 5, 8, 20, kGridGreen, 1, "x");
  EXPECT_EQ(PixelAt(top, 9, 5), kGridGreen);
  Image outside = White(10, 10);
  DrawBox(outside, 20, 20, 30, 30, kGridRed);
  EXPECT_EQ(outside.pixels, White(10, 10).pixels);
}

TEST(ImageGrid, SavesAsPng) {
  const char* env = std::getenv("TEST_TMPDIR");
  const fs::path dir =
      (env != nullptr ? fs::path(env) : fs::path(testing::TempDir())) /
      "image_grid_test";
  fs::create_directories(dir);
  std::vector<GridTile> tiles = Tiles(7, 16, 16);
  tiles[3].color = kGridRed;
  tiles[3].caption = "pred 1 (true 4)";
  const Image sheet = MakeImageGrid(tiles, 4, 2);
  const std::string path = (dir / "predictions.png").string();
  const absl::Status status = SavePng(path, sheet);
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_TRUE(fs::exists(path));
  EXPECT_GT(fs::file_size(path), 100u);
  const absl::StatusOr<Image> back = LoadImage(path, 3);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->height, sheet.height);
  EXPECT_EQ(back->width, sheet.width);
  EXPECT_EQ(back->pixels, sheet.pixels);  // PNG is lossless
}

}  // namespace
}  // namespace dl
