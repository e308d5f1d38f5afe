#pragma once
// Internal to the grid solver (solvers/): the finite-volume divergence of
// include/wgf/solvers/finite_volume.hpp as one fused sweep over the grid, row by row (a row is a line
// along the last, contiguous axis), for up to two species at once.
//
// For every row the sweep produces the complete rate row dρ/dt — the contributions of all axes,
// added in axis order exactly as the axis-by-axis formulation adds them, so results are bitwise
// the same — in a small buffer or directly in the destination, then hands it to an epilogue
// (write the rate, or combine it into the next SSP-RK stage at once). The fields are thereby
// read once and written once per evaluation instead of once per axis and pass.
//
// Per cell i along an axis: slope s_i = ½ minmod(ρ_{i+1} − ρ_i, ρ_i − ρ_{i−1}), computed once
// and carried; interface flux F_{i+½} = u > 0 ? u (ρ_i + s_i) : u (ρ_{i+1} − s_{i+1}) with
// u = −(Φ_{i+1} − Φ_i)/h, carried to the next cell; divergence (F_{i−½} − F_{i+½})/h. Strided
// axes are swept one row at a time with the carried slope and flux rows (vectorised over the
// row); the last axis reconstructs east/west rows and then fluxes (no modulo in the inner loops).
// The mirrored pair (p in Φ, q in −Φ: the discriminator and its relatives) takes a faster road,
// pair_row: every axis and the epilogue in one pass per row, written over the lane types of
// fv_lanes.hpp, with the last axis's carries held in registers.
//
// The inner loops are plain elementwise loops over restrict pointers that the compiler
// vectorises, or explicit four-lane vector code; they are compiled for the baseline ISA, for
// AVX2 and for AVX-512 (never with FMA contraction, so all give identical bits), and the widest
// the CPU has is chosen at run time (fv::forced_isa lets tests pick each).
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "fv_lanes.hpp"
#include "parallel_cells.hpp"
#include "wgf/solvers/density_totals.hpp"

