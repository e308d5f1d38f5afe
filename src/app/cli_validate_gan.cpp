#include "cli_validate_gan.hpp"

#include <omp.h>

#include <boost/program_options.hpp>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>

#include "cli_common.hpp"
#include "wgf/studies/gan_study_report.hpp"
#include "wgf/studies/particle_study_report.hpp"
#include "wgf/device/cuda_devices.hpp"
#include "wgf/errors.hpp"
#include "wgf/protocol.hpp"
#include "wgf/studies/gan_study.hpp"
#include "wgf/studies/growth_study.hpp"
#include "wgf/studies/growth_study_report.hpp"
#include "wgf/studies/particle_study.hpp"
#include "wgf/studies/quick_gan_study.hpp"
#include "wgf/studies/quick_gan_study_report.hpp"
#include "wgf/studies/side_by_side.hpp"
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

// The study's settings as the options fill them: the defaults of `quick` or `gan`, the option
// strings until parsed.
struct GanStudyOptions {
  explicit GanStudyOptions(bool quick);

  bool quick;
  std::string study;
  std::string out_dir = "out/validate", data, losses, families, eps_text = "0,0.3,0.7,1.5,4";
  std::string g_hidden = "128,128,128", d_hidden = "128", device_request = "auto";
  long seeds;
  double lr = 1e-3;
  int threads = omp_get_max_threads();
  GanStudyConfig config;
  ParticleStudyConfig particles;
};

GanStudyOptions::GanStudyOptions(bool quick_study)
    : quick(quick_study),
      study(quick ? "quick" : "gan"),
      data(quick ? "ring8" : "ring8,grid25"),
      losses(quick ? "mmd" : "mmd,energy,riesz"),
      families(quick ? "gaussian" : "gaussian,rq"),
      seeds(quick ? 2 : 3) {
  if (quick) device_request = "cpu";  // its trainings and measurements run on the CPU
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
  particles.particles = quick ? 2000 : 0;
}

std::string caption(const GanStudyOptions& o) {
  if (o.quick)
    return "wgf validate --study quick: the quick default, in three parts, each under a committed\n"
           "protocol (experiments/protocols/): growth rates of D's feature density measured in a\n"
           "network and with free particles beside the two predictions (growth-quick-v1); the\n"
           "particle discriminator against the spectral module; and the paper's stability claim\n"
           "tested on growth rates measured at short-trained GAN checkpoints, 5 seeds x 3 eps/eps*,\n"
           "with baselines, McNemar tests and Wilson intervals (quick-gan-v2). Writes validate.h5,\n"
           "summary.md and the GANs' files (runs/) into --out-dir.\n\noptions";
  return "wgf validate --study gan: eps sweeps of trained GANs, ring8 and grid25 x mmd, energy, "
         "riesz losses x\ngaussian and rq stabilisers, 3 seeds.\nEach run's prediction comes from "
         "the spectral module for the discriminator's flow in feature\nspace (d = df, rho0 and the "
         "resolved band from the real features' spread at initialisation);\nits observation from the "
         "run's own file (structure factor growth, divergence, loss oscillation,\nsample quality). "
         "Writes validate.h5, summary.md and the runs' files (runs/) into --out-dir.\n\noptions";
}

