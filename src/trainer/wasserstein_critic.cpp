#include "wgf/trainer/wasserstein_critic.hpp"

#include <algorithm>
#include <stdexcept>

namespace wgf {

namespace {
// The interpolation weights' stream, apart from the loop's streams of the same seed.
constexpr std::uint64_t kInterpolationStream = 11;
}  // namespace

WassersteinCritic::WassersteinCritic(const MlpShape& shape, const AdamSettings& adam,
                                     double penalty, long batch, std::uint64_t seed)
    : batch_(batch),
      dx_(shape.inputs),
      penalty_(penalty),
      parameters_(shape.parameter_count()),
      grad_(parameters_.size()),
      stacked_(3 * batch * shape.inputs),
      output_adjoint_(3 * batch),
      generator_cotangent_(batch, -1.0f / batch),  // L_G = −mean ψ
      adam_(adam, parameters_.size()),
      net_(shape, 3 * batch),
      gradient_penalty_(shape, 3 * batch),
      rng_(seed, kInterpolationStream) {
  if (shape.outputs != 1) throw std::logic_error("WassersteinCritic: ψ must have one output");
  // Minimising mean ψ(fake) − mean ψ(real): ∂/∂ψ is 1/B on fake rows, −1/B on real rows, and
  // the interpolates enter through the penalty only.
  std::fill(output_adjoint_.begin(), output_adjoint_.begin() + batch, 1.0f / batch);
  std::fill(output_adjoint_.begin() + batch, output_adjoint_.begin() + 2 * batch, -1.0f / batch);
  std::fill(output_adjoint_.begin() + 2 * batch, output_adjoint_.end(), 0.0f);
}

double WassersteinCritic::step(const float* real, const float* fake) {
  const long b = batch_, rows = penalty_ > 0 ? 3 * b : 2 * b;
  std::copy(fake, fake + b * dx_, stacked_.begin());
  std::copy(real, real + b * dx_, stacked_.begin() + b * dx_);
  if (penalty_ > 0) {
    float* interpolates = stacked_.data() + 2 * b * dx_;
    for (long r = 0; r < b; ++r) {
      const float t = static_cast<float>(rng_.uniform());
      for (int k = 0; k < dx_; ++k)
        interpolates[r * dx_ + k] = t * real[r * dx_ + k] + (1 - t) * fake[r * dx_ + k];
    }
  }
  const float* psi = net_.forward(parameters_.data(), stacked_.data(), rows);
  double fake_sum = 0, real_sum = 0;
  for (long r = 0; r < b; ++r) {
    fake_sum += psi[r];
    real_sum += psi[b + r];
  }
  if (penalty_ > 0)
    gradient_penalty_.evaluate(net_, parameters_.data(), 2 * b, b, penalty_,
                               output_adjoint_.data(), grad_.data());
  else
    net_.backward(parameters_.data(), output_adjoint_.data(), rows, grad_.data(), nullptr);
  adam_.step(parameters_.data(), grad_.data());
  return (real_sum - fake_sum) / b;
}

double WassersteinCritic::generator_gradient(const float*, const float* fake, float* sample_grad) {
  const float* psi = net_.forward(parameters_.data(), fake, batch_);
  double sum = 0;
  for (long r = 0; r < batch_; ++r) sum += psi[r];
  net_.backward(parameters_.data(), generator_cotangent_.data(), batch_, nullptr, sample_grad);
  return -sum / batch_;
}

void WassersteinCritic::features(const float* samples, long rows, float* out) {
  net_.forward_rows(parameters_.data(), samples, rows, out);
}

}  // namespace wgf
