#pragma once
// The particle discretisation of the flows (docs/design.md §1) in the idealised setting of the theory:
// the features of n generated (p) and n real (q) points are free particles in the periodic box
// [−L/2, L/2) moved by dx/dt = −∇Φ_a(x), with the same potentials Φ_a = m_a * w as the grid
// solver, w = p − q the empirical density difference. The kernel is periodised through its
// Fourier series and truncated at |k| ≤ K:
//   Φ_a(x) = L^{−1} Σ_{0<|k|≤K} m_a(ξ_k) ŵ_k e^{iξ_k x},   ŵ_k = Σ_j ±M/n e^{−iξ_k x_j},
// so the particles feel exactly the interaction whose linear growth rates the spectral module
// predicts at the box's wavenumbers ξ_k = 2πk/L. One dimension: the growth of density modes is
// a one-dimensional question, and O(nK) per evaluation keeps n ≥ 10⁴ cheap.
#include <complex>
#include <cstdint>
#include <vector>

#include "wgf/dynamics.hpp"

namespace wgf {

class ParticleFlow {
public:
  // n particles per species, total mass ρ0 L each; modes 1 … max_mode (at most 512; throws
  // InputError otherwise, or for n < 2 or L ≤ 0).
  ParticleFlow(const Dynamics& dynamics, double length, long particles, int max_mode);

  // Quiet start: both species on the same evenly spaced lattice (no shot noise), then the p
  // particles displaced so that p = ρ0 (1 + amp Σ_k cos(ξ_k x)) to first order. In the linear
  // regime every mode then evolves on its own at its own rate.
  void start_quiet(const std::vector<long>& modes, double amp);
  // Independent uniform positions from the seed (shot noise seeds every mode).
  void start_random(std::uint64_t seed);

  // One classical RK4 step of all particles. Allocates nothing.
  void step(double dt);
  // A step that resolves the fastest linear rate of the box's modes: 0.5 / max_k |λ(ξ_k)|
  // (RK4's rate error (λΔt)⁴/120 ≈ 5e-4 there, and stable for the decaying modes).
  double stable_dt() const;

  // |ŵ_k| scaled so that w = A cos(ξ_k x) reads A.
  double mode_amplitude(long k) const;
  // The predicted (continuous, periodised-kernel) rate of mode k for this dynamics.
  double predicted_rate(long k) const;
  double length() const { return length_; }
  long particles() const { return n_; }
  const std::vector<double>& positions(Species a) const { return a == Species::p ? xp_ : xq_; }

private:
  // ŵ_k for k = 1 … K from positions, then velocities of both species.
  void spectrum_of(const double* xp, const double* xq);
  void velocities(const double* xp, const double* xq, double* up, double* uq);

  Dynamics dynamics_;
  double length_;
  long n_;
  int modes_;
  double particle_mass_;
  std::vector<double> symbol_p_, symbol_q_;  // m_a(ξ_k) ξ_k 2/L, k = 1 … K (index k−1)
  std::vector<std::complex<double>> w_hat_;
  std::vector<double> xp_, xq_, stage_p_, stage_q_, kp_[4], kq_[4];
};

}  // namespace wgf
