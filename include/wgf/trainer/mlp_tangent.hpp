#pragma once
// Forward-mode derivative of an Mlp<double>: J v, the change of the outputs along a direction v
// of the parameters, at the inputs of the network's last forward pass. With the reverse mode
// (Mlp::backward, Jᵀu) it applies the empirical tangent kernel Θ = J Jᵀ to a vector without
// forming J (rows·outputs × parameters: far too large for the growth-rate batches).
//
// Tangents, layer by layer (z_l = a_{l−1} W_l + b_l, a_l = σ_l(z_l), a_{−1} = x fixed):
//   ż_l = ȧ_{l−1} W_l + a_{l−1} Ẇ_l + ḃ_l,   ȧ_l = σ_l'(z_l) ⊙ ż_l.
// Plan once: the tangent buffers are sized for the network's largest batch.
#include <Eigen/Core>

#include "wgf/trainer/mlp.hpp"

namespace wgf {

class MlpTangent {
public:
  using Matrix = Mlp<double>::Matrix;
  using Index = Eigen::Index;

  explicit MlpTangent(const MlpShape& shape, Index max_rows);

  // J v for the `rows` rows of `network`'s last forward (which must have been run with the same
  // `parameters`); writes rows × outputs values to `out`.
  void apply(const Mlp<double>& network, const double* parameters, const double* direction,
             double* out);

private:
  MlpShape shape_;
  Matrix tangent_, next_;
};

}  // namespace wgf
