// --data gaussian2d and uniform-square: the continuous-support sources the growth-rate
// measurements linearise around, checked by their moments against the laws' closed forms.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "wgf/trainer/datasets.hpp"
#include "wgf/trainer/random.hpp"

TEST_CASE("gaussian2d is N(0, I) and uniform-square is uniform on [−1, 1]², by their moments") {
  // n = 40000 draws: the sample mean's standard error is σ/200 and the variance's is
  // σ²√(κ − 1)/200 (κ the kurtosis: 3 normal, 1.8 uniform); tolerances are 5 standard errors.
  const long n = 40000;
  struct Case {
    const char* name;
    double variance, kurtosis, bound;
  };
  for (const Case c : {Case{"gaussian2d", 1.0, 3.0, 0}, Case{"uniform-square", 1.0 / 3.0, 1.8, 1.0}}) {
    CAPTURE(c.name);
    auto source = wgf::make_data_source(c.name, 3, 10);
    REQUIRE(source->dim() == 2);
    CHECK(source->mixture() == nullptr);
    std::vector<float> x(2 * n);
    wgf::Rng rng(5, 1);
    source->sample_training(rng, n, x.data());
    for (int d = 0; d < 2; ++d) {
      double mean = 0, second = 0, largest = 0;
      for (long i = 0; i < n; ++i) {
        mean += x[2 * i + d] / static_cast<double>(n);
        second += x[2 * i + d] * static_cast<double>(x[2 * i + d]) / n;
        largest = std::max(largest, std::abs(static_cast<double>(x[2 * i + d])));
      }
      if (c.bound > 0) CHECK(largest <= c.bound);
      const double sd = std::sqrt(c.variance);
      CHECK(std::abs(mean) <= 5 * sd / std::sqrt(n));
      CHECK(std::abs(second - mean * mean - c.variance) <= 5 * c.variance * std::sqrt((c.kurtosis - 1) / n));
    }
    std::vector<float> held(20);
    source->held_out(10, held.data());  // its own stream: not the training draws
    CHECK(held[0] != x[0]);
  }
}
