// File: common/data/signs_images.h
//
// A generated stand-in for the course's SIGNS set (hand signs for the digits
// 0 to 5; its .h5 files cannot be downloaded here). Used by course 2
// (course2_tuning/batch_norm_softmax) and course 3 (the CNN applications).
//
//   6 classes "0".."5"   64x64 RGB   1080 train / 120 test, 180 / 20 per class
//
// Each picture is a hand: a palm with k extended fingers (k = the class) and
// the other fingers folded into knuckles, a forearm leaving the picture. As
// in the course's photos, the hand stands against a plain light wall, at
// about the same place and size and nearly upright (a few pixels and degrees
// of play), its fingers spread and outlined. Left or right hand, the skin
// tone, the lighting and the wall's tint are drawn from the SAME
// distributions for every class. The hand's area and its mean colour do not
// depend on the class either (the palm of a fist is larger), so neither
// colour nor mean brightness tells the classes apart: a classifier has to see
// the fingers (how many, where, pointing which way).
//
// Deterministic for a seed (dl::RandomState). Example:
//   absl::StatusOr<std::string> dir = dl::DefaultSignsDatasetDir();
//   absl::StatusOr<dl::ImageDataset> train =
//       dl::ReadImageFolder(*dir + "/train");   // labels 0..5 = the digits
//   dl::Matrix X = dl::ImagesToColumns(*train);  // (12288, 1080)

#ifndef DLCOURSE_COMMON_DATA_SIGNS_IMAGES_H_
#define DLCOURSE_COMMON_DATA_SIGNS_IMAGES_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/data/image.h"
#include "common/data/synthetic_images.h"

namespace dl {

inline constexpr int kSignsClasses = 6;
inline constexpr int kSignsTrainCount = 1080;
inline constexpr int kSignsTestCount = 120;

// `count` pictures of size x size (size >= 16), class names "0".."5".
// The labels are balanced: every class gets count / 6 pictures, the first
// count % 6 classes one more; their order is shuffled.
LabeledImages MakeSignsImages(int count, uint32_t seed, int size = 64);

// The course's split as folders: root/train (1080 pictures, seed 1) and
// root/test (120 pictures, seed 2), each with class folders 0/ .. 5/.
// Existing root/train and root/test folders are replaced.
absl::Status WriteSignsDataset(const std::string& root);

// The folder the applications train on by default: <workspace>/data/signs
// (under `bazel run`) or ./data/signs, written with WriteSignsDataset the
// first time, or again when it was written by another version of the
// generator (it says so on stdout).
absl::StatusOr<std::string> DefaultSignsDatasetDir();

// What a program trains and tests on: the pictures of data_dir/train and
// data_dir/test, resized to size x size RGB; data_dir "" means the generated
// set (DefaultSignsDatasetDir). Errors: a folder missing or unreadable,
// train/ and test/ with different class folders, fewer than two classes.
struct SignsSplits {
  std::string dir;  // the folder read: data_dir, or the generated set's
  ImageDataset train;
  ImageDataset test;
};
absl::StatusOr<SignsSplits> ReadSignsSplits(const std::string& data_dir,
                                            int size = 64);

}  // namespace dl

#endif  // DLCOURSE_COMMON_DATA_SIGNS_IMAGES_H_
