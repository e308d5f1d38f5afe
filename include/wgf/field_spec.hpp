#pragma once
// Initial densities from a spec (docs/design.md §3): `uniform:rho0=1`, `mode:rho0=1,amp=1e-3,k=3,1`,
// `random:rho0=1,amp=1e-3,seed=7`, `gaussians:at=…,sigma=…`, or the path of an HDF5 file written
// by `wgf simulate` (optionally `run.h5:field=q,index=-1`). Every field is filled with exact cell
// averages, so the discrete mass equals the continuous one.
#include <span>
#include <string>
#include <vector>

#include "wgf/grid.hpp"

namespace wgf {

struct FieldDescription {
  std::string kind;          // uniform, mode, random, gaussians, file
  std::vector<long> mode_k;  // the wave vector of a `mode` field (empty otherwise)
  long seed = -1;            // the seed of a `random` field (-1 otherwise)
};

// Fills `out` (grid.cells() values). `option` names the option in messages ("--init");
// `default_field` is the dataset read from a file when the spec does not say (p or q).
// Throws InputError for any malformed spec, foreign or mismatched file.
FieldDescription fill_field(const std::string& spec, const Grid& grid, std::span<double> out,
                            const std::string& option, const std::string& default_field);

std::string field_spec_help();

}  // namespace wgf
