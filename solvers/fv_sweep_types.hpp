#pragma once
// Internal to the grid solver: what the fused finite-volume sweep (fv_sweep.hpp) works on — its
// input species, the grid's geometry, the periodic wrap — and the per-thread scratch that one
// sweep of a chunk of slabs carries along (the strided axes' slope and flux rows, the last
// axis' row buffers, the elementwise max |u| and two rate rows for the epilogues).
#include <algorithm>
#include <cstddef>
#include <vector>

namespace wgf::fv {

// One input species of the sweep: density, potential and the factor the potential is scaled by
// when read (Φ_q = c Φ_p for proportional symbols; 1 otherwise — multiplying by 1 is exact).
// Where the mirrored pair's sweep may take Φ slab by slab instead of from a whole-grid array
// (SpectralPotential::potential_slab behind it): make(j, thread, position) returns Φ of slab j
// (the cells with index j along axis 0), made by `thread` into its ring position 0, 1 or 2,
// valid until that thread makes another slab at the same position.
struct PhiSlabs {
  virtual const double* make(std::ptrdiff_t j, std::ptrdiff_t thread, int position) = 0;

protected:
  ~PhiSlabs() = default;
};

struct SpeciesField {
  const double* rho = nullptr;
  const double* phi = nullptr;
  double phi_scale = 1.0;
  PhiSlabs* phi_slabs = nullptr;  // mirrored pair only: Φ by slabs (then phi is not read)
};

// Per-thread scratch, kept across calls (grown on first use, never shrunk).
inline std::vector<double>& thread_scratch() {
  static thread_local std::vector<double> scratch;
  return scratch;
}

struct Geometry {
  int dim;
  std::ptrdiff_t n;
  double inv_h;
};

inline std::ptrdiff_t wrap(std::ptrdiff_t i, std::ptrdiff_t n) {
  return i < 0 ? i + n : (i >= n ? i - n : i);
}

// Scratch of the last-axis sweep: reconstructed values per cell and fluxes per interface.
struct RowScratch {
  double* east;  // n:     ρ_j + s_j
  double* west;  // n + 1: ρ_j − s_j, and west[n] = west[0] (the periodic neighbour)
  double* flux;  // n + 1: flux[j + 1] = F_{j+½}, flux[0] = F_{−½} = F_{n−½}
};

// Per-thread scratch of one sweep: carried slope/flux rows of the strided axes per species,
// the last-axis row buffers, the elementwise max |u| and two rate rows for epilogues.
struct ChunkScratch {
  double* axis0_slope[2];
  double* axis0_flux[2];
  double* axis1_slope[2];
  double* axis1_flux[2];
  RowScratch row[2];     // per species (the second used by mirrored pairs)
  double* umax;          // n
  double umax_rows = 0;  // max |u| of the fused pair rows (pair_row)
  double* rate_rows[2];  // n each

  ChunkScratch(int dim, std::ptrdiff_t n) {
    const std::ptrdiff_t slab = dim == 2 ? n : n * n;
    const std::ptrdiff_t axis0 = dim >= 2 ? slab : 0, axis1 = dim == 3 ? n : 0;
    const std::ptrdiff_t per_species = 2 * axis0 + 2 * axis1;
    const std::ptrdiff_t shared = 2 * (n + 2 * (n + 1)) + n + 2 * n;
    std::vector<double>& buffer = thread_scratch();
    const std::size_t need = static_cast<std::size_t>(2 * per_species + shared);
    if (buffer.size() < need) buffer.resize(need);
    double* p = buffer.data();
    for (int k = 0; k < 2; ++k) {
      axis0_slope[k] = p;
      axis0_flux[k] = p + axis0;
      axis1_slope[k] = p + 2 * axis0;
      axis1_flux[k] = p + 2 * axis0 + axis1;
      p += per_species;
    }
    for (int k = 0; k < 2; ++k) {
      row[k].east = p;
      row[k].west = row[k].east + n;
      row[k].flux = row[k].west + (n + 1);
      p = row[k].flux + (n + 1);
    }
    umax = p;
    rate_rows[0] = umax + n;
    rate_rows[1] = rate_rows[0] + n;
    std::fill(umax, umax + n, 0.0);
  }
};

}  // namespace wgf::fv
