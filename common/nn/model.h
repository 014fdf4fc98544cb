// File: common/nn/model.h
//
// A small Keras-like model on the layers of common/nn/layers.h: a graph of
// layers built from an Input, used as Keras's Sequential (each layer takes
// the previous one's output) or functional API (each layer names its
// inputs; skip connections through nn::Add).
//
// Sequential, the course's happyModel:
//   nn::Model<float> model;                      // tf.keras.Sequential([
//   model.Input({64, 64, 3});                    //   input_shape=(64,64,3)
//   model.Add(nn::ZeroPadding2D(3));             //   ZeroPadding2D(3),
//   model.Add(nn::Conv2D(32, 7));                //   Conv2D(32, 7),
//   model.Add(nn::BatchNormalization(3));        //   BatchNormalization(3),
//   model.Add(nn::ReLU());                       //   ReLU(),
//   model.Add(nn::MaxPool2D());                  //   MaxPool2D(),
//   model.Add(nn::Flatten());                    //   Flatten(),
//   model.Add(nn::Dense(1));                     //   Dense(1, 'sigmoid')])
//   std::cout << model.Summary();
//
// Functional, with a skip connection:
//   nn::Model<float> model;
//   nn::Node input = model.Input({64, 64, 3});
//   nn::Node x = model.Add(nn::Conv2D(8, 3, 1, "same"), input);
//   nn::Node shortcut = x;
//   x = model.Add(nn::Conv2D(8, 3, 1, "same").Named("branch2a"), x);
//   x = model.Add(nn::Add(), x, shortcut);
//   model.Output(x);
//
// Training (the model's output is LOGITS; the loss applies the softmax or
// the sigmoid, as Keras's from_logits=True):
//   model.Compile(nn::Adam(0.01), nn::Loss::kSoftmaxCrossEntropy);
//   dl::RandomState rng(0);
//   for (int epoch = 0; epoch < 100; ++epoch) {
//     nn::Metrics train = model.TrainEpoch(X_train, Y_train, 64, rng);
//   }
//   nn::Metrics test = model.Evaluate(X_test, Y_test);
// (or, with a progress bar, the history and its report: nn::Fit in
// common/training/fit.h).
//
// X is an nn::Array<T> (m, n_H, n_W, n_C); labels are class indices
// (0 / 1 for the binary loss).

#ifndef DLCOURSE_COMMON_NN_MODEL_H_
#define DLCOURSE_COMMON_NN_MODEL_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "common/core/random.h"
#include "common/nn/layers.h"
#include "common/nn/losses.h"
#include "common/nn/optimizers.h"

namespace dl {
namespace nn {

// A tensor of the graph: a model's input or a layer's output.
struct Node {
  int id = -1;
  bool valid() const { return id >= 0; }
};

// The mean loss and the accuracy over the examples of an epoch (training:
// measured on each mini-batch as it is trained, as Keras reports them).
struct Metrics {
  double loss = 0;
  double accuracy = 0;
};

template <typename T>
class Model {
 public:
  // `name` as in the summary ("" : "sequential", or "model" for a
  // functional model); `seed` draws the initial parameters (in the order
  // the layers are added) and the dropout masks.
  explicit Model(std::string name = "", uint32_t seed = 0);
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;
  Model(Model&&) noexcept;
  Model& operator=(Model&&) noexcept;
  ~Model();

  // ------------------------------------------------------------ building
  // An input of the given shape, without the batch: {64, 64, 3}.
  Node Input(const Shape& shape, const std::string& name = "");

  // Sequential: the layer takes the last node added.
  template <typename S>
  Node Add(const S& spec) {
    return Add(spec, std::vector<Node>{last()}, /*functional=*/false);
  }
  // Functional: the layer takes the given node(s).
  template <typename S>
  Node Add(const S& spec, Node x) {
    return Add(spec, std::vector<Node>{x}, /*functional=*/true);
  }
  template <typename S>
  Node Add(const S& spec, Node a, Node b) {
    return Add(spec, std::vector<Node>{a, b}, /*functional=*/true);
  }
  template <typename S>
  Node Add(const S& spec, const std::vector<Node>& inputs,
           bool functional = true) {
    std::unique_ptr<Layer<T>> layer = MakeLayer<T>(spec);
    if constexpr (std::is_same_v<S, Dropout>) {
      if (spec.seed < 0) SetDropoutSeed(*layer, DropoutSeed());
    }
    return AddLayer(std::move(layer), inputs, functional);
  }
  // Any layer (e.g. one of your own). The layer is named Keras's way when
  // its name is empty, built, and its parameters drawn.
  Node AddLayer(std::unique_ptr<Layer<T>> layer,
                const std::vector<Node>& inputs, bool functional = true);

  // The model's output (default: the last node added).
  void Output(Node x);
  Node output() const;
  // The last node added (an input or a layer's output).
  Node last() const;
  // A node's shape, without the batch: {64, 64, 8}.
  const Shape& shape(Node x) const;
  const std::vector<Node>& inputs() const { return inputs_; }

  // ----------------------------------------------------------- inspection
  // Keras's model.summary() as text: one row per layer with its name
  // (type), output shape "(None, 64, 64, 8)" and parameter count (and the
  // layers it is connected to, for a graph that is not a chain), then
  // "Total params", "Trainable params", "Non-trainable params" (batch
  // norm's moving mean and variance are not trainable).
  std::string Summary() const;
  int64_t CountParameters() const;
  int64_t CountTrainableParameters() const;
  int64_t CountNonTrainableParameters() const;

