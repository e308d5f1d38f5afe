#pragma once
// The particle study's outputs (particle_study.hpp): its markdown summary table and the
// /particles group of validate.h5.
#include <string>
#include <vector>

#include "wgf/h5_file.hpp"
#include "wgf/studies/particle_study.hpp"

namespace wgf::cli {

std::string particle_summary_table(const std::vector<ParticleCaseResult>& results,
                                   const ParticleStudyConfig& config);

void write_particle_study(OutputFile& file, const std::vector<ParticleCaseResult>& results,
                          const ParticleStudyConfig& config);

}  // namespace wgf::cli
