// The trained-GAN study: its prediction against closed forms, its observation rules on synthetic
// training records, its agreement arithmetic, and `wgf validate --study gan` as a user runs it
// (bad options exit 2 and leave nothing; a tiny sweep writes the documented table).
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <numbers>
#include <sstream>
#include <string>
#include <vector>

#include "cli_sandbox.hpp"
#include "wgf/errors.hpp"
#include "wgf/analysis/feature_flow_prediction.hpp"
#include "wgf/studies/gan_study.hpp"
#include "wgf/studies/training_observation.hpp"

namespace {

using wgf::testing::Sandbox;
constexpr double kPi = std::numbers::pi;

// A record with `rows` metric rows of S (2 wave vectors) following s(row), and a loss log.
wgf::TrainingRecord record(int rows, double (*s)(int), double (*loss)(int), int losses) {
  wgf::TrainingRecord r;
  r.status = "completed";
  r.structure_count = 2;
  for (int i = 0; i < rows; ++i) {
    r.metrics_iter.push_back(100.0 * i);
    r.feature_std_real.push_back(1.0);
    r.mmd.push_back(0.01);
    r.modes_covered.push_back(8);
    r.high_quality_fraction.push_back(0.9);
    // The two directions differ by ±10 %: the rule must use their mean.
    r.structure.push_back(1.1 * s(i));
    r.structure.push_back(0.9 * s(i));
  }
  for (int i = 0; i < losses; ++i) {
    r.loss_iter.push_back(10.0 * i);
    r.loss_d.push_back(loss(i));
  }
  return r;
}

}  // namespace

TEST_CASE("feature-flow prediction, gaussian loss and stabiliser: the closed forms") {
  // ê/ŝ = (σ/σ_s)^d exp(−(σ² − σ_s²)ξ²/2) falls with ξ (σ_s < σ), so ε* = (σ/σ_s)^d at ξ → 0 and
  // ε*_band = its value at the band's lower end ξ_lo = 2π/(box ℓ). Only rounding separates the
  // module's numbers from these, hence 1e-9 (critical_eps refines a supremum numerically).
  const int d = 2;
  const double sigma = 1, sigma_s = 0.5, ell = 1;
  const wgf::FeatureBand band;  // box 6, harmonics 3
  const double xi_lo = 2 * kPi / (band.box * ell);
  const double global = std::pow(sigma / sigma_s, d);
  const double in_band = global * std::exp(-(sigma * sigma - sigma_s * sigma_s) * xi_lo * xi_lo / 2);
  const auto p = wgf::predict_feature_flow("gaussian:sigma=1", "gaussian:sigma=0.5", 0.0, d, ell, band);
  CHECK(p.critical_eps == doctest::Approx(global).epsilon(1e-9));
  CHECK(p.critical_reason.empty());
  CHECK(p.band_critical_eps == doctest::Approx(in_band).epsilon(1e-12));
  CHECK(wgf::band_critical_eps("gaussian:sigma=1", "gaussian:sigma=0.5", d, ell, band) ==
        doctest::Approx(in_band).epsilon(1e-12));
  CHECK(p.rho0 == doctest::Approx(1 / (4 * kPi * ell * ell)).epsilon(1e-15));
  CHECK(p.xi_lo == doctest::Approx(xi_lo).epsilon(1e-15));
  CHECK(p.xi_hi == doctest::Approx(3 * xi_lo).epsilon(1e-14));
  // At ε = 0, λ ∝ ξ² exp(−σ²ξ²/2) peaks at √2/σ, inside the band: the sampled argmax is within
  // half a sample spacing of it.
  const double spacing = (p.xi_hi - p.xi_lo) / (band.samples - 1);
  CHECK(std::fabs(p.argmax_xi - std::sqrt(2.0) / sigma) <= 0.5 * spacing + 1e-12);
  const double peak = 4 * p.rho0 * 2 * 2 * kPi * std::exp(-1.0);  // 4ρ0 ξ² ê at ξ² = 2
  CHECK(p.max_growth == doctest::Approx(peak).epsilon(1e-3));      // sampled, not refined
  CHECK(p.unstable);
  // Just below and above ε*_band the verdict flips.
  CHECK(wgf::predict_feature_flow("gaussian:sigma=1", "gaussian:sigma=0.5", 0.99 * in_band, d, ell, band).unstable);
  const auto stable = wgf::predict_feature_flow("gaussian:sigma=1", "gaussian:sigma=0.5",
                                                1.01 * in_band, d, ell, band);
  CHECK_FALSE(stable.unstable);
  CHECK(stable.max_growth < 0);
  CHECK(stable.argmax_xi == doctest::Approx(xi_lo).epsilon(1e-12));  // the least stable end
}