namespace wgf::fv {

// The kernels below are compiled without trapping math: with it, GCC will not turn the
// selections of the limiter and the upwinding into blends (it may not speculate a product
// behind a branch) and leaves the loops scalar. No value changes: no reassociation, and no
// contraction into FMA (which would round differently on the AVX2 path than on the baseline).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC push_options
#pragma GCC optimize("no-trapping-math", "fp-contract=off")
#endif


#if defined(__GNUC__)
#define WGF_FV_INLINE inline __attribute__((always_inline))
#else
#define WGF_FV_INLINE inline
#endif

// The per-cell formulas below are templates over the lane type (double, or four doubles; see
// fv_lanes.hpp): the same operations either way, so vector and scalar cells agree bit for bit.

// ½ minmod(forward, backward): 0 at extrema, otherwise the smaller one-sided difference halved.
template <class V>
WGF_FV_INLINE V minmod_half(V forward, V backward) {
  const V smaller = abs_of(forward) < abs_of(backward) ? forward : backward;
  const V half = 0.5 * smaller;
  const V product = forward * backward;
  return product <= V{} ? V{} : half;
}

// std::max(a, b) spelled out: a library function compiled with other options would not be
// inlined here, and the call would keep the loop scalar.
template <class V>
WGF_FV_INLINE V max_of(V a, V b) {
  return a < b ? b : a;
}

// u > 0 ? u·east : u·west, with the operand chosen before the one product (the same numbers).
template <class V>
WGF_FV_INLINE V upwind(V u, V east, V west) {
  const V upstream = u > V{} ? east : west;
  return u * upstream;
}

// u = −(Φ_1 − Φ_0)/h as (Φ_1 − Φ_0)·(−1/h): (−x)·y = x·(−y) exactly, so the same numbers.
template <class V>
WGF_FV_INLINE V velocity(V phi_0, V phi_1, double neg_inv_h) {
  return (phi_1 - phi_0) * neg_inv_h;
}

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

// Flux through the interface c−½ of a strided axis, and the slope of cell c, for one row:
// ρ rows c−2, c−1, c, c+1 and Φ rows c−1, c. Starts a sweep along that axis at cell c.
template <bool Scaled>
WGF_FV_INLINE void strided_prologue(const double* __restrict rm2, const double* __restrict rm1,
                                    const double* __restrict r0, const double* __restrict r1,
                                    const double* __restrict fm1, const double* __restrict f0,
                                    double scale, double inv_h, double* __restrict slope,
                                    double* __restrict flux, double* __restrict umax,
                                    std::ptrdiff_t m) {
  for (std::ptrdiff_t j = 0; j < m; ++j) {
    const double s_m = minmod_half(r0[j] - rm1[j], rm1[j] - rm2[j]);
    const double s_0 = minmod_half(r1[j] - r0[j], r0[j] - rm1[j]);
    const double phi_m = Scaled ? scale * fm1[j] : fm1[j];
    const double phi_0 = Scaled ? scale * f0[j] : f0[j];
    const double u = velocity(phi_m, phi_0, -inv_h);
    umax[j] = max_of(umax[j], std::fabs(u));
    flux[j] = upwind(u, rm1[j] + s_m, r0[j] - s_0);
    slope[j] = s_0;
  }
}

// One cell i of a strided axis for one row: ρ rows i, i+1, i+2 and Φ rows i, i+1, the carried
// slope of cell i and flux at i−½ (replaced by those of i+1 and i+½); out = or += divergence.
template <bool Scaled, bool Accumulate>
WGF_FV_INLINE void strided_cell(const double* __restrict r0, const double* __restrict r1,
                                const double* __restrict r2, const double* __restrict f0,
                                const double* __restrict f1, double scale, double inv_h,
                                double* __restrict slope, double* __restrict flux,
                                double* __restrict out, double* __restrict umax,
                                std::ptrdiff_t m) {
  for (std::ptrdiff_t j = 0; j < m; ++j) {
    const double s_next = minmod_half(r2[j] - r1[j], r1[j] - r0[j]);
    const double phi_0 = Scaled ? scale * f0[j] : f0[j];
    const double phi_1 = Scaled ? scale * f1[j] : f1[j];
    const double u = velocity(phi_0, phi_1, -inv_h);
    umax[j] = max_of(umax[j], std::fabs(u));
    const double right = upwind(u, r0[j] + slope[j], r1[j] - s_next);
    const double divergence = (flux[j] - right) * inv_h;
    out[j] = Accumulate ? out[j] + divergence : divergence;
    flux[j] = right;
    slope[j] = s_next;
  }
}

// The same two steps for a mirrored pair: species p in Φ and species q in −Φ. Then
// u_q = −u_p: the same number as computing it from −Φ, up to the sign of a zero velocity, which
// changes no flux value (u = ±0 selects the same upstream value and gives a ±0 flux), so the
// states come out bit for bit the same; and |u_q| = |u_p| adds nothing to the maximum.
WGF_FV_INLINE void strided_prologue_pair(const double* const* __restrict rp,
                                         const double* const* __restrict rq,
                                         const double* __restrict fm1,
                                         const double* __restrict f0, double inv_h,
                                         double* __restrict slope_p, double* __restrict flux_p,
                                         double* __restrict slope_q, double* __restrict flux_q,
                                         double* __restrict umax, std::ptrdiff_t m) {
  const double* __restrict pm2 = rp[0];
  const double* __restrict pm1 = rp[1];
  const double* __restrict p0 = rp[2];
  const double* __restrict p1 = rp[3];
  const double* __restrict qm2 = rq[0];
  const double* __restrict qm1 = rq[1];
  const double* __restrict q0 = rq[2];
  const double* __restrict q1 = rq[3];
  for (std::ptrdiff_t j = 0; j < m; ++j) {
    const double u = velocity(fm1[j], f0[j], -inv_h);
    umax[j] = max_of(umax[j], std::fabs(u));
    const double sp_m = minmod_half(p0[j] - pm1[j], pm1[j] - pm2[j]);
    const double sp_0 = minmod_half(p1[j] - p0[j], p0[j] - pm1[j]);
    flux_p[j] = upwind(u, pm1[j] + sp_m, p0[j] - sp_0);
    slope_p[j] = sp_0;
    const double sq_m = minmod_half(q0[j] - qm1[j], qm1[j] - qm2[j]);
    const double sq_0 = minmod_half(q1[j] - q0[j], q0[j] - qm1[j]);
    flux_q[j] = upwind(-u, qm1[j] + sq_m, q0[j] - sq_0);
    slope_q[j] = sq_0;
  }
}

// Scratch of the last-axis sweep: reconstructed values per cell and fluxes per interface.
struct RowScratch {
  double* east;  // n:     ρ_j + s_j
  double* west;  // n + 1: ρ_j − s_j, and west[n] = west[0] (the periodic neighbour)
  double* flux;  // n + 1: flux[j + 1] = F_{j+½}, flux[0] = F_{−½} = F_{n−½}
};

// East and west reconstructions of one row along the last axis (periodic, n ≥ 4).
WGF_FV_INLINE void reconstruct_row(const double* __restrict rho, double* __restrict east,
                                   double* __restrict west, std::ptrdiff_t n) {
  {
    const double s = minmod_half(rho[1] - rho[0], rho[0] - rho[n - 1]);
    east[0] = rho[0] + s;
    west[0] = rho[0] - s;
  }
  for (std::ptrdiff_t j = 1; j < n - 1; ++j) {
    const double s = minmod_half(rho[j + 1] - rho[j], rho[j] - rho[j - 1]);
    east[j] = rho[j] + s;
    west[j] = rho[j] - s;
  }
  {
    const double s = minmod_half(rho[0] - rho[n - 1], rho[n - 1] - rho[n - 2]);
    east[n - 1] = rho[n - 1] + s;
    west[n - 1] = rho[n - 1] - s;
  }
  west[n] = west[0];
}

template <bool Accumulate>
WGF_FV_INLINE void divergence_row(const double* __restrict flux, double inv_h,
                                  double* __restrict out, std::ptrdiff_t n) {
  for (std::ptrdiff_t j = 0; j < n; ++j) {
    const double divergence = (flux[j] - flux[j + 1]) * inv_h;
    out[j] = Accumulate ? out[j] + divergence : divergence;
  }
}

// The last axis of one row (contiguous, periodic with period n ≥ 4): out = or += divergence.
// Interior cells and interfaces read the row directly; the two ends wrap in scalar code.
template <bool Scaled, bool Accumulate>
WGF_FV_INLINE void last_axis_row(const double* __restrict rho, const double* __restrict phi,
                                 double scale, double inv_h, const RowScratch& w,
                                 double* __restrict out, double* __restrict umax,
                                 std::ptrdiff_t n) {
  double* __restrict east = w.east;
  double* __restrict west = w.west;
  double* __restrict flux = w.flux;
  reconstruct_row(rho, east, west, n);
  for (std::ptrdiff_t j = 0; j < n - 1; ++j) {
    const double phi_0 = Scaled ? scale * phi[j] : phi[j];
    const double phi_1 = Scaled ? scale * phi[j + 1] : phi[j + 1];
    const double u = velocity(phi_0, phi_1, -inv_h);
    umax[j] = max_of(umax[j], std::fabs(u));
    flux[j + 1] = upwind(u, east[j], west[j + 1]);
  }
  {
    const double phi_0 = Scaled ? scale * phi[n - 1] : phi[n - 1];
    const double phi_1 = Scaled ? scale * phi[0] : phi[0];
    const double u = velocity(phi_0, phi_1, -inv_h);
    umax[n - 1] = max_of(umax[n - 1], std::fabs(u));
    flux[n] = flux[0] = upwind(u, east[n - 1], west[n]);
  }
  divergence_row<Accumulate>(flux, inv_h, out, n);
}

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

inline std::ptrdiff_t wrap(std::ptrdiff_t i, std::ptrdiff_t n) {
  return i < 0 ? i + n : (i >= n ? i - n : i);
}

// The complete rate row of species k at row (i0, i1): axis 0, axis 1 (3D), last axis, added in
// that order. plane[0..4] are the offsets of the axis-0 slabs i0−2 … i0+2.
template <bool S>
WGF_FV_INLINE void rate_row(const Geometry& g, const SpeciesField& f, int k,
                            const std::ptrdiff_t* plane, bool first_plane, std::ptrdiff_t i1,
                            ChunkScratch& w, double* __restrict out) {
  const std::ptrdiff_t n = g.n;
  const double inv_h = g.inv_h, scale = f.phi_scale;
  const double* rho = f.rho;
  const double* phi = f.phi;
  const std::ptrdiff_t in_slab = i1 * n;
  double* s0 = w.axis0_slope[k] + in_slab;
  double* f0 = w.axis0_flux[k] + in_slab;
  if (first_plane)
    strided_prologue<S>(rho + plane[0] + in_slab, rho + plane[1] + in_slab,
                        rho + plane[2] + in_slab, rho + plane[3] + in_slab,
                        phi + plane[1] + in_slab, phi + plane[2] + in_slab, scale, inv_h, s0, f0,
                        w.umax, n);
  strided_cell<S, false>(rho + plane[2] + in_slab, rho + plane[3] + in_slab,
                         rho + plane[4] + in_slab, phi + plane[2] + in_slab,
                         phi + plane[3] + in_slab, scale, inv_h, s0, f0, out, w.umax, n);
  if (g.dim == 3) {
    const double* r = rho + plane[2];
    const double* p = phi + plane[2];
    if (i1 == 0)
      strided_prologue<S>(r + wrap(-2, n) * n, r + wrap(-1, n) * n, r, r + n,
                          p + wrap(-1, n) * n, p, scale, inv_h, w.axis1_slope[k],
                          w.axis1_flux[k], w.umax, n);
    const std::ptrdiff_t next = wrap(i1 + 1, n) * n, next2 = wrap(i1 + 2, n) * n;
    strided_cell<S, true>(r + in_slab, r + next, r + next2, p + in_slab, p + next, scale, inv_h,
                          w.axis1_slope[k], w.axis1_flux[k], out, w.umax, n);
  }
  last_axis_row<S, true>(rho + plane[2] + in_slab, phi + plane[2] + in_slab, scale, inv_h,
                         w.row[0], out, w.umax, n);
}

template <bool S>
WGF_FV_INLINE void rate_row_1d(const Geometry& g, const SpeciesField& f, ChunkScratch& w,
                               double* __restrict out) {
  last_axis_row<S, false>(f.rho, f.phi, f.phi_scale, g.inv_h, w.row[0], out, w.umax, g.n);
}

// ---- The mirrored pair (p in Φ, q in −Φ): every axis of a row in one pass -------------------
//
// Per block of cells j … j+W−1 of row i (W lanes, see fv_lanes.hpp) both species get their
// complete rate: the strided axes as in strided_cell (carried slope and flux rows), then the
// last axis with the slope of the cell left of the block and the flux through its left face
// carried in registers (Lanes::shift_in) instead of reconstructed east/west/flux rows, and the
// epilogue's combination at once — the row is read once and nothing is stored but the results
// and the strided carries. The operations per cell and the order of the axis sums are those of
// the axis-by-axis formulation, so the bits are the same.

// Where one row of the pair reads: axis 0 (rows i+1, i+2 of ρ, row i+1 of Φ, carried rows) and,
// in 3D, axis 1 (rows i1+1, i1+2 of the plane, the next Φ row, carried rows).
struct PairRow {
  const double* p_next[2];
  const double* q_next[2];
  const double* phi_next;
  double* slope_p;
  double* flux_p;
  double* slope_q;
  double* flux_q;
};

template <class L>
struct PairCarry {
  typename L::V slope_p, slope_q;  // last lane: slope of the cell left of the block
  typename L::V flux_p, flux_q;    // last lane: flux through the block's left face
  typename L::V umax;
};

// One strided axis of a block for one species moved by velocity u: the next slope and flux
// replace the carried ones at j; returns (F_{i−½} − F_{i+½})/h.
template <class L>
WGF_FV_INLINE typename L::V strided_species(const double* next1, const double* next2,
                                            double* slope, double* flux, std::ptrdiff_t j,
                                            typename L::V rho, typename L::V u, double inv_h) {
  using V = typename L::V;
  const V r1 = L::load(next1 + j), r2 = L::load(next2 + j);
  const V s = minmod_half(r2 - r1, r1 - rho);
  const V right = upwind(u, rho + L::load(slope + j), r1 - s);
  const V divergence = (L::load(flux + j) - right) * inv_h;
  L::store(flux + j, right);
  L::store(slope + j, s);
  return divergence;
}

// One strided axis of a block for both species: div_k (+)= (F_{i−½} − F_{i+½})/h.
template <class L, bool Accumulate>
WGF_FV_INLINE void pair_block_strided(const PairRow& r, std::ptrdiff_t j, typename L::V rp,
                                      typename L::V rq, typename L::V phi, double inv_h,
                                      typename L::V& umax, typename L::V& div_p,
                                      typename L::V& div_q) {
  using V = typename L::V;
  const V u = velocity(phi, L::load(r.phi_next + j), -inv_h);
  umax = max_of(umax, abs_of(u));
  const V dp = strided_species<L>(r.p_next[0], r.p_next[1], r.slope_p, r.flux_p, j, rp, u, inv_h);
  const V dq = strided_species<L>(r.q_next[0], r.q_next[1], r.slope_q, r.flux_q, j, rq, -u, inv_h);
  if (Accumulate) {
    div_p = div_p + dp;
    div_q = div_q + dq;
  } else {
    div_p = dp;
    div_q = dq;
  }
}

// The last axis of a block for one species moved by velocity u (the faces j+½ …): slopes of
// cells j+1 …, the left neighbours' slope and flux from the carry, which they then replace;
// rho points at cell j (cells j … j+W+1 readable). Returns (F_{j−½} − F_{j+½})/h.
template <class L>
WGF_FV_INLINE typename L::V last_axis_species(const double* rho_row, typename L::V rho,
                                              typename L::V u, typename L::V& slope_carry,
                                              typename L::V& flux_carry, double inv_h) {
  using V = typename L::V;
  const V r1 = L::load(rho_row + 1), r2 = L::load(rho_row + 2);
  const V s_right = minmod_half(r2 - r1, r1 - rho);
  const V s_here = L::shift_in(slope_carry, s_right);
  const V flux = upwind(u, rho + s_here, r1 - s_right);
  const V left = L::shift_in(flux_carry, flux);
  slope_carry = s_right;
  flux_carry = flux;
  return (left - flux) * inv_h;
}

// The carry that starts a periodic row: the slope of cell 0 and F_{−½} = F_{n−½}.
WGF_FV_INLINE void last_axis_carry_start(const double* rho, std::ptrdiff_t n, double u_wrap,
                                         double& slope, double& flux) {
  const double s0 = minmod_half(rho[1] - rho[0], rho[0] - rho[n - 1]);
  const double s_last = minmod_half(rho[0] - rho[n - 1], rho[n - 1] - rho[n - 2]);
  slope = s0;
  flux = upwind(u_wrap, rho[n - 1] + s_last, rho[0] - s0);
}

// The block of cells j … j+W−1: lp, lq, lf point at ρ_p, ρ_q, Φ of cell j along the last axis
// (cells j … j+W+1 readable there); the rates go to epilogue.pair<L>(offset + j, …).
template <class L, bool ThreeD, class Epilogue>
WGF_FV_INLINE void pair_block(const PairRow& axis0, const PairRow& axis1, std::ptrdiff_t j,
                              const double* lp, const double* lq, const double* lf, double inv_h,
                              PairCarry<L>& c, Epilogue& epilogue, std::ptrdiff_t offset,
                              double* strided_p, double* strided_q) {
  using V = typename L::V;
  (void)axis1;  // (3D reads the strided axes' sum from strided_p/q instead)
  const V rp = L::load(lp), rq = L::load(lq), phi = L::load(lf);
  V div_p, div_q;
  if (ThreeD) {
    // The strided axes' sum, made by pair_strided_row.
    div_p = L::load(strided_p + j);
    div_q = L::load(strided_q + j);
  } else {
    pair_block_strided<L, false>(axis0, j, rp, rq, phi, inv_h, c.umax, div_p, div_q);
  }
  // Last axis: slopes of cells j+1 …, the left neighbours' from the carry.
  const V u = velocity(phi, L::load(lf + 1), -inv_h);
  c.umax = max_of(c.umax, abs_of(u));
  div_p = div_p + last_axis_species<L>(lp, rp, u, c.slope_p, c.flux_p, inv_h);
  div_q = div_q + last_axis_species<L>(lq, rq, -u, c.slope_q, c.flux_q, inv_h);
  epilogue.template pair<L>(offset + j, div_p, div_q, rp, rq);
}

// 3D: the two strided axes of a row in a loop of their own (in one loop with the last axis they
// would not fit the registers), their sum into strided_p/q.
template <class L>
WGF_FV_INLINE std::ptrdiff_t pair_strided_cells(const PairRow& axis0, const PairRow& axis1,
                                                const double* rho_p, const double* rho_q,
                                                const double* f, double inv_h, std::ptrdiff_t j,
                                                std::ptrdiff_t end, typename L::V& umax,
                                                double* strided_p, double* strided_q) {
  using V = typename L::V;
  for (; j + L::width <= end; j += L::width) {
    const V rp = L::load(rho_p + j), rq = L::load(rho_q + j), phi = L::load(f + j);
    V div_p, div_q;
    pair_block_strided<L, false>(axis0, j, rp, rq, phi, inv_h, umax, div_p, div_q);
    pair_block_strided<L, true>(axis1, j, rp, rq, phi, inv_h, umax, div_p, div_q);
    L::store(strided_p + j, div_p);
    L::store(strided_q + j, div_q);
  }
  return j;
}

// Both rates of the row (i0, i1), handed to the epilogue block by block. plane[0..4]: offsets
// of the axis-0 slabs i0−2 … i0+2.
// phi_plane[1..3]: Φ of the axis-0 slabs i0−1, i0, i0+1 (plane[] are the ρ slabs' offsets).
template <bool ThreeD, class Epilogue>
WGF_FV_INLINE void pair_row(const Geometry& g, const SpeciesField& fp, const SpeciesField& fq,
                            const std::ptrdiff_t* plane, const double* const* phi_plane,
                            bool first_plane, std::ptrdiff_t i1, ChunkScratch& w,
                            Epilogue& epilogue) {
  const std::ptrdiff_t n = g.n;
  const double inv_h = g.inv_h;
  const std::ptrdiff_t in_slab = i1 * n;
  const std::ptrdiff_t offset = plane[2] + in_slab;
  PairRow axis0{{fp.rho + plane[3] + in_slab, fp.rho + plane[4] + in_slab},
                {fq.rho + plane[3] + in_slab, fq.rho + plane[4] + in_slab},
                phi_plane[3] + in_slab,
                w.axis0_slope[0] + in_slab,
                w.axis0_flux[0] + in_slab,
                w.axis0_slope[1] + in_slab,
                w.axis0_flux[1] + in_slab};
  if (first_plane) {
    const double* rp[4];
    const double* rq[4];
    for (int k = 0; k < 4; ++k) {
      rp[k] = fp.rho + plane[k] + in_slab;
      rq[k] = fq.rho + plane[k] + in_slab;
    }
    strided_prologue_pair(rp, rq, phi_plane[1] + in_slab, phi_plane[2] + in_slab, inv_h,
                          axis0.slope_p, axis0.flux_p, axis0.slope_q, axis0.flux_q, w.umax, n);
  }
  PairRow axis1{};
  if (ThreeD) {
    const double* pp = fp.rho + plane[2];
    const double* qq = fq.rho + plane[2];
    const double* f = phi_plane[2];
    if (i1 == 0) {
      const std::ptrdiff_t rows[4] = {wrap(-2, n) * n, wrap(-1, n) * n, 0, n};
      const double* rp[4];
      const double* rq[4];
      for (int k = 0; k < 4; ++k) {
        rp[k] = pp + rows[k];
        rq[k] = qq + rows[k];
      }
      strided_prologue_pair(rp, rq, f + rows[1], f, inv_h, w.axis1_slope[0], w.axis1_flux[0],
                            w.axis1_slope[1], w.axis1_flux[1], w.umax, n);
    }
    const std::ptrdiff_t next = wrap(i1 + 1, n) * n, next2 = wrap(i1 + 2, n) * n;
    axis1 = {{pp + next, pp + next2}, {qq + next, qq + next2}, f + next,
             w.axis1_slope[0], w.axis1_flux[0], w.axis1_slope[1], w.axis1_flux[1]};
  }
  // Along the last axis (periodic): the slope of cell 0 and the flux through its left face,
  // F_{−½} = F_{n−½}, start the carry.
  const double* rho_p = fp.rho + offset;
  const double* rho_q = fq.rho + offset;
  const double* f = phi_plane[2] + in_slab;
  const double u_wrap = velocity(f[n - 1], f[0], -inv_h);
  PairCarry<Lanes1> c1;
  last_axis_carry_start(rho_p, n, u_wrap, c1.slope_p, c1.flux_p);
  last_axis_carry_start(rho_q, n, -u_wrap, c1.slope_q, c1.flux_q);
  c1.umax = 0.0;
  double* strided_p = w.rate_rows[0];
  double* strided_q = w.rate_rows[1];
  if (ThreeD) {
    Lanes4::V umax4 = Lanes4::splat(0.0);
    const std::ptrdiff_t done = pair_strided_cells<Lanes4>(axis0, axis1, rho_p, rho_q, f, inv_h, 0,
                                                           n, umax4, strided_p, strided_q);
    pair_strided_cells<Lanes1>(axis0, axis1, rho_p, rho_q, f, inv_h, done, n, c1.umax, strided_p,
                               strided_q);
    c1.umax = max_of(c1.umax, Lanes4::max_lane(umax4));
  }
  // Blocks of four while cells j … j+5 lie inside the row.
  std::ptrdiff_t j = 0;
  if (n >= Lanes4::width + 2) {
    PairCarry<Lanes4> c4{Lanes4::splat(c1.slope_p), Lanes4::splat(c1.slope_q),
                         Lanes4::splat(c1.flux_p),  Lanes4::splat(c1.flux_q),
                         Lanes4::splat(c1.umax)};
    for (; j + Lanes4::width + 2 <= n; j += Lanes4::width)
      pair_block<Lanes4, ThreeD>(axis0, axis1, j, rho_p + j, rho_q + j, f + j, inv_h, c4,
                                 epilogue, offset, strided_p, strided_q);
    c1.slope_p = Lanes4::last(c4.slope_p);
    c1.slope_q = Lanes4::last(c4.slope_q);
    c1.flux_p = Lanes4::last(c4.flux_p);
    c1.flux_q = Lanes4::last(c4.flux_q);
    c1.umax = Lanes4::max_lane(c4.umax);
  }
  // The remaining cells (2 … 5 of them, or a short row) one at a time, from copies of the row's
  // end followed by its first two cells (the periodic neighbours).
  constexpr std::ptrdiff_t kTail = Lanes4::width + 1 + 2;
  double tail_p[kTail + 1], tail_q[kTail + 1], tail_f[kTail + 1];
  const std::ptrdiff_t remaining = n - j;
  for (std::ptrdiff_t k = 0; k < remaining + 2; ++k) {
    const std::ptrdiff_t cell = j + k < n ? j + k : j + k - n;
    tail_p[k] = rho_p[cell];
    tail_q[k] = rho_q[cell];
    tail_f[k] = f[cell];
  }
  for (std::ptrdiff_t k = 0; k < remaining; ++k)
    pair_block<Lanes1, ThreeD>(axis0, axis1, j + k, tail_p + k, tail_q + k, tail_f + k, inv_h,
                               c1, epilogue, offset, strided_p, strided_q);
  w.umax_rows = max_of(w.umax_rows, c1.umax);
}

// Epilogue interface of the sweep:
//   double* row_out(int k, std::ptrdiff_t offset, double* scratch_row)
//       where species k's rate row (cells offset … offset+n−1) is to be written: into the
//       destination, or into scratch_row (n values) when the epilogue consumes it;
//   void row_done(std::ptrdiff_t offset, double* const* rows)
//       once the rows of all species are complete (rows[k] as returned by row_out);
//   void slab_begin(std::ptrdiff_t i0), slab_end(std::ptrdiff_t i0)
//       around the rows of slab i0 (the cells with index i0 along axis 0; d ≥ 2).
// Rows and slabs are disjoint between threads; the calls run on the thread that made them.
template <bool S0, bool S1, bool Mirrored, class Epilogue>
WGF_FV_INLINE double sweep_chunk_body(const Geometry& g, int species_count,
                                      const SpeciesField* species, std::ptrdiff_t c0,
                                      std::ptrdiff_t c1, Epilogue& epilogue) {
  const std::ptrdiff_t n = g.n;
  ChunkScratch w(g.dim, n);
  double* outs[2] = {nullptr, nullptr};
  if (g.dim == 1) {
    // 1D grids are small: no mirrored fast path here.
    for (int k = 0; k < species_count; ++k) {
      outs[k] = epilogue.row_out(k, 0, w.rate_rows[k]);
      if (k == 0)
        rate_row_1d<S0>(g, species[0], w, outs[0]);
      else
        rate_row_1d<S1>(g, species[1], w, outs[1]);
    }
    epilogue.row_done(0, outs);
  } else {
    const std::ptrdiff_t slab = g.dim == 2 ? n : n * n;
    const std::ptrdiff_t rows_per_slab = slab / n;
    // The mirrored pair's Φ slabs i0−1, i0, i0+1: from the whole-grid array, or made one slab
    // ahead into a ring (PhiSlabs).
    const double* phi_plane[5] = {nullptr, nullptr, nullptr, nullptr, nullptr};
    [[maybe_unused]] PhiSlabs* source = nullptr;
    [[maybe_unused]] std::ptrdiff_t thread = 0;
    if constexpr (Mirrored) {
      source = species[0].phi_slabs;
      if (source) {
        thread = omp_get_thread_num();
        phi_plane[2] = source->make(wrap(c0 - 1, n), thread, 0);
        phi_plane[3] = source->make(c0, thread, 1);
      }
    }
    for (std::ptrdiff_t i0 = c0; i0 < c1; ++i0) {
      const std::ptrdiff_t plane[5] = {wrap(i0 - 2, n) * slab, wrap(i0 - 1, n) * slab, i0 * slab,
                                       wrap(i0 + 1, n) * slab, wrap(i0 + 2, n) * slab};
      if constexpr (Mirrored) {
        if (source) {
          phi_plane[1] = phi_plane[2];
          phi_plane[2] = phi_plane[3];
          phi_plane[3] = source->make(wrap(i0 + 1, n), thread, static_cast<int>((i0 - c0 + 2) % 3));
        } else {
          for (int k = 1; k <= 3; ++k) phi_plane[k] = species[0].phi + plane[k];
        }
      }
      epilogue.slab_begin(i0);
      for (std::ptrdiff_t i1 = 0; i1 < rows_per_slab; ++i1) {
        const std::ptrdiff_t offset = plane[2] + i1 * n;
        if (Mirrored) {
          if (g.dim == 3)
            pair_row<true>(g, species[0], species[1], plane, phi_plane, i0 == c0, i1, w, epilogue);
          else
            pair_row<false>(g, species[0], species[1], plane, phi_plane, i0 == c0, i1, w,
                            epilogue);
          continue;
        } else {
          for (int k = 0; k < species_count; ++k) {
            outs[k] = epilogue.row_out(k, offset, w.rate_rows[k]);
            if (k == 0)
              rate_row<S0>(g, species[0], 0, plane, i0 == c0, i1, w, outs[0]);
            else
              rate_row<S1>(g, species[1], 1, plane, i0 == c0, i1, w, outs[1]);
          }
        }
        epilogue.row_done(offset, outs);
      }
      epilogue.slab_end(i0);
    }
  }
  double m = w.umax_rows;
  for (std::ptrdiff_t j = 0; j < n; ++j) m = std::max(m, w.umax[j]);
  return m;
}

// The instruction sets the sweep is compiled for. `automatic` takes the widest the CPU has;
// the others force one path (tests run each against the reference; all give the same bits).
enum class Isa { automatic, baseline, avx2, avx512 };
inline Isa forced_isa = Isa::automatic;

template <bool S0, bool S1, bool Mirrored, class Epilogue>
double sweep_chunk_baseline(const Geometry& g, int count, const SpeciesField* species,
                            std::ptrdiff_t c0, std::ptrdiff_t c1, Epilogue& epilogue) {
  return sweep_chunk_body<S0, S1, Mirrored>(g, count, species, c0, c1, epilogue);
}

#if defined(__GNUC__) && !defined(__clang__) && (defined(__x86_64__) || defined(__i386__))
#define WGF_FV_HAVE_X86_PATHS 1
// AVX2 without FMA: wider vectors, the same operations, the same bits.
template <bool S0, bool S1, bool Mirrored, class Epilogue>
__attribute__((target("avx2"))) double sweep_chunk_avx2(const Geometry& g, int count,
                                                         const SpeciesField* species,
                                                         std::ptrdiff_t c0, std::ptrdiff_t c1,
                                                         Epilogue& epilogue) {
  return sweep_chunk_body<S0, S1, Mirrored>(g, count, species, c0, c1, epilogue);
}

// AVX-512 (F, VL, DQ, BW) on 256-bit vectors (GCC's default width): mask registers for the
// selections and twice the registers. It brings FMA, but contraction is off above.
template <bool S0, bool S1, bool Mirrored, class Epilogue>
__attribute__((target("avx512f,avx512vl,avx512dq,avx512bw"))) double sweep_chunk_avx512(
    const Geometry& g, int count, const SpeciesField* species, std::ptrdiff_t c0,
    std::ptrdiff_t c1, Epilogue& epilogue) {
  return sweep_chunk_body<S0, S1, Mirrored>(g, count, species, c0, c1, epilogue);
}
#endif

inline bool cpu_supports(Isa isa) {
#ifdef WGF_FV_HAVE_X86_PATHS
  static const bool avx2 = __builtin_cpu_supports("avx2");
  static const bool avx512 = __builtin_cpu_supports("avx512f") &&
                             __builtin_cpu_supports("avx512vl") &&
                             __builtin_cpu_supports("avx512dq") &&
                             __builtin_cpu_supports("avx512bw");
  if (isa == Isa::avx2) return avx2;
  if (isa == Isa::avx512) return avx512;
#else
  if (isa == Isa::avx2 || isa == Isa::avx512) return false;
#endif
  return true;
}

// The path a sweep takes now: the forced one if the CPU has it, else the widest available.
inline Isa active_isa() {
  if (forced_isa != Isa::automatic && cpu_supports(forced_isa)) return forced_isa;
  if (cpu_supports(Isa::avx512)) return Isa::avx512;
  if (cpu_supports(Isa::avx2)) return Isa::avx2;
  return Isa::baseline;
}

template <bool S0, bool S1, bool Mirrored, class Epilogue>
double sweep_chunk(const Geometry& g, int count, const SpeciesField* species, std::ptrdiff_t c0,
                   std::ptrdiff_t c1, Epilogue& epilogue, Isa isa) {
#ifdef WGF_FV_HAVE_X86_PATHS
  if (isa == Isa::avx512)
    return sweep_chunk_avx512<S0, S1, Mirrored>(g, count, species, c0, c1, epilogue);
  if (isa == Isa::avx2)
    return sweep_chunk_avx2<S0, S1, Mirrored>(g, count, species, c0, c1, epilogue);
#endif
  (void)isa;
  return sweep_chunk_baseline<S0, S1, Mirrored>(g, count, species, c0, c1, epilogue);
}

// Epilogue: the rate rows go straight into the destinations rate[k]. With `totals` (one record
// per thread, `totals_capacity` of them) the fused pair rows also gather the densities' sums
// and extremes: four running sums per density (one per lane) plus one for the cells done one
// at a time, added at the end as ((s0 + s1) + (s2 + s3)) + s_tail — the same on every ISA path.
struct RateEpilogue {
  double* rate[2] = {nullptr, nullptr};
  DensityTotals* totals = nullptr;
  std::ptrdiff_t totals_capacity = 0;

