#include "wgf/analysis/stability.hpp"

#include <algorithm>
#include <boost/math/tools/minima.hpp>
#include <boost/math/tools/roots.hpp>
#include <cmath>
#include <cstdio>
#include <limits>

namespace wgf {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::string format(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", v);
  return buffer;
}

// Brent's maximisation of f over [lo, hi]; returns (argmax, max).
template <typename F>
std::pair<double, double> maximise(F f, double lo, double hi) {
  boost::uintmax_t iterations = 200;
  const auto [x, minus_f] = boost::math::tools::brent_find_minima(
      [&](double t) { return -f(t); }, lo, hi, std::numeric_limits<double>::digits / 2,
      iterations);
  return {x, -minus_f};
}

// A root of f in [lo, hi] where f changes sign (TOMS 748 to full double precision).
template <typename F>
double root(F f, double lo, double hi) {
  boost::uintmax_t iterations = 200;
  const auto bracket = boost::math::tools::toms748_solve(
      f, lo, hi, boost::math::tools::eps_tolerance<double>(50), iterations);
  return 0.5 * (bracket.first + bracket.second);
}

}  // namespace

bool CriticalEps::infinite() const { return std::isinf(value); }

std::vector<double> linear_xi_samples(double xi_max, int n) {
  std::vector<double> xi(n);
  for (int i = 0; i < n; ++i) xi[i] = xi_max * (i + 1) / n;
  return xi;
}

CriticalEps critical_eps(const Dynamics& dynamics, int dim) {
  // λ(ξ; ε) = a − ε b. Stable for ε iff a ≤ ε b at every ξ, so ε* = sup over {a > 0} of a/b,
  // and no ε works where a > 0 while b ≤ 0.
  constexpr int kPerDecade = 100, kDecadesBelow = 6, kDecadesAbove = 6;
  constexpr int kSamples = (kDecadesBelow + kDecadesAbove) * kPerDecade + 1;
  std::vector<double> xi(kSamples), ratio(kSamples, -kInf);
  CriticalEps result;
  double best = 0;
  int best_index = -1;
  bool small_divergence = false, large_divergence = false, negative_stabiliser = false;
  double negative_at = 0;
  for (int j = 0; j < kSamples; ++j) {
    xi[j] = std::pow(10.0, -kDecadesBelow + static_cast<double>(j) / kPerDecade);
    const EpsCoefficients c = dynamics.eps_coefficients(xi[j], dim);
    if (!(c.a > 0)) continue;  // stable at every ε ≥ 0 here (or a = NaN: no information)
    if (!(c.b > 0)) {
      // ŝ's term cannot stabilise this ξ: it vanishes (underflow at large ξ, or a transform
      // that is zero) or has the wrong sign.
      if (c.b < 0) {
        negative_stabiliser = true;
        negative_at = xi[j];
      } else if (xi[j] >= 1) {
        large_divergence = true;
      } else {
        small_divergence = true;
      }
      continue;
    }
    ratio[j] = c.a / c.b;
    if (ratio[j] > best) {
      best = ratio[j];
      best_index = j;
    }
  }
  // A supremum at an end of the scan that is still rising there diverges in that limit.
  auto rising_towards = [&](int end, int inner) {
    return std::isfinite(ratio[end]) && std::isfinite(ratio[inner]) &&
           ratio[end] > ratio[inner] * (1 + 1e-6);
  };
  // Each end is checked on its own: a bounded ratio changes by far less than 1e-6 per decade
  // there (e.g. (σ/σ_s)^d e^{−cξ²} near ξ = 0), a divergent one by a power of ten per decade.
  if (rising_towards(0, kPerDecade)) small_divergence = true;
  if (rising_towards(kSamples - 1, kSamples - 1 - kPerDecade)) large_divergence = true;

  std::vector<std::string> reasons;
  if (small_divergence)
    reasons.push_back("at small xi the kernel's transform outgrows the stabiliser's "
                      "(e^/s^ -> infinity as xi -> 0, or s^ vanishes there)");
  if (large_divergence)
    reasons.push_back("the stabiliser's transform decays faster than the kernel's at large xi "
                      "(s^/e^ -> 0 as xi -> infinity)");
  if (negative_stabiliser)
    reasons.push_back("the stabiliser's transform has the wrong sign at xi = " +
                      format(negative_at) + " where the kernel's is unstable");
  if (!reasons.empty()) {
    result.value = kInf;
    for (const auto& r : reasons) result.reason += (result.reason.empty() ? "" : "; ") + r;
    return result;
  }
  if (best_index < 0) return result;  // stable at every ξ already at ε = 0
  // Refine the supremum in log ξ between the neighbouring samples.
  const double lo = std::log(xi[std::max(0, best_index - 1)]);
  const double hi = std::log(xi[std::min(kSamples - 1, best_index + 1)]);
  const auto [t, value] = maximise(
      [&](double log_xi) {
        const EpsCoefficients c = dynamics.eps_coefficients(std::exp(log_xi), dim);
        return c.b > 0 ? c.a / c.b : -kInf;
      },
      lo, hi);
  result.value = std::max(best, value);
  result.at_xi = value >= best ? std::exp(t) : xi[best_index];
  return result;
}

StabilitySummary summarize_stability(const Dynamics& dynamics, int dim,
                                     std::span<const double> xi) {
  StabilitySummary summary;
  const std::size_t n = xi.size();
  std::vector<double> growth(n);
  for (std::size_t i = 0; i < n; ++i) growth[i] = dynamics.growth_rate(xi[i], dim);
  const auto rate = [&](double x) { return dynamics.growth_rate(x, dim); };

  const std::size_t best = static_cast<std::size_t>(
      std::max_element(growth.begin(), growth.end()) - growth.begin());
  summary.max_growth = growth[best];
  summary.argmax_xi = xi[best];
  if (n >= 2) {
    const double lo = best > 0 ? xi[best - 1] : xi[0];
    const double hi = best + 1 < n ? xi[best + 1] : xi[best];
    const auto [x, value] = maximise(rate, lo, hi);
    if (value > summary.max_growth) {
      summary.max_growth = value;
      summary.argmax_xi = x;
    }
  }

  // Bands where λ > 0, ends refined to the sign change.
  for (std::size_t i = 0; i < n; ++i) {
    if (!(growth[i] > 0)) continue;
    UnstableBand band;
    band.lo = i == 0 ? 0.0 : root(rate, xi[i - 1], xi[i]);
    std::size_t j = i;
    while (j + 1 < n && growth[j + 1] > 0) ++j;
    band.hi = j + 1 == n ? xi[n - 1] : root(rate, xi[j], xi[j + 1]);
    summary.bands.push_back(band);
    i = j;
  }
  summary.critical = critical_eps(dynamics, dim);
  return summary;
}

}  // namespace wgf
