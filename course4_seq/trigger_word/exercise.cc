// Your solutions to course4_seq/trigger_word. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course4_seq/trigger_word/...
// The formulas and shapes are in trigger_word.h and README.md.

#include <vector>

#include "common/grading/not_implemented.h"
#include "course4_seq/trigger_word/trigger_word.h"

namespace trigger_word {

Segment get_random_time_segment(int segment_ms, dl::RandomState& rng) {
  // TODO: segment_start = rng.randint(0, 10000 - segment_ms) (as an int);
  //       segment_end = segment_start + segment_ms - 1.   (≈3 lines)
  return dl::not_implemented<Segment>("get_random_time_segment");
}

bool is_overlapping(const Segment& segment_time,
                    const std::vector<Segment>& previous_segments) {
  // TODO: for each (previous_start, previous_end): they overlap when
  //       segment_start <= previous_end and segment_end >= previous_start.
  //   (≈6 lines)
  return dl::not_implemented<bool>("is_overlapping");
}

Insertion insert_audio_clip(const AudioSegment& background,
                            const AudioSegment& audio_clip,
                            std::vector<Segment>& previous_segments,
                            dl::RandomState& rng) {
  // TODO: segment_ms = audio_clip.length_ms(); a random segment; retry = 5;
  //       while it overlaps and retry >= 0: a new one, retry -= 1.
  //       If it does not overlap: previous_segments.push_back(it) and return
  //       {background.overlay(audio_clip, segment_time.first), segment_time};
  //       else return {background, {10000, 10000}}.   (≈15 lines)
  return dl::not_implemented<Insertion>("insert_audio_clip");
}

Matrix insert_ones(const Matrix& y, int segment_end_ms) {
  // TODO: Ty = y.cols(); segment_end_y = int(segment_end_ms * Ty / 10000.0);
  //       a copy of y with 1 at i = segment_end_y + 1 .. segment_end_y + 50
  //       (only where i < Ty).   (≈6 lines)
  return dl::not_implemented<Matrix>("insert_ones");
}

TrainingExample create_training_example(
    const AudioSegment& background, const std::vector<AudioSegment>& activates,
    const std::vector<AudioSegment>& negatives, int Ty, dl::RandomState& rng) {
  // TODO: the header's recipe: quieter background (apply_gain(-20)),
  //       y = zeros (1, Ty), up to 4 activates (each with its ones), up to
  //       2 negatives, match_target_amplitude(-20.0), then
  //       x = graph_spectrogram(background).   (≈30 lines)
  return dl::not_implemented<TrainingExample>("create_training_example");
}

Model modelf(const nn::Shape& input_shape, int conv_filters, int gru_units,
             double dropout_rate) {
  // TODO: Model model("modelf"); nn::Node X_input = model.Input(input_shape);
  //       then, each with X = model.Add(layer, X): nn::Conv1D(conv_filters,
  //       15, 4), nn::BatchNormalization(), nn::Activation("relu"),
  //       nn::Dropout(dropout_rate), nn::GRU(gru_units, true), Dropout,
  //       BatchNormalization, GRU, Dropout, BatchNormalization, Dropout,
  //       nn::Dense(1); model.Output(X).   (≈15 lines)
  return dl::not_implemented<Model>("modelf");
}

}  // namespace trigger_word
