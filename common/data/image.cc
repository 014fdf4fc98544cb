// File: common/data/image.cc
//
// stb does the decoding, encoding and resizing; libstb.so holds its code, so
// no STB_*_IMPLEMENTATION is defined here.

#include "common/data/image.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/core/tensor.h"
#include "stb/stb_image.h"
#include "stb/stb_image_resize.h"
#include "stb/stb_image_write.h"

namespace dl {
namespace {

namespace fs = std::filesystem;

// "32x48": height x width, as the error messages print sizes.
std::string SizeString(int height, int width) {
  return absl::StrFormat("%dx%d", height, width);
}

std::string StbReason() {
  const char* reason = stbi_failure_reason();
  return reason != nullptr ? reason : "unknown error";
}

// OK when `image` has a positive size, 1..4 channels and exactly
// height * width * channels bytes of pixels.
absl::Status CheckImage(const Image& image) {
  if (image.height <= 0 || image.width <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("image size ", SizeString(image.height, image.width),
                     " (height x width) must be positive"));
  }
  if (image.channels < 1 || image.channels > 4) {
    return absl::InvalidArgumentError(absl::StrCat(
        "image has ", image.channels, " channels; expected 1 to 4"));
  }
  const size_t want = static_cast<size_t>(image.height) * image.width *
                      static_cast<size_t>(image.channels);
  if (image.pixels.size() != want) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "image has %d bytes of pixels; a %s image with %d channels needs %d",
        image.pixels.size(), SizeString(image.height, image.width),
        image.channels, want));
  }
  return absl::OkStatus();
}

// OK when `path` names a non-empty file (not a folder).
absl::Status CheckReadableFile(const std::string& path) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (status.type() == fs::file_type::not_found) {
    return absl::NotFoundError(
        absl::StrCat("LoadImage: ", path, ": no such file"));
  }
  if (ec) {
    return absl::InvalidArgumentError(
        absl::StrCat("LoadImage: ", path, ": cannot read: ", ec.message()));
  }
  if (fs::is_directory(status)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "LoadImage: ", path, " is a folder; expected an image file"));
  }
  const uintmax_t bytes = fs::file_size(path, ec);
  if (!ec && bytes == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("LoadImage: ", path,
                     ": empty file; expected an image (PNG, JPEG, ...)"));
  }
  return absl::OkStatus();
}

// For a PNG (other formats: OK): walks its chunks and checks that each
// one's declared length fits in the bytes that follow it. stb reserves
// memory for an IDAT chunk by its declared length before reading it, so a
// 100-byte file that declares a 2 GB chunk would otherwise allocate 2 GB.
absl::Status CheckPngChunks(const std::string& bytes, const std::string& name) {
  static constexpr char kSignature[] = "\x89PNG\r\n\x1a\n";
  static constexpr size_t kSignatureBytes = 8;
  if (bytes.compare(0, kSignatureBytes, kSignature, kSignatureBytes) != 0) {
    return absl::OkStatus();
  }
  const auto byte = [&bytes](size_t i) {
    return static_cast<uint32_t>(static_cast<unsigned char>(bytes[i]));
  };
  size_t at = kSignatureBytes;
  // A chunk: length (4 bytes, big-endian), type (4), data (length), CRC (4).
  while (at + 8 <= bytes.size()) {
    const uint32_t length =
        byte(at) << 24 | byte(at + 1) << 16 | byte(at + 2) << 8 | byte(at + 3);
    const std::string type = bytes.substr(at + 4, 4);
    const size_t left = bytes.size() - (at + 8);
    if (length > left) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "LoadImage: cannot decode %s: corrupt PNG: its %s chunk declares "
          "%d bytes but only %d bytes follow",
          name, absl::CHexEscape(type), length, left));
    }
    if (type == "IEND") break;
    at += 8 + size_t{length} + 4;
  }
  return absl::OkStatus();
}

