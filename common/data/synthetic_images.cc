#include "common/data/synthetic_images.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "common/core/random.h"
#include "common/data/canvas.h"

namespace dl {
namespace {

// The shared canvas, blending the way the cats are drawn.
class Canvas : public RgbCanvas {
 public:
  using RgbCanvas::RgbCanvas;
  void set(int y, int x, Rgb c, double alpha = 1) {
    double* p = pixel(y, x);
    if (p == nullptr) return;
    p[0] = (1 - alpha) * p[0] + alpha * c.r;
    p[1] = (1 - alpha) * p[1] + alpha * c.g;
    p[2] = (1 - alpha) * p[2] + alpha * c.b;
  }
};

Rgb random_colour(RandomState& rng) {
  return {rng.uniform(0, 255), rng.uniform(0, 255), rng.uniform(0, 255)};
}

Rgb cat_colour(RandomState& rng) {
  static const Rgb kFur[] = {{222, 140, 60}, {160, 100, 55},  {130, 130, 135},
                             {45, 40, 40},   {235, 215, 180}, {200, 120, 40}};
  const Rgb base = kFur[rng.randint(0, 6)];
  auto jitter = [&](double v) {
    return std::clamp(v + rng.uniform(-20, 20), 0.0, 255.0);
  };
  return {jitter(base.r), jitter(base.g), jitter(base.b)};
}

// A vertical or horizontal gradient between two colours, plus noise.
void background(Canvas& c, RandomState& rng) {
  const Rgb a = random_colour(rng), b = random_colour(rng);
  const bool vertical = rng.random_sample() < 0.5;
  const int n = c.size();
  for (int y = 0; y < n; ++y) {
    for (int x = 0; x < n; ++x) {
      const double t = (vertical ? y : x) / double(n - 1);
      c.set(y, x,
            {a.r + t * (b.r - a.r), a.g + t * (b.g - a.g),
             a.b + t * (b.b - a.b)});
    }
  }
}

void ellipse(Canvas& c, double cy, double cx, double ry, double rx, Rgb col) {
  for (int y = int(cy - ry) - 1; y <= int(cy + ry) + 1; ++y) {
    for (int x = int(cx - rx) - 1; x <= int(cx + rx) + 1; ++x) {
      const double dy = (y - cy) / ry, dx = (x - cx) / rx;
      if (dy * dy + dx * dx <= 1) c.set(y, x, col);
    }
  }
}

// A filled triangle by its three corners (y, x).
void triangle(Canvas& c, double y0, double x0, double y1, double x1, double y2,
              double x2, Rgb col) {
  const int ymin = int(std::floor(std::min({y0, y1, y2})));
  const int ymax = int(std::ceil(std::max({y0, y1, y2})));
  const int xmin = int(std::floor(std::min({x0, x1, x2})));
  const int xmax = int(std::ceil(std::max({x0, x1, x2})));
  auto edge = [](double ay, double ax, double by, double bx, double py,
                 double px) {
    return (bx - ax) * (py - ay) - (by - ay) * (px - ax);
  };
  for (int y = ymin; y <= ymax; ++y) {
    for (int x = xmin; x <= xmax; ++x) {
      const double e0 = edge(y0, x0, y1, x1, y, x);
      const double e1 = edge(y1, x1, y2, x2, y, x);
      const double e2 = edge(y2, x2, y0, x0, y, x);
      if ((e0 >= 0 && e1 >= 0 && e2 >= 0) || (e0 <= 0 && e1 <= 0 && e2 <= 0)) {
        c.set(y, x, col);
      }
    }
  }
}

// A round head: cats get pointed ears, eyes and a nose.
void head(Canvas& c, RandomState& rng, bool ears) {
  const int n = c.size();
  const double r = rng.uniform(0.17, 0.27) * n;
  const double cy = n * 0.55 + rng.uniform(-0.12, 0.12) * n;
  const double cx = n * 0.5 + rng.uniform(-0.15, 0.15) * n;
  const Rgb fur =
      ears ? cat_colour(rng)
           : (rng.random_sample() < 0.5 ? cat_colour(rng) : random_colour(rng));
  if (ears) {
    for (int side : {-1, 1}) {
      const double bx = cx + side * r * 0.75;
      triangle(c, cy - r * 0.35, bx - side * r * 0.45, cy - r * 0.35,
               bx + side * r * 0.25, cy - r * 1.45, bx + side * r * 0.1, fur);
    }
  }
  ellipse(c, cy, cx, r * 0.9, r, fur);
  const Rgb eye =
      rng.random_sample() < 0.5 ? Rgb{40, 160, 60} : Rgb{230, 190, 40};
  for (int side : {-1, 1}) {
    ellipse(c, cy - r * 0.15, cx + side * r * 0.4, r * 0.18, r * 0.14, eye);
    ellipse(c, cy - r * 0.15, cx + side * r * 0.4, r * 0.14, r * 0.05,
            {10, 10, 10});
  }
  if (ears) {
    triangle(c, cy + r * 0.15, cx - r * 0.12, cy + r * 0.15, cx + r * 0.12,
             cy + r * 0.3, cx, {230, 130, 140});
  }
}

void clutter(Canvas& c, RandomState& rng) {
  const int n = c.size();
  const int kind = static_cast<int>(rng.randint(0, 3));
  const Rgb col = random_colour(rng);
  if (kind == 0) {  // a box
    const double y = rng.uniform(0.1, 0.6) * n, x = rng.uniform(0.1, 0.6) * n;
    const double h = rng.uniform(0.2, 0.4) * n, w = rng.uniform(0.2, 0.4) * n;
    for (int yy = int(y); yy < int(y + h); ++yy)
      for (int xx = int(x); xx < int(x + w); ++xx) c.set(yy, xx, col);
  } else if (kind == 1) {  // stripes
    const int period = static_cast<int>(rng.randint(4, 12));
    for (int y = 0; y < n; ++y)
      for (int x = 0; x < n; ++x)
        if ((x + y) % period < period / 2) c.set(y, x, col, 0.6);
  } else {  // blobs
    const int count = static_cast<int>(rng.randint(2, 6));
    for (int i = 0; i < count; ++i) {
      ellipse(c, rng.uniform(0, n), rng.uniform(0, n), rng.uniform(3, 10),
              rng.uniform(3, 10), random_colour(rng));
    }
  }
}

void noise(Canvas& c, RandomState& rng, double sigma) {
  for (double& v : c.values()) v += sigma * rng.standard_normal();
}

}  // namespace

LabeledImages MakeCatImages(int count, uint32_t seed, int size) {
  RandomState rng(seed);
  LabeledImages data;
  data.class_names = {"non-cat", "cat"};
  for (int i = 0; i < count; ++i) {
    Canvas c(size);
    background(c, rng);
    const bool cat = rng.random_sample() < 0.35;
    if (rng.random_sample() < 0.4) clutter(c, rng);
    if (cat) {
      head(c, rng, /*ears=*/true);
    } else if (rng.random_sample() < 0.5) {
      head(c, rng, /*ears=*/false);  // a round face without ears
    } else {
      clutter(c, rng);
    }
    noise(c, rng, 8);
    data.images.push_back(c.ToImage());
    data.labels.push_back(cat ? 1 : 0);
  }
  return data;
}

absl::Status WriteImageFolder(const std::string& root,
                              const LabeledImages& data) {
  namespace fs = std::filesystem;
  for (const std::string& name : data.class_names) {
    std::error_code ec;
    fs::create_directories(fs::path(root) / name, ec);
    if (ec) {
      return absl::PermissionDeniedError("cannot create folder " +
                                         (fs::path(root) / name).string() +
                                         ": " + ec.message());
    }
  }
  for (size_t i = 0; i < data.images.size(); ++i) {
    char file[32];
    std::snprintf(file, sizeof file, "%04zu.png", i);
    const fs::path path =
        fs::path(root) / data.class_names[data.labels[i]] / file;
    absl::Status s = SavePng(path.string(), data.images[i]);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status WriteCatDataset(const std::string& root) {
  absl::Status s = WriteImageFolder(root + "/train", MakeCatImages(209, 1));
  if (!s.ok()) return s;
  return WriteImageFolder(root + "/test", MakeCatImages(50, 2));
}

absl::Status WriteSplitDataset(const std::string& root,
                               const LabeledImages& train,
                               const LabeledImages& test,
                               const std::string& version) {
  namespace fs = std::filesystem;
  for (const char* split : {"train", "test"}) {
    std::error_code ec;
    fs::remove_all(fs::path(root) / split, ec);
    if (ec) {
      return absl::PermissionDeniedError("cannot replace " +
                                         (fs::path(root) / split).string() +
                                         ": " + ec.message());
    }
  }
  absl::Status s = WriteImageFolder(root + "/train", train);
  if (!s.ok()) return s;
  s = WriteImageFolder(root + "/test", test);
  if (!s.ok()) return s;
  std::ofstream out(fs::path(root) / "VERSION");
  out << version << "\n";
  if (!out) {
    return absl::PermissionDeniedError("cannot write " + root + "/VERSION");
  }
  return absl::OkStatus();
}

std::string DataDir(const std::string& name) {
  const char* workspace = std::getenv("BUILD_WORKSPACE_DIRECTORY");
  return (std::filesystem::path(workspace ? workspace : ".") / "data" / name)
      .string();
}

absl::StatusOr<std::string> GeneratedDatasetDir(
    const std::string& name, const std::string& version,
    const std::string& what,
    const std::function<absl::Status(const std::string& root)>& write) {
  namespace fs = std::filesystem;
  const fs::path dir = DataDir(name);
  bool stale = !fs::exists(dir / "train") || !fs::exists(dir / "test");
  if (!version.empty()) {
    std::string written;
    std::ifstream in(dir / "VERSION");
    std::getline(in, written);
    stale = stale || written != version;
  }
  if (stale) {
    std::printf("Generating %s in %s ...\n", what.c_str(), dir.c_str());
    absl::Status s = write(dir.string());
    if (!s.ok()) return s;
  }
  return dir.string();
}

absl::StatusOr<std::string> DefaultCatDatasetDir() {
  return GeneratedDatasetDir("catvnoncat", /*version=*/"",
                             "the cat / non-cat pictures", WriteCatDataset);
}

absl::StatusOr<BinaryImageSplit> LoadBinaryImageSplit(
    const std::string& folder, const std::string& positive, int size) {
  ImageFolderOptions options;
  options.height = options.width = size;
  options.resize = true;
  absl::StatusOr<ImageDataset> d = ReadImageFolder(folder, options);
  if (!d.ok()) return d.status();
  int positive_label = -1;
  std::string names;
  for (size_t i = 0; i < d->class_names.size(); ++i) {
    if (d->class_names[i] == positive) positive_label = static_cast<int>(i);
    names += (i ? ", " : "") + d->class_names[i];
  }
  if (d->class_names.size() != 2 || positive_label < 0) {
    return absl::InvalidArgumentError(
        folder + " must hold exactly two class folders, one of them named '" +
        positive + "'; found: " + names);
  }
  BinaryImageSplit split;
  split.X = ImagesToColumns(*d);
  split.Y = Matrix(1, d->size());
  for (int i = 0; i < d->size(); ++i) {
    split.Y(0, i) = d->labels[i] == positive_label ? 1.0 : 0.0;
  }
  return split;
}

absl::StatusOr<BinaryImageSplits> ReadBinaryImageSplits(
    const std::string& data_dir, const std::string& positive, int size) {
  BinaryImageSplits splits;
  splits.dir = data_dir;
  if (splits.dir.empty()) {
    absl::StatusOr<std::string> dir = DefaultCatDatasetDir();
    if (!dir.ok()) return dir.status();
    splits.dir = *dir;
  }
  absl::StatusOr<BinaryImageSplit> train =
      LoadBinaryImageSplit(splits.dir + "/train", positive, size);
  if (!train.ok()) return train.status();
  absl::StatusOr<BinaryImageSplit> test =
      LoadBinaryImageSplit(splits.dir + "/test", positive, size);
  if (!test.ok()) return test.status();
  splits.train = *std::move(train);
  splits.test = *std::move(test);
  return splits;
}

}  // namespace dl
