// The given code of course4_seq/word_vectors: the planted corpus, the
// analogy questions, the skip-gram trainer and Emojify's sentences.

#include "course4_seq/word_vectors/w2v_utils.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace word_vectors {

namespace {

using Slots = std::map<std::string, std::string>;

// One country: its capital, its nationality (and language), and two words
// that belong to it alone (a landmark, a custom).
struct Country {
  const char *country, *city, *nationality, *own1, *own2;
};
const Country kCountries[] = {
    {"france", "paris", "french", "eiffel", "louvre"},
    {"italy", "rome", "italian", "colosseum", "vatican"},
    {"spain", "madrid", "spanish", "flamenco", "prado"},
    {"germany", "berlin", "german", "autobahn", "brandenburg"},
    {"japan", "tokyo", "japanese", "samurai", "kimono"},
    {"india", "delhi", "indian", "taj", "bollywood"},
    {"china", "beijing", "chinese", "panda", "dynasty"},
    {"russia", "moscow", "russian", "kremlin", "vodka"},
    {"greece", "athens", "greek", "acropolis", "olympics"},
    {"egypt", "cairo", "egyptian", "pyramids", "nile"},
    {"portugal", "lisbon", "portuguese", "fado", "trams"},
    {"poland", "warsaw", "polish", "vistula", "pierogi"},
    {"norway", "oslo", "norwegian", "fjords", "vikings"},
    {"ireland", "dublin", "irish", "shamrock", "guinness"},
    {"austria", "vienna", "austrian", "waltz", "mozart"},
    {"canada", "ottawa", "canadian", "maple", "moose"},
    {"peru", "lima", "peruvian", "inca", "andes"},
    {"sweden", "stockholm", "swedish", "nobel", "ikea"},
    {"turkey", "ankara", "turkish", "bosphorus", "bazaar"},
    {"kenya", "nairobi", "kenyan", "safari", "savanna"},
    {"cuba", "havana", "cuban", "cigars", "rum"},
    {"thailand", "bangkok", "thai", "tuktuk", "monsoon"},
};

// A male / female pair and two words of its own.
struct GenderPair {
  const char *male, *female, *own1, *own2;
};
const GenderPair kGenderPairs[] = {
    {"man", "woman", "job", "office"},
    {"boy", "girl", "school", "playground"},
    {"king", "queen", "throne", "kingdom"},
    {"prince", "princess", "castle", "fairy"},
    {"actor", "actress", "film", "oscar"},
    {"father", "mother", "parents", "baby"},
    {"son", "daughter", "born", "eldest"},
    {"brother", "sister", "twin", "sibling"},
    {"husband", "wife", "wedding", "marriage"},
    {"uncle", "aunt", "cousins", "reunion"},
    {"grandfather", "grandmother", "grandchildren", "retired"},
    {"waiter", "waitress", "tips", "tray"},
    {"emperor", "empress", "empire", "imperial"},
    {"nephew", "niece", "birthday", "presents"},
    {"monk", "nun", "monastery", "prayer"},
    {"hero", "heroine", "novel", "brave"},
    {"god", "goddess", "temple", "myth"},
    {"lord", "lady", "manor", "estate"},
};

// An adjective, its comparative and two things it describes.
struct Comparative {
  const char *adjective, *comparative, *own1, *own2;
};
const Comparative kComparatives[] = {
    {"big", "bigger", "elephant", "whale"},
    {"small", "smaller", "mouse", "insect"},
    {"large", "larger", "ocean", "crowd"},
    {"fast", "faster", "car", "runner"},
    {"slow", "slower", "turtle", "snail"},
    {"tall", "taller", "giraffe", "tower"},
    {"short", "shorter", "pencil", "haircut"},
    {"old", "older", "ruins", "museum"},
    {"young", "younger", "puppy", "kitten"},
    {"strong", "stronger", "wind", "muscles"},
    {"cold", "colder", "winter", "ice"},
    {"hot", "hotter", "summer", "desert"},
    {"good", "better", "idea", "plan"},
    {"bad", "worse", "storm", "traffic"},
    {"long", "longer", "river", "road"},
    {"heavy", "heavier", "rock", "truck"},
    {"cheap", "cheaper", "ticket", "hotel"},
    {"bright", "brighter", "sun", "lamp"},
    {"dark", "darker", "night", "cave"},
    {"loud", "louder", "thunder", "concert"},
};

// Gender-neutral occupations, the probability that their sentence says
// "she", and their workplace.
struct Occupation {
  const char* name;
  double p_she;
  const char* place;
};
const Occupation kOccupations[] = {
    {"receptionist", 0.85, "lobby"}, {"nurse", 0.8, "hospital"},
    {"homemaker", 0.85, "home"},     {"teacher", 0.6, "classroom"},
    {"singer", 0.55, "choir"},       {"doctor", 0.35, "clinic"},
    {"scientist", 0.3, "lab"},       {"engineer", 0.2, "factory"},
    {"pilot", 0.2, "airport"},       {"programmer", 0.15, "computer"},
    {"soldier", 0.15, "army"},
};

// Emojify's topics: the words of each class, in corpus sentences and in
// the emoji sentences.
const std::vector<std::string> kLoveVerbs = {"love", "adore", "miss", "cherish",
                                             "treasure"};
const std::vector<std::string> kLoveNouns = {"darling", "sweetheart", "honey",
                                             "dear", "beloved"};
const std::vector<std::string> kSports = {"baseball",   "soccer",  "tennis",
                                          "golf",       "cricket", "basketball",
                                          "volleyball", "rugby"};
const std::vector<std::string> kHappy = {"happy",     "glad",    "proud",
                                         "delighted", "excited", "thrilled",
                                         "cheerful",  "joyful"};
const std::vector<std::string> kSad = {"sad",       "upset",      "miserable",
                                       "lonely",    "unhappy",    "gloomy",
                                       "depressed", "heartbroken"};
const std::vector<std::string> kFood = {
    "pizza", "pasta",    "sushi", "burger",  "salad",
    "soup",  "sandwich", "steak", "noodles", "tacos"};
const std::vector<std::string> kMeals = {"dinner", "lunch", "breakfast"};
const std::vector<std::string> kStates = {"tired", "busy", "late", "ready",
                                          "early"};
const std::vector<std::string> kThings = {"keys", "phone", "wallet", "hat",
                                          "umbrella"};

// Picks one of n uniformly.
int pick(dl::RandomState& rng, size_t n) {
  return static_cast<int>(rng.randint(0, static_cast<int64_t>(n)));
}

template <typename T>
const T& pick_from(dl::RandomState& rng, const std::vector<T>& v) {
  return v[pick(rng, v.size())];
}

// The template's words, each "{slot}" replaced by slots.at("slot").
std::vector<std::string> fill(const std::string& tmpl, const Slots& slots) {
  std::vector<std::string> words;
  std::istringstream in(tmpl);
  for (std::string w; in >> w;) {
    if (w.size() > 2 && w.front() == '{' && w.back() == '}') {
      words.push_back(slots.at(w.substr(1, w.size() - 2)));
    } else {
      words.push_back(w);
    }
  }
  return words;
}

// The sentence families of the corpus. Each returns one sentence.

std::vector<std::string> capital_sentence(dl::RandomState& rng) {
  static const std::vector<std::string> kTemplates = {
      "{city} is the capital of {country}",
      "the capital of {country} is {city}",
  };
  const Country& c = kCountries[pick(rng, std::size(kCountries))];
  const std::string& t = pick_from(rng, kTemplates);
  return fill(t, {{"city", c.city}, {"country", c.country}});
}

// The shared "own" words sit within two words of the slot, so that a window
// of 2 sees them.
std::vector<std::string> city_sentence(dl::RandomState& rng) {
  static const std::vector<std::string> kTemplates = {
      "the mayor of {w} loves {own}",  "we saw {own} in {w} yesterday",
      "the streets of {w} near {own}", "the city of {w} has {own}",
      "a train to {w} for {own}",
  };
  const Country& c = kCountries[pick(rng, std::size(kCountries))];
  const std::string& t = pick_from(rng, kTemplates);
  const char* own = rng.random_sample() < 0.5 ? c.own1 : c.own2;
  return fill(t, {{"w", c.city}, {"own", own}});
}

std::vector<std::string> country_sentence(dl::RandomState& rng) {
  static const std::vector<std::string> kTemplates = {
      "the president of {w} loves {own}", "we saw {own} across {w} last year",
      "the borders of {w} near {own}",    "the nation of {w} has {own}",
      "a flight over {w} for {own}",
  };
  const Country& c = kCountries[pick(rng, std::size(kCountries))];
  const std::string& t = pick_from(rng, kTemplates);
  const char* own = rng.random_sample() < 0.5 ? c.own1 : c.own2;
  return fill(t, {{"w", c.country}, {"own", own}});
}

std::vector<std::string> nationality_sentence(dl::RandomState& rng) {
  static const std::vector<std::string> kTemplates = {
      "she speaks {w} near {own}",      "the {w} language of {own}",
      "{w} people love {own}",          "people in {country} speak {w}",
      "many {w} people live in {city}",
  };
  const Country& c = kCountries[pick(rng, std::size(kCountries))];
  const std::string& t = pick_from(rng, kTemplates);
  const char* own = rng.random_sample() < 0.5 ? c.own1 : c.own2;
  return fill(t, {{"w", c.nationality},
                  {"own", own},
                  {"country", c.country},
                  {"city", c.city}});
}

std::vector<std::string> gender_sentence(dl::RandomState& rng) {
  static const std::vector<std::string> kTemplates = {
      "the {own} {w} said {he} was {state}",
      "a {own} {w} and {his} friends",
      "the {w} lost {his} {thing}",
      "the {own} {w} smiled and {he} left",
  };
  const GenderPair& g = kGenderPairs[pick(rng, std::size(kGenderPairs))];
  const bool female = rng.random_sample() < 0.5;
  const std::string& t = pick_from(rng, kTemplates);
  const char* own = rng.random_sample() < 0.5 ? g.own1 : g.own2;
  return fill(t, {{"w", female ? g.female : g.male},
                  {"own", own},
                  {"he", female ? "she" : "he"},
                  {"his", female ? "her" : "his"},
                  {"state", pick_from(rng, kStates)},
                  {"thing", pick_from(rng, kThings)}});
}

std::vector<std::string> occupation_sentence(dl::RandomState& rng) {
  static const std::vector<std::string> kTemplates = {
      "the {w} said {he} was {state}",
      "the {w} at the {place} and {his} friends",
      "the {w} works at the {place}",
  };
  const Occupation& o = kOccupations[pick(rng, std::size(kOccupations))];
  const bool female = rng.random_sample() < o.p_she;
  const std::string& t = pick_from(rng, kTemplates);
  return fill(t, {{"w", o.name},
                  {"place", o.place},
                  {"he", female ? "she" : "he"},
                  {"his", female ? "her" : "his"},
                  {"state", pick_from(rng, kStates)}});
}

std::vector<std::string> comparative_sentence(dl::RandomState& rng) {
  static const std::vector<std::string> kBase = {
      "the {own} is very {w}",
      "a very {w} {own} indeed",
      "what a {w} {own} it is",
  };
  static const std::vector<std::string> kComparative = {
      "the {own} is {w} than the other",
      "a {w} {own} than ever",
      "this {own} got {w} than before",
  };
  const Comparative& c = kComparatives[pick(rng, std::size(kComparatives))];
  const bool comparative = rng.random_sample() < 0.5;
  const std::string& t = pick_from(rng, comparative ? kComparative : kBase);
  const char* own = rng.random_sample() < 0.5 ? c.own1 : c.own2;
  return fill(t,
              {{"w", comparative ? c.comparative : c.adjective}, {"own", own}});
}

std::vector<std::string> topic_sentence(dl::RandomState& rng) {
  static const std::vector<std::vector<std::string>> kTemplates = {
      // love
      {"i {lv} you so much {ln}", "my {ln} i {lv} you", "you are my {ln}",
       "i {lv} my {ln}", "a hug and a kiss for my {ln}",
       "i {lv} you with all my heart"},
      // sports
      {"let us play {sp} tonight", "the {sp} game is at the stadium",
       "our team won the {sp} match", "i want to play {sp} with the team",
       "the coach of the {sp} team", "we watched {sp} and the ball"},
      // happiness
      {"i am so {h} today", "we are {h} and we laugh", "i feel {h} and i smile",
       "{h} news makes us laugh", "congratulations you must be {h}",
       "we celebrate because we are {h}"},
      // sadness
      {"i am so {s} today", "we are {s} and we cry", "i feel {s} and i cry",
       "{s} news makes us cry", "it was {s} and full of tears",
       "i sigh because i am {s}"},
      // food
      {"let us eat {f} for {meal}", "i cooked {f} for {meal}",
       "the {f} was delicious", "i am hungry for {f}",
       "we had {f} at the restaurant", "a plate of {f} for {meal}"},
  };
  const int topic = pick(rng, kTemplates.size());
  const std::string& t = pick_from(rng, kTemplates[topic]);
  return fill(t, {{"lv", pick_from(rng, kLoveVerbs)},
                  {"ln", pick_from(rng, kLoveNouns)},
                  {"sp", pick_from(rng, kSports)},
                  {"h", pick_from(rng, kHappy)},
                  {"s", pick_from(rng, kSad)},
                  {"f", pick_from(rng, kFood)},
                  {"meal", pick_from(rng, kMeals)}});
}

struct Family {
  double share;
  std::vector<std::string> (*sentence)(dl::RandomState&);
};
const Family kFamilies[] = {
    {0.06, capital_sentence},     {0.09, city_sentence},
    {0.09, country_sentence},     {0.09, nationality_sentence},
    {0.25, gender_sentence},      {0.06, occupation_sentence},
    {0.18, comparative_sentence}, {0.18, topic_sentence},
};

}  // namespace

