// Every closed-form ê(ξ) of the kernel catalogue (docs/design.md §1) against an independent numerical
// quadrature that only ever calls Kernel::value:
//   * integrable kernels: the radial (Hankel) form
//       ê(ξ) = (2π)^{d/2} ξ^{1−d/2} ∫₀^∞ e(r) r^{d/2} J_{d/2−1}(ξr) dr,
//     integrated between successive zeros of the oscillatory factor with Gauss–Legendre, the
//     slowly decaying alternating tail (rq, imq) summed with Wynn's epsilon algorithm;
//   * power laws (energy, riesz), whose Hankel integrals do not converge: Parseval on a zero-mass
//     test function f = G_{s1} − G_{s2}, i.e. ∫ e(|x|) (f⋆f)(x) dx = (2π)^{−d} ∫ ê(ξ) |f̂(ξ)|² dξ.
// Every reference value is computed twice, the second time with twice the panels; that change
// estimates the quadrature error and is checked to be far below the tolerance of the comparison.
//
// Set WGF_KERNEL_TEST_REPORT=1 to print the worst relative error per kernel family.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <numbers>
#include <string>
#include <vector>

#include "wgf/kernel.hpp"

namespace {

constexpr double kPi = std::numbers::pi;

// n-point Gauss–Legendre rule; nodes by Newton's method on the Legendre three-term recurrence.
class GaussLegendre {
public:
  explicit GaussLegendre(int n) : nodes_(n), weights_(n) {
    for (int i = 0; i < n; ++i) {
      double z = std::cos(kPi * (i + 0.75) / (n + 0.5));
      double derivative = 0;
      for (int iteration = 0; iteration < 100; ++iteration) {
        double p_prev = 1, p = z;
        for (int k = 2; k <= n; ++k) {
          const double p_next = ((2 * k - 1) * z * p - (k - 1) * p_prev) / k;
          p_prev = p;
          p = p_next;
        }
        derivative = n * (z * p - p_prev) / (z * z - 1);
        const double step = p / derivative;
        z -= step;
        if (std::fabs(step) < 1e-16) break;
      }
      nodes_[i] = z;
      weights_[i] = 2 / ((1 - z * z) * derivative * derivative);
    }
  }

