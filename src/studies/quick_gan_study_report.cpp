#include "wgf/netcdf_variables.hpp"
#include "wgf/studies/quick_gan_study_report.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "wgf/studies/growth_study_report.hpp"

namespace wgf {

namespace {

long as_flag(bool b) { return b ? 1 : 0; }

// The shell with the largest measured rate, the run's headline number.
std::size_t fastest_shell(const GrowthResult& g) {
  return static_cast<std::size_t>(std::max_element(g.measured.begin(), g.measured.end()) - g.measured.begin());
}

std::string pct(double x) { return std::to_string(static_cast<int>(std::lround(100 * x))) + " %"; }

std::string agreement_line(const std::string& title, const AgreementSummary& a, double confidence) {
  std::ostringstream out;
  const std::string level = std::to_string(std::lround(100 * confidence)) + " %";
  out << "- " << title << ": " << a.agree << "/" << a.runs << " = "
      << pct(a.runs ? double(a.agree) / a.runs : 0.0) << " [Wilson " << level << ": "
      << pct(a.agree_interval.low) << ", " << pct(a.agree_interval.high) << "]; always unstable "
      << a.always_unstable_agree << "/" << a.runs << ", always stable " << a.always_stable_agree << "/"
      << a.runs << "; exact McNemar against always "
      << (a.better_baseline_unstable ? "unstable" : "stable") << ": p = " << std::setprecision(2)
      << a.mcnemar_p << " (" << a.model_only << " runs only the prediction gets right, "
      << a.baseline_only << " only the baseline).\n";
  return out.str();
}

}  // namespace

void write_quick_gan_study(OutputFile& file, const Protocol& protocol,
                           const std::vector<QuickGanRun>& runs) {
  const hid_t g = file.group("/quick_gan");
  protocol.write_attributes(g);
  write_attribute(g, "note",
                  std::string("per run (seed x eps/eps*_shells): 1 = unstable. predicted_free: some "
                              "shell's free-particle rate > 0; predicted_tangent: some shell's "
                              "tangent-kernel interval above 0; observed: some shell's measured "
                              "interval above 0. run_I holds measurement I (wgf growth's layout)"));
  const hsize_t R = runs.size();
  std::vector<long> seed, free, tangent, observed;
  std::vector<double> ratio, eps, critical, fastest, fastest_low, fastest_high;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const QuickGanRun& r = runs[i];
    seed.push_back(static_cast<long>(r.seed));
    ratio.push_back(r.eps_ratio);
    eps.push_back(r.growth.eps);
    critical.push_back(r.growth.eps_critical);
    free.push_back(as_flag(r.predicted_free));
    tangent.push_back(as_flag(r.predicted_tangent));
    observed.push_back(as_flag(r.observed));
    const std::size_t k = fastest_shell(r.growth);
    fastest.push_back(r.growth.measured[k]);
    fastest_low.push_back(r.growth.ci_low[k]);
    fastest_high.push_back(r.growth.ci_high[k]);
    write_growth_group(file, "/quick_gan/run_" + std::to_string(i), r.growth);
  }
  // One row per run: the index coordinate `run` (run_I is row I).
  const std::vector<std::string> per_run{"run"};
  write_variable(g, "seed", seed, {R}, {per_run, "1", "training seed"});
  write_variable(g, "eps_ratio", ratio, {R}, {per_run, "1", "eps / eps*_shells"});
  write_variable(g, "eps", eps, {R}, {per_run, "1", "stabiliser weight eps"});
  write_variable(g, "eps_critical_shells", critical, {R},
                 {per_run, "1", "critical eps*_shells of the run's feature shells"});
  write_variable(g, "predicted_free", free, {R},
                 {per_run, "1", "1 = unstable by the free-particle rate"});
  write_variable(g, "predicted_tangent", tangent, {R},
                 {per_run, "1", "1 = unstable by the tangent-kernel rate"});
  write_variable(g, "observed", observed, {R}, {per_run, "1", "1 = growth observed"});
  write_variable(g, "largest_measured_rate", fastest, {R},
                 {per_run, "1", "measured rate of the fastest-growing shell"});
  write_variable(g, "largest_measured_rate_ci_low", fastest_low, {R},
                 {per_run, "1", "lower confidence bound of largest_measured_rate"});
  write_variable(g, "largest_measured_rate_ci_high", fastest_high, {R},
                 {per_run, "1", "upper confidence bound of largest_measured_rate"});
}

