#include <boost/program_options.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli_common.hpp"
#include "cli_validate_fashion.hpp"
#include "wgf/cli.hpp"
#include "wgf/errors.hpp"
#include "wgf/h5_file.hpp"
#include "wgf/particle_study.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace wgf::cli {

namespace {

std::string summary_table(const std::vector<ParticleCaseResult>& results,
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

void write_particles(OutputFile& file, const std::vector<ParticleCaseResult>& results,
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
    write_dataset(g, "k", k, shape);
    write_dataset(g, "predicted_rate", predicted, shape);
    write_dataset(g, "measured_rate", measured, shape);
    write_dataset(g, "sign_right", sign_right, shape);
  }
}

}  // namespace

int validate(const Arguments& args, const std::string& command_line) {
  if (asks_for_study(args, "fashion-mnist")) return validate_fashion_mnist(args, command_line);
  ParticleStudyConfig config;
  std::string study = "particles", out_dir = "out/validate";
  po::options_description options(
      "wgf validate: theory against measurement. Study 'particles': the particle discriminator\n"
      "(free particles moved by ascent on the stabilised empirical energy, periodised kernel) "
      "against\nthe spectral module's growth rates, for gaussian, laplace and energy kernels at "
      "three eps each.\nThe trained-GAN studies come with the trainer.\n\noptions");
  // clang-format off
  options.add_options()
    ("help,h", "print this help")
    ("study", po::value<std::string>(&study)->default_value(study), "particles")
    ("particles", po::value<long>(&config.particles)->default_value(config.particles),
     "particles per species")
    ("modes", po::value<int>(&config.max_mode)->default_value(config.max_mode),
     "interaction truncated at |k| <= modes")
    ("tracked", po::value<int>(&config.tracked_modes)->default_value(config.tracked_modes),
     "modes 1..tracked are perturbed and measured")
    ("amp", po::value<double>(&config.amp)->default_value(config.amp), "perturbation amplitude")
    ("max-steps", po::value<long>(&config.max_steps)->default_value(config.max_steps),
     "step budget per case")
    ("out-dir", po::value<std::string>(&out_dir)->default_value(out_dir),
     "folder for validate.h5 and summary.md")
    ("force", "overwrite existing outputs")
    ("quiet", "print nothing but errors");
  // clang-format on
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).run(), vm);
  if (vm.count("help")) {
    std::cout << options;
    return 0;
  }
  po::notify(vm);
  if (study != "particles")
    throw InputError("--study '" + study + "': available is 'particles' (the trained-GAN studies "
                     "need the trainer and are not implemented yet)");
  if (config.particles < 100) throw InputError("--particles: need at least 100 per species");
  if (config.max_mode < 1 || config.max_mode > 512)
    throw InputError("--modes: from 1 to 512");
  if (config.tracked_modes < 1 || config.tracked_modes > config.max_mode)
    throw InputError("--tracked: from 1 to --modes");
  if (!(config.amp > 0 && config.amp < 0.01))
    throw InputError("--amp: must be in (0, 0.01) for a linear measurement");
  if (config.max_steps < 10) throw InputError("--max-steps: at least 10");
  const bool force = vm.count("force") > 0;
  if (!fs::is_directory(out_dir) && !fs::create_directories(out_dir))
    throw InputError("--out-dir '" + out_dir + "': cannot create the folder");
  const fs::path h5 = fs::path(out_dir) / "validate.h5";
  const fs::path markdown = fs::path(out_dir) / "summary.md";
  OutputFile::check_destination(h5, force);
  if (fs::exists(markdown) && !force)
    throw InputError("--out-dir: " + markdown.string() + " exists (use --force)");

  const auto start = std::chrono::steady_clock::now();
  const auto results = run_particle_study(config, default_particle_cases(config));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  OutputFile file(h5, force);
  write_run_header(file.root(), "validate", command_line);
  write_attribute(file.root(), "study", study);
  write_attribute(file.root(), "device", std::string("cpu"));
  write_attribute(file.root(), "seconds", seconds);
  write_particles(file, results, config);
  const std::string table = summary_table(results, config);
  const fs::path markdown_tmp = markdown.string() + ".tmp";
  std::ofstream(markdown_tmp) << "# wgf validate: " << study << "\n\n" << table
                              << "\nRan on the CPU in " << std::setprecision(3) << seconds
                              << " s.\n";
  file.finish("completed");
  fs::rename(markdown_tmp, markdown);
  if (!vm.count("quiet")) std::cout << table << "\nwritten to " << h5 << " and " << markdown << "\n";
  return 0;
}

}  // namespace wgf::cli