TEST_CASE("feature-flow prediction, energy loss against a gaussian stabiliser: infinite eps*, "
          "finite in the band") {
  // d = 2, β = 1: ê = 2π ξ^−3, ŝ = 2πσ_s² exp(−σ_s²ξ²/2). ê/ŝ blows up at both ends of ξ, so
  // the global ε* is infinite with a reason, while in the band the ratio's maximum sits at one
  // of its ends (it has a single interior minimum).
  const int d = 2;
  const double sigma_s = 0.5, ell = 0.8;
  const wgf::FeatureBand band;
  auto ratio = [&](double xi) {
    return std::pow(xi, -3) * std::exp(sigma_s * sigma_s * xi * xi / 2) / (sigma_s * sigma_s);
  };
  const double lo = 2 * kPi / (band.box * ell), hi = 3 * lo;
  const auto p = wgf::predict_feature_flow("energy", "gaussian:sigma=0.5", 1.0, d, ell, band);
  CHECK(std::isinf(p.critical_eps));
  CHECK_FALSE(p.critical_reason.empty());
  CHECK(p.band_critical_eps == doctest::Approx(std::max(ratio(lo), ratio(hi))).epsilon(1e-12));
  CHECK_THROWS_AS(wgf::predict_feature_flow("energy", "gaussian:sigma=0.5", 1.0, d, 0.0, band),
                  wgf::InputError);
}

TEST_CASE("observation rules on synthetic training records") {
  const wgf::ObservationRules rules;  // growth ≥ 2, spread factor 100
  const auto flat = +[](int) { return 1e-3; };
  const auto growing = +[](int i) { return 1e-3 * std::exp(0.3 * i); };  // ×e^{0.3 i}
  const auto settled = +[](int i) { return i % 2 ? 0.01 : -0.01; };  // zero mean
  const auto holding = +[](int i) { return 0.05 + (i % 2 ? 0.01 : -0.01); };
  const auto swinging = +[](int i) { return 0.05 * std::sin(0.7 * i); };

  // Eleven rows: the late mean is rows 8–10 (the last third, 3 rows).
  const auto grew = wgf::observe(record(11, growing, settled, 100), rules);
  double late = 0;
  for (int i = 8; i <= 10; ++i) late += std::exp(0.3 * i) / 3;
  CHECK(grew.structure_ratio == doctest::Approx(late).epsilon(1e-12));
  CHECK(grew.unstable);
  CHECK(grew.reason == "structure factor grew");
  CHECK(grew.loss_oscillation == doctest::Approx(1.0));  // ±0.01 around 0: std = rms
  CHECK(grew.loss_mean == doctest::Approx(0.0));

  // Second half of 100 logged losses: 50 values 0.05 ± 0.01 alternating, so the mean is 0.05
  // exactly and the population std 0.01.
  const auto held = wgf::observe(record(11, flat, holding, 100), rules);
  CHECK(held.unstable);
  CHECK(held.reason == "D holds a positive energy");
  CHECK(held.loss_mean == doctest::Approx(0.05).epsilon(1e-12));
  // Population std of ±0.01 is 0.01; the standard error is sqrt(variance / (n − 1)).
  CHECK(held.loss_mean_z == doctest::Approx(0.05 / std::sqrt(1e-4 / 49)).epsilon(1e-9));
  wgf::ObservationRules strict = rules;
  strict.positive_energy_z = 1e9;  // out of reach: the verdict falls to the structure factor
  CHECK_FALSE(wgf::observe(record(11, flat, holding, 100), strict).unstable);

  const auto calm = wgf::observe(record(11, flat, swinging, 100), rules);
  CHECK(calm.structure_ratio == doctest::Approx(1.0).epsilon(1e-12));
  CHECK_FALSE(calm.unstable);
  // A sine sampled over many periods: std/rms → 1 (0.02 covers the finite-sample mean).
  CHECK(calm.loss_oscillation == doctest::Approx(1.0).epsilon(0.02));
  CHECK(calm.modes_covered == 8);
  CHECK(calm.high_quality_fraction == doctest::Approx(0.9));

  auto nan_loss = record(11, flat, settled, 100);
  nan_loss.status = "diverged";
  const auto diverged = wgf::observe(nan_loss, rules);
  CHECK(diverged.unstable);
  CHECK(diverged.diverged);

  auto collapsed = record(11, flat, settled, 100);
  collapsed.feature_std_real.back() = 0.005;  // ÷200
  CHECK(wgf::observe(collapsed, rules).reason == "features collapsed");
  auto exploded = record(11, flat, settled, 100);
  exploded.feature_std_real.back() = 150;
  CHECK(wgf::observe(exploded, rules).reason == "features exploded");
  exploded.feature_std_real.back() = 50;  // within the factor: not diverged
  CHECK_FALSE(wgf::observe(exploded, rules).diverged);
}

