// The reference solution of course1_nn/computation_graph.

#include <algorithm>
#include <cmath>
#include <vector>

#include "course1_nn/computation_graph/computation_graph.h"

namespace computation_graph {
namespace reference {
namespace {

// micrograd's build_topo: visit the inputs first, then add the node.
void build_topo(const Graph& graph, int id, std::vector<bool>& visited,
                std::vector<int>& topo) {
  if (visited[id]) return;
  visited[id] = true;
  for (int input : graph.node(id).inputs) {
    build_topo(graph, input, visited, topo);
  }
  topo.push_back(id);
}

}  // namespace

std::vector<double> local_gradients(Op op,
                                    const std::vector<double>& input_values,
                                    double output, double exponent) {
  switch (op) {
    case Op::kVariable:
      return {};
    case Op::kAdd:  // out = a + b
      return {1.0, 1.0};
    case Op::kMul: {  // out = a · b
      const double a = input_values[0], b = input_values[1];
      return {b, a};
    }
    case Op::kPow:  // out = a^p
      return {exponent * std::pow(input_values[0], exponent - 1)};
    case Op::kExp:  // out = e^a
      return {output};
    case Op::kLog:  // out = ln a
      return {1.0 / input_values[0]};
    case Op::kTanh:  // out = tanh a
      return {1.0 - output * output};
    case Op::kSigmoid:  // out = σ(a)
      return {output * (1.0 - output)};
    case Op::kRelu:  // out = max(0, a)
      return {input_values[0] > 0 ? 1.0 : 0.0};
  }
  return {};
}

std::vector<int> topological_order(const Graph& graph, int root) {
  std::vector<int> topo;
  std::vector<bool> visited(graph.size(), false);
  build_topo(graph, root, visited, topo);
  return topo;
}

std::vector<int> backward(Graph& graph, int root) {
  for (Node& node : graph.nodes()) node.grad = 0;
  graph.node(root).grad = 1;

  // reference:: because Graph and Op would also find (by argument-dependent
  // lookup) computation_graph::topological_order, the exercise's.
  std::vector<int> order = reference::topological_order(graph, root);
  std::reverse(order.begin(), order.end());
  for (int id : order) {
    const Node& node = graph.node(id);
    std::vector<double> input_values;
    for (int input : node.inputs) {
      input_values.push_back(graph.node(input).value);
    }
    const std::vector<double> local = reference::local_gradients(
        node.op, input_values, node.value, node.exponent);
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      // Chain rule: d(root)/d(input) += d(node)/d(input) · d(root)/d(node).
      graph.node(node.inputs[i]).grad += local[i] * node.grad;
    }
  }
  return order;
}

}  // namespace reference
}  // namespace computation_graph
