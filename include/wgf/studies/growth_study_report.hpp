#pragma once
// What a growth-rate measurement writes (docs/design.md §7.2): the /growth datasets of one run
// into an HDF5 group, and its table for a summary or the terminal.
#include <string>

#include "wgf/h5_file.hpp"
#include "wgf/studies/growth_study.hpp"

namespace wgf {

// xi, measured_rate, measured_rate_ci, predicted_free, predicted_tangent(_ci), resolved, time,
// power_measured, power_tangent and the run's attributes, into `group` (created).
void write_growth_group(OutputFile& file, const std::string& group, const GrowthResult& r);

// A Markdown table: |ξ|, measured [interval], free, tangent, resolved, and the two ratios.
std::string growth_summary_table(const GrowthResult& r, double confidence);

}  // namespace wgf
