// bazel run //course4_seq/seq2seq_attention:train [-- --num_epochs=10]
//
// The course's application: 10,000 human-readable dates (seed 12345) and
// their YYYY-MM-DD forms; the attention model of modelf (Bi-LSTM n_a = 32,
// post-attention LSTM n_s = 64, Tx = 30, Ty = 10) trained with Adam on
// mini-batches of 100 (learning rate 0.01, gradient norm clipped to 5) and
// the summed cross-entropy of the 10 outputs, for 10 epochs, in 2 threads.
// Then:
//   - the exact-match accuracy on 1,000 held-out dates (none of them in the
//     training set), decoded with greedy_search and with beam_search;
//   - the course's examples ("3 May 1979" -> 1979-05-03, ...);
//   - the attention map of "Tuesday 09 Oct 1993" (attention_map.png) and
//     the loss curve (loss.svg), in output/seq2seq_attention/.
//
// It runs YOUR functions from exercise.cc; with --config=reference it runs
// the reference solution.

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <exception>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/core/parallel.h"
#include "common/core/random.h"
#include "common/core/tensor.h"
#include "common/grading/not_implemented.h"
#include "common/nn/autograd.h"
#include "common/viz/app.h"
#include "common/viz/plot.h"
#include "common/viz/progress.h"
#include "course4_seq/seq2seq_attention/attention_map.h"
#include "course4_seq/seq2seq_attention/graded.h"  // see tools/unit.bzl
#include "course4_seq/seq2seq_attention/nmt_utils.h"
#include "course4_seq/seq2seq_attention/seq2seq_attention.h"
#include "tools/solution.h"

ABSL_FLAG(int, num_epochs, 10, "Passes over the 10,000 training dates (> 0)");
ABSL_FLAG(int, batch_size, 100, "Mini-batch size (>= 1); the course's 100");
ABSL_FLAG(double, learning_rate, 0.01,
          "Adam's learning rate (the course's 0.005 needs about twice the "
          "epochs)");
ABSL_FLAG(int, m, 10000, "Training dates (the course's 10,000)");
ABSL_FLAG(int, test_size, 1000, "Held-out dates");
ABSL_FLAG(int, beam_width, 3, "Beam width of the second decoding");
ABSL_FLAG(int, threads, 2,
          "Threads (>= 1): each one runs modelf and Backward on its share of "
          "every mini-batch, on its own copy of the weights");

