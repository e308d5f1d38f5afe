#pragma once
// Options shared by the commands that describe dynamics (simulate, spectrum, map).
#include <boost/program_options.hpp>
#include <filesystem>
#include <string>

#include "wgf/dynamics.hpp"
#include "wgf/run_header.hpp"

namespace wgf::cli {

struct DynamicsOptions {
  int dim = 1;
  std::string kernel, stabilizer, role = "generator";
  double eps = 0, tau = 1, rho0 = 1;

  // Adds --dim --kernel --stabilizer --eps --role --tau (and --rho0 when `with_rho0`).
  void add_to(boost::program_options::options_description& options, bool with_rho0,
              const std::string& default_role);
  // Parses the specs; `substitutions` replaces {NAME} placeholders first (for sweeps).
  Dynamics build(const std::string& placeholder = "", double value = 0) const;
};

// A file the program ships from experiments/ (plot.py, protocols/growth-v2.txt): an installed
// wgf's <prefix>/share/wgf/NAME (found from the running binary, /proc/self/exe), else the source
// tree this binary was built from, experiments/NAME. The first that exists; the installed path
// when neither does.
std::filesystem::path shipped_file(const std::filesystem::path& name);
// experiments/plot.py, for the commands that draw figures.
inline std::filesystem::path plot_script() { return shipped_file("plot.py"); }

}  // namespace wgf::cli
