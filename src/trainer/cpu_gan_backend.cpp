#include "wgf/trainer/cpu_gan_backend.hpp"

#include <algorithm>
#include <stdexcept>

namespace wgf {

CpuGanBackend::CpuGanBackend(const GanSetup& setup)
    : setup_(setup),
      batch_(setup.batch),
      dz_(setup.generator.inputs),
      dx_(setup.generator.outputs),
      df_(setup.discriminator.outputs),
      generator_(setup.generator.parameter_count()),
      discriminator_(setup.discriminator.parameter_count()),
      generator_grad_(generator_.size()),
      discriminator_grad_(discriminator_.size()),
      generator_adam_(setup.generator_adam, generator_.size()),
      discriminator_adam_(setup.discriminator_adam, discriminator_.size()),
      generator_net_(setup.generator, batch_),
      discriminator_net_(setup.discriminator, 2 * batch_),
      generator_loss_(PairKernel(setup.generator_kernel, df_, setup.softening), setup.estimator,
                      batch_, batch_, df_),
      discriminator_loss_(PairKernel(setup.discriminator_kernel, df_, setup.softening),
                          setup.estimator, batch_, batch_, df_),
      stacked_samples_(2 * batch_ * dx_),
      feature_grad_(2 * batch_ * df_),
      sample_grad_(batch_ * dx_) {
  if (setup.discriminator.inputs != dx_)
    throw std::logic_error("CpuGanBackend: D's input size differs from G's output size");
}

void CpuGanBackend::load_parameters(std::span<const float> generator,
                                    std::span<const float> discriminator) {
  if (generator.size() != generator_.size() || discriminator.size() != discriminator_.size())
    throw std::logic_error("CpuGanBackend::load_parameters: sizes differ from the setup");
  std::copy(generator.begin(), generator.end(), generator_.begin());
  std::copy(discriminator.begin(), discriminator.end(), discriminator_.begin());
  generator_adam_.reset();
  discriminator_adam_.reset();
}

void CpuGanBackend::read_parameters(std::span<float> generator, std::span<float> discriminator) {
  std::copy(generator_.begin(), generator_.end(), generator.begin());
  std::copy(discriminator_.begin(), discriminator_.end(), discriminator.begin());
}

const float* CpuGanBackend::stacked_features(const float* real, const float* latent) {
  const float* fake = generator_net_.forward(generator_.data(), latent, batch_);
  std::copy(fake, fake + batch_ * dx_, stacked_samples_.begin());
  std::copy(real, real + batch_ * dx_, stacked_samples_.begin() + batch_ * dx_);
  return discriminator_net_.forward(discriminator_.data(), stacked_samples_.data(), 2 * batch_);
}

void CpuGanBackend::discriminator_step(const float* real, const float* latent) {
  const float* f = stacked_features(real, latent);
  float* grad = feature_grad_.data();
  losses_.discriminator =
      discriminator_loss_.evaluate(f, f + batch_ * df_, grad, grad + batch_ * df_);
  // Ascent: D minimises −E_{e−εs}.
  for (float& g : feature_grad_) g = -g;
  discriminator_net_.backward(discriminator_.data(), grad, 2 * batch_,
                              discriminator_grad_.data(), nullptr);
  discriminator_adam_.step(discriminator_.data(), discriminator_grad_.data());
}

void CpuGanBackend::generator_step(const float* real, const float* latent) {
  const float* f = stacked_features(real, latent);
  float* grad = feature_grad_.data();
  losses_.generator = generator_loss_.evaluate(f, f + batch_ * df_, grad, nullptr);
  // Through D (its parameters held) to the generated samples, then through G.
  discriminator_net_.backward(discriminator_.data(), grad, batch_, nullptr, sample_grad_.data());
  generator_net_.backward(generator_.data(), sample_grad_.data(), batch_, generator_grad_.data(),
                          nullptr);
  generator_adam_.step(generator_.data(), generator_grad_.data());
}

void CpuGanBackend::generate(const float* latent, long rows, float* samples) {
  generator_net_.forward_rows(generator_.data(), latent, rows, samples);
}

void CpuGanBackend::features(const float* samples, long rows, float* features) {
  discriminator_net_.forward_rows(discriminator_.data(), samples, rows, features);
}

}  // namespace wgf
