#include "wgf/spectral_potential.hpp"

#include <fftw3.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>
#include <stdexcept>

#include "wgf/errors.hpp"

namespace wgf {

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
  configure_fft_threads(omp_get_max_threads());
  real_ = fftw_alloc_real(cells_);
  phi_[0] = fftw_alloc_real(cells_);
  spectrum_ = fftw_alloc_complex(spectral_cells_);
  work_ = fftw_alloc_complex(spectral_cells_);
  if (!real_ || !phi_[0] || !spectrum_ || !work_)
    throw std::runtime_error("out of memory for FFT buffers");
  int dims[3] = {static_cast<int>(grid.n), static_cast<int>(grid.n), static_cast<int>(grid.n)};
  const unsigned flags = planner_flags(effort);
  forward_ = fftw_plan_dft_r2c(grid.dim, dims, real_, spectrum_, flags);
  inverse_ = fftw_plan_dft_c2r(grid.dim, dims, work_, phi_[0], flags | FFTW_DESTROY_INPUT);
  if (!forward_ || !inverse_) throw std::runtime_error("FFTW could not plan the transforms");
  std::memset(real_, 0, cells_ * sizeof(double));
  std::memset(phi_[0], 0, cells_ * sizeof(double));
  std::memset(spectrum_, 0, spectral_cells_ * sizeof(fftw_complex));

  moves_p_ = dynamics.moves(Species::p);
  moves_q_ = dynamics.moves(Species::q);
  symbol_p_.resize(spectral_cells_);
  symbol_q_.resize(spectral_cells_);
  const double normalisation = 1.0 / static_cast<double>(cells_);
  proportional_ = true;
  double ratio = 0;
  bool ratio_set = false;
  for (std::size_t s = 0; s < spectral_cells_; ++s) {
    const double xi = wavenumber_norm(s);
    const double mp = dynamics.potential_symbol(Species::p, xi, grid.dim);
    const double mq = dynamics.potential_symbol(Species::q, xi, grid.dim);
    symbol_p_[s] = mp * normalisation;
    symbol_q_[s] = mq * normalisation;
    max_rate_per_density_ =
        std::max(max_rate_per_density_, discrete_xi_squared(s) * std::fabs(mp - mq));
    // Is m_q a fixed multiple of m_p (discriminator: −1)? Then Φ_q = ratio Φ_p, one c2r saved.
    if (mp != 0) {
      const double r = mq / mp;
      if (!ratio_set) {
        ratio = r;
        ratio_set = true;
      } else if (std::fabs(r - ratio) > 1e-14 * std::max(1.0, std::fabs(ratio))) {
        proportional_ = false;
      }
    } else if (mq != 0) {
      proportional_ = false;
    }
  }
  q_over_p_ = ratio;
  if (!moves_p_ || !moves_q_) proportional_ = false;
  if (moves_p_ && moves_q_ && !proportional_) {
    phi_[1] = fftw_alloc_real(cells_);
    if (!phi_[1]) throw std::runtime_error("out of memory for FFT buffers");
    std::memset(phi_[1], 0, cells_ * sizeof(double));
  }
}

SpectralPotential::~SpectralPotential() {
  if (forward_) fftw_destroy_plan(forward_);
  if (inverse_) fftw_destroy_plan(inverse_);
  fftw_free(real_);
  fftw_free(phi_[0]);
  fftw_free(phi_[1]);
  fftw_free(spectrum_);
  fftw_free(work_);
}

double SpectralPotential::discrete_xi_squared(std::size_t s) const {
  const long n = grid_.n, half = n / 2 + 1;
  long index = static_cast<long>(s);
  double sum = grid_.discrete_xi_squared(index % half);
  index /= half;
  for (int axis = 0; axis < grid_.dim - 1; ++axis) {
    sum += grid_.discrete_xi_squared(grid_.wavenumber_index(index % n));
    index /= n;
  }
  return sum;
}

double SpectralPotential::wavenumber_norm(std::size_t s) const {
  const long n = grid_.n, half = n / 2 + 1;
  long index = static_cast<long>(s);
  double xi2 = 0;
  const long last = index % half;
  index /= half;
  xi2 += std::pow(grid_.wavenumber(last), 2);
  for (int axis = 0; axis < grid_.dim - 1; ++axis) {
    const long i = index % n;
    index /= n;
    xi2 += std::pow(grid_.wavenumber(grid_.wavenumber_index(i)), 2);
  }
  return std::sqrt(xi2);
}

int SpectralPotential::inverse_transforms_per_evaluation() const {
  if (proportional_) return 1;
  return (moves_p_ ? 1 : 0) + (moves_q_ ? 1 : 0);
}