  // ∫_a^b f on `panels` equal sub-panels.
  template <class F>
  double integrate(const F& f, double a, double b, int panels) const {
    const double width = (b - a) / panels;
    double sum = 0;
    for (int j = 0; j < panels; ++j) {
      const double mid = a + (j + 0.5) * width, half = 0.5 * width;
      double panel = 0;
      for (std::size_t i = 0; i < nodes_.size(); ++i)
        panel += weights_[i] * f(mid + half * nodes_[i]);
      sum += half * panel;
    }
    return sum;
  }

private:
  std::vector<double> nodes_, weights_;
};

const GaussLegendre& rule() {
  static const GaussLegendre gl(20);
  return gl;
}

// Limit of a sequence of partial sums by Wynn's epsilon algorithm (the even columns are the
// Shanks transforms); returns the deepest even-column entry. A zero difference means the sequence
// has already converged to round-off.
double wynn_epsilon_limit(const std::vector<double>& partial_sums) {
  const std::size_t n = partial_sums.size();
  std::vector<double> previous(n + 1, 0.0), current = partial_sums;
  double estimate = partial_sums.back();
  for (std::size_t column = 1; column < n; ++column) {
    std::vector<double> next(n - column);
    for (std::size_t i = 0; i + column < n; ++i) {
      const double difference = current[i + 1] - current[i];
      if (difference == 0.0) return current[i + 1];
      next[i] = previous[i + 1] + 1 / difference;
    }
    if (column % 2 == 0) estimate = next.back();
    previous = std::move(current);
    current = std::move(next);
  }
  return estimate;
}

// n-th positive zero of J0: McMahon's asymptotic start, then Newton (J0' = −J1).
double bessel_j0_zero(int n) {
  const double b = (n - 0.25) * kPi;
  double z = b + 1 / (8 * b);
  for (int iteration = 0; iteration < 50; ++iteration) {
    const double step = std::cyl_bessel_j(0.0, z) / -std::cyl_bessel_j(1.0, z);
    z -= step;
    if (std::fabs(step) < 1e-15 * z) break;
  }
  return z;
}

// The Hankel form of ê(ξ), ξ > 0, in d = 1, 2, 3, where J_{d/2−1} is elementary or J0:
//   d=1: 2 ∫ cos(ξr) e(r) dr,   d=2: 2π ∫ r J0(ξr) e(r) dr,   d=3: 4π/ξ ∫ r sin(ξr) e(r) dr.
// The half line is cut at the zeros of the oscillatory factor; each piece gets Gauss–Legendre
// on sub-panels no longer than max(scale/2, r/4) (`scale` is the length on which e varies), times
// `refine`. The partial sums past r = 8·scale, where e is in its asymptotic regime, go to Wynn's
// epsilon algorithm: for exponentially decaying kernels they have converged already, for
// algebraic ones (rq, imq) the tail is alternating with smoothly varying amplitude, which the
// epsilon algorithm sums to round-off (and, for imq in d=3, to its Abel limit).
double hankel_quadrature(const wgf::Kernel& kernel, double xi, int dim, double scale, int refine,
                         int tail_terms) {
  auto integrand = [&](double r) {
    const double e = kernel.value(r);
    if (dim == 1) return 2 * std::cos(xi * r) * e;
    if (dim == 2) return 2 * kPi * r * std::cyl_bessel_j(0.0, xi * r) * e;
    return 4 * kPi / xi * r * std::sin(xi * r) * e;
  };
  auto zero = [&](int n) {
    if (dim == 1) return (n - 0.5) * kPi / xi;
    if (dim == 2) return bessel_j0_zero(n) / xi;
    return n * kPi / xi;
  };
  std::vector<double> tail_sums;
  double sum = 0, a = 0;
  for (int n = 1; static_cast<int>(tail_sums.size()) < tail_terms; ++n) {
    const double b = zero(n);
    const double panel_length = std::max(scale / 2, a / 4);
    const int panels = refine * static_cast<int>(std::ceil((b - a) / panel_length));
    sum += rule().integrate(integrand, a, b, panels);
    a = b;
    if (b > 8 * scale) tail_sums.push_back(sum);
  }
  return wynn_epsilon_limit(tail_sums);
}

// The two resolutions every reference is computed at: the second doubles the sub-panels and
// hands 61 instead of 41 tail partial sums to the epsilon algorithm.
double hankel_reference(const wgf::Kernel& kernel, double xi, int dim, double scale, bool fine) {
  return fine ? hankel_quadrature(kernel, xi, dim, scale, 2, 61)
              : hankel_quadrature(kernel, xi, dim, scale, 1, 41);
}

// ∫₀^∞ f(r) dr for f(r) ~ r^γ (γ > −1) at 0 and f decaying at ∞ at least like r^{−1−δ}:
// [0, 1] directly and [1, ∞) as ∫₀^1 f(1/s)/s² ds, each on geometric layers [2^{−k−1}, 2^{−k}]
// (k < 60) of `2·refine` Gauss–Legendre panels, which resolves algebraic end-point behaviour;
// what the layers leave out, [0, 2^{−60}], is O(2^{−60}) for a bounded integrand.
// For γ < 0, [0, 1] is first mapped by r = t^p, p = 1/(γ+1), making the integrand bounded
// (p·t^{p(γ+1)−1} = p) at t = 0. Those layers stop at t = 1e−13 (r = 10^{−13p} ≥ 1e−260 for p ≤ 20,
// so that e(r) stays a finite double), leaving out ≈ 1e−13·p·|f(r)/r^γ|_{r→0}, below 1e−11
// relative for the integrands here.
template <class F>
double half_line_integral(const F& f, double gamma_at_zero, int refine) {
  const double p = gamma_at_zero < 0 ? 1 / (gamma_at_zero + 1) : 1.0;
  auto near_zero = [&](double t) {
    return p == 1.0 ? f(t) : p * std::pow(t, p - 1) * f(std::pow(t, p));
  };
  const double smallest_t = p == 1.0 ? 0.0 : 1e-13;
  double sum = 0, b = 1;
  for (int k = 0; k < 60 && b / 2 > smallest_t; ++k, b /= 2)
    sum += rule().integrate(near_zero, b / 2, b, 2 * refine);
  b = 1;
  for (int k = 0; k < 60; ++k, b /= 2)
    sum += rule().integrate([&](double s) { return f(1 / s) / (s * s); }, b / 2, b, 2 * refine);
  return sum;
}

double unit_sphere_area(int dim) {
  return 2 * std::pow(kPi, 0.5 * dim) / std::tgamma(0.5 * dim);
}

double relative_difference(double a, double b) { return std::fabs(a - b) / std::fabs(b); }

// Worst relative error per kernel family, printed at exit when WGF_KERNEL_TEST_REPORT is set.
struct WorstErrors {
  std::map<std::string, double> closed_form, quadrature;
  void record(const std::string& family, double closed_form_error, double quadrature_change) {
    closed_form[family] = std::max(closed_form[family], closed_form_error);
    quadrature[family] = std::max(quadrature[family], quadrature_change);
  }
  ~WorstErrors() {
    if (!std::getenv("WGF_KERNEL_TEST_REPORT")) return;
    for (const auto& [family, error] : closed_form)
      std::printf("kernel transform check %-28s worst rel. error %.2e (quadrature change on "
                  "doubling %.2e)\n",
                  family.c_str(), error, quadrature[family]);
  }
};
WorstErrors worst_errors;

}  // namespace

