#pragma once
// Which critic and which generator update a `wgf train` run uses (issue 7):
//
//   --method mmd       the particle-based-distance GAN of docs/design.md (D a feature map, E_{e−εs});
//                      with --critic-penalty λ > 0 the gradient-regularised MMD critic
//                      (input_gradient_penalty.hpp);
//   --method wgan-gp   a scalar critic ψ trained as in WGAN with the gradient penalty λ
//                      (default 10); the generator follows ∇ψ (the W1 flow).
//
//   --generator-update gradient   K = --persistence plain generator steps on the same batch and
//                                 critic (K > 1: "naive persistence");
//   --generator-update euler      forward Euler with persistence (Malik & Huang 2024): detached
//                                 targets y_i = x_i + Δt v_i, x_i = G(z_i), v_i the critic's
//                                 velocity (∇ψ, or −∇_x δE/δp through D), then K steps on
//                                 mean_i ‖G(z_i) − y_i‖² with the same batch and targets.
//
// The generator's optimiser is Adam (the default) or plain gradient descent (sgd), at --lr-g.
// The defaults (mmd, no penalty, gradient, K = 1, Adam) are the original trainer, run by the
// backends of gan_backend.hpp (CPU or CUDA); every other choice runs on the CPU classes of
// critic_flow_backend.hpp.
#include <string>

namespace wgf {

struct TrainingMethod {
  std::string critic = "mmd";                // mmd | wgan-gp
  std::string generator_update = "gradient";  // gradient | euler
  long persistence = 1;                       // K
  double euler_dt = 1.0;                      // Δt of the forward-Euler targets
  double critic_penalty = -1;                 // λ; < 0: the critic's default (mmd 0, wgan-gp 10)
  std::string generator_optimizer = "adam";   // adam | sgd

  double penalty() const;
  bool wasserstein() const { return critic == "wgan-gp"; }
  bool euler() const { return generator_update == "euler"; }
  // The original trainer, whose backends (CPU and CUDA) sit behind make_gan_backend.
  bool is_default() const;
  void validate() const;  // InputError naming the option
  std::string describe() const;  // "wgan-gp (penalty 10), euler K=5 dt=1, adam"
};

}  // namespace wgf