TEST_CASE("structure directions: df^2 distinct unit vectors") {
  for (int d : {1, 2, 3, 5}) {
    const auto directions = wgf::structure_directions(d);
    REQUIRE(directions.size() == static_cast<std::size_t>(d * d));
    for (std::size_t i = 0; i < directions.size(); ++i) {
      double norm = 0;
      for (double x : directions[i]) norm += x * x;
      CHECK(norm == doctest::Approx(1.0).epsilon(1e-15));
      for (std::size_t j = 0; j < i; ++j) {
        double dot = 0;
        for (int a = 0; a < d; ++a) dot += directions[i][a] * directions[j][a];
        CHECK(std::fabs(dot) < 1 - 1e-9);  // neither equal nor opposite
      }
    }
  }
}

TEST_CASE("agreement and the quality peak over hand-made runs") {
  std::vector<wgf::GanRunResult> runs;
  // Sweep 0: ratios 0, 0.5, 2 with two seeds; quality peaks at 0.5; one disagreement at 2.
  const double ratios[] = {0, 0.5, 2};
  const double quality[] = {0.2, 0.8, 0.6};
  for (int k = 0; k < 3; ++k)
    for (int seed = 0; seed < 2; ++seed) {
      wgf::GanRunResult r;
      r.sweep = 0;
      r.seed = seed;
      r.eps_ratio = ratios[k];
      r.prediction.unstable = ratios[k] < 1;
      r.observation.unstable = ratios[k] < 1 || seed == 1;
      r.agree = r.prediction.unstable == r.observation.unstable;
      r.observation.high_quality_fraction = quality[k] + 0.05 * seed;
      r.observation.mmd = 0.1;
      runs.push_back(r);
    }
  const auto all = wgf::agreement(runs, [](const wgf::GanRunResult&) { return true; });
  CHECK(all.agree == 5);
  CHECK(all.total == 6);
  CHECK(all.rate() == doctest::Approx(5.0 / 6));
  const auto stable = wgf::agreement(runs, [](const wgf::GanRunResult& r) { return !r.prediction.unstable; });
  CHECK(stable.agree == 1);
  CHECK(stable.total == 2);
  CHECK(wgf::best_quality_ratio(runs, 0) == 0.5);
  CHECK(std::isnan(wgf::best_quality_ratio(runs, 1)));  // no runs
}

