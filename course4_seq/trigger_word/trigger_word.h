// File: course4_seq/trigger_word/trigger_word.h
//
// Course 5, week 3, assignment 2: "Trigger Word Detection". A model
// listens to 10 seconds of audio and says, at each of 1375 output steps,
// whether the word "activate" has just ended; the program chimes there.
//
// Part 1 makes the training data, as the course does: a background of 10 s,
// with "activate" and other words inserted at random places where nothing
// else is, and the labels y: 50 ones right after the end of each
// "activate". Part 2 is the model (Keras's functional API, nn::Model):
//   X_input = Input(input_shape)                     (m, 5511, 101)
//   Conv1D(196, 15, strides=4)                       -> (m, 1375, 196)
//   BatchNormalization, ReLU, Dropout(0.8)
//   GRU(128, return_sequences=True), Dropout(0.8), BatchNormalization
//   GRU(128, return_sequences=True), Dropout(0.8), BatchNormalization,
//   Dropout(0.8)
//   TimeDistributed(Dense(1, "sigmoid"))             -> (m, 1375, 1)
// Here the last layer is Dense(1): a Dense acts on the last axis, so it is
// Keras's TimeDistributed(Dense(1)); the sigmoid is in the loss
// (nn::Loss::kBinaryCrossEntropy, one label per step).
//
// Times are in milliseconds of a 10,000 ms clip; a segment is
// (segment_start, segment_end), both ends included, as the course's
// tuples. The random numbers come from a dl::RandomState (numpy's
// np.random in the course).
//
// Exercises, in order (write them in exercise.cc):
//   1. get_random_time_segment   2. is_overlapping   3. insert_audio_clip
//   4. insert_ones               5. create_training_example   6. modelf

#ifndef DLCOURSE_COURSE4_SEQ_TRIGGER_WORD_TRIGGER_WORD_H_
#define DLCOURSE_COURSE4_SEQ_TRIGGER_WORD_TRIGGER_WORD_H_

#include <utility>
#include <vector>

#include "common/core/random.h"
#include "common/core/tensor.h"
#include "common/nn/model.h"
#include "common/nn/sequence_layers.h"
#include "course4_seq/trigger_word/audio.h"

namespace trigger_word {

namespace nn = dl::nn;
using Model = nn::Model<float>;

inline constexpr int kClipMs = 10000;  // a training clip: 10 s
inline constexpr int kTx = 5511;       // spectrogram steps of 10 s
inline constexpr int kNFreq = 101;     // frequencies of the spectrogram
inline constexpr int kTy = 1375;       // the model's output steps

// (segment_start, segment_end) in ms, both included.
using Segment = std::pair<int, int>;

// Exercise 1. The course's get_random_time_segment: a segment of
// segment_ms milliseconds at a random place of the 10,000 ms clip:
//   segment_start = rng.randint(0, 10000 - segment_ms)
//   segment_end = segment_start + segment_ms - 1
Segment get_random_time_segment(int segment_ms, dl::RandomState& rng);

// Exercise 2. The course's is_overlapping: true when segment_time shares
// at least one millisecond with one of previous_segments (ends included:
// (100, 200) and (200, 300) overlap; (100, 199) and (200, 300) do not).
bool is_overlapping(const Segment& segment_time,
                    const std::vector<Segment>& previous_segments);

// What insert_audio_clip returns: the course's (new_background,
// segment_time).
struct Insertion {
  AudioSegment background;
  Segment segment_time;
};

// Exercise 3. The course's insert_audio_clip: put audio_clip somewhere
// in the background where no previous segment is:
//   segment_ms = audio_clip.length_ms()
//   segment_time = get_random_time_segment(segment_ms, rng)
//   retry = 5
//   while is_overlapping(segment_time, previous_segments) and retry >= 0:
//     segment_time = get_random_time_segment(segment_ms, rng); retry -= 1
//   if it does not overlap: previous_segments.push_back(segment_time) and
//     background = background.overlay(audio_clip, segment_time.first)
//   else: the background unchanged and segment_time = (10000, 10000)
Insertion insert_audio_clip(const AudioSegment& background,
                            const AudioSegment& audio_clip,
                            std::vector<Segment>& previous_segments,
                            dl::RandomState& rng);

// Exercise 4. The course's insert_ones: the 50 output steps right after
// segment_end_ms become 1:
//   segment_end_y = int(segment_end_ms * Ty / 10000.0)
//   y(0, i) = 1 for i = segment_end_y + 1 .. segment_end_y + 50, i < Ty
//   y: (1, Ty)  ->  the same with the ones (y itself is not changed)
Matrix insert_ones(const Matrix& y, int segment_end_ms);

// What create_training_example returns: the course's (x, y), and the
// mixed audio (the course's train.wav).
struct TrainingExample {
  Matrix x;            // (101, 5511): graph_spectrogram(audio)
  Matrix y;            // (1, Ty)
  AudioSegment audio;  // 10 s
};

// Exercise 5. The course's create_training_example:
//   background = background - 20 dB (apply_gain(-20))
//   y = zeros (1, Ty); previous_segments = {}
//   number_of_activates = rng.randint(0, 5)
//   for each of them: an activate chosen with rng.randint(0, #activates);
//     {background, segment_time} = insert_audio_clip(background, it,
//     previous_segments, rng); y = insert_ones(y, segment_time.second)
//     (all the choices first, then the insertions, as the course's
//     random_indices)
//   number_of_negatives = rng.randint(0, 3), chosen and inserted the same
//     way, without ones
//   background = match_target_amplitude(background, -20.0)
//   x = graph_spectrogram(background)
// (A clip that could not be placed has segment_time (10000, 10000): its
// ones would start past Ty, so y is unchanged.)
TrainingExample create_training_example(
    const AudioSegment& background, const std::vector<AudioSegment>& activates,
    const std::vector<AudioSegment>& negatives, int Ty, dl::RandomState& rng);

// Exercise 6. The course's modelf(input_shape): the model of the header's
// comment (its ReLU is Activation("relu"), as the course's), with the
// course's sizes by default: Conv1D(conv_filters, 15, strides 4),
// GRU(gru_units), Dropout(dropout_rate). The program trains a smaller one.
//   input_shape: {Tx, n_freq}  ->  a model from (m, Tx, n_freq) to
//   (m, Ty, 1) logits
Model modelf(const nn::Shape& input_shape, int conv_filters = 196,
             int gru_units = 128, double dropout_rate = 0.8);

// The reference solution (reference.cc) has the same functions, in
// trigger_word::reference. The grader compares yours with it.
namespace reference {
decltype(trigger_word::get_random_time_segment) get_random_time_segment;
decltype(trigger_word::is_overlapping) is_overlapping;
decltype(trigger_word::insert_audio_clip) insert_audio_clip;
decltype(trigger_word::insert_ones) insert_ones;
decltype(trigger_word::create_training_example) create_training_example;
decltype(trigger_word::modelf) modelf;  // (no default arguments here)
}  // namespace reference

}  // namespace trigger_word

#endif  // DLCOURSE_COURSE4_SEQ_TRIGGER_WORD_TRIGGER_WORD_H_
