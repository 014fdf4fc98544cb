// Your solutions to course1_nn/computation_graph. Replace each
// `return dl::not_implemented...` with your code, then run
//   bazel test //course1_nn/computation_graph/...
// The rules are in computation_graph.h and README.md; the graph (Graph, Node,
// Value) is in graph.h.

#include <algorithm>
#include <cmath>
#include <vector>

#include "common/grading/not_implemented.h"
#include "course1_nn/computation_graph/computation_graph.h"

namespace computation_graph {

std::vector<double> local_gradients(Op op,
                                    const std::vector<double>& input_values,
                                    double output, double exponent) {
  // TODO: one number per input, ∂output/∂input_i (the table in
  //       computation_graph.h): add {1, 1}, mul {b, a}, pow {p·a^(p-1)},
  //       exp {output}, log {1/a}, tanh {1 - output²},
  //       sigmoid {output·(1 - output)}, relu {a > 0 ? 1 : 0}, variable {}.
  //       (≈20 lines: a switch (op) with one `case Op::kAdd: return {1.0,
  //       1.0};` per op; a = input_values[0], b = input_values[1])
  return dl::not_implemented<std::vector<double>>("local_gradients");
}

std::vector<int> topological_order(const Graph& graph, int root) {
  // TODO: a depth-first search from root (micrograd's build_topo): visit a
  //       node's inputs first, then append the node; skip nodes already
  //       visited. (≈10 lines, with a recursive helper above this function,
  //         void build_topo(const Graph& graph, int id,
  //                         std::vector<bool>& visited, std::vector<int>& topo)
  //       and std::vector<bool> visited(graph.size(), false) here.)
  return dl::not_implemented<std::vector<int>>("topological_order");
}

std::vector<int> backward(Graph& graph, int root) {
  // TODO: 1. node.grad = 0 for every node of graph.nodes();
  //       2. graph.node(root).grad = 1;
  //       3. order = topological_order(graph, root), reversed (std::reverse);
  //          for each id in order, with node = graph.node(id): get the
  //          local_gradients of node (its inputs' values, its value, its
  //          exponent) and, for each input i,
  //            graph.node(node.inputs[i]).grad += local[i] * node.grad;
  //       4. return order.   (≈15 lines)
  return dl::not_implemented<std::vector<int>>("backward");
}

}  // namespace computation_graph
