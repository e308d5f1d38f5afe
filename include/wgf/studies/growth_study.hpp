#pragma once
// `wgf growth` (docs/design.md §7.2): growth rates of the discriminator's feature-density
// perturbations measured in a real network, beside two predictions for the same run.
//
// Base state p = q: the fake batch is an independent draw of the data, so w = p − q of the
// features f = D(x) is sampling noise. D alone ascends the minibatch estimate of E_{e−εs} by
// plain SGD on the fixed batches (n fake, n real), θ ← θ + η ∇_θ E. With free particles
// (each feature its own parameter) a step moves a fake feature by η ∂E/∂f_i = (η/n) ∇δE/δp,
// the velocity of the flow ∂t p = −∇·(p ∇δE/δp) times η/n; so one step is flow time η/n and
// the protocol's `time_step` sets η = time_step × n. Rates are in that flow time.
//
//   measured   the SGD trajectory's rotation-averaged power on the shells, fitted;
//   free       λ_free(ξ) at the cloud's ρ_eff (free_particle_rate.hpp);
//   tangent    the feature dynamics linearised at the start, δf ← δf + η Θ (∇E + H δf) with
//              Θ = J Jᵀ the empirical tangent kernel at θ0 and H the estimator's Hessian in the
//              features at f0, observed and fitted exactly like the measurement.
#include <cstdint>
#include <string>
#include <vector>

#include "wgf/protocol.hpp"

namespace wgf {

// The rules of protocol `growth` (experiments/protocols/growth-v*.txt).
struct GrowthRules {
  long batch = 0;             // n fake = n real
  double time_step = 0;       // flow time per SGD step (η = time_step × batch)
  // When > 0, time_step is set per run instead: the first step moves the features by this RMS
  // phase at the largest |ξ| (a network's features move ~n× faster than free particles in flow
  // time, so no one time_step suits both). 0: time_step as given (version 1).
  double step_phase = 0;
  long max_steps = 0;
  long sample_every = 0;      // steps between power samples
  double stop_power_ratio = 0;  // stop once some shell's S(k) has grown this much
  // Stop once the features' RMS displacement times the largest |ξ| reaches this phase (radians):
  // beyond it neither Θ nor H of the start describes the run. 0: no such rule (version 1).
  double stop_phase = 0;
  std::vector<double> radii;  // |ξ| × cloud radius
  int directions = 0;
  int resamples = 0, block = 0;
  double confidence = 0;
  double density_bandwidth = 0;  // × cloud radius
  // What makes a shell resolved, one of two rules the protocol names (never both):
  // `resolved_ci_fraction = c`: its interval is no wider than c × the run's largest |rate|;
  // `resolved_rule = interval_excludes_zero`: its interval excludes 0 (the sign is determined).
  double resolved_ci_fraction = 0;
  bool resolved_excludes_zero = false;
  double softening = 0;
  std::string estimator;      // v | u
  std::string activation;     // D's hidden activation
  std::vector<int> d_hidden;  // D's default hidden widths
  int feature_dim = 0;        // default df

  static GrowthRules from(const Protocol& protocol);
};

struct GrowthSettings {
  std::string data = "gaussian2d";
  std::string loss = "gaussian:sigma=1";
  std::string stabilizer;  // empty: none
  double eps = 0;
  // When set, ε is given in units of the run's ε*_shells (GrowthResult::eps_critical): the run
  // plays eps × ε*_shells. The shells are known only once the features are, hence the flag.
  bool eps_in_critical_units = false;
  int feature_dim = 0;     // 0: the protocol's
  std::vector<int> d_hidden;
  bool hidden_given = false;
  std::string features = "network";  // network | free (each feature its own parameter)
  bool data_given = false;  // else a checkpoint's data, when there is one
  // A `wgf train` file: D starts from its final discriminator (its shape and df), and/or the
  // fake batch is drawn from its final generator instead of the data (then p ≠ q at the start:
  // w is the generator's error plus sampling noise).
  std::string checkpoint, generator;
  std::uint64_t seed = 1;
};

struct GrowthResult {
  std::vector<double> xi, measured, ci_low, ci_high, predicted_free, predicted_tangent;
  std::vector<long> resolved;
  std::vector<double> tangent_ci_low, tangent_ci_high;
  std::vector<double> times;
  std::vector<double> power_measured, power_tangent;  // T × K rotation averages
  double rho_eff = 0, cloud_radius = 0, learning_rate = 0, time_step = 0;
  // ε played, and ε*_shells = max over the shells of ê(ξ)/ŝ(ξ) (where ŝ > 0): the weight from
  // which the free-particle rate (a) is ≤ 0 on every shell; 0 when ê ≤ 0 on every shell,
  // +inf when ê > 0 where ŝ ≤ 0, NaN without a stabiliser.
  double eps = 0, eps_critical = 0;
  long steps = 0, parameters = 0;
  std::string stop_reason;  // "power", "phase" or "max_steps"
  double final_phase = 0;   // RMS displacement × largest |ξ| at the last step
  int feature_dim = 0;
  std::string network;  // "2-64-64-2 leaky_relu:slope=0.2" or "free particles"
  std::string data;     // the data spec used (--data, or the checkpoint's)
};

// Throws InputError for settings the protocol or the kernels reject.
GrowthResult run_growth(const GrowthSettings& settings, const GrowthRules& rules);

}  // namespace wgf
