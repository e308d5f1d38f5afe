#pragma once
// The particle MMD flow with noise injection (Arbel, Korba, Salim & Gretton 2019, "Maximum Mean
// Discrepancy Gradient Flow"): N particles X_i of the measure μ = N⁻¹ Σ δ_{X_i} descend the
// witness function of MMD(μ, ν),
//
//   X_i ← X_i − γ ∇f_{μ,ν}(X_i + β_n U_i),   U_i ~ N(0, I),
//   f_{μ,ν}(z) = N⁻¹ Σ_j k(z, X_j) − ∫ k(z, y) dν(y),   k(x, y) = exp(−|x − y|²/(2σ²)),
//
// with β_n = β for the first `noise_iterations` steps and 0 afterwards (β = 0: the plain
// forward-Euler MMD flow). Evaluating the witness at noisy points smooths it over the scale β,
// which is what lets particles far from ν feel its pull; this is the paper's fix for the flow
// stalling in a local minimum of MMD².
//
// The target ν = N(m·1, s² I) is used exactly or through M samples. With the Gaussian kernel
// its mean embedding has a closed form, g(z) = ∫k(z, y)dν(y) = (σ²/(σ²+s²))^{d/2}
// exp(−|z − m·1|²/(2(σ²+s²))), and so does ∫∫k dν dν = (σ²/(σ²+2s²))^{d/2}: the exact target
// gives an exact MMD²(μ, ν) of the particle measure (MMD² convention of docs/design.md §1, no ½).
//
// Plan once: all buffers are sized in the constructor; step() allocates nothing.
#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace wgf {

struct MmdFlowConfig {
  int dim = 1;
  long particles = 1000;     // N
  double sigma = 2.0;        // kernel bandwidth σ
  double step = 0.1;         // γ
  double noise = 0.0;        // β
  long noise_iterations = 0; // β_n = β while n < noise_iterations
  double init_mean = 10.0;   // particles start i.i.d. N(init_mean·1, init_std² I)
  double init_std = 0.5;
  double target_mean = 0.0;  // ν = N(target_mean·1, target_std² I)
  double target_std = 1.0;
  long target_samples = 0;   // M; 0: the exact Gaussian target
  std::uint64_t seed = 1;    // initial particles, target samples and noise all derive from it

  // Throws InputError naming the field at fault.
  void validate() const;
};

class MmdParticleFlow {
public:
  explicit MmdParticleFlow(const MmdFlowConfig& config);

  // One noisy gradient step of every particle (all from the same old positions).
  void step();
  long iteration() const { return iteration_; }
  // The noise level β_n the next step will use.
  double current_noise() const;

  // MMD²(μ, ν) of the current particles: exact for the exact target, the V-statistic between
  // the two empirical measures with target samples.
  double mmd2() const;
  // f_{μ,ν}(z) and its gradient at one point z (dim values).
  double witness(std::span<const double> z) const;
  void witness_gradient(std::span<const double> z, std::span<double> gradient) const;

  const MmdFlowConfig& config() const { return config_; }
  // Particle coordinates, particle-major (N × dim).
  const std::vector<double>& positions() const { return positions_; }
  const std::vector<double>& target_samples() const { return targets_; }

private:
  // ∫ k(z, y) dν(y) and its gradient added into `gradient` with the factor `scale`.
  double target_embedding(const double* z, double* gradient, double scale) const;
  double kernel_sum(const double* z, const std::vector<double>& points, long count,
                    double* gradient, double scale) const;

  MmdFlowConfig config_;
  long iteration_ = 0;
  double target_self_ = 0;  // ∫∫ k dν dν
  std::vector<double> positions_, targets_, probe_, gradients_;
  std::mt19937_64 noise_engine_;
  std::normal_distribution<double> standard_normal_;
};

}  // namespace wgf
