// The particle discriminator against the spectral module (the particle part of the validation
// study, at a test-sized n). With a quiet start the particles carry no shot noise, so each
// perturbed mode evolves at λ(ξ_k) up to RK4's (λΔt)⁴/120 ≈ 5e-4 and the O(amplitude) = 1e-6
// nonlinear coupling: 1% on the most unstable mode is a tolerance with margin (the issue asks
// for 5% at n ≥ 10⁴), and the sign of every tracked mode must be right.
#include <doctest/doctest.h>

#include <cmath>

#include "wgf/studies/particle_study.hpp"

using namespace wgf;

TEST_CASE("particle discriminator: measured mode rates match λ(ξ_k), signs right") {
  ParticleStudyConfig config;
  config.particles = 1000;
  config.max_mode = 12;
  config.tracked_modes = 6;
  config.max_steps = 150;
  const auto cases = default_particle_cases(config);
  REQUIRE(cases.size() == 9);
  const auto results = run_particle_study(config, cases);
  for (const auto& r : results) {
    CAPTURE(r.setting.kernel);
    CAPTURE(r.setting.label);
    CAPTURE(r.setting.eps);
    if (r.setting.label == "stable") CHECK(r.most_unstable_k == 0);
    if (r.setting.label != "stable") {
      REQUIRE(r.most_unstable_k > 0);
      CHECK(r.most_unstable_error < 1e-2);
    }
    for (const auto& m : r.modes) {
      CAPTURE(m.k);
      CAPTURE(m.predicted);
      CAPTURE(m.measured);
      CHECK(m.sign_right);
    }
  }
}

TEST_CASE("a random start grows the predicted most unstable mode fastest") {
  // Shot noise seeds every mode at ~n^{-1/2}; the discriminator at ε = 0 must amplify the mode
  // of largest λ most. Gaussian σ = 0.5 in a 2π box: λ(k) = 4k² √(2π)·0.5 e^{−k²/8}, largest at
  // k = 3 (k² = 8 → k ≈ 2.83).
  Dynamics d{parse_kernel("gaussian:sigma=0.5"), Kernel{}, 0.0, Role::discriminator, 1.0, 1.0};
  ParticleFlow flow(d, 2 * M_PI, 4000, 12);
  flow.start_random(11);
  std::vector<double> start(8);
  for (long k = 1; k <= 7; ++k) start[k] = flow.mode_amplitude(k);
  const double dt = flow.stable_dt();
  for (int s = 0; s < static_cast<int>(0.25 / dt); ++s) flow.step(dt);
  long best = 0;
  double best_gain = 0;
  for (long k = 1; k <= 7; ++k) {
    const double gain = flow.mode_amplitude(k) / start[k];
    if (gain > best_gain) {
      best_gain = gain;
      best = k;
    }
  }
  CHECK(best == 3);
}
