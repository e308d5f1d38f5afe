#include "wgf/finite_volume.hpp"

#include <algorithm>
#include <cmath>

namespace wgf {

namespace {

inline double minmod_half(double forward, double backward) {
  // ½ minmod(a, b): zero at extrema, otherwise the smaller one-sided difference, halved.
  if (forward * backward <= 0) return 0.0;
  return 0.5 * (std::fabs(forward) < std::fabs(backward) ? forward : backward);
}

// Upwind flux through the interface between cells with values (a_m, a, b, b_p) along the axis:
// a = ρ_i, b = ρ_{i+1}; velocity u_{i+½}.
inline double interface_flux(double a_m, double a, double b, double b_p, double u) {
  const double east_of_a = a + minmod_half(b - a, a - a_m);
  const double west_of_b = b - minmod_half(b_p - b, b - a);
  return u > 0 ? u * east_of_a : u * west_of_b;
}

constexpr std::ptrdiff_t kBlock = 512;

// One axis of the divergence. The array is viewed as [outer][n][inner]; `inner` is the stride
// of the axis. Interfaces are swept along the axis carrying the previous flux, a block of
// contiguous inner indices at a time so the inner loop vectorises.
double axis_divergence(const double* rho, const double* phi, double* rate, std::ptrdiff_t outer,
                       std::ptrdiff_t n, std::ptrdiff_t inner, double inv_h, bool accumulate) {
  const std::ptrdiff_t blocks_per_outer = (inner + kBlock - 1) / kBlock;
  const std::ptrdiff_t tasks = outer * blocks_per_outer;
  double max_speed = 0;
#pragma omp parallel for schedule(static) reduction(max : max_speed)
  for (std::ptrdiff_t task = 0; task < tasks; ++task) {
    const std::ptrdiff_t o = task / blocks_per_outer;
    const std::ptrdiff_t j0 = (task % blocks_per_outer) * kBlock;
    const std::ptrdiff_t width = std::min(kBlock, inner - j0);
    const std::ptrdiff_t base = o * n * inner + j0;
    auto at = [&](std::ptrdiff_t i) { return base + ((i + n) % n) * inner; };
    double left_flux[kBlock];
    double local_max = 0;
    {  // Flux through the periodic interface n−½ ≡ −½.
      const double* r_mm = rho + at(n - 2);
      const double* r_m = rho + at(n - 1);
      const double* r_0 = rho + at(0);
      const double* r_p = rho + at(1);
      const double* f_m = phi + at(n - 1);
      const double* f_0 = phi + at(0);
      for (std::ptrdiff_t j = 0; j < width; ++j) {
        const double u = -(f_0[j] - f_m[j]) * inv_h;
        local_max = std::max(local_max, std::fabs(u));
        left_flux[j] = interface_flux(r_mm[j], r_m[j], r_0[j], r_p[j], u);
      }
    }
    for (std::ptrdiff_t i = 0; i < n; ++i) {
      const double* r_m = rho + at(i - 1);
      const double* r_0 = rho + at(i);
      const double* r_p = rho + at(i + 1);
      const double* r_pp = rho + at(i + 2);
      const double* f_0 = phi + at(i);
      const double* f_p = phi + at(i + 1);
      double* out = rate + at(i);
      for (std::ptrdiff_t j = 0; j < width; ++j) {
        const double u = -(f_p[j] - f_0[j]) * inv_h;
        local_max = std::max(local_max, std::fabs(u));
        const double right = interface_flux(r_m[j], r_0[j], r_p[j], r_pp[j], u);
        const double divergence = (left_flux[j] - right) * inv_h;
        out[j] = accumulate ? out[j] + divergence : divergence;
        left_flux[j] = right;
      }
    }
    max_speed = std::max(max_speed, local_max);
  }
  return max_speed;
}

}  // namespace

double FiniteVolumeFlux::evaluate(const double* rho, const double* phi, double* rate) const {
  const std::ptrdiff_t n = grid_.n;
  const double inv_h = 1.0 / grid_.h();
  double max_speed = 0;
  std::ptrdiff_t outer = 1, inner = static_cast<std::ptrdiff_t>(grid_.cells()) / n;
  for (int axis = 0; axis < grid_.dim; ++axis) {
    max_speed = std::max(max_speed,
                         axis_divergence(rho, phi, rate, outer, n, inner, inv_h, axis > 0));
    outer *= n;
    inner /= n;
  }
  return max_speed;
}

}  // namespace wgf
