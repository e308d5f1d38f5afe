#include <omp.h>

#include <boost/program_options.hpp>
#include <cmath>
#include <iostream>

#include "cli.hpp"
#include "cli_common.hpp"
#include "wgf/errors.hpp"
#include "wgf/spec_text.hpp"
#include "wgf/trainer/gan_trainer.hpp"

namespace po = boost::program_options;

namespace wgf::cli {

namespace {

std::vector<double> parse_vector(const std::string& text, const std::string& option) {
  std::vector<double> v;
  for (const auto& token : split(text, ',')) v.push_back(parse_number(token, option + " '" + text + "'"));
  return v;
}

// The options of `wgf train` and the values that become parts of the configuration.
struct TrainOptions {
  TrainingConfig config;
  std::string g_hidden = "128,128,128", d_hidden = "128";
  double lr = 1e-3, lr_g = 0, lr_d = 0, beta1 = 0.5, beta2 = 0.9, adam_eps = 1e-8;
  long seed = 0;
  std::vector<std::string> structure_xi;
};

void add_options(po::options_description& options, TrainOptions& o) {
  TrainingConfig& c = o.config;
  // clang-format off
  options.add_options()
    ("help,h", "print this help")
    ("data", po::value<std::string>(&c.data)->default_value(c.data),
     "ring8 | grid25 | gaussian2d | uniform-square | fashion-mnist | an idx file (images) | FILE.h5[:/dataset] (2-D points)")
    ("loss", po::value<std::string>(&c.loss)->default_value(c.loss), "kernel spec e (see below)")
    ("stabilizer", po::value<std::string>(&c.stabilizer), "stabiliser kernel spec s")
    ("eps", po::value<double>(&c.eps)->default_value(0.0, as_typed(0.0)),
     "stabiliser weight: D plays e - eps s (0: the original GAN)")
    ("device", po::value<std::string>(&c.device)->default_value("cpu"), "cpu | cuda")
    ("method", po::value<std::string>(&c.method.critic)->default_value(c.method.critic),
     "mmd (D a feature map, the particle-based distance) | wgan-gp (a scalar critic psi with "
     "gradient penalty; --df is 1); every choice but the default method runs on the CPU only")
    ("critic-penalty", po::value<double>(&c.method.critic_penalty),
     "lambda of the critic's input-gradient penalty: wgan-gp (|grad psi| - 1)^2 at "
     "interpolates (default 10); mmd E|grad_x f|^2 of the witness f (default 0: none)")
    ("generator-update", po::value<std::string>(&c.method.generator_update)->default_value(c.method.generator_update),
     "gradient (plain generator steps) | euler (forward Euler: targets y = G(z) + dt v held "
     "fixed, v the critic's velocity; steps on mean |G(z) - y|^2)")
    ("persistence", po::value<long>(&c.method.persistence)->default_value(c.method.persistence),
     "K: generator steps per iteration, all on the same batch, targets and critic")
    ("euler-dt", po::value<double>(&c.method.euler_dt)->default_value(c.method.euler_dt, as_typed(c.method.euler_dt)),
     "dt of the forward-Euler targets")
    ("g-optimizer", po::value<std::string>(&c.method.generator_optimizer)->default_value(c.method.generator_optimizer),
     "adam | sgd (plain gradient descent at G's learning rate)")
    ("iters", po::value<long>(&c.iterations)->default_value(c.iterations),
     "iterations (each: n-critic D steps, one G step)")
    ("seed", po::value<long>(&o.seed)->default_value(0), "random seed (>= 0) of the whole run")
    ("g-hidden", po::value<std::string>(&o.g_hidden)->default_value(o.g_hidden),
     "G's hidden widths, comma-separated (depth = count; 'none' for a linear G)")
    ("d-hidden", po::value<std::string>(&o.d_hidden)->default_value(o.d_hidden), "D's hidden widths")
    ("g-activation", po::value<std::string>(&c.generator_activation)->default_value(c.generator_activation),
     "G's hidden activation")
    ("d-activation", po::value<std::string>(&c.discriminator_activation)->default_value(c.discriminator_activation),
     "D's hidden activation")
    ("g-output", po::value<std::string>(&c.generator_output)->default_value(c.generator_output),
     "G's output activation (tanh suits images in [-1, 1])")
    ("dz", po::value<int>(&c.latent_dim)->default_value(c.latent_dim), "latent dimension, z ~ N(0, I)")
    ("df", po::value<int>(&c.feature_dim)->default_value(c.feature_dim), "feature dimension of D")
    ("batch", po::value<long>(&c.batch)->default_value(c.batch), "minibatch rows (real and fake each)")
    ("lr", po::value<double>(&o.lr)->default_value(o.lr, as_typed(o.lr)), "Adam learning rate of both players")
    ("lr-g", po::value<double>(&o.lr_g), "G's learning rate (overrides --lr)")
    ("lr-d", po::value<double>(&o.lr_d), "D's learning rate (overrides --lr)")
    ("lr-schedule", po::value<std::string>(&c.lr_schedule)->default_value(c.lr_schedule),
     "constant | linear (both rates fall linearly to 0 over the run)")
    ("beta1", po::value<double>(&o.beta1)->default_value(o.beta1, as_typed(o.beta1)), "Adam beta1")
    ("beta2", po::value<double>(&o.beta2)->default_value(o.beta2, as_typed(o.beta2)), "Adam beta2")
    ("adam-eps", po::value<double>(&o.adam_eps)->default_value(o.adam_eps, as_typed(o.adam_eps)), "Adam epsilon")
    ("n-critic", po::value<int>(&c.n_critic)->default_value(c.n_critic), "D steps per G step")
    ("estimator", po::value<std::string>(&c.estimator)->default_value(c.estimator),
     "v (V-statistic, all pairs) | u (U-statistic, diagonal left out)")
    ("softening", po::value<double>(&c.softening)->default_value(c.softening, as_typed(c.softening)),
     "delta: laplace, energy and riesz are evaluated at sqrt(r^2 + delta^2)")
    ("log-every", po::value<long>(&c.log_every)->default_value(c.log_every), "iterations between loss rows")
    ("metrics-every", po::value<long>(&c.metrics_every)->default_value(c.metrics_every),
     "iterations between metric rows (also at 0 and at the end)")
    ("snapshot-every", po::value<long>(&c.snapshot_every)->default_value(c.snapshot_every),
     "iterations between snapshots of samples and features (0: at 0 and at the end only)")
    ("snapshot-samples", po::value<long>(&c.snapshot_rows)->default_value(c.snapshot_rows),
     "samples per snapshot, the first of the evaluation samples (0: 512, or --eval-samples if "
     "fewer; more than --eval-samples is refused)")
    ("eval-samples", po::value<long>(&c.metrics.rows)->default_value(c.metrics.rows),
     "held-out real and generated samples the metrics compare")
    ("mmd-kernel", po::value<std::string>(&c.metrics.mmd_kernel),
     "kernel of the data-space MMD metric (default: gaussian, sigma = median distance)")
    ("structure-xi", po::value<std::vector<std::string>>(&o.structure_xi),
     "extra wave vector (df components, comma-separated) for the features' structure factor; "
     "repeatable")
    ("structure-harmonics", po::value<int>(&c.metrics.structure_harmonics)->default_value(3),
     "box wave vectors m e_a, m = 1..this, for the structure factor")
    ("structure-box", po::value<double>(&c.metrics.structure_box)->default_value(6.0, as_typed(6.0)),
     "box side for those wave vectors, in units of the real features' std")
    ("threads", po::value<int>(&c.threads)->default_value(omp_get_max_threads()), "OpenMP threads")
    ("out", po::value<std::string>(&c.out)->required(), "(required) output HDF5 file")
    ("force", "overwrite an existing output file")
    ("quiet", "no progress and only the final status line");
  // clang-format on
}

// Checks the parsed options (InputError) and completes the configuration.
void apply_options(TrainOptions& o, const po::variables_map& vm, const std::string& command_line) {
  TrainingConfig& c = o.config;
  c.force = vm.count("force") > 0;
  c.quiet = vm.count("quiet") > 0;
  if (vm.count("critic-penalty") && !(c.method.critic_penalty >= 0))
    throw InputError("--critic-penalty " + std::to_string(c.method.critic_penalty) + ": must be >= 0");
  c.seed = checked_seed(o.seed);
  c.generator_hidden = parse_widths(o.g_hidden, "--g-hidden");
  c.discriminator_hidden = parse_widths(o.d_hidden, "--d-hidden");
  c.generator_adam = {vm.count("lr-g") ? o.lr_g : o.lr, o.beta1, o.beta2, o.adam_eps};
  c.discriminator_adam = {vm.count("lr-d") ? o.lr_d : o.lr, o.beta1, o.beta2, o.adam_eps};
  for (const auto& xi : o.structure_xi)
    c.metrics.structure_xi.push_back(parse_vector(xi, "--structure-xi"));
  check_threads(c.threads);
  c.command_line = command_line;
}

void print_outcome(const TrainingOutcome& outcome, const std::string& out) {
  std::cout << "status " << outcome.status << " after " << outcome.iterations
            << " iterations in " << outcome.seconds << " s ("
            << outcome.iterations / std::max(outcome.seconds, 1e-9) << " it/s); loss_g "
            << outcome.losses.generator << ", loss_d " << outcome.losses.discriminator << "\n";
  for (std::size_t i = 0; i < outcome.metric_names.size(); ++i)
    std::cout << "  " << outcome.metric_names[i] << " " << outcome.final_metrics[i] << "\n";
  std::cout << "written to " << out << "\n";
}

}  // namespace

int train(const Arguments& args, const std::string& command_line) {
  TrainOptions o;
  po::options_description options(
      "wgf train: train an MLP GAN whose discriminator D is a feature map: D ascends\n"
      "E_{e - eps s}(D#P_G, D#P_data), the generator G descends E_e (docs/design.md sections 1, 3)\n\n"
      "options");
  add_options(options, o);
  po::variables_map vm;
  if (parse_options(args, options, vm,
                    "\nkernel specs (--loss, --stabilizer, --mmd-kernel):\n" + kernel_catalogue_help() +
                        "\nactivations: " + activation_help() +
                        "\n\nThe run is reproducible: the same command line and thread count write "
                        "the same numbers.\nexit codes: 0 done (also 'interrupted' or 'diverged': the "
                        "status attribute says so), 2 invalid input, 1 other failure\n"))
    return 0;
  apply_options(o, vm, command_line);
  const TrainingConfig& c = o.config;
  omp_set_num_threads(c.threads);

  const TrainingOutcome outcome = run_training(c);
  if (!c.quiet) print_outcome(outcome, c.out);
  else std::cout << "status " << outcome.status << " after " << outcome.iterations
                 << " iterations; written to " << c.out << "\n";
  return 0;
}

}  // namespace wgf::cli
