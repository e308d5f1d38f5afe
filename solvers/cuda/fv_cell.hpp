#pragma once
// The per-cell arithmetic of the CUDA grid solver as plain functions that compile for the host
// and the device (WGF_HOST_DEVICE). The kernels in flow_kernels.cu are thin launches of these;
// the test tests/test_cuda_cell_reference.cpp runs the very same functions on the host, column
// by column as the GPU threads do, against the CPU solver (solvers/fv_sweep.hpp). So the index
// arithmetic, the periodic wrap and the operation order of the GPU code are checked on every
// machine, with or without a GPU.
//
// The scheme is the CPU solver's, operation for operation: the per-cell formulas are the very
// functions the CPU sweep runs (../fv_cell_formulas.hpp), and the CUDA sources are compiled with
// --fmad=false, the CPU sweep with fp-contract=off, so both round alike:
//   s_i = ½ minmod(ρ_{i+1} − ρ_i, ρ_i − ρ_{i−1}),  u_{i+½} = (Φ_{i+1} − Φ_i)·(−1/h),
//   F_{i+½} = u·(u > 0 ? ρ_i + s_i : ρ_{i+1} − s_{i+1}),  div_axis = (F_{i−½} − F_{i+½})/h,
//   dρ/dt = (div_0 + div_1) + div_2   (the axis order of the CPU sweep).
//
// Work split (the GPU's and the host emulation's): axis 0 is marched. A thread owns one
// column — one in-plane index j over axes 1 … d−1 — and a chunk of consecutive axis-0 cells; it
// carries the axis-0 slope, flux and window of ρ and Φ from cell to cell as the CPU's strided
// sweep carries its rows, so each value along axis 0 is loaded once. The in-plane axes compute
// both faces of their cell from the neighbours (through the caches on a GPU). In 1D the single
// axis is the marched one and the plane is one cell.
#include <cstdint>

#include "../fv_cell_formulas.hpp"
#include "wgf/host_device.hpp"

namespace wgf::cuda_cell {

using Index = long long;

// Read-only loads through the non-coherent cache on the device; plain loads on the host.
template <class T>
WGF_HOST_DEVICE T load(const T* p) {
#if defined(__CUDA_ARCH__)
  return __ldg(p);
#else
  return *p;
#endif
}

// The scheme's per-cell formulas, the CPU sweep's own (fv_cell_formulas.hpp).
using fv::abs_of;
using fv::max_of;
using fv::minmod_half;
using fv::upwind;
using fv::velocity;

template <class Real>
struct Geometry {
  int dim;
  Index n;      // cells per axis
  Index plane;  // N^{d−1}: cells per axis-0 slab
  Real inv_h, neg_inv_h;
};

// One swept species: its density ρ (or, OnTheFly, the first RK stage ρ + dt·rate formed as it is
// read, so that stage is never stored), and its potential Φ read as scale·phi.
template <class Real, bool OnTheFly>
struct SpeciesIn {
  const Real* rho;
  const Real* rate;  // OnTheFly only
  Real dt;           // OnTheFly only
  const Real* phi;
  Real scale;

