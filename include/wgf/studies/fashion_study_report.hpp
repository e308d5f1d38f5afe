#pragma once
// The Fashion-MNIST study's outputs (fashion_study.hpp): its markdown summary table (Fréchet
// distance per run and per setting, the floor, the relative change) and the root attributes and
// /fashion group of validate.h5 (docs/design.md §4).
#include <string>

#include "wgf/h5_file.hpp"
#include "wgf/studies/fashion_study.hpp"

namespace wgf::cli {

std::string fashion_summary_table(const FashionStudyResult& result,
                                  const FashionStudyConfig& config);

void write_fashion_study(OutputFile& file, const FashionStudyResult& result,
                         const FashionStudyConfig& config);

}  // namespace wgf::cli
