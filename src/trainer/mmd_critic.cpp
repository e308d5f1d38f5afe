#include "wgf/trainer/mmd_critic.hpp"

#include <algorithm>

namespace wgf {

MmdCritic::MmdCritic(const GanSetup& setup, double penalty)
    : batch_(setup.batch),
      dx_(setup.discriminator.inputs),
      df_(setup.discriminator.outputs),
      penalty_(penalty),
      parameters_(setup.discriminator.parameter_count()),
      grad_(parameters_.size()),
      stacked_(2 * batch_ * dx_),
      feature_grad_(2 * batch_ * df_),
      adam_(setup.discriminator_adam, parameters_.size()),
      net_(setup.discriminator, 2 * batch_),
      generator_loss_(PairKernel(setup.generator_kernel, df_, setup.softening), setup.estimator,
                      batch_, batch_, df_),
      discriminator_loss_(PairKernel(setup.discriminator_kernel, df_, setup.softening),
                          setup.estimator, batch_, batch_, df_) {
  if (penalty_ > 0)
    witness_penalty_.emplace(setup.discriminator,
                             PairKernel(setup.discriminator_kernel, df_, setup.softening), batch_,
                             batch_);
}

const float* MmdCritic::stacked_features(const float* real, const float* fake) {
  std::copy(fake, fake + batch_ * dx_, stacked_.begin());
  std::copy(real, real + batch_ * dx_, stacked_.begin() + batch_ * dx_);
  return net_.forward(parameters_.data(), stacked_.data(), 2 * batch_);
}

double MmdCritic::step(const float* real, const float* fake) {
  const float* f = stacked_features(real, fake);
  float* grad = feature_grad_.data();
  const double energy =
      discriminator_loss_.evaluate(f, f + batch_ * df_, grad, grad + batch_ * df_);
  // Ascent: D minimises −E_{e−εs} (+ λ P).
  for (float& g : feature_grad_) g = -g;
  if (witness_penalty_)
    witness_penalty_->evaluate(net_, parameters_.data(), penalty_, grad, grad_.data());
  else
    net_.backward(parameters_.data(), grad, 2 * batch_, grad_.data(), nullptr);
  adam_.step(parameters_.data(), grad_.data());
  return energy;
}

double MmdCritic::generator_gradient(const float* real, const float* fake, float* sample_grad) {
  const float* f = stacked_features(real, fake);
  const double energy = generator_loss_.evaluate(f, f + batch_ * df_, feature_grad_.data(), nullptr);
  net_.backward(parameters_.data(), feature_grad_.data(), batch_, nullptr, sample_grad);
  return energy;
}

void MmdCritic::features(const float* samples, long rows, float* out) {
  net_.forward_rows(parameters_.data(), samples, rows, out);
}

}  // namespace wgf