void add_options(po::options_description& options, GanStudyOptions& o) {
  TrainingConfig& t = o.config.training;
  GanStudyConfig& config = o.config;
  // clang-format off
  options.add_options()
    ("help,h", "print this help")
    ("study", po::value<std::string>(), "quick (the default) | gan | particles | fashion-mnist")
    ("particles", po::value<long>(&o.particles.particles)->default_value(o.particles.particles),
     "particles per species for the particle part (0: skip it)")
    ("threads", po::value<int>(&o.threads)->default_value(o.threads), "OpenMP threads")
    ("out-dir", po::value<std::string>(&o.out_dir)->default_value(o.out_dir),
     "folder for validate.h5, summary.md and runs/")
    ("no-figures", "do not run experiments/plot.py on validate.h5")
    ("force", "overwrite existing outputs")
    ("quiet", "print nothing but errors");
  if (o.quick) return;  // its rules are its protocols'
  options.add_options()
    ("data", po::value<std::string>(&o.data)->default_value(o.data), "ring8,grid25 (comma-separated)")
    ("losses", po::value<std::string>(&o.losses)->default_value(o.losses),
     "mmd (Gaussian mixture sigma 0.25..4), energy (Cramer), riesz (elastic, alpha = df - 1)")
    ("families", po::value<std::string>(&o.families)->default_value(o.families),
     "stabiliser families: gaussian (sigma = width l0), rq (alpha 2, ell = width l0)")
    ("eps-ratios", po::value<std::string>(&o.eps_text)->default_value(o.eps_text),
     "eps in units of each run's eps*_band (not 1)")
    ("seeds", po::value<long>(&o.seeds)->default_value(o.seeds), "seeds 0..N-1 per eps")
    ("iters", po::value<long>(&t.iterations)->default_value(t.iterations), "training iterations per run")
    ("batch", po::value<long>(&t.batch)->default_value(t.batch), "minibatch rows")
    ("g-hidden", po::value<std::string>(&o.g_hidden)->default_value(o.g_hidden), "G's hidden widths")
    ("d-hidden", po::value<std::string>(&o.d_hidden)->default_value(o.d_hidden), "D's hidden widths")
    ("df", po::value<int>(&t.feature_dim)->default_value(t.feature_dim),
     "feature dimension (the dimension d of the predicted flow)")
    ("lr", po::value<double>(&o.lr)->default_value(o.lr, as_typed(o.lr)), "Adam learning rate of both players")
    ("metrics-every", po::value<long>(&t.metrics_every)->default_value(t.metrics_every),
     "iterations between metric rows")
    ("eval-samples", po::value<long>(&t.metrics.rows)->default_value(t.metrics.rows),
     "held-out samples per metric evaluation")
    ("stabilizer-width", po::value<double>(&config.stabilizer_width)->default_value(config.stabilizer_width, as_typed(config.stabilizer_width)),
     "the stabiliser's width in units of l0")
    ("energy-z", po::value<double>(&config.rules.positive_energy_z)->default_value(config.rules.positive_energy_z, as_typed(config.rules.positive_energy_z)),
     "D's mean loss (second half) in standard errors above which D holds a positive energy")
    ("growth-threshold", po::value<double>(&config.rules.structure_growth)->default_value(config.rules.structure_growth, as_typed(config.rules.structure_growth)),
     "structure factor growth (late/initial) that counts as observed unstable")
    ("device", po::value<std::string>(&o.device_request)->default_value(o.device_request),
     "auto (cuda when a CUDA trainer backend and a GPU are present) | cpu | cuda");
  // clang-format on
}

// Checks the parsed options (InputError) and completes the configuration; returns the sweeps
// the options select, in the order of full_gan_sweeps.
std::vector<GanSweep> apply_options(GanStudyOptions& o, const po::variables_map& vm) {
  GanStudyConfig& config = o.config;
  TrainingConfig& t = config.training;
  if (vm.count("study") && vm["study"].as<std::string>() != o.study)
    throw InputError("--study '" + vm["study"].as<std::string>() +
                     "': use quick (the default), gan, particles or fashion-mnist");
  config.force = vm.count("force") > 0;
  if (o.particles.particles != 0 && o.particles.particles < 100)
    throw InputError("--particles: 0 (skip) or at least 100 per species");
  check_threads(o.threads);
  omp_set_num_threads(o.threads);
  t.threads = o.threads;
  if (o.quick) return {};  // no ε sweep: the quick-gan protocol's runs instead
  if (o.seeds < 1 || o.seeds > 1000) throw InputError("--seeds " + std::to_string(o.seeds) + ": from 1 to 1000");
  config.seeds.clear();
  for (long s = 0; s < o.seeds; ++s) config.seeds.push_back(static_cast<std::uint64_t>(s));
  if (t.iterations < 1) throw InputError("--iters: at least 1");
  if (t.metrics_every < 1 || t.metrics_every > t.iterations)
    throw InputError("--metrics-every: from 1 to --iters (the observation needs several rows)");
  // (Written so that NaN fails too: every comparison with NaN is false.)
  if (!(config.stabilizer_width > 0) || !std::isfinite(config.stabilizer_width))
    throw InputError("--stabilizer-width " + format_double(config.stabilizer_width) +
                     ": must be a finite number > 0");
  if (!(config.rules.structure_growth > 1) || !std::isfinite(config.rules.structure_growth))
    throw InputError("--growth-threshold " + format_double(config.rules.structure_growth) +
                     ": must be a finite number > 1");
  if (!(config.rules.positive_energy_z >= 0) || !std::isfinite(config.rules.positive_energy_z))
    throw InputError("--energy-z " + format_double(config.rules.positive_energy_z) +
                     ": must be a finite number >= 0 (standard errors)");
  t.generator_hidden = parse_widths(o.g_hidden, "--g-hidden");
  t.discriminator_hidden = parse_widths(o.d_hidden, "--d-hidden");
  t.generator_adam.lr = t.discriminator_adam.lr = o.lr;
  const std::vector<double> eps_ratios = ratios(o.eps_text);
  std::vector<GanSweep> sweeps;
  for (const GanSweep& s : full_gan_sweeps(eps_ratios))
    for (const auto& d : names(o.data, "--data", {"ring8", "grid25"}))
      for (const auto& l : names(o.losses, "--losses", {"mmd", "energy", "riesz"}))
        for (const auto& f : names(o.families, "--families", {"gaussian", "rq"}))
          if (s.data == d && s.loss_name == l && s.family == f) sweeps.push_back(s);
  return sweeps;
}

