// The time loop allocates nothing (docs/design.md §6: plan once, execute many). Global operator new
// is replaced in the test binary by a counting version; the count must not move across steps
// of the solver nor across the per-step diagnostics the simulate driver reads.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>

#include "backend_cases.hpp"
#include "wgf/field_spec.hpp"
#include "wgf/solvers/flow_solver.hpp"
#include "wgf/solvers/grid_flow_solver.hpp"
#include "wgf/analysis/mmd_particle_flow.hpp"
#include "wgf/solvers/mode_mass.hpp"

namespace {
std::atomic<long> g_allocations{0};
}

void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

using namespace wgf;

TEST_CASE("solver steps and per-step diagnostics allocate nothing") {
  for (Role role : {Role::generator, Role::discriminator, Role::game}) {
    const Grid grid{2, 32, 2 * M_PI};
    Dynamics dynamics{parse_kernel("gaussian:sigma=0.5"), parse_kernel("laplace:ell=0.2"), 0.5,
                      role, 0.7, 1.0};
    SolverOptions options;
    options.plan_effort = PlanEffort::estimate;
    auto solver = std::make_unique<FlowSolver>(grid, dynamics, options);
    fill_field("random:amp=0.2,seed=4", grid, solver->p(), "--init", "p");
    fill_field("uniform", grid, solver->q(), "--target", "q");
    solver->refresh();
    const auto symbol = solver->spectrum().make_symbol(dynamics.kernel);
    const long k[2] = {1, -2};
    // Warm-up: the first use of each OpenMP construct may set up the thread team once.
    double sink = solver->step(1e9).dt + solver->spectrum().energy(symbol);
    const long before = g_allocations.load();
    for (int step = 0; step < 20; ++step) {
      sink += solver->step(1e9).dt;
      sink += solver->spectrum().energy(symbol) + solver->spectrum().mode_amplitude(k);
    }
    const long allocations = g_allocations.load() - before;  // read before doctest allocates
    CAPTURE(role_name(role));
    CHECK(allocations == 0);
    CHECK(sink > 0);
  }
}

// The same through the backend interface the driver uses, on every backend: steps, the summary
// and the spectral diagnostics (a device backend's per-step transfer) allocate nothing.
TEST_CASE_TEMPLATE("grid-solver steps and diagnostics allocate nothing on any backend", Backend,
                   WGF_ALL_BACKENDS) {
  if (!testing::backend_ready<Backend>()) return;
  for (Role role : {Role::generator, Role::discriminator, Role::game}) {
    const Grid grid{2, 32, 2 * M_PI};
    Dynamics dynamics{parse_kernel("gaussian:sigma=0.5"), parse_kernel("laplace:ell=0.2"), 0.5,
                      role, 0.7, 1.0};
    SolverOptions options;
    options.plan_effort = PlanEffort::estimate;
    auto solver = testing::make_backend_solver<Backend>(grid, dynamics, options);
    std::vector<double> p(grid.cells()), q(grid.cells());
    fill_field("random:amp=0.2,seed=4", grid, p, "--init", "p");
    fill_field("uniform", grid, q, "--target", "q");
    solver->set_state(p, q);
    solver->add_energy_kernel(dynamics.kernel);
    const long k[2] = {1, -2};
    solver->add_tracked_mode(k);
    double sink = solver->step(1e9).dt + solver->diagnostics().energies[0];
    const long before = g_allocations.load();
    for (int step = 0; step < 20; ++step) {
      sink += solver->step(1e9).dt + solver->summary().mass_p;
      const SpectralDiagnostics d = solver->diagnostics();
      sink += d.energies[0] + d.amplitudes[0];
    }
    const long allocations = g_allocations.load() - before;  // read before doctest allocates
    CAPTURE(role_name(role));
    CAPTURE(Backend::name);
    CHECK(allocations == 0);
    CHECK(sink > 0);
  }
}

TEST_CASE("MMD particle flow steps (plain and noisy) and mode-mass measurements allocate nothing") {
  MmdFlowConfig config;
  config.dim = 2;
  config.particles = 50;
  config.noise = 10;
  config.noise_iterations = 3;  // steps with noise, then without
  MmdParticleFlow flow(config);
  const Grid grid{2, 16, 4.0};
  const ModeMass modes(grid, {-1.0, -1.0, 1.0, 1.0}, 0.0);
  std::vector<double> field(grid.cells(), 1.0), masses(2);
  flow.step();
  const long before = g_allocations.load();
  for (int n = 0; n < 6; ++n) {
    flow.step();
    modes.measure(field, masses);
  }
  CHECK(flow.mmd2() > 0);
  CHECK(g_allocations.load() == before);
}
