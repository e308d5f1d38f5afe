#pragma once
// Internal to the grid solver: what the fused finite-volume sweep does with each finished rate
// row (the epilogue interface is described at sweep_chunk_body, fv_sweep.hpp): write the rates
// (RateEpilogue, gathering the densities' totals on the fused pair rows), or combine them at
// once into the next SSP-RK stage and the next potential input w (StageEpilogue), which may go
// to the potential slab by slab (SlabSink).
#include <cstddef>
#include <limits>

#include "fv_lanes.hpp"
#include "wgf/solvers/density_totals.hpp"

#include "fv_float_options_begin.hpp"

namespace wgf::fv {

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

}  // namespace wgf::fv

#include "fv_float_options_end.hpp"
