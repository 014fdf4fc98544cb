// File: course3_cnn/face_recognition/faces.cc
//
// The generated people, the encoder, its training with the triplet loss
// and its cache (see faces.h).

#include "course3_cnn/face_recognition/faces.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "common/data/synthetic_images.h"
#include "common/nn/weights_file.h"

namespace face_recognition {
namespace {

using Colour = std::array<double, 3>;

// What makes a person: drawn from RandomState(1000 + person).
struct Look {
  double rx, ry;  // the face's half-width and half-height
  Colour skin, hair, iris;
  double hairline;  // rows of hair from the top of the face
  bool long_hair, glasses, beard;
  double eye_dx, eye_y;  // eyes at 16 -/+ eye_dx, row eye_y
  double eye_r;
  double brow;   // eyebrow thickness
  double nose;   // nose length
  double mouth;  // mouth half-width
};

Look LookOf(int person) {
  dl::RandomState rng(1000u + static_cast<uint32_t>(person));
  static const Colour kSkins[] = {{255, 224, 196}, {241, 194, 125},
                                  {224, 172, 105}, {198, 134, 66},
                                  {141, 85, 36},   {92, 60, 40}};
  static const Colour kHairs[] = {{20, 20, 20},   {90, 60, 30},
                                  {180, 140, 70}, {230, 210, 150},
                                  {150, 60, 20},  {160, 160, 160}};
  static const Colour kIrises[] = {
      {40, 30, 20}, {60, 110, 170}, {70, 130, 80}, {120, 80, 40}};
  Look l;
  l.rx = rng.uniform(8.5, 11.5);
  l.ry = rng.uniform(10.5, 13);
  l.skin = kSkins[rng.randint(0, 6)];
  l.hair = kHairs[rng.randint(0, 6)];
  l.iris = kIrises[rng.randint(0, 4)];
  l.hairline = rng.uniform(2.5, 6);
  l.long_hair = rng.random_sample() < 0.4;
  l.glasses = rng.random_sample() < 0.25;
  l.beard = rng.random_sample() < 0.2;
  l.eye_dx = rng.uniform(3.5, 6);
  l.eye_y = rng.uniform(13, 16);
  l.eye_r = rng.uniform(0.9, 1.8);
  l.brow = rng.uniform(0.6, 1.6);
  l.nose = rng.uniform(2, 5);
  l.mouth = rng.uniform(2.5, 5.5);
  return l;
}

// One picture of `person`, the k-th: drawn from RandomState(person, k).
void Draw(int person, int k, float* out) {
  const Look l = LookOf(person);
  dl::RandomState rng(static_cast<uint32_t>(500000 + person * 1000 + k));
  const double dx = rng.uniform(-1.5, 1.5), dy = rng.uniform(-1.5, 1.5);
  const double light = rng.uniform(0.8, 1.15);
  const double smile = rng.uniform(-1, 1.5);  // the mouth's curve
  const Colour background = {rng.uniform(60, 220), rng.uniform(60, 220),
                             rng.uniform(60, 220)};
  const double cx = 16 + dx, cy = 17 + dy;
  for (int y = 0; y < kFaceSize; ++y) {
    for (int x = 0; x < kFaceSize; ++x) {
      Colour c = background;
      const double u = (x - cx) / l.rx, v = (y - cy) / l.ry;
      const bool face = u * u + v * v <= 1;
      const double top = cy - l.ry;
      if (l.long_hair && std::abs(x - cx) <= l.rx + 2 && y >= top - 1 &&
          y <= cy + l.ry * 0.6 && !face) {
        c = l.hair;
      }
      if (face) {
        c = l.skin;
        if (y < top + l.hairline) c = l.hair;
        if (l.beard && y > cy + l.ry * 0.35) c = l.hair;
      }
      // Eyes, eyebrows, glasses.
      for (double side : {-1.0, 1.0}) {
        const double ex = cx + side * l.eye_dx, ey = dy + l.eye_y;
        const double d2 = (x - ex) * (x - ex) + (y - ey) * (y - ey);
        if (d2 <= (l.eye_r + 0.8) * (l.eye_r + 0.8)) c = {240, 240, 240};
        if (d2 <= l.eye_r * l.eye_r) c = l.iris;
        if (std::abs(x - ex) <= 2.2 && y >= ey - 2.5 - l.brow && y < ey - 2.5) {
          c = l.hair;
        }
        if (l.glasses && std::abs(std::sqrt(d2) - (l.eye_r + 2)) < 0.6) {
          c = {30, 30, 30};
        }
      }
      // Nose and mouth.
      if (std::abs(x - cx) < 0.7 && y > dy + l.eye_y + 1 &&
          y <= dy + l.eye_y + 1 + l.nose) {
        c = {c[0] * 0.75, c[1] * 0.75, c[2] * 0.75};
      }
      const double mx = (x - cx) / l.mouth;
      const double mouth_y = dy + l.eye_y + l.nose + 3 - smile * (1 - mx * mx);
      if (std::abs(mx) <= 1 && std::abs(y - mouth_y) < 0.7) {
        c = {150, 40, 50};
      }
      for (int ch = 0; ch < 3; ++ch) {
        const double value = c[ch] * light + 6 * rng.standard_normal();
        out[(y * kFaceSize + x) * 3 + ch] =
            static_cast<float>(std::clamp(value, 0.0, 255.0));
      }
    }
  }
}

nn::Conv2D ReluConv(int filters) {
  nn::Conv2D conv(filters, 3, 1, "same");
  conv.activation = "relu";
  return conv;
}

// The cache's version: what the file was trained with.
constexpr char kVersion[] =
    "face encoder v2: 200 people x 10, 1500 steps, alpha 0.5";

std::string CachePath() {
  return dl::DataDir("face_recognition") + "/encoder.bin";
}

}  // namespace

Picture Faces::picture(int i) const {
  Picture p({kFaceSize, kFaceSize, 3});
  const nn::Index n = p.size();
  std::copy(X.data() + i * n, X.data() + (i + 1) * n, p.data());
  return p;
}

Faces generate_faces(int first, int count, int per_person) {
  Faces faces;
  faces.X = nn::Array<float>({count * per_person, kFaceSize, kFaceSize, 3});
  const nn::Index n = nn::Index(kFaceSize) * kFaceSize * 3;
  for (int p = 0; p < count; ++p) {
    for (int k = 0; k < per_person; ++k) {
      const int i = p * per_person + k;
      Draw(first + p, k, faces.X.data() + i * n);
      faces.person.push_back(first + p);
    }
  }
  return faces;
}

std::string person_name(int k) {
  static const char* const kNames[] = {
      "danielle",   "younes",   "tian",  "andrew", "kian",   "dan",
      "sebastiano", "bertrand", "kevin", "felix",  "benoit", "arnaud"};
  if (k >= 0 && k < 12) return kNames[k];
  return "person " + std::to_string(k);
}

Model make_encoder(uint32_t seed) {
  Model model("encoder", seed);
  model.Input({kFaceSize, kFaceSize, 3});
  for (int filters : {16, 32, 64}) {
    model.Add(ReluConv(filters));
    model.Add(nn::MaxPool2D(2));
  }
  model.Add(nn::Flatten());
  model.Add(nn::Dense(kEncodingSize));
  return model;
}

std::vector<double> train_encoder(Model& encoder, const Faces& faces, int steps,
                                  int triplets, double alpha,
                                  dl::RandomState& rng) {
  // The pictures of each person, and the inputs in 0 .. 1.
  std::vector<std::vector<int64_t>> of_person;
  std::vector<int> people;
  for (size_t i = 0; i < faces.person.size(); ++i) {
    auto it = std::find(people.begin(), people.end(), faces.person[i]);
    if (it == people.end()) {
      people.push_back(faces.person[i]);
      of_person.emplace_back();
      it = people.end() - 1;
    }
    of_person[it - people.begin()].push_back(static_cast<int64_t>(i));
  }
  nn::Array<float> X = faces.X;
  X.vec() /= 255.0f;
  const int P = static_cast<int>(people.size());
  std::vector<double> losses;
  std::vector<int64_t> rows(3 * triplets);
  nn::Array<float> batch, dz;
  for (int step = 0; step < steps; ++step) {
    // Rows 0 .. k-1 anchors, k .. 2k-1 positives, 2k .. 3k-1 negatives.
    for (int t = 0; t < triplets; ++t) {
      const int a = static_cast<int>(rng.randint(0, P));
      int n = static_cast<int>(rng.randint(0, P - 1));
      if (n >= a) ++n;
      const auto& mine = of_person[a];
      const int64_t i = rng.randint(0, mine.size());
      int64_t j = rng.randint(0, mine.size() - 1);
      if (j >= i) ++j;
      rows[t] = mine[i];
      rows[triplets + t] = mine[j];
      rows[2 * triplets + t] =
          of_person[n][rng.randint(0, of_person[n].size())];
    }
    nn::GatherRows(X, rows, 0, rows.size(), &batch);
    const nn::Array<float>& z = encoder.Forward(batch, /*training=*/true);
    const nn::Index d = z.dim(1);
    // e = z / |z| per row; J and dJ/de, then dJ/dz.
    Matrix e(3 * triplets, d), de = Matrix::Zero(3 * triplets, d);
    std::vector<double> norm(3 * triplets);
    for (int r = 0; r < 3 * triplets; ++r) {
      for (nn::Index c = 0; c < d; ++c) e(r, c) = z.data()[r * d + c];
      norm[r] = std::max(1e-12, e.row(r).norm());
      e.row(r) /= norm[r];
    }
    double loss = 0;
    for (int t = 0; t < triplets; ++t) {
      const auto ea = e.row(t), ep = e.row(triplets + t),
                 en = e.row(2 * triplets + t);
      const double margin =
          (ea - ep).squaredNorm() - (ea - en).squaredNorm() + alpha;
      if (margin <= 0) continue;
      loss += margin / triplets;
      de.row(t) += 2 * (en - ep) / triplets;
      de.row(triplets + t) += -2 * (ea - ep) / triplets;
      de.row(2 * triplets + t) += 2 * (ea - en) / triplets;
    }
    dz.Resize(z.shape());
    for (int r = 0; r < 3 * triplets; ++r) {
      const double along = e.row(r).dot(de.row(r));
      for (nn::Index c = 0; c < d; ++c) {
        dz.data()[r * d + c] =
            static_cast<float>((de(r, c) - e(r, c) * along) / norm[r]);
      }
    }
    encoder.Backward(dz);
    encoder.ApplyGradients();
    losses.push_back(loss);
  }
  return losses;
}

absl::StatusOr<Model> pretrained_encoder() {
  Model encoder = make_encoder(7);
  const std::string path = CachePath();
  if (nn::LoadWeights(path, kVersion, encoder)) return encoder;
  std::printf(
      "Training the face encoder with the triplet loss (once; "
      "cached in %s) ...\n",
      path.c_str());
  encoder = make_encoder(7);
  encoder.Compile(nn::Adam(0.002), nn::Loss::kSoftmaxCrossEntropy);
  const Faces faces = generate_faces(0, kTrainingPeople, 10);
  dl::RandomState rng(8);
  const std::vector<double> losses =
      train_encoder(encoder, faces, 1500, 32, 0.5, rng);
  double last = 0;
  for (size_t k = losses.size() - 50; k < losses.size(); ++k) last += losses[k];
  std::printf(
      "  triplet loss: %.3f over the first 50 steps, %.3f over the "
      "last 50\n",
      [&] {
        double s = 0;
        for (int k = 0; k < 50; ++k) s += losses[k];
        return s / 50;
      }(),
      last / 50);
  absl::Status saved = nn::SaveWeights(encoder, path, kVersion);
  if (!saved.ok()) nn::WarnCacheNotWritten(saved);
  return encoder;
}

}  // namespace face_recognition
