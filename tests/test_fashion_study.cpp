// The Fashion-MNIST study's choice of ε from the spectral module, against closed forms of the
// Gaussian transforms (docs/design.md §1: ĝ_σ(ξ) = (2πσ²)^{d/2} e^{−σ²ξ²/2}).
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "wgf/studies/fashion_study.hpp"
#include "wgf/trainer/gan_trainer.hpp"

using namespace wgf;

namespace {

Dynamics discriminator(const std::string& e, const std::string& s) {
  return Dynamics{parse_kernel(e), parse_kernel(s), 0.0, Role::discriminator, 1.0, 1.0};
}

// log Σ_σ ĝ_σ(ξ) in d dimensions, summed in log space (the terms span 20+ decades at d = 16).
double log_mixture_transform(const std::vector<double>& sigmas, double xi, int d) {
  std::vector<double> logs;
  for (double s : sigmas) logs.push_back(0.5 * d * std::log(2 * M_PI * s * s) - 0.5 * s * s * xi * xi);
  const double top = *std::max_element(logs.begin(), logs.end());
  double sum = 0;
  for (double l : logs) sum += std::exp(l - top);
  return top + std::log(sum);
}

}  // namespace

TEST_CASE("stabilising eps above xi_c: gaussian/gaussian closed form, +inf when s cannot hold") {
  // ê/ŝ = (σ/σ_s)^d e^{−(σ²−σ_s²)ξ²/2} falls with ξ, so its sup over ξ ≥ ξ_c sits at ξ_c.
  // The scan starts at ξ_c exactly: only rounding separates the two (1e-12 relative).
  const Dynamics d = discriminator("gaussian:sigma=1", "gaussian:sigma=0.5");
  for (double xi_c : {0.5, 1.0, 2.0})
    for (int dim : {1, 3})
      CHECK(stabilising_eps_above(d, dim, xi_c) ==
            doctest::Approx(std::pow(2.0, dim) * std::exp(-0.375 * xi_c * xi_c)).epsilon(1e-12));
  // A stabiliser wider than the kernel decays faster: no ε holds the large ξ.
  CHECK(std::isinf(stabilising_eps_above(discriminator("gaussian:sigma=1", "gaussian:sigma=2"), 2, 1.0)));
}

TEST_CASE("the study's default stabiliser: eps* = 2^df and the band value for |xi| >= 1") {
  const std::vector<double> e_sigmas = {1, 2, 4, 8, 16}, s_sigmas = {0.5, 1, 2, 4, 8};
  const Dynamics d = discriminator(kDefaultTrainingLoss, kHalvedMixtureStabilizer);
  // Full ε*: ê/ŝ → 2^d as ξ → 0 (each component pair has ratio 2^d there). critical_eps scans
  // down to ξ = 1e-6, where the ratio differs from 2^d by O(σ_max² ξ²) ≈ 1e-10 relative.
  CHECK(critical_eps(d, 4).value == doctest::Approx(16.0).epsilon(1e-8));
  CHECK(critical_eps(d, 16).value == doctest::Approx(65536.0).epsilon(1e-8));
  // The band value in df = 16 against the log-space closed form, maximised on a fine grid of
  // ξ ≥ 1 here (0.1 % steps; the ratio varies by less than 1e-9 per step near its sup, which
  // lies at ξ = 1 where the shared components make it ≈ 1).
  double expected = 0;
  for (int j = 0; j <= 8000; ++j) {
    const double xi = std::pow(10.0, j / 1000.0 * 0.5);
    expected = std::max(expected, std::exp(log_mixture_transform(e_sigmas, xi, 16) -
                                           log_mixture_transform(s_sigmas, xi, 16)));
  }
  CHECK(stabilising_eps_above(d, 16, 1.0) == doctest::Approx(expected).epsilon(1e-6));
}
