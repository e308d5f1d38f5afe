#pragma once
// Mode coverage: the mass of a density within each mode of a mixture target — the measurement of
// mode collapse in the PDE (a generator density that leaves a mode of q empty). Each mode is a
// centre; a cell counts for the nearest centre (periodic distance between cell centre and mode
// centre), and with a radius R > 0 only if that distance is ≤ R. Plan once: the cell → mode map
// is built in the constructor, measure() is one pass over the field without allocation.
#include <span>
#include <vector>

#include "wgf/grid.hpp"
#include "wgf/h5_file.hpp"

namespace wgf {

class ModeMass {
public:
  // `centres`: grid.dim coordinates per mode, flattened; radius 0: no radius (nearest-centre
  // regions cover the whole box). Throws InputError for no centres, a coordinate count that is
  // not a multiple of grid.dim, or a negative or non-finite radius.
  ModeMass(const Grid& grid, std::vector<double> centres, double radius);

  std::size_t modes() const { return centres_.size() / static_cast<std::size_t>(grid_.dim); }
  const std::vector<double>& centres() const { return centres_; }
  double radius() const { return radius_; }
  // ∫ over each mode's region of `field` (cell averages): masses[m], m < modes().
  void measure(std::span<const double> field, std::span<double> masses) const;
  // The mode a cell counts for, or −1.
  int region_of(std::size_t cell) const { return region_[cell]; }

private:
  Grid grid_;
  std::vector<double> centres_;
  double radius_;
  std::vector<int> region_;
};

// The per-step record of a simulation: /diagnostics/mode_mass_p and mode_mass_q (one row of
// modes() values per entry of /diagnostics/t), buffered like the other diagnostics.
class ModeMassLog {
public:
  ModeMassLog(OutputFile& file, const ModeMass& modes);
  void add(std::span<const double> p, std::span<const double> q);
  void flush();

private:
  static constexpr std::size_t kCapacity = 1024;
  const ModeMass& modes_;
  std::size_t used_ = 0;
  ExtendableDataset mass_p_, mass_q_;
  std::vector<double> buffer_p_, buffer_q_;
};

}  // namespace wgf
