#include "wgf/analysis/mmd_particle_flow.hpp"

#include <cmath>
#include <string>

#include "wgf/errors.hpp"

namespace wgf {

namespace {

void require(bool ok, const std::string& message) {
  if (!ok) throw InputError(message);
}

bool finite(double v) { return std::isfinite(v); }

// Independent streams from one seed: the initial particles, the target samples and the noise
// stay the same whichever of them a run uses (a run with β = 0 starts where a noisy one does).
std::mt19937_64 stream(std::uint64_t seed, std::uint64_t which) {
  std::seed_seq sequence{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                         static_cast<std::uint32_t>(which)};
  return std::mt19937_64(sequence);
}

}  // namespace

void MmdFlowConfig::validate() const {
  require(dim >= 1 && dim <= 64, "--dim " + std::to_string(dim) + ": must be from 1 to 64");
  require(particles >= 2, "--particles " + std::to_string(particles) + ": need at least 2");
  require(sigma > 0 && finite(sigma), "--sigma: the kernel bandwidth must be a finite number > 0");
  require(step > 0 && finite(step), "--step: the step size must be a finite number > 0");
  require(noise >= 0 && finite(noise), "--noise: the noise level must be a finite number >= 0");
  require(noise_iterations >= 0, "--noise-iters: must be >= 0");
  require(finite(init_mean), "--init-mean: must be finite");
  require(init_std > 0 && finite(init_std), "--init-std: must be a finite number > 0");
  require(finite(target_mean), "--target-mean: must be finite");
  require(target_std > 0 && finite(target_std), "--target-std: must be a finite number > 0");
  require(target_samples == 0 || target_samples >= 2,
          "--target-samples " + std::to_string(target_samples) +
              ": 0 (exact Gaussian target) or at least 2");
}

MmdParticleFlow::MmdParticleFlow(const MmdFlowConfig& config)
    : config_(config), noise_engine_(stream(config.seed, 3)) {
  config_.validate();
  const int d = config_.dim;
  positions_.resize(config_.particles * d);
  auto init_engine = stream(config_.seed, 1);
  for (double& x : positions_) x = config_.init_mean + config_.init_std * standard_normal_(init_engine);
  standard_normal_.reset();
  if (config_.target_samples > 0) {
    targets_.resize(config_.target_samples * d);
    auto target_engine = stream(config_.seed, 2);
    for (double& y : targets_)
      y = config_.target_mean + config_.target_std * standard_normal_(target_engine);
    standard_normal_.reset();
    double sum = 0;
#pragma omp parallel for reduction(+ : sum) schedule(static)
    for (long i = 0; i < config_.target_samples; ++i)
      sum += kernel_sum(&targets_[i * d], targets_, config_.target_samples, nullptr, 0);
    target_self_ = sum / static_cast<double>(config_.target_samples);
  } else {
    const double s2 = config_.sigma * config_.sigma;
    const double v = config_.target_std * config_.target_std;
    target_self_ = std::pow(s2 / (s2 + 2 * v), 0.5 * d);
  }
  probe_.resize(positions_.size());
  gradients_.resize(positions_.size());
}

double MmdParticleFlow::current_noise() const {
  return iteration_ < config_.noise_iterations ? config_.noise : 0.0;
}

// Mean of k(z, p_j) over the points; with `gradient`, adds scale · ∇_z of that mean.
double MmdParticleFlow::kernel_sum(const double* z, const std::vector<double>& points, long count,
                                   double* gradient, double scale) const {
  const int d = config_.dim;
  const double inverse_two_sigma2 = 0.5 / (config_.sigma * config_.sigma);
  double value = 0;
  if (!gradient) {
    for (long j = 0; j < count; ++j) {
      double r2 = 0;
      for (int a = 0; a < d; ++a) {
        const double diff = z[a] - points[j * d + a];
        r2 += diff * diff;
      }
      value += std::exp(-r2 * inverse_two_sigma2);
    }
    return value / static_cast<double>(count);
  }
  // ∇_z k(z, p) = −(z − p)/σ² k(z, p).
  const double factor = -2 * inverse_two_sigma2 * scale / static_cast<double>(count);
  for (long j = 0; j < count; ++j) {
    double r2 = 0;
    for (int a = 0; a < d; ++a) {
      const double diff = z[a] - points[j * d + a];
      r2 += diff * diff;
    }
    const double k = std::exp(-r2 * inverse_two_sigma2);
    value += k;
    for (int a = 0; a < d; ++a) gradient[a] += factor * (z[a] - points[j * d + a]) * k;
  }
  return value / static_cast<double>(count);
}

double MmdParticleFlow::target_embedding(const double* z, double* gradient, double scale) const {
  if (config_.target_samples > 0)
    return kernel_sum(z, targets_, config_.target_samples, gradient, scale);
  const int d = config_.dim;
  const double s2 = config_.sigma * config_.sigma;
  const double v = s2 + config_.target_std * config_.target_std;
  double r2 = 0;
  for (int a = 0; a < d; ++a) {
    const double diff = z[a] - config_.target_mean;
    r2 += diff * diff;
  }
  // The Gaussian kernel convolved with the Gaussian target: a Gaussian of variance σ² + s².
  const double g = std::pow(s2 / v, 0.5 * d) * std::exp(-0.5 * r2 / v);
  if (gradient)
    for (int a = 0; a < d; ++a) gradient[a] -= scale * (z[a] - config_.target_mean) / v * g;
  return g;
}

double MmdParticleFlow::witness(std::span<const double> z) const {
  require(static_cast<int>(z.size()) == config_.dim, "witness: point of the wrong dimension");
  return kernel_sum(z.data(), positions_, config_.particles, nullptr, 0) -
         target_embedding(z.data(), nullptr, 0);
}

void MmdParticleFlow::witness_gradient(std::span<const double> z,
                                       std::span<double> gradient) const {
  require(static_cast<int>(z.size()) == config_.dim &&
              static_cast<int>(gradient.size()) == config_.dim,
          "witness_gradient: point of the wrong dimension");
  for (double& g : gradient) g = 0;
  kernel_sum(z.data(), positions_, config_.particles, gradient.data(), 1.0);
  target_embedding(z.data(), gradient.data(), -1.0);
}

void MmdParticleFlow::step() {
  const int d = config_.dim;
  const long n = config_.particles;
  const double beta = current_noise();
  // Noise drawn serially, so that a run is the same whatever the thread count.
  for (std::size_t i = 0; i < positions_.size(); ++i)
    probe_[i] = beta > 0 ? positions_[i] + beta * standard_normal_(noise_engine_) : positions_[i];
#pragma omp parallel for schedule(static) if (n * n * d > 100000)
  for (long i = 0; i < n; ++i) {
    double* gradient = &gradients_[i * d];
    for (int a = 0; a < d; ++a) gradient[a] = 0;
    kernel_sum(&probe_[i * d], positions_, n, gradient, 1.0);
    target_embedding(&probe_[i * d], gradient, -1.0);
  }
  const double gamma = config_.step;
  for (std::size_t i = 0; i < positions_.size(); ++i) positions_[i] -= gamma * gradients_[i];
  ++iteration_;
}

double MmdParticleFlow::mmd2() const {
  const int d = config_.dim;
  const long n = config_.particles;
  const double inverse_two_sigma2 = 0.5 / (config_.sigma * config_.sigma);
  // ∫∫k dμ dμ by the upper triangle (k symmetric, k(x, x) = 1), and ∫ g dμ.
  double pairs = 0, cross = 0;
#pragma omp parallel for reduction(+ : pairs, cross) schedule(dynamic, 16) if (n * n * d > 100000)
  for (long i = 0; i < n; ++i) {
    const double* x = &positions_[i * d];
    for (long j = i + 1; j < n; ++j) {
      double r2 = 0;
      for (int a = 0; a < d; ++a) {
        const double diff = x[a] - positions_[j * d + a];
        r2 += diff * diff;
      }
      pairs += std::exp(-r2 * inverse_two_sigma2);
    }
    cross += target_embedding(x, nullptr, 0);
  }
  const double count = static_cast<double>(n);
  const double self = (count + 2 * pairs) / (count * count);
  return self - 2 * cross / count + target_self_;
}

}  // namespace wgf
