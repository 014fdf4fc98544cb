// bazel run //course4_seq/word_vectors:train [-- --num_sentences=40000
//     --embed_size=50 --window_size=2 --num_negatives=5 --num_epochs=5
//     --learning_rate=0.025]
//
// The week's three parts, with our own word vectors instead of GloVe (which
// cannot be downloaded here):
//   1. Word2Vec: generates the planted corpus (w2v_utils.h), trains skip-gram
//      with negative sampling by SGD with your get_centers_and_contexts,
//      noise_distribution, get_negatives, negative_sampling_loss and
//      negative_sampling_gradients, and prints nearest neighbours.
//   2. Operations on word vectors: the course's cosine similarities and
//      analogies, the accuracy on every planted analogy (and on the held-out
//      ones), then debiasing: the occupations' similarity to the gender
//      direction g = e_woman - e_man, neutralize("receptionist") and
//      equalize(("man", "woman")) with the course's before/after table.
//   3. Emojify V1: your model on the generated emoji sentences, with the
//      trained vectors; train and test accuracy.
// Pictures in output/word_vectors/: the skip-gram loss curve, Emojify's cost
// curve and, per planted relation, a 2-D PCA projection of 8 of its pairs.
//
// It runs YOUR functions from exercise.cc; with --config=reference it runs
// the reference solution.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/core/random.h"
#include "common/core/tensor.h"
#include "common/grading/not_implemented.h"
#include "common/viz/app.h"
#include "common/viz/plot.h"
#include "common/viz/progress.h"
#include "course4_seq/word_vectors/graded.h"  // see tools/unit.bzl
#include "course4_seq/word_vectors/w2v_utils.h"
#include "course4_seq/word_vectors/word_vectors.h"
#include "tools/solution.h"

ABSL_FLAG(int, num_sentences, 40000, "Sentences of the generated corpus");
ABSL_FLAG(int, embed_size, 50, "n_e, the size of the word vectors");
ABSL_FLAG(int, window_size, 2, "Context words on each side of a center");
ABSL_FLAG(int, num_negatives, 5, "K, noise words per (center, target) pair");
ABSL_FLAG(int, num_epochs, 5, "Passes over the corpus");
ABSL_FLAG(double, learning_rate, 0.025,
          "Skip-gram's starting learning rate (decays linearly)");
ABSL_FLAG(int, emojify_iterations, 400, "Emojify V1's iterations");

namespace {

using dl::Matrix;
using dl::Vector;
using word_vectors::WordToVecMap;

constexpr char kUnit[] = "course4_seq/word_vectors";

// A scatter plot of 2-D points with their words, and lines between pairs.
absl::Status WriteScatterSvg(
    const std::string& path, const std::string& title,
    const std::vector<std::pair<std::string, std::pair<double, double>>>&
        points,
    const std::vector<std::pair<int, int>>& lines,
    const std::vector<std::string>& colours) {
  const double W = 720, H = 540, margin = 50;
  double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
  for (const auto& [w, p] : points) {
    x0 = std::min(x0, p.first);
    x1 = std::max(x1, p.first);
    y0 = std::min(y0, p.second);
    y1 = std::max(y1, p.second);
  }
  const double sx = (W - 2 * margin) / std::max(x1 - x0, 1e-9);
  const double sy = (H - 2 * margin) / std::max(y1 - y0, 1e-9);
  const auto X = [&](double x) { return margin + (x - x0) * sx; };
  const auto Y = [&](double y) { return H - margin - (y - y0) * sy; };
  std::ofstream out(path);
  if (!out) return absl::InternalError("cannot write " + path);
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << W
      << "\" height=\"" << H << "\" font-family=\"sans-serif\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << W / 2 << "\" y=\"24\" text-anchor=\"middle\" "
      << "font-size=\"16\">" << title << "</text>\n";
  for (const auto& [a, b] : lines) {
    out << "<line x1=\"" << X(points[a].second.first) << "\" y1=\""
        << Y(points[a].second.second) << "\" x2=\"" << X(points[b].second.first)
        << "\" y2=\"" << Y(points[b].second.second) << "\" stroke=\""
        << colours[a] << "\" stroke-opacity=\"0.4\"/>\n";
  }
  for (size_t i = 0; i < points.size(); ++i) {
    const auto& [w, p] = points[i];
    out << "<circle cx=\"" << X(p.first) << "\" cy=\"" << Y(p.second)
        << "\" r=\"3\" fill=\"" << colours[i] << "\"/>\n"
        << "<text x=\"" << X(p.first) + 5 << "\" y=\"" << Y(p.second) - 4
        << "\" font-size=\"11\" fill=\"" << colours[i] << "\">" << w
        << "</text>\n";
  }
  out << "</svg>\n";
  return out ? absl::OkStatus() : absl::InternalError("cannot write " + path);
}

// The words' vectors projected on their two principal components.
std::vector<std::pair<double, double>> pca_2d(
    const WordToVecMap& map, const std::vector<std::string>& words) {
  const Eigen::Index n_e = map.begin()->second.size();
  Matrix X(n_e, static_cast<Eigen::Index>(words.size()));
  for (size_t j = 0; j < words.size(); ++j) {
    X.col(static_cast<Eigen::Index>(j)) = map.at(words[j]);
  }
  const Vector mean = X.rowwise().mean();
  X.colwise() -= mean;
  const Matrix C = X * X.transpose() / static_cast<double>(X.cols());
  Eigen::SelfAdjointEigenSolver<Matrix> solver(C);
  // Eigenvalues in increasing order: the last two columns.
  const Matrix top = solver.eigenvectors().rightCols(2);
  const Matrix P = top.transpose() * X;  // (2, words)
  std::vector<std::pair<double, double>> points;
  for (Eigen::Index j = 0; j < P.cols(); ++j) {
    points.emplace_back(P(1, j), P(0, j));
  }
  return points;
}

}  // namespace

