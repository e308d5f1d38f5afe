#pragma once
// The positivity-preserving finite-volume right-hand side of Carrillo–Chertock–Huang (2015) for
// ∂t ρ = ∇·(ρ ∇Φ), dimension by dimension on the periodic grid:
//   u_{i+½} = −(Φ_{i+1} − Φ_i)/h,   F_{i+½} = max(u,0) ρ^E_i + min(u,0) ρ^W_{i+1},
//   dρ_i/dt = −Σ_axes (F_{i+½} − F_{i−½})/h,
// with ρ^{E,W}_i = ρ_i ± ½ minmod(ρ_{i+1} − ρ_i, ρ_i − ρ_{i−1}), which are ≥ 0 whenever ρ ≥ 0.
// The signs and rates σ τ of the flow are folded into Φ by the spectral potential.
#include <cstddef>

#include "wgf/grid.hpp"

namespace wgf {

class FiniteVolumeFlux {
public:
  explicit FiniteVolumeFlux(const Grid& grid) : grid_(grid) {}

  // rate = dρ/dt for density `rho` in potential `phi`. Returns max |u| over all interfaces,
  // which bounds the positivity-preserving time step h/(2 d max|u|). Allocates nothing.
  double evaluate(const double* rho, const double* phi, double* rate) const;

private:
  Grid grid_;
};

}  // namespace wgf
