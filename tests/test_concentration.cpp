// The concentration detector on constructed fields whose answer is known by construction.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "wgf/solvers/concentration.hpp"

using namespace wgf;

namespace {
struct Field {
  Grid grid;
  std::vector<double> rho;
  double mass() const {
    double m = 0;
    for (double v : rho) m += v;
    return m * grid.cell_volume();
  }
  double max() const { return *std::max_element(rho.begin(), rho.end()); }
  const char* check(double fraction) const {
    return ConcentrationDetector(grid, fraction).check(rho.data(), max(), mass());
  }
};
}  // namespace

TEST_CASE("a clump on a cell face counts whole") {
  // Two cells with 24% of the mass each: no single cell passes 25%, the 2-cell block does.
  Field f{{1, 64, 2 * M_PI}, std::vector<double>(64, 0.01)};
  const double background = f.mass();
  const double clump = 0.48 / 0.52 * background / f.grid.cell_volume() / 2;
  f.rho[20] += clump;
  f.rho[21] += clump;
  const char* reason = f.check(0.25);
  REQUIRE(reason != nullptr);
  CHECK(std::string(reason).find("2^d block") != std::string::npos);
}

TEST_CASE("many unresolved clumps are detected though none holds much mass") {
  Field f{{2, 64, 2 * M_PI}, std::vector<double>(64 * 64, 1e-3)};
  for (int c = 0; c < 10; ++c) {
    const long i = 6 * c + 2, j = (37 * c) % 64;
    f.rho[i * 64 + j] += 50 + c;  // one-cell clumps, about a tenth of the mass each
  }
  const char* reason = f.check(0.25);
  REQUIRE(reason != nullptr);
  CHECK(std::string(reason).find("unresolved") != std::string::npos);
}

TEST_CASE("smooth or nearly uniform fields are not concentrated") {
  for (int dim = 1; dim <= 3; ++dim) {
    const long n = dim == 3 ? 24 : 64;
    Field smooth{{dim, n, 2 * M_PI}, {}};
    Field noisy = smooth;
    smooth.rho.resize(smooth.grid.cells());
    noisy.rho.resize(smooth.grid.cells());
    for (std::size_t flat = 0; flat < smooth.rho.size(); ++flat) {
      std::size_t rest = flat;
      double r2 = 0;
      for (int a = 0; a < dim; ++a) {
        const double x = smooth.grid.cell_center(static_cast<long>(rest % n));
        rest /= n;
        r2 += x * x;
      }
      smooth.rho[flat] = 0.01 + 50 * std::exp(-r2 / (2 * 0.4 * 0.4));  // a resolved peak
      noisy.rho[flat] = 1 + 1e-3 * std::sin(1e3 * static_cast<double>(flat));
    }
    CAPTURE(dim);
    CHECK(smooth.check(0.9) == nullptr);
    CHECK(noisy.check(0.01) == nullptr);
  }
}
