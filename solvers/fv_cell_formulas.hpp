#pragma once
// Internal to the grid solver: the per-cell formulas of the finite-volume scheme
// (docs/design.md §2.3), in one copy for every backend. The CPU sweep (fv_sweep.hpp and the row
// kernels it runs) instantiates them for one double and for four doubles in a GCC vector
// (fv_lanes.hpp); the CUDA kernels (cuda/fv_cell.hpp) for double and float on the device; the
// host emulation of those kernels (tests/cuda_cell_emulation.hpp) for the same on the host. So
// the GPU performs the CPU sweep's operations, and a host test checks that without a GPU.
//
//   s_i = ½ minmod(ρ_{i+1} − ρ_i, ρ_i − ρ_{i−1}),  u_{i+½} = (Φ_{i+1} − Φ_i)·(−1/h),
//   F_{i+½} = u·(u > 0 ? ρ_i + s_i : ρ_{i+1} − s_{i+1}),  divergence (F_{i−½} − F_{i+½})/h.
//
// Rounding: never contracted into FMA, which would round differently on the CPU's AVX2 path
// than on its baseline path and than on the GPU. The CUDA sources are compiled with
// --fmad=false; host code including this header compiles it, and the CPU kernels that include
// fv_float_options_begin.hpp, with fp-contract=off and without trapping math (with trapping math
// GCC will not turn the selections of the limiter and the upwinding into blends — it may not
// speculate a product behind a branch — and leaves the loops scalar; no value changes).
#include <math.h>

#include "wgf/host_device.hpp"

#include "fv_float_options_begin.hpp"

// The CPU sweep's vector loops need these inlined whatever GCC's heuristics say (on the device
// WGF_HOST_DEVICE forces inlining already).
#if defined(__GNUC__) && !defined(__CUDACC__)
#define WGF_FV_ALWAYS_INLINE __attribute__((always_inline))
#else
#define WGF_FV_ALWAYS_INLINE
#endif

namespace wgf::fv {

// What the formulas need of a lane type V besides its operators: the scalar type of the
// constants it is multiplied by, and |v| (clearing the sign bit). Specialised here for the
// scalars, and in fv_lanes.hpp for the CPU's vector of four doubles.
template <class V>
struct CellLane;

template <>
struct CellLane<double> {
  using Scalar = double;
  static WGF_HOST_DEVICE WGF_FV_ALWAYS_INLINE double abs(double v) { return fabs(v); }
};

template <>
struct CellLane<float> {
  using Scalar = float;
  static WGF_HOST_DEVICE WGF_FV_ALWAYS_INLINE float abs(float v) { return fabsf(v); }
};

// |v|, lane by lane.
template <class V>
WGF_HOST_DEVICE WGF_FV_ALWAYS_INLINE V abs_of(V v) {
  return CellLane<V>::abs(v);
}

// std::max(a, b) spelled out: a library function compiled with other options would not be
// inlined into the CPU kernels, and the call would keep their loops scalar.
template <class V>
WGF_HOST_DEVICE WGF_FV_ALWAYS_INLINE V max_of(V a, V b) {
  return a < b ? b : a;
}

// ½ minmod(forward, backward): 0 at extrema, otherwise the smaller one-sided difference halved.
template <class V>
WGF_HOST_DEVICE WGF_FV_ALWAYS_INLINE V minmod_half(V forward, V backward) {
  using Scalar = typename CellLane<V>::Scalar;
  const V smaller = abs_of(forward) < abs_of(backward) ? forward : backward;
  const V half = Scalar(0.5) * smaller;
  const V product = forward * backward;
  return product <= V{} ? V{} : half;
}

// u > 0 ? u·east : u·west, with the operand chosen before the one product (the same numbers).
template <class V>
WGF_HOST_DEVICE WGF_FV_ALWAYS_INLINE V upwind(V u, V east, V west) {
  const V upstream = u > V{} ? east : west;
  return u * upstream;
}

// u = −(Φ_1 − Φ_0)/h as (Φ_1 − Φ_0)·(−1/h): (−x)·y = x·(−y) exactly, so the same numbers.
template <class V>
WGF_HOST_DEVICE WGF_FV_ALWAYS_INLINE V velocity(V phi_0, V phi_1,
                                                typename CellLane<V>::Scalar neg_inv_h) {
  return (phi_1 - phi_0) * neg_inv_h;
}

}  // namespace wgf::fv

#include "fv_float_options_end.hpp"
