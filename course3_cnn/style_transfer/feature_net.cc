// File: course3_cnn/style_transfer/feature_net.cc
//
// The small VGG, its training on generated texture patches and its
// cache, and the two pictures (see feature_net.h).

#include "course3_cnn/style_transfer/feature_net.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/data/canvas.h"
#include "common/data/synthetic_images.h"
#include "common/nn/weights_file.h"

namespace style_transfer {

namespace {

constexpr int kTrainSize = 32;  // the patches the network learns on
constexpr int kClasses = 16;    // 4 palettes x 4 textures

// The cache's version: what the file was trained with.
constexpr char kVersion[] =
    "style_transfer vgg v2: 64 channels, 1200 patches 32 x 32 of 16 classes, "
    "4 epochs, "
    "Adam 0.001, batches of 32, seeds 5 and 6";

nn::Conv2D ReluConv(int filters, const std::string& name) {
  nn::Conv2D conv(filters, 3, 1, "same");
  conv.activation = "relu";
  conv.kernel_initializer = nn::Initializer::HeNormal();
  return conv.Named(name);
}

// --------------------------------------------------------------- drawing

using dl::Rgb;
using dl::RgbCanvas;

void Blend(RgbCanvas& canvas, int y, int x, Rgb c, double alpha) {
  double* p = canvas.pixel(y, x);
  if (p == nullptr) return;
  p[0] += alpha * (c.r - p[0]);
  p[1] += alpha * (c.g - p[1]);
  p[2] += alpha * (c.b - p[2]);
}

// A disk of radius r (in pixels) around (cy, cx), its edge smoothed.
void Disk(RgbCanvas& canvas, double cy, double cx, double r, Rgb c,
          double alpha = 1) {
  for (int y = int(cy - r) - 1; y <= int(cy + r) + 1; ++y) {
    for (int x = int(cx - r) - 1; x <= int(cx + r) + 1; ++x) {
      const double d = std::hypot(y + 0.5 - cy, x + 0.5 - cx);
      Blend(canvas, y, x, c, alpha * std::clamp(r - d + 0.5, 0.0, 1.0));
    }
  }
}

// A stroke of width w from (y0, x0) to (y1, x1), its edge smoothed.
void Stroke(RgbCanvas& canvas, double y0, double x0, double y1, double x1,
            double w, Rgb c, double alpha = 1) {
  const double dy = y1 - y0, dx = x1 - x0;
  const double len2 = std::max(dy * dy + dx * dx, 1e-9);
  for (int y = int(std::min(y0, y1) - w) - 1;
       y <= int(std::max(y0, y1) + w) + 1; ++y) {
    for (int x = int(std::min(x0, x1) - w) - 1;
         x <= int(std::max(x0, x1) + w) + 1; ++x) {
      const double py = y + 0.5 - y0, px = x + 0.5 - x0;
      const double t = std::clamp((py * dy + px * dx) / len2, 0.0, 1.0);
      const double d = std::hypot(py - t * dy, px - t * dx);
      Blend(canvas, y, x, c, alpha * std::clamp(w / 2 - d + 0.5, 0.0, 1.0));
    }
  }
}

// The pictures as the network's input: (m, n_H, n_W, 3) in [0, 1].
nn::Array<float> ToInput(const std::vector<dl::Image>& images) {
  const int size = images[0].height;
  nn::Array<float> X({static_cast<Index>(images.size()), size, size, 3});
  const Index n = Index(size) * size * 3;
  for (size_t i = 0; i < images.size(); ++i) {
    for (Index k = 0; k < n; ++k) {
      X[i * n + k] = images[i].pixels[k] / 255.0f;
    }
  }
  return X;
}

double Accuracy(Model& model, const nn::Array<float>& X,
                const std::vector<int>& labels) {
  const std::vector<int> predicted = model.PredictClasses(X);
  int right = 0;
  for (size_t i = 0; i < labels.size(); ++i) right += predicted[i] == labels[i];
  return double(right) / labels.size();
}

// ------------------------------------------------- the training pictures

const char* const kPaletteNames[4] = {"blue-yellow", "red-orange", "green",
                                      "purple-pink"};
const char* const kTextureNames[4] = {"stripes", "strokes", "dots", "checks"};

// The four palettes of the patches: three colours each.
constexpr Rgb kPalettes[4][3] = {
    {{25, 45, 110}, {70, 130, 190}, {235, 205, 80}},   // blue and yellow
    {{150, 30, 20}, {230, 110, 40}, {250, 200, 120}},  // red and orange
    {{20, 80, 30}, {90, 160, 60}, {200, 220, 120}},    // greens
    {{70, 30, 100}, {170, 70, 150}, {240, 170, 200}},  // purple and pink
};

Rgb Jitter(Rgb c, dl::RandomState& rng) {
  return {c.r + rng.uniform(-25, 25), c.g + rng.uniform(-25, 25),
          c.b + rng.uniform(-25, 25)};
}

// One patch of `texture` (stripes, strokes, dots, checks) in `palette`.
dl::Image DrawPatch(int size, int palette, int texture, dl::RandomState& rng) {
  RgbCanvas canvas(size);
  Rgb colours[3];
  for (int k = 0; k < 3; ++k) colours[k] = Jitter(kPalettes[palette][k], rng);
  const Rgb background = colours[rng.randint(0, 3)];
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) Blend(canvas, y, x, background, 1);
  }
  const double angle = rng.uniform(0, M_PI);
  const double period = rng.uniform(4, 10);
  if (texture == 0) {  // stripes
    for (int y = 0; y < size; ++y) {
      for (int x = 0; x < size; ++x) {
        const double u = x * std::cos(angle) + y * std::sin(angle);
        const int band = static_cast<int>(std::floor(u / period)) % 3;
        Blend(canvas, y, x, colours[(band + 3) % 3], 1);
      }
    }
  } else if (texture == 1) {  // brush strokes
    for (int k = 0; k < size * size / 12; ++k) {
      const double y = rng.uniform(-2, size + 2), x = rng.uniform(-2, size + 2);
      const double a = angle + rng.uniform(-0.4, 0.4);
      const double len = rng.uniform(3, 7);
      Stroke(canvas, y, x, y + len * std::sin(a), x + len * std::cos(a),
             rng.uniform(1.5, 3), colours[rng.randint(0, 3)], 0.9);
    }
  } else if (texture == 2) {  // dots
    for (int k = 0; k < size * size / 30; ++k) {
      Disk(canvas, rng.uniform(0, size), rng.uniform(0, size),
           rng.uniform(1, 3), colours[rng.randint(0, 3)]);
    }
  } else {  // checks
    const int cell = static_cast<int>(period);
    for (int y = 0; y < size; ++y) {
      for (int x = 0; x < size; ++x) {
        Blend(canvas, y, x, colours[((y / cell) + (x / cell)) % 2 + 1], 1);
      }
    }
  }
  canvas.AddNoise(rng, 6);
  return canvas.ToImage();
}

