// File: course3_cnn/car_detection/detector.cc
//
// The anchors, the tiny YOLO network, its loss and training, and its cache
// (see detector.h).

#include "course3_cnn/car_detection/detector.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <vector>

#include "common/data/synthetic_images.h"
#include "common/nn/weights_file.h"

namespace car_detection {
namespace {

constexpr int kValues = 5 + kNumClasses;  // per anchor: t_x .. t_o, classes
constexpr double kObjectScale = 5, kNoObjectScale = 1;
constexpr double kIgnoreIou = 0.6;

// The training the cache holds.
constexpr int kEpochs = 8, kSlowEpochs = 3, kBatchSize = 32;
constexpr double kLearningRate = 0.003, kSlowLearningRate = 0.0005;
constexpr char kVersion[] =
    "car detector v2: scenes 0..1999 64x64, strided first convolution, 8x8 "
    "grid, 3 anchors, 8 + 3 epochs";

double Sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// IoU of two sizes centred at the origin.
double ShapeIou(double w1, double h1, double w2, double h2) {
  const double inter = std::min(w1, w2) * std::min(h1, h2);
  return inter / (w1 * h1 + w2 * h2 - inter);
}

// IoU of two boxes given by centre and size.
double CentreIou(double x1, double y1, double w1, double h1, double x2,
                 double y2, double w2, double h2) {
  const double w =
      std::min(x1 + w1 / 2, x2 + w2 / 2) - std::max(x1 - w1 / 2, x2 - w2 / 2);
  const double h =
      std::min(y1 + h1 / 2, y2 + h2 / 2) - std::max(y1 - h1 / 2, y2 - h2 / 2);
  const double inter = std::max(w, 0.0) * std::max(h, 0.0);
  return inter / (w1 * h1 + w2 * h2 - inter);
}

nn::Conv2D Conv(int filters, int size) {
  return nn::Conv2D(filters, size, 1, "same");
}

std::string CachePath() {
  return dl::DataDir("car_detection") + "/detector.bin";
}

// The version line, the anchors, then per parameter its size and floats.
absl::Status Save(Detector& d, const std::string& path) {
  std::error_code error;  // a failure shows as the stream's below
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(),
                                      error);
  std::ofstream out(path, std::ios::binary);
  out << kVersion << "\n";
  out.write(reinterpret_cast<const char*>(d.anchors.data()),
            d.anchors.size() * sizeof(double));
  for (const auto& p : d.model.Parameters()) {
    const int64_t n = p.parameter->value.size();
    out.write(reinterpret_cast<const char*>(&n), sizeof n);
    out.write(reinterpret_cast<const char*>(p.parameter->value.data()),
              n * sizeof(float));
  }
  out.close();
  if (!out) return absl::InternalError("cannot write " + path);
  return absl::OkStatus();
}

// False when the file is missing, from another version or damaged.
bool Load(const std::string& path, Detector& d) {
  std::ifstream in(path, std::ios::binary);
  std::string version;
  if (!std::getline(in, version) || version != kVersion) return false;
  d.anchors.resize(kAnchors, 2);
  in.read(reinterpret_cast<char*>(d.anchors.data()),
          d.anchors.size() * sizeof(double));
  for (const auto& p : d.model.Parameters()) {
    int64_t n = 0;
    in.read(reinterpret_cast<char*>(&n), sizeof n);
    if (!in || n != p.parameter->value.size()) return false;
    in.read(reinterpret_cast<char*>(p.parameter->value.data()),
            n * sizeof(float));
    if (!in) return false;
  }
  return in.peek() == std::char_traits<char>::eof();
}

}  // namespace

