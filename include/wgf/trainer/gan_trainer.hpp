#pragma once
// A whole `wgf train` run (docs/design.md §3, §4): the common training loop on the host, one
// backend doing the arithmetic, metrics and snapshots at their intervals, HDF5 out.
//
// Reproducibility: every random number comes from streams of one seed (parameter
// initialisation, training batches, evaluation latents and held-out samples each have their
// own), so the same command line on the same thread count writes the same numbers. An
// iteration is n_critic discriminator steps and one generator step.
#include <cstdint>
#include <string>
#include <vector>

#include "wgf/dynamics.hpp"
#include "wgf/trainer/gan_backend.hpp"
#include "wgf/trainer/metrics.hpp"
#include "wgf/trainer/training_method.hpp"

namespace wgf {

// The MMD GAN literature's common default: Gaussians with σ ∈ {1, 2, 4, 8, 16}.
extern const char* const kDefaultTrainingLoss;

struct TrainingConfig {
  std::string data = "ring8";
  std::string loss = kDefaultTrainingLoss;
  std::string stabilizer;
  double eps = 0;
  std::string device = "cpu";
  TrainingMethod method;  // critic and generator update (training_method.hpp); default: original
  long iterations = 2000;
  std::uint64_t seed = 0;

  // Widths that trained ring8 well in the sweeps behind tests/test_trainer_training.cpp.
  std::vector<int> generator_hidden = {128, 128, 128};
  std::vector<int> discriminator_hidden = {128};
  std::string generator_activation = "relu";
  std::string discriminator_activation = "leaky_relu";
  std::string generator_output = "identity";
  int latent_dim = 2;    // dz
  int feature_dim = 16;  // df
  long batch = 256;
  AdamSettings generator_adam, discriminator_adam;
  int n_critic = 1;
  std::string lr_schedule = "constant";  // constant | linear (decays to 0 at the last iteration)
  std::string estimator = "v";
  double softening = 1e-3;

  long log_every = 10;       // losses
  long metrics_every = 100;  // metrics (also at iteration 0 and at the end)
  long snapshot_every = 0;   // 0: iteration 0 and the end only
  long snapshot_rows = 0;     // 0: 512, or the evaluation samples if fewer; else ≤ metrics.rows
  MetricsConfig metrics;     // metrics.rows: evaluation samples per side

  int threads = 1;  // recorded; the caller sets OpenMP's thread count
  std::string out;
  bool force = false;
  bool quiet = false;
  std::string command_line;
};

struct TrainingOutcome {
  std::string status;  // completed | interrupted | diverged (a loss turned NaN or infinite)
  long iterations = 0;
  double seconds = 0;
  StepLosses losses;
  std::vector<std::string> metric_names;
  std::vector<double> final_metrics;
  double metric(const std::string& name) const;  // NaN when absent
};

// Validates everything (InputError) before the output file is created.
TrainingOutcome run_training(const TrainingConfig& config);

// The dynamics the run plays (docs/design.md §1.2, §1.6): e = --loss, s = --stabilizer, ε, the
// discriminator role in feature space. G descends E_e, D ascends E_{e−εs} with
// e − εs = discriminator_kernel(); ε was checked by Dynamics::validate_eps.
Dynamics training_dynamics(const TrainingConfig& config);

// The backend's view of a validated configuration, for a data dimension dx: its kernels are
// training_dynamics(config)'s.
GanSetup make_gan_setup(const TrainingConfig& config, int dx);

}  // namespace wgf
