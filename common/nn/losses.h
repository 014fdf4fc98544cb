// File: common/nn/losses.h
//
// The losses a Model is trained on (common/nn/model.h), as Keras's losses
// with from_logits=True: from the model's output logits, averaged over the
// batch (Keras's default reduction), in float and double. Labels are class
// indices (0 / 1 for the binary loss).
//   double J = nn::SoftmaxCrossEntropy(logits, labels, &dlogits);

#ifndef DLCOURSE_COMMON_NN_LOSSES_H_
#define DLCOURSE_COMMON_NN_LOSSES_H_

#include <vector>

#include "common/nn/layers.h"

namespace dl {
namespace nn {

// The loss of a model, from its output logits.
enum class Loss {
  kSoftmaxCrossEntropy,  // output (m, classes), labels 0..classes-1; or
                         // (m, ..., classes), a label per row (TrainStep)
  kBinaryCrossEntropy,   // output (m, 1), labels 0 / 1; or (m, T_y, 1),
                         // a label per step (TrainStep, not TrainEpoch)
};

// Softmax cross-entropy (Keras's SparseCategoricalCrossentropy(from_logits=
// True)): logits (m, C), labels m class indices in [0, C); or logits
// (m, ..., C), a label per row of C (per pixel for (m, n_H, n_W, C)), in
// the logits' order. With n the number of rows:
//   J = -1/n sum_i log softmax(logits_i)[labels_i]
// Writes dJ/dlogits = (softmax(logits) - onehot(labels)) / n into *dlogits
// when it is not null.
template <typename T>
double SoftmaxCrossEntropy(const Array<T>& logits,
                           const std::vector<int>& labels,
                           Array<T>* dlogits = nullptr);

// Binary cross-entropy with the sigmoid (Keras's BinaryCrossentropy(
// from_logits=True)): logits (m, 1) or (m), labels m values 0 or 1; or
// logits (m, T_y, 1) (a prediction per time step), labels m T_y values in
// the logits' order. With n the number of logits:
//   J = 1/n sum_i [max(z, 0) - z y + log(1 + exp(-|z|))]
// dJ/dlogits = (sigmoid(z) - y) / n.
template <typename T>
double BinaryCrossEntropy(const Array<T>& logits,
                          const std::vector<int>& labels,
                          Array<T>* dlogits = nullptr);

}  // namespace nn
}  // namespace dl

#endif  // DLCOURSE_COMMON_NN_LOSSES_H_
