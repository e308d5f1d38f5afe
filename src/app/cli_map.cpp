#include <boost/program_options.hpp>
#include <chrono>
#include <cmath>
#include <iostream>

#include "cli_common.hpp"
#include "cli.hpp"
#include "wgf/netcdf_variables.hpp"
#include "wgf/errors.hpp"
#include "wgf/run_control.hpp"
#include "wgf/h5_file.hpp"
#include "wgf/analysis/stability_map.hpp"

namespace po = boost::program_options;

namespace wgf::cli {

namespace {

struct Sweep {
  std::string name;
  std::vector<double> values;
};

// NAME=A:B:K[:log]. NAME is a {NAME} placeholder in --kernel/--stabilizer, or rho0 / tau.
Sweep parse_sweep(const std::string& text, const DynamicsOptions& d) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError("--sweep '" + text + "': expected NAME=A:B:K[:log]");
  Sweep sweep{text.substr(0, eq), parse_range(text.substr(eq + 1), "--sweep")};
  const std::string token = "{" + sweep.name + "}";
  const bool placeholder = d.kernel.find(token) != std::string::npos ||
                           d.stabilizer.find(token) != std::string::npos;
  if (!placeholder && sweep.name != "rho0" && sweep.name != "tau")
    throw InputError("--sweep '" + text + "': '" + sweep.name + "' is neither a placeholder " +
                     token + " in --kernel/--stabilizer nor rho0 or tau");
  return sweep;
}

// The map's command line: the shared dynamics options, with --eps a range.
struct MapOptions {
  DynamicsOptions dynamics;
  std::string sweep_text, eps_text, out;
  double xi_max = 0;
  int n_xi = 4096;
};

// The options with --eps taken out of the shared ones and put back as a range.
void add_options(po::options_description& visible, MapOptions& o) {
  po::options_description options(
      "wgf map: maximum growth over xi of lambda(xi; eps) on a grid of (parameter, eps), and the\n"
      "critical eps*(parameter). The parameter is a {NAME} placeholder in the kernel or "
      "stabiliser spec,\ne.g. --stabilizer 'gaussian:sigma={s}' --sweep s=0.05:1:200, or rho0 / "
      "tau.\n\noptions");
  options.add_options()("help,h", "print this help");
  o.dynamics.add_to(options, true, "discriminator");
  // clang-format off
  options.add_options()
    ("sweep", po::value<std::string>(&o.sweep_text)->required(), "(required) NAME=A:B:K[:log]")
    ("xi-max", po::value<double>(&o.xi_max)->default_value(20.0, as_typed(20.0)), "largest wavenumber sampled")
    ("n-xi", po::value<int>(&o.n_xi)->default_value(4096), "samples xi_i = xi_max i / n")
    ("out", po::value<std::string>(&o.out), "output HDF5 file (without it the summary is printed and nothing written)")
    ("force", "overwrite an existing output file")
    ("quiet", "print nothing on success");
  // clang-format on
  for (const auto& option : options.options())
    if (option->long_name() != "eps") visible.add(option);
  visible.add_options()("eps", po::value<std::string>(&o.eps_text)->required(),
                        "(required) A:B:K[:log] values of eps");
}

void write_map(OutputFile& file, const MapOptions& o, const Sweep& sweep,
               const std::vector<double>& eps, const StabilityMap& map,
               const std::vector<double>& critical, double seconds,
               const std::string& command_line) {
  const DynamicsOptions& d = o.dynamics;
  const hid_t root = file.root();
  write_run_header(root, "map", command_line);
  write_attribute(root, "dim", static_cast<long>(d.dim));
  write_attribute(root, "kernel", d.kernel);
  write_attribute(root, "stabilizer", d.stabilizer);
  write_attribute(root, "role", d.role);
  write_attribute(root, "tau", d.tau);
  write_attribute(root, "rho0", d.rho0);
  write_attribute(root, "sweep", o.sweep_text);
  write_attribute(root, "eps_range", o.eps_text);
  write_attribute(root, "xi_max", o.xi_max);
  write_attribute(root, "n_xi", static_cast<long>(o.n_xi));
  write_attribute(root, "compute_seconds", seconds);
  const hid_t group = file.group("/map");
  write_attribute(group, "param_name", sweep.name);
  const hsize_t np = sweep.values.size(), ne = eps.size();
  write_variable(group, "eps", eps, {ne}, {{"eps"}, "1", "stabiliser weight eps"});
  write_variable(group, "param", sweep.values, {np},
                 {{"param"}, "1", "swept parameter " + sweep.name});
  write_variable(group, "max_growth", map.max_growth, {np, ne},
                 {{"param", "eps"}, "1", "largest growth rate over the wave numbers"});
  write_variable(group, "most_unstable_xi", map.most_unstable_xi, {np, ne},
                 {{"param", "eps"}, "1", "wave number of the largest growth rate"});
  std::string reasons;
  for (std::size_t p = 0; p < np; ++p)
    if (map.critical[p].infinite() && reasons.empty()) reasons = map.critical[p].reason;
  write_variable(group, "critical_eps", critical, {np},
                 {{"param"}, "1", "critical eps* from which no wave number grows (inf: none)"});
  write_attribute(group, "critical_eps_reason_first_infinite", reasons);
  write_attribute(group, "note", std::string("max_growth[param, eps] = max over the xi samples "
                                             "of lambda; critical_eps over all xi > 0"));
}

}  // namespace

