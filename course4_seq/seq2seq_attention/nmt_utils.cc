#include "course4_seq/seq2seq_attention/nmt_utils.h"

#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace seq2seq_attention {

namespace ag = dl::ag;

const std::vector<std::string> kFormats = {
    "short",      "medium",     "long",        "full",        "full",
    "full",       "full",       "full",        "full",        "full",
    "full",       "full",       "full",        "d MMM YYY",   "d MMMM YYY",
    "dd MMM YYY", "d MMM, YYY", "d MMMM, YYY", "dd, MMM YYY", "d MM YY",
    "d MMMM YYY", "MMMM d YYY", "MMMM d, YYY", "dd.MM.YY"};

namespace {

const char* const kMonths[] = {"January",   "February", "March",    "April",
                               "May",       "June",     "July",     "August",
                               "September", "October",  "November", "December"};
const char* const kMonthsShort[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
// Monday first, as Python's date.weekday().
const char* const kWeekdays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                 "Friday", "Saturday", "Sunday"};

// Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// The civil date of a day count (H. Hinnant's civil_from_days).
void CivilFromDays(int64_t z, int* year, int* month, int* day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *year = static_cast<int>(yoe + era * 400 + (*month <= 2));
}

std::string Padded(int value, int width) {
  char buffer[16];
  std::snprintf(buffer, sizeof(buffer), "%0*d", width, value);
  return buffer;
}

std::string Lower(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Babel's en_US patterns of the named formats.
std::string Pattern(const std::string& format) {
  if (format == "short") return "M/d/yy";
  if (format == "medium") return "MMM d, y";
  if (format == "long") return "MMMM d, y";
  if (format == "full") return "EEEE, MMMM d, y";
  return format;
}

}  // namespace

std::string format_date(int year, int month, int day,
                        const std::string& format) {
  if (month < 1 || month > 12 || day < 1 || day > 31) {
    throw std::invalid_argument(
        "format_date: no such date " + std::to_string(year) + "-" +
        std::to_string(month) + "-" + std::to_string(day));
  }
  const std::string pattern = Pattern(format);
  std::string out;
  for (size_t i = 0; i < pattern.size();) {
    const char c = pattern[i];
    size_t n = 1;
    while (i + n < pattern.size() && pattern[i + n] == c) ++n;
    switch (c) {
      case 'd':
        out += Padded(day, static_cast<int>(n));
        break;
      case 'M':
        if (n <= 2) {
          out += Padded(month, static_cast<int>(n));
        } else {
          out += n == 3 ? kMonthsShort[month - 1] : kMonths[month - 1];
        }
        break;
      case 'y':
      case 'Y':
        out +=
            n == 2 ? Padded(year % 100, 2) : Padded(year, static_cast<int>(n));
        break;
      case 'E': {
        const int64_t days = DaysFromCivil(year, month, day);
        // 1970-01-01 was a Thursday (weekday 3).
        const int weekday = static_cast<int>(((days % 7) + 7 + 3) % 7);
        out += kWeekdays[weekday];
        break;
      }
      default:
        out += std::string(n, c);
    }
    i += n;
  }
  return out;
}

DatePair load_date(dl::RandomState& rng) {
  static const int64_t kFirst = DaysFromCivil(1970, 1, 1);
  static const int64_t kLast = DaysFromCivil(2020, 12, 31);
  const int64_t days = rng.randint(kFirst, kLast + 1);
  const std::string& format =
      kFormats[static_cast<size_t>(rng.randint(0, kFormats.size()))];
  int year, month, day;
  CivilFromDays(days, &year, &month, &day);
  DatePair pair;
  for (char c : Lower(format_date(year, month, day, format))) {
    if (c != ',') pair.human += c;
  }
  pair.machine =
      Padded(year, 4) + "-" + Padded(month, 2) + "-" + Padded(day, 2);
  return pair;
}

Dataset load_dataset(int m, dl::RandomState& rng) {
  Dataset d;
  std::set<char> human, machine;
  for (int i = 0; i < m; ++i) {
    DatePair pair = load_date(rng);
    human.insert(pair.human.begin(), pair.human.end());
    machine.insert(pair.machine.begin(), pair.machine.end());
    d.dataset.push_back(std::move(pair));
  }
  int k = 0;
  for (char c : human) d.human_vocab[std::string(1, c)] = k++;
  d.human_vocab["<unk>"] = k++;
  d.human_vocab["<pad>"] = k++;
  k = 0;
  for (char c : machine) {
    d.machine_vocab[std::string(1, c)] = k;
    d.inv_machine_vocab[k] = std::string(1, c);
    ++k;
  }
  return d;
}

std::vector<int> string_to_int(const std::string& string, int length,
                               const std::map<std::string, int>& vocab) {
  std::string s;
  for (char c : Lower(string)) {
    if (c != ',') s += c;
  }
  if (static_cast<int>(s.size()) > length) s.resize(length);
  const auto unk = vocab.find("<unk>");
  const auto pad = vocab.find("<pad>");
  std::vector<int> rep;
  for (char c : s) {
    const auto it = vocab.find(std::string(1, c));
    if (it != vocab.end()) {
      rep.push_back(it->second);
    } else if (unk != vocab.end()) {
      rep.push_back(unk->second);
    } else {
      throw std::invalid_argument(std::string("string_to_int: '") + c +
                                  "' is not in the vocabulary, which has no "
                                  "'<unk>'");
    }
  }
  while (static_cast<int>(rep.size()) < length) {
    if (pad == vocab.end()) {
      throw std::invalid_argument(
          "string_to_int: the vocabulary has no '<pad>' to pad \"" + string +
          "\" to " + std::to_string(length) + " characters");
    }
    rep.push_back(pad->second);
  }
  return rep;
}

std::vector<std::string> int_to_string(
    const std::vector<int>& ints, const std::map<int, std::string>& inv_vocab) {
  std::vector<std::string> out;
  for (int i : ints) {
    const auto it = inv_vocab.find(i);
    if (it == inv_vocab.end()) {
      throw std::invalid_argument("int_to_string: index " + std::to_string(i) +
                                  " is not in the vocabulary");
    }
    out.push_back(it->second);
  }
  return out;
}

Tensor3 one_hot(const std::vector<std::vector<int>>& X, int vocab_size) {
  const Eigen::Index m = static_cast<Eigen::Index>(X.size());
  const Eigen::Index T = m > 0 ? static_cast<Eigen::Index>(X[0].size()) : 0;
  Tensor3 out(vocab_size, m, T);
  out.setZero();
  for (Eigen::Index i = 0; i < m; ++i) {
    if (static_cast<Eigen::Index>(X[i].size()) != T) {
      throw std::invalid_argument("one_hot: sequence " + std::to_string(i) +
                                  " has " + std::to_string(X[i].size()) +
                                  " steps, sequence 0 has " +
                                  std::to_string(T));
    }
    for (Eigen::Index t = 0; t < T; ++t) {
      const int k = X[i][t];
      if (k < 0 || k >= vocab_size) {
        throw std::invalid_argument("one_hot: index " + std::to_string(k) +
                                    " is out of range 0 .. " +
                                    std::to_string(vocab_size - 1));
      }
      out(k, i, t) = 1;
    }
  }
  return out;
}

Preprocessed preprocess_data(const std::vector<DatePair>& dataset,
                             const std::map<std::string, int>& human_vocab,
                             const std::map<std::string, int>& machine_vocab,
                             int Tx, int Ty) {
  Preprocessed p;
  for (const DatePair& pair : dataset) {
    p.X.push_back(string_to_int(pair.human, Tx, human_vocab));
    p.Y.push_back(string_to_int(pair.machine, Ty, machine_vocab));
  }
  p.Xoh = one_hot(p.X, static_cast<int>(human_vocab.size()));
  p.Yoh = one_hot(p.Y, static_cast<int>(machine_vocab.size()));
  return p;
}

// ---------------------------------------------------------------- model

std::vector<Var> NmtParameters::all() const {
  std::vector<Var> params;
  for (const LstmWeights* w :
       {&encoder_forward, &encoder_backward, &post_attention_lstm}) {
    for (const Var& v : w->all()) params.push_back(v);
  }
  for (const Var& v :
       {attention.W1, attention.b1, attention.W2, attention.b2, Wy, by}) {
    params.push_back(v);
  }
  return params;
}

NmtParameters initialize_parameters(int n_a, int n_s, int human_vocab_size,
                                    int machine_vocab_size,
                                    dl::RandomState& rng, int dense1_units) {
  NmtParameters p;
  p.encoder_forward = ag::keras_lstm_weights(rng, n_a, human_vocab_size);
  p.encoder_backward = ag::keras_lstm_weights(rng, n_a, human_vocab_size);
  const int n_concat = 2 * n_a + n_s;
  p.attention.W1 =
      ag::glorot_uniform(rng, dense1_units, n_concat, n_concat, dense1_units);
  p.attention.b1 = ag::Param(Matrix::Zero(dense1_units, 1));
  p.attention.W2 = ag::glorot_uniform(rng, 1, dense1_units, dense1_units, 1);
  p.attention.b2 = ag::Param(Matrix::Zero(1, 1));
  p.post_attention_lstm = ag::keras_lstm_weights(rng, n_s, 2 * n_a);
  p.Wy =
      ag::glorot_uniform(rng, machine_vocab_size, n_s, n_s, machine_vocab_size);
  p.by = ag::Param(Matrix::Zero(machine_vocab_size, 1));
  return p;
}

Var model_loss(const std::vector<Var>& outputs,
               const std::vector<std::vector<int>>& Y) {
  if (outputs.empty()) {
    throw std::invalid_argument("model_loss: no outputs");
  }
  Var loss;
  for (size_t t = 0; t < outputs.size(); ++t) {
    const Eigen::Index m = outputs[t].cols();
    if (static_cast<Eigen::Index>(Y.size()) != m) {
      throw std::invalid_argument(
          "model_loss: outputs[" + std::to_string(t) + "] has shape " +
          outputs[t].shape() + " (m = " + std::to_string(m) + ") but Y has " +
          std::to_string(Y.size()) + " examples");
    }
    std::vector<int> labels(static_cast<size_t>(m));
    for (Eigen::Index i = 0; i < m; ++i) {
      if (Y[i].size() <= t) {
        throw std::invalid_argument("model_loss: Y[" + std::to_string(i) +
                                    "] has " + std::to_string(Y[i].size()) +
                                    " steps, the model " +
                                    std::to_string(outputs.size()));
      }
      labels[i] = Y[i][t];
    }
    const Var step = ag::cross_entropy(outputs[t], labels);
    loss = t == 0 ? step : loss + step;
  }
  return loss;
}

}  // namespace seq2seq_attention
