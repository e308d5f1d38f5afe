#pragma once
// The subcommands of the `wgf` program (docs/design.md §3). Each takes the arguments after its name
// and returns the exit code: 0 done, 2 invalid input, 1 any other failure.
#include <string>
#include <vector>

namespace wgf::cli {

using Arguments = std::vector<std::string>;

int info(const Arguments& args);
int simulate(const Arguments& args, const std::string& command_line);
int spectrum(const Arguments& args, const std::string& command_line);
int map(const Arguments& args, const std::string& command_line);
int validate(const Arguments& args, const std::string& command_line);
int train(const Arguments& args, const std::string& command_line);
int mmd_flow(const Arguments& args, const std::string& command_line);
int growth(const Arguments& args, const std::string& command_line);
int sample(const Arguments& args, const std::string& command_line);

}  // namespace wgf::cli
