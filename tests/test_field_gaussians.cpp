// gaussians:at=…,sigma=… on the periodic box: a centre outside the box is its periodic image
// (it used to give p ≡ 0 and status "completed"), and any σ is bounded work (σ = 1e20 overflowed
// the image count, σ = 1e8 filled for minutes): from σ = 2L the field is the uniform limit.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <numbers>
#include <sstream>
#include <string>
#include <vector>

#include "wgf/field_spec.hpp"
#include "wgf/grid.hpp"

namespace {

std::vector<double> field(const std::string& spec, const wgf::Grid& grid) {
  std::vector<double> out(grid.cells());
  wgf::fill_field(spec, grid, out, "--init", "uniform");
  return out;
}

double total_mass(const std::vector<double>& f, const wgf::Grid& grid) {
  double sum = 0;
  for (double v : f) sum += v;
  return sum * grid.cell_volume();
}

}  // namespace

TEST_CASE("a Gaussian centred outside the periodic box is its image inside it") {
  // Same cells to rounding (1e-12 relative: the erf differences of shifted arguments), and the
  // requested mass (1e-12).
  wgf::Grid grid;
  grid.dim = 2;
  grid.n = 32;
  const double L = grid.length;
  const auto outside = field("gaussians:at=20,-7,sigma=0.3,mass=2", grid);
  std::ostringstream spec;
  spec << std::setprecision(17) << "gaussians:at=" << 20 - 3 * L << "," << -7 + 2 * L
       << ",sigma=0.3,mass=2";
  const auto inside = field(spec.str(), grid);
  double largest = 0;
  for (double v : inside) largest = std::max(largest, v);
  REQUIRE(largest > 0);
  double worst = 0;
  for (std::size_t i = 0; i < inside.size(); ++i) worst = std::max(worst, std::abs(outside[i] - inside[i]));
  CHECK(worst <= 1e-12 * largest);
  CHECK(total_mass(outside, grid) == doctest::Approx(2.0).epsilon(1e-12));
}

TEST_CASE("a Gaussian much wider than the box is the uniform field of its mass") {
  // σ ≥ 2L: the periodised density's first Fourier coefficient is < 1e-34, so the field is
  // uniform in double precision; σ just below 2L (summed over images) must agree with it.
  wgf::Grid grid;
  grid.n = 64;
  const double L = grid.length;
  for (double sigma : {1e20, 1e8, 2 * L}) {
    CAPTURE(sigma);
    const auto f = field("gaussians:at=1,sigma=" + std::to_string(sigma) + ",mass=3", grid);
    const auto [lo, hi] = std::minmax_element(f.begin(), f.end());
    CHECK(*lo == doctest::Approx(3.0 / L).epsilon(1e-12));
    CHECK(*hi == doctest::Approx(3.0 / L).epsilon(1e-12));
  }
  const auto below = field("gaussians:at=1,sigma=" + std::to_string(1.999 * L) + ",mass=3", grid);
  const auto [lo, hi] = std::minmax_element(below.begin(), below.end());
  CHECK(*lo == doctest::Approx(3.0 / L).epsilon(1e-12));
  CHECK(*hi == doctest::Approx(3.0 / L).epsilon(1e-12));
}
