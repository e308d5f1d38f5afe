// The optimised grid solver against the plain formulation it replaces, bit for bit:
//  - FiniteVolumeFlux (one fused row sweep over all axes) against the axis-by-axis reference
//    of docs/design.md §2 written out naively below;
//  - FlowSolver::step (stages formed inside the sweep, the inverse FFT written straight into Φ,
//    Φ_q derived on the fly, mirrored species sharing velocities) against SSP-RK3 assembled
//    from the public pieces: SpectralPotential::evaluate, FiniteVolumeFlux::evaluate and the
//    stage combinations a·u^n + b·(u + Δt L(u)).
// Each instruction-set path of the sweep the CPU supports is checked (fv::forced_isa).
#include <doctest/doctest.h>

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "wgf/solvers/finite_volume.hpp"
#include "wgf/solvers/flow_solver.hpp"
#include "wgf/kernel.hpp"
#include "wgf/solvers/spectral_potential.hpp"
#include "../solvers/fv_isa.hpp"

using namespace wgf;

namespace {

double minmod_half(double forward, double backward) {
  if (forward * backward <= 0) return 0.0;
  return 0.5 * (std::fabs(forward) < std::fabs(backward) ? forward : backward);
}

// dρ/dt axis by axis, every interface flux computed from its four neighbours with modulo
// indexing; returns max |u|.
double reference_rate(const Grid& grid, const double* rho, const double* phi, double* rate) {
  const long n = grid.n;
  const double inv_h = 1.0 / grid.h();
  const std::size_t cells = grid.cells();
  double max_speed = 0;
  long stride = static_cast<long>(cells) / n;
  for (int axis = 0; axis < grid.dim; ++axis) {
    for (std::size_t c = 0; c < cells; ++c) {
      const long i = (static_cast<long>(c) / stride) % n;
      const long base = static_cast<long>(c) - i * stride;
      auto at = [&](long k) { return base + ((k % n + n) % n) * stride; };
      auto flux = [&](long k) {  // through the interface k+½
        const double u = -(phi[at(k + 1)] - phi[at(k)]) * inv_h;
        max_speed = std::max(max_speed, std::fabs(u));
        const double a_m = rho[at(k - 1)], a = rho[at(k)], b = rho[at(k + 1)], b_p = rho[at(k + 2)];
        const double east = a + minmod_half(b - a, a - a_m);
        const double west = b - minmod_half(b_p - b, b - a);
        return u > 0 ? u * east : u * west;
      };
      const double divergence = (flux(i - 1) - flux(i)) * inv_h;
      rate[c] = axis == 0 ? divergence : rate[c] + divergence;
    }
    stride /= n;
  }
  return max_speed;
}

bool same_bits(const std::vector<double>& a, std::span<const double> b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

// The sweep paths this CPU can run, each forced in turn; automatic again afterwards.
std::vector<fv::Isa> isas() {
  std::vector<fv::Isa> list;
  for (fv::Isa isa : {fv::Isa::baseline, fv::Isa::avx2, fv::Isa::avx512})
    if (fv::cpu_supports(isa)) list.push_back(isa);
  return list;
}

const char* isa_name(fv::Isa isa) {
  switch (isa) {
    case fv::Isa::baseline: return "baseline";
    case fv::Isa::avx2: return "avx2";
    case fv::Isa::avx512: return "avx512";
    default: return "automatic";
  }
}

Dynamics dynamics_for(Role role) {
  Dynamics d;
  d.kernel = parse_kernel("gaussian:sigma=0.6");
  d.role = role;
  d.tau = 1.5;
  if (role == Role::game) {
    d.eps = 0.2;
    d.stabilizer = parse_kernel("laplace:ell=0.4");
  }
  return d;
}

}  // namespace

TEST_CASE("the fused finite-volume sweep gives the axis-by-axis rates bit for bit") {
  const int default_threads = omp_get_max_threads();
  for (fv::Isa isa : isas())
  for (int threads : {1, 2, 3}) {
    fv::forced_isa = isa;
    omp_set_num_threads(threads);
    for (int dim = 1; dim <= 3; ++dim) {
      // Small grids, and grids big enough to be split between threads (16384 cells and up).
      for (long n : {4L, 6L, 10L, 16L, dim == 1 ? 64L : dim == 2 ? 130L : 26L}) {
        const Grid grid{dim, n, 2 * M_PI};
        const std::size_t cells = grid.cells();
        std::mt19937_64 rng(static_cast<unsigned long>(100 * dim + n));
        std::uniform_real_distribution<double> noise(-1.0, 1.0);
        std::vector<double> rho(cells), phi(cells), rate(cells), expected(cells);
        for (auto& v : rho) v = std::max(0.0, 1.0 + 0.8 * noise(rng));  // zeros included
        for (auto& v : phi) v = noise(rng);
        const double speed = FiniteVolumeFlux(grid).evaluate(rho.data(), phi.data(), rate.data());
        const double expected_speed = reference_rate(grid, rho.data(), phi.data(), expected.data());
        CAPTURE(isa_name(isa));
        CAPTURE(threads);
        CAPTURE(dim);
        CAPTURE(n);
        CHECK(speed == expected_speed);
        CHECK(same_bits(expected, rate));
      }
    }
  }
  omp_set_num_threads(default_threads);
  fv::forced_isa = fv::Isa::automatic;
}

TEST_CASE("a fused solver step is the plain SSP-RK3 step bit for bit") {
  const int default_threads = omp_get_max_threads();
  struct Case {
    int dim;
    long n;
    Role role;
  };
  const Case cases[] = {{1, 32, Role::discriminator}, {2, 16, Role::discriminator},
                        {3, 8, Role::discriminator},  {2, 12, Role::generator},
                        {3, 6, Role::discriminator_p}, {2, 10, Role::game},
                        {3, 6, Role::game},           {1, 20, Role::generator},
                        {2, 128, Role::discriminator}, {3, 26, Role::game},
                        // Rows whose vector blocks leave 5, 2 or all cells to the scalar tail.
                        {2, 13, Role::discriminator}, {3, 9, Role::discriminator},
                        {2, 6, Role::discriminator},  {2, 5, Role::discriminator}};
  for (fv::Isa isa : isas())
  for (int threads : {1, 2}) {
    fv::forced_isa = isa;
    omp_set_num_threads(threads);
    for (const Case& c : cases) {
      const Grid grid{c.dim, c.n, 2 * M_PI};
      const Dynamics dynamics = dynamics_for(c.role);
      SolverOptions options;
      options.plan_effort = PlanEffort::estimate;
      FlowSolver solver(grid, dynamics, options);
      std::mt19937_64 rng(static_cast<unsigned long>(c.n));
      std::uniform_real_distribution<double> noise(-1.0, 1.0);
      for (double& v : solver.p()) v = 1.0 + 0.4 * noise(rng);
      for (double& v : solver.q()) v = 1.0 + 0.4 * noise(rng);
      solver.refresh();

      // The reference: the same plans' numbers through the public, unfused pieces.
      SpectralPotential potential(grid, dynamics, PlanEffort::estimate);
      const FiniteVolumeFlux flux(grid);
      const bool mp = dynamics.moves(Species::p), mq = dynamics.moves(Species::q);
      const std::size_t cells = grid.cells();
      std::vector<double> p(solver.p().begin(), solver.p().end());
      std::vector<double> q(solver.q().begin(), solver.q().end());
      std::vector<double> phi_p(cells), phi_q(cells), rp(cells), rq(cells);
      auto rates = [&](const std::vector<double>& sp, const std::vector<double>& sq) {
        potential.evaluate(sp.data(), sq.data(), phi_p.data(), phi_q.data());
        double speed = 0;
        if (mp) speed = std::max(speed, flux.evaluate(sp.data(), phi_p.data(), rp.data()));
        if (mq) speed = std::max(speed, flux.evaluate(sq.data(), phi_q.data(), rq.data()));
        return speed;
      };
      auto combine = [&](double a, const std::vector<double>& x, double b,
                         const std::vector<double>& y, const std::vector<double>& ry, double dt) {
        std::vector<double> out(cells);
        for (std::size_t i = 0; i < cells; ++i) out[i] = a * x[i] + b * (y[i] + dt * ry[i]);
        return out;
      };
      CAPTURE(isa_name(isa));
      CAPTURE(threads);
      CAPTURE(c.dim);
      CAPTURE(c.n);
      CAPTURE(role_name(c.role));
      for (int step = 0; step < 4; ++step) {
        const double speed0 = rates(p, q);
        CHECK(speed0 == solver.summary().max_speed);
        const double dt = 0.5 * solver.proposed_dt();  // a fixed Δt, no stage rejection
        const StepResult result = solver.step(dt);
        REQUIRE(result.dt == dt);
        REQUIRE(result.rejected_attempts == 0);
        const auto p1 = mp ? combine(0.0, p, 1.0, p, rp, dt) : p;
        const auto q1 = mq ? combine(0.0, q, 1.0, q, rq, dt) : q;
        rates(p1, q1);
        const auto p2 = mp ? combine(0.75, p, 0.25, p1, rp, dt) : p;
        const auto q2 = mq ? combine(0.75, q, 0.25, q1, rq, dt) : q;
        rates(p2, q2);
        p = mp ? combine(1.0 / 3.0, p, 2.0 / 3.0, p2, rp, dt) : p;
        q = mq ? combine(1.0 / 3.0, q, 2.0 / 3.0, q2, rq, dt) : q;
        CAPTURE(step);
        CHECK(same_bits(p, solver.p()));
        CHECK(same_bits(q, solver.q()));
        // The summary (gathered by the state's sweep on fused pair rows, a separate pass
        // otherwise) against plain loops: extremes exactly; masses to 1e-14 relative — the
        // sweep adds in four lanes and per thread, the loop in one sequence, and with every
        // value near 1 the two orders differ by a few ulps of the sum at these sizes.
        double sum_p = 0, sum_q = 0;
        for (std::size_t i = 0; i < cells; ++i) {
          sum_p += p[i];
          sum_q += q[i];
        }
        const StateSummary& got = solver.summary();
        CHECK(got.min_p == *std::min_element(p.begin(), p.end()));
        CHECK(got.max_p == *std::max_element(p.begin(), p.end()));
        CHECK(got.min_q == *std::min_element(q.begin(), q.end()));
        CHECK(got.max_q == *std::max_element(q.begin(), q.end()));
        CHECK(std::fabs(got.mass_p / (sum_p * grid.cell_volume()) - 1) <= 1e-14);
        CHECK(std::fabs(got.mass_q / (sum_q * grid.cell_volume()) - 1) <= 1e-14);
      }
    }
  }
  omp_set_num_threads(default_threads);
  fv::forced_isa = fv::Isa::automatic;
}
