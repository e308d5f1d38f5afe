#include "wgf/studies/generator_samples.hpp"

#include <algorithm>
#include <string>

#include "wgf/errors.hpp"
#include "wgf/trainer/mlp.hpp"
#include "wgf/trainer/random.hpp"

namespace wgf {

namespace {

// Its own stream of the seed: the latent rows of `wgf sample --seed S` are not the rows any
// training or growth run with seed S drew.
constexpr std::uint64_t kSampleStream = 0x5A3u;
// Rows per forward pass: the network's buffers stay small whatever --n is.
constexpr long kChunkRows = 4096;
// More values than this (8 GiB of doubles) are refused before allocating.
constexpr double kMaxValues = 1u << 30;

}  // namespace

GeneratorSamples draw_generator_samples(const GanCheckpoint& checkpoint, long rows, std::uint64_t seed) {
  if (rows < 1) throw InputError("--n " + std::to_string(rows) + ": must be >= 1");
  const int dz = checkpoint.latent_dim, dx = checkpoint.generator.outputs;
  const double values = static_cast<double>(rows) * (dz + dx);
  if (values > kMaxValues)
    throw InputError("--n " + std::to_string(rows) + ": " + std::to_string(dz + dx) +
                     " values per sample need " + std::to_string(values * 8 / (1u << 30)) +
                     " GiB; at most " + std::to_string(static_cast<long>(kMaxValues / (dz + dx))) +
                     " samples at once");
  GeneratorSamples out;
  out.rows = rows;
  out.latent_dim = dz;
  out.sample_dim = dx;
  out.latent.resize(static_cast<std::size_t>(rows) * dz);
  out.samples.resize(static_cast<std::size_t>(rows) * dx);
  Rng rng(seed, kSampleStream);
  for (auto& z : out.latent) z = rng.normal();
  Mlp<double> generator(checkpoint.generator, std::min(rows, kChunkRows));
  generator.forward_rows(checkpoint.generator_parameters.data(), out.latent.data(), rows,
                         out.samples.data());
  return out;
}

}  // namespace wgf
