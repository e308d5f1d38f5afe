#include "wgf/trainer/persistent_generator_update.hpp"

#include <algorithm>

namespace wgf {

PersistentGeneratorUpdate::PersistentGeneratorUpdate(const MlpShape& shape,
                                                     const AdamSettings& optimiser,
                                                     const TrainingMethod& method, long batch)
    : method_(method),
      batch_(batch),
      dz_(shape.inputs),
      dx_(shape.outputs),
      learning_rate_(optimiser.lr),
      parameters_(shape.parameter_count()),
      grad_(parameters_.size()),
      sample_grad_(batch * shape.outputs),
      targets_(batch * shape.outputs),
      target_distances_(method.persistence),
      adam_(optimiser, parameters_.size()),
      net_(shape, batch) {}

const float* PersistentGeneratorUpdate::generate_batch(const float* latent) {
  return net_.forward(parameters_.data(), latent, batch_);
}

void PersistentGeneratorUpdate::generate(const float* latent, long rows, float* samples) {
  net_.forward_rows(parameters_.data(), latent, rows, samples);
}

void PersistentGeneratorUpdate::optimiser_step() {
  if (method_.generator_optimizer == "sgd") {
    const float rate = static_cast<float>(learning_rate_);
    for (std::size_t i = 0; i < parameters_.size(); ++i) parameters_[i] -= rate * grad_[i];
  } else {
    adam_.step(parameters_.data(), grad_.data());
  }
}

double PersistentGeneratorUpdate::step(const float* real, const float* latent, Critic& critic) {
  const long n = batch_ * dx_;
  const float* x = generate_batch(latent);
  const double loss = critic.generator_gradient(real, x, sample_grad_.data());
  if (method_.euler()) {
    // y = x + Δt v with v = −B ∂L_G/∂x, held for all K steps.
    const float scale = static_cast<float>(method_.euler_dt * batch_);
    for (long i = 0; i < n; ++i) targets_[i] = x[i] - scale * sample_grad_[i];
  }
  for (long k = 0; k < method_.persistence; ++k) {
    if (k > 0) {
      x = generate_batch(latent);
      if (!method_.euler()) critic.generator_gradient(real, x, sample_grad_.data());
    }
    if (method_.euler()) {
      // ∂/∂x_i of mean_i ‖x_i − y_i‖² = 2(x_i − y_i)/B.
      double distance = 0;
      const float two_over_b = 2.0f / static_cast<float>(batch_);
      for (long i = 0; i < n; ++i) {
        const float d = x[i] - targets_[i];
        distance += static_cast<double>(d) * d;
        sample_grad_[i] = two_over_b * d;
      }
      target_distances_[k] = distance / batch_;
    }
    net_.backward(parameters_.data(), sample_grad_.data(), batch_, grad_.data(), nullptr);
    optimiser_step();
  }
  return loss;
}

}  // namespace wgf
