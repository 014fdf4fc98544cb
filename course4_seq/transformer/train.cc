// bazel run //course4_seq/transformer:train [-- --task=sort --num_steps=1000]
//
// A small transformer (your Transformer: 2 layers, d_model 32, 2 heads,
// dff 64) learns to reverse sequences of 3 to 8 digits (or, with
// --task=sort, to sort them):
//   input    3 1 4 1 5 >            (">" ends the input, then padding)
//   decoder  < 5 1 4 1 3             ("<" starts the output: teacher forcing)
//   labels   5 1 4 1 3 >
// with the padding mask on the encoder's keys, the look-ahead mask on the
// decoder's self-attention, and Adam on fresh random sequences every step.
// Then it decodes 1,000 held-out sequences (none seen in training) greedily,
// one token at a time with the look-ahead mask, and reports the
// exact-sequence accuracy; it prints examples and writes the loss curve
// (loss.svg) and the cross-attention weights of one example (attention.png)
// into output/transformer/.
//
// It runs YOUR functions from exercise.cc; with --config=reference it runs
// the reference solution.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <exception>
#include <functional>
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
#include "common/data/image.h"
#include "common/grading/not_implemented.h"
#include "common/nn/autograd.h"
#include "common/viz/app.h"
#include "common/viz/image_grid.h"
#include "common/viz/plot.h"
#include "common/viz/progress.h"
#include "course4_seq/transformer/graded.h"  // see tools/unit.bzl
#include "course4_seq/transformer/transformer.h"
#include "tools/solution.h"

ABSL_FLAG(std::string, task, "reverse",
          "reverse | sort: what to do with the digits");
ABSL_FLAG(int, num_steps, 600, "Training steps (mini-batches) (> 0)");
ABSL_FLAG(int, batch_size, 64, "Sequences per mini-batch (>= 1)");
ABSL_FLAG(double, learning_rate, 0.003,
          "Adam's peak learning rate, after a linear warm-up (> 0)");
ABSL_FLAG(int, warmup_steps, 100, "Steps of linear warm-up (>= 0)");
ABSL_FLAG(int, num_layers, 2, "Encoder and decoder layers (>= 1)");
ABSL_FLAG(int, d_model, 32, "embedding_dim (>= 2)");
ABSL_FLAG(int, num_heads, 2, "Attention heads (d_model must be divisible)");
ABSL_FLAG(int, dff, 64, "fully_connected_dim (>= 1)");
ABSL_FLAG(double, dropout_rate, 0.0, "Dropout in training, in [0, 1)");
ABSL_FLAG(int, min_length, 3, "Shortest sequence (>= 1)");
ABSL_FLAG(int, max_length, 8, "Longest sequence (>= min_length, <= 30)");
ABSL_FLAG(int, test_size, 1000, "Held-out sequences (>= 1)");
ABSL_FLAG(int, seed, 1,
          "Seed of the initial weights (the training sequences use seed + 6)");
ABSL_FLAG(int, threads, 2,
          "Threads (>= 1): each runs the forward and backward pass on its "
          "share of every mini-batch, on its own copy of the weights");

namespace {

namespace ag = dl::ag;
using dl::Matrix;
using transformer::Index;
using transformer::TokenIds;
using transformer::Training;
using transformer::TransformerConfig;
using transformer::TransformerWeights;
using transformer::Var;

// The tokens: 0 the padding, 1 .. 10 the digits 0 .. 9, then "<" (start of
// the output) and ">" (end of a sequence).
constexpr int kPad = 0, kStart = 11, kEnd = 12, kVocab = 13;

int DigitToken(int digit) { return digit + 1; }

char TokenChar(int token) {
  if (token >= 1 && token <= 10) return static_cast<char>('0' + token - 1);
  if (token == kStart) return '<';
  if (token == kEnd) return '>';
  return '_';
}

std::string Text(const std::vector<int>& tokens) {
  std::string s;
  for (int t : tokens) {
    if (!s.empty()) s += ' ';
    s += TokenChar(t);
  }
  return s;
}

// ------------------------------------------------------------- the task

struct Task {
  bool sort = false;
  int min_length = 3, max_length = 8;
  int T() const { return max_length + 1; }  // the digits and ">"

