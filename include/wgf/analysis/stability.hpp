#pragma once
// Stability of one setting of the dynamics (docs/design.md §1): the growth rate λ(ξ) on a sample of
// wavenumbers, its maximum refined beyond the samples, the unstable bands, and the critical
// ε* — the smallest ε ≥ 0 with λ(ξ; ε) ≤ 0 at every ξ > 0 — with the reason when none exists.
// Everything is computed from the shared Dynamics, never from a second copy of the formulas.
#include <span>
#include <string>
#include <vector>

#include "wgf/dynamics.hpp"

namespace wgf {

struct UnstableBand {
  double lo = 0, hi = 0;  // λ > 0 on (lo, hi); lo = 0 / hi = xi_max when the band touches an end
};

struct CriticalEps {
  double value = 0;     // +∞ when no ε suffices
  double at_xi = 0;     // where sup ê/ŝ (in the role's form a/b) is attained, when finite
  std::string reason;   // why ε* is infinite (empty otherwise)
  bool infinite() const;
};

struct StabilitySummary {
  double max_growth = 0;
  double argmax_xi = 0;
  std::vector<UnstableBand> bands;
  CriticalEps critical;
};

// ξ_i = xi_max · i / n, i = 1 … n (ξ = 0 carries no mass and is left out).
std::vector<double> linear_xi_samples(double xi_max, int n);

// ε* over all ξ > 0: scans 12 decades around the kernel scales, refines the supremum with
// Brent's method, and classifies divergence at small or large ξ from the trend at the ends.
CriticalEps critical_eps(const Dynamics& dynamics, int dim);

StabilitySummary summarize_stability(const Dynamics& dynamics, int dim,
                                     std::span<const double> xi);

}  // namespace wgf
