#pragma once
// The quick-gan study's outputs: /quick_gan in validate.h5 (per-run verdicts and every
// measurement's growth group) and its part of summary.md (the runs, then the agreements of both
// predictions with their baselines, McNemar tests, Wilson intervals and the observed transition).
#include <string>
#include <vector>

#include "wgf/h5_file.hpp"
#include "wgf/protocol.hpp"
#include "wgf/studies/quick_gan_study.hpp"

namespace wgf {

void write_quick_gan_study(OutputFile& file, const Protocol& protocol,
                           const std::vector<QuickGanRun>& runs);

std::string quick_gan_summary(const Protocol& protocol, const QuickGanRules& rules,
                              const std::vector<QuickGanRun>& runs);

}  // namespace wgf
