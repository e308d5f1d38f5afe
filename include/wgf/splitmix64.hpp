#pragma once
// splitmix64 (Steele, Lea & Flood 2014): the one small seeded generator of the project's own.
// The trainer seeds its xoshiro256** streams with it (trainer/random.hpp); the analysis layer
// draws its few random choices (shell directions, bootstrap resamples) from it directly. Ours,
// not the standard library's distributions, so a seed names the same numbers on every platform.
#include <cstdint>

namespace wgf {

inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Uniform on [0, 1) from the top 53 bits.
inline double splitmix64_uniform(std::uint64_t& state) {
  return static_cast<double>(splitmix64(state) >> 11) * 0x1.0p-53;
}

}  // namespace wgf
