#include "wgf/analysis/feature_flow_prediction.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "wgf/dynamics.hpp"
#include "wgf/errors.hpp"
#include "wgf/analysis/stability.hpp"

namespace wgf {

namespace {

Dynamics feature_dynamics(const std::string& loss, const std::string& stabilizer, double eps,
                          int dim, double feature_std) {
  if (!(feature_std > 0) || !std::isfinite(feature_std))
    throw InputError("feature spread " + std::to_string(feature_std) +
                     ": the real features must have a positive, finite pooled std");
  Dynamics dynamics{parse_kernel(loss), parse_kernel(stabilizer), eps, Role::discriminator,
                    1.0, feature_density(feature_std, dim)};
  dynamics.validate(dim);
  return dynamics;
}

// The band's evaluation points, ξ_1 … ξ_harmonics evenly spaced (both ends included).
std::vector<double> band_samples(double feature_std, const FeatureBand& band) {
  const double lo = 2 * std::numbers::pi / (band.box * feature_std);
  const double hi = band.harmonics * lo;
  const int n = std::max(band.samples, 2);
  std::vector<double> xi(n);
  for (int i = 0; i < n; ++i) xi[i] = lo + (hi - lo) * i / (n - 1);
  return xi;
}

double max_ratio(const Dynamics& dynamics, int dim, const std::vector<double>& xi) {
  double worst = 0;
  for (double x : xi) {
    const EpsCoefficients c = dynamics.eps_coefficients(x, dim);
    if (c.a > 0) worst = std::max(worst, c.b > 0 ? c.a / c.b : HUGE_VAL);
  }
  return worst;
}

}  // namespace

double feature_density(double feature_std, int dim) {
  return std::pow(4 * std::numbers::pi * feature_std * feature_std, -0.5 * dim);
}

double band_critical_eps(const std::string& loss, const std::string& stabilizer, int dim,
                         double feature_std, const FeatureBand& band) {
  const Dynamics dynamics = feature_dynamics(loss, stabilizer, 0.0, dim, feature_std);
  return max_ratio(dynamics, dim, band_samples(feature_std, band));
}

FeaturePrediction predict_feature_flow(const std::string& loss, const std::string& stabilizer,
                                       double eps, int dim, double feature_std,
                                       const FeatureBand& band) {
  const Dynamics dynamics = feature_dynamics(loss, stabilizer, eps, dim, feature_std);
  const std::vector<double> xi = band_samples(feature_std, band);
  FeaturePrediction p;
  p.feature_std = feature_std;
  p.rho0 = dynamics.rho0;
  p.xi_lo = xi.front();
  p.xi_hi = xi.back();
  const CriticalEps critical = critical_eps(dynamics, dim);
  p.critical_eps = critical.value;
  p.critical_reason = critical.reason;
  p.band_critical_eps = max_ratio(dynamics, dim, xi);
  p.max_growth = -std::numeric_limits<double>::infinity();
  for (double x : xi) {
    const double rate = dynamics.growth_rate(x, dim);
    if (rate > p.max_growth) {
      p.max_growth = rate;
      p.argmax_xi = x;
    }
  }
  p.unstable = p.max_growth > 0;
  return p;
}

}  // namespace wgf
