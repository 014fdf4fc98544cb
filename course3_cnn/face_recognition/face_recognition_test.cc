// Grades course3_cnn/face_recognition: img_to_encoding, verify and
// who_is_it against the reference on an encoder with seeded weights and on
// generated faces, and the course's rules where they are literal (length 1,
// the threshold 0.7, the nearest name, "not in the database").

#include "course3_cnn/face_recognition/face_recognition.h"

#include <string>
#include <vector>

#include "common/grading/grading.h"
#include "course3_cnn/face_recognition/faces.h"
#include "course3_cnn/face_recognition/graded.h"  // see tools/unit.bzl
#include "gtest/gtest.h"

namespace reference = face_recognition::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
using dl::Matrix;
using face_recognition::Database;
using face_recognition::Model;

// Five generated people, two pictures each, and an untrained encoder with
// seeded weights: the grader needs no trained network.
struct Fixture {
  face_recognition::Faces faces = face_recognition::generate_faces(300, 5, 2);
  Model encoder = face_recognition::make_encoder(3);
};

// (1, 32) with the given first entries, length 1.
Matrix UnitRow(double a, double b) {
  Matrix m = Matrix::Zero(1, face_recognition::kEncodingSize);
  m(0, 0) = a;
  m(0, 1) = b;
  return m / m.norm();
}

TEST(ImgToEncoding, MatchesReferenceAndHasLengthOne) {
  Fixture s;
  for (int i : {0, 3, 8}) {
    auto got = Call("img_to_encoding", [&] {
      return graded::img_to_encoding(s.faces.picture(i), s.encoder);
    });
    if (!got) return;
    ASSERT_TRUE(HasShape("img_to_encoding", "the encoding", *got, 1,
                         face_recognition::kEncodingSize,
                         "a batch of one in, (1, 32) out"));
    EXPECT_NEAR(got->norm(), 1.0, 1e-6)
        << "img_to_encoding: divide the embedding by its L2 norm";
    EXPECT_TRUE(Near("img_to_encoding", "the encoding", *got,
                     reference::img_to_encoding(s.faces.picture(i), s.encoder),
                     {1e-6, 1e-5},
                     "the picture divided by 255 before model.Predict"));
  }
}

TEST(Verify, TheThresholdAndTheReference) {
  Fixture s;
  const Matrix mine = reference::img_to_encoding(s.faces.picture(0), s.encoder);
  Database database = {{"younes", mine}, {"tian", UnitRow(1, 0)}};
  auto same = Call("verify", [&] {
    return graded::verify(s.faces.picture(0), "younes", database, s.encoder);
  });
  if (!same) return;
  EXPECT_NEAR(same->dist, 0, 1e-6)
      << "verify: the same picture is at distance 0 from its own encoding";
  EXPECT_TRUE(same->door_open) << "verify: distance 0 < 0.7 opens the door";
  for (const auto& [name, want_open] :
       std::vector<std::pair<std::string, bool>>{{"tian", false},
                                                 {"younes", true}}) {
    auto got = Call("verify", [&] {
      return graded::verify(s.faces.picture(1), name, database, s.encoder);
    });
    if (!got) return;
    const face_recognition::Verification want =
        reference::verify(s.faces.picture(1), name, database, s.encoder);
    EXPECT_NEAR(got->dist, want.dist, 1e-6)
        << "verify: dist = ||encoding - database[identity]||, the L2 norm "
           "(not its square)";
    EXPECT_EQ(got->door_open, want.door_open)
        << "verify: door_open = dist < 0.7";
  }
}

TEST(WhoIsIt, NearestAndNotInTheDatabase) {
  Fixture s;
  Database database;
  for (int p = 0; p < 4; ++p) {
    database[face_recognition::person_name(p)] =
        reference::img_to_encoding(s.faces.picture(2 * p), s.encoder);
  }
  for (int i = 0; i < 10; ++i) {
    auto got = Call("who_is_it", [&] {
      return graded::who_is_it(s.faces.picture(i), database, s.encoder);
    });
    if (!got) return;
    const face_recognition::Recognition want =
        reference::who_is_it(s.faces.picture(i), database, s.encoder);
    EXPECT_EQ(got->identity, want.identity)
        << "who_is_it: picture " << i << " is nearest to " << want.identity
        << " (distance " << want.min_dist << ")";
    EXPECT_NEAR(got->min_dist, want.min_dist, 1e-6)
        << "who_is_it: min_dist is the smallest ||encoding - db_enc||";
    EXPECT_EQ(got->in_database, want.in_database)
        << "who_is_it: in the database when min_dist < 0.7";
  }
  // Far from everyone: not in the database.
  const Database far = {
      {"kian", -reference::img_to_encoding(s.faces.picture(0), s.encoder)}};
  auto got = Call("who_is_it", [&] {
    return graded::who_is_it(s.faces.picture(0), far, s.encoder);
  });
  if (!got) return;
  EXPECT_NEAR(got->min_dist, 2, 1e-6);
  EXPECT_FALSE(got->in_database)
      << "who_is_it: a distance of 2 is not below 0.7";
  auto empty = Call("who_is_it", [&] {
    return graded::who_is_it(s.faces.picture(0), Database{}, s.encoder);
  });
  if (!empty) return;
  EXPECT_EQ(empty->min_dist, 100)
      << "who_is_it: min_dist starts at 100 (the course's), so an empty "
         "database leaves it there";
  EXPECT_FALSE(empty->in_database);
}

}  // namespace
