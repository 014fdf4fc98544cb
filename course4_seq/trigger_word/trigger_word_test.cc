// Grades course4_seq/trigger_word: the course's public tests where they are
// literal (is_overlapping's cases, insert_ones's sums and positions, the
// model's summary), properties of the random segments and insertions, and
// comparisons with the reference on seeded inputs (the same seed gives the
// same choices).

#include "course4_seq/trigger_word/trigger_word.h"

#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "common/nn/layers.h"
#include "common/nn/test_util.h"
#include "course4_seq/trigger_word/graded.h"  // see tools/unit.bzl
#include "gtest/gtest.h"

namespace reference = trigger_word::reference;

namespace {

using namespace dl::grading;  // NOLINT: the grader (grading.h)
namespace nn = dl::nn;
using dl::Matrix;
using dl::RandomState;
using trigger_word::AudioSegment;
using trigger_word::Model;
using trigger_word::Segment;

std::string Str(const Segment& s) {
  return "(" + std::to_string(s.first) + ", " + std::to_string(s.second) + ")";
}

std::string Str(const std::vector<Segment>& v) {
  std::string s = "[";
  for (size_t k = 0; k < v.size(); ++k) s += (k ? ", " : "") + Str(v[k]);
  return s + "]";
}

// A short "word": a tone of `ms` milliseconds.
AudioSegment Word(int ms, float amplitude) {
  AudioSegment w = trigger_word::silent(ms);
  for (size_t k = 0; k < w.samples.size(); ++k) {
    w.samples[k] = amplitude * static_cast<float>((k % 50) / 25.0 - 1.0);
  }
  return w;
}

// ============================================== get_random_time_segment

TEST(GetRandomTimeSegment, InsideTheClipAndAsTheReference) {
  RandomState rng(1), same(1);
  for (int segment_ms : {500, 1000, 9999, 1}) {
    for (int k = 0; k < 20; ++k) {
      auto got = Call("get_random_time_segment", [&] {
        return graded::get_random_time_segment(segment_ms, rng);
      });
      if (!got) return;
      const Segment want = reference::get_random_time_segment(segment_ms, same);
      ASSERT_EQ(*got, want)
          << "get_random_time_segment(" << segment_ms << "): got " << Str(*got)
          << ", expected " << Str(want)
          << " with the same seed. segment_start = rng.randint(0, 10000 - "
             "segment_ms), one draw; segment_end = start + segment_ms - 1";
    }
  }
}

// ======================================================= is_overlapping

TEST(IsOverlapping, CoursePublicTests) {
  struct Case {
    Segment segment;
    std::vector<Segment> previous;
    bool want;
  };
  const std::vector<Case> cases = {
      {{950, 1430}, {{2000, 2550}, {260, 949}}, false},
      {{2305, 2950}, {{824, 1532}, {1900, 2305}, {3424, 3656}}, true},
      {{670, 1430}, {}, false},
      {{500, 1000}, {{100, 499}, {1001, 1100}}, false},
      {{750, 1250}, {{100, 750}, {1001, 1100}}, true},
      {{750, 1250}, {{300, 600}, {1250, 1500}}, true},
      {{750, 1250}, {{300, 600}, {600, 1500}, {1600, 1800}}, true}};
  for (const Case& c : cases) {
    auto got = Call("is_overlapping", [&] {
      return graded::is_overlapping(c.segment, c.previous);
    });
    if (!got) return;
    EXPECT_EQ(*got, c.want)
        << "is_overlapping(" << Str(c.segment) << ", " << Str(c.previous)
        << ") should be " << (c.want ? "true" : "false")
        << ": both ends are part of a segment, so sharing one millisecond "
           "is an overlap";
  }
}

// ==================================================== insert_audio_clip

TEST(InsertAudioClip, WhereItSaysAndAsTheReference) {
  RandomState rng(2), same(2);
  const AudioSegment background = Word(10000, 0.01f);
  std::vector<Segment> previous = {{0, 2999}, {7000, 9999}},
                       previous_ref = previous;
  const AudioSegment clip = Word(1200, 0.3f);
  auto got = Call("insert_audio_clip", [&] {
    return graded::insert_audio_clip(background, clip, previous, rng);
  });
  if (!got) return;
  const trigger_word::Insertion want =
      reference::insert_audio_clip(background, clip, previous_ref, same);
  ASSERT_EQ(got->segment_time, want.segment_time)
      << "insert_audio_clip: segment_time differs from the reference's "
         "with the same seed: one get_random_time_segment, then a new one "
         "while it overlaps (at most 6 in all)";
  EXPECT_EQ(previous, previous_ref)
      << "insert_audio_clip: previous_segments should become "
      << Str(previous_ref) << " (push_back the segment you used)";
  ASSERT_EQ(got->background.samples.size(), background.samples.size())
      << "insert_audio_clip: the new background is as long as the old one";
  EXPECT_EQ(got->background.samples, want.background.samples)
      << "insert_audio_clip: background.overlay(audio_clip, "
         "segment_time.first)";
}

TEST(InsertAudioClip, NoRoomLeavesTheBackground) {
  RandomState rng(3);
  const AudioSegment background = Word(10000, 0.01f);
  std::vector<Segment> previous = {{0, 9999}};
  auto got = Call("insert_audio_clip", [&] {
    return graded::insert_audio_clip(background, Word(800, 0.3f), previous,
                                     rng);
  });
  if (!got) return;
  EXPECT_EQ(got->segment_time, Segment(10000, 10000))
      << "insert_audio_clip: when every try overlaps, segment_time is "
         "(10000, 10000)";
  EXPECT_EQ(previous.size(), 1u)
      << "insert_audio_clip: nothing is added to previous_segments then";
  EXPECT_EQ(got->background.samples, background.samples)
      << "insert_audio_clip: and the background is unchanged";
}

// ========================================================== insert_ones

TEST(InsertOnes, CoursePublicTest) {
  const int Ty = trigger_word::kTy;
  auto arr1 = Call("insert_ones", [&] {
    return graded::insert_ones(Matrix::Zero(1, Ty), 9700);
  });
  if (!arr1) return;
  ASSERT_TRUE(HasShape("insert_ones", "y", *arr1, 1, Ty, "y keeps (1, Ty)"));
  EXPECT_EQ((*arr1)(0, 1333), 0) << "insert_ones(zeros, 9700): y[0][1333] "
                                    "is 0 (int(9700 * 1375 / 10000) = 1333: "
                                    "the ones start AFTER it)";
  EXPECT_EQ((*arr1)(0, 1334), 1);
  EXPECT_EQ(arr1->sum(), 41)
      << "insert_ones(zeros, 9700): 41 ones (1334 .. 1374: the 50 are cut "
         "at Ty)";
  auto arr2 =
      Call("insert_ones", [&] { return graded::insert_ones(*arr1, 4251); });
  if (!arr2) return;
  EXPECT_EQ((*arr2)(0, 634), 1);
  EXPECT_EQ((*arr2)(0, 635), 0);
  EXPECT_EQ(arr2->sum(), 91)
      << "insert_ones(arr1, 4251): the 41 ones stay, 50 more (585 .. 634)";
}

// ============================================== create_training_example

TEST(CreateTrainingExample, AsTheReferenceWithTheSameSeed) {
  dl::RandomState noise(4);
  AudioSegment background = trigger_word::silent(10000);
  for (float& s : background.samples) {
    s = static_cast<float>(0.05 * noise.standard_normal());
  }
  const std::vector<AudioSegment> activates = {Word(700, 0.3f),
                                               Word(900, 0.2f)};
  const std::vector<AudioSegment> negatives = {Word(500, 0.3f),
                                               Word(1100, 0.25f)};
  for (uint32_t seed : {5u, 6u, 18u}) {
    RandomState rng(seed), same(seed);
    auto got = Call("create_training_example", [&] {
      return graded::create_training_example(background, activates, negatives,
                                             trigger_word::kTy, rng);
    });
    if (!got) return;
    const trigger_word::TrainingExample want =
        reference::create_training_example(background, activates, negatives,
                                           trigger_word::kTy, same);
    const std::string seed_text = "seed " + std::to_string(seed);
    ASSERT_TRUE(Near("create_training_example", "y (" + seed_text + ")", got->y,
                     want.y, kCourseValues,
                     "the draws in the header's order: number_of_activates, "
                     "their indices, each insertion, then the negatives; "
                     "insert_ones with segment_time's END"));
    ASSERT_EQ(got->audio.samples.size(), want.audio.samples.size());
    double worst = 0;
    for (size_t k = 0; k < want.audio.samples.size(); ++k) {
      worst = std::max<double>(
          worst, std::abs(got->audio.samples[k] - want.audio.samples[k]));
    }
    EXPECT_LT(worst, 1e-5) << "create_training_example: the audio differs ("
                           << seed_text
                           << "): background - 20 dB, the clips overlaid, then "
                              "match_target_amplitude(-20.0)";
    EXPECT_TRUE(Near("create_training_example", "x (" + seed_text + ")", got->x,
                     want.x, {1e-3, 1e-4},
                     "x = graph_spectrogram of the final audio"));
  }
}

// =============================================================== modelf

TEST(Modelf, CourseSummary) {
  auto got = Call("modelf", [&] {
    return graded::modelf({5511, 101}, 196, 128, 0.8);
  });
  if (!got) return;
  const std::vector<std::string> want = {
      "Conv1D (None, 1375, 196) 297136",
      "BatchNormalization (None, 1375, 196) 784",
      "Activation (None, 1375, 196) 0",
      "Dropout (None, 1375, 196) 0",
      "GRU (None, 1375, 128) 125184",
      "Dropout (None, 1375, 128) 0",
      "BatchNormalization (None, 1375, 128) 512",
      "GRU (None, 1375, 128) 99072",
      "Dropout (None, 1375, 128) 0",
      "BatchNormalization (None, 1375, 128) 512",
      "Dropout (None, 1375, 128) 0",
      "Dense (None, 1375, 1) 129"};
  const std::vector<std::string> lines = dl::nn::test::SummaryLines(*got);
  std::string all;
  for (const std::string& l : lines) all += "\n      " + l;
  ASSERT_EQ(lines.size(), want.size())
      << "modelf: " << lines.size() << " layers, expected " << want.size()
      << ". Yours:" << all;
  for (size_t k = 0; k < want.size(); ++k) {
    EXPECT_EQ(lines[k], want[k])
        << "modelf: layer " << k + 1 << " differs. Yours:" << all
        << "\n    hint: Conv1D(196, 15, 4); GRU(128, true) both times; a "
           "Dropout after each GRU and one more before the Dense(1)";
  }
}

TEST(Modelf, MatchesReference) {
  auto got = Call("modelf", [&] { return graded::modelf({60, 7}, 4, 3, 0.5); });
  if (!got) return;
  Model want = reference::modelf({60, 7}, 4, 3, 0.5);
  ASSERT_EQ(got->num_layers(), want.num_layers())
      << "modelf(input_shape, 4, 3, 0.5): the layers differ from the "
         "reference's (see Modelf.CourseSummary)";
  RandomState rng(7);
  nn::Array<float> x({2, 60, 7});
  for (nn::Index k = 0; k < x.size(); ++k) {
    x[k] = static_cast<float>(rng.standard_normal());
  }
  for (bool training : {false, true}) {
    const nn::Array<float> y = got->Forward(x, training);
    const nn::Array<float> y_want = want.Forward(x, training);
    ASSERT_EQ(y.shape(), y_want.shape());
    ASSERT_TRUE(Near("modelf",
                     std::string("the logits in ") +
                         (training ? "training" : "inference") + " mode",
                     Matrix(y.vec().cast<double>()),
                     Matrix(y_want.vec().cast<double>()), {1e-5, 1e-4},
                     "use conv_filters, gru_units and dropout_rate, not the "
                     "course's numbers, inside modelf"));
  }
}

}  // namespace