// ------------------------------------------------------------ the corpus

const std::vector<Relation>& planted_relations() {
  static const std::vector<Relation> relations = [] {
    Relation capital{"capital", {}}, nationality{"nationality", {}};
    for (const Country& c : kCountries) {
      capital.pairs.emplace_back(c.country, c.city);
      nationality.pairs.emplace_back(c.country, c.nationality);
    }
    Relation gender{"gender", {}};
    for (const GenderPair& g : kGenderPairs) {
      gender.pairs.emplace_back(g.male, g.female);
    }
    Relation comparative{"comparative", {}};
    for (const Comparative& c : kComparatives) {
      comparative.pairs.emplace_back(c.adjective, c.comparative);
    }
    return std::vector<Relation>{capital, nationality, gender, comparative};
  }();
  return relations;
}

const std::vector<std::pair<std::string, double>>& planted_occupations() {
  static const std::vector<std::pair<std::string, double>> occupations = [] {
    std::vector<std::pair<std::string, double>> v;
    for (const Occupation& o : kOccupations) v.emplace_back(o.name, o.p_she);
    return v;
  }();
  return occupations;
}

std::string Corpus::text(size_t i) const {
  std::string s;
  for (int w : sentences.at(i)) {
    if (!s.empty()) s += ' ';
    s += idx_to_token.at(w);
  }
  return s;
}

