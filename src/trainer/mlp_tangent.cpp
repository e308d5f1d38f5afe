#include "wgf/trainer/mlp_tangent.hpp"

#include <algorithm>

namespace wgf {

MlpTangent::MlpTangent(const MlpShape& shape, Index max_rows)
    : shape_(shape), tangent_(max_rows, shape.widest()), next_(max_rows, shape.widest()) {}

void MlpTangent::apply(const Mlp<double>& network, const double* parameters,
                       const double* direction, double* out) {
  using Map = Eigen::Map<const Matrix>;
  const Index rows = network.forwarded_rows();
  for (int l = 0; l < shape_.layers(); ++l) {
    const Index in = shape_.fan_in(l), width = shape_.fan_out(l);
    Map W(parameters + shape_.weight_offset(l), in, width);
    Map dW(direction + shape_.weight_offset(l), in, width);
    Eigen::Map<const Eigen::RowVectorXd> db(direction + shape_.bias_offset(l), width);
    const double* previous = l == 0 ? network.forwarded_input() : network.activation(l - 1);
    Map a(previous, rows, in);
    auto z_dot = next_.topLeftCorner(rows, width);
    z_dot.noalias() = a * dW;
    if (l > 0) z_dot.noalias() += tangent_.topLeftCorner(rows, in) * W;
    z_dot.rowwise() += db;
    // ȧ = σ'(z) ⊙ ż: the backward pass's pointwise rule, applied column block by block
    // (the buffers are wider than this layer).
    for (Index r = 0; r < rows; ++r)
      activation_backward(shape_.activation_of(l), network.pre_activation(l) + r * width,
                          network.activation(l) + r * width, z_dot.row(r).data(), width);
    tangent_.topLeftCorner(rows, width) = z_dot;
  }
  const Index outputs = shape_.outputs;
  Eigen::Map<Matrix>(out, rows, outputs) = tangent_.topLeftCorner(rows, outputs);
}

}  // namespace wgf