  // The answer's digits.
  std::vector<int> Answer(std::vector<int> digits) const {
    if (sort) {
      std::sort(digits.begin(), digits.end());
    } else {
      std::reverse(digits.begin(), digits.end());
    }
    return digits;
  }

  std::vector<int> Draw(dl::RandomState& rng) const {
    const int length =
        static_cast<int>(rng.randint(min_length, max_length + 1));
    std::vector<int> digits(length);
    for (int& d : digits) d = static_cast<int>(rng.randint(0, 10));
    return digits;
  }
};

// A mini-batch in the model's terms.
struct Batch {
  TokenIds input;           // m x T: the digits, ">", padding
  TokenIds decoder_input;   // m x T: "<", the answer's digits, padding
  std::vector<int> labels;  // m·T, example-major: the answer, ">", -1
  Matrix enc_padding_mask, look_ahead_mask, dec_padding_mask;
  int tokens = 0;  // labels that count
};

Batch MakeBatch(const std::vector<std::vector<int>>& sequences,
                const Task& task) {
  Batch b;
  const int T = task.T();
  for (const std::vector<int>& digits : sequences) {
    std::vector<int> input(T, kPad), decoder(T, kPad), labels(T, -1);
    const std::vector<int> answer = task.Answer(digits);
    const int L = static_cast<int>(digits.size());
    for (int t = 0; t < L; ++t) input[t] = DigitToken(digits[t]);
    input[L] = kEnd;
    decoder[0] = kStart;
    for (int t = 0; t < L; ++t) {
      decoder[t + 1] = DigitToken(answer[t]);
      labels[t] = DigitToken(answer[t]);
    }
    labels[L] = kEnd;
    b.tokens += L + 1;
    b.input.push_back(input);
    b.decoder_input.push_back(decoder);
    b.labels.insert(b.labels.end(), labels.begin(), labels.end());
  }
  const Index m = static_cast<Index>(sequences.size());
  const Matrix padding = graded::create_padding_mask(b.input);  // (T, m)
  b.enc_padding_mask = transformer::broadcast_padding_mask(padding, T);
  b.look_ahead_mask = transformer::broadcast_look_ahead_mask(
      graded::create_look_ahead_mask(T), m);
  b.dec_padding_mask = transformer::broadcast_padding_mask(padding, T);
  return b;
}

// ------------------------------------------------------------- threads

// A copy of the weights with new Params: ag's graphs must not share nodes
// between threads.
TransformerWeights Copy(const TransformerWeights& w,
                        const TransformerConfig& config) {
  dl::RandomState unused(0);
  TransformerWeights copy = transformer::initialize_transformer(config, unused);
  const std::vector<Var> from = transformer::all_parameters(w);
  std::vector<Var> to = transformer::all_parameters(copy);
  for (size_t k = 0; k < from.size(); ++k)
    to[k].mutable_value() = from[k].value();
  return copy;
}

// ------------------------------------------------------ greedy decoding

struct Decoded {
  std::vector<std::vector<int>> tokens;  // up to and with ">"
  // The last layer's cross-attention of every head, (T_inp, m·T_out), for
  // the pictures.
  std::vector<Matrix> cross_attention;
  int T_out = 0;
};

// Greedy decoding: the encoder once, then the decoder on the growing
// outputs "<", "< y1", ... (the look-ahead mask keeps each position from
// seeing later ones), taking the most likely next token each time.
Decoded GreedyDecode(const TokenIds& input, const TransformerWeights& w,
                     int max_steps) {
  ag::NoGrad no_grad;
  const Index m = static_cast<Index>(input.size());
  const Index T_inp = static_cast<Index>(input[0].size());
  const Matrix padding = graded::create_padding_mask(input);
  const Var enc_output = graded::Encoder(
      input, transformer::broadcast_padding_mask(padding, T_inp), w.encoder);
  TokenIds out(input.size(), std::vector<int>{kStart});
  std::vector<bool> done(input.size(), false);
  Decoded result;
  result.tokens.resize(input.size());
  for (int step = 0; step < max_steps; ++step) {
    const Index T = step + 1;
    const transformer::DecoderOutput dec = graded::Decoder(
        out, enc_output,
        transformer::broadcast_look_ahead_mask(
            graded::create_look_ahead_mask(static_cast<int>(T)), m),
        transformer::broadcast_padding_mask(padding, T), w.decoder);
    const Matrix logits =
        transformer::Dense(dec.x, w.final_layer).value();  // (V, m·T)
    bool all_done = true;
    for (Index i = 0; i < m; ++i) {
      Index best = 0;
      logits.col(i * T + T - 1).maxCoeff(&best);
      out[i].push_back(static_cast<int>(best));
      if (!done[i]) {
        result.tokens[i].push_back(static_cast<int>(best));
        done[i] = best == kEnd;
      }
      all_done = all_done && done[i];
    }
    if (all_done || step + 1 == max_steps) {
      const std::string key = "decoder_layer" +
                              std::to_string(w.decoder.dec_layers.size()) +
                              "_block2_decenc_att";
      auto it = dec.attention_weights.find(key);
      if (it != dec.attention_weights.end()) {
        for (const Var& head : it->second) {
          result.cross_attention.push_back(head.value());
        }
      }
      result.T_out = static_cast<int>(T);
      break;
    }
  }
  return result;
}

// ------------------------------------------------------------ the picture

// A "Blues"-like colour map: 0 white, 1 dark blue.
dl::GridColor Blues(double v) {
  v = std::clamp(v, 0.0, 1.0);
  const dl::GridColor lo{247, 251, 255}, hi{8, 48, 107};
  auto mix = [v](uint8_t a, uint8_t b) {
    return static_cast<uint8_t>(std::lround(a + (b - a) * v));
  };
  return {mix(lo[0], hi[0]), mix(lo[1], hi[1]), mix(lo[2], hi[2])};
}

// A token's label in the picture: its character, nothing for the padding.
std::string TokenLabel(int token) {
  return token == kPad ? "" : std::string(1, TokenChar(token));
}

// One panel per head: row t is output step t (its token on the left), column
// s input position s (its token on top), colour the attention weight.
absl::Status WriteAttentionPng(const std::string& path,
                               const std::vector<Matrix>& heads,
                               const std::vector<int>& input,
                               const std::vector<int>& output) {
  const int cell = 26, margin = 30, gap = 24;
  // The labels: dl::DrawText's 5x7 font, each font pixel text x text.
  const int text = 2, glyph_w = 5 * text, glyph_h = 7 * text;
  const dl::GridColor ink = {40, 40, 40};
  const int T_inp = static_cast<int>(input.size());
  const int T_out = static_cast<int>(output.size());
  const int panel_w = margin + T_inp * cell, panel_h = margin + T_out * cell;
  dl::Image img;
  img.channels = 3;
  img.width = static_cast<int>(heads.size()) * (panel_w + gap) + gap;
  img.height = panel_h + 2 * gap + glyph_h + text;
  img.pixels.assign(static_cast<size_t>(img.width) * img.height * 3, 255);
  for (size_t h = 0; h < heads.size(); ++h) {
    const int x0 = gap + static_cast<int>(h) * (panel_w + gap);
    const int y0 = gap + glyph_h + text;  // under the title "h0", "h1", ...
    dl::DrawText(img, x0 + margin, gap / 2, "h" + std::to_string(h), ink, text);
    for (int s = 0; s < T_inp; ++s) {
      dl::DrawText(img, x0 + margin + s * cell + (cell - glyph_w) / 2,
                   y0 + (margin - glyph_h) / 2, TokenLabel(input[s]), ink,
                   text);
    }
    for (int t = 0; t < T_out; ++t) {
      dl::DrawText(img, x0 + (margin - glyph_w) / 2,
                   y0 + margin + t * cell + (cell - glyph_h) / 2,
                   TokenLabel(output[t]), ink, text);
      for (int s = 0; s < T_inp; ++s) {
        const int left = x0 + margin + s * cell, top = y0 + margin + t * cell;
        dl::FillRect(img, top, left, top + cell - 2, left + cell - 2,
                     Blues(heads[h](s, t)));
      }
    }
  }
  return dl::SavePng(path, img);
}

}  // namespace

