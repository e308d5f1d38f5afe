// The quick study's trained-GAN part (protocol quick-gan; docs/design.md §7.4) against
// independent computations: ε*_shells against the closed-form transforms of two Gaussians, the
// three verdict rules against hand-made results, and a tiny whole study whose verdicts and
// agreement counts are recounted here from its own stored growth results.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>

#include "cli_sandbox.hpp"
#include "wgf/errors.hpp"
#include "wgf/protocol.hpp"
#include "wgf/studies/growth_study.hpp"
#include "wgf/studies/quick_gan_study.hpp"

using namespace wgf;

namespace {

GrowthRules tiny_growth_rules() {
  GrowthRules r;
  r.batch = 120;
  r.time_step = 0;
  r.step_phase = 0.002;
  r.max_steps = 200;
  r.sample_every = 5;
  r.stop_power_ratio = 6;
  r.stop_phase = 1;
  r.radii = {3, 5};
  r.directions = 16;
  r.resamples = 40;
  r.block = 4;
  r.confidence = 0.95;
  r.density_bandwidth = 0.1;
  r.resolved_excludes_zero = true;
  r.softening = 1e-2;
  r.estimator = "v";
  r.activation = "leaky_relu";
  r.d_hidden = {16, 16};
  r.feature_dim = 2;
  return r;
}

std::string committed(const std::string& name) {
  return std::string(WGF_SOURCE_DIR) + "/experiments/protocols/" + name + ".txt";
}

}  // namespace

TEST_CASE("ε*_shells of two Gaussians is (σe/σs)² exp(−(σe² − σs²)ξ₀²/2) at the smallest shell, and ε is played in its units") {
  // In 2D ĝ_σ(ξ) = 2πσ² exp(−σ²ξ²/2) (docs/design.md, kernel table), so ê/ŝ falls with |ξ| when
  // σe > σs and its maximum over the shells is at the smallest radius.
  GrowthSettings s;
  s.data = "gaussian2d";
  s.loss = "gaussian:sigma=0.3";
  s.stabilizer = "gaussian:sigma=0.15";
  s.features = "free";
  s.eps = 0.5;
  s.eps_in_critical_units = true;
  s.seed = 3;
  const GrowthResult r = run_growth(s, tiny_growth_rules());
  const double xi0 = *std::min_element(r.xi.begin(), r.xi.end());
  const double expected = (0.09 / 0.0225) * std::exp(-(0.09 - 0.0225) * xi0 * xi0 / 2);
  CHECK(r.eps_critical == doctest::Approx(expected).epsilon(1e-12));
  CHECK(r.eps == doctest::Approx(0.5 * expected).epsilon(1e-12));
  // Below ε*_shells the free-particle rate is positive at the smallest shell; just above it,
  // nowhere (the definition, checked on the run's own predictions).
  CHECK(r.predicted_free[0] > 0);
  s.eps = 1.001;
  const GrowthResult above = run_growth(s, tiny_growth_rules());
  for (double rate : above.predicted_free) CHECK(rate <= 0);
  // Without a stabiliser there is no ε*: ε in its units is refused.
  s.stabilizer.clear();
  CHECK_THROWS_AS(run_growth(s, tiny_growth_rules()), InputError);
}

TEST_CASE("the quick-gan verdicts: unstable when some shell's rate (free) or interval (tangent, measured) is above 0") {
  GrowthResult r;
  r.predicted_free = {-1, -0.5};
  r.tangent_ci_low = {-2, -0.1};
  r.ci_low = {-3, 0};  // an interval touching 0 is not above it
  CHECK_FALSE(free_predicts_unstable(r));
  CHECK_FALSE(tangent_predicts_unstable(r));
  CHECK_FALSE(observed_unstable(r));
  r.predicted_free = {-1, 1e-9};
  r.tangent_ci_low = {0.2, -0.1};
  r.ci_low = {-3, 1e-9};
  CHECK(free_predicts_unstable(r));
  CHECK(tangent_predicts_unstable(r));
  CHECK(observed_unstable(r));
}

