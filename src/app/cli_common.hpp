#pragma once
// Options shared by the commands: the dynamics options of simulate, spectrum and map, the
// network widths of train and the validate studies, and the validate studies' output folder.
#include <boost/program_options.hpp>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "wgf/dynamics.hpp"
#include "wgf/run_header.hpp"

namespace wgf::cli {

struct DynamicsOptions {
  int dim = 1;
  std::string kernel, stabilizer, role = "generator";
  double eps = 0, tau = 1, rho0 = 1;

  // Adds --dim --kernel --stabilizer --eps --role --tau (and --rho0 when `with_rho0`).
  void add_to(boost::program_options::options_description& options, bool with_rho0,
              const std::string& default_role, const char* dim_help = "dimension d");
  // Parses the specs and validates the result in `dim` dimensions; {placeholder} is replaced by
  // `value` first (for sweeps).
  Dynamics build(const std::string& placeholder = "", double value = 0) const;
  // Parses the specs and the role only, for a caller that validates the dynamics later (the
  // simulation run checks its grid first).
  Dynamics parse(const std::string& placeholder = "", double value = 0) const;
};

// A file the program ships from experiments/ (plot.py, protocols/growth-v2.txt): an installed
// wgf's <prefix>/share/wgf/NAME (found from the running binary, /proc/self/exe), else the source
// tree this binary was built from, experiments/NAME. The first that exists; the installed path
// when neither does.
std::filesystem::path shipped_file(const std::filesystem::path& name);
// experiments/plot.py, for the commands that draw figures.
inline std::filesystem::path plot_script() { return shipped_file("plot.py"); }

// Parses `args` against `options` into `vm`. With --help, prints the options and `epilogue` and
// returns true (the command then exits 0); otherwise checks required options (po::notify) and
// returns false. Words that are no option's value are refused (a boost::program_options error,
// exit 2) instead of being ignored: `--out a.h5 b.h5` must not run as if b.h5 were not there.
bool parse_options(const std::vector<std::string>& args,
                   const boost::program_options::options_description& options,
                   boost::program_options::variables_map& vm, const std::string& epilogue = "");

// The help texts' closing line for commands without outcomes of their own.
inline constexpr const char* kExitCodes = "\nexit codes: 0 done, 2 invalid input, 1 other failure\n";

// --threads from 1 to kMaxThreads (InputError otherwise): OpenMP runtimes crash on absurd team
// sizes instead of refusing them.
inline constexpr int kMaxThreads = 1024;
void check_threads(int threads);

// --seed: an integer >= 0 (InputError otherwise, naming it). Taken as a signed integer: an
// unsigned option read -1 as 2^64 - 1 and ran.
std::uint64_t checked_seed(long seed);

// Hidden-layer widths, comma-separated ("128,128"); empty or "none": no hidden layer. Each
// width an integer from 1 to 10^6, else InputError naming `option` and the text.
std::vector<int> parse_widths(const std::string& text, const std::string& option);

// A default as a user would type it, for --help: the shortest digits that read back exactly,
// the exponent unpadded (0.9, 1e-6, 2.5e+20 → 2.5e20), where boost prints 17 digits.
std::string as_typed(double value);

// What every validate study writes into --out-dir.
struct StudyOutputs {
  std::filesystem::path h5;        // validate.h5
  std::filesystem::path markdown;  // summary.md
};

// Creates --out-dir when missing and refuses (InputError) outputs that exist without --force,
// before the study runs.
StudyOutputs prepare_study_outputs(const std::string& out_dir, bool force);

// Writes summary.md through a temporary name, so that a reader never sees half of it.
void write_summary(const std::filesystem::path& markdown, const std::string& text);

}  // namespace wgf::cli
