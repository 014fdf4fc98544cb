// Tests of the given code in char_lm_utils: the course's initialisation
// (np.random.seed(1)), the initial loss, the forward loss by hand, a
// finite-difference check of rnn_backward, update_parameters, get_sample, the
// vocabulary, and the shipped dinos.txt (read from the test's data).

#include "course4_seq/char_lm/char_lm_utils.h"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/grading/grading.h"
#include "course4_seq/char_lm/char_lm_test_util.h"
#include "gtest/gtest.h"

namespace char_lm {
namespace {

using dl::RandomState;

TEST(Softmax, ColumnsSumToOne) {
  const Matrix x = dl::matrix({{1, 2}, {3, -1}, {0.5, 0}});
  const Matrix s = softmax(x);
  for (int j = 0; j < 2; ++j) {
    EXPECT_NEAR(s.col(j).sum(), 1.0, 1e-15);
    const double z = std::exp(x(0, j)) + std::exp(x(1, j)) + std::exp(x(2, j));
    for (int i = 0; i < 3; ++i)
      EXPECT_NEAR(s(i, j), std::exp(x(i, j)) / z, 1e-15);
  }
}

TEST(Smooth, CourseFormula) {
  EXPECT_DOUBLE_EQ(smooth(10.0, 20.0), 10.0 * 0.999 + 20.0 * 0.001);
  // -ln(1/27) * 7: the loss of 7 characters guessed at random.
  EXPECT_NEAR(get_initial_loss(27, 7), 23.070858062030304, 1e-12);
}

TEST(InitializeParameters, CourseSeedAndOrder) {
  const Parameters p = initialize_parameters(50, 27, 27);
  ASSERT_EQ(p.Wax.rows(), 50);
  ASSERT_EQ(p.Wax.cols(), 27);
  ASSERT_EQ(p.Waa.rows(), 50);
  ASSERT_EQ(p.Wya.rows(), 27);
  ASSERT_EQ(p.Wya.cols(), 50);
  EXPECT_NEAR(p.Wax(0, 0), 0.01624345, 1e-8);  // np.random.seed(1); randn
  EXPECT_NEAR(p.Wax(0, 1), -0.00611756, 1e-8);
  RandomState rng(1);
  const Matrix Wax = rng.randn(50, 27) * 0.01;
  const Matrix Waa = rng.randn(50, 50) * 0.01;
  const Matrix Wya = rng.randn(27, 50) * 0.01;
  EXPECT_EQ(p.Wax, Wax);
  EXPECT_EQ(p.Waa, Waa);
  EXPECT_EQ(p.Wya, Wya);
  EXPECT_EQ(p.b, Matrix::Zero(50, 1));
  EXPECT_EQ(p.by, Matrix::Zero(27, 1));
}

TEST(RnnForward, LossByHand) {
  RandomState rng(5);
  const Parameters p = random_parameters(rng, 3, 5, 1.0);
  const Matrix a0 = rng.randn(3, 1);
  const std::vector<int> X = {kNone, 2}, Y = {2, 0};
  const RnnForwardOutput out = rnn_forward(X, Y, a0, p);
  // Step 0: x = 0; step 1: x = e_2.
  const Matrix a1 = (p.Waa * a0 + p.b).array().tanh().matrix();
  const Matrix y1 = softmax(p.Wya * a1 + p.by);
  const Matrix a2 = (p.Wax.col(2) + p.Waa * a1 + p.b).array().tanh().matrix();
  const Matrix y2 = softmax(p.Wya * a2 + p.by);
  EXPECT_NEAR(out.loss, -std::log(y1(2, 0)) - std::log(y2(0, 0)), 1e-12);
  ASSERT_EQ(out.cache.a.size(), 2u);
  EXPECT_TRUE(out.cache.a[1].isApprox(a2, 1e-12));
  EXPECT_EQ(out.cache.x[0], Matrix::Zero(5, 1));
  EXPECT_EQ(out.cache.x[1](2, 0), 1.0);
  EXPECT_EQ(out.cache.a_prev, a0);
  EXPECT_THROW(rnn_forward({kNone, 5}, {5, 0}, a0, p), std::invalid_argument);
  EXPECT_THROW(rnn_forward({kNone}, {1, 0}, a0, p), std::invalid_argument);
}

// J = rnn_forward's loss; rnn_backward's gradients must be ∂J/∂(parameters).
TEST(RnnBackward, GradientsMatchFiniteDifferences) {
  for (int vocab_size : {27, 5}) {
    RandomState rng(7 + vocab_size);
    const int n_a = 4;
    Parameters p = random_parameters(rng, n_a, vocab_size, 0.5);
    const Matrix a0 = rng.randn(n_a, 1);
    const std::vector<int> X = {kNone, 1, 3, 3, 2};
    const std::vector<int> Y = {1, 3, 3, 2, 0};
    const RnnBackwardOutput back =
        rnn_backward(X, Y, p, rnn_forward(X, Y, a0, p).cache);
    ASSERT_EQ(back.a.size(), X.size());
    auto J = [&] { return rnn_forward(X, Y, a0, p).loss; };
    std::vector<dl::grading::GradientBlock> blocks = {
        {"dWax", &p.Wax, back.gradients.dWax},
        {"dWaa", &p.Waa, back.gradients.dWaa},
        {"dWya", &p.Wya, back.gradients.dWya},
        {"db", &p.b, back.gradients.db},
        {"dby", &p.by, back.gradients.dby}};
    EXPECT_TRUE(dl::grading::GradientsMatch(
        "rnn_backward", dl::grading::CheckGradients(J, blocks)));
  }
}

TEST(UpdateParameters, GradientDescentInPlace) {
  RandomState rng(9);
  Parameters p = random_parameters(rng, 3, 4, 1.0);
  const Parameters start = p;
  const Gradients g = random_gradients(rng, 3, 4);
  update_parameters(p, g, 0.1);
  EXPECT_TRUE(p.Wax.isApprox(start.Wax - 0.1 * g.dWax));
  EXPECT_TRUE(p.Waa.isApprox(start.Waa - 0.1 * g.dWaa));
  EXPECT_TRUE(p.Wya.isApprox(start.Wya - 0.1 * g.dWya));
  EXPECT_TRUE(p.b.isApprox(start.b - 0.1 * g.db));
  EXPECT_TRUE(p.by.isApprox(start.by - 0.1 * g.dby));
}

TEST(Vocabulary, SortedWithNewlineFirst) {
  const Vocabulary v = build_vocabulary("rex\nzuul\n");
  ASSERT_EQ(v.chars.size(), 7u);  // \n e l r u x z
  EXPECT_EQ(v.char_to_ix.at('\n'), 0);
  EXPECT_EQ(v.char_to_ix.at('e'), 1);
  EXPECT_EQ(v.ix_to_char.at(6), 'z');
  EXPECT_EQ(
      get_sample({20, 18, 15, 0},
                 build_vocabulary("\nabcdefghijklmnopqrstuvwxyz").ix_to_char),
      "Tro\n");
  EXPECT_EQ(split_names("abc\n\nde\r\nf"),
            (std::vector<std::string>{"abc", "de", "f"}));
}

TEST(ReadData, MissingFileIsNotFound) {
  const auto data = read_data("no/such/dinos.txt");
  ASSERT_FALSE(data.ok());
  EXPECT_EQ(data.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(std::string(data.status().message()).find("no/such/dinos.txt"),
            std::string::npos);
}

TEST(ReadData, NonAsciiBytesAreAnErrorNamingTheLine) {
  const std::string path =
      std::string(std::getenv("TEST_TMPDIR") ? std::getenv("TEST_TMPDIR")
                                             : "/tmp") +
      "/latin1.txt";
  {
    std::ofstream out(path, std::ios::binary);
    out << "abc\nd\xe9"
           "f\n";  // (split: \x escapes are greedy)
  }
  const auto data = read_data(path);
  ASSERT_FALSE(data.ok());
  EXPECT_EQ(data.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string message(data.status().message());
  EXPECT_NE(message.find("line 2"), std::string::npos) << message;
  EXPECT_NE(message.find("0xE9"), std::string::npos) << message;
}

// The shipped corpus: one lower-case genus name per line, a-z only, no
// repeats, 27 characters with '\n'.
TEST(Corpus, DinosTxtIsWellFormed) {
  const auto data = read_data("course4_seq/char_lm/dinos.txt");
  ASSERT_TRUE(data.ok()) << data.status().message()
                         << " (run from the workspace root or under bazel)";
  const std::vector<std::string> names = split_names(*data);
  EXPECT_GE(names.size(), 800u);
  EXPECT_LE(names.size(), 1600u);
  std::set<std::string> seen;
  for (const std::string& name : names) {
    EXPECT_TRUE(seen.insert(name).second) << "repeated: " << name;
    for (char c : name) {
      ASSERT_TRUE(c >= 'a' && c <= 'z') << "not a-z in \"" << name << "\"";
    }
  }
  const Vocabulary v = build_vocabulary(*data);
  EXPECT_EQ(v.chars.size(), 27u);
  EXPECT_EQ(v.char_to_ix.at('\n'), 0);
}

}  // namespace
}  // namespace char_lm