TEST_CASE("wgf validate --study gan: bad options exit 2 and write nothing; a tiny sweep writes "
          "its table") {
  Sandbox box;
  // A tiny sweep: `extra` plus defaults for the options it does not set itself.
  const auto tiny = [](const std::string& extra) {
    std::string command = "validate --study gan --quiet --out-dir v --iters 30 --batch 32 "
                          "--g-hidden 16 --d-hidden 16 --df 2 --eval-samples 64 --threads 1 --no-figures " + extra;
    const std::pair<const char*, const char*> defaults[] = {
        {"--data", "ring8"}, {"--losses", "mmd"}, {"--families", "gaussian"}, {"--seeds", "1"},
        {"--device", "cpu"}, {"--metrics-every", "10"}, {"--eps-ratios", "0,4"}};
    for (const auto& [option, value] : defaults)
      if (extra.find(std::string(option) + " ") == std::string::npos)
        command += std::string(" ") + option + " " + value;
    return command;
  };
  const std::pair<std::string, std::string> bad[] = {
      {tiny("--eps-ratios 0,1"), "leave out 1"},
      {tiny("--eps-ratios 0,-2"), "--eps-ratios"},
      {tiny("--losses mmd,hinge"), "'hinge' is not one of mmd, energy, riesz"},
      {tiny("--families laplace"), "'laplace' is not one of gaussian, rq"},
      {tiny("--data mnist"), "'mnist' is not one of ring8, grid25"},
      {tiny("--device tpu"), "--device 'tpu'"},
      {tiny("--seeds 0"), "--seeds 0"},
      {tiny("--metrics-every 100"), "--metrics-every"},
      {tiny("--growth-threshold 0.5"), "--growth-threshold"},
      {"validate --study galaxy", "--study 'galaxy'"},
  };
  for (const auto& [arguments, expected] : bad) {
    CAPTURE(arguments);
    const auto result = box.run(arguments);
    CHECK(result.exit_code == 2);
    CHECK(result.output.find(expected) != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(box.path("v/validate.h5")));
  }

  const auto run = box.run(tiny(""));
  REQUIRE_MESSAGE(run.exit_code == 0, run.output);
  const auto h5 = box.path("v/validate.h5");
  CHECK(wgf::testing::read_status(h5) == "completed");
  const auto ratio = wgf::testing::read_vector(h5, "gan/runs/eps_ratio");
  const auto predicted = wgf::testing::read_vector(h5, "gan/runs/predicted_unstable");
  const auto eps = wgf::testing::read_vector(h5, "gan/runs/eps");
  const auto band = wgf::testing::read_vector(h5, "gan/runs/band_critical_eps");
  REQUIRE(ratio.size() == 2);
  CHECK(predicted[0] == 1);  // ε = 0
  CHECK(predicted[1] == 0);  // ε = 4 ε*_band
  CHECK(eps[1] == doctest::Approx(4 * band[1]).epsilon(1e-15));
  // The run's own file holds the structure factor at the predicted most unstable |ξ| along the
  // df = 2 axes in cloud units and in df² = 4 directions at the fixed |ξ|, and the study's
  // numbers are reproduced from it.
  const auto record = wgf::read_training_record(box.path("v/runs/ring8_mmd_gaussian_r4_s0.h5").string());
  CHECK(record.structure_count == 2);
  CHECK(record.structure_fixed_count == 4);
  const auto observed = wgf::testing::read_vector(h5, "gan/runs/structure_ratio");
  CHECK(wgf::observe(record, {}).structure_ratio == doctest::Approx(observed[1]).epsilon(1e-15));
  const auto z = wgf::testing::read_vector(h5, "gan/runs/loss_mean_z");
  CHECK(wgf::observe(record, {}).loss_mean_z == doctest::Approx(z[1]).epsilon(1e-15));
  std::ifstream summary(box.path("v/summary.md"));
  std::stringstream text;
  text << summary.rdbuf();
  CHECK(text.str().find("| ring8 | mmd | gaussian | 4 |") != std::string::npos);
  CHECK(text.str().find("Agreement over all 2 runs") != std::string::npos);
}