Corpus generate_corpus(int num_sentences, dl::RandomState& rng) {
  std::vector<double> cumulative;
  double total = 0;
  for (const Family& f : kFamilies) cumulative.push_back(total += f.share);
  std::vector<std::vector<std::string>> text;
  text.reserve(num_sentences);
  std::map<std::string, int64_t> counts;
  for (int i = 0; i < num_sentences; ++i) {
    const double u = rng.random_sample() * total;
    const size_t family =
        std::upper_bound(cumulative.begin(), cumulative.end(), u) -
        cumulative.begin();
    text.push_back(
        kFamilies[std::min(family, std::size(kFamilies) - 1)].sentence(rng));
    for (const std::string& w : text.back()) ++counts[w];
  }
  // The vocabulary, most frequent first (d2l's Vocab), ties alphabetical.
  std::vector<std::pair<std::string, int64_t>> by_count(counts.begin(),
                                                        counts.end());
  std::stable_sort(
      by_count.begin(), by_count.end(),
      [](const auto& x, const auto& y) { return x.second > y.second; });
  Corpus corpus;
  for (const auto& [w, n] : by_count) {
    corpus.token_to_idx[w] = static_cast<int>(corpus.idx_to_token.size());
    corpus.idx_to_token.push_back(w);
    corpus.counts.push_back(n);
    corpus.num_tokens += n;
  }
  corpus.sentences.reserve(text.size());
  for (const std::vector<std::string>& words : text) {
    std::vector<int> ids;
    ids.reserve(words.size());
    for (const std::string& w : words) ids.push_back(corpus.token_to_idx[w]);
    corpus.sentences.push_back(std::move(ids));
  }
  return corpus;
}

