#include "wgf/netcdf_variables.hpp"
#include "wgf/studies/particle_study_report.hpp"

#include <iomanip>
#include <sstream>

namespace wgf::cli {

std::string particle_summary_table(const std::vector<ParticleCaseResult>& results,
                                   const ParticleStudyConfig& config) {
  std::ostringstream out;
  out << "## Particle discriminator vs the spectral module\n\n"
      << config.particles << " particles per species, interaction modes |k| <= " << config.max_mode
      << ", modes 1.." << config.tracked_modes << " perturbed by " << config.amp
      << " (quiet start), box length " << config.length << ".\n\n"
      << "| kernel | stabiliser | eps | setting | eps* (box) | most unstable k | predicted | "
         "measured | rel. error | signs right |\n"
      << "|---|---|---|---|---|---|---|---|---|---|\n";
  out << std::setprecision(4);
  for (const auto& r : results) {
    int right = 0;
    for (const auto& m : r.modes) right += m.sign_right;
    out << "| " << r.setting.kernel << " | " << r.setting.stabilizer << " | " << r.setting.eps
        << " | " << r.setting.label << " | " << r.box_critical_eps << " | ";
    if (r.most_unstable_k > 0) {
      const auto& m = r.modes[r.most_unstable_k - 1];
      out << r.most_unstable_k << " | " << m.predicted << " | " << m.measured << " | "
          << std::scientific << std::setprecision(1) << r.most_unstable_error
          << std::defaultfloat << std::setprecision(4);
    } else {
      out << "none | | | ";
    }
    out << " | " << right << "/" << r.modes.size() << " |\n";
  }
  return out.str();
}

void write_particle_study(OutputFile& file, const std::vector<ParticleCaseResult>& results,
                          const ParticleStudyConfig& config) {
  const hid_t group = file.group("/particles");
  write_attribute(group, "particles", config.particles);
  write_attribute(group, "max_mode", static_cast<long>(config.max_mode));
  write_attribute(group, "amp", config.amp);
  write_attribute(group, "length", config.length);
  for (std::size_t c = 0; c < results.size(); ++c) {
    const auto& r = results[c];
    const hid_t g = file.group("/particles/case_" + std::to_string(c));
    write_attribute(g, "kernel", r.setting.kernel);
    write_attribute(g, "stabilizer", r.setting.stabilizer);
    write_attribute(g, "eps", r.setting.eps);
    write_attribute(g, "setting", r.setting.label);
    write_attribute(g, "box_critical_eps", r.box_critical_eps);
    write_attribute(g, "most_unstable_k", r.most_unstable_k);
    write_attribute(g, "most_unstable_error", r.most_unstable_error);
    write_attribute(g, "t_end", r.t_end);
    write_attribute(g, "steps", r.steps);
    std::vector<double> k, predicted, measured, sign_right;
    for (const auto& m : r.modes) {
      k.push_back(static_cast<double>(m.k));
      predicted.push_back(m.predicted);
      measured.push_back(m.measured);
      sign_right.push_back(m.sign_right ? 1.0 : 0.0);
    }
    const std::vector<hsize_t> shape{r.modes.size()};
    write_variable(g, "k", k, shape, {{"k"}, "1", "integer wave number of each mode"});
    write_variable(g, "predicted_rate", predicted, shape, {{"k"}, "1", "predicted growth rate"});
    write_variable(g, "measured_rate", measured, shape,
                   {{"k"}, "1", "growth rate measured on the particle discriminator"});
    write_variable(g, "sign_right", sign_right, shape,
                   {{"k"}, "1", "1 where predicted and measured rates agree in sign"});
  }
}

}  // namespace wgf::cli
