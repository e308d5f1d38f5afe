#pragma once
// `wgf validate --study fashion-mnist` (fashion_study.hpp): its own options, HDF5 and summary,
// reached from `wgf validate` by the study name before the other studies' options are parsed.
#include <algorithm>
#include <string>

#include "cli.hpp"

namespace wgf::cli {

// Whether the arguments name --study NAME (or --study=NAME).
inline bool asks_for_study(const Arguments& args, const std::string& name) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--study=" + name) return true;
    if (args[i] == "--study" && i + 1 < args.size() && args[i + 1] == name) return true;
  }
  return false;
}

int validate_fashion_mnist(const Arguments& args, const std::string& command_line);

}  // namespace wgf::cli
