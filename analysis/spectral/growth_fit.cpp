#include "wgf/analysis/growth_fit.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "wgf/errors.hpp"
#include "wgf/least_squares.hpp"
#include "wgf/splitmix64.hpp"

namespace wgf {

namespace {

double quantile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  const double position = q * (values.size() - 1);
  const std::size_t below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, values.size() - 1);
  return values[below] + (position - below) * (values[above] - values[below]);
}

}  // namespace

double fit_growth_rate(const std::vector<double>& times, const std::vector<double>& power) {
  std::vector<double> log_power(power.size());
  for (std::size_t i = 0; i < power.size(); ++i) {
    if (!(power[i] > 0)) throw InputError("growth fit: the power on a shell is not positive");
    log_power[i] = std::log(power[i]);
  }
  return 0.5 * least_squares_slope(times, log_power);
}

std::vector<GrowthRate> fit_growth_rates(const std::vector<double>& times,
                                         const std::vector<std::vector<double>>& power, int radii,
                                         int directions, const GrowthFitOptions& options) {
  if (times.size() < 2 || power.size() != times.size())
    throw InputError("growth fit: needs at least two samples, one power table per time");
  for (const auto& table : power)
    if (table.size() != static_cast<std::size_t>(radii) * directions)
      throw InputError("growth fit: a power table does not have radii × directions values");
  const int block = std::clamp(options.block, 1, directions);
  const int blocks = (directions + block - 1) / block;
  std::uint64_t state = options.seed ^ 0xB007u;
  std::vector<GrowthRate> out(radii);
  std::vector<double> series(times.size()), resampled_rates(options.resamples);
  std::vector<int> picked(static_cast<std::size_t>(blocks) * block);
  for (int k = 0; k < radii; ++k) {
    auto averaged = [&](const std::vector<int>* chosen) {
      for (std::size_t t = 0; t < times.size(); ++t) {
        const double* row = power[t].data() + static_cast<std::size_t>(k) * directions;
        double sum = 0;
        if (chosen) {
          for (int d : *chosen) sum += row[d];
          series[t] = sum / chosen->size();
        } else {
          for (int d = 0; d < directions; ++d) sum += row[d];
          series[t] = sum / directions;
        }
      }
      return fit_growth_rate(times, series);
    };
    out[k].rate = averaged(nullptr);
    for (int r = 0; r < options.resamples; ++r) {
      for (int b = 0; b < blocks; ++b) {
        const int start = static_cast<int>(splitmix64(state) % directions);
        for (int j = 0; j < block; ++j) picked[static_cast<std::size_t>(b) * block + j] = (start + j) % directions;
      }
      resampled_rates[r] = averaged(&picked);
    }
    const double tail = 0.5 * (1.0 - options.confidence);
    if (options.resamples > 1) {
      out[k].low = quantile(resampled_rates, tail);
      out[k].high = quantile(resampled_rates, 1.0 - tail);
    } else {
      out[k].low = out[k].high = out[k].rate;
    }
  }
  return out;
}

}  // namespace wgf
