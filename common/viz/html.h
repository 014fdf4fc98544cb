// File: common/viz/html.h
//
// Text put into an HTML or SVG document (the report of //tools:progress, the
// titles and labels of plot.h's pictures).

#ifndef DLCOURSE_COMMON_VIZ_HTML_H_
#define DLCOURSE_COMMON_VIZ_HTML_H_

#include <string>

namespace dl {

// `text` with <, >, & and " written as entities: "a < b" -> "a &lt; b".
inline std::string HtmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '&') {
      out += "&amp;";
    } else if (c == '"') {
      out += "&quot;";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace dl

#endif  // DLCOURSE_COMMON_VIZ_HTML_H_
