// `wgf mmd-flow`: the particle MMD flow with and without noise injection, run side by side from
// the same initial particles (wgf/mmd_particle_flow.hpp), MMD² recorded along the way.
#include <omp.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <iomanip>
#include <iostream>

#include "cli_common.hpp"
#include "cli.hpp"
#include "wgf/netcdf_variables.hpp"
#include "wgf/errors.hpp"
#include "wgf/h5_file.hpp"
#include "wgf/analysis/mmd_particle_flow.hpp"
#include "wgf/run_control.hpp"

namespace po = boost::program_options;

namespace wgf::cli {

namespace {

// The options of `wgf mmd-flow`.
struct MmdFlowOptions {
  MmdFlowOptions() {
    config.noise = 10;
    config.noise_iterations = 5000;
    config.particles = 200;
  }
  MmdFlowConfig config;
  long iterations = 20000, record_every = 10, seed = 1;
  int threads = omp_get_max_threads();
  std::string out;
};

void add_options(po::options_description& options, MmdFlowOptions& o) {
  MmdFlowConfig& c = o.config;
  // clang-format off
  options.add_options()
    ("help,h", "print this help")
    ("dim", po::value<int>(&c.dim)->default_value(c.dim), "dimension d")
    ("particles", po::value<long>(&c.particles)->default_value(c.particles), "particles N")
    ("iters", po::value<long>(&o.iterations)->default_value(o.iterations), "steps of each run")
    ("sigma", po::value<double>(&c.sigma)->default_value(c.sigma, as_typed(c.sigma)), "kernel bandwidth")
    ("step", po::value<double>(&c.step)->default_value(c.step, "0.1"), "step size gamma")
    ("noise", po::value<double>(&c.noise)->default_value(c.noise, as_typed(c.noise)), "noise level beta")
    ("noise-iters", po::value<long>(&c.noise_iterations)->default_value(c.noise_iterations),
     "steps with noise (then beta_n = 0)")
    ("init-mean", po::value<double>(&c.init_mean)->default_value(c.init_mean, as_typed(c.init_mean)),
     "initial particles' mean (every coordinate)")
    ("init-std", po::value<double>(&c.init_std)->default_value(c.init_std, as_typed(c.init_std)),
     "initial particles' standard deviation")
    ("target-mean", po::value<double>(&c.target_mean)->default_value(c.target_mean, as_typed(c.target_mean)),
     "target's mean (every coordinate)")
    ("target-std", po::value<double>(&c.target_std)->default_value(c.target_std, as_typed(c.target_std)),
     "target's standard deviation")
    ("target-samples", po::value<long>(&c.target_samples)->default_value(c.target_samples),
     "0: exact Gaussian target (closed-form embedding); M > 0: M samples of it")
    ("seed", po::value<long>(&o.seed)->default_value(o.seed), "random seed (>= 0)")
    ("record-every", po::value<long>(&o.record_every)->default_value(o.record_every),
     "MMD^2 every this many steps (and at the first and last)")
    ("threads", po::value<int>(&o.threads)->default_value(o.threads), "OpenMP threads")
    ("out", po::value<std::string>(&o.out)->required(), "(required) output HDF5 file")
    ("force", "overwrite an existing output file")
    ("quiet", "no progress (the final status line is still printed)");
  // clang-format on
}

// Checks the options and completes the configuration (the seed).
void check_options(MmdFlowOptions& o) {
  o.config.validate();
  o.config.seed = checked_seed(o.seed);
  if (o.iterations < 1) throw InputError("--iters " + std::to_string(o.iterations) + ": must be >= 1");
  if (o.record_every < 1)
    throw InputError("--record-every " + std::to_string(o.record_every) + ": must be >= 1");
  check_threads(o.threads);
}

// Both runs from the same initial particles, side by side: without noise and with β_n.
class PairedFlows {
public:
  explicit PairedFlows(const MmdFlowOptions& o)
      : plain_(without_noise(o.config)), noisy_(o.config), initial_(plain_.positions()) {
    for (auto* v : {&iteration_, &mmd2_plain_, &mmd2_noisy_})
      v->reserve(static_cast<std::size_t>(o.iterations / o.record_every + 2));
  }

  // Steps both runs `iterations` times (or until interrupted), recording MMD² at the first
  // step, every `record_every` and at the last; returns the status.
  std::string run(long iterations, long record_every, bool quiet) {
    ProgressLine progress("mmd-flow", quiet);
    std::string status = "completed";
    record();
    for (long n = 1; n <= iterations; ++n) {
      if (interrupted()) {
        status = "interrupted";
        break;
      }
      plain_.step();
      noisy_.step();
      if (n % record_every == 0 || n == iterations) record();
      if (n % 100 == 0) {
        char detail[96];
        std::snprintf(detail, sizeof detail, "step %ld MMD2 %.3g / %.3g", n, mmd2_plain_.back(),
                      mmd2_noisy_.back());
        progress.update(static_cast<double>(n) / static_cast<double>(iterations), detail);
      }
    }
    progress.finish();
    if (iteration_.back() != static_cast<double>(plain_.iteration())) record();
    return status;
  }

