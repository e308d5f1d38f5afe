#pragma once
// Internal to the grid solver: the general path of the fused finite-volume sweep, one species
// and one row at a time (a row is a line along the last, contiguous axis), axis by axis.
//
// Per cell i along an axis: slope s_i = ½ minmod(ρ_{i+1} − ρ_i, ρ_i − ρ_{i−1}), computed once
// and carried; interface flux F_{i+½} = u > 0 ? u (ρ_i + s_i) : u (ρ_{i+1} − s_{i+1}) with
// u = −(Φ_{i+1} − Φ_i)/h, carried to the next cell; divergence (F_{i−½} − F_{i+½})/h
// (fv_cell_formulas.hpp). Strided axes are swept one row at a time with the carried slope and
// flux rows (vectorised over the row); the last axis reconstructs east/west rows and then
// fluxes (no modulo in the inner loops). rate_row adds the axes in axis order, exactly as the
// axis-by-axis formulation adds them, so results are bitwise the same.
#include <cmath>
#include <cstddef>

#include "fv_lanes.hpp"
#include "fv_sweep_types.hpp"

#include "fv_float_options_begin.hpp"

namespace wgf::fv {

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

}  // namespace wgf::fv

#include "fv_float_options_end.hpp"
