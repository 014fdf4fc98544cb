// Tests of the given code of course4_seq/seq2seq_attention: the dates and
// their formats, the course's vocabularies and string_to_int, the one-hot
// layout, the model's weights (the course's parameter counts), the LSTM
// step (against rnn_step_by_step's), the loss, and the attention map.

#include "course4_seq/seq2seq_attention/nmt_utils.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/data/image.h"
#include "common/nn/autograd.h"
#include "course4_seq/rnn_step_by_step/rnn_step_by_step.h"
#include "course4_seq/seq2seq_attention/attention_map.h"
#include "gtest/gtest.h"

namespace seq2seq_attention {
namespace {

namespace ag = dl::ag;

TEST(NmtUtils, FormatsLikeBabelEnUs) {
  // Wednesday, 9 May 2018.
  EXPECT_EQ(format_date(2018, 5, 9, "short"), "5/9/18");
  EXPECT_EQ(format_date(2018, 5, 9, "medium"), "May 9, 2018");
  EXPECT_EQ(format_date(2018, 5, 9, "long"), "May 9, 2018");
  EXPECT_EQ(format_date(2018, 5, 9, "full"), "Wednesday, May 9, 2018");
  EXPECT_EQ(format_date(2018, 5, 9, "d MMM YYY"), "9 May 2018");
  EXPECT_EQ(format_date(2018, 9, 9, "d MMM YYY"), "9 Sep 2018");
  EXPECT_EQ(format_date(2018, 9, 9, "d MMMM, YYY"), "9 September, 2018");
  EXPECT_EQ(format_date(2018, 5, 9, "dd, MMM YYY"), "09, May 2018");
  EXPECT_EQ(format_date(2018, 5, 9, "d MM YY"), "9 05 18");
  EXPECT_EQ(format_date(2009, 4, 5, "dd.MM.YY"), "05.04.09");
  EXPECT_EQ(format_date(1979, 5, 3, "MMMM d, YYY"), "May 3, 1979");
  // Days of the week.
  EXPECT_EQ(format_date(1970, 1, 1, "full"), "Thursday, January 1, 1970");
  EXPECT_EQ(format_date(2000, 2, 29, "full"), "Tuesday, February 29, 2000");
  EXPECT_EQ(format_date(1993, 10, 12, "full"), "Tuesday, October 12, 1993");
  EXPECT_EQ(format_date(2020, 12, 31, "full"), "Thursday, December 31, 2020");
}

TEST(NmtUtils, LoadDateGivesConsistentPairs) {
  dl::RandomState rng(1);
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    const DatePair p = load_date(rng);
    ASSERT_EQ(p.machine.size(), 10u) << p.machine;
    EXPECT_EQ(p.machine[4], '-');
    EXPECT_EQ(p.machine[7], '-');
    const int year = std::stoi(p.machine.substr(0, 4));
    EXPECT_GE(year, 1970);
    EXPECT_LE(year, 2020);
    EXPECT_LE(p.human.size(), 30u) << p.human;
    EXPECT_EQ(p.human.find(','), std::string::npos) << p.human;
    for (char c : p.human)
      EXPECT_FALSE(std::isupper(static_cast<unsigned char>(c)));
    // The year's last two digits are always in the human date.
    EXPECT_NE(p.human.find(p.machine.substr(2, 2)), std::string::npos)
        << p.human << " -> " << p.machine;
    seen.insert(p.human);
  }
  EXPECT_GT(seen.size(), 1900u);  // hardly any repeats
}

// The course's vocabularies: human_vocab 37 (with '<unk>' and '<pad>'),
// machine_vocab 11, in sorted order.
TEST(NmtUtils, CourseVocabularies) {
  dl::RandomState rng(12345);
  const Dataset d = load_dataset(10000, rng);
  EXPECT_EQ(d.dataset.size(), 10000u);
  ASSERT_EQ(d.human_vocab.size(), 37u);
  ASSERT_EQ(d.machine_vocab.size(), 11u);
  const std::string chars = " ./0123456789abcdefghijlmnoprstuvwy";
  for (size_t k = 0; k < chars.size(); ++k) {
    EXPECT_EQ(d.human_vocab.at(std::string(1, chars[k])), static_cast<int>(k))
        << chars[k];
  }
  EXPECT_EQ(d.human_vocab.at("<unk>"), 35);
  EXPECT_EQ(d.human_vocab.at("<pad>"), 36);
  EXPECT_EQ(d.machine_vocab.at("-"), 0);
  EXPECT_EQ(d.machine_vocab.at("0"), 1);
  EXPECT_EQ(d.machine_vocab.at("9"), 10);
  EXPECT_EQ(d.inv_machine_vocab.at(0), "-");
  EXPECT_EQ(d.inv_machine_vocab.at(10), "9");
  // The same seed, the same data set.
  dl::RandomState again(12345);
  const Dataset d2 = load_dataset(10, again);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(d2.dataset[i].human, d.dataset[i].human);
  }
}

