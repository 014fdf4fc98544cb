// File: common/viz/plot.h
//
// The pictures the training applications write: cost curves as SVG line
// charts (open them in any browser) and decision boundaries as PNG images.
//
// Example:
//   absl::StatusOr<std::string> dir = dl::OutputDir("shallow_nn");
//   dl::LinePlot plot{"Cost", "iterations (x100)", "cost", {{"n_h = 4", x,
//   y}}}; absl::Status s = dl::WriteLinePlotSvg(*dir + "/cost.svg", plot);

#ifndef DLCOURSE_COMMON_VIZ_PLOT_H_
#define DLCOURSE_COMMON_VIZ_PLOT_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/core/tensor.h"

namespace dl {

// The folder for an application's pictures, created if needed:
// $DL_OUTPUT_DIR/<name> if that variable is set, else
// <workspace>/output/<name> under `bazel run` (BUILD_WORKSPACE_DIRECTORY),
// else ./output/<name>. An error names the folder that cannot be made.
absl::StatusOr<std::string> OutputDir(const std::string& name);

struct Series {
  std::string label;
  std::vector<double> x, y;  // same length; non-finite points are skipped
};

struct LinePlot {
  std::string title, x_label, y_label;
  std::vector<Series> series;
  bool log_y = false;  // a logarithmic y axis (positive values only)
};

// An SVG line chart with axes, ticks and a legend; one colour per series.
absl::Status WriteLinePlotSvg(const std::string& path, const LinePlot& plot);

// The convenience case: one curve of costs recorded every `every` iterations.
absl::Status WriteCostPlotSvg(const std::string& path, const std::string& title,
                              const std::vector<double>& costs, int every);

// A PNG of a 2-D classifier: the plane coloured by predict's label (red for
// 0, blue for 1, as in the course's plots) with the points of X on top.
//   X: (2, m) points   Y: (1, m) labels 0/1
//   predict: (2, k) points -> (1, k) labels 0/1 (values >= 0.5 count as 1)
absl::Status WriteDecisionBoundaryPng(
    const std::string& path, const Matrix& X, const Matrix& Y,
    const std::function<Matrix(const Matrix&)>& predict, int size = 400);

}  // namespace dl

#endif  // DLCOURSE_COMMON_VIZ_PLOT_H_