// Tolerances. The closed forms must hold to 1e-8 relative. The quadrature itself changes by less
// than 1e-10 relative when its panels are doubled (checked below; measured ≤ 1e-11), so a
// mismatch above 1e-8 is the closed form's, not the quadrature's. Parameters keep ê(ξ) ≥ ~1e-5 of
// ∫|integrand| at the largest ξ: the oscillatory quadrature then loses at most ~1e5·ε ≈ 1e-11 to
// cancellation (a gaussian with σ = 1 at ξ = 6, where ê/∫|e| ≈ 1e-8, could not be checked to 1e-8
// in double precision by any quadrature of e(r)).
constexpr double kClosedFormTolerance = 1e-8;
constexpr double kQuadratureTolerance = 1e-10;

TEST_CASE("closed-form transforms of integrable kernels match a numerical Hankel transform") {
  struct Case {
    const char* family;
    const char* spec;
    double scale;  // length on which e(r) varies, for the panel size
  };
  const Case cases[] = {
      {"gaussian", "gaussian:sigma=0.5", 0.5},
      {"gaussian", "gaussian:sigma=0.8", 0.8},
      {"laplace", "laplace:ell=0.5", 0.5},
      {"laplace", "laplace:ell=2", 2},
      {"rq", "rq:alpha=2,ell=0.5", 0.5},
      {"rq", "rq:alpha=2,ell=1", 1},
      {"rq", "rq:alpha=3.5,ell=0.5", 0.5},
      {"rq", "rq:alpha=3.5,ell=1", 1},
      // imq decays like c/r: its Hankel integral converges conditionally in d = 1, 2 and only as
      // an Abel limit in d = 3 (∫ r sin(ξr) c/r dr); the epsilon algorithm sums all three.
      {"imq", "imq:c=0.5", 0.5},
      {"imq", "imq:c=1", 1},
      {"sum", "0.5*gaussian:sigma=1+laplace:ell=2", 1},
      {"sum", "rq:alpha=2,ell=1+-0.25*gaussian:sigma=0.5", 0.5},
  };
  for (const Case& c : cases) {
    const wgf::Kernel kernel = wgf::parse_kernel(c.spec);
    for (int dim = 1; dim <= 3; ++dim) {
      for (const double xi : {0.3, 1.0, 2.5, 6.0}) {
        const double coarse = hankel_reference(kernel, xi, dim, c.scale, false);
        const double fine = hankel_reference(kernel, xi, dim, c.scale, true);
        const double closed_form = kernel.transform(xi, dim);
        INFO(std::string(c.spec), " d=", dim, " xi=", xi, " closed form ", closed_form,
             " quadrature ", fine);
        CHECK(relative_difference(coarse, fine) < kQuadratureTolerance);
        CHECK(relative_difference(closed_form, fine) < kClosedFormTolerance);
        worst_errors.record(c.family, relative_difference(closed_form, fine),
                            relative_difference(coarse, fine));
      }
    }
  }
}

