// Mode coverage (wgf/mode_mass.hpp) against known answers: the mass of periodic Gaussians within
// intervals and quadrants computed here from erf and the image sum, independently of the grid
// (the fields are exact cell averages, so the discrete region masses equal these up to
// round-off); and `wgf simulate --mode-centre` recording it per step.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "cli_sandbox.hpp"
#include "wgf/errors.hpp"
#include "wgf/field_spec.hpp"
#include "wgf/solvers/mode_mass.hpp"

using namespace wgf;

namespace {

// ∫_a^b of the unit Gaussian density of std σ at c, periodised with period L (images |m| ≤ 3).
double interval_mass(double a, double b, double c, double sigma, double length) {
  double mass = 0;
  for (int m = -3; m <= 3; ++m) {
    const double shift = c + m * length;
    mass += 0.5 * (std::erf((b - shift) / (std::sqrt(2.0) * sigma)) -
                   std::erf((a - shift) / (std::sqrt(2.0) * sigma)));
  }
  return mass;
}

std::vector<double> field(const Grid& grid, const std::string& spec) {
  std::vector<double> values(grid.cells());
  fill_field(spec, grid, values, "--init", "p");
  return values;
}

}  // namespace

TEST_CASE("mode mass in 1D: a radius of (m + 1/2) h around a cell centre is an exact interval") {
  // Cells whose centre lies within R = 5.5 h of a centre placed on a cell centre cover exactly
  // [c − R, c + R]. Two Gaussians (masses 0.3 and 0.7, σ = 0.4 and 0.6 in a box of length 8):
  // each interval holds its own Gaussian's share plus the other's tail. Round-off only: 1e-13.
  const Grid grid{1, 64, 8.0};
  const double h = grid.h(), radius = 5.5 * h;
  const double c1 = grid.cell_center(20), c2 = grid.cell_center(40);
  std::vector<double> p = field(grid, "gaussians:at=" + std::to_string(c1) + ",sigma=0.4,mass=0.3");
  const auto second = field(grid, "gaussians:at=" + std::to_string(c2) + ",sigma=0.6,mass=0.7");
  for (std::size_t i = 0; i < p.size(); ++i) p[i] += second[i];
  // std::to_string rounds the centres to 6 decimals: use the rounded values in the answer.
  const double r1 = std::stod(std::to_string(c1)), r2 = std::stod(std::to_string(c2));
  const ModeMass modes(grid, {c1, c2}, radius);
  std::vector<double> masses(2);
  modes.measure(p, masses);
  for (int m = 0; m < 2; ++m) {
    const double centre = m == 0 ? c1 : c2;
    const double expected = 0.3 * interval_mass(centre - radius, centre + radius, r1, 0.4, 8.0) +
                            0.7 * interval_mass(centre - radius, centre + radius, r2, 0.6, 8.0);
    CAPTURE(m);
    CHECK(masses[m] == doctest::Approx(expected).epsilon(1e-13));
  }
  // And the regions are what they claim: 11 cells each.
  int counted[2] = {0, 0};
  for (std::size_t cell = 0; cell < grid.cells(); ++cell)
    if (modes.region_of(cell) >= 0) ++counted[modes.region_of(cell)];
  CHECK(counted[0] == 11);
  CHECK(counted[1] == 11);
}

TEST_CASE("mode mass in 2D: nearest-centre regions of a 2x2 lattice are the four quadrants") {
  // Centres (±L/4, ±L/4): the nearest-centre regions (periodic) are the quadrants. The density:
  // a floor 0.01 plus one Gaussian (mass 0.5) at a quadrant centre and two (mass 0.25 each) off
  // centre, so every quadrant's mass is Σ_gaussians mass · Π_axes (interval mass) + floor · area.
  const double length = 6.0;
  const Grid grid{2, 48, length};
  const double q = length / 4;
  const ModeMass modes(grid, {-q, -q, -q, q, q, -q, q, q}, 0.0);
  REQUIRE(modes.modes() == 4);
  struct Bump {
    double x, y, sigma, mass;
  };
  const Bump bumps[3] = {{-1.5, -1.5, 0.5, 0.5}, {1.0, 2.0, 0.7, 0.25}, {0.25, -1.0, 0.4, 0.25}};
  std::vector<double> p(grid.cells(), 0.01);
  for (const auto& b : bumps) {
    const auto f = field(grid, "gaussians:at=" + std::to_string(b.x) + "," + std::to_string(b.y) +
                                   ",sigma=" + std::to_string(b.sigma) +
                                   ",mass=" + std::to_string(b.mass));
    for (std::size_t i = 0; i < p.size(); ++i) p[i] += f[i];
  }
  std::vector<double> masses(4);
  modes.measure(p, masses);
  const double half = length / 2;
  double total = 0;
  for (int m = 0; m < 4; ++m) {
    // Quadrant m: x in [−L/2, 0) for centres with x = −q, [0, L/2) otherwise; same for y.
    const double x0 = m < 2 ? -half : 0.0, y0 = m % 2 == 0 ? -half : 0.0;
    double expected = 0.01 * half * half;
    for (const auto& b : bumps)
      expected += b.mass * interval_mass(x0, x0 + half, b.x, b.sigma, length) *
                  interval_mass(y0, y0 + half, b.y, b.sigma, length);
    CAPTURE(m);
    CHECK(masses[m] == doctest::Approx(expected).epsilon(1e-12));
    total += masses[m];
  }
  CHECK(total == doctest::Approx(1.0 + 0.01 * length * length).epsilon(1e-12));
}