// The classifier trained on the patches (it prints its accuracy).
Model TrainClassifier() {
  Model classifier = make_vgg(kTrainSize, 5, kClasses);
  classifier.Compile(nn::Adam(0.001), nn::Loss::kSoftmaxCrossEntropy);
  const dl::LabeledImages train = texture_patches(1200, 1, kTrainSize);
  const dl::LabeledImages test = texture_patches(200, 2, kTrainSize);
  const nn::Array<float> X_train = ToInput(train.images);
  const nn::Array<float> X_test = ToInput(test.images);
  dl::RandomState rng(6);
  for (int epoch = 1; epoch <= 4; ++epoch) {
    const nn::Metrics m = classifier.TrainEpoch(X_train, train.labels, 32, rng);
    std::printf("  epoch %d: loss %.4f, train accuracy %.3f\n", epoch, m.loss,
                m.accuracy);
  }
  std::printf("  test accuracy %.3f (200 new patches)\n",
              Accuracy(classifier, X_test, test.labels));
  return classifier;
}

// Copies every parameter of `to` from the parameter of `from` with the same
// name ("block1_conv1/kernel", ...).
void CopyWeights(Model& from, Model& to) {
  std::map<std::string, nn::Parameter<float>*> by_name;
  for (const auto& p : from.Parameters()) by_name[p.name] = p.parameter;
  for (const auto& p : to.Parameters()) {
    p.parameter->value = by_name.at(p.name)->value;
  }
}