  // /mmd_flow: the records, the initial and both final positions (and the target samples).
  void write(OutputFile& file, const MmdFlowConfig& c) const {
    const hid_t group = file.group("/mmd_flow");
    write_attribute(group, "note",
                    std::string("mmd2_*: MMD^2 (no 1/2) of the particle measure against the target "
                                "after `iteration` steps; both runs start from initial_positions"));
    const hsize_t records = iteration_.size();
    const std::vector<long> iterations(iteration_.begin(), iteration_.end());
    write_variable(group, "iteration", iterations, {records},
                   {{"iteration"}, "1", "steps taken"});
    write_variable(group, "mmd2_without_noise", mmd2_plain_, {records},
                   {{"iteration"}, "1", "MMD^2 to the target, run without noise"});
    write_variable(group, "mmd2_with_noise", mmd2_noisy_, {records},
                   {{"iteration"}, "1", "MMD^2 to the target, run with noise injection"});
    const std::vector<hsize_t> shape{static_cast<hsize_t>(c.particles),
                                     static_cast<hsize_t>(c.dim)};
    const std::vector<std::string> dimensions{"particle", "coordinate"};
    write_variable(group, "initial_positions", initial_, shape,
                   {dimensions, "1", "particle positions at the start of both runs"});
    write_variable(group, "final_positions_without_noise", plain_.positions(), shape,
                   {dimensions, "1", "particle positions at the end, run without noise"});
    write_variable(group, "final_positions_with_noise", noisy_.positions(), shape,
                   {dimensions, "1", "particle positions at the end, run with noise injection"});
    if (c.target_samples > 0)
      write_variable(group, "target_samples", plain_.target_samples(),
                     {static_cast<hsize_t>(c.target_samples), static_cast<hsize_t>(c.dim)},
                     {{"target_sample", "coordinate"}, "1", "samples drawn from the target"});
  }

  long iteration() const { return plain_.iteration(); }
  double last_mmd2_plain() const { return mmd2_plain_.back(); }
  double last_mmd2_noisy() const { return mmd2_noisy_.back(); }

private:
  static MmdFlowConfig without_noise(MmdFlowConfig c) {
    c.noise = 0;
    c.noise_iterations = 0;
    return c;
  }
  void record() {
    iteration_.push_back(static_cast<double>(plain_.iteration()));
    mmd2_plain_.push_back(plain_.mmd2());
    mmd2_noisy_.push_back(noisy_.mmd2());
  }

  MmdParticleFlow plain_, noisy_;
  std::vector<double> initial_;
  std::vector<double> iteration_, mmd2_plain_, mmd2_noisy_;
};

void write_parameters(hid_t root, const MmdFlowOptions& o, double seconds) {
  const MmdFlowConfig& c = o.config;
  write_attribute(root, "dim", static_cast<long>(c.dim));
  write_attribute(root, "particles", c.particles);
  write_attribute(root, "iters", o.iterations);
  write_attribute(root, "sigma", c.sigma);
  write_attribute(root, "step", c.step);
  write_attribute(root, "noise", c.noise);
  write_attribute(root, "noise_iters", c.noise_iterations);
  write_attribute(root, "init_mean", c.init_mean);
  write_attribute(root, "init_std", c.init_std);
  write_attribute(root, "target_mean", c.target_mean);
  write_attribute(root, "target_std", c.target_std);
  write_attribute(root, "target_samples", c.target_samples);
  write_attribute(root, "seed", static_cast<long>(c.seed));
  write_attribute(root, "record_every", o.record_every);
  write_attribute(root, "threads", static_cast<long>(o.threads));
  write_attribute(root, "compute_seconds", seconds);
}

}  // namespace

int mmd_flow(const Arguments& args, const std::string& command_line) {
  MmdFlowOptions o;
  po::options_description options(
      "wgf mmd-flow: particles X_i descend the MMD witness function f (Arbel et al. 2019),\n"
      "  X_i <- X_i - step * grad f(X_i + beta_n U_i),  U_i ~ N(0, I),\n"
      "with the gaussian kernel exp(-|x-y|^2/(2 sigma^2)), particles starting N(init-mean, "
      "init-std^2 I)\nand the target N(target-mean, target-std^2 I) (exact, or --target-samples "
      "draws). Two runs from the\nsame particles: without noise (beta_n = 0) and with beta_n = "
      "--noise for the first --noise-iters\nsteps. Writes /mmd_flow/{iteration, "
      "mmd2_without_noise, mmd2_with_noise} (exact MMD^2 of the\nparticle measure for the exact "
      "target), initial and final positions; every random draw comes\nfrom --seed.\n\noptions");
  add_options(options, o);
  po::variables_map vm;
  if (parse_options(args, options, vm, kExitCodes)) return 0;
  check_options(o);
  const bool force = vm.count("force") > 0, quiet = vm.count("quiet") > 0;
  OutputFile::check_destination(o.out, force);
  omp_set_num_threads(o.threads);
  install_interrupt_handlers();

  PairedFlows flows(o);
  const auto start = std::chrono::steady_clock::now();
  const std::string status = flows.run(o.iterations, o.record_every, quiet);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  OutputFile file(o.out, force);
  write_run_header(file.root(), "mmd-flow", command_line);
  write_parameters(file.root(), o, seconds);
  flows.write(file, o.config);
  file.finish(status);
  std::cout << std::setprecision(4) << "after " << flows.iteration()
              << " steps: MMD^2 without noise " << flows.last_mmd2_plain() << ", with noise "
              << flows.last_mmd2_noisy() << " (" << seconds << " s, status " << status
              << ")\nwritten to " << o.out << "\n";
  return 0;
}

}  // namespace wgf::cli
