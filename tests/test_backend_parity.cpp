// Every backend of the grid solver against the CPU solver itself (FlowSolver, used directly):
// the same initial state, 200 uncapped steps each, then the fields, the step sizes, the summary
// and the spectral diagnostics compared. One test body per backend (Kokkos style); CUDA cases
// are skipped, and reported skipped, without a GPU.
//
// Tolerances, relative to the largest value of the compared quantity:
//  * cpu: 0 — the backend is FlowSolver behind the interface, bit for bit.
//  * cuda fp64: 1e-10 (the bound). The CUDA solver performs the CPU solver's operations
//    in the same order (--fmad=false); cuFFT and FFTW round differently (≈1e-16 per transform)
//    and the reductions sum in another order, so the states drift apart by a few ulp per step;
//    over 200 steps of these non-concentrating flows that stays near 1e-13.
//  * cuda fp32: 1e-4. Every stored value is rounded to 2^-24 ≈ 6e-8 relative; a step rounds a
//    handful of times per cell, and these stable flows do not amplify errors, so 200 steps
//    accumulate at most ~200 · 6e-8 ≈ 1.2e-5 systematically (less as a random walk); Δt itself
//    is computed from fp32 speeds (≈1e-7 relative), which shifts the final time by as little.
//    1e-4 is that budget with a margin of eight.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "backend_cases.hpp"
#include "wgf/errors.hpp"
#include "wgf/field_spec.hpp"
#include "wgf/solvers/flow_solver.hpp"
#include "wgf/solvers/grid_flow_solver.hpp"
#include "wgf/solvers/step_control.hpp"

using namespace wgf;

namespace {

template <class Backend>
constexpr double parity_tolerance() {
  if constexpr (Backend::device == Device::cpu) return 0.0;
  return Backend::precision == Precision::fp64 ? 1e-10 : 1e-4;
}

double relative_gap(const std::vector<double>& a, const std::vector<double>& b) {
  double gap = 0, scale = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    gap = std::max(gap, std::fabs(a[i] - b[i]));
    scale = std::max(scale, std::fabs(b[i]));
  }
  return scale > 0 ? gap / scale : gap;
}
double relative_gap(double a, double b) {
  return b != 0 ? std::fabs(a - b) / std::fabs(b) : std::fabs(a);
}

struct Scenario {
  const char* name;
  Grid grid;
  const char* kernel;
  const char* stabilizer;
  double eps;
  Role role;
  const char* init;
  const char* target;
  std::vector<long> mode;
};

// Stable flows that take all 200 steps: both species moving with proportional symbols (one
// inverse transform), both moving with distinct symbols (two), and q fixed; 1D, 2D and 3D.
std::vector<Scenario> scenarios() {
  return {
      {"1D discriminator-p, stabilised", Grid{1, 128, 2 * M_PI}, "gaussian:sigma=0.5",
       "gaussian:sigma=0.25", 3.0, Role::discriminator_p, "random:rho0=1,amp=0.3,seed=11",
       "uniform:rho0=1", {3}},
      {"2D game, two inverse transforms", Grid{2, 48, 2 * M_PI}, "gaussian:sigma=0.6",
       "gaussian:sigma=0.3", 2.0, Role::game, "random:rho0=1,amp=0.3,seed=3",
       "gaussians:at=1,0,-1,0.5,sigma=0.8,floor=0.2", {2, 1}},
      {"2D discriminator, stabilised (Phi_q = -Phi_p)", Grid{2, 32, 2 * M_PI},
       "gaussian:sigma=0.5", "gaussian:sigma=0.25", 6.0, Role::discriminator,
       "random:rho0=1,amp=0.2,seed=5", "random:rho0=1,amp=0.2,seed=6", {1, 1}},
      {"3D generator, q fixed", Grid{3, 16, 2 * M_PI}, "laplace:ell=0.5", "", 0.0,
       Role::generator, "gaussians:at=-1,-1,0,sigma=0.7,floor=0.1",
       "gaussians:at=1,1,0.5,sigma=0.6,floor=0.1", {1, 0, 1}},
  };
}

Dynamics dynamics_of(const Scenario& s) {
  Dynamics d;
  d.kernel = parse_kernel(s.kernel);
  if (*s.stabilizer) d.stabilizer = parse_kernel(s.stabilizer);
  d.eps = s.eps;
  d.role = s.role;
  d.tau = 0.8;
  return d;
}

}  // namespace

