#include "wgf/trainer/adam.hpp"

#include <algorithm>
#include <cmath>

#include "wgf/errors.hpp"
#include "wgf/trainer/adam_update.hpp"
#include "wgf/trainer/row_slabs.hpp"

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
  const AdamStepScalars scalars =
      adam_step_scalars(settings_.lr, settings_.beta1, settings_.beta2, settings_.eps, t_);
  const long n = static_cast<long>(m_.size());
  float* m = m_.data();
  float* v = v_.data();
  // Threads only pay for the big networks; the loop is memory bound (counted as 4
  // multiply-adds an element for the threshold). The scalars are a private copy per slab:
  // shared, they could alias the float arrays and would be reloaded per element, which keeps
  // the loop scalar (CMake also compiles this file with -fno-math-errno so that the square root
  // vectorises; it is correctly rounded either way). Elementwise: any split gives the same bits.
  for_row_slabs(n, 4.0 * n, [&](long first, long count) {
    const AdamStepScalars local = scalars;
#pragma omp simd
    for (long i = first; i < first + count; ++i)
      adam_update(local, gradient[i], m[i], v[i], parameters[i]);
  });
}

}  // namespace wgf
