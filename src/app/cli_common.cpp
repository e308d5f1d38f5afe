#include "cli_common.hpp"

#include <cmath>
#include <fstream>
#include <iostream>
#include <system_error>

#include "wgf/build_info.hpp"
#include "wgf/errors.hpp"
#include "wgf/h5_file.hpp"
#include "wgf/run_header.hpp"
#include "wgf/spec_text.hpp"
#include "wgf/text_file.hpp"

namespace po = boost::program_options;

namespace wgf::cli {

void DynamicsOptions::add_to(po::options_description& options, bool with_rho0,
                             const std::string& default_role, const char* dim_help) {
  role = default_role;
  // clang-format off
  options.add_options()
    ("dim", po::value<int>(&dim)->default_value(1), dim_help)
    ("kernel", po::value<std::string>(&kernel)->required(), "(required) kernel spec e (see below)")
    ("stabilizer", po::value<std::string>(&stabilizer), "stabiliser kernel spec s")
    ("eps", po::value<double>(&eps)->default_value(0.0, as_typed(0.0)),
     "stabiliser weight: the discriminator plays e - eps s")
    ("role", po::value<std::string>(&role)->default_value(default_role),
     "generator | discriminator | discriminator-p | game | game-p")
    ("tau", po::value<double>(&tau)->default_value(1.0, as_typed(1.0)),
     "the discriminator's rate in the game roles");
  if (with_rho0)
    options.add_options()
      ("rho0", po::value<double>(&rho0)->default_value(1.0, as_typed(1.0)),
       "background density of the linearisation");
  // clang-format on
}

namespace {
std::string substitute(std::string text, const std::string& placeholder, double value) {
  if (placeholder.empty()) return text;
  const std::string token = "{" + placeholder + "}";
  for (auto at = text.find(token); at != std::string::npos; at = text.find(token))
    text.replace(at, token.size(), format_double(value));
  return text;
}
}  // namespace

Dynamics DynamicsOptions::parse(const std::string& placeholder, double value) const {
  Dynamics d;
  d.kernel = parse_kernel(substitute(kernel, placeholder, value));
  if (!stabilizer.empty()) d.stabilizer = parse_kernel(substitute(stabilizer, placeholder, value));
  d.eps = eps;
  d.role = parse_role(role);
  d.tau = tau;
  d.rho0 = rho0;
  return d;
}

Dynamics DynamicsOptions::build(const std::string& placeholder, double value) const {
  const Dynamics d = parse(placeholder, value);
  if (dim < 1) throw InputError("--dim " + std::to_string(dim) + ": must be >= 1");
  d.validate(dim);
  return d;
}

std::filesystem::path shipped_file(const std::filesystem::path& name) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  const fs::path installed =
      error ? fs::path() : self.parent_path().parent_path() / "share" / "wgf" / name;
  if (!installed.empty() && fs::exists(installed, error)) return installed;
  const fs::path source = fs::path(build::source_dir) / "experiments" / name;
  if (fs::exists(source, error) || installed.empty()) return source;
  return installed;
}

bool parse_options(const std::vector<std::string>& args, const po::options_description& options,
                   po::variables_map& vm, const std::string& epilogue) {
  const po::positional_options_description none;  // no positional arguments at all
  po::store(po::command_line_parser(args).options(options).positional(none).run(), vm);
  if (vm.count("help")) {
    std::cout << options << epilogue;
    return true;
  }
  po::notify(vm);
  return false;
}

void check_threads(int threads) {
  if (threads < 1 || threads > kMaxThreads)
    throw InputError("--threads " + std::to_string(threads) + ": must be from 1 to " +
                     std::to_string(kMaxThreads));
}

std::uint64_t checked_seed(long seed) {
  if (seed < 0) throw InputError("--seed " + std::to_string(seed) + ": must be >= 0");
  return static_cast<std::uint64_t>(seed);
}

std::vector<int> parse_widths(const std::string& text, const std::string& option) {
  std::vector<int> widths;
  if (text.empty() || text == "none") return widths;
  for (const auto& token : split(text, ',')) {
    const double v = parse_number(token, option + " '" + text + "'");
    if (v != std::floor(v) || v < 1 || v > 1e6)
      throw InputError(option + " '" + text + "': widths must be positive integers");
    widths.push_back(static_cast<int>(v));
  }
  return widths;
}

StudyOutputs prepare_study_outputs(const std::string& out_dir, bool force) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(out_dir) && !fs::create_directories(out_dir))
    throw InputError("--out-dir '" + out_dir + "': cannot create the folder");
  StudyOutputs outputs{fs::path(out_dir) / "validate.h5", fs::path(out_dir) / "summary.md"};
  OutputFile::check_destination(outputs.h5, force);
  if (fs::exists(outputs.markdown) && !force)
    throw InputError("--out-dir: " + outputs.markdown.string() + " exists (use --force)");
  return outputs;
}

void write_summary(const std::filesystem::path& markdown, const std::string& text) {
  write_file_atomically(markdown, text);
}

std::string as_typed(double value) {
  std::string text = format_double(value);
  const auto e = text.find('e');
  if (e == std::string::npos) return text;
  std::string exponent = text.substr(e + 1);
  const bool negative = !exponent.empty() && exponent[0] == '-';
  if (!exponent.empty() && (exponent[0] == '-' || exponent[0] == '+')) exponent.erase(0, 1);
  exponent.erase(0, std::min(exponent.find_first_not_of('0'), exponent.size() - 1));
  return text.substr(0, e + 1) + (negative ? "-" : "") + exponent;
}

}  // namespace wgf::cli
