// The reference solution of course3_cnn/face_recognition: the course's
// img_to_encoding, verify and who_is_it.

#include <string>

#include "course3_cnn/face_recognition/face_recognition.h"

namespace face_recognition {
namespace reference {

Matrix img_to_encoding(const Picture& picture, Model& model) {
  nn::Shape batch = picture.shape();
  batch.insert(batch.begin(), 1);
  nn::Array<float> x(batch);
  x.vec() = picture.vec() / 255.0f;
  const nn::Array<float> embedding = model.Predict(x);
  Matrix encoding(1, embedding.size());
  for (nn::Index k = 0; k < embedding.size(); ++k) {
    encoding(0, k) = embedding[k];
  }
  return encoding / encoding.norm();
}

Verification verify(const Picture& picture, const std::string& identity,
                    const Database& database, Model& model) {
  const Matrix encoding = reference::img_to_encoding(picture, model);
  Verification v;
  v.dist = (encoding - database.at(identity)).norm();
  v.door_open = v.dist < kThreshold;
  return v;
}

Recognition who_is_it(const Picture& picture, const Database& database,
                      Model& model) {
  const Matrix encoding = reference::img_to_encoding(picture, model);
  Recognition r;
  r.min_dist = 100;
  for (const auto& [name, db_enc] : database) {
    const double dist = (encoding - db_enc).norm();
    if (dist < r.min_dist) {
      r.min_dist = dist;
      r.identity = name;
    }
  }
  r.in_database = r.min_dist < kThreshold;
  return r;
}

}  // namespace reference
}  // namespace face_recognition
