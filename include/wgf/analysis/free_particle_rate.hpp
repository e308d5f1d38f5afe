#pragma once
// The paper's free-particle prediction for a feature cloud (docs/design.md §7.2): the features
// move as free particles (each its own parameter), and the growth rate of w = p − q at |ξ| is
// the linearised rate of §1.2 around a uniform density ρ0,
//
//   λ_free(ξ) = C |ξ|² (ê − εŝ)(ξ),   C = 4ρ0 (both sets move: the discriminator role).
//
// The cloud is not uniform. Early on, the rotation-averaged power is the sum of local
// contributions, each growing at the rate of its local density ρ(x) and weighted by its share of
// the sampling noise (∝ ρ(x)); λ is linear in ρ0, so the rate of the sum is λ at the
// density-weighted mean density ρ_eff = ∫ ρ² dx = E_ρ[ρ]. It is estimated by the U-statistic
// of a Gaussian of width h, (N(N−1))⁻¹ Σ_{a≠b} φ_h(x_a − x_b) = ∫ ρ (φ_h * ρ) → ∫ρ² as h → 0.
#include "wgf/dynamics.hpp"

namespace wgf {

// ρ_eff of the rows (row-major, dim values per row) with a Gaussian of width `bandwidth`.
double effective_density(const double* points, long rows, int dim, double bandwidth);

// The root-mean-square distance of the rows from their mean: the cloud's scale.
double cloud_radius(const double* points, long rows, int dim);

// λ_free at |ξ| = xi for features of dimension `dim`: `dynamics` in the discriminator role with
// its ρ0 replaced by `rho_eff`.
double free_particle_rate(const Dynamics& dynamics, double rho_eff, double xi, int dim);

}  // namespace wgf
