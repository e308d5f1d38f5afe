#include <boost/program_options.hpp>
#include <algorithm>
#include <cmath>
#include <iostream>

#include "cli_common.hpp"
#include "cli.hpp"
#include "wgf/errors.hpp"
#include "wgf/h5_file.hpp"
#include "wgf/analysis/stability.hpp"

namespace po = boost::program_options;

namespace wgf::cli {

namespace {

// A ξ range that shows the whole structure of λ: up to where |λ| has fallen to 1e-4 of its
// peak beyond the peak (five times the peak's ξ at least), or 100 times the peak's ξ when it
// never does (power laws).
double automatic_xi_max(const Dynamics& dynamics, int dim) {
  double peak = 0, peak_xi = 1;
  std::vector<double> xi, magnitude;
  for (int j = 0; j <= 700; ++j) {
    const double x = std::pow(10.0, -3 + j / 100.0);
    const double m = std::fabs(dynamics.growth_rate(x, dim));
    xi.push_back(x);
    magnitude.push_back(std::isfinite(m) ? m : 0);
    if (magnitude.back() > peak) {
      peak = magnitude.back();
      peak_xi = x;
    }
  }
  for (std::size_t j = 0; j < xi.size(); ++j)
    if (xi[j] > 5 * peak_xi && magnitude[j] < 1e-4 * peak) return xi[j];
  return 100 * peak_xi;
}

}  // namespace

int spectrum(const Arguments& args, const std::string& command_line) {
  DynamicsOptions d;
  double xi_max = 0;
  int n_xi = 2048;
  std::string out;
  po::options_description options(
      "wgf spectrum: linear growth rates lambda(xi) = C |xi|^2 F_eff(xi) of one setting, the "
      "most unstable xi,\nthe unstable bands and the critical eps* (docs/design.md section 1)\n\n"
      "options");
  options.add_options()("help,h", "print this help");
  d.add_to(options, true, "discriminator");
  // clang-format off
  options.add_options()
    ("xi-max", po::value<double>(&xi_max)->default_value(0.0),
     "largest wavenumber sampled (0: chosen from where |lambda| has decayed)")
    ("n-xi", po::value<int>(&n_xi)->default_value(2048), "samples xi_i = xi_max i / n, i = 1..n")
    ("out", po::value<std::string>(&out)->required(), "output HDF5 file")
    ("force", "overwrite an existing output file")
    ("quiet", "print nothing on success");
  // clang-format on
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).run(), vm);
  if (vm.count("help")) {
    std::cout << options << "\nkernel specs:\n" << kernel_catalogue_help();
    return 0;
  }
  po::notify(vm);
  const bool force = vm.count("force") > 0;
  const Dynamics dynamics = d.build();
  const double reliable =
      std::min(dynamics.kernel.max_reliable_xi(), dynamics.stabilizer.max_reliable_xi());
  if (vm["xi-max"].defaulted()) {
    xi_max = std::min(automatic_xi_max(dynamics, d.dim), reliable);
  } else if (!(xi_max > 0) || !std::isfinite(xi_max)) {
    throw InputError("--xi-max " + format_double(xi_max) + ": must be a finite number > 0");
  }
  if (n_xi < 2 || n_xi > 100000000)
    throw InputError("--n-xi " + std::to_string(n_xi) + ": must be from 2 to 10^8");
  if (xi_max > reliable)
    throw InputError("--xi-max " + format_double(xi_max) + ": beyond the tabulated kernel's "
                     "reliable range (xi <= " + format_double(reliable) + ")");
  OutputFile::check_destination(out, force);

  const std::vector<double> xi = linear_xi_samples(xi_max, n_xi);
  const StabilitySummary summary = summarize_stability(dynamics, d.dim, xi);
  std::vector<double> f_e(n_xi), f_s(n_xi), f_eff(n_xi), growth(n_xi);
  for (int i = 0; i < n_xi; ++i) {
    f_e[i] = dynamics.kernel.transform(xi[i], d.dim);
    f_s[i] = dynamics.stabilizer.empty() ? 0.0 : dynamics.stabilizer.transform(xi[i], d.dim);
    growth[i] = dynamics.growth_rate(xi[i], d.dim);
    f_eff[i] = dynamics.effective_transform(xi[i], d.dim);
  }
  for (int i = 0; i < n_xi; ++i)
    if (!std::isfinite(growth[i]))
      throw std::runtime_error("non-finite growth rate at xi = " + format_double(xi[i]));

  OutputFile file(out, force);
  const hid_t root = file.root();
  write_run_header(root, "spectrum", command_line);
  write_attribute(root, "dim", static_cast<long>(d.dim));
  write_attribute(root, "kernel", dynamics.kernel.spec());
  write_attribute(root, "stabilizer", dynamics.stabilizer.spec());
  write_attribute(root, "eps", dynamics.eps);
  write_attribute(root, "role", role_name(dynamics.role));
  write_attribute(root, "tau", dynamics.tau);
  write_attribute(root, "rho0", dynamics.rho0);
  write_attribute(root, "xi_max", xi_max);
  write_attribute(root, "n_xi", static_cast<long>(n_xi));
  const hid_t group = file.group("/spectrum");
  const std::vector<hsize_t> shape{static_cast<hsize_t>(n_xi)};
  write_dataset(group, "xi", xi, shape);
  write_dataset(group, "F_e", f_e, shape);
  write_dataset(group, "F_s", f_s, shape);
  write_dataset(group, "F_eff", f_eff, shape);
  write_dataset(group, "growth", growth, shape);
  std::vector<double> bands;
  for (const auto& b : summary.bands) {
    bands.push_back(b.lo);
    bands.push_back(b.hi);
  }
  write_dataset(group, "unstable_bands", bands, {summary.bands.size(), 2});
  write_attribute(group, "max_growth", summary.max_growth);
  write_attribute(group, "argmax_xi", summary.argmax_xi);
  write_attribute(group, "critical_eps", summary.critical.value);
  write_attribute(group, "critical_eps_at_xi", summary.critical.at_xi);
  write_attribute(group, "critical_eps_reason", summary.critical.reason);
  write_attribute(group, "C", dynamics.rate_constant());
  write_attribute(group, "note",
                  std::string("growth = C xi^2 F_eff; bands are (lo, hi) with growth > 0; a band "
                              "touching the first or last sample is reported from 0 or to xi_max"));
  file.finish("completed");

  if (!vm.count("quiet")) {
    std::cout << "role " << role_name(dynamics.role) << ", kernel " << dynamics.kernel.spec();
    if (!dynamics.stabilizer.empty())
      std::cout << ", stabilizer " << dynamics.stabilizer.spec() << ", eps " << dynamics.eps;
    std::cout << "\nmax growth " << summary.max_growth << " at xi = " << summary.argmax_xi
              << " (C = " << dynamics.rate_constant() << ")\n";
    if (summary.bands.empty()) {
      std::cout << "no unstable band in (0, " << xi_max << "]\n";
    } else {
      for (const auto& b : summary.bands)
        std::cout << "unstable band (" << b.lo << ", " << b.hi << ")\n";
    }
    if (summary.critical.infinite()) {
      std::cout << "critical eps: infinite: " << summary.critical.reason << "\n";
    } else {
      std::cout << "critical eps* = " << summary.critical.value << " (sup at xi = "
                << summary.critical.at_xi << ")\n";
    }
    std::cout << "written to " << out << "\n";
  }
  return 0;
}

}  // namespace wgf::cli