// Reads only the header: OK when the image's size is within kMaxImageSide
// and kMaxImagePixels, so that decoding allocates a bounded amount.
absl::Status CheckHeader(const std::string& bytes, const std::string& name) {
  int width = 0, height = 0, file_channels = 0;
  if (!stbi_info_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()),
                             static_cast<int>(bytes.size()), &width, &height,
                             &file_channels)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "LoadImage: ", name, " is not a readable image: ", StbReason()));
  }
  const int64_t pixels = int64_t{width} * height;
  if (width <= 0 || height <= 0 || width > kMaxImageSide ||
      height > kMaxImageSide || pixels > kMaxImagePixels) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "LoadImage: %s claims to be %s (height x width); the limit is %d "
        "pixels a side and %d pixels in all",
        name, SizeString(height, width), kMaxImageSide, kMaxImagePixels));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Image> DecodeImage(const std::string& bytes, int channels,
                                  const std::string& name) {
  if (channels < 1 || channels > 4) {
    return absl::InvalidArgumentError(absl::StrCat(
        "LoadImage: ", name, ": channels is ", channels, "; expected 1 to 4"));
  }
  if (bytes.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("LoadImage: ", name,
                     ": empty file; expected an image (PNG, JPEG, ...)"));
  }
  if (bytes.size() > static_cast<size_t>(kMaxImageFileBytes)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("LoadImage: %s is %d bytes; the limit is %d", name,
                        bytes.size(), kMaxImageFileBytes));
  }
  if (absl::Status s = CheckHeader(bytes, name); !s.ok()) return s;
  if (absl::Status s = CheckPngChunks(bytes, name); !s.ok()) return s;

  int width = 0, height = 0, file_channels = 0;
  stbi_uc* data =
      stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()),
                            static_cast<int>(bytes.size()), &width, &height,
                            &file_channels, channels);
  if (data == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("LoadImage: cannot decode ", name, ": ", StbReason()));
  }
  Image image;
  image.height = height;
  image.width = width;
  image.channels = channels;
  const size_t size = static_cast<size_t>(height) * width * channels;
  image.pixels.assign(data, data + size);  // (h, w, c) row-major
  stbi_image_free(data);
  return image;
}

absl::StatusOr<Image> LoadImage(const std::string& path, int channels) {
  if (channels < 1 || channels > 4) {
    return absl::InvalidArgumentError(absl::StrCat(
        "LoadImage: ", path, ": channels is ", channels, "; expected 1 to 4"));
  }
  if (absl::Status s = CheckReadableFile(path); !s.ok()) return s;
  std::error_code ec;
  const uintmax_t size = fs::file_size(path, ec);
  if (!ec && size > static_cast<uintmax_t>(kMaxImageFileBytes)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("LoadImage: %s is %d bytes; the limit is %d", path,
                        size, kMaxImageFileBytes));
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)),
                    std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) {
    return absl::UnavailableError(
        absl::StrCat("LoadImage: cannot read ", path));
  }
  return DecodeImage(bytes, channels, path);
}

absl::Status SavePng(const std::string& path, const Image& image) {
  if (absl::Status s = CheckImage(image); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("SavePng: cannot write ", path, ": ", s.message()));
  }
  const fs::path parent = fs::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty() && !fs::is_directory(parent, ec)) {
    return absl::NotFoundError(
        absl::StrCat("SavePng: cannot write ", path, ": folder ",
                     parent.string(), " does not exist; create it first"));
  }
  errno = 0;
  const int stride = image.width * image.channels;  // bytes per row
  if (!stbi_write_png(path.c_str(), image.width, image.height, image.channels,
                      image.pixels.data(), stride)) {
    const std::string message = absl::StrCat("SavePng: cannot write ", path);
    return errno != 0 ? absl::ErrnoToStatus(errno, message)
                      : absl::InternalError(message);
  }
  return absl::OkStatus();
}

Image Resize(const Image& image, int height, int width) {
  if (absl::Status s = CheckImage(image); !s.ok()) {
    throw std::invalid_argument(absl::StrCat("Resize: ", s.message()));
  }
  if (height <= 0 || width <= 0) {
    throw std::invalid_argument(absl::StrCat("Resize: target size ",
                                             SizeString(height, width),
                                             " must be positive"));
  }
  if (height == image.height && width == image.width) return image;
  Image out;
  out.height = height;
  out.width = width;
  out.channels = image.channels;
  out.pixels.resize(static_cast<size_t>(height) * width * image.channels);
  if (!stbir_resize_uint8(image.pixels.data(), image.width, image.height, 0,
                          out.pixels.data(), width, height, 0,
                          image.channels)) {
    throw std::runtime_error("Resize: stbir_resize_uint8 failed");
  }
  return out;
}

namespace {

bool IsHidden(const fs::path& path) {
  const std::string name = path.filename().string();
  return !name.empty() && name[0] == '.';
}

// .png, .jpg, .jpeg or .bmp, in any case.
bool HasImageExtension(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char ch) { return std::tolower(ch); });
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".bmp";
}

