// File: course3_cnn/face_recognition/face_recognition.h
//
// Course 4, week 4, assignment 1: "Face Recognition". A network turns a
// picture of a face into an encoding, a vector of 32 numbers of length 1,
// such that two pictures of the same person are close and two of
// different people far apart. The course's FaceNet (128 numbers, trained
// by Google on millions of faces) is replaced by a small network trained
// here with the triplet loss on generated faces (faces.h); the triplet
// loss itself is an exercise of course3_cnn/detection_and_style.
//
// With it, two tasks:
//   face verification   "is this the person they claim to be?" (1:1):
//                       the distance to the claimed identity's encoding
//   face recognition    "who is this?" (1:K): the nearest encoding of the
//                       database, if it is near enough
// "Near enough" is the course's threshold: a distance below 0.7.
//
// Exercises, in order (write them in exercise.cc):
//   1. img_to_encoding   2. verify   3. who_is_it

#ifndef DLCOURSE_COURSE3_CNN_FACE_RECOGNITION_FACE_RECOGNITION_H_
#define DLCOURSE_COURSE3_CNN_FACE_RECOGNITION_FACE_RECOGNITION_H_

#include <map>
#include <string>

#include "common/core/tensor.h"
#include "common/nn/model.h"

namespace face_recognition {

namespace nn = dl::nn;
using dl::Matrix;
using Model = nn::Model<float>;

// A picture: (n_H, n_W, 3), values 0 .. 255 (the course's image file).
using Picture = nn::Array<float>;

// The course's database: name -> encoding (1, 32).
using Database = std::map<std::string, Matrix>;

// The course's threshold on the distance between two encodings.
inline constexpr double kThreshold = 0.7;

// Exercise 1. The course's img_to_encoding(image_path, model):
//   img = picture / 255            (values 0 .. 1)
//   x = the picture as a batch of one: (1, n_H, n_W, 3)
//   embedding = model.Predict(x)   (1, 32)
//   return embedding / ||embedding||   (its L2 norm: the result has length 1)
//   -> (1, 32) as a Matrix
Matrix img_to_encoding(const Picture& picture, Model& model);

// What verify returns: the course's (dist, door_open).
struct Verification {
  double dist = 0;         // ||encoding - database[identity]||
  bool door_open = false;  // dist < kThreshold
};

// Exercise 2. The course's verify(image_path, identity, database, model):
//   encoding = img_to_encoding(picture, model)
//   dist = ||encoding - database.at(identity)||   (the L2 norm)
//   door_open = dist < kThreshold
// (The course also prints "It's <identity>, welcome in!" or "It's not
// <identity>, please go away"; the program does the printing here.)
Verification verify(const Picture& picture, const std::string& identity,
                    const Database& database, Model& model);

// What who_is_it returns: the course's (min_dist, identity).
struct Recognition {
  double min_dist = 0;       // the smallest distance to a database encoding
  std::string identity;      // its name ("" when the database is empty)
  bool in_database = false;  // min_dist < kThreshold (the course prints
                             // "Not in the database." otherwise)
};

// Exercise 3. The course's who_is_it(image_path, database, model):
//   encoding = img_to_encoding(picture, model)
//   min_dist = 100; for each (name, db_enc) of the database, in the map's
//   order: dist = ||encoding - db_enc||; if dist < min_dist: min_dist =
//   dist, identity = name
//   in_database = min_dist < kThreshold
Recognition who_is_it(const Picture& picture, const Database& database,
                      Model& model);

// The reference solution (reference.cc) has the same functions, in
// face_recognition::reference. The grader compares yours with it.
namespace reference {
decltype(face_recognition::img_to_encoding) img_to_encoding;
decltype(face_recognition::verify) verify;
decltype(face_recognition::who_is_it) who_is_it;
}  // namespace reference

}  // namespace face_recognition

#endif  // DLCOURSE_COURSE3_CNN_FACE_RECOGNITION_FACE_RECOGNITION_H_
