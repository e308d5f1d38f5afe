#pragma once
// The Hessian of the minibatch estimate E (pairwise_loss.hpp) with respect to the features,
// applied to a vector: what the tangent-kernel theory linearises (docs/design.md §7.2).
// Over the stacked features z = (f_1 … f_n, g_1 … g_m) the estimate is E = Σ_{a,b} c_ab e(s_ab),
// s_ab = |z_a − z_b|², with c = a_ff on fake pairs, a_gg on real pairs, −a_fg across (and the
// diagonal dropped for the U-statistic), so with w = de/ds and w' = d²e/ds²
//
//   ∂E/∂z_a   = 4 Σ_b c_ab w_ab (z_a − z_b),
//   (H v)_a   = 4 Σ_b c_ab [ w_ab (v_a − v_b) + 2 w'_ab ((z_a − z_b)·(v_a − v_b)) (z_a − z_b) ].
//
// Plan once: `linearise_at` evaluates c w and c w' for every ordered pair once (two full
// (n + m)² matrices in double: 256 MB at n = m = 2000, the price of an `apply` that is a
// contiguous loop with no kernel evaluation), and `apply` allocates nothing.
#include <Eigen/Core>
#include <vector>

#include "wgf/trainer/pair_kernel.hpp"
#include "wgf/trainer/pairwise_loss.hpp"

namespace wgf {

class PairwiseHessian {
public:
  using Index = Eigen::Index;

  PairwiseHessian(PairKernel kernel, Estimator estimator, Index n_fake, Index n_real, Index dim);

  // Fixes the point z = (fake, real) the Hessian is taken at.
  void linearise_at(const double* fake, const double* real);

  // out = H v for v over the stacked features ((n + m) × dim, fake rows first).
  void apply(const double* v, double* out) const;

  Index rows() const { return n_ + m_; }
  static constexpr Index kMaxDim = 64;  // feature dimensions (InputError beyond)

private:
  double coefficient(Index a, Index b) const;

  PairKernel kernel_;
  Estimator estimator_;
  Index n_, m_, dim_;
  std::vector<double> points_;           // the stacked features
  std::vector<double> slope_, curvature_;  // 4 c_ab w_ab and 8 c_ab w'_ab, row-major, zero diagonal
};

}  // namespace wgf
