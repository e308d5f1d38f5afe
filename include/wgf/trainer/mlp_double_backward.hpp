#pragma once
// Second-order passes through an Mlp, for penalties on its input gradient (WGAN-GP, the
// gradient-regularised MMD critic): the exact parameter gradient of
//
//   T(θ) = Σ_r u_r · J(x_r; θ) h_r  +  Σ_r ā_r · net(x_r; θ)
//
// with the inputs x_r, the input directions h_r, the output cotangents u_r and the output
// adjoints ā_r held fixed, J = ∂net/∂x. Why this T: a penalty c(g_r) of the input gradient
// g_r = J_rᵀ u_r has ∂/∂θ Σ_r c(g_r) = ∂/∂θ Σ_r u_r · J_r h_r at h_r = ∂c/∂g_r (Pearlmutter's
// trick), and ā carries whatever else depends on the outputs (the loss itself, or a penalty
// whose u_r moves with the outputs). So a penalty's gradient is one forward, one ordinary
// backward for g, one forward tangent pass along h (ż_l = ȧ_{l−1} W_l, ȧ_l = f'(z_l) ż_l), and
// the reverse of both forwards together:
//
//   τ_l = f'(z_l) ⊙ ∂T/∂ȧ_l,   δ_l = f'(z_l) ⊙ ∂T/∂a_l + f''(z_l) ⊙ ż_l ⊙ ∂T/∂ȧ_l,
//   ∂T/∂W_l = a_{l−1}ᵀ δ_l + ȧ_{l−1}ᵀ τ_l,  ∂T/∂b_l = Σ_rows δ_l,
//   ∂T/∂ȧ_{l−1} = τ_l W_lᵀ,  ∂T/∂a_{l−1} = δ_l W_lᵀ.
//
// Planned once for a network shape and a largest batch; the passes allocate nothing. They read
// the activations of the Mlp's last forward, so they run right after it (an ordinary backward
// in between is fine: it leaves the forward's activations alone).
#include <vector>

#include "wgf/trainer/mlp.hpp"

namespace wgf {

template <typename Scalar>
class MlpDoubleBackward {
public:
  using Matrix = typename Mlp<Scalar>::Matrix;
  using Index = Eigen::Index;

  MlpDoubleBackward(const MlpShape& shape, Index max_rows);

  // Forward tangent along `direction` (rows × inputs) at the last forward's inputs: returns
  // J h (rows × outputs), valid until the next call.
  const Scalar* tangent(const Mlp<Scalar>& net, const Scalar* parameters, const Scalar* direction,
                        Index rows);

  // Overwrites `parameter_grad` with ∂T/∂θ for the last tangent's direction (see above).
  // `output_adjoint` (ā) may be null.
  void reverse(const Mlp<Scalar>& net, const Scalar* parameters, const Scalar* tangent_cotangent,
               const Scalar* output_adjoint, Index rows, Scalar* parameter_grad);

private:
  MlpShape shape_;
  Index max_rows_, tangent_rows_ = 0;
  Matrix direction_;
  std::vector<Matrix> tangent_pre_, tangent_post_;  // per layer: ż_l and ȧ_l
  Matrix tau_, delta_, tau_next_, delta_next_, curvature_;
};

extern template class MlpDoubleBackward<float>;
extern template class MlpDoubleBackward<double>;

}  // namespace wgf
