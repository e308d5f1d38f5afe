#pragma once
// The measurement side of the trained-GAN study: what a `wgf train` run showed, read back from
// its HDF5 file (DESIGN.md §4), reduced to a few numbers and one verdict by stated rules.
//
//  - structure growth: the real features' structure factor S(ξ) at the study's wave vectors
//    (structure_factor_xi: the predicted most unstable |ξ| in several directions), averaged over
//    those directions, late (mean over the last third of the metric rows) over initial
//    (iteration 0). Clumping of the features — the aggregation the unstable flow produces —
//    raises S at the clump spacing.
//  - loss oscillation: the standard deviation of loss_d over the second half of the run in units
//    of its typical size there (root mean square); near 0 for a loss that settles, near 1 for one
//    that swings around zero.
//  - divergence: status "diverged" (a non-finite loss), or the real features' spread growing or
//    shrinking by more than a factor `spread_factor` (features exploding or collapsing).
//  - sample quality at the end: modes covered, high-quality fraction, data-space MMD.
//
// Observed unstable: diverged, or structure growth ≥ structure_growth. The loss oscillation is
// recorded beside it, not part of the verdict (minibatch noise alone makes an MMD estimate
// swing around zero once the generator matches the data).
#include <string>
#include <vector>

namespace wgf {

struct TrainingRecord {
  std::string path, status;
  std::vector<double> loss_iter, loss_d;
  std::vector<double> metrics_iter, feature_std_real, mmd, modes_covered, high_quality_fraction;
  std::vector<double> structure;  // metric rows × structure_count, at the user wave vectors
  long structure_count = 0;
};

// Throws InputError naming the file when it is missing, not a `wgf train` output, or lacks the
// structure factor at user wave vectors.
TrainingRecord read_training_record(const std::string& path);

struct ObservationRules {
  double structure_growth = 2.0;  // late/initial S at or above this: the features clumped
  double spread_factor = 100.0;   // feature std changed by more than this factor: diverged
};

struct Observation {
  double structure_ratio = 0;   // late / initial mean S
  double loss_oscillation = 0;  // std / rms of loss_d over the second half
  double spread_ratio = 0;      // final / initial feature std
  bool diverged = false;
  double modes_covered = 0, high_quality_fraction = 0, mmd = 0;  // at the end
  bool unstable = false;
  std::string reason;  // which rule decided
};

Observation observe(const TrainingRecord& record, const ObservationRules& rules);

}  // namespace wgf