  // The layers in the order they were added.
  int num_layers() const { return static_cast<int>(layer_nodes_.size()); }
  Layer<T>& layer(int k);
  // The layer that made node x (not an input), or the one called `name`
  // (nullptr if none).
  Layer<T>& layer_of(Node x);
  Layer<T>* GetLayer(const std::string& name);
  // The output node of the layer called `name` (Keras's
  // model.get_layer(name).output); an invalid Node when there is none.
  Node GetNode(const std::string& name) const;

  // Every parameter as "layer/kernel", in layer order.
  struct NamedParameter {
    std::string name;
    Parameter<T>* parameter;
  };
  std::vector<NamedParameter> Parameters(bool trainable_only = false);

  // --------------------------------------------------------------- passes
  // The forward pass over a batch x of shape (m, input shape); returns the
  // output (m, output shape), kept until the next Forward. `x` must stay
  // alive until Backward (it is not copied).
  const Array<T>& Forward(const Array<T>& x, bool training = false);
  const Array<T>& Forward(const std::vector<const Array<T>*>& xs,
                          bool training);
  // The backward pass of the last Forward, given doutput = dJ/doutput:
  // every trainable parameter's grad (overwritten), and, when
  // input_gradients, dJ/dx in InputGradient().
  void Backward(const Array<T>& doutput, bool input_gradients = false);
  // The same with gradients arriving at several nodes, each dJ/d(node) of
  // the last Forward's value (e.g. neural style transfer's cost on several
  // layers). A node's gradient is its own plus what flows back to it from
  // the nodes after it; the nodes need not include the output.
  struct NodeGradient {
    Node node;
    const Array<T>* gradient;
  };
  void Backward(const std::vector<NodeGradient>& gradients,
                bool input_gradients = false);
  // A node's value of the last Forward.
  const Array<T>& value(Node x) const;
  const Array<T>& InputGradient(int k = 0) const;

  // ------------------------------------------------------------- training
  void Compile(const Adam& optimizer, Loss loss);
  void Compile(const SGD& optimizer, Loss loss);
  Loss loss() const { return loss_; }

  // Forward, the loss (mean over the batch) and Backward; returns the loss.
  double ComputeGradients(const Array<T>& x, const std::vector<int>& labels,
                          bool training = true);
  // One step of the optimizer with the gradients of the last Backward.
  void ApplyGradients();
  // ComputeGradients then ApplyGradients; returns the loss.
  double TrainStep(const Array<T>& x, const std::vector<int>& labels);
  // One epoch: the examples shuffled with rng.permutation(m), cut into
  // mini-batches of batch_size (the last one smaller), one TrainStep each.
  Metrics TrainEpoch(const Array<T>& X, const std::vector<int>& labels,
                     int batch_size, RandomState& rng);

  // The outputs (logits) of the inference pass, batch by batch:
  // (m, output shape).
  Array<T> Predict(const Array<T>& X, int batch_size = 32);
  // Probabilities: softmax (or sigmoid, for the binary loss) of Predict.
  Array<T> PredictProbabilities(const Array<T>& X, int batch_size = 32);
  // The predicted class of each example: argmax of the logits, or
  // logit > 0 for the binary loss.
  std::vector<int> PredictClasses(const Array<T>& X, int batch_size = 32);
  // The loss and accuracy of the inference pass.
  Metrics Evaluate(const Array<T>& X, const std::vector<int>& labels,
                   int batch_size = 32);

 private:
  struct NodeInfo {
    std::unique_ptr<Layer<T>> layer;  // null for an input
    std::vector<int> inputs;          // node ids
    Shape shape;                      // without the batch
    int consumers = 0;                // edges leaving the node
    std::string input_name;           // for inputs
  };
  void CheckNode(Node x, const char* who) const;
  uint32_t DropoutSeed() const;
  void CompileWith(const std::variant<Adam, SGD>& optimizer, Loss loss);
  double LossOf(const Array<T>& out, const std::vector<int>& labels,
                Array<T>* dout) const;
  int Correct(const Array<T>& out, const std::vector<int>& labels,
              size_t offset) const;

  std::string name_;
  uint32_t seed_;
  RandomState init_rng_;
  bool functional_ = false;
  std::vector<NodeInfo> nodes_;
  std::vector<int> layer_nodes_;  // node ids of the layers, in order
  std::vector<Node> inputs_;
  int output_ = -1;
  std::map<std::string, int> name_counts_;  // Keras's default names

  // Buffers of the passes, reused from step to step.
  std::vector<Array<T>> values_, grads_;
  std::vector<const Array<T>*> value_ptr_, grad_ptr_;
  std::vector<std::vector<Array<T>>> edge_grads_;  // [node][input]
  std::vector<char> grad_ready_;
  Array<T> batch_x_, dout_;
  std::vector<int> batch_y_;

  // Training.
  bool compiled_ = false;
  Loss loss_ = Loss::kSoftmaxCrossEntropy;
  std::variant<Adam, SGD> optimizer_;
  int64_t step_ = 0;
  std::vector<Parameter<T>*> trainable_;
  std::vector<Array<T>> slot_m_, slot_v_;  // Adam's m, v (SGD: velocity)
};

}  // namespace nn
}  // namespace dl

#endif  // DLCOURSE_COMMON_NN_MODEL_H_
