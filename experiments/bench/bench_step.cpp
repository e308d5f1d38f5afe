// Benchmark (not a test): one SSP-RK3 step of the grid solver against the FFTs it contains.
//
// Setting: discriminator role, e = gaussian:sigma=0.5 (both species move; per evaluation one
// r2c and one c2r, Φ_q = −Φ_p derived), box [−π, π)^d, p = q = 1 plus an independent uniform
// random perturbation of amplitude 1e-2, FFTW_MEASURE plans. A step is three evaluations of the
// right-hand side (two inside step(), one in the refresh at its end), so it contains
// 3 × (1 forward + inverse_transforms_per_evaluation() inverse) transforms. They are timed
// alone twice: as FFTW's standalone d-dimensional r2c/c2r plans of the grid (same planner effort
// and threads; the "FFTs" of the ratio, what the transforms cost as plain calls), and as the
// solver's own one-dimensional passes without the symbol multiply
// (SpectralPotential::run_transforms_alone, "own FFTs").
//
//   wgf_bench_step [--grids 2:1024,3:128] [--threads 1,2] [--reps 15] [--warmup 3]
//                  [--seed 1] [--amplitude 1e-2] [--breakdown] [--tsv]
//       For each grid and thread count: median step time, median time of its FFTs, their
//       ratio and the non-FFT remainder. --breakdown adds the median of one potential
//       evaluation (SpectralPotential::evaluate, FFTs included) and of one species' flux
//       divergence (FiniteVolumeFlux::evaluate).
//   wgf_bench_step --dump DIR [--grids 1:64,2:32,3:16] [--threads 1] [--seed 1] [--amplitude A]
//       Writes the initial state and the state after one step with a fixed Δt (half the
//       proposed step) as raw little-endian float64 files, for experiments/bench/numpy_peer.py
//       --check: DIR/<dim>d_<n>/{meta.txt,p0,q0,phi_p0,rate_p0,rate_q0,p1,q1}.bin.
//   wgf_bench_step --info
//       Compiler, FFTW version, the ISA of the finite-volume sweep, OpenMP threads.
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numbers>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <fftw3.h>

#include "wgf/dynamics.hpp"
#include "wgf/solvers/field_buffer.hpp"
#include "wgf/solvers/finite_volume.hpp"
#include "wgf/solvers/flow_solver.hpp"
#include "wgf/grid.hpp"
#include "wgf/kernel.hpp"
#include "wgf/solvers/spectral_potential.hpp"
#include "../../solvers/fv_isa.hpp"  // internal: which instruction set the sweep uses

namespace {

using Clock = std::chrono::steady_clock;

struct GridSpec {
  int dim;
  long n;
};

struct Options {
  std::vector<GridSpec> grids;
  std::vector<int> threads;
  int reps = 15;
  int warmup = 3;
  unsigned long seed = 1;
  double amplitude = 1e-2;
  bool breakdown = false;
  bool tsv = false;
  bool info = false;
  std::string dump;
};

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(sep, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return parts;
}

Options parse(int argc, char** argv) {
  Options o;
  std::string grids, threads;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--grids") grids = value();
    else if (a == "--threads") threads = value();
    else if (a == "--reps") o.reps = std::stoi(value());
    else if (a == "--warmup") o.warmup = std::stoi(value());
    else if (a == "--seed") o.seed = std::stoul(value());
    else if (a == "--amplitude") o.amplitude = std::stod(value());
    else if (a == "--breakdown") o.breakdown = true;
    else if (a == "--tsv") o.tsv = true;
    else if (a == "--info") o.info = true;
    else if (a == "--dump") o.dump = value();
    else if (a == "--help" || a == "-h") {
      std::puts(
          "wgf_bench_step [--grids 2:1024,3:128] [--threads 1,2] [--reps 15] [--warmup 3]\n"
          "               [--seed 1] [--amplitude 1e-2] [--breakdown] [--tsv]\n"
          "wgf_bench_step --dump DIR [--grids 1:64,2:32,3:16] [--threads 1] [--seed 1]\n"
          "               [--amplitude 1e-2]\n"
          "wgf_bench_step --info");
      std::exit(0);
    } else {
      throw std::runtime_error("unknown argument '" + a + "' (see --help)");
    }
  }
  if (grids.empty()) grids = o.dump.empty() ? "2:1024,3:128" : "1:64,2:32,3:16";
  if (threads.empty()) threads = o.dump.empty() ? "1,2" : "1";
  for (const auto& g : split(grids, ',')) {
    const auto parts = split(g, ':');
    if (parts.size() != 2) throw std::runtime_error("--grids: entries are DIM:N, got '" + g + "'");
    o.grids.push_back({std::stoi(parts[0]), std::stol(parts[1])});
  }
  for (const auto& t : split(threads, ',')) o.threads.push_back(std::stoi(t));
  if (o.reps < 1 || o.warmup < 0) throw std::runtime_error("--reps >= 1, --warmup >= 0");
  return o;
}

