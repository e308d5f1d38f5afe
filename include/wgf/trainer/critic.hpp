#pragma once
// A critic of the flow-based trainer (critic_flow_backend.hpp): a network trained against the
// data, which in return tells the generator where to move its samples. Two kinds: the WGAN-GP
// critic ψ (wasserstein_critic.hpp) and the particle-based-distance feature map D, optionally
// gradient-regularised (mmd_critic.hpp). Each owns its parameters (one flat fp32 buffer in
// MlpShape's layout), its Adam state and its buffers, planned for one batch size.
#include <cstddef>

namespace wgf {

class Critic {
public:
  virtual ~Critic() = default;

  virtual float* parameters() = 0;
  virtual std::size_t parameter_count() const = 0;
  virtual void reset_optimizer() = 0;
  virtual void set_learning_rate(double lr) = 0;
  virtual int feature_dim() const = 0;

  // One optimiser step of the critic on batch × dx real and fake rows. Returns the objective
  // the critic maximises, before the step and without its penalty (the W1 estimate, or
  // E_{e−εs}).
  virtual double step(const float* real, const float* fake) = 0;

  // The generator's loss L_G (−mean ψ(x_i), or E_e) at the fake rows, and its gradient
  // ∂L_G/∂x_i (batch × dx). The flow's velocity of sample i is v_i = −batch · ∂L_G/∂x_i
  // (∇ψ(x_i), or −∇_x δE/δp(x_i) through D).
  virtual double generator_gradient(const float* real, const float* fake, float* sample_grad) = 0;

  // The critic's outputs (rows × feature_dim) for any number of rows.
  virtual void features(const float* samples, long rows, float* out) = 0;
};

}  // namespace wgf
