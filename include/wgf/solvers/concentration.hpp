#pragma once
// Detects when the discriminator's aggregation has concentrated mass beyond what the grid
// resolves (docs/design.md §2: concentration is physics, not a crash; stop and record it).
//
// Two signs, checked around the densest cell:
//  * a 2^d block of cells (2 cells per axis, the best-aligned block containing the densest
//    cell, so a clump sitting on a cell face counts whole) holds more than `mass_fraction` of
//    the species' mass;
//  * the densest clump is unresolved: that block holds ≥ `unresolved_ratio` of the mass of the
//    4^d block around it, i.e. the clump is at most two cells wide on every axis. This catches
//    many small clumps that each hold little of the total mass.
// The scan runs only when the peak density is well above the mean (a cheap filter).
#include <cstddef>

#include "wgf/grid.hpp"

namespace wgf {

class ConcentrationDetector {
public:
  // Cells per axis of the neighbourhood of the peak that the decision reads.
  static constexpr int kPatchWidth = 5;

  ConcentrationDetector(const Grid& grid, double mass_fraction, double unresolved_ratio = 0.9);

  // Why `rho` counts as concentrated, or nullptr. `max_density` and `mass` are its known
  // maximum and total mass. Allocates nothing.
  const char* check(const double* rho, double max_density, double mass) const;

  // check() in two halves, for a backend whose fields live elsewhere (a GPU fetches only the
  // patch): whether a scan is needed at all, and the decision from the kPatchWidth^d cells
  // around the peak (the first cell holding the maximum), patch[(i0·5 + i1)·5 + i2] = ρ at
  // peak + (i − 2) per axis, periodically wrapped. check() is exactly these two.
  bool worth_scanning(double max_density, double mass) const;
  const char* check_patch(const double* patch, double mass) const;
  // Fills `patch` (kPatchWidth^d values) around flat cell index `peak` of `rho`.
  void gather_patch(const double* rho, std::size_t peak, double* patch) const;

private:
  double block_mass(const double* patch, const long* start, int width) const;

  Grid grid_;
  double mass_fraction_, unresolved_ratio_;
};

}  // namespace wgf
