#include "wgf/solvers/spectral_potential.hpp"

#include <fftw3.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <type_traits>

#include "wgf/errors.hpp"
#include "wgf/solvers/potential_symbols.hpp"
#include "blocked_convolution.hpp"
#include "parallel_cells.hpp"

namespace wgf {

// The header holds the kept spectrum as double (*)[2], which is what fftw_complex* is.
static_assert(std::is_same_v<fftw_complex, double[2]>);

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
unsigned flags_for(PlanEffort effort) {
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
  const PotentialSymbols symbols = make_potential_symbols(grid, dynamics);
  moves_p_ = symbols.moves_p;
  moves_q_ = symbols.moves_q;
  proportional_ = symbols.proportional;
  q_over_p_ = symbols.q_over_p;
  max_rate_per_density_ = symbols.max_rate_per_density;

  real_ = FieldBuffer(cells_);
  phi_[0] = FieldBuffer(cells_);
  // Φ_p into phi_[0]; Φ_q into phi_[1] when its symbol is not a multiple of m_p, into phi_[0]
  // when p does not move. With nothing moving the transforms still run, for the diagnostics.
  // (The convolution keeps its own reordered copy of the symbols.)
  const double* distinct[2] = {symbols.p.data(), nullptr};  // (p's when nothing moves: unused)
  int count = 0;
  if (moves_p_) distinct[count++] = symbols.p.data();
  if (moves_q_ && !proportional_) {
    if (count == 1) phi_[1] = FieldBuffer(cells_);
    distinct[count++] = symbols.q.data();
  }
  outputs_[0] = phi_[0].data();
  outputs_[1] = phi_[1].data();
  spectrum_ = fftw_alloc_complex(spectral_cells_);
  if (!spectrum_) throw std::runtime_error("out of memory for FFT buffers");
  advise_huge_pages(spectrum_, spectral_cells_ * sizeof(fftw_complex));
  planner_flags_ = flags_for(effort);
  multiply_ = count > 0;
  convolution_ = std::make_unique<detail::BlockedConvolution>(
      grid, planner_flags_, real_.data(), outputs_, distinct, std::max(1, count),
      omp_get_max_threads());
  // (Planning may have written the buffers.)
  std::fill(real_.begin(), real_.end(), 0.0);
  for (FieldBuffer& phi : phi_) std::fill(phi.begin(), phi.end(), 0.0);
  std::memset(spectrum_, 0, spectral_cells_ * sizeof(fftw_complex));
}

SpectralPotential::~SpectralPotential() { fftw_free(spectrum_); }

int SpectralPotential::inverse_transforms_per_evaluation() const {
  if (proportional_) return 1;
  return std::max(1, (moves_p_ ? 1 : 0) + (moves_q_ ? 1 : 0));
}

void SpectralPotential::evaluate(const double* p, const double* q, double* phi_p, double* phi_q) {
  const std::ptrdiff_t cells = static_cast<std::ptrdiff_t>(cells_);
  double* w = real_.data();
#pragma omp parallel for schedule(static) if (cells >= kParallelCells)
  for (std::ptrdiff_t i = 0; i < cells; ++i) w[i] = p[i] - q[i];
  evaluate_input(SpectrumUse::keep);
  // Exactly what the fused sweep reads: Φ_a = potential_scale(a) · potential(a).
  for (Species a : {Species::p, Species::q}) {
    double* phi = a == Species::p ? phi_p : phi_q;
    if (!moves(a)) continue;
    const double* from = potential(a);
    const double scale = potential_scale(a);
#pragma omp parallel for schedule(static) if (cells >= kParallelCells)
    for (std::ptrdiff_t i = 0; i < cells; ++i) phi[i] = scale * from[i];
  }
}

void SpectralPotential::evaluate_input(SpectrumUse use) {
  const bool keep = use == SpectrumUse::keep;
  convolution_->run(real_.data(), multiply_, keep ? spectrum_ : nullptr, outputs_);
}

int SpectralPotential::slab_threads() const { return convolution_->threads(); }
std::size_t SpectralPotential::slab_cells() const { return convolution_->slab_cells(); }
double* SpectralPotential::slab_buffer(int thread) { return convolution_->slab_buffer(thread); }

void SpectralPotential::transform_slab(std::ptrdiff_t index, const double* slab) {
  convolution_->forward_slab(static_cast<std::size_t>(index), slab);
}

void SpectralPotential::evaluate_transformed(SpectrumUse use) {
  convolution_->finish(multiply_, use == SpectrumUse::keep ? spectrum_ : nullptr, outputs_);
}

void SpectralPotential::evaluate_spectrum(SpectrumUse use, bool transformed) {
  if (!transformed) convolution_->forward(real_.data());
  convolution_->columns(multiply_, use == SpectrumUse::keep ? spectrum_ : nullptr);
}

const double* SpectralPotential::potential_slab(std::ptrdiff_t j, int thread, int position) {
  return convolution_->inverse_slab(static_cast<std::size_t>(j), thread, position);
}

void SpectralPotential::run_transforms_alone() {
  convolution_->run(real_.data(), false, nullptr, outputs_);
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

std::size_t SpectralPotential::kept_position(std::size_t s) const {
  if (grid_.dim == 1) return s;
  const std::size_t n = static_cast<std::size_t>(grid_.n), columns = spectral_cells_ / n;
  return s % columns * n + s / columns;
}

double SpectralPotential::energy(std::span<const double> symbol) const {
  // ŵ(ξ) ≈ h^d DFT(w); the half spectrum counts every last-axis index except 0 and N/2 twice.
  // ŵ is held transposed (BlockedConvolution::run): half-spectrum index s = r·C + c at c·N + r.
  double sum = 0;
  const long n = grid_.n;
  const std::ptrdiff_t rows = grid_.dim == 1 ? 1 : n;
  const std::size_t columns = spectral_cells_ / static_cast<std::size_t>(rows);
#pragma omp parallel for reduction(+ : sum) schedule(static)
  for (std::ptrdiff_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < columns; ++c) {
      const std::size_t s = static_cast<std::size_t>(r) * columns + c;
      const fftw_complex& value = spectrum_[c * static_cast<std::size_t>(rows) + static_cast<std::size_t>(r)];
      const double weight = half_spectrum_weight(n, s);
      const double power = value[0] * value[0] + value[1] * value[1];
      sum += weight * symbol[s] * power;
    }
  }
  return spectral_energy_from_sum(grid_, sum);
}

double SpectralPotential::mode_amplitude(std::span<const long> k) const {
  const std::size_t index = kept_position(half_spectrum_index(grid_, k));
  return mode_amplitude_from_magnitude(grid_, std::hypot(spectrum_[index][0], spectrum_[index][1]));
}

}  // namespace wgf