Matrix compute_anchors(const std::vector<std::vector<Object>>& objects, int k,
                       int grid) {
  std::vector<std::array<double, 2>> sizes;
  for (const auto& list : objects) {
    for (const Object& o : list) sizes.push_back({o.w * grid, o.h * grid});
  }
  if (sizes.size() < static_cast<size_t>(k) || k < 1) {
    throw std::invalid_argument("compute_anchors: too few boxes");
  }
  // Start from the sizes at the quantiles of the aspect ratio w / h.
  std::vector<std::array<double, 2>> by_aspect = sizes;
  std::stable_sort(
      by_aspect.begin(), by_aspect.end(),
      [](const auto& a, const auto& b) { return a[0] / a[1] < b[0] / b[1]; });
  Matrix anchors(k, 2);
  for (int c = 0; c < k; ++c) {
    const auto& s = by_aspect[(2 * c + 1) * by_aspect.size() / (2 * k)];
    anchors.row(c) << s[0], s[1];
  }
  for (int iteration = 0; iteration < 100; ++iteration) {
    Matrix sum = Matrix::Zero(k, 2);
    std::vector<int> count(k, 0);
    for (const auto& s : sizes) {
      int best = 0;
      double best_iou = -1;
      for (int c = 0; c < k; ++c) {
        const double iou = ShapeIou(s[0], s[1], anchors(c, 0), anchors(c, 1));
        if (iou > best_iou) best_iou = iou, best = c;
      }
      sum(best, 0) += s[0];
      sum(best, 1) += s[1];
      ++count[best];
    }
    for (int c = 0; c < k; ++c) {
      if (count[c] > 0) anchors.row(c) = sum.row(c) / count[c];
    }
  }
  // Smallest area first.
  std::vector<int> order(k);
  for (int c = 0; c < k; ++c) order[c] = c;
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return anchors(a, 0) * anchors(a, 1) < anchors(b, 0) * anchors(b, 1);
  });
  Matrix sorted(k, 2);
  for (int c = 0; c < k; ++c) sorted.row(c) = anchors.row(order[c]);
  return sorted;
}

Model make_detector(uint32_t seed) {
  Model model("tiny_yolo", seed);
  model.Input({kSceneSize, kSceneSize, 3});
  // 64 -> 32 by a convolution of stride 2: at full size, a convolution and
  // a max pool would cost three times as much, for no better boxes.
  model.Add(nn::Conv2D(16, 3, 2, "same"));
  model.Add(nn::BatchNormalization(3));
  model.Add(nn::ReLU());
  for (int filters : {32, 64}) {  // 32 -> 16 -> 8
    model.Add(Conv(filters, 3));
    model.Add(nn::BatchNormalization(3));
    model.Add(nn::ReLU());
    model.Add(nn::MaxPool2D(2));
  }
  model.Add(Conv(64, 3));
  model.Add(nn::BatchNormalization(3));
  model.Add(nn::ReLU());
  model.Add(Conv(kAnchors * kValues, 1));
  // Objectness starts low (sigmoid(-4) = 0.018): most detectors see no
  // object, and the no-object term would otherwise swamp the first steps.
  nn::Array<float>& bias =
      model.layer(model.num_layers() - 1).parameter("bias")->value;
  for (int a = 0; a < kAnchors; ++a) bias[a * kValues + 4] = -4.0f;
  return model;
}

double yolo_loss(const nn::Array<float>& output,
                 const std::vector<YoloTargets>& targets,
                 const std::vector<Matrix>& boxes, const Matrix& anchors,
                 nn::Array<float>* doutput) {
  const Index m = output.dim(0), S = output.dim(1);
  doutput->Resize(output.shape());
  doutput->SetZero();
  double loss = 0;
  for (Index b = 0; b < m; ++b) {
    const Tensor<4>& mask = targets[b].detectors_mask;
    const Tensor<4>& match = targets[b].matching_true_boxes;
    const Matrix& truth = boxes[b];
    for (Index i = 0; i < S; ++i) {
      for (Index j = 0; j < S; ++j) {
        for (Index a = 0; a < kAnchors; ++a) {
          const Index at = (((b * S + i) * S + j) * kAnchors + a) * kValues;
          const float* t = output.data() + at;
          float* d = doutput->data() + at;
          const double sx = Sigmoid(t[0]), sy = Sigmoid(t[1]);
          const double so = Sigmoid(t[4]);
          if (mask(i, j, a, 0) > 0) {
            loss += kObjectScale * -std::log(std::max(so, 1e-12));
            d[4] = static_cast<float>(kObjectScale * (so - 1));
            const double ex = sx - match(i, j, a, 0);
            const double ey = sy - match(i, j, a, 1);
            const double ew = t[2] - match(i, j, a, 2);
            const double eh = t[3] - match(i, j, a, 3);
            loss += ex * ex + ey * ey + ew * ew + eh * eh;
            d[0] = static_cast<float>(2 * ex * sx * (1 - sx));
            d[1] = static_cast<float>(2 * ey * sy * (1 - sy));
            d[2] = static_cast<float>(2 * ew);
            d[3] = static_cast<float>(2 * eh);
            const int cls = static_cast<int>(match(i, j, a, 4));
            double largest = t[5];
            for (int c = 1; c < kNumClasses; ++c) {
              largest = std::max<double>(largest, t[5 + c]);
            }
            double sum = 0;
            for (int c = 0; c < kNumClasses; ++c) {
              sum += std::exp(t[5 + c] - largest);
            }
            for (int c = 0; c < kNumClasses; ++c) {
              const double p = std::exp(t[5 + c] - largest) / sum;
              d[5 + c] = static_cast<float>(p - (c == cls));
              if (c == cls) loss += -std::log(std::max(p, 1e-12));
            }
            continue;
          }
          // No object here: unless the predicted box already overlaps a
          // true one well, its confidence is pushed towards 0.
          const double px = sx + j, py = sy + i;
          const double pw =
              std::exp(std::min<double>(t[2], 10)) * anchors(a, 0);
          const double ph =
              std::exp(std::min<double>(t[3], 10)) * anchors(a, 1);
          double best = 0;
          for (Index n = 0; n < truth.rows(); ++n) {
            best = std::max(best, CentreIou(px, py, pw, ph, truth(n, 0) * S,
                                            truth(n, 1) * S, truth(n, 2) * S,
                                            truth(n, 3) * S));
          }
          if (best >= kIgnoreIou) continue;
          loss += kNoObjectScale * -std::log(std::max(1 - so, 1e-12));
          d[4] = static_cast<float>(kNoObjectScale * so);
        }
      }
    }
  }
  doutput->vec() /= static_cast<float>(m);
  return loss / m;
}

