// The reference solution of course4_seq/trigger_word: the course's data
// synthesis functions and its model, written with common/nn/model.h.

#include <vector>

#include "course4_seq/trigger_word/trigger_word.h"

namespace trigger_word {
namespace reference {

Segment get_random_time_segment(int segment_ms, dl::RandomState& rng) {
  // Make sure the segment does not run past the 10 s background.
  const int segment_start =
      static_cast<int>(rng.randint(0, kClipMs - segment_ms));
  const int segment_end = segment_start + segment_ms - 1;
  return {segment_start, segment_end};
}

bool is_overlapping(const Segment& segment_time,
                    const std::vector<Segment>& previous_segments) {
  const auto [segment_start, segment_end] = segment_time;
  bool overlap = false;
  for (const auto& [previous_start, previous_end] : previous_segments) {
    if (segment_start <= previous_end && segment_end >= previous_start) {
      overlap = true;
    }
  }
  return overlap;
}

Insertion insert_audio_clip(const AudioSegment& background,
                            const AudioSegment& audio_clip,
                            std::vector<Segment>& previous_segments,
                            dl::RandomState& rng) {
  const int segment_ms = audio_clip.length_ms();
  Segment segment_time = reference::get_random_time_segment(segment_ms, rng);
  // Try again, at most 5 more times, while it overlaps.
  int retry = 5;
  while (reference::is_overlapping(segment_time, previous_segments) &&
         retry >= 0) {
    segment_time = reference::get_random_time_segment(segment_ms, rng);
    retry = retry - 1;
  }
  if (!reference::is_overlapping(segment_time, previous_segments)) {
    previous_segments.push_back(segment_time);
    return {background.overlay(audio_clip, segment_time.first), segment_time};
  }
  return {background, {10000, 10000}};
}

Matrix insert_ones(const Matrix& y, int segment_end_ms) {
  const int Ty = static_cast<int>(y.cols());
  const int segment_end_y = static_cast<int>(segment_end_ms * Ty / 10000.0);
  Matrix out = y;
  for (int i = segment_end_y + 1; i < segment_end_y + 51; ++i) {
    if (i < Ty) out(0, i) = 1;
  }
  return out;
}

TrainingExample create_training_example(
    const AudioSegment& background, const std::vector<AudioSegment>& activates,
    const std::vector<AudioSegment>& negatives, int Ty, dl::RandomState& rng) {
  // Make the background quieter.
  AudioSegment mixed = background.apply_gain(-20);
  Matrix y = Matrix::Zero(1, Ty);
  std::vector<Segment> previous_segments;
  // Some random "activate" clips.
  const int number_of_activates = static_cast<int>(rng.randint(0, 5));
  std::vector<int> random_indices;
  for (int k = 0; k < number_of_activates; ++k) {
    random_indices.push_back(
        static_cast<int>(rng.randint(0, activates.size())));
  }
  for (int index : random_indices) {
    const Insertion inserted = reference::insert_audio_clip(
        mixed, activates[index], previous_segments, rng);
    mixed = inserted.background;
    y = reference::insert_ones(y, inserted.segment_time.second);
  }
  // Some random negative clips, without ones.
  const int number_of_negatives = static_cast<int>(rng.randint(0, 3));
  random_indices.clear();
  for (int k = 0; k < number_of_negatives; ++k) {
    random_indices.push_back(
        static_cast<int>(rng.randint(0, negatives.size())));
  }
  for (int index : random_indices) {
    mixed = reference::insert_audio_clip(mixed, negatives[index],
                                         previous_segments, rng)
                .background;
  }
  mixed = match_target_amplitude(mixed, -20.0);
  TrainingExample example;
  example.x = graph_spectrogram(mixed);
  example.y = y;
  example.audio = mixed;
  return example;
}

Model modelf(const nn::Shape& input_shape, int conv_filters, int gru_units,
             double dropout_rate) {
  Model model("modelf");
  nn::Node X_input = model.Input(input_shape);
  // CONV layer: 196 filters of 15 steps, stride 4.
  nn::Node X = model.Add(nn::Conv1D(conv_filters, 15, 4), X_input);
  X = model.Add(nn::BatchNormalization(), X);
  X = model.Add(nn::Activation("relu"), X);
  X = model.Add(nn::Dropout(dropout_rate), X);
  // First GRU layer: 128 units, returning the sequences.
  X = model.Add(nn::GRU(gru_units, /*return_sequences=*/true), X);
  X = model.Add(nn::Dropout(dropout_rate), X);
  X = model.Add(nn::BatchNormalization(), X);
  // Second GRU layer.
  X = model.Add(nn::GRU(gru_units, /*return_sequences=*/true), X);
  X = model.Add(nn::Dropout(dropout_rate), X);
  X = model.Add(nn::BatchNormalization(), X);
  X = model.Add(nn::Dropout(dropout_rate), X);
  // Time-distributed dense layer (the sigmoid is in the loss).
  X = model.Add(nn::Dense(1), X);
  model.Output(X);
  return model;
}

}  // namespace reference
}  // namespace trigger_word
