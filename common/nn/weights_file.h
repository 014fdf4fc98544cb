// File: common/nn/weights_file.h
//
// A model's weights in a file, for the networks the units train once and
// then use as the course uses its pretrained ones (data/<unit>/*.bin):
//   nn::SaveWeights(model, path, "encoder v2: 1500 steps");
//   if (!nn::LoadWeights(path, "encoder v2: 1500 steps", model)) { train }
// The file: a first line, the version (what the weights were trained
// with: change it when the training changes, and the old file is ignored),
// then, for every parameter in the model's order (trainable or not), its
// number of values (int64) and its values (T), in the machine's byte order.

#ifndef DLCOURSE_COMMON_NN_WEIGHTS_FILE_H_
#define DLCOURSE_COMMON_NN_WEIGHTS_FILE_H_

#include <string>

#include "absl/status/status.h"
#include "common/nn/model.h"

namespace dl {
namespace nn {

// Writes every parameter of `model` to `path` (its folder created).
template <typename T>
absl::Status SaveWeights(Model<T>& model, const std::string& path,
                         const std::string& version);

// What a program does when the cache of a network it has just trained
// cannot be written (a full disk, a data/ that is not a folder): a warning
// on stderr, and it goes on with the network as trained (a cache costs
// time when it is missing, never the run).
void WarnCacheNotWritten(const absl::Status& saved);

// Reads them back. False, with the model unchanged, when the file is
// missing, of another version, of another model, or cut short.
template <typename T>
bool LoadWeights(const std::string& path, const std::string& version,
                 Model<T>& model);

}  // namespace nn
}  // namespace dl

#endif  // DLCOURSE_COMMON_NN_WEIGHTS_FILE_H_
