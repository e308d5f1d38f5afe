#pragma once
// The particle part of the validation: for each (kernel, stabiliser, ε) the particle
// discriminator of particle_flow.hpp is started quietly with every tracked mode perturbed, and
// the measured exponential rate of each mode is set against the spectral module's λ(ξ_k).
#include <string>
#include <vector>

#include "wgf/analysis/particle_flow.hpp"

namespace wgf {

struct ParticleCase {
  std::string kernel, stabilizer;
  double eps = 0;
  std::string label;  // unstable | marginal | stable
};

struct ParticleModeResult {
  long k = 0;
  double predicted = 0, measured = 0;
  bool sign_right = false;
};

struct ParticleCaseResult {
  ParticleCase setting;
  double box_critical_eps = 0;  // max over the box's modes 1…K of a/b: stability in this box
  std::vector<ParticleModeResult> modes;
  long most_unstable_k = 0;           // 0 when no tracked mode is predicted unstable
  double most_unstable_error = 0;     // |measured/predicted − 1| of that mode
  long steps = 0;
  double t_end = 0;
};

struct ParticleStudyConfig {
  long particles = 10000;  // per species
  int max_mode = 16;       // interaction truncated at |k| ≤ K
  int tracked_modes = 8;   // modes 1 … this are perturbed and measured
  double amp = 1e-6;
  double length = 6.283185307179586;
  long max_steps = 400;
};

// ε* of the discriminator in the box: the largest a(ξ_k)/b(ξ_k) over k = 1 … K.
double box_critical_eps(const Dynamics& dynamics, double length, int max_mode);

// gaussian, laplace and energy kernels, each at ε = 0 (unstable), 0.9 ε*_box (marginal) and
// 1.5 ε*_box (stable).
std::vector<ParticleCase> default_particle_cases(const ParticleStudyConfig& config);

std::vector<ParticleCaseResult> run_particle_study(const ParticleStudyConfig& config,
                                                   const std::vector<ParticleCase>& cases);

}  // namespace wgf
