#include "wgf/solvers/concentration.hpp"

#include <algorithm>
#include <cmath>

namespace wgf {

ConcentrationDetector::ConcentrationDetector(const Grid& grid, double mass_fraction,
                                             double unresolved_ratio)
    : grid_(grid), mass_fraction_(mass_fraction), unresolved_ratio_(unresolved_ratio) {}

// Mass of the width^d block at `start` (patch coordinates), summed in the order the whole-field
// scan always used, so the decision does not depend on where the values came from.
double ConcentrationDetector::block_mass(const double* patch, const long* start, int width) const {
  long offset[3] = {0, 0, 0};
  double sum = 0;
  const long blocks = static_cast<long>(std::pow(width, grid_.dim));
  for (long b = 0; b < blocks; ++b) {
    long rest = b;
    std::size_t flat = 0;
    for (int a = 0; a < grid_.dim; ++a) {
      offset[a] = rest % width;
      rest /= width;
      flat = flat * kPatchWidth + static_cast<std::size_t>(start[a] + offset[a]);
    }
    sum += patch[flat];
  }
  return sum * grid_.cell_volume();
}

bool ConcentrationDetector::worth_scanning(double max_density, double mass) const {
  if (!(mass > 0)) return false;
  const double mean = mass / std::pow(grid_.length, grid_.dim);
  return !(max_density < 4 * mean);  // below: nothing like a clump yet
}

void ConcentrationDetector::gather_patch(const double* rho, std::size_t peak, double* patch) const {
  const long n = grid_.n;
  long centre[3] = {0, 0, 0};
  std::size_t rest = peak;
  for (int a = grid_.dim - 1; a >= 0; --a) {
    centre[a] = static_cast<long>(rest % static_cast<std::size_t>(n));
    rest /= static_cast<std::size_t>(n);
  }
  const long count = static_cast<long>(std::pow(kPatchWidth, grid_.dim));
  for (long e = 0; e < count; ++e) {
    long r = e;
    long coord[3] = {0, 0, 0};
    for (int a = grid_.dim - 1; a >= 0; --a) {
      coord[a] = r % kPatchWidth;
      r /= kPatchWidth;
    }
    std::size_t flat = 0;
    for (int a = 0; a < grid_.dim; ++a) {
      const long i = ((centre[a] + coord[a] - 2) % n + n) % n;
      flat = flat * static_cast<std::size_t>(n) + static_cast<std::size_t>(i);
    }
    patch[e] = rho[flat];
  }
}

const char* ConcentrationDetector::check(const double* rho, double max_density,
                                         double mass) const {
  if (!worth_scanning(max_density, mass)) return nullptr;
  const std::size_t cells = grid_.cells();
  const std::size_t peak =
      static_cast<std::size_t>(std::max_element(rho, rho + cells) - rho);
  double patch[kPatchWidth * kPatchWidth * kPatchWidth];
  gather_patch(rho, peak, patch);
  return check_patch(patch, mass);
}

const char* ConcentrationDetector::check_patch(const double* patch, double mass) const {
  // The peak sits at patch coordinate 2 on every axis.
  const long centre[3] = {2, 2, 2};
  // The best-aligned 2^d block containing the peak: per axis it starts at the peak or one
  // cell before it.
  double best = -1;
  long best_start[3] = {0, 0, 0};
  for (int choice = 0; choice < (1 << grid_.dim); ++choice) {
    long start[3] = {0, 0, 0};
    for (int a = 0; a < grid_.dim; ++a) start[a] = centre[a] - ((choice >> a) & 1);
    const double m = block_mass(patch, start, 2);
    if (m > best) {
      best = m;
      std::copy(start, start + 3, best_start);
    }
  }
  if (best > mass_fraction_ * mass)
    return "a 2^d block of cells holds more than the --concentration-mass fraction of the mass";
  long wide_start[3] = {0, 0, 0};
  for (int a = 0; a < grid_.dim; ++a) wide_start[a] = best_start[a] - 1;
  const double wide = block_mass(patch, wide_start, 4);
  if (grid_.n >= 8 && best >= unresolved_ratio_ * wide)
    return "the densest clump is unresolved (at most two cells wide on every axis)";
  return nullptr;
}

}  // namespace wgf
