// The statistics of the study summaries against values computed independently:
//   Wilson intervals: Newcombe (1998), Statistics in Medicine 17:857, Table I, method 3 (the
//   score interval), printed to 4 decimals — hence the 5e-5 tolerance;
//   exact McNemar p-values: binomial sums done by hand (b = 2, c = 10: 2·(1 + 12 + 66)/2¹²);
//   the logistic transition: grouped data whose counts are the model's expected counts, so the
//   maximum-likelihood estimate is the generating parameters up to the rounding of the counts.
#include <doctest/doctest.h>

#include <cmath>

#include "wgf/analysis/agreement.hpp"

using namespace wgf;

TEST_CASE("Wilson intervals equal Newcombe's published score intervals") {
  struct Case {
    long k, n;
    double low, high;
  };
  for (const Case c : {Case{81, 263, 0.2553, 0.3662}, Case{15, 148, 0.0624, 0.1605},
                       Case{0, 20, 0.0, 0.1611}, Case{1, 29, 0.0061, 0.1718}}) {
    const Interval i = wilson_interval(c.k, c.n, 0.95);
    CHECK(std::abs(i.low - c.low) < 5e-5);
    CHECK(std::abs(i.high - c.high) < 5e-5);
  }
  // The end points solve (p̂ − p)² = z² p (1 − p)/n (the score test's boundary).
  const double z = 1.959963984540054;
  const Interval i = wilson_interval(7, 40, 0.95);
  for (double p : {i.low, i.high})
    CHECK(std::abs((0.175 - p) * (0.175 - p) - z * z * p * (1 - p) / 40) < 1e-14);
  const Interval none = wilson_interval(0, 0);
  CHECK(none.low == 0.0);
  CHECK(none.high == 1.0);
}

TEST_CASE("exact McNemar p-values equal the binomial sums") {
  CHECK(mcnemar_exact_p(2, 10) == doctest::Approx(158.0 / 4096).epsilon(1e-12));
  CHECK(mcnemar_exact_p(10, 2) == doctest::Approx(158.0 / 4096).epsilon(1e-12));
  CHECK(mcnemar_exact_p(0, 5) == doctest::Approx(2.0 / 32).epsilon(1e-12));
  CHECK(mcnemar_exact_p(3, 3) == 1.0);  // 2 · 42/64 > 1
  CHECK(mcnemar_exact_p(0, 0) == 1.0);
  // n = 200, k = 80: P[X ≤ 80] summed with exact integer binomials in long double.
  long double tail = 0, term = 1;  // C(200, 0)
  for (int i = 0; i <= 80; ++i) {
    tail += term;
    term = term * (200 - i) / (i + 1);
  }
  const double expected = static_cast<double>(2 * tail / std::pow(2.0L, 200));
  CHECK(mcnemar_exact_p(80, 120) == doctest::Approx(expected).epsilon(1e-10));
}

TEST_CASE("agreement summary: baselines and discordant pairs counted by hand") {
  // 10 runs: predicted U U U U U S S S S S, observed U U U S S U S S S U.
  const std::vector<bool> predicted = {1, 1, 1, 1, 1, 0, 0, 0, 0, 0};
  const std::vector<bool> observed = {1, 1, 1, 0, 0, 1, 0, 0, 0, 1};
  const AgreementSummary s = summarise_agreement(predicted, observed);
  CHECK(s.runs == 10);
  CHECK(s.agree == 6);
  CHECK(s.always_unstable_agree == 5);
  CHECK(s.always_stable_agree == 5);
  CHECK(s.better_baseline_unstable);  // a tie goes to "unstable"
  // Against "always unstable": the model is right alone on runs 7, 8, 9 (observed stable,
  // predicted stable) and wrong alone on runs 6 and 10 (observed unstable, predicted stable).
  CHECK(s.model_only == 3);
  CHECK(s.baseline_only == 2);
  CHECK(s.mcnemar_p == doctest::Approx(1.0));
  CHECK(s.predicted_unstable == 5);
  CHECK(s.confirmed_unstable == 3);
  CHECK(s.confirmed_stable == 3);
  const Interval i = wilson_interval(6, 10);
  CHECK(s.agree_interval.low == i.low);
  CHECK(s.agree_interval.high == i.high);
}

TEST_CASE("the logistic transition recovers the generating ε50 and slope from expected counts") {
  // P(unstable | ε) = 1/(1 + (ε/2)^4): ε50 = 2, slope 4. 20000 runs per ε, counts rounded.
  const double eps50 = 2, slope = 4;
  std::vector<double> eps;
  std::vector<bool> observed;
  for (double e : {0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0}) {
    const long unstable = std::lround(20000 / (1 + std::pow(e / eps50, slope)));
    for (long i = 0; i < 20000; ++i) {
      eps.push_back(e);
      observed.push_back(i < unstable);
    }
  }
  eps.push_back(0.0);  // ε = 0 is left out of the fit
  observed.push_back(false);
  const TransitionFit fit = fit_transition(eps, observed, 0, 1);
  CHECK(fit.runs == 140000);
  CHECK_FALSE(fit.separated);
  CHECK(fit.eps50 == doctest::Approx(eps50).epsilon(1e-3));
  CHECK(fit.slope == doctest::Approx(slope).epsilon(1e-3));
}

TEST_CASE("a separated transition is bracketed, and the bootstrap is seeded") {
  const std::vector<double> eps = {1, 1, 2, 2, 4, 4, 8, 8};
  const std::vector<bool> observed = {1, 1, 1, 1, 0, 0, 0, 0};
  const TransitionFit fit = fit_transition(eps, observed, 200, 7);
  CHECK(fit.separated);
  CHECK(fit.eps50 == doctest::Approx(std::sqrt(8.0)).epsilon(1e-12));
  CHECK(std::isinf(fit.slope));

  // Overlapping classes: a finite fit whose bootstrap interval holds it, the same for the same seed.
  const std::vector<double> e2 = {1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4};
  const std::vector<bool> o2 = {1, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0};
  const TransitionFit a = fit_transition(e2, o2, 500, 11), b = fit_transition(e2, o2, 500, 11);
  CHECK_FALSE(a.separated);
  CHECK(a.eps50_interval.low <= a.eps50);
  CHECK(a.eps50 <= a.eps50_interval.high);
  CHECK(a.eps50_interval.low == b.eps50_interval.low);
  CHECK(a.eps50_interval.high == b.eps50_interval.high);
}
