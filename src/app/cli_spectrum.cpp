#include <boost/program_options.hpp>
#include <algorithm>
#include <cmath>
#include <iostream>

#include "cli_common.hpp"
#include "cli.hpp"
#include "wgf/netcdf_variables.hpp"
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

// --xi-max as given (checked), or chosen when defaulted; never beyond a table's reliable range.
double resolve_xi_max(const Dynamics& dynamics, int dim, double xi_max, bool defaulted) {
  const double reliable =
      std::min(dynamics.kernel.max_reliable_xi(), dynamics.stabilizer.max_reliable_xi());
  if (defaulted) {
    xi_max = std::min(automatic_xi_max(dynamics, dim), reliable);
  } else if (!(xi_max > 0) || !std::isfinite(xi_max)) {
    throw InputError("--xi-max " + format_double(xi_max) + ": must be a finite number > 0");
  }
  return xi_max;
}

void check_xi_range(const Dynamics& dynamics, double xi_max, int n_xi) {
  const double reliable =
      std::min(dynamics.kernel.max_reliable_xi(), dynamics.stabilizer.max_reliable_xi());
  if (n_xi < 2 || n_xi > 100000000)
    throw InputError("--n-xi " + std::to_string(n_xi) + ": must be from 2 to 10^8");
  if (xi_max > reliable)
    throw InputError("--xi-max " + format_double(xi_max) + ": beyond the tabulated kernel's "
                     "reliable range (xi <= " + format_double(reliable) + ")");
}

// The sampled columns of /spectrum.
struct SpectrumSamples {
  std::vector<double> xi, f_e, f_s, f_eff, growth;
};

SpectrumSamples sample_spectrum(const Dynamics& dynamics, int dim, std::vector<double> xi) {
  SpectrumSamples s;
  s.xi = std::move(xi);
  const int n_xi = static_cast<int>(s.xi.size());
  s.f_e.resize(n_xi);
  s.f_s.resize(n_xi);
  s.f_eff.resize(n_xi);
  s.growth.resize(n_xi);
  for (int i = 0; i < n_xi; ++i) {
    s.f_e[i] = dynamics.kernel.transform(s.xi[i], dim);
    s.f_s[i] = dynamics.stabilizer.empty() ? 0.0 : dynamics.stabilizer.transform(s.xi[i], dim);
    s.growth[i] = dynamics.growth_rate(s.xi[i], dim);
    s.f_eff[i] = dynamics.effective_transform(s.xi[i], dim);
  }
  for (int i = 0; i < n_xi; ++i)
    if (!std::isfinite(s.growth[i]))
      throw std::runtime_error("non-finite growth rate at xi = " + format_double(s.xi[i]));
  return s;
}

void write_spectrum(OutputFile& file, const Dynamics& dynamics, int dim, double xi_max,
                    const SpectrumSamples& samples, const StabilitySummary& summary,
                    const std::string& command_line) {
  const hid_t root = file.root();
  write_run_header(root, "spectrum", command_line);
  write_attribute(root, "dim", static_cast<long>(dim));
  write_attribute(root, "kernel", dynamics.kernel.spec());
  write_attribute(root, "stabilizer", dynamics.stabilizer.spec());
  write_attribute(root, "eps", dynamics.eps);
  write_attribute(root, "role", role_name(dynamics.role));
  write_attribute(root, "tau", dynamics.tau);
  write_attribute(root, "rho0", dynamics.rho0);
  write_attribute(root, "xi_max", xi_max);
  write_attribute(root, "n_xi", static_cast<long>(samples.xi.size()));
  const hid_t group = file.group("/spectrum");
  const std::vector<hsize_t> shape{samples.xi.size()};
  write_variable(group, "xi", samples.xi, shape, {{"xi"}, "1", "wave number |xi|"});
  write_variable(group, "F_e", samples.f_e, shape, {{"xi"}, "1", "Fourier transform of the kernel e"});
  write_variable(group, "F_s", samples.f_s, shape,
                 {{"xi"}, "1", "Fourier transform of the stabiliser s"});
  write_variable(group, "F_eff", samples.f_eff, shape,
                 {{"xi"}, "1", "Fourier transform of e - eps s"});
  write_variable(group, "growth", samples.growth, shape,
                 {{"xi"}, "1", "linear growth rate lambda(xi) = C xi^2 F[e - eps s](xi)"});
  std::vector<double> bands;
  for (const auto& b : summary.bands) {
    bands.push_back(b.lo);
    bands.push_back(b.hi);
  }
  write_variable(group, "unstable_bands", bands, {summary.bands.size(), 2},
                 {{"band", "edge"}, "1", "wave-number bands (lo, hi) where the growth rate is positive"});
  write_attribute(group, "max_growth", summary.max_growth);
  write_attribute(group, "argmax_xi", summary.argmax_xi);
  write_attribute(group, "critical_eps", summary.critical.value);
  write_attribute(group, "critical_eps_at_xi", summary.critical.at_xi);
  write_attribute(group, "critical_eps_reason", summary.critical.reason);
  write_attribute(group, "C", dynamics.rate_constant());
  write_attribute(group, "note",
                  std::string("growth = C xi^2 F_eff; bands are (lo, hi) with growth > 0; a band "
                              "touching the first or last sample is reported from 0 or to xi_max"));
}

void print_summary(const Dynamics& dynamics, const StabilitySummary& summary, double xi_max,
                   const std::string& out) {
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
  if (!out.empty()) std::cout << "written to " << out << "\n";
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
    ("xi-max", po::value<double>(&xi_max)->default_value(0.0, as_typed(0.0)),
     "largest wavenumber sampled (0: chosen from where |lambda| has decayed)")
    ("n-xi", po::value<int>(&n_xi)->default_value(2048), "samples xi_i = xi_max i / n, i = 1..n")
    ("out", po::value<std::string>(&out), "output HDF5 file (without it the summary is printed and nothing written)")
    ("force", "overwrite an existing output file")
    ("quiet", "print nothing on success");
  // clang-format on
  po::variables_map vm;
  if (parse_options(args, options, vm, "\nkernel specs:\n" + kernel_catalogue_help())) return 0;
  const bool force = vm.count("force") > 0;
  const Dynamics dynamics = d.build();
  xi_max = resolve_xi_max(dynamics, d.dim, xi_max, vm["xi-max"].defaulted());
  check_xi_range(dynamics, xi_max, n_xi);
  if (!out.empty()) OutputFile::check_destination(out, force);
  else if (force) throw InputError("--force without --out: there is no file to overwrite");

  std::vector<double> xi = linear_xi_samples(xi_max, n_xi);
  dynamics.check_finite_rates(xi, d.dim);
  const StabilitySummary summary = summarize_stability(dynamics, d.dim, xi);
  const SpectrumSamples samples = sample_spectrum(dynamics, d.dim, std::move(xi));
  if (!out.empty()) {
    OutputFile file(out, force);
    write_spectrum(file, dynamics, d.dim, xi_max, samples, summary, command_line);
    file.finish("completed");
  }
  if (!vm.count("quiet") || out.empty()) print_summary(dynamics, summary, xi_max, out);
  return 0;
}

}  // namespace wgf::cli
