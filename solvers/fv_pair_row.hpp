#pragma once
// Internal to the grid solver: the fused finite-volume sweep's fast road for the mirrored pair
// (p in Φ, q in −Φ: the discriminator and its relatives): every axis of a row and the
// epilogue in one pass, written over the lane types of fv_lanes.hpp, with the last axis's
// carries held in registers.
#include <cstddef>

#include "fv_axis_rows.hpp"  // strided_prologue_pair
#include "fv_lanes.hpp"
#include "fv_sweep_types.hpp"

#include "fv_float_options_begin.hpp"

namespace wgf::fv {

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

}  // namespace wgf::fv

#include "fv_float_options_end.hpp"