// One line per finished training run.
void print_run(const GanSweep& s, const GanRunResult& r, std::size_t done, std::size_t total) {
  std::cout << "[" << done << "/" << total << "] " << s.data << " " << s.loss_name << " "
            << s.family << " eps/eps* " << r.eps_ratio << " seed " << r.seed << ": predicted "
            << (r.prediction.unstable ? "unstable" : "stable") << ", observed "
            << (r.observation.unstable ? "unstable" : "stable") << " (" << r.observation.reason
            << ", S x" << std::setprecision(3) << r.observation.structure_ratio << ", HQ "
            << r.observation.high_quality_fraction << ") " << std::setprecision(2) << r.seconds
            << " s" << std::endl;
}

// The quick study's growth-rate part (docs/design.md §7.2): one setting, measured in a network
// and with free particles, under protocols/growth-quick-v1.txt.
struct QuickGrowth {
  Protocol protocol;
  GrowthSettings network, free;
  GrowthResult network_result, free_result;
};

QuickGrowth run_quick_growth(std::uint64_t seed) {
  QuickGrowth g{Protocol::load(shipped_file("protocols/growth-quick-v1.txt").string()), {}, {}, {}, {}};
  const GrowthRules rules = GrowthRules::from(g.protocol);
  g.network.data = "gaussian2d";
  g.network.loss = "gaussian:sigma=0.3";
  g.network.stabilizer = "gaussian:sigma=0.15";
  g.network.eps = 0.3;
  g.network.seed = seed;
  g.free = g.network;
  g.free.features = "free";
  // The two runs side by side, one thread each (as the quick-gan measurements).
  run_side_by_side(2, [&](long i) {
    if (i == 0) g.network_result = run_growth(g.network, rules);
    else g.free_result = run_growth(g.free, rules);
  });
  return g;
}

// The quick study's trained-GAN part, under protocols/quick-gan-v2.txt (its growth runs under
// the protocol it names).
struct QuickGan {
  Protocol protocol, growth_protocol;
  QuickGanRules rules;
  std::vector<QuickGanRun> runs;
};

QuickGan run_quick_gan(const std::string& run_folder, bool force, bool quiet) {
  Protocol protocol = Protocol::load(shipped_file("protocols/quick-gan-v2.txt").string());
  QuickGanRules rules = QuickGanRules::from(protocol);
  Protocol growth = Protocol::load(shipped_file("protocols/" + rules.growth_protocol + ".txt").string());
  QuickGan q{std::move(protocol), std::move(growth), std::move(rules), {}};
  const auto progress = [&](const std::string& line) {
    if (!quiet) std::cout << line << std::endl;
  };
  q.runs = run_quick_gan_study(q.rules, GrowthRules::from(q.growth_protocol), run_folder, force, progress);
  return q;
}

struct GanStudyResults {
  std::optional<QuickGrowth> growth;
  std::optional<QuickGan> quick_gan;
  std::vector<ParticleCaseResult> particles;
  std::vector<GanRunResult> runs;
  double seconds = 0;
};

