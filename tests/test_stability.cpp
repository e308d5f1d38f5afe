// The spectral module against closed-form answers derived by hand (docs/design.md §1):
//   gaussian e (σ) with gaussian s (σ_s < σ): ê/ŝ = (σ/σ_s)^d e^{−(σ²−σ_s²)ξ²/2}, so
//   ε* = (σ/σ_s)^d (attained as ξ → 0) and the unstable band at ε < ε* is (0, ξ_c) with
//   ξ_c² = 2 ln((σ/σ_s)^d/ε)/(σ² − σ_s²); the discriminator's λ = 4ρ0 ξ² (2πσ²)^{d/2} e^{−σ²ξ²/2}
//   at ε = 0 peaks at ξ² = 2d/(2σ²)… (d = 1: ξ = √2/σ).
//   laplace e (ℓ) with laplace s (ℓ_s < ℓ): ε* = (ℓ/ℓ_s)^d.
//   game role: λ ∝ 4τ(ê − εŝ) − 2ê, so ε*_game = (1 − 1/(2τ)) ε* for τ > ½ and 0 otherwise.
#include <doctest/doctest.h>

#include <cmath>

#include "wgf/errors.hpp"
#include "wgf/analysis/stability.hpp"
#include "wgf/analysis/stability_map.hpp"

using namespace wgf;

namespace {
Dynamics discriminator(const std::string& e, const std::string& s, double eps,
                       Role role = Role::discriminator, double tau = 1.0) {
  return Dynamics{parse_kernel(e), s.empty() ? Kernel{} : parse_kernel(s), eps, role, tau, 1.0};
}
}  // namespace

TEST_CASE("critical eps of a gaussian kernel with a narrower gaussian stabiliser is (σ/σ_s)^d") {
  // Brent's refinement and the ξ → 0 limit of a smooth ratio: 1e-9 relative.
  for (int dim = 1; dim <= 4; ++dim) {
    for (auto [sigma, sigma_s] : {std::pair{1.0, 0.5}, std::pair{0.7, 0.3}, std::pair{2.0, 1.9}}) {
      const auto d = discriminator("gaussian:sigma=" + std::to_string(sigma),
                                   "gaussian:sigma=" + std::to_string(sigma_s), 0.0);
      const CriticalEps c = critical_eps(d, dim);
      CAPTURE(dim);
      CAPTURE(sigma_s);
      CHECK_FALSE(c.infinite());
      CHECK(c.value == doctest::Approx(std::pow(sigma / sigma_s, dim)).epsilon(1e-9));
    }
  }
}

TEST_CASE("critical eps of laplace with a shorter laplace stabiliser is (ℓ/ℓ_s)^d") {
  for (int dim = 1; dim <= 3; ++dim) {
    const auto d = discriminator("laplace:ell=1", "laplace:ell=0.4", 0.0);
    CHECK(critical_eps(d, dim).value == doctest::Approx(std::pow(2.5, dim)).epsilon(1e-9));
  }
}

TEST_CASE("a wider stabiliser gives an infinite critical eps, for the right reason") {
  for (int dim = 1; dim <= 3; ++dim) {
    const auto d = discriminator("gaussian:sigma=0.5", "gaussian:sigma=0.8", 0.0);
    const CriticalEps c = critical_eps(d, dim);
    CHECK(c.infinite());
    CHECK(c.reason.find("decays faster than the kernel's at large xi") != std::string::npos);
    // And indeed: at large enough ξ every finite ε leaves λ > 0.
    Dynamics strong = d;
    strong.eps = 1e6;
    CHECK(strong.growth_rate(12.0, dim) > 0);
  }
}

TEST_CASE("the energy kernel with a gaussian stabiliser stays unstable at small ξ for every ε") {
  for (int dim = 1; dim <= 3; ++dim) {
    const auto d = discriminator("energy", "gaussian:sigma=0.5", 0.0);
    const CriticalEps c = critical_eps(d, dim);
    CHECK(c.infinite());
    CHECK(c.reason.find("at small xi") != std::string::npos);
    for (double eps : {1.0, 1e3, 1e8}) {
      Dynamics stabilised = d;
      stabilised.eps = eps;
      // ê ~ |ξ|^{−d−1} beats any εŝ(0) below ξ ~ (ε ŝ(0)/c_d)^{−1/(d+1)}.
      const double xi_small = 1e-3 * std::pow(eps, -1.0 / (dim + 1));
      CAPTURE(eps);
      CHECK(stabilised.growth_rate(xi_small, dim) > 0);
    }
  }
}

