// The CUDA solver's fused sweep kernels against their CPU reference (llm.c style), one test body
// per executor (Kokkos style):
//   * host emulation, fp64 and fp32 — the kernels' per-cell functions (solvers/cuda/fv_cell.hpp)
//     run thread by thread on the host; needs no GPU, so the index arithmetic, the periodic wrap,
//     the axis-0 chunking and the operation order of the GPU code are checked on every machine;
//   * the device, fp64 and fp32 — the kernels themselves (skipped without a GPU).
// Reference: the CPU solver's FiniteVolumeFlux (solvers/fv_sweep.hpp) and plain loops.
//
// Tolerances. Host emulation in fp64 performs the CPU sweep's operations in the CPU sweep's order
// with no contraction, so it must agree bit for bit (0). The device in fp64 computes the same
// correctly rounded IEEE operations (the solver's CUDA sources are built with --fmad=false):
// bitwise too in principle; 1e-14 of the largest value leaves room for nothing but a stray ulp.
// fp32: inputs rounded to 2^-24 ≈ 6e-8 relative and a dozen roundings per rate, magnified by
// the flux difference over h (≈ 1/h · |F| / max|rate|, ≈ 10 here): 1e-4 of the largest value.
// Sums of the summaries run in a different order on the device: 1e-12 relative in fp64.
#include <doctest/doctest.h>
#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "cuda_cell_emulation.hpp"
#include "cuda_solver_probe.hpp"
#include "wgf/solvers/concentration.hpp"
#include "wgf/solvers/finite_volume.hpp"
#include "wgf/solvers/grid_flow_solver.hpp"
#include "wgf/solvers/potential_symbols.hpp"
#include "wgf/solvers/spectral_potential.hpp"

using namespace wgf;

namespace {

struct HostEmulationFp64 {
  static constexpr const char* name = "host emulation fp64";
  static constexpr double tolerance = 0.0, sum_tolerance = 1e-13;
  static bool ready() { return true; }
  static cuda_probe::SweepResult sweep(const Grid& g, int ns, const cuda_probe::Species* s,
                                       const cuda_probe::Stage* st, long long chunk) {
    return testing::SweepEmulation<double>::run(g, ns, s, st, chunk);
  }
};
struct HostEmulationFp32 {
  static constexpr const char* name = "host emulation fp32";
  static constexpr double tolerance = 1e-4, sum_tolerance = 1e-6;
  static bool ready() { return true; }
  static cuda_probe::SweepResult sweep(const Grid& g, int ns, const cuda_probe::Species* s,
                                       const cuda_probe::Stage* st, long long chunk) {
    return testing::SweepEmulation<float>::run(g, ns, s, st, chunk);
  }
};
template <Precision P>
struct DeviceExecutor {
  static constexpr const char* name = P == Precision::fp64 ? "device fp64" : "device fp32";
  static constexpr double tolerance = P == Precision::fp64 ? 1e-14 : 1e-4;
  static constexpr double sum_tolerance = P == Precision::fp64 ? 1e-12 : 1e-6;
  static bool ready() {
    std::string why;
    if (device_available(Device::cuda, &why)) return true;
    MESSAGE("skipped: no CUDA device (" << why << ") for " << std::string(name));
    return false;
  }
  static cuda_probe::SweepResult sweep(const Grid& g, int ns, const cuda_probe::Species* s,
                                       const cuda_probe::Stage* st, long long chunk) {
    return cuda_probe::device_sweep(g, P, ns, s, st, chunk);
  }
};
using DeviceFp64 = DeviceExecutor<Precision::fp64>;
using DeviceFp32 = DeviceExecutor<Precision::fp32>;

// Densities on a few levels (plateaus and exact ties exercise minmod's zero products and the
// first-maximum rule), potentials smooth plus noise.
std::vector<double> levels_field(std::size_t cells, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> level(0, 6);
  std::vector<double> v(cells);
  for (double& x : v) x = 0.25 + 0.25 * level(rng);
  return v;
}
std::vector<double> potential_field(const Grid& grid, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> noise(-0.05, 0.05);
  std::vector<double> v(grid.cells());
  for (std::size_t i = 0; i < v.size(); ++i)
    v[i] = std::sin(0.7 * static_cast<double>(i % static_cast<std::size_t>(grid.n))) + noise(rng);
  return v;
}

double max_abs(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m = std::max(m, std::fabs(x));
  return m;
}
// max |a − b| / max |b| (0 when both are zero).
double relative_gap(const std::vector<double>& a, const std::vector<double>& b) {
  REQUIRE(a.size() == b.size());
  double gap = 0;
  for (std::size_t i = 0; i < a.size(); ++i) gap = std::max(gap, std::fabs(a[i] - b[i]));
  const double scale = max_abs(b);
  return scale > 0 ? gap / scale : gap;
}

struct Layout {
  int dim;
  long n;
  long long chunk;
};
// Several chunks with a short last one, and one chunk per column.
const Layout kLayouts[] = {{1, 12, 5}, {1, 12, 12}, {2, 10, 3}, {2, 10, 10}, {3, 6, 4}, {3, 6, 1}};

// CPU reference: dρ/dt of ρ in Φ·scale by the CPU solver's flux, and its max |u|.
double reference_rate(const Grid& grid, const std::vector<double>& rho,
                      const std::vector<double>& phi, double scale, std::vector<double>& rate) {
  std::vector<double> scaled(phi.size());
  for (std::size_t i = 0; i < phi.size(); ++i) scaled[i] = scale * phi[i];
  rate.assign(rho.size(), 0.0);
  return FiniteVolumeFlux(grid).evaluate(rho.data(), scaled.data(), rate.data());
}

}  // namespace

