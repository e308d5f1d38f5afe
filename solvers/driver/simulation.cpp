#include "wgf/solvers/simulation.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>

#include "wgf/errors.hpp"
#include "wgf/field_spec.hpp"
#include "wgf/h5_file.hpp"
#include "wgf/solvers/mode_mass.hpp"
#include "wgf/run_control.hpp"
#include "wgf/run_header.hpp"

namespace wgf {

namespace {

void validate(const SimulationConfig& c) {
  c.grid.validate();
  c.dynamics.validate(c.grid.dim);
  if (!(c.t_end > 0) || !std::isfinite(c.t_end))
    throw InputError("--t-end " + std::to_string(c.t_end) + ": must be a finite time > 0");
  if (!(c.write_every >= 0) || !std::isfinite(c.write_every))
    throw InputError("--write-every " + std::to_string(c.write_every) + ": must be >= 0");
  if (!(c.solver.cfl > 0 && c.solver.cfl <= 1))
    throw InputError("--cfl " + std::to_string(c.solver.cfl) + ": must be in (0, 1]");
  if (!(c.solver.concentration_mass > 0 && c.solver.concentration_mass <= 1))
    throw InputError("--concentration-mass: must be in (0, 1]");
  if (!(c.solver.unresolved_ratio > 0) || !std::isfinite(c.solver.unresolved_ratio))
    throw InputError("--concentration-unresolved: must be a finite number > 0");
  if (!(c.solver.dt_min >= 0)) throw InputError("--dt-min: must be >= 0");
  if (c.max_steps < 0) throw InputError("--max-steps: must be >= 0");
  if (c.threads < 1) throw InputError("--threads " + std::to_string(c.threads) + ": must be >= 1");
  for (const auto& k : c.tracked_modes) {
    if (static_cast<int>(k.size()) > c.grid.dim)
      throw InputError("--track: a wave vector has more components than --dim");
    for (long kj : k)
      if (std::labs(kj) > c.grid.n / 2)
        throw InputError("--track: wave-vector components must satisfy |k| <= N/2");
  }
}

std::vector<std::vector<long>> modes_to_track(const SimulationConfig& c,
                                              const FieldDescription& init) {
  std::vector<std::vector<long>> modes;
  if (!c.tracked_modes.empty()) {
    modes = c.tracked_modes;
  } else if (!init.mode_k.empty()) {
    modes.push_back(init.mode_k);
  } else {
    for (long k = 1; k <= c.grid.n / 2 && modes.size() < 4; k *= 2) modes.push_back({k});
  }
  for (auto& k : modes) k.resize(c.grid.dim, 0);
  return modes;
}

// Per-step diagnostics, buffered so the time loop neither allocates nor writes every step.
class DiagnosticsLog {
public:
  static constexpr std::size_t kColumns = 10;
  static constexpr const char* kNames[kColumns] = {"t",     "mass_p", "mass_q", "energy",
                                                   "min_p", "max_p",  "min_q",  "max_q",
                                                   "dt",    "energy_discriminator"};
  DiagnosticsLog(OutputFile& file, std::size_t modes) : modes_(modes) {
    const hid_t group = file.group("/diagnostics");
    for (std::size_t c = 0; c < kColumns; ++c) {
      columns_[c] = ExtendableDataset(group, kNames[c], {}, kCapacity);
      buffers_[c].resize(kCapacity);
    }
    if (modes_ > 0) {
      amplitudes_ = ExtendableDataset(file.group("/modes"), "amplitude", {modes_}, kCapacity);
      amplitude_buffer_.resize(kCapacity * modes_);
    }
  }
  void add(const double (&row)[kColumns], const std::vector<double>& amplitudes) {
    for (std::size_t c = 0; c < kColumns; ++c) buffers_[c][used_] = row[c];
    std::copy(amplitudes.begin(), amplitudes.end(), amplitude_buffer_.begin() + used_ * modes_);
    if (++used_ == kCapacity) flush();
  }
  void flush() {
    for (std::size_t c = 0; c < kColumns; ++c) columns_[c].append(buffers_[c].data(), used_);
    if (modes_ > 0) amplitudes_.append(amplitude_buffer_.data(), used_);
    used_ = 0;
  }

private:
  static constexpr std::size_t kCapacity = 4096;
  std::size_t modes_, used_ = 0;
  ExtendableDataset columns_[kColumns];
  std::vector<double> buffers_[kColumns];
  ExtendableDataset amplitudes_;
  std::vector<double> amplitude_buffer_;
};

}  // namespace

SimulationOutcome run_simulation(const SimulationConfig& input) {
  SimulationConfig config = input;
  // From here on a signal asks for a clean stop instead of killing the process mid-write.
  install_interrupt_handlers();
  validate(config);
  OutputFile::check_destination(config.out, config.force);
  const Grid& grid = config.grid;

  // Fields first: a malformed or foreign init must fail before the output exists.
  std::vector<double> p0(grid.cells()), q0(grid.cells());
  const FieldDescription init = fill_field(config.init, grid, p0, "--init", "p");
  const FieldDescription target = fill_field(config.target, grid, q0, "--target", "q");
  double mass_p = 0, mass_q = 0;
  for (std::size_t i = 0; i < grid.cells(); ++i) {
    mass_p += p0[i];
    mass_q += q0[i];
  }
  const double volume = std::pow(grid.length, grid.dim);
  mass_p *= grid.cell_volume();
  mass_q *= grid.cell_volume();
  // The linearisation's background density: the mean density of the two fields.
  config.dynamics.rho0 = 0.5 * (mass_p + mass_q) / volume;
  const auto modes = modes_to_track(config, init);
  std::optional<ModeMass> mode_mass;
  if (!config.mode_centres.empty())
    mode_mass.emplace(grid, config.mode_centres, config.mode_radius);

  // The backend, before the output exists: an unavailable device is an input error (exit 2).
  const std::unique_ptr<GridFlowSolver> solver = make_grid_flow_solver(
      config.device, config.precision, grid, config.dynamics, config.solver);
  solver->set_state(p0, q0);
  const int energy_e = solver->add_energy_kernel(config.dynamics.kernel);
  const int energy_d = solver->add_energy_kernel(config.dynamics.discriminator_kernel());
  for (const auto& k : modes) solver->add_tracked_mode(k);

  OutputFile file(config.out, config.force);
  const hid_t root = file.root();
  write_run_header(root, "simulate", config.command_line);
  write_attribute(root, "dim", static_cast<long>(grid.dim));
  write_attribute(root, "n", grid.n);
  write_attribute(root, "length", grid.length);
  write_attribute(root, "kernel", config.dynamics.kernel.spec());
  write_attribute(root, "stabilizer", config.dynamics.stabilizer.spec());
  write_attribute(root, "eps", config.dynamics.eps);
  write_attribute(root, "role", role_name(config.dynamics.role));
  write_attribute(root, "tau", config.dynamics.tau);
  write_attribute(root, "rho0", config.dynamics.rho0);
  write_attribute(root, "init", config.init);
  write_attribute(root, "target", config.target);
  write_attribute(root, "init_seed", init.seed);
  write_attribute(root, "target_seed", target.seed);
  write_attribute(root, "t_end", config.t_end);
  write_attribute(root, "write_every", config.write_every);
  write_attribute(root, "cfl", config.solver.cfl);
  write_attribute(root, "concentration_mass", config.solver.concentration_mass);
  write_attribute(root, "concentration_unresolved", config.solver.unresolved_ratio);
  write_attribute(root, "dt_min", config.solver.dt_min);
  write_attribute(root, "max_steps", config.max_steps);
  write_attribute(root, "threads", static_cast<long>(config.threads));
  write_attribute(root, "device", device_name(config.device));
  write_attribute(root, "precision", precision_name(config.precision));
  write_attribute(root, "backend", solver->description());

  const hid_t grid_group = file.group("/grid");
  write_attribute(grid_group, "dim", static_cast<long>(grid.dim));
  write_attribute(grid_group, "n", grid.n);
  write_attribute(grid_group, "length", grid.length);
  write_attribute(grid_group, "h", grid.h());
  std::vector<double> centres(grid.n);
  for (long i = 0; i < grid.n; ++i) centres[i] = grid.cell_center(i);
  for (int a = 0; a < grid.dim; ++a) {
    std::string name(1, 'x');  // (not "x" + …: GCC 12 warns falsely about that concatenation)
    name += std::to_string(a);
    write_dataset(grid_group, name, centres, {static_cast<hsize_t>(grid.n)});
  }

  // Tracked modes and their predicted rates, from the shared dynamics.
  if (!modes.empty()) {
    const hid_t modes_group = file.group("/modes");
    std::vector<long> flat_k;
    std::vector<double> continuous, discrete;
    for (const auto& k : modes) {
      flat_k.insert(flat_k.end(), k.begin(), k.end());
      continuous.push_back(config.dynamics.growth_rate_continuous(k, grid));
      discrete.push_back(config.dynamics.growth_rate_discrete(k, grid));
    }
    write_dataset(modes_group, "k", flat_k, {modes.size(), static_cast<hsize_t>(grid.dim)});
    write_dataset(modes_group, "predicted_rate", continuous, {modes.size()});
    write_dataset(modes_group, "predicted_rate_discrete", discrete, {modes.size()});
    write_attribute(modes_group, "note",
                    std::string("amplitude: |DFT of p - q at k| * 2 / N^d, one row per entry "
                                "of /diagnostics/t; rates are for p - q around rho0"));
  }

  const hid_t scales = file.group("/scales");
  ExtendableDataset write_t(scales, "t", {}, 64), write_step(scales, "step", {}, 64);
  const hid_t fields = file.group("/fields");
  const std::vector<hsize_t> field_shape(grid.dim, static_cast<hsize_t>(grid.n));
  ExtendableDataset field_p(fields, "p", field_shape, 1), field_q(fields, "q", field_shape, 1);
  DiagnosticsLog log(file, modes.size());
  std::optional<ModeMassLog> mode_mass_log;
  if (mode_mass) mode_mass_log.emplace(file, *mode_mass);
  std::vector<double> amplitudes(modes.size());

  SimulationOutcome outcome;
  double t = 0, last_dt = 0;
  long step = 0;
  auto record = [&] {
    const StateSummary& s = solver->summary();
    const SpectralDiagnostics d = solver->diagnostics();
    const double row[DiagnosticsLog::kColumns] = {t,       s.mass_p, s.mass_q, d.energies[energy_e],
                                                  s.min_p, s.max_p,  s.min_q,  s.max_q,
                                                  last_dt, d.energies[energy_d]};
    std::copy(d.amplitudes.begin(), d.amplitudes.end(), amplitudes.begin());
    log.add(row, amplitudes);
    if (mode_mass_log) {
      solver->get_state(p0, q0);
      mode_mass_log->add(p0, q0);
    }
  };
  long last_written_step = -1;
  auto write_fields = [&] {
    last_written_step = step;
    const double step_value = static_cast<double>(step);
    solver->get_state(p0, q0);  // the only copy of the fields back from a device backend
    field_p.append(p0.data(), 1);
    field_q.append(q0.data(), 1);
    write_t.append(&t, 1);
    write_step.append(&step_value, 1);
    ++outcome.writes;
  };

  ProgressLine progress("simulate", config.quiet);
  const double write_every = config.write_every > 0 ? config.write_every : config.t_end;
  long next_write = 1;
  record();
  write_fields();
  outcome.status = "completed";
  while (t < config.t_end) {
    if (interrupted()) {
      outcome.status = "interrupted";
      outcome.reason = "signal received";
      break;
    }
    if (config.max_steps > 0 && step >= config.max_steps) {
      outcome.status = "interrupted";
      outcome.reason = "--max-steps reached";
      break;
    }
    const double next_write_time = std::min(config.t_end, next_write * write_every);
    const StepResult result = solver->step(next_write_time - t);
    if (result.dt > 0) {
      last_dt = result.dt;
      ++step;
      // Land exactly on write times despite round-off in the sum of steps.
      t = (next_write_time - t - result.dt <= 1e-12 * write_every) ? next_write_time
                                                                    : t + result.dt;
      record();
      if (t >= next_write_time) {
        write_fields();
        ++next_write;
      }
    }
    if (result.concentrated) {
      outcome.status = "concentrated";
      outcome.reason = result.reason;
      break;
    }
    char detail[96];
    std::snprintf(detail, sizeof detail, "t=%.4g step %ld dt=%.3g", t, step, last_dt);
    progress.update(t / config.t_end, detail);
  }
  progress.finish();
  // The final state is always on file, whatever stopped the run.
  if (last_written_step != step) write_fields();
  log.flush();
  if (mode_mass_log) mode_mass_log->flush();
  write_attribute(root, "t_final", t);
  write_attribute(root, "steps", step);
  write_attribute(root, "status_reason", outcome.reason);
  file.finish(outcome.status);
  outcome.t = t;
  outcome.steps = step;
  return outcome;
}

}  // namespace wgf
