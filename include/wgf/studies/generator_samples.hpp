#pragma once
// Samples of a trained generator (`wgf sample`): latent rows z ~ N(0, I_dz) from one seed, pushed
// through G in double precision from the parameters on file. The same seed gives the same rows.
#include <cstdint>
#include <vector>

#include "wgf/studies/gan_checkpoint.hpp"

namespace wgf {

struct GeneratorSamples {
  long rows = 0;
  int latent_dim = 0, sample_dim = 0;
  std::vector<double> latent;   // rows × latent_dim, row-major
  std::vector<double> samples;  // rows × sample_dim, row-major
};

// InputError when rows < 1 or when the arrays would not fit in memory (stated in bytes).
GeneratorSamples draw_generator_samples(const GanCheckpoint& checkpoint, long rows, std::uint64_t seed);

}  // namespace wgf
