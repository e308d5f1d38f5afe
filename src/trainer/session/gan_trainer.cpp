#include "wgf/netcdf_variables.hpp"
#include "wgf/trainer/gan_trainer.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>

#include "training_log.hpp"
#include "wgf/errors.hpp"
#include "wgf/h5_file.hpp"
#include "wgf/run_header.hpp"
#include "wgf/run_control.hpp"
#include "wgf/trainer/critic_flow_backend.hpp"
#include "wgf/trainer/datasets.hpp"
#include "wgf/trainer/network_file.hpp"
#include "wgf/trainer/random.hpp"

namespace wgf {

const char* const kDefaultTrainingLoss =
    "gaussian:sigma=1+gaussian:sigma=2+gaussian:sigma=4+gaussian:sigma=8+gaussian:sigma=16";

double TrainingOutcome::metric(const std::string& name) const {
  for (std::size_t i = 0; i < metric_names.size(); ++i)
    if (metric_names[i] == name) return final_metrics[i];
  return std::numeric_limits<double>::quiet_NaN();
}

namespace {

// Random streams of one seed: each consumer has its own, so adding a metric never shifts the
// training batches.
enum Stream : std::uint64_t { kInitStream = 1, kTrainStream = 2, kEvalStream = 3 };

void require(bool ok, const std::string& message) {
  if (!ok) throw InputError(message);
}

void validate(const TrainingConfig& c) {
  require(c.iterations >= 0, "--iters " + std::to_string(c.iterations) + ": must be >= 0");
  require(c.latent_dim >= 1, "--dz " + std::to_string(c.latent_dim) + ": must be >= 1");
  require(c.feature_dim >= 1, "--df " + std::to_string(c.feature_dim) + ": must be >= 1");
  require(c.batch >= 2, "--batch " + std::to_string(c.batch) + ": must be >= 2");
  require(c.n_critic >= 1, "--n-critic " + std::to_string(c.n_critic) + ": must be >= 1");
  require(c.log_every >= 1, "--log-every " + std::to_string(c.log_every) + ": must be >= 1");
  require(c.metrics_every >= 1, "--metrics-every " + std::to_string(c.metrics_every) + ": must be >= 1");
  require(c.snapshot_every >= 0, "--snapshot-every " + std::to_string(c.snapshot_every) + ": must be >= 0");
  require(c.snapshot_rows >= 0, "--snapshot-samples: must be >= 0");
  // A snapshot holds the first rows of the evaluation samples: more would be cut silently.
  require(c.snapshot_rows == 0 || c.snapshot_rows <= c.metrics.rows,
          "--snapshot-samples " + std::to_string(c.snapshot_rows) + ": a snapshot holds the first rows of the " +
              "evaluation samples, so it must be <= --eval-samples (" + std::to_string(c.metrics.rows) + ")");
  Dynamics::validate_eps(c.eps, !c.stabilizer.empty());
  require(c.softening >= 0 && std::isfinite(c.softening), "--softening: must be >= 0");
  require(c.lr_schedule == "constant" || c.lr_schedule == "linear",
          "--lr-schedule '" + c.lr_schedule + "': use constant or linear");
  require(c.threads >= 1, "--threads " + std::to_string(c.threads) + ": must be >= 1");
  c.generator_adam.validate("--lr-g/--beta1/--beta2/--adam-eps: the generator's");
  c.discriminator_adam.validate("--lr-d/--beta1/--beta2/--adam-eps: the discriminator's");
  c.method.validate();
}

void fill_normal(Rng& rng, std::vector<float>& out) {
  for (float& v : out) v = static_cast<float>(rng.normal());
}

std::vector<double> as_double(const std::vector<float>& v) { return {v.begin(), v.end()}; }

void write_parameters(hid_t root, const TrainingConfig& c, const GanSetup& setup,
                      const DataSource& data, const std::string& mmd) {
  write_attribute(root, "data", c.data);
  write_attribute(root, "data_description", data.describe());
  write_attribute(root, "dx", static_cast<long>(data.dim()));
  write_attribute(root, "loss", setup.generator_kernel.spec());
  write_attribute(root, "stabilizer", c.stabilizer);
  write_attribute(root, "eps", c.eps);
  write_attribute(root, "discriminator_kernel", setup.discriminator_kernel.spec());
  write_attribute(root, "device", c.device);
  write_attribute(root, "iters", c.iterations);
  write_attribute(root, "seed", static_cast<long>(c.seed));
  write_attribute(root, "generator", setup.generator.describe());
  write_attribute(root, "discriminator", setup.discriminator.describe());
  write_attribute(root, "dz", static_cast<long>(c.latent_dim));
  write_attribute(root, "df", static_cast<long>(c.feature_dim));
  write_attribute(root, "batch", c.batch);
  write_attribute(root, "lr_g", c.generator_adam.lr);
  write_attribute(root, "lr_d", c.discriminator_adam.lr);
  write_attribute(root, "beta1", c.generator_adam.beta1);
  write_attribute(root, "beta2", c.generator_adam.beta2);
  write_attribute(root, "adam_eps", c.generator_adam.eps);
  write_attribute(root, "n_critic", static_cast<long>(c.n_critic));
  write_attribute(root, "lr_schedule", c.lr_schedule);
  write_attribute(root, "estimator", c.estimator);
  write_attribute(root, "softening", c.softening);
  write_attribute(root, "log_every", c.log_every);
  write_attribute(root, "metrics_every", c.metrics_every);
  write_attribute(root, "snapshot_every", c.snapshot_every);
  write_attribute(root, "eval_samples", c.metrics.rows);
  write_attribute(root, "mmd_kernel", mmd);
  write_attribute(root, "threads", static_cast<long>(c.threads));
  write_attribute(root, "method", c.method.critic);
  write_attribute(root, "method_description", c.method.describe());
  write_attribute(root, "critic_penalty", c.method.penalty());
  write_attribute(root, "generator_update", c.method.generator_update);
  write_attribute(root, "persistence", c.method.persistence);
  write_attribute(root, "euler_dt", c.method.euler_dt);
  write_attribute(root, "g_optimizer", c.method.generator_optimizer);
  std::vector<long> shape = data.sample_shape();
  write_attribute(root, "sample_shape", shape);
}

}  // namespace

Dynamics training_dynamics(const TrainingConfig& c) {
  Dynamics d;
  d.kernel = parse_kernel(c.loss);
  // Parsed (so checked) even when ε = 0 leaves it out of D's kernel.
  if (!c.stabilizer.empty()) d.stabilizer = parse_kernel(c.stabilizer);
  d.eps = c.eps;
  d.role = Role::discriminator;
  return d;
}

GanSetup make_gan_setup(const TrainingConfig& c, int dx) {
  GanSetup s;
  s.generator.inputs = c.latent_dim;
  s.generator.hidden = c.generator_hidden;
  s.generator.outputs = dx;
  s.generator.activation = parse_activation(c.generator_activation, "--g-activation");
  s.generator.output_activation = parse_activation(c.generator_output, "--g-output");
  s.generator.validate("--g-hidden");
  s.discriminator.inputs = dx;
  s.discriminator.hidden = c.discriminator_hidden;
  s.discriminator.outputs = c.feature_dim;
  s.discriminator.activation = parse_activation(c.discriminator_activation, "--d-activation");
  s.discriminator.validate("--d-hidden");
  s.generator_adam = c.generator_adam;
  s.discriminator_adam = c.discriminator_adam;
  const Dynamics dynamics = training_dynamics(c);
  s.generator_kernel = dynamics.kernel;
  s.discriminator_kernel = dynamics.discriminator_kernel();
  s.softening = c.softening;
  s.estimator = parse_estimator(c.estimator);
  s.batch = c.batch;
  // Compiling the kernels for the feature space checks them there (riesz's α against df).
  PairKernel(s.generator_kernel, c.feature_dim, c.softening);
  PairKernel(s.discriminator_kernel, c.feature_dim, c.softening);
  return s;
}

namespace {

// The evaluation sets, fixed for the whole run so that metrics and snapshots are comparable:
// held-out real samples and latents of their own stream.
struct EvaluationSets {
  long rows = 0;
  std::vector<float> real, latent;
};

EvaluationSets make_evaluation_sets(const TrainingConfig& c, const DataSource& data, long rows) {
  EvaluationSets sets;
  sets.rows = rows;
  sets.real.resize(rows * data.dim());
  sets.latent.resize(rows * c.latent_dim);
  data.held_out(rows, sets.real.data());
  Rng eval_rng(c.seed, kEvalStream);
  fill_normal(eval_rng, sets.latent);
  return sets;
}

// The root attributes of §4 and, for mixtures, the mixture's centres and spread.
void write_run_description(OutputFile& file, const TrainingConfig& c, const GanSetup& setup,
                           const DataSource& data, const TrainingMetrics& metrics) {
  const hid_t root = file.root();
  write_run_header(root, "train", c.command_line);
  write_parameters(root, c, setup, data, metrics.mmd_spec());
  if (const GaussianMixture* m = data.mixture()) {
    write_variable(file.group("/train"), "mixture_centres", m->centres,
                   {static_cast<hsize_t>(m->components()), static_cast<hsize_t>(m->dim)},
                   {{"component", "coordinate"}, "1", "centres of the data's Gaussian mixture"});
    write_attribute(file.group("/train"), "mixture_std", m->std);
  }
}

// Metrics and snapshots of the current networks on the evaluation sets, into the log.
class Evaluation {
public:
  Evaluation(GanBackend& backend, TrainingMetrics& metrics, TrainingLog& log,
             const EvaluationSets& sets, int dx, int df)
      : backend_(backend),
        metrics_(metrics),
        log_(log),
        sets_(sets),
        fake_(sets.rows * dx),
        features_real_(sets.rows * df),
        features_fake_(sets.rows * df) {}

