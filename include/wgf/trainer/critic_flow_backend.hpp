#pragma once
// The trainer's methods beyond the original one (training_method.hpp), on the CPU: a critic
// (WGAN-GP ψ or the, optionally gradient-regularised, MMD feature map) and the persistent
// generator update, behind the same GanBackend interface so that the common loop, its
// batches, metrics and HDF5 log serve them unchanged. One iteration of the loop is n_critic
// critic steps, then one generator_step() = K generator optimiser steps.
#include <cstdint>
#include <memory>

#include "wgf/trainer/critic.hpp"
#include "wgf/trainer/gan_backend.hpp"
#include "wgf/trainer/persistent_generator_update.hpp"
#include "wgf/trainer/row_slabs.hpp"
#include "wgf/trainer/training_method.hpp"

namespace wgf {

class CriticFlowBackend final : public GanBackend {
public:
  // For wgan-gp, setup.discriminator is ψ and must have one output. `seed` drives the
  // critic's own random draws (the WGAN-GP interpolation weights).
  CriticFlowBackend(const GanSetup& setup, const TrainingMethod& method, std::uint64_t seed);

  std::string name() const override { return "cpu"; }
  void load_parameters(std::span<const float> generator,
                       std::span<const float> discriminator) override;
  void read_parameters(std::span<float> generator, std::span<float> discriminator) override;
  void discriminator_step(const float* real, const float* latent) override;
  void generator_step(const float* real, const float* latent) override;
  StepLosses last_losses() override { return losses_; }
  void set_learning_rates(double generator, double discriminator) override;
  void generate(const float* latent, long rows, float* samples) override;
  void features(const float* samples, long rows, float* features) override;

  const PersistentGeneratorUpdate& generator_update() const { return generator_; }

private:
  ScopedEigenThreads eigen_threads_;  // as the reference backend (row_slabs.hpp)
  std::unique_ptr<Critic> critic_;
  PersistentGeneratorUpdate generator_;
  StepLosses losses_;
};

// The backend of a run: the original method through make_gan_backend (CPU or CUDA); any other
// method on the CPU, or InputError when another device is asked for.
std::unique_ptr<GanBackend> make_training_backend(const TrainingMethod& method,
                                                  const std::string& device,
                                                  const GanSetup& setup, std::uint64_t seed);

// Throws InputError when `method` cannot run on `device` (checked before any output exists).
void check_training_device(const TrainingMethod& method, const std::string& device);

}  // namespace wgf