TEST_CASE_TEMPLATE("sweep kernel: rates, max |u| and summaries equal the CPU flux and loops", E,
                   HostEmulationFp64, HostEmulationFp32, DeviceFp64, DeviceFp32) {
  if (!E::ready()) return;
  for (const Layout& layout : kLayouts) {
    const Grid grid{layout.dim, layout.n, 2 * M_PI};
    const std::size_t cells = grid.cells();
    const auto rho_p = levels_field(cells, 1), rho_q = levels_field(cells, 2);
    const auto phi = potential_field(grid, 3), phi_2 = potential_field(grid, 4);
    for (int ns : {1, 2}) {
      // Species 1 reads either the shared Φ scaled by −1 (discriminator) or its own Φ.
      for (bool shared_phi : {true, false}) {
        if (ns == 1 && !shared_phi) continue;
        cuda_probe::Species species[2];
        species[0] = {rho_p.data(), nullptr, phi.data(), 1.0};
        species[1] = shared_phi ? cuda_probe::Species{rho_q.data(), nullptr, phi.data(), -1.0}
                                : cuda_probe::Species{rho_q.data(), nullptr, phi_2.data(), 1.0};
        const cuda_probe::SweepResult got = E::sweep(grid, ns, species, nullptr, layout.chunk);
        CAPTURE(E::name);
        CAPTURE(layout.dim);
        CAPTURE(layout.chunk);
        CAPTURE(ns);
        CAPTURE(shared_phi);
        double speed = 0;
        const std::vector<double>* rhos[2] = {&rho_p, &rho_q};
        for (int k = 0; k < ns; ++k) {
          std::vector<double> rate;
          const std::vector<double>& phi_k = (k == 1 && !shared_phi) ? phi_2 : phi;
          speed = std::max(speed, reference_rate(grid, *rhos[k], phi_k, species[k].scale, rate));
          CHECK(relative_gap(got.out[k], rate) <= E::tolerance);
          double sum = 0, lo = 1e300, hi = -1e300;
          for (double v : *rhos[k]) {
            sum += v;
            lo = std::min(lo, v);
            hi = std::max(hi, v);
          }
          const long long first_max =
              std::max_element(rhos[k]->begin(), rhos[k]->end()) - rhos[k]->begin();
          CHECK(std::fabs(got.sum[k] - sum) <= E::sum_tolerance * sum);
          CHECK(got.min[k] == lo);  // levels are exact in fp32 too
          CHECK(got.max[k] == hi);
          CHECK(got.argmax[k] == first_max);
        }
        CHECK(std::fabs(got.max_speed - speed) <= E::tolerance * speed);
      }
    }
  }
}