TEST_CASE("the committed quick-gan protocol reads; another verdict rule or an unknown key is refused") {
  const Protocol p = Protocol::load(committed("quick-gan-v2"));
  const QuickGanRules r = QuickGanRules::from(p);
  CHECK(r.seeds.size() >= 5);  // the minimum
  CHECK(std::count(r.eps_ratios.begin(), r.eps_ratios.end(), 0.0) == 1);
  CHECK(GrowthRules::from(Protocol::load(committed(r.growth_protocol))).batch > 0);
  std::string text = p.text();
  const auto swap = [&](const std::string& from, const std::string& to) {
    std::string t = text;
    t.replace(t.find(from), from.size(), to);
    return t;
  };
  CHECK_THROWS_AS(QuickGanRules::from(Protocol::parse(
                      swap("observation = some_shell_interval_above_zero", "observation = energy_positive"), "t")),
                  InputError);
  CHECK_THROWS_AS(QuickGanRules::from(Protocol::parse(text + "\nseedz = 1\n", "t")), InputError);
  CHECK_THROWS_AS(QuickGanRules::from(Protocol::parse(swap("eps_ratios = 0, 0.5, 4", "eps_ratios = -1"), "t")),
                  InputError);
}

TEST_CASE("a tiny quick-gan study: its verdicts are the rules applied to its own measurements, its counts recount") {
  testing::Sandbox box;
  QuickGanRules rules = QuickGanRules::from(Protocol::load(committed("quick-gan-v2")));
  rules.seeds = {1, 2};
  rules.eps_ratios = {0, 4};
  rules.train_iterations = 20;
  rules.train_batch = 64;
  rules.g_hidden = {16};
  rules.d_hidden = {16, 16};
  const auto runs = run_quick_gan_study(rules, tiny_growth_rules(), box.path("").string(), false, {});
  REQUIRE(runs.size() == 4);
  long free_agree = 0, tangent_agree = 0, observed = 0;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const QuickGanRun& r = runs[i];
    CAPTURE(i);
    CHECK(r.seed == rules.seeds[i / 2]);
    CHECK(r.eps_ratio == rules.eps_ratios[i % 2]);
    CHECK(std::filesystem::exists(r.checkpoint));
    CHECK(r.growth.eps == doctest::Approx(r.eps_ratio * r.growth.eps_critical));
    bool any_free = false, any_tangent = false, any_measured = false;
    for (std::size_t k = 0; k < r.growth.xi.size(); ++k) {
      any_free |= r.growth.predicted_free[k] > 0;
      any_tangent |= r.growth.tangent_ci_low[k] > 0;
      any_measured |= r.growth.ci_low[k] > 0;
    }
    CHECK(r.predicted_free == any_free);
    CHECK(r.predicted_tangent == any_tangent);
    CHECK(r.observed == any_measured);
    // The paper's prediction at ε = 0 and at 4 ε*: unstable, then stable.
    CHECK(r.predicted_free == (r.eps_ratio < 1));
    free_agree += r.predicted_free == r.observed;
    tangent_agree += r.predicted_tangent == r.observed;
    observed += r.observed;
  }
  const QuickGanAgreement a = summarise_quick_gan(runs, 0.95);
  CHECK(a.free_all.runs == 4);
  CHECK(a.free_all.agree == free_agree);
  CHECK(a.tangent_all.agree == tangent_agree);
  CHECK(a.free_all.always_unstable_agree == observed);
  CHECK(a.free_stabilised.runs == 2);  // the ε = 0 runs are left out
  // The same study again: the same numbers (seeded, and each measurement on one thread).
  const auto again = run_quick_gan_study(rules, tiny_growth_rules(), box.path("").string(), true, {});
  for (std::size_t i = 0; i < runs.size(); ++i) CHECK(again[i].growth.measured == runs[i].growth.measured);
}
