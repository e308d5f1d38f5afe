#pragma once
// `wgf validate --study gan` (the trained-GAN ε sweeps, gan_study.hpp) and `--study quick`, the
// default of `wgf validate`: the particle study at a smaller particle count and one small ε sweep,
// a few minutes on two CPU cores. Both write validate.h5 and summary.md into --out-dir.
#include <string>

#include "cli.hpp"

namespace wgf::cli {

// `quick`: the default study; otherwise the full trained-GAN configuration.
int validate_gan_study(const Arguments& args, const std::string& command_line, bool quick);

}  // namespace wgf::cli
