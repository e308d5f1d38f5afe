#include <omp.h>

#include <boost/program_options.hpp>
#include <iostream>

#include "cli.hpp"
#include "cli_common.hpp"
#include "wgf/errors.hpp"
#include "wgf/field_spec.hpp"
#include "wgf/solvers/simulation.hpp"
#include "wgf/spec_text.hpp"

namespace po = boost::program_options;

namespace wgf::cli {

namespace {

std::vector<long> parse_wave_vector(const std::string& text) {
  std::vector<long> k;
  for (const auto& token : split(text, ',')) {
    const double v = parse_number(token, "--track '" + text + "'");
    if (v != std::floor(v)) throw InputError("--track '" + text + "': components must be integers");
    k.push_back(static_cast<long>(v));
  }
  return k;
}

// The options of `wgf simulate` and the strings they hold until parsed.
struct SimulateOptions {
  SimulationConfig config;
  DynamicsOptions dynamics;
  std::string plan = "measure", device = "cpu", precision = "fp64";
  std::string length = "2pi";  // a number, or a multiple of pi as its help shows it
  std::vector<std::string> track, mode_centres;
};

void add_options(po::options_description& options, SimulateOptions& o) {
  SimulationConfig& c = o.config;
  options.add_options()("help,h", "print this help");
  o.dynamics.add_to(options, false, "generator", "dimension d: 1, 2 or 3");
  // clang-format off
  options.add_options()
    ("n", po::value<long>(&c.grid.n)->default_value(128), "cells per axis N (even, >= 4)")
    ("length", po::value<std::string>(&o.length)->default_value(o.length),
     "box length L (a number, or a multiple of pi: 2pi, 4*pi, pi); the box is [-L/2, L/2)^d")
    ("init", po::value<std::string>(&c.init)->default_value(c.init), "initial p (field spec)")
    ("target", po::value<std::string>(&c.target)->default_value(c.target),
     "initial q (field spec)")
    ("t-end", po::value<double>(&c.t_end)->required(), "(required) final time")
    ("cfl", po::value<double>(&c.solver.cfl)->default_value(0.5, as_typed(0.5)),
     "safety factor in (0, 1] on the positivity and linear-stability step bounds")
    ("write-every", po::value<double>(&c.write_every)->default_value(0.0, as_typed(0.0)),
     "time between field snapshots (0: initial and final only)")
    ("track", po::value<std::vector<std::string>>(&o.track),
     "wave vector to track, e.g. --track 3 or --track 3,1 (repeatable; default: the init mode)")
    ("mode-centre", po::value<std::vector<std::string>>(&o.mode_centres),
     "a mode of q, e.g. --mode-centre 1.5,-1.5 (repeatable): records the mass of p and q in "
     "each mode's region per step as /diagnostics/mode_mass_p, mode_mass_q (with --device cuda "
     "this copies the fields to the host every step)")
    ("mode-radius", po::value<double>(&c.mode_radius)->default_value(0.0, as_typed(0.0)),
     "a mode's region: cells within this distance of its centre (0: all cells nearer to it "
     "than to any other centre)")
    ("concentration-mass", po::value<double>(&c.solver.concentration_mass)->default_value(0.25, as_typed(0.25)),
     "stop as 'concentrated' when the best-aligned 2^d block of cells containing the density "
     "peak holds more than this fraction of a species' mass (a clump on a cell face counts "
     "whole)")
    ("concentration-unresolved",
     po::value<double>(&c.solver.unresolved_ratio)->default_value(0.9, as_typed(0.9)),
     "stop as 'concentrated' when the densest 2^d cells hold this fraction of their 4^d block "
     "(a clump the grid does not resolve); > 1: never (e.g. a focusing front of little mass)")
    ("dt-min", po::value<double>(&c.solver.dt_min)->default_value(0.0, as_typed(0.0)),
     "stop as 'concentrated' when the time step falls below this (0: 1e-12 t-end)")
    ("max-steps", po::value<long>(&c.max_steps)->default_value(0), "stop after this many steps")
    ("threads", po::value<int>(&c.threads)->default_value(omp_get_max_threads()),
     "OpenMP and FFTW threads")
    ("fft-plan", po::value<std::string>(&o.plan)->default_value("measure"),
     "FFTW planner effort: estimate | measure | patient")
    ("device", po::value<std::string>(&o.device)->default_value("cpu"),
     "cpu (FFTW, OpenMP) | cuda (cuFFT on the first GPU; fields stay on the GPU between writes)")
    ("precision", po::value<std::string>(&o.precision)->default_value("fp64"),
     "fp64 | fp32 (fp32: --device cuda only)")
    ("out", po::value<std::string>(&c.out)->required(), "(required) output HDF5 file")
    ("force", "overwrite an existing output file")
    ("quiet", "no progress (the final status line is still printed)");
  // clang-format on
}

// The parsed options as the run's configuration; the dynamics are validated by the run, after
// the grid.
SimulationConfig to_config(SimulateOptions& o, const po::variables_map& vm,
                           const std::string& command_line) {
  SimulationConfig& c = o.config;
  c.force = vm.count("force") > 0;
  c.quiet = vm.count("quiet") > 0;
  c.grid.dim = o.dynamics.dim;
  c.grid.length = parse_pi_multiple(o.length, "--length");
  c.dynamics = o.dynamics.parse();
  c.solver.plan_effort = parse_plan_effort(o.plan);
  c.device = parse_device(o.device);
  c.precision = parse_precision(o.precision);
  for (const auto& t : o.track) c.tracked_modes.push_back(parse_wave_vector(t));
  for (const auto& centre : o.mode_centres)
    for (const auto& token : split(centre, ','))
      c.mode_centres.push_back(parse_number(token, "--mode-centre '" + centre + "'"));
  if (!c.mode_centres.empty() && c.mode_centres.size() != o.mode_centres.size() * c.grid.dim)
    throw InputError("--mode-centre: each centre needs --dim = " + std::to_string(c.grid.dim) +
                     " coordinates");
  check_threads(c.threads);
  if (c.solver.dt_min == 0 && c.t_end > 0) c.solver.dt_min = 1e-12 * c.t_end;
  c.command_line = command_line;
  return c;
}

}  // namespace

int simulate(const Arguments& args, const std::string& command_line) {
  SimulateOptions o;
  po::options_description options(
      "wgf simulate: integrate dt rho_a = sigma_a tau_a div(rho_a grad dE/drho_a) for p and q on a "
      "periodic grid\n(finite volumes, SSP-RK3, spectral potentials; docs/design.md section 2)\n\n"
      "options");
  add_options(options, o);
  po::variables_map vm;
  if (parse_options(args, options, vm,
                    "\nkernel specs:\n" + kernel_catalogue_help() + "\nfield specs (--init, --target):\n" +
                        field_spec_help() +
                        "\nexit codes: 0 done (also when the run ended 'concentrated' or "
                        "'interrupted': the status attribute says so), 2 invalid input, 1 other "
                        "failure (a full disk), 128+N signal N during the initial fill\n"))
    return 0;
  const SimulationConfig c = to_config(o, vm, command_line);
  omp_set_num_threads(c.threads);

  const SimulationOutcome outcome = run_simulation(c);
  {  // also with --quiet: it hides the progress only
    std::cout << "status " << outcome.status << (outcome.reason.empty() ? "" : " (")
              << outcome.reason << (outcome.reason.empty() ? "" : ")") << " at t = " << outcome.t
              << " after " << outcome.steps << " steps; " << outcome.writes
              << " snapshots written to " << c.out
              << (outcome.xdmf.empty() ? "" : " (for ParaView: " + outcome.xdmf + ")") << "\n";
  }
  return 0;
}

}  // namespace wgf::cli
