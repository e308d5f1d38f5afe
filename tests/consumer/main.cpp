// Uses the installed wgf as a library: kernels parsed from spec text, their d-dimensional Fourier
// transforms (f̂(ξ) = ∫ f(x) e^{−iξ·x} dx, docs/design.md §1.5) checked against closed forms
// written out here. Exit 0 when every value agrees to a relative 1e-12, 1 otherwise.
#include <wgf/kernel.hpp>

#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>

namespace {

int failures = 0;

void check(const std::string& spec, double xi, int dim, double expected) {
  const double value = wgf::parse_kernel(spec).transform(xi, dim);
  const double relative = std::abs(value - expected) / std::abs(expected);
  const bool ok = relative <= 1e-12;
  std::printf("%s %s d=%d xi=%g: %.17g, closed form %.17g (rel. %.2g)\n", ok ? "ok  " : "FAIL",
              spec.c_str(), dim, xi, value, expected, relative);
  if (!ok) ++failures;
}

}  // namespace

int main() {
  const double pi = std::numbers::pi;
  // exp(−r²/2σ²) ↦ (2πσ²)^{d/2} exp(−σ²ξ²/2).
  const double sigma = 0.7;
  for (int dim = 1; dim <= 3; ++dim)
    for (double xi : {0.0, 0.4, 1.3, 3.0})
      check("gaussian:sigma=0.7", xi, dim,
            std::pow(2 * pi * sigma * sigma, dim / 2.0) * std::exp(-sigma * sigma * xi * xi / 2));
  // exp(−r/ℓ) ↦ 2ℓ/(1 + ℓ²ξ²) on the line and 8πℓ³/(1 + ℓ²ξ²)² in space; and a weighted sum.
  const double ell = 2.0, xi = 0.9, q = 1 + ell * ell * xi * xi;
  check("laplace:ell=2", xi, 1, 2 * ell / q);
  check("laplace:ell=2", xi, 3, 8 * pi * ell * ell * ell / (q * q));
  check("0.5*gaussian:sigma=0.7+laplace:ell=2", xi, 1,
        0.5 * std::sqrt(2 * pi) * sigma * std::exp(-sigma * sigma * xi * xi / 2) + 2 * ell / q);
  if (failures) std::printf("%d of the transforms differ from their closed forms\n", failures);
  return failures ? 1 : 0;
}