void SpectralPotential::inverse_into(const std::vector<double>& symbol, double* phi) {
  const std::ptrdiff_t spectral = static_cast<std::ptrdiff_t>(spectral_cells_);
  const double* m = symbol.data();
#pragma omp parallel for schedule(static)
  for (std::ptrdiff_t s = 0; s < spectral; ++s) {
    work_[s][0] = m[s] * spectrum_[s][0];
    work_[s][1] = m[s] * spectrum_[s][1];
  }
  // The plan may write any array with its output's alignment (FFTW's new-array execute rule);
  // the same plan on the same input gives the same numbers wherever they are written.
  if (phi == phi_[0] || fftw_alignment_of(phi) == fftw_alignment_of(phi_[0])) {
    fftw_execute_dft_c2r(inverse_, work_, phi);
  } else {
    fftw_execute(inverse_);
    std::memcpy(phi, phi_[0], cells_ * sizeof(double));
  }
}

void SpectralPotential::evaluate(const double* p, const double* q, double* phi_p, double* phi_q) {
  const std::ptrdiff_t cells = static_cast<std::ptrdiff_t>(cells_);
#pragma omp parallel for schedule(static)
  for (std::ptrdiff_t i = 0; i < cells; ++i) real_[i] = p[i] - q[i];
  fftw_execute(forward_);
  if (moves_p_) inverse_into(symbol_p_, phi_p);
  if (moves_q_) {
    if (proportional_) {
      const double ratio = q_over_p_;
#pragma omp parallel for schedule(static)
      for (std::ptrdiff_t i = 0; i < cells; ++i) phi_q[i] = ratio * phi_p[i];
    } else {
      inverse_into(symbol_q_, phi_q);
    }
  }
}

void SpectralPotential::evaluate_input() {
  fftw_execute(forward_);
  if (moves_p_) inverse_into(symbol_p_, phi_[0]);
  if (moves_q_ && !proportional_) inverse_into(symbol_q_, moves_p_ ? phi_[1] : phi_[0]);
}

const double* SpectralPotential::potential(Species a) const {
  if (a == Species::q && moves_p_ && moves_q_ && !proportional_) return phi_[1];
  return phi_[0];
}

double SpectralPotential::potential_scale(Species a) const {
  return a == Species::q && proportional_ ? q_over_p_ : 1.0;
}

std::vector<double> SpectralPotential::make_symbol(const Kernel& kernel) const {
  std::vector<double> symbol(spectral_cells_);
  for (std::size_t s = 0; s < spectral_cells_; ++s)
    symbol[s] = kernel.grid_symbol(wavenumber_norm(s), grid_.dim);
  return symbol;
}

double SpectralPotential::energy(std::span<const double> symbol) const {
  // ŵ(ξ) ≈ h^d DFT(w); the half spectrum counts every last-axis index except 0 and N/2 twice.
  const long half = grid_.n / 2 + 1;
  double sum = 0;
  const std::ptrdiff_t spectral = static_cast<std::ptrdiff_t>(spectral_cells_);
#pragma omp parallel for reduction(+ : sum) schedule(static)
  for (std::ptrdiff_t s = 0; s < spectral; ++s) {
    const long last = s % half;
    const double weight = (last == 0 || last == grid_.n / 2) ? 1.0 : 2.0;
    const double power = spectrum_[s][0] * spectrum_[s][0] + spectrum_[s][1] * spectrum_[s][1];
    sum += weight * symbol[s] * power;
  }
  const double hd = grid_.cell_volume();
  return sum * hd * hd / std::pow(grid_.length, grid_.dim);
}

double SpectralPotential::mode_amplitude(std::span<const long> k) const {
  // Find the half-spectrum index of k (or of −k, its conjugate, when k's last entry is < 0).
  long wave[3] = {0, 0, 0};
  for (std::size_t a = 0; a < k.size() && a < 3; ++a) wave[a] = k[a];
  if (wave[grid_.dim - 1] < 0)
    for (auto& kj : wave) kj = -kj;
  const long n = grid_.n, half = n / 2 + 1;
  std::size_t index = 0;
  for (int axis = 0; axis < grid_.dim - 1; ++axis) {
    const long i = ((wave[axis] % n) + n) % n;
    index = index * static_cast<std::size_t>(n) + static_cast<std::size_t>(i);
  }
  index = index * static_cast<std::size_t>(half) + static_cast<std::size_t>(wave[grid_.dim - 1]);
  const double magnitude = std::hypot(spectrum_[index][0], spectrum_[index][1]);
  // A cos(ξ·x) has DFT magnitude A N^d / 2 at ±k.
  return 2.0 * magnitude / static_cast<double>(cells_);
}


}  // namespace wgf