  void operator()(long iteration, bool with_metrics, bool with_snapshot, TrainingOutcome& outcome) {
    const long rows = sets_.rows;
    backend_.generate(sets_.latent.data(), rows, fake_.data());
    backend_.features(fake_.data(), rows, features_fake_.data());
    backend_.features(sets_.real.data(), rows, features_real_.data());
    if (with_metrics) {
      metrics_.evaluate(fake_.data(), sets_.real.data(), features_fake_.data(),
                        features_real_.data(), result_);
      log_.metrics(iteration, result_);
      outcome.final_metrics = result_.scalars;
    }
    if (with_snapshot)
      log_.snapshot(iteration, fake_.data(), features_real_.data(), features_fake_.data());
  }

private:
  GanBackend& backend_;
  TrainingMetrics& metrics_;
  TrainingLog& log_;
  const EvaluationSets& sets_;
  std::vector<float> fake_, features_real_, features_fake_;
  TrainingMetrics::Result result_;
};

// The iterations: n_critic D steps and one G step each on batches of the training stream,
// losses at the log interval (a non-finite one ends the run "diverged"), metrics and snapshots
// at theirs, a signal ends it "interrupted". Sets outcome.status and outcome.iterations.
void run_iterations(const TrainingConfig& c, const DataSource& data, GanBackend& backend,
                    TrainingLog& log, Evaluation& evaluate, TrainingOutcome& outcome) {
  const long b = c.batch;
  std::vector<float> real(b * data.dim()), latent(b * c.latent_dim);
  Rng rng(c.seed, kTrainStream);
  ProgressLine progress("train", c.quiet);
  char detail[160] = "";
  outcome.status = "completed";
  long it = 0;
  const bool linear_decay = c.lr_schedule == "linear";
  while (it < c.iterations) {
    ++it;
    if (linear_decay) {
      // The rate of iteration it (1-based) falls linearly to 0 after the last iteration.
      const double factor = 1.0 - static_cast<double>(it - 1) / static_cast<double>(c.iterations);
      backend.set_learning_rates(c.generator_adam.lr * factor, c.discriminator_adam.lr * factor);
    }
    for (int k = 0; k < c.n_critic; ++k) {
      data.sample_training(rng, b, real.data());
      fill_normal(rng, latent);
      backend.discriminator_step(real.data(), latent.data());
    }
    data.sample_training(rng, b, real.data());
    fill_normal(rng, latent);
    backend.generator_step(real.data(), latent.data());

    const bool stop = interrupted();
    const bool last = it == c.iterations || stop;
    if (it % c.log_every == 0 || last) {
      outcome.losses = backend.last_losses();
      log.losses(it, outcome.losses);
      std::snprintf(detail, sizeof detail, "iter %ld/%ld  loss_g %.4g  loss_d %.4g", it,
                    c.iterations, outcome.losses.generator, outcome.losses.discriminator);
      if (!std::isfinite(outcome.losses.generator) || !std::isfinite(outcome.losses.discriminator)) {
        outcome.status = "diverged";
        break;
      }
    }
    const bool metrics_due = it % c.metrics_every == 0 || last;
    const bool snapshot_due = (c.snapshot_every > 0 && it % c.snapshot_every == 0) || last;
    if (metrics_due || snapshot_due) evaluate(it, metrics_due, snapshot_due, outcome);
    progress.update(static_cast<double>(it) / std::max<long>(c.iterations, 1), detail);
    if (stop) {
      outcome.status = "interrupted";
      break;
    }
  }
  progress.finish();
  outcome.iterations = it;
}

// /train/final_parameters, the same networks layer by layer (/train/networks) and the closing
// root attributes.
void write_final_state(OutputFile& file, GanBackend& backend, const GanSetup& setup,
                       const TrainingConfig& c, int dx, std::vector<float>& generator,
                       std::vector<float>& discriminator, const TrainingOutcome& outcome) {
  backend.read_parameters(generator, discriminator);
  const hid_t parameters = file.group("/train/final_parameters");
  write_variable(parameters, "generator", as_double(generator), {generator.size()},
                 {{"generator_parameter"}, "1", "generator's parameters, flat, at the end"});
  write_variable(parameters, "discriminator", as_double(discriminator), {discriminator.size()},
                 {{"discriminator_parameter"}, "1", "discriminator's parameters, flat, at the end"});
  const hid_t networks = file.group("/train/networks");
  write_attribute(networks, "description",
                  std::string("the networks at the end of the run, one group per layer (weight: fan_in x "
                              "fan_out, row vectors map as x weight + bias); the same numbers as "
                              "/train/final_parameters"));
  const std::string latent = "latent z ~ N(0, I_" + std::to_string(c.latent_dim) + ")";
  const std::string samples = "samples in data space (" + std::to_string(dx) + "-dimensional)";
  write_network(networks, {"generator", latent, samples}, setup.generator, as_double(generator));
  write_network(networks,
                {"discriminator", samples + ", real or generated",
                 c.method.wasserstein() ? std::string("the critic's scalar value")
                                        : "features (" + std::to_string(setup.discriminator.outputs) +
                                              "-dimensional) compared by the loss kernel"},
                setup.discriminator, as_double(discriminator));
  write_attribute(file.root(), "iterations_done", outcome.iterations);
  // Wall time of the loop (metrics included): for comparisons of methods against time.
  write_attribute(file.root(), "train_seconds", outcome.seconds);
}

}  // namespace

TrainingOutcome run_training(const TrainingConfig& config) {
  TrainingConfig c = config;
  if (c.method.wasserstein()) c.feature_dim = 1;  // the WGAN critic ψ is scalar
  validate(c);
  OutputFile::check_destination(c.out, c.force);
  check_training_device(c.method, c.device);
  const auto data = make_data_source(c.data, c.seed, c.metrics.rows);
  const int dx = data->dim();
  const GanSetup setup = make_gan_setup(c, dx);

  MetricsConfig metrics_config = c.metrics;
  metrics_config.rows = std::min(c.metrics.rows, data->held_out_capacity());
  const EvaluationSets sets = make_evaluation_sets(c, *data, metrics_config.rows);
  TrainingMetrics metrics(metrics_config, dx, c.feature_dim, sets.real.data(), data->mixture());
  const long snapshot_rows = std::min(c.snapshot_rows == 0 ? 512L : c.snapshot_rows, sets.rows);

  std::vector<float> generator(setup.generator.parameter_count()),
      discriminator(setup.discriminator.parameter_count());
  Rng init_rng(c.seed, kInitStream);
  initialize_mlp(setup.generator, init_rng, generator.data());
  initialize_mlp(setup.discriminator, init_rng, discriminator.data());
  const auto backend = make_training_backend(c.method, c.device, setup, c.seed);
  backend->load_parameters(generator, discriminator);

  install_interrupt_handlers();
  OutputFile file(c.out, c.force);
  write_run_description(file, c, setup, *data, metrics);
  TrainingLog log(file, metrics, snapshot_rows, dx, c.feature_dim);

  TrainingOutcome outcome;
  outcome.metric_names = metrics.scalar_names();
  Evaluation evaluate(*backend, metrics, log, sets, dx, c.feature_dim);
  evaluate(0, true, true, outcome);
  const auto start = std::chrono::steady_clock::now();
  run_iterations(c, *data, *backend, log, evaluate, outcome);
  outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  write_final_state(file, *backend, setup, c, dx, generator, discriminator, outcome);
  file.finish(outcome.status);
  return outcome;
}

}  // namespace wgf
