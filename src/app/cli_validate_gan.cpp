#include "cli_validate_gan.hpp"

#include <omp.h>

#include <boost/program_options.hpp>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli_common.hpp"
#include "wgf/studies/gan_study_report.hpp"
#include "wgf/studies/particle_study_report.hpp"
#include "wgf/device/cuda_devices.hpp"
#include "wgf/errors.hpp"
#include "wgf/studies/gan_study.hpp"
#include "wgf/studies/particle_study.hpp"
#include "wgf/spec_text.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace wgf::cli {

namespace {

std::vector<std::string> names(const std::string& text, const std::string& option,
                               const std::vector<std::string>& allowed) {
  std::vector<std::string> out;
  for (const auto& token : split(text, ',')) {
    if (std::find(allowed.begin(), allowed.end(), token) == allowed.end()) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      throw InputError(option + " '" + text + "': '" + token + "' is not one of " + list);
    }
    out.push_back(token);
  }
  if (out.empty()) throw InputError(option + ": give at least one name");
  return out;
}

std::vector<double> ratios(const std::string& text) {
  std::vector<double> out;
  for (const auto& token : split(text, ',')) {
    const double v = parse_number(token, "--eps-ratios '" + text + "'");
    if (!(v >= 0) || !std::isfinite(v))
      throw InputError("--eps-ratios '" + text + "': ratios eps/eps*_band must be finite and >= 0");
    // Exactly 1 puts λ = 0 at the band's worst point: the verdict would be decided by rounding.
    if (v == 1) throw InputError("--eps-ratios '" + text + "': leave out 1 (the threshold itself)");
    out.push_back(v);
  }
  if (out.empty()) throw InputError("--eps-ratios: give at least one ratio");
  return out;
}

std::vector<int> widths(const std::string& text, const std::string& option) {
  std::vector<int> out;
  for (const auto& token : split(text, ',')) {
    const double v = parse_number(token, option + " '" + text + "'");
    if (v != std::floor(v) || v < 1 || v > 1e5)
      throw InputError(option + " '" + text + "': widths must be positive integers");
    out.push_back(static_cast<int>(v));
  }
  return out;
}

// "cpu", or "cuda" when a CUDA trainer backend can run here (auto).
std::string choose_device(const std::string& requested, std::string& description) {
  std::string device = requested;
  if (requested == "auto") device = gan_backend_available("cuda") ? "cuda" : "cpu";
  else if (requested != "cpu" && requested != "cuda")
    throw InputError("--device '" + requested + "': use auto, cpu or cuda");
  check_gan_device(device);
  if (device == "cuda") {
    const CudaDevices cuda = query_cuda_devices();
    description = "GPU " + (cuda.devices.empty() ? std::string("?") : cuda.devices.front());
  } else {
    description = "CPU (" + std::to_string(omp_get_max_threads()) + " OpenMP threads)";
  }
  return device;
}

// The figures come from experiments/plot.py (matplotlib; plot_script() finds it) run on the finished file; validate.h5 and
// summary.md are complete without them, so a missing Python only costs a note. Returns the note
// or the figures' names.
std::string draw_figures(const fs::path& h5) {
  const char* env = std::getenv("PYTHON");
  const std::string python =
      env && *env ? env : fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  const fs::path script = plot_script();
  const std::string rerun = " (run " + script.string() + " " + h5.string() + ")";
  if (!fs::exists(script)) return "no figures: " + script.string() + " not found" + rerun;
  for (const std::string& text : {python, script.string(), h5.string()})
    if (text.find('\'') != std::string::npos) return "no figures: a path holds a quote" + rerun;
  const fs::path log = h5.string() + ".plot.log";
  const std::string command = "'" + python + "' '" + script.string() + "' '" + h5.string() +
                              "' > '" + log.string() + "' 2>&1";
  const int status = std::system(command.c_str());
  std::ifstream in(log);
  std::string line, figures, last;
  while (std::getline(in, line)) {
    if (line.size() > 4 && line.compare(line.size() - 4, 4, ".png") == 0)
      figures += (figures.empty() ? "" : ", ") + fs::path(line).filename().string();
    last = line;
  }
  std::error_code ignored;
  fs::remove(log, ignored);
  if (status != 0) return "no figures: plot.py failed (" + last + ")" + rerun;
  return "figures: " + figures;
}

}  // namespace

