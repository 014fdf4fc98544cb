// File: common/data/synthetic_images.h
//
// Image data sets the project draws itself, for the units whose course data
// cannot be downloaded here. Deterministic for a seed (dl::RandomState).
//
// The cat / non-cat stand-in (course 1, weeks 2 and 4): 64x64 RGB pictures.
//   "cat"     a furry face: a round head in a cat colour (ginger, brown,
//             grey, black, cream) with two pointed ears and two eyes,
//             anywhere near the middle, of varying size.
//   "non-cat" other things: round heads WITHOUT ears (hard negatives),
//             boxes, stripes, blobs, in any colour.
// The backgrounds (gradients and noise) are the same for both classes. A
// pixel-level classifier such as logistic regression learns it well but
// not perfectly, as on the course's set (train 99 %, test 70 %).

#ifndef DLCOURSE_COMMON_DATA_SYNTHETIC_IMAGES_H_
#define DLCOURSE_COMMON_DATA_SYNTHETIC_IMAGES_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/data/image.h"

namespace dl {

struct LabeledImages {
  std::vector<std::string> class_names;  // label = index
  std::vector<Image> images;
  std::vector<int> labels;
};

// `count` pictures, about a third of them cats, from the generator's seed.
LabeledImages MakeCatImages(int count, uint32_t seed, int size = 64);

// Writes root/<class_name>/<index>.png for every image (folders created).
absl::Status WriteImageFolder(const std::string& root,
                              const LabeledImages& data);

// A generated train / test split as folders: root/train and root/test
// (replaced if they exist, class folders inside), and root/VERSION holding
// `version`, the generator's version (see GeneratedDatasetDir).
absl::Status WriteSplitDataset(const std::string& root,
                               const LabeledImages& train,
                               const LabeledImages& test,
                               const std::string& version);

// The folder of generated or cached data called `name`:
// <workspace>/data/<name> under `bazel run` (BUILD_WORKSPACE_DIRECTORY),
// else ./data/<name>. Not created here.
std::string DataDir(const std::string& name);

// The folder of a generated data set the applications train on by default:
// <workspace>/data/<name> (under `bazel run`) or ./data/<name>. When
// train/ or test/ is missing there, or (for a non-empty `version`)
// data/<name>/VERSION differs from `version`, it prints "Generating <what>
// in <folder> ..." and calls write(folder) first.
absl::StatusOr<std::string> GeneratedDatasetDir(
    const std::string& name, const std::string& version,
    const std::string& what,
    const std::function<absl::Status(const std::string& root)>& write);

// The course's split as folders: root/train (209 pictures, seed 1) and
// root/test (50 pictures, seed 2), each with cat/ and non-cat/ inside.
absl::Status WriteCatDataset(const std::string& root);

// The folder the course-1 applications train on by default:
// <workspace>/data/catvnoncat (under `bazel run`) or ./data/catvnoncat,
// written with WriteCatDataset the first time (it says so on stdout).
absl::StatusOr<std::string> DefaultCatDatasetDir();

// One split of a two-class image folder in the course's layout.
struct BinaryImageSplit {
  Matrix X;  // (h*w*c, m): pixels / 255, one picture per column
  Matrix Y;  // (1, m): 1 for the positive class, 0 for the other
};

// Reads folder/<class>/* (exactly two classes, one named `positive`), every
// picture resized to size x size RGB. Errors name the folder or file.
absl::StatusOr<BinaryImageSplit> LoadBinaryImageSplit(
    const std::string& folder, const std::string& positive, int size);

// What a course-1 program trains and tests on: data_dir/train and
// data_dir/test read with LoadBinaryImageSplit; data_dir "" means the
// generated cats (DefaultCatDatasetDir).
struct BinaryImageSplits {
  std::string dir;  // the folder read: data_dir, or the generated set's
  BinaryImageSplit train;
  BinaryImageSplit test;
};
absl::StatusOr<BinaryImageSplits> ReadBinaryImageSplits(
    const std::string& data_dir, const std::string& positive, int size);

}  // namespace dl

#endif  // DLCOURSE_COMMON_DATA_SYNTHETIC_IMAGES_H_
