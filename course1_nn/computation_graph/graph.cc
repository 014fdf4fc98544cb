// GIVEN, not graded: the computation graph of graph.h.

#include "course1_nn/computation_graph/graph.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

namespace computation_graph {
namespace {

// A number as a short name: 3, -1, 0.5.
std::string number_name(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

// The graph both values belong to.
Graph& graph_of(Value a, Value b) {
  if (a.graph == nullptr || b.graph == nullptr) {
    throw std::invalid_argument("a Value that belongs to no graph");
  }
  if (a.graph != b.graph) {
    throw std::invalid_argument("two Values of different graphs");
  }
  return *a.graph;
}

Graph& graph_of(Value a) { return graph_of(a, a); }

// A constant as a node of a's graph.
Value constant(Value a, double x) {
  return graph_of(a).variable(x, number_name(x));
}

}  // namespace

const char* op_name(Op op) {
  switch (op) {
    case Op::kVariable:
      return "variable";
    case Op::kAdd:
      return "add";
    case Op::kMul:
      return "mul";
    case Op::kPow:
      return "pow";
    case Op::kExp:
      return "exp";
    case Op::kLog:
      return "log";
    case Op::kTanh:
      return "tanh";
    case Op::kSigmoid:
      return "sigmoid";
    case Op::kRelu:
      return "relu";
  }
  return "?";
}

int num_inputs(Op op) {
  switch (op) {
    case Op::kVariable:
      return 0;
    case Op::kAdd:
    case Op::kMul:
      return 2;
    default:
      return 1;
  }
}

double forward_value(Op op, const std::vector<double>& x, double exponent) {
  if (static_cast<int>(x.size()) != num_inputs(op)) {
    throw std::invalid_argument(std::string("forward_value: ") + op_name(op) +
                                " takes " + std::to_string(num_inputs(op)) +
                                " inputs, got " + std::to_string(x.size()));
  }
  switch (op) {
    case Op::kVariable:
      return 0;  // a variable's value is given, not computed
    case Op::kAdd:
      return x[0] + x[1];
    case Op::kMul:
      return x[0] * x[1];
    case Op::kPow:
      return std::pow(x[0], exponent);
    case Op::kExp:
      return std::exp(x[0]);
    case Op::kLog:
      return std::log(x[0]);
    case Op::kTanh:
      return std::tanh(x[0]);
    case Op::kSigmoid:
      return 1.0 / (1.0 + std::exp(-x[0]));
    case Op::kRelu:
      return x[0] > 0 ? x[0] : 0.0;
  }
  return 0;
}

Value Graph::variable(double value, std::string name) {
  Node node;
  node.op = Op::kVariable;
  node.value = value;
  node.name = std::move(name);
  nodes_.push_back(std::move(node));
  return Value{this, size() - 1};
}

Value Graph::apply(Op op, const std::vector<Value>& inputs, double exponent) {
  if (op == Op::kVariable) {
    throw std::invalid_argument("Graph::apply: use variable() for a leaf");
  }
  Node node;
  node.op = op;
  node.exponent = exponent;
  std::vector<double> input_values;
  for (Value input : inputs) {
    if (input.graph != this) {
      throw std::invalid_argument(
          "Graph::apply: an input belongs to another graph");
    }
    node.inputs.push_back(input.id);
    input_values.push_back(this->node(input.id).value);
  }
  node.value = forward_value(op, input_values, exponent);
  nodes_.push_back(std::move(node));
  return Value{this, size() - 1};
}

Node& Graph::node(int id) {
  if (id < 0 || id >= size()) {
    throw std::out_of_range("node id " + std::to_string(id) +
                            " is not in the graph (ids 0.." +
                            std::to_string(size() - 1) + ")");
  }
  return nodes_[id];
}

const Node& Graph::node(int id) const {
  return const_cast<Graph*>(this)->node(id);
}

std::string Graph::describe(int id) const {
  const Node& n = node(id);
  auto label = [&](int i) {
    const std::string& name = node(i).name;
    return "#" + std::to_string(i) + (name.empty() ? "" : " " + name);
  };
  std::string out = label(id);
  if (n.op == Op::kVariable) return out + " = variable";
  out += std::string(" = ") + op_name(n.op) + "(";
  for (size_t i = 0; i < n.inputs.size(); ++i) {
    out += (i > 0 ? ", " : "") + label(n.inputs[i]);
  }
  if (n.op == Op::kPow) out += ", " + number_name(n.exponent);
  return out + ")";
}

std::string Graph::to_string() const {
  std::string out;
  for (int id = 0; id < size(); ++id) {
    char numbers[96];
    std::snprintf(numbers, sizeof numbers, "  value %-12.6g  grad %.6g\n",
                  nodes_[id].value, nodes_[id].grad);
    std::string line = describe(id);
    line.resize(std::max<size_t>(line.size(), 32), ' ');
    out += line + numbers;
  }
  return out;
}

double value(Value v) { return graph_of(v).node(v.id).value; }
double grad(Value v) { return graph_of(v).node(v.id).grad; }

Value named(Value v, std::string name) {
  graph_of(v).node(v.id).name = std::move(name);
  return v;
}

Value operator+(Value a, Value b) {
  return graph_of(a, b).apply(Op::kAdd, {a, b});
}
Value operator+(Value a, double b) { return a + constant(a, b); }
Value operator+(double a, Value b) { return constant(b, a) + b; }

Value operator*(Value a, Value b) {
  return graph_of(a, b).apply(Op::kMul, {a, b});
}
Value operator*(Value a, double b) { return a * constant(a, b); }
Value operator*(double a, Value b) { return constant(b, a) * b; }

Value pow(Value a, double exponent) {
  return graph_of(a).apply(Op::kPow, {a}, exponent);
}
Value exp(Value a) { return graph_of(a).apply(Op::kExp, {a}); }
Value log(Value a) { return graph_of(a).apply(Op::kLog, {a}); }
Value tanh(Value a) { return graph_of(a).apply(Op::kTanh, {a}); }
Value sigmoid(Value a) { return graph_of(a).apply(Op::kSigmoid, {a}); }
Value relu(Value a) { return graph_of(a).apply(Op::kRelu, {a}); }

Value operator-(Value a) { return a * -1.0; }
Value operator-(Value a, Value b) { return a + (-b); }
Value operator-(Value a, double b) { return a + (-b); }
Value operator-(double a, Value b) { return a + (-b); }
Value operator/(Value a, Value b) { return a * pow(b, -1); }
Value operator/(Value a, double b) { return a * (1.0 / b); }
Value operator/(double a, Value b) { return a * pow(b, -1); }

}  // namespace computation_graph
