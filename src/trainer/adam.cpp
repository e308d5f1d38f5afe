#include "wgf/trainer/adam.hpp"

#include <algorithm>
#include <cmath>

#include "wgf/errors.hpp"

namespace wgf {

void AdamSettings::validate(const std::string& what) const {
  if (!(lr > 0) || !std::isfinite(lr)) throw InputError(what + " learning rate must be > 0");
  if (!(beta1 >= 0 && beta1 < 1)) throw InputError(what + " beta1 must be in [0, 1)");
  if (!(beta2 >= 0 && beta2 < 1)) throw InputError(what + " beta2 must be in [0, 1)");
  if (!(eps > 0)) throw InputError(what + " Adam eps must be > 0");
}

Adam::Adam(AdamSettings settings, std::size_t count)
    : settings_(settings), m_(count, 0.0f), v_(count, 0.0f) {}

void Adam::reset() {
  std::fill(m_.begin(), m_.end(), 0.0f);
  std::fill(v_.begin(), v_.end(), 0.0f);
  t_ = 0;
}

void Adam::step(float* parameters, const float* gradient) {
  ++t_;
  const float beta1 = static_cast<float>(settings_.beta1);
  const float beta2 = static_cast<float>(settings_.beta2);
  const float step_size =
      static_cast<float>(settings_.lr / (1.0 - std::pow(settings_.beta1, static_cast<double>(t_))));
  const float inverse_root_correction = static_cast<float>(
      1.0 / std::sqrt(1.0 - std::pow(settings_.beta2, static_cast<double>(t_))));
  const float eps = static_cast<float>(settings_.eps);
  const long n = static_cast<long>(m_.size());
  float* m = m_.data();
  float* v = v_.data();
  // Threads only pay for the big networks; the loop is memory bound.
#pragma omp parallel for simd schedule(static) if (n > (1 << 16))
  for (long i = 0; i < n; ++i) {
    const float g = gradient[i];
    m[i] = beta1 * m[i] + (1.0f - beta1) * g;
    v[i] = beta2 * v[i] + (1.0f - beta2) * g * g;
    parameters[i] -= step_size * m[i] / (std::sqrt(v[i]) * inverse_root_correction + eps);
  }
}

}  // namespace wgf
