// File: course3_cnn/cnn_app/happy_faces.h
//
// A generated stand-in for the course's "Happy House" set (train_happy.h5 /
// test_happy.h5: people at the door of the house, smiling or not; the .h5
// files cannot be downloaded here). Given code, not graded.
//
//   2 classes "happy" (label 1) / "not_happy" (label 0)   64x64 RGB
//   600 train (seed 1) / 150 test (seed 2), about half of them happy
//
// Each picture is a visitor at the front door of the Happy House: a face in
// a skin tone, with or without hair, with eyes, eyebrows at a random angle
// and a mouth, near the middle, of varying size and tilt, in front of the
// door (its place, colour and window vary), under varying light, with
// camera noise. Happy faces smile (the mouth curves up, sometimes open with
// teeth); the others frown or keep the mouth straight. Everything but the
// mouth is drawn from the SAME distributions for both classes, so a
// classifier has to look at the mouth.
//
// Deterministic for a seed (dl::RandomState). Example:
//   absl::StatusOr<std::string> dir = cnn_app::DefaultHappyDatasetDir();
//   absl::StatusOr<dl::ImageDataset> train =
//       dl::ReadImageFolder(*dir + "/train");  // classes happy, not_happy

#ifndef DLCOURSE_COURSE3_CNN_CNN_APP_HAPPY_FACES_H_
#define DLCOURSE_COURSE3_CNN_CNN_APP_HAPPY_FACES_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/data/synthetic_images.h"

namespace cnn_app {

inline constexpr int kHappyTrainCount = 600;
inline constexpr int kHappyTestCount = 150;

// `count` pictures of size x size (size >= 32), class names
// {"not_happy", "happy"} (label 1 = happy, the course's Y). Labels are
// balanced (count / 2 happy, the odd one not happy), in shuffled order.
dl::LabeledImages MakeHappyImages(int count, uint32_t seed, int size = 64);

// The course's split as folders: root/train (600 pictures, seed 1) and
// root/test (150 pictures, seed 2), each with happy/ and not_happy/.
// Existing root/train and root/test folders are replaced.
absl::Status WriteHappyDataset(const std::string& root);

// The folder the application trains on: <workspace>/data/happy (under
// `bazel run`) or ./data/happy, written with WriteHappyDataset the first
// time, or again when another version of the generator wrote it.
absl::StatusOr<std::string> DefaultHappyDatasetDir();

}  // namespace cnn_app

#endif  // DLCOURSE_COURSE3_CNN_CNN_APP_HAPPY_FACES_H_
