#pragma once
// The potentials Φ_p, Φ_q of the flow, computed spectrally from w = p − q: one forward transform
// of w, a multiply by each moving species' symbol m_a(ξ_k) at the grid wavenumbers, one inverse
// transform per distinct symbol. The transforms are FFTW's one-dimensional passes arranged so that
// the multiply happens in cache between the slowest axis' forward and inverse transforms
// (solvers/blocked_convolution.hpp). Plans and buffers are made once per grid (plan once,
// execute many); evaluate() allocates nothing.
#include <complex>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "wgf/dynamics.hpp"
#include "wgf/solvers/field_buffer.hpp"
#include "wgf/grid.hpp"

namespace wgf {

namespace detail {
class BlockedConvolution;
}

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
  // With SpectrumUse::discard ŵ is not stored (energy() and mode_amplitude() then still describe
  // the last evaluation that kept it): for intermediate stages.
  double* input() { return real_.data(); }
  void evaluate_input(SpectrumUse use = SpectrumUse::keep);

  // Or, on grids of d ≥ 2, slab by slab (a slab: the cells with one index along axis 0): form
  // slab i of w in slab_buffer(t) on thread t < slab_threads(), hand it over with
  // transform_slab(i, buffer), and when every slab is in, call evaluate_transformed(). w then
  // never goes through memory as a whole grid; the potentials are the same bits as
  // evaluate_input() gives for the assembled w.
  bool takes_slabs() const { return grid_.dim >= 2; }
  int slab_threads() const;
  std::size_t slab_cells() const;
  double* slab_buffer(int thread);
  void transform_slab(std::ptrdiff_t index, const double* slab);
  void evaluate_transformed(SpectrumUse use = SpectrumUse::keep);

  // For a consumer that reads Φ_p a few slabs at a time (d ≥ 2, one distinct symbol): the
  // evaluation up to the transformed spectrum only (w in input(), or handed over by slabs when
  // `transformed`), then potential_slab(j, t, position): Φ_p of slab j made by thread t into its
  // ring position 0…2, valid until t makes another slab at that position — the same bits as
  // potential(Species::p) would hold. Φ never exists as a whole grid (potential() is then stale).
  void evaluate_spectrum(SpectrumUse use, bool transformed);
  const double* potential_slab(std::ptrdiff_t j, int thread, int position);
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

  // One evaluation's transforms alone (forward and inverse passes, no multiply), for benchmarks
  // that time the FFTs a step contains; overwrites the potentials.
  void run_transforms_alone();
  int inverse_transforms_per_evaluation() const;
  unsigned planner_flags() const { return planner_flags_; }

private:
  Grid grid_;
  std::size_t cells_, spectral_cells_;
  // Where ŵ at r2c half-spectrum index s is held in spectrum_ (transposed for d ≥ 2).
  std::size_t kept_position(std::size_t s) const;

  FieldBuffer real_;                          // w, the forward transform's input
  FieldBuffer phi_[2];                        // Φ of the first / second distinct symbol
  // ŵ of the last evaluation that kept it (transposed): an fftw_complex array, spelled as what
  // fftw_complex is (double[2]) so that this header does not include <fftw3.h>.
  double (*spectrum_)[2] = nullptr;
  std::unique_ptr<detail::BlockedConvolution> convolution_;
  bool multiply_ = true;                            // false when nothing moves
  double* outputs_[2] = {nullptr, nullptr};
  unsigned planner_flags_ = 0;
  bool moves_p_ = false, moves_q_ = false;
  double q_over_p_ = 0;                       // m_q = q_over_p_ m_p when proportional
  bool proportional_ = false;
  double max_rate_per_density_ = 0;
};

}  // namespace wgf