wgf::Dynamics bench_dynamics() {
  wgf::Dynamics d;
  d.kernel = wgf::parse_kernel("gaussian:sigma=0.5");
  d.role = wgf::Role::discriminator;
  return d;
}

wgf::Grid bench_grid(const GridSpec& g) {
  wgf::Grid grid;
  grid.dim = g.dim;
  grid.n = g.n;
  grid.length = 2 * std::numbers::pi;
  grid.validate();
  return grid;
}

void fill_state(wgf::FlowSolver& solver, unsigned long seed, double amplitude) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> noise(-1.0, 1.0);
  for (double& v : solver.p()) v = 1.0 + amplitude * noise(rng);
  for (double& v : solver.q()) v = 1.0 + amplitude * noise(rng);
  solver.refresh();
}

// FFTW's d-dimensional r2c and c2r of one grid on buffers of their own, input filled once with
// a smooth field (a c2r destroys its input; the next r2c remakes it, so values stay bounded).
class StandaloneTransforms {
public:
  StandaloneTransforms(const wgf::Grid& grid, unsigned flags, int threads)
      : cells_(grid.cells()), spectral_(grid.spectral_cells()) {
    real_ = fftw_alloc_real(cells_);
    out_ = fftw_alloc_real(cells_);
    spectrum_ = fftw_alloc_complex(spectral_);
    if (!real_ || !out_ || !spectrum_) throw std::runtime_error("out of memory");
    // The same memory conditions as the solver's arrays (huge pages where the kernel grants them).
    wgf::advise_huge_pages(real_, cells_ * sizeof(double));
    wgf::advise_huge_pages(out_, cells_ * sizeof(double));
    wgf::advise_huge_pages(spectrum_, spectral_ * sizeof(fftw_complex));
    int dims[3] = {static_cast<int>(grid.n), static_cast<int>(grid.n), static_cast<int>(grid.n)};
    wgf::configure_fft_threads(threads);
    forward_ = fftw_plan_dft_r2c(grid.dim, dims, real_, spectrum_, flags);
    inverse_ = fftw_plan_dft_c2r(grid.dim, dims, spectrum_, out_, flags | FFTW_DESTROY_INPUT);
    if (!forward_ || !inverse_) throw std::runtime_error("FFTW could not plan the reference");
    for (std::size_t i = 0; i < cells_; ++i) real_[i] = std::sin(0.001 * static_cast<double>(i));
    forward();
  }
  ~StandaloneTransforms() {
    fftw_destroy_plan(forward_);
    fftw_destroy_plan(inverse_);
    fftw_free(real_);
    fftw_free(out_);
    fftw_free(spectrum_);
  }
  StandaloneTransforms(const StandaloneTransforms&) = delete;
  StandaloneTransforms& operator=(const StandaloneTransforms&) = delete;
  void forward() { fftw_execute(forward_); }
  void inverse() { fftw_execute(inverse_); }

private:
  std::size_t cells_, spectral_;
  double *real_ = nullptr, *out_ = nullptr;
  fftw_complex* spectrum_ = nullptr;
  fftw_plan forward_ = nullptr, inverse_ = nullptr;
};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

void write_raw(const std::filesystem::path& path, const double* data, std::size_t count) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(count * sizeof(double)));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