TEST_CASE("rq transform at xi = 0 is the finite kernel mass when alpha > d/2") {
  // ê(0) = |S^{d−1}| ∫₀^∞ e(r) r^{d−1} dr; the integrand decays like r^{d−1−2α}, which the
  // r → 1/s part of half_line_integral turns into s^{2α−d−1}, bounded for these α.
  struct Case {
    const char* spec;
    int max_dim;  // the largest d with α > d/2
  };
  const Case cases[] = {{"rq:alpha=1,ell=0.7", 1},  {"rq:alpha=1.5,ell=2", 2},
                        {"rq:alpha=2,ell=0.5", 3},  {"rq:alpha=2,ell=1", 3},
                        {"rq:alpha=3.5,ell=0.5", 3}, {"rq:alpha=3.5,ell=1", 3}};
  for (const Case& c : cases) {
    const wgf::Kernel kernel = wgf::parse_kernel(c.spec);
    for (int dim = 1; dim <= c.max_dim; ++dim) {
      auto integrand = [&](double r) { return kernel.value(r) * std::pow(r, dim - 1); };
      const double coarse = unit_sphere_area(dim) * half_line_integral(integrand, dim - 1, 1);
      const double fine = unit_sphere_area(dim) * half_line_integral(integrand, dim - 1, 2);
      const double closed_form = kernel.transform(0.0, dim);
      INFO(std::string(c.spec), " d=", dim, " closed form ", closed_form, " quadrature ", fine);
      REQUIRE(std::isfinite(closed_form));
      CHECK(relative_difference(coarse, fine) < kQuadratureTolerance);
      CHECK(relative_difference(closed_form, fine) < kClosedFormTolerance);
      worst_errors.record("rq at xi=0", relative_difference(closed_form, fine),
                          relative_difference(coarse, fine));
    }
  }
}

TEST_CASE("transform at xi = 0 is +infinity where the kernel has infinite mass") {
  const double inf = std::numeric_limits<double>::infinity();
  for (int dim = 1; dim <= 3; ++dim) {
    INFO("d=", dim);
    CHECK(wgf::parse_kernel("imq:c=1").transform(0.0, dim) == inf);  // α = 1/2 ≤ d/2
    CHECK(wgf::parse_kernel("rq:alpha=0.5,ell=1").transform(0.0, dim) == inf);
    CHECK(wgf::parse_kernel("energy").transform(0.0, dim) == inf);
    CHECK(wgf::parse_kernel("energy:beta=0.5").transform(0.0, dim) == inf);
    CHECK(wgf::parse_kernel("energy:beta=1.5").transform(0.0, dim) == inf);
    CHECK(wgf::parse_kernel("riesz:alpha=0.5").transform(0.0, dim) == inf);
  }
  CHECK(wgf::parse_kernel("rq:alpha=1,ell=1").transform(0.0, 2) == inf);  // α = d/2 exactly
  CHECK(wgf::parse_kernel("rq:alpha=1,ell=1").transform(0.0, 3) == inf);
  CHECK(wgf::parse_kernel("rq:alpha=1.5,ell=1").transform(0.0, 3) == inf);
  CHECK(std::isfinite(wgf::parse_kernel("rq:alpha=1,ell=1").transform(0.0, 1)));
  CHECK(wgf::parse_kernel("riesz:alpha=1.5").transform(0.0, 2) == inf);
  CHECK(wgf::parse_kernel("riesz:alpha=2.5").transform(0.0, 3) == inf);
  CHECK(wgf::parse_kernel("riesz").transform(0.0, 3) == inf);
}