TEST_CASE_TEMPLATE("sweep kernel: SSP-RK stages (first stage on the fly) equal the CPU formula", E,
                   HostEmulationFp64, HostEmulationFp32, DeviceFp64, DeviceFp32) {
  if (!E::ready()) return;
  for (const Layout& layout : kLayouts) {
    const Grid grid{layout.dim, layout.n, 2 * M_PI};
    const std::size_t cells = grid.cells();
    const auto p = levels_field(cells, 5), q = levels_field(cells, 6);
    const auto phi = potential_field(grid, 7);
    std::vector<double> rate_p, rate_q;
    reference_rate(grid, p, phi, 1.0, rate_p);
    reference_rate(grid, q, phi, -1.0, rate_q);
    const double dt = 0.01;
    for (bool on_the_fly : {true, false}) {
      for (int ns : {1, 2}) {  // ns = 1: q fixed (generator)
        // y = u1 = u + dt L(u) formed on the fly, or a stored stage y = u.
        std::vector<double> y_p(cells), y_q(cells);
        for (std::size_t i = 0; i < cells; ++i) {
          y_p[i] = on_the_fly ? p[i] + dt * rate_p[i] : p[i];
          y_q[i] = (on_the_fly && ns == 2) ? q[i] + dt * rate_q[i] : q[i];
        }
        cuda_probe::Species species[2] = {
            {p.data(), on_the_fly ? rate_p.data() : nullptr, phi.data(), 1.0},
            {q.data(), on_the_fly ? rate_q.data() : nullptr, phi.data(), -1.0}};
        cuda_probe::Stage stage;
        stage.a = 0.75;
        stage.b = 0.25;
        stage.dt = dt;
        stage.dt_first = dt;
        stage.x[0] = q.data();  // x is any array: here the other field, so nothing coincides
        stage.x[1] = p.data();
        stage.slot_p = 0;
        stage.slot_q = ns == 2 ? 1 : -1;
        stage.fixed_q = ns == 2 ? nullptr : q.data();
        const cuda_probe::SweepResult got = E::sweep(grid, ns, species, &stage, layout.chunk);

        std::vector<double> lp, lq, next_p(cells), next_q(cells), w(cells);
        double speed = reference_rate(grid, y_p, phi, 1.0, lp);
        if (ns == 2) speed = std::max(speed, reference_rate(grid, y_q, phi, -1.0, lq));
        for (std::size_t i = 0; i < cells; ++i) {
          next_p[i] = 0.75 * q[i] + 0.25 * (y_p[i] + dt * lp[i]);
          if (ns == 2) next_q[i] = 0.75 * p[i] + 0.25 * (y_q[i] + dt * lq[i]);
          w[i] = next_p[i] - (ns == 2 ? next_q[i] : q[i]);
        }
        CAPTURE(E::name);
        CAPTURE(layout.dim);
        CAPTURE(layout.chunk);
        CAPTURE(ns);
        CAPTURE(on_the_fly);
        CHECK(relative_gap(got.out[0], next_p) <= E::tolerance);
        if (ns == 2) CHECK(relative_gap(got.out[1], next_q) <= E::tolerance);
        CHECK(relative_gap(got.w, w) <= E::tolerance * 10);  // w ≈ p − q may cancel to ~0.1
        CHECK(std::fabs(got.max_speed - speed) <= E::tolerance * speed);
      }
    }
  }
}

TEST_CASE("gather_patch kernel's cell map (patch_cell) gives the detector the patch check() reads") {
  // The CUDA solver fetches only the 5^d cells around the peak (cuda_cell::patch_cell on the
  // device) and hands them to ConcentrationDetector::check_patch; the CPU solver's check() scans
  // the whole field. Both must decide alike, including a peak on the periodic boundary.
  for (int dim : {1, 2, 3}) {
    const Grid grid{dim, dim == 3 ? 8L : 16L, 2 * M_PI};
    const ConcentrationDetector detector(grid, 0.25);
    for (std::size_t peak : {std::size_t{0}, grid.cells() / 2 + 3, grid.cells() - 1}) {
      std::vector<double> rho(grid.cells(), 0.05);
      rho[peak] = 400.0;                                 // a clump: one heavy cell …
      rho[(peak + 1) % grid.cells()] = 120.0;            // … spilling into its neighbour
      double mass = 0, max = 0;
      for (double v : rho) {
        mass += v * grid.cell_volume();
        max = std::max(max, v);
      }
      double patch[125];
      int count = 1;
      for (int a = 0; a < dim; ++a) count *= 5;
      for (int e = 0; e < count; ++e)
        patch[e] = rho[static_cast<std::size_t>(
            cuda_cell::patch_cell(dim, grid.n, static_cast<long long>(peak), e))];
      double expected[125];
      detector.gather_patch(rho.data(), peak, expected);
      CAPTURE(dim);
      CAPTURE(peak);
      for (int e = 0; e < count; ++e) CHECK(patch[e] == expected[e]);
      const char* whole = detector.check(rho.data(), max, mass);
      const char* from_patch =
          detector.worth_scanning(max, mass) ? detector.check_patch(patch, mass) : nullptr;
      CHECK(whole != nullptr);
      CHECK(std::string(whole ? whole : "") == std::string(from_patch ? from_patch : ""));
    }
  }
}

