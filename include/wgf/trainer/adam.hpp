#pragma once
// Adam on one flat fp32 parameter vector, with PyTorch's arithmetic (bias corrections folded
// into the step size and into the denominator before ε is added), so that runs can be compared
// with a PyTorch peer step by step. Moments are allocated once; step() allocates nothing.
#include <cstddef>
#include <string>
#include <vector>

namespace wgf {

struct AdamSettings {
  double lr = 1e-3;
  double beta1 = 0.5;  // the GAN literature's usual β1: less momentum in a moving game
  double beta2 = 0.9;
  double eps = 1e-8;
  void validate(const std::string& what) const;
};

class Adam {
public:
  Adam(AdamSettings settings, std::size_t count);

  // t ← t + 1;  m ← β1 m + (1 − β1) g;  v ← β2 v + (1 − β2) g²;
  // p ← p − lr / (1 − β1^t) · m / (√v / √(1 − β2^t) + ε).
  void step(float* parameters, const float* gradient);
  void reset();
  // A schedule changes the rate between steps; the moments are kept.
  void set_learning_rate(double lr) { settings_.lr = lr; }

  long steps() const { return t_; }
  const AdamSettings& settings() const { return settings_; }
  const std::vector<float>& first_moment() const { return m_; }

private:
  AdamSettings settings_;
  std::vector<float> m_, v_;
  long t_ = 0;
};

}  // namespace wgf
