#pragma once
// The spectral side of the grid solver that every backend shares: the potential symbols m_a(ξ_k)
// at the half-spectrum indices of a grid (the r2c layout of FFTW and cuFFT alike: the last axis
// keeps 0 … N/2, the other axes are full), whether Φ_q is a fixed multiple of Φ_p, the largest
// linear rate per unit density, and the index and scale conventions of the spectral diagnostics.
// The CPU solver (FFTW) and the CUDA solver (cuFFT) take all of these from here, so both
// multiply by the same numbers.
#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

#include "wgf/dynamics.hpp"
#include "wgf/grid.hpp"
#include "wgf/kernel.hpp"

namespace wgf {

struct PotentialSymbols {
  std::vector<double> p, q;     // m_a(ξ_k) / N^d: the inverse transform's normalisation folded in
  bool moves_p = false, moves_q = false;
  bool proportional = false;    // both move and m_q = q_over_p · m_p: one inverse serves both
  double q_over_p = 0;
  double max_rate_per_density = 0;  // max_k Σ_j 4 sin²(ξ_j h/2)/h² · |m_p − m_q|(ξ_k)

  int inverse_transforms() const { return proportional ? 1 : (moves_p ? 1 : 0) + (moves_q ? 1 : 0); }
};

PotentialSymbols make_potential_symbols(const Grid& grid, const Dynamics& dynamics);

// |ξ_k| and Σ_j 4 sin²(ξ_j h/2)/h² at half-spectrum index s.
double spectral_wavenumber_norm(const Grid& grid, std::size_t s);
double spectral_discrete_xi_squared(const Grid& grid, std::size_t s);

// k̂(ξ_k) at every half-spectrum index (ξ = 0 mapped to 0): the symbol of an energy diagnostic.
std::vector<double> make_grid_symbol(const Grid& grid, const Kernel& kernel);

// The half-spectrum index holding the integer wave vector k (or −k, its conjugate, when k's
// last component is negative). Components are taken modulo N.
std::size_t half_spectrum_index(const Grid& grid, std::span<const long> k);

// In sums over the full spectrum, index s of the half spectrum counts once when its last-axis
// index is 0 or N/2 and twice otherwise (its conjugate is not stored).
inline double half_spectrum_weight(long n, std::size_t s) {
  const long last = static_cast<long>(s % static_cast<std::size_t>(n / 2 + 1));
  return (last == 0 || last == n / 2) ? 1.0 : 2.0;
}

// E_k = L^{−d} Σ_ξ k̂ |ŵ|² with ŵ ≈ h^d DFT(w): the energy from Σ_s weight·k̂(s)·|DFT(w)_s|².
inline double spectral_energy_from_sum(const Grid& grid, double weighted_sum) {
  const double hd = grid.cell_volume();
  return weighted_sum * hd * hd / std::pow(grid.length, grid.dim);
}

// A cos(ξ_k·x) has DFT magnitude A N^d / 2 at ±k: the amplitude from |DFT(w)_k|.
inline double mode_amplitude_from_magnitude(const Grid& grid, double magnitude) {
  return 2.0 * magnitude / static_cast<double>(grid.cells());
}

}  // namespace wgf
