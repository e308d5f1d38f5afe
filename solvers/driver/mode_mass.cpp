#include "wgf/netcdf_variables.hpp"
#include "wgf/solvers/mode_mass.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "wgf/errors.hpp"

namespace wgf {

ModeMass::ModeMass(const Grid& grid, std::vector<double> centres, double radius)
    : grid_(grid), centres_(std::move(centres)), radius_(radius) {
  const auto dim = static_cast<std::size_t>(grid.dim);
  if (centres_.empty()) throw InputError("--mode-centre: at least one mode centre is needed");
  if (centres_.size() % dim != 0)
    throw InputError("--mode-centre: each centre needs " + std::to_string(dim) +
                     " coordinates (--dim)");
  for (double c : centres_)
    if (!std::isfinite(c)) throw InputError("--mode-centre: coordinates must be finite");
  if (!(radius >= 0) || !std::isfinite(radius))
    throw InputError("--mode-radius: must be a finite number >= 0 (0: nearest-centre regions)");
  const double length = grid.length;
  region_.assign(grid.cells(), -1);
  long index[3] = {0, 0, 0};
  for (std::size_t cell = 0; cell < grid.cells(); ++cell) {
    std::size_t rest = cell;
    for (int a = grid.dim - 1; a >= 0; --a) {
      index[a] = static_cast<long>(rest % static_cast<std::size_t>(grid.n));
      rest /= static_cast<std::size_t>(grid.n);
    }
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t m = 0; m < modes(); ++m) {
      double r2 = 0;
      for (std::size_t a = 0; a < dim; ++a) {
        double diff = grid.cell_center(index[a]) - centres_[m * dim + a];
        diff -= length * std::floor(diff / length + 0.5);  // periodic: nearest image
        r2 += diff * diff;
      }
      // Strictly nearer wins: a cell equidistant from two centres goes to the first listed.
      if (r2 < best) {
        best = r2;
        region_[cell] = static_cast<int>(m);
      }
    }
    if (radius_ > 0 && best > radius_ * radius_) region_[cell] = -1;
  }
}

void ModeMass::measure(std::span<const double> field, std::span<double> masses) const {
  for (std::size_t m = 0; m < modes(); ++m) masses[m] = 0;
  for (std::size_t cell = 0; cell < region_.size(); ++cell)
    if (region_[cell] >= 0) masses[region_[cell]] += field[cell];
  const double volume = grid_.cell_volume();
  for (std::size_t m = 0; m < modes(); ++m) masses[m] *= volume;
}

ModeMassLog::ModeMassLog(OutputFile& file, const ModeMass& modes) : modes_(modes) {
  const hid_t group = file.group("/diagnostics");
  const hsize_t count = modes.modes();
  mass_p_ = ExtendableDataset(group, "mode_mass_p", {count}, kCapacity);
  mass_q_ = ExtendableDataset(group, "mode_mass_q", {count}, kCapacity);
  describe(mass_p_.id(), {{"t", "mode_region"}, "1", "mass of p in each mode region after each step"});
  describe(mass_q_.id(), {{"t", "mode_region"}, "1", "mass of q in each mode region after each step"});
  write_attribute(mass_p_.id(), "centres", modes.centres());
  write_attribute(mass_p_.id(), "radius", modes.radius());
  write_attribute(mass_p_.id(), "note",
                  std::string("mass of p in each mode region: cells nearest to the mode centre "
                              "(periodic), within `radius` of it when radius > 0"));
  buffer_p_.resize(kCapacity * count);
  buffer_q_.resize(kCapacity * count);
}

void ModeMassLog::add(std::span<const double> p, std::span<const double> q) {
  const std::size_t count = modes_.modes();
  modes_.measure(p, std::span<double>(buffer_p_).subspan(used_ * count, count));
  modes_.measure(q, std::span<double>(buffer_q_).subspan(used_ * count, count));
  if (++used_ == kCapacity) flush();
}

void ModeMassLog::flush() {
  mass_p_.append(buffer_p_.data(), used_);
  mass_q_.append(buffer_q_.data(), used_);
  used_ = 0;
}

}  // namespace wgf