  WGF_HOST_DEVICE Real density(Index i) const {
    if constexpr (OnTheFly)
      return load(rho + i) + dt * load(rate + i);
    else
      return load(rho + i);
  }
  WGF_HOST_DEVICE Real potential(Index i) const { return scale * load(phi + i); }
};

WGF_HOST_DEVICE Index wrap(Index i, Index n) { return i < 0 ? i + n : (i >= n ? i - n : i); }

// The divergence along one in-plane axis at cell `centre` (coordinate `coord` on that axis,
// `stride` between neighbours), both faces computed here; rho_c, phi_c are the cell's own values.
template <class Real, class Species>
WGF_HOST_DEVICE Real in_plane_divergence(const Species& sp, Index centre, Index coord, Index stride, Index n,
                                Real rho_c, Real phi_c, Real inv_h, Real neg_inv_h, Real& umax) {
  const Index im2 = centre + (wrap(coord - 2, n) - coord) * stride;
  const Index im1 = centre + (wrap(coord - 1, n) - coord) * stride;
  const Index ip1 = centre + (wrap(coord + 1, n) - coord) * stride;
  const Index ip2 = centre + (wrap(coord + 2, n) - coord) * stride;
  const Real rm2 = sp.density(im2), rm1 = sp.density(im1);
  const Real rp1 = sp.density(ip1), rp2 = sp.density(ip2);
  const Real phi_m = sp.potential(im1), phi_p = sp.potential(ip1);
  const Real s_m = minmod_half(rho_c - rm1, rm1 - rm2);
  const Real s_0 = minmod_half(rp1 - rho_c, rho_c - rm1);
  const Real s_p = minmod_half(rp2 - rp1, rp1 - rho_c);
  const Real u_left = velocity(phi_m, phi_c, neg_inv_h);
  const Real u_right = velocity(phi_c, phi_p, neg_inv_h);
  umax = max_of(umax, abs_of(u_left));
  umax = max_of(umax, abs_of(u_right));
  const Real left = upwind(u_left, rm1 + s_m, rho_c - s_0);
  const Real right = upwind(u_right, rho_c + s_0, rp1 - s_p);
  return (left - right) * inv_h;
}

// What a column carries along axis 0 for one species: the slope s_i and flux F_{i−½} of the
// current cell i, ρ_i, ρ_{i+1} and Φ_i.
template <class Real>
struct AxisZeroCarry {
  Real slope, flux, rho_0, rho_1, phi_0;
};

// Starts a column at axis-0 cell c (flat index offsets are i0·plane + j).
template <class Real, class Species>
WGF_HOST_DEVICE AxisZeroCarry<Real> axis_zero_prologue(const Species& sp, const Geometry<Real>& g, Index j,
                                              Index c, Real& umax) {
  const Real rm2 = sp.density(wrap(c - 2, g.n) * g.plane + j);
  const Real rm1 = sp.density(wrap(c - 1, g.n) * g.plane + j);
  const Real r0 = sp.density(c * g.plane + j);
  const Real r1 = sp.density(wrap(c + 1, g.n) * g.plane + j);
  const Real phi_m = sp.potential(wrap(c - 1, g.n) * g.plane + j);
  const Real phi_0 = sp.potential(c * g.plane + j);
  const Real s_m = minmod_half(r0 - rm1, rm1 - rm2);
  const Real s_0 = minmod_half(r1 - r0, r0 - rm1);
  const Real u = velocity(phi_m, phi_0, g.neg_inv_h);
  umax = max_of(umax, abs_of(u));
  return {s_0, upwind(u, rm1 + s_m, r0 - s_0), r0, r1, phi_0};
}

// The axis-0 divergence of cell i (the carry's current cell), advancing the carry to i + 1.
template <class Real, class Species>
WGF_HOST_DEVICE Real axis_zero_step(const Species& sp, const Geometry<Real>& g, Index j, Index i,
                           AxisZeroCarry<Real>& c, Real& umax) {
  const Real r2 = sp.density(wrap(i + 2, g.n) * g.plane + j);
  const Real phi_1 = sp.potential(wrap(i + 1, g.n) * g.plane + j);
  const Real s_next = minmod_half(r2 - c.rho_1, c.rho_1 - c.rho_0);
  const Real u = velocity(c.phi_0, phi_1, g.neg_inv_h);
  umax = max_of(umax, abs_of(u));
  const Real right = upwind(u, c.rho_0 + c.slope, c.rho_1 - s_next);
  const Real divergence = (c.flux - right) * g.inv_h;
  c = {s_next, right, c.rho_1, r2, phi_1};
  return divergence;
}

// One column: cells i0 ∈ [begin, end) at in-plane index j, for NS species at once. For every
// cell, sink.cell(index, rate[NS], centre[NS]) receives the complete dρ/dt of each species and
// the density it was computed for. Returns nothing; max |u| of every visited interface goes
// into umax.
template <class Real, int NS, class Species, class Sink>
WGF_HOST_DEVICE void march_column(const Geometry<Real>& g, const Species (&sp)[NS], Index j, Index begin,
                         Index end, Sink& sink, Real& umax) {
  AxisZeroCarry<Real> carry[NS];
  for (int k = 0; k < NS; ++k) carry[k] = axis_zero_prologue(sp[k], g, j, begin, umax);
  const Index i1 = g.dim == 3 ? j / g.n : 0;
  const Index i2 = j - i1 * g.n;
  for (Index i = begin; i < end; ++i) {
    const Index cell = i * g.plane + j;
    Real rate[NS], centre[NS];
    for (int k = 0; k < NS; ++k) {
      const Real rho_c = carry[k].rho_0, phi_c = carry[k].phi_0;
      Real out = axis_zero_step(sp[k], g, j, i, carry[k], umax);
      if (g.dim == 3)
        out = out + in_plane_divergence(sp[k], cell, i1, g.n, g.n, rho_c, phi_c, g.inv_h,
                                        g.neg_inv_h, umax);
      if (g.dim >= 2)
        out = out + in_plane_divergence(sp[k], cell, i2, Index(1), g.n, rho_c, phi_c, g.inv_h,
                                        g.neg_inv_h, umax);
      rate[k] = out;
      centre[k] = rho_c;
    }
    sink.cell(cell, rate, centre);
  }
}

// Totals and extremes of one field over the cells a thread (or block, or grid) has seen, with
// the first index of the maximum (ties: the smaller index, as std::max_element finds it).
// Trivially constructible (it lives in shared memory): start from identity().
struct FieldSummary {
  double sum, min, max;
  Index argmax;

