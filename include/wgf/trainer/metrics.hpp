#pragma once
// What the trainer measures at its metric intervals (docs/design.md §4, /train/metrics):
//  - in data space, generated samples against held-out real samples: the energy distance
//    2E|x−y| − E|x−x'| − E|y−y'| and MMD² with a Gaussian kernel (U-statistics);
//  - for mixtures: modes covered and the fraction of high-quality samples (within 3 std of
//    their nearest mode);
//  - in D's feature space: the spread of the real and fake features (mean pairwise distance,
//    pooled standard deviation) and the empirical structure factor
//    S(ξ) = |n⁻¹ Σ_j exp(−iξ·f_j)|² of the real features, which grows at the wave vectors where
//    the discriminator's flow is unstable (docs/design.md §1).
// All planned once for a fixed number of evaluation rows; the heavy parts thread with OpenMP.
#include <memory>
#include <string>
#include <vector>

#include "wgf/kernel.hpp"
#include "wgf/trainer/datasets.hpp"
#include "wgf/trainer/pairwise_loss.hpp"

namespace wgf {

struct ModeCoverage {
  long modes_covered = 0;
  double high_quality_fraction = 0;
};

// A sample is high-quality when it lies within `std_factor` standard deviations of its nearest
// mode. A mode counts as covered when it holds at least a tenth of its fair share (n/K) of the
// high-quality samples, and at least one: a stray sample does not make a mode.
ModeCoverage mode_coverage(const GaussianMixture& mixture, const float* samples, long n,
                           double std_factor = 3.0);

// Mean of |x_i − x_j| over pairs i ≠ j, and √(mean per-axis variance).
double mean_pairwise_distance(const float* points, long n, int dim);
double pooled_std(const float* points, long n, int dim);

// S(ξ_k) for K wave vectors (K × dim, row-major) into `out`.
void structure_factor(const float* points, long n, int dim, const std::vector<double>& xi,
                      double* out);

struct MetricsConfig {
  long rows = 1000;                       // evaluation samples on each side
  std::string mmd_kernel;                 // empty: Gaussian with the median heuristic
  int structure_harmonics = 3;            // box wave vectors m·e_a, m = 1..harmonics
  double structure_box = 6;               // box side in units of the real features' std
  std::vector<std::vector<double>> structure_xi;  // user-given ξ (each of length df)
};

class TrainingMetrics {
public:
  // `held_out` (rows × dx) fixes the median heuristic; `mixture` may be null.
  TrainingMetrics(const MetricsConfig& config, int dx, int df, const float* held_out,
                  const GaussianMixture* mixture);

  const std::vector<std::string>& scalar_names() const { return names_; }
  // Box wave vectors as integers k (K × df); ξ = 2π k / L with L logged per evaluation.
  const std::vector<double>& box_wave_numbers() const { return box_k_; }
  const std::vector<double>& user_xi() const { return user_xi_; }  // K_user × df
  long box_count() const { return static_cast<long>(box_k_.size()) / df_; }
  long user_count() const { return static_cast<long>(user_xi_.size()) / df_; }
  const std::string& mmd_spec() const { return mmd_spec_; }

  struct Result {
    std::vector<double> scalars;         // in scalar_names() order
    double box_length = 0;
    std::vector<double> structure_box;   // box_count()
    std::vector<double> structure_user;  // user_count()
  };
  // fake/real: rows × dx samples; fake_features/real_features: rows × df.
  void evaluate(const float* fake, const float* real, const float* fake_features,
                const float* real_features, Result& out);

private:
  MetricsConfig config_;
  int dx_, df_;
  const GaussianMixture* mixture_;
  std::vector<std::string> names_;
  std::string mmd_spec_;
  std::unique_ptr<PairwiseLoss<double>> energy_, mmd_;
  std::vector<double> fake_d_, real_d_, box_k_, user_xi_, box_xi_;
};

}  // namespace wgf
