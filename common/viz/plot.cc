#include "common/viz/plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "common/data/image.h"
#include "common/viz/html.h"

namespace dl {
namespace {

namespace fs = std::filesystem;

const char* const kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
                                "#9467bd", "#8c564b", "#e377c2", "#17becf"};

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

// About five round tick values covering [lo, hi].
std::vector<double> ticks(double lo, double hi) {
  const double span = hi - lo;
  const double raw = span / 5;
  const double mag = std::pow(10, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * mag;
    if (span / step <= 6) break;
  }
  std::vector<double> t;
  for (double v = std::ceil(lo / step) * step; v <= hi + 1e-9 * step;
       v += step) {
    t.push_back(std::abs(v) < 1e-12 * step ? 0 : v);
  }
  return t;
}

}  // namespace

absl::StatusOr<std::string> OutputDir(const std::string& name) {
  fs::path base;
  if (const char* dir = std::getenv("DL_OUTPUT_DIR")) {
    base = dir;
  } else if (const char* ws = std::getenv("BUILD_WORKSPACE_DIRECTORY")) {
    base = fs::path(ws) / "output";
  } else {
    base = "output";
  }
  const fs::path dir = base / name;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) {
    return absl::PermissionDeniedError(
        "cannot create the output folder " + dir.string() + ": " +
        ec.message() + " (set DL_OUTPUT_DIR to another folder)");
  }
  return dir.string();
}

absl::Status WriteLinePlotSvg(const std::string& path, const LinePlot& plot) {
  const double W = 640, H = 400, left = 70, right = 20, top = 40, bottom = 50;
  double x_lo = std::numeric_limits<double>::infinity(), x_hi = -x_lo;
  double y_lo = x_lo, y_hi = -x_lo;
  auto usable = [&](double x, double y) {
    return std::isfinite(x) && std::isfinite(y) && (!plot.log_y || y > 0);
  };
  for (const Series& s : plot.series) {
    if (s.x.size() != s.y.size()) {
      return absl::InvalidArgumentError(
          "plot series '" + s.label + "' has " + std::to_string(s.x.size()) +
          " x values and " + std::to_string(s.y.size()) + " y");
    }
    for (size_t i = 0; i < s.x.size(); ++i) {
      if (!usable(s.x[i], s.y[i])) continue;
      const double y = plot.log_y ? std::log10(s.y[i]) : s.y[i];
      x_lo = std::min(x_lo, s.x[i]);
      x_hi = std::max(x_hi, s.x[i]);
      y_lo = std::min(y_lo, y);
      y_hi = std::max(y_hi, y);
    }
  }
  if (!(x_lo <= x_hi)) {  // no finite point at all
    x_lo = 0, x_hi = 1, y_lo = 0, y_hi = 1;
  }
  if (x_hi - x_lo < 1e-12) x_lo -= 0.5, x_hi += 0.5;
  if (y_hi - y_lo < 1e-12) y_lo -= 0.5, y_hi += 0.5;
  const double pad = 0.05 * (y_hi - y_lo);
  y_lo -= pad;
  y_hi += pad;
  auto px = [&](double x) {
    return left + (x - x_lo) / (x_hi - x_lo) * (W - left - right);
  };
  auto py = [&](double y) {
    return top + (y_hi - y) / (y_hi - y_lo) * (H - top - bottom);
  };

  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << W
      << "\" height=\"" << H << "\" font-family=\"sans-serif\" "
      << "font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" "
      << "fill=\"white\"/>\n";
  svg << "<text x=\"" << W / 2 << "\" y=\"22\" text-anchor=\"middle\" "
      << "font-size=\"15\">" << HtmlEscape(plot.title) << "</text>\n";
  // Axes, ticks and grid.
  svg << "<g stroke=\"#ccc\">\n";
  for (double t : ticks(x_lo, x_hi)) {
    svg << "<line x1=\"" << px(t) << "\" y1=\"" << top << "\" x2=\"" << px(t)
        << "\" y2=\"" << H - bottom << "\"/>\n";
  }
  for (double t : ticks(y_lo, y_hi)) {
    svg << "<line x1=\"" << left << "\" y1=\"" << py(t) << "\" x2=\""
        << W - right << "\" y2=\"" << py(t) << "\"/>\n";
  }
  svg << "</g>\n<g fill=\"#333\">\n";
  for (double t : ticks(x_lo, x_hi)) {
    svg << "<text x=\"" << px(t) << "\" y=\"" << H - bottom + 16
        << "\" text-anchor=\"middle\">" << fmt(t) << "</text>\n";
  }
  for (double t : ticks(y_lo, y_hi)) {
    svg << "<text x=\"" << left - 6 << "\" y=\"" << py(t) + 4
        << "\" text-anchor=\"end\">" << fmt(plot.log_y ? std::pow(10, t) : t)
        << "</text>\n";
  }
  svg << "<text x=\"" << (left + W - right) / 2 << "\" y=\"" << H - 12
      << "\" text-anchor=\"middle\">" << HtmlEscape(plot.x_label)
      << "</text>\n";
  svg << "<text transform=\"translate(16," << (top + H - bottom) / 2
      << ") rotate(-90)\" text-anchor=\"middle\">" << HtmlEscape(plot.y_label)
      << "</text>\n</g>\n";
  svg << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\""
      << W - left - right << "\" height=\"" << H - top - bottom
      << "\" fill=\"none\" stroke=\"#333\"/>\n";
  // The curves and the legend.
  for (size_t k = 0; k < plot.series.size(); ++k) {
    const Series& s = plot.series[k];
    const char* colour = kColours[k % (sizeof kColours / sizeof *kColours)];
    svg << "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"" << colour
        << "\" points=\"";
    for (size_t i = 0; i < s.x.size(); ++i) {
      if (!usable(s.x[i], s.y[i])) continue;
      svg << px(s.x[i]) << "," << py(plot.log_y ? std::log10(s.y[i]) : s.y[i])
          << " ";
    }
    svg << "\"/>\n";
    if (!s.label.empty()) {
      const double ly = top + 14 + 16 * static_cast<double>(k);
      svg << "<line x1=\"" << W - right - 150 << "\" y1=\"" << ly - 4
          << "\" x2=\"" << W - right - 130 << "\" y2=\"" << ly - 4
          << "\" stroke-width=\"2\" stroke=\"" << colour << "\"/>\n"
          << "<text x=\"" << W - right - 125 << "\" y=\"" << ly << "\">"
          << HtmlEscape(s.label) << "</text>\n";
    }
  }
  svg << "</svg>\n";

  std::ofstream out(path);
  out << svg.str();
  out.close();
  if (!out) return absl::PermissionDeniedError("cannot write " + path);
  return absl::OkStatus();
}

