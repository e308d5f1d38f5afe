#pragma once
// The statistics every study summary reports beside an agreement between a prediction and an
// observation (docs/design.md §7): Wilson score intervals for fractions, the trivial baselines
// ("always unstable", "always stable") and an exact McNemar test of the prediction against the
// better of them, and a logistic fit of the observed transition in ε with a bootstrap interval.
// A fraction without its interval and its baselines says nothing about a theory.
#include <cstdint>
#include <vector>

namespace wgf {

struct Interval {
  double low = 0, high = 0;
};

// The Wilson score interval of successes/trials at the given two-sided confidence (Wilson 1927;
// the interval Newcombe 1998 recommends). trials = 0 gives [0, 1].
Interval wilson_interval(long successes, long trials, double confidence = 0.95);

// Two-sided exact McNemar test: of the discordant pairs, b went one way and c the other; under
// the null each is Binomial(b + c, ½). p = min(1, 2 P[X ≤ min(b, c)]); b = c = 0 gives 1.
double mcnemar_exact_p(long b, long c);

// A binary prediction (true = "unstable") scored against observations, with its baselines.
struct AgreementSummary {
  long runs = 0;
  long agree = 0;                   // prediction == observation
  long always_unstable_agree = 0;   // observations that are "unstable"
  long always_stable_agree = 0;     // observations that are "stable"
  bool better_baseline_unstable = true;  // which baseline agrees more (ties: unstable)
  long better_baseline_agree = 0;
  // Discordant pairs against the better baseline: prediction right and baseline wrong (b),
  // prediction wrong and baseline right (c); their exact McNemar p-value.
  long model_only = 0, baseline_only = 0;
  double mcnemar_p = 1;
  Interval agree_interval, baseline_interval;
  // Predicted unstable and observed unstable / predicted unstable; the same for stable.
  long predicted_unstable = 0, confirmed_unstable = 0;
  long predicted_stable = 0, confirmed_stable = 0;
  Interval confirmed_unstable_interval, confirmed_stable_interval;
};

AgreementSummary summarise_agreement(const std::vector<bool>& predicted_unstable,
                                     const std::vector<bool>& observed_unstable,
                                     double confidence = 0.95);

// P(unstable | ε) = 1 / (1 + exp(slope · (ln ε − ln ε50))): the observed transition, fitted by
// maximum likelihood over runs with ε > 0 (ε = 0 runs say nothing about the stabiliser and are
// left out). When the data are separated (every unstable run below every stable one, or one
// class only) the likelihood has no maximum: `separated` is set and ε50 is the geometric mean of
// the bracketing ε (or the end of the range for one class), slope infinite. The interval is the
// percentile interval of ε50 over `resamples` bootstrap resamples of the runs (seeded).
struct TransitionFit {
  double eps50 = 0, slope = 0;
  bool separated = false;
  long runs = 0;
  Interval eps50_interval;
};

TransitionFit fit_transition(const std::vector<double>& eps,
                             const std::vector<bool>& observed_unstable, long resamples,
                             std::uint64_t seed, double confidence = 0.95);

}  // namespace wgf
