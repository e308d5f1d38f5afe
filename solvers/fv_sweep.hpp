#pragma once
// Internal to the grid solver (solvers/): the finite-volume divergence of docs/design.md §2.3 as
// one fused sweep over the grid, row by row (a row is a line along the last, contiguous axis),
// for up to two species at once.
//
// For every row the sweep produces the complete rate row dρ/dt — the contributions of all axes,
// added in axis order exactly as the axis-by-axis formulation adds them, so results are bitwise
// the same — in a small buffer or directly in the destination, then hands it to an epilogue
// (fv_epilogues.hpp: write the rate, or combine it into the next SSP-RK stage at once). The
// fields are thereby read once and written once per evaluation instead of once per axis and
// pass. The rows come from the general path (fv_axis_rows.hpp) or, for the mirrored pair (p in
// Φ, q in −Φ), from pair_row (fv_pair_row.hpp); both use the one copy of the per-cell formulas
// (fv_cell_formulas.hpp) that the CUDA solver uses too.
//
// The inner loops are plain elementwise loops over restrict pointers that the compiler
// vectorises, or explicit four-lane vector code; they are compiled for the baseline ISA, for
// AVX2 and for AVX-512 (never with FMA contraction, so all give identical bits), and the widest
// the CPU has is chosen at run time (fv_isa.hpp; fv::forced_isa lets tests pick each).
#include <omp.h>

#include <algorithm>
#include <cstddef>

#include "fv_axis_rows.hpp"
#include "fv_epilogues.hpp"
#include "fv_isa.hpp"
#include "fv_pair_row.hpp"
#include "fv_sweep_types.hpp"
#include "parallel_cells.hpp"

#include "fv_float_options_begin.hpp"

namespace wgf::fv {

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

template <bool S0, bool S1, bool Mirrored, class Epilogue>
double sweep_chunk_baseline(const Geometry& g, int count, const SpeciesField* species,
                            std::ptrdiff_t c0, std::ptrdiff_t c1, Epilogue& epilogue) {
  return sweep_chunk_body<S0, S1, Mirrored>(g, count, species, c0, c1, epilogue);
}

#ifdef WGF_FV_HAVE_X86_PATHS
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

}  // namespace wgf::fv

#include "fv_float_options_end.hpp"

namespace wgf::fv {

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