  double* row_out(int k, std::ptrdiff_t offset, double*) const { return rate[k] + offset; }
  void row_done(std::ptrdiff_t, double* const*) const {}
  void slab_begin(std::ptrdiff_t) const {}
  void slab_end(std::ptrdiff_t) const {}

  // Per-thread state (the sweep gives each thread its own copy).
  std::ptrdiff_t thread = 0;
  Double4 sum4[2], min4[2], max4[2];
  double sum1[2], min1[2], max1[2];
  std::ptrdiff_t cells = 0;

  void begin(std::ptrdiff_t t) {
    thread = t;
    constexpr double inf = std::numeric_limits<double>::infinity();
    for (int k = 0; k < 2; ++k) {
      sum4[k] = Lanes4::splat(0.0);
      min4[k] = Lanes4::splat(inf);
      max4[k] = Lanes4::splat(-inf);
      sum1[k] = 0;
      min1[k] = inf;
      max1[k] = -inf;
    }
    cells = 0;
  }
  void end() const {
    if (!totals || thread >= totals_capacity || cells == 0) return;
    DensityTotals& out = totals[thread];
    double sums[2], mins[2], maxs[2];
    for (int k = 0; k < 2; ++k) {
      const Double4 s = sum4[k];
      sums[k] = ((s[0] + s[1]) + (s[2] + s[3])) + sum1[k];
      const Double4 lo = min4[k], hi = max4[k];
      double m = min1[k], x = max1[k];
      for (int l = 0; l < 4; ++l) {
        m = lo[l] < m ? lo[l] : m;
        x = x < hi[l] ? hi[l] : x;
      }
      mins[k] = m;
      maxs[k] = x;
    }
    out.sum_p = sums[0];
    out.sum_q = sums[1];
    out.min_p = mins[0];
    out.min_q = mins[1];
    out.max_p = maxs[0];
    out.max_q = maxs[1];
    out.cells = cells;
  }