constexpr char kUsage[] =
    "Trains word vectors (skip-gram, negative sampling) on a generated corpus, "
    "then solves analogies, debiases, and trains Emojify V1.";

int main(int argc, char** argv) {
  if (!dl::StartProgram(argc, argv, kUsage)) return 2;
  word_vectors::SkipGramConfig config;
  const int num_sentences = absl::GetFlag(FLAGS_num_sentences);
  config.embed_size = absl::GetFlag(FLAGS_embed_size);
  config.window_size = absl::GetFlag(FLAGS_window_size);
  config.num_negatives = absl::GetFlag(FLAGS_num_negatives);
  config.num_epochs = absl::GetFlag(FLAGS_num_epochs);
  config.learning_rate = absl::GetFlag(FLAGS_learning_rate);
  const int emojify_iterations = absl::GetFlag(FLAGS_emojify_iterations);
  if (num_sentences < 100) return dl::Fail("--num_sentences must be >= 100");
  if (config.embed_size < 2) return dl::Fail("--embed_size must be >= 2");
  if (config.window_size < 1) return dl::Fail("--window_size must be >= 1");
  if (config.num_negatives < 1) return dl::Fail("--num_negatives must be >= 1");
  if (config.num_epochs < 1) return dl::Fail("--num_epochs must be >= 1");
  if (!(config.learning_rate > 0)) {
    return dl::Fail("--learning_rate must be > 0");
  }
  if (emojify_iterations < 1) {
    return dl::Fail("--emojify_iterations must be >= 1");
  }

  // ------------------------------------------------------- 1. Word2Vec
  std::printf("== 1. Word2Vec: skip-gram with negative sampling (%s)\n\n",
              dl::SolutionFile());
  dl::RandomState corpus_rng(0);
  const word_vectors::Corpus corpus =
      word_vectors::generate_corpus(num_sentences, corpus_rng);
  std::printf("Corpus: %d sentences, %lld words, a vocabulary of %d\n",
              num_sentences, static_cast<long long>(corpus.num_tokens),
              corpus.vocab_size());
  for (size_t i = 0; i < 5; ++i) {
    std::printf("  \"%s\"\n", corpus.text(i).c_str());
  }
  std::printf("Most frequent:");
  for (int w = 0; w < 8; ++w) {
    std::printf(" %s (%lld)", corpus.idx_to_token[w].c_str(),
                static_cast<long long>(corpus.counts[w]));
  }
  std::printf("\n\n");

  dl::clear_not_implemented();
  word_vectors::SkipGramResult trained;
  std::string error;
  {
    const word_vectors::SkipGramSteps steps{
        &graded::get_centers_and_contexts, &graded::noise_distribution,
        &graded::get_negatives, &graded::negative_sampling_loss,
        &graded::negative_sampling_gradients};
    dl::Progress progress("skip-gram", 1000);
    dl::RandomState rng(1);
    char status[64];
    try {
      trained = word_vectors::train_skip_gram(
          corpus, config, steps, rng,
          [&](int epoch, double fraction, double loss) {
            std::snprintf(status, sizeof status, "epoch %d  loss %.4f",
                          epoch + 1, loss);
            progress.Update(static_cast<int64_t>(fraction * 1000), status);
          });
    } catch (const std::exception& e) {
      error = e.what();
    }
  }
  if (!dl::StubsCalled().empty()) {
    return dl::Fail(dl::NotImplementedMessage(kUnit));
  }
  if (!error.empty()) {
    return dl::Fail("skip-gram training failed: " + error + "\n(bazel test //" +
                    std::string(kUnit) + "/... points at the function)");
  }
  std::printf(
      "n_e = %d, window %d, K = %d, %d epochs of %lld (center, "
      "target) pairs\n",
      config.embed_size, config.window_size, config.num_negatives,
      config.num_epochs, static_cast<long long>(trained.num_pairs));
  const size_t per_epoch = trained.losses.size() / config.num_epochs;
  for (int e = 0; e < config.num_epochs && per_epoch > 0; ++e) {
    std::printf("  epoch %d: mean loss %.4f (last stretch)\n", e + 1,
                trained.losses[(e + 1) * per_epoch - 1]);
  }

  // The lecture's e_w = E o_w, and the lookup.
  dl::clear_not_implemented();
  const int king = corpus.token_to_idx.at("king");
  const Matrix by_product = graded::embed_one_hot(
      trained.E, graded::one_hot({king}, corpus.vocab_size()));
  const Matrix by_lookup = graded::embedding_lookup(trained.E, {king});
  if (!dl::StubsCalled().empty()) {
    return dl::Fail(dl::NotImplementedMessage(kUnit));
  }
  const bool same = by_product.rows() == by_lookup.rows() &&
                    by_product.cols() == by_lookup.cols() &&
                    by_lookup.size() > 0 &&
                    (by_product - by_lookup).cwiseAbs().maxCoeff() < 1e-12;
  std::printf("\ne_king = E o_king %s E[:, %d], shape %s\n",
              same ? "==" : "differs from", king,
              dl::shape_string(by_lookup).c_str());

  const WordToVecMap word_to_vec_map =
      word_vectors::to_word_to_vec_map(trained.E, corpus.idx_to_token);
  std::printf("\nNearest neighbours (cosine similarity):\n");
  for (const char* w : {"paris", "french", "queen", "bigger", "pizza", "happy",
                        "baseball", "receptionist"}) {
    std::printf("  %-13s", w);
    for (const auto& [n, s] :
         word_vectors::nearest_neighbours(w, word_to_vec_map, 5)) {
      std::printf(" %s %.2f ", n.c_str(), s);
    }
    std::printf("\n");
  }

  // ------------------------------------ 2. Operations on word vectors
  std::printf("\n== 2. Operations on word vectors\n\n");
  dl::clear_not_implemented();
  const auto e = [&](const char* w) { return word_to_vec_map.at(w); };
  const double cos_fm = graded::cosine_similarity(e("father"), e("mother"));
  const double cos_bk = graded::cosine_similarity(e("baseball"), e("kimono"));
  const double cos_fr = graded::cosine_similarity(e("france") - e("paris"),
                                                  e("rome") - e("italy"));
  if (!dl::StubsCalled().empty()) {
    return dl::Fail(dl::NotImplementedMessage(kUnit));
  }
  std::printf(
      "cosine_similarity(father, mother) =  %s   (GloVe: "
      "0.8909038442893615)\n",
      dl::repr(cos_fm).c_str());
  std::printf(
      "cosine_similarity(baseball, kimono) =  %s   (GloVe's "
      "ball, crocodile: 0.2743924626137942)\n",
      dl::repr(cos_bk).c_str());
  std::printf(
      "cosine_similarity(france - paris, rome - italy) =  %s   "
      "(GloVe: -0.6751479308174202)\n\n",
      dl::repr(cos_fr).c_str());

  const std::vector<std::vector<std::string>> triads = {
      {"italy", "italian", "spain"},
      {"india", "delhi", "japan"},
      {"man", "woman", "boy"},
      {"small", "smaller", "large"},
      {"man", "woman", "king"}};
  for (const auto& t : triads) {
    const std::string d =
        graded::complete_analogy(t[0], t[1], t[2], word_to_vec_map);
    if (!dl::StubsCalled().empty()) {
      return dl::Fail(dl::NotImplementedMessage(kUnit));
    }
    std::printf("%s -> %s :: %s -> %s\n", t[0].c_str(), t[1].c_str(),
                t[2].c_str(), d.c_str());
  }
  std::printf("(GloVe in the course: spanish, tokyo, girl, smaller)\n\n");

  // Every planted analogy.
  std::map<std::string, std::pair<int, int>> all, held_out;
  std::vector<std::string> wrong;
  for (const auto& q : word_vectors::analogy_questions()) {
    const std::string got =
        graded::complete_analogy(q.a, q.b, q.c, word_to_vec_map);
    auto& a = all[q.relation];
    a.first += got == q.d;
    ++a.second;
    if (q.held_out) {
      auto& h = held_out[q.relation];
      h.first += got == q.d;
      ++h.second;
    }
    if (got != q.d && wrong.size() < 4) {
      wrong.push_back(q.a + " -> " + q.b + " :: " + q.c + " -> " + got +
                      " (not " + q.d + ")");
    }
  }
  std::printf("Analogy accuracy (complete_analogy, %zu questions):\n",
              word_vectors::analogy_questions().size());
  std::printf("  %-12s  %-18s  %s\n", "relation", "all questions",
              "held-out pairs only");
  int right = 0, total = 0, held_right = 0, held_total = 0;
  for (const auto& r : word_vectors::planted_relations()) {
    const auto& a = all[r.name];
    const auto& h = held_out[r.name];
    std::printf("  %-12s  %4d / %-4d %5.1f %%  %4d / %-4d %5.1f %%\n",
                r.name.c_str(), a.first, a.second, 100.0 * a.first / a.second,
                h.first, h.second, 100.0 * h.first / h.second);
    right += a.first;
    total += a.second;
    held_right += h.first;
    held_total += h.second;
  }
  std::printf("  %-12s  %4d / %-4d %5.1f %%  %4d / %-4d %5.1f %%\n", "total",
              right, total, 100.0 * right / total, held_right, held_total,
              100.0 * held_right / held_total);
  for (const std::string& w : wrong) std::printf("  wrong: %s\n", w.c_str());

  // Debiasing.
  const Vector g = e("woman") - e("man");
  std::printf(
      "\nThe gender direction g = e_woman - e_man. Occupations (the "
      "share of their sentences that say \"she\"):\n");
  for (const auto& [o, p_she] : word_vectors::planted_occupations()) {
    std::printf("  %-13s %.2f  cosine_similarity(%s, g) = %+.4f\n", o.c_str(),
                p_she, o.c_str(),
                graded::cosine_similarity(word_to_vec_map.at(o), g));
  }
  const WordToVecMap unit = word_vectors::unit_vectors(word_to_vec_map);
  const Vector g_unit = unit.at("woman") - unit.at("man");
  const Vector e_debiased = graded::neutralize("receptionist", g_unit, unit);
  const word_vectors::EqualizedPair eq =
      graded::equalize({"man", "woman"}, g_unit, unit);
  if (!dl::StubsCalled().empty()) {
    return dl::Fail(dl::NotImplementedMessage(kUnit));
  }
  std::printf(
      "\ncosine similarity between receptionist and g, before neutralizing:  "
      "%s\n",
      dl::repr(graded::cosine_similarity(e("receptionist"), g)).c_str());
  std::printf(
      "cosine similarity between receptionist and g_unit, after "
      "neutralizing:  %s\n",
      dl::repr(graded::cosine_similarity(e_debiased, g_unit)).c_str());
  std::printf("\ncosine similarities before equalizing:\n");
  std::printf("cosine_similarity(word_to_vec_map[\"man\"], gender) =  %s\n",
              dl::repr(graded::cosine_similarity(e("man"), g)).c_str());
  std::printf("cosine_similarity(word_to_vec_map[\"woman\"], gender) =  %s\n",
              dl::repr(graded::cosine_similarity(e("woman"), g)).c_str());
  std::printf("\ncosine similarities after equalizing:\n");
  std::printf("cosine_similarity(e1, gender) =  %s\n",
              dl::repr(graded::cosine_similarity(eq.e1, g_unit)).c_str());
  std::printf("cosine_similarity(e2, gender) =  %s\n",
              dl::repr(graded::cosine_similarity(eq.e2, g_unit)).c_str());
  std::printf(
      "(GloVe in the course: -0.1171109576533683, "
      "0.35666618846270376; after: -0.23871136142883814, "
      "0.23871136142883814)\n");

  // ------------------------------------------------------- 3. Emojify V1
  std::printf("\n== 3. Emojify V1\n\n");
  dl::RandomState emoji_rng(0);
  const word_vectors::EmojiSet set =
      word_vectors::generate_emoji_set(emoji_rng);
  std::printf("%zu training and %zu test sentences, e.g.\n", set.X_train.size(),
              set.X_test.size());
  for (int i = 0; i < 5; ++i) {
    std::printf("  %-32s %s\n", set.X_train[i].c_str(),
                word_vectors::label_to_emoji(set.Y_train[i]).c_str());
  }
  dl::clear_not_implemented();
  dl::RandomState model_rng(1);  // the course's np.random.seed(1)
  word_vectors::EmojifyModel m;
  std::vector<int> pred_test;
  try {
    m = graded::model(set.X_train, set.Y_train, word_to_vec_map, 0.01,
                      emojify_iterations, model_rng);
    pred_test = graded::predict(set.X_test, m.W, m.b, word_to_vec_map);
  } catch (const std::exception& ex) {
    error = ex.what();
  }
  if (!dl::StubsCalled().empty()) {
    return dl::Fail(dl::NotImplementedMessage(kUnit));
  }
  if (!error.empty()) {
    return dl::Fail("Emojify V1 failed: " + error);
  }
  for (size_t t = 0; t < m.costs.size(); t += 100) {
    std::printf("Epoch: %zu --- cost = %s\n", t, dl::repr(m.costs[t]).c_str());
  }
  const double train_accuracy = word_vectors::accuracy(m.pred, set.Y_train);
  const double test_accuracy = word_vectors::accuracy(pred_test, set.Y_test);
  std::printf("Training set:\nAccuracy: %s\nTest set:\nAccuracy: %s\n",
              dl::repr(train_accuracy).c_str(),
              dl::repr(test_accuracy).c_str());
  std::printf(
      "(GloVe in the course: 0.9772727272727273 and "
      "0.8571428571428571)\n");
  std::printf("\nTest sentences V1 gets wrong:\n");
  for (size_t i = 0; i < set.X_test.size() && i < pred_test.size(); ++i) {
    if (pred_test[i] == set.Y_test[i]) continue;
    std::printf("  %-28s %s   (expected %s)\n", set.X_test[i].c_str(),
                word_vectors::label_to_emoji(pred_test[i]).c_str(),
                word_vectors::label_to_emoji(set.Y_test[i]).c_str());
  }

  // ---------------------------------------------------------- pictures
  std::printf("\n");
  absl::StatusOr<std::string> dir = dl::OutputDir("word_vectors");
  if (!dir.ok()) return dl::Fail(dir.status());
  {
    dl::Series s;
    s.label = "mean loss of the pairs";
    for (size_t i = 0; i < trained.losses.size(); ++i) {
      s.x.push_back(static_cast<double>(i + 1) / config.curve_points_per_epoch);
      s.y.push_back(trained.losses[i]);
    }
    const dl::LinePlot plot{"Skip-gram with negative sampling (K = " +
                                std::to_string(config.num_negatives) + ")",
                            "epochs",
                            "loss",
                            {s}};
    const std::string path = *dir + "/skip_gram_loss.svg";
    dl::ReportWritten(dl::WriteLinePlotSvg(path, plot), path);
  }
  {
    const std::string path = *dir + "/emojify_cost.svg";
    dl::ReportWritten(dl::WriteCostPlotSvg(
                          path, "Emojify V1: cost per iteration", m.costs, 1),
                      path);
  }
  // One projection per relation: the pairs' offsets come out parallel.
  const char* const kColours[] = {"#1f77b4", "#d62728"};
  for (const auto& relation : word_vectors::planted_relations()) {
    std::vector<std::string> words, colours;
    std::vector<std::pair<int, int>> lines;
    for (size_t p = 0; p < 8 && p < relation.pairs.size(); ++p) {
      lines.emplace_back(static_cast<int>(words.size()),
                         static_cast<int>(words.size()) + 1);
      words.push_back(relation.pairs[p].first);
      words.push_back(relation.pairs[p].second);
      colours.push_back(kColours[0]);
      colours.push_back(kColours[1]);
    }
    const std::vector<std::pair<double, double>> xy =
        pca_2d(word_to_vec_map, words);
    std::vector<std::pair<std::string, std::pair<double, double>>> points;
    for (size_t i = 0; i < words.size(); ++i) {
      points.emplace_back(words[i], xy[i]);
    }
    const std::string path = *dir + "/pca_" + relation.name + ".svg";
    dl::ReportWritten(WriteScatterSvg(path,
                                      "Word vectors on their 2 principal "
                                      "components: " +
                                          relation.name,
                                      points, lines, colours),
                      path);
  }
  std::printf("\nDone in %.1f s.\n", dl::SecondsSinceStart());
  return 0;
}