// The entries of `folder` (not hidden) for which keep(entry) holds, sorted.
template <typename Keep>
absl::StatusOr<std::vector<fs::path>> ListFolder(const fs::path& folder,
                                                 Keep keep) {
  std::vector<fs::path> entries;
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (!IsHidden(it->path()) && keep(*it)) entries.push_back(it->path());
  }
  if (ec) {
    return absl::InvalidArgumentError(absl::StrCat(
        "ReadImageFolder: cannot list ", folder.string(), ": ", ec.message()));
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

// The class subfolders of `root`, sorted by name.
absl::StatusOr<std::vector<fs::path>> ListClassFolders(
    const std::string& root) {
  std::error_code ec;
  const fs::file_status status = fs::status(root, ec);
  if (status.type() == fs::file_type::not_found) {
    return absl::NotFoundError(absl::StrCat(
        "ReadImageFolder: ", root,
        " does not exist; expected a folder laid out as root/<class>/*.png"));
  }
  if (!fs::is_directory(status)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "ReadImageFolder: ", root,
        " is not a folder; expected a folder laid out as root/<class>/*.png"));
  }
  absl::StatusOr<std::vector<fs::path>> folders =
      ListFolder(root, [](const fs::directory_entry& e) {
        std::error_code ignored;
        return e.is_directory(ignored);
      });
  if (folders.ok() && folders->empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "ReadImageFolder: ", root,
        " has no class subfolders; expected root/<class>/*.png (or .jpg, "
        ".jpeg, .bmp), one subfolder per class"));
  }
  return folders;
}

// The image files of one class folder, sorted by name.
absl::StatusOr<std::vector<fs::path>> ListImages(const fs::path& folder) {
  absl::StatusOr<std::vector<fs::path>> files =
      ListFolder(folder, [](const fs::directory_entry& e) {
        std::error_code ignored;
        return e.is_regular_file(ignored) && HasImageExtension(e.path());
      });
  if (files.ok() && files->empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "ReadImageFolder: class folder ", folder.string(),
        " has no images (.png, .jpg, .jpeg, .bmp); add some or remove it"));
  }
  return files;
}

absl::Status CheckOptions(const ImageFolderOptions& options) {
  if (options.channels < 1 || options.channels > 4) {
    return absl::InvalidArgumentError(
        absl::StrCat("ReadImageFolder: options.channels is ", options.channels,
                     "; expected 1 to 4"));
  }
  const bool fixed = options.height > 0 && options.width > 0;
  const bool open = options.height == 0 && options.width == 0;
  if (!fixed && !open) {
    return absl::InvalidArgumentError(
        absl::StrCat("ReadImageFolder: options size ",
                     SizeString(options.height, options.width),
                     " (height x width) must be both positive or both 0"));
  }
  if (options.resize && !fixed) {
    return absl::InvalidArgumentError(
        "ReadImageFolder: options.resize needs options.height and "
        "options.width > 0");
  }
  return absl::OkStatus();
}

// Fits `image` (read from `path`) to the dataset's size: sets the size from
// the first image when the options leave it open, resizes when asked, and
// fails on a mismatch otherwise.
absl::StatusOr<Image> FitImage(Image image, const std::string& path,
                               const ImageFolderOptions& options,
                               ImageDataset& dataset) {
  if (dataset.paths.empty() && options.height == 0) {
    dataset.height = image.height;
    dataset.width = image.width;
  }
  if (image.height == dataset.height && image.width == dataset.width) {
    return image;
  }
  if (options.resize) return Resize(image, dataset.height, dataset.width);
  const std::string size = SizeString(dataset.height, dataset.width);
  const std::string want =
      options.height > 0 ? absl::StrCat("ImageFolderOptions asks for ", size)
                         : absl::StrCat("the first image, ",
                                        dataset.paths.front(), ", is ", size);
  return absl::InvalidArgumentError(absl::StrCat(
      "ReadImageFolder: ", path, " is ", SizeString(image.height, image.width),
      " (height x width) but ", want,
      "; make all images the same size or set ImageFolderOptions::resize "
      "with height and width"));
}

