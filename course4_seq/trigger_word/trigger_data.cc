// File: course4_seq/trigger_word/trigger_data.cc
//
// The words spoken by espeak-ng, the generated backgrounds and the chime
// (see trigger_data.h).

#include "course4_seq/trigger_word/trigger_data.h"

#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/data/synthetic_images.h"

namespace trigger_word {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string>& TrainingVoices() {
  static const auto* voices = new std::vector<std::string>{
      "en-us",      "en-us+f3",       "en-gb",         "en-gb+f2",
      "en-gb-x-rp", "en-gb-scotland", "en-gb-x-rp+f4", "en-us+m7"};
  return *voices;
}
const char kDevVoice[] = "en-029";
const int kSpeeds[] = {145, 185};  // words per minute
const std::vector<std::string>& NegativeWords() {
  static const auto* words = new std::vector<std::string>{
      "active", "captivate", "motivate", "vacation",  "actually",
      "hello",  "window",    "coffee",   "yesterday", "music"};
  return *words;
}

// What the folder must hold; written to VERSION.
std::string Version() {
  std::string v = "espeak-ng words v1:";
  for (const std::string& voice : TrainingVoices()) v += " " + voice;
  v += std::string(" dev ") + kDevVoice;
  for (int s : kSpeeds) v += " " + std::to_string(s);
  for (const std::string& w : NegativeWords()) v += " " + w;
  return v;
}

std::string FileName(const std::string& word, const std::string& voice,
                     int speed) {
  std::string name = word + "_" + voice + "_" + std::to_string(speed) + ".wav";
  std::replace(name.begin(), name.end(), '+', '-');
  return name;
}

// espeak-ng -v voice -s speed -w path word. The arguments are this file's
// constants, never a user's text.
absl::Status Speak(const std::string& word, const std::string& voice, int speed,
                   const std::string& path) {
  const std::string command = "espeak-ng -v " + voice + " -s " +
                              std::to_string(speed) + " -w '" + path + "' " +
                              word + " > /dev/null 2>&1";
  const int status = std::system(command.c_str());
  if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 127) {
    return absl::FailedPreconditionError(
        "espeak-ng is not installed. It speaks the words of this unit: "
        "sudo apt-get install espeak-ng (or run ./setup.sh)");
  }
  if (status != 0) {
    return absl::InternalError("espeak-ng failed: " + command);
  }
  return absl::OkStatus();
}

// The word without the silence before and after it, at -18 dBFS.
AudioSegment Trim(const AudioSegment& word) {
  const auto loud = [](float s) { return std::abs(s) > 0.01f; };
  const auto first =
      std::find_if(word.samples.begin(), word.samples.end(), loud);
  const auto last =
      std::find_if(word.samples.rbegin(), word.samples.rend(), loud);
  AudioSegment out;
  if (first == word.samples.end()) return out;
  out.samples.assign(first, last.base());
  return match_target_amplitude(out, -18.0);
}

absl::Status Synthesize(const std::string& dir) {
  fs::create_directories(dir);
  std::vector<std::string> voices = TrainingVoices();
  voices.push_back(kDevVoice);
  for (const std::string& voice : voices) {
    for (int speed : kSpeeds) {
      std::vector<std::string> words = NegativeWords();
      words.push_back("activate");
      for (const std::string& word : words) {
        absl::Status s =
            Speak(word, voice, speed, dir + "/" + FileName(word, voice, speed));
        if (!s.ok()) return s;
      }
    }
  }
  std::ofstream(dir + "/VERSION") << Version() << "\n";
  return absl::OkStatus();
}

absl::Status Append(const std::string& path, std::vector<AudioSegment>* to) {
  absl::StatusOr<AudioSegment> audio = load_wav(path);
  if (!audio.ok()) return audio.status();
  AudioSegment trimmed = Trim(*audio);
  if (trimmed.samples.empty()) {
    return absl::DataLossError(path + " is silent: delete " +
                               fs::path(path).parent_path().string() +
                               " to synthesize the words again");
  }
  to->push_back(std::move(trimmed));
  return absl::OkStatus();
}

}  // namespace

std::string raw_data_dir() { return dl::DataDir("trigger_word"); }

absl::StatusOr<RawAudio> load_raw_audio() {
  const std::string dir = raw_data_dir();
  std::string written;
  std::getline(std::ifstream(dir + "/VERSION"), written);
  if (written != Version()) {
    std::printf("Synthesizing the words with espeak-ng in %s ...\n",
                dir.c_str());
    absl::Status s = Synthesize(dir);
    if (!s.ok()) return s;
  }
  RawAudio raw;
  for (int speed : kSpeeds) {
    for (const std::string& voice : TrainingVoices()) {
      absl::Status s = Append(dir + "/" + FileName("activate", voice, speed),
                              &raw.activates);
      for (const std::string& word : NegativeWords()) {
        if (s.ok()) {
          s = Append(dir + "/" + FileName(word, voice, speed), &raw.negatives);
        }
      }
      if (!s.ok()) return s;
    }
    absl::Status s = Append(dir + "/" + FileName("activate", kDevVoice, speed),
                            &raw.dev_activates);
    for (const std::string& word : NegativeWords()) {
      if (s.ok()) {
        s = Append(dir + "/" + FileName(word, kDevVoice, speed),
                   &raw.dev_negatives);
      }
    }
    if (!s.ok()) return s;
  }
  dl::RandomState rng(7);
  raw.backgrounds = generate_backgrounds(4, rng);
  return raw;
}

std::vector<AudioSegment> generate_backgrounds(int n, dl::RandomState& rng) {
  constexpr double kPi = 3.14159265358979323846;
  std::vector<AudioSegment> out;
  for (int b = 0; b < n; ++b) {
    AudioSegment bg = silent(10000);
    const double hum = rng.uniform(45, 65);
    double brown = 0;
    double burst = 0;
    for (size_t k = 0; k < bg.samples.size(); ++k) {
      const double t = double(k) / kSampleRate;
      brown = 0.995 * brown + 0.05 * rng.standard_normal();
      if (k % 4410 == 0) burst = rng.random_sample() < 0.15 ? 1.0 : 0.0;
      const double hiss = burst * 0.3 * rng.standard_normal();
      bg.samples[k] = static_cast<float>(
          0.2 * brown + 0.1 * std::sin(2 * kPi * hum * t) + hiss);
    }
    out.push_back(match_target_amplitude(bg, -35.0));
  }
  return out;
}

AudioSegment chime() {
  constexpr double kPi = 3.14159265358979323846;
  AudioSegment c = silent(300);
  for (size_t k = 0; k < c.samples.size(); ++k) {
    const double t = double(k) / kSampleRate;
    c.samples[k] = static_cast<float>(0.5 * std::exp(-12 * t) *
                                      (std::sin(2 * kPi * 1318.5 * t) +
                                       0.5 * std::sin(2 * kPi * 1975.5 * t)));
  }
  return c;
}

}  // namespace trigger_word
