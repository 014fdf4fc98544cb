// File: common/data/image.h
//
// Images for the course: load, save, resize, and read a folder of labelled
// images (like torchvision's ImageFolder), then convert it to the course's
// layouts.
//
//   Image         one picture, uint8 pixels in numpy's (h, w, c) order.
//   ImageDataset  m pictures of the same size, with labels from folder names.
//   ImagesToColumns(d)  (h*w*c, m) in [0, 1]: the course's
//                       X.reshape(m, -1).T / 255, one example per column.
//   ImagesToTensor(d)   (m, h, w, c) in [0, 1], for the CNN units.
//   ImagesToFloats(d, out)  the same values as floats, for float models.
//
// Example:
//   absl::StatusOr<dl::ImageDataset> d = dl::ReadImageFolder("data/cats");
//   if (!d.ok()) { std::cerr << d.status() << "\n"; return 1; }
//   dl::Matrix X = dl::ImagesToColumns(*d);  // (h*w*3, m)
//   dl::Matrix Y = dl::LabelsToRow(*d);      // (1, m)
//
// Files are decoded with stb_image (PNG, JPEG, BMP, ...), written with
// stb_image_write (PNG) and resized with stb_image_resize.

#ifndef DLCOURSE_COMMON_DATA_IMAGE_H_
#define DLCOURSE_COMMON_DATA_IMAGE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/core/tensor.h"

namespace dl {

// The largest image LoadImage accepts: at most kMaxImageSide pixels on a
// side and at most kMaxImagePixels pixels in all. Checked from the file's
// header, before anything is decoded.
inline constexpr int kMaxImageSide = 8192;
inline constexpr int64_t kMaxImagePixels = int64_t{16} << 20;  // 16 megapixels
// The largest image file LoadImage reads into memory.
inline constexpr int64_t kMaxImageFileBytes = int64_t{256} << 20;  // 256 MiB

// One picture. Pixel (y, x, c) is pixels[(y * width + x) * channels + c]:
// the memory of numpy's (height, width, channels) uint8 array.
// channels: 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA.
struct Image {
  int height = 0, width = 0, channels = 0;
  std::vector<uint8_t> pixels;  // height * width * channels bytes
};

// Decodes an image file (PNG, JPEG, BMP, GIF's first frame, ...) into
// `channels` channels (1..4), converting as needed (e.g. RGB -> grey).
// Errors name the file:
//   NotFound         the file does not exist;
//   InvalidArgument  empty file, a directory, not a decodable image, or
//                    larger than kMaxImageSide / kMaxImagePixels.
absl::StatusOr<Image> LoadImage(const std::string& path, int channels = 3);

// The same from the file's bytes in memory; `name` is used in the errors.
absl::StatusOr<Image> DecodeImage(const std::string& bytes, int channels,
                                  const std::string& name);

// Writes `image` as a PNG file. Errors name the path: InvalidArgument when the
// image is inconsistent (channels not 1..4, a side <= 0, or pixels.size() !=
// height * width * channels); NotFound when the directory does not exist;
// another error when the file cannot be written.
absl::Status SavePng(const std::string& path, const Image& image);

// `image` resized to (height, width) with stb_image_resize's default filters
// (Mitchell when shrinking, Catmull-Rom when enlarging). Returns a copy when
// the size is unchanged. Throws std::invalid_argument when `image` is
// inconsistent or height / width is <= 0.
Image Resize(const Image& image, int height, int width);

// How ReadImageFolder reads the images.
struct ImageFolderOptions {
  // The size every image must have. 0, 0: the first image's size.
  int height = 0, width = 0;
  // true: resize every image to height x width (both must be > 0) instead
  // of failing on a size mismatch.
  bool resize = false;
  // Channels to decode into (1..4); see LoadImage.
  int channels = 3;
};

// A folder of labelled images, all of the same size.
struct ImageDataset {
  std::vector<std::string>
      class_names;                 // sorted subfolder names; label = index
  std::vector<std::string> paths;  // one per example, by class then file name
  std::vector<int> labels;         // one per example, index in class_names
  int height = 0, width = 0, channels = 0;
  // Example-major: example i's (h, w, c) image starts at i * h * w * c.
  std::vector<uint8_t> pixels;

  int size() const { return static_cast<int>(labels.size()); }  // m
};

// Reads root/<class_name>/<file> for files ending in .png, .jpg, .jpeg or
// .bmp (any case), like torchvision's ImageFolder. Class folders are sorted
// by name and labelled 0, 1, ...; files are sorted by name. Files and folders
// whose names start with '.' and files with other extensions are skipped.
// Errors (they name the folder or file):
//   NotFound         root does not exist;
//   InvalidArgument  root is not a folder, has no class subfolders, a class
//                    folder has no images, an image cannot be decoded
//                    (LoadImage's error), an image's size differs from the
//                    first one (or from options) while options.resize is
//                    false, or the options are invalid.
absl::StatusOr<ImageDataset> ReadImageFolder(
    const std::string& root, const ImageFolderOptions& options = {});

// (h*w*c, m): column i is example i flattened in (h, w, c) order, / 255.
// Pixel (y, x, c) of example i is at row (y * w + x) * channels + c.
// The course's X.reshape(m, -1).T / 255.
Matrix ImagesToColumns(const ImageDataset& dataset);

// (1, m): the labels as doubles.
Matrix LabelsToRow(const ImageDataset& dataset);

// (m, h, w, c): the pixels / 255; element (i, y, x, c) is example i's pixel.
Tensor<4> ImagesToTensor(const ImageDataset& dataset);

// ImagesToTensor's values, each rounded to float (the same bits as its
// doubles cast to float), into out[0 .. m*h*w*c) in (m, h, w, c) order:
// for a float model, without a double copy of the set (8 bytes a pixel).
// Throws std::invalid_argument, before writing, when the pixels are not m
// pictures of the dataset's size.
void ImagesToFloats(const ImageDataset& dataset, float* out);

// The inverse of one column of ImagesToColumns: `column` is (h*w*c, 1);
// each value is clamped to [0, 1] (NaN -> 0), times 255, rounded.
// Throws std::invalid_argument when the shape does not match or
// channels is not 1..4.
Image ImageFromColumn(const Matrix& column, int height, int width,
                      int channels);

}  // namespace dl

#endif  // DLCOURSE_COMMON_DATA_IMAGE_H_
