#pragma once
// The particle-based-distance critic: the feature map D of docs/design.md §1, ascending
// E_{e−εs}(D#P_G, D#P_data) with Adam, as the reference backend's discriminator does, and with
// λ > 0 the gradient-regularised MMD critic of Mroueh & Nguyen (2020): D maximises
//   E_{e−εs} − λ (1/R) Σ_r ‖∇_x f(x_r)‖²,
// f the minibatch witness of e − εs (input_gradient_penalty.hpp) over the R = 2·batch fake and
// real rows. The generator's loss is E_e through D, whose gradient gives the flow's velocity
// −∇_x δE/δp at each fake row.
#include <optional>
#include <vector>

#include "wgf/trainer/adam.hpp"
#include "wgf/trainer/critic.hpp"
#include "wgf/trainer/gan_backend.hpp"
#include "wgf/trainer/input_gradient_penalty.hpp"

namespace wgf {

class MmdCritic final : public Critic {
public:
  MmdCritic(const GanSetup& setup, double penalty);

  float* parameters() override { return parameters_.data(); }
  std::size_t parameter_count() const override { return parameters_.size(); }
  void reset_optimizer() override { adam_.reset(); }
  void set_learning_rate(double lr) override { adam_.set_learning_rate(lr); }
  int feature_dim() const override { return df_; }
  double step(const float* real, const float* fake) override;
  double generator_gradient(const float* real, const float* fake, float* sample_grad) override;
  void features(const float* samples, long rows, float* out) override;

private:
  const float* stacked_features(const float* real, const float* fake);

  long batch_;
  int dx_, df_;
  double penalty_;
  std::vector<float> parameters_, grad_, stacked_, feature_grad_;
  Adam adam_;
  Mlp<float> net_;  // planned for 2·batch rows: fake, then real
  PairwiseLoss<float> generator_loss_, discriminator_loss_;
  std::optional<WitnessGradientPenalty<float>> witness_penalty_;
};

}  // namespace wgf