std::vector<double> train_detector(Model& model, const Scenes& scenes,
                                   const Matrix& anchors, int epochs,
                                   int batch_size, dl::RandomState& rng) {
  const int m = static_cast<int>(scenes.objects.size());
  std::vector<Matrix> boxes;
  std::vector<YoloTargets> targets;
  for (const auto& list : scenes.objects) {
    boxes.push_back(true_boxes(list));
    targets.push_back(
        reference::preprocess_true_boxes(boxes.back(), anchors, kGrid));
  }
  std::vector<double> losses;
  nn::Array<float> batch, doutput;
  std::vector<YoloTargets> batch_targets;
  std::vector<Matrix> batch_boxes;
  for (int epoch = 0; epoch < epochs; ++epoch) {
    const std::vector<int64_t> order = rng.permutation(m);
    double sum = 0;
    for (int begin = 0; begin < m; begin += batch_size) {
      const int end = std::min(m, begin + batch_size);
      nn::GatherRows(scenes.X, order, begin, end, &batch);
      batch_targets.clear();
      batch_boxes.clear();
      for (int k = begin; k < end; ++k) {
        batch_targets.push_back(targets[order[k]]);
        batch_boxes.push_back(boxes[order[k]]);
      }
      const nn::Array<float>& out = model.Forward(batch, /*training=*/true);
      sum += yolo_loss(out, batch_targets, batch_boxes, anchors, &doutput) *
             (end - begin);
      model.Backward(doutput);
      model.ApplyGradients();
    }
    losses.push_back(sum / m);
  }
  return losses;
}

absl::StatusOr<Detector> pretrained_detector() {
  Detector d{make_detector(11), Matrix()};
  const std::string path = CachePath();
  if (Load(path, d)) return d;
  std::printf(
      "Training the detector on %d generated scenes (once; cached in %s) "
      "...\n",
      kTrainScenes, path.c_str());
  std::fflush(stdout);
  d.model = make_detector(11);
  const Scenes scenes = generate_scenes(0, kTrainScenes, kSceneSize);
  d.anchors = compute_anchors(scenes.objects, kAnchors, kGrid);
  d.model.Compile(nn::Adam(kLearningRate), nn::Loss::kSoftmaxCrossEntropy);
  dl::RandomState rng(12);
  std::vector<double> losses =
      train_detector(d.model, scenes, d.anchors, kEpochs, kBatchSize, rng);
  // Then a few epochs at a smaller step.
  d.model.Compile(nn::Adam(kSlowLearningRate), nn::Loss::kSoftmaxCrossEntropy);
  for (double l : train_detector(d.model, scenes, d.anchors, kSlowEpochs,
                                 kBatchSize, rng)) {
    losses.push_back(l);
  }
  std::printf("  YOLO loss per epoch:");
  for (double l : losses) std::printf(" %.3f", l);
  std::printf("\n");
  absl::Status saved = Save(d, path);
  if (!saved.ok()) nn::WarnCacheNotWritten(saved);
  return d;
}

}  // namespace car_detection
