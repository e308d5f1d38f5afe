#include "wgf/studies/gan_study_report.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <map>
#include <sstream>

#include "wgf/analysis/agreement.hpp"

namespace wgf::cli {

namespace {

std::string widths(const std::vector<int>& w) {
  std::string text;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (i) text += "x";
    text += std::to_string(w[i]);
  }
  return text.empty() ? "none" : text;
}

double median(std::vector<double> v) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? std::nan("") : s / v.size();
}

std::string percent(const Agreement& a) {
  std::ostringstream out;
  out << a.agree << "/" << a.total << " (" << std::fixed << std::setprecision(0)
      << 100 * a.rate() << " %)";
  return out.str();
}

// The runs of one sweep at one ε ratio.
std::vector<const GanRunResult*> cell(const std::vector<GanRunResult>& runs, std::size_t sweep,
                                      double ratio) {
  std::vector<const GanRunResult*> out;
  for (const auto& r : runs)
    if (r.sweep == sweep && r.eps_ratio == ratio) out.push_back(&r);
  return out;
}

}  // namespace


namespace {

// The agreement against its trivial baselines (docs/design.md §7.3): Wilson intervals, the exact
// McNemar test against the better of always-unstable and always-stable, the same without the
// ε = 0 runs (they say nothing about the stabiliser), and per sweep the observed transition in ε
// (logistic in ln ε, bootstrap interval) beside the predicted ε*_band.
std::string agreement_statistics(const std::vector<GanSweep>& sweeps,
                                 const std::vector<GanRunResult>& runs) {
  std::ostringstream out;
  auto line = [&](const char* title, bool with_zero) {
    std::vector<bool> predicted, observed;
    for (const auto& r : runs)
      if (with_zero || r.eps > 0) {
        predicted.push_back(r.prediction.unstable);
        observed.push_back(r.observation.unstable);
      }
    if (predicted.empty()) return;
    const AgreementSummary a = summarise_agreement(predicted, observed);
    const auto pct = [](double x) { return std::to_string(static_cast<int>(std::lround(100 * x))) + " %"; };
    out << "- " << title << ": theory " << a.agree << "/" << a.runs << " = "
        << pct(double(a.agree) / a.runs) << " [Wilson 95 %: " << pct(a.agree_interval.low) << ", "
        << pct(a.agree_interval.high) << "]; always unstable " << a.always_unstable_agree << "/"
        << a.runs << ", always stable " << a.always_stable_agree << "/" << a.runs
        << "; exact McNemar against always " << (a.better_baseline_unstable ? "unstable" : "stable")
        << ": p = " << std::setprecision(2) << a.mcnemar_p << " (" << a.model_only
        << " runs only the theory gets right, " << a.baseline_only << " only the baseline).\n";
  };
  out << "\nStatistics (docs/design.md §7.3):\n";
  line("all runs", true);
  line("runs with eps > 0", false);
  for (std::size_t w = 0; w < sweeps.size(); ++w) {
    std::vector<double> eps, band;
    std::vector<bool> observed;
    for (const auto& r : runs)
      if (r.sweep == w && r.eps > 0) {
        eps.push_back(r.eps);
        observed.push_back(r.observation.unstable);
        band.push_back(r.prediction.band_critical_eps);
      }
    if (eps.size() < 2) continue;
    const TransitionFit t = fit_transition(eps, observed, 500, 17 + w);
    out << "- " << sweeps[w].data << ", " << sweeps[w].loss_name << ", " << sweeps[w].family
        << ": observed transition eps50 = " << std::setprecision(3) << t.eps50 << " [bootstrap 95 %: "
        << t.eps50_interval.low << ", " << t.eps50_interval.high << "]"
        << (t.separated ? " (separated: no run overlap, eps50 between the bracketing eps)" : "")
        << ", predicted eps*_band = " << mean(band) << "\n";
  }
  return out.str();
}

}  // namespace