int map(const Arguments& args, const std::string& command_line) {
  MapOptions o;
  const DynamicsOptions& d = o.dynamics;
  po::options_description visible("options");
  add_options(visible, o);
  po::variables_map vm;
  if (parse_options(args, visible, vm, "\nkernel specs:\n" + kernel_catalogue_help())) return 0;
  const bool force = vm.count("force") > 0;
  if (d.stabilizer.empty()) throw InputError("--stabilizer: a map over eps needs a stabiliser");
  const Sweep sweep = parse_sweep(o.sweep_text, d);
  const std::vector<double> eps = parse_range(o.eps_text, "--eps");
  for (double e : eps)
    if (e < 0) throw InputError("--eps '" + o.eps_text + "': values must be >= 0");
  if (!(o.xi_max > 0) || !std::isfinite(o.xi_max))
    throw InputError("--xi-max " + format_double(o.xi_max) + ": must be a finite number > 0");
  if (o.n_xi < 2 || o.n_xi > 10000000)
    throw InputError("--n-xi " + std::to_string(o.n_xi) + ": must be from 2 to 10^7");
  // Every parameter value must give valid dynamics: check them all before computing.
  auto factory = [&](double value) {
    DynamicsOptions copy = d;
    if (sweep.name == "rho0") copy.rho0 = value;
    if (sweep.name == "tau") copy.tau = value;
    return copy.build(sweep.name, value);
  };
  for (double v : sweep.values) {
    const Dynamics dynamics = factory(v);
    if (o.xi_max > dynamics.kernel.max_reliable_xi() ||
        o.xi_max > dynamics.stabilizer.max_reliable_xi())
      throw InputError("--xi-max " + format_double(o.xi_max) +
                       ": beyond a tabulated kernel's reliable range");
  }
  if (!o.out.empty()) OutputFile::check_destination(o.out, force);
  else if (force) throw InputError("--force without --out: there is no file to overwrite");

  install_interrupt_handlers();  // SIGINT/SIGTERM stop the computation; no file is written
  const auto start = std::chrono::steady_clock::now();
  const std::vector<double> xi = linear_xi_samples(o.xi_max, o.n_xi);
  const StabilityMap map = compute_stability_map(factory, d.dim, sweep.values, eps, xi);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::vector<double> critical(sweep.values.size());
  for (std::size_t p = 0; p < critical.size(); ++p) critical[p] = map.critical[p].value;

  if (!o.out.empty()) {
    OutputFile file(o.out, force);
    write_map(file, o, sweep, eps, map, critical, seconds, command_line);
    file.finish("completed");
  }
  if (!vm.count("quiet") || o.out.empty()) {
    const std::size_t np = sweep.values.size(), ne = eps.size();
    std::size_t stable = 0;
    for (double g : map.max_growth) stable += g <= 0;
    std::cout << np << " x " << ne << " map (" << o.n_xi << " xi samples) in " << seconds
              << " s; " << stable << " of " << np * ne << " points stable\n";
    std::cout << "critical eps from " << critical.front() << " (" << sweep.name << " = "
              << sweep.values.front() << ") to " << critical.back() << " (" << sweep.name
              << " = " << sweep.values.back() << ")\n";
    if (!o.out.empty()) std::cout << "written to " << o.out << "\n";
  }
  return 0;
}

}  // namespace wgf::cli
