// File: common/nn/model.cc
//
// The model of common/nn/model.h: nodes in the order they were added (which is
// a topological order), one value buffer and one gradient buffer per node,
// reused from step to step. Explicit instantiations for float and double at
// the end.

#include "common/nn/model.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "common/core/random.h"
#include "common/nn/layers.h"
#include "common/nn/losses.h"
#include "common/nn/optimizers.h"

namespace dl {
namespace nn {

namespace {

std::string PadTo(const std::string& s, size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

std::string RightTrim(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

}  // namespace

template <typename T>
Model<T>::Model(std::string name, uint32_t seed)
    : name_(std::move(name)), seed_(seed), init_rng_(seed) {}

template <typename T>
Model<T>::Model(Model&&) noexcept = default;
template <typename T>
Model<T>& Model<T>::operator=(Model&&) noexcept = default;
template <typename T>
Model<T>::~Model() = default;

template <typename T>
void Model<T>::CheckNode(Node x, const char* who) const {
  if (x.id < 0 || x.id >= static_cast<int>(nodes_.size())) {
    throw std::invalid_argument(
        std::string("Model::") + who + ": not a node of this model" +
        (nodes_.empty() ? " (call Input() first)" : ""));
  }
}

template <typename T>
uint32_t Model<T>::DropoutSeed() const {
  return seed_ * 7919u + 1000u + static_cast<uint32_t>(nodes_.size());
}

template <typename T>
Node Model<T>::Input(const Shape& shape, const std::string& name) {
  for (Index d : shape) {
    if (d <= 0) {
      throw std::invalid_argument("Model::Input: shape " +
                                  KerasShapeString(shape) +
                                  " has a dimension <= 0");
    }
  }
  NodeInfo info;
  info.shape = shape;
  info.input_name =
      name.empty() ? "input_" + std::to_string(inputs_.size() + 1) : name;
  nodes_.push_back(std::move(info));
  const Node node{static_cast<int>(nodes_.size()) - 1};
  inputs_.push_back(node);
  return node;
}

template <typename T>
Node Model<T>::AddLayer(std::unique_ptr<Layer<T>> layer,
                        const std::vector<Node>& inputs, bool functional) {
  if (layer == nullptr) throw std::invalid_argument("Model::Add: no layer");
  std::vector<Shape> shapes;
  for (Node x : inputs) {
    CheckNode(x, "Add");
    shapes.push_back(nodes_[x.id].shape);
  }
  if (layer->name().empty()) {
    // Keras's names: conv2d, conv2d_1, conv2d_2, ...
    // (counting only the names given this way, as Keras does).
    const std::string base = layer->default_name();
    const int count = name_counts_[base]++;
    std::string name = count == 0 ? base : base + "_" + std::to_string(count);
    while (GetLayer(name) != nullptr) name += "_";
    layer->set_name(name);
  } else if (GetLayer(layer->name()) != nullptr) {
    throw std::invalid_argument("Model::Add: a layer is already called \"" +
                                layer->name() + "\"");
  }
  NodeInfo info;
  info.shape = layer->Build(shapes, init_rng_);
  for (Node x : inputs) {
    info.inputs.push_back(x.id);
    ++nodes_[x.id].consumers;
  }
  info.layer = std::move(layer);
  nodes_.push_back(std::move(info));
  const int id = static_cast<int>(nodes_.size()) - 1;
  layer_nodes_.push_back(id);
  if (functional) functional_ = true;
  compiled_ = false;  // the parameter list changed
  return Node{id};
}

template <typename T>
void Model<T>::Output(Node x) {
  CheckNode(x, "Output");
  output_ = x.id;
}

template <typename T>
Node Model<T>::output() const {
  if (nodes_.empty()) throw std::logic_error("Model: no nodes yet");
  return Node{output_ >= 0 ? output_ : static_cast<int>(nodes_.size()) - 1};
}

template <typename T>
Node Model<T>::last() const {
  if (nodes_.empty()) {
    throw std::logic_error("Model::Add: call Input() first");
  }
  return Node{static_cast<int>(nodes_.size()) - 1};
}

template <typename T>
const Shape& Model<T>::shape(Node x) const {
  CheckNode(x, "shape");
  return nodes_[x.id].shape;
}

template <typename T>
Layer<T>& Model<T>::layer(int k) {
  return *nodes_.at(layer_nodes_.at(k)).layer;
}

template <typename T>
Layer<T>& Model<T>::layer_of(Node x) {
  CheckNode(x, "layer_of");
  if (!nodes_[x.id].layer) {
    throw std::invalid_argument("Model::layer_of: node is an input");
  }
  return *nodes_[x.id].layer;
}

template <typename T>
Layer<T>* Model<T>::GetLayer(const std::string& name) {
  for (int id : layer_nodes_) {
    if (nodes_[id].layer->name() == name) return nodes_[id].layer.get();
  }
  return nullptr;
}

template <typename T>
Node Model<T>::GetNode(const std::string& name) const {
  for (int id : layer_nodes_) {
    if (nodes_[id].layer->name() == name) return Node{id};
  }
  return Node{};
}

template <typename T>
std::vector<typename Model<T>::NamedParameter> Model<T>::Parameters(
    bool trainable_only) {
  std::vector<NamedParameter> out;
  for (int id : layer_nodes_) {
    Layer<T>& l = *nodes_[id].layer;
    for (Parameter<T>& p : l.parameters()) {
      if (trainable_only && !p.trainable) continue;
      out.push_back({l.name() + "/" + p.name, &p});
    }
  }
  return out;
}

template <typename T>
int64_t Model<T>::CountTrainableParameters() const {
  int64_t n = 0;
  for (int id : layer_nodes_) n += nodes_[id].layer->CountParameters(true);
  return n;
}

template <typename T>
int64_t Model<T>::CountNonTrainableParameters() const {
  int64_t n = 0;
  for (int id : layer_nodes_) n += nodes_[id].layer->CountParameters(false);
  return n;
}

template <typename T>
int64_t Model<T>::CountParameters() const {
  return CountTrainableParameters() + CountNonTrainableParameters();
}

template <typename T>
std::string Model<T>::Summary() const {
  // A chain (each layer takes the node before it) prints as Keras prints a
  // Sequential model; any other graph gets a "Connected to" column.
  bool chain = inputs_.size() == 1;
  for (size_t k = 0; k < nodes_.size() && chain; ++k) {
    const NodeInfo& n = nodes_[k];
    if (n.consumers > 1) chain = false;
    if (n.layer && (n.inputs.size() != 1 || n.inputs[0] != int(k) - 1)) {
      chain = false;
    }
  }
  const auto node_name = [this](int id) {
    return nodes_[id].layer ? nodes_[id].layer->name() : nodes_[id].input_name;
  };
  struct Row {
    std::string layer, shape, params;
    std::vector<std::string> connected;
  };
  std::vector<Row> rows;
  for (size_t k = 0; k < nodes_.size(); ++k) {
    const NodeInfo& n = nodes_[k];
    Row row;
    if (!n.layer) {
      if (!functional_) continue;  // Keras's Sequential hides its input
      row.layer = n.input_name + " (InputLayer)";
      row.shape = "[" + KerasShapeString(n.shape) + "]";
      row.params = "0";
    } else {
      row.layer = n.layer->name() + " (" + n.layer->type() + ")";
      row.shape = KerasShapeString(n.shape);
      row.params = std::to_string(n.layer->CountParameters(true) +
                                  n.layer->CountParameters(false));
      for (int in : n.inputs) row.connected.push_back(node_name(in) + "[0][0]");
    }
    rows.push_back(std::move(row));
  }
  // Keras's column widths (65 or 98 characters), widened to fit.
  std::vector<size_t> widths = chain ? std::vector<size_t>{29, 26, 10}
                                     : std::vector<size_t>{32, 21, 12, 33};
  const auto widen = [&widths](size_t col, const std::string& s) {
    widths[col] = std::max(widths[col], s.size() + 1);
  };
  for (const Row& r : rows) {
    widen(0, r.layer);
    widen(1, r.shape);
    widen(2, r.params);
    if (!chain) {
      for (const std::string& c : r.connected) widen(3, c);
    }
  }
  const size_t line = std::accumulate(widths.begin(), widths.end(), size_t{0});
  const auto format = [&](const std::vector<std::string>& cells) {
    std::string s;
    for (size_t c = 0; c < cells.size(); ++c) s += PadTo(cells[c], widths[c]);
    return RightTrim(s) + "\n";
  };
  std::string out =
      "Model: \"" +
      (name_.empty() ? (functional_ ? "model" : "sequential") : name_) + "\"\n";
  out += std::string(line, '_') + "\n";
  std::vector<std::string> header = {"Layer (type)", "Output Shape", "Param #"};
  if (!chain) header.push_back("Connected to");
  out += format(header);
  out += std::string(line, '=') + "\n";
  for (size_t k = 0; k < rows.size(); ++k) {
    const Row& r = rows[k];
    std::vector<std::string> cells = {r.layer, r.shape, r.params};
    if (!chain) cells.push_back(r.connected.empty() ? "" : r.connected[0]);
    out += format(cells);
    if (!chain) {
      for (size_t c = 1; c < r.connected.size(); ++c) {
        out += format({"", "", "", r.connected[c]});
      }
    }
    out += std::string(line, k + 1 == rows.size() ? '=' : '_') + "\n";
  }
  out += "Total params: " + WithThousands(CountParameters()) + "\n";
  out +=
      "Trainable params: " + WithThousands(CountTrainableParameters()) + "\n";
  out +=
      "Non-trainable params: " + WithThousands(CountNonTrainableParameters()) +
      "\n";
  out += std::string(line, '_') + "\n";
  return out;
}

// ------------------------------------------------------------------ passes

template <typename T>
const Array<T>& Model<T>::Forward(const Array<T>& x, bool training) {
  return Forward(std::vector<const Array<T>*>{&x}, training);
}

template <typename T>
const Array<T>& Model<T>::Forward(const std::vector<const Array<T>*>& xs,
                                  bool training) {
  if (xs.size() != inputs_.size()) {
    throw std::invalid_argument("Model::Forward: " + std::to_string(xs.size()) +
                                " input(s) for a model with " +
                                std::to_string(inputs_.size()));
  }
  const size_t n = nodes_.size();
  values_.resize(n);
  value_ptr_.assign(n, nullptr);
  for (size_t k = 0; k < xs.size(); ++k) {
    const Shape& want = nodes_[inputs_[k].id].shape;
    const Shape& got = xs[k]->shape();
    if (got.size() != want.size() + 1 ||
        !std::equal(want.begin(), want.end(), got.begin() + 1)) {
      throw std::invalid_argument("Model::Forward: input " + std::to_string(k) +
                                  " has shape " + ShapeString(got) +
                                  ", expected " + KerasShapeString(want));
    }
    value_ptr_[inputs_[k].id] = xs[k];
  }
  std::vector<const Array<T>*> ins;
  for (int id : layer_nodes_) {
    NodeInfo& node = nodes_[id];
    ins.clear();
    for (int in : node.inputs) ins.push_back(value_ptr_[in]);
    node.layer->Forward(ins, &values_[id], training);
    value_ptr_[id] = &values_[id];
  }
  return *value_ptr_[output().id];
}

template <typename T>
const Array<T>& Model<T>::value(Node x) const {
  CheckNode(x, "value");
  if (x.id >= static_cast<int>(value_ptr_.size()) ||
      value_ptr_[x.id] == nullptr) {
    throw std::logic_error("Model::value: call Forward first");
  }
  return *value_ptr_[x.id];
}

template <typename T>
void Model<T>::Backward(const Array<T>& doutput, bool input_gradients) {
  Backward({{output(), &doutput}}, input_gradients);
}

template <typename T>
void Model<T>::Backward(const std::vector<NodeGradient>& gradients,
                        bool input_gradients) {
  const size_t n = nodes_.size();
  if (value_ptr_.size() != n || value_ptr_[output().id] == nullptr) {
    throw std::logic_error("Model::Backward: call Forward first");
  }
  grads_.resize(n);
  grad_ptr_.assign(n, nullptr);
  grad_ready_.assign(n, 0);
  edge_grads_.resize(n);
  // given[id]: the node's gradient was given, so what flows back to it is
  // added to it (never written over it).
  std::vector<char> given(n, 0);
  for (const NodeGradient& g : gradients) {
    CheckNode(g.node, "Backward");
    const int id = g.node.id;
    if (g.gradient->shape() != value_ptr_[id]->shape()) {
      throw std::invalid_argument(
          "Model::Backward: the gradient of node " + std::to_string(id) +
          " has shape " + ShapeString(g.gradient->shape()) + ", its value " +
          ShapeString(value_ptr_[id]->shape()));
    }
    if (given[id]) {
      throw std::invalid_argument("Model::Backward: node " +
                                  std::to_string(id) + " given twice");
    }
    given[id] = 1;
    grad_ready_[id] = 1;
    if (nodes_[id].consumers == 0) {
      grad_ptr_[id] = g.gradient;  // nothing flows back to it: no copy
    } else {
      grads_[id] = *g.gradient;
      grad_ptr_[id] = &grads_[id];
    }
  }
  // wanted[id]: the gradient of the node's output serves something: a
  // trainable parameter of its layer or of a layer before it, or the
  // model's inputs when input_gradients. The others are not computed (e.g.
  // dx of a convolution after ZeroPadding2D on the input, or of a frozen
  // base). Nodes come after their inputs.
  std::vector<char> wanted(n, 0);
  for (size_t id = 0; id < n; ++id) {
    const NodeInfo& node = nodes_[id];
    if (!node.layer) {
      wanted[id] = input_gradients;
      continue;
    }
    for (const Parameter<T>& p : node.layer->parameters()) {
      if (p.trainable) wanted[id] = 1;
    }
    for (int in : node.inputs) {
      if (wanted[in]) wanted[id] = 1;
    }
  }
  std::vector<const Array<T>*> ins;
  std::vector<Array<T>*> dins;
  for (auto it = layer_nodes_.rbegin(); it != layer_nodes_.rend(); ++it) {
    const int id = *it;
    NodeInfo& node = nodes_[id];
    if (!grad_ready_[id]) {
      // Not on a path to a given gradient: none for its parameters.
      node.layer->AllocateGradients();
      for (Parameter<T>& p : node.layer->parameters()) {
        if (p.trainable) p.grad.SetZero();
      }
      continue;
    }
    const size_t k_in = node.inputs.size();
    edge_grads_[id].resize(k_in);
    ins.clear();
    dins.assign(k_in, nullptr);
    for (size_t k = 0; k < k_in; ++k) {
      const int in = node.inputs[k];
      ins.push_back(value_ptr_[in]);
      if (!wanted[in]) continue;
      // A node used once (and not given a gradient) gets its gradient
      // directly; otherwise each use writes its own and they are added up.
      dins[k] = nodes_[in].consumers == 1 && !given[in] ? &grads_[in]
                                                        : &edge_grads_[id][k];
    }
    node.layer->Backward(ins, *value_ptr_[id], *grad_ptr_[id], dins);
    for (size_t k = 0; k < k_in; ++k) {
      const int in = node.inputs[k];
      if (dins[k] == nullptr) continue;
      if (dins[k] != &grads_[in]) {
        if (!grad_ready_[in]) {
          std::swap(grads_[in], *dins[k]);
        } else {
          grads_[in].vec() += dins[k]->vec();
        }
      }
      grad_ptr_[in] = &grads_[in];
      grad_ready_[in] = 1;
    }
  }
}

template <typename T>
const Array<T>& Model<T>::InputGradient(int k) const {
  const int id = inputs_.at(k).id;
  if (id >= static_cast<int>(grad_ready_.size()) || !grad_ready_[id]) {
    throw std::logic_error(
        "Model::InputGradient: call Backward(doutput, /*input_gradients=*/"
        "true) first");
  }
  return *grad_ptr_[id];
}

// ---------------------------------------------------------------- training

template <typename T>
void Model<T>::Compile(const Adam& optimizer, Loss loss) {
  CompileWith(optimizer, loss);
}

template <typename T>
void Model<T>::Compile(const SGD& optimizer, Loss loss) {
  CompileWith(optimizer, loss);
}

template <typename T>
void Model<T>::CompileWith(const std::variant<Adam, SGD>& optimizer,
                           Loss loss) {
  const Shape& out = shape(output());
  if (loss == Loss::kSoftmaxCrossEntropy && out.empty()) {
    throw std::invalid_argument(
        "Model::Compile: softmax cross-entropy needs outputs (None, "
        "classes) or (None, ..., classes), the model's are " +
        KerasShapeString(out));
  }
  if (loss == Loss::kBinaryCrossEntropy && (out.empty() || out.back() != 1)) {
    throw std::invalid_argument(
        "Model::Compile: binary cross-entropy needs outputs (None, 1) or "
        "(None, T_y, 1), the model's are " +
        KerasShapeString(out));
  }
  optimizer_ = optimizer;
  loss_ = loss;
  step_ = 0;
  trainable_.clear();
  slot_m_.clear();
  slot_v_.clear();
  for (const NamedParameter& p : Parameters(/*trainable_only=*/true)) {
    trainable_.push_back(p.parameter);
    slot_m_.emplace_back(p.parameter->value.shape());
    if (std::holds_alternative<Adam>(optimizer))
      slot_v_.emplace_back(p.parameter->value.shape());
  }
  compiled_ = true;
}

template <typename T>
double Model<T>::LossOf(const Array<T>& out, const std::vector<int>& labels,
                        Array<T>* dout) const {
  return loss_ == Loss::kSoftmaxCrossEntropy
             ? SoftmaxCrossEntropy(out, labels, dout)
             : BinaryCrossEntropy(out, labels, dout);
}

template <typename T>
int Model<T>::Correct(const Array<T>& out, const std::vector<int>& labels,
                      size_t offset) const {
  const Index m = out.dim(0);
  const Index C = m == 0 ? 0 : out.size() / m;
  int correct = 0;
  for (Index i = 0; i < m; ++i) {
    const T* row = out.data() + i * C;
    const int predicted =
        loss_ == Loss::kBinaryCrossEntropy
            ? (row[0] > T(0) ? 1 : 0)
            : static_cast<int>(std::max_element(row, row + C) - row);
    correct += predicted == labels[offset + i];
  }
  return correct;
}

template <typename T>
double Model<T>::ComputeGradients(const Array<T>& x,
                                  const std::vector<int>& labels,
                                  bool training) {
  if (!compiled_) {
    throw std::logic_error("Model: call Compile(optimizer, loss) first");
  }
  const Array<T>& out = Forward(x, training);
  const double loss = LossOf(out, labels, &dout_);
  Backward(dout_);
  return loss;
}

template <typename T>
void Model<T>::ApplyGradients() {
  if (!compiled_) {
    throw std::logic_error("Model: call Compile(optimizer, loss) first");
  }
  ++step_;
  if (const Adam* adam = std::get_if<Adam>(&optimizer_)) {
    for (size_t k = 0; k < trainable_.size(); ++k) {
      AdamUpdate(*adam, step_, trainable_[k]->grad, slot_m_[k], slot_v_[k],
                 trainable_[k]->value);
    }
    return;
  }
  const SGD& sgd = std::get<SGD>(optimizer_);
  for (size_t k = 0; k < trainable_.size(); ++k) {
    SgdUpdate(sgd, trainable_[k]->grad, slot_m_[k], trainable_[k]->value);
  }
}

template <typename T>
double Model<T>::TrainStep(const Array<T>& x, const std::vector<int>& labels) {
  const double loss = ComputeGradients(x, labels, /*training=*/true);
  ApplyGradients();
  return loss;
}

template <typename T>
Metrics Model<T>::TrainEpoch(const Array<T>& X, const std::vector<int>& labels,
                             int batch_size, RandomState& rng) {
  if (batch_size < 1) throw std::invalid_argument("batch_size must be >= 1");
  const Index m = X.rank() == 0 ? 0 : X.dim(0);
  if (static_cast<Index>(labels.size()) != m) {
    throw std::invalid_argument(
        "Model::TrainEpoch: " + std::to_string(labels.size()) + " labels for " +
        std::to_string(m) + " examples");
  }
  const std::vector<int64_t> order = rng.permutation(m);
  Metrics metrics;
  double loss_sum = 0;
  int64_t correct = 0;
  for (Index begin = 0; begin < m; begin += batch_size) {
    const Index end = std::min<Index>(begin + batch_size, m);
    GatherRows(X, order, begin, end, &batch_x_);
    batch_y_.resize(end - begin);
    for (Index k = begin; k < end; ++k) batch_y_[k - begin] = labels[order[k]];
    const double loss = ComputeGradients(batch_x_, batch_y_, true);
    correct += Correct(*value_ptr_[output().id], batch_y_, 0);
    ApplyGradients();
    loss_sum += loss * double(end - begin);
  }
  if (m > 0) {
    metrics.loss = loss_sum / double(m);
    metrics.accuracy = double(correct) / double(m);
  }
  return metrics;
}

template <typename T>
Array<T> Model<T>::Predict(const Array<T>& X, int batch_size) {
  if (batch_size < 1) throw std::invalid_argument("batch_size must be >= 1");
  const Index m = X.rank() == 0 ? 0 : X.dim(0);
  Shape out_shape = shape(output());
  out_shape.insert(out_shape.begin(), m);
  Array<T> out(out_shape);
  const Index row = NumElements(shape(output()));
  std::vector<int64_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  for (Index begin = 0; begin < m; begin += batch_size) {
    const Index end = std::min<Index>(begin + batch_size, m);
    GatherRows(X, order, begin, end, &batch_x_);
    const Array<T>& y = Forward(batch_x_, /*training=*/false);
    std::copy(y.data(), y.data() + y.size(), out.data() + begin * row);
  }
  return out;
}

template <typename T>
Array<T> Model<T>::PredictProbabilities(const Array<T>& X, int batch_size) {
  const Array<T> logits = Predict(X, batch_size);
  return loss_ == Loss::kBinaryCrossEntropy ? SigmoidOf(logits)
                                            : Softmax(logits);
}

template <typename T>
std::vector<int> Model<T>::PredictClasses(const Array<T>& X, int batch_size) {
  const Array<T> logits = Predict(X, batch_size);
  const Index m = logits.dim(0);
  const Index C = m == 0 ? 0 : logits.size() / m;
  std::vector<int> classes(m);
  for (Index i = 0; i < m; ++i) {
    const T* row = logits.data() + i * C;
    classes[i] = loss_ == Loss::kBinaryCrossEntropy
                     ? (row[0] > T(0) ? 1 : 0)
                     : static_cast<int>(std::max_element(row, row + C) - row);
  }
  return classes;
}

template <typename T>
Metrics Model<T>::Evaluate(const Array<T>& X, const std::vector<int>& labels,
                           int batch_size) {
  const Shape& out = shape(output());
  if ((loss_ == Loss::kBinaryCrossEntropy && out != Shape{1}) ||
      (loss_ == Loss::kSoftmaxCrossEntropy && out.size() != 1)) {
    throw std::invalid_argument(
        "Model::Evaluate: a prediction per time step or per pixel has no "
        "accuracy per example; use Predict");
  }
  const Array<T> logits = Predict(X, batch_size);
  Metrics metrics;
  metrics.loss = LossOf(logits, labels, nullptr);
  const Index m = logits.dim(0);
  if (m > 0) metrics.accuracy = double(Correct(logits, labels, 0)) / double(m);
  return metrics;
}

template class Model<float>;
template class Model<double>;

}  // namespace nn
}  // namespace dl