TEST_CASE("mode mass: invalid centres or radius are input errors") {
  const Grid grid{2, 16, 4.0};
  CHECK_THROWS_AS(ModeMass(grid, {}, 0.0), InputError);
  CHECK_THROWS_AS(ModeMass(grid, {1.0, 2.0, 3.0}, 0.0), InputError);
  CHECK_THROWS_AS(ModeMass(grid, {1.0, 2.0}, -1.0), InputError);
}

TEST_CASE("wgf simulate --mode-centre records the mass of p and q per mode and per step") {
  using testing::read_vector;
  testing::Sandbox box;
  // The generator flow moves p and conserves its mass: with nearest-centre regions the two
  // modes' masses add up to the total at every step (round-off, 1e-10 relative), and the first
  // row is the initial split, known from erf: q's two equal Gaussians are split evenly by
  // symmetry, p (one Gaussian on the left mode) has erf mass in the left half-box.
  const std::string common =
      "simulate --dim 1 --n 64 --length 8 --kernel gaussian:sigma=0.5 --role generator "
      "--target gaussians:at=-2,2,sigma=0.4 --init gaussians:at=-2,sigma=0.5 --t-end 0.2 "
      "--fft-plan estimate --quiet ";
  const auto run = box.run(common + "--mode-centre -2 --mode-centre 2 --out modes.h5");
  CAPTURE(run.output);
  REQUIRE(run.exit_code == 0);
  const auto t = read_vector(box.path("modes.h5"), "/diagnostics/t");
  const auto mass_p = read_vector(box.path("modes.h5"), "/diagnostics/mode_mass_p");
  const auto mass_q = read_vector(box.path("modes.h5"), "/diagnostics/mode_mass_q");
  REQUIRE(t.size() > 2);
  REQUIRE(mass_p.size() == 2 * t.size());
  REQUIRE(mass_q.size() == 2 * t.size());
  for (std::size_t row = 0; row < t.size(); ++row)
    CHECK(mass_p[2 * row] + mass_p[2 * row + 1] == doctest::Approx(8.0).epsilon(1e-10));
  CHECK(mass_q[0] == doctest::Approx(4.0).epsilon(1e-12));
  CHECK(mass_q[1] == doctest::Approx(4.0).epsilon(1e-12));
  CHECK(mass_p[0] == doctest::Approx(8.0 * interval_mass(-4, 0, -2, 0.5, 8)).epsilon(1e-12));

  const auto bad = box.run(common + "--mode-centre 1,2 --out bad.h5");
  CHECK(bad.exit_code == 2);
  CHECK(bad.output.find("--mode-centre") != std::string::npos);
  const auto bad_radius = box.run(common + "--mode-centre 1 --mode-radius -1 --out bad.h5");
  CHECK(bad_radius.exit_code == 2);
  CHECK(bad_radius.output.find("--mode-radius") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(box.path("bad.h5")));
}

TEST_CASE("a focusing front of little mass stops a run unless --concentration-unresolved > 1") {
  using testing::read_vector;
  testing::Sandbox box;
  // The generator with a narrow kernel pours p into q's empty third mode; the arriving front
  // contracts towards the mode centre into a clump two cells wide that holds a few % of the
  // mass. The unresolved-clump sign stops the run there; with the sign off the run continues
  // and p's mass in that mode keeps growing.
  const std::string common =
      "simulate --dim 2 --n 32 --kernel gaussian:sigma=0.5 --role generator "
      "--target gaussians:at=-1.5,-1,1.5,-1,0,1.5,sigma=0.35 "
      "--init gaussians:at=-1.5,-1,1.5,-1,sigma=0.35 --mode-centre -1.5,-1 --mode-centre 1.5,-1 "
      "--mode-centre 0,1.5 --mode-radius 0.7 --t-end 0.6 --fft-plan estimate --quiet ";
  REQUIRE(box.run(common + "--out stopped.h5").exit_code == 0);
  REQUIRE(box.run(common + "--concentration-unresolved 2 --out continued.h5").exit_code == 0);
  CHECK(testing::read_status(box.path("stopped.h5")) == "concentrated");
  CHECK(testing::read_status(box.path("continued.h5")) == "completed");
  const auto stopped = read_vector(box.path("stopped.h5"), "/diagnostics/mode_mass_p");
  const auto continued = read_vector(box.path("continued.h5"), "/diagnostics/mode_mass_p");
  CHECK(continued.back() > stopped.back());
  const auto bad = box.run(common + "--concentration-unresolved 0 --out bad.h5");
  CHECK(bad.exit_code == 2);
  CHECK(bad.output.find("--concentration-unresolved") != std::string::npos);
}