std::string gan_summary_table(const std::vector<GanSweep>& sweeps,
                              const std::vector<GanRunResult>& runs,
                              const GanStudyConfig& config, const std::string& device) {
  const TrainingConfig& t = config.training;
  std::ostringstream out;
  out << "## Trained GANs: predicted vs observed stability per eps\n\n"
      << t.iterations << " iterations, batch " << t.batch << ", G " << widths(t.generator_hidden)
      << ", D " << widths(t.discriminator_hidden) << " -> df = " << t.feature_dim << ", Adam lr "
      << t.generator_adam.lr << ", " << config.seeds.size() << " seed(s), on " << device
      << ". Stabiliser width " << config.stabilizer_width
      << " l0 (l0: pooled std of D's real features at initialisation); eps in units of "
         "eps*_band, the critical eps over the band the feature cloud resolves "
         "(|xi| from 2 pi/(" << config.band.box << " l0) to " << config.band.harmonics
      << "x that). Predicted unstable: eps < eps*_band. Observed unstable: diverged, features "
         "exploded or collapsed (std x/÷ " << config.rules.spread_factor << "), or D holds a "
         "positive energy (mean loss_d over the second half >= " << config.rules.positive_energy_z
      << " standard errors above 0: U-statistic estimates of E_{e - eps s}), or the structure "
         "factor at the predicted most unstable |xi| (in units of the cloud's current size) grew by >= "
      << config.rules.structure_growth
      << "x (mean of the last third of the metric rows over iteration 0). S fixed: the same at "
         "the fixed |xi|.\n\n"
      << "| data | loss | stabiliser | eps/eps* | eps | predicted | observed unstable | "
         "loss_d mean (z) | S late/initial | S fixed | loss osc. | modes | HQ | MMD | agree |\n"
      << "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (std::size_t w = 0; w < sweeps.size(); ++w) {
    const GanSweep& s = sweeps[w];
    for (double ratio : s.eps_ratios) {
      const auto rows = cell(runs, w, ratio);
      if (rows.empty()) continue;
      std::vector<double> eps, loss_mean, loss_z, structure, fixed, oscillation, modes, hq, mmd;
      long unstable = 0, agree = 0, predicted = 0;
      for (const GanRunResult* r : rows) {
        eps.push_back(r->eps);
        loss_mean.push_back(r->observation.loss_mean);
        loss_z.push_back(r->observation.loss_mean_z);
        structure.push_back(r->observation.structure_ratio);
        fixed.push_back(r->observation.structure_ratio_fixed);
        oscillation.push_back(r->observation.loss_oscillation);
        modes.push_back(r->observation.modes_covered);
        hq.push_back(r->observation.high_quality_fraction);
        mmd.push_back(r->observation.mmd);
        unstable += r->observation.unstable;
        agree += r->agree;
        predicted += r->prediction.unstable;
      }
      const long n = static_cast<long>(rows.size());
      out << std::setprecision(3) << "| " << s.data << " | " << s.loss_name << " | " << s.family
          << " | " << ratio << " | " << mean(eps) << " | "
          << (predicted == n ? "unstable" : predicted == 0 ? "stable" : "mixed") << " | "
          << unstable << "/" << n << " | " << median(loss_mean) << " (" << std::setprecision(2)
          << median(loss_z) << ") | " << std::setprecision(3) << median(structure) << " | " << median(fixed) << " | "
          << std::setprecision(2) << median(oscillation) << " | " << mean(modes) << " | "
          << mean(hq) << " | " << std::setprecision(3) << mean(mmd) << " | " << agree << "/" << n
          << " |\n";
    }
  }

  out << "\n| data | loss | stabiliser | eps*_band (mean) | eps* (all xi) | agreement | "
         "best quality at eps/eps* |\n|---|---|---|---|---|---|---|\n";
  for (std::size_t w = 0; w < sweeps.size(); ++w) {
    const GanSweep& s = sweeps[w];
    std::vector<double> band;
    std::string global;
    for (const auto& r : runs)
      if (r.sweep == w) {
        band.push_back(r.prediction.band_critical_eps);
        std::ostringstream g;
        if (std::isinf(r.prediction.critical_eps))
          g << "inf";
        else
          g << std::setprecision(3) << r.prediction.critical_eps;
        global = g.str();
      }
    if (band.empty()) continue;
    out << std::setprecision(3) << "| " << s.data << " | " << s.loss_name << " | " << s.family
        << " | " << mean(band) << " | " << global << " | "
        << percent(agreement(runs, [&](const GanRunResult& r) { return r.sweep == w; }))
        << " | " << best_quality_ratio(runs, w) << " |\n";
  }

  const auto all = agreement(runs, [](const GanRunResult&) { return true; });
  const auto unstable_side =
      agreement(runs, [](const GanRunResult& r) { return r.prediction.unstable; });
  const auto stable_side =
      agreement(runs, [](const GanRunResult& r) { return !r.prediction.unstable; });
  out << "\nAgreement over all " << all.total << " runs: " << percent(all)
      << "; predicted unstable and observed unstable: " << percent(unstable_side)
      << "; predicted stable and observed stable: " << percent(stable_side) << ".\n";
  out << agreement_statistics(sweeps, runs);
  std::map<double, std::vector<double>> quality;
  for (const auto& r : runs) quality[r.eps_ratio].push_back(r.observation.high_quality_fraction);
  out << "\nHigh-quality fraction by eps/eps*_band, mean over all sweeps and seeds:";
  for (const auto& [ratio, values] : quality)
    out << " " << ratio << ": " << std::setprecision(3) << mean(values) << ";";
  out << "\n";
  return out.str();
}

