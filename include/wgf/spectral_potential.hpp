#pragma once
// The potentials Φ_p, Φ_q of the flow, computed spectrally from w = p − q: one r2c transform of
// w, a multiply by each moving species' symbol m_a(ξ_k) at the grid wavenumbers, one c2r
// transform per distinct symbol. FFTW plans and buffers are made once per grid (plan once,
// execute many); evaluate() allocates nothing.
#include <fftw3.h>

#include <complex>
#include <span>
#include <vector>

#include "wgf/dynamics.hpp"
#include "wgf/field_buffer.hpp"
#include "wgf/grid.hpp"

namespace wgf {

enum class PlanEffort { estimate, measure, patient };
// Whether an evaluation keeps ŵ for the spectral diagnostics afterwards.
enum class SpectrumUse { keep, discard };
PlanEffort parse_plan_effort(const std::string& name);  // throws InputError

// Sets the FFTW thread count once per process (fftw_init_threads on first use).
void configure_fft_threads(int threads);

class SpectralPotential {
public:
  SpectralPotential(const Grid& grid, const Dynamics& dynamics, PlanEffort effort);
  ~SpectralPotential();
  SpectralPotential(const SpectralPotential&) = delete;
  SpectralPotential& operator=(const SpectralPotential&) = delete;

  // Φ_p and Φ_q from p and q. A species that does not move gets no potential (left untouched).
  void evaluate(const double* p, const double* q, double* phi_p, double* phi_q);

  // The same without copies, for the solver's fused passes: write w = p − q into input()
  // (N^d values), call evaluate_input(); then Φ_a[i] = potential_scale(a) · potential(a)[i]
  // for a moving species a — bit for bit what evaluate() writes (the scale is Φ_q/Φ_p when
  // the symbols are proportional, so one inverse transform serves both, and 1 otherwise).
  // The potentials stay valid until the next evaluate_input() or evaluate().
  // With SpectrumUse::discard the transform of w is consumed (energy() and mode_amplitude() are
  // then undefined until the next evaluation that keeps it): for intermediate stages.
  double* input() { return real_.data(); }
  void evaluate_input(SpectrumUse use = SpectrumUse::keep);
  const double* potential(Species a) const;
  double potential_scale(Species a) const;

  // Spectral quantities of the last evaluate()'s w, available without a further transform.
  // E_k[p, q] = L^{−d} Σ_ξ k̂(ξ) |ŵ(ξ)|² for a symbol array made by make_symbol().
  double energy(std::span<const double> symbol) const;
  // |ŵ_k| scaled so that w = A cos(ξ_k·x) reads A (times the cell-average factor).
  double mode_amplitude(std::span<const long> k) const;
  // max_k Σ_j 4 sin²(ξ_j h/2)/h² · |m_p − m_q|(ξ_k): the largest linear rate per unit density,
  // which bounds the explicit time step of a near-uniform state (the CFL bound alone does not
  // see the linear dynamics when velocities are tiny).
  double max_rate_per_density() const { return max_rate_per_density_; }
  bool moves(Species a) const { return a == Species::p ? moves_p_ : moves_q_; }

  // k̂(ξ_k) at every half-spectrum index (ξ = 0 mapped to 0): for energies of other kernels.
  std::vector<double> make_symbol(const Kernel& kernel) const;

  // The transforms alone, for benchmarks that time the FFTs a step contains.
  void run_forward_transform() { fftw_execute(forward_); }
  void run_inverse_transform() { fftw_execute(inverse_); }
  int inverse_transforms_per_evaluation() const;

private:
  Grid grid_;
  std::size_t cells_, spectral_cells_;
  // Applies one symbol to ŵ and transforms back into `phi` (the plan's own output buffer
  // phi_[0], or any array FFTW may use in its place; otherwise through phi_[0] and a copy).
  // With consume, ŵ itself is multiplied and transformed (destroyed) instead of a copy in work_.
  void inverse_into(const std::vector<double>& symbol, double* phi, bool consume);

  FieldBuffer real_;                          // w, the forward transform's input
  FieldBuffer phi_[2];                        // Φ of the first / second distinct symbol
  fftw_complex* spectrum_ = nullptr;          // ŵ, preserved unless an evaluation discards it
  fftw_complex* work_ = nullptr;              // m_a ŵ (c2r destroys its input)
  fftw_plan forward_ = nullptr, inverse_ = nullptr;
  std::vector<double> symbol_p_, symbol_q_;   // m_a(ξ_k) / N^d (normalisation folded in)
  bool moves_p_ = false, moves_q_ = false;
  double q_over_p_ = 0;                       // m_q = q_over_p_ m_p when proportional
  bool proportional_ = false;
  double max_rate_per_density_ = 0;
};

}  // namespace wgf
