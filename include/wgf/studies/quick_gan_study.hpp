#pragma once
// The quick study's trained-GAN part (protocol quick-gan, docs/design.md §7.4): the paper's
// stability claim — D unstable without the stabiliser, stable for ε ≥ ε* — tested on growth
// rates measured in trained networks instead of on what training happens to show.
//
// For every seed a short GAN is trained (Adam, the protocol's loss, no stabiliser); from its
// final D, with the fake batch drawn from its final G, `wgf growth`'s measurement runs at every
// ratio ε/ε*_shells of the grid. Each measurement gives three verdicts per run:
//   predicted (free)     some shell's free-particle rate > 0 — the paper's theory;
//   predicted (tangent)  some shell's tangent-kernel interval lies above 0;
//   observed             some shell's measured interval lies above 0;
// and the summary sets each prediction against the observation with its baselines.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "wgf/analysis/agreement.hpp"
#include "wgf/protocol.hpp"
#include "wgf/studies/growth_study.hpp"

namespace wgf {

struct QuickGanRules {
  std::string growth_protocol;  // the name of the run rules' protocol file (without .txt)
  std::string data, loss, stabilizer;
  std::vector<std::uint64_t> seeds;
  std::vector<double> eps_ratios;
  long train_iterations = 0, train_batch = 0;
  std::vector<int> g_hidden, d_hidden;
  int df = 0;
  double lr = 0, softening = 0, confidence = 0;
  // InputError for another name, an unknown key, or a rule this code does not implement.
  static QuickGanRules from(const Protocol& protocol);
};

struct QuickGanRun {
  std::uint64_t seed = 0;
  double eps_ratio = 0;
  std::string checkpoint;  // the GAN's `wgf train` file
  GrowthResult growth;
  bool predicted_free = false, predicted_tangent = false, observed = false;  // true: unstable
};

// The verdicts of one measurement (the protocol's three rules).
bool free_predicts_unstable(const GrowthResult& r);
bool tangent_predicts_unstable(const GrowthResult& r);
bool observed_unstable(const GrowthResult& r);

// Trains the seeds' GANs into `run_folder` (seed_S.h5; replaced when `force`), then measures
// every seed × ratio. `progress` (may be empty) hears each finished step as a line of text.
std::vector<QuickGanRun> run_quick_gan_study(const QuickGanRules& rules, const GrowthRules& growth,
                                             const std::string& run_folder, bool force,
                                             const std::function<void(const std::string&)>& progress);

// The agreements of the summary: per prediction, over all runs and over runs with ε > 0.
struct QuickGanAgreement {
  AgreementSummary free_all, tangent_all, free_stabilised, tangent_stabilised;
};
QuickGanAgreement summarise_quick_gan(const std::vector<QuickGanRun>& runs, double confidence);

}  // namespace wgf