void write_gan_study(OutputFile& file, const std::vector<GanSweep>& sweeps,
                     const std::vector<GanRunResult>& runs, const GanStudyConfig& config) {
  const hid_t group = file.group("/gan");
  const TrainingConfig& t = config.training;
  write_attribute(group, "iters", t.iterations);
  write_attribute(group, "batch", t.batch);
  write_attribute(group, "df", static_cast<long>(t.feature_dim));
  write_attribute(group, "g_hidden", widths(t.generator_hidden));
  write_attribute(group, "d_hidden", widths(t.discriminator_hidden));
  write_attribute(group, "lr", t.generator_adam.lr);
  write_attribute(group, "metrics_every", t.metrics_every);
  write_attribute(group, "eval_samples", t.metrics.rows);
  write_attribute(group, "band_box", config.band.box);
  write_attribute(group, "band_harmonics", static_cast<long>(config.band.harmonics));
  write_attribute(group, "band_samples", static_cast<long>(config.band.samples));
  write_attribute(group, "seeds", std::vector<long>(config.seeds.begin(), config.seeds.end()));
  write_attribute(group, "stabilizer_width", config.stabilizer_width);
  write_attribute(group, "rq_alpha", config.rq_alpha);
  write_attribute(group, "rule_structure_growth", config.rules.structure_growth);
  write_attribute(group, "rule_spread_factor", config.rules.spread_factor);
  write_attribute(group, "rule_positive_energy_z", config.rules.positive_energy_z);
  write_attribute(group, "estimator", t.estimator);
  write_attribute(group, "lr_schedule", t.lr_schedule);
  write_attribute(group, "run_folder", config.run_folder);
  for (std::size_t w = 0; w < sweeps.size(); ++w) {
    const hid_t g = file.group("/gan/sweep_" + std::to_string(w));
    write_attribute(g, "data", sweeps[w].data);
    write_attribute(g, "loss_name", sweeps[w].loss_name);
    write_attribute(g, "loss", sweeps[w].loss);
    write_attribute(g, "family", sweeps[w].family);
    write_attribute(g, "eps_ratios", sweeps[w].eps_ratios);
    write_attribute(g, "agreement",
                    agreement(runs, [&](const GanRunResult& r) { return r.sweep == w; }).rate());
    write_attribute(g, "best_quality_eps_ratio", best_quality_ratio(runs, w));
  }
  // One row per run, one dataset per column: easy to load as a table.
  const std::pair<const char*, double (*)(const GanRunResult&)> columns[] = {
      {"sweep", [](const GanRunResult& r) { return double(r.sweep); }},
      {"seed", [](const GanRunResult& r) { return double(r.seed); }},
      {"eps_ratio", [](const GanRunResult& r) { return r.eps_ratio; }},
      {"eps", [](const GanRunResult& r) { return r.eps; }},
      {"feature_std", [](const GanRunResult& r) { return r.prediction.feature_std; }},
      {"rho0", [](const GanRunResult& r) { return r.prediction.rho0; }},
      {"xi_lo", [](const GanRunResult& r) { return r.prediction.xi_lo; }},
      {"xi_hi", [](const GanRunResult& r) { return r.prediction.xi_hi; }},
      {"critical_eps", [](const GanRunResult& r) { return r.prediction.critical_eps; }},
      {"band_critical_eps", [](const GanRunResult& r) { return r.prediction.band_critical_eps; }},
      {"max_growth", [](const GanRunResult& r) { return r.prediction.max_growth; }},
      {"argmax_xi", [](const GanRunResult& r) { return r.prediction.argmax_xi; }},
      {"predicted_unstable", [](const GanRunResult& r) { return double(r.prediction.unstable); }},
      {"structure_ratio", [](const GanRunResult& r) { return r.observation.structure_ratio; }},
      {"structure_ratio_fixed",
       [](const GanRunResult& r) { return r.observation.structure_ratio_fixed; }},
      {"loss_mean", [](const GanRunResult& r) { return r.observation.loss_mean; }},
      {"loss_mean_z", [](const GanRunResult& r) { return r.observation.loss_mean_z; }},
      {"loss_oscillation", [](const GanRunResult& r) { return r.observation.loss_oscillation; }},
      {"spread_ratio", [](const GanRunResult& r) { return r.observation.spread_ratio; }},
      {"diverged", [](const GanRunResult& r) { return double(r.observation.diverged); }},
      {"observed_unstable", [](const GanRunResult& r) { return double(r.observation.unstable); }},
      {"modes_covered", [](const GanRunResult& r) { return r.observation.modes_covered; }},
      {"high_quality_fraction",
       [](const GanRunResult& r) { return r.observation.high_quality_fraction; }},
      {"mmd", [](const GanRunResult& r) { return r.observation.mmd; }},
      {"agree", [](const GanRunResult& r) { return double(r.agree); }},
      {"seconds", [](const GanRunResult& r) { return r.seconds; }},
  };
  const hid_t table = file.group("/gan/runs");
  for (const auto& [name, value] : columns) {
    std::vector<double> column;
    for (const auto& r : runs) column.push_back(value(r));
    write_dataset(table, name, column, {runs.size()});
  }
  std::string files, stabilizers, reasons;
  for (const auto& r : runs) {
    files += r.run_file + "\n";
    stabilizers += r.stabilizer + "\n";
    reasons += r.observation.reason + "\n";
  }
  write_attribute(table, "run_files", files);
  write_attribute(table, "stabilizers", stabilizers);
  write_attribute(table, "observation_reasons", reasons);
  write_attribute(group, "agreement",
                  agreement(runs, [](const GanRunResult&) { return true; }).rate());
}

}  // namespace wgf::cli
