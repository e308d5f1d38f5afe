#include "wgf/trainer/input_gradient_penalty.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace wgf {

template <typename Scalar>
GradientNormPenalty<Scalar>::GradientNormPenalty(const MlpShape& shape, Index max_rows)
    : second_order_(shape, max_rows) {
  if (shape.outputs != 1) throw std::logic_error("GradientNormPenalty: the critic must be scalar");
  ones_ = Matrix::Ones(max_rows, 1);
  input_grad_.resize(max_rows, shape.inputs);
  direction_.resize(max_rows, shape.inputs);
}

template <typename Scalar>
double GradientNormPenalty<Scalar>::evaluate(Mlp<Scalar>& net, const Scalar* parameters,
                                             Index first, Index count, double weight,
                                             const Scalar* output_adjoint, Scalar* parameter_grad) {
  const Index rows = net.forwarded_rows(), dx = net.shape().inputs;
  if (first < 0 || first + count > rows || count < 1)
    throw std::logic_error("GradientNormPenalty: penalised rows outside the forward");
  // g_r = ∇_x ψ(x_r): the ordinary backward of the cotangent 1.
  net.backward(parameters, ones_.data(), rows, nullptr, input_grad_.data());
  // h_r = weight · ∂P/∂g_r = weight · (2/R)(‖g‖ − 1) g/‖g‖ on the penalised rows, 0 elsewhere.
  direction_.topRows(rows).setZero();
  double penalty = 0;
  for (Index r = first; r < first + count; ++r) {
    const auto g = input_grad_.row(r).head(dx);
    const double norm = std::sqrt(static_cast<double>(g.squaredNorm()));
    penalty += (norm - 1) * (norm - 1);
    // At g = 0 the direction of ‖g‖ is undefined; any unit vector is a subgradient, 0 is the
    // limit of none, so such a row simply pulls nowhere.
    const double scale = norm > 0 ? weight * 2.0 / count * (norm - 1) / norm : 0.0;
    direction_.row(r).head(dx) = static_cast<Scalar>(scale) * g;
  }
  second_order_.tangent(net, parameters, direction_.data(), rows);
  second_order_.reverse(net, parameters, ones_.data(), output_adjoint, rows, parameter_grad);
  return penalty / count;
}

template <typename Scalar>
WitnessGradientPenalty<Scalar>::WitnessGradientPenalty(const MlpShape& shape, PairKernel kernel,
                                                       Index n_fake, Index n_real)
    : second_order_(shape, n_fake + n_real),
      kernel_(std::move(kernel)),
      n_(n_fake),
      m_(n_real),
      rows_(n_fake + n_real) {
  centre_weight_.resize(rows_);
  centre_weight_.head(n_).setConstant(Scalar(1) / static_cast<Scalar>(n_));
  centre_weight_.tail(m_).setConstant(Scalar(-1) / static_cast<Scalar>(m_));
  for (Matrix* m : {&slope_, &curvature_, &pairs_}) m->resize(rows_, rows_);
  witness_grad_.resize(rows_, shape.outputs);
  feature_adjoint_.resize(rows_, shape.outputs);
  input_grad_.resize(rows_, shape.inputs);
  direction_.resize(rows_, shape.inputs);
  for (auto* v : {&norms_, &row_sums_, &col_sums_, &projections_}) v->resize(rows_);
}

template <typename Scalar>
double WitnessGradientPenalty<Scalar>::evaluate(Mlp<Scalar>& net, const Scalar* parameters,
                                                double weight, const Scalar* output_adjoint,
                                                Scalar* parameter_grad) {
  using ConstMap = Eigen::Map<const Matrix>;
  if (net.forwarded_rows() != rows_)
    throw std::logic_error("WitnessGradientPenalty: the last forward was not over n + m rows");
  const Index df = net.shape().outputs;
  ConstMap features(net.activation(net.shape().layers() - 1), rows_, df);

  // s_rj = |F_r − F_j|² (clamped: the expanded form may round below 0 on the diagonal), then
  // e'(s) and e''(s) in place.
  norms_ = features.rowwise().squaredNorm();
  slope_.noalias() = features * features.transpose();
  slope_ = ((Scalar(-2) * slope_).colwise() + norms_).rowwise() + norms_.transpose();
  slope_ = slope_.cwiseMax(Scalar(0));
  kernel_.slopes_and_curvatures(slope_.data(), rows_ * rows_, slope_.data(), curvature_.data());
  slope_ = slope_.array().rowwise() * centre_weight_.transpose();  // A_rj = c_j e'(s_rj)

  // u_r = ∇f in feature space = Σ_j 2 A_rj (F_r − F_j).
  row_sums_ = slope_.rowwise().sum();
  witness_grad_.noalias() = Scalar(-2) * slope_ * features;
  witness_grad_ += Scalar(2) * (features.array().colwise() * row_sums_.array()).matrix();

  // g_r = ∇_x f(x_r) = J_rᵀ u_r;  P = (1/R) Σ ‖g_r‖²;  h = weight · ∂P/∂g = weight · 2g/R.
  net.backward(parameters, witness_grad_.data(), rows_, nullptr, input_grad_.data());
  const double penalty = static_cast<double>(input_grad_.squaredNorm()) / rows_;
  direction_ = static_cast<Scalar>(weight * 2.0 / rows_) * input_grad_;
  // ū_r = J_r h_r = ∂(weight · P)/∂u_r.
  ConstMap u_bar(second_order_.tangent(net, parameters, direction_.data(), rows_), rows_, df);

  // Through u's dependence on the features: with d_rj = F_r − F_j, each pair contributes
  // t_rj = 2 A_rj ū_r + 4 M_rj d_rj, M_rj = c_j e''(s_rj) (ū_r · d_rj), to ∂/∂F_r and −t_rj
  // to ∂/∂F_j.
  projections_ = (u_bar.cwiseProduct(features)).rowwise().sum();
  pairs_.noalias() = u_bar * features.transpose();
  pairs_ = (((-pairs_).colwise() + projections_).array() * curvature_.array()).rowwise() *
           centre_weight_.transpose();
  col_sums_.noalias() = pairs_.colwise().sum().transpose();
  projections_ = pairs_.rowwise().sum();  // (ū · F_r no longer needed)
  feature_adjoint_.noalias() = Scalar(-4) * pairs_ * features;
  feature_adjoint_.noalias() -= Scalar(2) * slope_.transpose() * u_bar;
  feature_adjoint_.noalias() -= Scalar(4) * pairs_.transpose() * features;
  feature_adjoint_.array() += Scalar(2) * (u_bar.array().colwise() * row_sums_.array());
  projections_ += col_sums_;  // summed first: a broadcast expression would be a temporary
  feature_adjoint_.array() += Scalar(4) * (features.array().colwise() * projections_.array());
  if (output_adjoint) feature_adjoint_ += ConstMap(output_adjoint, rows_, df);
  second_order_.reverse(net, parameters, witness_grad_.data(), feature_adjoint_.data(), rows_,
                        parameter_grad);
  return penalty;
}

template class GradientNormPenalty<float>;
template class GradientNormPenalty<double>;
template class WitnessGradientPenalty<float>;
template class WitnessGradientPenalty<double>;

}  // namespace wgf
