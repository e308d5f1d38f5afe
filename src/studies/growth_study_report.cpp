#include "wgf/netcdf_variables.hpp"
#include "wgf/studies/growth_study_report.hpp"

#include <cmath>
#include <iomanip>
#include <sstream>

namespace wgf {

void write_growth_group(OutputFile& file, const std::string& group, const GrowthResult& r) {
  const hid_t g = file.group(group);
  write_attribute(g, "note",
                  std::string("rates in flow time (one SGD step = time_step): measured from the SGD "
                              "trajectory, predicted_free = the free-particle rate at rho_eff, "
                              "predicted_tangent = the tangent-kernel linearisation fitted the same way"));
  write_attribute(g, "network", r.network);
  write_attribute(g, "parameters", r.parameters);
  write_attribute(g, "rho_eff", r.rho_eff);
  write_attribute(g, "cloud_radius", r.cloud_radius);
  write_attribute(g, "learning_rate", r.learning_rate);
  write_attribute(g, "time_step", r.time_step);
  write_attribute(g, "steps", r.steps);
  write_attribute(g, "stop_reason", r.stop_reason);
  write_attribute(g, "final_phase", r.final_phase);
  write_attribute(g, "eps", r.eps);
  // ε*_shells (NaN without a stabiliser): from it on, (a) is ≤ 0 on every shell.
  write_attribute(g, "eps_critical_shells", r.eps_critical);
  const hsize_t K = r.xi.size(), T = r.times.size();
  std::vector<double> ci, tangent_ci;
  for (hsize_t k = 0; k < K; ++k) {
    ci.insert(ci.end(), {r.ci_low[k], r.ci_high[k]});
    tangent_ci.insert(tangent_ci.end(), {r.tangent_ci_low[k], r.tangent_ci_high[k]});
  }
  write_variable(g, "xi", r.xi, {K}, {{"xi"}, "1", "feature wave number |xi| of each shell"});
  write_variable(g, "measured_rate", r.measured, {K},
                 {{"xi"}, "1", "growth rate measured on the SGD trajectory (flow time)"});
  write_variable(g, "measured_rate_ci", ci, {K, 2},
                 {{"xi", "bound"}, "1", "confidence interval (low, high) of the measured rate"});
  write_variable(g, "predicted_free", r.predicted_free, {K},
                 {{"xi"}, "1", "free-particle growth rate at rho_eff"});
  write_variable(g, "predicted_tangent", r.predicted_tangent, {K},
                 {{"xi"}, "1", "tangent-kernel growth rate, fitted as the measured one"});
  write_variable(g, "predicted_tangent_ci", tangent_ci, {K, 2},
                 {{"xi", "bound"}, "1", "confidence interval (low, high) of the tangent-kernel rate"});
  write_variable(g, "resolved", r.resolved, {K},
                 {{"xi"}, "1", "1 where the measured rate is resolved above noise, else 0"});
  write_variable(g, "time", r.times, {T}, {{"time"}, "1", "flow time of each power sample"});
  write_variable(g, "power_measured", r.power_measured, {T, K},
                 {{"time", "xi"}, "1", "feature-density power on each shell, measured"});
  write_variable(g, "power_tangent", r.power_tangent, {T, K},
                 {{"time", "xi"}, "1", "feature-density power on each shell, tangent-kernel run"});
}

std::string growth_summary_table(const GrowthResult& r, double confidence) {
  std::ostringstream out;
  out << std::setprecision(3) << "D = " << r.network << " (" << r.parameters << " parameters), "
      << r.steps << " SGD steps (stop: " << r.stop_reason << "), rho_eff " << r.rho_eff
      << ", cloud radius " << r.cloud_radius << ".\n\n"
      << "| \\|xi\\| | measured [" << std::lround(100 * confidence)
      << " % bootstrap] | free particles (a) | tangent kernel (b) | (a)/measured | (b)/measured | resolved |\n"
      << "|---|---|---|---|---|---|---|\n";
  for (std::size_t k = 0; k < r.xi.size(); ++k)
    out << "| " << r.xi[k] << " | " << r.measured[k] << " [" << r.ci_low[k] << ", " << r.ci_high[k]
        << "] | " << r.predicted_free[k] << " | " << r.predicted_tangent[k] << " | "
        << r.predicted_free[k] / r.measured[k] << " | " << r.predicted_tangent[k] / r.measured[k]
        << " | " << (r.resolved[k] ? "yes" : "no") << " |\n";
  return out.str();
}

}  // namespace wgf
