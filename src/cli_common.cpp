#include "cli_common.hpp"

#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "wgf/build_info.hpp"
#include "wgf/errors.hpp"

namespace po = boost::program_options;

namespace wgf::cli {

std::string format_double(double value) {
  // The shortest of %.15g … %.17g that reads back exactly: 0.2, not 0.20000000000000001.
  char buffer[40];
  for (int digits = 15; digits <= 17; ++digits) {
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  return buffer;
}

void DynamicsOptions::add_to(po::options_description& options, bool with_rho0,
                             const std::string& default_role) {
  role = default_role;
  // clang-format off
  options.add_options()
    ("dim", po::value<int>(&dim)->default_value(1), "dimension d")
    ("kernel", po::value<std::string>(&kernel)->required(), "kernel spec e (see below)")
    ("stabilizer", po::value<std::string>(&stabilizer), "stabiliser kernel spec s")
    ("eps", po::value<double>(&eps)->default_value(0.0),
     "stabiliser weight: the discriminator plays e - eps s")
    ("role", po::value<std::string>(&role)->default_value(default_role),
     "generator | discriminator | discriminator-p | game | game-p")
    ("tau", po::value<double>(&tau)->default_value(1.0),
     "the discriminator's rate in the game roles");
  if (with_rho0)
    options.add_options()
      ("rho0", po::value<double>(&rho0)->default_value(1.0),
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

Dynamics DynamicsOptions::build(const std::string& placeholder, double value) const {
  Dynamics d;
  d.kernel = parse_kernel(substitute(kernel, placeholder, value));
  if (!stabilizer.empty()) d.stabilizer = parse_kernel(substitute(stabilizer, placeholder, value));
  d.eps = eps;
  d.role = parse_role(role);
  d.tau = tau;
  d.rho0 = rho0;
  if (dim < 1) throw InputError("--dim " + std::to_string(dim) + ": must be >= 1");
  d.validate(dim);
  return d;
}

void write_run_header(hid_t root, const std::string& command, const std::string& command_line) {
  const std::time_t now = std::time(nullptr);
  char created[32];
  std::strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  write_attribute(root, "wgf_version", std::string(build::version));
  write_attribute(root, "command_line", command_line);
  write_attribute(root, "created_utc", std::string(created));
  write_attribute(root, "command", command);
  write_attribute(root, "status", std::string("running"));
}

}  // namespace wgf::cli
