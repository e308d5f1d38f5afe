#pragma once
// `table:file=PATH`: a radial kernel e(r) tabulated by the user (docs/design.md §1, kernel catalogue).
//
// File formats (chosen by content, not by name):
//   * CSV/text: two numeric columns r, e per line, separated by a comma or by blanks; one header
//     line is allowed before the data; blank lines and lines starting with '#' are skipped.
//   * HDF5: 1-D numeric datasets `r` and `e` of equal length in the root group.
// Requirements (each violation is an InputError naming the file and the problem): at least 8
// rows, r finite, ≥ 0 and strictly increasing, e finite and not zero everywhere, and the last
// value negligible, |e(r_max)| ≤ 1e−6 max|e|.
//
// Model. e is the C² piecewise quintic Hermite interpolant of the table (derivatives from
// 7-point finite differences; see PiecewiseQuintic), e = 0 beyond r_max (hence the requirement
// above: a slowly decaying kernel cut off early would have a wrong transform, so tabulate it
// out to where it is negligible at the accuracy you need — the cut-off changes ê by about
// |e(r_max)| r_max^{(d−1)/2} ξ^{−(d+1)/2}). A table that starts at r_0 > 0 is extended to
// [0, r_0] by the interpolant's second-order Taylor polynomial at r_0: keep r_0 small against
// the scale on which e varies, or include r = 0. value(), radial_derivative() and transform()
// all use this one interpolant.
//
// Transform: RadialHankelTransform, exact for the interpolant, so the only error is the
// interpolant's: at most Δr⁶ max|e⁽⁶⁾|/46080 pointwise, for ξ well below the Nyquist-like limit
// max_reliable_xi() = π/Δr_max, where Δr_max is the widest spacing among the intervals on which
// |e| > 1e−6 max|e| (spacing may grow freely where e is below that, as in log-spaced tables).
// Typical tables (a few thousand points, uniformly spaced, or log-spaced for algebraic tails,
// out to where e is negligible) reproduce the closed forms of gaussian, rq and laplace to better
// than 1e−8 relative from ξ = 0.01/ℓ to where ê has fallen to 1e−6 of ê(0) (or to
// max_reliable_xi() when that comes first). Past max_reliable_xi() the interpolant's error
// dominates ê; the spectrum and map commands refuse such ranges.
// Cost: O(number of rows) per transform, whatever ξ (about 40–120 ns per row on one core:
// 0.1–0.4 ms for 2000–4000 rows); the table is read and interpolated once, at construction.
#include <array>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "wgf/hankel_transform.hpp"
#include "wgf/kernel.hpp"

namespace wgf {

class TabulatedKernel final : public RadialKernel {
public:
  // Reads and checks `path` (CSV/text or HDF5); throws InputError naming the file.
  static std::shared_ptr<const TabulatedKernel> load(const std::string& path);
  TabulatedKernel(std::string path, std::vector<double> r, std::vector<double> e);

  double value(double r) const override;
  double radial_derivative(double r) const override;
  double transform(double xi, int dim) const override;
  void check_dimension(int dim) const override;
  std::string spec() const override { return "table:file=" + path_; }
  double max_reliable_xi() const override { return max_reliable_xi_; }

  const std::string& path() const { return path_; }
  std::size_t rows() const { return rows_; }
  double r_max() const { return r_max_; }

private:
  std::string path_;
  std::size_t rows_;
  double r_max_, max_reliable_xi_;
  RadialHankelTransform transform_;
  // The grid solver asks for ê at every wave vector, and many share one length |ξ|: values
  // for d ≤ 4 are remembered (up to kMemoLimit per dimension; thread-safe).
  static constexpr std::size_t kMemoLimit = std::size_t{1} << 16;
  mutable std::mutex memo_mutex_;
  mutable std::array<std::unordered_map<double, double>, 4> memo_;
};

}  // namespace wgf
