#include "common/data/image.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "common/core/tensor.h"
#include "common/data/test_util.h"
#include "gtest/gtest.h"

namespace dl {
namespace {

using dl::test::Pattern;

namespace fs = std::filesystem;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A fresh, empty folder for the current test.
std::string FreshDir() {
  const char* env = std::getenv("TEST_TMPDIR");
  const fs::path base =
      env != nullptr ? fs::path(env) : fs::path(testing::TempDir());
  const testing::TestInfo* info =
      testing::UnitTest::GetInstance()->current_test_info();
  const fs::path dir = base / (std::string("image_test_") + info->name());
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void SaveOrDie(const std::string& path, const Image& image) {
  fs::create_directories(fs::path(path).parent_path());
  const absl::Status status = SavePng(path, image);
  ASSERT_TRUE(status.ok()) << status;
}

// Expects `status` to have `code` and a message containing `part`.
void ExpectError(const absl::Status& status, absl::StatusCode code,
                 const std::string& part) {
  EXPECT_EQ(status.code(), code) << status;
  EXPECT_TRUE(Contains(std::string(status.message()), part))
      << "message \"" << status.message() << "\" does not name " << part;
}

TEST(Image, SavePngLoadImageRoundTripIsExact) {
  const std::string dir = FreshDir();
  for (int channels : {1, 3, 4}) {
    const std::string path = dir + "/p" + std::to_string(channels) + ".png";
    const Image image = Pattern(5, 7, channels);
    SaveOrDie(path, image);
    absl::StatusOr<Image> loaded = LoadImage(path, channels);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    EXPECT_EQ(loaded->height, 5);
    EXPECT_EQ(loaded->width, 7);
    EXPECT_EQ(loaded->channels, channels);
    EXPECT_EQ(loaded->pixels, image.pixels);
  }
}

TEST(Image, LoadImageForcesChannels) {
  const std::string path = FreshDir() + "/grey.png";
  SaveOrDie(path, Pattern(3, 4, 1));
  absl::StatusOr<Image> rgb = LoadImage(path, 3);
  ASSERT_TRUE(rgb.ok()) << rgb.status();
  EXPECT_EQ(rgb->channels, 3);
  ASSERT_EQ(rgb->pixels.size(), 3u * 4 * 3);
  EXPECT_EQ(rgb->pixels[0], rgb->pixels[1]);  // grey copied to R, G, B
  ExpectError(LoadImage(path, 5).status(), absl::StatusCode::kInvalidArgument,
              path);
}

TEST(Image, LoadImageMissingFileIsNotFound) {
  const std::string path = FreshDir() + "/missing.png";
  ExpectError(LoadImage(path).status(), absl::StatusCode::kNotFound, path);
}

TEST(Image, LoadImageCorruptFileIsInvalidArgument) {
  const std::string path = FreshDir() + "/random.png";
  std::mt19937 rng(1);
  std::string bytes(1000, '\0');
  for (char& b : bytes) b = static_cast<char>(rng());
  WriteBytes(path, bytes);
  ExpectError(LoadImage(path).status(), absl::StatusCode::kInvalidArgument,
              path);
}

TEST(Image, LoadImageEmptyFileIsInvalidArgument) {
  const std::string path = FreshDir() + "/empty.png";
  WriteBytes(path, "");
  const absl::Status status = LoadImage(path).status();
  ExpectError(status, absl::StatusCode::kInvalidArgument, path);
  EXPECT_TRUE(Contains(std::string(status.message()), "empty file"));
}

TEST(Image, LoadImageFolderIsInvalidArgument) {
  const std::string dir = FreshDir();
  ExpectError(LoadImage(dir).status(), absl::StatusCode::kInvalidArgument, dir);
}

TEST(Image, LoadImageTruncatedPngIsAnError) {
  const std::string dir = FreshDir();
  SaveOrDie(dir + "/full.png", Pattern(40, 40, 3));
  const std::string bytes = ReadBytes(dir + "/full.png");
  ASSERT_GT(bytes.size(), 100u);
  const std::string path = dir + "/half.png";
  WriteBytes(path, bytes.substr(0, bytes.size() / 2));
  ExpectError(LoadImage(path).status(), absl::StatusCode::kInvalidArgument,
              path);
}

// A 1x1 PNG whose IHDR claims `height` x `width` (the CRC is then wrong).
std::string PatchedPng(const std::string& dir, uint32_t height,
                       uint32_t width) {
  const std::string path = dir + "/huge.png";
  SaveOrDie(path, Pattern(1, 1, 3));
  std::string bytes = ReadBytes(path);
  for (int i = 0; i < 4; ++i) {  // big-endian at offsets 16..19 and 20..23
    bytes[16 + i] = static_cast<char>(width >> (24 - 8 * i));
    bytes[20 + i] = static_cast<char>(height >> (24 - 8 * i));
  }
  WriteBytes(path, bytes);
  return path;
}

TEST(Image, LoadImageRejectsHugeHeader) {
  const std::string dir = FreshDir();
  // stb itself may reject this one (over 2^30 bytes); either way, no crash.
  std::string path = PatchedPng(dir, 100000, 100000);
  ExpectError(LoadImage(path).status(), absl::StatusCode::kInvalidArgument,
              path);
  // Within stb's limits but over ours: refused from the header.
  for (auto [height, width] :
       {std::pair{15000u, 15000u}, std::pair{1u, kMaxImageSide + 1u}}) {
    path = PatchedPng(dir, height, width);
    const absl::Status status = LoadImage(path).status();
    ExpectError(status, absl::StatusCode::kInvalidArgument, path);
    EXPECT_TRUE(Contains(std::string(status.message()), "limit")) << status;
  }
}

// stb reserves an IDAT chunk's declared length before reading it: a small
// file declaring a 2 GB chunk must be refused before stb sees it (found by
// image_folder_fuzzer as a 2 GB allocation).
TEST(Image, LoadImageRejectsChunkLongerThanTheFile) {
  const std::string dir = FreshDir();
  const std::string path = dir + "/long_chunk.png";
  SaveOrDie(path, Pattern(3, 5, 3));
  std::string bytes = ReadBytes(path);
  // Signature (8) + IHDR chunk (4 + 4 + 13 + 4): the next chunk is IDAT.
  ASSERT_EQ(bytes.substr(33 + 4, 4), "IDAT");
  for (int i = 0; i < 4; ++i) bytes[33 + i] = i == 0 ? '\x7f' : '\xff';
  WriteBytes(path, bytes);
  const absl::Status status = LoadImage(path).status();
  ExpectError(status, absl::StatusCode::kInvalidArgument, path);
  EXPECT_TRUE(Contains(std::string(status.message()),
                       "IDAT chunk declares 2147483647 bytes"))
      << status;
}

TEST(Image, SavePngErrorsNameThePath) {
  const std::string dir = FreshDir();
  const std::string path = dir + "/no/such/folder/x.png";
  ExpectError(SavePng(path, Pattern(2, 2, 3)), absl::StatusCode::kNotFound,
              path);

  const std::string good = dir + "/x.png";
  Image short_pixels = Pattern(2, 2, 3);
  short_pixels.pixels.pop_back();
  ExpectError(SavePng(good, short_pixels), absl::StatusCode::kInvalidArgument,
              good);
  Image five_channels = Pattern(2, 2, 3);
  five_channels.channels = 5;
  ExpectError(SavePng(good, five_channels), absl::StatusCode::kInvalidArgument,
              good);
  EXPECT_FALSE(fs::exists(good));
}

TEST(Image, ResizeKeepsAConstantColor) {
  Image image{4, 6, 3, std::vector<uint8_t>(4 * 6 * 3, 0)};
  for (size_t i = 0; i < image.pixels.size(); ++i) {
    image.pixels[i] = static_cast<uint8_t>(50 + 50 * (i % 3));
  }
  for (auto [h, w] : {std::pair{2, 3}, std::pair{9, 5}}) {
    const Image out = Resize(image, h, w);
    EXPECT_EQ(out.height, h);
    EXPECT_EQ(out.width, w);
    EXPECT_EQ(out.channels, 3);
    ASSERT_EQ(out.pixels.size(), static_cast<size_t>(h * w * 3));
    for (size_t i = 0; i < out.pixels.size(); ++i) {
      EXPECT_NEAR(out.pixels[i], 50 + 50 * (i % 3), 1) << "byte " << i;
    }
  }
  EXPECT_EQ(Resize(image, 4, 6).pixels, image.pixels);
  EXPECT_THROW(Resize(image, 0, 3), std::invalid_argument);
}

// root/cat: 3 images, root/non-cat: 2 images, all 4x5 RGB.
std::string TwoClassFolder() {
  const std::string root = FreshDir() + "/data";
  for (int i = 0; i < 3; ++i) {
    SaveOrDie(root + "/cat/c" + std::to_string(i) + ".png",
              Pattern(4, 5, 3, i));
  }
  for (int i = 0; i < 2; ++i) {
    SaveOrDie(root + "/non-cat/n" + std::to_string(i) + ".png",
              Pattern(4, 5, 3, 10 + i));
  }
  return root;
}

TEST(Image, ReadImageFolderReadsTwoClasses) {
  const std::string root = TwoClassFolder();
  absl::StatusOr<ImageDataset> d = ReadImageFolder(root);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->class_names, (std::vector<std::string>{"cat", "non-cat"}));
  EXPECT_EQ(d->labels, (std::vector<int>{0, 0, 0, 1, 1}));
  EXPECT_EQ(d->size(), 5);
  ASSERT_EQ(d->paths.size(), 5u);
  EXPECT_EQ(d->paths[0], root + "/cat/c0.png");
  EXPECT_EQ(d->paths[4], root + "/non-cat/n1.png");
  EXPECT_EQ(d->height, 4);
  EXPECT_EQ(d->width, 5);
  EXPECT_EQ(d->channels, 3);
  ASSERT_EQ(d->pixels.size(), 5u * 4 * 5 * 3);
  const std::vector<uint8_t> n1 = Pattern(4, 5, 3, 11).pixels;
  EXPECT_TRUE(std::equal(n1.begin(), n1.end(), d->pixels.begin() + 4 * 60));
}

TEST(Image, ImagesToColumnsMatchesCourseLayout) {
  absl::StatusOr<ImageDataset> d = ReadImageFolder(TwoClassFolder());
  ASSERT_TRUE(d.ok()) << d.status();
  const Matrix X = ImagesToColumns(*d);
  ASSERT_EQ(shape_string(X), "(60, 5)");
  const int seeds[] = {0, 1, 2, 10, 11};
  for (int i = 0; i < 5; ++i) {
    const Image image = Pattern(4, 5, 3, seeds[i]);
    for (int y = 0; y < 4; ++y) {
      for (int x = 0; x < 5; ++x) {
        for (int c = 0; c < 3; ++c) {
          const int k = (y * 5 + x) * 3 + c;
          EXPECT_DOUBLE_EQ(X(k, i), image.pixels[k] / 255.0);
        }
      }
    }
  }
  EXPECT_EQ(ImageFromColumn(X.col(3), 4, 5, 3).pixels,
            Pattern(4, 5, 3, 10).pixels);
}

TEST(Image, LabelsToRowAndImagesToTensor) {
  absl::StatusOr<ImageDataset> d = ReadImageFolder(TwoClassFolder());
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_TRUE(allclose(LabelsToRow(*d), matrix({{0, 0, 0, 1, 1}})));
  const Tensor<4> t = ImagesToTensor(*d);
  EXPECT_EQ(shape_string(t), "(5, 4, 5, 3)");
  const Image n0 = Pattern(4, 5, 3, 10);
  EXPECT_DOUBLE_EQ(t(3, 2, 1, 2), n0.pixels[(2 * 5 + 1) * 3 + 2] / 255.0);
  EXPECT_DOUBLE_EQ(t(0, 3, 4, 0), Pattern(4, 5, 3, 0).pixels[57] / 255.0);
}

TEST(Image, ImagesToFloatsAreTheTensorsDoublesRounded) {
  absl::StatusOr<ImageDataset> d = ReadImageFolder(TwoClassFolder());
  ASSERT_TRUE(d.ok()) << d.status();
  const Tensor<4> t = ImagesToTensor(*d);
  std::vector<float> floats(t.size());
  ImagesToFloats(*d, floats.data());
  for (Eigen::Index k = 0; k < t.size(); ++k) {
    ASSERT_EQ(floats[k], static_cast<float>(t.data()[k])) << "entry " << k;
  }
  d->pixels.pop_back();
  EXPECT_THROW(ImagesToFloats(*d, floats.data()), std::invalid_argument);
}

TEST(Image, ImageFromColumnClampsAndRounds) {
  const Matrix column = matrix({{-0.5}, {0.5}, {2.0}, {NAN}, {1.0 / 255}});
  const Image image = ImageFromColumn(column, 1, 5, 1);
  EXPECT_EQ(image.pixels, (std::vector<uint8_t>{0, 128, 255, 0, 1}));
  EXPECT_THROW(ImageFromColumn(column, 2, 2, 1), std::invalid_argument);
}

TEST(Image, ReadImageFolderMissingRootIsNotFound) {
  const std::string root = FreshDir() + "/nothing";
  ExpectError(ReadImageFolder(root).status(), absl::StatusCode::kNotFound,
              root);
}

TEST(Image, ReadImageFolderRootIsAFile) {
  const std::string root = FreshDir() + "/file.png";
  SaveOrDie(root, Pattern(2, 2, 3));
  ExpectError(ReadImageFolder(root).status(),
              absl::StatusCode::kInvalidArgument, root);
}

TEST(Image, ReadImageFolderEmptyRoot) {
  const std::string root = FreshDir();
  SaveOrDie(root + "/stray.png", Pattern(2, 2, 3));  // not in a class folder
  const absl::Status status = ReadImageFolder(root).status();
  ExpectError(status, absl::StatusCode::kInvalidArgument, root);
  EXPECT_TRUE(Contains(std::string(status.message()), "root/<class>/*.png"));
}

TEST(Image, ReadImageFolderEmptyClassFolder) {
  const std::string root = TwoClassFolder();
  fs::create_directories(root + "/dog");
  WriteBytes(root + "/dog/notes.txt", "no images here");
  ExpectError(ReadImageFolder(root).status(),
              absl::StatusCode::kInvalidArgument, root + "/dog");
}

TEST(Image, ReadImageFolderSkipsOtherFilesAndHiddenOnes) {
  const std::string root = TwoClassFolder();
  WriteBytes(root + "/cat/notes.txt", "not an image");
  WriteBytes(root + "/cat/.hidden.png", "not an image either");
  fs::create_directories(root + "/.cache");
  SaveOrDie(root + "/non-cat/N2.PNG", Pattern(4, 5, 3, 12));  // upper case
  absl::StatusOr<ImageDataset> d = ReadImageFolder(root);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->class_names.size(), 2u);
  EXPECT_EQ(d->size(), 6);
  EXPECT_EQ(d->paths[3], root + "/non-cat/N2.PNG");  // 'N' sorts before 'n'
}

TEST(Image, ReadImageFolderCorruptPngNamesTheFile) {
  const std::string root = TwoClassFolder();
  const std::string bad = root + "/cat/c9.png";
  WriteBytes(bad, "this is not a PNG");
  ExpectError(ReadImageFolder(root).status(),
              absl::StatusCode::kInvalidArgument, bad);
}

TEST(Image, ReadImageFolderMixedSizesNameFileAndSizes) {
  const std::string root = TwoClassFolder();
  const std::string odd = root + "/non-cat/n9.png";
  SaveOrDie(odd, Pattern(6, 3, 3));
  const absl::Status status = ReadImageFolder(root).status();
  ExpectError(status, absl::StatusCode::kInvalidArgument, odd);
  const std::string message(status.message());
  EXPECT_TRUE(Contains(message, "6x3")) << message;
  EXPECT_TRUE(Contains(message, "4x5")) << message;
  EXPECT_TRUE(Contains(message, root + "/cat/c0.png")) << message;

  ImageFolderOptions fixed;
  fixed.height = 4;
  fixed.width = 5;
  ExpectError(ReadImageFolder(root, fixed).status(),
              absl::StatusCode::kInvalidArgument, odd);
}

TEST(Image, ReadImageFolderResizeOption) {
  const std::string root = TwoClassFolder();
  SaveOrDie(root + "/non-cat/n9.png", Pattern(6, 3, 3));
  ImageFolderOptions options;
  options.height = 8;
  options.width = 6;
  options.resize = true;
  options.channels = 1;
  absl::StatusOr<ImageDataset> d = ReadImageFolder(root, options);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->size(), 6);
  EXPECT_EQ(d->height, 8);
  EXPECT_EQ(d->width, 6);
  EXPECT_EQ(d->channels, 1);
  EXPECT_EQ(d->pixels.size(), 6u * 8 * 6);
  EXPECT_EQ(shape_string(ImagesToColumns(*d)), "(48, 6)");
}

TEST(Image, ReadImageFolderRejectsBadOptions) {
  const std::string root = TwoClassFolder();
  ImageFolderOptions no_size;
  no_size.resize = true;
  EXPECT_EQ(ReadImageFolder(root, no_size).status().code(),
            absl::StatusCode::kInvalidArgument);
  ImageFolderOptions half_size;
  half_size.height = 4;
  EXPECT_EQ(ReadImageFolder(root, half_size).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace dl