namespace {

namespace ag = dl::ag;
using dl::Matrix;
using seq2seq_attention::DatePair;
using seq2seq_attention::Hypothesis;
using seq2seq_attention::ModelOutput;
using seq2seq_attention::NmtParameters;
using seq2seq_attention::Tensor3;

constexpr int kTx = 30, kTy = 10, kNa = 32, kNs = 64;

// The rows `index` of X.
std::vector<std::vector<int>> Rows(const std::vector<std::vector<int>>& X,
                                   const std::vector<int64_t>& index,
                                   size_t begin, size_t end) {
  std::vector<std::vector<int>> out;
  for (size_t k = begin; k < end; ++k) out.push_back(X[index[k]]);
  return out;
}

// A deep copy of the weights (new Params with the same values): every
// thread builds its graphs on its own copy, since ag's graphs must not
// share nodes between threads.
ag::Var Copy(const ag::Var& v) { return ag::Param(v.value()); }

seq2seq_attention::LstmWeights Copy(const seq2seq_attention::LstmWeights& w) {
  return {Copy(w.Wf), Copy(w.bf), Copy(w.Wi), Copy(w.bi),
          Copy(w.Wc), Copy(w.bc), Copy(w.Wo), Copy(w.bo)};
}

NmtParameters Copy(const NmtParameters& p) {
  NmtParameters q;
  q.encoder_forward = Copy(p.encoder_forward);
  q.encoder_backward = Copy(p.encoder_backward);
  q.attention = {Copy(p.attention.W1), Copy(p.attention.b1),
                 Copy(p.attention.W2), Copy(p.attention.b2)};
  q.post_attention_lstm = Copy(p.post_attention_lstm);
  q.Wy = Copy(p.Wy);
  q.by = Copy(p.by);
  return q;
}

// What the model says about a batch: the log-probabilities of every output
// step ((n_y, m) each) and the attention weights ((Tx, m) each).
struct Prediction {
  std::vector<Matrix> log_probs;
  std::vector<Matrix> alphas;
};

Prediction Predict(const std::vector<std::vector<int>>& X, int vocab_size,
                   const NmtParameters& parameters) {
  ag::NoGrad no_grad;  // no graph: nothing to differentiate here
  const ModelOutput out = graded::modelf(
      seq2seq_attention::one_hot(X, vocab_size), kTy, parameters);
  Prediction p;
  for (size_t t = 0; t < out.outputs.size(); ++t) {
    p.log_probs.push_back(ag::log_softmax(out.outputs[t]).value());
    p.alphas.push_back(out.alphas[t].value());
  }
  return p;
}

// The decoders see the model through its next-token log-probabilities; the
// date model's do not depend on the prefix.
seq2seq_attention::NextLogProbs NextOf(const Prediction& p, int i) {
  return [&p, i](const std::vector<int>& prefix) -> dl::Vector {
    return p.log_probs.at(prefix.size()).col(i);
  };
}

std::string Text(const std::vector<int>& tokens,
                 const std::map<int, std::string>& inv_vocab) {
  std::string s;
  for (const std::string& c :
       seq2seq_attention::int_to_string(tokens, inv_vocab)) {
    s += c;
  }
  return s;
}

struct Accuracy {
  double greedy = 0;       // exact match, greedy_search
  double beam = 0;         // exact match, best of beam_search
  double character = 0;    // per character, greedy
  std::vector<int> wrong;  // examples greedy got wrong
};

Accuracy Evaluate(const std::vector<std::vector<int>>& X,
                  const std::vector<std::vector<int>>& Y, int vocab_size,
                  const std::vector<NmtParameters>& replicas, int beam_width) {
  Accuracy a;
  const size_t batch = 500;
  std::vector<int64_t> index(X.size());
  for (size_t i = 0; i < X.size(); ++i) index[i] = static_cast<int64_t>(i);
  std::vector<Hypothesis> greedy(X.size()), beam(X.size());
  for (size_t begin = 0; begin < X.size(); begin += batch) {
    const size_t end = std::min(X.size(), begin + batch);
    const std::string error = dl::ParallelFor(
        static_cast<int>(std::min(replicas.size(), end - begin)), end - begin,
        [&](int r, size_t lo, size_t hi) {
          const Prediction p = Predict(Rows(X, index, begin + lo, begin + hi),
                                       vocab_size, replicas[r]);
          for (size_t i = begin + lo; i < begin + hi; ++i) {
            const int col = static_cast<int>(i - begin - lo);
            greedy[i] = graded::greedy_search(NextOf(p, col), kTy);
            const std::vector<Hypothesis> b =
                graded::beam_search(NextOf(p, col), kTy, beam_width);
            if (!b.empty()) beam[i] = b[0];
          }
        });
    if (!error.empty()) throw std::runtime_error(error);
  }
  int exact = 0, exact_beam = 0, chars = 0;
  for (size_t i = 0; i < X.size(); ++i) {
    exact += greedy[i].tokens == Y[i];
    exact_beam += beam[i].tokens == Y[i];
    for (int t = 0; t < kTy && t < static_cast<int>(greedy[i].tokens.size());
         ++t) {
      chars += greedy[i].tokens[t] == Y[i][t];
    }
    if (greedy[i].tokens != Y[i]) a.wrong.push_back(static_cast<int>(i));
  }
  const double n = static_cast<double>(X.size());
  a.greedy = exact / n;
  a.beam = exact_beam / n;
  a.character = chars / (n * kTy);
  return a;
}

}  // namespace

constexpr char kUsage[] =
    "Trains the course's date translator (attention model) and reports its "
    "accuracy on held-out dates.";

