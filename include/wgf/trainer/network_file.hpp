#pragma once
// A trained network on file, readable without this project's headers (docs/design.md §4):
// one group per network holding, per layer l, `layer_<l>/weight` (fan_in × fan_out, row-major,
// so a batch of row vectors maps as x W + b), `layer_<l>/bias` (fan_out) and the layer's
// `activation` (a spec such as "leaky_relu:slope=0.2"), `fan_in` and `fan_out` as attributes.
// The group's attributes give the whole shape (`description`, `inputs`, `outputs`, `layers`),
// what goes in and comes out, and the formula, so NumPy, PyTorch or any HDF5 reader rebuilds
// the network from the file alone. The flat /train/final_parameters stay beside it (the
// trainer's own layout, which older files have only).
#include <hdf5.h>

#include <string>
#include <vector>

#include "wgf/trainer/mlp.hpp"

namespace wgf {

struct NetworkRole {
  std::string name;     // "generator" or "discriminator": the group's name
  std::string inputs;   // what the input rows are, e.g. "latent z ~ N(0, I_2)"
  std::string outputs;  // what the output rows are, e.g. "samples in data space (2-dimensional)"
};

// Writes `parameters` (the flat layout of MlpShape) as the group `parent`/`role.name`.
void write_network(hid_t parent, const NetworkRole& role, const MlpShape& shape,
                   const std::vector<double>& parameters);

}  // namespace wgf