  // A block of a fused pair row (pair_row): the rates of cells index … index+W−1.
  template <class L>
  WGF_FV_INLINE void pair(std::ptrdiff_t index, typename L::V rate_p, typename L::V rate_q,
                          typename L::V rho_p, typename L::V rho_q) {
    L::store(rate[0] + index, rate_p);
    L::store(rate[1] + index, rate_q);
    if (!totals) return;
    if constexpr (L::width == 4) {
      gather(sum4[0], min4[0], max4[0], rho_p);
      gather(sum4[1], min4[1], max4[1], rho_q);
    } else {
      gather(sum1[0], min1[0], max1[0], rho_p);
      gather(sum1[1], min1[1], max1[1], rho_q);
    }
    cells += L::width;
  }
  template <class V>
  static WGF_FV_INLINE void gather(V& sum, V& lo, V& hi, V rho) {
    sum = sum + rho;
    lo = rho < lo ? rho : lo;
    hi = hi < rho ? rho : hi;
  }
};

// Where a stage sweep may hand over w slab by slab instead of writing the whole grid's w
// (SpectralPotential::transform_slab behind it): each thread forms its slabs in buffer(thread).
struct SlabSink {
  virtual double* buffer(std::ptrdiff_t thread) = 0;
  virtual void slab_done(std::ptrdiff_t index, const double* slab) = 0;

protected:
  ~SlabSink() = default;
};

// Epilogue: one SSP-RK stage formed as soon as a row's rates are known,
//   next_k = a x_k + b (y_k + dt L_k)   for each swept species k (y_k is the swept density),
// then the next potential's input w = p_next − q_next (a species that does not move enters
// with its fixed field). The same expressions, in the same order, as the separate passes.
// With a sink, w goes into the thread's slab buffer (w_shift: the slab's first cell) and each
// finished slab to the sink; without, into the whole-grid array w.
struct StageEpilogue {
  std::ptrdiff_t n = 0;
  int species = 0;
  double a = 0, b = 0, dt = 0;
  const double* x[2] = {nullptr, nullptr};
  const double* y[2] = {nullptr, nullptr};
  double* next[2] = {nullptr, nullptr};
  const double* w_p = nullptr;  // the arrays w is formed from (next[k] or a fixed field)
  const double* w_q = nullptr;
  double* w = nullptr;
  SlabSink* sink = nullptr;
  std::ptrdiff_t slab_cells = 0;
  std::ptrdiff_t w_shift = 0;