TEST_CASE("critical eps of the game role is (1 − 1/(2τ)) ε* and 0 for τ ≤ ½") {
  for (double tau : {0.3, 0.5, 0.75, 2.0}) {
    const auto d = discriminator("gaussian:sigma=1", "gaussian:sigma=0.5", 0.0, Role::game, tau);
    const double expected = tau > 0.5 ? (1 - 1 / (2 * tau)) * 2.0 : 0.0;
    CAPTURE(tau);
    CHECK(critical_eps(d, 1).value == doctest::Approx(expected).epsilon(1e-9).scale(1.0));
  }
}

TEST_CASE("critical eps of the game-p role (q frozen) is (1 − 1/τ) ε* and 0 for τ ≤ 1") {
  // λ ∝ τ(ê − εŝ) − ê ≤ 0 ⇔ ε ≥ (1 − 1/τ) ê/ŝ, whose sup is (1 − 1/τ) ε* (ε* = 2 in 1D here).
  for (double tau : {0.5, 1.0, 1.5, 4.0}) {
    const auto d = discriminator("gaussian:sigma=1", "gaussian:sigma=0.5", 0.0, Role::game_p, tau);
    const double expected = tau > 1 ? (1 - 1 / tau) * 2.0 : 0.0;
    CAPTURE(tau);
    CHECK(critical_eps(d, 1).value == doctest::Approx(expected).epsilon(1e-9).scale(1.0));
  }
}

TEST_CASE("the generator alone is stable: critical eps 0, no unstable band") {
  const auto d = discriminator("gaussian:sigma=1", "", 0.0, Role::generator);
  const auto summary = summarize_stability(d, 2, linear_xi_samples(10, 500));
  CHECK(summary.critical.value == 0);
  CHECK(summary.bands.empty());
  CHECK(summary.max_growth < 0);
}

TEST_CASE("most unstable ξ and maximum growth are refined beyond the samples") {
  // d = 1, ε = 0: λ = 4 ξ² √(2π) σ e^{−σ²ξ²/2}, maximal at ξ = √2/σ with λ = 8√(2π)/(σ e).
  const double sigma = 0.8;
  const auto d = discriminator("gaussian:sigma=0.8", "", 0.0);
  const auto summary = summarize_stability(d, 1, linear_xi_samples(10, 37));  // coarse on purpose
  CHECK(summary.argmax_xi == doctest::Approx(std::sqrt(2.0) / sigma).epsilon(1e-6));
  CHECK(summary.max_growth ==
        doctest::Approx(8 * std::sqrt(2 * M_PI) / (sigma * std::exp(1.0))).epsilon(1e-11));
}

TEST_CASE("the unstable band ends where ê = εŝ") {
  for (int dim = 1; dim <= 3; ++dim) {
    const double sigma = 1, sigma_s = 0.5, eps = 0.3 * std::pow(2.0, dim);
    const auto d = discriminator("gaussian:sigma=1", "gaussian:sigma=0.5", eps);
    const auto summary = summarize_stability(d, dim, linear_xi_samples(8, 300));
    REQUIRE(summary.bands.size() == 1);
    const double xi_c = std::sqrt(2 * std::log(std::pow(sigma / sigma_s, dim) / eps) /
                                  (sigma * sigma - sigma_s * sigma_s));
    CHECK(summary.bands[0].lo == 0);
    CHECK(summary.bands[0].hi == doctest::Approx(xi_c).epsilon(1e-10));
  }
}

