// File: common/grading/grading_channel.h  (internal to the grader)
//
// How a test process tells the grader what happened: one record per line on
// a pipe, "<type>\t<payload>\n". Newlines in a payload travel as \x1e.

#ifndef DLCOURSE_COMMON_GRADING_GRADING_CHANNEL_H_
#define DLCOURSE_COMMON_GRADING_GRADING_CHANNEL_H_

#include <string>

namespace dl {
namespace grading {
namespace internal {

inline constexpr char kRecordFunction = 'F';        // a graded function starts
inline constexpr char kRecordNotImplemented = 'N';  // ... and is still a stub
inline constexpr char kRecordDoesNotCompile = 'C';  // ... or does not compile
inline constexpr char kRecordMessage = 'M';         // a failed check's message
inline constexpr char kRecordResult = 'R';          // "pass" or "fail"

// Where records go: -1 (the default) sends nothing.
void SetChannel(int fd);
void SendRecord(char type, const std::string& payload);

// "exercise.cc" or "reference.cc".
std::string GradedFile();

}  // namespace internal
}  // namespace grading
}  // namespace dl

#endif  // DLCOURSE_COMMON_GRADING_GRADING_CHANNEL_H_