Tensor<4> ToPicture(RgbCanvas& canvas) {
  const int size = canvas.size();
  Tensor<4> t(1, size, size, 3);
  const std::vector<double>& v = canvas.values();
  for (Index i = 0; i < t.size(); ++i) {
    t.data()[i] = std::clamp(v[i], 0.0, 255.0) / 255.0;
  }
  return t;
}

}  // namespace

dl::LabeledImages texture_patches(int count, uint32_t seed, int size) {
  dl::RandomState rng(seed);
  dl::LabeledImages data;
  for (int p = 0; p < 4; ++p) {
    for (int t = 0; t < 4; ++t) {
      data.class_names.push_back(std::string(kPaletteNames[p]) + " " +
                                 kTextureNames[t]);
    }
  }
  for (int i = 0; i < count; ++i) {
    const int label = i % kClasses;
    data.images.push_back(DrawPatch(size, label / 4, label % 4, rng));
    data.labels.push_back(label);
  }
  return data;
}

Model make_vgg(int size, uint32_t seed, int classes) {
  Model vgg("vgg", seed);
  vgg.Input({size, size, 3}, "input");
  const int filters[5] = {64, 64, 64, 64, 64};
  for (int block = 1; block <= 5; ++block) {
    const std::string b = "block" + std::to_string(block);
    vgg.Add(ReluConv(filters[block - 1], b + "_conv1"));
    if (block <= 2 || block == 5) {
      vgg.Add(ReluConv(filters[block - 1], b + "_conv2"));
    }
    if (block < 5) vgg.Add(nn::MaxPool2D(2).Named(b + "_pool"));
  }
  if (classes > 0) {
    vgg.Add(nn::GlobalAveragePooling2D());
    vgg.Add(nn::Dense(classes));
  } else {
    // The course's vgg.trainable = False: the backward pass then computes
    // the gradient for the picture only.
    for (const auto& p : vgg.Parameters()) p.parameter->trainable = false;
  }
  return vgg;
}

absl::StatusOr<Model> pretrained_vgg(int size) {
  const std::string path = dl::DataDir("style_transfer") + "/vgg.bin";
  Model classifier = make_vgg(kTrainSize, 5, kClasses);
  if (!nn::LoadWeights(path, kVersion, classifier)) {
    std::printf(
        "Training the feature network on generated texture patches "
        "(once; cached in %s) ...\n",
        path.c_str());
    classifier = TrainClassifier();
    absl::Status saved = nn::SaveWeights(classifier, path, kVersion);
    if (!saved.ok()) nn::WarnCacheNotWritten(saved);
  }
  Model vgg = make_vgg(size, 5);
  CopyWeights(classifier, vgg);
  return vgg;
}