TEST_CASE("the line-envelope map equals brute-force evaluation") {
  // Same lines, same arithmetic a − εb: equal to round-off of the larger of the two terms,
  // 1e-12 of max(|a|, |b ε|) (ties between lines at a breakpoint may pick either line).
  const std::vector<double> params = parse_range("0.1:1.5:23", "--sweep");
  const std::vector<double> eps = parse_range("0.01:30:41:log", "--eps");
  const auto xi = linear_xi_samples(15, 301);
  for (const char* kernel : {"gaussian:sigma=1", "laplace:ell=0.7", "energy",
                             "rq:alpha=1.5,ell=0.6+0.3*gaussian:sigma=2"}) {
    for (Role role : {Role::discriminator, Role::game}) {
      auto factory = [&](double s) {
        return Dynamics{parse_kernel(kernel), parse_kernel("gaussian:sigma=" + std::to_string(s)),
                        0.0, role, 0.8, 1.0};
      };
      const int dim = 2;
      const auto fast = compute_stability_map(factory, dim, params, eps, xi, false);
      const auto slow = brute_force_stability_map(factory, dim, params, eps, xi);
      double worst = 0;
      for (std::size_t p = 0; p < params.size(); ++p) {
        const Dynamics d = factory(params[p]);
        double scale = 0;
        for (double x : xi) {
          const auto c = d.eps_coefficients(x, dim);
          scale = std::max({scale, std::fabs(c.a), std::fabs(c.b * eps.back())});
        }
        for (std::size_t e = 0; e < eps.size(); ++e) {
          const std::size_t i = p * eps.size() + e;
          worst = std::max(worst, std::fabs(fast.max_growth[i] - slow.max_growth[i]) / scale);
        }
      }
      CAPTURE(kernel);
      CAPTURE(role_name(role));
      CHECK(worst < 1e-12);
    }
  }
}

TEST_CASE("ranges parse and malformed ranges are rejected") {
  const auto linear = parse_range("0:1:5", "--eps");
  CHECK(linear == std::vector<double>{0, 0.25, 0.5, 0.75, 1});
  const auto logarithmic = parse_range("1:100:3:log", "--eps");
  CHECK(logarithmic[1] == doctest::Approx(10));
  for (const char* bad : {"1:0:5", "0:1", "a:1:3", "0:1:2.5", "0:1:0", "0:1:3:lin", "0:1:3:log"})
    CHECK_THROWS_AS(parse_range(bad, "--eps"), InputError);
}

TEST_CASE("critical eps with an interior supremum: gaussian e, laplace s, against the closed form") {
  // ln(ê/ŝ) = −σ²u/2 + (d+1)/2 ln(1 + ℓ²u) + const in u = ξ², stationary at
  //   u* = (d+1)/σ² − 1/ℓ²  (interior when ℓ² > σ²/(d+1)),
  // with ê = (2πσ²)^{d/2} e^{−σ²u/2} and ŝ = 2^d π^{(d−1)/2} Γ((d+1)/2) ℓ^d (1+ℓ²u)^{−(d+1)/2}.
  // The sampled maximum alone misses it by ~1e-4 relative (1.611334 against 1.611493 for
  // σ = 1, ℓ = 1.3, d = 1); Brent's refinement on a smooth ratio gives 1e-9. The location is
  // flat to first order at the maximum, so ξ* is known only to ~√1e-9: 1e-4 relative.
  const double pi = std::acos(-1.0);
  const double sigma = 1.0;
  for (int dim = 1; dim <= 3; ++dim) {
    for (double ell : {1.3, 2.0}) {
      const double u = (dim + 1) / (sigma * sigma) - 1 / (ell * ell);
      const double e_hat = std::pow(2 * pi * sigma * sigma, dim / 2.0) * std::exp(-sigma * sigma * u / 2);
      const double s_hat = std::pow(2.0, dim) * std::pow(pi, (dim - 1) / 2.0) *
                           std::tgamma((dim + 1) / 2.0) * std::pow(ell, dim) *
                           std::pow(1 + ell * ell * u, -(dim + 1) / 2.0);
      const auto d = discriminator("gaussian:sigma=1", "laplace:ell=" + std::to_string(ell), 0.0);
      const CriticalEps c = critical_eps(d, dim);
      CAPTURE(dim);
      CAPTURE(ell);
      REQUIRE_FALSE(c.infinite());
      CHECK(c.value == doctest::Approx(e_hat / s_hat).epsilon(1e-9));
      CHECK(c.at_xi == doctest::Approx(std::sqrt(u)).epsilon(1e-4));
    }
  }
}
