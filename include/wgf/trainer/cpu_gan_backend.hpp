#pragma once
// The CPU reference backend: fp32 parameters in host memory, Eigen GEMMs threaded over row
// slabs with OpenMP (row_slabs.hpp), the hand-written MLP backward, the blocked pairwise loss
// and Adam. Built once for the batch size; a step allocates nothing of its own.
#include <vector>

#include "wgf/trainer/gan_backend.hpp"
#include "wgf/trainer/row_slabs.hpp"

namespace wgf {

class CpuGanBackend final : public GanBackend {
public:
  explicit CpuGanBackend(const GanSetup& setup);

  std::string name() const override { return "cpu"; }
  void load_parameters(std::span<const float> generator,
                       std::span<const float> discriminator) override;
  void read_parameters(std::span<float> generator, std::span<float> discriminator) override;
  void discriminator_step(const float* real, const float* latent) override;
  void generator_step(const float* real, const float* latent) override;
  StepLosses last_losses() override { return losses_; }
  void set_learning_rates(double generator, double discriminator) override {
    generator_adam_.set_learning_rate(generator);
    discriminator_adam_.set_learning_rate(discriminator);
  }
  void generate(const float* latent, long rows, float* samples) override;
  void features(const float* samples, long rows, float* features) override;

private:
  // G(latent) stacked over the real rows, through D: the features of both halves at once.
  const float* stacked_features(const float* real, const float* latent);

  ScopedEigenThreads eigen_threads_;  // our slabs thread the products (row_slabs.hpp)
  GanSetup setup_;
  long batch_;
  int dz_, dx_, df_;
  std::vector<float> generator_, discriminator_, generator_grad_, discriminator_grad_;
  Adam generator_adam_, discriminator_adam_;
  Mlp<float> generator_net_, discriminator_net_;  // planned for batch and 2·batch rows
  PairwiseLoss<float> generator_loss_, discriminator_loss_;
  std::vector<float> stacked_samples_, feature_grad_, sample_grad_;
  StepLosses losses_;
};

}  // namespace wgf
