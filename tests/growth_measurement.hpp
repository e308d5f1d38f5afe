#pragma once
// Test support: the exponential rate of one Fourier mode of p − q, measured from a grid-solver
// run on any backend by a least-squares fit of log|ŵ_k| against t over every step (the
// library's least_squares_slope, as the particle study measures its rates).
#include <cmath>
#include <string>
#include <vector>

#include "backend_cases.hpp"
#include "wgf/field_spec.hpp"
#include "wgf/least_squares.hpp"
#include "wgf/solvers/grid_flow_solver.hpp"

namespace wgf::testing {

struct MeasuredRate {
  double rate = 0;
  double final_amplitude_ratio = 0;  // |ŵ_k(t_end)| / |ŵ_k(0)|
  long steps = 0;
  bool concentrated = false;
};

// Runs from p = ρ0(1 + amp cos(ξ_k·x)), q = ρ0 until |λ| t = `e_folds` (λ the discrete rate).
template <class Backend>
MeasuredRate measure_mode_rate(const Grid& grid, Dynamics dynamics, const std::vector<long>& k,
                               double amp, double e_folds, double cfl) {
  SolverOptions options;
  options.cfl = cfl;
  options.plan_effort = PlanEffort::estimate;
  dynamics.rho0 = 1.0;
  const auto solver = make_backend_solver<Backend>(grid, dynamics, options);
  std::string wave;
  for (long kj : k) wave += (wave.empty() ? "" : ",") + std::to_string(kj);
  std::vector<double> p(grid.cells()), q(grid.cells());
  fill_field("mode:rho0=1,amp=" + std::to_string(amp) + ",k=" + wave, grid, p, "--init", "p");
  fill_field("uniform:rho0=1", grid, q, "--target", "q");
  solver->set_state(p, q);
  const int mode = solver->add_tracked_mode(k);
  const double predicted = dynamics.growth_rate_discrete(k, grid);
  const double t_end = e_folds / std::fabs(predicted);
  std::vector<double> times{0.0}, logs{std::log(solver->diagnostics().amplitudes[mode])};
  MeasuredRate measured;
  double t = 0;
  while (t < t_end * (1 - 1e-12)) {
    const StepResult r = solver->step(t_end - t);
    t += r.dt;
    ++measured.steps;
    times.push_back(t);
    logs.push_back(std::log(solver->diagnostics().amplitudes[mode]));
    if (r.concentrated) {
      measured.concentrated = true;
      break;
    }
  }
  measured.rate = least_squares_slope(times, logs);
  measured.final_amplitude_ratio = std::exp(logs.back() - logs.front());
  return measured;
}

}  // namespace wgf::testing
