#pragma once
// Shells of wave vectors in feature space, and the power of the feature-density difference on
// them (docs/design.md §7.2): for fake features f_i (n rows) and real features g_j (m rows),
//
//   ŵ(ξ) = n⁻¹ Σ_i e^{−iξ·f_i} − m⁻¹ Σ_j e^{−iξ·g_j},   P(k, u) = |ŵ(k u)|²,
//
// at radii k_1 … k_K along M unit directions u. The rotation average S(k) = M⁻¹ Σ_u P(k, u)
// is what a growth rate is fitted to: a structure factor read on two axes is not
// rotation-invariant, and a single direction's power is one exponential draw.
//
// Directions: in 1D the one direction; in 2D M angles evenly spaced on the half circle (P is
// even in ξ, so the other half adds nothing); in 3D and beyond M seeded uniform directions.
// Plan once: the directions are drawn at construction and `power` allocates nothing.
#include <cstdint>
#include <vector>

namespace wgf {

class FeatureShells {
public:
  // InputError for no radius, a radius ≤ 0 or not finite, directions < 1, or dim < 1.
  FeatureShells(std::vector<double> radii, int directions, int dim, std::uint64_t seed);

  int dim() const { return dim_; }
  int radii_count() const { return static_cast<int>(radii_.size()); }
  int directions() const { return directions_; }
  const std::vector<double>& radii() const { return radii_; }
  // Unit vector u (dim values) of direction `d`.
  const double* direction(int d) const { return units_.data() + static_cast<std::size_t>(d) * dim_; }

  // P(k, u) for every radius and direction into `out` (K × M, row-major by radius). Features
  // are row-major, dim values per row.
  void power(const double* fake, long n, const double* real, long m, double* out) const;

  // The rotation average S(k) of a K × M power table into `out` (K values).
  void rotation_average(const double* power, double* out) const;

private:
  std::vector<double> radii_;
  int directions_, dim_;
  std::vector<double> units_;  // M × dim
};

}  // namespace wgf
