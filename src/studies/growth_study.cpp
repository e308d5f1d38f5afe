#include "wgf/studies/growth_study.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>

#include "wgf/analysis/feature_shells.hpp"
#include "wgf/analysis/free_particle_rate.hpp"
#include "wgf/analysis/growth_fit.hpp"
#include "wgf/dynamics.hpp"
#include "wgf/errors.hpp"
#include "wgf/run_control.hpp"
#include "wgf/studies/gan_checkpoint.hpp"
#include "wgf/trainer/activation.hpp"
#include "wgf/trainer/datasets.hpp"
#include "wgf/trainer/mlp.hpp"
#include "wgf/trainer/mlp_tangent.hpp"
#include "wgf/trainer/pair_kernel.hpp"
#include "wgf/trainer/pairwise_hessian.hpp"
#include "wgf/trainer/pairwise_loss.hpp"
#include "wgf/trainer/random.hpp"

namespace wgf {

GrowthRules GrowthRules::from(const Protocol& p) {
  // The table studies (growth-table, growth-pilot) hold the run rules and their grid.
  // The studies built on wgf growth carry its run rules beside their own (their grids, the
  // training of the checkpoints they start from), which the study scripts read.
  const std::vector<std::string> names = {"growth", "growth-quick", "growth-table", "growth-pilot",
                                          "growth-trained-pilot", "growth-trained"};
  if (std::find(names.begin(), names.end(), p.name()) == names.end()) p.require_name("growth");
  p.allow_only({"table_data", "table_losses", "table_stabilizers", "table_eps", "table_seeds",
                "table_relative_target", "table_resamples", "table_seed", "table_runs_of", "train_options", "name", "version", "description", "batch", "time_step", "max_steps",
                "sample_every", "stop_power_ratio", "stop_phase", "step_phase", "radii", "directions", "bootstrap_resamples",
                "bootstrap_block", "confidence", "density_bandwidth", "resolved_ci_fraction", "resolved_rule",
                "softening", "estimator", "d_activation", "d_hidden", "feature_dim"});
  GrowthRules r;
  r.batch = p.integer("batch");
  r.time_step = p.number("time_step");
  r.max_steps = p.integer("max_steps");
  r.sample_every = p.integer("sample_every");
  r.stop_power_ratio = p.number("stop_power_ratio");
  r.stop_phase = p.has("stop_phase") ? p.number("stop_phase") : 0.0;
  r.step_phase = p.has("step_phase") ? p.number("step_phase") : 0.0;
  r.radii = p.numbers("radii");
  r.directions = static_cast<int>(p.integer("directions"));
  r.resamples = static_cast<int>(p.integer("bootstrap_resamples"));
  r.block = static_cast<int>(p.integer("bootstrap_block"));
  r.confidence = p.number("confidence");
  r.density_bandwidth = p.number("density_bandwidth");
  const std::string where_rule = "protocol " + p.origin() + ": ";
  if (p.has("resolved_rule") == p.has("resolved_ci_fraction"))
    throw InputError(where_rule + "name exactly one of resolved_ci_fraction and resolved_rule");
  if (p.has("resolved_rule")) {
    if (p.string("resolved_rule") != "interval_excludes_zero")
      throw InputError(where_rule + "resolved_rule must be interval_excludes_zero, not '" +
                       p.string("resolved_rule") + "'");
    r.resolved_excludes_zero = true;
  } else {
    r.resolved_ci_fraction = p.number("resolved_ci_fraction");
  }
  r.softening = p.number("softening");
  r.estimator = p.string("estimator");
  r.activation = p.string("d_activation");
  for (long w : p.integers("d_hidden")) r.d_hidden.push_back(static_cast<int>(w));
  r.feature_dim = static_cast<int>(p.integer("feature_dim"));
  const std::string where = "protocol " + p.origin() + ": ";
  if (r.batch < 2) throw InputError(where + "batch must be at least 2");

  if (r.max_steps < 2 || r.sample_every < 1 || r.sample_every > r.max_steps)
    throw InputError(where + "max_steps must be ≥ 2 and sample_every in [1, max_steps]");
  if (!(r.stop_power_ratio > 1)) throw InputError(where + "stop_power_ratio must exceed 1");
  if (r.step_phase < 0) throw InputError(where + "step_phase must be ≥ 0");
  if (r.stop_phase < 0) throw InputError(where + "stop_phase must be ≥ 0");
  if (!(r.time_step > 0) && !(r.step_phase > 0))
    throw InputError(where + "time_step must be positive (or step_phase set)");
  if (r.directions < 1 || r.resamples < 1 || r.block < 1)
    throw InputError(where + "directions, bootstrap_resamples and bootstrap_block must be ≥ 1");
  if (!(r.confidence > 0 && r.confidence < 1)) throw InputError(where + "confidence must be in (0, 1)");
  if (!(r.density_bandwidth > 0)) throw InputError(where + "density_bandwidth must be positive");
  if (r.feature_dim < 1) throw InputError(where + "feature_dim must be ≥ 1");
  parse_estimator(r.estimator);
  parse_activation(r.activation, where + "d_activation");
  return r;
}

namespace {

// What the features are functions of: a network's parameters, or the features themselves.
// Rows are the stacked batch, fake first.
class FeatureModel {
public:
  virtual ~FeatureModel() = default;
  virtual const double* features() const = 0;
  // θ ← θ + η Jᵀ g, then the features at the new θ.
  virtual void ascend(const double* feature_grad, double eta) = 0;
  // Back to θ0 (and its features).
  virtual void reset() = 0;
  // Θ u with Θ = J Jᵀ at θ0; valid after reset() and before the next ascend().
  virtual void tangent(const double* u, double* out) = 0;
  virtual long parameters() const = 0;
  virtual std::string describe() const = 0;
};

class FreeParticles final : public FeatureModel {
public:
  FreeParticles(std::vector<double> initial) : initial_(std::move(initial)), current_(initial_) {}
  const double* features() const override { return current_.data(); }
  void ascend(const double* g, double eta) override {
    for (std::size_t i = 0; i < current_.size(); ++i) current_[i] += eta * g[i];
  }
  void reset() override { current_ = initial_; }
  void tangent(const double* u, double* out) override { std::copy(u, u + current_.size(), out); }
  long parameters() const override { return static_cast<long>(current_.size()); }
  std::string describe() const override { return "free particles"; }

private:
  std::vector<double> initial_, current_;
};

class NetworkFeatures final : public FeatureModel {
public:
  NetworkFeatures(const MlpShape& shape, std::vector<double> inputs, long rows,
                  std::vector<double> parameters)
      : shape_(shape), inputs_(std::move(inputs)), rows_(rows), initial_(std::move(parameters)),
        theta_(initial_), gradient_(initial_.size()), net_(shape, rows), tangent_(shape, rows),
        features_(static_cast<std::size_t>(rows) * shape.outputs) {
    forward();
  }
  const double* features() const override { return features_.data(); }
  void ascend(const double* g, double eta) override {
    net_.backward(theta_.data(), g, rows_, gradient_.data(), nullptr);
    for (std::size_t i = 0; i < theta_.size(); ++i) theta_[i] += eta * gradient_[i];
    forward();
  }
  void reset() override {
    theta_ = initial_;
    forward();
  }
  void tangent(const double* u, double* out) override {
    net_.backward(theta_.data(), u, rows_, gradient_.data(), nullptr);  // Jᵀ u
    tangent_.apply(net_, theta_.data(), gradient_.data(), out);         // J Jᵀ u
  }
  long parameters() const override { return static_cast<long>(theta_.size()); }
  std::string describe() const override { return shape_.describe(); }

private:
  void forward() {
    const double* out = net_.forward(theta_.data(), inputs_.data(), rows_);
    std::copy(out, out + features_.size(), features_.begin());
  }

