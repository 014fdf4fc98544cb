// File: course1_nn/computation_graph/graph.h
//
// GIVEN, not graded: a computation graph of numbers (the course's
// "computation graph", C1W2), built the way micrograd builds one.
//
//   Graph graph;
//   Value a = graph.variable(5, "a");
//   Value b = graph.variable(3, "b");
//   Value c = graph.variable(2, "c");
//   Value u = named(b * c, "u");   // u = bc     = 6
//   Value v = named(a + u, "v");   // v = a + u  = 11
//   Value J = named(3 * v, "J");   // J = 3v     = 33
//   backward(graph, J.id);         // yours (computation_graph.h)
//   grad(b)                        // dJ/db = 6
//   std::cout << graph.to_string();  // every node, its value and its grad
//
// Every operation adds one node to the graph and computes its value at once:
// building the expression IS the forward pass. Nodes are numbered 0, 1, 2, ...
// in the order they are made, so a node's inputs always have smaller ids.
//
// Only eight operations have a derivative rule (Op below). The others are
// written in terms of them, as in micrograd: -a = a · (-1), a - b = a + (-b),
// a / b = a · b^(-1). A plain number in an expression (the 3 in 3v) becomes a
// variable node of its own, named after its value.

#ifndef DLCOURSE_COURSE1_NN_COMPUTATION_GRAPH_GRAPH_H_
#define DLCOURSE_COURSE1_NN_COMPUTATION_GRAPH_GRAPH_H_

#include <cmath>
#include <string>
#include <vector>

namespace computation_graph {

// What a node computes from its inputs.
enum class Op {
  kVariable,  // a leaf: an input of the expression (a, b, c) or a constant
  kAdd,       // inputs[0] + inputs[1]
  kMul,       // inputs[0] · inputs[1]
  kPow,       // inputs[0] ^ exponent
  kExp,       // e ^ inputs[0]
  kLog,       // ln(inputs[0])  (natural logarithm)
  kTanh,      // tanh(inputs[0])
  kSigmoid,   // σ(inputs[0]) = 1 / (1 + e^(-inputs[0]))
  kRelu,      // max(0, inputs[0])
};

// "variable", "add", "mul", "pow", "exp", "log", "tanh", "sigmoid", "relu".
const char* op_name(Op op);

// How many inputs a node of this op has: 0, 1 or 2.
int num_inputs(Op op);

// The forward rule of one op: the output for these input values.
//   forward_value(Op::kMul, {3, 2}) == 6
//   forward_value(Op::kPow, {3}, /*exponent=*/2) == 9
double forward_value(Op op, const std::vector<double>& input_values,
                     double exponent = 0);

struct Node {
  Op op = Op::kVariable;
  double value = 0;         // computed when the node is made (forward pass)
  double grad = 0;          // d(root)/d(this node), filled in by backward
  std::vector<int> inputs;  // ids of the input nodes, in order
  double exponent = 0;      // kPow only: value = inputs[0] ^ exponent
  std::string name;         // for printing ("a", "u", "J"); may be empty
};

class Graph;

// A handle on one node of a graph: what the operators below take and return.
// `id` indexes graph->nodes().
struct Value {
  Graph* graph = nullptr;
  int id = -1;
};

class Graph {
 public:
  Graph() = default;
  // Values point to their graph, so a graph cannot be copied.
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;

  // A new leaf node with this value.
  Value variable(double value, std::string name = "");

  // A new node op(inputs...) with its value computed from the inputs' values.
  // The operators below call it; exponent is for Op::kPow only.
  Value apply(Op op, const std::vector<Value>& inputs, double exponent = 0);

  // The node with this id (0 <= id < size(); throws std::out_of_range).
  Node& node(int id);
  const Node& node(int id) const;

  // The number of nodes; their ids are 0 .. size() - 1.
  int size() const { return static_cast<int>(nodes_.size()); }

  // All nodes, by id.
  std::vector<Node>& nodes() { return nodes_; }
  const std::vector<Node>& nodes() const { return nodes_; }

  // One node as "#4 v = add(#0 a, #3 u)".
  std::string describe(int id) const;

  // Every node, one per line, with its value and grad:
  //   #4 v = add(#0 a, #3 u)       value 11        grad 3
  std::string to_string() const;

 private:
  std::vector<Node> nodes_;
};

// The value and the gradient stored in a value's node.
double value(Value v);
double grad(Value v);

// Sets the node's name (for printing) and returns the value:
//   Value u = named(b * c, "u");
Value named(Value v, std::string name);

// The eight operations with a derivative rule.
Value operator+(Value a, Value b);
Value operator+(Value a, double b);
Value operator+(double a, Value b);
Value operator*(Value a, Value b);
Value operator*(Value a, double b);
Value operator*(double a, Value b);
Value pow(Value a, double exponent);
Value exp(Value a);
Value log(Value a);
Value tanh(Value a);
Value sigmoid(Value a);
Value relu(Value a);

// Made of the ones above (micrograd's way): no derivative rule of their own.
Value operator-(Value a);           // a · (-1)
Value operator-(Value a, Value b);  // a + (-b)
Value operator-(Value a, double b);
Value operator-(double a, Value b);
Value operator/(Value a, Value b);  // a · b^(-1)
Value operator/(Value a, double b);
Value operator/(double a, Value b);

// The functions above hide <cmath>'s of the same name inside this namespace;
// these lines bring the ones on numbers back, so exp(x) on a double still
// works here (it is std::exp).
using std::exp;
using std::log;
using std::pow;
using std::tanh;

}  // namespace computation_graph

#endif  // DLCOURSE_COURSE1_NN_COMPUTATION_GRAPH_GRAPH_H_
