#include "wgf/studies/quick_gan_study.hpp"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <sstream>

#include <omp.h>

#include "wgf/errors.hpp"
#include "wgf/studies/side_by_side.hpp"
#include "wgf/trainer/gan_trainer.hpp"

namespace wgf {

QuickGanRules QuickGanRules::from(const Protocol& p) {
  p.require_name("quick-gan");
  p.allow_only({"name", "version", "description", "growth_protocol", "data", "loss", "seeds",
                "train_iterations", "train_batch", "train_g_hidden", "train_d_hidden", "train_df",
                "train_lr", "train_softening", "stabilizer", "eps_ratios", "prediction_free",
                "prediction_tangent", "observation", "confidence"});
  const std::string where = "protocol " + p.origin() + ": ";
  // The verdict rules are implemented here, one each; the file names them so that a reader of
  // the protocol alone knows them, and a file asking for another is refused.
  const auto require = [&](const std::string& key, const std::string& value) {
    if (p.string(key) != value)
      throw InputError(where + key + " must be " + value + ", not '" + p.string(key) + "'");
  };
  require("prediction_free", "some_shell_rate_positive");
  require("prediction_tangent", "some_shell_interval_above_zero");
  require("observation", "some_shell_interval_above_zero");
  QuickGanRules r;
  r.growth_protocol = p.string("growth_protocol");
  r.data = p.string("data");
  r.loss = p.string("loss");
  r.stabilizer = p.string("stabilizer");
  for (long s : p.integers("seeds")) {
    if (s < 0) throw InputError(where + "seeds must be ≥ 0");
    r.seeds.push_back(static_cast<std::uint64_t>(s));
  }
  r.eps_ratios = p.numbers("eps_ratios");
  r.train_iterations = p.integer("train_iterations");
  r.train_batch = p.integer("train_batch");
  for (long w : p.integers("train_g_hidden")) r.g_hidden.push_back(static_cast<int>(w));
  for (long w : p.integers("train_d_hidden")) r.d_hidden.push_back(static_cast<int>(w));
  r.df = static_cast<int>(p.integer("train_df"));
  r.lr = p.number("train_lr");
  r.softening = p.number("train_softening");
  r.confidence = p.number("confidence");
  if (r.seeds.empty() || r.eps_ratios.empty()) throw InputError(where + "seeds and eps_ratios must not be empty");
  for (double e : r.eps_ratios)
    if (!(e >= 0) || !std::isfinite(e)) throw InputError(where + "eps_ratios must be finite and ≥ 0");
  if (r.train_iterations < 1 || r.train_batch < 2 || r.df < 1)
    throw InputError(where + "train_iterations ≥ 1, train_batch ≥ 2 and train_df ≥ 1");
  if (!(r.confidence > 0 && r.confidence < 1)) throw InputError(where + "confidence must be in (0, 1)");
  return r;
}

namespace {
bool any_interval_above_zero(const std::vector<double>& low) {
  return std::any_of(low.begin(), low.end(), [](double x) { return x > 0; });
}
}  // namespace

bool free_predicts_unstable(const GrowthResult& r) {
  return std::any_of(r.predicted_free.begin(), r.predicted_free.end(), [](double x) { return x > 0; });
}
bool tangent_predicts_unstable(const GrowthResult& r) { return any_interval_above_zero(r.tangent_ci_low); }
bool observed_unstable(const GrowthResult& r) { return any_interval_above_zero(r.ci_low); }

std::vector<QuickGanRun> run_quick_gan_study(const QuickGanRules& rules, const GrowthRules& growth,
                                             const std::string& run_folder, bool force,
                                             const std::function<void(const std::string&)>& progress) {
  // The GANs one after the other (each writes its file as it trains, and HDF5 is serial here),
  // on the caller's OpenMP threads.
  std::vector<std::string> checkpoints;
  for (std::uint64_t seed : rules.seeds) {
    TrainingConfig t;
    t.data = rules.data;
    t.loss = rules.loss;
    t.seed = seed;
    t.iterations = rules.train_iterations;
    t.batch = rules.train_batch;
    t.generator_hidden = rules.g_hidden;
    t.discriminator_hidden = rules.d_hidden;
    t.feature_dim = rules.df;
    t.generator_adam.lr = t.discriminator_adam.lr = rules.lr;
    t.softening = rules.softening;
    t.metrics_every = rules.train_iterations;  // the start and the end: the checkpoint is the point
    t.threads = omp_get_max_threads();
    t.out = (std::filesystem::path(run_folder) / ("seed_" + std::to_string(seed) + ".h5")).string();
    t.force = force;
    t.quiet = true;
    t.command_line = "wgf validate (quick-gan: the GAN of seed " + std::to_string(seed) + ")";
    const TrainingOutcome trained = run_training(t);
    if (trained.status != "completed")
      throw std::runtime_error("the GAN of seed " + std::to_string(seed) + " did not complete (" +
                               trained.status + "): " + t.out);
    if (progress) progress("GAN seed " + std::to_string(seed) + " trained (" + t.out + ")");
    checkpoints.push_back(t.out);
  }

  // The measurements side by side, one per thread, each on one thread (a run's result does not
  // depend on how many run beside it). Exceptions are carried out of the parallel loop.
  std::vector<QuickGanRun> runs(rules.seeds.size() * rules.eps_ratios.size());
  run_side_by_side(static_cast<long>(runs.size()), [&](long i) {
    const std::size_t seed_index = static_cast<std::size_t>(i) / rules.eps_ratios.size();
    QuickGanRun& run = runs[static_cast<std::size_t>(i)];
    run.seed = rules.seeds[seed_index];
    run.eps_ratio = rules.eps_ratios[static_cast<std::size_t>(i) % rules.eps_ratios.size()];
    run.checkpoint = checkpoints[seed_index];
    GrowthSettings s;
    s.loss = rules.loss;
    s.stabilizer = rules.stabilizer;
    s.eps = run.eps_ratio;
    s.eps_in_critical_units = true;
    s.checkpoint = s.generator = run.checkpoint;
    s.seed = run.seed;
    run.growth = run_growth(s, growth);
    run.predicted_free = free_predicts_unstable(run.growth);
    run.predicted_tangent = tangent_predicts_unstable(run.growth);
    run.observed = observed_unstable(run.growth);
    if (!progress) return;
    std::ostringstream line;
    line << "  seed " << run.seed << ", eps/eps* " << run.eps_ratio << ": predicted "
         << (run.predicted_free ? "unstable" : "stable") << " (free), "
         << (run.predicted_tangent ? "unstable" : "stable") << " (tangent); observed "
         << (run.observed ? "unstable" : "stable");
    std::exception_ptr failure;
#pragma omp critical(wgf_progress)
    {
      try {  // (an exception may not leave a critical section)
        progress(line.str());
      } catch (...) {
        failure = std::current_exception();
      }
    }
    if (failure) std::rethrow_exception(failure);
  });
  return runs;
}

QuickGanAgreement summarise_quick_gan(const std::vector<QuickGanRun>& runs, double confidence) {
  QuickGanAgreement a;
  const auto summary = [&](bool tangent, bool stabilised_only) {
    std::vector<bool> predicted, observed;
    for (const auto& r : runs) {
      if (stabilised_only && !(r.eps_ratio > 0)) continue;
      predicted.push_back(tangent ? r.predicted_tangent : r.predicted_free);
      observed.push_back(r.observed);
    }
    return summarise_agreement(predicted, observed, confidence);
  };
  a.free_all = summary(false, false);
  a.tangent_all = summary(true, false);
  a.free_stabilised = summary(false, true);
  a.tangent_stabilised = summary(true, true);
  return a;
}

}  // namespace wgf