// The cross-check data for numpy_peer.py --check.
void dump(const Options& o) {
  omp_set_num_threads(o.threads.front());
  for (const auto& g : o.grids) {
    const wgf::Grid grid = bench_grid(g);
    const wgf::Dynamics dynamics = bench_dynamics();
    wgf::SolverOptions options;
    wgf::FlowSolver solver(grid, dynamics, options);
    fill_state(solver, o.seed, o.amplitude);
    const std::size_t cells = grid.cells();
    const std::vector<double> p0(solver.p().begin(), solver.p().end());
    const std::vector<double> q0(solver.q().begin(), solver.q().end());

    // Φ_p and the rates of the initial state, from the same building blocks the solver uses.
    wgf::SpectralPotential potential(grid, dynamics, wgf::PlanEffort::estimate);
    wgf::FiniteVolumeFlux flux(grid);
    std::vector<double> phi_p(cells), phi_q(cells), rate_p(cells), rate_q(cells);
    potential.evaluate(p0.data(), q0.data(), phi_p.data(), phi_q.data());
    flux.evaluate(p0.data(), phi_p.data(), rate_p.data());
    flux.evaluate(q0.data(), phi_q.data(), rate_q.data());

    const double dt = 0.5 * solver.proposed_dt();
    const wgf::StepResult r = solver.step(dt);
    if (r.dt != dt || r.rejected_attempts != 0 || r.concentrated)
      throw std::runtime_error("dump: the step did not take the fixed dt");

    const std::filesystem::path dir =
        std::filesystem::path(o.dump) / (std::to_string(g.dim) + "d_" + std::to_string(g.n));
    std::filesystem::create_directories(dir);
    {
      std::ofstream meta(dir / "meta.txt");
      meta.precision(17);
      meta << "dim " << grid.dim << "\nn " << grid.n << "\nlength " << grid.length
           << "\nsigma 0.5\nrole discriminator\ndt " << dt << "\nseed " << o.seed
           << "\namplitude " << o.amplitude << "\n";
    }
    write_raw(dir / "p0.bin", p0.data(), cells);
    write_raw(dir / "q0.bin", q0.data(), cells);
    write_raw(dir / "phi_p0.bin", phi_p.data(), cells);
    write_raw(dir / "rate_p0.bin", rate_p.data(), cells);
    write_raw(dir / "rate_q0.bin", rate_q.data(), cells);
    write_raw(dir / "p1.bin", solver.p().data(), cells);
    write_raw(dir / "q1.bin", solver.q().data(), cells);
    std::printf("dumped %s (dt = %.17g)\n", dir.string().c_str(), dt);
  }
}