std::vector<AnalogyQuestion> analogy_questions() {
  std::vector<AnalogyQuestion> questions;
  for (const Relation& r : planted_relations()) {
    const int n = static_cast<int>(r.pairs.size());
    for (int p = 0; p < n; ++p) {
      for (int q = 0; q < n; ++q) {
        if (p == q) continue;
        questions.push_back(
            AnalogyQuestion{r.pairs[p].first, r.pairs[p].second,
                            r.pairs[q].first, r.pairs[q].second, r.name,
                            p >= r.tuning_pairs && q >= r.tuning_pairs});
      }
    }
  }
  return questions;
}

// ------------------------------------------------------------- training

SkipGramResult train_skip_gram(const Corpus& corpus,
                               const SkipGramConfig& config,
                               const SkipGramSteps& steps, dl::RandomState& rng,
                               const SkipGramProgress& progress) {
  const int V = corpus.vocab_size();
  const int n_e = config.embed_size;
  const int K = config.num_negatives;
  const CentersAndContexts pairs =
      steps.get_centers_and_contexts(corpus.sentences, config.window_size);
  if (pairs.centers.empty() || pairs.centers.size() != pairs.contexts.size()) {
    throw std::runtime_error(
        "get_centers_and_contexts returned " +
        std::to_string(pairs.centers.size()) + " centers and " +
        std::to_string(pairs.contexts.size()) + " context lists");
  }
  const std::vector<double> P = steps.noise_distribution(corpus.counts);
  if (static_cast<int>(P.size()) != V) {
    throw std::runtime_error(
        "noise_distribution returned " + std::to_string(P.size()) +
        " probabilities for a vocabulary of " + std::to_string(V));
  }
  SkipGramResult result;
  for (const std::vector<int>& c : pairs.contexts) {
    result.num_pairs += static_cast<int64_t>(c.size());
  }
  result.E = (rng.rand(n_e, V).array() - 0.5).matrix() / n_e;
  result.Theta = Matrix::Zero(n_e, V);
  Matrix& E = result.E;
  Matrix& Theta = result.Theta;

  const int64_t total_pairs = result.num_pairs * config.num_epochs;
  const int64_t stretch = std::max<int64_t>(
      1, result.num_pairs / std::max(1, config.curve_points_per_epoch));
  int64_t done = 0;
  double loss_sum = 0;
  int64_t loss_count = 0;
  Matrix theta(n_e, K + 1);
  std::vector<int> columns(K + 1);
  for (int epoch = 0; epoch < config.num_epochs; ++epoch) {
    const std::vector<std::vector<int>> negatives =
        steps.get_negatives(pairs.contexts, P, K, rng);
    if (negatives.size() != pairs.contexts.size()) {
      throw std::runtime_error(
          "get_negatives returned " + std::to_string(negatives.size()) +
          " lists for " + std::to_string(pairs.contexts.size()) + " centers");
    }
    const std::vector<int64_t> order =
        rng.permutation(static_cast<int64_t>(pairs.centers.size()));
    for (const int64_t i : order) {
      const int c = pairs.centers[i];
      const std::vector<int>& contexts = pairs.contexts[i];
      const std::vector<int>& negs = negatives[i];
      if (negs.size() != contexts.size() * K) {
        throw std::runtime_error(
            "get_negatives: center " + std::to_string(i) + " has " +
            std::to_string(contexts.size()) + " contexts and " +
            std::to_string(negs.size()) + " negatives, expected " +
            std::to_string(contexts.size() * K));
      }
      for (size_t j = 0; j < contexts.size(); ++j) {
        columns[0] = contexts[j];
        for (int k = 0; k < K; ++k) columns[k + 1] = negs[j * K + k];
        for (int k = 0; k <= K; ++k) theta.col(k) = Theta.col(columns[k]);
        const Matrix e_c = E.col(c);
        const double J = steps.negative_sampling_loss(e_c, theta);
        const SkipGramGradients g =
            steps.negative_sampling_gradients(e_c, theta);
        if (g.de_c.rows() != n_e || g.de_c.cols() != 1 ||
            g.dtheta.rows() != n_e || g.dtheta.cols() != K + 1) {
          throw std::runtime_error(
              "negative_sampling_gradients returned de_c " +
              dl::shape_string(g.de_c) + " and dtheta " +
              dl::shape_string(g.dtheta) + ", expected (" +
              std::to_string(n_e) + ", 1) and (" + std::to_string(n_e) + ", " +
              std::to_string(K + 1) + ")");
        }
        const double lr =
            config.learning_rate *
            std::max(1e-4, 1.0 - static_cast<double>(done) / total_pairs);
        E.col(c) -= lr * g.de_c;
        for (int k = 0; k <= K; ++k) {
          Theta.col(columns[k]) -= lr * g.dtheta.col(k);
        }
        loss_sum += J;
        ++loss_count;
        ++done;
        if (loss_count == stretch) {
          result.losses.push_back(loss_sum / loss_count);
          if (progress) {
            progress(epoch, static_cast<double>(done) / total_pairs,
                     result.losses.back());
          }
          loss_sum = 0;
          loss_count = 0;
        }
      }
    }
  }
  return result;
}

