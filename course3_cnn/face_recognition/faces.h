// File: course3_cnn/face_recognition/faces.h
//
// The given code of course3_cnn/face_recognition: the stand-in for the
// course's pictures and its pretrained FaceNet.
//
//   - generate_faces: pictures of generated people, 32 x 32. A person is
//     a face shape, a skin, hair (colour and cut), eyes (colour, spacing,
//     size), eyebrows, a nose, maybe glasses or a beard; each picture of
//     them moves and tilts the light a little, changes the expression and
//     the background, and adds noise. The same person number gives the
//     same person on every machine.
//   - make_encoder: the small encoding network (3 convolutions, 3 max
//     pools, a dense layer to 32 numbers), and train_encoder: its training
//     with the triplet loss on L2-normalized encodings, as FaceNet's.
//   - pretrained_encoder: the network trained on people 0 .. 199 the first
//     time, then read from data/face_recognition/encoder.bin (trained
//     again when the file is missing or from another version).

#ifndef DLCOURSE_COURSE3_CNN_FACE_RECOGNITION_FACES_H_
#define DLCOURSE_COURSE3_CNN_FACE_RECOGNITION_FACES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/core/random.h"
#include "course3_cnn/face_recognition/face_recognition.h"

namespace face_recognition {

inline constexpr int kFaceSize = 32;         // pictures are 32 x 32 x 3
inline constexpr int kEncodingSize = 32;     // the encoder's output
inline constexpr int kTrainingPeople = 200;  // people 0 .. 199 train it

struct Faces {
  nn::Array<float> X;            // (n, 32, 32, 3), values 0 .. 255
  std::vector<int> person;       // n person numbers
  Picture picture(int i) const;  // X[i]: (32, 32, 3)
};

// `per_person` pictures of each of the people first .. first + count - 1;
// picture k of a person is the same on every call.
Faces generate_faces(int first, int count, int per_person);

// The course's names for the 12 people of its database (danielle, younes,
// tian, andrew, kian, dan, sebastiano, bertrand, kevin, felix, benoit,
// arnaud), then "person <n>".
std::string person_name(int k);

// The encoding network, its weights drawn from `seed`:
//   Input (32, 32, 3) -> [Conv2D(c, 3, same, relu), MaxPool2D(2)] with
//   c = 16, 32, 64 -> Flatten -> Dense(32)
Model make_encoder(uint32_t seed);

// FaceNet's training: `steps` steps of Adam, each on `triplets` triplets
// (anchor and positive: two pictures of one person; negative: a picture
// of another) drawn from `faces`, on the L2-normalized outputs e:
//   J = mean over the triplets of max(|e_a - e_p|² - |e_a - e_n|² + alpha, 0)
// (the course's triplet_loss, here averaged). Returns the loss of each
// step. `encoder` must be compiled (its optimizer).
std::vector<double> train_encoder(Model& encoder, const Faces& faces, int steps,
                                  int triplets, double alpha,
                                  dl::RandomState& rng);

// The trained encoder: read from data/face_recognition/encoder.bin, or
// trained (600 steps on 10 pictures of each of the 200 training people;
// it says so, about 25 s) and written there.
absl::StatusOr<Model> pretrained_encoder();

}  // namespace face_recognition

#endif  // DLCOURSE_COURSE3_CNN_FACE_RECOGNITION_FACES_H_
