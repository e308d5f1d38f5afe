#include "wgf/analysis/stability_map.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "wgf/errors.hpp"
#include "wgf/run_control.hpp"
#include "wgf/analysis/line_envelope.hpp"
#include "wgf/spec_text.hpp"

namespace wgf {

std::vector<double> parse_range(const std::string& text, const std::string& option) {
  const auto parts = split(text, ':');
  const std::string context = option + " '" + text + "'";
  if (parts.size() < 3 || parts.size() > 4)
    throw InputError(context + ": expected A:B:K or A:B:K:log");
  const double a = parse_number(parts[0], context + ", start");
  const double b = parse_number(parts[1], context + ", end");
  const double k = parse_number(parts[2], context + ", count");
  const bool log_spaced = parts.size() == 4;
  if (log_spaced && parts[3] != "log")
    throw InputError(context + ": the fourth part may only be 'log' (got '" + parts[3] + "')");
  if (k != std::floor(k) || k < 1 || k > 1e7)
    throw InputError(context + ": the count must be an integer from 1 to 10^7");
  if (k > 1 && !(b > a)) throw InputError(context + ": the end must be greater than the start");
  if (log_spaced && !(a > 0)) throw InputError(context + ": a log range needs a start > 0");
  const long n = static_cast<long>(k);
  // Finite ends can have a ratio b/a or a span b − a beyond double precision (1e-300:1e300:log
  // gave inf); such ranges are spaced in logarithms or by weights instead. Ranges within it keep
  // the direct formula, bit for bit.
  const bool ratio_finite = std::isfinite(b / a), span_finite = std::isfinite(b - a);
  std::vector<double> values(n);
  for (long i = 0; i < n; ++i) {
    const double f = n == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(n - 1);
    if (log_spaced)
      values[i] = ratio_finite ? a * std::pow(b / a, f)
                               : std::exp(std::log(a) + (std::log(b) - std::log(a)) * f);
    else
      values[i] = span_finite ? a + (b - a) * f : a * (1 - f) + b * f;
  }
  if (!ratio_finite && log_spaced && n > 1) {
    values.front() = a;
    values.back() = b;
  }
  return values;
}

StabilityMap compute_stability_map(const DynamicsFactory& factory, int dim,
                                   const std::vector<double>& param, const std::vector<double>& eps,
                                   std::span<const double> xi, bool with_critical_eps) {
  StabilityMap map;
  map.param = param;
  map.eps = eps;
  const std::size_t n_param = param.size(), n_eps = eps.size(), n_xi = xi.size();
  map.max_growth.resize(n_param * n_eps);
  map.most_unstable_xi.resize(n_param * n_eps);
  map.critical.resize(with_critical_eps ? n_param : 0);
  // Queries in ascending ε let the envelope be walked once.
  std::vector<std::size_t> by_eps(n_eps);
  std::iota(by_eps.begin(), by_eps.end(), 0);
  std::sort(by_eps.begin(), by_eps.end(), [&](auto i, auto j) { return eps[i] < eps[j]; });
  std::vector<double> eps_sorted(n_eps);
  for (std::size_t e = 0; e < n_eps; ++e) eps_sorted[e] = eps[by_eps[e]];

  const std::ptrdiff_t count = static_cast<std::ptrdiff_t>(n_param);
  // Parameter values whose coefficients overflow double precision: named after the parallel
  // region (an exception may not leave it).
  std::vector<char> overflowed(n_param, 0);
#pragma omp parallel
  {
    std::vector<double> a(n_xi), b(n_xi);
    std::vector<LineEnvelope::Value> values(n_eps);
    LineEnvelope envelope;
#pragma omp for schedule(dynamic, 4)
    for (std::ptrdiff_t p = 0; p < count; ++p) {
      if (interrupted()) continue;  // a signal: the rest is skipped, and reported below
      const Dynamics dynamics = factory(param[p]);
      for (std::size_t i = 0; i < n_xi; ++i) {
        const EpsCoefficients c = dynamics.eps_coefficients(xi[i], dim);
        a[i] = c.a;
        b[i] = c.b;
        if (!std::isfinite(c.a) || !std::isfinite(c.b)) overflowed[p] = 1;
      }
      if (overflowed[p]) continue;
      envelope.build(a, b);
      envelope.evaluate_sorted(eps_sorted, values);
      for (std::size_t e = 0; e < n_eps; ++e) {
        const std::size_t out = static_cast<std::size_t>(p) * n_eps + by_eps[e];
        map.max_growth[out] = values[e].value;
        map.most_unstable_xi[out] = xi[values[e].line];
      }
      if (with_critical_eps) map.critical[p] = critical_eps(dynamics, dim);
    }
  }
  stop_if_interrupted("the map");
  for (std::size_t p = 0; p < n_param; ++p)
    if (overflowed[p]) {
      Dynamics dynamics = factory(param[p]);
      dynamics.eps = 0;  // a and b themselves overflow, whatever ε
      dynamics.check_finite_rates(xi, dim);
    }
  return map;
}

StabilityMap brute_force_stability_map(const DynamicsFactory& factory, int dim,
                                       const std::vector<double>& param,
                                       const std::vector<double>& eps, std::span<const double> xi) {
  StabilityMap map;
  map.param = param;
  map.eps = eps;
  map.max_growth.assign(param.size() * eps.size(), -HUGE_VAL);
  map.most_unstable_xi.assign(param.size() * eps.size(), 0.0);
  for (std::size_t p = 0; p < param.size(); ++p) {
    Dynamics dynamics = factory(param[p]);
    for (std::size_t e = 0; e < eps.size(); ++e) {
      dynamics.eps = eps[e];
      for (double x : xi) {
        const double growth = dynamics.growth_rate(x, dim);
        double& best = map.max_growth[p * eps.size() + e];
        if (growth > best) {
          best = growth;
          map.most_unstable_xi[p * eps.size() + e] = x;
        }
      }
    }
  }
  return map;
}

}  // namespace wgf