  double* row_out(int, std::ptrdiff_t, double* scratch) const { return scratch; }
  void begin(std::ptrdiff_t t) {
    if (sink) w = sink->buffer(t);
  }
  void end() const {}
  void slab_begin(std::ptrdiff_t i0) {
    if (sink) w_shift = i0 * slab_cells;
  }
  void slab_end(std::ptrdiff_t i0) const {
    if (sink) sink->slab_done(i0, w);
  }
  // A block of a fused pair row (pair_row; both species move): the stage and w of cells
  // index … index+W−1, from their rates and swept densities.
  template <class L>
  WGF_FV_INLINE void pair(std::ptrdiff_t index, typename L::V rate_p, typename L::V rate_q,
                          typename L::V rho_p, typename L::V rho_q) const {
    using V = typename L::V;
    const V np = a * L::load(x[0] + index) + b * (rho_p + dt * rate_p);
    const V nq = a * L::load(x[1] + index) + b * (rho_q + dt * rate_q);
    L::store(next[0] + index, np);
    L::store(next[1] + index, nq);
    L::store(w + (index - w_shift), np - nq);
  }
  // One loop per row over everything written (fewer passes than stage, stage, difference).
  void row_done(std::ptrdiff_t offset, double* const* rows) const {
    if (species == 2) {
      stage_pair_row(x[0] + offset, y[0] + offset, rows[0], x[1] + offset, y[1] + offset, rows[1],
                     a, b, dt, next[0] + offset, next[1] + offset, w + (offset - w_shift), n);
    } else if (species == 1) {
      // One species moves; the other enters w with its fixed field.
      const bool moving_p = w_p == next[0];
      stage_single_row(x[0] + offset, y[0] + offset, rows[0], (moving_p ? w_q : w_p) + offset,
                       moving_p, a, b, dt, next[0] + offset, w + (offset - w_shift), n);
    } else {
      difference_row(w_p + offset, w_q + offset, w + (offset - w_shift), n);
    }
  }

