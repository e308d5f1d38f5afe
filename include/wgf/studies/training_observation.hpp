#pragma once
// The measurement side of the trained-GAN study: what a `wgf train` run showed, read back from
// its HDF5 file (docs/design.md §4), reduced to a few numbers and one verdict by stated rules.
//
//  - structure growth: the real features' structure factor S(ξ) at the predicted most unstable
//    |ξ*|, averaged over directions, late (mean over the last third of the metric rows) over
//    initial (iteration 0). Clumping of the features — the aggregation the unstable flow
//    produces — raises S at the clump spacing. The verdict uses the wave vectors that follow the
//    cloud's size (the metrics' box harmonics, with the box set so that its first harmonic is
//    ξ* ℓ0/ℓ(t), ℓ(t) the current spread): a uniform rescaling of all features, which D's last
//    layer makes at no cost, moves S at a fixed ξ along the cloud's envelope without any
//    clumping. S at the fixed |ξ*| (structure_factor_xi, several directions) is recorded beside.
//  - the discriminator's hold: the mean of loss_d (D's minibatch estimate of E_{e−εs} between
//    fake and real features, a U-statistic in the study, so unbiased) over the second half of the
//    run, in standard errors of that mean. The flow of D is unstable exactly when some
//    perturbation of p = q makes E_{e−εs} positive (λ ∝ F[e − εs] > 0); a discriminator that
//    keeps the energy positive is holding such a perturbation, while at ε ≥ ε* the energy is
//    negative for every p ≠ q and D can at best bring it back to 0. The standard error treats
//    the logged values as independent (they are 10 iterations apart), hence a 3σ threshold.
//  - loss oscillation: the standard deviation of loss_d over the second half of the run in units
//    of its typical size there (root mean square); near 0 for a loss that settles, near 1 for one
//    that swings around zero.
//  - divergence: status "diverged" (a non-finite loss), or the real features' spread growing or
//    shrinking by more than a factor `spread_factor` (features exploding or collapsing).
//  - sample quality at the end: modes covered, high-quality fraction, data-space MMD.
//
// Observed unstable: diverged, or D holds a positive energy (mean ≥ positive_energy_z standard
// errors), or structure growth ≥ structure_growth. The loss oscillation is recorded beside it,
// not part of the verdict (minibatch noise alone makes an estimate swing around zero).
#include <string>
#include <vector>

namespace wgf {

struct TrainingRecord {
  std::string path, status;
  std::vector<double> loss_iter, loss_d;
  std::vector<double> metrics_iter, feature_std_real, mmd, modes_covered, high_quality_fraction;
  std::vector<double> structure;  // metric rows × structure_count, box harmonics (cloud units)
  long structure_count = 0;
  std::vector<double> structure_fixed;  // metric rows × structure_fixed_count, fixed user ξ
  long structure_fixed_count = 0;
};

// Throws InputError naming the file when it is missing, not a `wgf train` output, or lacks the
// structure factors at box and at user wave vectors.
TrainingRecord read_training_record(const std::string& path);

struct ObservationRules {
  double structure_growth = 2.0;  // late/initial S at or above this: the features clumped
  double spread_factor = 100.0;   // feature std changed by more than this factor: diverged
  double positive_energy_z = 3.0; // mean loss_d (second half) in standard errors: D holds E > 0
};

struct Observation {
  double structure_ratio = 0;   // late / initial mean S, in cloud units (the verdict)
  double structure_ratio_fixed = 0;  // the same at the fixed |ξ*|
  double loss_oscillation = 0;  // std / rms of loss_d over the second half
  double loss_mean = 0;         // mean of loss_d over the second half
  double loss_mean_z = 0;       // that mean over its standard error
  double spread_ratio = 0;      // final / initial feature std
  bool diverged = false;
  double modes_covered = 0, high_quality_fraction = 0, mmd = 0;  // at the end
  bool unstable = false;
  std::string reason;  // which rule decided
};

Observation observe(const TrainingRecord& record, const ObservationRules& rules);

}  // namespace wgf