void bench(const Options& o) {
  if (o.tsv)
    std::printf("dim\tn\tthreads\treps\tstep_ms\tfft_ms\tratio\tremainder_ms\town_fft_ms\town_ratio%s\n",
                o.breakdown ? "\tpotential_ms\tflux_ms" : "");
  else
    std::printf("%-10s %7s %10s %10s %11s %13s %14s %14s%s\n", "grid", "threads", "step [ms]",
                "FFTs [ms]", "step/FFTs", "non-FFT [ms]", "own FFTs [ms]", "step/own FFTs",
                o.breakdown ? "  potential [ms]  flux/species [ms]" : "");
  for (const auto& g : o.grids) {
    const wgf::Grid grid = bench_grid(g);
    const wgf::Dynamics dynamics = bench_dynamics();
    for (int threads : o.threads) {
      omp_set_num_threads(threads);  // before construction: FFTW plans take this thread count
      wgf::SolverOptions options;
      options.plan_effort = wgf::PlanEffort::measure;
      wgf::FlowSolver solver(grid, dynamics, options);
      fill_state(solver, o.seed, o.amplitude);
      wgf::SpectralPotential& spectrum = solver.spectrum();
      const int inverses = spectrum.inverse_transforms_per_evaluation();
      constexpr double kNoCap = std::numeric_limits<double>::infinity();

      auto time_step = [&] {
        const auto start = Clock::now();
        const wgf::StepResult r = solver.step(kNoCap);
        const double t = seconds_since(start);
        if (r.concentrated || !(r.dt > 0)) throw std::runtime_error("bench state concentrated");
        return t;
      };
      // The reference: FFTW's own d-dimensional r2c and c2r of this grid, planned with the same
      // effort and thread count (what "the FFTs of a step" cost as standalone transforms).
      StandaloneTransforms reference(grid, spectrum.planner_flags(), threads);
      auto time_ffts = [&] {
        const auto start = Clock::now();
        for (int stage = 0; stage < 3; ++stage) {
          reference.forward();
          for (int k = 0; k < inverses; ++k) reference.inverse();
        }
        return seconds_since(start);
      };
      // The solver's own transforms (its one-dimensional passes) without the symbol multiply.
      auto time_own_ffts = [&] {
        const auto start = Clock::now();
        for (int stage = 0; stage < 3; ++stage) spectrum.run_transforms_alone();
        return seconds_since(start);
      };
      for (int w = 0; w < o.warmup; ++w) {
        time_step();
        time_ffts();
        time_own_ffts();
      }
      std::vector<double> steps, ffts, own_ffts;
      for (int rep = 0; rep < o.reps; ++rep) {  // interleaved, so drift affects all alike
        steps.push_back(time_step());
        ffts.push_back(time_ffts());
        own_ffts.push_back(time_own_ffts());
      }
      // The transforms above overwrote the solver's potentials; refresh restores them.
      solver.refresh();
      const double step_ms = 1e3 * median(steps), fft_ms = 1e3 * median(ffts);
      const double own_ms = 1e3 * median(own_ffts);

      double potential_ms = 0, flux_ms = 0;
      if (o.breakdown) {
        const std::size_t cells = grid.cells();
        std::vector<double> phi_p(cells), phi_q(cells), rate(cells);
        const double* p = solver.p().data();
        const double* q = solver.q().data();
        wgf::FiniteVolumeFlux flux(grid);
        std::vector<double> tp, tf;
        for (int rep = 0; rep < o.warmup + o.reps; ++rep) {
          auto start = Clock::now();
          spectrum.evaluate(p, q, phi_p.data(), phi_q.data());
          const double a = seconds_since(start);
          start = Clock::now();
          flux.evaluate(p, phi_p.data(), rate.data());
          const double b = seconds_since(start);
          if (rep >= o.warmup) {
            tp.push_back(a);
            tf.push_back(b);
          }
        }
        potential_ms = 1e3 * median(tp);
        flux_ms = 1e3 * median(tf);
      }

      const std::string name = std::to_string(g.dim) + "D " + std::to_string(g.n) +
                               (g.dim == 2 ? "^2" : g.dim == 3 ? "^3" : "");
      if (o.tsv) {
        std::printf("%d\t%ld\t%d\t%d\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f", g.dim, g.n, threads,
                    o.reps, step_ms, fft_ms, step_ms / fft_ms, step_ms - fft_ms, own_ms,
                    step_ms / own_ms);
        if (o.breakdown) std::printf("\t%.4f\t%.4f", potential_ms, flux_ms);
        std::printf("\n");
      } else {
        std::printf("%-10s %7d %10.3f %10.3f %11.3f %13.3f %14.3f %14.3f", name.c_str(), threads,
                    step_ms, fft_ms, step_ms / fft_ms, step_ms - fft_ms, own_ms, step_ms / own_ms);
        if (o.breakdown) std::printf("  %14.3f  %17.3f", potential_ms, flux_ms);
        std::printf("\n");
      }
      std::fflush(stdout);
    }
  }
}

}  // namespace

// Build and machine facts for the results table.
void print_info() {
  std::printf("compiler: %s\n", __VERSION__);
  std::printf("fftw: %s\n", fftw_version);
  const wgf::fv::Isa isa = wgf::fv::active_isa();
  std::printf("finite-volume sweep ISA: %s\n", isa == wgf::fv::Isa::avx512 ? "AVX-512 (256-bit)"
                                                : isa == wgf::fv::Isa::avx2  ? "AVX2"
                                                                            : "baseline x86-64-v2");
  std::printf("omp_get_max_threads: %d\n", omp_get_max_threads());
}

int main(int argc, char** argv) {
  try {
    const Options o = parse(argc, argv);
    if (o.info)
      print_info();
    else if (!o.dump.empty())
      dump(o);
    else
      bench(o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "wgf_bench_step: %s\n", e.what());
    return 1;
  }
  return 0;
}