constexpr char kUsage[] =
    "Trains a small transformer (yours) to reverse or sort digit sequences and "
    "reports its exact-sequence accuracy on held-out sequences.";

int main(int argc, char** argv) {
  if (!dl::StartProgram(argc, argv, kUsage)) return 2;
  const std::string task_name = absl::GetFlag(FLAGS_task);
  const int num_steps = dl::PositiveFlag(FLAGS_num_steps);
  const int batch_size = dl::FlagInRange(FLAGS_batch_size, 1, 10000);
  const double learning_rate = dl::PositiveFlag(FLAGS_learning_rate);
  const int warmup_steps = absl::GetFlag(FLAGS_warmup_steps);
  const double dropout_rate = absl::GetFlag(FLAGS_dropout_rate);
  const int test_size = dl::FlagInRange(FLAGS_test_size, 1, 100000);
  const int threads = absl::GetFlag(FLAGS_threads);
  const int seed = absl::GetFlag(FLAGS_seed);
  Task task;
  task.min_length = absl::GetFlag(FLAGS_min_length);
  task.max_length = absl::GetFlag(FLAGS_max_length);
  TransformerConfig config;
  config.num_layers = absl::GetFlag(FLAGS_num_layers);
  config.embedding_dim = absl::GetFlag(FLAGS_d_model);
  config.num_heads = absl::GetFlag(FLAGS_num_heads);
  config.fully_connected_dim = absl::GetFlag(FLAGS_dff);
  config.input_vocab_size = kVocab;
  config.target_vocab_size = kVocab;
  config.max_positional_encoding_input = task.T();
  config.max_positional_encoding_target = task.T();

  if (task_name != "reverse" && task_name != "sort") {
    return dl::Fail("--task must be reverse or sort, got '" + task_name + "'");
  }
  task.sort = task_name == "sort";
  if (seed < 0) return dl::Fail("--seed must be >= 0");
  if (warmup_steps < 0) return dl::Fail("--warmup_steps must be >= 0");
  if (!(dropout_rate >= 0 && dropout_rate < 1)) {
    return dl::Fail("--dropout_rate must be in [0, 1)");
  }
  if (task.min_length < 1 || task.max_length < task.min_length ||
      task.max_length > 30) {
    return dl::Fail("need 1 <= --min_length <= --max_length <= 30");
  }
  if (threads < 1 || threads > 64)
    return dl::Fail("--threads must be in 1 .. 64");
  if (config.num_layers < 1 || config.num_layers > 12 ||
      config.embedding_dim < 2 || config.embedding_dim > 1024 ||
      config.fully_connected_dim < 1 || config.fully_connected_dim > 4096 ||
      config.num_heads < 1 || config.embedding_dim % config.num_heads != 0) {
    return dl::Fail(
        "need --num_layers in 1 .. 12, --d_model in 2 .. 1024, --dff in "
        "1 .. 4096 and --d_model divisible by --num_heads");
  }

  // ------------------------------------------------------------- the data
  // Held out: test_size distinct sequences; training never draws them.
  dl::RandomState test_rng(2024);
  std::set<std::vector<int>> held_out;
  std::vector<std::vector<int>> test_set;
  for (int tries = 0;
       static_cast<int>(test_set.size()) < test_size && tries < 100 * test_size;
       ++tries) {
    std::vector<int> digits = task.Draw(test_rng);
    if (held_out.insert(digits).second) test_set.push_back(digits);
  }
  if (static_cast<int>(test_set.size()) < test_size) {
    return dl::Fail("cannot draw " + std::to_string(test_size) +
                    " distinct sequences of these lengths");
  }
  std::vector<int> shown;  // the answer to 3 1 4 1 5
  for (int d : task.Answer({3, 1, 4, 1, 5})) shown.push_back(DigitToken(d));
  std::printf(
      "Task: %s %d to %d digits. Input \"3 1 4 1 5 >\", decoder input "
      "\"< %s\", labels \"%s >\".\n",
      task_name.c_str(), task.min_length, task.max_length, Text(shown).c_str(),
      Text(shown).c_str());

  // ------------------------------------------------------------ the model
  dl::RandomState rng(static_cast<uint32_t>(seed));
  TransformerWeights weights;
  try {
    weights = transformer::initialize_transformer(config, rng);
  } catch (const std::exception& e) {
    return dl::Fail(e.what());
  }
  const std::vector<Var> params = transformer::all_parameters(weights);
  std::printf(
      "Transformer(num_layers=%d, embedding_dim=%d, num_heads=%d, "
      "fully_connected_dim=%d, vocab %d, T %d): %lld parameters\n",
      config.num_layers, config.embedding_dim, config.num_heads,
      config.fully_connected_dim, kVocab, task.T(),
      static_cast<long long>(ag::NumParameters(params)));

  // Your functions first run once here, in this thread: a stub stops the
  // program before the threads start.
  dl::clear_not_implemented();
  try {
    // (Stub masks are empty: no mask. The model still runs, so every stub
    // it reaches is listed.)
    const Batch probe = MakeBatch({{1, 2, 3}}, task);
    ag::NoGrad no_grad;
    graded::Transformer(probe.input, probe.decoder_input,
                        probe.enc_padding_mask, probe.look_ahead_mask,
                        probe.dec_padding_mask, weights);
  } catch (const std::exception& e) {
    if (dl::StubsCalled().empty()) {
      return dl::Fail(std::string("your code failed: ") + e.what() +
                      "\n(bazel test //course4_seq/transformer/... points at "
                      "the function)");
    }
  }
  if (!dl::StubsCalled().empty()) {
    return dl::Fail(dl::NotImplementedMessage("course4_seq/transformer"));
  }

  ag::AdamOptions options;
  options.learning_rate = learning_rate;
  options.beta2 = 0.98;  // the paper's
  options.epsilon = 1e-9;
  options.clip_norm = 1;
  ag::Adam adam(params, options);
  std::printf(
      "Training with %s: Adam (peak learning rate %g after %d warm-up steps, "
      "then a cosine decay; beta2 0.98, gradient norm clipped to 1), %d "
      "steps of %d fresh sequences, dropout %g, %d thread%s\n",
      dl::SolutionFile(), learning_rate, warmup_steps, num_steps, batch_size,
      dropout_rate, threads, threads > 1 ? "s" : "");

  std::vector<TransformerWeights> replicas;
  std::vector<dl::RandomState> dropout_rngs;
  for (int r = 0; r < threads; ++r) {
    replicas.push_back(Copy(weights, config));
    dropout_rngs.emplace_back(static_cast<uint32_t>(100 * seed + r));
  }
  auto sync = [&] {
    for (TransformerWeights& replica : replicas) {
      std::vector<Var> copy = transformer::all_parameters(replica);
      for (size_t k = 0; k < params.size(); ++k) {
        copy[k].mutable_value() = params[k].value();
      }
    }
  };

  dl::RandomState train_rng(static_cast<uint32_t>(seed) + 6);
  std::vector<double> losses;  // the mean of every 10 steps
  double window = 0;
  const double train_cpu_start = dl::CpuSeconds();
  const auto train_start = std::chrono::steady_clock::now();
  {
    dl::Progress progress("training", num_steps);
    for (int step = 0; step < num_steps; ++step) {
      // The learning rate: linear warm-up, then a cosine decay to 10 %.
      double lr = learning_rate;
      if (step < warmup_steps) {
        lr *= (step + 1.0) / warmup_steps;
      } else {
        const double progress_fraction =
            (step - warmup_steps) /
            std::max(1.0, 1.0 * (num_steps - warmup_steps));
        lr *= 0.1 +
              0.9 * 0.5 *
                  (1 + std::cos(3.14159265358979323846 * progress_fraction));
      }
      adam.set_learning_rate(lr);

      std::vector<std::vector<int>> sequences;
      while (static_cast<int>(sequences.size()) < batch_size) {
        std::vector<int> digits = task.Draw(train_rng);
        if (!held_out.count(digits)) sequences.push_back(std::move(digits));
      }
      const int parts = std::min(threads, batch_size);
      sync();
      std::vector<double> part_loss(parts);
      std::vector<int> part_tokens(parts);
      const std::string error = dl::ParallelFor(
          parts, sequences.size(), [&](int r, size_t lo, size_t hi) {
            const Batch b =
                MakeBatch(std::vector<std::vector<int>>(sequences.begin() + lo,
                                                        sequences.begin() + hi),
                          task);
            const std::vector<Var> copy =
                transformer::all_parameters(replicas[r]);
            const Training training{dropout_rate, &dropout_rngs[r]};
            const transformer::TransformerOutput out = graded::Transformer(
                b.input, b.decoder_input, b.enc_padding_mask, b.look_ahead_mask,
                b.dec_padding_mask, replicas[r], training);
            const Var loss = ag::cross_entropy(out.logits, b.labels);
            ag::ZeroGrad(copy);
            ag::Backward(loss);
            part_loss[r] = loss.item();
            part_tokens[r] = b.tokens;
          });
      if (!error.empty()) {
        return dl::Fail("training failed: " + error +
                        "\n(bazel test //course4_seq/transformer/... points "
                        "at the function)");
      }
      // The loss is the mean over the batch's label tokens: weigh each
      // share by its tokens.
      int tokens = 0;
      for (int t : part_tokens) tokens += t;
      adam.ZeroGrad();
      double loss_value = 0;
      for (int r = 0; r < parts; ++r) {
        const double share = static_cast<double>(part_tokens[r]) / tokens;
        const std::vector<Var> copy = transformer::all_parameters(replicas[r]);
        for (size_t k = 0; k < params.size(); ++k) {
          params[k].node()->AddGrad(share * copy[k].grad());
        }
        loss_value += share * part_loss[r];
      }
      adam.Step();
      window += loss_value;
      if ((step + 1) % 10 == 0) {
        losses.push_back(window / 10);
        window = 0;
      }
      progress.Update(step + 1, "loss " + std::to_string(loss_value));
    }
  }
  const double train_seconds = dl::SecondsSince(train_start);
  std::printf("Loss (the mean of 10 steps):");
  for (size_t k = 0; k < losses.size(); ++k) {
    const size_t step = (k + 1) * 10;
    if (k == 0 || step % 100 == 0 || k + 1 == losses.size()) {
      std::printf(" %zu: %.4f", step, losses[k]);
    }
  }
  std::printf("\n");
  const double train_cpu = dl::CpuSeconds() - train_cpu_start;
  sync();

  // ---------------------------------------------------------- evaluation
  const auto eval_start = std::chrono::steady_clock::now();
  TokenIds test_input;
  for (const std::vector<int>& digits : test_set) {
    test_input.push_back(MakeBatch({digits}, task).input[0]);
  }
  std::vector<std::vector<int>> predicted(test_set.size());
  const int eval_parts =
      static_cast<int>(std::min<size_t>(threads, test_set.size()));
  const std::string error = dl::ParallelFor(
      eval_parts, test_set.size(), [&](int r, size_t lo, size_t hi) {
        const Decoded d = GreedyDecode(
            TokenIds(test_input.begin() + lo, test_input.begin() + hi),
            replicas[r], task.T());
        for (size_t i = lo; i < hi; ++i) predicted[i] = d.tokens[i - lo];
      });
  if (!error.empty()) return dl::Fail("evaluation failed: " + error);
  int exact = 0, tokens_right = 0, tokens_all = 0;
  std::vector<size_t> wrong;
  for (size_t i = 0; i < test_set.size(); ++i) {
    std::vector<int> want;
    for (int d : task.Answer(test_set[i])) want.push_back(DigitToken(d));
    want.push_back(kEnd);
    if (predicted[i] == want) {
      ++exact;
    } else {
      wrong.push_back(i);
    }
    for (size_t t = 0; t < want.size(); ++t) {
      tokens_right += t < predicted[i].size() && predicted[i][t] == want[t];
    }
    tokens_all += static_cast<int>(want.size());
  }
  const double eval_seconds = dl::SecondsSince(eval_start);

  std::printf("\nExamples (held out):\n");
  for (size_t i = 0; i < 6 && i < test_set.size(); ++i) {
    std::vector<int> in;
    for (int d : test_set[i]) in.push_back(DigitToken(d));
    std::printf(
        "  %-17s -> %-19s %s\n", Text(in).c_str(), Text(predicted[i]).c_str(),
        std::find(wrong.begin(), wrong.end(), i) == wrong.end() ? "right"
                                                                : "WRONG");
  }
  if (!wrong.empty()) {
    std::printf("Some wrong ones:\n");
    for (size_t k = 0; k < wrong.size() && k < 4; ++k) {
      std::vector<int> in, want;
      for (int d : test_set[wrong[k]]) in.push_back(DigitToken(d));
      for (int d : task.Answer(test_set[wrong[k]]))
        want.push_back(DigitToken(d));
      std::printf("  %-17s -> %-19s (expected %s >)\n", Text(in).c_str(),
                  Text(predicted[wrong[k]]).c_str(), Text(want).c_str());
    }
  }
  std::printf(
      "\nHeld-out sequences (%d, none seen in training), greedy decoding:\n"
      "  exact-sequence accuracy: %.1f %%\n"
      "  per-token accuracy:      %.2f %%\n",
      test_size, 100.0 * exact / test_set.size(),
      100.0 * tokens_right / tokens_all);

  // ------------------------------------------------------------- pictures
  absl::StatusOr<std::string> dir = dl::OutputDir("transformer");
  if (!dir.ok()) return dl::Fail(dir.status());
  const std::vector<int> example = {3, 1, 4, 1, 5, 9, 2, 6};
  std::vector<int> example_digits(
      example.begin(),
      example.begin() + std::min<size_t>(example.size(), task.max_length));
  const TokenIds example_input = MakeBatch({example_digits}, task).input;
  const Decoded d = GreedyDecode(example_input, weights, task.T());
  std::vector<int> out_tokens = d.tokens[0];
  // Rows: the decoder's steps, each labelled with the token it produced.
  std::vector<Matrix> heads;
  for (const Matrix& h : d.cross_attention)
    heads.push_back(h.leftCols(d.T_out));
  out_tokens.resize(d.T_out, kPad);
  const std::string png = *dir + "/attention.png";
  absl::Status written =
      WriteAttentionPng(png, heads, example_input[0], out_tokens);
  if (written.ok()) {
    std::printf(
        "wrote %s (the last decoder layer's cross-attention, one panel per "
        "head: \"%s\" -> \"%s\")\n",
        png.c_str(), Text(example_input[0]).c_str(), Text(d.tokens[0]).c_str());
  } else {
    std::fprintf(stderr, "warning: %s\n",
                 std::string(written.message()).c_str());
  }
  dl::LinePlot plot;
  plot.title = "Training loss (cross-entropy per label token)";
  plot.x_label = "step";
  plot.y_label = "loss";
  plot.log_y = true;
  dl::Series series;
  series.label = "mean of 10 steps";
  for (size_t k = 0; k < losses.size(); ++k) {
    series.x.push_back(static_cast<double>((k + 1) * 10));
    series.y.push_back(losses[k]);
  }
  plot.series.push_back(series);
  const std::string svg = *dir + "/loss.svg";
  written = dl::WriteLinePlotSvg(svg, plot);
  if (written.ok()) {
    std::printf("wrote %s\n", svg.c_str());
  } else {
    std::fprintf(stderr, "warning: %s\n",
                 std::string(written.message()).c_str());
  }
  std::printf(
      "\nTrained in %.0f s (%.0f s of CPU), evaluated in %.1f s; done in "
      "%.0f s.\n",
      train_seconds, train_cpu, eval_seconds, dl::SecondsSinceStart());
  return 0;
}
