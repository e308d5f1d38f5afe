#pragma once
// The grid solver's time-step rule (docs/design.md §2.4) as free functions, the one copy every
// backend takes its decisions from: FlowSolver (solvers/flow_solver.cpp) and the CUDA solver
// (solvers/cuda/cuda_flow_solver.cu) call them in proposed_dt() and step(), so both decide the
// same from the same numbers; test_backend_parity.cpp checks proposed_dt() against them.
#include <algorithm>
#include <cmath>
#include <limits>

#include "wgf/solvers/flow_solver.hpp"
#include "wgf/grid.hpp"

namespace wgf {

// The forward-Euler positivity bound h/(2 d max|u|) of one stage (∞ at rest).
inline double positivity_time_step(const Grid& grid, double max_speed) {
  return max_speed > 0 ? grid.h() / (2.0 * grid.dim * max_speed)
                       : std::numeric_limits<double>::infinity();
}

// cfl · min(positivity bound, 1/(ρ_max Λ_h)) with ρ_max over the moving species.
inline double proposed_time_step(const Grid& grid, const StateSummary& summary, bool moves_p,
                                 bool moves_q, double max_rate_per_density, double cfl) {
  const double positivity = positivity_time_step(grid, summary.max_speed);
  double rho_max = 0;
  if (moves_p) rho_max = std::max(rho_max, summary.max_p);
  if (moves_q) rho_max = std::max(rho_max, summary.max_q);
  const double linear_rate = rho_max * max_rate_per_density;
  const double linear = linear_rate > 0 ? 1.0 / linear_rate : std::numeric_limits<double>::infinity();
  return cfl * std::min(positivity, linear);
}

// A later SSP-RK stage rejects the attempt when Δt exceeds its own positivity bound (its
// forward-Euler substep would break ρ ≥ 0); the step is retried from uⁿ with cfl times that bound.
inline bool stage_rejects(double dt, double stage_limit) { return dt > stage_limit; }

// --dt-min judges the step the flow allows (the proposal, or a retry after a rejected stage),
// never the one a write time or t_end cuts short: the remainder before a write is no sign of
// concentration. `attempt` 0 is the proposal, later ones the retries.
inline double step_judged_by_dt_min(int attempt, double proposed, double dt) {
  return attempt == 0 ? proposed : dt;
}
inline bool below_dt_min(double dt_min, double judged_step) {
  return dt_min > 0 && judged_step < dt_min;
}
inline double retry_time_step(double cfl, double stage_limit) { return cfl * stage_limit; }

// A state whose totals or extremes are not finite is never handed on (the step is undone).
inline bool summary_is_finite(const StateSummary& s) {
  return std::isfinite(s.mass_p) && std::isfinite(s.mass_q) && std::isfinite(s.max_p) &&
         std::isfinite(s.max_q) && std::isfinite(s.max_speed);
}

// The reasons a step stops as concentrated, word for word the same on every backend.
namespace stop_reason {
inline constexpr const char* no_time_step = "no admissible time step";
inline constexpr const char* below_dt_min = "time step below --dt-min";
inline constexpr const char* non_finite = "non-finite values after a step (blow-up)";
}  // namespace stop_reason

}  // namespace wgf
