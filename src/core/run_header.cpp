#include "wgf/run_header.hpp"

#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "wgf/build_info.hpp"

namespace wgf {

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return buffer;
}

void write_run_header(hid_t root, const std::string& command, const std::string& command_line) {
  write_attribute(root, "wgf_version", std::string(build::version));
  write_attribute(root, "command_line", command_line);
  write_attribute(root, "created_utc", utc_now());
  write_attribute(root, "command", command);
  write_attribute(root, "status", std::string("running"));
}

std::string format_double(double value) {
  char buffer[40];
  for (int digits = 15; digits <= 17; ++digits) {
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  return buffer;
}

}  // namespace wgf