  MlpShape shape_;
  std::vector<double> inputs_;
  long rows_;
  std::vector<double> initial_, theta_, gradient_;
  Mlp<double> net_;
  MlpTangent tangent_;
  std::vector<double> features_;
};

bool all_finite(const double* x, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(x[i])) return false;
  return true;
}

// √(mean over rows of |f − f0|²), and of |v|².
double rms_displacement(const double* f, const double* f0, std::size_t values, long rows) {
  double sum = 0;
  for (std::size_t i = 0; i < values; ++i) sum += (f[i] - f0[i]) * (f[i] - f0[i]);
  return std::sqrt(sum / rows);
}

double rms_norm(const double* v, std::size_t values, long rows) {
  double sum = 0;
  for (std::size_t i = 0; i < values; ++i) sum += v[i] * v[i];
  return std::sqrt(sum / rows);
}

// One trajectory's samples: times and the K × M power tables.
struct Trajectory {
  std::vector<double> times;
  std::vector<std::vector<double>> power;
};

}  // namespace

GrowthResult run_growth(const GrowthSettings& s, const GrowthRules& r) {
  if (s.features != "network" && s.features != "free")
    throw InputError("--features '" + s.features + "': expected network or free");
  if (!std::isfinite(s.eps) || s.eps < 0) throw InputError("--eps must be a number ≥ 0");
  const long n = r.batch, rows = 2 * n;
  std::optional<GanCheckpoint> checkpoint, generator;
  // HDF5 (Debian's serial build) is not thread-safe: runs side by side (the quick study) read
  // their checkpoints one at a time; everything after is the run's own memory.
  // (An exception may not leave a critical section: it is carried out of it.)
  std::exception_ptr read_failure;
#pragma omp critical(wgf_hdf5)
  {
    try {
      if (!s.checkpoint.empty()) checkpoint = read_gan_checkpoint(s.checkpoint);
      if (!s.generator.empty()) generator = read_gan_checkpoint(s.generator);
    } catch (...) {
      read_failure = std::current_exception();
    }
  }
  if (read_failure) std::rethrow_exception(read_failure);
  if (checkpoint && s.features == "free")
    throw InputError("--checkpoint starts a network D; it cannot be used with --features free");
  if (checkpoint && (s.hidden_given || s.feature_dim != 0))
    throw InputError("--checkpoint fixes D's shape; leave out --d-hidden and --df");
  std::string data_spec = s.data;
  if (!s.data_given && checkpoint) data_spec = checkpoint->data;
  else if (!s.data_given && generator) data_spec = generator->data;
  auto data = make_data_source(data_spec, s.seed, 1);
  const int input_dim = data->dim();
  // Real inputs: a draw of the data; fake inputs: an independent draw (the base state p = q) or
  // the trained generator's samples.
  Rng rng(s.seed, 0x6A0u);
  std::vector<float> drawn(static_cast<std::size_t>(rows) * input_dim);
  data->sample_training(rng, rows, drawn.data());
  std::vector<double> inputs(drawn.begin(), drawn.end());
  if (generator) {
    if (generator->generator.outputs != input_dim)
      throw InputError("--generator '" + s.generator + "': G makes " +
                       std::to_string(generator->generator.outputs) + "-dimensional samples, the data are " +
                       std::to_string(input_dim) + "-dimensional");
    Mlp<double> g(generator->generator, n);
    std::vector<double> latent(static_cast<std::size_t>(n) * generator->latent_dim);
    Rng latent_rng(s.seed, 0x6A1u);
    for (auto& z : latent) z = latent_rng.normal();
    g.forward_rows(generator->generator_parameters.data(), latent.data(), n, inputs.data());
  }

  std::unique_ptr<FeatureModel> model;
  int df = 0;
  if (s.features == "free") {
    df = input_dim;
    if (s.feature_dim != 0 && s.feature_dim != df)
      throw InputError("--features free: the features are the data points, so --df must be " +
                       std::to_string(df) + " (or left out)");
    model = std::make_unique<FreeParticles>(inputs);
  } else if (checkpoint) {
    const MlpShape& shape = checkpoint->discriminator;
    if (shape.inputs != input_dim)
      throw InputError("--checkpoint '" + s.checkpoint + "': D takes " + std::to_string(shape.inputs) +
                       " inputs, the data have " + std::to_string(input_dim));
    df = shape.outputs;
    model = std::make_unique<NetworkFeatures>(shape, std::move(inputs), rows,
                                              checkpoint->discriminator_parameters);
  } else {
    MlpShape shape;
    shape.inputs = input_dim;
    shape.hidden = s.hidden_given ? s.d_hidden : r.d_hidden;
    shape.outputs = df = s.feature_dim != 0 ? s.feature_dim : r.feature_dim;
    shape.activation = parse_activation(r.activation, "d_activation");
    shape.validate("--d-hidden");
    std::vector<float> initial(shape.parameter_count());
    Rng init_rng(s.seed, 0xD15Cu);
    initialize_mlp(shape, init_rng, initial.data());
    model = std::make_unique<NetworkFeatures>(shape, std::move(inputs), rows,
                                              std::vector<double>(initial.begin(), initial.end()));
  }

  Dynamics dynamics;
  dynamics.kernel = parse_kernel(s.loss);
  if (!s.stabilizer.empty()) dynamics.stabilizer = parse_kernel(s.stabilizer);
  dynamics.eps = s.eps;
  dynamics.role = Role::discriminator;
  dynamics.validate(df);

  GrowthResult out;
  out.feature_dim = df;
  out.network = model->describe();
  out.data = data_spec;
  out.parameters = model->parameters();
  const std::vector<double> f0(model->features(), model->features() + rows * df);
  out.cloud_radius = cloud_radius(f0.data(), rows, df);
  if (!(out.cloud_radius > 0) || !std::isfinite(out.cloud_radius))
    throw InputError("the initial features have no spread (cloud radius " +
                     std::to_string(out.cloud_radius) + ")");
  out.rho_eff = effective_density(f0.data(), rows, df, r.density_bandwidth * out.cloud_radius);
  std::vector<double> radii;
  for (double c : r.radii) radii.push_back(c / out.cloud_radius);
  const FeatureShells shells(radii, r.directions, df, s.seed);
  const int K = shells.radii_count(), M = shells.directions();
  out.xi = radii;
  out.eps_critical = std::numeric_limits<double>::quiet_NaN();
  if (!s.stabilizer.empty()) {
    // ê/ŝ from the free-particle rate itself (λ_free is C|ξ|²(ê − εŝ), linear in ε).
    Dynamics e_only = dynamics, s_only = dynamics;
    e_only.eps = 0;
    s_only.kernel = dynamics.stabilizer;
    s_only.stabilizer = Kernel{};
    s_only.eps = 0;
    out.eps_critical = 0;
    for (double xi : radii) {
      const double e_hat = free_particle_rate(e_only, out.rho_eff, xi, df);
      const double s_hat = free_particle_rate(s_only, out.rho_eff, xi, df);
      if (s_hat > 0) out.eps_critical = std::max(out.eps_critical, e_hat / s_hat);
      else if (e_hat > 0) out.eps_critical = std::numeric_limits<double>::infinity();
    }
  }
  if (s.eps_in_critical_units) {
    if (s.stabilizer.empty()) throw InputError("ε in units of ε*_shells needs a stabiliser");
    if (!std::isfinite(out.eps_critical))
      throw InputError("ε*_shells is infinite (ê > 0 where ŝ ≤ 0): ε cannot be given in its units");
    dynamics.eps = s.eps * out.eps_critical;
    dynamics.validate(df);
  }
  out.eps = dynamics.eps;
  const PairKernel pair_kernel(dynamics.discriminator_kernel(), df, r.softening);
  const Estimator estimator = parse_estimator(r.estimator);
  PairwiseLoss<double> loss(pair_kernel, estimator, n, n, df);
  for (double xi : radii) out.predicted_free.push_back(free_particle_rate(dynamics, out.rho_eff, xi, df));
  // The step: time_step from the protocol, or the one whose first step moves the features by
  // step_phase at the largest |ξ| (Δf = time_step × n Θ ∇E).
  std::vector<double> grad(static_cast<std::size_t>(rows) * df), velocity(grad.size());
  double time_step = r.time_step;
  if (r.step_phase > 0) {
    loss.evaluate(f0.data(), f0.data() + n * df, grad.data(), grad.data() + n * df);
    model->tangent(grad.data(), velocity.data());
    const double speed = n * rms_norm(velocity.data(), grad.size(), rows);
    if (!(speed > 0) || !std::isfinite(speed))
      throw std::runtime_error("the features do not move at the start (speed " + std::to_string(speed) + ")");
    time_step = r.step_phase / (speed * *std::max_element(radii.begin(), radii.end()));
  }
  out.time_step = time_step;
  const double eta = time_step * static_cast<double>(n);
  out.learning_rate = eta;

  std::vector<double> table(static_cast<std::size_t>(K) * M), average(K), start(K);
  auto sample = [&](Trajectory& t, long step, const double* f) {
    shells.power(f, n, f + n * df, n, table.data());
    t.times.push_back(step * time_step);
    t.power.push_back(table);
  };

  // The measurement: SGD on the fixed batches until some shell's power has grown by
  // stop_power_ratio (the end of the linear regime) or max_steps.
  Trajectory measured;
  model->reset();
  sample(measured, 0, model->features());
  shells.rotation_average(table.data(), start.data());
  long steps = 0;
  for (long step = 1; step <= r.max_steps; ++step) {
    stop_if_interrupted("the growth run");  // SIGINT/SIGTERM: stop, nothing is written yet
    const double* f = model->features();
    loss.evaluate(f, f + n * df, grad.data(), grad.data() + n * df);
    model->ascend(grad.data(), eta);
    steps = step;
    if (!all_finite(model->features(), grad.size()))
      throw std::runtime_error("the SGD run left finite numbers at step " + std::to_string(step) +
                               ": the protocol's time_step is too large for this network");
    if (step % r.sample_every != 0) continue;
    sample(measured, step, model->features());
    shells.rotation_average(table.data(), average.data());
    std::string reason;
    for (int k = 0; k < K; ++k)
      if (average[k] >= r.stop_power_ratio * start[k]) reason = "power";
    const double phase = rms_displacement(model->features(), f0.data(), grad.size(), rows) *
                         *std::max_element(radii.begin(), radii.end());
    out.final_phase = phase;
    if (r.stop_phase > 0 && phase >= r.stop_phase) reason = "phase";
    if (!reason.empty()) {
      out.stop_reason = reason;
      break;
    }
  }
  if (out.stop_reason.empty()) out.stop_reason = "max_steps";
  out.steps = steps;

  // The tangent-kernel prediction over the same steps: δf ← δf + η Θ (∇E(f0) + H δf).
  Trajectory tangent;
  model->reset();
  std::vector<double> g0(grad.size()), u(grad.size()), theta_u(grad.size()), delta(grad.size(), 0.0),
      shifted(grad.size());
  loss.evaluate(f0.data(), f0.data() + n * df, g0.data(), g0.data() + n * df);
  PairwiseHessian hessian(pair_kernel, estimator, n, n, df);
  hessian.linearise_at(f0.data(), f0.data() + n * df);
  sample(tangent, 0, f0.data());
  for (long step = 1; step <= steps; ++step) {
    stop_if_interrupted("the growth run");
    hessian.apply(delta.data(), u.data());
    for (std::size_t i = 0; i < u.size(); ++i) u[i] += g0[i];
    model->tangent(u.data(), theta_u.data());
    for (std::size_t i = 0; i < delta.size(); ++i) delta[i] += eta * theta_u[i];
    if (step % r.sample_every != 0) continue;  // the measurement's sample times
    for (std::size_t i = 0; i < delta.size(); ++i) shifted[i] = f0[i] + delta[i];
    sample(tangent, step, shifted.data());
  }

  GrowthFitOptions fit;
  fit.resamples = r.resamples;
  fit.block = r.block;
  fit.confidence = r.confidence;
  fit.seed = s.seed;
  if (measured.times.size() < 2)
    throw InputError("protocol: fewer than two power samples before the stop (sample_every too large)");
  const auto rates = fit_growth_rates(measured.times, measured.power, K, M, fit);
  const auto predicted = fit_growth_rates(tangent.times, tangent.power, K, M, fit);
  double largest = 0;
  for (const auto& g : rates) largest = std::max(largest, std::abs(g.rate));
  for (int k = 0; k < K; ++k) {
    out.measured.push_back(rates[k].rate);
    out.ci_low.push_back(rates[k].low);
    out.ci_high.push_back(rates[k].high);
    out.predicted_tangent.push_back(predicted[k].rate);
    out.tangent_ci_low.push_back(predicted[k].low);
    out.tangent_ci_high.push_back(predicted[k].high);
    const bool resolved = r.resolved_excludes_zero
                              ? (rates[k].low > 0 || rates[k].high < 0)
                              : rates[k].high - rates[k].low <= r.resolved_ci_fraction * largest;
    out.resolved.push_back(resolved ? 1 : 0);
  }
  out.times = measured.times;
  for (const auto* t : {&measured, &tangent}) {
    auto& dest = t == &measured ? out.power_measured : out.power_tangent;
    for (const auto& p : t->power) {
      shells.rotation_average(p.data(), average.data());
      dest.insert(dest.end(), average.begin(), average.end());
    }
  }
  return out;
}

}  // namespace wgf
