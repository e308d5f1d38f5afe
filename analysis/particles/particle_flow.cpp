#include "wgf/analysis/particle_flow.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

#include "wgf/errors.hpp"

namespace wgf {

namespace {
constexpr double kTwoPi = 2 * std::numbers::pi;

// Wraps x into [−L/2, L/2).
inline double wrap(double x, double length) {
  return x - length * std::floor(x / length + 0.5);
}
}  // namespace

ParticleFlow::ParticleFlow(const Dynamics& dynamics, double length, long particles, int max_mode)
    : dynamics_(dynamics), length_(length), n_(particles), modes_(max_mode) {
  if (particles < 2) throw InputError("particles: need at least 2 per species");
  if (!(length > 0)) throw InputError("particle box length must be > 0");
  if (max_mode < 1 || max_mode > 512) throw InputError("particle modes: from 1 to 512");
  particle_mass_ = dynamics.rho0 * length / static_cast<double>(particles);
  for (int k = 1; k <= modes_; ++k) {
    const double xi = kTwoPi * k / length;
    // u(x) = −∂xΦ = (2/L) Σ_{k>0} ξ_k m(ξ_k) Im(ŵ_k e^{iξ_k x}).
    symbol_p_.push_back(2.0 / length * xi * dynamics.potential_symbol(Species::p, xi, 1));
    symbol_q_.push_back(2.0 / length * xi * dynamics.potential_symbol(Species::q, xi, 1));
  }
  w_hat_.resize(modes_);
  for (auto* v : {&xp_, &xq_, &stage_p_, &stage_q_}) v->assign(n_, 0.0);
  for (int s = 0; s < 4; ++s) {
    kp_[s].assign(n_, 0.0);
    kq_[s].assign(n_, 0.0);
  }
}

void ParticleFlow::start_quiet(const std::vector<long>& modes, double amp) {
  const double h = length_ / static_cast<double>(n_);
  for (long j = 0; j < n_; ++j) {
    const double x0 = -0.5 * length_ + (static_cast<double>(j) + 0.5) * h;
    xq_[j] = x0;
    // Displacement δ(x) with −∂x(ρ0 δ) = ρ0 amp cos(ξx): δ = −(amp/ξ) sin(ξx), per mode.
    double displacement = 0;
    for (long k : modes) {
      const double xi = kTwoPi * static_cast<double>(k) / length_;
      displacement -= amp / xi * std::sin(xi * x0);
    }
    xp_[j] = wrap(x0 + displacement, length_);
  }
}

double ParticleFlow::stable_dt() const {
  double fastest = 0;
  for (int k = 1; k <= modes_; ++k) fastest = std::max(fastest, std::fabs(predicted_rate(k)));
  return fastest > 0 ? 0.5 / fastest : 1.0;
}

void ParticleFlow::start_random(std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  std::uniform_real_distribution<double> uniform(-0.5 * length_, 0.5 * length_);
  for (long j = 0; j < n_; ++j) xp_[j] = uniform(engine);
  for (long j = 0; j < n_; ++j) xq_[j] = uniform(engine);
}

void ParticleFlow::spectrum_of(const double* xp, const double* xq) {
  const double xi1 = kTwoPi / length_;
  const int modes = modes_;
  // Per-thread partial sums of Σ ±M/n e^{−iξ_k x_j}, powers of e^{−iξ_1 x} by recurrence.
  std::vector<std::complex<double>>& total = w_hat_;
  for (auto& v : total) v = 0;
#pragma omp parallel if (2 * n_ * modes_ > 200000)
  {
    std::complex<double> local[512];
    const int used = modes < 512 ? modes : 512;
    for (int k = 0; k < used; ++k) local[k] = 0;
#pragma omp for schedule(static) nowait
    for (long j = 0; j < 2 * n_; ++j) {
      const bool is_p = j < n_;
      const double x = is_p ? xp[j] : xq[j - n_];
      const std::complex<double> base = std::polar(1.0, -xi1 * x);
      std::complex<double> power = base;
      const double sign = is_p ? 1.0 : -1.0;
      for (int k = 0; k < used; ++k) {
        local[k] += sign * power;
        power *= base;
      }
    }
#pragma omp critical
    for (int k = 0; k < used; ++k) total[k] += local[k] * particle_mass_;
  }
}

void ParticleFlow::velocities(const double* xp, const double* xq, double* up, double* uq) {
  spectrum_of(xp, xq);
  const double xi1 = kTwoPi / length_;
  const int modes = modes_;
  const bool moves_p = dynamics_.moves(Species::p), moves_q = dynamics_.moves(Species::q);
#pragma omp parallel for schedule(static) if (2 * n_ * modes_ > 200000)
  for (long j = 0; j < 2 * n_; ++j) {
    const bool is_p = j < n_;
    if ((is_p && !moves_p) || (!is_p && !moves_q)) {
      (is_p ? up[j] : uq[j - n_]) = 0;
      continue;
    }
    const double x = is_p ? xp[j] : xq[j - n_];
    const double* symbol = is_p ? symbol_p_.data() : symbol_q_.data();
    const std::complex<double> base = std::polar(1.0, xi1 * x);
    std::complex<double> power = base;
    double u = 0;
    for (int k = 0; k < modes; ++k) {
      u += symbol[k] * (w_hat_[k] * power).imag();
      power *= base;
    }
    (is_p ? up[j] : uq[j - n_]) = u;
  }
}

void ParticleFlow::step(double dt) {
  const long n = n_;
  // Classical RK4: k1 = u(x), k2 = u(x + dt/2 k1), k3 = u(x + dt/2 k2), k4 = u(x + dt k3).
  velocities(xp_.data(), xq_.data(), kp_[0].data(), kq_[0].data());
  const double weights[3] = {0.5, 0.5, 1.0};
  for (int s = 1; s < 4; ++s) {
    for (long j = 0; j < n; ++j) {
      stage_p_[j] = xp_[j] + weights[s - 1] * dt * kp_[s - 1][j];
      stage_q_[j] = xq_[j] + weights[s - 1] * dt * kq_[s - 1][j];
    }
    velocities(stage_p_.data(), stage_q_.data(), kp_[s].data(), kq_[s].data());
  }
  for (long j = 0; j < n; ++j) {
    xp_[j] = wrap(xp_[j] + dt / 6 * (kp_[0][j] + 2 * kp_[1][j] + 2 * kp_[2][j] + kp_[3][j]),
                  length_);
    xq_[j] = wrap(xq_[j] + dt / 6 * (kq_[0][j] + 2 * kq_[1][j] + 2 * kq_[2][j] + kq_[3][j]),
                  length_);
  }
}

double ParticleFlow::mode_amplitude(long k) const {
  const double xi = kTwoPi * static_cast<double>(k) / length_;
  std::complex<double> sum = 0;
  for (long j = 0; j < n_; ++j) sum += std::polar(1.0, -xi * xp_[j]) - std::polar(1.0, -xi * xq_[j]);
  // A cos(ξx) carries ŵ = A L/2; the particle sum is ŵ/(M/n) with M = ρ0 L.
  return 2.0 * std::abs(sum) * particle_mass_ / length_;
}

double ParticleFlow::predicted_rate(long k) const {
  return dynamics_.growth_rate(kTwoPi * static_cast<double>(k) / length_, 1);
}

}  // namespace wgf
