#include "wgf/analysis/agreement.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace wgf {

Interval wilson_interval(long successes, long trials, double confidence) {
  if (trials <= 0) return {0.0, 1.0};
  if (successes < 0 || successes > trials)
    throw std::invalid_argument("wilson_interval: successes must lie in [0, trials]");
  const double z = boost::math::quantile(boost::math::normal(), 0.5 + 0.5 * confidence);
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double denominator = 1 + z * z / n;
  const double centre = (p + z * z / (2 * n)) / denominator;
  const double half = z * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator;
  // Clamped: at p = 0 or 1 the formula gives the end point up to rounding.
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

double mcnemar_exact_p(long b, long c) {
  if (b < 0 || c < 0) throw std::invalid_argument("mcnemar_exact_p: counts must be >= 0");
  const long n = b + c;
  if (n == 0) return 1.0;
  const long k = std::min(b, c);
  // P[X ≤ k] for X ~ Binomial(n, ½), summed in logs (n may be in the hundreds).
  double tail = 0;
  for (long i = 0; i <= k; ++i)
    tail += std::exp(std::lgamma(n + 1.0) - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0) -
                     n * std::log(2.0));
  return std::min(1.0, 2 * tail);
}

AgreementSummary summarise_agreement(const std::vector<bool>& predicted,
                                     const std::vector<bool>& observed, double confidence) {
  if (predicted.size() != observed.size())
    throw std::invalid_argument("summarise_agreement: one prediction per observation");
  AgreementSummary s;
  s.runs = static_cast<long>(predicted.size());
  for (std::size_t i = 0; i < predicted.size(); ++i) {
    s.agree += predicted[i] == observed[i];
    s.always_unstable_agree += observed[i];
    s.always_stable_agree += !observed[i];
    if (predicted[i]) {
      ++s.predicted_unstable;
      s.confirmed_unstable += observed[i];
    } else {
      ++s.predicted_stable;
      s.confirmed_stable += !observed[i];
    }
  }
  s.better_baseline_unstable = s.always_unstable_agree >= s.always_stable_agree;
  s.better_baseline_agree = std::max(s.always_unstable_agree, s.always_stable_agree);
  for (std::size_t i = 0; i < predicted.size(); ++i) {
    const bool model_right = predicted[i] == observed[i];
    const bool baseline_right = observed[i] == s.better_baseline_unstable;
    s.model_only += model_right && !baseline_right;
    s.baseline_only += !model_right && baseline_right;
  }
  s.mcnemar_p = mcnemar_exact_p(s.model_only, s.baseline_only);
  s.agree_interval = wilson_interval(s.agree, s.runs, confidence);
  s.baseline_interval = wilson_interval(s.better_baseline_agree, s.runs, confidence);
  s.confirmed_unstable_interval =
      wilson_interval(s.confirmed_unstable, s.predicted_unstable, confidence);
  s.confirmed_stable_interval = wilson_interval(s.confirmed_stable, s.predicted_stable, confidence);
  return s;
}

namespace {

struct LogisticFit {
  double eps50 = 0, slope = 0;
  bool separated = false;
};

// Maximum likelihood of P(y = 1) = σ(a + b x) by Newton's method, x = ln ε.
LogisticFit fit_logistic(const std::vector<double>& x, const std::vector<int>& y) {
  const std::size_t n = x.size();
  double max_unstable = -INFINITY, min_unstable = INFINITY;
  double max_stable = -INFINITY, min_stable = INFINITY;
  long unstable = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (y[i]) {
      ++unstable;
      max_unstable = std::max(max_unstable, x[i]);
      min_unstable = std::min(min_unstable, x[i]);
    } else {
      max_stable = std::max(max_stable, x[i]);
      min_stable = std::min(min_stable, x[i]);
    }
  }
  const double inf = std::numeric_limits<double>::infinity();
  if (unstable == static_cast<long>(n)) return {std::exp(max_unstable), inf, true};
  if (unstable == 0) return {std::exp(min_stable), inf, true};
  if (max_unstable <= min_stable)  // unstable below, stable above: the expected direction
    return {std::exp(0.5 * (max_unstable + min_stable)), inf, true};
  if (max_stable <= min_unstable) return {std::exp(0.5 * (max_stable + min_unstable)), -inf, true};
  double a = 0, b = 0;
  for (int iteration = 0; iteration < 200; ++iteration) {
    double ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double p = 1 / (1 + std::exp(-(a + b * x[i])));
      const double r = y[i] - p, w = p * (1 - p);
      ga += r;
      gb += r * x[i];
      haa += w;
      hab += w * x[i];
      hbb += w * x[i] * x[i];
    }
    const double det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    const double da = (hbb * ga - hab * gb) / det, db = (haa * gb - hab * ga) / det;
    a += da;
    b += db;
    if (std::abs(da) + std::abs(db) < 1e-12 * (1 + std::abs(a) + std::abs(b))) break;
  }
  // a + b x = −slope (x − ln ε50)
  return {std::exp(-a / b), -b, false};
}

double quantile(std::vector<double> sorted, double q) {
  std::sort(sorted.begin(), sorted.end());
  const double at = q * static_cast<double>(sorted.size() - 1);
  const std::size_t below = static_cast<std::size_t>(std::floor(at));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (at - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

TransitionFit fit_transition(const std::vector<double>& eps, const std::vector<bool>& observed,
                             long resamples, std::uint64_t seed, double confidence) {
  if (eps.size() != observed.size())
    throw std::invalid_argument("fit_transition: one observation per eps");
  std::vector<double> x;
  std::vector<int> y;
  for (std::size_t i = 0; i < eps.size(); ++i)
    if (eps[i] > 0) {
      x.push_back(std::log(eps[i]));
      y.push_back(observed[i] ? 1 : 0);
    }
  TransitionFit fit;
  fit.runs = static_cast<long>(x.size());
  if (x.empty()) return fit;
  const LogisticFit best = fit_logistic(x, y);
  fit.eps50 = best.eps50;
  fit.slope = best.slope;
  fit.separated = best.separated;
  if (resamples <= 0) {
    fit.eps50_interval = {fit.eps50, fit.eps50};
    return fit;
  }
  std::uint64_t state = seed;
  std::vector<double> log_eps50(resamples), bx(x.size());
  std::vector<int> by(x.size());
  for (long r = 0; r < resamples; ++r) {
    for (std::size_t i = 0; i < x.size(); ++i) {
      const std::size_t pick = splitmix64(state) % x.size();
      bx[i] = x[pick];
      by[i] = y[pick];
    }
    log_eps50[r] = std::log(fit_logistic(bx, by).eps50);
  }
  fit.eps50_interval = {std::exp(quantile(log_eps50, 0.5 - 0.5 * confidence)),
                        std::exp(quantile(log_eps50, 0.5 + 0.5 * confidence))};
  return fit;
}

}  // namespace wgf
