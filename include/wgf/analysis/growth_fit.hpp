#pragma once
// Growth rates fitted to the rotation-averaged power on feature shells (docs/design.md §7.2):
// in the linear regime ŵ(ξ, t) = e^{λ t} ŵ(ξ, 0) on the shell |ξ| = k, so
// S(k, t) = mean_u |ŵ(k u, t)|² grows as e^{2λt} and λ = ½ d ln S/dt, the least-squares slope
// over the samples in the fit window. Measurement and both predictions are fitted by this one
// function, so they differ only in the trajectories they are fitted to.
//
// Interval. Within one run the spread of the rate comes from the directions: each direction's
// ŵ is its own draw of the sampling noise. The interval is a percentile bootstrap over
// directions, resampled in circular blocks of neighbouring directions (neighbours on a shell
// are correlated over an angle ~ 1/(k × cloud radius); blocks keep that correlation inside a
// resample, so the interval is not made narrower by counting one draw several times).
#include <cstdint>
#include <vector>

namespace wgf {

struct GrowthRate {
  double rate = 0;
  double low = 0, high = 0;  // the bootstrap interval
};

struct GrowthFitOptions {
  int resamples = 400;
  int block = 4;             // directions per bootstrap block
  double confidence = 0.95;
  std::uint64_t seed = 0;
};

// ½ × the least-squares slope of ln S against t. S must be positive.
double fit_growth_rate(const std::vector<double>& times, const std::vector<double>& power);

// `power[t]` is the K × M table of P(k, u) at times[t] (FeatureShells::power). One rate and
// interval per radius. InputError for fewer than two times or mismatched sizes.
std::vector<GrowthRate> fit_growth_rates(const std::vector<double>& times,
                                         const std::vector<std::vector<double>>& power, int radii,
                                         int directions, const GrowthFitOptions& options);

}  // namespace wgf