Tensor<4> content_picture(int size) {
  RgbCanvas canvas(size);
  const double s = size / 128.0;  // drawn on 128 x 128, scaled
  const int horizon = int(78 * s);
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      double* p = canvas.pixel(y, x);
      if (y < horizon) {  // the sky, lighter towards the horizon
        const double t = double(y) / horizon;
        p[0] = 90 + 120 * t, p[1] = 140 + 90 * t, p[2] = 215 + 30 * t;
      } else {  // the square, darker towards the front
        const double t = double(y - horizon) / (size - horizon);
        p[0] = 190 - 60 * t, p[1] = 180 - 60 * t, p[2] = 165 - 55 * t;
      }
    }
  }
  Disk(canvas, 22 * s, 100 * s, 9 * s, {255, 240, 190});  // the sun
  // The palace behind: a long wall with two rows of windows and a roof.
  const Rgb stone{214, 190, 140}, window{120, 100, 80}, roof{110, 120, 135};
  for (int y = int(48 * s); y < horizon; ++y) {
    for (int x = 0; x < size; ++x) Blend(canvas, y, x, stone, 1);
  }
  for (int x = 0; x < size; ++x) {
    for (int y = int(40 * s); y < int(48 * s); ++y) {
      Blend(canvas, y, x, roof, 1);
    }
  }
  for (double x = 4 * s; x < size; x += 10 * s) {
    for (double row : {53.0, 64.0}) {
      Stroke(canvas, row * s, x + 2 * s, (row + 5) * s, x + 2 * s, 3 * s,
             window);
    }
  }
  // The glass pyramid: a triangle of blue glass with its lighter frame.
  const double apex_y = 36 * s, base_y = 96 * s, cx = 64 * s, half = 40 * s;
  for (int y = int(apex_y); y < int(base_y); ++y) {
    const double w = half * (y + 0.5 - apex_y) / (base_y - apex_y);
    for (int x = int(cx - w); x <= int(cx + w); ++x) {
      const bool left = x < cx;
      Blend(canvas, y, x, left ? Rgb{95, 130, 165} : Rgb{140, 175, 205}, 0.9);
    }
  }
  const Rgb frame{225, 235, 240};
  for (int k = 1; k < 6; ++k) {  // horizontal bars
    const double y = apex_y + k * (base_y - apex_y) / 6;
    const double w = half * k / 6;
    Stroke(canvas, y, cx - w, y, cx + w, 0.8 * s, frame, 0.8);
  }
  for (int k = -3; k <= 3; ++k) {  // bars from the apex to the base
    Stroke(canvas, apex_y, cx, base_y, cx + k * half / 3, 0.8 * s, frame, 0.8);
  }
  return ToPicture(canvas);
}

Tensor<4> style_picture(int size, uint32_t seed) {
  RgbCanvas canvas(size);
  dl::RandomState rng(seed);
  const double s = size / 128.0;
  const Rgb palette[] = {{25, 45, 110},  {45, 85, 160},  {70, 130, 190},
                         {20, 30, 70},   {235, 205, 80}, {245, 235, 170},
                         {60, 140, 150}, {190, 150, 60}};
  for (double& v : canvas.values()) v = 40;
  // Two swirls: the strokes turn around their centres.
  const double centres[2][2] = {{40 * s, 45 * s}, {85 * s, 95 * s}};
  for (int k = 0; k < 900; ++k) {
    const double y = rng.uniform(-4, size + 4), x = rng.uniform(-4, size + 4);
    double angle = 0.3;
    double nearest = 1e9;
    for (const auto& c : centres) {
      const double d = std::hypot(y - c[0], x - c[1]);
      if (d < nearest) {
        nearest = d;
        angle = std::atan2(y - c[0], x - c[1]) + M_PI / 2;
      }
    }
    const Rgb colour =
        palette[nearest < 22 * s ? 4 + rng.randint(0, 2) : rng.randint(0, 8)];
    const double len = rng.uniform(10, 20) * s, w = rng.uniform(4, 7) * s;
    Stroke(canvas, y, x, y + len * std::sin(angle), x + len * std::cos(angle),
           w, colour, 0.85);
  }
  for (int k = 0; k < 6; ++k) {  // stars
    Disk(canvas, rng.uniform(0, size), rng.uniform(0, size),
         rng.uniform(3, 5) * s, {250, 230, 120}, 0.9);
  }
  return ToPicture(canvas);
}

dl::Image ToImage(const Tensor<4>& picture) {
  dl::Image image;
  image.height = static_cast<int>(picture.dimension(1));
  image.width = static_cast<int>(picture.dimension(2));
  image.channels = 3;
  image.pixels.resize(picture.size());
  for (Index i = 0; i < picture.size(); ++i) {
    image.pixels[i] = static_cast<uint8_t>(
        std::lround(255 * std::clamp(picture.data()[i], 0.0, 1.0)));
  }
  return image;
}

}  // namespace style_transfer
