// `wgf mmd-flow`: the particle MMD flow with and without noise injection, run side by side from
// the same initial particles (wgf/mmd_particle_flow.hpp), MMD² recorded along the way.
#include <omp.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <iomanip>
#include <iostream>

#include "cli_common.hpp"
#include "cli.hpp"
#include "wgf/errors.hpp"
#include "wgf/h5_file.hpp"
#include "wgf/analysis/mmd_particle_flow.hpp"
#include "wgf/run_control.hpp"

namespace po = boost::program_options;

namespace wgf::cli {

int mmd_flow(const Arguments& args, const std::string& command_line) {
  MmdFlowConfig c;
  c.noise = 10;
  c.noise_iterations = 5000;
  c.particles = 200;
  long iterations = 20000, record_every = 10;
  int threads = omp_get_max_threads();
  std::string out;
  po::options_description options(
      "wgf mmd-flow: particles X_i descend the MMD witness function f (Arbel et al. 2019),\n"
      "  X_i <- X_i - step * grad f(X_i + beta_n U_i),  U_i ~ N(0, I),\n"
      "with the gaussian kernel exp(-|x-y|^2/(2 sigma^2)), particles starting N(init-mean, "
      "init-std^2 I)\nand the target N(target-mean, target-std^2 I) (exact, or --target-samples "
      "draws). Two runs from the\nsame particles: without noise (beta_n = 0) and with beta_n = "
      "--noise for the first --noise-iters\nsteps. Writes /mmd_flow/{iteration, "
      "mmd2_without_noise, mmd2_with_noise} (exact MMD^2 of the\nparticle measure for the exact "
      "target), initial and final positions; every random draw comes\nfrom --seed.\n\noptions");
  // clang-format off
  options.add_options()
    ("help,h", "print this help")
    ("dim", po::value<int>(&c.dim)->default_value(c.dim), "dimension d")
    ("particles", po::value<long>(&c.particles)->default_value(c.particles), "particles N")
    ("iters", po::value<long>(&iterations)->default_value(iterations), "steps of each run")
    ("sigma", po::value<double>(&c.sigma)->default_value(c.sigma), "kernel bandwidth")
    ("step", po::value<double>(&c.step)->default_value(c.step, "0.1"), "step size gamma")
    ("noise", po::value<double>(&c.noise)->default_value(c.noise), "noise level beta")
    ("noise-iters", po::value<long>(&c.noise_iterations)->default_value(c.noise_iterations),
     "steps with noise (then beta_n = 0)")
    ("init-mean", po::value<double>(&c.init_mean)->default_value(c.init_mean),
     "initial particles' mean (every coordinate)")
    ("init-std", po::value<double>(&c.init_std)->default_value(c.init_std),
     "initial particles' standard deviation")
    ("target-mean", po::value<double>(&c.target_mean)->default_value(c.target_mean),
     "target's mean (every coordinate)")
    ("target-std", po::value<double>(&c.target_std)->default_value(c.target_std),
     "target's standard deviation")
    ("target-samples", po::value<long>(&c.target_samples)->default_value(c.target_samples),
     "0: exact Gaussian target (closed-form embedding); M > 0: M samples of it")
    ("seed", po::value<std::uint64_t>(&c.seed)->default_value(c.seed), "random seed")
    ("record-every", po::value<long>(&record_every)->default_value(record_every),
     "MMD^2 every this many steps (and at the first and last)")
    ("threads", po::value<int>(&threads)->default_value(threads), "OpenMP threads")
    ("out", po::value<std::string>(&out)->required(), "output HDF5 file")
    ("force", "overwrite an existing output file")
    ("quiet", "print nothing on success");
  // clang-format on
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).run(), vm);
  if (vm.count("help")) {
    std::cout << options
              << "\nexit codes: 0 done, 2 invalid input, 1 other failure\n";
    return 0;
  }
  po::notify(vm);
  c.validate();
  if (iterations < 1) throw InputError("--iters " + std::to_string(iterations) + ": must be >= 1");
  if (record_every < 1)
    throw InputError("--record-every " + std::to_string(record_every) + ": must be >= 1");
  if (threads < 1) throw InputError("--threads " + std::to_string(threads) + ": must be >= 1");
  const bool force = vm.count("force") > 0, quiet = vm.count("quiet") > 0;
  OutputFile::check_destination(out, force);
  omp_set_num_threads(threads);
  install_interrupt_handlers();

  MmdFlowConfig plain_config = c;
  plain_config.noise = 0;
  plain_config.noise_iterations = 0;
  MmdParticleFlow plain(plain_config), noisy(c);
  const std::vector<double> initial = plain.positions();

  std::vector<double> recorded_iteration, mmd2_plain, mmd2_noisy;
  for (auto* v : {&recorded_iteration, &mmd2_plain, &mmd2_noisy})
    v->reserve(static_cast<std::size_t>(iterations / record_every + 2));
  auto record = [&] {
    recorded_iteration.push_back(static_cast<double>(plain.iteration()));
    mmd2_plain.push_back(plain.mmd2());
    mmd2_noisy.push_back(noisy.mmd2());
  };
  const auto start = std::chrono::steady_clock::now();
  ProgressLine progress("mmd-flow", quiet);
  std::string status = "completed";
  record();
  for (long n = 1; n <= iterations; ++n) {
    if (interrupted()) {
      status = "interrupted";
      break;
    }
    plain.step();
    noisy.step();
    if (n % record_every == 0 || n == iterations) record();
    if (n % 100 == 0) {
      char detail[96];
      std::snprintf(detail, sizeof detail, "step %ld MMD2 %.3g / %.3g", n, mmd2_plain.back(),
                    mmd2_noisy.back());
      progress.update(static_cast<double>(n) / static_cast<double>(iterations), detail);
    }
  }
  progress.finish();
  if (recorded_iteration.back() != static_cast<double>(plain.iteration())) record();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  OutputFile file(out, force);
  const hid_t root = file.root();
  write_run_header(root, "mmd-flow", command_line);
  write_attribute(root, "dim", static_cast<long>(c.dim));
  write_attribute(root, "particles", c.particles);
  write_attribute(root, "iters", iterations);
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
  write_attribute(root, "record_every", record_every);
  write_attribute(root, "threads", static_cast<long>(threads));
  write_attribute(root, "compute_seconds", seconds);
  const hid_t group = file.group("/mmd_flow");
  write_attribute(group, "note",
                  std::string("mmd2_*: MMD^2 (no 1/2) of the particle measure against the target "
                              "after `iteration` steps; both runs start from initial_positions"));
  const hsize_t records = recorded_iteration.size();
  write_dataset(group, "iteration", recorded_iteration, {records});
  write_dataset(group, "mmd2_without_noise", mmd2_plain, {records});
  write_dataset(group, "mmd2_with_noise", mmd2_noisy, {records});
  const std::vector<hsize_t> shape{static_cast<hsize_t>(c.particles),
                                   static_cast<hsize_t>(c.dim)};
  write_dataset(group, "initial_positions", initial, shape);
  write_dataset(group, "final_positions_without_noise", plain.positions(), shape);
  write_dataset(group, "final_positions_with_noise", noisy.positions(), shape);
  if (c.target_samples > 0)
    write_dataset(group, "target_samples", plain.target_samples(),
                  {static_cast<hsize_t>(c.target_samples), static_cast<hsize_t>(c.dim)});
  file.finish(status);
  if (!quiet)
    std::cout << std::setprecision(4) << "after " << plain.iteration()
              << " steps: MMD^2 without noise " << mmd2_plain.back() << ", with noise "
              << mmd2_noisy.back() << " (" << seconds << " s, status " << status
              << ")\nwritten to " << out << "\n";
  return 0;
}

}  // namespace wgf::cli