  // (Free of `this`: restrict parameters are what lets the compiler vectorise these loops.)
  static WGF_FV_INLINE void stage_pair_row(const double* __restrict xp,
                                           const double* __restrict yp,
                                           const double* __restrict rp,
                                           const double* __restrict xq,
                                           const double* __restrict yq,
                                           const double* __restrict rq, double a, double b,
                                           double dt, double* __restrict out_p,
                                           double* __restrict out_q, double* __restrict w,
                                           std::ptrdiff_t n) {
    for (std::ptrdiff_t j = 0; j < n; ++j) {
      const double np = a * xp[j] + b * (yp[j] + dt * rp[j]);
      const double nq = a * xq[j] + b * (yq[j] + dt * rq[j]);
      out_p[j] = np;
      out_q[j] = nq;
      w[j] = np - nq;
    }
  }
  static WGF_FV_INLINE void stage_single_row(const double* __restrict x,
                                             const double* __restrict y,
                                             const double* __restrict rate,
                                             const double* __restrict fixed, bool moving_p,
                                             double a, double b, double dt,
                                             double* __restrict out, double* __restrict w,
                                             std::ptrdiff_t n) {
    if (moving_p) {
      for (std::ptrdiff_t j = 0; j < n; ++j) {
        const double v = a * x[j] + b * (y[j] + dt * rate[j]);
        out[j] = v;
        w[j] = v - fixed[j];
      }
    } else {
      for (std::ptrdiff_t j = 0; j < n; ++j) {
        const double v = a * x[j] + b * (y[j] + dt * rate[j]);
        out[j] = v;
        w[j] = fixed[j] - v;
      }
    }
  }
  static WGF_FV_INLINE void difference_row(const double* __restrict p, const double* __restrict q,
                                           double* __restrict w, std::ptrdiff_t n) {
    for (std::ptrdiff_t j = 0; j < n; ++j) w[j] = p[j] - q[j];
  }
};

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC pop_options
#endif

// p in Φ and q in −Φ (the discriminator): one velocity per interface serves both, and only
// this path takes Φ by slabs (SpeciesField::phi_slabs).
inline bool mirrored_pair(const Geometry& g, int species_count, const SpeciesField* species) {
  return species_count == 2 && g.dim >= 2 && species[1].phi == species[0].phi &&
         species[1].phi_slabs == species[0].phi_slabs && species[0].phi_scale == 1.0 &&
         species[1].phi_scale == -1.0;
}

// The whole grid: axis 0 split into contiguous chunks, one per thread (1D: one thread).
// Returns max |u| over all interfaces of all species.
template <class Epilogue>
double sweep(const Geometry& g, int species_count, const SpeciesField* species,
             Epilogue& epilogue) {
  bool scaled[2] = {false, false};
  for (int k = 0; k < species_count; ++k) scaled[k] = species[k].phi_scale != 1.0;
  const bool mirrored = mirrored_pair(g, species_count, species);
  const Isa isa = active_isa();
  auto run = [&](std::ptrdiff_t c0, std::ptrdiff_t c1, Epilogue& epilogue) {
    const int count = species_count;
    if (mirrored) return sweep_chunk<false, true, true>(g, count, species, c0, c1, epilogue, isa);
    if (scaled[0])
      return scaled[1] ? sweep_chunk<true, true, false>(g, count, species, c0, c1, epilogue, isa)
                       : sweep_chunk<true, false, false>(g, count, species, c0, c1, epilogue, isa);
    return scaled[1] ? sweep_chunk<false, true, false>(g, count, species, c0, c1, epilogue, isa)
                     : sweep_chunk<false, false, false>(g, count, species, c0, c1, epilogue, isa);
  };
  if (g.dim == 1) {
    Epilogue local = epilogue;
    local.begin(0);
    const double m = run(0, g.n, local);
    local.end();
    return m;
  }
  double max_speed = 0;
  const std::ptrdiff_t n = g.n;
  // On the team from kParallelCells cells (the results do not depend on the split: every flux
  // is a function of its neighbours, and max is exact).
  const std::ptrdiff_t cells = g.dim == 2 ? n * n : n * n * n;
#pragma omp parallel reduction(max : max_speed) if (cells >= kParallelCells)
  {
    const std::ptrdiff_t threads = omp_get_num_threads(), t = omp_get_thread_num();
    const std::ptrdiff_t c0 = n * t / threads, c1 = n * (t + 1) / threads;
    Epilogue local = epilogue;  // per-thread state (gathered totals)
    local.begin(t);
    if (c1 > c0) max_speed = std::max(max_speed, run(c0, c1, local));
    local.end();
  }
  return max_speed;
}

}  // namespace wgf::fv
