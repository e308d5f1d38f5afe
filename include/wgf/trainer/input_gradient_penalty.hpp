#pragma once
// Penalties on a critic network's input gradient, with their exact parameter gradients by double
// backpropagation (mlp_double_backward.hpp), for the two critics of critic_flow_backend.hpp:
//
//   GradientNormPenalty (WGAN-GP, Gulrajani et al. 2017), for a scalar critic ψ = net:
//     P = (1/R) Σ_r (‖∇_x ψ(x_r)‖ − 1)²  over R rows of the last forward (the interpolates);
//
//   WitnessGradientPenalty (gradient-regularised MMD critic, Mroueh & Nguyen 2020), for a
//   feature map D = net and a kernel k: with the minibatch witness function
//     f(x) = (1/n) Σ_{j fake} k(D(x), D(x_j)) − (1/m) Σ_{j real} k(D(x), D(x_j))
//   (δE/δp = 2 f in docs/design.md §1's convention), P = (1/R) Σ_r ‖∇_x f(x_r)‖² over all R = n + m
//   rows (the fake rows first, then the real ones: the mixture of both distributions). Its
//   gradient follows θ through D(x_r) and through the witness's centres D(x_j), which needs
//   the kernel's second derivative (PairKernel::slopes_and_curvatures).
//
// Both are used right after the caller's own net.forward over the rows (the caller computes its
// loss from that forward): evaluate() returns P and overwrites `parameter_grad` with
//   weight · ∂P/∂θ + ∂/∂θ Σ ā · net(x)
// where ā (`output_adjoint`, rows × outputs, may be null) is the caller's loss gradient with
// respect to the outputs, so loss and penalty share one reverse pass. Planned once; evaluate()
// allocates nothing.
#include <vector>

#include "wgf/trainer/mlp.hpp"
#include "wgf/trainer/mlp_double_backward.hpp"
#include "wgf/trainer/pair_kernel.hpp"

namespace wgf {

template <typename Scalar>
class GradientNormPenalty {
public:
  using Matrix = typename Mlp<Scalar>::Matrix;
  using Index = Eigen::Index;

  GradientNormPenalty(const MlpShape& shape, Index max_rows);

  // Penalises rows [first, first + count) of the last forward; ā covers all forwarded rows.
  double evaluate(Mlp<Scalar>& net, const Scalar* parameters, Index first, Index count,
                  double weight, const Scalar* output_adjoint, Scalar* parameter_grad);

private:
  MlpDoubleBackward<Scalar> second_order_;
  Matrix ones_, input_grad_, direction_;
};

template <typename Scalar>
class WitnessGradientPenalty {
public:
  using Matrix = typename Mlp<Scalar>::Matrix;
  using Index = Eigen::Index;

  WitnessGradientPenalty(const MlpShape& shape, PairKernel kernel, Index n_fake, Index n_real);

  // The last forward was over n_fake + n_real rows, fake first.
  double evaluate(Mlp<Scalar>& net, const Scalar* parameters, double weight,
                  const Scalar* output_adjoint, Scalar* parameter_grad);

  // ∇_x f at the last evaluate's rows (R × inputs), for tests.
  const Scalar* witness_input_gradient() const { return input_grad_.data(); }

private:
  MlpDoubleBackward<Scalar> second_order_;
  PairKernel kernel_;
  Index n_, m_, rows_;
  Eigen::Array<Scalar, Eigen::Dynamic, 1> centre_weight_;  // 1/n on fake centres, −1/m on real
  Matrix slope_, curvature_, pairs_;  // R × R: e'(s_rj) c_j, e''(s_rj), then M_rj
  Matrix witness_grad_, input_grad_, direction_, feature_adjoint_;
  Eigen::Matrix<Scalar, Eigen::Dynamic, 1> norms_, row_sums_, col_sums_, projections_;
};

extern template class GradientNormPenalty<float>;
extern template class GradientNormPenalty<double>;
extern template class WitnessGradientPenalty<float>;
extern template class WitnessGradientPenalty<double>;

}  // namespace wgf
