#pragma once
// Internal to the grid solver (solvers/): the lane types the fused finite-volume row kernel
// (fv_pair_row.hpp) and the per-cell formulas (fv_cell_formulas.hpp) are written over — one
// double, or four doubles in a GCC vector — so that the vector loop and its scalar remainder are
// one piece of source and perform the same IEEE operations in the same order, lane by lane
// (hence the same bits).
//
// Four lanes are a GCC vector extension type: compiled for the baseline ISA it becomes pairs of
// SSE2 operations, for AVX2 / AVX-512 single 256-bit ones. What plain loops cannot give the
// autovectoriser is the carry along the row (the slope of the cell left of a block and the flux
// through its left face); `shift_in` does it in registers, so the last axis needs no scratch rows.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "fv_cell_formulas.hpp"

namespace wgf::fv {

// The CPU sweep's functions are always inlined: its loops vectorise only with everything inside.
#define WGF_FV_INLINE inline WGF_FV_ALWAYS_INLINE

typedef double Double4 __attribute__((vector_size(4 * sizeof(double))));
typedef std::int64_t Int4 __attribute__((vector_size(4 * sizeof(std::int64_t))));

// One cell at a time.
struct Lanes1 {
  using V = double;
  static constexpr std::ptrdiff_t width = 1;
  static WGF_FV_INLINE V load(const double* p) { return *p; }
  static WGF_FV_INLINE void store(double* p, V v) { *p = v; }
  static WGF_FV_INLINE V splat(double x) { return x; }
  // The value left of the block: with one lane, the carried value itself.
  static WGF_FV_INLINE V shift_in(V carried, V) { return carried; }
  static WGF_FV_INLINE double last(V v) { return v; }
  static WGF_FV_INLINE double max_lane(V v) { return v; }
};

// Four neighbouring cells at a time (unaligned loads and stores: rows start anywhere).
struct Lanes4 {
  using V = Double4;
  static constexpr std::ptrdiff_t width = 4;
  static WGF_FV_INLINE V load(const double* p) {
    V v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  static WGF_FV_INLINE void store(double* p, V v) { std::memcpy(p, &v, sizeof v); }
  static WGF_FV_INLINE V splat(double x) { return V{x, x, x, x}; }
  // {carried[3], current[0], current[1], current[2]}: each lane's left neighbour.
  static WGF_FV_INLINE V shift_in(V carried, V current) {
    return __builtin_shuffle(carried, current, Int4{3, 4, 5, 6});
  }
  static WGF_FV_INLINE double last(V v) { return v[3]; }
  static WGF_FV_INLINE double max_lane(V v) {
    const double a = v[0] < v[1] ? v[1] : v[0];
    const double b = v[2] < v[3] ? v[3] : v[2];
    return a < b ? b : a;
  }
};

// Four lanes for the per-cell formulas: constants are doubles, and |v| is fabs's sign-bit
// clearing, lane by lane.
template <>
struct CellLane<Double4> {
  using Scalar = double;
  static WGF_FV_INLINE Double4 abs(Double4 v) {
    return (Double4)((Int4)v & Int4{INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX});
  }
};

}  // namespace wgf::fv
