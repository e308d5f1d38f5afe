#pragma once
// Test support: the exponential rate of one Fourier mode of p − q, measured from a FlowSolver run
// by a least-squares fit of log|ŵ_k| against t over every step.
#include <cmath>
#include <vector>

#include "wgf/field_spec.hpp"
#include "wgf/flow_solver.hpp"

namespace wgf::testing {

struct MeasuredRate {
  double rate = 0;
  double final_amplitude_ratio = 0;  // |ŵ_k(t_end)| / |ŵ_k(0)|
  long steps = 0;
  bool concentrated = false;
};

// Least-squares slope of y against x.
inline double fitted_slope(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sx += x[i];
    sy += y[i];
    sxx += x[i] * x[i];
    sxy += x[i] * y[i];
  }
  return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

// Runs from p = ρ0(1 + amp cos(ξ_k·x)), q = ρ0 until |λ| t = `e_folds` (λ the discrete rate).
inline MeasuredRate measure_mode_rate(const Grid& grid, Dynamics dynamics,
                                      const std::vector<long>& k, double amp, double e_folds,
                                      double cfl) {
  SolverOptions options;
  options.cfl = cfl;
  options.plan_effort = PlanEffort::estimate;
  dynamics.rho0 = 1.0;
  FlowSolver solver(grid, dynamics, options);
  std::string wave;
  for (long kj : k) wave += (wave.empty() ? "" : ",") + std::to_string(kj);
  fill_field("mode:rho0=1,amp=" + std::to_string(amp) + ",k=" + wave, grid, solver.p(), "--init",
             "p");
  fill_field("uniform:rho0=1", grid, solver.q(), "--target", "q");
  solver.refresh();
  const double predicted = dynamics.growth_rate_discrete(k, grid);
  const double t_end = e_folds / std::fabs(predicted);
  std::vector<double> times{0.0}, logs{std::log(solver.spectrum().mode_amplitude(k))};
  MeasuredRate measured;
  double t = 0;
  while (t < t_end * (1 - 1e-12)) {
    const StepResult r = solver.step(t_end - t);
    t += r.dt;
    ++measured.steps;
    times.push_back(t);
    logs.push_back(std::log(solver.spectrum().mode_amplitude(k)));
    if (r.concentrated) {
      measured.concentrated = true;
      break;
    }
  }
  measured.rate = fitted_slope(times, logs);
  measured.final_amplitude_ratio = std::exp(logs.back() - logs.front());
  return measured;
}

}  // namespace wgf::testing