TEST(NmtUtils, StringToInt) {
  dl::RandomState rng(12345);
  const Dataset d = load_dataset(10000, rng);
  std::vector<int> want = {6, 0, 24, 13, 34, 0, 4, 12, 10, 12};
  want.resize(30, 36);
  EXPECT_EQ(string_to_int("3 May 1979", 30, d.human_vocab), want);
  // Commas removed, lower-cased, unknown characters -> '<unk>', cut to 5.
  EXPECT_EQ(string_to_int("Mar 3, 2001!", 12, d.human_vocab),
            (std::vector<int>{24, 13, 28, 0, 6, 0, 5, 3, 3, 4, 35, 36}));
  EXPECT_EQ(string_to_int("wednesday september 30 2020", 5, d.human_vocab),
            (std::vector<int>{33, 17, 16, 25, 17}));
  EXPECT_EQ(string_to_int("1979-05-03", 10, d.machine_vocab),
            (std::vector<int>{2, 10, 8, 10, 0, 1, 6, 0, 1, 4}));
  EXPECT_EQ(
      int_to_string({2, 10, 8, 10, 0, 1, 6, 0, 1, 4}, d.inv_machine_vocab),
      (std::vector<std::string>{"1", "9", "7", "9", "-", "0", "5", "-", "0",
                                "3"}));
}

TEST(NmtUtils, PreprocessDataShapesAndOneHot) {
  dl::RandomState rng(12345);
  const Dataset d = load_dataset(50, rng);
  const Preprocessed p =
      preprocess_data(d.dataset, d.human_vocab, d.machine_vocab, 30, 10);
  ASSERT_EQ(p.X.size(), 50u);
  ASSERT_EQ(p.X[0].size(), 30u);
  ASSERT_EQ(p.Y[0].size(), 10u);
  // The course's Xoh (m, Tx, 37) is our (37, m, Tx).
  EXPECT_EQ(dl::shape_string(p.Xoh), "(37, 50, 30)");
  EXPECT_EQ(dl::shape_string(p.Yoh), "(11, 50, 10)");
  for (int i = 0; i < 50; ++i) {
    for (int t = 0; t < 30; ++t) {
      double total = 0;
      for (int k = 0; k < 37; ++k) total += p.Xoh(k, i, t);
      ASSERT_EQ(total, 1);
      ASSERT_EQ(p.Xoh(p.X[i][t], i, t), 1);
    }
  }
  EXPECT_EQ(time_step(p.Yoh, 3)(p.Y[7][3], 7), 1);
}

// The course's model summary: Bidirectional 17,920; Dense(10) 1,290;
// Dense(1) 11; LSTM(64) 33,024; Dense(11) 715; total 52,960.
TEST(NmtUtils, CourseParameterCounts) {
  dl::RandomState rng(0);
  const NmtParameters p = initialize_parameters(32, 64, 37, 11, rng);
  EXPECT_EQ(ag::NumParameters(p.all()), 52960);
  auto lstm = [](const LstmWeights& w) {
    return ag::NumParameters({w.Wf, w.bf, w.Wi, w.bi, w.Wc, w.bc, w.Wo, w.bo});
  };
  EXPECT_EQ(lstm(p.encoder_forward) + lstm(p.encoder_backward), 17920);
  EXPECT_EQ(ag::NumParameters({p.attention.W1, p.attention.b1}), 1290);
  EXPECT_EQ(ag::NumParameters({p.attention.W2, p.attention.b2}), 11);
  EXPECT_EQ(lstm(p.post_attention_lstm), 33024);
  EXPECT_EQ(ag::NumParameters({p.Wy, p.by}), 715);
  EXPECT_EQ(p.encoder_forward.bf.value(), dl::Matrix::Ones(32, 1));
  for (const Var& v : p.all()) EXPECT_TRUE(v.is_param());
}

