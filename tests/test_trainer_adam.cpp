// Adam's update against steps computed by hand with PyTorch's formula.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "wgf/trainer/adam.hpp"

using namespace wgf;

TEST_CASE("Adam: two steps match the hand computation") {
  AdamSettings s;
  s.lr = 0.1;
  s.beta1 = 0.5;
  s.beta2 = 0.9;
  s.eps = 1e-8;
  Adam adam(s, 2);
  std::vector<float> p = {1.0f, -2.0f};
  const std::vector<float> g1 = {0.5f, -4.0f}, g2 = {-1.0f, 2.0f};
  adam.step(p.data(), g1.data());
  // Step 1: m = (1−β1) g, v = (1−β2) g²; m̂ = g, v̂ = g²: the step is lr·sign(g) (up to ε).
  CHECK(p[0] == doctest::Approx(1.0 - 0.1).epsilon(1e-6));
  CHECK(p[1] == doctest::Approx(-2.0 + 0.1).epsilon(1e-6));
  adam.step(p.data(), g2.data());
  for (int i = 0; i < 2; ++i) {
    const double m = 0.5 * (0.5 * g1[i]) + 0.5 * g2[i];
    const double v = 0.9 * (0.1 * g1[i] * g1[i]) + 0.1 * g2[i] * g2[i];
    const double step = 0.1 / (1 - 0.25) * m / (std::sqrt(v) / std::sqrt(1 - 0.81) + 1e-8);
    const double before = i == 0 ? 0.9 : -1.9;
    CAPTURE(i);
    // fp32 arithmetic: a few ulps of the parameter, 1e-6 relative.
    CHECK(p[i] == doctest::Approx(before - step).epsilon(1e-6));
  }
  CHECK(adam.steps() == 2);
  adam.reset();
  CHECK(adam.steps() == 0);
  CHECK(adam.first_moment()[0] == 0.0f);
}
