// wgf growth: growth rates of D's feature-density perturbations in a real network, measured and
// predicted twice (docs/design.md §7.2). Every rule comes from a protocol file; the command
// refuses to run without one and writes its text and SHA-256 into the output.
#include <omp.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "cli.hpp"
#include "cli_common.hpp"
#include "wgf/errors.hpp"
#include "wgf/run_control.hpp"
#include "wgf/h5_file.hpp"
#include "wgf/protocol.hpp"
#include "wgf/run_header.hpp"
#include "wgf/studies/growth_study.hpp"
#include "wgf/studies/growth_study_report.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace wgf::cli {

namespace {

// The protocol `wgf growth` runs under unless told otherwise.
constexpr const char* kDefaultProtocol = "protocols/growth-v2.txt";

void write_growth(OutputFile& file, const GrowthResult& r, const GrowthSettings& s,
                  const Protocol& protocol, const std::string& command_line, double seconds) {
  const hid_t root = file.root();
  write_run_header(root, "growth", command_line);
  protocol.write_attributes(root);
  write_attribute(root, "data", r.data);
  write_attribute(root, "loss", s.loss);
  write_attribute(root, "stabilizer", s.stabilizer.empty() ? std::string("none") : s.stabilizer);
  write_attribute(root, "eps", s.eps);
  write_attribute(root, "df", static_cast<long>(r.feature_dim));
  write_attribute(root, "features", s.features);
  write_attribute(root, "checkpoint", s.checkpoint.empty() ? std::string("none") : s.checkpoint);
  write_attribute(root, "generator_checkpoint", s.generator.empty() ? std::string("none") : s.generator);
  write_attribute(root, "seed", static_cast<long>(s.seed));
  write_attribute(root, "compute_seconds", seconds);
  write_growth_group(file, "/growth", r);
}

}  // namespace

int growth(const Arguments& args, const std::string& command_line) {
  GrowthSettings s;
  std::string out, protocol_path = shipped_file(kDefaultProtocol).string(), d_hidden, stabilizer = "none";
  int threads = omp_get_max_threads();
  long seed = static_cast<long>(s.seed);
  po::options_description options(
      "wgf growth: growth rates of D's feature-density perturbations around p = q in a real\n"
      "network (plain SGD on fixed batches), beside the free-particle and tangent-kernel\n"
      "predictions; every other rule comes from the protocol file\n\noptions");
  // clang-format off
  options.add_options()
    ("help,h", "print this help")
    ("protocol", po::value<std::string>(&protocol_path)->default_value(protocol_path),
     "the study's rules (experiments/protocols/growth-v*.txt)")
    ("data", po::value<std::string>(&s.data)->default_value(s.data),
     "gaussian2d | uniform-square | ring8 | grid25 | FILE.h5[:/dataset]")
    ("loss", po::value<std::string>(&s.loss)->default_value(s.loss), "the loss kernel e (catalogue spec)")
    ("stabilizer", po::value<std::string>(&stabilizer)->default_value(stabilizer), "s, or none")
    ("eps", po::value<double>(&s.eps)->default_value(s.eps, as_typed(s.eps)), "eps of e - eps s")
    ("df", po::value<int>(&s.feature_dim)->default_value(0), "feature dimension (0: the protocol's)")
    ("d-hidden", po::value<std::string>(&d_hidden), "D's hidden widths, comma-separated (default: the protocol's)")
    ("checkpoint", po::value<std::string>(&s.checkpoint), "a wgf train file: D starts from its final discriminator")
    ("generator", po::value<std::string>(&s.generator), "a wgf train file: the fake batch is drawn from its final generator")
    ("features", po::value<std::string>(&s.features)->default_value(s.features),
     "network, or free (each feature its own parameter: the free-particle check)")
    ("seed", po::value<long>(&seed)->default_value(seed), "random seed >= 0 (batches, D, directions, bootstrap)")
    ("threads", po::value<int>(&threads)->default_value(threads), "OpenMP threads")
    ("out", po::value<std::string>(&out)->required(), "(required) output HDF5 file")
    ("force", "overwrite an existing output file")
    ("quiet", "only the final status line, not the table");
  // clang-format on
  po::variables_map vm;
  if (parse_options(args, options, vm, kExitCodes)) return 0;
  check_threads(threads);
  s.seed = checked_seed(seed);
  if (stabilizer != "none") s.stabilizer = stabilizer;
  s.data_given = !vm["data"].defaulted();
  if (s.eps > 0 && s.stabilizer.empty()) throw InputError("--eps > 0 needs --stabilizer");
  if (vm.count("d-hidden")) {
    s.d_hidden = parse_widths(d_hidden, "--d-hidden");
    s.hidden_given = true;
  }
  if (s.feature_dim < 0) throw InputError("--df must be ≥ 1 (or 0 for the protocol's)");
  const Protocol protocol = Protocol::load(protocol_path);
  const GrowthRules rules = GrowthRules::from(protocol);
  const bool force = vm.count("force") > 0, quiet = vm.count("quiet") > 0;
  OutputFile::check_destination(out, force);
  omp_set_num_threads(threads);
  install_interrupt_handlers();  // SIGINT/SIGTERM stop the computation; no file is written

  const auto start = std::chrono::steady_clock::now();
  const GrowthResult r = run_growth(s, rules);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  OutputFile file(out, force);
  write_growth(file, r, s, protocol, command_line, seconds);
  file.finish("completed");
  if (!quiet) {
    std::cout << "wgf growth (" << protocol.label() << "): " << r.network << ", " << r.steps
              << " SGD steps (stop: " << r.stop_reason << "), rho_eff " << std::setprecision(4) << r.rho_eff << "\n"
              << "  |xi|      measured [95% CI]          free      tangent   resolved\n";
    for (std::size_t k = 0; k < r.xi.size(); ++k)
      std::cout << std::setw(8) << r.xi[k] << std::setw(11) << r.measured[k] << " [" << std::setw(9)
                << r.ci_low[k] << "," << std::setw(9) << r.ci_high[k] << "]" << std::setw(10)
                << r.predicted_free[k] << std::setw(10) << r.predicted_tangent[k] << std::setw(6)
                << r.resolved[k] << "\n";
    std::cout << "(" << std::setprecision(3) << seconds << " s) written to " << out << "\n";
  } else {
    std::cout << "wgf growth (" << protocol.label() << "): completed, " << r.steps
              << " SGD steps (stop: " << r.stop_reason << "); written to " << out << "\n";
  }
  return 0;
}

}  // namespace wgf::cli
