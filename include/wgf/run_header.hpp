#pragma once
// The root attributes every output file starts with (docs/design.md §4): wgf_version,
// command_line, created_utc, command and a provisional status that the run overwrites when it
// ends. One writer, so that every command's files carry the same header.
#include <string>

#include "wgf/h5_file.hpp"

namespace wgf {

// The current time as ISO 8601 UTC ("2026-01-31T12:00:00Z").
std::string utc_now();

void write_run_header(hid_t root, const std::string& command, const std::string& command_line);

// The shortest of %.15g … %.17g that reads back exactly: 0.2, not 0.20000000000000001.
std::string format_double(double value);

}  // namespace wgf
