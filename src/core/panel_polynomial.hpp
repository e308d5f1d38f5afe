#pragma once
// Internal to src/core: a panel's quintic p(c + ĥt) = Σ q_m t^m at t, by Horner's rule — the one
// evaluation PiecewiseQuintic::value and the Hankel transform's Gauss–Legendre panels share.
#include <array>

namespace wgf::detail {

inline double horner(const std::array<double, 6>& q, double t) {
  return q[0] + t * (q[1] + t * (q[2] + t * (q[3] + t * (q[4] + t * q[5]))));
}

}  // namespace wgf::detail
