// File: common/training/fit.cc

#include "common/training/fit.h"

#include <cmath>
#include <memory>
#include <stdexcept>

#include "absl/strings/str_format.h"
#include "common/viz/app.h"
#include "common/viz/plot.h"
#include "common/viz/progress.h"

namespace dl {
namespace nn {

template <typename T>
History Fit(Model<T>& model, const Array<T>& X, const std::vector<int>& labels,
            RandomState& rng, const FitOptions<T>& options) {
  if (options.epochs <= 0 || options.batch_size <= 0) {
    throw std::invalid_argument("Fit: epochs and batch_size must be > 0");
  }
  const bool validate = options.validation_X != nullptr;
  if (validate != (options.validation_labels != nullptr)) {
    throw std::invalid_argument(
        "Fit: give both validation_X and validation_labels, or neither");
  }
  History h;
  std::unique_ptr<Progress> bar;
  if (!options.progress.empty()) {
    bar = std::make_unique<Progress>(options.progress, options.epochs);
  }
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    const double cpu0 = dl::CpuSeconds();
    if (options.on_epoch_begin) options.on_epoch_begin(epoch);
    const Metrics train = model.TrainEpoch(X, labels, options.batch_size, rng);
    h.train_cpu_seconds += dl::CpuSeconds() - cpu0;
    h.loss.push_back(train.loss);
    h.accuracy.push_back(train.accuracy);
    std::string status =
        absl::StrFormat("loss %.4f  accuracy %.3f", train.loss, train.accuracy);
    if (validate) {
      const Metrics test =
          model.Evaluate(*options.validation_X, *options.validation_labels,
                         options.validation_batch_size);
      h.val_loss.push_back(test.loss);
      h.val_accuracy.push_back(test.accuracy);
      status += absl::StrFormat("  test %.3f", test.accuracy);
    }
    if (bar) bar->Update(epoch + 1, status);
  }
  return h;
}

template History Fit<float>(Model<float>&, const Array<float>&,
                            const std::vector<int>&, RandomState&,
                            const FitOptions<float>&);
template History Fit<double>(Model<double>&, const Array<double>&,
                             const std::vector<int>&, RandomState&,
                             const FitOptions<double>&);

std::string Percent(double fraction) {
  return absl::StrFormat("%.1f %%", 100 * fraction);
}

std::string EpochTable(const History& h) {
  std::string table;
  for (int e = 0; e < h.epochs(); ++e) {
    table += absl::StrFormat(
        "  epoch %2d  cost %.4f  train accuracy %s  test accuracy "
        "%s\n",
        e + 1, h.loss[e], Percent(h.accuracy[e]).c_str(),
        e < static_cast<int>(h.val_accuracy.size())
            ? Percent(h.val_accuracy[e]).c_str()
            : "-");
  }
  if (h.epochs() == 0) return table;
  table +=
      absl::StrFormat("Training: %.1f s of CPU time, %.2f s per epoch\n",
                      h.train_cpu_seconds, h.train_cpu_seconds / h.epochs());
  if (!std::isfinite(h.loss.back())) {
    table += absl::StrFormat(
        "warning: the cost is %f: is --learning_rate too large?\n",
        h.loss.back());
  }
  return table;
}

std::string KerasEpochLog(const History& h) {
  std::string log;
  const int epochs = h.epochs();
  const bool validated = static_cast<int>(h.val_loss.size()) == epochs;
  for (int e = 0; e < epochs; ++e) {
    if (epochs > 20 && e % 5 != 4 && e != 0) continue;
    log += absl::StrFormat("  Epoch %3d/%d - loss: %.4f - accuracy: %.4f",
                           e + 1, epochs, h.loss[e], h.accuracy[e]);
    if (validated) {
      log += absl::StrFormat(" - test_loss: %.4f - test_accuracy: %.4f",
                             h.val_loss[e], h.val_accuracy[e]);
    }
    log += "\n";
  }
  return log;
}

absl::Status WriteCurves(const History& h, const std::string& title,
                         const std::string& path_prefix) {
  std::vector<double> epochs;
  for (int e = 1; e <= h.epochs(); ++e) epochs.push_back(e);
  LinePlot cost{title + ": cost per epoch", "epoch", "cost", {}};
  LinePlot accuracy{title + ": accuracy per epoch", "epoch", "accuracy", {}};
  cost.series.push_back({"train", epochs, h.loss});
  accuracy.series.push_back({"train", epochs, h.accuracy});
  if (h.val_loss.size() == epochs.size()) {
    cost.series.push_back({"test", epochs, h.val_loss});
    accuracy.series.push_back({"test", epochs, h.val_accuracy});
  }
  absl::Status s = WriteLinePlotSvg(path_prefix + "cost.svg", cost);
  if (!s.ok()) return s;
  return WriteLinePlotSvg(path_prefix + "accuracy.svg", accuracy);
}

}  // namespace nn
}  // namespace dl
