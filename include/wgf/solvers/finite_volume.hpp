#pragma once
// The finite-volume right-hand side dρ/dt = ∇·(ρ ∇Φ) of one species in a given potential, as a
// standalone evaluation: one pass of the grid solver's fused sweep (solvers/fv_sweep.hpp) with
// the rates written out. The scheme (Carrillo–Chertock–Huang, positivity preserving) is stated in
// docs/design.md §2.3 and its per-cell formulas live in solvers/fv_cell_formulas.hpp; FlowSolver
// does not go through this class (it sweeps both species and forms the SSP-RK stages in the same
// pass) — tests and benchmarks use it as the plain rate of a given ρ and Φ.
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