int validate_gan_study(const Arguments& args, const std::string& command_line, bool quick) {
  const std::string study = quick ? "quick" : "gan";
  std::string out_dir = "out/validate", data = quick ? "ring8" : "ring8,grid25";
  std::string losses = quick ? "mmd" : "mmd,energy,riesz";
  std::string families = quick ? "gaussian" : "gaussian,rq";
  std::string eps_text = "0,0.3,0.7,1.5,4";
  std::string g_hidden = "128,128,128", d_hidden = "128", device_request = "auto";
  long seeds = quick ? 2 : 3;
  GanStudyConfig config;
  TrainingConfig& t = config.training;
  // The ring8 configuration the trainer's test holds to (G 128x3, D 128, the linear learning-rate
  // decay), cut to seconds per run, with df = 2: a batch of 128 samples a 2-D feature density
  // well enough for the continuum theory, while in 16 dimensions eps*_band reaches 1e10 (the
  // transforms scale as sigma^d) and every eps > 0 plays the same game to Adam.
  t.iterations = quick ? 800 : 1200;
  t.batch = 128;
  t.feature_dim = 2;
  t.lr_schedule = "linear";
  // Unbiased minibatch energies: the sign of D's mean loss is part of the observation. The
  // dynamics are the V-statistic's up to a factor (n-1)/n on the pair terms.
  t.estimator = "u";
  t.metrics_every = quick ? 50 : 100;
  t.metrics.rows = 500;
  double lr = 1e-3;
  ParticleStudyConfig particles;
  particles.particles = quick ? 2000 : 0;
  int threads = omp_get_max_threads();

  po::options_description options(
      std::string("wgf validate --study ") + study +
      (quick ? ": the quick default. The particle discriminator against the spectral module at "
               "a smaller\nparticle count, then one small eps sweep of trained GANs (ring8, "
               "Gaussian-mixture MMD loss,\ngaussian stabiliser, 2 seeds)."
             : ": eps sweeps of trained GANs, ring8 and grid25 x mmd, energy, riesz losses x\n"
               "gaussian and rq stabilisers, 3 seeds.") +
      "\nEach run's prediction comes from the spectral module for the discriminator's flow in "
      "feature\nspace (d = df, rho0 and the resolved band from the real features' spread at "
      "initialisation);\nits observation from the run's own file (structure factor growth, "
      "divergence, loss oscillation,\nsample quality). Writes validate.h5, summary.md and the "
      "runs' files (runs/) into --out-dir.\n\noptions");
  // clang-format off
  options.add_options()
    ("help,h", "print this help")
    ("study", po::value<std::string>(), "quick (the default) | gan | particles | fashion-mnist")
    ("data", po::value<std::string>(&data)->default_value(data), "ring8,grid25 (comma-separated)")
    ("losses", po::value<std::string>(&losses)->default_value(losses),
     "mmd (Gaussian mixture sigma 0.25..4), energy (Cramer), riesz (elastic, alpha = df - 1)")
    ("families", po::value<std::string>(&families)->default_value(families),
     "stabiliser families: gaussian (sigma = width l0), rq (alpha 2, ell = width l0)")
    ("eps-ratios", po::value<std::string>(&eps_text)->default_value(eps_text),
     "eps in units of each run's eps*_band (not 1)")
    ("seeds", po::value<long>(&seeds)->default_value(seeds), "seeds 0..N-1 per eps")
    ("iters", po::value<long>(&t.iterations)->default_value(t.iterations), "training iterations per run")
    ("batch", po::value<long>(&t.batch)->default_value(t.batch), "minibatch rows")
    ("g-hidden", po::value<std::string>(&g_hidden)->default_value(g_hidden), "G's hidden widths")
    ("d-hidden", po::value<std::string>(&d_hidden)->default_value(d_hidden), "D's hidden widths")
    ("df", po::value<int>(&t.feature_dim)->default_value(t.feature_dim),
     "feature dimension (the dimension d of the predicted flow)")
    ("lr", po::value<double>(&lr)->default_value(lr), "Adam learning rate of both players")
    ("metrics-every", po::value<long>(&t.metrics_every)->default_value(t.metrics_every),
     "iterations between metric rows")
    ("eval-samples", po::value<long>(&t.metrics.rows)->default_value(t.metrics.rows),
     "held-out samples per metric evaluation")
    ("stabilizer-width", po::value<double>(&config.stabilizer_width)->default_value(config.stabilizer_width),
     "the stabiliser's width in units of l0")
    ("energy-z", po::value<double>(&config.rules.positive_energy_z)->default_value(config.rules.positive_energy_z),
     "D's mean loss (second half) in standard errors above which D holds a positive energy")
    ("growth-threshold", po::value<double>(&config.rules.structure_growth)->default_value(config.rules.structure_growth),
     "structure factor growth (late/initial) that counts as observed unstable")
    ("particles", po::value<long>(&particles.particles)->default_value(particles.particles),
     "particles per species for the particle part (0: skip it)")
    ("device", po::value<std::string>(&device_request)->default_value(device_request),
     "auto (cuda when a CUDA trainer backend and a GPU are present) | cpu | cuda")
    ("threads", po::value<int>(&threads)->default_value(threads), "OpenMP threads")
    ("out-dir", po::value<std::string>(&out_dir)->default_value(out_dir),
     "folder for validate.h5, summary.md and runs/")
    ("no-figures", "do not run experiments/plot.py on validate.h5")
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
  if (vm.count("study") && vm["study"].as<std::string>() != study)
    throw InputError("--study '" + vm["study"].as<std::string>() +
                     "': use quick (the default), gan, particles or fashion-mnist");
  const bool quiet = vm.count("quiet") > 0;
  config.force = vm.count("force") > 0;
  if (seeds < 1 || seeds > 1000) throw InputError("--seeds " + std::to_string(seeds) + ": from 1 to 1000");
  config.seeds.clear();
  for (long s = 0; s < seeds; ++s) config.seeds.push_back(static_cast<std::uint64_t>(s));
  if (threads < 1) throw InputError("--threads " + std::to_string(threads) + ": must be >= 1");
  if (t.iterations < 1) throw InputError("--iters: at least 1");
  if (t.metrics_every < 1 || t.metrics_every > t.iterations)
    throw InputError("--metrics-every: from 1 to --iters (the observation needs several rows)");
  if (!(config.stabilizer_width > 0)) throw InputError("--stabilizer-width: must be > 0");
  if (!(config.rules.structure_growth > 1)) throw InputError("--growth-threshold: must be > 1");
  if (particles.particles != 0 && particles.particles < 100)
    throw InputError("--particles: 0 (skip) or at least 100 per species");
  omp_set_num_threads(threads);
  t.threads = threads;
  t.generator_hidden = widths(g_hidden, "--g-hidden");
  t.discriminator_hidden = widths(d_hidden, "--d-hidden");
  t.generator_adam.lr = t.discriminator_adam.lr = lr;
  const std::vector<double> eps_ratios = ratios(eps_text);
  std::vector<GanSweep> sweeps;
  for (const GanSweep& s : full_gan_sweeps(eps_ratios))
    for (const auto& d : names(data, "--data", {"ring8", "grid25"}))
      for (const auto& l : names(losses, "--losses", {"mmd", "energy", "riesz"}))
        for (const auto& f : names(families, "--families", {"gaussian", "rq"}))
          if (s.data == d && s.loss_name == l && s.family == f) sweeps.push_back(s);
  std::string device_description;
  t.device = choose_device(device_request, device_description);

  if (!fs::is_directory(out_dir) && !fs::create_directories(out_dir))
    throw InputError("--out-dir '" + out_dir + "': cannot create the folder");
  const fs::path h5 = fs::path(out_dir) / "validate.h5";
  const fs::path markdown = fs::path(out_dir) / "summary.md";
  OutputFile::check_destination(h5, config.force);
  if (fs::exists(markdown) && !config.force)
    throw InputError("--out-dir: " + markdown.string() + " exists (use --force)");
  config.run_folder = (fs::path(out_dir) / "runs").string();
  fs::create_directories(config.run_folder);

  const auto start = std::chrono::steady_clock::now();
  std::vector<ParticleCaseResult> particle_results;
  if (particles.particles > 0) {
    if (!quiet) std::cout << "particle study: " << particles.particles << " particles per species\n";
    particle_results = run_particle_study(particles, default_particle_cases(particles));
  }
  const auto progress = [&](const GanRunResult& r, std::size_t done, std::size_t total) {
    if (quiet) return;
    const GanSweep& s = sweeps[r.sweep];
    std::cout << "[" << done << "/" << total << "] " << s.data << " " << s.loss_name << " "
              << s.family << " eps/eps* " << r.eps_ratio << " seed " << r.seed << ": predicted "
              << (r.prediction.unstable ? "unstable" : "stable") << ", observed "
              << (r.observation.unstable ? "unstable" : "stable") << " (" << r.observation.reason
              << ", S x" << std::setprecision(3) << r.observation.structure_ratio << ", HQ "
              << r.observation.high_quality_fraction << ") " << std::setprecision(2) << r.seconds
              << " s" << std::endl;
  };
  const auto runs = run_gan_study(config, sweeps, progress);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  OutputFile file(h5, config.force);
  write_run_header(file.root(), "validate", command_line);
  write_attribute(file.root(), "study", study);
  write_attribute(file.root(), "device", t.device);
  write_attribute(file.root(), "device_description", device_description);
  write_attribute(file.root(), "seconds", seconds);
  std::string text;
  if (!particle_results.empty()) {
    write_particle_study(file, particle_results, particles);
    text += particle_summary_table(particle_results, particles) + "\n";
  }
  write_gan_study(file, sweeps, runs, config);
  text += gan_summary_table(sweeps, runs, config, device_description);
  file.finish("completed");
  std::ostringstream footer;
  footer << "\nRan on the " << device_description << " in " << std::setprecision(3) << seconds
         << " s.\n";
  if (!vm.count("no-figures")) footer << "\n" << draw_figures(h5) << "\n";
  const fs::path markdown_tmp = markdown.string() + ".tmp";
  std::ofstream(markdown_tmp) << "# wgf validate: " << study << "\n\n" << text << footer.str();
  fs::rename(markdown_tmp, markdown);
  if (!quiet) std::cout << "\n" << text << footer.str() << "\nwritten to " << h5 << " and " << markdown << "\n";
  return 0;
}

}  // namespace wgf::cli