WordToVecMap to_word_to_vec_map(const Matrix& E,
                                const std::vector<std::string>& words) {
  WordToVecMap map;
  for (size_t w = 0; w < words.size(); ++w) {
    map[words[w]] = E.col(static_cast<Eigen::Index>(w));
  }
  return map;
}

WordToVecMap unit_vectors(const WordToVecMap& word_to_vec_map) {
  WordToVecMap out;
  for (const auto& [w, e] : word_to_vec_map) out[w] = e / e.norm();
  return out;
}

std::vector<std::pair<std::string, double>> nearest_neighbours(
    const std::string& word, const WordToVecMap& word_to_vec_map, int k) {
  const Vector& e = word_to_vec_map.at(word);
  std::vector<std::pair<std::string, double>> all;
  for (const auto& [w, v] : word_to_vec_map) {
    if (w == word) continue;
    all.emplace_back(w, e.dot(v) / (e.norm() * v.norm()));
  }
  const size_t n = std::min(all.size(), static_cast<size_t>(std::max(0, k)));
  std::partial_sort(
      all.begin(), all.begin() + n, all.end(),
      [](const auto& x, const auto& y) { return x.second > y.second; });
  all.resize(n);
  return all;
}

// ------------------------------------------------------------ Emojify

std::string label_to_name(int label) {
  static const char* const kNames[kNumEmoji] = {
      ":heart:", ":baseball:", ":smile:", ":disappointed:", ":fork_and_knife:"};
  return label >= 0 && label < kNumEmoji ? kNames[label] : "?";
}

