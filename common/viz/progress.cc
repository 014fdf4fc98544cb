#include "common/viz/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>

namespace dl {

Progress::Progress(std::string label, int64_t total)
    : label_(std::move(label)),
      total_(std::max<int64_t>(total, 1)),
      tty_(isatty(fileno(stderr)) != 0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_ - std::chrono::seconds(1)) {}

Progress::~Progress() { Finish(); }

void Progress::Update(int64_t done, const std::string& status) {
  if (finished_) return;
  done = std::clamp<int64_t>(done, 0, total_);
  const auto now = std::chrono::steady_clock::now();
  if (tty_) {
    if (done < total_ && now - last_draw_ < std::chrono::milliseconds(100)) {
      return;
    }
  } else {
    const int decile = static_cast<int>(done * 10 / total_);
    if (decile == last_decile_) return;
    last_decile_ = decile;
  }
  last_draw_ = now;
  Draw(done, status);
}

void Progress::Draw(int64_t done, const std::string& status) {
  constexpr int kWidth = 20;
  const double fraction = static_cast<double>(done) / total_;
  const int filled = static_cast<int>(fraction * kWidth);
  std::string bar(filled, '#');
  bar += std::string(kWidth - filled, '.');
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_)
          .count();
  char left[32] = "";
  if (done > 0 && done < total_) {
    std::snprintf(left, sizeof left, "  %.1f s left",
                  elapsed / done * (total_ - done));
  } else if (done == total_) {
    std::snprintf(left, sizeof left, "  %.1f s", elapsed);
  }
  std::fprintf(stderr, "%s%s [%s] %3d%%  %lld/%lld  %s%s%s",
               tty_ ? "\r\033[K" : "", label_.c_str(), bar.c_str(),
               static_cast<int>(fraction * 100), static_cast<long long>(done),
               static_cast<long long>(total_), status.c_str(), left,
               tty_ ? "" : "\n");
  std::fflush(stderr);
}

void Progress::Finish() {
  if (finished_) return;
  finished_ = true;
  if (tty_) std::fprintf(stderr, "\n");
}

}  // namespace dl