  WGF_HOST_DEVICE static FieldSummary identity() {
    return {0.0, __builtin_huge_val(), -__builtin_huge_val(), Index(-1)};
  }

  WGF_HOST_DEVICE void add(double v, Index i) {
    sum += v;
    if (v < min) min = v;
    if (v > max || (v == max && i < argmax)) {
      max = v;
      argmax = i;
    }
  }
  WGF_HOST_DEVICE void merge(const FieldSummary& o) {
    sum += o.sum;
    if (o.min < min) min = o.min;
    if (o.max > max || (o.max == max && o.argmax >= 0 && (argmax < 0 || o.argmax < argmax))) {
      max = o.max;
      argmax = o.argmax;
    }
  }
};

// Sink: rates into rate[k]; with Summarise also the summary of each swept density (call
// reset() before the first cell).
template <class Real, int NS, bool Summarise>
struct RateSink {
  Real* rate[NS];
  FieldSummary summary[NS];

  WGF_HOST_DEVICE void reset() {
    for (int k = 0; k < NS; ++k) summary[k] = FieldSummary::identity();
  }

  WGF_HOST_DEVICE void cell(Index i, const Real (&r)[NS], const Real (&centre)[NS]) {
    for (int k = 0; k < NS; ++k) {
      rate[k][i] = r[k];
      if constexpr (Summarise) summary[k].add(static_cast<double>(centre[k]), i);
    }
  }
};

// Sink: one SSP-RK stage, next_k = a·x_k + b·(y_k + dt·L_k) with y_k the swept density, then the
// next potential's input w = p_next − q_next (a species that does not move enters with its
// fixed field: fixed_p / fixed_q non-null exactly when that species is not swept).
template <class Real, int NS>
struct StageSink {
  Real a, b, dt;
  const Real* x[NS];
  Real* next[NS];
  int slot_p, slot_q;  // the species' index among the swept ones, or −1
  const Real* fixed_p;
  const Real* fixed_q;
  Real* w;