std::string label_to_emoji(int label) {
  static const char* const kEmoji[kNumEmoji] = {
      "\u2764\ufe0f", "\u26be", "\U0001f604", "\U0001f61e", "\U0001f374"};
  return label >= 0 && label < kNumEmoji ? kEmoji[label] : "?";
}

EmojiSet generate_emoji_set(dl::RandomState& rng) {
  struct Topic {
    std::vector<std::string> templates;
    // The slot's words: the first `train` for training sentences, the rest
    // for test sentences.
    std::map<std::string, std::pair<std::vector<std::string>, size_t>> slots;
  };
  const std::vector<Topic> topics = {
      {{"i {lv} you", "i {lv} you so much", "you are my {ln}",
        "{lv} you my {ln}", "i {lv} my {ln}", "my {ln} i {lv} you"},
       {{"lv", {kLoveVerbs, 3}}, {"ln", {kLoveNouns, 3}}}},
      {{"let us play {sp}", "i want to play {sp} tonight",
        "the {sp} game is tonight", "our team won the {sp} match",
        "we watched {sp} at the stadium"},
       {{"sp", {kSports, 5}}}},
      {{"i am so {h}", "you make me {h}", "i feel {h} today", "we are {h}",
        "i am {h} for you"},
       {{"h", {kHappy, 5}}}},
      {{"i am so {s}", "you make me {s}", "i feel {s} today", "we are {s}",
        "this makes me {s}"},
       {{"s", {kSad, 5}}}},
      {{"let us eat {f}", "i want {f} for {meal}", "the {f} is delicious",
        "we had {f} for {meal}", "i am hungry for {f}"},
       {{"f", {kFood, 6}}, {"meal", {kMeals, 3}}}},
  };
  // The course's sizes: 132 training and 56 test sentences; the labels
  // cycle through the classes, then are shuffled.
  const auto make = [&](int m, bool test, std::vector<std::string>& X,
                        std::vector<int>& Y) {
    std::vector<int> labels(m);
    for (int i = 0; i < m; ++i) labels[i] = i % kNumEmoji;
    rng.shuffle(labels);
    int negations = 0;
    for (int label : labels) {
      // Like the course's "not feeling happy": four disappointed test
      // sentences say it with a happy word and "not", which V1, an average
      // that ignores word order, can not see.
      const bool negation = test && label == 3 && negations < 4;
      negations += negation;
      const Topic& topic = topics[negation ? 2 : label];
      Slots slots;
      for (const auto& [name, words_split] : topic.slots) {
        const auto& [words, train] = words_split;
        // Test sentences use the held-out words when there are any (the
        // meals are shared).
        const bool held_out = test && train < words.size();
        const size_t lo = held_out ? train : 0;
        const size_t hi = held_out ? words.size() : train;
        slots[name] = words[lo + pick(rng, hi - lo)];
      }
      static const std::vector<std::string> kNegations = {
          "i am not {h}", "i do not feel {h}", "we are not {h} today"};
      std::string sentence;
      for (const std::string& w :
           fill(pick_from(rng, negation ? kNegations : topic.templates),
                slots)) {
        if (!sentence.empty()) sentence += ' ';
        sentence += w;
      }
      X.push_back(sentence);
      Y.push_back(label);
    }
  };
  EmojiSet set;
  make(132, /*test=*/false, set.X_train, set.Y_train);
  make(56, /*test=*/true, set.X_test, set.Y_test);
  return set;
}

double accuracy(const std::vector<int>& pred, const std::vector<int>& Y) {
  if (pred.size() != Y.size() || Y.empty()) return 0;
  int same = 0;
  for (size_t i = 0; i < Y.size(); ++i) same += pred[i] == Y[i];
  return static_cast<double>(same) / static_cast<double>(Y.size());
}

}  // namespace word_vectors