TEST_CASE_TEMPLATE("after 200 steps every backend's fields equal the CPU solver's", Backend,
                   WGF_ALL_BACKENDS) {
  if (!testing::backend_ready<Backend>()) return;
  const double tolerance = parity_tolerance<Backend>();
  for (const Scenario& s : scenarios()) {
    const Grid& grid = s.grid;
    const Dynamics dynamics = dynamics_of(s);
    SolverOptions options;
    options.plan_effort = PlanEffort::estimate;
    std::vector<double> p0(grid.cells()), q0(grid.cells());
    fill_field(s.init, grid, p0, "--init", "p");
    fill_field(s.target, grid, q0, "--target", "q");

    FlowSolver reference(grid, dynamics, options);
    std::copy(p0.begin(), p0.end(), reference.p().begin());
    std::copy(q0.begin(), q0.end(), reference.q().begin());
    reference.refresh();
    const auto backend = testing::make_backend_solver<Backend>(grid, dynamics, options);
    backend->set_state(p0, q0);
    const int energy = backend->add_energy_kernel(dynamics.kernel);
    const int mode = backend->add_tracked_mode(s.mode);

    double worst_dt = 0;
    int rejections[2] = {0, 0};
    for (int step = 0; step < 200; ++step) {
      const StepResult a = reference.step(1e9);
      const StepResult b = backend->step(1e9);
      REQUIRE_FALSE(a.concentrated);
      REQUIRE_FALSE(b.concentrated);
      worst_dt = std::max(worst_dt, relative_gap(b.dt, a.dt));
      rejections[0] += a.rejected_attempts;
      rejections[1] += b.rejected_attempts;
    }
    std::vector<double> p(grid.cells()), q(grid.cells());
    backend->get_state(p, q);
    const std::vector<double> ref_p(reference.p().begin(), reference.p().end());
    const std::vector<double> ref_q(reference.q().begin(), reference.q().end());
    const StateSummary& got = backend->summary();
    const StateSummary& want = reference.summary();
    const SpectralDiagnostics d = backend->diagnostics();
    const double want_energy =
        reference.spectrum().energy(reference.spectrum().make_symbol(dynamics.kernel));
    const double want_amplitude = reference.spectrum().mode_amplitude(s.mode);

    CAPTURE(s.name);
    CAPTURE(Backend::name);
    CHECK(relative_gap(p, ref_p) <= tolerance);
    CHECK(relative_gap(q, ref_q) <= tolerance);
    CHECK(worst_dt <= tolerance);
    if (Backend::precision == Precision::fp64) CHECK(rejections[1] == rejections[0]);
    CHECK(relative_gap(got.mass_p, want.mass_p) <= std::max(tolerance, 1e-12));
    CHECK(relative_gap(got.mass_q, want.mass_q) <= std::max(tolerance, 1e-12));
    CHECK(relative_gap(got.max_p, want.max_p) <= tolerance);
    CHECK(relative_gap(got.min_q, want.min_q) <= tolerance);
    CHECK(relative_gap(got.max_speed, want.max_speed) <= std::max(tolerance, 1e-12));
    // Energies and amplitudes are sums over the spectrum (another summation order on a GPU) of
    // a w = p − q that cancels: 1e-9 in fp64; in fp32, w carries 6e-8 of p's size, 1e-2.
    const double spectral_tolerance = tolerance == 0 ? 0.0 : tolerance > 1e-6 ? 1e-2 : 1e-9;
    CHECK(relative_gap(d.energies[energy], want_energy) <= spectral_tolerance);
    CHECK(relative_gap(d.amplitudes[mode], want_amplitude) <= spectral_tolerance);
  }
}

TEST_CASE("the shared time-step rule reproduces FlowSolver's, bit for bit") {
  for (const Scenario& s : scenarios()) {
    const Dynamics dynamics = dynamics_of(s);
    SolverOptions options;
    options.plan_effort = PlanEffort::estimate;
    options.cfl = 0.4;
    FlowSolver solver(s.grid, dynamics, options);
    fill_field(s.init, s.grid, solver.p(), "--init", "p");
    fill_field(s.target, s.grid, solver.q(), "--target", "q");
    solver.refresh();
    for (int step = 0; step < 5; ++step) {
      const double shared = proposed_time_step(
          s.grid, solver.summary(), dynamics.moves(Species::p), dynamics.moves(Species::q),
          solver.spectrum().max_rate_per_density(), options.cfl);
      CAPTURE(s.name);
      CHECK(shared == solver.proposed_dt());
      CHECK(summary_is_finite(solver.summary()));
      solver.step(1e9);
    }
  }
}

TEST_CASE_TEMPLATE("dynamics that move neither species are refused by every backend alike", Backend,
                   WGF_ALL_BACKENDS) {
  if (!testing::backend_ready<Backend>()) return;
  // No role of the command line moves nothing; a role value outside the enumeration has no flow
  // terms (Dynamics::flow_terms), which is the case a backend must refuse rather than integrate.
  Dynamics frozen;
  frozen.kernel = parse_kernel("gaussian:sigma=0.5");
  frozen.role = static_cast<Role>(99);
  REQUIRE(frozen.flow_terms().empty());
  const Grid grid{1, 32, 2 * M_PI};
  SolverOptions options;
  options.plan_effort = PlanEffort::estimate;
  std::string message;
  try {
    (void)testing::make_backend_solver<Backend>(grid, frozen, options);
  } catch (const InputError& e) {
    message = e.what();
  }
  CAPTURE(Backend::name);
  CHECK(message == "the dynamics move neither p nor q: nothing to integrate");
}
