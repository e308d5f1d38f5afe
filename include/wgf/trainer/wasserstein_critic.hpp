#pragma once
// The WGAN-GP critic ψ: R^dx → R (an Mlp with one output). It maximises
// mean ψ(real) − mean ψ(fake) − λ mean (‖∇ψ(x̂)‖ − 1)² with Adam, x̂ = t real + (1 − t) fake at
// t ~ U(0, 1) per row (drawn from its own seeded stream); the penalty's parameter gradient is
// exact (input_gradient_penalty.hpp). The generator's loss is −mean ψ(G(z)).
#include <cstdint>
#include <vector>

#include "wgf/trainer/adam.hpp"
#include "wgf/trainer/critic.hpp"
#include "wgf/trainer/input_gradient_penalty.hpp"
#include "wgf/trainer/random.hpp"

namespace wgf {

class WassersteinCritic final : public Critic {
public:
  WassersteinCritic(const MlpShape& shape, const AdamSettings& adam, double penalty, long batch,
                    std::uint64_t seed);

  float* parameters() override { return parameters_.data(); }
  std::size_t parameter_count() const override { return parameters_.size(); }
  void reset_optimizer() override { adam_.reset(); }
  void set_learning_rate(double lr) override { adam_.set_learning_rate(lr); }
  int feature_dim() const override { return 1; }
  double step(const float* real, const float* fake) override;
  double generator_gradient(const float* real, const float* fake, float* sample_grad) override;
  void features(const float* samples, long rows, float* out) override;

private:
  long batch_;
  int dx_;
  double penalty_;
  std::vector<float> parameters_, grad_, stacked_, output_adjoint_, generator_cotangent_;
  Adam adam_;
  Mlp<float> net_;  // planned for 3·batch rows: fake, real, interpolates
  GradientNormPenalty<float> gradient_penalty_;
  Rng rng_;
};

}  // namespace wgf