TEST_CASE("spectral cell functions: symbol multiply and energy sums equal SpectralPotential's") {
  // The spectral pass kernel is cuda_cell::multiply_symbols and accumulate_energies over the
  // half spectrum; here they run on FFTW's spectrum of w = p − q and must give the CPU
  // potentials and energies (1e-12: the plans and the summation order differ, nothing else).
  for (int dim : {1, 2, 3}) {
    const Grid grid{dim, dim == 3 ? 12L : 24L, 2 * M_PI};
    Dynamics dynamics{parse_kernel("gaussian:sigma=0.6"), parse_kernel("laplace:ell=0.3"), 0.7,
                      Role::game, 0.8, 1.0};
    const std::size_t cells = grid.cells(), spectral = grid.spectral_cells();
    const auto p = levels_field(cells, 8), q = levels_field(cells, 9);
    SpectralPotential reference(grid, dynamics, PlanEffort::estimate);
    std::vector<double> phi_p(cells), phi_q(cells);
    reference.evaluate(p.data(), q.data(), phi_p.data(), phi_q.data());
    const std::vector<double> energy_symbol = reference.make_symbol(dynamics.kernel);
    const double want_energy = reference.energy(energy_symbol);

    const PotentialSymbols symbols = make_potential_symbols(grid, dynamics);
    REQUIRE_FALSE(symbols.proportional);  // the game: two inverse symbols, work and in place
    std::vector<double> w(cells);
    for (std::size_t i = 0; i < cells; ++i)
      w[i] = cuda_cell::stage_one_difference<double>(p.data(), nullptr, q.data(), nullptr, 0.0,
                                                     static_cast<long long>(i));
    std::vector<cuda_cell::Complex<double>> spectrum(spectral), work(spectral);
    int dims[3] = {static_cast<int>(grid.n), static_cast<int>(grid.n), static_cast<int>(grid.n)};
    fftw_plan forward = fftw_plan_dft_r2c(dim, dims, w.data(),
                                          reinterpret_cast<fftw_complex*>(spectrum.data()),
                                          FFTW_ESTIMATE);
    fftw_execute(forward);
    fftw_destroy_plan(forward);
    double sum[1] = {0};
    const double* energy_symbols[1] = {energy_symbol.data()};
    for (std::size_t s = 0; s < spectral; ++s) {
      cuda_cell::accumulate_energies<double, 1>(spectrum[s], grid.n, static_cast<long long>(s),
                                                energy_symbols, sum);
      cuda_cell::multiply_symbols<double>(spectrum.data(), work.data(), symbols.p.data(),
                                          symbols.q.data(), static_cast<long long>(s));
    }
    std::vector<double> got_p(cells), got_q(cells);
    for (auto [in, out] : {std::pair{&work, &got_p}, std::pair{&spectrum, &got_q}}) {
      fftw_plan inverse = fftw_plan_dft_c2r(dim, dims, reinterpret_cast<fftw_complex*>(in->data()),
                                            out->data(), FFTW_ESTIMATE);
      fftw_execute(inverse);
      fftw_destroy_plan(inverse);
    }
    CAPTURE(dim);
    CHECK(spectral_energy_from_sum(grid, sum[0]) == doctest::Approx(want_energy).epsilon(1e-12));
    CHECK(relative_gap(got_p, phi_p) <= 1e-12);
    CHECK(relative_gap(got_q, phi_q) <= 1e-12);
  }
}
