#include "wgf/netcdf_variables.hpp"
#include "wgf/solvers/simulation.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <tuple>

#include "wgf/errors.hpp"
#include "wgf/field_spec.hpp"
#include "wgf/h5_file.hpp"
#include "wgf/solvers/mode_mass.hpp"
#include "wgf/solvers/xdmf_series.hpp"
#include "wgf/run_control.hpp"
#include "wgf/run_header.hpp"

#include "simulation_output.hpp"
#include "stop_condition.hpp"

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
  // No step is longer than --t-end, and a step cut at the next write is no longer than
  // --write-every: a --dt-min beyond either stopped every run at t = 0 as "concentrated".
  if (!(c.solver.dt_min >= 0) || !(c.solver.dt_min < c.t_end))
    throw InputError("--dt-min " + format_double(c.solver.dt_min) +
                     ": must be >= 0 and below --t-end (" + format_double(c.t_end) + ")");
  if (c.write_every > 0 && c.write_every < c.solver.dt_min)
    throw InputError("--write-every " + format_double(c.write_every) +
                     ": must be 0 or at least --dt-min (" + format_double(c.solver.dt_min) +
                     "; its default is 1e-12 --t-end)");
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

// Fields first: a malformed or foreign init must fail before the output exists.
struct InitialState {
  std::vector<double> p, q;
  FieldDescription init, target;
};

InitialState initial_state(SimulationConfig& config) {
  const Grid& grid = config.grid;
  InitialState s;
  s.p.resize(grid.cells());
  s.q.resize(grid.cells());
  s.init = fill_field(config.init, grid, s.p, "--init", "p");
  s.target = fill_field(config.target, grid, s.q, "--target", "q");
  double mass_p = 0, mass_q = 0;
  for (std::size_t i = 0; i < grid.cells(); ++i) {
    mass_p += s.p[i];
    mass_q += s.q[i];
  }
  const double volume = std::pow(grid.length, grid.dim);
  mass_p *= grid.cell_volume();
  mass_q *= grid.cell_volume();
  // Densities near the largest double have an infinite mass (uniform:rho0=1e308), and
  // everything computed from them is infinite or NaN.
  for (const auto& [option, spec, mass] :
       {std::tuple{"--init", config.init, mass_p}, std::tuple{"--target", config.target, mass_q}})
    if (!std::isfinite(mass))
      throw InputError(std::string(option) + " '" + spec +
                       "': its mass is not finite (the density overflows double precision)");
  // The linearisation's background density: the mean density of the two fields.
  config.dynamics.rho0 = 0.5 * (mass_p + mass_q) / volume;
  if (!std::isfinite(config.dynamics.rho0))
    throw InputError("--init '" + config.init + "', --target '" + config.target +
                     "': the mean of their masses overflows double precision");
  return s;
}

void write_parameters(hid_t root, const SimulationConfig& config, const InitialState& state,
                      const GridFlowSolver& solver) {
  const Grid& grid = config.grid;
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
  write_attribute(root, "init_seed", state.init.seed);
  write_attribute(root, "target_seed", state.target.seed);
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
  write_attribute(root, "backend", solver.description());
}

void write_grid(OutputFile& file, const Grid& grid) {
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
    describe(grid_group, name, {{name}, "1", "cell centre along axis " + std::to_string(a)});
  }
}

// The initial energies, before the output exists: values that overflow double precision (a
// huge --eps, a huge kernel weight) gave infinite energies and a run "concentrated" at t = 0.
void check_initial_energies(const SimulationConfig& config, GridFlowSolver& solver,
                            int energy_e, int energy_d) {
  const SpectralDiagnostics d = solver.diagnostics();
  if (!std::isfinite(d.energies[energy_e]))
    throw InputError("--kernel " + config.dynamics.kernel.spec() +
                     ": the energy of the initial fields is not finite (overflows double "
                     "precision)");
  if (!std::isfinite(d.energies[energy_d]))
    throw InputError("--eps " + format_double(config.dynamics.eps) +
                     ": the discriminator's energy E[e - eps s] of the initial fields is not "
                     "finite (overflows double precision)");
}

// Tracked modes and their predicted rates, from the shared dynamics.
void write_mode_predictions(OutputFile& file, const SimulationConfig& config,
                            const std::vector<std::vector<long>>& modes) {
  if (modes.empty()) return;
  const Grid& grid = config.grid;
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
  describe(modes_group, "k", {{"mode", "axis"}, "1", "integer wave vector of each tracked mode"});
  describe(modes_group, "predicted_rate",
           {{"mode"}, "1", "predicted growth rate of each mode (continuous symbol)"});
  describe(modes_group, "predicted_rate_discrete",
           {{"mode"}, "1", "predicted growth rate of each mode (the discretised operator)"});
  write_attribute(modes_group, "note",
                  std::string("amplitude: |DFT of p - q at k| * 2 / N^d, one row per entry "
                              "of /diagnostics/t; rates are for p - q around rho0"));
}

}  // namespace