namespace {

// Parseval for the zero-mass f = G_{s1} − G_{s2} (centred unit-mass Gaussian densities of
// standard deviations s1, s2): real-space energy ∫ e(|x|) (f⋆f)(x) dx, with
// f⋆f = G_{√2 s1} + G_{√2 s2} − 2 G_{√(s1²+s2²)}, against (2π)^{−d} ∫ ê(ξ) |f̂(ξ)|² dξ with
// |f̂|² = (e^{−s1²ξ²/2} − e^{−s2²ξ²/2})², both as radial integrals. `gamma_at_zero` is the power
// of r in e(r) r^{d−1} at r = 0.
struct ParsevalSides {
  double real_space, fourier_space;
};

ParsevalSides parseval_sides(const wgf::Kernel& kernel, int dim, double gamma_at_zero,
                             int refine) {
  constexpr double s1 = 0.7, s2 = 1.2;
  auto density = [dim](double variance, double r) {
    return std::pow(2 * kPi * variance, -0.5 * dim) * std::exp(-r * r / (2 * variance));
  };
  auto real_integrand = [&](double r) {
    // e^{−r²/(4 s2²)} < e^{−400} beyond: zero, and r^{d−1} e(r) must not overflow there.
    if (r > 40 * s2) return 0.0;
    const double autocorrelation = density(2 * s1 * s1, r) + density(2 * s2 * s2, r) -
                                   2 * density(s1 * s1 + s2 * s2, r);
    return kernel.value(r) * std::pow(r, dim - 1) * autocorrelation;
  };
  auto fourier_integrand = [&](double xi) {
    // e^{−s1²ξ²/2} − e^{−s2²ξ²/2} = −e^{−s1²ξ²/2} expm1(−(s2² − s1²)ξ²/2), exact for small ξ.
    const double f_hat =
        -std::exp(-0.5 * s1 * s1 * xi * xi) * std::expm1(-0.5 * (s2 * s2 - s1 * s1) * xi * xi);
    if (f_hat == 0.0) return 0.0;
    return kernel.transform(xi, dim) * std::pow(xi, dim - 1) * f_hat * f_hat;
  };
  const double area = unit_sphere_area(dim);
  // ê(ξ) ξ^{d−1} |f̂|² ~ ξ^{d−1} ξ^{(α or −β) − d} ξ⁴ ≥ ξ^{2}: bounded at ξ = 0.
  return {area * half_line_integral(real_integrand, gamma_at_zero, refine),
          area * std::pow(2 * kPi, -dim) * half_line_integral(fourier_integrand, 0.0, refine)};
}

void check_parseval(const std::string& family, const std::string& spec, int dim,
                    double gamma_at_zero) {
  const wgf::Kernel kernel = wgf::parse_kernel(spec);
  kernel.check_dimension(dim);
  const ParsevalSides coarse = parseval_sides(kernel, dim, gamma_at_zero, 1);
  const ParsevalSides fine = parseval_sides(kernel, dim, gamma_at_zero, 2);
  const double quadrature_change =
      std::max(relative_difference(coarse.real_space, fine.real_space),
               relative_difference(coarse.fourier_space, fine.fourier_space));
  const double error = relative_difference(fine.fourier_space, fine.real_space);
  INFO(spec, " d=", dim, " real space ", fine.real_space, " Fourier space ", fine.fourier_space);
  // Both sides are positive: e is (conditionally) positive definite and f has zero mass.
  CHECK(fine.real_space > 0);
  CHECK(quadrature_change < kQuadratureTolerance);
  CHECK(error < kClosedFormTolerance);
  worst_errors.record(family, error, quadrature_change);
}

}  // namespace

TEST_CASE("power-law transforms satisfy Parseval on a zero-mass Gaussian difference") {
  // The Hankel integrals of −r^β and r^{−α} do not converge, but the energy of a zero-mass f
  // does on both sides: |f̂|² ~ ξ⁴ at 0 tames ê's singularity, f⋆f's Gaussian decay tames the
  // growth of r^β, and r^{d−1−α} is integrable at 0 for α < d (half_line_integral substitutes).
  const std::vector<std::vector<double>> riesz_alphas = {
      {0.1, 0.3, 0.5, 0.75, 0.95}, {0.2, 0.6, 1.0, 1.5, 1.9}, {0.3, 0.9, 1.5, 2.0, 2.85}};
  for (int dim = 1; dim <= 3; ++dim) {
    for (const double beta : {0.5, 1.0, 1.5})
      check_parseval("energy", "energy:beta=" + std::to_string(beta), dim, beta + dim - 1);
    for (const double alpha : riesz_alphas[dim - 1])
      check_parseval("riesz", "riesz:alpha=" + std::to_string(alpha), dim, dim - 1 - alpha);
  }
  check_parseval("energy", "energy", 2, 2.0);  // default β = 1
  // The elastic default α = d − 1 has no e(r) before d is known; its transform is riesz α = d − 1.
  CHECK(wgf::parse_kernel("riesz").transform(1.7, 3) ==
        doctest::Approx(wgf::parse_kernel("riesz:alpha=2").transform(1.7, 3)).epsilon(1e-15));
}
