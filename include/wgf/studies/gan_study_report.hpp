#pragma once
// The trained-GAN study's outputs: the markdown summary (predicted vs observed per ε, agreement
// per sweep and overall, where quality peaks) and the /gan group of validate.h5.
#include <string>
#include <vector>

#include "wgf/studies/gan_study.hpp"
#include "wgf/h5_file.hpp"

namespace wgf::cli {

std::string gan_summary_table(const std::vector<GanSweep>& sweeps,
                              const std::vector<GanRunResult>& runs,
                              const GanStudyConfig& config, const std::string& device);

void write_gan_study(OutputFile& file, const std::vector<GanSweep>& sweeps,
                     const std::vector<GanRunResult>& runs, const GanStudyConfig& config);

}  // namespace wgf::cli
