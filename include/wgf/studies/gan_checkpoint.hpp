#pragma once
// A trained GAN read back from a `wgf train` file (docs/design.md §4): the networks' shapes from
// the root attributes `generator` and `discriminator` (MlpShape::describe's text), their flat
// parameters from /train/final_parameters, the latent size `dz` and the data spec. `wgf growth
// --checkpoint` starts D there, `--generator` draws the fake batch from G.
#include <string>
#include <vector>

#include "wgf/trainer/mlp.hpp"

namespace wgf {

struct GanCheckpoint {
  std::string path, data;
  MlpShape generator, discriminator;
  std::vector<double> generator_parameters, discriminator_parameters;
  int latent_dim = 0;
  std::vector<long> sample_shape;  // {28, 28} for images, {2} for points; empty if not on file
};

// InputError naming the file and what is missing or malformed.
GanCheckpoint read_gan_checkpoint(const std::string& path);

// The inverse of MlpShape::describe: "2-128-128-16 leaky_relu:slope=0.2[, output tanh]".
MlpShape parse_mlp_description(const std::string& text, const std::string& what);

}  // namespace wgf
