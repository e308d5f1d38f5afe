#pragma once
// Stability maps: maximum growth and most unstable ξ over (parameter × ε), and ε*(parameter).
// Each parameter value gets its own dynamics (kernel, stabiliser, role …) from a factory; the
// map over ε is read off the upper envelope of the lines λ(ξ_i; ε) = a_i − ε b_i.
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "wgf/dynamics.hpp"
#include "wgf/analysis/stability.hpp"

namespace wgf {

using DynamicsFactory = std::function<Dynamics(double parameter)>;

struct StabilityMap {
  std::vector<double> param, eps;
  std::vector<double> max_growth;        // param-major: [p * n_eps + e]
  std::vector<double> most_unstable_xi;  // the ξ sample attaining it
  std::vector<CriticalEps> critical;     // per parameter value, over all ξ > 0
};

// Throws InputError (Dynamics::check_finite_rates) when a parameter value's coefficients a, b
// overflow double precision at a sampled ξ.
StabilityMap compute_stability_map(const DynamicsFactory& factory, int dim,
                                   const std::vector<double>& param, const std::vector<double>& eps,
                                   std::span<const double> xi, bool with_critical_eps = true);

// The same by direct evaluation at every (parameter, ε, ξ): the reference the envelope is
// tested and benchmarked against.
StabilityMap brute_force_stability_map(const DynamicsFactory& factory, int dim,
                                       const std::vector<double>& param,
                                       const std::vector<double>& eps, std::span<const double> xi);

// `A:B:K[:log]` → K values from A to B (inclusive), evenly or geometrically spaced.
std::vector<double> parse_range(const std::string& text, const std::string& option);

}  // namespace wgf
