// The given code of course3_cnn/transfer_learning's program (mobilenet.h):
// the generated shapes and alpacas, and the pretrained base.

#include "course3_cnn/transfer_learning/mobilenet.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/core/random.h"
#include "common/data/canvas.h"
#include "common/data/image.h"
#include "common/data/synthetic_images.h"
#include "common/nn/weights_file.h"

namespace transfer_learning {
namespace {

using dl::RandomState;
using dl::Rgb;
using dl::RgbCanvas;

constexpr double kPi = 3.14159265358979323846;

// ------------------------------------------------------------ drawing

void Fill(RgbCanvas& canvas, const Rgb& color,
          const std::function<bool(double y, double x)>& inside) {
  for (int y = 0; y < canvas.size(); ++y) {
    for (int x = 0; x < canvas.size(); ++x) {
      if (!inside(y + 0.5, x + 0.5)) continue;
      double* p = canvas.pixel(y, x);
      p[0] = color.r;
      p[1] = color.g;
      p[2] = color.b;
    }
  }
}

Rgb Jitter(const Rgb& c, double amount, RandomState& rng) {
  return {c.r + rng.uniform(-amount, amount),
          c.g + rng.uniform(-amount, amount),
          c.b + rng.uniform(-amount, amount)};
}

Rgb RandomColor(RandomState& rng) {
  return {rng.uniform(0, 255), rng.uniform(0, 255), rng.uniform(0, 255)};
}

double Distance(const Rgb& a, const Rgb& b) {
  return std::sqrt((a.r - b.r) * (a.r - b.r) + (a.g - b.g) * (a.g - b.g) +
                   (a.b - b.b) * (a.b - b.b));
}

bool InEllipse(double y, double x, double cy, double cx, double ry, double rx) {
  const double u = (x - cx) / rx, v = (y - cy) / ry;
  return u * u + v * v < 1;
}

bool InRect(double y, double x, double top, double left, double bottom,
            double right) {
  return y >= top && y < bottom && x >= left && x < right;
}

// The picture as 8-bit pixels in `out` (32 x 32 x 3 floats).
void Store(RgbCanvas& canvas, RandomState& rng, double noise, float* out) {
  canvas.AddNoise(rng, noise);
  const dl::Image image = canvas.ToImage();
  for (size_t k = 0; k < image.pixels.size(); ++k) out[k] = image.pixels[k];
}

// ------------------------------------------------------------- shapes

const char* const kShapeNames[kShapeClasses] = {
    "circle",  "square", "triangle", "ring",     "cross",
    "ellipse", "frame",  "stripes",  "checkers", "dots"};

// Whether (u, v), in the shape's own turned frame around its centre, is
// inside shape `cls` of size r.
bool InShape(int cls, double u, double v, double r, double period) {
  const double d = std::sqrt(u * u + v * v);
  const double box = std::max(std::abs(u), std::abs(v));
  switch (cls) {
    case 0:
      return d < r;
    case 1:
      return box < 0.8 * r;
    case 2: {  // edges' outward normals at -90, 30 and 150 degrees
      for (int k = 0; k < 3; ++k) {
        const double a = -kPi / 2 + k * 2 * kPi / 3;
        if (u * std::cos(a) + v * std::sin(a) > 0.5 * r) return false;
      }
      return true;
    }
    case 3:
      return d < r && d > 0.55 * r;
    case 4:
      return (std::abs(u) < r / 3.5 && std::abs(v) < r) ||
             (std::abs(v) < r / 3.5 && std::abs(u) < r);
    case 5:
      return (u / r) * (u / r) + (v / (0.45 * r)) * (v / (0.45 * r)) < 1;
    case 6:
      return box < 0.85 * r && box > 0.85 * r - 2.5;
    case 7:
      return std::sin(2 * kPi * u / period) > 0;
    case 8:
      return std::sin(2 * kPi * u / period) * std::sin(2 * kPi * v / period) >
             0;
    case 9: {
      const double a =
          std::fmod(std::abs(u) + 100 * period, period) - period / 2;
      const double b =
          std::fmod(std::abs(v) + 100 * period, period) - period / 2;
      return a * a + b * b < 0.08 * period * period;
    }
  }
  return false;
}

void DrawShape(int cls, RandomState& rng, float* out) {
  RgbCanvas canvas(kImageSize);
  const Rgb background = RandomColor(rng);
  Rgb ink = RandomColor(rng);
  while (Distance(ink, background) < 130) ink = RandomColor(rng);
  const double gy = rng.uniform(-1.5, 1.5), gx = rng.uniform(-1.5, 1.5);
  const double cy = 15.5 + rng.uniform(-5, 5), cx = 15.5 + rng.uniform(-5, 5);
  const double r = rng.uniform(6, 11), angle = rng.uniform(0, 2 * kPi);
  const double period = rng.uniform(5, 9);
  const double ca = std::cos(angle), sa = std::sin(angle);
  for (int y = 0; y < kImageSize; ++y) {
    for (int x = 0; x < kImageSize; ++x) {
      const double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
      const double u = ca * dx + sa * dy, v = -sa * dx + ca * dy;
      const bool in = InShape(cls, u, v, r, period);
      const double shade = gy * (y - 15.5) + gx * (x - 15.5);
      const Rgb& c = in ? ink : background;
      double* p = canvas.pixel(y, x);
      p[0] = c.r + shade;
      p[1] = c.g + shade;
      p[2] = c.b + shade;
    }
  }
  Store(canvas, rng, 10, out);
}

// ------------------------------------------------------------ alpacas

// The sky above the horizon, a field below.
void DrawLandscape(RgbCanvas& canvas, double horizon, RandomState& rng) {
  const Rgb sky = Jitter({120, 170, 230}, 25, rng);
  const Rgb field = rng.random_sample() < 0.7 ? Jitter({90, 150, 60}, 30, rng)
                                              : Jitter({170, 150, 90}, 25, rng);
  for (int y = 0; y < kImageSize; ++y) {
    for (int x = 0; x < kImageSize; ++x) {
      double* p = canvas.pixel(y, x);
      const bool above = y + 0.5 < horizon;
      const double t = above ? (horizon - y) / horizon : 0;
      const Rgb c = above ? Rgb{sky.r - 40 * t, sky.g - 30 * t, sky.b - 10 * t}
                          : Rgb{field.r - 2.0 * (y - horizon),
                                field.g - 1.5 * (y - horizon), field.b};
      p[0] = c.r;
      p[1] = c.g;
      p[2] = c.b;
    }
  }
}

// An animal's wool: white, cream, beige, brown, dark brown or grey.
Rgb WoolColor(RandomState& rng) {
  static const Rgb kWool[] = {{235, 232, 222}, {228, 208, 170},
                              {200, 168, 128}, {150, 100, 62},
                              {92, 62, 42},    {165, 162, 158}};
  return Jitter(kWool[rng.randint(0, 6)], 12, rng);
}

// A body on four legs, feet at `feet`; with a long neck and a small head
// on top (an alpaca), or the head at the front of the body (a sheep, a
// dog).
void DrawAnimal(RgbCanvas& canvas, bool long_neck, double feet,
                RandomState& rng) {
  const double s = rng.uniform(0.85, 1.2);
  const double facing = rng.random_sample() < 0.5 ? -1 : 1;
  const double cx = rng.uniform(11, 21);
  const Rgb wool = WoolColor(rng);
  const Rgb legs = {wool.r * 0.8, wool.g * 0.8, wool.b * 0.8};
  const double leg_length = (long_neck ? 6.0 : rng.uniform(3, 4.5)) * s;
  const double body_bottom = feet - leg_length;
  const double by = body_bottom - 3.6 * s;
  const double bx = 6.5 * s * (long_neck ? 1.0 : rng.uniform(0.9, 1.2));
  for (double lx : {-4.5, -2.6, 2.6, 4.5}) {
    const double x = cx + lx * s;
    Fill(canvas, legs, [&](double y, double xx) {
      return InRect(y, xx, body_bottom - 1, x - 0.8 * s, feet, x + 0.8 * s);
    });
  }
  Fill(canvas, wool, [&](double y, double x) {
    return InEllipse(y, x, by, cx, 3.8 * s, bx);
  });
  double head_y = by - 1.0 * s, head_x = cx + facing * (bx + 1.0 * s);
  if (long_neck) {
    const double neck_x = cx + facing * 4.6 * s;
    const double neck_top = by - 11.0 * s;
    Fill(canvas, wool, [&](double y, double x) {
      return InRect(y, x, neck_top, neck_x - 1.6 * s, by, neck_x + 1.6 * s);
    });
    head_y = neck_top;
    head_x = neck_x + facing * 1.4 * s;
  }
  Fill(canvas, wool, [&](double y, double x) {
    return InEllipse(y, x, head_y, head_x, 2.0 * s, 2.8 * s);
  });
  // Ears: two small upright ones on an alpaca, hanging ones otherwise.
  for (double e : {-0.9, 0.9}) {
    const double ex = head_x - facing * 0.8 * s + e * s;
    Fill(canvas, legs, [&](double y, double x) {
      return long_neck ? InRect(y, x, head_y - 4.2 * s, ex - 0.5 * s,
                                head_y - 1.2 * s, ex + 0.5 * s)
                       : InEllipse(y, x, head_y + 0.6 * s, ex - facing * s,
                                   1.5 * s, 0.8 * s);
    });
  }
  const int ey = static_cast<int>(head_y - 0.3 * s);
  const int ex = static_cast<int>(head_x + facing * 1.2 * s);
  if (double* p = canvas.pixel(ey, ex)) p[0] = p[1] = p[2] = 20;
}

void DrawTree(RgbCanvas& canvas, double feet, RandomState& rng) {
  const double cx = rng.uniform(8, 24), h = rng.uniform(7, 11);
  const double w = rng.uniform(1.0, 1.8), r = rng.uniform(5, 8);
  const double squash = rng.uniform(0.8, 1.0);
  Fill(canvas, Jitter({110, 75, 40}, 15, rng), [&](double y, double x) {
    return InRect(y, x, feet - h, cx - w, feet, cx + w);
  });
  Fill(canvas, Jitter({40, 120, 45}, 25, rng), [&](double y, double x) {
    return InEllipse(y, x, feet - h - r * 0.6, cx, r, r * squash);
  });
}

void DrawHouse(RgbCanvas& canvas, double feet, RandomState& rng) {
  const double cx = rng.uniform(10, 22), w = rng.uniform(6, 9);
  const double h = rng.uniform(6, 9), roof = rng.uniform(4, 7);
  Fill(canvas, Jitter({210, 200, 180}, 40, rng), [&](double y, double x) {
    return InRect(y, x, feet - h, cx - w, feet, cx + w);
  });
  Fill(canvas, Jitter({160, 60, 45}, 30, rng), [&](double y, double x) {
    const double top = feet - h - roof;
    return y >= top && y < feet - h &&
           std::abs(x - cx) < (w + 1) * (y - top) / roof;
  });
  Fill(canvas, Jitter({90, 60, 40}, 20, rng), [&](double y, double x) {
    return InRect(y, x, feet - 4, cx - 1, feet, cx + 1.5);
  });
}

void DrawCar(RgbCanvas& canvas, double feet, RandomState& rng) {
  const double cx = rng.uniform(10, 22);
  const Rgb paint = RandomColor(rng);
  Fill(canvas, paint, [&](double y, double x) {
    return InRect(y, x, feet - 6, cx - 7.5, feet - 2, cx + 7.5) ||
           InRect(y, x, feet - 9.5, cx - 4, feet - 6, cx + 3.5);
  });
  Fill(canvas, {25, 25, 25}, [&](double y, double x) {
    return InEllipse(y, x, feet - 2, cx - 4.5, 2.0, 2.0) ||
           InEllipse(y, x, feet - 2, cx + 4.5, 2.0, 2.0);
  });
}

void DrawPerson(RgbCanvas& canvas, double feet, RandomState& rng) {
  const double cx = rng.uniform(9, 23), s = rng.uniform(0.9, 1.2);
  const Rgb shirt = RandomColor(rng);
  Fill(canvas, Jitter({60, 60, 110}, 30, rng), [&](double y, double x) {
    return InRect(y, x, feet - 7 * s, cx - 2 * s, feet, cx - 0.4 * s) ||
           InRect(y, x, feet - 7 * s, cx + 0.4 * s, feet, cx + 2 * s);
  });
  Fill(canvas, shirt, [&](double y, double x) {
    return InRect(y, x, feet - 15 * s, cx - 2.4 * s, feet - 7 * s,
                  cx + 2.4 * s);
  });
  Fill(canvas, Jitter({225, 185, 150}, 30, rng), [&](double y, double x) {
    return InEllipse(y, x, feet - 17.3 * s, cx, 2.3 * s, 2.1 * s);
  });
}

void DrawRock(RgbCanvas& canvas, double feet, RandomState& rng) {
  const double cx = rng.uniform(9, 23), rx = rng.uniform(4, 8);
  const double ry = rng.uniform(3, 6);
  const double wobble[4] = {rng.uniform(0, 0.25), rng.uniform(0, 2 * kPi),
                            rng.uniform(0, 0.2), rng.uniform(0, 2 * kPi)};
  Fill(canvas, Jitter({125, 120, 115}, 25, rng), [&](double y, double x) {
    const double a = std::atan2(y - (feet - ry), x - cx);
    const double k = 1 + wobble[0] * std::sin(3 * a + wobble[1]) +
                     wobble[2] * std::sin(5 * a + wobble[3]);
    return InEllipse(y, x, feet - ry, cx, ry * k, rx * k);
  });
}

void DrawAlpacaScene(bool alpaca, RandomState& rng, float* out) {
  RgbCanvas canvas(kImageSize);
  const double horizon = rng.uniform(10, 18);
  DrawLandscape(canvas, horizon, rng);
  const double feet = rng.uniform(std::max(horizon + 8, 25.0), 31.0);
  if (alpaca) {
    DrawAnimal(canvas, true, feet, rng);
  } else {
    switch (rng.randint(0, 8)) {
      case 0:
      case 1:
        DrawAnimal(canvas, false, feet, rng);  // hard negatives, twice as often
        break;
      case 2:
        DrawTree(canvas, feet, rng);
        break;
      case 3:
        DrawHouse(canvas, feet, rng);
        break;
      case 4:
        DrawCar(canvas, feet, rng);
        break;
      case 5:
        DrawPerson(canvas, feet, rng);
        break;
      case 6:
        DrawRock(canvas, feet, rng);
        break;
      default:
        break;  // the landscape alone
    }
  }
  Store(canvas, rng, 6, out);
}

// --------------------------------------------------------- pretraining

// The cache's version: what the file was trained with.
constexpr char kVersion[] =
    "mobilenet_v2_small v1: 3000 shapes, 8 epochs, Adam 0.01, batch 64, "
    "seed 1; batch statistics of 128 shapes";

// The pictures preprocessed in place (x / 127.5 - 1), as the base sees
// them.
void Preprocess(nn::Array<float>& X) {
  X.vec() = (X.vec().array() / 127.5f - 1.0f).matrix();
}

// Every batch normalization's moving mean and variance set to the mean and
// variance of its input over `X` (one training pass, in which each one
// normalizes with these same statistics): the statistics Keras's moving
// averages (momentum 0.999) would reach after many more steps.
void MeasureBatchStatistics(Model& model, const nn::Array<float>& X) {
  model.Forward(X, /*training=*/true);
  for (int k = 1; k < model.num_layers(); ++k) {
    nn::Layer<float>& layer = model.layer(k);
    if (layer.type() != "BatchNormalization") continue;
    const nn::Array<float>& in =
        model.value(model.GetNode(model.layer(k - 1).name()));
    const auto rows = in.rows_by_last();
    const Eigen::MatrixXd values = rows.cast<double>();
    const Eigen::RowVectorXd mean = values.colwise().mean();
    const Eigen::RowVectorXd var =
        (values.rowwise() - mean).array().square().colwise().mean();
    layer.parameter("moving_mean")->value.vec() =
        mean.transpose().cast<float>();
    layer.parameter("moving_variance")->value.vec() =
        var.transpose().cast<float>();
  }
}

}  // namespace

Pictures generate_shapes(int count, uint32_t seed) {
  Pictures p;
  p.X = nn::Array<float>({count, kImageSize, kImageSize, 3});
  p.class_names.assign(kShapeNames, kShapeNames + kShapeClasses);
  RandomState rng(seed);
  const nn::Index n = nn::Index(kImageSize) * kImageSize * 3;
  for (int i = 0; i < count; ++i) {
    DrawShape(i % kShapeClasses, rng, p.X.data() + i * n);
    p.labels.push_back(i % kShapeClasses);
  }
  return p;
}

Pictures generate_alpacas(int count, uint32_t seed) {
  Pictures p;
  p.X = nn::Array<float>({count, kImageSize, kImageSize, 3});
  p.class_names = {"not alpaca", "alpaca"};
  RandomState rng(seed);
  const nn::Index n = nn::Index(kImageSize) * kImageSize * 3;
  for (int i = 0; i < count; ++i) {
    const int label = (i + 1) % 2;
    DrawAlpacaScene(label == 1, rng, p.X.data() + i * n);
    p.labels.push_back(label);
  }
  return p;
}

std::string pretrained_base_path() {
  return dl::DataDir("transfer_learning") + "/mobilenet_v2_small.bin";
}

absl::StatusOr<Model> pretrained_base(Pretraining* report) {
  Model base = mobilenet_v2({kImageSize, kImageSize, 3}, false, 0, 1);
  const std::string path = pretrained_base_path();
  if (nn::LoadWeights(path, kVersion, base)) {
    if (report != nullptr) report->trained = false;
    return base;
  }
  std::printf(
      "Pretraining the base MobileNetV2 on 3000 generated shapes of %d "
      "classes (once; cached in %s) ...\n",
      kShapeClasses, path.c_str());
  const auto start = std::chrono::steady_clock::now();
  Model net = mobilenet_v2({kImageSize, kImageSize, 3}, true, kShapeClasses, 1);
  net.Compile(nn::Adam(0.01), nn::Loss::kSoftmaxCrossEntropy);
  Pictures train = generate_shapes(3000, 101);
  nn::Array<float>& X = train.X;
  Preprocess(X);
  RandomState rng(2);
  for (int epoch = 0; epoch < 8; ++epoch) {
    const nn::Metrics m = net.TrainEpoch(X, train.labels, 64, rng);
    std::printf("  epoch %d  loss %.4f  accuracy %.3f\n", epoch + 1, m.loss,
                m.accuracy);
  }
  std::vector<int64_t> first(128);
  for (int k = 0; k < 128; ++k) first[k] = k;
  nn::Array<float> sample;
  nn::GatherRows(X, first, 0, first.size(), &sample);
  MeasureBatchStatistics(net, sample);
  Pictures test = generate_shapes(1000, 102);
  Preprocess(test.X);
  const nn::Metrics tested = net.Evaluate(test.X, test.labels);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::printf("  accuracy on 1000 new shapes: %.1f %%\n\n",
              100 * tested.accuracy);
  copy_weights(net, base);
  absl::Status saved = nn::SaveWeights(base, path, kVersion);
  if (!saved.ok()) nn::WarnCacheNotWritten(saved);
  if (report != nullptr) {
    report->trained = true;
    report->seconds = seconds;
    report->test_accuracy = tested.accuracy;
  }
  return base;
}

}  // namespace transfer_learning
