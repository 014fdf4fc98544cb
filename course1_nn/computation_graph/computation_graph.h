// File: course1_nn/computation_graph/computation_graph.h
//
// Course 1, week 2, the videos "Computation Graph" and "Derivatives with a
// Computation Graph" (and d2l §2.5 "Automatic Differentiation"): the backward
// pass of a small automatic differentiation over numbers, the way micrograd
// does it.
//
// The graph is given (graph.h): Graph holds the nodes, Value is a handle on
// one, and + - * / pow exp log tanh sigmoid relu build an expression and
// compute its value (the forward pass). You write the backward pass:
//
//   Graph graph;
//   Value a = graph.variable(5, "a"), b = graph.variable(3, "b"),
//         c = graph.variable(2, "c");
//   Value J = 3 * (a + b * c);   // J = 33
//   backward(graph, J.id);
//   grad(a), grad(b), grad(c)    // dJ/da = 3, dJ/db = 6, dJ/dc = 9
//
// Exercises, in order (write them in exercise.cc):
//   1. local_gradients  2. topological_order  3. backward

#ifndef DLCOURSE_COURSE1_NN_COMPUTATION_GRAPH_COMPUTATION_GRAPH_H_
#define DLCOURSE_COURSE1_NN_COMPUTATION_GRAPH_COMPUTATION_GRAPH_H_

#include <vector>

#include "course1_nn/computation_graph/graph.h"

namespace computation_graph {

// The local derivatives of one node: ∂output/∂input_i for each of its inputs,
// at these values.
//   op: the node's operation;  input_values: its inputs' values, in order
//   (2 for add and mul, none for a variable, 1 for the others);
//   output: the node's own value;  exponent: p for pow (unused otherwise).
// Returns one number per input:
//   add      a + b       ->  {1, 1}
//   mul      a · b       ->  {b, a}
//   pow      a^p         ->  {p · a^(p-1)}
//   exp      e^a         ->  {e^a}                  (= output)
//   log      ln a        ->  {1 / a}
//   tanh     tanh a      ->  {1 - output²}
//   sigmoid  σ(a)        ->  {output · (1 - output)}
//   relu     max(0, a)   ->  {1 if a > 0, else 0}
//   variable             ->  {}                     (no inputs)
std::vector<double> local_gradients(Op op,
                                    const std::vector<double>& input_values,
                                    double output, double exponent);

// The ids of the nodes `root` depends on (root included), each exactly once,
// every node after all of its inputs, so root comes last. Nodes root does not
// depend on are left out. (micrograd's build_topo: a depth-first search that
// appends a node after visiting its inputs.)
std::vector<int> topological_order(const Graph& graph, int root);

// The backward pass. Afterwards, every node's grad is ∂root/∂node:
//   1. set the grad of EVERY node of the graph to 0 (∂root/∂x = 0 when root
//      does not depend on x, and nothing is left from an earlier call);
//   2. set root's grad to 1 (∂root/∂root);
//   3. walk topological_order(graph, root) backwards, from root; at each
//      node, for each input i (the chain rule):
//        inputs[i].grad += local_gradients(...)[i] * node.grad
//      (+=: a node used twice gets a contribution from each use).
// Returns the ids in the order it visited them: the topological order
// reversed, root first.
std::vector<int> backward(Graph& graph, int root);

// The reference solution (reference.cc) has the same functions, in
// computation_graph::reference. The grader compares yours with it.
namespace reference {
decltype(computation_graph::local_gradients) local_gradients;
decltype(computation_graph::topological_order) topological_order;
decltype(computation_graph::backward) backward;
}  // namespace reference

}  // namespace computation_graph

#endif  // DLCOURSE_COURSE1_NN_COMPUTATION_GRAPH_COMPUTATION_GRAPH_H_
