// File: common/viz/progress.h
//
// A one-line progress report for training loops:
//   [#########.........]  52%  iteration 5200/10000  cost 0.2391  1.3 s left
// On a terminal the line is redrawn in place (at most 10 times a second);
// otherwise (a log file, a test) a line is printed every 10 %.
//
//   dl::Progress progress("training", num_iterations);
//   for (int i = 0; i < num_iterations; ++i) {
//     ...
//     progress.Update(i + 1, "cost " + std::to_string(cost));
//   }
//   progress.Finish();

#ifndef DLCOURSE_COMMON_VIZ_PROGRESS_H_
#define DLCOURSE_COMMON_VIZ_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace dl {

class Progress {
 public:
  // Writes to stderr. total > 0.
  Progress(std::string label, int64_t total);
  ~Progress();

  // `done` steps of `total` are finished; `status` follows the bar.
  void Update(int64_t done, const std::string& status = "");
  // Ends the line (also done by the destructor).
  void Finish();

 private:
  void Draw(int64_t done, const std::string& status);

  std::string label_;
  int64_t total_;
  bool tty_;
  bool finished_ = false;
  int last_decile_ = -1;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace dl

#endif  // DLCOURSE_COMMON_VIZ_PROGRESS_H_