std::string quick_gan_summary(const Protocol& protocol, const QuickGanRules& rules,
                              const std::vector<QuickGanRun>& runs) {
  std::ostringstream out;
  out << "## The stability claim on trained GANs (protocol " << protocol.label() << ", sha256 "
      << protocol.sha256().substr(0, 12) << "…)\n\n"
      << "One GAN per seed (" << rules.data << ", loss " << rules.loss << ", "
      << rules.train_iterations << " Adam iterations, no stabiliser); from its final D and G, D "
      << "alone ascends E_{e−εs} by plain SGD (protocol " << rules.growth_protocol << "), s = "
      << rules.stabilizer << ", at ε = ratio × ε*_shells (ε*_shells: from it on the paper's "
      << "free-particle rate is ≤ 0 on every shell). Unstable = some shell's interval above 0 "
      << "(measured: observed; tangent kernel: predicted), or some shell's free-particle rate > 0 "
      << "(the paper's prediction).\n\n"
      << "| seed | eps/eps* | eps | eps*_shells | largest measured rate [interval] | predicted (free) | predicted (tangent) | observed |\n"
      << "|---|---|---|---|---|---|---|---|\n";
  const auto word = [](bool unstable) { return unstable ? "unstable" : "stable"; };
  for (const auto& r : runs) {
    const std::size_t k = fastest_shell(r.growth);
    out << std::setprecision(3) << "| " << r.seed << " | " << r.eps_ratio << " | " << r.growth.eps
        << " | " << r.growth.eps_critical << " | " << r.growth.measured[k] << " [" << r.growth.ci_low[k]
        << ", " << r.growth.ci_high[k] << "] at |xi| " << r.growth.xi[k] << " | "
        << word(r.predicted_free) << " | " << word(r.predicted_tangent) << " | " << word(r.observed)
        << " |\n";
  }
  out << "\nObserved unstable per ratio:";
  for (double ratio : rules.eps_ratios) {
    long unstable = 0, total = 0;
    for (const auto& r : runs)
      if (r.eps_ratio == ratio) {
        ++total;
        unstable += r.observed ? 1 : 0;
      }
    const Interval w = wilson_interval(unstable, total, rules.confidence);
    out << (ratio == rules.eps_ratios.front() ? " " : "; ") << "eps/eps* " << ratio << ": "
        << unstable << "/" << total << " [Wilson " << pct(w.low) << ", " << pct(w.high) << "]";
  }
  out << ".\n\nStatistics (docs/design.md §7.3):\n";
  const QuickGanAgreement a = summarise_quick_gan(runs, rules.confidence);
  out << agreement_line("the paper's prediction (free particles), all runs", a.free_all, rules.confidence)
      << agreement_line("the paper's prediction (free particles), runs with eps > 0", a.free_stabilised, rules.confidence)
      << agreement_line("the tangent-kernel prediction, all runs", a.tangent_all, rules.confidence)
      << agreement_line("the tangent-kernel prediction, runs with eps > 0", a.tangent_stabilised, rules.confidence);
  std::vector<double> ratios;
  std::vector<bool> observed;
  for (const auto& r : runs)
    if (r.eps_ratio > 0) {
      ratios.push_back(r.eps_ratio);
      observed.push_back(r.observed);
    }
  if (ratios.size() >= 2) {
    const TransitionFit t = fit_transition(ratios, observed, 500, 23, rules.confidence);
    out << "- observed transition (logistic in ln ε, runs with eps > 0): eps50/eps* = "
        << std::setprecision(3) << t.eps50 << " [bootstrap: " << t.eps50_interval.low << ", "
        << t.eps50_interval.high << "]" << (t.separated ? " (separated: eps50 between the bracketing ratios)" : "")
        << "; the paper puts it at 1.\n";
  }
  return out.str();
}

}  // namespace wgf
