// bazel run //course3_cnn/face_recognition:train
//
// The course's notebook from start to end, with our encoder instead of
// FaceNet:
//   1. the encoder: trained with the triplet loss on 200 generated people
//      the first time (about 25 s), then read from data/face_recognition/;
//   2. the database: your img_to_encoding of one picture of each of 12
//      people the encoder never saw, under the course's names;
//   3. face verification (your verify): 4 more pictures of each claiming
//      to be themselves, and 4 claiming to be the next person;
//   4. face recognition (your who_is_it): the same pictures, and pictures
//      of 12 people not in the database;
//   5. the accuracies at the course's threshold 0.7, the best threshold on
//      these pairs, and a picture: the database, then the queries with
//      their answers (green: right, red: wrong).
// Writes output/face_recognition/decisions.png.

#include <algorithm>
#include <cstdio>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/statusor.h"
#include "common/data/image.h"
#include "common/grading/not_implemented.h"
#include "common/viz/app.h"
#include "common/viz/image_grid.h"
#include "common/viz/plot.h"
#include "course3_cnn/face_recognition/face_recognition.h"
#include "course3_cnn/face_recognition/faces.h"
#include "course3_cnn/face_recognition/graded.h"  // see tools/unit.bzl
#include "tools/solution.h"

ABSL_FLAG(int, pictures, 4, "Query pictures of each person (1..9)");

namespace {

namespace fr = face_recognition;
constexpr char kUnit[] = "course3_cnn/face_recognition";
constexpr int kPeople = 12, kFirstKnown = 1000, kFirstUnknown = 1100;

dl::Image ToImage(const fr::Picture& p) {
  dl::Image image;
  image.height = fr::kFaceSize;
  image.width = fr::kFaceSize;
  image.channels = 3;
  for (dl::nn::Index k = 0; k < p.size(); ++k) {
    image.pixels.push_back(static_cast<uint8_t>(p[k]));
  }
  return image;
}

// One claim or one query and what the functions said.
struct Result {
  double dist;
  bool right;
};

}  // namespace

constexpr char kUsage[] =
    "Face verification and recognition with an encoder trained on generated "
    "faces.";

