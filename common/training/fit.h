// File: common/training/fit.h
//
// One way to train a Model and report it, as Keras's model.fit returning a
// History:
//
//   nn::FitOptions<float> options;                 // model.fit(
//   options.epochs = 10;                           //   epochs=10,
//   options.batch_size = 32;                       //   batch_size=32,
//   options.validation_X = &X_test;                //   validation_data=
//   options.validation_labels = &y_test;           //     (X_test, y_test))
//   nn::History h = nn::Fit(model, X_train, y_train, rng, options);
//   std::printf("%s", nn::EpochTable(h).c_str());  // the epochs' figures
//   nn::WriteCurves(h, "LeNet-5", "output/classic_nets/");  // cost.svg, ...
//
// Depends on common/nn (the model) and common/viz (progress bar, curves).

#ifndef DLCOURSE_COMMON_TRAINING_FIT_H_
#define DLCOURSE_COMMON_TRAINING_FIT_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/core/random.h"
#include "common/nn/model.h"

namespace dl {
namespace nn {

// Keras's History.history: one entry per epoch.
struct History {
  // The training mini-batches' mean loss and accuracy (as Keras reports
  // them: each batch measured as it is trained).
  std::vector<double> loss, accuracy;
  // The validation set's, evaluated after each epoch (empty without one).
  std::vector<double> val_loss, val_accuracy;
  // The CPU time (all threads) of the training, without the validation.
  double train_cpu_seconds = 0;

  int epochs() const { return static_cast<int>(loss.size()); }
};

template <typename T>
struct FitOptions {
  int epochs = 1;       // > 0
  int batch_size = 32;  // > 0
  // Keras's validation_data (both or neither), evaluated after every epoch
  // in batches of validation_batch_size.
  const Array<T>* validation_X = nullptr;
  const std::vector<int>* validation_labels = nullptr;
  int validation_batch_size = 32;
  // The progress bar's label, on stderr ("": no bar).
  std::string progress = "training";
  // Called before each epoch (0, 1, ...), e.g. to lower the learning rate
  // or to draw new augmented pictures into the X that Fit trains on. Its
  // CPU time counts as training.
  std::function<void(int epoch)> on_epoch_begin;
};

// options.epochs epochs of model.TrainEpoch(X, labels, batch_size, rng) (X
// is (m, input shape), labels are class indices), each followed by the
// validation. The model must be compiled. Throws std::invalid_argument for
// bad options.
template <typename T>
History Fit(Model<T>& model, const Array<T>& X, const std::vector<int>& labels,
            RandomState& rng, const FitOptions<T>& options);

// The course's table of the epochs, one line each:
//   "  epoch  1  cost 0.6931  train accuracy 50.0 %  test accuracy 52.0 %"
// then "Training: 3.1 s of CPU time, 0.31 s per epoch", and a warning when
// the last cost is not finite. Needs a validation set.
std::string EpochTable(const History& h);

// Keras's verbose log (every 5th epoch of a run longer than 20):
//   "  Epoch   1/10 - loss: 0.6931 - accuracy: 0.5000 - test_loss: 0.6900 -
//   test_accuracy: 0.5200"
std::string KerasEpochLog(const History& h);

// "95.0 %".
std::string Percent(double fraction);

// The curves: <path_prefix>cost.svg ("<title>: cost per epoch", train and
// test) and <path_prefix>accuracy.svg ("<title>: accuracy per epoch").
// path_prefix: "output/resnet/" or "output/cnn_app/happy_".
absl::Status WriteCurves(const History& h, const std::string& title,
                         const std::string& path_prefix);

}  // namespace nn
}  // namespace dl

#endif  // DLCOURSE_COMMON_TRAINING_FIT_H_
