#include <boost/program_options.hpp>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli_common.hpp"
#include "cli_validate_fashion.hpp"
#include "cli_validate_gan.hpp"
#include "wgf/studies/particle_study_report.hpp"
#include "cli.hpp"
#include "wgf/errors.hpp"
#include "wgf/h5_file.hpp"
#include "wgf/studies/particle_study.hpp"

namespace po = boost::program_options;

namespace wgf::cli {

int validate(const Arguments& args, const std::string& command_line) {
  if (asks_for_study(args, "fashion-mnist")) return validate_fashion_mnist(args, command_line);
  if (asks_for_study(args, "gan")) return validate_gan_study(args, command_line, false);
  // No study named (or --study quick): the quick default of cli_validate_gan.hpp.
  if (!asks_for_study(args, "particles")) return validate_gan_study(args, command_line, true);
  ParticleStudyConfig config;
  std::string study = "particles", out_dir = "out/validate";
  po::options_description options(
      "wgf validate: theory against measurement. Study 'particles': the particle discriminator\n"
      "(free particles moved by ascent on the stabilised empirical energy, periodised kernel) "
      "against\nthe spectral module's growth rates, for gaussian, laplace and energy kernels at "
      "three eps each.\nOther studies: quick (the default), gan, fashion-mnist (--study NAME "
      "--help).\n\noptions");
  // clang-format off
  options.add_options()
    ("help,h", "print this help")
    ("study", po::value<std::string>(&study)->default_value(study),
     "particles | quick (the default) | gan | fashion-mnist")
    ("particles", po::value<long>(&config.particles)->default_value(config.particles),
     "particles per species")
    ("modes", po::value<int>(&config.max_mode)->default_value(config.max_mode),
     "interaction truncated at |k| <= modes")
    ("tracked", po::value<int>(&config.tracked_modes)->default_value(config.tracked_modes),
     "modes 1..tracked are perturbed and measured")
    ("amp", po::value<double>(&config.amp)->default_value(config.amp, as_typed(config.amp)), "perturbation amplitude")
    ("max-steps", po::value<long>(&config.max_steps)->default_value(config.max_steps),
     "step budget per case")
    ("out-dir", po::value<std::string>(&out_dir)->default_value(out_dir),
     "folder for validate.h5 and summary.md")
    ("force", "overwrite existing outputs")
    ("quiet", "print nothing but errors");
  // clang-format on
  po::variables_map vm;
  if (parse_options(args, options, vm)) return 0;
  if (study != "particles")
    throw InputError("--study '" + study + "': use quick (the default), gan, particles or "
                     "fashion-mnist");
  if (config.particles < 100) throw InputError("--particles: need at least 100 per species");
  if (config.max_mode < 1 || config.max_mode > 512)
    throw InputError("--modes: from 1 to 512");
  if (config.tracked_modes < 1 || config.tracked_modes > config.max_mode)
    throw InputError("--tracked: from 1 to --modes");
  if (!(config.amp > 0 && config.amp < 0.01))
    throw InputError("--amp: must be in (0, 0.01) for a linear measurement");
  if (config.max_steps < 10) throw InputError("--max-steps: at least 10");
  const bool force = vm.count("force") > 0;
  const StudyOutputs outputs = prepare_study_outputs(out_dir, force);

  const auto start = std::chrono::steady_clock::now();
  const auto results = run_particle_study(config, default_particle_cases(config));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  OutputFile file(outputs.h5, force);
  write_run_header(file.root(), "validate", command_line);
  write_attribute(file.root(), "study", study);
  write_attribute(file.root(), "device", std::string("cpu"));
  write_attribute(file.root(), "seconds", seconds);
  write_particle_study(file, results, config);
  file.finish("completed");
  const std::string table = particle_summary_table(results, config);
  std::ostringstream summary;
  summary << "# wgf validate: " << study << "\n\n" << table << "\nRan on the CPU in "
          << std::setprecision(3) << seconds << " s.\n";
  write_summary(outputs.markdown, summary.str());
  if (!vm.count("quiet"))
    std::cout << table << "\nwritten to " << outputs.h5 << " and " << outputs.markdown << "\n";
  return 0;
}

}  // namespace wgf::cli