SimulationOutcome run_simulation(const SimulationConfig& input) {
  SimulationConfig config = input;
  // From here on a signal asks for a clean stop instead of killing the process mid-write.
  install_interrupt_handlers();
  validate(config);
  OutputFile::check_destination(config.out, config.force);
  const Grid& grid = config.grid;
  // 2D and 3D fields get an XDMF description beside the file (ParaView, VisIt).
  const bool describe_for_paraview = grid.dim >= 2;
  if (describe_for_paraview) OutputFile::check_destination(xdmf_path_for(config.out), config.force);

  // The problem: initial fields, tracked modes, mode regions — all before the output exists.
  InitialState state = initial_state(config);
  const auto modes = modes_to_track(config, state.init);
  std::optional<ModeMass> mode_mass;
  if (!config.mode_centres.empty())
    mode_mass.emplace(grid, config.mode_centres, config.mode_radius);

  // The solver, before the output exists too: an unavailable device is an input error (exit 2).
  const std::unique_ptr<GridFlowSolver> solver = make_grid_flow_solver(
      config.device, config.precision, grid, config.dynamics, config.solver);
  solver->set_state(state.p, state.q);
  const int energy_e = solver->add_energy_kernel(config.dynamics.kernel);
  const int energy_d = solver->add_energy_kernel(config.dynamics.discriminator_kernel());
  for (const auto& k : modes) solver->add_tracked_mode(k);
  check_initial_energies(config, *solver, energy_e, energy_d);

  // The output: parameters, grid, predictions, then the handlers that follow the run.
  OutputFile file(config.out, config.force);
  write_parameters(file.root(), config, state, *solver);
  write_grid(file, grid);
  write_mode_predictions(file, config, modes);
  FieldSnapshots snapshots(file, grid);
  DiagnosticsLog diagnostics(file, modes.size(), energy_e, energy_d);
  std::optional<ModeMassOutput> mode_mass_output;
  if (mode_mass) mode_mass_output.emplace(file, *mode_mass);
  std::vector<SimulationOutput*> outputs = {&snapshots, &diagnostics};
  if (mode_mass_output) outputs.push_back(&*mode_mass_output);

  SimulationMoment now{*solver, 0.0, 0, 0.0, state.p, state.q};
  auto on_step = [&] {
    for (SimulationOutput* output : outputs) output->on_step(now);
  };
  auto on_write = [&] {
    for (SimulationOutput* output : outputs) output->on_write(now);
  };

  SimulationOutcome outcome;
  outcome.status = "completed";
  const StopCondition stop(config.max_steps);
  WriteSchedule writes(config.write_every, config.t_end);
  ProgressLine progress("simulate", config.quiet);
  on_step();
  on_write();
  while (now.t < config.t_end) {
    if (const StopReason why = stop.before_step(now.step)) {
      outcome.status = why.status;
      outcome.reason = why.reason;
      break;
    }
    const StepResult result = solver->step(writes.next() - now.t);
    if (result.dt > 0) {
      now.dt = result.dt;
      ++now.step;
      now.t = writes.advance(now.t, result.dt);
      on_step();
      if (writes.reached(now.t)) on_write();
    }
    if (const StopReason why = StopCondition::after_step(result)) {
      outcome.status = why.status;
      outcome.reason = why.reason;
      break;
    }
    char detail[96];
    std::snprintf(detail, sizeof detail, "t=%.4g step %ld dt=%.3g", now.t, now.step, now.dt);
    progress.update(now.t / config.t_end, detail);
  }
  progress.finish();
  // The final state is always on file, whatever stopped the run.
  if (snapshots.last_step() != now.step) snapshots.on_write(now);
  for (SimulationOutput* output : outputs) output->flush();
  write_attribute(file.root(), "t_final", now.t);
  write_attribute(file.root(), "steps", now.step);
  write_attribute(file.root(), "status_reason", outcome.reason);
  file.finish(outcome.status);
  if (describe_for_paraview) {
    write_xdmf_series(config.out);
    outcome.xdmf = xdmf_path_for(config.out).string();
  }
  outcome.t = now.t;
  outcome.steps = now.step;
  outcome.writes = snapshots.writes();
  return outcome;
}

}  // namespace wgf