// Our LSTM step on Vars is C5W1's lstm_cell_forward.
TEST(NmtUtils, LstmCellMatchesStepByStep) {
  dl::RandomState rng(2);
  const int n_x = 3, n_a = 4, m = 5;
  rnn_step_by_step::LstmParameters q;
  q.Wf = rng.randn(n_a, n_a + n_x);
  q.bf = rng.randn(n_a, 1);
  q.Wi = rng.randn(n_a, n_a + n_x);
  q.bi = rng.randn(n_a, 1);
  q.Wc = rng.randn(n_a, n_a + n_x);
  q.bc = rng.randn(n_a, 1);
  q.Wo = rng.randn(n_a, n_a + n_x);
  q.bo = rng.randn(n_a, 1);
  q.Wy = rng.randn(2, n_a);
  q.by = rng.randn(2, 1);
  const dl::Matrix xt = rng.randn(n_x, m), a = rng.randn(n_a, m),
                   c = rng.randn(n_a, m);
  const LstmWeights w{ag::Param(q.Wf), ag::Param(q.bf), ag::Param(q.Wi),
                      ag::Param(q.bi), ag::Param(q.Wc), ag::Param(q.bc),
                      ag::Param(q.Wo), ag::Param(q.bo)};
  const LstmState got =
      lstm_cell_forward(ag::Constant(xt), ag::Constant(a), ag::Constant(c), w);
  const auto want = rnn_step_by_step::reference::lstm_cell_forward(xt, a, c, q);
  EXPECT_TRUE(dl::allclose(got.a.value(), want.a_next, 1e-12, 1e-14));
  EXPECT_TRUE(dl::allclose(got.c.value(), want.c_next, 1e-12, 1e-14));
}

TEST(NmtUtils, ModelLossSumsTheStepsMeans) {
  const dl::Matrix z0 = dl::matrix({{1, 0}, {0, 2}});
  const dl::Matrix z1 = dl::matrix({{3, 1}, {1, 1}});
  const Var loss =
      model_loss({ag::Constant(z0), ag::Constant(z1)}, {{0, 1}, {1, 0}});
  auto ce = [](double right, double other) {
    return std::log(std::exp(right) + std::exp(other)) - right;
  };
  // Example 0: labels 0, 1; example 1: labels 1, 0.
  const double want = (ce(1, 0) + ce(2, 0)) / 2 + (ce(1, 3) + ce(1, 1)) / 2;
  EXPECT_NEAR(loss.item(), want, 1e-12);
  EXPECT_THROW(model_loss({ag::Constant(z0)}, {{0}}), std::invalid_argument);
}

TEST(AttentionMap, DrawsTheMapAndTheLabels) {
  dl::Matrix attention = dl::Matrix::Zero(3, 5);
  attention(0, 1) = 1;
  attention(1, 3) = 0.5;
  attention(2, 4) = 0.25;
  const dl::Image image = RenderAttentionMap(attention, "a 1.b", "9-0");
  EXPECT_EQ(image.channels, 3);
  EXPECT_EQ(image.height, 56 + 3 * 24 + 96);
  EXPECT_GE(image.width, 70 + 5 * 24 + 20);
  // The darkest blue at the row maxima (each row divided by its maximum),
  // almost white elsewhere. Cell (t, t') spans x from 70 + 24 t'.
  auto pixel = [&](int x, int y) {
    const uint8_t* p =
        &image.pixels[(static_cast<size_t>(y) * image.width + x) * 3];
    return Rgb{p[0], p[1], p[2]};
  };
  const Rgb dark = pixel(70 + 24 * 3 + 12, 56 + 24 * 1 + 12);
  EXPECT_EQ(dark.b, 107);
  EXPECT_EQ(dark.r, 8);
  const Rgb light = pixel(70 + 24 * 0 + 12, 56 + 24 * 1 + 12);
  EXPECT_EQ(light.r, 247);
  // Some ink in the label area under the columns and left of the rows.
  int ink = 0;
  for (int y = 56 + 72; y < 56 + 72 + 20; ++y) {
    for (int x = 70; x < 70 + 120; ++x) ink += pixel(x, y).r == 0;
  }
  EXPECT_GT(ink, 20);
  EXPECT_EQ(Blues(0).r, 247);
  EXPECT_EQ(Blues(1).b, 107);
  // A PNG on disk.
  const std::string path = ::testing::TempDir() + "/attention_map_test.png";
  ASSERT_TRUE(WriteAttentionMapPng(path, attention, "a 1.b", "9-0").ok());
  const absl::StatusOr<dl::Image> back = dl::LoadImage(path, 3);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->width, image.width);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace seq2seq_attention