int main(int argc, char** argv) {
  if (!dl::StartProgram(argc, argv, kUsage)) return 2;
  const int num_epochs = dl::PositiveFlag(FLAGS_num_epochs);
  const int batch_size = dl::PositiveFlag(FLAGS_batch_size);
  const double learning_rate = dl::PositiveFlag(FLAGS_learning_rate);
  const int m = absl::GetFlag(FLAGS_m);
  const int test_size = absl::GetFlag(FLAGS_test_size);
  const int beam_width = dl::PositiveFlag(FLAGS_beam_width);
  const int threads = dl::PositiveFlag(FLAGS_threads);
  if (m < 1 || test_size < 1)
    return dl::Fail("--m and --test_size must be >= 1");

  // ------------------------------------------------------------- the data
  dl::RandomState data_rng(12345);  // the course's Faker.seed(12345)
  const seq2seq_attention::Dataset data =
      seq2seq_attention::load_dataset(m, data_rng);
  std::printf("dataset[:10]:\n");
  for (int i = 0; i < std::min(m, 10); ++i) {
    std::printf("  ('%s', '%s')\n", data.dataset[i].human.c_str(),
                data.dataset[i].machine.c_str());
  }
  std::printf("human_vocab: %zu characters, machine_vocab: %zu\n",
              data.human_vocab.size(), data.machine_vocab.size());
  seq2seq_attention::Preprocessed train = seq2seq_attention::preprocess_data(
      data.dataset, data.human_vocab, data.machine_vocab, kTx, kTy);
  std::printf("X.shape: (%zu, %d)\nY.shape: (%zu, %d)\n", train.X.size(), kTx,
              train.Y.size(), kTy);
  std::printf("Xoh.shape: %s (the course's (%d, %d, %zu))\n",
              dl::shape_string(train.Xoh).c_str(), m, kTx,
              data.human_vocab.size());
  std::printf("Yoh.shape: %s (the course's (%d, %d, %zu))\n",
              dl::shape_string(train.Yoh).c_str(), m, kTy,
              data.machine_vocab.size());
  // The mini-batches are one-hot encoded when needed: free the 89 MB.
  train.Xoh = Tensor3();
  train.Yoh = Tensor3();

  // Held out: other dates from another stream, none seen in training.
  std::set<std::string> seen;
  for (const DatePair& p : data.dataset) seen.insert(p.human);
  dl::RandomState test_rng(1992);
  std::vector<DatePair> test_set;
  while (static_cast<int>(test_set.size()) < test_size) {
    DatePair p = seq2seq_attention::load_date(test_rng);
    if (seen.insert(p.human).second) test_set.push_back(std::move(p));
  }
  const seq2seq_attention::Preprocessed test =
      seq2seq_attention::preprocess_data(test_set, data.human_vocab,
                                         data.machine_vocab, kTx, kTy);
  const int n_x = static_cast<int>(data.human_vocab.size());
  const int n_y = static_cast<int>(data.machine_vocab.size());

  // ------------------------------------------------------------ the model
  dl::RandomState rng(1);
  NmtParameters parameters =
      seq2seq_attention::initialize_parameters(kNa, kNs, n_x, n_y, rng);
  const std::vector<ag::Var> params = parameters.all();
  std::printf(
      "\nmodelf(Tx=%d, Ty=%d, n_a=%d, n_s=%d, human_vocab_size=%d, "
      "machine_vocab_size=%d): %lld parameters (the course's 52,960)\n",
      kTx, kTy, kNa, kNs, n_x, n_y,
      static_cast<long long>(ag::NumParameters(params)));
  ag::AdamOptions options;
  options.learning_rate = learning_rate;
  options.clip_norm = 5;
  ag::Adam adam(params, options);
  std::printf(
      "Training with %s: Adam (learning rate %g, beta1 0.9, beta2 0.999, "
      "gradient norm clipped to 5), mini-batches of %d, %d epochs\n",
      dl::SolutionFile(), learning_rate, batch_size, num_epochs);

  // Your functions first run once here, on one example, in this thread: a
  // stub stops the program before the threads start.
  dl::clear_not_implemented();
  try {
    ag::NoGrad no_grad;
    const ModelOutput probe = graded::modelf(
        seq2seq_attention::one_hot({train.X[0]}, n_x), kTy, parameters);
    if (dl::StubsCalled().empty()) {
      graded::beam_search(NextOf(Predict({train.X[0]}, n_x, parameters), 0),
                          kTy, 2);
      graded::greedy_search(NextOf(Predict({train.X[0]}, n_x, parameters), 0),
                            kTy);
    }
    if (dl::StubsCalled().empty() &&
        probe.outputs.size() != static_cast<size_t>(kTy)) {
      return dl::Fail("modelf returned " +
                      std::to_string(probe.outputs.size()) +
                      " outputs, expected Ty = 10 (bazel test "
                      "//course4_seq/seq2seq_attention/... checks it)");
    }
  } catch (const std::exception& e) {
    if (dl::StubsCalled().empty()) {
      return dl::Fail(std::string("your code failed: ") + e.what() +
                      "\n(bazel test //course4_seq/seq2seq_attention/... "
                      "points at the function)");
    }
  }
  if (!dl::StubsCalled().empty()) {
    return dl::Fail(dl::NotImplementedMessage("course4_seq/seq2seq_attention"));
  }

  // Data parallelism: each thread runs modelf and Backward on its share of
  // the mini-batch with its own copy of the weights; the gradients are
  // averaged (weighted by the shares' sizes, as the loss is a mean over the
  // batch) into the weights Adam updates.
  std::vector<NmtParameters> replicas;
  for (int r = 0; r < threads; ++r) replicas.push_back(Copy(parameters));
  auto sync = [&] {
    for (NmtParameters& replica : replicas) {
      std::vector<ag::Var> copy = replica.all();
      for (size_t k = 0; k < params.size(); ++k) {
        copy[k].mutable_value() = params[k].value();
      }
    }
  };
  std::printf("%d thread%s\n", threads, threads > 1 ? "s" : "");

  std::vector<double> losses;  // mean of every 10 mini-batches
  double window = 0;
  int in_window = 0;
  const int batches = (m + batch_size - 1) / batch_size;
  for (int epoch = 0; epoch < num_epochs; ++epoch) {
    const std::vector<int64_t> order = rng.permutation(m);
    double epoch_loss = 0;
    {
      dl::Progress progress("epoch " + std::to_string(epoch + 1), batches);
      for (int b = 0; b < batches; ++b) {
        const size_t begin = static_cast<size_t>(b) * batch_size;
        const size_t n = std::min<size_t>(m, begin + batch_size) - begin;
        const int parts = static_cast<int>(std::min<size_t>(threads, n));
        sync();
        std::vector<double> part_loss(parts);
        const std::string error =
            dl::ParallelFor(parts, n, [&](int r, size_t lo, size_t hi) {
              const std::vector<ag::Var> copy = replicas[r].all();
              const Tensor3 Xoh = seq2seq_attention::one_hot(
                  Rows(train.X, order, begin + lo, begin + hi), n_x);
              const ModelOutput out = graded::modelf(Xoh, kTy, replicas[r]);
              const ag::Var loss = seq2seq_attention::model_loss(
                  out.outputs, Rows(train.Y, order, begin + lo, begin + hi));
              ag::ZeroGrad(copy);
              ag::Backward(loss);
              part_loss[r] = loss.item();
            });
        if (!error.empty()) {
          return dl::Fail("training failed: " + error +
                          "\n(bazel test //course4_seq/seq2seq_attention/... "
                          "points at the function)");
        }
        adam.ZeroGrad();
        double loss_value = 0;
        for (int r = 0; r < parts; ++r) {
          const double share =
              static_cast<double>(n * (r + 1) / parts - n * r / parts) /
              static_cast<double>(n);
          const std::vector<ag::Var> copy = replicas[r].all();
          for (size_t k = 0; k < params.size(); ++k) {
            params[k].node()->AddGrad(share * copy[k].grad());
          }
          loss_value += share * part_loss[r];
        }
        adam.Step();
        epoch_loss += loss_value;
        window += loss_value;
        if (++in_window == 10) {
          losses.push_back(window / 10);
          window = 0;
          in_window = 0;
        }
        progress.Update(b + 1, "loss " + std::to_string(loss_value));
      }
    }
    sync();
    Accuracy acc;
    try {
      acc = Evaluate(test.X, test.Y, n_x, replicas, /*beam_width=*/1);
    } catch (const std::exception& e) {
      return dl::Fail(std::string("evaluation failed: ") + e.what());
    }
    std::printf(
        "epoch %2d: loss %.4f, held-out exact match %.1f %% (characters "
        "%.2f %%), %.0f s\n",
        epoch + 1, epoch_loss / batches, 100 * acc.greedy, 100 * acc.character,
        dl::SecondsSinceStart());
    std::fflush(stdout);
  }
  const double train_seconds = dl::SecondsSinceStart();
  const double train_cpu_seconds =
      static_cast<double>(std::clock()) / CLOCKS_PER_SEC;

  // ------------------------------------------------------------- results
  Accuracy acc;
  try {
    acc = Evaluate(test.X, test.Y, n_x, replicas, beam_width);
  } catch (const std::exception& e) {
    return dl::Fail(std::string("evaluation failed: ") + e.what());
  }
  std::printf(
      "\nHeld-out dates (%d, none in the training set), exact match:\n"
      "  greedy_search:           %.1f %%\n"
      "  beam_search (width %d):   %.1f %%\n"
      "  (per character: %.2f %%)\n",
      test_size, 100 * acc.greedy, beam_width, 100 * acc.beam,
      100 * acc.character);
  if (!acc.wrong.empty()) {
    std::printf("Some of the wrong ones:\n");
    for (size_t k = 0; k < acc.wrong.size() && k < 5; ++k) {
      const int i = acc.wrong[k];
      const Prediction p = Predict({test.X[i]}, n_x, parameters);
      const Hypothesis g = graded::greedy_search(NextOf(p, 0), kTy);
      std::printf("  %-30s -> %s (expected %s)\n", test_set[i].human.c_str(),
                  Text(g.tokens, data.inv_machine_vocab).c_str(),
                  test_set[i].machine.c_str());
    }
  }

  // The course's examples.
  const std::vector<std::string> examples = {
      "3 May 1979",      "5 April 09",          "21th of August 2016",
      "Tue 10 Jul 2007", "Saturday May 9 2018", "March 3 2001",
      "March 3rd 2001",  "1 March 2001"};
  std::printf("\n");
  for (const std::string& example : examples) {
    const Prediction p = Predict(
        {seq2seq_attention::string_to_int(example, kTx, data.human_vocab)}, n_x,
        parameters);
    const Hypothesis g = graded::greedy_search(NextOf(p, 0), kTy);
    std::printf("source: %s\noutput: %s\n\n", example.c_str(),
                Text(g.tokens, data.inv_machine_vocab).c_str());
  }

  // ------------------------------------------------------------- pictures
  absl::StatusOr<std::string> dir = dl::OutputDir("seq2seq_attention");
  if (!dir.ok()) return dl::Fail(dir.status());
  const std::string text = "Tuesday 09 Oct 1993";
  std::string lower;
  for (char c : text) lower += static_cast<char>(std::tolower(c));
  const Prediction p =
      Predict({seq2seq_attention::string_to_int(text, kTx, data.human_vocab)},
              n_x, parameters);
  Matrix attention(kTy, kTx);
  for (int t = 0; t < kTy; ++t)
    attention.row(t) = p.alphas[t].col(0).transpose();
  const std::string predicted = Text(
      graded::greedy_search(NextOf(p, 0), kTy).tokens, data.inv_machine_vocab);
  const std::string map_path = *dir + "/attention_map.png";
  absl::Status written = seq2seq_attention::WriteAttentionMapPng(
      map_path, attention, lower, predicted);
  if (written.ok()) {
    std::printf("wrote %s (\"%s\" -> %s)\n", map_path.c_str(), text.c_str(),
                predicted.c_str());
  } else {
    std::fprintf(stderr, "warning: %s\n",
                 std::string(written.message()).c_str());
  }
  dl::LinePlot plot;
  plot.title = "Training loss (sum of the 10 outputs' cross-entropies)";
  plot.x_label = "epochs";
  plot.y_label = "loss";
  dl::Series series;
  series.label = "10-batch mean";
  for (size_t k = 0; k < losses.size(); ++k) {
    series.x.push_back(static_cast<double>((k + 1) * 10) / batches);
    series.y.push_back(losses[k]);
  }
  plot.series.push_back(series);
  plot.log_y = true;
  const std::string loss_path = *dir + "/loss.svg";
  written = dl::WriteLinePlotSvg(loss_path, plot);
  if (written.ok()) {
    std::printf("wrote %s\n", loss_path.c_str());
  } else {
    std::fprintf(stderr, "warning: %s\n",
                 std::string(written.message()).c_str());
  }
  std::printf(
      "\nTrained in %.0f s (%.0f s of CPU time in all threads); done in %.0f "
      "s.\n",
      train_seconds, train_cpu_seconds, dl::SecondsSinceStart());
  return 0;
}
