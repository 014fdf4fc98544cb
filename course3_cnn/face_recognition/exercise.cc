// Your solutions to course3_cnn/face_recognition. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course3_cnn/face_recognition/...
// The formulas and shapes are in face_recognition.h and README.md.

#include <string>

#include "common/grading/not_implemented.h"
#include "course3_cnn/face_recognition/face_recognition.h"

namespace face_recognition {

Matrix img_to_encoding(const Picture& picture, Model& model) {
  // TODO: a batch of one: nn::Shape batch = picture.shape(); put 1 in front
  //       (batch.insert(batch.begin(), 1)); nn::Array<float> x(batch);
  //       x.vec() = picture.vec() / 255.0f; embedding = model.Predict(x);
  //       copy it into a Matrix (1, size) and divide by its norm().
  //   (≈10 lines)
  return dl::not_implemented<Matrix>("img_to_encoding");
}

Verification verify(const Picture& picture, const std::string& identity,
                    const Database& database, Model& model) {
  // TODO: encoding = img_to_encoding(picture, model);
  //       dist = (encoding - database.at(identity)).norm();
  //       door_open = dist < kThreshold.   (≈5 lines)
  return dl::not_implemented<Verification>("verify");
}

Recognition who_is_it(const Picture& picture, const Database& database,
                      Model& model) {
  // TODO: encoding = img_to_encoding(picture, model); min_dist = 100;
  //       for (const auto& [name, db_enc] : database): keep the nearest;
  //       in_database = min_dist < kThreshold.   (≈12 lines)
  return dl::not_implemented<Recognition>("who_is_it");
}

}  // namespace face_recognition
