#pragma once
// The periodic box [−L/2, L/2)^d with N cells per axis, stored row-major (last axis fastest,
// FFTW's order). Its real-to-complex spectrum keeps N/2+1 wavenumbers along the last axis.
#include <array>
#include <cmath>
#include <cstddef>
#include <numbers>

namespace wgf {

// The machine's physical memory in bytes (0 when the system does not say).
double physical_memory_bytes();

struct Grid {
  int dim = 1;
  long n = 64;
  double length = 2 * std::numbers::pi;

  // Throws InputError unless 1 ≤ dim ≤ 3, n ≥ 4 even, length > 0 and a run on N^d cells fits
  // in the machine's physical memory (kBytesPerCell per cell).
  void validate() const;

  // A run's memory per cell, measured (peak resident set of `wgf simulate --dim 3` at N = 64 and
  // 128: 247 and 477 MB, 128 bytes per added cell: the fields, their spectra and the SSP-RK3
  // stages of both species).
  static constexpr double kBytesPerCell = 128;

  double h() const { return length / static_cast<double>(n); }
  std::size_t cells() const { return power(static_cast<std::size_t>(n)); }
  std::size_t spectral_cells() const {
    return power(static_cast<std::size_t>(n)) / static_cast<std::size_t>(n) *
           static_cast<std::size_t>(n / 2 + 1);
  }
  double cell_center(long i) const { return -0.5 * length + (static_cast<double>(i) + 0.5) * h(); }
  double cell_volume() const { return std::pow(h(), dim); }
  // Signed integer wavenumber of FFT index i along a full axis: 0, 1, …, N/2, −N/2+1, …, −1.
  long wavenumber_index(long i) const { return i <= n / 2 ? i : i - n; }
  double wavenumber(long k) const { return 2 * std::numbers::pi * static_cast<double>(k) / length; }
  // The discrete Laplacian's symbol on one axis, 4 sin²(ξh/2)/h², replacing ξ² in growth rates.
  double discrete_xi_squared(long k) const {
    const double s = std::sin(0.5 * wavenumber(k) * h());
    return 4 * s * s / (h() * h());
  }

private:
  std::size_t power(std::size_t base) const {
    std::size_t p = 1;
    for (int a = 0; a < dim; ++a) p *= base;
    return p;
  }
};

}  // namespace wgf