// The particle part (when asked for), then every training run of the sweeps.
GanStudyResults run_studies(const GanStudyOptions& o, const std::vector<GanSweep>& sweeps,
                            bool quiet) {
  GanStudyResults results;
  const auto start = std::chrono::steady_clock::now();
  if (o.quick) {
    if (!quiet) std::cout << "growth rates in a network and of free particles (protocol growth-quick-v1)\n";
    results.growth = run_quick_growth(1);
  }
  if (o.particles.particles > 0) {
    if (!quiet) std::cout << "particle study: " << o.particles.particles << " particles per species\n";
    results.particles = run_particle_study(o.particles, default_particle_cases(o.particles));
  }
  if (o.quick) {
    if (!quiet) std::cout << "the stability claim on trained GANs (protocol quick-gan-v2)\n";
    results.quick_gan = run_quick_gan(o.config.run_folder, o.config.force, quiet);
  } else {
    const auto progress = [&](const GanRunResult& r, std::size_t done, std::size_t total) {
      if (!quiet) print_run(sweeps[r.sweep], r, done, total);
    };
    results.runs = run_gan_study(o.config, sweeps, progress);
  }
  results.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return results;
}

// validate.h5 (root attributes, /particles, /gan); returns the summary's tables.
std::string write_study_file(const fs::path& h5, const GanStudyOptions& o,
                             const std::vector<GanSweep>& sweeps, const GanStudyResults& results,
                             const std::string& device_description,
                             const std::string& command_line) {
  OutputFile file(h5, o.config.force);
  write_run_header(file.root(), "validate", command_line);
  write_attribute(file.root(), "study", o.study);
  write_attribute(file.root(), "device", o.config.training.device);
  write_attribute(file.root(), "device_description", device_description);
  write_attribute(file.root(), "seconds", results.seconds);
  std::string text;
  if (results.growth) {
    const QuickGrowth& g = *results.growth;
    g.protocol.write_attributes(file.root());
    write_growth_group(file, "/growth/network", g.network_result);
    write_growth_group(file, "/growth/free", g.free_result);
    const double confidence = GrowthRules::from(g.protocol).confidence;
    text += "## Growth rates of D's feature density (protocol " + g.protocol.label() +
            ", sha256 " + g.protocol.sha256().substr(0, 12) + "…)\n\n"
            "p = q (two draws of gaussian2d), D ascends E_{e−εs} by plain SGD, e = gaussian:sigma=0.3, "
            "s = gaussian:sigma=0.15, ε = 0.3; rates in flow time (docs/design.md §7.2).\n\n"
            "Network: " + growth_summary_table(g.network_result, confidence) +
            "\nFree particles (each feature its own parameter): " +
            growth_summary_table(g.free_result, confidence) + "\n";
  }
  if (!results.particles.empty()) {
    write_particle_study(file, results.particles, o.particles);
    text += particle_summary_table(results.particles, o.particles) + "\n";
  }
  if (results.quick_gan) {
    const QuickGan& q = *results.quick_gan;
    write_quick_gan_study(file, q.protocol, q.runs);
    text += quick_gan_summary(q.protocol, q.rules, q.runs);
  } else {
    write_gan_study(file, sweeps, results.runs, o.config);
    text += gan_summary_table(sweeps, results.runs, o.config, device_description);
  }
  file.finish("completed");
  return text;
}

}  // namespace

int validate_gan_study(const Arguments& args, const std::string& command_line, bool quick) {
  GanStudyOptions o(quick);
  po::options_description options(caption(o));
  add_options(options, o);
  po::variables_map vm;
  if (parse_options(args, options, vm)) return 0;
  const bool quiet = vm.count("quiet") > 0;
  const std::vector<GanSweep> sweeps = apply_options(o, vm);
  std::string device_description;
  o.config.training.device = choose_device(o.device_request, device_description);
  const StudyOutputs outputs = prepare_study_outputs(o.out_dir, o.config.force);
  o.config.run_folder = (fs::path(o.out_dir) / "runs").string();
  fs::create_directories(o.config.run_folder);

  const GanStudyResults results = run_studies(o, sweeps, quiet);
  const std::string text =
      write_study_file(outputs.h5, o, sweeps, results, device_description, command_line);
  std::ostringstream footer;
  footer << "\nRan on the " << device_description << " in " << std::setprecision(3)
         << results.seconds << " s.\n";
  if (!vm.count("no-figures")) footer << "\n" << draw_figures(outputs.h5) << "\n";
  write_summary(outputs.markdown, "# wgf validate: " + o.study + "\n\n" + text + footer.str());
  if (!quiet)
    std::cout << "\n" << text << footer.str() << "\nwritten to " << outputs.h5 << " and "
              << outputs.markdown << "\n";
  return 0;
}

}  // namespace wgf::cli