int main(int argc, char** argv) {
  if (!dl::StartProgram(argc, argv, kUsage)) return 2;
  const int pictures = dl::FlagInRange(FLAGS_pictures, 1, 9);
  absl::StatusOr<std::string> out = dl::OutputDir("face_recognition");
  if (!out.ok()) return dl::Fail(out.status());

  // Your functions first, on an untrained encoder: a stub stops the program
  // before the encoder's training.
  try {
    dl::clear_not_implemented();
    fr::Model untrained = fr::make_encoder(7);
    const fr::Picture probe = fr::generate_faces(kFirstKnown, 1, 1).picture(0);
    graded::verify(probe, "x",
                   {{"x", graded::img_to_encoding(probe, untrained)}},
                   untrained);
    graded::who_is_it(probe, {}, untrained);
    if (!dl::StubsCalled().empty()) {
      return dl::Fail(dl::NotImplementedMessage(kUnit));
    }
  } catch (const std::exception& e) {
    return dl::Fail(std::string("your functions failed: ") + e.what() +
                    "\n(bazel test //" + kUnit +
                    "/... points at the function)");
  }

  // ----------------------------------------------------- 1. the encoder
  absl::StatusOr<fr::Model> loaded = fr::pretrained_encoder();
  if (!loaded.ok()) return dl::Fail(loaded.status());
  fr::Model& encoder = *loaded;

  // ---------------------------------------------------- 2. the database
  const fr::Faces known =
      fr::generate_faces(kFirstKnown, kPeople, 1 + pictures);
  const fr::Faces unknown = fr::generate_faces(kFirstUnknown, kPeople, 1);
  fr::Database database;
  std::vector<dl::GridTile> tiles;
  std::vector<std::pair<Result, bool>> genuine_and_impostor;  // (r, genuine)
  int recognized = 0, rejected = 0;
  try {
    dl::clear_not_implemented();
    for (int p = 0; p < kPeople; ++p) {
      const fr::Picture picture = known.picture(p * (1 + pictures));
      database[fr::person_name(p)] = graded::img_to_encoding(picture, encoder);
      tiles.push_back({ToImage(picture), fr::person_name(p), dl::kGridBlack});
    }
    if (!dl::StubsCalled().empty()) {
      return dl::Fail(dl::NotImplementedMessage(kUnit));
    }
    std::printf(
        "The database: %d people the encoder never saw, one picture "
        "each, encoded with %s's img_to_encoding.\n\n",
        kPeople, dl::SolutionFile());

    // ------------------------------------------ 3. and 4. the queries
    for (int p = 0; p < kPeople; ++p) {
      const std::string me = fr::person_name(p);
      const std::string other = fr::person_name((p + 1) % kPeople);
      for (int k = 1; k <= pictures; ++k) {
        const fr::Picture picture = known.picture(p * (1 + pictures) + k);
        const fr::Verification v =
            graded::verify(picture, me, database, encoder);
        const fr::Verification w =
            graded::verify(picture, other, database, encoder);
        const fr::Recognition r = graded::who_is_it(picture, database, encoder);
        if (!dl::StubsCalled().empty()) {
          return dl::Fail(dl::NotImplementedMessage(kUnit));
        }
        genuine_and_impostor.push_back({{v.dist, v.door_open}, true});
        genuine_and_impostor.push_back({{w.dist, !w.door_open}, false});
        const bool right = r.in_database && r.identity == me;
        recognized += right;
        if (p < 2 && k == 1) {
          std::printf("verify(%s's picture, \"%s\"): %s (distance %.3f)\n",
                      me.c_str(), me.c_str(),
                      v.door_open
                          ? ("It's " + me + ", welcome in!").c_str()
                          : ("It's not " + me + ", please go away").c_str(),
                      v.dist);
          std::printf("verify(%s's picture, \"%s\"): %s (distance %.3f)\n",
                      me.c_str(), other.c_str(),
                      w.door_open
                          ? ("It's " + other + ", welcome in!").c_str()
                          : ("It's not " + other + ", please go away").c_str(),
                      w.dist);
        }
        if (k == 1) {
          tiles.push_back({ToImage(picture),
                           r.in_database ? r.identity : "not in db",
                           right ? dl::kGridGreen : dl::kGridRed});
        }
      }
    }
    for (int u = 0; u < kPeople; ++u) {
      const fr::Recognition r =
          graded::who_is_it(unknown.picture(u), database, encoder);
      rejected += !r.in_database;
      tiles.push_back({ToImage(unknown.picture(u)),
                       r.in_database ? r.identity : "not in db",
                       r.in_database ? dl::kGridRed : dl::kGridGreen});
      if (u == 0) {
        std::printf("who_is_it(a stranger): %s (nearest: %s, %.3f)\n",
                    r.in_database ? ("it's " + r.identity).c_str()
                                  : "Not in the database.",
                    r.identity.c_str(), r.min_dist);
      }
    }
  } catch (const std::exception& e) {
    return dl::Fail(std::string("your functions failed: ") + e.what() +
                    "\n(bazel test //" + kUnit +
                    "/... points at the function)");
  }

  // ---------------------------------------------------- 5. the scores
  int right = 0;
  for (const auto& [r, genuine] : genuine_and_impostor) right += r.right;
  const int claims = static_cast<int>(genuine_and_impostor.size());
  // The threshold that would have done best on these claims.
  double best = 0, best_threshold = fr::kThreshold;
  for (double t = 0.05; t < 2.0; t += 0.05) {
    int ok = 0;
    for (const auto& [r, genuine] : genuine_and_impostor) {
      ok += (r.dist < t) == genuine;
    }
    if (ok > best) best = ok, best_threshold = t;
  }
  const int queries = kPeople * pictures;
  std::printf(
      "\nFace verification at the course's threshold 0.7: %d of %d "
      "claims right (%.1f %%; half true, half false)\n",
      right, claims, 100.0 * right / claims);
  std::printf("  the best threshold on these claims: %.2f (%.1f %%)\n",
              best_threshold, 100.0 * best / claims);
  std::printf(
      "Face recognition: %d of %d pictures of the database's people "
      "named right (%.1f %%); %d of %d strangers not in the "
      "database\n\n",
      recognized, queries, 100.0 * recognized / queries, rejected, kPeople);
  dl::ReportWritten(dl::SavePng(*out + "/decisions.png",
                                dl::MakeImageGrid(tiles, kPeople, 2)),
                    *out + "/decisions.png");
  return 0;
}