  WGF_HOST_DEVICE void cell(Index i, const Real (&r)[NS], const Real (&centre)[NS]) {
    Real value[NS];
    for (int k = 0; k < NS; ++k) {
      value[k] = a * load(x[k] + i) + b * (centre[k] + dt * r[k]);
      next[k][i] = value[k];
    }
    // (slot 0 or NS − 1 spelled out: a dynamic index would put value[] in local memory)
    const Real wp = slot_p < 0 ? load(fixed_p + i) : (slot_p == 0 ? value[0] : value[NS - 1]);
    const Real wq = slot_q < 0 ? load(fixed_q + i) : (slot_q == 0 ? value[0] : value[NS - 1]);
    w[i] = wp - wq;
  }
};

// The chunking of axis 0: `chunks` column segments of `length` cells (the last may be shorter).
struct Chunking {
  Index length, chunks;
};

// The first RK stage's potential input, w = y_p − y_q with y = ρ + dt·rate for a moving species
// (rate non-null) and ρ for a fixed one; with dt = 0 and no rates, the refresh's w = p − q.
template <class Real>
WGF_HOST_DEVICE Real stage_one_difference(const Real* p, const Real* rate_p, const Real* q,
                                 const Real* rate_q, Real dt, Index i) {
  const Real yp = rate_p ? load(p + i) + dt * load(rate_p + i) : load(p + i);
  const Real yq = rate_q ? load(q + i) + dt * load(rate_q + i) : load(q + i);
  return yp - yq;
}

template <class Real>
struct alignas(2 * sizeof(Real)) Complex {
  Real re, im;
};

// Spectral cell s of ŵ: Φ̂ = m ŵ for the inverse transforms. With one inverse symbol in place;
// with two, m_0 ŵ into `work` and m_1 ŵ in place (the c2r transforms consume both).
template <class Real>
WGF_HOST_DEVICE void multiply_symbols(Complex<Real>* spectrum, Complex<Real>* work, const Real* symbol_0,
                             const Real* symbol_1, Index s) {
  const Complex<Real> v = spectrum[s];
  const Real m0 = load(symbol_0 + s);
  if (work) {
    const Real m1 = load(symbol_1 + s);
    work[s] = {m0 * v.re, m0 * v.im};
    spectrum[s] = {m1 * v.re, m1 * v.im};
  } else {
    spectrum[s] = {m0 * v.re, m0 * v.im};
  }
}

// The weight of half-spectrum index s in full-spectrum sums (include/wgf/solvers/potential_symbols.hpp's
// half_spectrum_weight): once for last-axis index 0 and N/2, twice otherwise.
WGF_HOST_DEVICE double half_spectrum_weight(Index n, Index s) {
  const Index last = s % (n / 2 + 1);
  return (last == 0 || last == n / 2) ? 1.0 : 2.0;
}

// weight·k̂_e(s)·|ŵ_s|² for each of E energy symbols, added to acc (SpectralPotential::energy's
// terms, in its order: (weight·k̂)·power with power = re² + im²).
template <class Real, int E>
WGF_HOST_DEVICE void accumulate_energies(Complex<Real> v, Index n, Index s, const Real* const* symbols,
                                double* acc) {
  const double weight = half_spectrum_weight(n, s);
  const double re = static_cast<double>(v.re), im = static_cast<double>(v.im);
  const double power = re * re + im * im;
  for (int e = 0; e < E; ++e) acc[e] += weight * static_cast<double>(load(symbols[e] + s)) * power;
}

// Flat index of the cell at offset (i − 2) per axis from `peak`, patch entry e (row-major over
// the 5^d patch of ConcentrationDetector::check_patch), periodically wrapped.
WGF_HOST_DEVICE Index patch_cell(int dim, Index n, Index peak, int e) {
  Index centre[3] = {0, 0, 0};
  Index rest = peak;
  for (int a = dim - 1; a >= 0; --a) {
    centre[a] = rest % n;
    rest /= n;
  }
  int offset[3] = {0, 0, 0};
  int r = e;
  for (int a = dim - 1; a >= 0; --a) {
    offset[a] = r % 5;
    r /= 5;
  }
  Index flat = 0;
  for (int a = 0; a < dim; ++a) flat = flat * n + ((centre[a] + offset[a] - 2) % n + n) % n;
  return flat;
}

}  // namespace wgf::cuda_cell
