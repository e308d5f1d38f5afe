#include "wgf/spectral_potential.hpp"

#include <fftw3.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>
#include <stdexcept>

#include "wgf/errors.hpp"
#include "wgf/potential_symbols.hpp"

namespace wgf {

namespace {
// Below this many cells a loop costs less than waking the thread team.
constexpr std::ptrdiff_t kParallelCells = 16384;
}  // namespace

PlanEffort parse_plan_effort(const std::string& name) {
  if (name == "estimate") return PlanEffort::estimate;
  if (name == "measure") return PlanEffort::measure;
  if (name == "patient") return PlanEffort::patient;
  throw InputError("--fft-plan '" + name + "': allowed are estimate, measure, patient");
}

void configure_fft_threads(int threads) {
  static std::once_flag initialised;
  std::call_once(initialised, [] { fftw_init_threads(); });
  fftw_plan_with_nthreads(std::max(1, threads));
}

namespace {
unsigned planner_flags(PlanEffort effort) {
  switch (effort) {
    case PlanEffort::estimate: return FFTW_ESTIMATE;
    case PlanEffort::measure: return FFTW_MEASURE;
    case PlanEffort::patient: return FFTW_PATIENT;
  }
  return FFTW_MEASURE;
}
}  // namespace

SpectralPotential::SpectralPotential(const Grid& grid, const Dynamics& dynamics, PlanEffort effort)
    : grid_(grid), cells_(grid.cells()), spectral_cells_(grid.spectral_cells()) {
  // Small transforms run faster on one thread than split across a team.
  configure_fft_threads(grid.cells() >= static_cast<std::size_t>(kParallelCells) ? omp_get_max_threads() : 1);
  real_ = FieldBuffer(cells_);
  phi_[0] = FieldBuffer(cells_);
  spectrum_ = fftw_alloc_complex(spectral_cells_);
  work_ = fftw_alloc_complex(spectral_cells_);
  if (!spectrum_ || !work_)
    throw std::runtime_error("out of memory for FFT buffers");
  int dims[3] = {static_cast<int>(grid.n), static_cast<int>(grid.n), static_cast<int>(grid.n)};
  const unsigned flags = planner_flags(effort);
  forward_ = fftw_plan_dft_r2c(grid.dim, dims, real_.data(), spectrum_, flags);
  inverse_ = fftw_plan_dft_c2r(grid.dim, dims, work_, phi_[0].data(), flags | FFTW_DESTROY_INPUT);
  if (!forward_ || !inverse_) throw std::runtime_error("FFTW could not plan the transforms");
  // (Planning may have written the real buffers.)
  std::fill(real_.begin(), real_.end(), 0.0);
  std::fill(phi_[0].begin(), phi_[0].end(), 0.0);
  std::memset(spectrum_, 0, spectral_cells_ * sizeof(fftw_complex));

  PotentialSymbols symbols = make_potential_symbols(grid, dynamics);
  moves_p_ = symbols.moves_p;
  moves_q_ = symbols.moves_q;
  symbol_p_ = std::move(symbols.p);
  symbol_q_ = std::move(symbols.q);
  proportional_ = symbols.proportional;
  q_over_p_ = symbols.q_over_p;
  max_rate_per_density_ = symbols.max_rate_per_density;
  if (moves_p_ && moves_q_ && !proportional_) {
    phi_[1] = FieldBuffer(cells_);
  }
}

SpectralPotential::~SpectralPotential() {
  if (forward_) fftw_destroy_plan(forward_);
  if (inverse_) fftw_destroy_plan(inverse_);
  fftw_free(spectrum_);
  fftw_free(work_);
}

int SpectralPotential::inverse_transforms_per_evaluation() const {
  if (proportional_) return 1;
  return (moves_p_ ? 1 : 0) + (moves_q_ ? 1 : 0);
}

void SpectralPotential::inverse_into(const std::vector<double>& symbol, double* phi, bool consume) {
  const std::ptrdiff_t spectral = static_cast<std::ptrdiff_t>(spectral_cells_);
  const double* m = symbol.data();
  if (consume) {
    // ŵ is not needed afterwards: multiply it in place (one stream less than into work_) and
    // let the c2r destroy it (same products, same transform, same numbers).
#pragma omp parallel for schedule(static) if (spectral >= kParallelCells)
    for (std::ptrdiff_t s = 0; s < spectral; ++s) {
      spectrum_[s][0] = m[s] * spectrum_[s][0];
      spectrum_[s][1] = m[s] * spectrum_[s][1];
    }
  } else {
#pragma omp parallel for schedule(static) if (spectral >= kParallelCells)
    for (std::ptrdiff_t s = 0; s < spectral; ++s) {
      work_[s][0] = m[s] * spectrum_[s][0];
      work_[s][1] = m[s] * spectrum_[s][1];
    }
  }
  fftw_complex* input = consume ? spectrum_ : work_;
  // The plan may read and write any arrays with its own arrays' alignments (FFTW's new-array
  // execute rule; spectrum_ and work_ come from the same allocator); the same plan on the same
  // input gives the same numbers wherever they are.
  if (phi == phi_[0].data() || fftw_alignment_of(phi) == fftw_alignment_of(phi_[0].data())) {
    fftw_execute_dft_c2r(inverse_, input, phi);
  } else {
    fftw_execute_dft_c2r(inverse_, input, phi_[0].data());
    std::memcpy(phi, phi_[0].data(), cells_ * sizeof(double));
  }
}

void SpectralPotential::evaluate(const double* p, const double* q, double* phi_p, double* phi_q) {
  const std::ptrdiff_t cells = static_cast<std::ptrdiff_t>(cells_);
  double* w = real_.data();
#pragma omp parallel for schedule(static) if (cells >= kParallelCells)
  for (std::ptrdiff_t i = 0; i < cells; ++i) w[i] = p[i] - q[i];
  fftw_execute(forward_);
  if (moves_p_) inverse_into(symbol_p_, phi_p, false);
  if (moves_q_) {
    if (proportional_) {
      const double ratio = q_over_p_;
#pragma omp parallel for schedule(static) if (cells >= kParallelCells)
      for (std::ptrdiff_t i = 0; i < cells; ++i) phi_q[i] = ratio * phi_p[i];
    } else {
      inverse_into(symbol_q_, phi_q, false);
    }
  }
}

void SpectralPotential::evaluate_input(SpectrumUse use) {
  fftw_execute(forward_);
  const bool second = moves_q_ && !proportional_;
  const bool discard = use == SpectrumUse::discard;
  if (moves_p_) inverse_into(symbol_p_, phi_[0].data(), discard && !second);
  if (second) inverse_into(symbol_q_, moves_p_ ? phi_[1].data() : phi_[0].data(), discard);
}

const double* SpectralPotential::potential(Species a) const {
  if (a == Species::q && moves_p_ && moves_q_ && !proportional_) return phi_[1].data();
  return phi_[0].data();
}

double SpectralPotential::potential_scale(Species a) const {
  return a == Species::q && proportional_ ? q_over_p_ : 1.0;
}

std::vector<double> SpectralPotential::make_symbol(const Kernel& kernel) const {
  return make_grid_symbol(grid_, kernel);
}

double SpectralPotential::energy(std::span<const double> symbol) const {
  // ŵ(ξ) ≈ h^d DFT(w); the half spectrum counts every last-axis index except 0 and N/2 twice.
  double sum = 0;
  const long n = grid_.n;
  const std::ptrdiff_t spectral = static_cast<std::ptrdiff_t>(spectral_cells_);
#pragma omp parallel for reduction(+ : sum) schedule(static)
  for (std::ptrdiff_t s = 0; s < spectral; ++s) {
    const double weight = half_spectrum_weight(n, static_cast<std::size_t>(s));
    const double power = spectrum_[s][0] * spectrum_[s][0] + spectrum_[s][1] * spectrum_[s][1];
    sum += weight * symbol[s] * power;
  }
  return spectral_energy_from_sum(grid_, sum);
}

double SpectralPotential::mode_amplitude(std::span<const long> k) const {
  const std::size_t index = half_spectrum_index(grid_, k);
  return mode_amplitude_from_magnitude(grid_, std::hypot(spectrum_[index][0], spectrum_[index][1]));
}

}  // namespace wgf
