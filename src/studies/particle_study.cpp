#include "wgf/studies/particle_study.hpp"

#include "wgf/least_squares.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace wgf {

namespace {

Dynamics discriminator(const ParticleCase& c) {
  return Dynamics{parse_kernel(c.kernel), parse_kernel(c.stabilizer), c.eps, Role::discriminator,
                  1.0, 1.0};
}


}  // namespace

double box_critical_eps(const Dynamics& dynamics, double length, int max_mode) {
  double worst = 0;
  for (int k = 1; k <= max_mode; ++k) {
    const auto c = dynamics.eps_coefficients(2 * std::numbers::pi * k / length, 1);
    if (c.a > 0) worst = std::max(worst, c.b > 0 ? c.a / c.b : HUGE_VAL);
  }
  return worst;
}

std::vector<ParticleCase> default_particle_cases(const ParticleStudyConfig& config) {
  const std::pair<std::string, std::string> pairs[] = {
      {"gaussian:sigma=0.5", "gaussian:sigma=0.25"},
      {"laplace:ell=0.5", "laplace:ell=0.2"},
      {"energy", "laplace:ell=0.5"},
  };
  std::vector<ParticleCase> cases;
  for (const auto& [kernel, stabilizer] : pairs) {
    const ParticleCase probe{kernel, stabilizer, 0.0, ""};
    const double critical = box_critical_eps(discriminator(probe), config.length, config.max_mode);
    cases.push_back({kernel, stabilizer, 0.0, "unstable"});
    cases.push_back({kernel, stabilizer, 0.9 * critical, "marginal"});
    cases.push_back({kernel, stabilizer, 1.5 * critical, "stable"});
  }
  return cases;
}

std::vector<ParticleCaseResult> run_particle_study(const ParticleStudyConfig& config,
                                                   const std::vector<ParticleCase>& cases) {
  std::vector<ParticleCaseResult> results;
  std::vector<long> tracked;
  for (long k = 1; k <= config.tracked_modes; ++k) tracked.push_back(k);
  for (const ParticleCase& c : cases) {
    const Dynamics dynamics = discriminator(c);
    ParticleCaseResult result;
    result.setting = c;
    result.box_critical_eps = box_critical_eps(dynamics, config.length, config.max_mode);
    ParticleFlow flow(dynamics, config.length, config.particles, config.max_mode);
    flow.start_quiet(tracked, config.amp);
    const double dt = flow.stable_dt();
    // Long enough for three e-foldings of the slowest tracked mode, unless the fastest
    // growing one leaves the linear regime (1e-3) first or the step budget runs out.
    double slowest = HUGE_VAL;
    for (long k : tracked) slowest = std::min(slowest, std::fabs(flow.predicted_rate(k)));
    const double t_goal = slowest > 0 ? 3.0 / slowest : 1.0;
    std::vector<double> times;
    std::vector<std::vector<double>> logs(tracked.size());
    std::vector<std::vector<double>> fit_times(tracked.size());
    double t = 0;
    for (long step = 0;; ++step) {
      double largest = 0;
      for (std::size_t m = 0; m < tracked.size(); ++m) {
        const double a = flow.mode_amplitude(tracked[m]);
        largest = std::max(largest, a);
        // Fit while linear and above the round-off floor of a decaying mode.
        if (a < 1e-3 && a > 1e-6 * config.amp) {
          logs[m].push_back(std::log(a));
          fit_times[m].push_back(t);
        }
      }
      if (largest > 1e-3 || t >= t_goal || step >= config.max_steps) {
        result.steps = step;
        break;
      }
      flow.step(dt);
      t += dt;
    }
    result.t_end = t;
    double fastest_predicted = 0;
    for (std::size_t m = 0; m < tracked.size(); ++m) {
      ParticleModeResult mode;
      mode.k = tracked[m];
      mode.predicted = flow.predicted_rate(tracked[m]);
      mode.measured = fit_times[m].size() >= 3 ? least_squares_slope(fit_times[m], logs[m]) : NAN;
      mode.sign_right = (mode.measured > 0) == (mode.predicted > 0) && std::isfinite(mode.measured);
      if (mode.predicted > fastest_predicted) {
        fastest_predicted = mode.predicted;
        result.most_unstable_k = mode.k;
        result.most_unstable_error = std::fabs(mode.measured / mode.predicted - 1);
      }
      result.modes.push_back(mode);
    }
    results.push_back(result);
  }
  return results;
}

}  // namespace wgf