// Loads one image into `dataset` as an example with `label`.
absl::Status AddExample(const std::string& path, int label,
                        const ImageFolderOptions& options,
                        ImageDataset& dataset) {
  absl::StatusOr<Image> image = LoadImage(path, options.channels);
  if (!image.ok()) return image.status();
  image = FitImage(*std::move(image), path, options, dataset);
  if (!image.ok()) return image.status();
  dataset.pixels.insert(dataset.pixels.end(), image->pixels.begin(),
                        image->pixels.end());
  dataset.paths.push_back(path);
  dataset.labels.push_back(label);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ImageDataset> ReadImageFolder(
    const std::string& root, const ImageFolderOptions& options) {
  if (absl::Status s = CheckOptions(options); !s.ok()) return s;
  absl::StatusOr<std::vector<fs::path>> folders = ListClassFolders(root);
  if (!folders.ok()) return folders.status();

  // All file lists first, so that an empty class fails before any decoding.
  std::vector<std::vector<fs::path>> files_by_class;
  size_t count = 0;
  for (const fs::path& folder : *folders) {
    absl::StatusOr<std::vector<fs::path>> files = ListImages(folder);
    if (!files.ok()) return files.status();
    count += files->size();
    files_by_class.push_back(*std::move(files));
  }

  ImageDataset dataset;
  dataset.height = options.height;
  dataset.width = options.width;
  dataset.channels = options.channels;
  for (const fs::path& folder : *folders) {
    dataset.class_names.push_back(folder.filename().string());
  }
  for (int label = 0; label < static_cast<int>(files_by_class.size());
       ++label) {
    for (const fs::path& file : files_by_class[label]) {
      if (absl::Status s = AddExample(file.string(), label, options, dataset);
          !s.ok()) {
        return s;
      }
      if (dataset.paths.size() == 1) {  // the size is known from now on
        dataset.pixels.reserve(count * dataset.pixels.size());
      }
    }
  }
  return dataset;
}

namespace {

// Throws std::invalid_argument unless pixels holds m (h, w, c) images.
size_t CheckedExampleSize(const ImageDataset& d, const char* function) {
  const size_t n = static_cast<size_t>(std::max(d.height, 0)) *
                   std::max(d.width, 0) * std::max(d.channels, 0);
  if (d.pixels.size() != n * d.labels.size()) {
    throw std::invalid_argument(absl::StrFormat(
        "%s: dataset has %d bytes of pixels; %d examples of %s x %d "
        "channels need %d",
        function, d.pixels.size(), d.labels.size(),
        SizeString(d.height, d.width), d.channels, n * d.labels.size()));
  }
  return n;
}

}  // namespace

Matrix ImagesToColumns(const ImageDataset& dataset) {
  const Eigen::Index n = CheckedExampleSize(dataset, "ImagesToColumns");
  const Eigen::Index m = dataset.size();
  // Example-major bytes viewed column-major as (n, m): column i = example i.
  const Eigen::Map<const Eigen::Matrix<uint8_t, Eigen::Dynamic, Eigen::Dynamic>>
      raw(dataset.pixels.data(), n, m);
  return raw.cast<double>() / 255.0;  // (h*w*c, m)
}

Matrix LabelsToRow(const ImageDataset& dataset) {
  Matrix row(1, dataset.size());  // (1, m)
  for (int i = 0; i < dataset.size(); ++i) row(0, i) = dataset.labels[i];
  return row;
}

Tensor<4> ImagesToTensor(const ImageDataset& dataset) {
  CheckedExampleSize(dataset, "ImagesToTensor");
  // Row-major (m, h, w, c) has the same flat order as the pixels.
  Tensor<4> images(dataset.size(), dataset.height, dataset.width,
                   dataset.channels);
  for (size_t i = 0; i < dataset.pixels.size(); ++i) {
    images.data()[i] = dataset.pixels[i] / 255.0;
  }
  return images;
}

void ImagesToFloats(const ImageDataset& dataset, float* out) {
  CheckedExampleSize(dataset, "ImagesToFloats");
  for (size_t i = 0; i < dataset.pixels.size(); ++i) {
    out[i] = static_cast<float>(dataset.pixels[i] / 255.0);
  }
}

Image ImageFromColumn(const Matrix& column, int height, int width,
                      int channels) {
  if (height <= 0 || width <= 0 || channels < 1 || channels > 4) {
    throw std::invalid_argument(absl::StrFormat(
        "ImageFromColumn: size %s with %d channels: need positive sides and "
        "1 to 4 channels",
        SizeString(height, width), channels));
  }
  const Eigen::Index n = Eigen::Index{height} * width * channels;
  if (column.rows() != n || column.cols() != 1) {
    throw std::invalid_argument(
        absl::StrCat("ImageFromColumn: column has shape ", shape_string(column),
                     "; expected (", n, ", 1) for ", SizeString(height, width),
                     " x ", channels, " channels"));
  }
  Image image;
  image.height = height;
  image.width = width;
  image.channels = channels;
  image.pixels.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double v = column(i, 0);
    const double clamped = std::isnan(v) ? 0.0 : std::clamp(v, 0.0, 1.0);
    image.pixels[i] = static_cast<uint8_t>(std::lround(clamped * 255.0));
  }
  return image;
}

}  // namespace dl
