// Invariants of the finite-volume flow (docs/design.md §2): mass to round-off, ρ ≥ 0 even through
// concentration, the generator's energy non-increasing, and concentration detected, not NaN —
// on every fp64 backend of the grid solver (CPU; CUDA, skipped without a GPU).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "backend_cases.hpp"
#include "wgf/field_spec.hpp"
#include "wgf/solvers/grid_flow_solver.hpp"

using namespace wgf;

namespace {
template <class Backend>
std::unique_ptr<GridFlowSolver> make_solver(const Grid& grid, const Dynamics& dynamics,
                                            const std::string& init, const std::string& target,
                                            double cfl = 0.5) {
  SolverOptions options;
  options.cfl = cfl;
  options.plan_effort = PlanEffort::estimate;
  auto solver = testing::make_backend_solver<Backend>(grid, dynamics, options);
  std::vector<double> p(grid.cells()), q(grid.cells());
  fill_field(init, grid, p, "--init", "p");
  fill_field(target, grid, q, "--target", "q");
  solver->set_state(p, q);
  return solver;
}
}  // namespace

TEST_CASE_TEMPLATE("mass is conserved to 1e-12 relative over 1000 steps", Backend,
                   WGF_FP64_BACKENDS) {
  if (!testing::backend_ready<Backend>()) return;
  // The flux form telescopes exactly; what remains is summation round-off, ~N^d ε_mach ≈ 1e-12
  // at worst for 4096 cells and 1000 steps accumulating.
  const Grid grid{2, 64, 2 * M_PI};
  // ε = 2 is above the game's ε* = (1 − 1/(2τ))(σ/σ_s)^d = 1.5, so nothing concentrates and
  // all 1000 steps are taken.
  Dynamics game{parse_kernel("gaussian:sigma=0.6"), parse_kernel("gaussian:sigma=0.3"), 2.0,
                Role::game, 0.8, 1.0};
  auto solver_owner = make_solver<Backend>(grid, game, "random:rho0=1,amp=0.3,seed=3",
                                  "gaussians:at=1,0,-1,0.5,sigma=0.8,floor=0.2");
  GridFlowSolver& solver = *solver_owner;
  const double mass_p = solver.summary().mass_p, mass_q = solver.summary().mass_q;
  double worst = 0;
  for (int step = 0; step < 1000; ++step) {
    const StepResult r = solver.step(1e9);
    REQUIRE_FALSE(r.concentrated);
    worst = std::max({worst, std::fabs(solver.summary().mass_p / mass_p - 1),
                      std::fabs(solver.summary().mass_q / mass_q - 1)});
  }
  CAPTURE(worst);
  CHECK(worst < 1e-12);
}

TEST_CASE_TEMPLATE("a concentrating discriminator keeps ρ ≥ 0 at every step and stops as concentrated", Backend,
                   WGF_FP64_BACKENDS) {
  if (!testing::backend_ready<Backend>()) return;
  // Ascent on the Laplace kernel's energy (attraction with a Lipschitz-singular kernel) collapses
  // p to a point in finite time; the CFL bound must keep every RK stage positive on the way.
  for (int dim : {1, 2}) {
    const Grid grid{dim, dim == 1 ? 128L : 48L, 2 * M_PI};
    Dynamics disc{parse_kernel("laplace:ell=1"), Kernel{}, 0.0, Role::discriminator_p, 1.0, 1.0};
    // One bump, so the collapse is onto a point (a plane wave would collapse onto a line).
    auto solver_owner = make_solver<Backend>(
        grid, disc, dim == 1 ? "mode:rho0=1,amp=0.5,k=1" : "gaussians:at=0.3,-0.2,sigma=1,floor=0.5",
        "uniform:rho0=1");
    GridFlowSolver& solver = *solver_owner;
    bool concentrated = false;
    double lowest = 0;
    for (int step = 0; step < 20000 && !concentrated; ++step) {
      const StepResult r = solver.step(1e9);
      concentrated = r.concentrated;
      lowest = std::min(lowest, solver.summary().min_p);  // the min over every cell of p
      REQUIRE(std::isfinite(solver.summary().max_p));
    }
    CAPTURE(dim);
    CHECK(concentrated);
    CHECK(lowest >= 0.0);
    // It did collapse: the peak is far above the mean density (1 initially).
    CHECK(solver.summary().max_p > 10.0);
  }
}

TEST_CASE_TEMPLATE("the generator's energy never increases", Backend,
                   WGF_FP64_BACKENDS) {
  if (!testing::backend_ready<Backend>()) return;
  // Semi-discretely dE/dt = −Σ h^d u F ≤ 0 because the upwind flux has the sign of u; the
  // explicit steps keep this up to round-off (1e-13 of the initial energy).
  for (const char* kernel : {"gaussian:sigma=0.5", "energy", "laplace:ell=0.4"}) {
    const Grid grid{2, 48, 2 * M_PI};
    Dynamics generator{parse_kernel(kernel), Kernel{}, 0.0, Role::generator, 1.0, 1.0};
    auto solver_owner = make_solver<Backend>(grid, generator, "gaussians:at=-1,-1,sigma=0.5,floor=0.05",
                                    "gaussians:at=1,1,1.5,-1,sigma=0.4,floor=0.05");
  GridFlowSolver& solver = *solver_owner;
    const int e = solver.add_energy_kernel(generator.kernel);
    double energy = solver.diagnostics().energies[e];
    const double initial = energy;
    CHECK(initial > 0);
    int increases = 0;
    for (int step = 0; step < 300; ++step) {
      solver.step(1e9);
      const double next = solver.diagnostics().energies[e];
      if (next > energy + 1e-13 * initial) ++increases;
      energy = next;
    }
    CAPTURE(kernel);
    CHECK(increases == 0);
    CHECK(energy < 0.9 * initial);  // and it did move
  }
}

TEST_CASE_TEMPLATE("the spectral energy equals the real-space double sum", Backend,
                   WGF_FP64_BACKENDS) {
  if (!testing::backend_ready<Backend>()) return;
  // E = ∫∫ e(x−y) w(x) w(y) with the periodised kernel; for a Gaussian much narrower than the box
  // the periodic images are negligible (e^{-(L/2σ)²/2} ≈ 1e-40) and the midpoint double sum over
  // cells converges spectrally, so the two agree to 1e-9 relative.
  const Grid grid{1, 256, 2 * M_PI};
  Dynamics generator{parse_kernel("gaussian:sigma=0.4"), Kernel{}, 0.0, Role::generator, 1.0, 1.0};
  auto solver_owner = make_solver<Backend>(grid, generator, "gaussians:at=-1,sigma=0.3,floor=0.1",
                                  "gaussians:at=0.7,sigma=0.5,floor=0.1");
  GridFlowSolver& solver = *solver_owner;
  const int e = solver.add_energy_kernel(generator.kernel);
  const double spectral = solver.diagnostics().energies[e];
  std::vector<double> p(grid.cells()), q(grid.cells());
  solver.get_state(p, q);
  double direct = 0;
  const double h = grid.h();
  for (long i = 0; i < grid.n; ++i)
    for (long j = 0; j < grid.n; ++j) {
      double r = std::fabs(grid.cell_center(i) - grid.cell_center(j));
      r = std::min(r, grid.length - r);
      direct += generator.kernel.value(r) * (p[i] - q[i]) * (p[j] - q[j]) * h * h;
    }
  CHECK(spectral == doctest::Approx(direct).epsilon(1e-9));
}
