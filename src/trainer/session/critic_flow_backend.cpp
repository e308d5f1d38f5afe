#include "wgf/trainer/critic_flow_backend.hpp"

#include <algorithm>
#include <stdexcept>

#include "wgf/errors.hpp"
#include "wgf/trainer/mmd_critic.hpp"
#include "wgf/trainer/wasserstein_critic.hpp"

namespace wgf {

namespace {

std::unique_ptr<Critic> make_critic(const GanSetup& setup, const TrainingMethod& method,
                                    std::uint64_t seed) {
  if (method.wasserstein())
    return std::make_unique<WassersteinCritic>(setup.discriminator, setup.discriminator_adam,
                                               method.penalty(), setup.batch, seed);
  return std::make_unique<MmdCritic>(setup, method.penalty());
}

}  // namespace

CriticFlowBackend::CriticFlowBackend(const GanSetup& setup, const TrainingMethod& method,
                                     std::uint64_t seed)
    : critic_(make_critic(setup, method, seed)),
      generator_(setup.generator, setup.generator_adam, method, setup.batch) {
  if (setup.discriminator.inputs != setup.generator.outputs)
    throw std::logic_error("CriticFlowBackend: the critic's input size differs from G's output");
}

void CriticFlowBackend::load_parameters(std::span<const float> generator,
                                        std::span<const float> discriminator) {
  if (generator.size() != generator_.parameter_count() ||
      discriminator.size() != critic_->parameter_count())
    throw std::logic_error("CriticFlowBackend::load_parameters: sizes differ from the setup");
  std::copy(generator.begin(), generator.end(), generator_.parameters());
  std::copy(discriminator.begin(), discriminator.end(), critic_->parameters());
  generator_.reset_optimizer();
  critic_->reset_optimizer();
}

void CriticFlowBackend::read_parameters(std::span<float> generator, std::span<float> discriminator) {
  std::copy(generator_.parameters(), generator_.parameters() + generator.size(), generator.begin());
  std::copy(critic_->parameters(), critic_->parameters() + discriminator.size(), discriminator.begin());
}

void CriticFlowBackend::discriminator_step(const float* real, const float* latent) {
  losses_.discriminator = critic_->step(real, generator_.generate_batch(latent));
}

void CriticFlowBackend::generator_step(const float* real, const float* latent) {
  losses_.generator = generator_.step(real, latent, *critic_);
}

void CriticFlowBackend::set_learning_rates(double generator, double discriminator) {
  generator_.set_learning_rate(generator);
  critic_->set_learning_rate(discriminator);
}

void CriticFlowBackend::generate(const float* latent, long rows, float* samples) {
  generator_.generate(latent, rows, samples);
}

void CriticFlowBackend::features(const float* samples, long rows, float* features) {
  critic_->features(samples, rows, features);
}

void check_training_device(const TrainingMethod& method, const std::string& device) {
  method.validate();
  if (method.is_default()) {
    check_gan_device(device);
    return;
  }
  if (device != "cpu")
    throw InputError("--device " + device + ": the method " + method.describe() +
                     " has no implementation but the CPU one (use --device cpu); only the "
                     "default method (--method mmd, no --critic-penalty, --generator-update "
                     "gradient, --persistence 1, adam) runs on other devices");
}

std::unique_ptr<GanBackend> make_training_backend(const TrainingMethod& method,
                                                  const std::string& device,
                                                  const GanSetup& setup, std::uint64_t seed) {
  check_training_device(method, device);
  if (method.is_default()) return make_gan_backend(device, setup);
  return std::make_unique<CriticFlowBackend>(setup, method, seed);
}

}  // namespace wgf
