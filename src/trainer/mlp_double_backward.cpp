#include "wgf/trainer/mlp_double_backward.hpp"

#include <algorithm>
#include <stdexcept>

namespace wgf {

template <typename Scalar>
MlpDoubleBackward<Scalar>::MlpDoubleBackward(const MlpShape& shape, Index max_rows)
    : shape_(shape), max_rows_(max_rows) {
  direction_.resize(max_rows_, shape_.inputs);
  for (int l = 0; l < shape_.layers(); ++l) {
    tangent_pre_.emplace_back(max_rows_, shape_.fan_out(l));
    tangent_post_.emplace_back(max_rows_, shape_.fan_out(l));
  }
  for (Matrix* m : {&tau_, &delta_, &tau_next_, &delta_next_, &curvature_})
    m->resize(max_rows_, shape_.widest());
}

template <typename Scalar>
const Scalar* MlpDoubleBackward<Scalar>::tangent(const Mlp<Scalar>& net, const Scalar* parameters,
                                                 const Scalar* direction, Index rows) {
  using ConstMap = Eigen::Map<const Matrix>;
  using Map = Eigen::Map<Matrix>;
  if (rows > max_rows_ || rows > net.forwarded_rows())
    throw std::logic_error("MlpDoubleBackward::tangent: more rows than planned or forwarded");
  tangent_rows_ = rows;
  std::copy(direction, direction + rows * shape_.inputs, direction_.data());
  const Scalar* previous = direction_.data();
  for (int l = 0; l < shape_.layers(); ++l) {
    const Index in = shape_.fan_in(l), out = shape_.fan_out(l);
    // The bias does not move with the input: ż_l = ȧ_{l−1} W_l.
    Map z_dot(tangent_pre_[l].data(), rows, out);
    z_dot.noalias() = ConstMap(previous, rows, in) * ConstMap(parameters + shape_.weight_offset(l), in, out);
    Map a_dot(tangent_post_[l].data(), rows, out);
    a_dot = z_dot;
    activation_backward(shape_.activation_of(l), net.pre_activation(l), net.activation(l),
                        a_dot.data(), rows * out);
    previous = a_dot.data();
  }
  return previous;
}

template <typename Scalar>
void MlpDoubleBackward<Scalar>::reverse(const Mlp<Scalar>& net, const Scalar* parameters,
                                        const Scalar* tangent_cotangent,
                                        const Scalar* output_adjoint, Index rows,
                                        Scalar* parameter_grad) {
  using ConstMap = Eigen::Map<const Matrix>;
  using Map = Eigen::Map<Matrix>;
  using RowVector = Eigen::Map<Eigen::Matrix<Scalar, 1, Eigen::Dynamic>>;
  if (rows != tangent_rows_)
    throw std::logic_error("MlpDoubleBackward::reverse: rows differ from the last tangent");
  const int last = shape_.layers() - 1;
  // At the output: ∂T/∂ȧ_L = u and ∂T/∂a_L = ā, held in tau_ and delta_ before the activation.
  const Index outputs = shape_.outputs;
  Map(tau_.data(), rows, outputs) = ConstMap(tangent_cotangent, rows, outputs);
  if (output_adjoint)
    Map(delta_.data(), rows, outputs) = ConstMap(output_adjoint, rows, outputs);
  else
    Map(delta_.data(), rows, outputs).setZero();
  for (int l = last; l >= 0; --l) {
    const Index in = shape_.fan_in(l), out = shape_.fan_out(l), n = rows * out;
    const Activation& f = shape_.activation_of(l);
    const Scalar* z = net.pre_activation(l);
    const Scalar* a = net.activation(l);
    // δ_l = f' ⊙ ∂T/∂a_l + f'' ⊙ ż_l ⊙ ∂T/∂ȧ_l (the curvature term first, from the unscaled τ).
    Map curvature(curvature_.data(), rows, out);
    curvature = ConstMap(tangent_pre_[l].data(), rows, out).cwiseProduct(ConstMap(tau_.data(), rows, out));
    activation_second_backward(f, z, a, curvature.data(), n);
    activation_backward(f, z, a, delta_.data(), n);
    Map(delta_.data(), rows, out) += curvature;
    activation_backward(f, z, a, tau_.data(), n);

    ConstMap delta(delta_.data(), rows, out), tau(tau_.data(), rows, out);
    const Scalar* x = l == 0 ? net.forwarded_input() : net.activation(l - 1);
    const Scalar* x_dot = l == 0 ? direction_.data() : tangent_post_[l - 1].data();
    Map dw(parameter_grad + shape_.weight_offset(l), in, out);
    dw.noalias() = ConstMap(x, rows, in).transpose() * delta;
    dw.noalias() += ConstMap(x_dot, rows, in).transpose() * tau;
    RowVector(parameter_grad + shape_.bias_offset(l), out).noalias() = delta.colwise().sum();
    if (l == 0) break;
    ConstMap w(parameters + shape_.weight_offset(l), in, out);
    Map(delta_next_.data(), rows, in).noalias() = delta * w.transpose();
    Map(tau_next_.data(), rows, in).noalias() = tau * w.transpose();
    std::swap(delta_, delta_next_);
    std::swap(tau_, tau_next_);
  }
}

template class MlpDoubleBackward<float>;
template class MlpDoubleBackward<double>;

}  // namespace wgf
