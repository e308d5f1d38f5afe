#pragma once
// The generator's side of the flow-based trainer: K = persistence optimiser steps per training
// iteration, all on the same latent batch and against the same (frozen) critic.
//
//   gradient: each step descends the critic's generator loss L_G at the current G(z_i) (K > 1 is
//             "naive persistence": the same step repeated);
//   euler:    forward Euler of the particle flow with persistence (Malik & Huang 2024): the
//             targets y_i = x_i + Δt v_i, v_i = −B ∂L_G/∂x_i the critic's velocity at
//             x_i = G(z_i), are computed once and held; each step descends
//             mean_i ‖G(z_i) − y_i‖².
//
// At the first step the euler gradient is ∂/∂x_i = 2(x_i − y_i)/B = 2Δt ∂L_G/∂x_i: with plain
// gradient descent at rate η, K = 1 is one gradient step at rate 2ηΔt (tests hold it to that).
// Planned for one batch; step() allocates nothing.
#include <vector>

#include "wgf/trainer/adam.hpp"
#include "wgf/trainer/critic.hpp"
#include "wgf/trainer/mlp.hpp"
#include "wgf/trainer/training_method.hpp"

namespace wgf {

class PersistentGeneratorUpdate {
public:
  PersistentGeneratorUpdate(const MlpShape& shape, const AdamSettings& optimiser,
                            const TrainingMethod& method, long batch);

  float* parameters() { return parameters_.data(); }
  std::size_t parameter_count() const { return parameters_.size(); }
  void reset_optimizer() { adam_.reset(); }
  void set_learning_rate(double lr) {
    learning_rate_ = lr;
    adam_.set_learning_rate(lr);
  }

  // One generator iteration; returns L_G at the batch before the first step.
  double step(const float* real, const float* latent, Critic& critic);

  // G(latent) for batch rows; valid until the next call.
  const float* generate_batch(const float* latent);
  void generate(const float* latent, long rows, float* samples);

  // euler: mean_i ‖G(z_i) − y_i‖² before each of the last step()'s K optimiser steps.
  const std::vector<double>& target_distances() const { return target_distances_; }

private:
  void optimiser_step();

  TrainingMethod method_;
  long batch_;
  int dz_, dx_;
  double learning_rate_;
  std::vector<float> parameters_, grad_, sample_grad_, targets_;
  std::vector<double> target_distances_;
  Adam adam_;
  Mlp<float> net_;
};

}  // namespace wgf
