#pragma once
// The d-dimensional Fourier transform of a radial function given as a piecewise quintic,
//   ê(ξ) = (2π)^{d/2} ξ^{1−d/2} ∫₀^R e(r) r^{d/2} J_{d/2−1}(ξr) dr      (docs/design.md §1),
// computed exactly up to round-off for the piecewise polynomial (the only approximation is the
// interpolant itself), at a cost of O(number of panels) per ξ, whatever ξ·R is.
//
// Method. On every panel [a, b] (centre c, half-width ĥ, t = (r − c)/ĥ ∈ [−1, 1]) the
// integrand is the quintic p(t) times the radial kernel F(r) = (2π)^{d/2} ξ^{−ν} r^{ν+1} J_ν(ξr),
// ν = d/2 − 1 (d=1: 2cos ξr, d=2: 2π r J0(ξr), d=3: 4π r sin(ξr)/ξ). With ω = ξĥ the phase
// the oscillation turns through on half a panel, three rules, each exact up to round-off for
// the polynomial, are used:
//   * ω ≤ 4 ("Taylor"): F's Taylor coefficients at c come from one evaluation of F and F′ and
//     the recurrence that Bessel's equation r²F″ − (2ν+1)rF′ + (2ν+1 + ξ²r²)F = 0 gives; they are
//     summed against the panel's polynomial moments ∫ p tᵏ dt (closed form), until ωᵏ/k! < 1e−18.
//     Errors in the recurrence grow like (ĥ/c)ᵏ, so this is used only on panels with ĥ ≤ c/2.
//     Eight panels are run as independent lanes, which the compiler vectorises.
//   * ω > 4 ("oscillatory"): F = Re[K e^{i(ξr−φ)} S(r)] with the Hankel expansion
//     S(r) = Σₙ iⁿ aₙ(ν) ξ^{−n} r^{ν+½−n}. For odd d it is finite (a polynomial of degree (d−1)/2),
//     for even d it is asymptotic and used only where ξa ≥ 30 (truncation < 1e−17). S is Taylor
//     expanded on the panel, multiplied with p, and ∫ A(t) e^{iωt} dt is integrated by parts in
//     closed form: B + B′/(iω) = A, ∫ = [B e^{iωt}/(iω)]₋₁¹. That recurrence amplifies round-off
//     by max_j j!/ωʲ; panels where this exceeds 1e3 fall back to the next rule.
//   * otherwise (the panel touching r = 0; wide panels of even d near the origin):
//     16-point Gauss–Legendre on sub-panels turning through at most 4 radians, F evaluated directly.
// So the cost is O(panels) per ξ whatever ξ·R is (log-spaced tables out to r = 1e5 ℓ included):
// about 40–120 ns per panel on one core. ξ = 0 uses the exact moments: ê(0) = |S^{d−1}| ∫ p r^{d−1}
// dr. Panels past the point where the L1 bound |S^{d−1}| ∫ |p| r^{d−1} dr of what remains is
// below 1e−17 of the whole are skipped: |F| ≤ |S^{d−1}| r^{d−1}, so what they could add is below
// the round-off of the sum.
#include <array>
#include <cstddef>
#include <vector>

#include "wgf/bessel_j01.hpp"
#include "wgf/piecewise_quintic.hpp"

namespace wgf {

// ê(ξ) of a PiecewiseQuintic seen as a radial function in d dimensions. Construction keeps a
// copy of the panels and their magnitudes; transform() is const, allocation-free and
// thread-safe.
class RadialHankelTransform {
public:
  RadialHankelTransform() = default;
  explicit RadialHankelTransform(PiecewiseQuintic function);

  // ê(ξ), ξ ≥ 0 (|ξ| for negative ξ), dim ≥ 1.
  double transform(double xi, int dim) const;
  const PiecewiseQuintic& function() const { return function_; }

private:
  std::size_t panels_needed(int dim) const;

  PiecewiseQuintic function_;
  std::vector<double> magnitude_;  // Σ|q_m| ≥ max |p| on each panel
  // Number of leading panels that matter, for dim = 1..kCachedDims.
  static constexpr int kCachedDims = 4;
  std::array<std::size_t, kCachedDims> needed_{};
};

}  // namespace wgf
