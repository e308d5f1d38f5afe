#include "wgf/studies/gan_study.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <numbers>

#include "wgf/errors.hpp"

namespace wgf {

namespace {

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", v);
  return buffer;
}

std::string run_path(const GanStudyConfig& config, const std::string& stem) {
  return (std::filesystem::path(config.run_folder) / (stem + ".h5")).string();
}

// ℓ0 of one (data, seed): a training of 0 iterations evaluates D's initial features once.
double initial_feature_std(const GanStudyConfig& config, const GanSweep& sweep,
                           std::uint64_t seed) {
  TrainingConfig probe = config.training;
  probe.data = sweep.data;
  probe.loss = sweep.loss;
  probe.stabilizer.clear();
  probe.eps = 0;
  probe.seed = seed;
  probe.iterations = 0;
  probe.quiet = true;
  probe.force = true;  // a probe is a scratch file, rewritten by every study
  probe.out = run_path(config, "probe_" + sweep.data + "_s" + std::to_string(seed));
  const TrainingOutcome outcome = run_training(probe);
  return outcome.metric("feature_std_real");
}

}  // namespace

// The Gaussian mixture that trains ring8 (tests/test_trainer_training.cpp: the default widths
// 1…16 leave the modes blurred).
const char* const kStudyMmdLoss =
    "gaussian:sigma=0.25+gaussian:sigma=0.5+gaussian:sigma=1+gaussian:sigma=2+gaussian:sigma=4";

std::string stabilizer_for(const std::string& family, double length, double rq_alpha) {
  if (family == "gaussian") return "gaussian:sigma=" + number(length);
  if (family == "rq") return "rq:alpha=" + number(rq_alpha) + ",ell=" + number(length);
  throw InputError("stabiliser family '" + family + "': use gaussian or rq");
}

std::vector<std::vector<double>> structure_directions(int dim) {
  std::vector<std::vector<double>> directions;
  for (int a = 0; a < dim; ++a) {
    std::vector<double> v(dim, 0.0);
    v[a] = 1;
    directions.push_back(v);
  }
  const double h = 1 / std::sqrt(2.0);
  for (int a = 0; a < dim; ++a)
    for (int b = a + 1; b < dim; ++b)
      for (double sign : {1.0, -1.0}) {
        std::vector<double> v(dim, 0.0);
        v[a] = h;
        v[b] = sign * h;
        directions.push_back(v);
      }
  return directions;
}

std::vector<GanSweep> full_gan_sweeps(const std::vector<double>& eps_ratios) {
  std::vector<GanSweep> sweeps;
  const std::pair<const char*, std::string> losses[] = {
      {"mmd", kStudyMmdLoss}, {"energy", "energy"}, {"riesz", "riesz"}};
  for (const char* data : {"ring8", "grid25"})
    for (const auto& [name, loss] : losses)
      for (const char* family : {"gaussian", "rq"})
        sweeps.push_back({data, name, loss, family, eps_ratios});
  return sweeps;
}

std::vector<GanRunResult> run_gan_study(
    const GanStudyConfig& config, const std::vector<GanSweep>& sweeps,
    const std::function<void(const GanRunResult&, std::size_t, std::size_t)>& progress) {
  const FeatureBand& band = config.band;
  const int df = config.training.feature_dim;
  const auto directions = structure_directions(df);
  std::size_t total = 0;
  for (const auto& s : sweeps) total += s.eps_ratios.size() * config.seeds.size();

  std::map<std::pair<std::string, std::uint64_t>, double> initial_std;
  std::vector<GanRunResult> results;
  for (std::size_t w = 0; w < sweeps.size(); ++w) {
    const GanSweep& sweep = sweeps[w];
    for (std::uint64_t seed : config.seeds) {
      const auto key = std::make_pair(sweep.data, seed);
      if (!initial_std.count(key)) initial_std[key] = initial_feature_std(config, sweep, seed);
      const double ell = initial_std[key];
      const std::string stabilizer =
          stabilizer_for(sweep.family, config.stabilizer_width * ell, config.rq_alpha);
      const double critical = band_critical_eps(sweep.loss, stabilizer, df, ell, band);
      for (double ratio : sweep.eps_ratios) {
        GanRunResult run;
        run.sweep = w;
        run.seed = seed;
        run.eps_ratio = ratio;
        run.eps = ratio * critical;
        run.stabilizer = stabilizer;
        run.prediction = predict_feature_flow(sweep.loss, stabilizer, run.eps, df, ell, band);

        TrainingConfig c = config.training;
        c.data = sweep.data;
        c.loss = sweep.loss;
        c.stabilizer = stabilizer;
        c.eps = run.eps;
        c.seed = seed;
        c.quiet = true;
        c.force = config.force;
        c.metrics.structure_box = 2 * std::numbers::pi / (run.prediction.argmax_xi * ell);
        c.metrics.structure_harmonics = 1;
        c.metrics.structure_xi.clear();
        for (const auto& d : directions) {
          std::vector<double> xi(d);
          for (double& x : xi) x *= run.prediction.argmax_xi;
          c.metrics.structure_xi.push_back(xi);
        }
        c.out = run_path(config, sweep.data + "_" + sweep.loss_name + "_" + sweep.family + "_r" +
                                     number(ratio) + "_s" + std::to_string(seed));
        c.command_line = "wgf validate --study (run of " + sweep.loss_name + "/" + sweep.family +
                         " on " + sweep.data + ", eps = " + number(ratio) + " eps*_band)";
        run.run_file = c.out;
        const auto start = std::chrono::steady_clock::now();
        run_training(c);
        run.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        run.observation = observe(read_training_record(c.out), config.rules);
        run.agree = run.observation.unstable == run.prediction.unstable;
        results.push_back(run);
        if (progress) progress(results.back(), results.size(), total);
      }
    }
  }
  return results;
}

Agreement agreement(const std::vector<GanRunResult>& runs,
                    const std::function<bool(const GanRunResult&)>& which) {
  Agreement a;
  for (const auto& r : runs)
    if (which(r)) {
      ++a.total;
      a.agree += r.agree ? 1 : 0;
    }
  return a;
}

double best_quality_ratio(const std::vector<GanRunResult>& runs, std::size_t sweep) {
  struct Sum {
    double quality = 0, mmd = 0;
    long count = 0;
  };
  std::map<double, Sum> by_ratio;
  for (const auto& r : runs)
    if (r.sweep == sweep) {
      Sum& s = by_ratio[r.eps_ratio];
      s.quality += r.observation.high_quality_fraction;
      s.mmd += r.observation.mmd;
      ++s.count;
    }
  double best = std::nan(""), best_quality = -1, best_mmd = HUGE_VAL;
  for (const auto& [ratio, s] : by_ratio) {
    const double quality = s.quality / s.count, mmd = s.mmd / s.count;
    if (quality > best_quality || (quality == best_quality && mmd < best_mmd)) {
      best = ratio;
      best_quality = quality;
      best_mmd = mmd;
    }
  }
  return best;
}

}  // namespace wgf
