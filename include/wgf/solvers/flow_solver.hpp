#pragma once
// The grid solver: SSP-RK3 in time over the finite-volume right-hand side, potentials from the
// spectral module of the dynamics. Built once per grid, stepped many times without allocation.
//
// Time step (the shared rule of step_control.hpp, docs/design.md §2.4).
// Δt = min(cfl · h/(2 d max|u|), cfl / (ρ_max Λ_h), cap), where the first bound keeps
// every forward-Euler stage positivity-preserving and the second keeps the linearised scheme
// stable and accurate (Λ_h = max_k |λ_h(k)|/ρ0; tiny perturbations have tiny u, so the CFL
// bound alone would allow steps far beyond the linear time scale). Later RK stages recheck the
// positivity bound with their own velocities and the step is retried with a smaller Δt if any
// stage would violate it, so ρ ≥ 0 holds at every stage, not only on average.
#include <span>
#include <string>
#include <vector>

#include "wgf/solvers/concentration.hpp"
#include "wgf/solvers/density_totals.hpp"
#include "wgf/dynamics.hpp"
#include "wgf/solvers/field_buffer.hpp"
#include "wgf/grid.hpp"
#include "wgf/solvers/spectral_potential.hpp"

namespace wgf {

struct SolverOptions {
  double cfl = 0.5;                  // safety factor on both time-step bounds, in (0, 1]
  double concentration_mass = 0.25;  // stop when a 2^d block holds this fraction of a mass
  // Stop when the densest 2^d block holds this fraction of its 4^d neighbourhood (an unresolved
  // clump, ConcentrationDetector); > 1 turns this sign off.
  double unresolved_ratio = 0.9;
  double dt_min = 0;                 // stop as concentrated when Δt falls below this
  PlanEffort plan_effort = PlanEffort::measure;
};

// Totals and extremes of the current state, over one pass of the fields.
struct StateSummary {
  double mass_p = 0, mass_q = 0;
  double min_p = 0, max_p = 0, min_q = 0, max_q = 0;
  double max_speed = 0;  // max |u| over all interfaces and moving species
};

struct StepResult {
  double dt = 0;
  int rejected_attempts = 0;
  bool concentrated = false;
  std::string reason;  // why it stopped as concentrated
};

class FlowSolver {
public:
  FlowSolver(const Grid& grid, const Dynamics& dynamics, const SolverOptions& options);

  const Grid& grid() const { return grid_; }
  // The state; after writing it through these views call refresh().
  std::span<double> p() { return p_; }
  std::span<double> q() { return q_; }
  std::span<const double> p() const { return p_; }
  std::span<const double> q() const { return q_; }

  // Evaluates potentials, rates and the summary of the current state.
  void refresh();
  // One SSP-RK3 step with Δt ≤ dt_cap; the state is refreshed at the end, so summary() and the
  // spectral quantities describe the new state.
  StepResult step(double dt_cap);
  // The time step the next step() would try before any stage rejection.
  double proposed_dt() const;

  const StateSummary& summary() const { return summary_; }
  const SpectralPotential& spectrum() const { return potential_; }
  SpectralPotential& spectrum() { return potential_; }
  const SolverOptions& options() const { return options_; }

private:
  struct Stage;  // an SSP-RK combination formed inside the finite-volume sweep
  // Φ of the state (p, q), whose w = p − q must already be in the potential's input (or, when
  // w_transformed_, already handed to it slab by slab), then one fused finite-volume sweep over
  // the moving species: without a stage it stores L(p, q) in rate_p0_, rate_q0_; with one it
  // writes that stage's combination and the next w instead. Returns max|u|.
  double sweep(const double* p, const double* q, const Stage* stage);
  // Whether stages hand w to the potential slab by slab (d ≥ 2 and a buffer for every thread).
  bool w_by_slabs() const;
  void summarise();
  // The steps of step(): u1 and its w; the attempt's three stages at dt (false when stage 2 or 3
  // rejects dt, with the positivity bound it broke); taking the new state and its summary;
  // going back to u^n; the concentration detector's verdict on the new state (null: none).
  void form_first_stage(double dt);
  bool run_stages(double dt, double& violated_limit);
  void accept_stages();
  void restore_previous_state();
  const char* concentration();

  Grid grid_;
  SolverOptions options_;
  SpectralPotential potential_;
  ConcentrationDetector detector_;
  bool moves_p_, moves_q_;
  FieldBuffer p_, q_;              // current state u^n (and u^{n+1} after a step)
  FieldBuffer p1_, q1_;            // stage u1, then u^{n+1} until it replaces u^n
  FieldBuffer p2_, q2_;            // stage u2
  FieldBuffer rate_p0_, rate_q0_;  // L(u^n)
  std::vector<DensityTotals> thread_totals_;  // gathered by the state's sweep, one per thread
  bool w_transformed_ = false;  // the next w has been handed over slab by slab
  StateSummary summary_;
};

}  // namespace wgf