absl::Status WriteCostPlotSvg(const std::string& path, const std::string& title,
                              const std::vector<double>& costs, int every) {
  Series s;
  s.label = "cost";
  for (size_t i = 0; i < costs.size(); ++i) {
    s.x.push_back(static_cast<double>(i) * every);
    s.y.push_back(costs[i]);
  }
  LinePlot plot{title, "iteration", "cost", {s}};
  return WriteLinePlotSvg(path, plot);
}

absl::Status WriteDecisionBoundaryPng(
    const std::string& path, const Matrix& X, const Matrix& Y,
    const std::function<Matrix(const Matrix&)>& predict, int size) {
  if (X.rows() != 2 || Y.rows() != 1 || Y.cols() != X.cols() || X.cols() == 0) {
    return absl::InvalidArgumentError(
        "WriteDecisionBoundaryPng: X must be (2, m) and Y (1, m); got X " +
        shape_string(X) + " and Y " + shape_string(Y));
  }
  if (size < 16 || size > 4096) {
    return absl::InvalidArgumentError("WriteDecisionBoundaryPng: size " +
                                      std::to_string(size) +
                                      " is not in 16..4096");
  }
  // The course's plot_decision_boundary: the data's range plus 1 on each side.
  const double x0 = X.row(0).minCoeff() - 1, x1 = X.row(0).maxCoeff() + 1;
  const double y0 = X.row(1).minCoeff() - 1, y1 = X.row(1).maxCoeff() + 1;
  Matrix grid(2, static_cast<Eigen::Index>(size) * size);
  for (int r = 0; r < size; ++r) {
    for (int c = 0; c < size; ++c) {
      grid(0, r * size + c) = x0 + (x1 - x0) * (c + 0.5) / size;
      grid(1, r * size + c) = y1 - (y1 - y0) * (r + 0.5) / size;  // y up
    }
  }
  const Matrix labels = predict(grid);
  if (labels.rows() != 1 || labels.cols() != grid.cols()) {
    return absl::InvalidArgumentError(
        "WriteDecisionBoundaryPng: predict returned " + shape_string(labels) +
        " for " + shape_string(grid) + " points; expected (1, k)");
  }
  Image img;
  img.height = img.width = size;
  img.channels = 3;
  img.pixels.assign(static_cast<size_t>(size) * size * 3, 0);
  auto put = [&](int r, int c, uint8_t red, uint8_t green, uint8_t blue) {
    if (r < 0 || c < 0 || r >= size || c >= size) return;
    uint8_t* p = &img.pixels[(static_cast<size_t>(r) * size + c) * 3];
    p[0] = red, p[1] = green, p[2] = blue;
  };
  for (int r = 0; r < size; ++r) {
    for (int c = 0; c < size; ++c) {
      if (labels(0, r * size + c) >= 0.5) {
        put(r, c, 160, 190, 235);  // class 1: light blue
      } else {
        put(r, c, 240, 170, 150);  // class 0: light red
      }
    }
  }
  const int radius = std::max(2, size / 130);
  for (Eigen::Index i = 0; i < X.cols(); ++i) {
    const int c = static_cast<int>((X(0, i) - x0) / (x1 - x0) * size);
    const int r = static_cast<int>((y1 - X(1, i)) / (y1 - y0) * size);
    const bool one = Y(0, i) >= 0.5;
    for (int dr = -radius - 1; dr <= radius + 1; ++dr) {
      for (int dc = -radius - 1; dc <= radius + 1; ++dc) {
        const int d2 = dr * dr + dc * dc;
        if (d2 > (radius + 1) * (radius + 1)) continue;
        if (d2 > radius * radius) {
          put(r + dr, c + dc, 30, 30, 30);  // outline
        } else if (one) {
          put(r + dr, c + dc, 30, 80, 200);
        } else {
          put(r + dr, c + dc, 200, 40, 30);
        }
      }
    }
  }
  return SavePng(path, img);
}

}  // namespace dl
