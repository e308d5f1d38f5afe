#pragma once
// The trained-GAN part of the validation: ε sweeps of real GAN trainings, each run set against
// the spectral module's prediction for its feature flow (feature_flow_prediction.hpp) and
// classified by what training showed (training_observation.hpp).
//
// A sweep is one data set, one loss kernel e and one stabiliser family. For every seed:
//  1. a probe (`run_training` with 0 iterations) measures the spread ℓ0 of D's real features at
//     initialisation — it depends only on the seed, the data and D's shape, so every ε of that
//     seed starts from the same cloud;
//  2. the stabiliser is scaled to that cloud: family "gaussian" is s = gaussian:sigma = w ℓ0,
//     family "rq" is s = rq:alpha = 2, ell = w ℓ0 (w = stabilizer_width, 0.5 by default: s
//     narrower than the cloud, so that it bites inside the band the prediction is about);
//  3. ε runs over multiples of the run's ε*_band, so that every grid straddles the predicted
//     threshold by construction and the test is whether the observed change of behaviour sits
//     where the theory puts it (ratio 0 is the unstabilised GAN);
//  4. each training records S(ξ) at the predicted most unstable |ξ*|: along the df axes in the
//     cloud's own units (the metrics' box is set to 2π/(ξ* ℓ0) so that its first harmonic follows
//     the cloud's size, training_observation.hpp says why), and at the fixed |ξ*| in df²
//     directions (the axes and the diagonals (e_a ± e_b)/√2).
// Every run writes its own `wgf train` file into the run folder; the verdicts are read back
// from those files, so each number in the summary can be traced to its run.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "wgf/analysis/feature_flow_prediction.hpp"
#include "wgf/trainer/gan_trainer.hpp"
#include "wgf/studies/training_observation.hpp"

namespace wgf {

struct GanSweep {
  std::string data;                // ring8 | grid25 | any --data source
  std::string loss_name;           // mmd | energy | riesz (label)
  std::string loss;                // kernel spec e
  std::string family;              // gaussian | rq
  std::vector<double> eps_ratios;  // ε / ε*_band
};

struct GanStudyConfig {
  TrainingConfig training;  // shapes, rates, iterations, metrics, device; per run: data, loss,
                            // stabilizer, eps, seed, out and structure_xi are set by the study
  std::vector<std::uint64_t> seeds = {0, 1, 2};
  FeatureBand band;  // what the prediction is about (box 6 ℓ0, harmonics 1–3)
  double stabilizer_width = 0.5;  // w
  double rq_alpha = 2;
  ObservationRules rules;
  std::string run_folder;  // per-run `wgf train` files
  bool force = false;      // replace run files that exist
};

struct GanRunResult {
  std::size_t sweep = 0;  // index into the sweeps
  std::uint64_t seed = 0;
  double eps_ratio = 0, eps = 0;
  std::string stabilizer, run_file;
  FeaturePrediction prediction;
  Observation observation;
  bool agree = false;  // predicted unstable == observed unstable
  double seconds = 0;
};

// "gaussian:sigma=…" or "rq:alpha=…,ell=…"; throws InputError for another family.
std::string stabilizer_for(const std::string& family, double length, double rq_alpha);

// Unit vectors along the axes and the diagonals (e_a ± e_b)/√2, a < b: df² directions, row-major.
std::vector<std::vector<double>> structure_directions(int dim);

// The MMD loss of the study: Gaussians with σ ∈ {0.25, 0.5, 1, 2, 4}.
extern const char* const kStudyMmdLoss;

// The full configuration (issue 5, item 2): ring8 and grid25 × mmd (kStudyMmdLoss), energy
// (Cramér, β = 1) and riesz (elastic, α = df − 1) × gaussian and rq.
std::vector<GanSweep> full_gan_sweeps(const std::vector<double>& eps_ratios);

// Runs every sweep × seed × ε. `progress` (may be empty) hears about each finished run.
std::vector<GanRunResult> run_gan_study(
    const GanStudyConfig& config, const std::vector<GanSweep>& sweeps,
    const std::function<void(const GanRunResult&, std::size_t done, std::size_t total)>& progress);

// Agreement counts over a subset of runs.
struct Agreement {
  long agree = 0, total = 0;
  double rate() const { return total > 0 ? static_cast<double>(agree) / total : 0.0; }
};
Agreement agreement(const std::vector<GanRunResult>& runs,
                    const std::function<bool(const GanRunResult&)>& which);

// Per sweep, the ε ratio whose runs (averaged over seeds) have the highest high-quality
// fraction, ties broken by the lower data-space MMD.
double best_quality_ratio(const std::vector<GanRunResult>& runs, std::size_t sweep);

}  // namespace wgf
