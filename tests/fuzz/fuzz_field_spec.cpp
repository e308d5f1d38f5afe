// Fuzzes wgf::fill_field (include/wgf/field_spec.hpp): init and target field specs such as
// `uniform:rho0=1`, `mode:amp=1e-6,k=2`, `random:amp=1e-3,seed=1`, `gaussians:at=0,sigma=0.3`,
// filled on three small grids (1D N = 16, 2D N = 8, 3D N = 4).
// Findings: any exception other than wgf::InputError, a sanitizer report, or an accepted spec
// whose field is not a density: every cell finite and >= 0 (the rule fill_field applies to a
// field read from a file), and FieldDescription::kind the spec's name.
// Specs naming an HDF5 file (NAME.h5, NAME.hdf5) are skipped: they open the file they name.
#include <cmath>
#include <vector>

#include "fuzz_common.hpp"
#include "wgf/errors.hpp"
#include "wgf/field_spec.hpp"
#include "wgf/grid.hpp"

namespace {

bool names_a_file(const std::string& text) {
  std::string name = text.substr(0, text.find(':'));
  const auto first = name.find_first_not_of(" \t");
  const auto last = name.find_last_not_of(" \t");
  name = first == std::string::npos ? "" : name.substr(first, last - first + 1);
  auto ends_with = [&](const std::string& s) {
    return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
  };
  return ends_with(".h5") || ends_with(".hdf5");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = wgf_fuzz::text_of(data, size);
  if (names_a_file(text)) return 0;
  const wgf::Grid grids[] = {{1, 16, 2 * M_PI}, {2, 8, 2 * M_PI}, {3, 4, 1.0}};
  for (const wgf::Grid& grid : grids) {
    std::vector<double> field(grid.cells(), -1.0);
    wgf::FieldDescription description;
    try {
      description = wgf::fill_field(text, grid, field, "--init", "p");
    } catch (const wgf::InputError&) {
      continue;
    }
    wgf_fuzz::require(description.kind == "uniform" || description.kind == "mode" ||
                          description.kind == "random" || description.kind == "gaussians",
                      "accepted field of unknown kind '" + description.kind + "'", text);
    for (double v : field)
      wgf_fuzz::require(std::isfinite(v) && v >= 0,
                        "accepted spec fills a cell with " + std::to_string(v) + " on the " +
                            std::to_string(grid.dim) + "D grid (not a finite density >= 0)",
                        text);
  }
  return 0;
}
