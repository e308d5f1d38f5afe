#include "wgf/analysis/feature_shells.hpp"

#include <cmath>
#include <complex>
#include <numbers>
#include <random>
#include <string>

#include "wgf/errors.hpp"
#include "wgf/splitmix64.hpp"

namespace wgf {

namespace {

double standard_normal(std::uint64_t& state) {
  double u1 = splitmix64_uniform(state);
  while (u1 <= 0.0) u1 = splitmix64_uniform(state);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * splitmix64_uniform(state));
}

}  // namespace

FeatureShells::FeatureShells(std::vector<double> radii, int directions, int dim, std::uint64_t seed)
    : radii_(std::move(radii)), directions_(directions), dim_(dim) {
  if (radii_.empty()) throw InputError("feature shells: no radius given");
  for (double k : radii_)
    if (!(k > 0) || !std::isfinite(k))
      throw InputError("feature shells: radius " + std::to_string(k) + " is not a positive number");
  if (directions_ < 1) throw InputError("feature shells: directions must be at least 1");
  if (dim_ < 1) throw InputError("feature shells: the feature dimension must be at least 1");
  if (dim_ == 1) directions_ = 1;
  units_.assign(static_cast<std::size_t>(directions_) * dim_, 0.0);
  std::uint64_t state = seed ^ 0x5E11D1Eull;
  for (int d = 0; d < directions_; ++d) {
    double* u = units_.data() + static_cast<std::size_t>(d) * dim_;
    if (dim_ == 1) {
      u[0] = 1.0;
    } else if (dim_ == 2) {
      const double angle = std::numbers::pi * d / directions_;
      u[0] = std::cos(angle);
      u[1] = std::sin(angle);
    } else {
      double norm = 0;
      while (norm < 1e-12) {
        norm = 0;
        for (int j = 0; j < dim_; ++j) {
          u[j] = standard_normal(state);
          norm += u[j] * u[j];
        }
      }
      norm = std::sqrt(norm);
      for (int j = 0; j < dim_; ++j) u[j] /= norm;
    }
  }
}

void FeatureShells::power(const double* fake, long n, const double* real, long m, double* out) const {
  const int K = radii_count();
  // Each (radius, direction) is an independent sum over the rows; the row sums run in a fixed
  // order, so the result does not depend on the thread count.
#pragma omp parallel for collapse(2) schedule(static)
  for (int k = 0; k < K; ++k) {
    for (int d = 0; d < directions_; ++d) {
      const double* u = direction(d);
      auto mean_phase = [&](const double* rows, long count) {
        double c = 0, s = 0;
        for (long i = 0; i < count; ++i) {
          double proj = 0;
          for (int j = 0; j < dim_; ++j) proj += u[j] * rows[i * dim_ + j];
          const double phase = radii_[k] * proj;
          c += std::cos(phase);
          s -= std::sin(phase);
        }
        return std::complex<double>(c, s) / static_cast<double>(count);
      };
      const std::complex<double> w = mean_phase(fake, n) - mean_phase(real, m);
      out[static_cast<std::size_t>(k) * directions_ + d] = std::norm(w);
    }
  }
}

void FeatureShells::rotation_average(const double* power, double* out) const {
  for (int k = 0; k < radii_count(); ++k) {
    double sum = 0;
    for (int d = 0; d < directions_; ++d) sum += power[static_cast<std::size_t>(k) * directions_ + d];
    out[k] = sum / directions_;
  }
}

}  // namespace wgf
