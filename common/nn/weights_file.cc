// File: common/nn/weights_file.cc (see weights_file.h).

#include "common/nn/weights_file.h"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <vector>

namespace dl {
namespace nn {

template <typename T>
absl::Status SaveWeights(Model<T>& model, const std::string& path,
                         const std::string& version) {
  const std::filesystem::path folder =
      std::filesystem::path(path).parent_path();
  std::error_code error;
  if (!folder.empty()) std::filesystem::create_directories(folder, error);
  std::ofstream out(path, std::ios::binary);
  out << version << "\n";
  for (const auto& p : model.Parameters()) {
    const int64_t n = p.parameter->value.size();
    out.write(reinterpret_cast<const char*>(&n), sizeof n);
    out.write(reinterpret_cast<const char*>(p.parameter->value.data()),
              n * sizeof(T));
  }
  out.close();
  if (!out) return absl::InternalError("cannot write " + path);
  return absl::OkStatus();
}

void WarnCacheNotWritten(const absl::Status& saved) {
  std::fprintf(stderr,
               "warning: %s; the network is used as trained, and will be "
               "trained again next time\n",
               std::string(saved.message()).c_str());
}

template <typename T>
bool LoadWeights(const std::string& path, const std::string& version,
                 Model<T>& model) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  if (!std::getline(in, line) || line != version) return false;
  const auto parameters = model.Parameters();
  std::vector<std::vector<T>> values(parameters.size());
  for (size_t k = 0; k < parameters.size(); ++k) {
    int64_t n = 0;
    in.read(reinterpret_cast<char*>(&n), sizeof n);
    if (!in || n != parameters[k].parameter->value.size()) return false;
    values[k].resize(n);
    in.read(reinterpret_cast<char*>(values[k].data()), n * sizeof(T));
    if (!in) return false;
  }
  if (in.peek() != std::char_traits<char>::eof()) return false;
  for (size_t k = 0; k < parameters.size(); ++k) {
    std::copy(values[k].begin(), values[k].end(),
              parameters[k].parameter->value.data());
  }
  return true;
}

template absl::Status SaveWeights(Model<float>&, const std::string&,
                                  const std::string&);
template absl::Status SaveWeights(Model<double>&, const std::string&,
                                  const std::string&);
template bool LoadWeights(const std::string&, const std::string&,
                          Model<float>&);
template bool LoadWeights(const std::string&, const std::string&,
                          Model<double>&);

}  // namespace nn
}  // namespace dl
